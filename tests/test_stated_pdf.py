"""Printed totals read from the budget PDF (issue 24), name matching for stated totals, and the
plausibility checks on budget tables.

Totals of the real volumes are typed by hand from the PDF pages named beside them (page = the
PDF file's page, 1 = its first; the printed page number is given too). Skipped with a reason when
../shared/realdata/budget_bill_2565/ is absent.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from helpers import need_real  # tests/helpers.py

from coopanalysis.budget.pdf import read_pdf_totals, repair
from coopanalysis.budget.stated import strip_noise
from coopanalysis.cli import main

HEADER = ("ITEM_ID,REF_DOC,REF_PAGE_NO,MINISTRY,BUDGETARY_UNIT,CROSS_FUNC?,BUDGET_PLAN,OUTPUT,PROJECT,"
          "CATEGORY_LV1,CATEGORY_LV2,CATEGORY_LV3,CATEGORY_LV4,CATEGORY_LV5,CATEGORY_LV6,ITEM_DESCRIPTION,"
          "FISCAL_YEAR,AMOUNT,OBLIGED?\n")


def need(name: str) -> Path:
    return need_real(name)


def table(tmp_path: Path, rows: list[tuple], name: str = "bill.csv") -> Path:
    """A small table in the community CSV's layout: (ministry, unit, plan, output, category, item, year CE, amount)."""
    lines = [HEADER]
    for i, (ministry, unit, plan, output, category, item, year, amount) in enumerate(rows):
        lines.append(f"t.{i},t,{i + 1},{ministry},{unit},False,{plan},{output},,{category},,,,,,{item},{year},"
                     f"\"{amount}\",False\n")
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def stated_csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "stated.csv"
    path.write_text("level,name,fiscal_year,amount,unit,parent\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def totals_of(read, level: str) -> dict[str, tuple[str, int]]:
    return {t.name: (t.amount, t.page) for t in read.totals if t.level == level}


# -- text repair -------------------------------------------------------------------------------

def test_repair_of_the_damaged_text_layer():
    assert repair("หน่วยงานอื(cid:201)นของรัฐ") == "หน่วยงานอื่นของรัฐ"
    assert repair("รวมทั(cid:202)งสิ(cid:202)น") == "รวมทั้งสิ้น"
    assert repair("สํานักงาน") == "สำนักงาน"  # nikhahit + sara aa
    assert repair("ประจำาปี") == "ประจำปี"  # sara am split, its aa doubled
    assert repair("๒,๕๖๕") == "2,565"
    assert repair("2 00.6142") == "200.6142"  # a digit set apart from its number
    assert repair("เงิ\uf70aน") == "เงิ่น"  # private-use shifted tone mark


# -- real volumes: totals typed from the PDF pages -----------------------------------------------

@pytest.fixture(scope="module")
def vol17():
    return read_pdf_totals(need("31.pdf"), progress=False)


@pytest.mark.slow  # reads the whole 84-page volume
def test_volume_17_ministry_and_agency_totals(vol17):
    # page 9 (printed 1): หน่วยงานอื่นของรัฐ, 2565: 478,966,500 บาท and its two agencies
    assert totals_of(vol17, "ministry")["หน่วยงานอื่นของรัฐ"] == ("478,966,500", 9)
    units = {(t.name, t.amount, t.page) for t in vol17.totals if t.level == "budgetary_unit"}
    assert ("สำนักงานคณะกรรมการการแข่งขันทางการค้า", "166,576,700", 9) in units
    assert ("สำนักงานสภาเกษตรกรแห่งชาติ", "312,389,800", 9) in units
    # page 41: สภากาชาดไทย 8,265,442,700 บาท; page 75: ส่วนราชการในพระองค์ 8,761,390,800 บาท
    assert ("สภากาชาดไทย", "8,265,442,700", 41) in units
    assert ("ส่วนราชการในพระองค์", "8,761,390,800", 75) in units
    assert vol17.problems == []


@pytest.mark.slow  # reads the whole 84-page volume
def test_volume_17_plan_and_category_totals_of_table_6_2(vol17):
    # page 17 (printed 9), table 6.2 of สำนักงานคณะกรรมการการแข่งขันทางการค้า, million baht
    rows = {(t.level, t.name, t.parent, t.amount) for t in vol17.totals if t.page == 17}
    office = "สำนักงานคณะกรรมการการแข่งขันทางการค้า"
    assert ("budget_plan", "แผนงานบุคลากรภาครัฐ", office, "78.4590") in rows
    assert ("category_lv1", "งบเงินอุดหนุน", office, "166.5767") in rows
    assert ("output_or_project", "โครงการกำกับดูแลและเสริมสร้างการแข่งขันทางการค้าที่เสรีและเป็นธรรม",
            office + " > แผนงานยุทธศาสตร์พัฒนากฎหมายและกระบวนการยุติธรรม", "7.6799") in rows


def test_volume_3_5_agency_totals():
    read = read_pdf_totals(need("14.pdf"), progress=False, pages=[11, 21, 91])
    units = totals_of(read, "budgetary_unit")
    # page 11: 200,614,200; page 21: 4,966,955,400; page 91: 155,822,200 (บาท, 2565)
    assert units["สำนักงานคณะกรรมการส่งเสริมวิทยาศาสตร์ วิจัยและนวัตกรรม"] == ("200,614,200", 11)
    assert units["สำนักงานพัฒนาวิทยาศาสตร์และเทคโนโลยีแห่งชาติ"] == ("4,966,955,400", 21)
    assert units["สำนักงานสภานโยบายการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรมแห่งชาติ"] == ("155,822,200", 91)


def test_volume_3_2_agency_and_table_6_2():
    read = read_pdf_totals(need("11.pdf"), progress=False, pages=[17, 22])
    unit = "มหาวิทยาลัยราชภัฏธนบุรี"
    assert ("budgetary_unit", unit, "", "351,553,600") in {(t.level, t.name, t.parent, t.amount)
                                                           for t in read.totals if t.page == 17}
    rows = {(t.level, t.name, t.parent, t.amount) for t in read.totals if t.page == 22}
    # page 22 (printed 6), table 6.2: งบบุคลากร 39.5236 in all; แผนงานบุคลากรภาครัฐ 215.4274;
    # ผลผลิตที่ 1 ผู้สำเร็จการศึกษาด้านสังคมศาสตร์ 37.0779, of which งบลงทุน 26.9856
    plan = "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์"
    assert ("category_lv1", "งบบุคลากร", unit, "39.5236") in rows
    assert ("budget_plan", "แผนงานบุคลากรภาครัฐ", unit, "215.4274") in rows
    assert ("output_or_project", "ผู้สำเร็จการศึกษาด้านสังคมศาสตร์", f"{unit} > {plan}", "37.0779") in rows
    assert ("category_lv1", "งบลงทุน", f"{unit} > {plan} > ผู้สำเร็จการศึกษาด้านสังคมศาสตร์", "26.9856") in rows


@pytest.mark.slow  # reads the whole 84-page volume
def test_check_volume_17_against_its_pdf_names_the_agencies_that_do_not_add_up(tmp_path, capsys):
    csv = need("2022-3-17.csv")
    out = tmp_path / "stated.csv"
    assert main(["stated", str(need("31.pdf")), "--out", str(out)]) == 0
    written = pd.read_csv(out, dtype=str)
    assert set(written.columns) >= {"level", "name", "fiscal_year", "amount", "unit", "page"}
    capsys.readouterr()
    assert main(["check", str(csv), "--mapping", "budget-bill", "--stated", str(out), "--format", "csv"]) == 1
    findings = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out.lstrip("\ufeff")), dtype=str)
    wrong = findings[(findings["check"] == "stated_total") & (findings["level"] == "budgetary_unit")]
    # the agencies' 2565 totals printed on pages 9, 41 and 75, against a plain pandas sum of the rows
    raw = pd.read_csv(csv, dtype=str, keep_default_na=False)
    raw = raw[(raw["ITEM_ID"] != "ITEM_ID") & (raw["FISCAL_YEAR"] == "2022")]
    sums = raw.groupby("BUDGETARY_UNIT")["AMOUNT"].apply(lambda s: sum(Decimal(a.replace(",", "")) for a in s))
    printed = {"สำนักงานคณะกรรมการการแข่งขันทางการค้า": Decimal(166576700), "สำนักงานสภาเกษตรกรแห่งชาติ": Decimal(312389800),
               "สภากาชาดไทย": Decimal(8265442700), "ส่วนราชการในพระองค์": Decimal(8761390800)}
    expected = {name for name, amount in printed.items() if sums[name] != amount}
    assert expected and set(wrong["name"]) == expected
    # the commission's rows 4 and 5 both print 2,256,500, its difference: one repeats the other
    hint = {"สำนักงานคณะกรรมการการแข่งขันทางการค้า": "repeated_value"}
    for row in wrong.to_dict("records"):
        assert Decimal(row["difference"]) == (sums[row["name"]] - printed[row["name"]]) / 1_000_000
        assert row["hint"] == hint.get(row["name"], "missing_rows" if Decimal(row["difference"]) < 0 else "extra_rows")
    # the PDF itself given to --stated: the same agencies, in the table format with its counts
    assert main(["check", str(csv), "--mapping", "budget-bill", "--stated", str(need("31.pdf"))]) == 1
    out = capsys.readouterr().out
    assert "printed totals compared" in out and f"หน่วยรับงบประมาณที่ยอดไม่ตรง {len(expected)} " in out
    squeezed = out.replace("\n    ", "").replace(" ", "")  # messages are wrapped to the terminal
    for name in expected:
        assert f"หน่วยรับงบประมาณ{name}ปี2565:ยอดที่พิมพ์" in squeezed


# -- name matching -----------------------------------------------------------------------------

ROWS = [("กระทรวงทดสอบ", "กรมพัฒนาพื้นที่ชายฝั่ง ญ", "แผนงานบุคลากรภาครัฐ", "", "งบบุคลากร", "เงินเดือน", 2022, "1,000,000"),
        ("กระทรวงทดสอบ", "กรมวิชาการเกษตร", "แผนงานพื้นฐาน", "ผลผลิตหนึ่ง", "งบดำเนินงาน", "ค่าตอบแทน", 2022, "2,500,000"),
        ("กระทรวงทดสอบ", "กรมวิชาการเกษตร", "แผนงานพื้นฐาน", "ผลผลิตสอง", "งบดำเนินงาน", "ค่าวัสดุ", 2022, "500,000")]


def test_every_unmatched_name_is_listed_with_candidates(tmp_path, capsys):
    bill = table(tmp_path, ROWS)
    stated = stated_csv(tmp_path, ["budgetary_unit,กรมวิชาการประมง,2565,3000000,baht,",
                                   "budget_plan,แผนงานพื้นที่ฐาน,2565,3,million_baht,",
                                   "budgetary_unit,กรมที่ไม่มี,2565,1,baht,"])
    assert main(["check", str(bill), "--mapping", "budget-bill", "--stated", str(stated)]) == 2
    err = capsys.readouterr().err
    assert "3 names match nothing" in err and err.count("\n") == 1
    assert "'กรมวิชาการประมง'" in err and "closest: 'กรมวิชาการเกษตร'" in err
    assert "'แผนงานพื้นที่ฐาน'" in err and "'แผนงานพื้นฐาน'" in err
    assert "'กรมที่ไม่มี'" in err and "line 4" in err and "stated.csv" in err


def test_noisy_name_matches_its_clean_name_and_is_flagged(tmp_path, capsys):
    assert strip_noise("กรมพัฒนาพื้นที่ชายฝั่ง ญ") == "กรมพัฒนาพื้นที่ชายฝั่ง"
    assert strip_noise("มหาวิทยาลัยราชภัฏศรีวิชัย de u") == "มหาวิทยาลัยราชภัฏศรีวิชัย"
    bill = table(tmp_path, ROWS)
    stated = stated_csv(tmp_path, ["budgetary_unit,กรมพัฒนาพื้นที่ชายฝั่ง,2565,1000000,baht,",
                                   "category_lv1,งบดำเนินงาน,2565,3,million_baht,กรมวิชาการเกษตร"])
    assert main(["check", str(bill), "--mapping", "budget-bill", "--stated", str(stated), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert '"name_noise"' in captured.out and "'กรมพัฒนาพื้นที่ชายฝั่ง'" in captured.out
    assert '"stated_total"' not in captured.out  # 1 million baht and 2.5 + 0.5 hold
    assert "2 printed totals compared, 2 hold" in captured.err


def test_check_without_printed_totals_says_so(tmp_path, capsys):
    bill = table(tmp_path, ROWS[1:])
    assert main(["check", str(bill), "--mapping", "budget-bill"]) == 0
    out = capsys.readouterr().out
    assert "no printed totals were compared" in out and "--stated FILE.csv|BILL.pdf" in out
    stated = stated_csv(tmp_path, ["budgetary_unit,กรมวิชาการเกษตร,2565,3500000,baht,"])
    assert main(["check", str(bill), "--mapping", "budget-bill", "--stated", str(stated)]) == 1
    out = capsys.readouterr().out
    assert "1 printed totals compared, 0 hold" in out and "stated_total" in out


# -- plausibility ------------------------------------------------------------------------------

def test_years_far_from_the_bill_and_an_amount_that_is_a_year(tmp_path, capsys):
    rows = [("กระทรวงทดสอบ", "กรมทดสอบ", "แผนงาน", "", "งบดำเนินงาน", "ค่าเช่า", year, "1,000") for year in (1967, 2022)]
    rows += [("กระทรวงทดสอบ", "กรมทดสอบ", "แผนงาน", "", "งบลงทุน", "อาคารสร้างเมื่อ พ.ศ. ๒๕๓๕", 2022, "2535"),
             ("กระทรวงทดสอบ", "กรมทดสอบ", "แผนงาน", "", "งบลงทุน", "ครุภัณฑ์ 2 รายการ", 2022, "2000")]
    bill = table(tmp_path, rows)
    assert main(["check", str(bill), "--mapping", "budget-bill", "--format", "csv"]) == 0
    findings = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out.lstrip("\ufeff")), dtype=str)
    far = findings[findings["check"] == "implausible_year"]
    assert far["fiscal_year"].tolist() == ["2510"]
    year = findings[findings["check"] == "amount_is_year"]
    assert len(year) == 1 and "๒๕๓๕" in year["name"].iloc[0]


# -- bad input ---------------------------------------------------------------------------------

def test_not_a_pdf_and_a_corrupt_pdf_are_exit_2_naming_the_file(tmp_path, capsys):
    text = tmp_path / "notes.pdf"
    text.write_text("not a pdf at all\n", encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer garbage")
    for bad in (text, broken):
        assert main(["stated", str(bad), "--out", str(tmp_path / "s.csv")]) == 2
        err = capsys.readouterr().err
        assert bad.name in err and err.count("\n") == 1
        bill = table(tmp_path, ROWS[1:])
        assert main(["check", str(bill), "--mapping", "budget-bill", "--stated", str(bad)]) == 2
        assert bad.name in capsys.readouterr().err
    assert not (tmp_path / "s.csv").exists()


def test_stated_never_writes_over_a_file_it_did_not_write(tmp_path, capsys):
    out = tmp_path / "mine.csv"
    out.write_text("precious,data\n", encoding="utf-8")
    assert main(["stated", str(tmp_path / "missing.pdf"), "--out", str(out)]) == 2
    assert "mine.csv" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "precious,data\n"


def test_a_ministry_list_keeps_only_agencies_with_pages_in_the_volume():
    from coopanalysis.budget.pdf import _Line, _Volume

    def lines(*rows):
        return [_Line(float(i), list(cells)) for i, cells in enumerate(rows)]

    volume = _Volume("v.pdf")
    volume.page(5, lines(["กระทรวงทดสอบ"], ["งบประมาณ", "ปี 2564", "ปี 2565"],
                         ["งบประมาณรายจ่าย", "10,000 บาท", "9,000 บาท"],
                         ["1. งบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. 2565 ของกระทรวงทดสอบ จำแนกดังนี้"],
                         ["1. กรมหนึ่ง", "4,000 บาท"], ["2. กรมสอง", "5,000 บาท"]))
    volume.page(7, lines(["12"], ["กระทรวงทดสอบ"], ["กรมหนึ่ง"], ["งบประมาณ", "ปี 2564", "ปี 2565"],
                         ["งบประมาณรายจ่าย", "3,000 บาท", "4,000 บาท"]))
    read = volume.finish()
    assert [(t.level, t.name, t.amount, t.page) for t in read.totals] == [
        ("ministry", "กระทรวงทดสอบ", "9,000", 5), ("budgetary_unit", "กรมหนึ่ง", "4,000", 5),
        ("budgetary_unit", "กรมหนึ่ง", "4,000", 7)]
    assert read.elsewhere == [(5, "กรมสอง")] and read.problems == []


def test_a_table_row_with_missing_amounts_is_reported_with_its_page():
    from coopanalysis.budget.pdf import _Line, _Volume

    volume = _Volume("v.pdf")
    volume.page(7, [_Line(0.0, ["กระทรวงทดสอบ"]), _Line(1.0, ["กรมหนึ่ง"]),
                    _Line(2.0, ["งบประมาณ", "ปี 2564", "ปี 2565"]), _Line(3.0, ["งบประมาณรายจ่าย", "1 บาท", "2 บาท"])])
    volume.page(9, [_Line(0.0, ["6.2 จำแนกตามแผนงาน ผลผลิต/โครงการ และงบรายจ่าย"]),
                    _Line(1.0, ["ผลผลิต / โครงการ", "งบบุคลากร", "งบดำเนินงาน", "งบลงทุน", "งบเงินอุดหนุน",
                                "งบรายจ่ายอื่น", "รวม"]),
                    _Line(2.0, ["รวมทั้งสิ้น", "-", "-", "0.0000020", "-", "0.0000020"]),
                    _Line(3.0, ["1. แผนงานบุคลากรภาครัฐ", "-", "-", "-", "0.0000020", "-", "0.0000020"])])
    read = volume.finish()
    assert read.problems == [(9, "table 6.2 row 'รวมทั้งสิ้น': 5 amounts for 6 columns")]
    assert ("budget_plan", "แผนงานบุคลากรภาครัฐ", "0.0000020") in {(t.level, t.name, t.amount) for t in read.totals}


def test_an_agency_name_wrapped_over_two_lines_above_its_header():
    from coopanalysis.budget.pdf import _Line, _Volume

    volume = _Volume("v.pdf")
    volume.page(3, [_Line(0.0, ["(ค)"]), _Line(1.0, ["กระทรวงทดสอบ"]), _Line(2.0, ["สถาบันทดสอบแห่งชาติ"]),
                    _Line(3.0, ["(องค์การมหาชน)"]), _Line(4.0, ["งบประมาณ", "ปี 2564", "ปี 2565"]),
                    _Line(5.0, ["งบประมาณรายจ่าย", "1,000 บาท", "2,000 บาท"])])
    (total,) = volume.finish().totals
    assert (total.level, total.name, total.amount, total.fiscal_year) == (
        "budgetary_unit", "สถาบันทดสอบแห่งชาติ (องค์การมหาชน)", "2,000", 2565)


def test_an_agency_whose_name_begins_another_is_never_taken_for_it(tmp_path, capsys):
    short, long = "มหาวิทยาลัยราชภัฏพระนคร", "มหาวิทยาลัยราชภัฏพระนครศรีอยุธยา"
    bill = table(tmp_path, [("กระทรวงทดสอบ", short, "แผนงานพิเศษ", "", "งบลงทุน", "อาคาร", 2022, "1,000,000"),
                            ("กระทรวงทดสอบ", long, "แผนงานบุคลากรภาครัฐ", "", "งบบุคลากร", "เงินเดือน", 2022, "2,000,000")])
    stated = stated_csv(tmp_path, [f"budget_plan,แผนงานพิเศษ,2565,1,million_baht,{long}",
                                   f"budget_plan,แผนงานพิเศษ,2565,1,million_baht,{short}"])
    assert main(["check", str(bill), "--mapping", "budget-bill", "--stated", str(stated)]) == 2
    err = capsys.readouterr().err
    assert f"stated.csv:2: no budget_plan named 'แผนงานพิเศษ' under '{long}'" in err


def test_totals_read_from_a_pdf_that_match_nothing_are_findings_not_errors(tmp_path, capsys):
    rows = [("กระทรวงทดสอบ (2)", "กรมหนึ่ง", "แผนงานพื้นฐาน", "", "งบลงทุน", "อาคาร", 2022, "1,000,000")]
    bill = table(tmp_path, rows)
    written = tmp_path / "from_pdf.csv"  # as 'coopanalysis stated' writes it: with page and source_file
    written.write_text("level,name,parent,fiscal_year,amount,unit,page,source_file\n"
                       "ministry,กระทรวงทดสอบ,,2565,\"9,000,000\",baht,9,v.pdf\n"
                       "budgetary_unit,กรมหนึ่ง,,2565,\"1,000,000\",baht,13,v.pdf\n"
                       "budgetary_unit,กรมสาบสูญ,,2565,\"5,000,000\",baht,40,v.pdf\n"
                       "budget_plan,แผนงานพื้นฐาน,กรมสาบสูญ,2565,5,million_baht,42,v.pdf\n", encoding="utf-8")
    assert main(["check", str(bill), "--mapping", "budget-bill", "--stated", str(written), "--format", "csv"]) == 0
    found = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out.lstrip("\ufeff")), dtype=str)
    unmatched = found[found["check"] == "stated_unmatched"].set_index("name")
    # the ministry is here only as its part (2): not compared; an agency lost from the tables: a warning
    assert unmatched.loc["กระทรวงทดสอบ", "severity"] == "info"
    assert unmatched.loc["กระทรวงทดสอบ", "hint"] == "split_across_volumes"
    assert unmatched.loc["กรมสาบสูญ", "severity"] == "warning" and "v.pdf:page 40" in unmatched.loc["กรมสาบสูญ", "message"]
    assert len(unmatched) == 2  # the plan beneath the lost agency is not reported again
    assert "stated_total" not in set(found["check"])
