"""Shared fixtures. The whole suite runs with the network blocked (loopback allowed).

Fixtures for everyone:
- ``seed_path``: the bundled document (``data/raw/cpd_action_plan_2560_2564.txt``).
- ``plan_dir``: the seed ingested once per session into a temporary directory, WITHOUT
  corrections (a broken ``coopanalysis.ingest`` fails the tests that use it, never skips them).
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from coopanalysis.paths import SEED

BLOCKED = "network access blocked in tests"
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_loopback(address) -> bool:
    """True for a loopback socket address (host, port[, ...]) or host string.

    >>> [is_loopback(a) for a in [("127.0.0.1", 80), ("::1", 8888, 0, 0), "localhost", ("10.255.255.1", 80)]]
    [True, True, True, False]
    """
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.strip("[]").split("%", 1)[0].lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False  # any other name would need DNS: not allowed
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _allowed(sock, address) -> bool:
    family = getattr(sock, "family", None)
    if getattr(socket, "AF_UNIX", None) is not None and family == socket.AF_UNIX:
        return True
    if isinstance(address, (str, bytes)) and family not in (socket.AF_INET, socket.AF_INET6):
        return True  # a path-like address (AF_UNIX and friends)
    return is_loopback(address)


@pytest.fixture(scope="session", autouse=True)
def block_network():
    """Every non-loopback connect raises ``OSError('network access blocked in tests')``."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create_connection = socket.create_connection

    def connect(self, address, *args, **kwargs):
        if not _allowed(self, address):
            raise OSError(f"{BLOCKED}: connect to {address!r}")
        return real_connect(self, address, *args, **kwargs)

    def connect_ex(self, address, *args, **kwargs):
        if not _allowed(self, address):
            raise OSError(f"{BLOCKED}: connect to {address!r}")
        return real_connect_ex(self, address, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        if not is_loopback(address):
            raise OSError(f"{BLOCKED}: connect to {address!r}")
        return real_create_connection(address, *args, **kwargs)

    patcher = pytest.MonkeyPatch()
    patcher.setattr(socket.socket, "connect", connect)
    patcher.setattr(socket.socket, "connect_ex", connect_ex)
    patcher.setattr(socket, "create_connection", create_connection)
    try:
        yield
    finally:
        patcher.undo()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The bundled document, as published (never edit it: copy it to tmp_path first)."""
    assert SEED.is_file(), f"missing seed document {SEED}"
    return SEED


@pytest.fixture(scope="session")
def plan_dir(seed_path, tmp_path_factory) -> Path:
    """The seed ingested (no corrections) into a session temporary directory. Treat as read-only."""
    from coopanalysis import ingest as ingest
    out = tmp_path_factory.mktemp("plan_seed")
    ingest.ingest_file(seed_path, out)
    return out
