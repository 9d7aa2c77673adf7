"""JupyterLab started from the venv opens notebooks on the project kernel, and starts as root.

The Makefile writes ``.venv/etc/jupyter/jupyter_server_config.json`` (``make lab-config``;
every target that needs Jupyter depends on it). One test reads the configuration the way the
server does; the slow one starts ``jupyter lab`` on 127.0.0.1 and asks its REST API.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

KERNEL = "coopanalysis"  # the name the Makefile installs the kernel under
JUPYTER = Path(sys.executable).with_name("jupyter")
HINT = "run `make lab-config` (conda: `make lab-config VENV=\"$CONDA_PREFIX\"`)"


def test_server_config_makes_the_project_kernel_the_default():
    from jupyter_server.serverapp import ServerApp

    app = ServerApp()
    app.load_config_file()
    default = app.config.MappingKernelManager.get("default_kernel_name")
    assert default == KERNEL, f"default kernel {default!r}: {HINT}"
    if os.geteuid() == 0:
        assert app.config.ServerApp.get("allow_root") is True, f"as root, Jupyter refuses to start: {HINT}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and anything it started (its own process group), whatever happens."""
    if proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue


@pytest.mark.slow
def test_jupyter_lab_from_the_venv_defaults_to_the_project_kernel(tmp_path):
    """Plain ``jupyter lab`` (no --allow-root, no kernel option) answers with coopanalysis as default."""
    assert JUPYTER.is_file(), f"no jupyter beside {sys.executable}"
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "BROWSER": "true"}
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/kernelspecs?token={token}"
        deadline, specs = time.monotonic() + 120, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    specs = json.load(response)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        tail = (tmp_path / "lab.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        assert specs is not None, f"jupyter lab did not answer (exit status {proc.poll()}):\n{tail}"
        assert specs["default"] == KERNEL, f"{specs['default']!r}: {HINT}"
        assert KERNEL in specs["kernelspecs"]
    finally:
        _stop(proc)
        log.close()
