"""Table ingest and printed totals where a silent error costs most (issue 27, `make mutants`):
matching printed totals to nodes (``budget/stated.py``), the rows of a table
(``budget/rows.py``), the ingest of a table (``budget/ingest.py``) and its flags
(``budget/flags.py``).

Each test builds its nodes, stated-totals file or table here; expected values (node ids, lines,
messages a user reads, amounts) are typed by hand from what the test wrote.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import TINY_MAPPING  # tests/helpers.py

from coopanalysis.budget import ingest_tables
from coopanalysis.budget.stated import candidates, read_stated, strip_noise
from coopanalysis.errors import InputError

# ---- printed totals (budget/stated.py) ---------------------------------------------------------

LEVELS = ["agency", "plan", "output"]
STATED_HEADER = "level,name,fiscal_year,amount,unit,parent"


def _nodes(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """A nodes table: (node_id, level, name, parent_id)."""
    return pd.DataFrame(list(rows), columns=["node_id", "level", "name", "parent_id"])


# two agencies with a plan of the same name; กรมการข้าว's plan holds two outputs
NODES = _nodes(
    ("1", "agency", "กรมการข้าว", ""),
    ("1.1", "plan", "แผนงานพื้นฐาน", "1"),
    ("1.1.1", "output", "ผลผลิตข้าวพันธุ์ดี", "1.1"),
    ("1.1.2", "output", "ผลผลิตเมล็ดพันธุ์", "1.1"),
    ("2", "agency", "กรมหม่อนไหม", ""),
    ("2.1", "plan", "แผนงานพื้นฐาน", "2"),
)


def _stated(tmp_path: Path, lines: list[str], header: str = STATED_HEADER, name: str = "stated.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _read(tmp_path: Path, lines: list[str], nodes: pd.DataFrame = NODES, **kw) -> list[dict]:
    return read_stated(_stated(tmp_path, lines, **kw), LEVELS, nodes)


def _error(tmp_path: Path, lines: list[str], nodes: pd.DataFrame = NODES, **kw) -> str:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, lines, nodes, **kw)
    return str(caught.value)


def test_a_stated_row_as_read_names_its_node_year_exact_amount_and_line(tmp_path):
    rows = _read(tmp_path, ["agency,กรมการข้าว,2565,\"1,500\",thousand_baht,",
                            "plan,แผนงานพื้นฐาน,๒๕๖๖,2.50,million_baht,กรมหม่อนไหม",
                            "output, ผลผลิตข้าวพันธุ์ดี ,2565,250000,baht,"])
    assert rows == [
        {"level": "agency", "name": "กรมการข้าว", "fiscal_year": 2565, "amount_mb": "1.5",
         "source_file": "stated.csv", "line": 2, "node_id": "1"},
        {"level": "plan", "name": "แผนงานพื้นฐาน", "fiscal_year": 2566, "amount_mb": "2.5",
         "source_file": "stated.csv", "line": 3, "node_id": "2.1"},
        {"level": "output", "name": "ผลผลิตข้าวพันธุ์ดี", "fiscal_year": 2565, "amount_mb": "0.25",
         "source_file": "stated.csv", "line": 4, "node_id": "1.1.1"},
    ]


def test_a_printed_total_read_twice_in_a_typed_file_is_refused_naming_both_lines(tmp_path):
    message = _error(tmp_path, ["agency,กรมการข้าว,2565,1,million_baht,",
                                "agency,กรมหม่อนไหม,2565,1,million_baht,",
                                "agency,กรม การข้าว,2565,1,million_baht,"])
    assert message == (f"{tmp_path / 'stated.csv'}:4: a second total for agency 'กรม การข้าว' in 2565 "
                       "(first on line 2)")
    # another year of the same node is no second total
    assert [r["fiscal_year"] for r in _read(tmp_path, ["agency,กรมการข้าว,2565,1,million_baht,",
                                                        "agency,กรมการข้าว,2566,1,million_baht,"])] == [2565, 2566]


@pytest.mark.parametrize("line, message", [
    ("region,กรมการข้าว,2565,1,baht,", "level 'region' is not a level of the mapping (agency, plan, output)"),
    ("agency,กรมการข้าว,2399,1,baht,", "fiscal_year '2399' is not a Buddhist-era year (e.g. 2565)"),
    ("agency,กรมการข้าว,2701,1,baht,", "fiscal_year '2701' is not a Buddhist-era year (e.g. 2565)"),
    ("agency,กรมการข้าว,2022,1,baht,", "fiscal_year '2022' is not a Buddhist-era year (e.g. 2565)"),
    ("agency,กรมการข้าว,25x5,1,baht,", "fiscal_year '25x5' is not a Buddhist-era year (e.g. 2565)"),
    ("agency,กรมการข้าว,2565,1,satang,", "unit 'satang' must be one of baht, thousand_baht, million_baht"),
    ("agency,กรมการข้าว,2565,\"20,0\",baht,", "amount '20,0' is not a number"),
    ("agency,กรมการข้าว,2565,,baht,", "amount '' is not a number"),
])
def test_a_bad_cell_of_a_typed_file_names_the_file_line_and_cell(tmp_path, line, message):
    assert _error(tmp_path, ["agency,กรมหม่อนไหม,2565,1,baht,", line]) == f"{tmp_path / 'stated.csv'}:3: {message}"


def test_the_ends_of_the_buddhist_era_years_and_float_noise_are_accepted(tmp_path):
    rows = _read(tmp_path, ["agency,กรมการข้าว,2400,1.5,baht,", "agency,กรมการข้าว,2700,0.001,thousand_baht,"])
    assert [(r["fiscal_year"], r["amount_mb"]) for r in rows] == [(2400, "0.0000015"), (2700, "0.000001")]


@pytest.mark.parametrize("text, message, line", [
    ("level,name,fiscal_year\n", "header lacks amount, unit; expected level,name,fiscal_year,amount,unit[,parent]", 1),
    ('level,name,fiscal_year,amount,unit\nagency,"กรมการข้าว,2565,1,baht\n', "a quote opened here is never closed", 2),
    ('level,name,fiscal_year,amount,unit\n\nagency,"กรม\nการข้าว",2565,1,baht\n',
     "a quoted cell runs over several lines: is a closing quote missing?", 3),
    ('"level"x,name,fiscal_year,amount,unit\n', "not a readable CSV: ',' expected after '\"'", 1),
    ('level,name,fiscal_year,amount,unit\nagency,กรม,2565,1,baht\nagency,"กรม"x,2565,1,baht\n',
     "not a readable CSV: ',' expected after '\"'", 3),
])
def test_an_unreadable_stated_file_names_the_file_and_the_line(tmp_path, text, message, line):
    path = tmp_path / "stated.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_stated(path, LEVELS, NODES)
    where = f"{path}:{line}: " if line else f"{path}: "
    assert str(caught.value) == where + message


def test_a_missing_stated_file_is_named(tmp_path):
    with pytest.raises(InputError) as caught:
        read_stated(tmp_path / "absent.csv", LEVELS, NODES)
    assert str(caught.value) == f"{tmp_path / 'absent.csv'}: stated-totals file not found"


def test_header_in_any_case_and_order_blank_and_short_rows_and_spreadsheet_text(tmp_path):
    nodes = _nodes(("1", "agency", "=กรมสูตร", ""), ("1.1", "plan", "แผนงานพื้นฐาน", "1"))
    rows = _read(tmp_path, [" , , , ", "'=กรมสูตร,1,baht,2565,agency", "แผนงานพื้นฐาน,1,baht,2565,plan,'=กรมสูตร"],
                 nodes, header=" Name ,AMOUNT,Unit,Fiscal_Year,Level,PARENT")
    # line 2 is blank (skipped); line 3 lacks its parent cell; ' is the spreadsheet's text marker
    assert [(r["node_id"], r["name"], r["line"]) for r in rows] == [("1", "=กรมสูตร", 3), ("1.1", "แผนงานพื้นฐาน", 4)]


def _ids(tmp_path: Path, nodes: pd.DataFrame, line: str) -> list[str]:
    """The node ids one stated line matches (read from a typed file)."""
    return [r["node_id"] for r in _read(tmp_path, [line], nodes)]


def test_the_exact_name_wins_over_a_name_cleaned_of_noise(tmp_path):
    nodes = _nodes(("1", "agency", "กรมการข้าว ก", ""), ("2", "agency", "กรมการข้าว", ""))
    assert _ids(tmp_path, nodes, "agency,กรมการข้าว ก,2565,1,baht,") == ["1"]
    assert _ids(tmp_path, nodes, "agency,กรมการข้าว,2565,1,baht,") == ["2"]
    # only the noisy one in the tables: the clean printed name finds it, named as the tables name it
    rows = _read(tmp_path, ["agency,กรมการข้าว,2565,1,baht,"], nodes.iloc[:1])
    assert [(r["node_id"], r["name"]) for r in rows] == [("1", "กรมการข้าว ก")]


def test_a_name_whose_marks_the_pdf_lost_matches_by_its_skeleton(tmp_path):
    assert _ids(tmp_path, NODES, "agency,กรมการขาว,2565,1,baht,") == ["1"]


@pytest.mark.parametrize("table_name, found", [
    ("ผลผลิตข้าวพันธุ์ดีกขค", True),     # three characters glued on: the same output
    ("ผลผลิตข้าวพันธุ์ดีกขคง", False),   # four: another name
])
def test_at_most_three_characters_glued_on_a_name_in_the_tables(tmp_path, table_name, found):
    nodes = _nodes(("1", "agency", "กรมการข้าว", ""), ("1.1", "plan", "แผนงานพื้นฐาน", "1"),
                   ("1.1.1", "output", table_name, "1.1"))
    line = "output,ผลผลิตข้าวพันธุ์ดี,2565,1,baht,"
    if found:
        assert _ids(tmp_path, nodes, line) == ["1.1.1"]
    else:
        assert _error(tmp_path, [line], nodes).startswith(
            f"{tmp_path / 'stated.csv'}:2: no output named 'ผลผลิตข้าวพันธุ์ดี' (closest: ")


def test_a_volume_part_marker_is_not_noise_glued_on_a_name(tmp_path):
    nodes = _nodes(("1", "agency", "กรมการข้าว (2)", ""))
    assert _error(tmp_path, ["agency,กรมการข้าว,2565,1,baht,"], nodes) == (
        f"{tmp_path / 'stated.csv'}:2: no agency named 'กรมการข้าว' (closest: 'กรมการข้าว (2)')")


LONG = "ผลผลิตการพัฒนาเมล็ดพันธุ์ข้าวหอมมะลิ"  # 36 characters: a name cut short keeps 22 (60%)
SHORT = "ผลผลิตการพัฒนาเมล็ดพันธุ์"  # 25 characters: a name cut short keeps 15 (the minimum)


@pytest.mark.parametrize("printed, kept, found", [
    (LONG, 22, True), (LONG, 21, False), (SHORT, 15, True), (SHORT, 14, False)])
def test_a_name_cut_short_in_the_tables_keeps_fifteen_characters_and_sixty_percent(tmp_path, printed, kept, found):
    nodes = _nodes(("1", "agency", "กรมการข้าว", ""), ("1.1", "plan", "แผนงานพื้นฐาน", "1"),
                   ("1.1.1", "output", printed[:kept], "1.1"))
    line = f"output,{printed},2565,1,baht,"
    if found:
        assert _ids(tmp_path, nodes, line) == ["1.1.1"]
    else:
        assert "no output named" in _error(tmp_path, [line], nodes)


def _outputs(*names: str) -> pd.DataFrame:
    return pd.concat([NODES.iloc[:2], _nodes(*((f"1.1.{i}", "output", n, "1.1") for i, n in enumerate(names, 1)))])


def test_under_a_named_parent_a_sibling_as_similar_as_the_bound_matches(tmp_path):
    # 'ผลผลิตข้าวพันธุ์ดีมา' against 'ผลผลิตข้าวพันธุ์ดีนก': two letters of 20 differ, difflib ratio
    # 36/40 = 0.9 exactly (the bound); the other sibling is far (0.65)
    nodes = _outputs("ผลผลิตข้าวพันธุ์ดีนก", "ผลผลิตเมล็ดพันธุ์")
    line = "output,ผลผลิตข้าวพันธุ์ดีมา,2565,1,baht,{parent}"
    assert _ids(tmp_path, nodes, line.format(parent="แผนงานพื้นฐาน")) == ["1.1.1"]
    assert _ids(tmp_path, nodes, line.format(parent="กรมการข้าว > แผนงานพื้นฐาน")) == ["1.1.1"]
    # without a parent, no guess
    assert "no output named 'ผลผลิตข้าวพันธุ์ดีมา' (closest: " in _error(tmp_path, [line.format(parent="")], nodes)


def test_a_sibling_name_one_letter_off_matches_only_when_clearly_the_closest(tmp_path):
    line = "output,ผลผลิตข้าวพันธุ์ดี,2565,1,baht,แผนงานพื้นฐาน"
    # ratio 34/36 = 0.944 against the first; the other sibling is far (or there is none)
    assert _ids(tmp_path, _outputs("ผลผลิตข้าวพันธุ์ตี", "ผลผลิตเมล็ดพันธุ์"), line) == ["1.1.1"]
    assert _ids(tmp_path, _outputs("ผลผลิตข้าวพันธุ์ตี"), line) == ["1.1.1"]
    # 0.944 and 0.919: less than 0.05 apart, so neither is taken
    message = _error(tmp_path, [line], _outputs("ผลผลิตข้าวพันธุ์ตี", "ผลผลิตข้าวพันธุ์คีม"))
    assert message == (f"{tmp_path / 'stated.csv'}:2: no output named 'ผลผลิตข้าวพันธุ์ดี' under 'แผนงานพื้นฐาน' "
                       "(closest: 'ผลผลิตข้าวพันธุ์ตี' | 'ผลผลิตข้าวพันธุ์คีม')")
    # 0.9 and 0.85 (two and three letters of 20 differ): exactly 0.05 apart is not clearly closest
    line = "output,ผลผลิตข้าวพันธุ์ดีมา,2565,1,baht,แผนงานพื้นฐาน"
    assert "no output named" in _error(tmp_path, [line], _outputs("ผลผลิตข้าวพันธุ์ดีนก", "ผลผลิตข้าวพันธุ์ดฟนก"))
    assert _ids(tmp_path, _outputs("ผลผลิตข้าวพันธุ์ดีนก", "ผลผลิตข้าวพันธุ์ฟนก"), line) == ["1.1.1"]  # 0.9, 0.82


UNIVERSITY = "มหาวิทยาลัยราชภัฏนครศรีธรรมราช"  # 30 characters


@pytest.mark.parametrize("agency, parent, found", [
    (UNIVERSITY, "มหาวิทยาลัยราชภัฎนครศรีธรรมราช", True),                 # ฎ for ฏ: a typo
    (UNIVERSITY, "มหาวิทยาลัยราชภัฏกขคงจนครศรีธรรมราช", True),            # five more letters, ratio 0.92
    (UNIVERSITY, "มหาวิทยาลัยราชภัฏกขคงจฉนครศรีธรรมราช", False),          # six more letters, ratio 0.91: too long
    (UNIVERSITY, "มหาวิทยาลัยราชภัฏนครศรีธรรมรา", True),                  # cut short
    ("สำนักงานปลัดกระ", "สำนักงานปลัดกรา", True),                          # 15 letters, one differs
    ("สำนักงานปลัดกร", "สำนักงานปลัดกา", False),                           # 14: too short to guess
    # two letters of 20 differ (ล for ข, ว for ฟ): difflib's ratio and quick ratio are 36/40 = 0.9
    ("สำนักงานปลัดกระทรวงฯ", "สำนักงานปขัดกระทรฟงฯ", True),
])
def test_a_parent_printed_nearly_as_in_the_tables_still_places_the_total(tmp_path, agency, parent, found):
    nodes = _nodes(("1", "agency", agency, ""), ("1.1", "plan", "แผนงานพื้นฐาน", "1"),
                   ("2", "agency", "มหาวิทยาลัยราชภัฏสงขลา", ""), ("2.1", "plan", "แผนงานพื้นฐาน", "2"))
    line = f"plan,แผนงานพื้นฐาน,2565,1,baht,{parent}"
    if found:
        assert _ids(tmp_path, nodes, line) == ["1.1"]
    else:
        assert _error(tmp_path, [line], nodes) == (
            f"{tmp_path / 'stated.csv'}:2: no plan named 'แผนงานพื้นฐาน' under '{parent}' (closest: 'แผนงานพื้นฐาน')")


def test_a_parent_below_the_outermost_matches_nearly_even_when_another_agency_has_it_exactly(tmp_path):
    plan = "แผนงานยุทธศาสตร์พัฒนาศักยภาพคน"
    nodes = _nodes(("1", "agency", "กรมการข้าว", ""), ("1.1", "plan", plan[:-2], "1"),
                   ("1.1.1", "output", "ผลผลิตข้าวพันธุ์ดี", "1.1"),
                   ("2", "agency", "กรมหม่อนไหม", ""), ("2.1", "plan", plan, "2"),
                   ("2.1.1", "output", "ผลผลิตข้าวพันธุ์ดี", "2.1"))
    assert _ids(tmp_path, nodes, f"output,ผลผลิตข้าวพันธุ์ดี,2565,1,baht,กรมการข้าว > {plan}") == ["1.1.1"]
    assert _ids(tmp_path, nodes, f"output,ผลผลิตข้าวพันธุ์ดี,2565,1,baht,กรมหม่อนไหม > {plan}") == ["2.1.1"]


def test_a_parent_holding_several_nodes_of_the_name_compares_their_sum(tmp_path):
    nodes = _nodes(("1", "agency", "กรมการข้าว", ""), ("1.1", "plan", "แผนงานพื้นฐาน", "1"),
                   ("1.1.1", "output", "งบบุคลากร", "1.1"), ("1.2", "plan", "แผนงานบุคลากรภาครัฐ", "1"),
                   ("1.2.1", "output", "งบบุคลากร", "1.2"), ("2", "agency", "กรมหม่อนไหม", ""),
                   ("2.1", "plan", "แผนงานพื้นฐาน", "2"), ("2.1.1", "output", "งบ บุคลากร", "2.1"))
    rows = _read(tmp_path, ["output,งบ บุคลากร,2565,1,baht,กรมการข้าว"], nodes)
    assert [(r["node_id"], r["name"]) for r in rows] == [("1.1.1;1.2.1", "งบ บุคลากร")]
    rows = _read(tmp_path, ["output,งบบุคลากร,2565,1,baht,กรมหม่อนไหม"], nodes)
    assert [(r["node_id"], r["name"]) for r in rows] == [("2.1.1", "งบ บุคลากร")]


def test_a_name_several_nodes_share_without_a_parent_is_refused_naming_five_of_them(tmp_path):
    nodes = _nodes(*((f"{i}", "agency", f"กรม{i}", "") for i in range(1, 8)),
                   *((f"{i}.1", "plan", "แผนงานพื้นฐาน", f"{i}") for i in range(1, 8)))
    assert _error(tmp_path, ["plan,แผนงานพื้นฐาน,2565,1,baht,"], nodes) == (
        f"{tmp_path / 'stated.csv'}:2: 7 nodes of level plan are named 'แผนงานพื้นฐาน' (1.1, 2.1, 3.1, 4.1, 5.1); "
        "add a 'parent' column to tell them apart")


def test_every_name_that_matches_nothing_is_listed_with_its_closest_names(tmp_path):
    message = _error(tmp_path, ["agency,กรมการข้าวโพด,2565,1,baht,",
                                "agency,กรมการข้าว,2565,1,baht,",
                                "plan,แผนงานอื่น,2565,1,baht,กรมการข้าว",
                                "output,สิ่งที่ไม่มีเลย,2565,1,baht,"])
    assert message == (
        f"{tmp_path / 'stated.csv'}: 3 names match nothing in the tables: "
        "line 2: no agency named 'กรมการข้าวโพด' (closest: 'กรมการข้าว'); "
        "line 4: no plan named 'แผนงานอื่น' under 'กรมการข้าว' (closest: 'แผนงานพื้นฐาน'); "
        "line 5: no output named 'สิ่งที่ไม่มีเลย' (no close name)")


def test_candidates_are_the_three_closest_names_once_each_best_first():
    names = ["กรมการข้าว", "กรม การข้าว", "กรมการค้า", "กรมการขาย", "กรมการข้าวสาร", "สำนักงานอื่น"]
    assert candidates("agency", "กรมการข้าว", names) == ["กรมการข้าว", "กรมการข้าวสาร", "กรมการค้า"]
    assert candidates("agency", "กรมการข้าว", names, n=1) == ["กรมการข้าว"]
    assert candidates("agency", "ผลผลิต", names) == []


PDF_HEADER = "level,name,parent,fiscal_year,amount,unit,page,source_file"  # as `coopanalysis stated` writes


def test_totals_read_from_a_pdf_point_at_their_page_and_never_stop_the_run(tmp_path, capsys):
    rows = _read(tmp_path, [
        "agency,กรมการข้าว,,2565,1,million_baht,3,v.pdf",
        "agency,กรมการข้าว,,2565,1,million_baht,7,v.pdf",         # the same total again: once
        "agency,กรมการข้าว,,2565,2,million_baht,9,v.pdf",         # another amount: a warning, the first kept
        "agency,กรมสาบสูญ,,2565,5,million_baht,11,v.pdf",         # lost from the tables: kept, no node
        "plan,แผนงานพื้นฐาน,กรมสาบสูญ,2565,5,million_baht,12,v.pdf",  # beneath it: not again
        "plan,แผนงานพื้นฐาน,,2565,3,million_baht,13,v.pdf",      # two nodes of the name: their sum
        "agency,กรมหม่อนไหม,,2565,4,million_baht,5,",            # no PDF named: the stated file's line
    ], header=PDF_HEADER)
    assert [(r["node_id"], r["name"], r["amount_mb"], r["source_file"], r["line"]) for r in rows] == [
        ("1", "กรมการข้าว", "1", "v.pdf", "page 3"),
        ("", "กรมสาบสูญ", "5", "v.pdf", "page 11"),
        ("1.1;2.1", "แผนงานพื้นฐาน", "3", "v.pdf", "page 13"),
        ("2", "กรมหม่อนไหม", "4", "stated.csv", 8),
    ]
    assert capsys.readouterr().err == (
        f"coopanalysis: warning: {tmp_path / 'stated.csv'}: 4: agency 'กรมการข้าว' printed as 2 million baht, "
        "but as 1 on 2; the first is compared\n")


@pytest.mark.parametrize("name, clean", [
    ("กรมการข้าว ก", "กรมการข้าว"),          # ten letters stay: the stray letter goes
    ("กรมป่าไม้ ก", "กรมป่าไม้ ก"),           # nine: the letter may count (แผน ก)
    ("กรมการข้าว A.", "กรมการข้าว"),          # one Latin letter, with its dot
    ("กรมการข้าว AB", "กรมการข้าว AB"),       # an acronym of two capitals stays
    ("กรมการข้าว Ab", "กรมการข้าว"),
    ("กรมการข้าว abc", "กรมการข้าว"),         # up to three Latin letters
    ("กรมการข้าว abcd", "กรมการข้าว abcd"),   # four: a word
    ("กรมการข้าว ก ข", "กรมการข้าว"),         # one stray token after another
    ("  กรมการข้าว ก  ", "กรมการข้าว"),
    ("กรมการข้าว12", "กรมการข้าว"),           # glued on: a digit after Thai, then up to two more
    ("กรมการข้าว1234", "กรมการข้าว1234"),
    ("กรมการข้าวA", "กรมการข้าว"),
])
def test_strip_noise_takes_only_short_stray_tokens_off_a_long_enough_name(name, clean):
    assert strip_noise(name) == clean


# ---- the rows of a table (budget/rows.py) ------------------------------------------------------

TABLE_HEADER = "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL"


def _ingest(tmp_path: Path, rows: list[str], mapping: str = TINY_MAPPING, header: str = TABLE_HEADER, **kw):
    table = tmp_path / "t.csv"
    table.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    spec = tmp_path / "m.yaml"
    spec.write_text(mapping, encoding="utf-8")
    return ingest_tables([table], str(spec), **kw)


def _report(result) -> list[tuple]:
    return [(r["row"], r["disposition"], r["note"], r["text"]) for r in result.tables["ingest_report"]]


def test_every_row_left_out_is_reported_with_why_word_for_word(tmp_path):
    mapping = TINY_MAPPING + 'row_filter: {column: OBL, equals: ["no", "yes"]}\n'
    result = _ingest(tmp_path, [
        "a1,1,กรมหนึ่ง,แผน ก,,,x,2567,1,no",
        ",,,,,,,,,",                                    # 3
        "x1,1,,,,,,2567,1,no",                          # 4: no name
        "x2,1,,,,,,20xx,1,no",                          # 5: no name and no year: the name is said
        "x3,1,กรมหนึ่ง,แผน ก,,,y,2399,1,no",            # 6
        "x4,1,กรมหนึ่ง,แผน ก,,,y,2701,1,no",            # 7
        "x5,1,กรมหนึ่ง,แผน ก,,,y,256,1,no",             # 8: three digits
        "x6,1,กรมหนึ่ง,แผน ก,,,y,25670,1,no",           # 9: five
        "x7,1,,,,,,20xx,1, maybe ",                     # 10: the filter is said first
        "a2,1,กรมหนึ่ง,แผน ก,,,z,2400,1, yes ",          # the first and last BE years of the range
        "a3,1,กรมหนึ่ง,แผน ก,,,z,2700,1,no",
        "a4,1,กรมหนึ่ง,แผน ก,,,z,2567.0,1,no",
        "a5,1,กรมหนึ่ง,แผน ก,,,w, ๒๕๖๗ ,1,no",
    ], mapping)
    assert _report(result) == [
        (3, "skipped", "blank row", ""),
        (4, "skipped", "no name at any level of the mapping", "x1 | 1 | 2567 | 1 | no"),
        (5, "skipped", "no name at any level of the mapping", "x2 | 1 | 20xx | 1 | no"),
        (6, "skipped", "fiscal year '2399' is not a BE year", "x3 | 1 | กรมหนึ่ง | แผน ก | y | 2399 | 1 | no"),
        (7, "skipped", "fiscal year '2701' is not a BE year", "x4 | 1 | กรมหนึ่ง | แผน ก | y | 2701 | 1 | no"),
        (8, "skipped", "fiscal year '256' is not a BE year", "x5 | 1 | กรมหนึ่ง | แผน ก | y | 256 | 1 | no"),
        (9, "skipped", "fiscal year '25670' is not a BE year", "x6 | 1 | กรมหนึ่ง | แผน ก | y | 25670 | 1 | no"),
        (10, "skipped", "row filter: OBL='maybe' not in ['no', 'yes']", "x7 | 1 | 20xx | 1 | maybe"),
    ]
    items = result.frames["items"]
    assert items[["item_id", "fiscal_year", "obliged"]].values.tolist() == [
        ["a1", 2567, "false"], ["a2", 2400, "true"], ["a3", 2700, "false"], ["a4", 2567, "false"],
        ["a5", 2567, "false"]]
    assert result.plan["accounting"] == {"rows": 13, "items": 5, "reported": 0, "recognised": 0, "skipped": 8}


def test_a_christian_era_table_shifts_its_years_and_says_so(tmp_path):
    mapping = TINY_MAPPING.replace("era: BE", "era: CE")
    result = _ingest(tmp_path, ["a1,1,กรมหนึ่ง,แผน ก,,,x,1857,1,no", "a2,1,กรมหนึ่ง,แผน ก,,,x,2157,1,no",
                                "x1,1,กรมหนึ่ง,แผน ก,,,x,1856,1,no", "x2,1,กรมหนึ่ง,แผน ก,,,x,2158,1,no"], mapping)
    assert result.frames["items"]["fiscal_year"].tolist() == [2400, 2700]
    assert [(row, note) for row, _, note, _ in _report(result)] == [
        (4, "fiscal year '1856' is not a CE year"), (5, "fiscal year '2158' is not a CE year")]


def test_the_cells_of_an_item_as_stored(tmp_path):
    mapping = TINY_MAPPING + "unit: UNIT\n"
    result = _ingest(tmp_path, [
        ',๓, กรม  หนึ่ง ,แผน ก, , โครงการ ๑ ,x,2567," 1,000 ", yes ,  สำนัก   หนึ่ง ',
        "b1,,กรมหนึ่ง,แผน ก,ผลผลิต,โครงการ ๑,y,2567,2,Yes,",
    ], mapping, header=TABLE_HEADER + ",UNIT")
    items = result.frames["items"]
    assert items[["item_id", "page", "agency", "output", "amount_text", "amount_mb", "obliged", "unit"]].values.tolist() == [
        ["t.csv:2", "3", "กรม หนึ่ง", "โครงการ ๑", "1,000", "1", "true", "สำนัก หนึ่ง"],
        ["b1", "", "กรมหนึ่ง", "ผลผลิต", "2", "0.002", "false", ""]]


@pytest.mark.parametrize("header, extra, message", [
    (TABLE_HEADER + ",AMOUNT", "", "column 'AMOUNT' appears 2 times in the header (columns 9, 11); which one the "
                                   "mapping tiny means is ambiguous: rename or remove the others"),
    (TABLE_HEADER.replace("OBL", "OBLIGED"), "", "column 'OBL' (obligation flag in mapping tiny) is not in the header"),
    (TABLE_HEADER.replace("YEAR", "FY"), "", "column 'YEAR' (fiscal year in mapping tiny) is not in the header"),
    (TABLE_HEADER.replace("PAGE", "P"), "", "column 'PAGE' (page in mapping tiny) is not in the header"),
    (TABLE_HEADER.replace("AMOUNT", "A"), "", "column 'AMOUNT' (amount in mapping tiny) is not in the header"),
    (TABLE_HEADER.replace("ID", "I"), "", "column 'ID' (row id in mapping tiny) is not in the header"),
    (TABLE_HEADER, "unit: UNIT\n", "column 'UNIT' (responsible unit in mapping tiny) is not in the header"),
    (TABLE_HEADER, "row_filter: {column: KEEP, equals: [x]}\n",
     "column 'KEEP' (row filter in mapping tiny) is not in the header"),
    (TABLE_HEADER, "subtotal: {column: TOTAL, pattern: '^รวม'}\n",
     "column 'TOTAL' (subtotal in mapping tiny) is not in the header"),
    (TABLE_HEADER.replace("OUTPUT", "A").replace("PROJECT", "B"), "",
     "none of the columns ['OUTPUT', 'PROJECT'] (level output in mapping tiny) is in the header"),
])
def test_a_header_the_mapping_cannot_read_is_refused_on_line_1(tmp_path, header, extra, message):
    with pytest.raises(InputError) as caught:
        _ingest(tmp_path, [",".join(["1"] * len(header.split(",")))], TINY_MAPPING + extra, header=header)
    assert str(caught.value) == f"{tmp_path / 't.csv'}:1: {message}"


def test_a_table_whose_only_row_has_no_usable_year_is_a_mapping_error(tmp_path):
    with pytest.raises(InputError) as caught:
        _ingest(tmp_path, ["a1,1,กรมหนึ่ง,แผน ก,,,x,1999,1,no"], TINY_MAPPING.replace("name: tiny", "name: tiny\ntitle_en: T"))
    assert str(caught.value) == (f"{tmp_path / 't.csv'}:2: no row has a usable fiscal year (fiscal year '1999' is not "
                                 "a BE year); is the mapping's fiscal_year.era (BE) or column (YEAR) right?")
    result = _ingest(tmp_path, ["a1,1,กรมหนึ่ง,แผน ก,,,x,2567,1,no"], TINY_MAPPING.replace("name: tiny", "name: tiny\ntitle_en: T"))
    assert (result.plan["title"], result.plan["title_en"], result.plan["mapping"]) == (
        "ตารางทดสอบ", "T", str(tmp_path / "m.yaml"))


CORRECTED_ROWS = ["a1,1,กรมหนึ่ง,แผน ก,,,x,2567,25,no", "a1,1,กรมหนึ่ง,แผน ก,,,y,2567,3,no",
                  "b1,1,กรมหนึ่ง,แผน ก,,,z,2567,4,no"]


def _corrections(tmp_path: Path, entry: str) -> Path:
    path = tmp_path / "corrections.yaml"
    path.write_text("corrections:\n  - source_file: t.csv\n" + entry + "    reason: misprinted\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("entry, cell, message", [
    ('    item_id: a1\n    printed: "25"\n    corrected: "2.5"\n', "a1 amount",
     "is ambiguous: rows 2, 3 of t.csv share the id 'a1'"),
    ('    item_id: b1\n    field: fiscal_year\n    printed: "2566"\n    corrected: "2568"\n', "b1 fiscal_year",
     "is stale: the row's fiscal year is 2567 (BE), the correction expects '2566' (BE)"),
    ('    item_id: b1\n    field: fiscal_year\n    printed: "2567"\n    corrected: "2399"\n', "b1 fiscal_year",
     "corrects to '2399', which is not a BE year"),
    ('    item_id: b1\n    printed: "4"\n    corrected: "4.000001"\n', "b1 amount",
     "corrects to '4.000001', which is not a well-formed amount of whole satang in thousand_baht (the table's unit)"),
])
def test_a_correction_that_cannot_apply_names_its_entry_and_why(tmp_path, entry, cell, message):
    corrections = _corrections(tmp_path, entry)
    with pytest.raises(InputError) as caught:
        _ingest(tmp_path, CORRECTED_ROWS, corrections=corrections)
    assert str(caught.value) == f"{corrections}:2: correction #1 (t.csv {cell}) {message}"


def test_a_fiscal_year_correction_moves_the_row_and_says_so(tmp_path):
    corrections = _corrections(tmp_path, '    item_id: b1\n    field: fiscal_year\n    printed: "2567"\n'
                                         '    corrected: "2568"\n')
    result = _ingest(tmp_path, CORRECTED_ROWS, corrections=corrections)
    items = result.frames["items"].set_index("item_id")
    assert (items.loc["b1", "fiscal_year"], items.loc["b1", "status"]) == (2568, "corrected")
    assert result.tables["corrections_applied"] == [
        {"source_file": "t.csv", "item_id": "b1", "source_row": 4, "fiscal_year": 2568, "field": "fiscal_year",
         "printed": "2567", "corrected": "2568", "reason": "misprinted"}]
    assert [r for r in _report(result) if r[1] == "corrected"] == [
        (4, "corrected", "b1: fiscal_year corrected from '2567' to '2568' (correction #1 of corrections.yaml): "
                         "misprinted", "b1 | 1 | กรมหนึ่ง | แผน ก | z | 2567 | 4 | no")]


# ---- the ingest of a table (budget/ingest.py) --------------------------------------------------


def test_the_accounting_line_counts_every_row(tmp_path):
    result = _ingest(tmp_path, ["a1,1,กรมหนึ่ง,แผน ก,,,x,2567,1,no", "a2,1,กรมหนึ่ง,แผน ก,,,y,2567,\"2,0\",no",
                                ",,,,,,,,,"])
    # nodes: กรมหนึ่ง, แผน ก, x, y
    assert result.accounting_line() == ("3 rows read from 1 file(s): 2 items (1 flagged), 0 printed subtotals, "
                                        "1 skipped; 4 nodes")


def test_write_dataset_refuses_what_it_did_not_write_and_writes_plan_json_indented(tmp_path):
    from coopanalysis.budget import write_dataset

    result = _ingest(tmp_path, ["a1,1,กรมหนึ่ง,แผน ก,,,x,2567,1,no"])
    a_file = tmp_path / "file"
    a_file.write_text("mine", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        write_dataset(result, a_file)
    assert str(caught.value) == f"{a_file}: output exists and is not a directory"
    for text in ('{"kind": "plan"}', "not json", "[1]"):
        other = tmp_path / "other"
        other.mkdir(exist_ok=True)
        (other / "plan.json").write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            write_dataset(result, other)
        assert str(caught.value) == (f"{other}: holds something other than a budget dataset (an ingested plan?); "
                                     "choose another --out")
        assert (other / "plan.json").read_text(encoding="utf-8") == text
    out = tmp_path / "ds"
    write_dataset(result, out)
    write_dataset(result, out)  # its own dataset: written again
    assert (out / "plan.json").read_text(encoding="utf-8").startswith('{\n  "kind": "budget_table",\n  "title": "ตาราง')
    assert (out / "items.csv").read_text(encoding="utf-8").splitlines()[1].startswith("a1,t.csv,2,1,กรมหนึ่ง,แผน ก,,x,")


def test_every_flag_and_printed_subtotal_is_reported_word_for_word(tmp_path):
    mapping = TINY_MAPPING + "subtotal: {column: ITEM, pattern: '^รวม'}\n"
    result = _ingest(tmp_path, [
        'a1,1,กรมหนึ่ง,แผน ก,,,x,2567,"2,0",no',          # 2: malformed
        "a2,1,กรมหนึ่ง,แผน ก,,,y,2567,,no",               # 3: no amount
        "a3,1,กรมหนึ่ง,แผน ก,,,z,2567,0.000001,no",       # 4: a tenth of a satang
        "a4,1,กรมหนึ่ง,แผน ข,,,,2567,5,no",               # 5: 2 + 3 of the rows under it
        "a5,1,กรมหนึ่ง,แผน ข,,,v,2567,2,no",
        "a6,1,กรมหนึ่ง,แผน ข,,,w,2567,3,no",
        "a7,1,กรมหนึ่ง,แผน ข,,,w,2567,3,no",              # 8: a duplicate of row 7 (and 4 + 3 = 8: no subtotal)
        "t1,1,กรมหนึ่ง,แผน ข,,,รวม,2567,8,no",            # 9: printed subtotal of แผน ข
        "t2,1,กรมหนึ่ง,แผน ข,,,รวม,2567,,no",             # 10: ... without an amount
    ], mapping)
    assert _report(result) == [
        (2, "reported", "a1: malformed amount '2,0': left empty, never guessed", "a1 | 1 | กรมหนึ่ง | แผน ก | x | 2567 | 2,0 | no"),
        (3, "reported", "a2: no amount", "a2 | 1 | กรมหนึ่ง | แผน ก | y | 2567 | no"),
        (4, "reported", "a3: amount '0.000001' is not a whole satang (float noise?); kept as printed",
         "a3 | 1 | กรมหนึ่ง | แผน ก | z | 2567 | 0.000001 | no"),
        (8, "reported", "a7: duplicate of row 7 (a6): same names, year and amount",
         "a7 | 1 | กรมหนึ่ง | แผน ข | w | 2567 | 3 | no"),
        (9, "recognised", "printed subtotal of plan 1.2: stored in stated.csv", "t1 | 1 | กรมหนึ่ง | แผน ข | รวม | 2567 | 8 | no"),
        (10, "skipped", "printed subtotal without a node or an amount", "t2 | 1 | กรมหนึ่ง | แผน ข | รวม | 2567 | no"),
    ]
    statuses = dict(zip(result.frames["items"]["item_id"], result.frames["items"]["status"]))
    assert statuses == {"a1": "malformed_amount", "a2": "missing_amount", "a3": "float_noise", "a4": "ok",
                        "a5": "ok", "a6": "ok", "a7": "duplicate"}
    assert result.frames["stated"].values.tolist() == [["plan", "1.2", "แผน ข", 2567, "0.008", "t.csv", 9]]
    assert result.plan["accounting"] == {"rows": 9, "items": 7, "reported": 4, "recognised": 2, "skipped": 0}


def test_a_parent_named_exactly_is_looked_for_before_one_named_nearly(tmp_path):
    nodes = _nodes(("1", "agency", "กรมการข้าว", ""),
                   ("1.1", "plan", "แผนงานพื้นฐาน", "1"), ("1.1.1", "output", "ผลผลิตหนึ่ง", "1.1"),
                   ("1.2", "plan", "แผนงานพื้นฐานกข", "1"), ("1.2.1", "output", "ผลผลิตหนึ่ง", "1.2"))
    assert _ids(tmp_path, nodes, "output,ผลผลิตหนึ่ง,2565,1,baht,กรมการข้าว > แผนงานพื้นฐาน") == ["1.1.1"]
    assert _ids(tmp_path, nodes, "output,ผลผลิตหนึ่ง,2565,1,baht,กรมการข้าว > แผนงานพื้นฐานกข") == ["1.2.1"]


def test_a_printed_subtotal_below_a_ministry_merged_from_parts_is_that_node_s(tmp_path):
    # the top level printed over two volumes, "(2)" and "(5)": one node; a subtotal row of a plan in
    # part 2 belongs to that plan, not to the part's share of the top level (its two plans)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(TINY_MAPPING + "volume: VOL\nsubtotal: {column: ITEM, pattern: '^รวม'}\n", encoding="utf-8")
    tables = []
    for part, rows in (("2", ["a1,1,กระทรวงทดสอบ (2),แผน ก,,,x,2567,1,no,v2", "a2,1,กระทรวงทดสอบ (2),แผน ค,,,x,2567,1,no,v2",
                              "t1,1,กระทรวงทดสอบ (2),แผน ก,,,รวม,2567,1,no,v2"]),
                       ("5", ["b1,1,กระทรวงทดสอบ (5),แผน ข,,,y,2567,2,no,v5"])):
        tables.append(tmp_path / f"v{part}.csv")
        tables[-1].write_text(TABLE_HEADER + ",VOL\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    result = ingest_tables(tables, str(mapping))
    nodes = result.frames["nodes"]
    assert nodes[nodes["level"] == "agency"]["name"].tolist() == ["กระทรวงทดสอบ"]
    plan = nodes[(nodes["level"] == "plan") & (nodes["name"] == "แผน ก")]["node_id"].tolist()
    assert result.frames["stated"][["level", "node_id", "name", "amount_mb"]].values.tolist() == [
        ["plan", plan[0], "แผน ก", "0.001"]]


def test_a_table_holding_only_its_header_is_an_empty_dataset_not_a_traceback(tmp_path):
    # (it used to fail adding ':' to an empty float column)
    result = _ingest(tmp_path, [])
    assert result.accounting_line() == "0 rows read from 1 file(s): 0 items (0 flagged), 0 printed subtotals, 0 skipped; 0 nodes"
    assert (len(result.frames["items"]), result.plan["fiscal_years"], result.plan["bill_year"]) == (0, [], None)


def test_two_tables_of_one_file_name_are_refused_naming_both(tmp_path):
    spec = tmp_path / "m.yaml"
    spec.write_text(TINY_MAPPING, encoding="utf-8")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "t.csv").write_text(TABLE_HEADER + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ingest_tables([tmp_path / "a" / "t.csv", tmp_path / "b" / "t.csv"], str(spec))
    assert str(caught.value) == (f"{tmp_path / 'b' / 't.csv'}: two tables share the file name 't.csv' "
                                 f"({tmp_path / 'a' / 't.csv'}); rename one so rows can be traced")


def test_a_run_may_hold_as_many_rows_as_its_limit_and_no_more(tmp_path, monkeypatch):
    from coopanalysis.budget import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "MAX_RUN_ROWS", 2)
    rows = ["a1,1,กรมหนึ่ง,แผน ก,,,x,2567,1,no", "a2,1,กรมหนึ่ง,แผน ก,,,y,2567,1,no"]
    assert _ingest(tmp_path, rows).plan["accounting"]["rows"] == 2
    with pytest.raises(InputError) as caught:
        _ingest(tmp_path, rows + ["a3,1,กรมหนึ่ง,แผน ก,,,z,2567,1,no"])
    assert str(caught.value) == (f"{tmp_path / 't.csv'}: the tables up to this one hold more than 2 rows; "
                                 "read them in smaller groups")


def test_no_table_at_all_is_an_empty_dataset(tmp_path):
    spec = tmp_path / "m.yaml"
    spec.write_text(TINY_MAPPING, encoding="utf-8")
    result = ingest_tables([], str(spec))
    assert result.accounting_line() == "0 rows read from 0 file(s): 0 items (0 flagged), 0 printed subtotals, 0 skipped; 0 nodes"


def test_under_a_parent_printed_nearly_a_name_whose_marks_were_lost_is_found(tmp_path):
    # every mark lost: only the skeleton matches (difflib ratio 0.84: no fuzzy guess either)
    nodes = _nodes(("1", "agency", UNIVERSITY, ""), ("1.1", "plan", "แผนงานพื้นฐาน", "1"),
                   ("1.1.1", "output", "ผลผลตขาวพนธด", "1.1"))
    line = "output,ผลผลิตข้าวพันธุ์ดี,2565,1,baht,มหาวิทยาลัยราชภัฎนครศรีธรรมราช"  # ฎ for ฏ
    assert _ids(tmp_path, nodes, line) == ["1.1.1"]


def test_totals_read_from_the_pdf_itself_point_at_their_page_and_warn_of_what_was_not_read(tmp_path, monkeypatch,
                                                                                           capsys):
    from coopanalysis.budget import pdf

    read = pdf.PdfTotals(totals=[pdf.StatedTotal("agency", "กรมการข้าว", "", 2565, "1,000", "baht", 4),
                                 pdf.StatedTotal("plan", "แผนงานพื้นฐาน", "กรมหม่อนไหม", 2565, "2", "million_baht", 9)],
                         problems=[(7, "a table row without its amounts")])
    monkeypatch.setattr(pdf, "read_pdf_totals", lambda path: read)
    path = tmp_path / "v.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    rows = read_stated(path, LEVELS, NODES)
    assert [(r["node_id"], r["amount_mb"], r["source_file"], r["line"]) for r in rows] == [
        ("1", "0.001", "v.pdf", "page 4"), ("2.1", "2", "v.pdf", "page 9")]
    assert capsys.readouterr().err == f"coopanalysis: warning: {path}: page 7: a table row without its amounts\n"
