"""Reviewed corrections of budget-table rows: the one corrections file format (issue 22, item 3).

A small table written here prints a total that fails because one row lost its decimal point; a
correction with a reason makes it hold. Expected figures are worked out by hand from the rows
written in each test (amounts in thousand baht, as the tiny mapping reads them).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from helpers import TINY_MAPPING, need_real  # tests/helpers.py

import coopanalysis as ca
from coopanalysis import paths
from coopanalysis.cli import main
from coopanalysis.errors import InputError

HEADER = "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
ROWS = [
    "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
    # printed 25 where the document means 2.5: the agency's printed total 1,002.5 fails by 22.5
    "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,25,no",
    "b1,9,กรมสอง,แผน ข,ผลผลิต 2,,ค่าจ้าง,2567,250,no",
]
# thousand baht -> million baht: 1,000 + 2.5 = 1,002.5 thousand = 1.0025 million
STATED = "level,name,fiscal_year,amount,unit\nagency,กรมหนึ่ง,2567,1002.5,thousand_baht\n"
REASON = "Lost decimal point: the volume prints 2.5 on page 3"
GOOD = f"""\
# reviewed corrections of the test table
corrections:
  - source_file: t.csv
    item_id: a2
    field: amount
    printed: "25"
    corrected: "2.5"
    reason: "{REASON}"
"""


@pytest.fixture
def table(tmp_path: Path) -> dict[str, Path]:
    files = {"table": tmp_path / "t.csv", "mapping": tmp_path / "tiny.yaml", "stated": tmp_path / "stated.csv",
             "corrections": tmp_path / "corrections.yaml"}
    files["table"].write_text(HEADER + "".join(r + "\n" for r in ROWS), encoding="utf-8")
    files["mapping"].write_text(TINY_MAPPING, encoding="utf-8")
    files["stated"].write_text(STATED, encoding="utf-8")
    files["corrections"].write_text(GOOD, encoding="utf-8")
    return files


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def error_line(capsys, *args) -> str:
    """The one line on stderr of a command that must exit 2 (never a traceback)."""
    code, _, err = run(capsys, *args)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def findings(out: str) -> list[dict]:
    """The JSON findings, amounts read exactly."""
    return json.loads(out, parse_float=Decimal)


def check_args(files, *extra) -> list:
    return ["check", files["table"], "--mapping", files["mapping"], "--stated", files["stated"], "--format", "json",
            *extra]


def test_the_misprinted_row_fails_the_printed_total_and_the_correction_makes_it_hold(table, capsys):
    code, out, _ = run(capsys, *check_args(table))
    (total,) = [f for f in findings(out) if f["check"] == "stated_total"]
    assert code == 1 and (total["stated"], total["computed"], total["difference"]) == (
        Decimal("1.0025"), Decimal("1.025"), Decimal("0.0225"))
    code, out, err = run(capsys, *check_args(table, "--corrections", table["corrections"]))
    assert code == 0 and [f for f in findings(out) if f["severity"] == "error"] == []
    assert "1 printed totals compared, 1 hold" in err
    assert "1 reviewed corrections applied" in err and "t.csv a2 amount 25 → 2.5" in err
    # what a reader of the markdown sees: the counts and the corrections as two paragraphs
    code, out, _ = run(capsys, *check_args(table, "--corrections", table["corrections"], "--format", "markdown"))
    assert code == 0 and "\\n" not in out
    assert "\n\nใช้ค่าที่แก้ไขตามการตรวจทาน 1 ค่า \\(1 reviewed corrections applied" in out


def test_each_applied_correction_is_an_info_finding_with_its_reason_as_for_a_plan(table, capsys):
    code, out, _ = run(capsys, *check_args(table, "--corrections", table["corrections"]))
    (applied,) = [f for f in findings(out) if f["check"] == "correction_applied"]
    assert (applied["severity"], applied["fiscal_year"], applied["source_line"]) == ("info", 2567, 3)  # line 3 of t.csv
    assert "t.csv แถว 3 ITEM_ID a2" in applied["message"] and "ใช้จำนวนเงินที่แก้แล้ว 2.5 แทนค่าที่พิมพ์ 25" in applied["message"]
    assert applied["message"].endswith(REASON) and applied["name"] == "ค่าวัสดุ"
    # the analyst's Findings say the same, and without corrections there is no such finding
    found = ca.check(ca.load(table["table"], mapping=table["mapping"], corrections=table["corrections"]))
    assert found.to_frame().query("check == 'correction_applied'")["message"].tolist() == [applied["message"]]
    code, out, _ = run(capsys, *check_args(table))
    assert "correction_applied" not in {f["check"] for f in findings(out)}


def test_ingest_records_the_correction_status_report_and_provenance(table, tmp_path, capsys):
    out_dir = tmp_path / "ds"
    code, out, _ = run(capsys, "ingest", table["table"], "--mapping", table["mapping"], "--stated", table["stated"],
                       "--corrections", table["corrections"], "--out", out_dir)
    assert code == 0 and "1 reviewed corrections applied" in out
    items = pd.read_csv(out_dir / "items.csv", dtype=str, keep_default_na=False).set_index("item_id")
    # the corrected amount is used, the printed text kept, the status says so; other rows untouched
    assert items.loc["a2", ["amount_mb", "amount_text", "status"]].tolist() == ["0.0025", "25", "corrected"]
    assert items.loc["a1", ["amount_mb", "status"]].tolist() == ["1", "ok"]
    applied = pd.read_csv(out_dir / "corrections_applied.csv", dtype=str, keep_default_na=False)
    assert applied.to_dict("records") == [{"source_file": "t.csv", "item_id": "a2", "source_row": "3",
                                           "fiscal_year": "2567", "field": "amount", "printed": "25",
                                           "corrected": "2.5", "reason": REASON}]
    report = pd.read_csv(out_dir / "ingest_report.csv", dtype=str, keep_default_na=False)
    (row,) = report[report["disposition"] == "corrected"].to_dict("records")
    assert row["file"] == "t.csv" and row["row"] == "3" and REASON in row["note"] and "'25'" in row["note"]
    plan = json.loads((out_dir / "plan.json").read_text(encoding="utf-8"))
    assert plan["corrections_file"] == "corrections.yaml" and plan["accounting"]["corrected"] == 1
    assert plan["accounting"]["items"] == 3 and plan["accounting"]["reported"] == 0  # a corrected row is no flag
    # the folder as loaded: the corrections with their reasons in the provenance, the total holds
    ds = ca.load(out_dir)
    assert ds.corrections[["item_id", "reason"]].values.tolist() == [["a2", REASON]]
    findings = ca.check(ds)
    assert (findings.compared, findings.held) == (1, 1) and not findings.errors
    assert "unread_rows" not in {f.check for f in findings}  # a corrected row is an item, not a row left out
    # checking the folder again uses the corrected amount; --corrections on it is refused with the hint
    assert run(capsys, "check", out_dir)[0] == 0
    line = error_line(capsys, "check", out_dir, "--corrections", table["corrections"])
    assert str(out_dir) in line and "already ingested" in line and "re-run 'coopanalysis ingest --corrections'" in line


def test_load_tables_with_corrections(table):
    ds = ca.load(table["table"], mapping=table["mapping"], stated=table["stated"], corrections=table["corrections"])
    amounts = ds.amounts.set_index("item_id")
    assert amounts.loc["a2", "amount_mb"] == 0.0025 and amounts.loc["a2", "status"] == "corrected"
    assert ds.amounts["amount_mb"].sum() == pytest.approx(1.2525)  # 1 + 0.0025 + 0.25 million
    assert ds.corrections["reason"].tolist() == [REASON]
    assert not ca.check(ds).errors
    plain = ca.load(table["table"], mapping=table["mapping"], stated=table["stated"])
    assert plain.corrections.empty and len(ca.check(plain).errors) == 1
    with pytest.raises(InputError, match="already ingested"):
        ca.load(paths.ROOT / "data" / "plan", corrections=table["corrections"])


def test_printed_value_written_without_separators_still_matches(table, capsys):
    # a1 prints "1,000"; the reviewer wrote 1000 (a YAML number): the same amount, not stale
    table["corrections"].write_text(GOOD.replace("a2", "a1").replace('"25"', "1000").replace('"2.5"', '"1,000.5"'),
                                    encoding="utf-8")
    code, out, _ = run(capsys, *check_args(table, "--corrections", table["corrections"]))
    (total,) = [f for f in findings(out) if f["check"] == "stated_total"]
    assert code == 1 and total["computed"] == Decimal("1.0255")  # 1,000.5 + 25 thousand


def test_fiscal_year_correction_moves_the_row(table, capsys, tmp_path):
    # b1 printed 2576 for 2567 (digits swapped): its 250 thousand counts in 2567 once corrected
    rows = ROWS[:2] + [ROWS[2].replace("2567", "2576")]
    table["table"].write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    table["stated"].write_text(STATED + "agency,กรมสอง,2567,250,thousand_baht\n", encoding="utf-8")
    table["corrections"].write_text(GOOD + """\
  - source_file: t.csv
    item_id: b1
    field: fiscal_year
    printed: 2576
    corrected: 2567
    reason: Digits swapped in the year column
""", encoding="utf-8")
    code, out, _ = run(capsys, *check_args(table, "--corrections", table["corrections"]))
    assert code == 0 and [f for f in findings(out) if f["check"] == "stated_total"] == []
    ds = ca.load(table["table"], mapping=table["mapping"], corrections=table["corrections"])
    assert ds.amounts.set_index("item_id").loc["b1", "fiscal_year"] == 2567


ENTRY = """\
  - source_file: t.csv
    item_id: a2
    printed: "25"
    corrected: "2.5"
    reason: Lost decimal point
"""


@pytest.mark.parametrize("entry, line, fragment", [
    (ENTRY.replace('"25"', '"2,500"'), 4, "is stale: the table prints '25', the correction expects '2,500'"),
    (ENTRY.replace("a2", "a9"), 4, "points at no row: t.csv has no item or subtotal row with the id 'a9'"),
    (ENTRY.replace("t.csv", "u.csv"), 4, "no table 'u.csv' among the tables read (t.csv)"),
    (ENTRY.replace("    reason:", "    reasons:"), 8, "unknown key 'reasons'"),
    (ENTRY.replace("    reason: Lost decimal point\n", ""), 4, "lacks reason"),
    (ENTRY.replace("Lost decimal point", '"  "'), 8, "the reason must be text"),
    (ENTRY.replace('"2.5"', '"2,5"'), 4, "corrects to '2,5', which is not a well-formed amount"),
    (ENTRY + ENTRY, 9, "corrects the same cell as correction #1"),
    (ENTRY.replace("a2", "1.10"), 5, "item_id must be text as the table prints it, in quotes (YAML read 1.1)"),
    ('  - project_id: "6.1"\n    fiscal_year: 2562\n    printed: 15\n    corrected: 1.5\n    reason: x\n', 4,
     "names a plan's project"),
])
def test_a_bad_correction_is_exit_2_naming_the_file_and_the_entry_line(table, capsys, entry, line, fragment):
    table["corrections"].write_text("# header comment\n\ncorrections:\n" + entry, encoding="utf-8")
    message = error_line(capsys, *check_args(table, "--corrections", table["corrections"]))
    assert f"{table['corrections']}:{line}:" in message and fragment in message
    # ingest refuses the same way and writes nothing
    out_dir = Path(str(table["corrections"]) + ".out")
    assert error_line(capsys, "ingest", table["table"], "--mapping", table["mapping"], "--corrections",
                      table["corrections"], "--out", out_dir) == message
    assert not out_dir.exists()


def test_a_table_row_correction_given_to_a_plan_is_refused(table, capsys, tmp_path):
    message = error_line(capsys, "ingest", paths.ROOT / "data" / "raw" / "cpd_action_plan_2560_2564.txt",
                         "--corrections", table["corrections"], "--out", tmp_path / "plan")
    assert f"{table['corrections']}:3:" in message and "names a table row" in message


def test_a_plan_project_id_read_as_a_decimal_number_is_refused_asking_for_quotes(capsys, tmp_path):
    # project 6.10 unquoted is the number 6.1 in YAML: a correction would land on project 6.1.
    corrections = tmp_path / "corrections.yaml"
    corrections.write_text("corrections:\n  - project_id: 6.10\n    field: amount\n    fiscal_year: 2562\n"
                           "    printed: \"15\"\n    corrected: \"1.5\"\n    reason: lost decimal point\n",
                           encoding="utf-8")
    message = error_line(capsys, "ingest", paths.ROOT / "data" / "raw" / "cpd_action_plan_2560_2564.txt",
                         "--corrections", corrections, "--out", tmp_path / "plan")
    assert f"{corrections}:2: " in message and "in quotes" in message and "(YAML read 6.1)" in message
    assert not (tmp_path / "plan").exists()


# ---- real data: ../shared/realdata/budget_bill_2565/2022-3-17.csv ----------------------------------

def test_real_subtotal_row_corrected_to_zero_makes_the_printed_unit_total_hold(tmp_path, capsys):
    """Volume 17 prints 166,576,700 baht for the Trade Competition Commission (31.pdf, page 9);
    the CSV keeps ค่าใช้จ่ายลงทุน 2,256,500 (ITEM_ID 2022.3.17.2) beside the one equipment row
    (2022.3.17.3) it sums, so the rows add up to 2.2565 million more than printed."""
    vol17 = need_real("2022-3-17.csv")
    unit = "สำนักงานคณะกรรมการการแข่งขันทางการค้า"
    raw = pd.read_csv(vol17, dtype=str, keep_default_na=False)
    rows = raw[raw["BUDGETARY_UNIT"] == unit].set_index("ITEM_ID")
    assert rows.loc["2022.3.17.2", "AMOUNT"] == rows.loc["2022.3.17.3", "AMOUNT"] == "2,256,500"
    stated = tmp_path / "stated.csv"
    stated.write_text(f"level,name,fiscal_year,amount,unit\nbudgetary_unit,{unit},2565,166576700,baht\n",
                      encoding="utf-8")
    corrections = tmp_path / "corrections.yaml"
    corrections.write_text("corrections:\n  - source_file: 2022-3-17.csv\n    item_id: 2022.3.17.2\n"
                           "    printed: 2,256,500\n    corrected: 0\n"
                           "    reason: A subtotal kept beside the one equipment row it sums (2022.3.17.3)\n",
                           encoding="utf-8")
    args = ["check", vol17, "--mapping", "budget-bill", "--stated", stated, "--format", "json"]
    code, out, _ = run(capsys, *args)
    (total,) = [f for f in findings(out) if f["check"] == "stated_total"]
    assert code == 1 and total["difference"] == Decimal("2.2565")
    code, out, _ = run(capsys, *args, "--corrections", corrections)
    assert [f for f in findings(out) if f["check"] == "stated_total"] == []
    ds = ca.load(vol17, mapping="budget-bill", corrections=corrections)
    assert ds.corrections[["item_id", "printed", "corrected"]].values.tolist() == [["2022.3.17.2", "2,256,500", "0"]]
