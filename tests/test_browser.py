"""The reports in a real browser (headless Chromium over the DevTools protocol).

One ``coopanalysis report`` run of the bundled plan per session; every page of it is loaded
and checked as a reader's browser renders it: the Thai font in use comes from the page itself,
no request leaves the machine, every link resolves to a file of the run (anchors included),
each error's message and figures are in the checks report, no text of a findings table is cut.

For every reader (issue 25), measured as the browser lays the pages out: at 390 px no page
scrolls sideways and wide tables scroll in their own box with the first column kept in view;
the figures a page leads with are on screen; Thai lines break between words (each line break
compared with PyThaiNLP's word boundaries); what a reader sees is Thai; the index's rows add up;
strategy 5 prints on at most 6 A4 pages (Chromium's printToPDF). The same for the agency
reports of volume 4 of the 2565 budget bill (``../shared/realdata``; skipped, saying so, when
that folder is absent). Expected figures are typed from the documents.

Without Chromium these tests skip (saying so); with ``CI=true`` they fail instead.

``python tests/test_browser.py --screenshots docs/screenshots`` (``make screenshots``) renders
the index, the checks report, strategy 5 and the Cooperative Promotion Department's page of
volume 4 at 1280 px and at 390 px (``*_390.png``) to PNG files.
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
from helpers import REALDATA  # tests/helpers.py

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BILL = REALDATA / "2022-3-4.csv"
PHONE = 390
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

    def width(self, width: int | None) -> None:
        """Lay pages out *width* px wide (a phone below 600 px); None: the window's own width."""
        if width is None:
            self.call("Emulation.clearDeviceMetricsOverride")
        else:
            self.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                      mobile=width < 600)

    def screenshot(self, path: Path, width: int = 1280, max_height: int = 2400) -> None:
        self.width(width)
        self.evaluate("document.fonts.ready.then(() => true)")
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=min(height, max_height),
                  deviceScaleFactor=1, mobile=width < 600)
        self.evaluate("document.fonts.ready.then(() => true)")
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        path.write_bytes(base64.b64decode(data))
        self.width(None)

    def pdf_pages(self) -> int:
        """How many A4 pages the loaded page prints on (Chromium's printToPDF, the page's CSS)."""
        data = self.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69, preferCSSPageSize=True,
                         printBackground=True)["data"]
        return len(re.findall(rb"/Type\s*/Page(?![a-z])", base64.b64decode(data)))

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


def run_bill_report(work: Path) -> Path:
    """Volume 4 of the 2565 bill ingested with the bundled mapping, one report per budgetary unit."""
    from coopanalysis.cli import main

    dataset, out = work / "volume4", work / "volume4-reports"
    assert main(["ingest", str(BILL), "--mapping", "budget-bill", "--out", str(dataset)]) == 0
    status = main(["report", str(dataset), "--group-by", "budgetary_unit", "--out", str(out)])
    assert status == 0, f"coopanalysis report --group-by exited {status}"
    return out


def page_of(out: Path, name: str) -> Path:
    """The report page whose heading names *name* (the Cooperative Promotion Department)."""
    for page in sorted(out.glob("*.html")):
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
        if heading and name in re.sub(r"<[^>]+>", "", heading.group(1)):
            return page
    raise AssertionError(f"no page headed {name}")


#: Per block of text (paragraph, cell, heading): its text and where each of its lines starts.
LINE_STARTS_JS = r"""(() => {
  const blocks = new Map(), order = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const blockOf = el => { while (el && el !== document.body && getComputedStyle(el).display.startsWith('inline'))
                            el = el.parentElement; return el; };
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || !el.getClientRects().length) continue;
    const block = blockOf(el);
    let b = blocks.get(block);
    if (!b) { b = {text: '', breaks: [], top: null, left: null}; blocks.set(block, b); order.push(b); }
    for (let i = 0; i < node.data.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getClientRects()[0];
      if (r && r.width > 0) {
        if (b.top !== null && r.top > b.top + 4 && r.left < b.left) b.breaks.push(b.text.length);
        b.top = r.top; b.left = r.left;
      }
      b.text += node.data[i];
    }
  }
  return order.filter(b => b.breaks.length && /[\u0E01-\u0E4E]/.test(b.text)).map(b => [b.text, b.breaks]);
})()"""


def thai_line_breaks(blocks) -> tuple[int, list[str]]:
    """(line breaks in all, those inside a Thai word): a break inside a run of Thai letters at
    a place where PyThaiNLP (newmm) puts no word boundary is inside a word."""
    from pythainlp.tokenize import word_tokenize

    total, inside = 0, []
    for text, breaks in blocks:
        boundary = {}
        for run in re.finditer(r"[\u0E01-\u0E4E]{2,}", text):
            position, cuts = run.start(), {run.start(), run.end()}
            for word in word_tokenize(run.group(0), engine="newmm", keep_whitespace=False):
                position += len(word)
                cuts.add(position)
            boundary.update({k: k in cuts for k in range(run.start() + 1, run.end())})
        for i in breaks:
            total += 1
            if boundary.get(i) is False:
                inside.append(text[max(0, i - 10):i] + "|" + text[i:i + 10])
    return total, inside


#: At the phone's width: how wide the page is, and each table box that is wider than the screen.
PHONE_JS = """(() => ({
  page: document.documentElement.scrollWidth,
  boxes: [...document.querySelectorAll('.table-wrap')].map(w => ({
      width: Math.round(w.getBoundingClientRect().right), inner: w.scrollWidth, client: w.clientWidth,
      scrolls: getComputedStyle(w).overflowX,
      sticky: (c => c ? getComputedStyle(c).position : 'none')(w.querySelector('tbody tr:not(.detail) > :first-child'))})),
  images: [...document.querySelectorAll('img')].map(i => (box => ({
      image: Math.round(i.getBoundingClientRect().width), natural: i.naturalWidth,
      box: Math.round(box.getBoundingClientRect().right), scrolls: getComputedStyle(box).overflowX}))(
      i.closest('.jp-RenderedImage, .chart') || i.parentElement)),
}))()"""


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


def test_print_layout_hides_navigation_and_keeps_headings_with_their_text(run, browser):
    browser.open(run / "strategy_5.html")
    browser.call("Emulation.setEmulatedMedia", media="print")
    try:
        assert browser.evaluate("getComputedStyle(document.querySelector('nav.site')).display") == "none"
        styles = browser.evaluate("[...document.querySelectorAll('h2')].map(h => [getComputedStyle(h).breakBefore,"
                                  " getComputedStyle(h).breakAfter])")
        assert styles and all(before != "page" and after == "avoid" for before, after in styles), styles
    finally:
        browser.call("Emulation.setEmulatedMedia", media="")


def test_strategy_5_prints_on_at_most_six_a4_pages(run, browser):
    browser.open(run / "strategy_5.html")
    pages = browser.pdf_pages()
    assert 1 <= pages <= 6, pages


# ---- phone, line breaks, words, sums (issue 25) ------------------------------------------------------


def _phone_layout(browser, page: Path) -> dict:
    browser.width(PHONE)
    try:
        browser.open(page)
        return browser.evaluate(PHONE_JS)
    finally:
        browser.width(None)


def _assert_fits_a_phone(name: str, layout: dict) -> None:
    assert layout["page"] <= PHONE, (name, "page scrolls sideways", layout["page"])
    for box in layout["boxes"]:
        assert box["width"] <= PHONE, (name, box)
        if box["inner"] > box["client"]:  # a table wider than the screen scrolls in its own box
            assert box["scrolls"] == "auto" and box["sticky"] == "sticky", (name, box)
    for image in layout["images"]:  # a chart keeps a legible size and scrolls in its own box
        assert image["box"] <= PHONE, (name, image)
        assert image["image"] >= min(image["natural"], 600), (name, "chart shrunk", image)
        if image["image"] > PHONE:
            assert image["scrolls"] == "auto", (name, image)


def test_no_page_scrolls_sideways_on_a_phone(run, browser):
    for page in pages(run):
        _assert_fits_a_phone(page.name, _phone_layout(browser, page))


def test_findings_messages_stay_on_a_phone_screen(run, browser):
    """A finding's message (a row across its whole table) wraps within the screen, so a reader
    never scrolls sideways to read it."""
    browser.width(PHONE)
    try:
        browser.open(run / "checks.html")
        edges = browser.evaluate("[...document.querySelectorAll('table.findings .detail-text')].map(d => {"
                                 " const r = d.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.right)]; })")
    finally:
        browser.width(None)
    assert len(edges) == 34  # the checks report: 34 findings, each with its message
    assert all(0 <= left and right <= PHONE for left, right in edges), edges[:5]


def test_strategy_5_leads_with_its_key_figures_on_a_phone_screen(run, browser):
    browser.width(PHONE)
    try:
        browser.open(run / "strategy_5.html")
        cells = browser.evaluate("[...document.querySelectorAll('table.key-figures td.figure')].map(c => {"
                                 " const r = c.getBoundingClientRect();"
                                 " return [c.innerText, Math.round(r.left), Math.round(r.right)]; })")
    finally:
        browser.width(None)
    # strategy 5's summary page prints 125 million baht; its ten projects add up to 158 (+33)
    shown = {text.split()[0]: (left, right) for text, left, right in cells}
    for figure in ("125", "158", "+33"):
        assert figure in shown, (figure, cells)
        left, right = shown[figure]
        assert 0 <= left and right <= PHONE, (figure, left, right)


def test_thai_lines_break_between_words(run, browser):
    browser.width(PHONE)
    try:
        for name in ("index", "overview", "checks", "units", "strategy_1", "strategy_5", "strategy_8"):
            browser.open(run / f"{name}.html")
            total, inside = thai_line_breaks(browser.evaluate(LINE_STARTS_JS))
            assert total > 20, (name, total)  # the measurement saw the lines
            assert len(inside) <= total // 100, (name, total, inside[:5])
    finally:
        browser.width(None)


ENGLISH = ("(summary)", "(reports)", "(Checks)", "(Overview)", "(Units)", "(failed)", "Lost decimal point",
           "8.u1", "8.u2", "ดู ingest_report.csv", "budgetary_unit_", "(proposed)", "OBLIGED", "ไม่พบข้อผิดพลาด")


def _visible_text(browser, page: Path) -> str:
    browser.open(page)
    return " ".join(browser.evaluate("document.title + ' ' + document.body.innerText").split())


def test_what_a_reader_sees_is_thai(run, browser):
    for page in pages(run):
        text = _visible_text(browser, page)
        assert not [w for w in ENGLISH if w in text], (page.name, [w for w in ENGLISH if w in text])
    text = _visible_text(browser, run / "checks.html")
    # the reviewed corrections of project 6.1 (2562-2564): the document prints 15, read as 1.5
    assert text.count("จุดทศนิยมตกหล่น") >= 3 and "the row prints" not in text


def _findings_of_rows(browser) -> dict[str, tuple[int, int]]:
    rows = browser.evaluate("[...document.querySelectorAll('table.index tbody tr, table.index tfoot tr')]"
                            ".map(r => [r.cells[0].innerText, r.cells[2] ? r.cells[2].innerText : ''])")
    out = {}
    for label, cell in rows:
        errors = re.search(r"ผิดพลาด (\d+)", cell)
        warnings = re.search(r"คำเตือน (\d+)", cell)
        out[" ".join(label.split())] = (int(errors.group(1)) if errors else 0, int(warnings.group(1)) if warnings else 0)
    return out


def test_index_rows_add_up_to_the_checks_report(run, browser):
    browser.open(run / "index.html")
    rows = _findings_of_rows(browser)
    checks = rows.pop("ผลการตรวจสอบ")
    assert checks == (12, 17)  # the checks report: 12 errors, 17 warnings
    parts = {k: v for k, v in rows.items() if k.startswith("ยุทธศาสตร์") or k == "ทั้งแผนและทั้งเอกสาร"}
    assert "ทั้งแผนและทั้งเอกสาร" in parts and "ยุทธศาสตร์ที่ 2" in parts, sorted(parts)
    assert tuple(map(sum, zip(*parts.values()))) == checks, parts


def test_overview_never_nets_an_excess_against_what_is_unsplit(run, browser):
    browser.open(run / "overview.html")
    tables = browser.evaluate("[...document.querySelectorAll('table.reading')].map(t => [...t.rows].map(r =>"
                              " [...r.cells].map(c => c.innerText.trim())))")
    coverage = next(t for t in tables if any("รายละเอียดเกินยอดที่พิมพ์" in h for h in t[0]))
    header = [" ".join(h.split()) for h in coverage[0]]
    unsplit = next(i for i, h in enumerate(header) if h.startswith("ส่วนที่ไม่ได้แจกแจงรายปี"))
    excess = next(i for i, h in enumerate(header) if h.startswith("รายละเอียดเกินยอดที่พิมพ์"))
    by_id = {r[0]: r for r in coverage[1:]}
    # strategy 8 prints 121; its two projects add up to 161: nothing unsplit, 40 beyond the print
    assert by_id["8"][unsplit] == "0" and by_id["8"][excess] == "40"
    # unsplit: strategy 5 (125 - 72 = 53) and 7 (161.5, no detail) = 214.5; never 174.5 (-40 netted)
    total = next(r for r in coverage[1:] if r[0].startswith("รวม"))
    assert total[unsplit] == "214.5" and total[excess] == "40", total
    main = next(t for t in tables if any(h.startswith("งบรวมจากรายโครงการ") for h in t[0]))
    grand = main[-1]
    # printed: 125 + 20 + 161.5 + 121 = 427.5 (strategies 5-8); computed: 286 + 25 + 50 + 158 + 20 + 161 = 700
    assert grand[0] == "รวม" and "427.5" in grand and "700" in grand, grand


# ---- volume 4 of the 2565 budget bill: one report per budgetary unit -------------------------------


@pytest.fixture(scope="session")
def bill_run(tmp_path_factory, browser):
    if not BILL.is_file():
        pytest.skip(f"{BILL} is absent (../shared/realdata is not part of the project): the budget-bill "
                    "browser tests need it")
    return run_bill_report(tmp_path_factory.mktemp("bill"))


def test_bill_agency_page_reads_like_a_plan_report(bill_run, browser):
    page = page_of(bill_run, "กรมส่งเสริมสหกรณ์")
    text = _visible_text(browser, page)
    assert not [w for w in ENGLISH if w in text], [w for w in ENGLISH if w in text]
    header = " ".join(browser.evaluate("document.querySelector('header.report-heading').innerText").split())
    assert "ปีงบประมาณ พ.ศ. 2565" in header and "เล่มที่ 4" in header and "กรมส่งเสริมสหกรณ์" in header
    rows = browser.evaluate("[...document.querySelectorAll('table.reading tr')].map(r =>"
                            " [...r.cells].map(c => [c.innerText.trim(), getComputedStyle(c).textAlign, c.className]))")
    cells = {r[0][0]: r for r in rows if r}
    # the document's page of the department: งบบุคลากร 1,754,419,800 baht
    assert cells["งบบุคลากร"][1][0] == "1,754.4198" and cells["งบบุคลากร"][1][1] == "right"
    for category in ("งบดำเนินงาน", "งบลงทุน", "งบเงินอุดหนุน", "งบรายจ่ายอื่น"):
        assert category in cells, category
    amounts = [c for r in rows for c in r if "amount" in c[2].split()]
    assert amounts and all(align == "right" for _, align, _ in amounts)
    assert browser.evaluate("document.querySelectorAll('tr.total').length") >= 3  # category, plan, other years
    assert "รวมภาระผูกพันของปีอื่น" in text
    assert "ไม่ได้กระทบยอด" in text and "--stated" in text


def test_bill_index_names_each_agency_with_its_total(bill_run, browser):
    import pandas as pd

    browser.open(bill_run / "index.html")
    links = browser.evaluate("[...document.querySelectorAll('table.index tbody a')].map(a => a.innerText)")
    assert "กรมส่งเสริมสหกรณ์" in links and not [x for x in links if "budgetary_unit" in x]
    text = _visible_text(browser, bill_run / "index.html")
    assert "ปีงบประมาณ พ.ศ. 2565" in text and "เล่มที่ 4" in text
    # the bill year's rows of the CSV (FISCAL_YEAR 2022), amounts in baht (malformed ones left out)
    frame = pd.read_csv(BILL, dtype=str)
    year = frame[frame["FISCAL_YEAR"].str.strip() == "2022"]["AMOUNT"].str.replace(",", "")
    total = pd.to_numeric(year[year.str.fullmatch(r"\d+(\.\d+)?", na=False)]).sum() / 1e6
    assert f"{total:,.2f}"[:-1] in text  # 110,039.8… million baht
    total_row = browser.evaluate("document.querySelector('table.index tr.total').innerText")
    assert "17 หน่วย" in total_row


def test_bill_pages_fit_a_phone_and_break_thai_between_words(bill_run, browser):
    for page in (bill_run / "index.html", page_of(bill_run, "กรมส่งเสริมสหกรณ์")):
        _assert_fits_a_phone(page.name, _phone_layout(browser, page))
        browser.width(PHONE)
        try:
            browser.open(page)
            total, inside = thai_line_breaks(browser.evaluate(LINE_STARTS_JS))
        finally:
            browser.width(None)
        assert total > 10 and len(inside) <= total // 100, (page.name, total, inside[:5])


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
        shots = [(out / f"{name}.html", name, height) for name, height in
                 (("index", 1800), ("checks", 2400), ("strategy_5", 2400))]
        if BILL.is_file():
            bill = run_bill_report(Path(tmp))
            shots.append((page_of(bill, "กรมส่งเสริมสหกรณ์"), "volume4_cooperative_promotion", 2400))
        else:
            print(f"{BILL} is absent: no screenshot of the volume 4 agency page", file=sys.stderr)
        browser = Browser(executable)
        try:
            for page, name, height in shots:
                for width, suffix in ((1280, ""), (PHONE, f"_{PHONE}")):
                    browser.open(page)
                    path = target / f"{name}{suffix}.png"
                    browser.screenshot(path, width=width, max_height=height * (2 if width == PHONE else 1))
                    written.append(path)
        finally:
            browser.close()
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--screenshots":
        raise SystemExit("usage: python tests/test_browser.py --screenshots DIR")
    for p in screenshots(Path(sys.argv[2])):
        print(p)
