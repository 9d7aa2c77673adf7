"""One checks engine (issue 22): every kind of source registers its rules the same way, and one
function runs them for ``coopanalysis.check`` and ``coopanalysis check`` alike.

Expected values are typed by hand from the rows written here (a table in thousand baht).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pandas as pd
import pytest
from helpers import TINY_MAPPING  # tests/helpers.py

import coopanalysis as ca
from coopanalysis.checks import Check, rule, run_checks, source_kind
from coopanalysis.checks import table_rules as table_module
from coopanalysis.checks.findings import Finding
from coopanalysis.checks.rules import SOURCES
from coopanalysis.cli import main
from coopanalysis.model.plan import load
from coopanalysis.paths import PLAN_DIR

HEADER = "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
ROWS = [
    "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no",
    "a2,3,กรมหนึ่ง,แผน ก,,โครงการ 2,ค่าวัสดุ,2567,500.5,no",
    "b1,9,กรมสอง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,250,no",
    "b2,9,กรมสอง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,\"20,0\",no",
]
# by hand: กรมหนึ่ง 2567 = 1,000 + 500.5 thousand = 1.5005 million baht (printed 1.6: off by -0.0995);
# กรมสอง = 250 thousand = 0.25 (its second row is malformed: no amount)
STATED = "level,name,fiscal_year,amount,unit\nagency,กรมหนึ่ง,2567,1.6,million_baht\nagency,กรมสอง,2567,0.25,million_baht\n"


@pytest.fixture()
def table(tmp_path):
    path, spec, stated = tmp_path / "t.csv", tmp_path / "tiny.yaml", tmp_path / "stated.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in ROWS), encoding="utf-8")
    spec.write_text(TINY_MAPPING, encoding="utf-8")
    stated.write_text(STATED, encoding="utf-8")
    return path, spec, stated


def test_every_kind_of_source_registers_its_rules_and_each_code_once():
    assert set(SOURCES) == {"plan", "budget_table", "changed"}
    for kind, source in SOURCES.items():
        codes = [c.code for c in source.checks]  # a code declared twice within a kind is refused
        assert codes and len(codes) == len(set(codes)), kind
    table = {c.code: c for c in SOURCES["budget_table"].checks}
    assert table["stated_total"].severity == "error" and table["stated_unmatched"].gives("info")
    assert not table["stated_total"].gives("info")


def test_the_table_rules_docstring_lists_exactly_the_declared_codes_and_severities():
    rows = re.findall(r"^``(\w+)``\s+(error|warning|info)\s", table_module.__doc__, re.M)
    assert len(rows) == 14 and sorted(rows) == sorted((c.code, c.severity) for c in SOURCES["budget_table"].checks)


def test_the_kind_of_a_source_picks_its_rules():
    plan = ca.load()
    assert source_kind(plan) == "plan" and source_kind(plan.origin) == "plan"
    assert source_kind(plan.scale(1.1, within="5")) == "changed"
    with pytest.raises(TypeError, match="nothing to check in a str"):
        run_checks("data/plan")


def test_library_and_command_line_give_the_same_table_findings(table, capsys):
    path, spec, stated = table
    findings = ca.check(ca.load(path, mapping=str(spec), stated=stated))
    assert (findings.compared, findings.held) == (2, 1)
    by_code = {(f.check, f.name): f for f in findings}
    total = by_code[("stated_total", "กรมหนึ่ง")]
    assert (total.stated, total.computed, total.difference) == ("1.6", "1.5005", "-0.0995")
    assert [f.check for f in findings].count("malformed_amount") == 1
    assert main(["check", str(path), "--mapping", str(spec), "--stated", str(stated), "--format", "csv"]) == 1
    out, err = capsys.readouterr()
    printed = pd.read_csv(io.StringIO(out.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    assert printed["check"].tolist() == [f.check for f in findings]
    assert printed["message"].tolist() == [f.message for f in findings]
    assert "2 printed totals compared, 1 hold" in err
    # the one function, given the source's own record, gives the same findings again
    assert [f.key for f in run_checks(_budget(path, spec, stated))] == [f.key for f in findings]


def _budget(path, spec, stated):
    from coopanalysis.budget import dataset_from_result, ingest_tables

    return dataset_from_result(ingest_tables([path], str(spec), stated=stated))


def test_a_table_rule_must_emit_what_it_declares(table):
    path, spec, stated = table
    budget = _budget(path, spec, stated)

    @rule(Check("demo", "info", ("document",), "ตัวอย่าง"))
    def loud(ctx):
        return [Finding("error", "demo", "document", "document", name=ctx.budget.title)]

    with pytest.raises(ValueError, match="emitted check 'demo' as error"):
        run_checks(budget, rules=(loud,))


def test_a_table_amount_too_large_to_sum_exactly_is_exit_2_naming_its_row(table, capsys):
    path, spec, stated = table
    stated.write_text(STATED.splitlines()[0] + "\n" + STATED.splitlines()[1] + "\n", encoding="utf-8")
    # 100 million million baht, in thousand baht: more than 2**53 satang
    path.write_text(HEADER + ROWS[0] + "\n" + "c1,5,กรมหนึ่ง,แผน ข,ผลผลิต 9,,อาคาร,2567,\"100,000,000,000\",no\n",
                    encoding="utf-8")
    assert main(["check", str(path), "--mapping", str(spec), "--stated", str(stated)]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "t.csv:3: amount 100,000,000 million baht is too large to sum exactly" in err
    # without printed totals nothing is summed, so the row is only what its own checks say
    assert main(["check", str(path), "--mapping", str(spec), "--format", "csv"]) == 0


def test_a_changed_dataset_goes_through_the_same_function():
    plan = ca.load()
    changed = plan.scale(1.1, within="5")
    assert [f.key for f in ca.check(changed)] == [f.key for f in run_checks(changed)]
    assert {f.check for f in run_checks(changed)} <= {"stated_total", "finer_than_satang"}
    # a plan's Dataset as loaded, and the plan's own record: the same findings
    assert [f.key for f in run_checks(plan, tolerance=Decimal("0.005"))] == [f.key for f in run_checks(load(PLAN_DIR))]
