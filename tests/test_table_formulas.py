"""The tables an ingest writes (issue 26, case 4 for the dataset folder; case 15 for a stated
file's bytes).

A budget dataset's ``items.csv``, ``nodes.csv``, ``stated.csv`` and a plan's ``data/plan``-style
tables are CSVs a person opens in a spreadsheet and the toolkit reads back. A text cell that
starts like a formula (``= + - @``, a tab, a CR) or with ``'`` is written with one ``'`` before
it; every reader takes exactly one off, so names round-trip; amounts are never prefixed.

Every expected cell and name is typed here by hand from the rows below.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from helpers import TINY_MAPPING  # tests/helpers.py

import coopanalysis as ca
from coopanalysis.budget import ingest_tables, load_dataset, write_dataset
from coopanalysis.cli import main
from coopanalysis.io.schema import table_cell

FIXTURE = Path(__file__).parent / "fixtures" / "other_plan_2565_2569.txt"

LINK = '=HYPERLINK("http://evil","click")'
# plan and output names of the table below, as typed in it
HOSTILE = [LINK, "@SUM(A1)", "'quoted", "+1", "-x"]
# the columns of TINY_MAPPING (tests/helpers.py): amounts in thousand baht, years BE
BILL = f"""ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL
a1,1,กรมหนึ่ง,"{LINK.replace('"', '""')}",+1,,ค่าจ้าง,2565,"1,500",no
a2,1,กรมหนึ่ง,@SUM(A1),-x,,ค่าวัสดุ,2565,-250,no
a3,1,กรมหนึ่ง,'quoted,ผลผลิต ค,,ค่าใช้สอย,2565,1,no
"""
# printed totals that differ from the items (1.5, -0.25, 0.001 million baht), so check names them
STATED = f"""level,name,fiscal_year,amount,unit
plan,"{LINK.replace('"', '""')}",2565,2,million_baht
output,-x,2565,-0.5,million_baht
plan,''quoted,2565,1,million_baht
"""
# (a stated-totals file follows the same rule as the dataset tables: one leading ' is the
# spreadsheet's text marker, so the name 'quoted is written ''quoted)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def bill(tmp_path, capsys) -> Path:
    (tmp_path / "bill.csv").write_text(BILL, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    (tmp_path / "stated.csv").write_text(STATED, encoding="utf-8")
    code, _, err = run(capsys, "ingest", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                       "--stated", tmp_path / "stated.csv", "--out", tmp_path / "ds")
    assert code == 0, err
    return tmp_path / "ds"


def test_budget_dataset_cells_are_text_in_a_spreadsheet(bill):
    names = {r["name"] for r in rows(bill / "nodes.csv")}
    assert {"'" + n for n in HOSTILE} <= names
    assert "กรมหนึ่ง" in names and "ผลผลิต ค" in names  # ordinary names as they are
    items = rows(bill / "items.csv")
    assert [r["plan"] for r in items] == ["'" + LINK, "'@SUM(A1)", "''quoted"]
    assert [r["output"] for r in items] == ["'+1", "'-x", "ผลผลิต ค"]
    # amounts stay numbers: 1,500 thousand baht = 1.5, -250 = -0.25, 1 = 0.001 million baht
    assert [r["amount_mb"] for r in items] == ["1.5", "-0.25", "0.001"]
    assert [r["fiscal_year"] for r in items] == ["2565"] * 3
    stated = rows(bill / "stated.csv")
    assert [(r["name"], r["amount_mb"]) for r in stated] == [("'" + LINK, "2"), ("'-x", "-0.5"), ("''quoted", "1")]


def test_budget_dataset_reads_back_the_names_as_typed(bill):
    ds = ca.load(bill)
    assert set(HOSTILE) <= set(ds.nodes["name"])
    assert not any(n.startswith("''") for n in ds.nodes["name"])
    assert sorted(ds.amounts["amount_mb"].tolist()) == [-0.25, 0.001, 1.5]
    raw = load_dataset(bill)
    assert raw.items["plan"].tolist() == [LINK, "@SUM(A1)", "'quoted"]
    assert raw.stated["name"].tolist() == [LINK, "-x", "'quoted"]


def test_check_and_export_show_the_names_as_typed(bill, tmp_path, capsys):
    code, out, err = run(capsys, "check", bill)
    assert code == 1, err  # the three printed totals differ from the items
    assert "แผนงาน " + LINK + " ปี 2565" in out
    assert "ผลผลิต/โครงการ -x ปี 2565" in out and "'quoted ปี 2565" in out and "''quoted" not in out
    code, out, _ = run(capsys, "check", bill, "--format", "json")
    assert sorted(f["name"] for f in json.loads(out)) == sorted([LINK, "-x", "'quoted"])
    code, out, _ = run(capsys, "check", bill, "--format", "csv")
    shown = sorted(r["name"] for r in csv.DictReader(out.lstrip("\ufeff").splitlines()))
    assert shown == sorted(["'" + LINK, "'-x", "''quoted"])  # guarded once, not twice
    code, _, err = run(capsys, "export", bill, "--format", "fdp", "--out", tmp_path / "fdp")
    assert code == 0, err
    budget = rows(tmp_path / "fdp" / "budget.csv")
    assert [r["plan_name"] for r in budget] == ["'" + LINK, "'@SUM(A1)", "''quoted"]
    assert [r["amount"] for r in budget] == ["1.5", "-0.25", "0.001"]
    code, _, err = run(capsys, "export", bill, "--format", "xlsx", "--out", tmp_path / "b.xlsx")
    assert code == 0, err
    import openpyxl

    cells = [c for ws in openpyxl.load_workbook(tmp_path / "b.xlsx") for row in ws.iter_rows() for c in row
             if c.value in HOSTILE]
    assert {c.value for c in cells} == set(HOSTILE)
    assert {c.data_type for c in cells} == {"s"}  # text, not formulas


def test_tab_led_names_round_trip(tmp_path):
    """The table readers strip a name's spaces and turn a CR into a line end, so a tab or CR can
    lead a name only in a result edited in memory before it is written."""
    (tmp_path / "t.csv").write_text("ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
                                    "a,1,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,-5,no\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    result = ingest_tables([tmp_path / "t.csv"], str(tmp_path / "m.yaml"))
    nodes = result.frames["nodes"]
    result.frames["nodes"] = nodes.assign(name=nodes["name"].replace({"กรมหนึ่ง": "\tกรม", "แผน ก": "'\tแผน"}))
    write_dataset(result, tmp_path / "ds")
    cells = {r["node_id"]: r["name"] for r in rows(tmp_path / "ds" / "nodes.csv")}
    assert (cells["1"], cells["1.1"]) == ("'\tกรม", "''\tแผน")
    assert [r["amount_mb"] for r in rows(tmp_path / "ds" / "items.csv")] == ["-0.005"]  # -5 thousand baht
    nodes = load_dataset(tmp_path / "ds").nodes
    names = dict(zip(nodes["node_id"], nodes["name"]))
    assert (names["1"], names["1.1"]) == ("\tกรม", "'\tแผน")
    assert table_cell("name", "\rกรม") == "'\rกรม" and table_cell("amount_mb", "-5") == "-5"


# ---- the plan tables (data/plan) ----------------------------------------------------------------

# names in the hand-written plan fixture replaced by hostile ones: (times printed, new name)
PLAN_NAMES = {
    "การพัฒนาคุณภาพการสอบบัญชีสหกรณ์": (3, "@SUM(A1)"),  # strategy 1: summary, listing, sheet
    "การส่งเสริมการจัดทำบัญชีของกลุ่มเกษตรกร": (1, "-x"),  # strategy 2, in the summary
    "ส่งเสริมผู้สอบบัญชีภาคเอกชนให้มีคุณภาพ": (1, LINK),  # tactic 1.2, in the summary
    "ส่งเสริมระบบการควบคุมภายในของสหกรณ์": (1, "'quoted"),  # tactic 1.3, in the summary
}


@pytest.fixture
def plan(tmp_path, capsys) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    for old, (times, new) in PLAN_NAMES.items():
        assert text.count(old) == times
        text = text.replace(old, new)
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "ingest", tmp_path / "plan.txt", "--out", tmp_path / "plan")
    assert code == 0, err
    return tmp_path / "plan"


def test_plan_tables_are_text_in_a_spreadsheet_and_read_back(plan, capsys):
    strategies = {r["strategy_id"]: r["name"] for r in rows(plan / "strategies.csv")}
    tactics = {r["tactic_id"]: r["name"] for r in rows(plan / "tactics.csv")}
    assert (strategies["1"], strategies["2"]) == ("'@SUM(A1)", "'-x")
    assert (tactics["1.2"], tactics["1.3"]) == ("'" + LINK, "''quoted")
    # the amounts beside them are numbers: strategy 1 prints 90 million baht in the summary
    assert rows(plan / "strategies.csv")[0]["stated_total_mb"] == "90"
    ds = ca.load(plan)
    names = dict(zip(ds.nodes["node_id"], ds.nodes["name"]))
    assert (names["strategy:1"], names["strategy:2"]) == ("@SUM(A1)", "-x")
    assert (names["tactic:1.2"], names["tactic:1.3"]) == (LINK, "'quoted")
    code, out, _ = run(capsys, "check", plan, "--format", "json")
    shown = {f["name"] for f in json.loads(out)}
    assert {"@SUM(A1)", "-x", LINK, "'quoted"} <= shown
    assert not any(n.startswith("''") or n.startswith("'@") for n in shown)


# ---- a stated-totals file whose bytes are not UTF-8 ----------------------------------------------

def _one_line_error(code: int, err: str) -> str:
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("command", ["check", "ingest"])
def test_stray_byte_in_the_stated_file_names_file_and_line(tmp_path, capsys, command):
    (tmp_path / "bill.csv").write_text(BILL, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    (tmp_path / "stated.csv").write_bytes(b"level,name,fiscal_year,amount,unit\n"
                                          b"agency,@SUM(A1),2565,2,million_baht\n"
                                          b"agency,ab\xffc,2565,1,million_baht\n")
    extra = ["--out", tmp_path / "ds"] if command == "ingest" else []
    code, _, err = run(capsys, command, tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                       "--stated", tmp_path / "stated.csv", *extra)
    line = _one_line_error(code, err)
    assert "stated.csv:3: " in line and "0xff" in line and "UTF-8" in line
    assert not (tmp_path / "ds").exists()


def test_stated_file_with_a_tis620_line_says_how_to_convert(tmp_path, capsys):
    (tmp_path / "bill.csv").write_text(BILL, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    (tmp_path / "stated.csv").write_bytes(
        "level,name,fiscal_year,amount,unit\nagency,กรมหนึ่ง,2565,1,million_baht\n".encode()
        + "agency,กรมหนึ่ง,2566,1,million_baht\n".encode("cp874"))
    code, _, err = run(capsys, "check", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                       "--stated", tmp_path / "stated.csv")
    line = _one_line_error(code, err)
    assert "stated.csv:3: " in line and "TIS-620" in line and "iconv -f TIS-620 -t UTF-8" in line


def test_tis620_stated_file_is_read_like_a_tis620_table(tmp_path, capsys):
    """The table path accepts a whole TIS-620 file; the stated file is read the same way."""
    (tmp_path / "bill.csv").write_bytes(BILL.encode("cp874"))
    (tmp_path / "map.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    # the agency: 1.5 - 0.25 + 0.001 = 1.251 million baht; printed 1.251, so it holds
    (tmp_path / "stated.csv").write_bytes(
        "level,name,fiscal_year,amount,unit\nagency,กรมหนึ่ง,2565,1.251,million_baht\n".encode("cp874"))
    code, out, err = run(capsys, "check", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                         "--stated", tmp_path / "stated.csv")
    assert code == 0, err
    assert "(1 printed totals compared, 1 hold)" in out
    # the same stray byte in the table is refused the same way, naming the table's line
    (tmp_path / "bill.csv").write_bytes(BILL.encode("utf-8").replace(b"@SUM", b"@S\xffM"))
    code, _, err = run(capsys, "check", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml")
    line = _one_line_error(code, err)
    assert "bill.csv:3: " in line and "0xff" in line


# ---- the stated-totals file `coopanalysis stated` writes ------------------------------------------

def test_stated_totals_file_guards_names_and_reads_them_back(bill, tmp_path):
    from coopanalysis.budget.pdf import StatedTotal
    from coopanalysis.budget.stated import read_stated
    from coopanalysis.commands.stated import totals_csv

    text = totals_csv([StatedTotal("plan", LINK, "", 2565, "2", "million_baht", 7, "v.pdf"),
                       StatedTotal("output", "-x", "@SUM(A1)", 2565, "-0.5", "million_baht", 8, "v.pdf")])
    (tmp_path / "written.csv").write_text(text, encoding="utf-8")
    written = rows(tmp_path / "written.csv")
    assert [(r["name"], r["parent"], r["amount"]) for r in written] == [
        ("'" + LINK, "", "2"), ("'-x", "'@SUM(A1)", "-0.5")]
    raw = load_dataset(bill)
    read = read_stated(tmp_path / "written.csv", raw.level_keys, raw.nodes)
    assert [(r["name"], r["amount_mb"]) for r in read] == [(LINK, "2"), ("-x", "-0.5")]
