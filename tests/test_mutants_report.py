"""The report index (``report/index.py``) as a reader meets it, for the planted bugs
(``make mutants``) the row-by-row tests of ``tests/test_report_index.py`` let through: the
navigation header of every page of a run (what a phone reader taps), the download links and
their labels, the budget table's totals row, the failure column, the workbook link, the page
skeleton, escaping of document text, the date, the summary handed over by a notebook and the
file ``write_index`` leaves. Pages are rendered from hand-made outcomes and read with
``html.parser``; every expected text is typed here.
"""

from __future__ import annotations

import sys
import types
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report_index import outcome, plan_run, shown  # tests/test_report_index.py

from coopanalysis.present.css import REPORT_CSS
from coopanalysis.present.page import NAV_END, NAV_START, default_nav
from coopanalysis.report.index import (
    complete_navigation,
    render_index,
    show_summary,
    summary_payload,
    write_index,
)

FONT = "@font-face { font-family: stub-of-the-embedded-font; }"


@pytest.fixture(autouse=True)
def no_font_subsetting(monkeypatch):
    """The embedded font is another module's (tests/test_report_html.py); subsetting it takes
    seconds a render, and each planted bug reruns these tests. Where it goes is tested here."""
    monkeypatch.setattr("coopanalysis.present.font.font_face_css", lambda text: FONT)


# ---- a small tree of the page -----------------------------------------------------------------

_VOID = {"meta", "br", "img", "link", "input", "hr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else c.text() for c in self.children).split())

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and (cls is None or cls in c.attrs.get("class", "").split()):
                    out.append(c)
                out += c.all(tag, cls)
        return out

    def first(self, tag: str, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert found, (tag, cls)
        return found[0]


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.at = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.at)
        self.at.children.append(node)
        if tag not in _VOID:
            self.at = node

    def handle_endtag(self, tag):
        at = self.at
        while at is not None and at.tag != tag:
            at = at.parent
        if at is not None and at.parent is not None:
            self.at = at.parent

    def handle_data(self, data):
        if self.at.tag not in ("style", "script"):
            self.at.children.append(data)


def tree(page: str) -> Node:
    parser = _Tree()
    parser.feed(page)
    parser.close()
    return parser.root


def nav_entries(page: str) -> list[tuple]:
    """The navigation header: (href or None when shown unlinked, label, title, current?)."""
    out = []
    for li in tree(page).first("nav").all("li"):
        item = next(c for c in li.children if isinstance(c, Node))
        out.append((item.attrs.get("href"), item.text(), item.attrs.get("title", ""),
                    item.attrs.get("aria-current") == "page"))
    return out


def body_rows(page: str) -> list[list[str]]:
    """The table's rows, cell by cell; text between the cells (a browser shows it above the
    table) fails."""
    rows = tree(page).first("tbody").all("tr")
    assert all(not c.strip() for tr in rows for c in tr.children if isinstance(c, str))
    return [[cell.text() for cell in tr.children if isinstance(cell, Node)] for tr in rows]


# ---- the navigation of a run ------------------------------------------------------------------


def page_with_nav(thai: bool = False) -> str:
    """A report page as the exporter writes it: the navigation names the index only; the body
    links to a strategy that failed, one that was written, the units report (not run) and a
    page that is not a report."""
    return (f"<html><body>{NAV_START}{default_nav('', thai)}{NAV_END}<main>"
            '<p><a href="strategy_3.html#s3">สาม</a> <a class="x" href="strategy_2.html">สอง</a> '
            '<a href="units.html">หน่วย</a> <a href="notes.html">บันทึก</a> <a href="checks.html#plan-wide">ตรวจ</a>'
            "</p></main></body></html>")


def nav_run(out: Path, thai: bool = False) -> list:
    run = [outcome(out, "overview", {"text": "ภาพรวม", "thai_digits": thai}),
           outcome(out, "checks", {"text": "ข้อตรวจพบ"}),
           outcome(out, "strategy_2", {"text": "สอง", "name": "การพัฒนาสหกรณ์ ปี 2567"}),
           outcome(out, "strategy_3", ok=False, ename="KeyError", evalue="x"),
           outcome(out, "strategy_4", {"text": "สี่", "label": "ยุทธ์ 4"}, title="ชื่อจากสมุดบันทึก")]
    for o in run:
        if o.ok:
            Path(o.html).write_text(page_with_nav(thai), encoding="utf-8")
    return run


def test_every_page_of_the_run_gets_the_same_navigation_with_itself_unlinked(tmp_path):
    run = nav_run(tmp_path) + [outcome(tmp_path, "units")]  # no summary: its title from the report's name
    (tmp_path / "units.html").unlink()  # reported written, but gone: left alone
    complete_navigation(run)
    assert not (tmp_path / "units.html").exists()
    overview = (tmp_path / "overview.html").read_text(encoding="utf-8")
    assert nav_entries(overview) == [
        ("index.html", "สารบัญรายงาน", "", False),
        (None, "ภาพรวมแผน", "", True),
        ("checks.html", "ผลการตรวจสอบ", "", False),
        ("strategy_2.html", "ยุทธศาสตร์ที่ 2", "การพัฒนาสหกรณ์ ปี 2567", False),
        ("strategy_4.html", "ยุทธ์ 4", "ชื่อจากสมุดบันทึก", False),
        ("units.html", "หน่วยงานรับผิดชอบ", "", False),
    ]  # strategy_3 failed: no page, no entry
    four = nav_entries((tmp_path / "strategy_4.html").read_text(encoding="utf-8"))
    assert [(href, current) for href, _, _, current in four] == [
        ("index.html", False), ("overview.html", False), ("checks.html", False), ("strategy_2.html", False),
        (None, True), ("units.html", False)]


def test_links_to_reports_outside_the_run_become_plain_text(tmp_path):
    complete_navigation(nav_run(tmp_path))
    page = (tmp_path / "checks.html").read_text(encoding="utf-8")
    main = tree(page).first("main")
    links = [(a.attrs["href"], a.text()) for a in main.all("a")]
    assert links == [("strategy_2.html", "สอง"), ("notes.html", "บันทึก"), ("checks.html#plan-wide", "ตรวจ")]
    assert "<span>สาม</span>" in page and "<span>หน่วย</span>" in page  # failed, and not run
    # the checks report failed: its anchor in the other pages is plain text too
    run = nav_run(tmp_path)
    run[1] = outcome(tmp_path, "checks", ok=False, ename="E")
    complete_navigation(run)
    page = (tmp_path / "overview.html").read_text(encoding="utf-8")
    assert [a.attrs["href"] for a in tree(page).first("main").all("a")] == ["strategy_2.html", "notes.html"]
    assert "<span>ตรวจ</span>" in page


def test_navigation_in_thai_digits_on_a_thai_digit_page(tmp_path):
    run = nav_run(tmp_path, thai=True)
    complete_navigation(run)
    page = (tmp_path / "checks.html").read_text(encoding="utf-8")
    assert '<nav data-digits="thai"' in page  # the next completion still knows the page's digits
    assert nav_entries(page)[3] == ("strategy_2.html", "ยุทธศาสตร์ที่ ๒", "การพัฒนาสหกรณ์ ปี ๒๕๖๗", False)
    assert nav_entries(page)[4][1] == "ยุทธ์ ๔"
    # completed twice (a second index over the same run): one header, still in Thai digits
    complete_navigation(run)
    again = (tmp_path / "checks.html").read_text(encoding="utf-8")
    assert again.count("<nav") == 1 and nav_entries(again)[3][1] == "ยุทธศาสตร์ที่ ๒"


def test_an_arabic_digit_page_of_a_thai_digit_run_shows_arabic_labels(tmp_path):
    run = nav_run(tmp_path, thai=True)
    Path(run[1].html).write_text(page_with_nav(thai=False), encoding="utf-8")
    complete_navigation(run)
    page = (tmp_path / "checks.html").read_text(encoding="utf-8")
    assert 'data-digits="thai"' not in page and nav_entries(page)[3][1] == "ยุทธศาสตร์ที่ 2"


def test_the_index_navigation_and_the_pages_completed_by_render_index(tmp_path):
    page = render_index(nav_run(tmp_path), tmp_path, generated="x")
    assert nav_entries(page)[:2] == [(None, "สารบัญรายงาน", "", True), ("overview.html", "ภาพรวมแผน", "", False)]
    assert [e[0] for e in nav_entries(page)[2:]] == ["checks.html", "strategy_2.html", "strategy_4.html"]
    # a row is titled by the summary's name, else the job's title, else the report's name
    assert [r[0] for r in body_rows(page)] == ["ภาพรวมแผน", "ผลการตรวจสอบ", "การพัฒนาสหกรณ์ ปี 2567", "strategy_3",
                                               "ชื่อจากสมุดบันทึก"]
    written = (tmp_path / "strategy_2.html").read_text(encoding="utf-8")
    assert [e[0] for e in nav_entries(written)] == ["index.html", "overview.html", "checks.html", None,
                                                    "strategy_4.html"]
    # navigation=False leaves the pages as they were
    (tmp_path / "again").mkdir()
    run = nav_run(tmp_path / "again")
    render_index(run, tmp_path / "again", generated="x", navigation=False)
    assert (tmp_path / "again" / "strategy_2.html").read_text(encoding="utf-8") == page_with_nav()


def test_pages_are_read_as_utf8_whatever_the_locale(tmp_path):
    """A Windows or C locale reads a page in another encoding: the Thai header would turn to
    mojibake (or the run would stop) when the index completes it."""
    import os
    import subprocess

    run = nav_run(tmp_path)
    complete_navigation(run)  # in this process too
    script = ("import pickle, sys; from coopanalysis.report.index import complete_navigation;"
              " complete_navigation(pickle.loads(sys.stdin.buffer.read()))")
    import pickle

    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    done = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(run), env=env, cwd=os.getcwd(),
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-500:]
    assert nav_entries((tmp_path / "checks.html").read_text(encoding="utf-8"))[1] == (
        "overview.html", "ภาพรวมแผน", "", False)


# ---- write_index ------------------------------------------------------------------------------


def test_write_index_writes_only_the_index_and_completes_the_pages(tmp_path):
    run = nav_run(tmp_path)
    (tmp_path / "index.html").write_text("an index of an earlier run", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    path = write_index(run, tmp_path, "แผนทดสอบ")
    assert path == tmp_path / "index.html"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left behind
    text = shown(path.read_text(encoding="utf-8"))
    assert "แผนทดสอบ" in text and "an index of an earlier run" not in text
    assert "ล้มเหลว 1 จาก 5 รายงาน" in text
    assert nav_entries((tmp_path / "checks.html").read_text(encoding="utf-8"))[2] == (
        None, "ผลการตรวจสอบ", "", True)


# ---- the summary a notebook hands over --------------------------------------------------------


def test_summary_payload_is_what_the_runner_reads():
    assert summary_payload(5, findings=2, strategy_id="5") == {
        "coopanalysis": {"summary": {"text": "5", "findings": 2, "strategy_id": "5"}}}


def test_show_summary_displays_plain_text_with_the_payload(monkeypatch):
    shown_calls = []
    fake = types.ModuleType("IPython.display")
    fake.display = lambda *args, **kw: shown_calls.append((args, kw))
    monkeypatch.setitem(sys.modules, "IPython.display", fake)
    show_summary("ยุทธศาสตร์ที่ 5: 3 โครงการ", findings=3)
    assert shown_calls == [(({"text/plain": "ยุทธศาสตร์ที่ 5: 3 โครงการ"},),
                            {"raw": True, "metadata": {"coopanalysis": {"summary": {
                                "text": "ยุทธศาสตร์ที่ 5: 3 โครงการ", "findings": 3}}}})]


# ---- what each row says -------------------------------------------------------------------------


def test_download_links_and_their_labels(tmp_path):
    run = plan_run(tmp_path)
    for name in ("strategy_1_projects.xlsx", "strategy_1_findings.csv", "strategy_1_allocation_tactic.csv",
                 "strategy_1_notes.csv", "strategy_1_policies.xlsx", "strategy_10_years.csv",
                 "overview_equal_by_year.csv", "overview_categories.xlsx", "strategy_1.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    page = render_index(run, tmp_path, generated="x", navigation=False)
    rows = {tr.all("td")[0].text(): tr.all("td")[-1] for tr in tree(page).first("tbody").all("tr")}
    one = [(a.attrs["href"], a.attrs["title"], a.text()) for a in rows["ยุทธศาสตร์หนึ่ง"].all("a")]
    assert one == [("strategy_1_allocation_tactic.csv", "strategy_1_allocation_tactic.csv", "ตามระดับถัดไป (CSV)"),
                   ("strategy_1_findings.csv", "strategy_1_findings.csv", "ข้อตรวจพบทั้งหมด (CSV)"),
                   ("strategy_1_notes.csv", "strategy_1_notes.csv", "notes (CSV)"),
                   ("strategy_1_policies.xlsx", "strategy_1_policies.xlsx", "ยอดตามวิธีแบ่ง (Excel)"),
                   ("strategy_1_projects.xlsx", "strategy_1_projects.xlsx", "ตารางโครงการ (Excel)")]
    assert rows["ยุทธศาสตร์หนึ่ง"].text() == ("ตามระดับถัดไป (CSV) · ข้อตรวจพบทั้งหมด (CSV) · notes (CSV) · "
                                            "ยอดตามวิธีแบ่ง (Excel) · ตารางโครงการ (Excel)")
    assert rows["ยุทธศาสตร์สิบ"].text() == "รายปี (CSV)"
    assert rows["ภาพรวมแผน"].text() == "ตามงบรายจ่าย (Excel) · รายปี (แบ่งเท่ากัน) (CSV)"  # by file name
    assert rows["ยุทธศาสตร์สาม"].text() == ""


def test_a_download_whose_name_has_quotes_keeps_its_link_whole(tmp_path):
    (tmp_path / 'strategy_1_a"b<c.csv').write_text("x", encoding="utf-8")
    page = render_index(plan_run(tmp_path), tmp_path, generated="x", navigation=False)
    (link,) = [a for a in tree(page).first("tbody").all("a") if a.text().endswith("(CSV)")]
    assert link.attrs == {"href": 'strategy_1_a"b<c.csv', "title": 'strategy_1_a"b<c.csv'}
    assert link.text() == 'a"b<c (CSV)'


def test_a_summary_without_text(tmp_path):
    run = plan_run(tmp_path)
    run[2].summary["text"] = None
    rows = {r[0]: r for r in body_rows(render_index(run, tmp_path, generated="x", navigation=False))}
    assert rows["ยุทธศาสตร์สิบ"][1] == "ไม่มีสรุป"


def test_a_budget_node_lists_the_tables_in_its_own_folder(tmp_path):
    run = [outcome(tmp_path, "agency_1", {"text": "กรมหนึ่ง", "name": "กรมหนึ่ง", "total_mb": 1})]
    folder = tmp_path / "downloads" / "agency_1"
    folder.mkdir(parents=True)
    for name in ("agency_1_years.csv", "items.csv", "agency_1_categories.xlsx"):
        (folder / name).write_text("x", encoding="utf-8")
    (tmp_path / "agency_1_findings.csv").write_text("x", encoding="utf-8")
    page = render_index(run, tmp_path, generated="x", navigation=False)
    cell = tree(page).first("tbody").first("tr").all("td")[-1]
    assert [(a.attrs["href"], a.text()) for a in cell.all("a")] == [
        ("agency_1_findings.csv", "ข้อตรวจพบทั้งหมด (CSV)"),
        ("downloads/agency_1/agency_1_years.csv", "รายปี (CSV)"),
        ("downloads/agency_1/items.csv", "items (CSV)")]  # the folder's CSV tables only


def test_each_row_links_to_its_page_and_says_what_it_found(tmp_path):
    run = plan_run(tmp_path)
    run.append(outcome(tmp_path, "units", {"findings": 3, "findings_error": 3}))  # no findings column, no text
    run[2].summary["findings_href"] = "checks.html#s-10"
    del run[4].summary["strategy_id"]
    page = render_index(run, tmp_path, generated="x", navigation=False)
    rows = {tr.all("td")[0].text(): tr for tr in tree(page).first("tbody").all("tr")}
    assert rows["ยุทธศาสตร์สิบ"].first("a").attrs["href"] == "strategy_10.html"
    assert rows["หน่วยงานรับผิดชอบ"].all("td")[1].text() == "ไม่มีสรุป"
    assert rows["หน่วยงานรับผิดชอบ"].all("td")[2].text() == ""
    assert rows["ภาพรวมแผน"].all("td")[2].text() == ""
    errors = {name: [a.attrs["href"] for a in rows[name].all("td")[2].all("a")] for name in rows}
    assert errors["ยุทธศาสตร์สิบ"] == ["checks.html#s-10"]
    assert errors["ยุทธศาสตร์หนึ่ง"] == ["checks.html"]  # no strategy id: the checks report itself
    assert errors["ผลการตรวจสอบ"] == ["checks.html"]
    assert rows["ผลการตรวจสอบ"].all("td")[2].text() == "ผิดพลาด 2 · คำเตือน 2"
    assert rows["ทั้งแผนและทั้งเอกสาร"].all("td")[2].text() == "คำเตือน 1"
    assert errors["ทั้งแผนและทั้งเอกสาร"] == []
    assert rows["ทั้งแผนและทั้งเอกสาร"].all("td")[1].text() == (
        "ข้อตรวจพบที่ไม่ได้เป็นของยุทธศาสตร์ใด (อยู่ในรายงานผลการตรวจสอบ)")


def test_plan_wide_and_missing_rows_link_their_errors_to_the_checks_report(tmp_path):
    run = plan_run(tmp_path)
    run[1].summary["groups"] = {"plan-wide": {"findings": 2, "findings_error": 2},
                                "strategy-2": {"findings": 1, "findings_error": 1},
                                "strategy-5": {"findings": 0}}
    run[1].summary["groups"]["strategy-6"] = {"findings": 1, "findings_warning": 1}
    run[0].summary["missing"] = ["2", "5", "6"]
    page = render_index(run, tmp_path, generated="x", navigation=False)
    rows = {tr.all("td")[0].text(): tr for tr in tree(page).first("tbody").all("tr")}
    assert [a.attrs["href"] for a in rows["ทั้งแผนและทั้งเอกสาร"].all("a")] == ["checks.html#plan-wide"]
    assert [a.attrs["href"] for a in rows["ยุทธศาสตร์ที่ 2"].all("a")] == ["checks.html#strategy-2"]
    assert rows["ยุทธศาสตร์ที่ 2"].all("td")[2].text() == "ผิดพลาด 1"
    assert rows["ยุทธศาสตร์ที่ 5"].all("td")[2].text() == ""  # missing, and nothing found about it
    assert rows["ยุทธศาสตร์ที่ 6"].all("td")[2].text() == "คำเตือน 1" and rows["ยุทธศาสตร์ที่ 6"].all("a") == []
    # no plan-wide findings: no plan-wide row; no checks report: the missing rows stay, without counts
    run[1].summary["groups"] = {"plan-wide": {"findings": 0}}
    names = [r[0] for r in body_rows(render_index(run, tmp_path, generated="x", navigation=False))]
    assert "ทั้งแผนและทั้งเอกสาร" not in names and "ยุทธศาสตร์ที่ 5" in names
    run[1] = outcome(tmp_path, "checks", run[1].summary, ok=False, ename="E")  # failed: its counts are not shown
    rows = body_rows(render_index(run, tmp_path, generated="x", navigation=False))
    assert [r[2] for r in rows if r[0].startswith("ยุทธศาสตร์ที่")] == ["", "", ""]
    del run[1]
    rows = body_rows(render_index(run, tmp_path, generated="x", navigation=False))
    assert [r[2] for r in rows if r[0].startswith("ยุทธศาสตร์ที่")] == ["", "", ""]


def test_the_rows_of_missing_strategies_and_plan_wide_findings_in_thai_digits(tmp_path):
    rows = {r[0]: r for r in body_rows(render_index(plan_run(tmp_path, thai=True), tmp_path, generated="x",
                                                    navigation=False))}
    assert rows["ยุทธศาสตร์ที่ ๒"][2] == "คำเตือน ๑" and rows["ทั้งแผนและทั้งเอกสาร"][2] == "คำเตือน ๑"


def test_plan_pages_stay_in_run_order_before_the_plan_wide_row(tmp_path):
    run = plan_run(tmp_path)
    run = [run[1], run[4], outcome(tmp_path, "units", {"text": "หน่วย"}), run[0]]
    names = [r[0] for r in body_rows(render_index(run, tmp_path, generated="x", navigation=False))]
    assert names == ["ผลการตรวจสอบ", "หน่วยงานรับผิดชอบ", "ภาพรวมแผน", "ทั้งแผนและทั้งเอกสาร", "ยุทธศาสตร์หนึ่ง",
                     "ยุทธศาสตร์ที่ 2"]


# ---- the failure column, the totals row and the panel ----------------------------------------------


def test_a_failure_adds_one_column_to_every_row(tmp_path):
    run = plan_run(tmp_path)
    ipynb = tmp_path / "strategy_3.ipynb"
    ipynb.write_text("{}", encoding="utf-8")
    run[3] = outcome(tmp_path, "strategy_3", ok=False, cell_index=2, ename="ValueError", evalue="bad")
    page = render_index(run, tmp_path, generated="x", navigation=False)
    header = [th.text() for th in tree(page).first("thead").all("th")]
    assert header == ["รายงาน", "สรุป", "ข้อตรวจพบ", "การสร้างรายงาน", "ดาวน์โหลด"]
    rows = body_rows(page)
    assert {len(r) for r in rows} == {5}  # the plan-wide and the missing strategy's rows too
    failed = next(r for r in rows if r[0] == "strategy_3")
    assert failed[3] == "ล้มเหลว" and failed[4] == "ipynb"
    assert failed[1] == f"strategy_3.ipynb (strategy_3): cell 2: ValueError: bad; executed notebook kept: {ipynb}"
    link = [a for a in tree(page).first("tbody").all("a") if a.text() == "ipynb"]
    assert [a.attrs["href"] for a in link] == ["strategy_3.ipynb"]
    assert [r[3] for r in rows if r[0] != "strategy_3"] == [""] * 6
    assert [li.text() for li in tree(page).first("section", "failures").all("li")] == [failed[1]]
    assert {len(r) for r in body_rows(render_index(plan_run(tmp_path), tmp_path, generated="x",
                                                   navigation=False))} == {4}


def test_a_failed_report_without_its_executed_notebook_has_no_ipynb_link(tmp_path):
    run = plan_run(tmp_path)
    run[3] = outcome(tmp_path, "strategy_3", ok=False, ename="WorkerDied", evalue="")
    rows = body_rows(render_index(run, tmp_path, generated="x", navigation=False))
    failed = next(r for r in rows if r[0] == "strategy_3")
    assert failed[1] == "strategy_3.ipynb (strategy_3): before or outside any cell: WorkerDied; no executed notebook"
    assert failed[4] == ""


def test_failures_counted_in_thai_digits(tmp_path):
    run = plan_run(tmp_path, thai=True)
    run[3] = outcome(tmp_path, "strategy_3", ok=False, ename="E")
    text = shown(render_index(run, tmp_path, generated="x", navigation=False))
    assert "ล้มเหลว ๑ จาก ๕ รายงาน" in text


def budget_run(out: Path, thai: bool = False) -> list:
    node = {"findings": 1, "thai_digits": thai, "plan_title": "ร่างงบ 2570"}
    return [outcome(out, "agency_1", {**node, "text": "ก", "name": "กรม 1", "total_mb": 1000.5,
                                      "findings_error": 2, "findings_warning": 0}),
            outcome(out, "agency_2", {**node, "text": "ข", "name": "กรม 2", "total_mb": 0.25,
                                      "findings_error": 0, "findings_warning": 0}),
            outcome(out, "agency_3", {**node, "text": "ค", "name": "กรม 3", "total_mb": 7, "findings_error": 5},
                    ok=False, ename="E")]  # failed after handing over its summary


def test_budget_totals_row_without_other_years(tmp_path):
    page = render_index(budget_run(tmp_path), tmp_path, generated="x", navigation=False)
    (row,) = tree(page).first("tfoot").all("tr")
    assert row.first("th").attrs == {"scope": "row", "class": "text"}
    assert [c.text() for c in row.children if isinstance(c, Node)] == [
        "รวม", "รวม 2 หน่วย: งบประมาณปีนี้ 1,000.75 ล้านบาท", "ผิดพลาด 2", "", ""]  # the failed node not counted
    assert tree(page).first("p", "plan-title").text() == "ร่างงบ 2570"


def test_budget_totals_row_with_other_years_and_warnings(tmp_path):
    # (the digits of a budget run's index follow no node: an overview decides them, and a budget
    # run has none; see the report)
    run = budget_run(tmp_path)[:2]
    run[1].summary.update(other_years_mb=12, findings_warning=3)
    page = render_index(run, tmp_path, generated="x", navigation=False)
    cells = [c.text() for c in tree(page).first("tfoot").first("tr").children if isinstance(c, Node)]
    assert cells == ["รวม", "รวม 2 หน่วย: งบประมาณปีนี้ 1,000.75 ล้านบาท · ภาระผูกพันของปีอื่น 12 ล้านบาท (นับแยก)",
                     "ผิดพลาด 2 · คำเตือน 3", ""]


def test_a_plan_run_has_no_budget_totals_row_and_keeps_its_title(tmp_path):
    run = plan_run(tmp_path)
    run[2].summary.update(total_mb=5, plan_title="ไม่ใช่ชื่อนี้")
    page = render_index(run, tmp_path, "แผนของผู้ใช้", generated="x", navigation=False)
    assert tree(page).first("tfoot").all("tr") == [] and tree(page).first("tfoot").text() == ""
    assert tree(page).first("p", "plan-title").text() == "แผนของผู้ใช้"
    assert tree(render_index([], tmp_path, generated="x", navigation=False)).first("tfoot").all("tr") == []


def test_totals_panel_with_a_smaller_detail_and_strategies_without_a_printed_total(tmp_path):
    run = plan_run(tmp_path)
    run[0].summary.update(stated_mb=200, computed_mb=183.25, no_printed=[4, 9], no_detail=[], missing=[])
    panel = tree(render_index(run, tmp_path, generated="x", navigation=False)).first("section", "totals")
    assert panel.first("h2").text() == "ยอดรวมของแผน เทียบแบบเดียวกัน"
    assert [li.text() for li in panel.all("li")] == [
        "ยุทธศาสตร์ที่ 1, 10 (มีทั้งงบรวมตามเอกสารและรายละเอียดโครงการ): ตามเอกสาร 200 ล้านบาท · "
        "จากรายโครงการ 183.25 ล้านบาท · ผลต่าง -16.75 ล้านบาท",
        "ยุทธศาสตร์ที่ 4, 9: หน้าสรุปไม่พิมพ์งบรวม จึงไม่นำมาเทียบ"]
    run[0].summary.update(stated_mb=183.25)
    panel = tree(render_index(run, tmp_path, generated="x", navigation=False)).first("section", "totals")
    assert panel.all("li")[0].text().endswith("ผลต่าง 0 ล้านบาท")


def test_totals_panel_only_from_an_overview_that_compared(tmp_path):
    run = plan_run(tmp_path)
    run[0].summary.update(stated_mb=None)
    panel = tree(render_index(run, tmp_path, generated="x", navigation=False)).first("section", "totals")
    assert [li.text() for li in panel.all("li")] == ["ยุทธศาสตร์ที่ 7: ไม่มีรายละเอียดโครงการ จึงไม่นำมาเทียบ",
                                                     "ยุทธศาสตร์ที่ 2: ไม่ปรากฏในเอกสาร"]
    run[0].summary.update(compared=[])
    assert tree(render_index(run, tmp_path, generated="x", navigation=False)).all("section", "totals") == []
    run = plan_run(tmp_path)
    run[0] = outcome(tmp_path, "overview", run[0].summary, ok=False, ename="E")  # failed after its summary
    assert tree(render_index(run, tmp_path, generated="x", navigation=False)).all("section", "totals") == []


# ---- the page around the table ----------------------------------------------------------------------


def test_the_workbook_link(tmp_path):
    page = render_index(plan_run(tmp_path), tmp_path, generated="x", navigation=False)
    assert "plan.xlsx" not in page
    assert [c.strip() for c in tree(page).first("main").children if isinstance(c, str) and c.strip()] == []
    (tmp_path / "plan.xlsx").write_bytes(b"x")
    p = tree(render_index(plan_run(tmp_path), tmp_path, generated="x", navigation=False)).first("p", "downloads")
    assert p.text() == "ข้อมูลทั้งแผนเป็นสมุดงาน Excel: plan.xlsx"
    assert p.first("a").attrs == {"href": "plan.xlsx", "download": ""}
    p = tree(render_index(budget_run(tmp_path), tmp_path, generated="x", navigation=False)).first("p", "downloads")
    assert p.text() == "ข้อมูลทั้งชุดเป็นสมุดงาน Excel: plan.xlsx"


def test_page_skeleton_a_phone_reader_relies_on(tmp_path):
    page = render_index(plan_run(tmp_path), tmp_path, generated="x", navigation=False)
    root = tree(page)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"th\">")
    assert page.index("<style>") < page.index(FONT) < page.index(".table-wrap") < page.index("</style>")
    assert {"charset": "utf-8"} in [m.attrs for m in root.all("meta")]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in [m.attrs for m in root.all("meta")]
    assert root.first("title").text() == "รายงานแผนปฏิบัติการ — สารบัญรายงาน"
    header = root.first("header", "report-heading")
    assert header.first("h1").text() == "สารบัญรายงาน"
    assert header.first("p", "plan-title").text() == "รายงานแผนปฏิบัติการ"
    assert header.first("p", "meta").text() == "สร้างเมื่อ x · หน่วย: ล้านบาท"
    # the wide table scrolls inside its own box on a narrow screen
    wrap = root.first("main").first("div", "table-wrap")
    assert wrap.first("table").attrs["class"] == "reading index"
    assert [h.text() for h in root.first("main").all("h2")][-1] == "รายงาน"
    assert [th.attrs.get("scope") for th in root.first("thead").all("th")] == ["col"] * 4
    assert root.first("main").all("p", "muted")[0].text() == "รายงานทั้งหมด 5 ฉบับ สร้างสำเร็จทุกฉบับ"


def test_every_class_the_index_uses_is_styled_or_known_unstyled(tmp_path):
    """A class name the stylesheet does not know is a row a reader sees unstyled (a red error
    count in black, a wide table without its scroll box)."""
    import re

    run = plan_run(tmp_path)
    run[3] = outcome(tmp_path, "strategy_3", ok=False, ename="E")
    run[4].summary["text"] = ""  # "no summary", muted
    pages = [render_index(run, tmp_path, generated="x"), render_index(budget_run(tmp_path), tmp_path,
                                                                      generated="x")]
    used = {c for page in pages for node in tree(page).all() for c in node.attrs.get("class", "").split()}
    styled = {c for c in used if re.search(r"\." + re.escape(c) + r"(?![\w-])", REPORT_CSS)}
    # hooks for a reader's own stylesheet: no rule of ours
    assert used - styled <= {"failures", "totals", "plan-wide", "missing"}
    assert {"muted", "sev-error", "failed", "total", "table-wrap", "reading", "index", "text", "report-heading",
            "plan-title", "meta", "site"} <= used


def test_document_text_is_escaped_everywhere_it_enters(tmp_path):
    run = plan_run(tmp_path)
    run[2].summary.update(text='<b>สิบ & "สิบเอ็ด"</b>', name="<i>ยุทธศาสตร์</i> & 'สิบ'")
    run[3] = outcome(tmp_path, "strategy_3", ok=False, ename="ValueError", evalue="<script>alert(1)</script>")
    page = render_index(run, tmp_path, 'แผน <ทดสอบ> & "ปี"', generated="<เมื่อ>", navigation=False)
    assert "<b>" not in page and "<i>" not in page and "<script>" not in page and "<ทดสอบ>" not in page
    root = tree(page)
    assert root.first("title").text() == 'แผน <ทดสอบ> & "ปี" — สารบัญรายงาน'
    assert root.first("p", "meta").text() == "สร้างเมื่อ <เมื่อ> · หน่วย: ล้านบาท"
    rows = body_rows(page)
    ten = next(r for r in rows if r[1].startswith("<b>"))
    assert ten[:2] == ["<i>ยุทธศาสตร์</i> & 'สิบ'", '<b>สิบ & "สิบเอ็ด"</b>']
    assert any("ValueError: <script>alert(1)</script>" in r[1] for r in rows)


def test_the_date_of_the_run(tmp_path):
    page = render_index(plan_run(tmp_path), tmp_path, generated=datetime(2026, 12, 7, 9, 5), navigation=False)
    assert tree(page).first("p", "meta").text() == "สร้างเมื่อ 7 ธันวาคม 2569 เวลา 09:05 น. · หน่วย: ล้านบาท"
    thai = render_index(plan_run(tmp_path, thai=True), tmp_path, generated=datetime(2026, 12, 7, 9, 5),
                        navigation=False)
    assert tree(thai).first("p", "meta").text() == "สร้างเมื่อ ๗ ธันวาคม ๒๕๖๙ เวลา ๐๙:๐๕ น. · หน่วย: ล้านบาท"
    now = tree(render_index(plan_run(tmp_path), tmp_path, navigation=False)).first("p", "meta").text()
    assert f" {datetime.now().year + 543} เวลา " in now


@pytest.mark.parametrize("thai", [False, True])
def test_the_plan_title_in_the_page_digits(tmp_path, thai):
    page = render_index(plan_run(tmp_path, thai), tmp_path, "แผนปี 2566-2570", generated="x", navigation=False)
    expected = "แผนปี ๒๕๖๖-๒๕๗๐" if thai else "แผนปี 2566-2570"
    assert tree(page).first("p", "plan-title").text() == expected
    assert tree(page).first("title").text() == f"{expected} — สารบัญรายงาน"
