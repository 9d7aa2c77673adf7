"""The suite runs offline: non-loopback connections fail, loopback and Thai NLP still work."""

from __future__ import annotations

import socket
import threading

import pytest
from conftest import BLOCKED, is_loopback


def test_connect_to_remote_address_is_blocked():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        with pytest.raises(OSError, match=BLOCKED):
            sock.connect(("10.255.255.1", 80))
        with pytest.raises(OSError, match=BLOCKED):
            sock.connect_ex(("10.255.255.1", 80))


def test_create_connection_is_blocked():
    with pytest.raises(OSError, match=BLOCKED):
        socket.create_connection(("10.255.255.1", 80), timeout=0.5)
    with pytest.raises(OSError, match=BLOCKED):
        socket.create_connection(("example.org", 443), timeout=0.5)


def test_urllib_is_blocked():
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen("http://10.255.255.1/", timeout=0.5)


@pytest.mark.parametrize("family, host", [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")])
def test_loopback_is_allowed(family, host):
    if family == socket.AF_INET6 and not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        server = socket.socket(family, socket.SOCK_STREAM)
        server.bind((host, 0))
    except OSError:
        pytest.skip(f"cannot bind {host}")
    with server:
        server.listen(1)
        port = server.getsockname()[1]
        accepted = []
        thread = threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True)
        thread.start()
        with socket.create_connection((host, port), timeout=5) as client:
            client.sendall(b"ping")
            thread.join(5)
            assert accepted
            with accepted[0] as conn:
                assert conn.recv(4) == b"ping"


def test_unix_sockets_are_allowed(tmp_path):
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no AF_UNIX")
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"x")
        assert b.recv(1) == b"x"
    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)


def test_is_loopback():
    assert is_loopback(("127.0.0.53", 53))
    assert is_loopback(("::ffff:127.0.0.1", 1))
    assert is_loopback(("localhost", 1))
    assert not is_loopback(("example.org", 1))
    assert not is_loopback(("8.8.8.8", 53))
    assert not is_loopback(("2001:db8::1", 53))


def test_pythainlp_works_offline():
    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import normalize

    assert normalize("กํากับ") == "กำกับ"
    words = word_tokenize("โครงการพัฒนาระบบเทคโนโลยีสารสนเทศของสหกรณ์", engine="newmm")
    assert "".join(words) == "โครงการพัฒนาระบบเทคโนโลยีสารสนเทศของสหกรณ์"
    assert len(words) >= 3 and "สหกรณ์" in words  # a dictionary segmentation, not characters
