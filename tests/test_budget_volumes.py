"""A ministry printed across volumes (``… (2)``, ``… (5)``) is one node; its parts are provenance
(issue 24, item 5). Expected sums are typed by hand for the small tables written here, or computed
for the real volumes with a few lines of plain pandas in the test; the real volumes are skipped,
saying so, when ../shared/realdata/budget_bill_2565/ is absent.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from helpers import need_real  # tests/helpers.py

import coopanalysis as ca
from coopanalysis.cli import main

HEADER = ("ITEM_ID,REF_DOC,REF_PAGE_NO,MINISTRY,BUDGETARY_UNIT,CROSS_FUNC?,BUDGET_PLAN,OUTPUT,PROJECT,"
          "CATEGORY_LV1,CATEGORY_LV2,CATEGORY_LV3,CATEGORY_LV4,CATEGORY_LV5,CATEGORY_LV6,ITEM_DESCRIPTION,"
          "FISCAL_YEAR,AMOUNT,OBLIGED?\n")
MINISTRY = "กระทรวงทดสอบ"


def volume(tmp_path: Path, name: str, ministry: str, rows: list[tuple]) -> Path:
    """A volume in the community CSV's layout: rows of (page, unit, item, year CE, amount baht, obliged)."""
    lines = [HEADER]
    for i, (page, unit, item, year, amount, obliged) in enumerate(rows):
        lines.append(f"{name}.{i},{name},{page},{ministry},{unit},False,แผนงานพื้นฐาน,ผลผลิตทดสอบ,,งบลงทุน,,,,,,"
                     f"{item},{year},\"{amount}\",{obliged}\n")
    path = tmp_path / f"{name}.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def two_parts(tmp_path):
    # part 2: 1.0 + 2.5 + 3.0 = 6.5 million baht in 2565, and an obligation of 2566 (0.7)
    part2 = volume(tmp_path, "v3(2)", f"{MINISTRY} (2)", [
        (10, "กรมหนึ่ง", "เงินเดือน", 2022, "1,000,000", False), (12, "กรมหนึ่ง", "อาคาร", 2022, "2,500,000", False),
        (20, "กรมสอง", "ครุภัณฑ์", 2022, "3,000,000", False), (20, "กรมสอง", "อาคาร", 2023, "700,000", True)])
    # part 5, its marker in Thai digits with stray spaces: 4.0 + 0.5 = 4.5 million baht
    part5 = volume(tmp_path, "v3(5)", f"{MINISTRY} ( ๕ )", [
        (7, "กรมสาม", "ครุภัณฑ์", 2022, "4,000,000", False), (9, "กรมสาม", "อาคาร", 2022, "500,000", False)])
    return part2, part5


def stated(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "stated.csv"
    path.write_text("level,name,fiscal_year,amount,unit\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def check_csv(capsys, args: list[str]) -> tuple[int, pd.DataFrame, str]:
    status = main(["check", *args, "--mapping", "budget-bill", "--format", "csv"])
    out, err = capsys.readouterr()
    return status, pd.read_csv(pd.io.common.StringIO(out.lstrip("\ufeff")), dtype=str, keep_default_na=False), err


def bill_year(ds, level: str) -> pd.DataFrame:
    return ca.allocation(ds, level, year=2565).set_index("name")["computed_mb"]


# -- one node, parts as provenance -----------------------------------------------------------------

def test_two_parts_are_one_ministry_node_with_the_parts_in_provenance(two_parts):
    ds = ca.load(list(two_parts), mapping="budget-bill")
    ministries = ds.nodes[ds.nodes["level"] == "ministry"]
    assert ministries["name"].tolist() == [MINISTRY]
    assert bill_year(ds, "ministry").to_dict() == {MINISTRY: 11.0}
    assert bill_year(ds, "budgetary_unit").to_dict() == {"กรมหนึ่ง": 3.5, "กรมสอง": 3.0, "กรมสาม": 4.5}
    parts = ds.provenance["parts"]
    assert parts[["printed_name", "part", "source_file", "volume", "rows", "pages"]].values.tolist() == [
        [f"{MINISTRY} (2)", 2, "v3(2).csv", "v3(2)", 4, "10-20"],
        [f"{MINISTRY} ( ๕ )", 5, "v3(5).csv", "v3(5)", 2, "7-9"]]
    assert set(parts["node_id"]) == {ministries["node_id"].iat[0]} and parts["merged"].all()
    # each item keeps the ministry's name as printed: the row says which part it came from
    assert sorted(ds.extras["items"]["ministry"].unique()) == [f"{MINISTRY} ( ๕ )", f"{MINISTRY} (2)"]


def test_a_single_part_keeps_its_name_ids_and_figures(two_parts):
    ds = ca.load(two_parts[0], mapping="budget-bill")
    assert ds.nodes[ds.nodes["level"] == "ministry"][["node_id", "name"]].values.tolist() == [["1", f"{MINISTRY} (2)"]]
    assert bill_year(ds, "ministry").to_dict() == {f"{MINISTRY} (2)": 6.5}
    assert ds.provenance["parts"]["merged"].tolist() == [False]


def test_ingest_says_which_parts_became_one_node(two_parts, tmp_path, capsys):
    out = tmp_path / "bill"
    assert main(["ingest", *map(str, two_parts), "--mapping", "budget-bill", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"'{MINISTRY}' (node 1) is one node from its parts {MINISTRY} (2) (v3(2).csv)" in printed
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert [(p["part"], p["rows"], p["units"]) for p in plan["parts"]] == [(2, 4, ["1.1", "1.2"]), (5, 2, ["1.3"])]
    # and the folder, loaded again, gives the same figures
    assert bill_year(ca.load(out), "ministry").to_dict() == {MINISTRY: 11.0}


def test_two_different_ministries_are_never_merged(tmp_path):
    one = volume(tmp_path, "a", f"{MINISTRY} (2)", [(1, "กรมหนึ่ง", "อาคาร", 2022, "1,000,000", False)])
    other = volume(tmp_path, "b", f"{MINISTRY}พิเศษ (5)", [(1, "กรมสอง", "อาคาร", 2022, "2,000,000", False)])
    unmarked = volume(tmp_path, "c", "กระทรวงอื่น", [(1, "กรมสาม", "อาคาร", 2022, "3,000,000", False)])
    ds = ca.load([one, other, unmarked], mapping="budget-bill")
    assert bill_year(ds, "ministry").to_dict() == {f"{MINISTRY} (2)": 1.0, f"{MINISTRY}พิเศษ (5)": 2.0,
                                                   "กระทรวงอื่น": 3.0}
    assert not ds.provenance["parts"]["merged"].any()


def test_an_agency_printed_in_two_parts_is_one_agency(two_parts, tmp_path):
    more = volume(tmp_path, "v3(6)", f"{MINISTRY} (6)", [(3, "กรมหนึ่ง", "ที่ดิน", 2022, "250,000", False)])
    ds = ca.load([*two_parts, more], mapping="budget-bill")
    assert bill_year(ds, "budgetary_unit")["กรมหนึ่ง"] == 3.75  # 1.0 + 2.5 from part 2, 0.25 from part 6
    parts = ds.provenance["parts"]
    agency = parts[parts["level"] == "budgetary_unit"]
    assert agency[["name", "part", "rows"]].values.tolist() == [["กรมหนึ่ง", 2, 2], ["กรมหนึ่ง", 6, 1]]


# -- printed totals of a ministry in parts -----------------------------------------------------------

def test_a_whole_ministry_total_is_not_compared_with_some_of_its_parts(two_parts, tmp_path, capsys):
    status, found, err = check_csv(capsys, [*map(str, two_parts), "--stated",
                                            str(stated(tmp_path, f"ministry,{MINISTRY},2565,99,million_baht"))])
    assert status == 0 and "stated_total" not in set(found["check"])
    (info,) = found[found["check"] == "stated_unmatched"].to_dict("records")
    assert (info["severity"], info["hint"]) == ("info", "split_across_volumes")
    assert f"{MINISTRY} (2), {MINISTRY} ( ๕ )" in info["message"]
    assert "no printed totals were compared: 1 given, none matches the rows read" in err


def test_a_whole_ministry_total_is_compared_when_every_part_was_read(two_parts, tmp_path, capsys):
    part1 = volume(tmp_path, "v3(1)", f"{MINISTRY} (1)", [(5, "กรมศูนย์", "อาคาร", 2022, "1,250,000", False)])
    sources = [str(part1), str(two_parts[0])]  # parts 1 and 2: 1.25 + 6.5 = 7.75 million baht
    status, found, err = check_csv(capsys, [*sources, "--stated",
                                            str(stated(tmp_path, f"ministry,{MINISTRY},2565,7.75,million_baht"))])
    assert status == 0 and "1 printed totals compared, 1 hold" in err
    status, found, _err = check_csv(capsys, [*sources, "--stated",
                                             str(stated(tmp_path, f"ministry,{MINISTRY},2565,8,million_baht"))])
    (error,) = found[found["check"] == "stated_total"].to_dict("records")
    assert status == 1 and (error["stated"], error["computed"]) == ("8", "7.75")


def test_a_part_total_is_compared_with_the_rows_of_that_part(two_parts, tmp_path, capsys):
    given = stated(tmp_path, f"ministry,{MINISTRY} (2),2565,6.5,million_baht",
                   f"ministry,{MINISTRY} (5),2565,4,million_baht")
    status, found, err = check_csv(capsys, [*map(str, two_parts), "--stated", str(given)])
    assert "2 printed totals compared, 1 hold" in err
    (error,) = found[found["check"] == "stated_total"].to_dict("records")
    assert (error["name"], error["stated"], error["computed"]) == (f"{MINISTRY} (5)", "4", "4.5")


def test_a_part_total_whose_agency_spans_two_parts_is_not_compared(two_parts, tmp_path, capsys):
    more = volume(tmp_path, "v3(6)", f"{MINISTRY} (6)", [(3, "กรมหนึ่ง", "ที่ดิน", 2022, "250,000", False)])
    given = stated(tmp_path, f"ministry,{MINISTRY} (2),2565,1,million_baht")
    status, found, err = check_csv(capsys, [*map(str, two_parts), str(more), "--stated", str(given)])
    assert status == 0 and "stated_total" not in set(found["check"])
    (info,) = found[found["check"] == "stated_unmatched"].to_dict("records")
    assert info["severity"] == "info" and "some agencies hold rows of several parts" in info["message_en"]


def test_a_whole_ministry_total_read_with_a_single_part_is_an_info(two_parts, tmp_path, capsys):
    # one volume: nothing merged, and the whole ministry's printed total is still not compared
    status, found, _err = check_csv(capsys, [str(two_parts[0]), "--stated",
                                             str(stated(tmp_path, f"ministry,{MINISTRY},2565,99,million_baht"))])
    assert status == 0 and found[found["check"] == "stated_unmatched"]["hint"].tolist() == ["split_across_volumes"]


# -- the real volumes 3(2) and 3(5) of the 2565 bill -------------------------------------------------

def test_volumes_3_2_and_3_5_are_one_ministry_adding_up_to_both_csvs():
    files = [need_real("2022-3-3(2).csv"), need_real("2022-3-3(5).csv")]
    ds = ca.load(files, mapping="budget-bill")
    ministry = "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม"
    assert ds.nodes[ds.nodes["level"] == "ministry"]["name"].tolist() == [ministry]
    # plain pandas: every row of both CSVs for FY2022 (BE 2565); the mapping has no row filter and
    # no subtotal pattern, and an obligation's other years are rows of other fiscal years
    rows = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    assert (rows["MINISTRY"].str.strip() != "").all()
    bill = rows[rows["FISCAL_YEAR"].str.strip() == "2022"]
    baht = sum(Decimal(a.replace(",", "")) for a in bill["AMOUNT"])
    computed = ds.computed("ministry", by_year=True)
    (satang,) = computed[computed["fiscal_year"] == 2565]["computed_satang"].tolist()
    assert Decimal(int(satang)) == baht * 100
    # 23 universities in part 2, 10 budgetary units in part 5 (the data's README)
    assert (ds.nodes["level"] == "budgetary_unit").sum() == 33
    parts = ds.provenance["parts"]
    assert parts[["part", "volume", "rows"]].values.tolist() == [[2, "2022.3.3(2)", 975], [5, "2022.3.3(5)", 268]]


def test_a_part_subtotal_row_in_the_tables_is_compared_with_that_part(two_parts, tmp_path, capsys):
    mapping = tmp_path / "bill.yaml"
    bundled = Path(ca.__file__).parent.parent / "params" / "mappings" / "budget-bill.yaml"
    mapping.write_text(bundled.read_text(encoding="utf-8") + 'subtotal: {column: BUDGETARY_UNIT, pattern: "^รวม"}\n',
                       encoding="utf-8")
    # part 2's printed subtotal (6.5 million baht) and part 5's, misprinted (4 for 4.5)
    sub2 = volume(tmp_path, "s2", f"{MINISTRY} (2)", [(21, "รวม", "", 2022, "6,500,000", False)])
    sub5 = volume(tmp_path, "s5", f"{MINISTRY} (5)", [(10, "รวม", "", 2022, "4,000,000", False)])
    status = main(["check", *map(str, two_parts), str(sub2), str(sub5), "--mapping", str(mapping), "--format", "csv"])
    out, err = capsys.readouterr()
    found = pd.read_csv(pd.io.common.StringIO(out.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    (error,) = found[found["check"] == "stated_total"].to_dict("records")
    assert status == 1 and (error["stated"], error["computed"]) == ("4", "4.5")
    assert "2 printed totals compared, 1 hold" in err


def test_the_library_counts_a_total_not_compared_as_not_compared(two_parts, tmp_path):
    given = stated(tmp_path, f"ministry,{MINISTRY},2565,99,million_baht", f"ministry,{MINISTRY} (2),2565,6.5,million_baht")
    findings = ca.check(ca.load(list(two_parts), mapping="budget-bill", stated=given))
    assert (findings.compared, findings.held) == (1, 1)
    assert findings.to_frame()["hint"].tolist() == ["split_across_volumes"]
