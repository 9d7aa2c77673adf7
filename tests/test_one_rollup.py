"""The roll-up the analyst sees (``Dataset.computed``, integer satang over the node closure) and
the sums the checks compare printed totals with (a plan's ``Figures``, whose exact Decimals are
integer satang added up by the model's one sum; a table's
``checks.table_rules.compared_sums``, read from the roll-up of the table as the check gets it)
are the same figures, node by node and year by year: a printed total can never be checked
against a sum other than the one shown.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import need_real  # tests/helpers.py

import coopanalysis as ca
from coopanalysis.checks.table_rules import compared_sums
from coopanalysis.model.figures import Figures
from coopanalysis.model.plan import load as load_plan
from coopanalysis.paths import PLAN_DIR


def _satang(value) -> int:
    """Million baht (Decimal or float) -> satang, refusing anything finer."""
    exact = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    satang = exact * 100_000_000
    assert satang == satang.to_integral_value(), value
    return int(satang)


@pytest.mark.parametrize("level", ["strategy", "tactic"])
def test_plan_figures_and_the_dataset_agree_on_every_group(level):
    figures = Figures.of(load_plan(PLAN_DIR))
    shown = ca.load().figures(level).set_index("label")["computed_mb"]
    checked = {g.id: g.computed for g in figures.groups(level)}
    assert checked, "no groups: the seed plan has strategies and tactics"
    assert set(checked) <= set(shown.index)
    for label, computed in checked.items():
        if computed is None:
            assert shown[label] != shown[label] or shown[label] == 0  # NaN, or nothing beneath
        else:
            assert _satang(shown[label]) == _satang(computed), label


def test_an_edited_plan_gives_the_checks_and_the_analyst_the_same_new_totals():
    """Project 1.1's yearly amounts are on its project sheet (seed line 160): 51, 50, 50, 50, 50.
    Edit 2560 in place to 1: both roll-ups see 201 for the project and 50 less for strategy 1."""
    from coopanalysis.model.build import from_plan

    plan = load_plan(PLAN_DIR)
    before = _satang(Figures.of(plan).groups("strategy")[0].computed)
    budget = plan.budget
    budget.loc[(budget["project_id"] == "1.1") & (budget["fiscal_year"] == 2560), "amount_mb"] = 1.0
    figures = Figures.of(plan)
    dataset = from_plan(plan)
    assert _satang(figures.projects["1.1"].computed) == _satang(Decimal(201)) == _satang(
        dataset.figures("project").set_index("label").loc["1.1", "computed_mb"])
    strategy = figures.groups("strategy")[0]
    assert strategy.id == "1" and _satang(strategy.computed) == before - _satang(Decimal(50))
    assert _satang(dataset.figures("strategy").set_index("label").loc["1", "computed_mb"]) == before - 50 * 10**8


def _by_year(ds) -> dict[tuple[str, int], int]:
    table = ds.computed(by_year=True).dropna(subset=["computed_satang", "fiscal_year"])
    return {(n, int(y)): int(s) for n, y, s in zip(table["node_id"], table["fiscal_year"], table["computed_satang"])}


def test_a_real_volumes_check_sums_and_the_dataset_agree_on_every_node_and_year(tmp_path):
    from coopanalysis.budget import ingest_tables, load_dataset, write_dataset

    path = need_real("2022-3-17.csv")
    write_dataset(ingest_tables([path], "budget-bill"), tmp_path / "ds")
    checked = {key: _satang(value) for key, value in compared_sums(load_dataset(tmp_path / "ds")).items()}
    shown = _by_year(ca.load(tmp_path / "ds"))
    assert len(checked) > 100 and checked == shown
