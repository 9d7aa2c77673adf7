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


def _dataset(tmp_path, stated: str | None, rows: str = ROWS, mapping: str = TINY_MAPPING, corrections: str = ""):
    """The table *rows* (as t.csv) read through *mapping* with the printed totals *stated* (lines
    of a stated.csv; None: no printed totals) and *corrections* (a corrections file, if given),
    as ``check`` reads them."""
    for name, text in (("t.csv", rows), ("tiny.yaml", mapping), ("corrections.yaml", corrections),
                       ("stated.csv", "level,name,fiscal_year,amount,unit,parent\n" + (stated or ""))):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return dataset_from_result(ingest_tables([tmp_path / "t.csv"], str(tmp_path / "tiny.yaml"),
                                             stated=None if stated is None else tmp_path / "stated.csv",
                                             corrections=tmp_path / "corrections.yaml" if corrections else None))


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
    assert (finding.id, finding.name, finding.stated, finding.hint) == ("", "กรมหนึ่ง", "0.15", "no_such_node")


def test_rows_with_names_but_no_usable_fiscal_year_are_one_error_per_file_naming_the_years(tmp_path):
    # t.csv: line 1 the header, line 2 an item of 2567, lines 3-13 eleven named items whose year
    # is no year at all ('abc', 'ปีหน้า', '25x6', 25'6, then again): meant as items, lost from every
    # sum; a year with a quote in it is shown as '?'
    years = ["abc", "ปีหน้า", "25x6", "25'6"] * 3
    rows = ROWS.splitlines()[0] + "\n" + ROWS.splitlines()[1] + "\n" + "".join(
        f"b{i},3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ {i},{years[i]},5,no\n" for i in range(11))
    (finding,) = [f for f in run_checks(_dataset(tmp_path, None, rows)) if f.check == "bad_fiscal_year"]
    assert (finding.severity, finding.level, finding.id) == ("error", "document", "t.csv")
    assert finding.message_en == ("t.csv: 11 rows with names have no usable fiscal year (e.g. 'abc', 'ปีหน้า', "
                                  "'25x6', ?), so they are not summed; every row is listed in ingest_report.csv")
    assert finding.message == ("t.csv: 11 แถวมีชื่อรายการแต่ปีงบประมาณใช้ไม่ได้ (เช่น 'abc', 'ปีหน้า', '25x6', ?) "
                               "จึงไม่ได้นับรวม ทุกแถวอยู่ใน ingest_report.csv")
    assert finding.cells == [f"t.csv แถว {line}" for line in range(3, 13)]  # the first ten of eleven


def test_flagged_rows_carry_their_flag_amount_and_line(tmp_path):
    # line 3 repeats line 2 (same names, year and amount: 100 thousand baht = 0.1 million);
    # lines 4 and 5: one item whose 50.000001 thousand baht (50,000.001 baht) is finer than a
    # satang in 2567 and 2568, told once from its first line
    rows = ("ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
            "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,100,no\n"
            "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,100,no\n"
            "a3,4,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,50.000001,no\n"
            "a4,4,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2568,50.000001,no\n")
    findings = run_checks(_dataset(tmp_path, None, rows))
    (repeat,) = [f for f in findings if f.check == "duplicate_row"]
    assert (repeat.severity, repeat.level, repeat.name, repeat.fiscal_year) == ("warning", "item", "ค่าจ้าง", 2567)
    assert (repeat.stated, repeat.hint, repeat.source_line) == ("0.1", "duplicate", 3)
    (noise,) = [f for f in findings if f.check == "float_noise"]
    assert (noise.level, noise.name, noise.fiscal_year, noise.stated) == ("item", "ค่าวัสดุ", 2567, "0.050000001")
    assert (noise.hint, noise.source_line) == ("float_noise", 4)
    assert noise.message_en == "t.csv row 4: amounts not a whole satang in years 2567, 2568"
    assert noise.cells == ["t.csv แถว 4 ITEM_ID a3 หน้า 4", "t.csv แถว 5 ITEM_ID a4 หน้า 4"]


def test_a_corrected_subtotal_row_is_told_of_the_document_not_of_an_item(tmp_path):
    # line 4 prints the subtotal of แผน ก as 160 thousand baht (the mapping reads 'รวม…' rows of
    # ITEM as printed totals, not items); a reviewed correction makes it 150 (= 100 + 50)
    rows = ROWS + "t1,3,กรมหนึ่ง,แผน ก,,,รวมแผน ก,2567,160,no\n"
    corrections = ("corrections:\n  - source_file: t.csv\n    item_id: t1\n    printed: '160'\n"
                   "    corrected: '150'\n    reason: the subtotal of the two rows above\n")
    ds = _dataset(tmp_path, None, rows, TINY_MAPPING + "subtotal: {column: ITEM, pattern: '^รวม'}\n", corrections)
    (finding,) = [f for f in run_checks(ds) if f.check == "correction_applied"]
    assert (finding.severity, finding.level, finding.id, finding.name) == ("info", "document", "t.csv", "")
    assert (finding.fiscal_year, finding.source_line) == (2567, 4)
    assert finding.cells == ["t.csv แถว 4 ITEM_ID t1: 160 → 150"]
    assert finding.message_en == ("t.csv row 4 ITEM_ID t1: reviewed correction of the amount from 160 to 150"
                                  " — reason: the subtotal of the two rows above")


def test_a_workbooks_merged_cells_filled_down_are_a_warning_about_the_document(tmp_path):
    import openpyxl

    # the agency cell กรมหนึ่ง is merged over the two item rows (C2:C3), as printed tables do
    book = openpyxl.Workbook()
    for line in ROWS.splitlines():
        book.active.append(line.split(","))
    book.active["C3"] = None
    book.active.merge_cells("C2:C3")
    book.save(tmp_path / "t.xlsx")
    (tmp_path / "tiny.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    ds = dataset_from_result(ingest_tables([tmp_path / "t.xlsx"], str(tmp_path / "tiny.yaml")))
    (finding,) = [f for f in run_checks(ds) if f.check == "merged_cells"]
    assert (finding.severity, finding.level, finding.id) == ("warning", "document", "t.xlsx")
    assert finding.message_en == ("t.xlsx: merged cells filled down from their top cell: C2:C3; check that rows "
                                  "sit under the right parent")
    assert finding.message == ("t.xlsx: เซลล์ที่ผสานในแนวตั้งถูกเติมลงด้วยค่าของเซลล์บนสุด "
                               "ตรวจว่าแถวอยู่ใต้ระดับบนที่ถูกต้อง (C2:C3)")  # the ranges, after the note's colon


def test_a_total_of_a_top_level_node_read_only_in_part_is_not_compared_and_names_no_node(tmp_path):
    # the table holds กรมหนึ่ง only as its part (2) (a volume of a node printed across volumes);
    # the whole node's printed total is not compared, and the finding is about no node of the table
    rows = ROWS.replace("กรมหนึ่ง,", "กรมหนึ่ง (2),")
    (finding,) = [f for f in run_checks(_dataset(tmp_path, "agency,กรมหนึ่ง,2567,1,million_baht,\n", rows))
                  if f.check == "stated_unmatched"]
    assert (finding.severity, finding.id, finding.name, finding.hint) == ("info", "", "กรมหนึ่ง", "split_across_volumes")
    assert finding.message_en.endswith("the printed total of กรมหนึ่ง is the whole ministry's, the tables hold only "
                                       "part(s) of it (กรมหนึ่ง (2)): not compared")


def test_a_printed_total_at_a_level_the_mapping_lacks_is_told_by_its_level_key(tmp_path):
    # a stated.csv of an ingested folder edited by hand: its level 'section' is none of the mapping's;
    # กรมหนึ่ง printed 0.2 million baht, its rows add up to 100 + 50 thousand = 0.15
    ds = _dataset(tmp_path, "agency,กรมหนึ่ง,2567,0.2,million_baht,\n")
    ds.stated.loc[0, "level"] = "section"
    (finding,) = [f for f in run_checks(ds) if f.check == "stated_total"]
    assert finding.level == "section"
    assert finding.message.startswith("section กรมหนึ่ง ปี 2567: ยอดที่พิมพ์ 0.2 ล้านบาท แต่รายการรวมได้ 0.15 ล้านบาท")
    assert finding.message_en.startswith("section กรมหนึ่ง FY2567: printed 0.2 million baht, items sum to 0.15")


def test_a_plan_name_with_a_stray_letter_glued_on_is_named_with_its_node(tmp_path):
    # แผน ก is printed 'แผนงานพัฒนาพื้นที่ชายฝั่ง ญ': a stray ญ after the name; the plan is node 1.1
    # (the first plan of the first agency); the finding points at its first row, line 2
    rows = ROWS.replace("แผน ก", "แผนงานพัฒนาพื้นที่ชายฝั่ง ญ")
    (finding,) = [f for f in run_checks(_dataset(tmp_path, None, rows)) if f.check == "name_noise"]
    assert (finding.level, finding.id, finding.name) == ("plan", "1.1", "แผนงานพัฒนาพื้นที่ชายฝั่ง ญ")
    assert finding.message_en == ("name 'แผนงานพัฒนาพื้นที่ชายฝั่ง ญ' has stray characters glued on by the extraction; "
                                  "clean name: 'แผนงานพัฒนาพื้นที่ชายฝั่ง'")
    assert finding.cells == ["t.csv แถว 2 ITEM_ID a1 หน้า 3"]


def test_years_far_from_the_bill_year_are_shown_as_their_span_even_without_a_stored_bill_year(tmp_path):
    # four items of 2567 (lines 2, 3, 7, 8) and one item, ค่าเช่า, in 2553, 2554 and 2555 (lines 4-6):
    # 12 to 14 years before the bill year 2567, the most common year and also the median of the rows
    rows = (ROWS + "c1,5,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าเช่า,2553,1,no\nc2,5,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าเช่า,2554,1,no\n"
            "c3,5,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าเช่า,2555,1,no\nd1,6,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าไฟ,2567,10,no\n"
            "d2,6,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าน้ำ,2567,10,no\n")
    ds = _dataset(tmp_path, None, rows)
    said = ("t.csv row 4: 3 rows in fiscal years 2553-2555, more than 10 years from the bill year 2567: misread years?")
    (far,) = [f for f in run_checks(ds) if f.check == "implausible_year"]
    assert (far.message_en, far.name, far.level, far.fiscal_year, far.source_line) == (said, "ค่าเช่า", "item", 2553, 4)
    del ds.plan["bill_year"]  # a folder ingested before the bill year was stored: the median year
    assert [f.message_en for f in run_checks(ds) if f.check == "implausible_year"] == [said]


def test_an_amount_equal_to_a_year_in_its_own_description_is_told_with_its_row(tmp_path):
    # line 4: 'ค่าเช่าปี 2567' for 2,567 thousand baht (2.567 million): the year read as the amount?
    rows = ROWS + "e1,7,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าเช่าปี 2567,2567,2567,no\n"
    (finding,) = [f for f in run_checks(_dataset(tmp_path, None, rows)) if f.check == "amount_is_year"]
    assert (finding.level, finding.name, finding.fiscal_year, finding.stated) == ("item", "ค่าเช่าปี 2567", 2567, "2.567")
    assert finding.source_line == 4
    assert finding.message == ("t.csv แถว 4 ITEM_ID e1 หน้า 7: จำนวนเงิน 2567 เท่ากับปีที่เขียนในรายการเอง "
                               "(ค่าเช่าปี 2567): อาจอ่านปีเป็นจำนวนเงิน")
    assert finding.message_en == ("t.csv row 4: amount 2567 equals a year written in the row's own description: "
                                  "a year read as an amount?")
