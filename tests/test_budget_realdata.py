"""Budget tables on real data written by others: ../shared/realdata/budget_bill_2565/ (issue 12).

Every expected figure is worked out here from the raw CSV by a few lines of pandas (or by hand
from the data's README), never from the toolkit's output. Skipped with a clear reason when the
data is absent; FAILS instead when CI=true (CI has the data).
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from helpers import REALDATA  # tests/helpers.py

from coopanalysis.budget import ingest_tables, load_dataset, write_dataset
from coopanalysis.checks import run_checks
from coopanalysis.checks.table_rules import compared_sums
from coopanalysis.cli import main

REAL = REALDATA
VOL4, VOL17 = REAL / "2022-3-4.csv", REAL / "2022-3-17.csv"
CPD = "กรมส่งเสริมสหกรณ์"
WELL_FORMED = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$")


@pytest.fixture(scope="module")
def real():
    if not (VOL4.is_file() and VOL17.is_file()):
        reason = f"real data absent: {REAL} (see /work/shared/realdata/README.md)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " — CI must have it")
        pytest.skip(reason)
    return REAL


def raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def baht(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@pytest.fixture(scope="module")
def both(real, tmp_path_factory):
    out = tmp_path_factory.mktemp("bill")
    write_dataset(ingest_tables([real], "budget-bill"), out)
    return load_dataset(out)


def test_cooperative_promotion_department_fy2565_rows_and_sum(both):
    df = raw(VOL4)
    mine = df[(df.BUDGETARY_UNIT == CPD) & (df.FISCAL_YEAR == "2022")]
    expected_sum = sum(baht(a) for a in mine.AMOUNT) / Decimal(1_000_000)
    assert (df.BUDGETARY_UNIT == CPD).sum() == 80  # README: 80 rows are the department's (all years)
    assert 0 < len(mine) < 80
    assert len(both.items[both.items.budgetary_unit == CPD]) == 80
    items = both.items[(both.items.budgetary_unit == CPD) & (both.items.fiscal_year == "2565")]
    assert sorted(items.item_id) == sorted(mine.ITEM_ID)
    assert sum(Decimal(a) for a in items.amount_mb) == expected_sum
    node = both.nodes[(both.nodes.level == "budgetary_unit") & (both.nodes.name == CPD)]
    assert len(node) == 1
    assert compared_sums(both, [2565])[(node.node_id.iloc[0], 2565)] == expected_sum


def test_the_two_malformed_amounts_are_reported_and_left_empty(both):
    found = []
    for path in (VOL4, VOL17):
        df = raw(path)
        bad = df[~df.AMOUNT.str.match(WELL_FORMED)]
        found += [(path.name, int(i) + 2, item, amount) for i, item, amount in zip(bad.index, bad.ITEM_ID, bad.AMOUNT)]
    assert sorted(a for *_, a in found) == ["20,0", "528,000,00"]  # by hand: the README names both
    report = both.ingest_report
    for file, row, item, amount in found:
        hit = report[(report.file == file) & (report.row == str(row))]
        assert len(hit) == 1 and "malformed" in hit.note.iloc[0] and amount in hit.note.iloc[0]
        entry = both.items[both.items.item_id == item]
        assert entry.amount_mb.tolist() == [""] and entry.amount_text.tolist() == [amount]
    malformed = [f for f in run_checks(both) if f.check == "malformed_amount"]
    assert sorted(f.source_line for f in malformed) == sorted(row for _, row, *_ in found)
    assert all(f.severity == "error" for f in malformed)


def test_each_volume_17_agency_sum(both):
    df = raw(VOL17)
    this_year = df[df.FISCAL_YEAR == "2022"]
    expected = {unit: sum(baht(a) for a in group.AMOUNT) / Decimal(1_000_000)
                for unit, group in this_year.groupby("BUDGETARY_UNIT")}
    assert len(expected) == 4
    sums = compared_sums(both, [2565])
    units = both.nodes[both.nodes.level == "budgetary_unit"]
    got = {name: sums.get((node, 2565), Decimal(0)) for node, name in zip(units.node_id, units.name) if name in expected}
    assert got == expected


def test_bundled_mapping_reads_every_row_of_both_files_or_says_why(both):
    for path in (VOL4, VOL17):
        n = len(raw(path))
        items = both.items[both.items.source_file == path.name]
        report = both.ingest_report[both.ingest_report.file == path.name]
        not_items = report[report.disposition != "reported"]
        rows = sorted(int(r) for r in items.source_row) + sorted(int(r) for r in not_items.row)
        assert sorted(rows) == list(range(2, n + 2)), path.name  # every row exactly once
        assert (not_items.note != "").all()
    assert both.plan["accounting"]["rows"] == sum(len(raw(p)) for p in sorted(REAL.glob("*.csv")))


def test_obligations_for_other_years_are_their_own_kind(both):
    df = pd.concat([raw(VOL4), raw(VOL17)])
    obliged = df["OBLIGED?"] == "True"
    other = set(df[obliged & (df.FISCAL_YEAR != "2022")].ITEM_ID)
    own = set(df[obliged & (df.FISCAL_YEAR == "2022")].ITEM_ID)
    kinds = dict(zip(both.items.item_id, both.items.kind))
    assert other and own
    assert {kinds[i] for i in other} == {"obligation_other_year"}
    assert {kinds[i] for i in own} == {"appropriation"}
    assert both.plan["bill_year"] == 2565


def test_xlsx_made_from_a_csv_ingests_to_the_same_tables(real, tmp_path):
    import openpyxl
    df = raw(VOL17)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(df.columns))
    for record in df.itertuples(index=False):
        sheet.append(list(record))
    xlsx = tmp_path / "2022-3-17.xlsx"
    book.save(xlsx)
    from_csv = ingest_tables([VOL17], "budget-bill")
    from_xlsx = ingest_tables([xlsx], "budget-bill")
    for name in ("items", "nodes", "stated"):
        strip = [{k: v for k, v in row.items() if k != "source_file"} for row in from_csv.tables[name]]
        assert [{k: v for k, v in row.items() if k != "source_file"} for row in from_xlsx.tables[name]] == strip
    assert len(from_xlsx.tables["items"]) == len(df)


def _stated(path: Path, rows) -> Path:
    path.write_text("level,name,fiscal_year,amount,unit\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def test_stated_totals_check_reports_only_the_wrong_agency(real, tmp_path, capsys):
    df = raw(VOL17)
    this_year = df[df.FISCAL_YEAR == "2022"]
    total = {u: sum(baht(a) for a in g.AMOUNT) for u, g in this_year.groupby("BUDGETARY_UNIT")}
    right, wrong = "สำนักงานคณะกรรมการการแข่งขันทางการค้า", "สำนักงานสภาเกษตรกรแห่งชาติ"
    # the printed total for `wrong` is 1.5 million baht more than its rows: a row is missing
    stated = _stated(tmp_path / "stated.csv", [
        f"budgetary_unit,{right},2565,\"{total[right]:,}\",baht",
        f"budgetary_unit,{wrong},2565,{(total[wrong] + 1_500_000) / 1_000_000},million_baht",
    ])
    out = tmp_path / "ds"
    assert main(["ingest", str(VOL17), "--mapping", "budget-bill", "--stated", str(stated), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["check", str(out), "--format", "json"]) == 1
    findings = [f for f in json.loads(capsys.readouterr().out) if f["check"] == "stated_total"]
    assert len(findings) == 1
    (f,) = findings
    assert f["level"] == "budgetary_unit" and f["name"] == wrong and f["fiscal_year"] == 2565
    assert f["difference"] == -1.5 and f["hint"] == "missing_rows"
    assert "หน่วยรับงบประมาณ" in f["message"] and "-1.5 ล้านบาท" in f["message"]
    # the same through check on the table itself, ingested on the fly
    assert main(["check", str(VOL17), "--mapping", "budget-bill", "--stated", str(stated), "--format", "json"]) == 1
    again = [f for f in json.loads(capsys.readouterr().out) if f["check"] == "stated_total"]
    assert [(g["id"], g["difference"]) for g in again] == [(f["id"], -1.5)]


def test_a_stated_row_naming_no_agency_is_exit_2_with_file_and_line(real, tmp_path, capsys):
    stated = _stated(tmp_path / "bad.csv", ["budgetary_unit,สภากาชาดไทย,2565,1,baht",
                                             "budgetary_unit,กรมที่ไม่มีอยู่จริง,2565,1,baht"])
    assert main(["check", str(VOL17), "--mapping", "budget-bill", "--stated", str(stated)]) == 2
    err = capsys.readouterr().err
    assert f"{stated}:3:" in err and "กรมที่ไม่มีอยู่จริง" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_ambiguous_stated_name_needs_a_parent(real, tmp_path, capsys):
    # แผนงานบุคลากรภาครัฐ is a budget plan of every agency in volume 17 (pandas, below)
    df = raw(VOL17)
    n = df[df.BUDGET_PLAN == "แผนงานบุคลากรภาครัฐ"].BUDGETARY_UNIT.nunique()
    assert n > 1
    stated = _stated(tmp_path / "amb.csv", ["budget_plan,แผนงานบุคลากรภาครัฐ,2565,1,baht"])
    assert main(["check", str(VOL17), "--mapping", "budget-bill", "--stated", str(stated)]) == 2
    assert f"{stated}:2:" in capsys.readouterr().err
    with_parent = tmp_path / "par.csv"
    with_parent.write_text("level,name,fiscal_year,amount,unit,parent\n"
                           "budget_plan,แผนงานบุคลากรภาครัฐ,2565,78459000,baht,สำนักงานคณะกรรมการการแข่งขันทางการค้า\n",
                           encoding="utf-8")
    plan_rows = df[(df.BUDGET_PLAN == "แผนงานบุคลากรภาครัฐ") & (df.FISCAL_YEAR == "2022")
                   & (df.BUDGETARY_UNIT == "สำนักงานคณะกรรมการการแข่งขันทางการค้า")]
    assert sum(baht(a) for a in plan_rows.AMOUNT) == 78_459_000  # row 0 of the file, by hand
    assert main(["check", str(VOL17), "--mapping", "budget-bill", "--stated", str(with_parent)]) == 0


def test_cpd_allocation_by_budget_plan(both):
    import coopanalysis as ca
    from coopanalysis.present.budget import allocation_rows

    df = raw(VOL4)
    mine = df[(df.BUDGETARY_UNIT == CPD) & (df.FISCAL_YEAR == "2022")]
    expected = {plan: sum(baht(a) for a in g.AMOUNT) / Decimal(1_000_000) for plan, g in mine.groupby("BUDGET_PLAN")}
    node = both.nodes[(both.nodes.level == "budgetary_unit") & (both.nodes.name == CPD)].node_id.iloc[0]
    table = allocation_rows(ca.load(both.directory), "budget_plan", 2565, within=node)
    assert dict(zip(table.name, table.amount_mb)) == expected
    assert list(table.amount_mb) == sorted(expected.values(), reverse=True)
