"""The analyst's notebook through a real Jupyter server: cells executed over its REST and
websocket API in the project kernel, as JupyterLab would run them (issue 23).

Also: the HTML ``ca.explore`` puts in a notebook loads nothing from the network.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

import coopanalysis as ca

pytestmark = pytest.mark.slow

import requests  # noqa: E402  test dependencies (pyproject [test]): missing is a failure, not a skip
import websocket  # noqa: E402

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Jupyter server on 127.0.0.1, run from a folder outside the repository; always stopped."""
    port, token = _free_port(), secrets.token_hex(16)
    root = tmp_path_factory.mktemp("lab")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(root / "runtime"), "MPLBACKEND": "Agg"}
    process = subprocess.Popen(
        [str(BIN / "jupyter"), "server", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/api/status", params={"token": token}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.3)
        else:
            pytest.fail("the Jupyter server did not answer within 60 s: " + process.stderr.read1(4000).decode())
        yield base, token, port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Kernel:
    """One kernel of the server, driven over the websocket channels."""

    def __init__(self, base: str, token: str, port: int):
        self.base, self.token = base, token
        reply = requests.post(f"{base}/api/kernels", params={"token": token}, json={"name": "coopanalysis"},
                              timeout=30)
        reply.raise_for_status()
        self.id = reply.json()["id"]
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/api/kernels/{self.id}/channels?token={token}", timeout=120)

    def run(self, code: str) -> dict:
        """Execute *code*; the outputs by kind: ``stream`` text, ``data`` (display and result
        bundles), ``error``."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex, "msg_type": "execute_request",
                       "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out = {"stream": "", "data": [], "error": None}
        while True:
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                out["stream"] += content["text"]
            elif kind in ("display_data", "execute_result"):
                out["data"].append(content["data"])
            elif kind == "error":
                out["error"] = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                return out

    def close(self) -> None:
        self.ws.close()
        requests.delete(f"{self.base}/api/kernels/{self.id}", params={"token": self.token}, timeout=30)


@pytest.fixture(scope="module")
def kernel(server):
    k = Kernel(*server)
    try:
        yield k
    finally:
        k.close()


def test_the_readme_block_runs_in_a_fresh_kernel_outside_the_repo(kernel):
    out = kernel.run(
        "import os, coopanalysis as ca\n"
        "plan = ca.load()\n"
        "s5 = ca.allocation(plan, 'strategy').set_index('label').loc['5']\n"
        "print('cwd', os.getcwd())\n"
        "print('s5', s5['stated_mb'], s5['computed_mb'])\n"
        "print('what-if', ca.allocation(plan.scale(1.1, within='5'), 'strategy').set_index('label').loc['5', 'computed_mb'])\n"
        "units = ca.allocation(plan, 'unit', policy='equal')\n"
        "print('equal', units.iloc[0]['unit'], units.iloc[0]['computed_mb'], units['computed_mb'].sum())\n"
        "plan")
    assert out["error"] is None, out["error"]
    cwd = out["stream"].split("cwd ", 1)[1].split("\n", 1)[0]
    assert not Path(cwd).resolve().is_relative_to(REPO)
    assert "s5 125.0 158.0" in out["stream"]  # printed 125, computed 158 (the plan's pages)
    assert "what-if 173.8" in out["stream"]  # 158 x 1.1
    assert "equal สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์ 286.0 700.0" in out["stream"]
    card = out["data"][-1]
    assert "text/html" in card and "ยุทธศาสตร์" in card["text/html"]
    assert len(card["text/plain"]) < 1000


def test_explore_picker_redraws_the_table(kernel):
    out = kernel.run(
        "e = ca.explore(plan)\n"
        "display(e)\n"
        "e.level.value = 'project'\n"
        "e.within.value = 'strategy:5'\n"
        "print(len(e.frame), sorted(e.frame['ลำดับ'])[:2])")
    assert out["error"] is None, out["error"]
    widget_views = [d for d in out["data"] if "application/vnd.jupyter.widget-view+json" in d]
    assert widget_views, "ca.explore shows no widget"
    assert "text/html" in widget_views[0]  # what a saved notebook shows without a kernel
    assert out["stream"].split()[0] == "10"  # strategy 5 has projects 5.1-5.10


def test_explore_html_loads_nothing_from_the_network():
    from coopanalysis.present.explore import table_html

    page = table_html(ca.allocation(ca.load(), "strategy"))
    loaded = re.findall(r"""(?:src|import|url)\s*[=(]?\s*["']?(https?://[^"')\s>]+)""", page)
    links_to_load = re.findall(r"""<link[^>]+href=["']?(https?://[^"'>\s]+)""", page)
    assert loaded == [] and links_to_load == []
