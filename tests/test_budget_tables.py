"""Budget tables on small tables written here: mapping, rows, subtotals, duplicates, stated, exit 2.

Expected figures are worked out by hand from the rows written in each test.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import TINY_MAPPING  # tests/helpers.py

from coopanalysis.budget import ingest_tables, load_dataset, load_mapping, write_dataset
from coopanalysis.budget.amounts import parse_amount_cell
from coopanalysis.budget.dataset import dataset_from_result
from coopanalysis.checks import run_checks
from coopanalysis.checks.table_rules import compared_sums
from coopanalysis.cli import main
from coopanalysis.errors import InputError

MAPPING = TINY_MAPPING
HEADER = "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"


def write(tmp_path: Path, rows: list[str], name: str = "t.csv", mapping: str = MAPPING) -> tuple[Path, Path]:
    table = tmp_path / name
    table.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    spec = tmp_path / "tiny.yaml"
    spec.write_text(mapping, encoding="utf-8")
    return table, spec


ROWS = [
    "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
    "a2,3,กรมหนึ่ง,แผน ก,,โครงการ 2,ค่าวัสดุ,2567,500.5,no",
    "a3,4,กรมหนึ่ง,แผน ข,ผลผลิต 3,,อาคาร,2566,200,yes",
    "a4,4,กรมหนึ่ง,แผน ข,ผลผลิต 3,,อาคาร,2567,300,yes",
    "a5,4,กรมหนึ่ง,แผน ข,ผลผลิต 3,,อาคาร,2568,400,yes",
    "b1,9,กรมสอง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,250,no",
]


def test_hierarchy_sums_per_level_and_year_in_million_baht(tmp_path):
    table, spec = write(tmp_path, ROWS)
    ds = dataset_from_result(ingest_tables([table], str(spec)))
    nodes = {(r["level"], r["name"], r["parent_id"]): r["node_id"] for r in ds.nodes.to_dict("records")}
    one = nodes[("agency", "กรมหนึ่ง", "")]
    sums = compared_sums(ds)
    # by hand, thousand baht -> million baht: 1000 + 500.5 + 300 (own-year obligation) = 1800.5 thousand
    assert sums[(one, 2567)] == Decimal("1.8005")
    assert sums[(one, 2566)] == Decimal("0.2") and sums[(one, 2568)] == Decimal("0.4")
    # same plan name under two agencies: two nodes
    assert nodes[("plan", "แผน ก", one)] != nodes[("plan", "แผน ก", nodes[("agency", "กรมสอง", "")])]
    kinds = dict(zip(ds.items.item_id, ds.items.kind))
    assert kinds["a3"] == kinds["a5"] == "obligation_other_year" and kinds["a4"] == "appropriation"
    assert ds.plan["bill_year"] == 2567 and ds.plan["phase"] == "approved"
    # OUTPUT-or-PROJECT: first non-empty wins
    assert dict(zip(ds.items.item_id, ds.items.output))["a2"] == "โครงการ 2"


def test_suspected_subtotal_and_its_hint_on_the_total(tmp_path):
    rows = ROWS[:2] + [
        # s1 (no item name) = 70 + 30 of the rows nested under it: its names are a prefix of theirs
        "s1,5,กรมสาม,แผน ค,ผลผลิต 9,,,2567,100,no",
        "s2,5,กรมสาม,แผน ค,ผลผลิต 9,,โต๊ะ,2567,70,no",
        "s3,5,กรมสาม,แผน ค,ผลผลิต 9,,เก้าอี้,2567,30,no",
    ]
    table, spec = write(tmp_path, rows)
    stated = tmp_path / "stated.csv"
    stated.write_text("level,name,fiscal_year,amount,unit\nagency,กรมสาม,2567,100000,baht\n", encoding="utf-8")
    ds = dataset_from_result(ingest_tables([table], str(spec), stated=stated))
    status = dict(zip(ds.items.item_id, ds.items.status))
    assert status["s1"] == "suspected_subtotal" and status["s2"] == status["s3"] == "ok"
    findings = run_checks(ds)
    total = [f for f in findings if f.check == "stated_total"]
    assert len(total) == 1 and total[0].hint == "subtotal_double_count"
    assert total[0].difference == "0.1" and total[0].name == "กรมสาม" and total[0].level == "agency"
    assert "หน่วยงาน กรมสาม" in total[0].message and "ITEM_ID s1" in total[0].message
    assert [f.id for f in findings if f.check == "suspected_subtotal"] == [ds.items.node_id[2]]


def test_duplicate_rows_flagged_and_explain_the_total(tmp_path):
    rows = ROWS + ["b2,9,กรมสอง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,250,no"]
    table, spec = write(tmp_path, rows)
    stated = tmp_path / "s.csv"
    stated.write_text("level,name,fiscal_year,amount,unit\nagency,กรมสอง,2567,0.25,million_baht\n", encoding="utf-8")
    ds = dataset_from_result(ingest_tables([table], str(spec), stated=stated))
    assert dict(zip(ds.items.item_id, ds.items.status))["b2"] == "duplicate"
    (total,) = [f for f in run_checks(ds) if f.check == "stated_total"]
    assert total.hint == "duplicate_rows" and total.difference == "0.25"


def test_matching_total_gives_no_finding_and_tolerance_boundary(tmp_path):
    table, spec = write(tmp_path, ROWS)
    stated = tmp_path / "s.csv"
    # กรมหนึ่ง 2567 = 1.8005 million by hand; stated 1.8055 -> difference exactly 0.005
    stated.write_text("level,name,fiscal_year,amount,unit\nagency,กรม  หนึ่ง,2567,1.8055,million_baht\n",
                      encoding="utf-8")
    result = ingest_tables([table], str(spec), stated=stated)
    ds = dataset_from_result(result)
    assert [f.check for f in run_checks(ds, tolerance="0.005") if f.check == "stated_total"] == []
    (f,) = [f for f in run_checks(ds, tolerance="0.0049") if f.check == "stated_total"]
    assert f.difference == "-0.005" and f.hint == "missing_rows"


def test_malformed_amount_reported_not_guessed_and_hint(tmp_path):
    rows = ROWS[:1] + ["m1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าเช่า,2567,\"20,0\",no"]
    table, spec = write(tmp_path, rows)
    stated = tmp_path / "s.csv"
    stated.write_text("level,name,fiscal_year,amount,unit\nagency,กรมหนึ่ง,2567,3,million_baht\n", encoding="utf-8")
    result = ingest_tables([table], str(spec), stated=stated)
    (note,) = [r for r in result.tables["ingest_report"] if r["disposition"] == "reported"]
    assert note["row"] == 3 and "'20,0'" in note["note"]
    ds = dataset_from_result(result)
    assert dict(zip(ds.items.item_id, ds.items.amount_mb))["m1"] == ""
    by_check = {f.check: f for f in run_checks(ds)}
    assert by_check["malformed_amount"].severity == "error" and by_check["malformed_amount"].source_line == 3
    assert by_check["stated_total"].hint == "malformed_amount"


@pytest.mark.parametrize("cell, expected", [
    ("78,459,000", ("78.459", "ok")), ("1,000.01", ("0.00100001", "ok")), ("1,000.001", ("0.001000001", "float_noise")),
    ("528,000,00", (None, "malformed_amount")), ("20,0", (None, "malformed_amount")),
    ("1,0000", (None, "malformed_amount")), ("๑,๒๐๐", ("0.0012", "ok")), ("", (None, "missing_amount")),
    ("1e6", (None, "malformed_amount")),
])
def test_amount_cells(cell, expected):
    value, status = parse_amount_cell(cell, "baht")
    assert (None if value is None else format(value.normalize(), "f"), status) == expected


def test_skipped_rows_are_accounted_and_row_filter(tmp_path):
    mapping = MAPPING + "row_filter: {column: OBL, equals: [\"no\", \"yes\"]}\n"
    rows = ROWS[:2] + [",,,,,,,,,", "x1,1,กรมหนึ่ง,แผน ก,,,x,20xx,1,no", "x2,1,กรมหนึ่ง,แผน ก,,,y,2567,1,maybe"]
    table, spec = write(tmp_path, rows, mapping=mapping)
    result = ingest_tables([table], str(spec))
    skipped = {r["row"]: r["note"] for r in result.tables["ingest_report"] if r["disposition"] == "skipped"}
    assert sorted(skipped) == [4, 5, 6]
    assert "blank" in skipped[4] and "fiscal year" in skipped[5] and "row filter" in skipped[6]
    assert result.plan["accounting"] == {"rows": 5, "items": 2, "reported": 0, "recognised": 0, "skipped": 3}


def test_recognised_subtotal_rows_become_stated_totals(tmp_path):
    mapping = MAPPING + "subtotal: {column: ITEM, pattern: '^รวม'}\n"
    rows = ROWS[:2] + ["t1,3,กรมหนึ่ง,แผน ก,,,รวมแผน ก,2567,\"1,600\",no"]
    table, spec = write(tmp_path, rows, mapping=mapping)
    ds = dataset_from_result(ingest_tables([table], str(spec)))
    assert "t1" not in set(ds.items.item_id)
    (row,) = ds.stated.to_dict("records")
    assert row["level"] == "plan" and row["name"] == "แผน ก" and row["amount_mb"] == "1.6" and row["line"] == "4"
    (f,) = [f for f in run_checks(ds) if f.check == "stated_total"]
    assert f.difference == "-0.0995"  # 1.5005 - 1.6 by hand


def test_cli_ingest_then_check_dir_and_formats(tmp_path, capsys):
    table, spec = write(tmp_path, ROWS)
    out = tmp_path / "ds"
    assert main(["ingest", str(table), "--mapping", str(spec), "--out", str(out)]) == 0
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["kind"] == "budget_table" and plan["fiscal_years"] == [2566, 2567, 2568]
    assert [lv["key"] for lv in plan["levels"]] == ["agency", "plan", "output", "item"]
    assert plan["sources"][0]["rows"] == 6 and len(plan["sources"][0]["sha256"]) == 64
    capsys.readouterr()
    for fmt in ("table", "json", "markdown", "csv"):
        assert main(["check", str(out), "--format", fmt]) == 0
    assert load_dataset(out).items.shape[0] == 6
    # an ingested plan directory is never overwritten by a budget ingest
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "plan.json").write_text('{"title": "x", "fiscal_years": []}', encoding="utf-8")
    assert main(["ingest", str(table), "--mapping", str(spec), "--out", str(tmp_path / "plan")]) == 2


@pytest.mark.parametrize("mapping, message", [
    ("levels: []\n", "levels"),
    (MAPPING.replace("era: BE", "era: AD"), "era"),
    (MAPPING.replace("unit: thousand_baht", "unit: dollars"), "unit"),
    (MAPPING.replace("columns: [ITEM]", "columns: [NOPE]"), "NOPE"),
    (MAPPING.replace("phase: approved", "phase: final"), "phase"),
])
def test_bad_mapping_is_exit_2_naming_the_file(tmp_path, capsys, mapping, message):
    table, spec = write(tmp_path, ROWS, mapping=mapping)
    assert main(["check", str(table), "--mapping", str(spec)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_tables_are_exit_2(tmp_path, capsys):
    table, spec = write(tmp_path, ROWS)
    assert main(["check", str(table)]) == 2  # no --mapping
    assert "--mapping" in capsys.readouterr().err
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(HEADER + "a,1,x,y,z,,i,2567,1,no,EXTRA\n", encoding="utf-8")
    assert main(["check", str(ragged), "--mapping", str(spec)]) == 2
    assert f"{ragged}:2:" in capsys.readouterr().err
    with pytest.raises(InputError):
        load_mapping("no-such-mapping")


def test_stated_totals_given_to_check_on_an_ingested_directory(tmp_path, capsys):
    table, spec = write(tmp_path, ROWS)
    out = tmp_path / "ds"
    assert main(["ingest", str(table), "--mapping", str(spec), "--out", str(out)]) == 0
    stated = tmp_path / "s.csv"
    # กรมหนึ่ง in 2567: 1,000 + 500.5 + 300 thousand baht = 1.8005 million (a3 and a5 are other years)
    stated.write_text("level,name,fiscal_year,amount,unit\nagency,กรมหนึ่ง,2567,2,million_baht\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(out), "--stated", str(stated), "--format", "json"]) == 1
    (finding,) = [f for f in json.loads(capsys.readouterr().out) if f["check"] == "stated_total"]
    assert str(finding["difference"]) == "-0.1995" and finding["name"] == "กรมหนึ่ง"
    stated.write_text("level,name,fiscal_year,amount,unit\nagency,กรมหนึ่ง,2567,1.8,million_baht\n", encoding="utf-8")
    assert main(["check", str(out), "--stated", str(stated)]) == 0  # 0.0005 apart: within 0.005
    stated.write_text("level,name,fiscal_year,amount,unit\nagency,กรมสาม,2567,1,million_baht\n", encoding="utf-8")
    assert main(["check", str(out), "--stated", str(stated)]) == 2
    assert f"{stated}:2:" in capsys.readouterr().err


def test_node_table_read_lazily_is_the_same_and_refused_once_changed(tmp_path, capsys):
    table, spec = write(tmp_path, ROWS)
    out = tmp_path / "ds"
    write_dataset(ingest_tables([table], str(spec)), out)
    eager, lazy = load_dataset(out), load_dataset(out, lazy_nodes=True)
    assert lazy.nodes.equals(eager.nodes) and lazy.nodes.dtypes.equals(eager.nodes.dtypes)
    assert "กรมสอง" in set(lazy.nodes["name"])
    later = load_dataset(out, lazy_nodes=True)
    (out / "nodes.csv").write_text("node_id,level,name,parent_id\n1,agency,กรมอื่น,\n", encoding="utf-8")
    with pytest.raises(InputError, match="changed since the dataset was loaded") as caught:
        _ = later.nodes
    assert str(out / "nodes.csv") in str(caught.value)
    (out / "nodes.csv").unlink()  # a missing table is still refused when the dataset is loaded
    assert main(["check", str(out)]) == 2
    assert "nodes.csv" in capsys.readouterr().err


def test_unknown_stated_level_and_bad_year(tmp_path, capsys):
    table, spec = write(tmp_path, ROWS)
    for body, needle in [("ministry,กรมหนึ่ง,2567,1,baht", "level"), ("agency,กรมหนึ่ง,2024,1,baht", "Buddhist"),
                         ("agency,กรมหนึ่ง,2567,1,dollar", "unit"), ("agency,กรมหนึ่ง,2567,\"1,0\",baht", "amount")]:
        stated = tmp_path / "s.csv"
        stated.write_text("level,name,fiscal_year,amount,unit\n" + body + "\n", encoding="utf-8")
        assert main(["check", str(table), "--mapping", str(spec), "--stated", str(stated)]) == 2
        err = capsys.readouterr().err
        assert f"{stated}:2:" in err and needle in err


def test_write_dataset_keeps_foreign_files(tmp_path):
    table, spec = write(tmp_path, ROWS)
    out = tmp_path / "ds"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    write_dataset(ingest_tables([table], str(spec)), out)
    write_dataset(ingest_tables([table], str(spec)), out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["notes.txt", "plan.json", "items.csv", "nodes.csv", "stated.csv", "ingest_report.csv",
         ".coopanalysis-manifest.json"])
    manifest = json.loads((out / ".coopanalysis-manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == ["ingest_report.csv", "items.csv", "nodes.csv", "plan.json", "stated.csv"]


def test_allocation_by_any_level_top_n_and_treemap(tmp_path):
    """The rows an agency page shows (and offers for download), from ca.allocation on the dataset."""
    from matplotlib.figure import Figure

    import coopanalysis as ca
    from coopanalysis.present.budget import OTHER, allocation_rows

    table, spec = write(tmp_path, ROWS)
    ds = ca.load(table, mapping=spec)
    # items of 2567 by hand: ค่าจ้าง 1.0 + 0.25 (two nodes, two agencies), ค่าวัสดุ 0.5005, อาคาร 0.3
    items = allocation_rows(ds, "item", 2567)
    assert list(items["amount_mb"]) == [Decimal("1"), Decimal("0.5005"), Decimal("0.3"), Decimal("0.25")]
    top = allocation_rows(ds, "item", 2567, top=2)
    assert list(top["name"]) == ["ค่าจ้าง", "ค่าวัสดุ", f"{OTHER} (2)"] and list(top["node_id"])[2] == ""
    assert top["amount_mb"].iloc[2] == Decimal("0.55") and abs(top["share"].sum() - 1) < 1e-12
    one = ds.nodes[ds.nodes.name == "กรมหนึ่ง"].node_id.iloc[0]
    plans = allocation_rows(ds, "plan", 2566, within=one)
    assert list(plans["name"]) == ["แผน ข"] and plans["amount_mb"].iloc[0] == Decimal("0.2")
    assert list(plans["parent"]) == ["กรมหนึ่ง"]
    wide = ca.by_year(ds, "agency")
    assert [c for c in wide.columns if isinstance(c, int)] == [2566, 2567, 2568] and wide[2567].tolist() == [1.8005, 0.25]
    fig = ca.chart.treemap(ds, "plan", 2567, top=3)
    assert isinstance(fig, Figure) and "แผนงาน" in fig.get_suptitle() and "2567" in fig.get_suptitle()
    with pytest.raises(KeyError):
        ca.allocation(ds, "ministry")
    with pytest.raises(ValueError, match="2599"):
        ca.allocation(ds, "plan", 2599)


def test_plans_still_go_to_the_plan_checks(tmp_path, capsys):
    from coopanalysis import paths
    from coopanalysis.budget.cli import wants_budget
    from coopanalysis.checks import has_errors
    from coopanalysis.checks import run_checks as plan_checks
    from coopanalysis.model.plan import load

    assert not wants_budget([str(paths.PLAN_DIR)]) and not wants_budget([str(paths.SEED)])
    expected = 1 if has_errors(plan_checks(load(paths.PLAN_DIR))) else 0
    assert main(["check", str(paths.PLAN_DIR), "--format", "json"]) == expected
    assert json.loads(capsys.readouterr().out)  # the plan's findings, not a budget dataset's
    assert main(["check", str(paths.PLAN_DIR), str(paths.PLAN_DIR)]) == 2  # one plan at a time
    assert main(["ingest", str(paths.SEED), "--stated", "x.csv", "--out", str(tmp_path / "o")]) == 2


def test_names_with_terminal_escapes_are_shown_escaped(tmp_path, capsys):
    rows = ["e1,1,กรม\x1b[31mแดง,แผน <b>ก</b>|x,,,ค่าจ้าง,2567,1,no"]
    table, spec = write(tmp_path, rows)
    stated = tmp_path / "s.csv"
    stated.write_text("level,name,fiscal_year,amount,unit\nagency,กรม\x1b[31mแดง,2567,5,million_baht\n", encoding="utf-8")
    assert main(["check", str(table), "--mapping", str(spec), "--stated", str(stated)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[31m" in out
    assert main(["check", str(table), "--mapping", str(spec), "--stated", str(stated), "--format", "markdown"]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out


def test_wrong_era_is_a_mapping_error_not_an_empty_dataset(tmp_path, capsys):
    table, spec = write(tmp_path, ROWS, mapping=MAPPING.replace("era: BE", "era: CE"))
    # BE years read as CE give 3110: no row has a usable year
    assert main(["check", str(table), "--mapping", str(spec)]) == 2
    err = capsys.readouterr().err
    assert f"{table}:2:" in err and "era" in err


def test_relative_tolerance_and_folders(tmp_path, capsys):
    table, spec = write(tmp_path, ROWS)
    stated = tmp_path / "s.csv"
    # กรมหนึ่ง 2567 = 1.8005 by hand; stated 1.82 -> difference -0.0195, 1.07% of stated
    stated.write_text("level,name,fiscal_year,amount,unit\nagency,กรมหนึ่ง,2567,1.82,million_baht\n", encoding="utf-8")
    ds = dataset_from_result(ingest_tables([table], str(spec), stated=stated))
    assert [f.difference for f in run_checks(ds) if f.check == "stated_total"] == ["-0.0195"]
    assert [f for f in run_checks(ds, rel_tolerance="0.011") if f.check == "stated_total"] == []
    assert len([f for f in run_checks(ds, rel_tolerance="0.0107") if f.check == "stated_total"]) == 1
    with pytest.raises(ValueError):
        run_checks(ds, tolerance="-1")
    # a folder: its tables in name order, other files ignored; the same file name twice is refused
    folder = tmp_path / "vols"
    folder.mkdir()
    (folder / "b.csv").write_text(HEADER + ROWS[5] + "\n", encoding="utf-8")
    (folder / "a.csv").write_text(HEADER + ROWS[0] + "\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a table", encoding="utf-8")
    result = ingest_tables([folder], str(spec))
    assert [s["file"] for s in result.plan["sources"]] == ["a.csv", "b.csv"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.csv").write_text(HEADER, encoding="utf-8")
    assert main(["check", str(folder), str(other), "--mapping", str(spec)]) == 2
    assert "a.csv" in capsys.readouterr().err


def test_xlsx_with_numbers_and_booleans(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "PAGE", "AGENCY", "PLAN", "OUTPUT", "PROJECT", "ITEM", "YEAR", "AMOUNT", "OBL"])
    sheet.append(["a1", 3, "กรมหนึ่ง", "แผน ก", "ผลผลิต 1", None, "ค่าจ้าง", 2567, 1000, "no"])
    sheet.append(["a2", 3, "กรมหนึ่ง", "แผน ก", None, "โครงการ 2", "ค่าวัสดุ", 2567, 500.5, "no"])
    sheet.append(["a3", 4, "กรมหนึ่ง", "แผน ข", "ผลผลิต 3", None, "อาคาร", 2567.0, 1 / 3, "yes"])
    xlsx = tmp_path / "t.xlsx"
    book.save(xlsx)
    _, spec = write(tmp_path, [])
    ds = dataset_from_result(ingest_tables([xlsx], str(spec)))
    amounts = dict(zip(ds.items.item_id, ds.items.amount_mb))
    # thousand baht -> million baht, by hand; 1/3 thousand baht is not a whole satang: float noise, kept
    assert amounts["a1"] == "1" and amounts["a2"] == "0.5005" and amounts["a3"].startswith("0.000333333")
    assert dict(zip(ds.items.item_id, ds.items.status))["a3"] == "float_noise"
    assert set(ds.items.fiscal_year) == {"2567"} and list(ds.items.page) == ["3", "3", "4"]


def test_a_dataset_directory_is_not_read_as_tables(tmp_path, capsys):
    table, spec = write(tmp_path, ROWS)
    out = tmp_path / "ds"
    assert main(["ingest", str(table), "--mapping", str(spec), "--out", str(out)]) == 0
    assert main(["ingest", str(out), "--mapping", str(spec), "--out", str(tmp_path / "again")]) == 2
    assert "plan.json" in capsys.readouterr().err
    assert main(["check", str(out)]) == 0


def test_a_deeply_nested_plan_json_is_exit_2_not_a_recursion_traceback(tmp_path, capsys):
    from coopanalysis.cli import main

    (tmp_path / "plan.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "RecursionError" not in err


def test_names_that_differ_only_in_spacing_or_digits_are_one_node(tmp_path):
    rows = ["a1,3,กรม หนึ่ง,แผน ๑,ผลผลิต 1,,ค่าจ้าง,2567,100,no",
            "a2,3,กรมหนึ่ง,แผน 1,ผลผลิต  1,,ค่าวัสดุ,2567,200,no",
            "a3,3,กรมสอง,แผน 1,ผลผลิต 1,,ค่าจ้าง,2567,50,no"]
    table, spec = write(tmp_path, rows)
    nodes = dataset_from_result(ingest_tables([table], str(spec))).nodes
    # กรม หนึ่ง / กรมหนึ่ง share one node, named as first seen; แผน ๑ and แผน 1 are one plan under it;
    # "ผลผลิต  1" folds to "ผลผลิต 1"; กรมสอง is a node of its own
    assert nodes[nodes.level == "agency"].name.tolist() == ["กรม หนึ่ง", "กรมสอง"]
    assert nodes[nodes.level == "plan"].name.tolist() == ["แผน ๑", "แผน 1"]
    assert nodes[nodes.level == "output"].name.tolist() == ["ผลผลิต 1", "ผลผลิต 1"]
    assert len(nodes[nodes.level == "item"]) == 3
