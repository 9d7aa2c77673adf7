"""Planted-bug sweep of the command line, the check formats, the export and the analysis tables
(issue 27; the bugs tried are listed in docs/sweeps/cli-checks-export.md).

One hand-built plan serves most tests: eleven strategies (so strategy 1 and strategy 10 or 11
differ in a prefix match, and 2 sorts before 10 only by number), one project each; project
``s.1`` prints ``5 × s`` and has ``s`` in each of the five years, except 2.1 (printed 15, its
years add up to 10: difference -5) and 3.1 (printed 16, years add up to 15: difference -1, a
name that starts like a formula and holds markup). Strategy 1 has three KPIs, 1, 2 and 10.
Every expected value below is worked out from these numbers by hand.
"""

from __future__ import annotations

import csv
import errno
import io
import json
from decimal import Decimal

import pytest
from helpers import load_tiny  # tests/helpers.py

from coopanalysis.cli import main

tiny = load_tiny()
MARKUP_NAME = '=HYPERLINK("x")<b>ก</b>'


@pytest.fixture(scope="module")
def eleven(tmp_path_factory):
    """The folder of the eleven-strategy plan (see the module docstring)."""
    from coopanalysis.model.plan import load_dir

    folder = tmp_path_factory.mktemp("eleven")
    projects = [tiny.project(f"{s}.1", [str(s)] * 5, str(5 * s), line=100 + s) for s in range(1, 12)]
    projects[1] = tiny.project("2.1", ["2"] * 5, "15", status="mismatch", line=102)
    projects[2] = tiny.project("3.1", ["3"] * 5, "16", status="mismatch", line=103, name=MARKUP_NAME)
    tiny.build(folder, strategies=[tiny.strategy(str(s), line=s) for s in range(1, 12)], projects=projects)
    kpis = [("1", "1", 2560, "80"), ("1", "10", 2560, "๑,200"), ("1", "2", 2560, "-")]
    with open(folder / "kpis.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["strategy_id", "kpi_id", "name", "unit", "fiscal_year", "target", "source_line", "parse_note"])
        for line, (sid, kid, year, target) in enumerate(kpis, start=50):
            writer.writerow([sid, kid, f"ตัวชี้วัด {kid}", "ร้อยละ", year, target, line, ""])
    load_dir(folder)  # readable as written
    return folder


@pytest.fixture(scope="module")
def plan(eleven):
    from coopanalysis.model.plan import load_dir

    return load_dir(eleven)


# ---- check --format csv: numbers stay numbers, text that starts like a formula does not --------

def test_csv_keeps_a_negative_difference_a_number_and_quotes_a_formula_name(eleven, capsys):
    assert main(["check", str(eleven), "--format", "csv", "--tolerance", "0.5", "--rel-tolerance", "0.01"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("\ufeff") and out.endswith("\r\n") and "\\r" not in out  # CRLF, no escaped CR
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out[1:]))}
    assert set(rows) == {"2.1", "3.1"}  # 3.1 is off by 1: more than 0.5 and than 1% of 16
    two = rows["2.1"]
    assert (two["stated"], two["computed"], two["difference"]) == ("15", "10", "-5")
    assert (two["tolerance_mb"], two["rel_tolerance"]) == ("0.5", "0.01")
    assert rows["3.1"]["difference"] == "-1"
    assert rows["3.1"]["name"] == "'" + MARKUP_NAME  # a formula shown as text, the rest as printed


# ---- ca.check: the relative tolerance reaches the engine, its base is the printed total -----------

def test_ca_check_applies_the_relative_tolerance_on_the_printed_total(eleven):
    import coopanalysis as ca

    ds = ca.load(eleven)
    # 2.1: printed 15, years add up to 10: off by 5 = 1/3 of 15 (and 1/2 of 10, the computed)
    assert "2.1" in {f.id for f in ca.check(ds, tolerance=0, rel_tolerance="0.33").errors}
    assert "2.1" not in {f.id for f in ca.check(ds, tolerance=0, rel_tolerance="0.34").errors}
    assert "2.1" in {f.id for f in ca.check(ds, tolerance="4.99").errors}
    assert "2.1" not in {f.id for f in ca.check(ds, tolerance=5).errors}  # equal is within


def test_a_changed_datasets_relative_tolerance_is_of_the_printed_total_equal_within(eleven):
    import coopanalysis as ca

    # 1.1 prints 5; scaled by 0.98 its years add up to 4.9: off by 0.1 = 2% of the printed 5,
    # (more than 2% of the computed 4.9)
    what_if = ca.load(eleven).scale(Decimal("0.98"), within="1.1")
    assert not [f for f in ca.check(what_if, tolerance=0, rel_tolerance="0.02") if f.id == "1.1"]
    off = [f for f in ca.check(what_if, tolerance=0, rel_tolerance="0.0199") if f.id == "1.1"]
    assert [(f.severity, f.stated, f.computed, f.difference) for f in off] == [("error", "5", "4.9", "-0.1")]


# ---- Findings in a notebook: text from the document is escaped ---------------------------------

def test_findings_card_escapes_markup_from_the_document():
    from coopanalysis.checks.findings import Finding
    from coopanalysis.model.findings import Findings

    card = Findings([Finding("error", "project_total", "project", "1.1", message='<img src=x onerror="a">')],
                    title="<b>แผน</b>")._repr_html_()
    assert "<img" not in card and "<b>แผน" not in card
    assert "&lt;img src=x onerror=&quot;a&quot;&gt;" in card and "&lt;b&gt;แผน&lt;/b&gt;" in card


# ---- the analysis tables: strategy 1 is not strategy 10 or 11; 2 sorts before 10 ------------------

def test_one_strategys_tables_hold_only_that_strategy_not_10_or_11(plan):
    from coopanalysis.analysis import by_project, by_year, excluded_projects, hierarchy_table

    projects = by_project(plan, "1")
    assert list(projects["project_id"]) == ["1.1", "รวม"]
    assert float(projects["amount_mb"].iloc[-1]) == 5.0
    yearly = by_year(plan, strategy_id="1")
    assert yearly.attrs["columns"] == ["1"]
    assert float(yearly["รวม"].iloc[-1]) == 5.0
    assert list(hierarchy_table(plan, "1")["project_id"]) == ["1.1"]
    assert excluded_projects(plan, "1").empty


def test_yearly_columns_are_in_number_order_2_before_10(plan):
    from coopanalysis.analysis import by_year

    table = by_year(plan)
    ids = [str(s) for s in range(1, 12)]
    assert table.attrs["columns"] == ids
    assert list(table.columns) == ["fiscal_year", *ids, "รวม", "share"]
    assert float(table["10"].iloc[0]) == 10.0 and float(table["รวม"].iloc[0]) == 66.0  # 1 + 2 + … + 11


def test_kpis_in_number_order_with_thai_digits_and_a_dash(plan):
    from coopanalysis.analysis.kpis import kpi_table, kpi_targets

    targets = kpi_targets(plan, "1")
    assert list(targets["kpi_id"]) == ["1", "2", "10"]
    assert targets["target"].tolist()[0] == 80.0 and targets["target"].tolist()[2] == 1200.0
    assert targets["target"].isna().tolist() == [False, True, False]
    wide = kpi_table(plan, "1")
    assert list(wide["kpi_id"]) == ["1", "2", "10"]
    assert list(wide[2560]) == ["80", "", "๑,200"]


# ---- export: the findings sheet's tolerance, the package's primary key -----------------------------

def test_export_tolerance_decides_the_findings_sheet(eleven, tmp_path, capsys):
    import openpyxl

    def findings_of(out, *options):
        assert main(["export", str(eleven), "--format", "xlsx", "--out", str(out), *options]) == 0
        book = openpyxl.load_workbook(out, read_only=True)
        rows = [r for r in book["ผลการตรวจ"].iter_rows(values_only=True) if "project_total" in r]
        readme = [r for r in book["อ่านก่อน README"].iter_rows(values_only=True) if r and r[0] and "tolerance" in r[0]]
        return sorted(r[3] for r in rows), readme[0][1]

    assert findings_of(tmp_path / "a.xlsx") == (["2.1", "3.1"], "ผลต่างไม่เกิน 0.005 ล้านบาท ถือว่าตรงกัน")
    assert findings_of(tmp_path / "b.xlsx", "--tolerance", "1") == (["2.1"], "ผลต่างไม่เกิน 1 ล้านบาท ถือว่าตรงกัน")


def test_fdp_keys_each_row_by_project_and_year(eleven, tmp_path, capsys):
    out = tmp_path / "fdp"
    assert main(["export", str(eleven), "--format", "fdp", "--out", str(out)]) == 0
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    budget = package["resources"][0]
    assert budget["schema"]["primaryKey"] == ["project_id", "fiscal_year"]
    rows = list(csv.DictReader(io.StringIO((out / "budget.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 11 * 5
    assert len({(r["project_id"], r["fiscal_year"]) for r in rows}) == 55
    assert package["fiscalPeriod"] == {"start": "2016-10-01", "end": "2021-09-30"}  # BE 2560 to 2564


# ---- exit statuses on the paths no other test takes ---------------------------------------------

def test_a_full_disk_while_writing_exits_2_naming_the_file(eleven, tmp_path, monkeypatch, capsys):
    import coopanalysis.io.safeio as safeio

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safeio.os, "fsync", full)
    out = tmp_path / "plan.xlsx"
    assert main(["export", str(eleven), "--format", "xlsx", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"coopanalysis: error: {out}: No space left on device\n"
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no temporary file left


def test_stated_never_overwrites_a_typed_stated_csv(tmp_path, capsys):
    typed = tmp_path / "stated.csv"
    text = "level,name,fiscal_year,amount,unit\nbudgetary_unit,กรมหนึ่ง,2565,\"168,833,200\",baht\n"
    typed.write_text(text, encoding="utf-8")
    assert main(["stated", str(tmp_path / "missing.pdf"), "--out", str(typed)]) == 2
    assert "exists and was not written by 'coopanalysis stated'" in capsys.readouterr().err
    assert typed.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("jobs", "says"), [("0", "--jobs must be at least 1, got 0"),
                                            ("1", "--params folder does not exist")])
def test_report_accepts_one_job_and_refuses_none(tmp_path, capsys, jobs, says):
    missing = tmp_path / "no-params"
    assert main(["report", "--jobs", jobs, "--params", str(missing), "--out", str(tmp_path / "r")]) == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


# ---- more of the sweep: counts in a repr, a YAML nesting bound, stated totals, budget markdown ------

def test_findings_repr_counts_with_plurals():
    from coopanalysis.checks.findings import Finding
    from coopanalysis.model.findings import Findings

    one = Findings([Finding("error", "project_total", "project", "1.1", difference="-5")])
    assert repr(one).splitlines() == ["<Findings: 1 error, 0 warnings, 0 infos>",
                                      "  error   project_total project 1.1 difference -5"]


def test_yaml_nested_exactly_64_deep_is_read_65_is_refused():
    from coopanalysis.errors import InputError
    from coopanalysis.io.yamlsafe import load_text

    deep = load_text("[" * 64 + "1" + "]" * 64)
    for _ in range(63):
        deep = deep[0]
    assert deep == [1]
    with pytest.raises(InputError, match="nested more than 64 levels deep"):
        load_text("[" * 65 + "1" + "]" * 65, name="deep.yaml")


def test_stated_csv_keeps_one_name_under_two_parents():
    from coopanalysis.budget.pdf import StatedTotal
    from coopanalysis.commands.stated import totals_csv

    plan = "แผนงานบุคลากรภาครัฐ"
    totals = [StatedTotal("budget_plan", plan, "กรมหนึ่ง", 2565, "1,000", "baht", 3, "v.pdf"),
              StatedTotal("budget_plan", plan, "กรมสอง", 2565, "1,000", "baht", 9, "v.pdf"),
              StatedTotal("budget_plan", plan, "กรมสอง", 2565, "1,000", "baht", 10, "v.pdf")]  # printed again
    rows = list(csv.DictReader(io.StringIO(totals_csv(totals))))
    assert [(r["parent"], r["page"]) for r in rows] == [("กรมหนึ่ง", "3"), ("กรมสอง", "9")]


def test_budget_markdown_escapes_a_name_with_markup(tmp_path, capsys):
    from helpers import TINY_MAPPING
    from test_planted_round2 import HEADER, STATED_HEADER

    name = "กรม|<b>หนึ่ง</b>"
    (tmp_path / "t.csv").write_text(HEADER + f'a1,3,{name},แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,"1,000",no\n',
                                    encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    (tmp_path / "stated.csv").write_text(STATED_HEADER + f"agency,{name},2567,2,million_baht\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "t.csv"), "--mapping", str(tmp_path / "tiny.yaml"), "--stated",
                 str(tmp_path / "stated.csv"), "--format", "markdown"]) == 1  # printed 2, items 1
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ERROR")]
    assert len(rows) == 1 and "<b>" not in rows[0]
    assert "กรม\\|&lt;b&gt;หนึ่ง&lt;/b&gt;" in rows[0]
