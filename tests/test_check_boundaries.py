"""Tolerances and exit status at their boundaries (coopanalysis.checks, ``coopanalysis check``).

The rule (coopanalysis/checks/__init__.py): a difference counts only when it is LARGER than the
absolute tolerance and, with a relative tolerance, LARGER than ``rel_tolerance × |stated|`` —
the printed amount is the base, never the computed one. Equal is within. Tolerances are
finite, non-negative, at most 1e12 million baht (absolute) and 1 (relative).
"""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from helpers import load_tiny  # tests/helpers.py

from coopanalysis import cli
from coopanalysis.checks import ToleranceError, run_checks
from coopanalysis.errors import CoopAnalysisError

tiny = load_tiny()


def found(findings, check: str, ident: str) -> bool:
    return any(f.check == check and f.id == ident for f in findings)


# ---- one plan per checked total, its difference set by hand -----------------------------------
# Each builder returns (plan, check, id) where the computed amount is the printed one + *delta*.


def project_plan(tmp_path, delta: str):
    last = Decimal(1) + Decimal(delta)  # years 1 1 1 1 (1 + delta), printed total 5
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], projects=[
        tiny.project("1.1", ["1", "1", "1", "1", str(last)], "5", status="mismatch")])
    return plan, "project_total", "1.1"


def tactic_plan(tmp_path, delta: str):
    stated = Decimal(10) - Decimal(delta)  # projects add up to 10; the tactic prints 10 - delta
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", line=1)],
                      tactics=[tiny.tactic("1.1", total=str(stated), line=2)],
                      projects=[tiny.project("1.1", ["2"] * 5, "10", tactic_id="1.1")])
    return plan, "tactic_total", "1.1"


def strategy_plan(tmp_path, delta: str):
    stated = Decimal(10) - Decimal(delta)
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total=str(stated))],
                      projects=[tiny.project("1.1", ["2"] * 5, "10")])
    return plan, "strategy_total", "1"


def plan_plan(tmp_path, delta: str):
    # two strategies each off by delta/2 (within the tolerance), the plan off by delta
    half = Decimal(delta) / 2
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total=str(Decimal(10) - half)),
                                            tiny.strategy("2", total=str(Decimal(10) - half))],
                      projects=[tiny.project("1.1", ["2"] * 5, "10"), tiny.project("2.1", ["2"] * 5, "10")])
    return plan, "plan_total", "plan"


def sheet_plan(tmp_path, delta: str):
    sheet = str(Decimal(1) + Decimal(delta))
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], projects=[
        tiny.project("1.1", ["1"] * 5, "5", sheet=["1", "1", sheet, "1", "1"])])
    return plan, "sheet_vs_table", "1.1"


BUILDERS = [project_plan, tactic_plan, strategy_plan, plan_plan, sheet_plan]


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
@pytest.mark.parametrize("delta, expected", [
    ("0", False),
    ("0.005", False),      # exactly the default tolerance: within
    ("0.0051", True),      # just above it
    ("-0.005", False),     # the other direction, exactly: within
    ("-0.0051", True),
])
def test_default_tolerance_boundary(tmp_path, build, delta, expected):
    plan, check, ident = build(tmp_path, delta)
    assert found(run_checks(plan), check, ident) is expected


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_given_tolerance_boundary(tmp_path, build):
    plan, check, ident = build(tmp_path / "at", "0.25")
    assert not found(run_checks(plan, tolerance="0.25"), check, ident)
    assert found(run_checks(plan, tolerance="0.2499"), check, ident)
    plan, check, ident = build(tmp_path / "above", "0.2501")
    assert found(run_checks(plan, tolerance="0.25"), check, ident)


def test_plan_total_is_judged_on_its_own_difference(tmp_path):
    # each strategy is off by 0.003 (within 0.005), the plan by 0.006 (beyond)
    plan, _, _ = plan_plan(tmp_path, "0.006")
    findings = run_checks(plan)
    assert found(findings, "plan_total", "plan")
    assert not found(findings, "strategy_total", "1") and not found(findings, "strategy_total", "2")


def test_the_difference_is_exact_not_float(tmp_path):
    # 0 + 0 + 0 + 0 + 10.005 = 10.005 exactly: 0.005 off the printed 10, within the tolerance;
    # in binary floats the difference comes out just above 0.005
    assert abs(float("10.005") - 10.0) > 0.005  # what a float comparison would see
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], projects=[
        tiny.project("1.1", ["0", "0", "0", "0", "10.005"], "10", status="mismatch")])
    assert not found(run_checks(plan), "project_total", "1.1")


# ---- the relative tolerance: its base is |stated| ----------------------------------------------


def rel_plan(tmp_path, stated: str, computed: str):
    """Project 1.1 printing *stated* whose five years add up to *computed*."""
    last = Decimal(computed) - 4
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")], projects=[
        tiny.project("1.1", ["1", "1", "1", "1", str(last)], stated, status="mismatch")])
    return plan


def test_relative_tolerance_equal_is_within(tmp_path):
    # |101.5 - 100| = 1.5 = 0.015 × 100
    plan = rel_plan(tmp_path, "100", "101.5")
    assert not found(run_checks(plan, tolerance=0, rel_tolerance="0.015"), "project_total", "1.1")
    assert found(run_checks(plan, tolerance=0, rel_tolerance="0.0149"), "project_total", "1.1")


def test_relative_tolerance_base_is_stated_not_computed(tmp_path):
    rel = Decimal("0.0149")
    # stated 100, computed 101.5: rel × |stated| = 1.49 < 1.5 -> a finding;
    # on |computed| it would be 1.51235 >= 1.5 -> none
    assert rel * 100 < Decimal("1.5") <= rel * Decimal("101.5")
    plan = rel_plan(tmp_path / "up", "100", "101.5")
    assert found(run_checks(plan, tolerance=0, rel_tolerance=rel), "project_total", "1.1")
    # stated 101.5, computed 100: rel × |stated| = 1.51235 >= 1.5 -> none;
    # on |computed| it would be 1.49 < 1.5 -> a finding
    plan = rel_plan(tmp_path / "down", "101.5", "100")
    assert not found(run_checks(plan, tolerance=0, rel_tolerance=rel), "project_total", "1.1")


def test_both_tolerances_must_be_exceeded(tmp_path):
    plan = rel_plan(tmp_path, "100", "101.5")  # difference 1.5
    assert not found(run_checks(plan, tolerance="1.5", rel_tolerance="0.001"), "project_total", "1.1")
    assert not found(run_checks(plan, tolerance="0.001", rel_tolerance="0.015"), "project_total", "1.1")
    assert found(run_checks(plan, tolerance="1.4999", rel_tolerance="0.0149"), "project_total", "1.1")


def test_relative_tolerance_applies_to_group_totals(tmp_path):
    # strategy prints 200, projects add up to 202: 2 = 0.01 × 200 -> within; not at 0.0099
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="200")],
                      projects=[tiny.project("1.1", ["40", "40", "40", "40", "42"], "202")])
    assert not found(run_checks(plan, tolerance=0, rel_tolerance="0.01"), "strategy_total", "1")
    assert found(run_checks(plan, tolerance=0, rel_tolerance="0.0099"), "strategy_total", "1")


# ---- tolerances out of range are refused -------------------------------------------------------


@pytest.fixture
def small_plan(tmp_path):
    return rel_plan(tmp_path, "100", "101.5")


@pytest.mark.parametrize("kwargs", [
    {"tolerance": Decimal("1e999999999")}, {"tolerance": "1e999999999"}, {"tolerance": "Infinity"},
    {"tolerance": "-Infinity"}, {"tolerance": "nan"}, {"tolerance": Decimal("sNaN")}, {"tolerance": "-0.0001"},
    {"tolerance": -1}, {"tolerance": "1000000000000.0001"}, {"tolerance": "abc"}, {"tolerance": None},
    {"tolerance": True},
    {"rel_tolerance": Decimal("1e999999999")}, {"rel_tolerance": "1.0001"}, {"rel_tolerance": "-0.01"},
    {"rel_tolerance": "inf"}, {"rel_tolerance": float("nan")},
    {"tolerance": Decimal("1e-999999999")}, {"tolerance": "1e-13"}, {"tolerance": "0.0050000000001"},
    {"rel_tolerance": "1e-999999999"},
])
def test_absurd_tolerances_are_refused_clearly(small_plan, kwargs):
    with decimal.localcontext() as ctx:
        ctx.traps[decimal.Overflow] = True
        with pytest.raises(ToleranceError) as info:
            run_checks(small_plan, **kwargs)
    error = info.value
    assert isinstance(error, CoopAnalysisError) and isinstance(error, ValueError)
    name = next(iter(kwargs))
    assert str(error).startswith(f"{name} must ") and "\n" not in str(error)


def test_tolerances_at_their_bounds_are_accepted(small_plan):
    assert run_checks(small_plan, tolerance="1e12") == []           # the largest absolute tolerance
    assert run_checks(small_plan, tolerance=0, rel_tolerance=1) == []  # 100% of the stated amount
    assert found(run_checks(small_plan, tolerance=0), "project_total", "1.1")  # 0 is allowed
    assert found(run_checks(small_plan, tolerance="0.000000000001"), "project_total", "1.1")  # 12 places
    assert run_checks(small_plan, tolerance="1.5000000000000") == []  # 13 decimals, 12 of them trailing zeros


@pytest.mark.parametrize("argv", [
    ["--tolerance", "1e999999999"], ["--rel-tolerance", "1e999999999"], ["--tolerance", "1e13"],
    ["--rel-tolerance", "2"],
])
def test_command_refuses_absurd_tolerance_with_one_line(tmp_path, capsys, argv):
    plan = rel_plan(tmp_path, "100", "101.5")
    assert cli.main(["check", str(plan.source), *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("coopanalysis: error:") and "tolerance must be" in err
    assert "Traceback" not in err and "Overflow" not in err


# ---- exit status: warnings and info only -> 0 --------------------------------------------------


def warnings_only_plan(directory):
    """A plan whose only findings are warnings and info (worked out from the rules):
    strategy 2 missing (warning), project 1.2's repaired row (warning), project 1.1 listed
    twice with the same figures (info)."""
    return tiny.build(directory, strategies=[tiny.strategy("1", total="30", count="2"), tiny.strategy("3")],
                      projects=[tiny.project("1.1", ["1"] * 5, "5", listings=[("1 1 1 1 1", "5", 12)]),
                                tiny.project("1.2", ["5"] * 5, "25", status="repaired", printed=["5"] * 6,
                                             line=11, note="6 values for 5 years: dropped the repeated value 5")])


def test_warnings_and_info_only_exit_0(tmp_path, capsys):
    plan = warnings_only_plan(tmp_path / "plan")
    findings = run_checks(plan)
    assert {(f.severity, f.check) for f in findings} == {
        ("warning", "missing_strategy"), ("warning", "project_repaired"), ("info", "duplicate_listing")}
    for fmt in ("table", "json", "markdown", "csv"):
        assert cli.main(["check", str(plan.source), "--format", fmt]) == 0, fmt
    capsys.readouterr()


def test_one_error_exits_1(tmp_path, capsys):
    plan = tiny.build(tmp_path / "plan", strategies=[tiny.strategy("1", total="30", count="2")],
                      projects=[tiny.project("1.1", ["1"] * 5, "5"),
                                tiny.project("1.2", ["5"] * 5, "25.0051", status="mismatch")])
    assert [f.check for f in run_checks(plan) if f.severity == "error"] == ["project_total"]
    assert cli.main(["check", str(plan.source), "--format", "json"]) == 1
    # the same plan within a wider tolerance: no error left
    assert cli.main(["check", str(plan.source), "--format", "json", "--tolerance", "0.0051"]) == 0
    capsys.readouterr()


def test_unusable_input_exits_2(tmp_path, capsys):
    not_a_plan = tmp_path / "notes.txt"
    not_a_plan.write_text("สวัสดี\nนี่ไม่ใช่แผนปฏิบัติการ\n", encoding="utf-8")
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    for source in (tmp_path / "missing.txt", empty_dir, not_a_plan):
        assert cli.main(["check", str(source)]) == 2, source
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("coopanalysis: error:") for line in err)
