"""One report path: ``node_report.ipynb``'s parameters resolve a node of any level of a plan or a
budget table, and a bad one stops with one clear ``ParamsError`` (no kernel needed here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import TINY_MAPPING  # tests/helpers.py

from coopanalysis.budget import ingest_tables, write_dataset
from coopanalysis.errors import ParamsError
from coopanalysis.report.node import node_page

#: Amounts in thousand baht, years BE (the columns of TINY_MAPPING).
ROWS = """ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL
r1,1,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2565,1500,no
r2,1,กรมหนึ่ง,แผน ข,ผลผลิต 2,,อาคาร,2565,2000,no
r3,2,กรมสอง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2565,250,no
"""


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("table")
    (tmp / "m.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    (tmp / "t.csv").write_text(ROWS, encoding="utf-8")
    write_dataset(ingest_tables([tmp / "t.csv"], str(tmp / "m.yaml")), tmp / "ds")
    return tmp / "ds"


@pytest.mark.parametrize("given", [
    {"node": "5"}, {"node": "5", "level": "strategy"}, {"strategy_id": "5"}, {"strategy_id": " ๕ "},
    {"node": "strategy:5"}, {"node": "การพัฒนาระบบเทคโนโลยีเพื่อการบริหารจัดการ และการกำกับดูแล"},
    {"node": "5", "strategy_id": "5"},
])
def test_a_plan_strategy_by_id_label_name_or_strategy_id(given):
    page = node_page("", **given)  # "": the bundled plan
    assert (page.node_id, page.level, page.strategy_id) == ("strategy:5", "strategy", "5")
    assert page.plan is not None and page.table is None


def test_the_first_node_of_the_first_level_by_default():
    assert node_page().node_id == "strategy:1"  # the document's first strategy


@pytest.mark.parametrize("given, message", [
    ({"node": "5", "strategy_id": "6"}, "node '5' and strategy_id '6' name different nodes; give one of them"),
    ({"strategy_id": "2"}, 'unknown strategy \'2\'; valid choices: "1", "3", "4", "5", "6", "7", "8"'),
    ({"node": "5.1", "level": "tactic"}, "a plan's reports are per strategy (its first level); node 'tactic:5.1' is a tactic"),
    ({"node": "5", "level": "agency"}, "level: unknown level 'agency'; levels: strategy, tactic, project"),
    ({"node": "ไม่มีชื่อนี้เลย"}, "node: no node named 'ไม่มีชื่อนี้เลย'"),
    ({"node": "5", "thai_digits": "yes"}, "thai_digits must be true or false, got str 'yes'"),
    ({"node": 5}, "node must be a string"),
    ({"strategy_id": 5}, "strategy_id must be a string"),
])
def test_a_bad_parameter_is_one_clear_error(given, message):
    with pytest.raises(ParamsError) as caught:
        node_page("", **given)
    assert message in str(caught.value)


def test_a_budget_node_of_any_level_by_id_or_name(table):
    assert node_page(str(table), "1", "agency").node_id == "1"
    agency = node_page(str(table), "กรมสอง", "agency")
    assert (agency.node_id, agency.level, agency.plan) == ("2", "agency", None)
    assert node_page(str(table), "1.2", "plan").node_id == "1.2"  # แผน ข under กรมหนึ่ง
    assert node_page(str(table), level="plan").node_id == "1.1"
    assert agency.summary()[1]["total_mb"] == 0.25  # 250 thousand baht, typed from ROWS


@pytest.mark.parametrize("given, message", [
    ({"strategy_id": "1"}, "strategy_id applies to a plan; give node (and level) for this dataset"),
    ({"node": "1.1", "level": "agency"}, "node '1.1' is of level 'plan', not 'agency'"),
    ({"node": "แผน ก"}, "'แผน ก' matches several nodes: 1.1 แผน ก; 2.1 แผน ก; give a node id"),
])
def test_a_bad_budget_node_is_one_clear_error(table, given, message):
    with pytest.raises(ParamsError) as caught:
        node_page(str(table), **given)
    assert message in str(caught.value)
