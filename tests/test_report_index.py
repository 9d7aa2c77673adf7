"""The index of a report run (``report/index.py``), rendered from hand-made outcomes without a
kernel: which rows a reader sees and in which order, what the totals say, failures, downloads,
Thai digits. Every expected text is typed here from the outcomes below.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from coopanalysis.report.index import fill_navigation, render_index
from coopanalysis.report.jobs import Outcome


def shown(html: str) -> str:
    """The text a reader sees, one line per table row (words may be wrapped in spans)."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    html = re.sub(r"</tr>|</p>|</li>|<br>", "\n", html)
    html = re.sub(r"</t[dh]>", " | ", html)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def outcome(out: Path, name: str, summary: dict | None = None, ok: bool = True, **more) -> Outcome:
    html = out / f"{name}.html"
    if ok:
        html.write_text("<html></html>", encoding="utf-8")
    return Outcome(name, f"/nb/{name}.ipynb", str(out / f"{name}.ipynb"), html=str(html) if ok else None, ok=ok,
                   summary=summary, **more)


def plan_run(out: Path, thai: bool = False) -> list[Outcome]:
    strategy = {"findings": 1, "findings_error": 1, "findings_warning": 0, "thai_digits": thai}
    return [
        outcome(out, "overview", {"text": "ภาพรวม", "thai_digits": thai, "compared": [1, 10], "stated_mb": 150.5,
                                  "computed_mb": 183.25, "missing": ["2"], "no_detail": [7]}),
        outcome(out, "checks", {"text": "ข้อตรวจพบ 4", "findings": 4, "findings_error": 2, "findings_warning": 2,
                                "thai_digits": thai,
                                "groups": {"plan-wide": {"findings": 1, "findings_error": 0, "findings_warning": 1},
                                           "strategy-2": {"findings": 1, "findings_error": 0,
                                                          "findings_warning": 1}}}),
        outcome(out, "strategy_10", {**strategy, "text": "สิบ", "strategy_id": "10", "name": "ยุทธศาสตร์สิบ"}),
        outcome(out, "strategy_3", {**strategy, "text": "สาม", "strategy_id": "3", "name": "ยุทธศาสตร์สาม",
                                    "findings_error": 0, "findings_warning": 0}),
        outcome(out, "strategy_1", {**strategy, "text": "หนึ่ง", "strategy_id": "1", "name": "ยุทธศาสตร์หนึ่ง"}),
    ]


def test_rows_in_reading_order_with_the_missing_strategy_and_plan_wide_findings(tmp_path):
    text = shown(render_index(plan_run(tmp_path), tmp_path, "แผนทดสอบ", generated="วันนี้", navigation=False))
    rows = [line.split(" | ")[0] for line in text.splitlines() if " | " in line][1:]  # after the header row
    # plan pages in run order, then the plan-wide findings, then strategies by number (10 after 3)
    assert rows == ["ภาพรวมแผน", "ผลการตรวจสอบ", "ทั้งแผนและทั้งเอกสาร", "ยุทธศาสตร์หนึ่ง", "ยุทธศาสตร์ที่ 2",
                    "ยุทธศาสตร์สาม", "ยุทธศาสตร์สิบ"]
    missing = next(line for line in text.splitlines() if line.startswith("ยุทธศาสตร์ที่ 2 |"))
    assert "ไม่ปรากฏในเอกสาร จึงไม่มีรายงาน" in missing and "คำเตือน 1" in missing
    three = next(line for line in text.splitlines() if line.startswith("ยุทธศาสตร์สาม |"))
    assert "ไม่มีข้อผิดพลาดหรือคำเตือน" in three
    assert "แผนทดสอบ" in text and "รายงานทั้งหมด 5 ฉบับ สร้างสำเร็จทุกฉบับ" in text and "สร้างเมื่อ วันนี้" in text


def test_totals_panel_compares_like_with_like(tmp_path):
    text = shown(render_index(plan_run(tmp_path), tmp_path, generated="x", navigation=False))
    assert ("ยุทธศาสตร์ที่ 1, 10 (มีทั้งงบรวมตามเอกสารและรายละเอียดโครงการ): ตามเอกสาร 150.5 ล้านบาท · "
            "จากรายโครงการ 183.25 ล้านบาท · ผลต่าง +32.75 ล้านบาท") in text
    assert "ยุทธศาสตร์ที่ 7: ไม่มีรายละเอียดโครงการ จึงไม่นำมาเทียบ" in text
    assert "ยุทธศาสตร์ที่ 2: ไม่ปรากฏในเอกสาร" in text


def test_thai_digits_reach_the_counts_and_totals(tmp_path):
    text = shown(render_index(plan_run(tmp_path, thai=True), tmp_path, generated="x", navigation=False))
    assert "รายงานทั้งหมด ๕ ฉบับ" in text and "ผลต่าง +๓๒.๗๕ ล้านบาท" in text and "ยุทธศาสตร์ที่ ๒" in text


def test_a_failed_report_is_named_with_its_cell_and_the_status_column_appears(tmp_path):
    run = plan_run(tmp_path)
    run[3] = outcome(tmp_path, "strategy_3", ok=False, cell_index=4, exec_count=6, ename="KeyError", evalue="'x'")
    page = render_index(run, tmp_path, generated="x", navigation=False)
    text = shown(page)
    assert "ล้มเหลว 1 จาก 5 รายงาน" in text and "การสร้างรายงาน" in text
    assert "KeyError: 'x'" in text and "strategy_3" in text
    assert 'href="strategy_3.html"' not in page  # no link to a page that was not written
    ok = render_index(plan_run(tmp_path), tmp_path, generated="x", navigation=False)
    assert "การสร้างรายงาน" not in shown(ok)


def test_budget_run_totals_row_and_downloads(tmp_path):
    agency = {"findings": 1, "thai_digits": False, "plan_title": "ร่างงบประมาณทดสอบ"}
    run = [outcome(tmp_path, "agency_1", {**agency, "text": "กรมหนึ่ง", "name": "กรมหนึ่ง", "total_mb": 1.5,
                                          "other_years_mb": 0.25, "findings_error": 1, "findings_warning": 0}),
           outcome(tmp_path, "agency_2", {**agency, "text": "กรมสอง", "name": "กรมสอง", "total_mb": 2.25,
                                          "findings_error": 0, "findings_warning": 2})]
    (tmp_path / "downloads" / "agency_1").mkdir(parents=True)
    (tmp_path / "downloads" / "agency_1" / "agency_1_years.csv").write_text("x\n", encoding="utf-8")
    page = render_index(run, tmp_path, "ignored: the table's own title wins", generated="x", navigation=False)
    text = shown(page)
    assert "ร่างงบประมาณทดสอบ" in text and "ignored" not in text
    assert ("รวม | รวม 2 หน่วย: งบประมาณปีนี้ 3.75 ล้านบาท · ภาระผูกพันของปีอื่น 0.25 ล้านบาท (นับแยก) | "
            "ผิดพลาด 1 · คำเตือน 2") in text
    assert 'href="downloads/agency_1/agency_1_years.csv"' in page and "รายปี (CSV)" in text


def test_navigation_unlinks_pages_outside_the_run(tmp_path):
    page = ('<nav><!--nav--></nav><a href="overview.html">ภาพรวม</a> <a href="strategy_2.html#x">2</a> '
            '<a href="strategy_5.html">5</a> <a href="https://example.org/x.html">ลิงก์</a>')
    out = fill_navigation(page, [("index.html", "สารบัญรายงาน", "")], "strategy_5.html", {"strategy_5", "index"})
    assert '<a href="strategy_5.html">5</a>' in out and '<a href="https://example.org/x.html">' in out
    assert 'href="overview.html"' not in out and 'href="strategy_2.html#x"' not in out
    assert "<span>ภาพรวม</span>" in out and "<span>2</span>" in out
