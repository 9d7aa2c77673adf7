"""Reading budget tables and printed totals: the cases no other fixture had (issue 27, the
budget-read sweep in docs/sweeps/budget-read.md).

Each test pins what a user sees (the totals read from a volume, the node a printed total is
compared with, a message's file and line, the cells of a table) on a small fixture typed here,
with the expected values worked out by hand: a ministry listing ten agencies (``1.`` vs ``10.``),
a table 6.2 with a dash, four decimals and a name wrapped onto a Latin word, the bill's year
beside last year's column, Thai digits, CRLF line ends, a year at the edge of the Buddhist era.
"""

from __future__ import annotations

from coopanalysis.budget.pdf import _Line, _Volume

_TABLE_HEAD = ["ผลผลิต / โครงการ", "งบบุคลากร", "งบดำเนินงาน", "งบลงทุน", "งบเงินอุดหนุน", "งบรายจ่ายอื่น", "รวม"]


def _page(volume: _Volume, number: int, *rows: list[str]) -> None:
    volume.page(number, [_Line(float(i), list(cells)) for i, cells in enumerate(rows)])


def _ten_agency_volume() -> _Volume:
    """A ministry (page 5) listing ten agencies; agencies 1 and 10 have their own header pages (7,
    20), agency 10 its table 6.2 (page 21). Every header prints last year's column first."""
    volume = _Volume("v.pdf")
    listing = [[f"{i}. กรมที่ {i}", f"{i},000 บาท"] for i in range(1, 11)]
    _page(volume, 5, ["กระทรวงทดสอบ"], ["งบประมาณ", "ปี 2564", "ปี 2565"],
          ["งบประมาณรายจ่าย", "44,000 บาท", "55,000 บาท"],
          ["1. งบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. 2565 ของกระทรวงทดสอบ จำแนกดังนี้"], *listing)
    _page(volume, 7, ["กระทรวงทดสอบ"], ["กรมที่ 1"], ["งบประมาณ", "ปี 2564", "ปี 2565"],
          ["งบประมาณรายจ่าย", "900 บาท", "1,000 บาท"])
    _page(volume, 20, ["กระทรวงทดสอบ"], ["กรมที่ 10"], ["งบประมาณ", "ปี 2564", "ปี 2565"],
          ["งบประมาณรายจ่าย", "9,000 บาท", "10,000 บาท"])
    _page(volume, 21, ["6.2 จำแนกตามแผนงาน ผลผลิต/โครงการ และงบรายจ่าย"], _TABLE_HEAD,
          ["รวมทั้งสิ้น", "1.0000", "2.5000", "–", "6.5000", "-", "10.0000"],
          ["1. แผนงานบูรณาการ", "-", "2.5000", "-", "-", "-", "2.5000"],
          ["BCG"],  # the plan's name wrapped: a Latin word on a line of its own
          ["ผลผลิตที่ 1 : ผลผลิตทดสอบ", "-", "2.5000", "—", "-", "-", "2.5000"],
          ["2. แผนงานพื้นฐาน", "1.0000", "-", "-", "6.5000", "-", "7.5000"],
          ["7. รายละเอียดงบประมาณจำแนกตามงบรายจ่าย"])
    return volume


def test_a_ministry_listing_ten_agencies_keeps_the_tenth_and_the_bills_year_column():
    read = _ten_agency_volume().finish()
    got = [(t.level, t.name, t.parent, t.fiscal_year, t.amount, t.unit, t.page) for t in read.totals]
    unit, plan = "กรมที่ 10", "กรมที่ 10 > แผนงานบูรณาการ BCG"
    assert got[:5] == [
        ("ministry", "กระทรวงทดสอบ", "", 2565, "55,000", "baht", 5),
        ("budgetary_unit", "กรมที่ 1", "", 2565, "1,000", "baht", 5),
        ("budgetary_unit", "กรมที่ 10", "", 2565, "10,000", "baht", 5),
        ("budgetary_unit", "กรมที่ 1", "", 2565, "1,000", "baht", 7),
        ("budgetary_unit", "กรมที่ 10", "", 2565, "10,000", "baht", 20)]
    assert got[5:] == [  # table 6.2 of กรมที่ 10, million baht: dashes (- – —) are not totals
        ("category_lv1", "งบบุคลากร", unit, 2565, "1.0000", "million_baht", 21),
        ("category_lv1", "งบดำเนินงาน", unit, 2565, "2.5000", "million_baht", 21),
        ("category_lv1", "งบเงินอุดหนุน", unit, 2565, "6.5000", "million_baht", 21),
        ("budgetary_unit", unit, "", 2565, "10.0000", "million_baht", 21),
        ("category_lv1", "งบดำเนินงาน", plan, 2565, "2.5000", "million_baht", 21),
        ("budget_plan", "แผนงานบูรณาการ BCG", unit, 2565, "2.5000", "million_baht", 21),
        ("category_lv1", "งบดำเนินงาน", plan + " > ผลผลิตทดสอบ", 2565, "2.5000", "million_baht", 21),
        ("output_or_project", "ผลผลิตทดสอบ", plan, 2565, "2.5000", "million_baht", 21),
        ("category_lv1", "งบบุคลากร", unit + " > แผนงานพื้นฐาน", 2565, "1.0000", "million_baht", 21),
        ("category_lv1", "งบเงินอุดหนุน", unit + " > แผนงานพื้นฐาน", 2565, "6.5000", "million_baht", 21),
        ("budget_plan", "แผนงานพื้นฐาน", unit, 2565, "7.5000", "million_baht", 21)]
    assert read.elsewhere == [(5, f"กรมที่ {i}") for i in range(2, 10)]
    assert read.problems == []


# -- printed totals typed in a CSV (budget/stated.py) -------------------------------------------

def test_a_parent_path_whose_names_hold_angle_brackets_splits_only_on_the_separator(tmp_path):
    from test_mutants_tables import LEVELS, _nodes, _stated

    from coopanalysis.budget.stated import read_stated

    nodes = _nodes(("1", "agency", "กรมอื่น", ""), ("1.1", "plan", "แผน A->B", "1"),
                   ("1.1.1", "output", "ผลผลิตหนึ่ง", "1.1"),
                   ("2", "agency", "กรม <ทดสอบ>", ""), ("2.1", "plan", "แผน A->B", "2"),
                   ("2.1.1", "output", "ผลผลิตหนึ่ง", "2.1"))
    path = _stated(tmp_path, ["output,ผลผลิตหนึ่ง,2565,1.5,million_baht,กรม <ทดสอบ> > แผน A->B"])
    (row,) = read_stated(path, LEVELS, nodes)
    assert (row["node_id"], row["amount_mb"], row["line"]) == ("2.1.1", "1.5", 2)


# -- a mapping's errors name the file and the line (budget/mapping.py) ----------------------------

def _mapping_error(tmp_path, text: str) -> str:
    import pytest

    from coopanalysis.budget.mapping import load_mapping
    from coopanalysis.errors import InputError

    spec = tmp_path / "tiny.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_mapping(spec)
    return str(caught.value).replace(str(spec), "tiny.yaml")


def test_a_mapping_error_names_the_line_of_the_key_at_fault(tmp_path):
    from helpers import TINY_MAPPING

    # TINY_MAPPING: line 3 phase, lines 5-8 the four levels, line 14 the first line appended
    assert _mapping_error(tmp_path, TINY_MAPPING.replace("phase: approved", "phase: final")) == (
        "tiny.yaml:3: mapping: phase must be one of proposed, approved, got 'final'")
    assert _mapping_error(tmp_path, TINY_MAPPING.replace("label_en: output or project", "label_eng: x")) == (
        "tiny.yaml:7: mapping: unknown key 'label_eng' in levels[3] (did you mean 'label_en'?)")
    assert _mapping_error(tmp_path, TINY_MAPPING + "bill_year: 2399\n") == (
        "tiny.yaml:14: mapping: bill_year must be a Buddhist-era year such as 2565, got 2399")
    assert _mapping_error(tmp_path, TINY_MAPPING + "bill_year: 2701\n").startswith("tiny.yaml:14: mapping: bill_year")


def test_a_mapping_accepts_the_ends_of_the_buddhist_era_and_reads_be_years_by_default(tmp_path):
    from helpers import TINY_MAPPING

    from coopanalysis.budget.mapping import load_mapping

    spec = tmp_path / "tiny.yaml"
    for year in (2400, 2700):
        spec.write_text(TINY_MAPPING + f"bill_year: {year}\n", encoding="utf-8")
        assert load_mapping(spec).bill_year == year
    spec.write_text(TINY_MAPPING.replace(", era: BE", ""), encoding="utf-8")
    mapping = load_mapping(spec)
    assert (mapping.era, mapping.to_year_be(2565)) == ("BE", 2565)
    spec.write_text(TINY_MAPPING.replace("era: BE", "era: ce"), encoding="utf-8")
    assert load_mapping(spec).to_year_be(2022) == 2565


# -- a ministry printed over volumes (budget/volumes.py) ------------------------------------------

def test_the_pages_of_a_part_are_a_range_of_numbers_not_of_text(tmp_path):
    from test_budget_volumes import MINISTRY, volume

    import coopanalysis as ca

    part2 = volume(tmp_path, "v3(2)", f"{MINISTRY} (2)", [
        (9, "กรมหนึ่ง", "เงินเดือน", 2022, "1,000,000", False), (10, "กรมหนึ่ง", "อาคาร", 2022, "2,000,000", False),
        (100, "กรมหนึ่ง", "ครุภัณฑ์", 2022, "3,000,000", False)])
    part3 = volume(tmp_path, "v3(3)", f"{MINISTRY} (3)", [(99, "กรมสอง", "อาคาร", 2022, "500,000", False)])
    parts = ca.load([part2, part3], mapping="budget-bill").provenance["parts"]
    assert parts[["printed_name", "rows", "pages"]].values.tolist() == [
        [f"{MINISTRY} (2)", 3, "9-100"], [f"{MINISTRY} (3)", 1, "99"]]


def test_a_whole_ministry_total_is_not_compared_when_a_part_between_those_read_is_missing(tmp_path, capsys):
    from test_budget_volumes import MINISTRY, check_csv, stated, volume

    part1 = volume(tmp_path, "v3(1)", f"{MINISTRY} (1)", [(5, "กรมหนึ่ง", "อาคาร", 2022, "1,000,000", False)])
    part3 = volume(tmp_path, "v3(3)", f"{MINISTRY} (3)", [(8, "กรมสาม", "อาคาร", 2022, "2,000,000", False)])
    given = stated(tmp_path, f"ministry,{MINISTRY},2565,3,million_baht")  # 1 + 2: it would hold if compared
    status, found, err = check_csv(capsys, [str(part1), str(part3), "--stated", str(given)])
    assert status == 0 and "stated_total" not in set(found["check"])
    (info,) = found[found["check"] == "stated_unmatched"].to_dict("records")
    assert info["severity"] == "info" and info["hint"] == "split_across_volumes"


# -- reading a table (budget/reader.py) -----------------------------------------------------------

def _read_error(path) -> str:
    import pytest

    from coopanalysis.budget.reader import read_table
    from coopanalysis.errors import InputError

    with pytest.raises(InputError) as caught:
        read_table(path)
    return str(caught.value).replace(str(path.parent) + "/", "")


def test_a_row_wider_than_the_header_is_named_by_its_line(tmp_path):
    (tmp_path / "t.csv").write_text("AGENCY,YEAR,AMOUNT\nก,2565,1\nข,2565,2,x\n", encoding="utf-8")
    assert _read_error(tmp_path / "t.csv") == "t.csv:3: row has 4 cells but the header has 3 columns"


def test_a_quote_never_closed_in_a_table_names_its_line(tmp_path):
    (tmp_path / "t.csv").write_text('AGENCY,YEAR,AMOUNT\nก,2565,1\n"ข,2565,2\nค,2565,3\n', encoding="utf-8")
    assert _read_error(tmp_path / "t.csv") == 't.csv:3: a quoted cell is never closed (a missing ")'


def test_a_hidden_file_in_a_folder_of_tables_is_not_read(tmp_path):
    from coopanalysis.budget.reader import expand_sources

    for name in ("v2.csv", "._v2.csv", "v10.xlsx", "notes.txt"):  # ._v2.csv: the resource fork a Mac leaves
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in expand_sources([tmp_path])] == ["v10.xlsx", "v2.csv"]


# -- a dataset's printed totals (budget/dataset.py) ----------------------------------------------

def test_a_stated_file_replaces_the_stored_total_of_its_node_and_year_and_keeps_the_others():
    import pandas as pd

    from coopanalysis.budget.dataset import BudgetDataset

    columns = ["node_id", "fiscal_year", "amount_mb", "line"]
    stored = pd.DataFrame([["1", "2565", "5", "7"], ["1", "2566", "6", "8"], ["2", "2565", "9", "9"]], columns=columns)
    ds = BudgetDataset({"levels": []}, pd.DataFrame(), pd.DataFrame(), stored, pd.DataFrame())
    given = ds.with_stated([{"node_id": "1", "fiscal_year": 2565, "amount_mb": "5.5", "line": 2}])
    assert given.stated.values.tolist() == [["1", "2566", "6", "8"], ["2", "2565", "9", "9"], ["1", "2565", "5.5", "2"]]
    assert ds.with_stated([]) is ds


# -- encodings (io/decode.py) ----------------------------------------------------------------------

def test_a_tis620_table_with_windows_quotes_is_read_as_thai(tmp_path):
    from coopanalysis.budget.reader import read_table

    # cp874 (Windows Thai) bytes: 17 Thai letters and marks, two curly quotes (0x93, 0x94)
    text = "AGENCY,YEAR,AMOUNT\n“กรมส่งเสริมสหกรณ์”,2565,1\n"
    (tmp_path / "t.csv").write_bytes(text.encode("cp874"))
    table = read_table(tmp_path / "t.csv")
    assert table.header == ["AGENCY", "YEAR", "AMOUNT"] and table.row(0) == ["“กรมส่งเสริมสหกรณ์”", "2565", "1"]


def test_tis620_bytes_full_of_control_characters_are_refused_not_read_as_thai():
    import pytest

    from coopanalysis.errors import DecodeError
    from coopanalysis.io.decode import decode_bytes

    raw = "กรมส่งเสริมสหกรณ์,2565,1\n".encode("cp874") + b"\x01\x02\x03\x04\x05\x06" + "ข\n".encode("cp874")
    with pytest.raises(DecodeError) as caught:
        decode_bytes(raw, name="t.csv")
    assert str(caught.value).startswith("t.csv:1: not text in a supported encoding")


# -- the tables of an ingested folder read back (io/schema.py) ------------------------------------

def test_a_formula_like_cell_in_the_first_column_reads_back_as_typed(tmp_path, capsys):
    from helpers import TINY_MAPPING

    from coopanalysis.budget import load_dataset
    from coopanalysis.cli import main

    # only the item ids (items.csv's first column) start like a formula: no ' after a comma
    (tmp_path / "bill.csv").write_text("ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
                                       "=A1,1,กรมหนึ่ง,แผน ก,ผลผลิต ข,,ค่าจ้าง,2565,1,no\n"
                                       "-2,1,กรมหนึ่ง,แผน ก,ผลผลิต ข,,ค่าวัสดุ,2565,2,no\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    assert main(["ingest", str(tmp_path / "bill.csv"), "--mapping", str(tmp_path / "map.yaml"),
                 "--out", str(tmp_path / "ds")]) == 0, capsys.readouterr().err
    assert (tmp_path / "ds" / "items.csv").read_text(encoding="utf-8").splitlines()[1].startswith("'=A1,")
    assert load_dataset(tmp_path / "ds").items["item_id"].tolist() == ["=A1", "-2"]
