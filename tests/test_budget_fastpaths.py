"""The column-wise budget ingest against independent references: the csv module, Decimal loops, hand-built trees.

Each fast path must give exactly what the plain path gives; the references here are written
out in a few lines (csv.reader, ``Decimal`` sums one by one) or worked out by hand.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from helpers import TINY_MAPPING as MAPPING  # tests/helpers.py
from hypothesis import given, settings
from hypothesis import strategies as st

from coopanalysis.budget import ingest_tables, rollup
from coopanalysis.budget.amounts import amount_texts, parse_amount_cell
from coopanalysis.budget.dataset import BudgetDataset
from coopanalysis.budget.flags import duplicates, suspected_subtotals
from coopanalysis.budget.names import factorize
from coopanalysis.budget.quickcsv import quick_csv, quotes_well_placed
from coopanalysis.budget.reader import read_table
from coopanalysis.budget.sums import rollup_present
from coopanalysis.budget.tree import Tree, key_codes
from coopanalysis.decode import clean_utf8, decode_bytes
from coopanalysis.thai import amount_text

CELL = st.lists(st.sampled_from(list('ab กข๑,"\n\r ') + ["\r\n"]), max_size=6).map("".join)


def _reference(raw: bytes):
    """What the csv module reads: header (stripped) and columns padded with ''."""
    text, _ = decode_bytes(raw)
    records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    header = [c.strip() for c in records[0]]
    rows = [r + [""] * (len(header) - len(r)) for r in records[1:]]
    return header, [[r[i] for r in rows] for i in range(len(header))]


def _same(raw: bytes) -> bool | None:
    """True: the quick reader answered and agrees; None: it declined."""
    quick = quick_csv(raw)
    if quick is None:
        return None
    header, columns = quick
    assert (header, [c.tolist() for c in columns]) == _reference(raw)
    return True


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELL, min_size=0, max_size=4), min_size=1, max_size=6),
       st.sampled_from(["\n", "\r\n"]), st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
def test_quick_reader_reads_what_the_csv_module_reads(rows, ending, quoting):
    rows = [["h", "i", "j", "k"]] + rows  # a header no data row is wider than
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=ending, quoting=quoting).writerows(rows)
    raw = buffer.getvalue().encode("utf-8")
    if "\r" not in "".join(c for r in rows for c in r):  # a CR inside a cell is normalised by both or neither
        assert _same(raw) is True
    else:
        assert _same(raw) in (True, None)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab,"\n\r กข')), min_size=1, max_size=30))
def test_quick_reader_never_disagrees_on_any_text(text):
    raw = ("h,i\n" + text).encode("utf-8")
    try:
        _reference(raw)
    except (csv.Error, Exception):  # the csv module refuses it: the quick reader must decline too
        assert quick_csv(raw) is None
        return
    _same(raw)


def test_quick_reader_declines_what_it_cannot_be_sure_of():
    assert quick_csv(b'h\n"ab"c\n') is None            # text after a closing quote
    assert quick_csv(b'h\nab"c\n') is None             # a quote inside a bare cell
    assert quick_csv(b'h\n"open\n') is None            # unterminated
    assert quick_csv(b'h,i\n1,2,3\n') is None          # a row wider than the header
    assert quick_csv("h\nก\n".encode("cp874")) is None          # not UTF-8
    assert quick_csv("h\nก\n".encode("utf-16")) is None
    assert quick_csv(b"h\na\x0cb\n") is None                    # a control character
    assert quick_csv(b"  \n") is None                           # blank
    assert quick_csv(b",\n1,2\n") is None               # empty header
    assert quotes_well_placed(b'"a""b",""\n') and not quotes_well_placed(b'"a"b"\n')
    header, columns = quick_csv('\ufeffh, i \r\n"1,5",\r\n\r\n'.encode())
    assert header == ["h", "i"] and [c.tolist() for c in columns] == [["1,5", ""], ["", ""]]


def test_read_table_gives_the_same_table_either_way(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes('ID,NAME,AMOUNT\r\n1,"กรม, หนึ่ง","1,000"\r\n\r\n2,"สอง\r\nบรรทัด",\r\n3\r\n'.encode())
    quick = read_table(path)
    monkeypatch.setattr("coopanalysis.budget.reader.quick_csv", lambda raw: None)
    slow = read_table(path)
    assert quick.header == slow.header == ["ID", "NAME", "AMOUNT"]
    assert [c.tolist() for c in quick.columns] == [c.tolist() for c in slow.columns]
    assert quick.numbers.tolist() == slow.numbers.tolist() == [2, 3, 4, 5]
    assert quick.row(2) == ["2", "สอง\nบรรทัด", ""]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40) | st.text(max_size=20).map(lambda t: t.encode("utf-8")))
def test_clean_utf8_only_for_what_decode_bytes_reads_as_utf8(raw):
    if not clean_utf8(raw):
        return
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # the quick reader decodes strictly and falls back
    text, encoding = decode_bytes(raw)
    assert encoding in ("utf-8", "utf-8-sig")
    assert text == raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def test_clean_utf8_looks_up_rare_characters_beside_thai():
    import unicodedata

    import pytest

    from coopanalysis.errors import DecodeError

    unassigned = [chr(c) for c in range(0x0E80, 0x0F00) if unicodedata.category(chr(c)) == "Cn"][:5]
    raw = ("ก,ข\n" + "".join(unassigned) + "\n").encode("utf-8")  # lead byte E0 like Thai, not Thai
    assert not clean_utf8(raw)
    with pytest.raises(DecodeError):
        decode_bytes(raw)
    assert clean_utf8("ก,ข\nລາວ\n".encode())  # assigned Lao letters are fine


AMOUNT = st.one_of(
    st.integers(-10**7, 10**9).map(lambda v: f"{v:,}"), st.integers(0, 10**20).map(str),
    st.decimals(min_value=-10**6, max_value=10**6, places=8, allow_nan=False).map(lambda d: f"{d:f}"),
    st.sampled_from(["", "-", "0", "007", "1,0", "528,000,00", "๑,๒๐๐", " 12 ", "1e3", "1,234.5", ".5"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(AMOUNT, max_size=20), st.sampled_from(["baht", "thousand_baht", "million_baht"]))
def test_amount_texts_equal_the_cell_by_cell_parse(cells, unit):
    texts, status = amount_texts(cells, unit)
    expected = [parse_amount_cell(c, unit) for c in cells]
    assert texts.tolist() == [amount_text(a) for a, _ in expected]
    assert status.tolist() == [s for _, s in expected]


def _dataset(node_ids, years, amounts) -> BudgetDataset:
    items = pd.DataFrame({"node_id": node_ids, "fiscal_year": [str(y) for y in years], "amount_mb": amounts})
    return BudgetDataset({"levels": [{"key": "x"}]}, items, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())


NODE = st.lists(st.integers(1, 3), min_size=1, max_size=4).map(lambda parts: ".".join(map(str, parts)))
MB = st.one_of(st.just(""), st.decimals(min_value=-10**13, max_value=10**13, places=6, allow_nan=False),
               st.decimals(min_value=0, max_value=1000, places=14, allow_nan=False)).map(
    lambda d: d if d == "" else amount_text(d))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(NODE, st.sampled_from([2565, 2566]), MB), max_size=25),
       st.sampled_from([None, [2565]]), st.sampled_from([None, [1], [2, 4]]))
def test_rollup_equals_adding_one_by_one(rows, years, depths):
    expected: dict = {}
    present = set()  # nodes with a row in the year, an amount or not
    for node, year, amount in rows:
        if years and year not in years:
            continue
        parts = node.split(".")
        for d in range(1, len(parts) + 1):
            if depths is None or d in depths:
                key = (".".join(parts[:d]), year)
                present.add(key)
                if amount:
                    expected[key] = expected.get(key, Decimal(0)) + Decimal(amount)
    dataset = _dataset([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    got = rollup(dataset, years, depths)
    assert {k: repr(v) for k, v in got.items()} == {k: repr(v) for k, v in expected.items()}
    both = rollup_present(dataset, years, depths)
    assert both[0] == got and both[1] == present


def test_rollup_of_amounts_too_long_for_integers():
    huge = "9" * 25 + ".5"
    got = rollup(_dataset(["1.1", "1.2"], [2565, 2565], [huge, "0.5"]))
    assert got[("1", 2565)] == Decimal("1" + "0" * 25)
    # a long amount beside short ones, and a node whose only row has no amount: present, no sum
    sums, present = rollup_present(_dataset(["1.1", "2.1", "2.2"], [2565] * 3, [huge, "0.5", ""]), [2565], [2])
    assert sums == {("1.1", 2565): Decimal(huge), ("2.1", 2565): Decimal("0.5")}
    assert present == {("1.1", 2565), ("2.1", 2565), ("2.2", 2565)}


def _codes(column: list[str]):
    return key_codes(np.array(column, dtype=object))


def test_tree_numbers_children_in_first_seen_order_across_levels():
    # rows: (ministry, unit, item); row 2 has no unit, so its item hangs from the ministry
    m = ["ก", "ก", "ข", "ก"]
    u = ["หน่วย 1", "", "หน่วย 1", "หน่วย 2"]
    i = ["x", "y", "x", "x"]
    tree = Tree(["ministry", "unit", "item"])
    codes = [_codes(c) for c in (m, u, i)]
    names = [np.array(c, dtype=object) for c in (m, u, i)]
    node = tree.place(names, [c for c, _ in codes], [d for _, d in codes])
    ids = [tree.ids[n] for n in node.tolist()]
    # ministry ก = 1, ข = 2; under 1: หน่วย 1 = 1.1, หน่วย 2 = 1.2 (units placed before items),
    # then the item y straight under 1 = 1.3; under ข: หน่วย 1 = 2.1
    assert ids == ["1.1.1", "1.3", "2.1.1", "1.2.1"]
    assert tree.frame().set_index("node_id").loc["1.3", ["level", "name", "parent_id"]].tolist() == ["item", "y", "1"]
    assert tree.ids[tree.place_row(["ก", "หน่วย 3", ""], ["ก", "หน่วย3", ""], None)] == "1.4"


def test_suspected_subtotal_when_a_key_sits_at_two_levels():
    # row 0 is (A, B) at levels 0 and 2; rows 1-2 are (A, B, c) with B at level 1: the same key path
    # A/B, so row 0's amount (30) is the sum of rows 1-2 nested under it; row 3 (20) has none beneath
    levels = [["A", "A", "A", "A"], ["", "B", "B", "D"], ["B", "c", "d", ""]]
    codes = [_codes(c) for c in levels]
    years = np.array([2565, 2565, 2565, 2565])
    found = suspected_subtotals(codes, years, np.array(["30", "10", "20", "20"], dtype=object))
    assert found == [0]
    assert suspected_subtotals(codes, years, np.array(["31", "10", "20", "20"], dtype=object)) == []
    assert suspected_subtotals(codes, years, np.array(["30", "10", "", "20"], dtype=object)) == []  # spoilt sum


def test_a_large_table_takes_the_quick_reader(tmp_path: Path, monkeypatch):
    rows = ["ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL"]
    rows += [f'a{i},1,กรม {i % 7},แผน,ผล,,"รายการ {i}",2567,"{i:,}",no' for i in range(3000)]
    table = tmp_path / "t.csv"
    table.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    calls = []
    monkeypatch.setattr("coopanalysis.budget.reader.decode_bytes", lambda *a: calls.append(a) or ("", ""))
    assert len(read_table(table)) == 3000 and not calls  # decoded by pandas, never by the csv path
    monkeypatch.undo()
    spec = tmp_path / "m.yaml"
    spec.write_text(MAPPING, encoding="utf-8")
    result = ingest_tables([table], str(spec))
    assert result.plan["accounting"]["items"] == 3000
    assert result.frames["items"]["amount_mb"].tolist()[:3] == ["0", "0.001", "0.002"]  # thousand baht


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.lists(
    st.lists(st.one_of(CELL, st.none(), st.integers(-5, 5)), min_size=width, max_size=width), max_size=6)))
def test_csv_text_is_what_csv_writer_writes(rows):
    from coopanalysis.budget.csvout import csv_text

    columns = [f"c{i}" for i in range(len(rows[0]))] if rows else ["a", "b"]
    frame = pd.DataFrame(rows, columns=columns, dtype=object) if rows else pd.DataFrame(columns=columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    assert csv_text(frame, columns) == buffer.getvalue()


def _levels(*columns):
    return [_codes(list(c)) for c in columns]


def test_nested_sums_refuse_a_spoilt_year_zero_amounts_and_work_at_the_first_path():
    years = np.array([2565] * 4)
    # row 0 (A) = 30 and rows 1-3 nested under it: 10 + 20 + a row without an amount
    levels = _levels(["A", "A", "A", "A"], ["", "x", "y", "z"])
    assert suspected_subtotals(levels, years, np.array(["30", "10", "20", "5"], dtype=object)) == []
    assert suspected_subtotals(levels, years, np.array(["35", "10", "20", "5"], dtype=object)) == [0]
    assert suspected_subtotals(levels, years, np.array(["30", "10", "20", ""], dtype=object)) == []  # spoilt
    assert suspected_subtotals(levels, years, np.array(["0", "0", "0", "0"], dtype=object)) == []  # zero: never
    other_year = np.array([2565, 2565, 2566, 2566])
    assert suspected_subtotals(levels, other_year, np.array(["10", "10", "20", "5"], dtype=object)) == [0]


def test_nested_sums_across_an_empty_level_and_under_different_parents():
    years = np.array([2565] * 6)
    # level 1 is empty everywhere; the same item names sit under two agencies
    levels = _levels(["A", "A", "A", "B", "B", "B"], [""] * 6, ["", "x", "y", "", "x", "y"])
    amounts = np.array(["3", "1", "2", "30", "10", "20"], dtype=object)
    assert suspected_subtotals(levels, years, amounts) == [0, 3]
    amounts = np.array(["3", "1", "2", "31", "10", "20"], dtype=object)
    assert suspected_subtotals(levels, years, amounts) == [0]  # B's rows are not A's


def test_nested_sums_with_a_key_met_first_deeper_then_higher():
    years = np.array([2565] * 5)
    # row 0: A/B with B at level 2; rows 1-2: A/B/c and A/B/d with B at level 1 (one key path A/B);
    # rows 3-4: C/B at level 1 and C/B/e: another parent, its own path
    levels = _levels(["A", "A", "A", "C", "C"], ["", "B", "B", "B", "B"], ["B", "c", "d", "", "e"])
    assert suspected_subtotals(levels, years, np.array(["30", "10", "20", "7", "7"], dtype=object)) == [0, 3]
    assert suspected_subtotals(levels, years, np.array(["30", "10", "20", "7", "6"], dtype=object)) == [0]


def test_duplicates_need_the_same_node_year_flag_and_amount():
    node = np.array([1, 1, 1, 1, 2, 1, 1, 1])
    years = np.array([2565, 2565, 2565, 2566, 2565, 2565, 2565, 2565])
    obliged = np.array([False, False, False, False, False, True, False, False])
    amounts = np.array(["5", "5", "6", "5", "5", "5", "", ""], dtype=object)
    printed = np.array(["5", "5,0", "6", "5", "5", "5", "1,0", "1,0"], dtype=object)
    # row 1 repeats row 0 (5 = 5 whatever the print); rows 2-5 differ in amount, year, node, flag;
    # rows 6-7 have no amount and the same print: a duplicate of each other only
    assert duplicates(node, years, obliged, amounts, printed) == {1: 0, 7: 6}
    printed[7] = "2,0"
    assert duplicates(node, years, obliged, amounts, printed) == {1: 0}


def test_plain_integers_take_the_shortcut_and_nothing_else_does():
    from coopanalysis.budget.amounts import plain_integers

    cells = ["0", "7", "12", "123", "1,234", "12,345", "123,456", "1,234,567", "123,456,789,012,345,678",
             "", "01", "0,123", "1234", "1,23", "12,3456", ",123", "1,234,", "-1", "1.5", "๑", " 1",
             "1,234,567,890,123,456,789", ":", "1,2:4", "/", "1,2/4"]
    expected = [True] * 9 + [False] * 17  # one plain integer too long for the shortcut; ':' and '/' border the digits
    assert plain_integers(cells).tolist() == expected


def test_shifted_plain_integers():
    from coopanalysis.budget.amounts import shifted

    cells = np.array(["1,000,000", "999,999", "1,000,001", "0", "7", "12,345"])
    assert shifted(cells, 6).tolist() == ["1", "0.999999", "1.000001", "0", "0.000007", "0.012345"]
    assert shifted(cells, 3).tolist() == ["1000", "999.999", "1000.001", "0", "0.007", "12.345"]
    assert shifted(cells, 0).tolist() == ["1000000", "999999", "1000001", "0", "7", "12345"]


def test_rollup_falls_back_exactly_when_integers_would_overflow_and_keeps_filters():
    big = "999999999999.999999"  # 18 digits at scale 6: ten of them overflow a 64-bit sum
    rows = [("1.1", 2565, big)] * 10 + [("1.2", 2566, "1.5"), ("2", 2565, "0.25")]
    ds = _dataset([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    got = rollup(ds)
    assert got[("1", 2565)] == Decimal(big) * 10 and repr(got[("1", 2565)]) == "Decimal('9999999999999.999990')"
    assert rollup(ds, [2566], [1]) == {("1", 2566): Decimal("1.5")}
    fine = ["12345678901.234567", "0.000001"]  # beyond a float's 53 bits, within 64-bit integers
    assert rollup(_dataset(["1", "1"], [2565, 2565], fine))[("1", 2565)] == Decimal("12345678901.234568")
    long = "0.33333333333333333333"  # too many decimals for the integer path: the Decimal path
    ds = _dataset(["1.1", "1.2", "3"], [2565, 2566, 2565], [long, long, "1"])
    assert rollup(ds, [2565], [1]) == {("1", 2565): Decimal(long), ("3", 2565): Decimal(1)}


def test_ingested_frames_hold_text_as_the_files_read_back(tmp_path: Path):
    """The frames of an ingest result are what load_dataset reads from the files it writes: every
    text column in pandas' text dtype, nodes equal (ids, levels, names, parents) dtypes and all."""
    from coopanalysis.budget import load_dataset, write_dataset

    table = tmp_path / "t.csv"
    table.write_text("ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
                     "a1,3,กรม ก,แผน 1,ผล 1,,ซ่อม,2567,\"1,500\",no\n"
                     "a2,3,กรม ก,แผน 1,,โครงการ 2,สร้าง,2567,20,yes\n"
                     "a3,4,กรม ข,แผน 1,ผล 1,,ซ่อม,2567,7,no\n", encoding="utf-8")
    spec = tmp_path / "m.yaml"
    spec.write_text(MAPPING, encoding="utf-8")
    result = ingest_tables([table], str(spec))
    back = load_dataset(write_dataset(result, tmp_path / "out")[0].parent)
    pd.testing.assert_frame_equal(result.frames["nodes"], back.nodes)
    # placed a level at a time: both agencies, then their plans (1.1 under 1, 2.1 under 2)
    assert result.frames["nodes"]["parent_id"].tolist()[:4] == ["", "", "1", "2"]
    items = result.frames["items"]
    text = [c for c in items.columns if items[c].dtype != np.int64]
    assert text and set(text) | {"source_row", "fiscal_year"} == set(items.columns)
    pd.testing.assert_frame_equal(items[text], back.items[text])


def test_each_source_carries_the_sha256_of_its_own_bytes(tmp_path: Path):
    import hashlib

    head = "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
    for name, agency in (("a.csv", "กรม ก"), ("b.csv", "กรม ข"), ("c.csv", "กรม ค")):
        (tmp_path / name).write_text(head + f"{name},1,{agency},แผน,ผล,,ซ่อม,2567,5,no\n", encoding="utf-8")
    spec = tmp_path / "m.yaml"
    spec.write_text(MAPPING, encoding="utf-8")
    result = ingest_tables([tmp_path / "c.csv", tmp_path / "a.csv", tmp_path / "b.csv"], str(spec))
    sources = [(s["file"], s["sha256"]) for s in result.plan["sources"]]
    assert sources == [(n, hashlib.sha256((tmp_path / n).read_bytes()).hexdigest()) for n in ("c.csv", "a.csv", "b.csv")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["กก", "ขข", "", "ก ข", "ab"]), min_size=64, max_size=300), st.randoms())
def test_factorize_by_identity_equals_pandas_by_value(cells, rnd):
    """Equal cells held as one object (as pandas' parser gives them) or as copies, mixed: the
    codes and uniques are pandas' own, whatever the objects."""
    pool = {value: value for value in set(cells)}
    # a cell is either the pool's object or a fresh copy of the same text
    held = [pool[c] if rnd.random() < 0.7 else (c + "x")[:-1] for c in cells]
    column = np.empty(len(held), dtype=object)
    column[:] = held
    codes, uniques = factorize(column)
    expected_codes, expected_uniques = pd.factorize(np.array(cells, dtype=object))
    assert codes.tolist() == expected_codes.tolist()
    assert uniques.tolist() == expected_uniques.tolist()
    strided = column[::2]  # not contiguous: the pointers cannot be read in one go
    assert factorize(strided)[0].tolist() == pd.factorize(strided)[0].tolist()


def test_factorize_merges_equal_text_held_by_different_objects():
    first, second = "กรม" + str(1), "กรม" + str(1)  # built at run time: two objects
    assert first is not second
    column = np.empty(200, dtype=object)
    column[:] = [first, second] * 100
    codes, uniques = factorize(column)
    assert set(codes.tolist()) == {0} and uniques.tolist() == ["กรม1"]
