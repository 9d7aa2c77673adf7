"""The reports in a real browser (headless Chromium over the DevTools protocol).

One ``coopanalysis report`` run of the bundled plan per session; every page of it is loaded
and checked as a reader's browser renders it: the Thai font in use comes from the page itself,
no request leaves the machine, every link resolves to a file of the run (anchors included),
each error's message and figures are in the checks report, no text of a findings table is cut.

Without Chromium these tests skip (saying so); with ``CI=true`` they fail instead.

``python tests/test_browser.py --screenshots docs/screenshots`` (``make screenshots``) renders
the index, the checks report and strategy 5 to PNG files.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"]
FAMILY = "CoopAnalysis Noto Sans Thai"


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """A headless Chromium and one page, driven over the DevTools protocol (websocket-client)."""

    def __init__(self, executable: str) -> None:
        import websocket

        self.profile = tempfile.mkdtemp(prefix="coopanalysis-chromium-")
        self.proc = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port = self._port()
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as reply:
                    pages = [t for t in json.load(reply) if t.get("type") == "page"]
                if pages:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("no page target in Chromium")
            time.sleep(0.2)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []
        for domain in ("Page", "Network", "Runtime", "DOM", "CSS"):
            self.call(f"{domain}.enable")

    def _port(self) -> int:
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            lines.append(line)
            match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if match:
                return int(match.group(1))
            if not line and self.proc.poll() is not None:
                break
        raise RuntimeError("Chromium did not start: " + "".join(lines)[-500:])

    def call(self, method: str, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("method") == method:
                return message
            self.events.append(message)
        raise TimeoutError(method)

    def open(self, path: Path) -> list[str]:
        """Load *path*; return the URL of every request the page made."""
        self.events.clear()
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def fonts_used(self, selector: str) -> list[dict]:
        """The fonts Chromium actually used to draw the text of the first node matching *selector*."""
        root = self.call("DOM.getDocument", depth=-1)["root"]["nodeId"]
        node = self.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        return self.call("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]

    def screenshot(self, path: Path, width: int = 1280, max_height: int = 2400) -> None:
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=min(height, max_height),
                  deviceScaleFactor=1, mobile=False)
        self.evaluate("document.fonts.ready.then(() => true)")
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stderr.close()
            shutil.rmtree(self.profile, ignore_errors=True)


def run_report(out: Path) -> None:
    from coopanalysis.cli import main

    status = main(["report", str(ROOT / "data" / "plan"), "--out", str(out)])
    assert status == 0, f"coopanalysis report exited {status}"


# ---- tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    executable = find_browser()
    if executable is None:
        reason = "Chromium not installed (Debian package 'chromium'); the browser tests need it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " and CI=true", pytrace=False)
        pytest.skip(reason)
    b = Browser(executable)
    yield b
    b.close()


@pytest.fixture(scope="session")
def run(tmp_path_factory, browser):
    out = tmp_path_factory.mktemp("browser") / "reports"
    run_report(out)
    return out


def pages(out: Path) -> list[Path]:
    return sorted(out.glob("*.html"))


def test_every_page_renders_with_its_own_font_and_no_network(run, browser):
    found = pages(run)
    assert {p.stem for p in found} >= {"index", "overview", "checks", "units", "strategy_5", "strategy_7"}
    for page in found:
        requests = browser.open(page)
        outside = [u for u in requests if not u.startswith(("file:", "data:"))]
        assert not outside, (page.name, outside)
        faces = browser.evaluate(f"[...document.fonts].filter(f => f.family.replace(/\"/g, '') === {FAMILY!r})"
                                 ".map(f => f.status)")
        assert faces == ["loaded"], (page.name, faces)
        family = browser.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        assert family.replace('"', "").startswith(FAMILY), (page.name, family)
        used = browser.fonts_used("h1")
        assert used and all(f["isCustomFont"] for f in used), (page.name, used)
        thai = browser.evaluate("document.querySelector('h1').innerText")
        assert re.search("[\u0e01-\u0e5b]", thai), thai


def test_every_link_resolves_to_a_file_of_the_run(run, browser):
    run_dir = run.resolve()
    for page in pages(run):
        browser.open(page)
        links = browser.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        nav = browser.evaluate("[...document.querySelectorAll('nav.site a')].map(a => a.getAttribute('href'))")
        expected = {p.name for p in pages(run)} - {page.name}
        assert set(nav) == expected, (page.name, sorted(set(nav) ^ expected))
        for href in links:
            parts = urlsplit(href)
            assert parts.scheme == "file", (page.name, href)
            target = Path(unquote(parts.path))
            assert target.is_file() and target.parent == run_dir, (page.name, href)
            if parts.fragment and target.suffix == ".html":
                ids = {html.unescape(i) for i in re.findall(r'\sid="([^"]+)"', target.read_text(encoding="utf-8"))}
                assert parts.fragment in ids or unquote(parts.fragment) in ids, (page.name, href)


def test_checks_report_shows_each_error_in_full(run, browser, capsys):
    from coopanalysis.cli import main

    main(["check", str(ROOT / "data" / "plan"), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    browser.open(run / "checks.html")
    text = " ".join(browser.evaluate("document.body.innerText").split())
    errors = [f for f in findings if f["severity"] == "error"]
    assert errors
    for f in errors:
        assert " ".join(f["message"].split()) in text, f["message"][:80]
        anchor = f"finding-{f['check']}-{f['level']}-{re.sub(r'[^A-Za-z0-9_]+', '-', f['id'])}"
        anchor += f"-{f['fiscal_year']}" if f["fiscal_year"] else ""
        row = browser.evaluate(f"(r => r ? [...r.cells].map(c => c.innerText) : null)"
                               f"(document.getElementById({json.dumps(anchor)}))")
        assert row is not None, f["id"]
        for key in ("stated", "computed"):
            if f[key] is not None:
                assert f"{f[key]:,g}" in row, (f["id"], key, row)
        if f["difference"] is not None:
            assert (f"{f['difference']:+,g}" if f["difference"] else "0") in row, (f["id"], row)


def test_no_findings_text_is_cut(run, browser):
    for name in ("checks", "strategy_5", "strategy_8"):
        browser.open(run / f"{name}.html")
        cut = browser.evaluate("""(() => {
            const out = [];
            for (const cell of document.querySelectorAll('table.findings td, table.findings th')) {
                if (cell.innerText.includes('…')) out.push(cell.innerText);
                if (cell.scrollWidth > cell.clientWidth + 1) out.push('overflow: ' + cell.innerText);
                const style = getComputedStyle(cell);
                if (style.textOverflow === 'ellipsis' && style.overflow !== 'visible') out.push('ellipsis: ' + cell.innerText);
            }
            return out; })()""")
        assert cut == [], (name, cut[:3])


def test_print_layout_hides_navigation(run, browser):
    browser.open(run / "strategy_5.html")
    browser.call("Emulation.setEmulatedMedia", media="print")
    try:
        assert browser.evaluate("getComputedStyle(document.querySelector('nav.site')).display") == "none"
        assert browser.evaluate("getComputedStyle(document.querySelectorAll('h2')[1]).breakBefore") == "page"
    finally:
        browser.call("Emulation.setEmulatedMedia", media="")


# ---- make screenshots --------------------------------------------------------------------------


def screenshots(target: Path) -> list[Path]:
    executable = find_browser()
    if executable is None:
        raise SystemExit("Chromium not installed (Debian package 'chromium')")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="coopanalysis-screenshots-") as tmp:
        out = Path(tmp) / "reports"
        run_report(out)
        browser = Browser(executable)
        try:
            for name, height in (("index", 1800), ("checks", 2400), ("strategy_5", 2400)):
                browser.open(out / f"{name}.html")
                path = target / f"{name}.png"
                browser.screenshot(path, max_height=height)
                written.append(path)
        finally:
            browser.close()
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--screenshots":
        raise SystemExit("usage: python tests/test_browser.py --screenshots DIR")
    for p in screenshots(Path(sys.argv[2])):
        print(p)
