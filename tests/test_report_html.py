"""The HTML a reader receives: escaped data, no pipeline talk, full findings, navigation that
resolves, a self-contained page (embedded font, nothing from the network), an atomic index.

One ``coopanalysis report`` run per module, on a copy of the bundled plan whose texts are
hostile: a strategy name, the plan's title, a goal, a unit's name and a correction reason carry
markup that must show as text and never become an element.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from coopanalysis import paths
from coopanalysis.cli import main

IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg onload=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
BOLD = '<b onmouseover="alert(1)">x</b>'


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return paths.KERNEL_NAME in KernelSpecManager().find_kernel_specs()


def plain_words(html: str) -> str:
    """*html* without the spans that keep Thai words whole on a line (present.escape.break_thai)."""
    return re.sub(r'<span class="tw">([^<]*)</span>', r"\1", html)


pytestmark = [pytest.mark.slow, pytest.mark.skipif(not _kernel_available(), reason="Jupyter kernel 'coopanalysis' not installed")]


def _edit_csv(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def hostile_plan(target: Path) -> Path:
    shutil.copytree(paths.PLAN_DIR, target)
    meta = json.loads((target / "plan.json").read_text(encoding="utf-8"))
    meta["title"] = f"แผน {SVG} ทดสอบ"
    (target / "plan.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")

    def strategy(row):
        if row["strategy_id"] == "5":
            row["name"] = f"ยุทธศาสตร์ {IMG}"
            row["goal"] = f"เป้าหมาย {SCRIPT}"

    _edit_csv(target / "strategies.csv", strategy)
    _edit_csv(target / "corrections_applied.csv", lambda row: row.update(reason=f"Lost decimal point {BOLD}"))
    return target


class Page(HTMLParser):
    """Elements, attributes, visible text, ids and links of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("style", "script"):
            self._skip += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(path: Path) -> Page:
    page = Page()
    page.feed(plain_words(path.read_text(encoding="utf-8")))
    return page


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    plan = hostile_plan(base / "plan")
    out = base / "reports"
    status = main(["report", str(plan), "--strategy", "5", "6", "--out", str(out), "--jobs", "2"])
    return status, out


PAGES = ["index", "overview", "checks", "units", "strategy_5", "strategy_6"]


def test_the_run_writes_the_plans_workbook_and_the_index_links_it(run):
    """Issue 14: the report index links the workbook of its plan. The hostile plan's strategy 5
    totals (printed 125, projects 158, as in the seed) are in its strategies sheet."""
    import openpyxl

    status, out = run
    workbook = out / "plan.xlsx"
    assert workbook.is_file()
    assert '<a href="plan.xlsx" download>plan.xlsx</a>' in (out / "index.html").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(workbook, read_only=True)
    assert book.sheetnames[0].startswith("อ่านก่อน")
    values = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert "125" in values and "158" in values


def test_run_succeeds(run):
    status, out = run
    assert status == 0
    for name in PAGES:
        assert (out / f"{name}.html").is_file(), name


@pytest.mark.parametrize("name", PAGES)
def test_no_live_markup_from_data(run, name):
    _, out = run
    page = parse(out / f"{name}.html")
    tags = {t for t, _ in page.tags}
    assert "svg" not in tags and "script" not in tags and "b" not in tags
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "img":
            assert attrs.get("src", "").startswith("data:image/"), attrs
    # the text is still there, shown as written
    assert SVG in page.visible


def test_hostile_texts_visible_where_they_belong(run):
    _, out = run
    strategy = parse(out / "strategy_5.html").visible
    assert IMG in strategy and SCRIPT in strategy
    checks = parse(out / "checks.html").visible
    # the reviewer's reason (English, with markup) stays in the data; the reader gets it in Thai
    assert IMG in checks and "จุดทศนิยมตกหล่น" in checks and BOLD not in checks
    assert "<b onmouseover" not in (out / "checks.html").read_text(encoding="utf-8")
    assert IMG in parse(out / "index.html").visible


@pytest.mark.parametrize("name", PAGES)
def test_reader_facing_only(run, name):
    _, out = run
    text = plain_words((out / f"{name}.html").read_text(encoding="utf-8"))
    visible = parse(out / f"{name}.html").visible
    for word in ("papermill", "parameters", "params/", "output_dir", "thai_digits", "Traceback", "In ["):
        assert word not in visible, word
    assert "<pre" not in text  # no printed blocks, no stray return values
    # one digit system: these reports use Arabic digits
    assert not re.search("[๐-๙]", visible)
    # no duplicate headings
    headings = re.findall(r"<h([12])[^>]*>(.*?)</h\1>", text, flags=re.S)
    texts = [re.sub(r"<[^>]+>", "", h).replace("¶", "").strip() for _, h in headings]
    assert len(texts) == len(set(texts)), texts


@pytest.mark.parametrize("name", PAGES)
def test_self_contained(run, name):
    _, out = run
    text = plain_words((out / f"{name}.html").read_text(encoding="utf-8"))
    assert re.search(r'@font-face \{ font-family: "CoopAnalysis Noto Sans Thai";[^}]*url\("data:font/woff2;base64,', text)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "@media print" in text and "size: A4" in text


@pytest.mark.parametrize("name", PAGES)
def test_navigation_and_links_resolve(run, name):
    _, out = run
    page = parse(out / f"{name}.html")
    hrefs = set(page.hrefs)
    for other in PAGES:
        if other != name:
            assert f"{other}.html" in hrefs, other
    for href in page.hrefs:
        parts = urlsplit(href)
        assert not parts.scheme and not parts.netloc, href
        target = out / unquote(parts.path) if parts.path else out / f"{name}.html"
        assert target.is_file(), href
        if parts.fragment and target.suffix == ".html":
            ids = parse(target).ids
            assert parts.fragment in ids or unquote(parts.fragment) in ids, href
    assert "strategy_1.html" not in hrefs  # not in this run


def test_checks_report_has_every_finding_in_full(run, capsys):
    _, out = run
    plan_dir = out.parent / "plan"
    assert main(["check", str(plan_dir), "--format", "json"]) in (0, 1)
    findings = json.loads(capsys.readouterr().out)
    page = parse(out / "checks.html")
    visible = page.visible
    from types import SimpleNamespace

    from coopanalysis.present.text import reader_message

    for f in findings:  # as a reader reads it (a correction's reason in Thai, the ingest report placed)
        assert " ".join(reader_message(SimpleNamespace(**f)).split()) in visible, f["message"][:80]
    # the figures of strategy 5 (document: printed 125, detail 158, 33 more)
    text = plain_words((out / "checks.html").read_text(encoding="utf-8"))
    row = re.search(r'<tr[^>]*id="finding-strategy_total-strategy-5"[^>]*>(.*?)</tr>', text, flags=re.S)
    assert row, "no anchor for the strategy 5 total"
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1))
    assert cells[0] == "ผิดพลาด" and "125" in cells and "158" in cells and "+33" in cells
    assert "…" not in visible
    # errors come first within the strategy 5 group
    group = text[text.index('id="strategy-5"'):]
    group = group[: group.index("</section>")]
    severities = re.findall(r'<tr class="f-(error|warning|info)"', group)
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    # correction reasons in Thai; the reviewer's English stays in the data files
    assert "จุดทศนิยมตกหล่น: โครงการ 6.1 ปีงบประมาณ 2562 เอกสารพิมพ์ 15 ใช้ 1.5" in visible
    assert "Lost decimal point" not in visible


def test_strategy_report_links_its_findings(run):
    _, out = run
    text = plain_words((out / "strategy_5.html").read_text(encoding="utf-8"))
    checks_ids = parse(out / "checks.html").ids
    anchors = re.findall(r'href="checks\.html#([^"]+)"', text)
    assert "strategy-5" in anchors and "finding-strategy_total-strategy-5" in anchors
    assert set(anchors) <= checks_ids
    visible = parse(out / "strategy_5.html").visible
    assert "งบประมาณรวมตามเอกสาร (ล้านบาท) 125" in visible and "+33 (ไม่ตรงกัน)" in visible


def test_index_is_a_dashboard(run):
    _, out = run
    text = plain_words((out / "index.html").read_text(encoding="utf-8"))
    visible = parse(out / "index.html").visible
    # like with like: the document's strategies 5, 6, 8 print 125 + 20 + 121 = 266 and their
    # project detail adds up to 158 + 20 + 161 = 339
    assert "ตามเอกสาร 266 ล้านบาท · จากรายโครงการ 339 ล้านบาท · ผลต่าง +73 ล้านบาท" in visible
    assert "ยุทธศาสตร์ที่ 2: ไม่ปรากฏในเอกสาร" in visible
    assert "427.5" not in visible
    # findings apart from the run status: strategy 5 has 10 errors, in red, linked to its group
    assert '<a class="sev-error" href="checks.html#strategy-5">ผิดพลาด 10</a>' in text
    assert "ล้มเหลว" not in visible and "สำเร็จ (ok)" not in visible
    # Buddhist-era date, full names
    assert re.search(r"สร้างเมื่อ \d{1,2} \S+ 25\d\d เวลา", visible)
    assert "…" not in visible
    assert "ยุทธศาสตร์ที่ 6 สนับสนุนการพัฒนาระบบรักษาเสถียรภาพของสหกรณ์" in visible


def test_index_lists_failures_and_is_written_atomically(tmp_path, monkeypatch):
    from coopanalysis.report import index
    from coopanalysis.report.jobs import Outcome

    ok = Outcome(name="overview", notebook="overview.ipynb", ipynb=str(tmp_path / "overview.ipynb"), html=None,
                 title="ภาพรวมแผน")
    failed = Outcome(name="strategy_5", notebook="node_report.ipynb", ipynb=str(tmp_path / "strategy_5.ipynb"),
                     ok=False, cell_index=3, exec_count=4, ename="ZeroDivisionError", evalue="division by zero")
    index.write_index([ok, failed], tmp_path, plan_title="แผน")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "ล้มเหลว 1 จาก 2 รายงาน" in plain_words(page) and "ZeroDivisionError: division by zero" in page
    # a failure while writing leaves the previous index whole and no temporary file behind
    import os

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        index.write_index([ok], tmp_path, plan_title="แผนใหม่")
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


@pytest.mark.parametrize("notebook, extra", [("node_report", {"strategy_id": "5"}), ("checks", {}), ("overview", {})])
def test_one_digit_system_with_thai_digits(tmp_path, notebook, extra):
    import papermill

    from coopanalysis.report.export import make_exporter

    nb = papermill.execute_notebook(
        str(paths.NOTEBOOKS / f"{notebook}.ipynb"), str(tmp_path / "out.ipynb"),
        parameters={"source": str(paths.PLAN_DIR), "output_dir": "", "thai_digits": True, **extra},
        kernel_name=paths.KERNEL_NAME, progress_bar=False,
    )
    body, _ = make_exporter().from_notebook_node(nb, resources={"metadata": {"name": notebook}})
    (tmp_path / "page.html").write_text(body, encoding="utf-8")
    visible = parse(tmp_path / "page.html").visible
    assert re.search("[๐-๙]", visible)
    assert not re.findall(r".{0,20}[0-9].{0,20}", visible)


def test_navigation_completed_and_links_outside_the_run_removed():
    from coopanalysis.present.page import NAV_END, NAV_START, default_nav
    from coopanalysis.report.index import fill_navigation

    page = (f"<body>{NAV_START}{default_nav()}{NAV_END}<main><p>ดู <a href=\"units.html\">หน่วยงาน</a>"
            f" และ <a href=\"checks.html#strategy-5\">ข้อตรวจพบ</a> <a href=\"https://example.org\">x</a></p></main>")
    pages = [("index.html", "สารบัญรายงาน", ""), ("checks.html", "ผลการตรวจสอบ", ""),
             ("strategy_5.html", "ยุทธศาสตร์ที่ 5", "ยุทธศาสตร์ที่ 5 การพัฒนา")]
    raw = fill_navigation(page, pages, "strategy_5.html", {"index", "checks", "strategy_5"})
    out = plain_words(raw)
    assert '<a href="index.html">สารบัญรายงาน</a>' in out and '<a href="checks.html">ผลการตรวจสอบ</a>' in out
    assert '<span aria-current="page" title="ยุทธศาสตร์ที่ 5 การพัฒนา">ยุทธศาสตร์ที่ 5</span>' in out
    assert "units.html" not in out and "<span>หน่วยงาน</span>" in out  # units was not part of this run
    assert '<a href="checks.html#strategy-5">ข้อตรวจพบ</a>' in out
    assert fill_navigation(raw, pages, "strategy_5.html", {"index", "checks", "strategy_5"}) == raw  # idempotent


def test_index_links_the_plan_workbook_when_the_run_wrote_one(tmp_path):
    from coopanalysis.report.index import render_index

    assert "plan.xlsx" not in render_index([], tmp_path)
    (tmp_path / "plan.xlsx").write_bytes(b"PK")
    assert '<a href="plan.xlsx" download>plan.xlsx</a>' in render_index([], tmp_path)
