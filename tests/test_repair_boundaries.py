"""Merged-cell repair at its boundaries, driven through the public ingest on small texts in the
seed's layout (tests/support/synthetic.py renders the plan; one project row is then reprinted
with the cells under test).

The rule (coopanalysis/ingest/reconcile.py, data/README.md): a row with one value more than the
fiscal years is repaired only when dropping a value that repeats its neighbour is the ONE way
the rest adds up to the printed total. Two different repairs that both fit are refused, and a
value without a repeated neighbour is never dropped: the row is ``unreconciled`` and no yearly
amount is invented for it. Expected figures below are worked out by hand from the cells.
"""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest
from support.synthetic import SynKpi, SynProject, SynStrategy, SynTactic, SyntheticPlan, render

from coopanalysis.ingest import ingest_file, parse_text
from coopanalysis.text.thai import to_arabic, to_thai

YEARS = [2560, 2561, 2562, 2563, 2564]
NAME = "โครงการส่งเสริมการตลาด"


def _plan() -> SyntheticPlan:
    """One strategy, one tactic, two projects: 1.1 (five 1s) and 1.2 (2, 5, 3, 4, 1), whose
    row each test reprints."""
    p1 = SynProject("1.1", "1", "1.1", "โครงการพัฒนาระบบสารสนเทศ", [D(1)] * 5, ["กตส."])
    p2 = SynProject("1.2", "1", "1.1", NAME, [D(2), D(5), D(3), D(4), D(1)], ["สสพ."])
    tactic = SynTactic("1.1", "1", "พัฒนาระบบ", [p1, p2])
    strategy = SynStrategy("1", "การพัฒนาสหกรณ์", "สหกรณ์เข้มแข็ง", [tactic],
                           [SynKpi("1", "ร้อยละของสหกรณ์", "ร้อยละ", ["10"] * 5)])
    return SyntheticPlan("กรมส่งเสริมสหกรณ์", YEARS, "สหกรณ์เข้มแข็ง", ["พัฒนาสหกรณ์", "ส่งเสริมการตลาด"], [strategy])


def plan_text(values: list[str], total: str) -> str:
    """The plan's text with project 1.2's row printing *values* then *total* (Thai digits)."""
    text = render(_plan())
    printed = to_thai("\t".join([f"1.2 {NAME}", "2", "5", "3", "4", "1", "15", "สสพ."]))
    assert text.count(printed) == 1
    return text.replace(printed, to_thai("\t".join([f"1.2 {NAME}", *values, total, "สสพ."])))


def ingest(tmp_path: Path, values: list[str], total: str) -> tuple[dict, list[dict]]:
    """Project 1.2's row of projects.csv and its budget.csv rows from the detail table."""
    source = tmp_path / "plan.txt"
    source.write_text(plan_text(values, total), encoding="utf-8")
    out = tmp_path / "out"
    ingest_file(source, out)
    with open(out / "projects.csv", encoding="utf-8", newline="") as fh:
        (project,) = [r for r in csv.DictReader(fh) if r["project_id"] == "1.2"]
    with open(out / "budget.csv", encoding="utf-8", newline="") as fh:
        budget = [r for r in csv.DictReader(fh) if r["project_id"] == "1.2" and r["source"] == "table"]
    return project, budget


def amounts(budget: list[dict]) -> list[str]:
    assert [int(r["fiscal_year"]) for r in budget] == YEARS
    return [r["amount_mb"] for r in budget]


def test_the_layout_reads_as_rendered(tmp_path):
    project, budget = ingest(tmp_path, ["2", "5", "3", "4", "1"], "15")
    assert (project["parse_status"], project["stated_total_mb"], project["n_values"]) == ("exact", "15", "5")
    assert amounts(budget) == ["2", "5", "3", "4", "1"]


def test_one_repair_fits_and_is_made(tmp_path):
    # 2 5 5 3 4 1 | 15: dropping either printed 5 gives the same years 2 5 3 4 1 = 15 (one repair)
    project, budget = ingest(tmp_path, ["2", "5", "5", "3", "4", "1"], "15")
    assert (project["parse_status"], project["n_values"]) == ("repaired", "6")
    assert "dropped the repeated value 5" in project["parse_note"]
    assert amounts(budget) == ["2", "5", "3", "4", "1"]


def test_repeated_value_at_the_end_is_repaired(tmp_path):
    # 2 5 3 4 1 1 | 15: the trailing 1 repeats its neighbour; dropping it is the one fit
    project, budget = ingest(tmp_path, ["2", "5", "3", "4", "1", "1"], "15")
    assert project["parse_status"] == "repaired"
    assert amounts(budget) == ["2", "5", "3", "4", "1"]


def test_two_different_repairs_that_both_fit_are_refused(tmp_path):
    # 2 2 5 2 2 7 | 18: dropping a 2 of the first pair gives 2 5 2 2 7, of the second pair
    # 2 2 5 2 7; both add up to 18, so which year holds the 5 is unknown
    project, budget = ingest(tmp_path, ["2", "2", "5", "2", "2", "7"], "18")
    assert project["parse_status"] == "unreconciled"
    assert project["stated_total_mb"] == "18" and project["n_values"] == "6"
    assert "more than one way" in project["parse_note"]
    assert all(r["amount_mb"] == "" for r in budget)  # no yearly amount invented


@pytest.mark.parametrize("values, total", [
    (["1", "2", "3", "4", "5", "6"], "20"),   # dropping the 1 adds up, but nothing repeats
    (["2", "3", "2", "4", "5", "6"], "20"),   # dropping a 2 adds up; the 2s are not neighbours
    (["6", "5", "4", "3", "2", "1"], "15"),   # dropping the 6 adds up; no repeated neighbour
])
def test_six_values_without_a_repeated_neighbour_are_never_repaired(tmp_path, values, total):
    project, budget = ingest(tmp_path, values, total)
    assert project["parse_status"] == "unreconciled"
    assert "no repeated value" in project["parse_note"]
    assert all(r["amount_mb"] == "" for r in budget)


def test_a_repeated_neighbour_whose_removal_does_not_add_up_is_not_dropped(tmp_path):
    # 2 5 5 3 4 1 | 16: dropping a 5 gives 15, not 16
    project, budget = ingest(tmp_path, ["2", "5", "5", "3", "4", "1"], "16")
    assert project["parse_status"] == "unreconciled"
    assert all(r["amount_mb"] == "" for r in budget)


def test_checks_report_the_refused_repair(tmp_path):
    """The refused row reaches the checks as project_unreconciled, counted at its printed total."""
    from coopanalysis.checks import run_checks
    from coopanalysis.model.plan import load

    source = tmp_path / "plan.txt"
    source.write_text(plan_text(["2", "2", "5", "2", "2", "7"], "18"), encoding="utf-8")
    findings = [f for f in run_checks(load(source)) if f.id == "1.2"]
    assert [(f.check, f.stated, f.computed) for f in findings] == [("project_unreconciled", "18", None)]
    assert "6 ค่า" in findings[0].message and findings[0].name == NAME


@pytest.mark.parametrize("values, total, status, yearly", [
    (["2", "5", "5", "3", "4", "1"], "15", "repaired", [D(2), D(5), D(3), D(4), D(1)]),
    (["2", "2", "5", "2", "2", "7"], "18", "unreconciled", None),
    (["1", "2", "3", "4", "5", "6"], "20", "unreconciled", None),
])
def test_parse_text_places_rows_the_same_way(values, total, status, yearly):
    """parse_text (no files written) gives the same status and years as the written tables."""
    project = parse_text(plan_text(values, total)).projects["1.2"]
    assert (project.status, project.yearly, project.total) == (status, yearly, D(total))


# ---- a malformed thousands group is never read as a number ------------------------------------

MALFORMED = ["๑๒,๕", "12,5", "1,23", "12,3456", "1,2345", "1,234,56", "1,234,5678", "1234,567", ",123", "123,",
             "1,,234", "1.234,5", "๑,๒๓", "1 234"]


@pytest.mark.parametrize("cell", MALFORMED)
def test_malformed_thousands_group_is_not_an_amount(cell):
    from coopanalysis.text.thai import AmountError, is_amount, parse_amount

    assert not is_amount(cell)
    with pytest.raises(AmountError):
        parse_amount(cell)


@pytest.mark.parametrize("cell, value", [
    ("1,234", D(1234)), ("๑,๒๓๔", D(1234)), ("12,345.5", D("12345.5")), ("1,234,567", D(1234567)),
    ("๑๒.๕", D("12.5")), ("125", D(125)),
])
def test_well_formed_groups_are_amounts(cell, value):
    from coopanalysis.text.thai import is_amount, parse_amount

    assert is_amount(cell) and parse_amount(cell) == value


@pytest.mark.parametrize("cell", ["๑๒,๕", "1,23", "12,3456"])
def test_malformed_cell_in_a_row_is_reported_not_read(tmp_path, cell):
    """2 5 3 4 ๑๒,๕ | 15: the fifth cell is not an amount (neither 12.5 nor 125): the row has four
    values for five years, is unreconciled, and the cell is listed in ingest_report.csv."""
    project, budget = ingest(tmp_path, ["2", "5", "3", "4", cell], "15")
    assert (project["parse_status"], project["n_values"]) == ("unreconciled", "4")
    assert all(r["amount_mb"] == "" for r in budget)
    out = tmp_path / "out"
    with open(out / "listings.csv", encoding="utf-8", newline="") as fh:
        (listing,) = [r for r in csv.DictReader(fh) if r["project_id"] == "1.2"]
    assert listing["printed_values"] == "2 5 3 4"
    with open(out / "ingest_report.csv", encoding="utf-8", newline="") as fh:
        report = list(csv.DictReader(fh))
    assert [r["text"] for r in report] == [to_arabic(cell)]
