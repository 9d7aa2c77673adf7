"""Budget tables: behaviour a user sees that no other test pinned (issue 27).

Each table is a few CSV rows written here through the budget-bill style mapping of
``tests/helpers.py`` (amounts in thousand baht, years BE); every expected figure is worked out
by hand in the comments, never read back from the code under test.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import TINY_MAPPING  # tests/helpers.py

from coopanalysis.budget import ingest_tables, load_dataset, write_dataset
from coopanalysis.budget.dataset import dataset_from_result
from coopanalysis.checks import run_checks
from coopanalysis.checks.table_rules import compared_sums
from coopanalysis.errors import InputError

HEADER = "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"


def _write(tmp_path: Path, rows: list[str], stated: str | None = None) -> tuple[Path, Path, Path | None]:
    table = tmp_path / "t.csv"
    table.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    spec = tmp_path / "tiny.yaml"
    spec.write_text(TINY_MAPPING, encoding="utf-8")
    stated_path = None
    if stated is not None:
        stated_path = tmp_path / "stated.csv"
        stated_path.write_text("level,name,fiscal_year,amount,unit,parent\n" + stated, encoding="utf-8")
    return table, spec, stated_path


# ---- obligations of a later year outnumbering the plain rows ----------------------------------

# two plain rows of 2567, one obligation row for 2567 (the bill's own year) and FOUR obligation
# rows committing money to 2568-2569: obligations outnumber plain rows, and 2568 is the most
# common year of all rows (3 rows) while 2567 is the only year of the plain rows.
OBLIGATIONS = [
    "p1,1,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,100,no",
    "p2,1,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,50,no",
    "o0,2,กรมหนึ่ง,แผน ข,ผลผลิต 2,,อาคาร,2567,30,yes",
    "o1,2,กรมหนึ่ง,แผน ข,ผลผลิต 2,,อาคาร,2568,300,yes",
    "o2,2,กรมหนึ่ง,แผน ข,ผลผลิต 2,,ถนน,2568,200,yes",
    "o3,2,กรมหนึ่ง,แผน ข,ผลผลิต 2,,สะพาน,2568,100,yes",
    "o4,2,กรมหนึ่ง,แผน ข,ผลผลิต 2,,อาคาร,2569,400,yes",
]


def test_later_obligations_outnumbering_plain_rows_keep_the_bill_year(tmp_path):
    table, spec, _ = _write(tmp_path, OBLIGATIONS)
    out = tmp_path / "ds"
    write_dataset(ingest_tables([table], str(spec)), out)
    ds = load_dataset(out)  # what `coopanalysis ingest` leaves on disk
    # the bill year is the year of the plain rows (2567), not the most common year (2568)
    assert ds.plan["bill_year"] == 2567
    assert ds.plan["fiscal_years"] == [2567, 2568, 2569]
    kinds = dict(zip(ds.items.item_id, ds.items.kind))
    # plain rows and the obligation row of the bill's own year are this year's appropriation;
    # obligation rows of other years are commitments, never "appropriation"
    assert kinds == {"p1": "appropriation", "p2": "appropriation", "o0": "appropriation",
                     "o1": "obligation_other_year", "o2": "obligation_other_year",
                     "o3": "obligation_other_year", "o4": "obligation_other_year"}
    # by hand (thousand -> million baht): 2567 = 100 + 50 + 30 = 0.18; 2568 = 300 + 200 + 100 = 0.6
    sums = compared_sums(ds)
    assert sums[("1", 2567)] == Decimal("0.18") and sums[("1", 2568)] == Decimal("0.6")
    assert sums[("1", 2569)] == Decimal("0.4")


def test_bill_year_of_the_mapping_wins_and_a_table_of_obligations_only_still_gets_one(tmp_path):
    # only obligation rows: no plain row to go by, so the most common year of all rows (2568)
    table, spec, _ = _write(tmp_path, OBLIGATIONS[3:])
    assert ingest_tables([table], str(spec)).plan["bill_year"] == 2568
    # a bill year in the mapping is taken as it is: 2568's commitments become its appropriation
    spec.write_text(TINY_MAPPING + "bill_year: 2568\n", encoding="utf-8")
    table.write_text(HEADER + "".join(r + "\n" for r in OBLIGATIONS), encoding="utf-8")
    result = ingest_tables([table], str(spec))
    assert result.plan["bill_year"] == 2568
    kinds = dict(zip(result.frames["items"].item_id, result.frames["items"].kind))
    assert kinds["o1"] == "appropriation" and kinds["o0"] == "obligation_other_year"
    assert kinds["p1"] == "appropriation"  # a plain row is never a commitment


def test_plain_rows_tied_between_two_years_take_the_later_one(tmp_path):
    # one plain row in 2567 and one in 2568, three obligation rows in 2567: the obligations do
    # not count, and the tie between the plain rows' years goes to the later year (ingest.py:
    # "the most common year of the rows that are neither obligations nor subtotals (the latest
    # of equally common ones)")
    rows = ["p1,1,ก,แผน ก,ผลผลิต 1,,x,2567,1,no", "p2,1,ก,แผน ก,ผลผลิต 1,,y,2568,1,no",
            "o1,1,ก,แผน ก,ผลผลิต 1,,z,2567,1,yes", "o2,1,ก,แผน ก,ผลผลิต 1,,w,2567,1,yes",
            "o3,1,ก,แผน ก,ผลผลิต 1,,v,2567,1,yes"]
    table, spec, _ = _write(tmp_path, rows)
    assert ingest_tables([table], str(spec)).plan["bill_year"] == 2568


# ---- a stated total naming a grandparent as its parent ---------------------------------------

# "ผลผลิต 1" exists under กรมหนึ่ง › แผน ก (node 1.1.1) and under กรมสอง › แผน ก (node 2.1.1): the
# plan "แผน ก" does not tell them apart, the agency (a grandparent) does.
TWO_AGENCIES = [
    "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
    "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,500.5,no",
    "b1,9,กรมสอง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,250,no",
]


def test_stated_total_under_a_grandparent_is_found(tmp_path):
    table, spec, stated = _write(tmp_path, TWO_AGENCIES, "output,ผลผลิต 1,2567,0.3,million_baht,กรมสอง\n")
    ds = dataset_from_result(ingest_tables([table], str(spec), stated=stated))
    assert list(zip(ds.stated.node_id, ds.stated.amount_mb)) == [("2.1.1", "0.3")]
    # by hand: กรมสอง's ผลผลิต 1 in 2567 = 250 thousand = 0.25 million; printed 0.3
    (finding,) = [f for f in run_checks(ds) if f.check == "stated_total"]
    assert (finding.id, finding.difference) == ("2.1.1", "-0.05")


def test_stated_total_under_a_great_grandparent_and_the_direct_parent(tmp_path):
    stated = ("item,ค่าวัสดุ,2567,500500,baht,กรมหนึ่ง\n"   # great-grandparent: node 1.1.1.2
              "plan,แผน ก,2567,0.25,million_baht,กรมสอง\n")  # direct parent: node 2.1
    table, spec, stated_path = _write(tmp_path, TWO_AGENCIES, stated)
    ds = dataset_from_result(ingest_tables([table], str(spec), stated=stated_path))
    assert list(zip(ds.stated.node_id, ds.stated.amount_mb)) == [("1.1.1.2", "0.5005"), ("2.1", "0.25")]
    assert [f for f in run_checks(ds) if f.check == "stated_total"] == []  # both add up exactly


def test_stated_total_under_a_name_that_is_no_ancestor_is_refused(tmp_path):
    # "ค่าจ้าง" is an item beside the outputs' items, not an ancestor of any ผลผลิต 1
    table, spec, stated = _write(tmp_path, TWO_AGENCIES, "output,ผลผลิต 1,2567,0.3,million_baht,ค่าจ้าง\n")
    with pytest.raises(InputError, match="no output named"):
        ingest_tables([table], str(spec), stated=stated)


# ---- a group report for node 1 among ten or more siblings -------------------------------------


def _eleven_agencies(tmp_path):
    # agencies หน่วย 1 .. หน่วย 11 become nodes 1 .. 11 (first-seen order): "10" and "11" start
    # with "1" but are not under node 1
    rows = [f"a{i},1,หน่วย {i},แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,{i}00,no" for i in range(1, 12)]
    rows += ["d10,1,หน่วย 10,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,1000,no",   # a duplicate of a10
             "m10,1,หน่วย 10,แผน ข,ผลผลิต 1,,ค่าเช่า,2567,\"2,0\",no",  # malformed amount
             "b1,1,หน่วย 1,แผน ก,ผลผลิต 1,,ค่าเช่า,2567,50,no"]
    stated = ("agency,หน่วย 1,2567,9,million_baht,\n"    # node 1: 0.1 + 0.05 = 0.15, printed 9
              "agency,หน่วย 10,2567,5,million_baht,\n"   # node 10: 1 + 1 = 2, printed 5
              "agency,หน่วย 11,2567,7,million_baht,\n")  # node 11: 1.1, printed 7
    table, spec, stated_path = _write(tmp_path, rows, stated)
    out = tmp_path / "ds"
    write_dataset(ingest_tables([table], str(spec), stated=stated_path), out)
    return out


def test_group_report_of_node_1_leaves_out_nodes_10_and_11(tmp_path):
    import coopanalysis as ca
    from coopanalysis.budget import present
    from coopanalysis.present.budget import allocation_rows

    out = _eleven_agencies(tmp_path)
    ds = load_dataset(out)
    assert [ds.node_records()[str(i)]["name"] for i in (1, 10, 11)] == ["หน่วย 1", "หน่วย 10", "หน่วย 11"]
    assert [(f.check, f.id) for f in present.node_findings(ds, "1")] == [("stated_total", "1")]
    assert sorted((f.check, f.id) for f in present.node_findings(ds, "10")) == [
        ("duplicate_row", "10.1.1.1"), ("malformed_amount", "10.2.1.1"), ("stated_total", "10")]
    # by hand: node 1 has one plan, one output and two items: ค่าจ้าง (a1: 100 thousand) and
    # ค่าเช่า (b1: 50 thousand); its report splits it by item (nodes 10 and 11 have plans too)
    shares = allocation_rows(ca.load(out), "item", 2567, within="1")
    assert list(shares.node_id) == ["1.1.1.1", "1.1.1.2"]
    assert list(shares.amount_mb) == [Decimal("0.1"), Decimal("0.05")]
    assert list(ca.by_year(ca.load(out), "plan", within="1").node_id) == ["1.1"]
    assert present.child_level(ds, "1") == "item"
    # the report jobs: one per agency, node 1 and node 10 each their own
    from coopanalysis.budget.jobs import report_jobs

    jobs = report_jobs(out, "agency", tmp_path / "reports")
    assert [j["parameters"]["node"] for j in jobs] == [str(i) for i in range(1, 12)]
    assert len({j["name"] for j in jobs}) == 11
