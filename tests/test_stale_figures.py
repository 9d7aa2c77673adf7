"""No stale figures: nothing is cached on a plan or keyed on object identity (issue: redesign).

Project 1.1's yearly amounts come from its project sheet (line 160 of the seed):
51, 50, 50, 50, 50 = 251 million baht.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from coopanalysis import analysis
from coopanalysis.model import rollups
from coopanalysis.model.figures import Figures
from coopanalysis.model.plan import load
from coopanalysis.paths import PLAN_DIR, ROOT


@pytest.fixture()
def plan():
    return load(PLAN_DIR)


def _total(source, pid="1.1") -> str:
    frame = rollups.project_totals(source).set_index("project_id")
    return frame.loc[pid, "computed_text"]


def test_project_1_1_reads_251_from_its_sheet(plan):
    assert _total(plan) == "251"  # 51 + 50 + 50 + 50 + 50, seed line 160


def test_in_place_edit_is_seen_by_the_next_computation(plan):
    assert _total(plan) == "251"
    budget = plan.tables["budget"]
    first = budget.index[(budget["project_id"] == "1.1") & (budget["fiscal_year"] == 2560)][0]
    budget.loc[first, "amount_mb"] = 1.0  # 51 -> 1
    assert _total(plan) == "201"
    table = analysis.by_project(plan, "1").set_index("project_id")
    assert table.loc["1.1", "computed_mb"] == 201.0


def test_replacing_a_table_gives_new_figures_every_time(plan):
    """300 replacements, each with its own 1.1 amount: every result is the one just built.

    (With a cache keyed on ``id()``, a new frame landing at a freed frame's address returned
    that frame's totals.)
    """
    base = plan.tables["budget"]
    mask = (base["project_id"] == "1.1") & (base["fiscal_year"] == 2560)
    for i in range(300):
        budget = base.copy()
        budget.loc[mask, "amount_mb"] = float(i)
        edited = plan.replace(budget=budget)
        assert _total(edited) == str(i + 200), i  # i + 50 * 4
    assert _total(plan) == "251"  # the original plan is untouched


def test_plan_tables_are_read_only(plan):
    with pytest.raises(TypeError):
        plan.tables["budget"] = pd.DataFrame()
    with pytest.raises(AttributeError):
        plan.meta = {}  # frozen dataclass
    assert not [k for k in vars(plan) if "cache" in k]


def test_figures_are_explicit_and_reusable(plan):
    fig = Figures.of(plan)
    assert Figures.of(fig) is fig
    assert _total(fig) == "251"
    with pytest.raises(TypeError, match="expected a Plan or Figures"):
        Figures.of("data/plan")


def test_no_cache_keyed_on_object_identity_anywhere():
    """No call of the builtin ``id()`` in the package (a cache key on identity is how stale
    figures happened)."""
    offenders = []
    for path in sorted((ROOT / "coopanalysis").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "id":
                offenders.append(f"{Path(path).relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
