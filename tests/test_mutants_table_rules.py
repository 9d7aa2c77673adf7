"""A budget table's rules where a silent error costs most (issue 27, `make mutants`): what
``checks/table_rules.py`` tells a user about a printed total its rows do not explain.

Each table is a few CSV rows written here through the mapping of ``tests/helpers.py`` (amounts
in thousand baht, years BE); expected values are worked out by hand in the comments.
"""

from __future__ import annotations

from helpers import TINY_MAPPING  # tests/helpers.py

from coopanalysis.budget import ingest_tables
from coopanalysis.budget.dataset import dataset_from_result
from coopanalysis.checks import run_checks

ROWS = ("ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
        "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,100,no\n"
        "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,50,no\n")


def _dataset(tmp_path, stated: str):
    """The table ROWS with the printed totals *stated* (lines of a stated.csv), as ``check`` reads them."""
    for name, text in (("t.csv", ROWS), ("tiny.yaml", TINY_MAPPING),
                       ("stated.csv", "level,name,fiscal_year,amount,unit,parent\n" + stated)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return dataset_from_result(ingest_tables([tmp_path / "t.csv"], str(tmp_path / "tiny.yaml"),
                                             stated=tmp_path / "stated.csv"))


def test_a_total_printed_for_a_year_without_rows_says_no_rows_beneath_not_rows_missing(tmp_path):
    # กรมหนึ่ง has rows in 2567 only; its total printed for 2568 (0.2 million baht) has nothing beneath:
    # the items add up to less (0 < 0.2), yet the cause is "no item rows", not "rows missing"
    (finding,) = [f for f in run_checks(_dataset(tmp_path, "agency,กรมหนึ่ง,2568,0.2,million_baht,\n"))
                  if f.check == "stated_total"]
    assert (finding.id, finding.fiscal_year, finding.stated, finding.computed) == ("1", 2568, "0.2", "0")
    assert finding.hint == "no_items"
    assert finding.message_en.endswith("likely: no item rows beneath this total in that year")
    assert finding.message.endswith("สาเหตุที่เป็นไปได้: ไม่มีรายการใต้ยอดนี้ในปีนั้น")
    # the same total printed for 2567 (0.2 against 100 + 50 thousand = 0.15): rows missing
    (finding,) = [f for f in run_checks(_dataset(tmp_path, "agency,กรมหนึ่ง,2567,0.2,million_baht,\n"))
                  if f.check == "stated_total"]
    assert (finding.hint, finding.difference) == ("missing_rows", "-0.05")


def test_a_printed_total_whose_node_id_reads_nan_is_unmatched_not_a_total_of_nothing(tmp_path):
    # a stated table whose missing node id became the text "nan" (pandas' text of a missing value)
    ds = _dataset(tmp_path, "agency,กรมหนึ่ง,2567,0.15,million_baht,\n")
    ds.stated.loc[0, "node_id"] = "nan"
    findings = run_checks(ds)
    assert [f.check for f in findings if f.check.startswith("stated")] == ["stated_unmatched"]
    (finding,) = [f for f in findings if f.check == "stated_unmatched"]
    assert (finding.name, finding.stated, finding.hint) == ("กรมหนึ่ง", "0.15", "no_such_node")
