"""What a reader sees on a node's page, the index line it hands over and the parameters that
lead to it, pinned where the sweep of planted bugs in the pages area (docs/sweeps/pages.md)
passed every other test: each test here failed with its bug and passes without it.

The budget table below is read through the tiny mapping (amounts in thousand baht, years BE);
every expected value is worked out by hand from its rows.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import TINY_MAPPING  # tests/helpers.py
from test_planted_round2 import AGENCIES, HEADER
from test_planted_round3 import load

from coopanalysis.budget import ingest_tables, write_dataset
from coopanalysis.errors import ParamsError
from coopanalysis.present import budget as page

# กรมหนึ่ง (node 1): แผน ก 1,000 thousand in 2567 (ผลผลิต 1); แผน ข a commitment of 200 (2566),
# 300 (2567) and 400 (2568) thousand (ผลผลิต 2). กรมสอง ... กรมสิบ (nodes 2-10): 5,000 each in
# 2567, so 2567 is the bill year and node 10 exists beside node 1.
ROWS = ["a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
        "a2,4,กรมหนึ่ง,แผน ข,ผลผลิต 2,,อาคาร,2566,200,yes",
        "a3,4,กรมหนึ่ง,แผน ข,ผลผลิต 2,,อาคาร,2567,300,yes",
        "a4,4,กรมหนึ่ง,แผน ข,ผลผลิต 2,,อาคาร,2568,400,yes"]
ROWS += [f"x{i},9,{name},แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"5,000\",no" for i, name in enumerate(AGENCIES[1:], 2)]


@pytest.fixture()
def ds(tmp_path):
    return load(tmp_path, ROWS)


@pytest.fixture()
def written(tmp_path) -> Path:
    """The same table ingested into a dataset folder (what reports read)."""
    (tmp_path / "t.csv").write_text(HEADER + "".join(r + "\n" for r in ROWS), encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    out = tmp_path / "ds"
    write_dataset(ingest_tables([tmp_path / "t.csv"], str(tmp_path / "tiny.yaml")), out)
    return out


# ---- the heading's figures and the years table -------------------------------------------------

def test_commitments_of_earlier_and_later_years_are_both_counted_apart(ds):
    facts = page.node_facts(ds, "1")
    assert facts["year"] == 2567
    assert facts["total_mb"] == Decimal("1.3")  # 1,000 + 300 thousand
    assert facts["other_years_mb"] == Decimal("0.6")  # 200 (2566) + 400 (2568) thousand
    last = page.budget_heading(facts).text.splitlines()[-1]
    assert last.startswith("ภาระผูกพันของปีอื่น (นับแยก") and last.split()[-1] == "0.6"


def test_years_table_counts_only_the_other_years_and_shows_them_in_thai_digits(ds):
    table = page.years_table(page.years_frame(ds, "1"), thai_digits=True)
    assert [r[0] for r in table.rows] == ["๒๕๖๖", "๒๕๖๗", "๒๕๖๘", "รวมภาระผูกพันของปีอื่น"]
    assert table.rows[-1][1:] == ["๐.๖", "๒ ปี ไม่รวมในงบประมาณปีนี้"]
    assert '<tr class="total"><th scope="row" class="year">' in table.html()


# ---- the level below ---------------------------------------------------------------------------

def test_level_below_shows_names_in_thai_digits_with_a_totals_row_set_apart(ds):
    frame = page.allocation_rows(ds, "output", 2567, within="1")
    table = page.allocation_table(frame, "ผลผลิต/โครงการ", thai_digits=True)
    assert [r[:2] for r in table.rows] == [["ผลผลิต ๑", "๑"], ["ผลผลิต ๒", "๐.๓"], ["รวม", "๑.๓"]]
    assert table.total_rows == {2}
    assert '<tr class="total"><th scope="row" class="text">' in table.html()


def test_downloaded_amounts_are_the_exact_decimals_a_reader_typed(ds, tmp_path):
    from coopanalysis.budget.present import write_downloads

    frame = page.allocation_rows(ds, "plan", 2567, within="1")
    (path,) = write_downloads(tmp_path / "dl", {"allocation_plan": frame})
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "node_id,name,parent,amount_mb,share"
    assert [line.split(",")[1:4] for line in lines[1:]] == [["แผน ก", "กรมหนึ่ง", "1"], ["แผน ข", "กรมหนึ่ง", "0.3"]]


def test_treemap_title_gives_the_bill_year_in_thai_digits(ds):
    from coopanalysis.charts.levels import treemap

    figure = treemap(ds, "plan", 2567, within="1", thai_digits=True)
    assert figure.get_suptitle() == "งบประมาณตามแผนงาน ในหน่วยงาน กรมหนึ่ง ปีงบประมาณ พ.ศ. ๒๕๖๗"


# ---- the findings section and what the index is told --------------------------------------------

def test_findings_table_gives_a_findings_year_in_thai_digits():
    finding = SimpleNamespace(severity="error", check="malformed_amount", fiscal_year=2567, message="แถว 12")
    block = page.budget_findings([finding], {"stated": 0}, thai_digits=True)
    assert "ผิดพลาด  ตรวจ" not in block.text
    assert block.text.splitlines()[-1].split()[-3:] == ["๒๕๖๗", "แถว", "๑๒"]


def test_index_line_says_a_node_without_a_printed_total_was_not_reconciled(ds):
    facts = page.node_facts(ds, "1")
    text, fields = page.budget_summary(facts, [], "agency_1")
    assert text == "งบประมาณปี 2567 1.3 ล้านบาท · ภาระผูกพันของปีอื่น 0.6 ล้านบาท (นับแยก) · ไม่ได้กระทบยอดกับเอกสาร"
    assert fields["findings_href"] == "agency_1.html#findings"
    assert fields["reconciled"] is False


def test_index_line_of_a_reconciled_node_does_not_say_otherwise(tmp_path):
    from test_planted_round2 import STATED_HEADER

    ds = load(tmp_path, ROWS, STATED_HEADER + "agency,กรมหนึ่ง,2567,1.3,million_baht\n")
    text, fields = page.budget_summary(page.node_facts(ds, "1"), [], "agency_1")
    assert "ไม่ได้กระทบยอด" not in text and fields["reconciled"] is True


# ---- the parameters of a node's page and the group report ---------------------------------------

def test_node_page_finds_a_node_by_its_id_in_thai_digits(written):
    from coopanalysis.report.node import node_page

    assert node_page(source=str(written), node="๑๐", level="agency").node_id == "10"


def test_node_page_refuses_a_name_of_another_level_and_takes_one_of_its_own(written):
    from coopanalysis.report.node import node_page

    with pytest.raises(ParamsError, match="is of level 'output', not 'agency'"):
        node_page(source=str(written), node="ผลผลิต 2", level="agency")
    assert node_page(source=str(written), node="กรมสิบ", level="agency").node_id == "10"


def test_strategy_on_a_budget_table_report_exits_2(written, tmp_path, capsys):
    from coopanalysis.cli import main

    code = main(["report", str(written), "--out", str(tmp_path / "r"), "--group-by", "agency", "--strategy", "1"])
    assert code == 2
    assert "--strategy applies to a plan" in capsys.readouterr().err


def test_group_report_takes_exactly_max_jobs_nodes_and_refuses_one_more(written, tmp_path, monkeypatch):
    from coopanalysis.budget import jobs

    monkeypatch.setattr(jobs, "MAX_JOBS", 10)
    assert len(jobs.report_jobs(written, "agency", tmp_path / "r")) == 10
    monkeypatch.setattr(jobs, "MAX_JOBS", 9)
    with pytest.raises(ParamsError, match="10 nodes would make 10 reports"):
        jobs.report_jobs(written, "agency", tmp_path / "r")


def test_an_empty_string_parameter_given_as_null_is_the_default():
    from coopanalysis.report.params import validate

    assert validate({"strategy_id": "5", "output_dir": None, "source": None}, ["5"]) == {
        "strategy_id": "5", "output_dir": "", "source": ""}


# ---- a plan's strategy page and its index line ------------------------------------------------

def test_a_strategys_findings_table_shows_the_sign_of_a_difference():
    from coopanalysis.checks import Finding
    from coopanalysis.present.findings import strategy_findings_table

    more = Finding("error", "strategy_total", "strategy", "1", stated="10", computed="11.5", difference="1.5",
                   strategy_id="1")
    less = Finding("error", "strategy_total", "strategy", "1", stated="10", computed="8.5", difference="-1.5",
                   strategy_id="1")
    table = strategy_findings_table([more, less])
    assert [r[4:7] for r in table.rows] == [["10", "11.5", "+1.5"], ["10", "8.5", "-1.5"]]


def test_strategy_1s_index_line_counts_its_own_findings_not_strategy_10s(tmp_path):
    from helpers import load_tiny

    from coopanalysis.checks import Finding
    from coopanalysis.present.summary import strategy_summary

    tiny = load_tiny()
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="5"), tiny.strategy("10", total="5")],
                      projects=[tiny.project("1.1", ["1"] * 5), tiny.project("10.1", ["1"] * 5)])
    own = Finding("warning", "strategy_total", "strategy", "1", strategy_id="1")
    other = Finding("error", "project_total", "project", "10.1", strategy_id="10")
    text, fields = strategy_summary(plan, "1", [own, other])
    assert (fields["findings"], fields["findings_error"], fields["findings_warning"]) == (1, 0, 1)
    assert text == "ตามเอกสาร 5 / จากรายโครงการ 5 ล้านบาท · โครงการ 1"


@pytest.fixture()
def three_strategies(tmp_path):
    """Strategy 1 printed at 4 with projects adding up to 5; strategy 2 printed at 3 with no
    project; strategy 3 with a project (5) and no printed total."""
    from helpers import load_tiny

    tiny = load_tiny()
    return tiny.build(tmp_path, strategies=[tiny.strategy("1", total="4"), tiny.strategy("2", total="3"),
                                            tiny.strategy("3")],
                      projects=[tiny.project("1.1", ["1"] * 5), tiny.project("3.1", ["1"] * 5)])


def test_plan_totals_compare_only_strategies_with_both_and_give_computed_minus_printed(three_strategies):
    from coopanalysis.present.plan_tables import comparable_block, comparable_totals

    totals = comparable_totals(three_strategies)
    assert (totals["compared"], totals["no_detail"], totals["no_printed"]) == (["1"], ["2"], ["3"])
    assert (totals["stated_mb"], totals["computed_mb"]) == (4.0, 5.0)
    assert "ตามเอกสาร 4 ล้านบาท จากรายโครงการ 5 ล้านบาท (ผลต่าง +1 ล้านบาท)" in comparable_block(three_strategies).text


def test_strategy_heading_links_to_its_own_group_in_the_checks_report(three_strategies):
    from coopanalysis.present.page import strategy_heading

    html = strategy_heading(three_strategies, "3", n_findings=2).html
    assert 'href="checks.html#strategy-3"' in html


def test_a_relative_source_is_read_from_the_project_root_whatever_the_working_directory(tmp_path, monkeypatch):
    from coopanalysis import paths
    from coopanalysis.report.params import validate

    monkeypatch.chdir(tmp_path)
    checked = validate({"strategy_id": "5", "source": "data/plan", "output_dir": "reports/x"}, ["5"])
    assert checked["source"] == str(paths.ROOT / "data" / "plan")
    assert checked["output_dir"] == str(paths.ROOT / "reports" / "x")
