"""What ``ingest`` makes of given budget-table rows: cells as read, node ids, flags, files (the sums
the checks compare printed totals with: ``test_mutants_rollup.py``).

Expected values are typed by hand from the rows written in each test, or computed by a few
independent lines here (the csv module).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import TINY_MAPPING as MAPPING  # tests/helpers.py
from hypothesis import given, settings
from hypothesis import strategies as st

from coopanalysis.budget import ingest_tables, load_dataset, write_dataset
from coopanalysis.budget.reader import read_table
from coopanalysis.cli import main
from coopanalysis.errors import InputError

HEADER = "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL"


def _ingest(tmp_path: Path, rows: list[str], name: str = "t.csv", header: str = HEADER):
    table = tmp_path / name
    table.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    spec = tmp_path / "m.yaml"
    spec.write_text(MAPPING, encoding="utf-8")
    return ingest_tables([table], str(spec))


def _row(item_id, agency, plan, output, item, amount, year=2567, obliged="no"):
    return f'{item_id},1,{agency},{plan},{output},,{item},{year},"{amount}",{obliged}'


def _status(result) -> dict[str, str]:
    items = result.frames["items"]
    return dict(zip(items["item_id"], items["status"]))


# --- reading: cells as the csv module reads them ------------------------------------------------

CELL = st.lists(st.sampled_from(list('ab กข๑,"\n ')), max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=0, max_size=6),
       st.sampled_from(["\n", "\r\n"]), st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
def test_a_table_reads_as_the_csv_module_reads_it(tmp_path_factory, rows, ending, quoting):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=ending, quoting=quoting).writerows([["h", "i", "j", "k"]] + rows)
    path = tmp_path_factory.mktemp("read") / "t.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    expected = list(csv.reader(io.StringIO(buffer.getvalue().replace("\r\n", "\n"), newline="")))
    table = read_table(path)
    assert table.header == expected[0]
    assert [table.row(j) for j in range(len(table))] == expected[1:]
    assert list(table.numbers) == list(range(2, len(expected) + 1))


def test_quoted_commas_line_breaks_blank_and_short_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes('\ufeffID, NAME ,AMOUNT\r\n1,"กรม, หนึ่ง","1,000"\r\n\r\n2,"สอง\r\nบรรทัด",\r\n3\r\n'.encode())
    table = read_table(path)
    assert table.header == ["ID", "NAME", "AMOUNT"]
    assert [table.row(j) for j in range(len(table))] == [
        ["1", "กรม, หนึ่ง", "1,000"], ["", "", ""], ["2", "สอง\nบรรทัด", ""], ["3", "", ""]]
    assert list(table.numbers) == [2, 3, 4, 5]


@pytest.mark.parametrize("body, line, words", [
    ('a1,1,A,P,,,x,2567,5,no\na2,1,A,P,,,"y,2567,5,no\na3,1,A,P,,,z,2567,5,no\n', 3, "never closed"),
    ("a1,1,A,P,,,x,2567,5,no\na2,1,A,P,,,y,2567,5,no,extra\n", 3, "11 cells"),
])
def test_an_unreadable_csv_names_the_file_and_line(tmp_path, body, line, words):
    (tmp_path / "t.csv").write_text(HEADER + "\n" + body, encoding="utf-8")
    with pytest.raises(InputError, match=words) as caught:
        read_table(tmp_path / "t.csv")
    assert str(caught.value).startswith(f"{tmp_path / 't.csv'}:{line}:")


def test_a_large_crlf_table_in_thousand_baht(tmp_path):
    rows = [f'a{i},1,กรม {i % 7},แผน,ผล,,"รายการ {i}",2567,"{i:,}",no' for i in range(3000)]
    table = tmp_path / "t.csv"
    table.write_text("\r\n".join([HEADER] + rows) + "\r\n", encoding="utf-8")
    spec = tmp_path / "m.yaml"
    spec.write_text(MAPPING, encoding="utf-8")
    result = ingest_tables([table], str(spec))
    assert result.plan["accounting"]["items"] == 3000
    assert result.frames["items"]["amount_mb"].tolist()[:3] == ["0", "0.001", "0.002"]
    assert result.frames["items"]["amount_mb"].tolist()[-1] == "2.999"


def test_a_table_in_tis620_reads_as_in_utf8(tmp_path):
    rows = [_row("a1", "กรมหนึ่ง", "แผน ก", "ผลผลิต 1", "ค่าจ้าง", "1,000")]
    text = HEADER + "\n" + rows[0] + "\n"
    (tmp_path / "u.csv").write_text(text, encoding="utf-8")
    (tmp_path / "t.csv").write_bytes(text.encode("cp874"))
    spec = tmp_path / "m.yaml"
    spec.write_text(MAPPING, encoding="utf-8")
    utf8, tis = (ingest_tables([tmp_path / n], str(spec)).frames["items"] for n in ("u.csv", "t.csv"))
    assert tis.drop(columns="source_file").equals(utf8.drop(columns="source_file"))
    assert tis["agency"].tolist() == ["กรมหนึ่ง"]


@pytest.mark.parametrize("header", [
    HEADER + ",AMOUNT",                                  # two AMOUNT columns
    HEADER.replace("PAGE", "AGENCY"),                     # a level's column twice
])
def test_a_mapped_column_named_twice_is_refused_naming_file_line_and_column(tmp_path, capsys, header):
    column = "AMOUNT" if header.endswith(",AMOUNT") else "AGENCY"
    cells = _row("a1", "กรมหนึ่ง", "แผน ก", "ผลผลิต 1", "ค่าจ้าง", "1,000")
    if column == "AMOUNT":
        cells += ',"2,000"'
    with pytest.raises(InputError) as caught:
        _ingest(tmp_path, [cells], header=header)
    assert str(caught.value).startswith(f"{tmp_path / 't.csv'}:1:") and f"'{column}'" in str(caught.value)
    assert main(["check", str(tmp_path / "t.csv"), "--mapping", str(tmp_path / "m.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 't.csv'}:1:" in err and column in err and len(err.strip().splitlines()) == 1


def test_an_unmapped_column_named_twice_is_fine(tmp_path):
    result = _ingest(tmp_path, [_row("a1", "กรมหนึ่ง", "แผน ก", "ผลผลิต 1", "ค่าจ้าง", "1,000") + ",x,y"],
                     header=HEADER + ",NOTE,NOTE")
    assert result.frames["items"]["amount_mb"].tolist() == ["1"]


# --- names and node ids ---------------------------------------------------------------------------

def test_names_are_stored_normalised_and_spacing_variants_are_one_node(tmp_path):
    rows = [_row("a1", "กรม\u00a0 กํากับ", "แผน ก", "ผลผลิต 1", "เเปลก", "1"),
            _row("a2", " กรม กำกับ", "แผน\tก", "ผลผลิต 1", "แปลก", "2"),
            _row("a3", "กรม กำกับ", "แผน ก", "ผลผลิต ๑", "แปลก", "3")]
    result = _ingest(tmp_path, rows)
    items, nodes = result.frames["items"], result.frames["nodes"]
    assert set(items["agency"]) == {"กรม กำกับ"} and set(items["plan"]) == {"แผน ก"}
    assert set(items["item"]) == {"แปลก"}
    # the Thai digit ๑ matches 1 (one node), the name printed first is the one kept
    assert items["node_id"].tolist() == ["1.1.1.1"] * 3
    assert nodes["name"].tolist() == ["กรม กำกับ", "แผน ก", "ผลผลิต 1", "แปลก"]


def test_node_ids_in_first_seen_order_a_level_at_a_time(tmp_path):
    # row a2 has no plan or output: its item hangs straight from the agency, numbered after the
    # agency's plans (all plans are placed before any item)
    rows = [_row("a1", "ก", "แผน 1", "", "x", "1"), _row("a2", "ก", "", "", "y", "1"),
            _row("a3", "ข", "แผน 1", "", "x", "1"), _row("a4", "ก", "แผน 2", "", "x", "1")]
    result = _ingest(tmp_path, rows)
    assert result.frames["items"]["node_id"].tolist() == ["1.1.1", "1.3", "2.1.1", "1.2.1"]
    nodes = result.frames["nodes"].set_index("node_id")
    assert nodes.loc["1.3", ["level", "name", "parent_id"]].tolist() == ["item", "y", "1"]
    assert nodes.loc["2", ["level", "name", "parent_id"]].tolist() == ["agency", "ข", ""]


# --- flags: nested sums and duplicates --------------------------------------------------------------

def test_a_row_equal_to_the_rows_nested_under_it_is_a_suspected_subtotal(tmp_path):
    # s0 = A/plan P (no output, no item) = 10 + 20 of the rows under A/P; z0 = 0 is never a subtotal
    rows = [_row("s0", "A", "P", "", "", "30"), _row("s1", "A", "P", "O", "c", "10"),
            _row("s2", "A", "P", "O", "d", "20"), _row("t0", "B", "P", "", "", "31"),
            _row("t1", "B", "P", "", "c", "10"), _row("t2", "B", "P", "", "d", "20"),
            _row("z0", "C", "", "", "", "0"), _row("z1", "C", "", "", "x", "0")]
    status = _status(_ingest(tmp_path, rows))
    assert status == {"s0": "suspected_subtotal", "s1": "ok", "s2": "ok", "t0": "ok", "t1": "ok", "t2": "ok",
                      "z0": "ok", "z1": "ok"}


def test_a_nested_row_without_an_amount_spoils_the_sum_and_years_are_apart(tmp_path):
    rows = [_row("s0", "A", "P", "", "", "30"), _row("s1", "A", "P", "", "c", "10"),
            _row("s2", "A", "P", "", "d", "20,0"),  # malformed: no amount
            _row("y0", "B", "P", "", "", "10"), _row("y1", "B", "P", "", "c", "10"),
            _row("y2", "B", "P", "", "d", "5", year=2568)]  # another year: not in 2567's sum
    status = _status(_ingest(tmp_path, rows))
    assert status["s0"] == "ok" and status["s2"] == "malformed_amount"
    assert status["y0"] == "suspected_subtotal"


def test_a_name_met_at_two_levels_is_one_path(tmp_path):
    # s0: A / item B (no plan); s1-s2: A / plan B / items: the same names in order, so nested
    rows = [_row("s0", "A", "", "", "B", "30"), _row("s1", "A", "B", "", "c", "10"),
            _row("s2", "A", "B", "", "d", "20"), _row("t0", "C", "B", "", "", "7"), _row("t1", "C", "B", "", "e", "6")]
    status = _status(_ingest(tmp_path, rows))
    assert status["s0"] == "suspected_subtotal" and status["t0"] == "ok"


def test_duplicates_need_the_same_node_year_flag_and_amount(tmp_path):
    rows = [_row("r0", "A", "P", "", "x", "5"), _row("r1", "A", "P", "", "x", "5.0"),  # 5 = 5.0
            _row("r2", "A", "P", "", "x", "6"), _row("r3", "A", "P", "", "x", "5", year=2568),
            _row("r4", "A", "P", "", "y", "5"), _row("r5", "A", "P", "", "x", "5", obliged="yes"),
            _row("r6", "A", "P", "", "x", "1,0"), _row("r7", "A", "P", "", "x", "1,0"),
            _row("r8", "A", "P", "", "x", "2,0")]
    result = _ingest(tmp_path, rows)
    status = _status(result)
    assert status["r1"] == "duplicate" and status["r7"] == "malformed_amount;duplicate"
    assert {k for k, v in status.items() if "duplicate" in v} == {"r1", "r7"}
    notes = [r["note"] for r in result.tables["ingest_report"] if "duplicate" in r["note"]]
    assert notes == ["r1: duplicate of row 2 (r0): same names, year and amount",
                     "r7: duplicate of row 8 (r6): same names, year and amount"]


# --- amounts --------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, amount_mb, status", [
    ("1,234", "1.234", "ok"), ("0", "0", "ok"), ("-", "0", "ok"), ("๑,๒๐๐", "1.2", "ok"), ("-5", "-0.005", "ok"),
    ("123,456,789,012,345,678", "123456789012345.678", "ok"), ("1,234.5", "1.2345", "ok"),
    ("0.000001", "0.000000001", "float_noise"), ("0.00001", "0.00000001", "ok"), ("01", "0.001", "ok"),
    ("1,23", "", "malformed_amount"), ("1234,5", "", "malformed_amount"), ("1e3", "", "malformed_amount"),
    (".5", "", "malformed_amount"), ("", "", "missing_amount"),
])
def test_amount_cells_in_thousand_baht(tmp_path, cell, amount_mb, status):
    result = _ingest(tmp_path, [_row("a1", "A", "P", "", "x", cell)])
    items = result.frames["items"]
    assert (items["amount_mb"][0], items["status"][0], items["amount_text"][0]) == (amount_mb, status, cell)


# --- what is written ------------------------------------------------------------------------------

def test_ingested_frames_are_what_the_written_files_read_back(tmp_path: Path):
    rows = ['a1,3,"กรม, ก",แผน 1,ผล 1,,"ซ่อม ""ด่วน""",2567,"1,500",no',
            'a2,3,"กรม, ก",แผน 1,,โครงการ 2,"สร้าง\nอาคาร",2567,20,yes',
            "a3,4,กรม ข,แผน 1,ผล 1,,ซ่อม,2567,7,no"]
    result = _ingest(tmp_path, rows)
    back = load_dataset(write_dataset(result, tmp_path / "out")[0].parent)
    pd.testing.assert_frame_equal(result.frames["nodes"], back.nodes)
    assert result.frames["nodes"]["parent_id"].tolist()[:4] == ["", "", "1", "2"]
    items = result.frames["items"]
    text = [c for c in items.columns if items[c].dtype != np.int64]
    assert set(text) | {"source_row", "fiscal_year"} == set(items.columns)
    pd.testing.assert_frame_equal(items[text], back.items[text])
    assert back.items["agency"].tolist()[0] == "กรม, ก" and back.items["item"].tolist()[:2] == ['ซ่อม "ด่วน"', "สร้าง อาคาร"]
    # the files are plain CSV: the csv module reads the same cells
    with open(tmp_path / "out" / "items.csv", encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    assert records[0] == list(items.columns) and len(records) == 4
    assert records[1][items.columns.get_loc("agency")] == "กรม, ก"


def test_each_source_carries_the_sha256_of_its_own_bytes(tmp_path: Path):
    for name, agency in (("a.csv", "กรม ก"), ("b.csv", "กรม ข"), ("c.csv", "กรม ค")):
        (tmp_path / name).write_text(HEADER + f"\n{name},1,{agency},แผน,ผล,,ซ่อม,2567,5,no\n", encoding="utf-8")
    spec = tmp_path / "m.yaml"
    spec.write_text(MAPPING, encoding="utf-8")
    result = ingest_tables([tmp_path / "c.csv", tmp_path / "a.csv", tmp_path / "b.csv"], str(spec))
    sources = [(s["file"], s["sha256"]) for s in result.plan["sources"]]
    assert sources == [(n, hashlib.sha256((tmp_path / n).read_bytes()).hexdigest()) for n in ("c.csv", "a.csv", "b.csv")]


def test_every_source_row_is_an_item_or_in_the_report(tmp_path):
    rows = [_row("a1", "A", "P", "", "x", "5"), ",,,,,,,,,", "x1,1,A,P,,,x,20xx,1,no",
            _row("a2", "A", "P", "", "x", "5"), _row("a3", "A", "P", "", "y", "1,0")]
    result = _ingest(tmp_path, rows)
    items, report = result.frames["items"], result.frames["ingest_report"]
    kept = set(items["source_row"].tolist())
    left_out = {r for r, d in zip(report["row"], report["disposition"]) if d == "skipped"}
    assert kept | left_out == set(range(2, 7)) and not kept & left_out
    assert sorted(zip(report["row"], report["disposition"])) == [
        (3, "skipped"), (4, "skipped"), (5, "reported"), (6, "reported")]
