"""Behaviour a user sees that planted bugs slipped past (issue 27): each test has a fixture for
the case no other test had (a shared printed cell, two causes that fit, a warnings-only report,
a Thai-digit workbook read without LibreOffice, quotes in an attribute).

Every expected value is typed by hand from the rows written here (worked out in the comments),
never read from ``data/plan`` or from the code under test.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from helpers import load_tiny  # tests/helpers.py

from coopanalysis import cli
from coopanalysis.checks import hints, run_checks

tiny = load_tiny()


def _errors(findings):
    return {(f.check, f.id) for f in findings if f.severity == "error"}


# ---- a tactic printed in the same cell as its strategy ---------------------------------------


def _shared_tactic_plan(directory: Path):
    # strategy 1 prints 10 (line 42); tactic 1.1 is printed in that same cell (the document
    # gives one figure for both) and its own count on line 43; its projects 1.1 + 1.2 add up to
    # 5 + 5 = 10, the shared printed total
    return tiny.build(
        directory,
        strategies=[tiny.strategy("1", total="10", count="2", line=40, total_line=42, count_line=41)],
        tactics=[tiny.tactic("1.1", total="10", count="2", line=40, total_line=42, count_line=43)],
        projects=[tiny.project("1.1", ["1"] * 5, "5", tactic_id="1.1"),
                  tiny.project("1.2", ["1"] * 5, "5", tactic_id="1.1")])


def test_tactic_adding_up_to_the_total_it_shares_with_its_strategy_is_clean(tmp_path, capsys):
    plan = _shared_tactic_plan(tmp_path / "plan")
    findings = run_checks(plan)
    assert _errors(findings) == set()
    assert [f for f in findings if f.check.startswith("tactic_")] == []
    # the command a user runs: nothing to report, exit status 0
    assert cli.main(["check", str(plan.source), "--format", "json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"


def test_tactic_sharing_its_strategys_cell_is_not_checked_against_it_but_its_own_cells_are(tmp_path):
    # strategy 4 prints 10 (line 42), shared with tactic 4.1 whose projects add up to 6 (the
    # other 4 is tactic 4.2's): the shared 10 is the strategy's figure, not a tactic error.
    # Tactic 4.2 prints its own 4 (line 46) and its project adds up to 4: clean. Tactic 4.3
    # prints its own 3 (line 49) but its project adds up to 2: the one tactic error.
    plan = tiny.build(
        tmp_path,
        strategies=[tiny.strategy("4", total="12", count="4", line=40, total_line=42, count_line=41)],
        tactics=[tiny.tactic("4.1", total="12", count="4", line=40, total_line=42, count_line=41),
                 tiny.tactic("4.2", total="4", count="1", line=45, total_line=46, count_line=47),
                 tiny.tactic("4.3", total="3", count="1", line=48, total_line=49, count_line=50)],
        projects=[tiny.project("4.1", ["1", "1", "1", "0", "0"], "3", tactic_id="4.1"),
                  tiny.project("4.2", ["1", "1", "1", "0", "0"], "3", tactic_id="4.1"),
                  tiny.project("4.3", ["1", "1", "1", "1", "0"], "4", tactic_id="4.2"),
                  tiny.project("4.4", ["1", "1", "0", "0", "0"], "2", tactic_id="4.3")])
    # strategy 4: 3 + 3 + 4 + 2 = 12 as printed, 4 projects as printed
    findings = run_checks(plan)
    assert _errors(findings) == {("tactic_total", "4.3")}
    (f,) = [f for f in findings if f.check == "tactic_total"]
    assert (f.stated, f.computed, f.difference) == ("3", "2", "-1")


# ---- two causes fit one gap: the order the docs promise ----------------------------------------


def test_lost_decimal_is_named_before_swapped_digits_when_both_fit():
    # 20 + 31 + 1 + 1 + 1 = 54 against a printed 36: reading 20 as 2 gives 36 (lost decimal) and
    # so does reading 31 as 13 (swapped digits). hints.likely_cause: "as many as years ->
    # lost_decimal, then swapped_digits"
    values, total = [D(20), D(31), D(1), D(1), D(1)], D(36)
    assert hints.lost_decimal(values, total).cells == ((0, D(20), D(2)),)
    assert hints.swapped_digits(values, total).cells == ((1, D(31), D(13)),)
    h = hints.likely_cause(values, total, n_years=5)
    assert (h.code, h.cells) == ("lost_decimal", ((0, D(20), D(2)),))


def test_project_row_where_both_causes_fit_is_reported_as_a_lost_decimal(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("2")], projects=[
        tiny.project("2.1", ["20", "31", "1", "1", "1"], "36", status="mismatch")])
    (f,) = [f for f in run_checks(plan) if f.check == "project_total"]
    assert f.hint == "lost_decimal"
    assert "จุดทศนิยมหายไป" in f.message and "ตัวเลขสลับหลัก" not in f.message
    assert "20 ของปี 2560 เป็น 2" in f.message  # 20 in 2560 read as 2


def test_group_hint_names_the_project_before_a_lost_decimal_in_the_printed_total(tmp_path):
    # strategy 7 prints 20. Project 7.1's years add up to 1 but it prints 19; 7.2 adds up to 1.
    # Its projects add up to 1 + 1 = 2: reading the printed 20 as 2.0 fits (lost decimal), and
    # so does 7.1's own printed 19 (2 - 1 + 19 = 20). The project is named first (group_rules:
    # "a project whose own total is off, or the printed total").
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("7", total="20", count="2")], projects=[
        tiny.project("7.1", ["0.2"] * 5, "19", status="mismatch"),
        tiny.project("7.2", ["0.2"] * 5, "1")])
    (f,) = [f for f in run_checks(plan) if f.check == "strategy_total"]
    assert f.hint == "project_total" and "7.1" in f.message
    # without the project's own error, the printed total is to blame
    plan = tiny.build(tmp_path / "b", strategies=[tiny.strategy("7", total="20", count="2")], projects=[
        tiny.project("7.1", ["0.2"] * 5, "1"), tiny.project("7.2", ["0.2"] * 5, "1")])
    (f,) = [f for f in run_checks(plan) if f.check == "strategy_total"]
    assert f.hint == "lost_decimal"


# ---- a Thai-digit workbook, read with openpyxl ----------------------------------------------

THAI_LOCALE = "[$-D00041E]"


def _workbook_plan(directory: Path):
    # one decimal is needed (0.5), the totals pass a thousand (1,234.5)
    return tiny.build(
        directory,
        strategies=[tiny.strategy("1", total="1234.5", count="1", line=1, total_line=2, count_line=3)],
        projects=[tiny.project("1.1", ["1000", "200", "30", "4", "0.5"], "1234.5")])


def _numeric_cells(book):
    for sheet in book.worksheets[1:]:  # after README
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    yield sheet.title, cell
                elif isinstance(cell.value, str) and cell.value.startswith("=SUM("):
                    yield sheet.title, cell


def test_thai_digit_workbook_formats_every_number_in_thai_digits(tmp_path):
    from coopanalysis.exports import write_workbook

    plan = _workbook_plan(tmp_path / "plan")
    thai = openpyxl.load_workbook(write_workbook(plan.source, tmp_path / "th.xlsx", thai_digits=True))
    arabic = openpyxl.load_workbook(write_workbook(plan.source, tmp_path / "ar.xlsx"))
    cells = list(_numeric_cells(thai))
    assert len(cells) > 20
    not_thai = [(title, c.coordinate, c.number_format) for title, c in cells if not c.number_format.startswith(THAI_LOCALE)]
    assert not_thai == []
    assert not any(THAI_LOCALE in c.number_format for _, c in _numeric_cells(arabic))
    # project 1.1 by hand: 1000 in 2560 shown with separators and one decimal (0.5 needs one)
    th_projects, ar_projects = thai["โครงการ"], arabic["โครงการ"]
    header = [c.value for c in th_projects[1]]
    assert header[5:10] == ["ปีงบประมาณ ๒๕๖๐", "ปีงบประมาณ ๒๕๖๑", "ปีงบประมาณ ๒๕๖๒", "ปีงบประมาณ ๒๕๖๓",
                            "ปีงบประมาณ ๒๕๖๔"]
    assert [c.value for c in ar_projects[1]][5] == "ปีงบประมาณ 2560"
    assert (th_projects["F2"].value, th_projects["F2"].number_format) == (1000, THAI_LOCALE + "#,##0.0")
    assert (ar_projects["F2"].value, ar_projects["F2"].number_format) == (1000, "#,##0.0")
    # the long table: the year a number shown without a thousands separator (๒๕๖๐, not ๒,๕๖๐)
    long = thai["งบรายปี (ตารางยาว)"]
    lheader = [c.value for c in long[1]]
    year = long.cell(2, lheader.index("ปีงบประมาณ") + 1)
    assert (year.value, year.number_format) == (2560, THAI_LOCALE + "0")


def test_thai_digit_table_download_formats(tmp_path):
    import pandas as pd

    from coopanalysis.exports import write_table_xlsx

    frame = pd.DataFrame({"name": ["ก"], "amount_mb": [1234567.5], "amount_mb_text": ["1234567.5"]})
    sheet = openpyxl.load_workbook(write_table_xlsx(frame, tmp_path / "t.xlsx", "ตาราง", thai_digits=True))["ตาราง"]
    assert (sheet["B2"].value, sheet["B2"].number_format) == (1234567.5, THAI_LOCALE + "#,##0.0")
    sheet = openpyxl.load_workbook(write_table_xlsx(frame, tmp_path / "a.xlsx", "ตาราง"))["ตาราง"]
    assert sheet["B2"].number_format == "#,##0.0"


# ---- the index of a report that has only warnings -------------------------------------------

NO_FINDINGS = "ไม่มีข้อผิดพลาดหรือคำเตือน"


def _outcome(name, summary):
    from coopanalysis.report.jobs import Outcome

    return Outcome(name, f"/nb/{name}.ipynb", f"/nonexistent/{name}.ipynb", html=None, ok=True, summary=summary)


def _warnings_only_plan(directory: Path):
    # strategy 1 adds up (5 = 5, one project); strategy 3 prints 10 with no detail (no_detail
    # warning); strategy 2 is never mentioned (missing_strategy warning): 2 warnings, 0 errors
    return tiny.build(
        directory,
        strategies=[tiny.strategy("1", total="5", count="1", line=1, total_line=2, count_line=3),
                    tiny.strategy("3", total="10", count="1", line=5, total_line=6, count_line=7)],
        projects=[tiny.project("1.1", ["1"] * 5, "5")])


def test_index_shows_the_warning_count_of_a_warnings_only_report(tmp_path):
    from coopanalysis.present.summary import checks_summary
    from coopanalysis.report.index import _findings_cell, render_index

    findings = run_checks(_warnings_only_plan(tmp_path / "plan"))
    assert sorted((f.severity, f.check) for f in findings) == [("warning", "missing_strategy"), ("warning", "no_detail")]
    text, fields = checks_summary(findings)
    cell = _findings_cell(_outcome("checks", {"text": text, **fields}))
    assert NO_FINDINGS not in cell and "คำเตือน 2" in cell and "ผิดพลาด" not in cell
    page = render_index([_outcome("checks", {"text": text, **fields})], tmp_path, navigation=False)
    shown = re.sub(r"<[^>]+>", "", page)  # the text a reader sees (words may be wrapped in spans)
    assert "คำเตือน 2" in shown and NO_FINDINGS not in shown


def test_check_command_exits_0_on_a_warnings_only_plan(tmp_path, capsys):
    # `coopanalysis check --help`: "exit 1 on errors"; warnings alone are not a failure
    plan = _warnings_only_plan(tmp_path / "plan")
    assert cli.main(["check", str(plan.source), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "missing_strategy" in out and "no_detail" in out


@pytest.mark.parametrize(("errors", "warnings", "shown", "not_shown"), [
    (0, 3, ["คำเตือน 3"], [NO_FINDINGS, "ผิดพลาด"]),
    (2, 0, ["ผิดพลาด 2"], [NO_FINDINGS, "คำเตือน"]),
    (1, 4, ["ผิดพลาด 1", "คำเตือน 4"], [NO_FINDINGS]),
    (0, 0, [NO_FINDINGS], ["sev-error", "sev-warning"]),
])
def test_index_findings_cell_counts(errors, warnings, shown, not_shown):
    from coopanalysis.report.index import _findings_cell

    summary = {"text": "x", "findings": errors + warnings + 1, "findings_error": errors,
               "findings_warning": warnings, "findings_info": 1, "strategy_id": "5", "thai_digits": False}
    cell = _findings_cell(_outcome("strategy_5", summary))
    assert all(s in cell for s in shown) and not any(s in cell for s in not_shown)
    if errors:
        assert 'href="checks.html#strategy-5"' in cell  # the errors link to the strategy's findings
    thai = _findings_cell(_outcome("strategy_5", {**summary, "thai_digits": True}))
    if warnings:
        assert f"คำเตือน {'๐๑๒๓๔'[warnings]}" in thai


# ---- quotes in an HTML attribute ------------------------------------------------------------


def test_html_attr_escapes_quotes_and_markup():
    from coopanalysis.present.escape import html_attr

    assert html_attr('ชื่อ "ยาว" <b>') == "ชื่อ &quot;ยาว&quot; &lt;b&gt;"
    assert html_attr("it's & more") == "it&#x27;s &amp; more"
    assert html_attr('" onmouseover="alert(1)') == "&quot; onmouseover=&quot;alert(1)"
    assert html_attr(None) == "" and html_attr(5) == "5"
    # put inside double quotes, the value stays one attribute value
    tag = f'<span title="{html_attr(chr(34) + "><script>x</script>")}">'
    assert tag.count('"') == 2 and "<script>" not in tag
