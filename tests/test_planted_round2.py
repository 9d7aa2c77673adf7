"""What users see, pinned where the second round of planted bugs (docs/planted-bugs-round2.md)
passed every other test: each test here failed with its bug and passes without it.

Expected values are worked out by hand from the rows written in each test (budget tables in
thousand baht, as the tiny mapping reads them; plan amounts in million baht).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from helpers import TINY_MAPPING, load_tiny  # tests/helpers.py

from coopanalysis.budget import ingest_tables, write_dataset
from coopanalysis.budget.dataset import dataset_from_result
from coopanalysis.checks import run_checks
from coopanalysis.cli import main
from coopanalysis.present.table import table as reading_table
from coopanalysis.report.params import strategy_params

HEADER = "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
STATED_HEADER = "level,name,fiscal_year,amount,unit\n"


def budget(tmp_path: Path, rows: list[str], stated: str | None = None, corrections: str | None = None):
    """The tiny mapping's dataset of *rows* (with printed totals and corrections if given)."""
    (tmp_path / "t.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    extra = {}
    for name, text in (("stated", stated), ("corrections", corrections)):
        if text is not None:
            extra[name] = tmp_path / f"{name}.{'csv' if name == 'stated' else 'yaml'}"
            extra[name].write_text(text, encoding="utf-8")
    return dataset_from_result(ingest_tables([tmp_path / "t.csv"], str(tmp_path / "tiny.yaml"), **extra))


# ---- bug 4: the relative tolerance's base is the printed total ----------------------------------

def test_relative_tolerance_of_a_table_total_is_a_share_of_the_printed_amount(tmp_path):
    # items 1,000 + 500.5 + 300 = 1,800.5 thousand = 1.8005 million; printed 1.82: difference 0.0195,
    # 1.0714% of the printed amount (1.0830% of the items' sum)
    rows = ["a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
            "a2,3,กรมหนึ่ง,แผน ก,,โครงการ 2,ค่าวัสดุ,2567,500.5,no",
            "a3,4,กรมหนึ่ง,แผน ข,ผลผลิต 3,,อาคาร,2567,300,no"]
    ds = budget(tmp_path, rows, STATED_HEADER + "agency,กรมหนึ่ง,2567,1.82,million_baht\n")

    def failing(rel: str) -> list[str]:
        return [f.difference for f in run_checks(ds, rel_tolerance=rel) if f.check == "stated_total"]

    assert failing("0.0108") == []  # 0.0108 x 1.82 = 0.019656 >= 0.0195: holds
    assert failing("0.0107") == ["-0.0195"]  # 0.0107 x 1.82 = 0.019474 < 0.0195


# ---- bug 6: the rows beneath node 1 are not node 10's -------------------------------------------

AGENCIES = ["กรมหนึ่ง", "กรมสอง", "กรมสาม", "กรมสี่", "กรมห้า", "กรมหก", "กรมเจ็ด", "กรมแปด", "กรมเก้า", "กรมสิบ"]


def test_hint_of_node_1_reads_its_own_rows_not_node_10s(tmp_path):
    # node 1 (กรมหนึ่ง): 1,000 + 300 thousand, printed 1,030: the 300 lost its decimal point (30);
    # nodes 2-10 one row of 5,000 each, node 10's id "10" starts with "1"
    rows = ["a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
            "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,300,no"]
    rows += [f"x{i},9,{name},แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"5,000\",no" for i, name in enumerate(AGENCIES[1:], 2)]
    ds = budget(tmp_path, rows, STATED_HEADER + "agency,กรมหนึ่ง,2567,1030,thousand_baht\n")
    assert dict(zip(ds.nodes["name"], ds.nodes["node_id"]))["กรมสิบ"] == "10"
    (total,) = [f for f in run_checks(ds) if f.check == "stated_total"]
    assert (total.id, total.hint, total.difference) == ("1", "lost_decimal", "0.27")
    assert "ITEM_ID a2" in total.message and "ITEM_ID x10" not in " ".join(total.cells)


# ---- bug 8: a year written from a float column -------------------------------------------------

def test_year_cells_written_as_floats_are_read_as_years(tmp_path):
    # pandas writes an integer column that had a gap as 2567.0
    ds = budget(tmp_path, ["a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567.0,\"1,000\",no",
                           "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2566.0,250,no"])
    assert sorted(ds.items["fiscal_year"].astype(int).tolist()) == [2566, 2567]
    assert ds.plan["fiscal_years"] == [2566, 2567]


# ---- bug 15: a year correction keeps the amount's own flag ------------------------------------

def test_year_correction_keeps_a_float_noise_flag_and_its_finding(tmp_path):
    # 12.3456789 thousand baht = 12,345.6789 baht: not a whole satang (float noise), printed in 2576 for 2567
    rows = ["a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2576,12.3456789,no"]
    corrections = """\
corrections:
  - source_file: t.csv
    item_id: a1
    field: fiscal_year
    printed: 2576
    corrected: 2567
    reason: Digits swapped in the year column
"""
    ds = budget(tmp_path, rows, corrections=corrections)
    item = ds.items.set_index("item_id").loc["a1"]
    assert (int(item["fiscal_year"]), item["status"]) == (2567, "float_noise")
    assert [(f.check, f.fiscal_year) for f in run_checks(ds) if f.check == "float_noise"] == [("float_noise", 2567)]


# ---- bug 21: a caption from a document is text --------------------------------------------------

def test_reading_table_caption_is_escaped():
    html = reading_table(pd.DataFrame({"name": ["ก"]}), caption="แผน <img src=x onerror=alert(1)>").html()
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


# ---- bug 22: an operating-system error is unusable input, exit 2 --------------------------------

def test_export_to_a_link_into_a_missing_folder_exits_2_naming_the_file(tmp_path, capsys):
    budget(tmp_path, ["a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no"])
    write_dataset(ingest_tables([tmp_path / "t.csv"], str(tmp_path / "tiny.yaml")), tmp_path / "ds")
    link = tmp_path / "plan.xlsx"
    link.symlink_to(tmp_path / "gone" / "plan.xlsx")  # the folder it points into does not exist
    assert main(["export", str(tmp_path / "ds"), "--format", "xlsx", "--out", str(link)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"coopanalysis: error: {link}") and "Traceback" not in err[0]


# ---- bug 24: strategies in the plan's order, 2 before 10 ---------------------------------------

def test_selected_strategy_reports_run_in_the_plans_order(tmp_path):
    tiny = load_tiny()
    tiny.build(tmp_path / "plan", strategies=[tiny.strategy(str(i)) for i in range(1, 11)])
    chosen = strategy_params(tmp_path / "plan", selected=["10", "2", "๑"], params_dir=None)
    assert [p["strategy_id"] for p in chosen] == ["1", "2", "10"]

