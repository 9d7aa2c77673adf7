"""The presentation layer: reading tables, escaping, findings in full, corrections in Thai,
plan totals compared like with like, the embedded font. Expected figures come from the
document (data/raw/cpd_action_plan_2560_2564.txt, as quoted in the checks' messages)."""

from __future__ import annotations

import io
import re
from datetime import datetime
from html.parser import HTMLParser

import pandas as pd
import pytest

from coopanalysis import checks, paths, present
from coopanalysis.model.plan import load
from coopanalysis.present.table import ReadingTable, cell_text

HOSTILE = '<img src=x onerror=alert(1)> & "q" <script>alert(1)</script>'
#: A Thai word kept whole on a line (present.escape.break_thai): taken out to compare markup.
TW = re.compile(r'<span class="tw">([^<]*)</span>')


@pytest.fixture(scope="module")
def plan():
    return load(paths.PLAN_DIR)


@pytest.fixture(scope="module")
def findings(plan):
    return checks.run_checks(plan)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(markup: str) -> Tags:
    t = Tags()
    t.feed(markup)
    return t


def test_table_cells_and_headers_are_escaped():
    frame = pd.DataFrame({"name": [HOSTILE], "stated_mb": [1200.5]})
    t = present.table(frame, {"name": HOSTILE, "stated_mb": None})
    page = parsed(t.html())
    assert {tag for tag, _ in page.tags} == {"div", "table", "thead", "tr", "th", "span", "tbody", "td"}
    assert "".join(page.text).count(HOSTILE) == 2  # header and cell, shown as written


def test_table_for_reading():
    frame = pd.DataFrame({"strategy_id": ["5", "รวม"], "name": ["ยาว " * 40, "รวม"], "stated_mb": [1200.5, None],
                          "share": [0.255, 1.0]})
    t = present.table(frame, ["strategy_id", "name", "stated_mb", "share"])
    html = TW.sub(r"\1", t.html())
    # one header row, Thai headers, the unit under amount headers; numbers right (class), text left
    assert html.count("<tr>") + html.count("<tr ") == 3 and html.count("<thead><tr>") == 1
    assert '<th scope="col" class="amount">ตามเอกสาร<span class="unit">(ล้านบาท)</span></th>' in html
    assert '<td class="amount">1,200.5</td>' in html and '<td class="percent">25.5%</td>' in html
    # long text kept whole; the totals row set apart, its repeated "รวม" not shown twice
    assert ("ยาว " * 40).strip() in html
    assert '<tr class="total"><th scope="row" class="id">รวม</th><td class="text"></td><td class="amount">–</td>' in html
    assert t.total_rows == {1}
    # plain text: aligned, nothing cut
    assert "…" not in repr(t) and ("ยาว " * 40).strip() in repr(t)


@pytest.mark.parametrize("value, kind, thai, expected", [
    (1234567.25, "amount", False, "1,234,567.25"),
    (0.5, "amount", True, "๐.๕"),
    (None, "amount", False, "–"),
    (2562, "year", True, "๒๕๖๒"),
    ("ปี 2560", "text", True, "ปี ๒๕๖๐"),
    ("  ชื่อ \n ยาว  ", "text", False, "ชื่อ ยาว"),
    (12, "count", False, "12"),
])
def test_cell_text(value, kind, thai, expected):
    assert cell_text(value, kind, thai) == expected


def test_escape_helpers():
    assert present.html_text(HOSTILE).count("<") == 0
    assert "<" not in present.md_text("<b>*x*</b>") and "\\*x\\*" in present.md_text("<b>*x*</b>")
    assert present.slug("finding", "project_total", "8.u1", 2561) == "finding-project_total-8-u1-2561"


def test_headings_escape_plan_texts(plan):
    hostile = plan.replace(strategies=plan.strategies.assign(
        name=[HOSTILE if s == "5" else n for s, n in zip(plan.strategies["strategy_id"], plan.strategies["name"])],
        goal=[HOSTILE if s == "5" else g for s, g in zip(plan.strategies["strategy_id"], plan.strategies["goal"])],
    ))
    block = present.strategy_heading(hostile, "5", n_findings=3)
    page = parsed(block.html)
    assert not [t for t, _ in page.tags if t in ("img", "script")]
    assert "".join(page.text).count(HOSTILE) == 2
    assert 'href="checks.html#strategy-5"' in block.html


def test_every_finding_in_full_with_anchor(plan, findings):
    from coopanalysis.present.text import reader_message

    block = present.findings_tables(plan, findings)
    text = " ".join("".join(parsed(block.html).text).split())
    for f in findings:  # in full, as a reader reads it: Thai reasons, Thai names for the toolkit's ids
        assert " ".join(reader_message(f).split()) in text
    assert "Lost decimal point" not in text and "8.u1" not in text and "โครงการ 8.(ไม่มีเลข 1)" in text
    html = TW.sub(r"\1", block.html)
    ids = re.findall(r'<tr[^>]*id="([^"]+)"', html)
    assert len(ids) == len(findings) == len(set(ids))
    # strategy 8: printed 121, its two projects add up to 161 (document), 40 more
    row = re.search(r'<tr class="f-error" id="finding-strategy_total-strategy-8">(.*?)</tr>', html).group(1)
    cells = [re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells[4:7] == ["121", "161", "+40"]
    # the subject is named as printed (document: strategy 8's title)
    assert cells[1].startswith("ยุทธศาสตร์ที่ 8") and "การสร้างความยั่งยืนด้วยหลักธรรมาภิบาลและภูมิปัญญาสหกรณ์" in cells[1]
    groups = re.findall(r'<section class="finding-group" id="([^"]+)"', html)
    assert groups[0] == "plan-wide" and "strategy-2" in groups and "strategy-5" in groups


def test_pivot_counts_add_up(findings):
    t = present.pivot_table(findings)
    total = t.rows[-1]
    assert total[0] == "รวม" and int(total[-1]) == len(findings)
    assert sum(int(r[-1]) for r in t.rows[:-1]) == len(findings)


def test_corrections_reason_in_thai_only(plan):
    t = present.corrections_table(plan)
    # data/corrections.yaml: 6.1 printed 15 in 2562-2564, read as 1.5 (lost decimal point)
    assert [r[:4] for r in t.rows] == [["6.1", y, "15", "1.5"] for y in ("2562", "2563", "2564")]
    reason = t.rows[0][4]
    assert reason.startswith("จุดทศนิยมตกหล่น: โครงการ 6.1 ปีงบประมาณ 2562 เอกสารพิมพ์ 15 ใช้ 1.5")
    assert "Lost decimal point" not in reason  # the reviewer's English stays in data/corrections.yaml


def test_plan_totals_like_with_like(plan):
    totals = present.comparable_totals(plan)
    # summary page prints 125 (5), 20 (6), 121 (8) and 161.5 for 7 (no detail); 1, 3, 4 unprinted
    assert totals["compared"] == ["5", "6", "8"]
    assert totals["stated_mb"] == 125 + 20 + 121
    assert totals["computed_mb"] == 158 + 20 + 161
    assert totals["no_detail"] == ["7"] and totals["no_printed"] == ["1", "3", "4"] and totals["missing"] == ["2"]


def test_strategy_key_figures(plan, findings):
    t = present.strategy_key_figures(plan, "5", findings)
    assert [r[1] for r in t.rows[:3]] == ["125", "158", "+33 (ไม่ตรงกัน)"]
    t = present.strategy_key_figures(plan, "5", findings, thai_digits=True)
    assert [r[1] for r in t.rows[:3]] == ["๑๒๕", "๑๕๘", "+๓๓ (ไม่ตรงกัน)"]


def test_be_date():
    assert present.be_date(datetime(2026, 11, 26, 9, 5), time=True) == "26 พฤศจิกายน 2569 เวลา 09:05 น."


def test_about_footer(plan):
    text = present.about(plan, checks.DEFAULT_TOLERANCE).text
    assert "0.005 ล้านบาท" in text and "3 รายการ (โครงการ 6.1)" in text


def test_font_subset_covers_the_page_and_stays_small():
    from fontTools.ttLib import TTFont

    from coopanalysis.present.font import subset_woff2

    text = "ยุทธศาสตร์ที่ ๕ ผลการตรวจสอบ คำนวณ 125"
    data = subset_woff2(text)
    assert data[:4] == b"wOF2" and len(data) < 60_000
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    for ch in set(text) | {"\u0e4d", "\u0e32"}:  # SARA AM is shaped from NIKHAHIT + SARA AA
        assert ord(ch) in cmap, hex(ord(ch))
    assert ord("ฮ") not in cmap  # only what the page uses


def test_blocks_have_text_for_notebook_comparison(plan):
    block = present.report_heading(plan, "ภาพรวมแผน")
    assert repr(block).splitlines()[1] == "ภาพรวมแผน"
    assert isinstance(present.pivot_table([]), ReadingTable)


def test_page_export_drops_what_a_reader_should_not_see():
    import nbformat

    from coopanalysis.report.export import reader_notebook

    v4 = nbformat.v4
    cell = v4.new_code_cell("x")
    cell.outputs = [
        v4.new_output("stream", name="stdout", text="printed copy\n"),
        v4.new_output("execute_result", data={"text/plain": "4"}, execution_count=1),  # a stray return value
        v4.new_output("display_data", data={"text/plain": "summary"}, metadata={"coopanalysis": {"summary": {}}}),
        v4.new_output("display_data", data={"text/plain": "", "text/html": ""}),  # an empty block
        v4.new_output("display_data", data={"text/plain": "t", "text/html": "<table></table>"}),
        v4.new_output("display_data", data={"text/plain": "<Image>", "image/png": "iVBOR"}),
    ]
    nb = v4.new_notebook(cells=[cell])
    kept = reader_notebook(nb).cells[0].outputs
    assert [sorted(o.get("data", {})) for o in kept] == [["text/html", "text/plain"], ["image/png", "text/plain"]]
    assert len(nb.cells[0].outputs) == 6  # the executed notebook itself is left as it is


def test_unit_tables_spell_out_only_what_needs_it(plan):
    t = present.unit_policy_table(plan)
    full = next(r for r in t.rows if r[0] == "สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์")
    assert full[1] == ""  # printed in full: not repeated as its own full name
    assert t.rows[-1][0] == "รวม" and t.total_rows == {len(t.rows) - 1}
    # equal split adds up to the plan: the strategies' project detail, 286+25+50+158+20+161
    assert t.rows[-1][2] == "700"
