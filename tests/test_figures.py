"""coopanalysis.model.figures: project, tactic, strategy and plan roll-ups (exact sums).

Expected values are typed by hand from the small tables built in each test, or from the seed's
detail pages."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from helpers import load_tiny  # tests/helpers.py

from coopanalysis.model import rollups as totals
from coopanalysis.model.plan import load_dir

tiny = load_tiny()


@pytest.fixture
def small_plan(tmp_path):
    return tiny.build(
        tmp_path,
        strategies=[tiny.strategy("1", total="20.3", count="3", line=5),
                    tiny.strategy("2", total="10", count="1", line=5),
                    tiny.strategy("3", line=7, present_in="list")],
        tactics=[tiny.tactic("1.1", total="10.1", count="2", line=6), tiny.tactic("1.2", total="10", line=6),
                 tiny.tactic("2.1", line=8)],
        projects=[
            tiny.project("1.1", ["0.1", "0.1", "0.1", "0.1", "0.1"], "0.5", tactic_id="1.1", line=11),
            tiny.project("1.2", ["1.9", "2", "2", "2", "2"], "9.9", tactic_id="1.1", line=12),
            tiny.project("1.3", ["", "", "", "", ""], "10", status="unreconciled", tactic_id="1.2", line=13,
                         printed=["1", "2", "3", "4", "5", "6"]),
            tiny.project("2.1", None, "", sheet=["1", "2", "3", "4", "5"], tactic_id="2.1", line=20),
            tiny.project("3.1", None, "", line=30),
        ],
    )


def test_project_totals_exact_and_bases(small_plan):
    frame = totals.project_totals(small_plan).set_index("project_id")
    assert list(totals.project_totals(small_plan).columns) == totals.PROJECT_COLUMNS
    # 0.1 x 5 is exactly 0.5 (no float noise)
    assert frame.loc["1.1", "computed_text"] == "0.5"
    assert frame.loc["1.1", "computed_mb"] == 0.5
    assert frame.loc["1.1", "basis"] == "yearly"
    assert frame.loc["1.2", "computed_text"] == "9.9"
    # unreconciled: empty years -> NaN computed, amount at the printed total
    assert math.isnan(frame.loc["1.3", "computed_mb"])
    assert frame.loc["1.3", "computed_text"] == ""
    assert frame.loc["1.3", "amount_mb"] == 10.0
    assert frame.loc["1.3", "basis"] == "printed"
    # sheet only: computed from the project sheet
    assert frame.loc["2.1", "computed_text"] == "15"
    assert frame.loc["2.1", "basis"] == "yearly"
    # listed only
    assert frame.loc["3.1", "basis"] == "none"
    assert math.isnan(frame.loc["3.1", "amount_mb"])
    assert frame.loc["3.1", "stated_text"] == ""
    assert str(frame["source_line"].dtype) == "Int64"


def test_missing_year_makes_computed_unknown(tmp_path):
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")],
                      projects=[tiny.project("1.1", ["1", "1", "1", "1"], "4", status="mismatch")])
    frame = totals.project_totals(plan)
    assert math.isnan(frame.loc[0, "computed_mb"])
    assert frame.loc[0, "basis"] == "printed"


def test_table_rows_win_over_sheet_and_first_listing_counts(tmp_path):
    extra = [{"project_id": "1.1", "fiscal_year": 2560, "amount_mb": "9", "source": "table", "source_line": 50}]
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")],
                      projects=[tiny.project("1.1", ["1", "1", "1", "1", "1"], "5", sheet=["2", "1", "1", "1", "1"])],
                      budget=extra)
    frame = totals.project_totals(plan)
    assert frame.loc[0, "computed_text"] == "5"
    yearly = totals.yearly_amounts(plan)
    assert set(yearly["source"]) == {"table"}
    assert len(yearly) == 5
    assert yearly.loc[yearly["fiscal_year"] == 2560, "amount_text"].tolist() == ["1"]


def test_yearly_amounts(small_plan):
    yearly = totals.yearly_amounts(small_plan)
    assert list(yearly.columns) == totals.YEARLY_COLUMNS
    assert str(yearly["fiscal_year"].dtype) == "Int64"
    assert yearly["amount_mb"].dtype == "float64"
    # empty amounts of 1.3 dropped; 2.1 from its sheet; 3.1 has none
    assert set(yearly["project_id"]) == {"1.1", "1.2", "2.1"}
    assert set(yearly.loc[yearly["project_id"] == "2.1", "source"]) == {"project_sheet"}
    assert yearly.loc[yearly["project_id"] == "1.1", "amount_text"].tolist() == ["0.1"] * 5
    assert yearly.loc[yearly["project_id"] == "2.1", "tactic_id"].unique().tolist() == ["2.1"]


def test_rollup_strategy(small_plan):
    frame = totals.rollup(small_plan, "strategy").set_index("strategy_id")
    assert list(totals.rollup(small_plan, "strategy").columns) == [
        "strategy_id", "name", "stated_mb", "stated_text", "computed_mb", "computed_text", "difference_mb",
        "stated_count", "found_count", "n_printed_basis", "coverage"]
    s1 = frame.loc["1"]
    assert s1["computed_text"] == "20.4"  # 0.5 + 9.9 + 10 (printed basis)
    assert s1["stated_text"] == "20.3"
    assert s1["difference_mb"] == pytest.approx(0.1)
    assert s1["found_count"] == 3 and s1["stated_count"] == 3
    assert s1["n_printed_basis"] == 1
    assert s1["coverage"] == pytest.approx(10.4 / 20.3)
    s2 = frame.loc["2"]
    assert s2["computed_text"] == "15" and s2["difference_mb"] == 5
    s3 = frame.loc["3"]
    assert math.isnan(s3["computed_mb"]) and math.isnan(s3["stated_mb"]) and math.isnan(s3["coverage"])
    assert s3["found_count"] == 1
    assert pd.isna(s3["stated_count"])


def test_rollup_tactic_and_plan(small_plan):
    tactics = totals.rollup(small_plan, "tactic")
    assert list(tactics.columns[:3]) == ["tactic_id", "strategy_id", "name"]
    t = tactics.set_index("tactic_id")
    assert t.loc["1.1", "computed_text"] == "10.4"
    assert t.loc["1.1", "difference_mb"] == pytest.approx(0.3)
    assert t.loc["1.2", "computed_text"] == "10" and t.loc["1.2", "n_printed_basis"] == 1
    assert t.loc["1.2", "coverage"] == 0
    plan = totals.rollup(small_plan, "plan")
    assert len(plan) == 1 and plan.loc[0, "plan"] == "plan"
    assert plan.loc[0, "stated_text"] == "30.3"
    assert plan.loc[0, "computed_text"] == "35.4"
    assert plan.loc[0, "stated_count"] == 4
    assert plan.loc[0, "found_count"] == 5


def test_rollup_rejects_unknown_level(small_plan):
    with pytest.raises(ValueError):
        totals.rollup(small_plan, "project")


def test_empty_plan(tmp_path):
    plan = tiny.build(tmp_path)
    assert totals.project_totals(plan).empty
    assert totals.yearly_amounts(plan).empty
    assert totals.rollup(plan, "strategy").empty
    assert totals.rollup(plan, "plan").loc[0, "found_count"] == 0


# ---- the seed (ingested without corrections) ------------------------------------------------


@pytest.fixture(scope="module")
def seed(plan_dir):
    return load_dir(plan_dir)


def test_seed_project_totals(seed):
    frame = totals.project_totals(seed).set_index("project_id")
    assert frame.loc["6.1", "computed_text"] == "50.5"
    assert frame.loc["6.1", "stated_text"] == "10"
    assert frame.loc["6.2", "computed_text"] == "10"
    for pid in ("5.1", "5.2", "5.7"):
        assert frame.loc[pid, "basis"] == "printed"
    assert frame.loc["8.u1", "amount_mb"] == 80.5
    assert frame.loc["1.1", "computed_text"] == "251"  # project sheet only


def test_seed_strategy_rollup(seed):
    frame = totals.rollup(seed, "strategy").set_index("strategy_id")
    assert frame.loc["5", "computed_text"] == "158"
    assert frame.loc["5", "stated_text"] == "125"
    assert frame.loc["5", "found_count"] == 10 and frame.loc["5", "stated_count"] == 10
    assert frame.loc["5", "n_printed_basis"] == 3
    assert frame.loc["8", "computed_text"] == "161"
    assert frame.loc["6", "computed_text"] == "60.5"
    assert frame.loc["7", "found_count"] == 0 and math.isnan(frame.loc["7", "computed_mb"])


def test_doctests():
    import doctest

    from coopanalysis.model import frames

    result = doctest.testmod(frames)
    assert result.failed == 0 and result.attempted > 0


def test_public_budget_rows_and_groups(small_plan):
    from coopanalysis.model.figures import budget_rows, groups

    rows = budget_rows(small_plan)
    # 1.1 and 1.2: five table years each; 1.3: five empty table years; 2.1: five sheet years
    assert len(rows) == 20
    assert [(r["fiscal_year"], str(r["amount"])) for r in rows if r["project_id"] == "1.2"] == [
        (2560, "1.9"), (2561, "2"), (2562, "2"), (2563, "2"), (2564, "2")]
    assert {r["source"] for r in rows if r["project_id"] == "2.1"} == {"project_sheet"}
    strategies = groups(small_plan, "strategy")
    assert [(g.id, str(g.computed)) for g in strategies] == [("1", "20.4"), ("2", "15"), ("3", "None")]
    with pytest.raises(ValueError, match="level must be one of 'strategy', 'tactic', 'plan'; got 'project'"):
        groups(small_plan, "project")
    # what the strategies table printed, kept on each group: the line and where it was printed
    assert [(g.source_line, g.present_in) for g in strategies] == [(5, "summary;detail"), (5, "summary;detail"),
                                                                   (7, "list")]
    assert [(g.id, g.strategy_id, g.source_line) for g in groups(small_plan, "tactic")] == [
        ("1.1", "1", 6), ("1.2", "1", 6), ("2.1", "2", 8)]
    whole = groups(small_plan, "plan")
    assert [(g.level, g.id, g.name, str(g.stated)) for g in whole] == [("plan", "plan", "แผนทดสอบ", "30.3")]


def test_groups_named_only_by_projects_still_add_up(tmp_path):
    from coopanalysis.model.figures import groups

    five = ["1", "1", "1", "1", "1"]
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1", total="5")], tactics=[tiny.tactic("1.1", total="5")],
                      projects=[tiny.project("1.1", five, "5", tactic_id="1.1"),
                                tiny.project("2.1", ["2", "2", "2", "2", "2"], "10", tactic_id="2.9")])
    tactics = [(g.level, g.id, g.strategy_id, g.name, g.stated, str(g.computed), g.found_count)
               for g in groups(plan, "tactic")]
    # tactic 2.9 and strategy 2 appear in no table of their own: named by project 2.1, printed nothing
    assert tactics == [("tactic", "1.1", "1", "กลยุทธ์ 1.1", 5, "5", 1), ("tactic", "2.9", "2", "", None, "10", 1)]
    strategies = [(g.id, g.strategy_id, g.name, g.stated, str(g.computed)) for g in groups(plan, "strategy")]
    assert strategies[1] == ("2", "2", "", None, "10")


def test_budget_rows_first_in_document_order_and_projects_named_only_by_rows(tmp_path):
    from coopanalysis.model.figures import budget_rows, groups, project_figures

    extra = [
        {"project_id": "1.1", "fiscal_year": 2560, "amount_mb": "9", "source": "table", "source_line": 5},
        {"project_id": "1.1", "fiscal_year": 2561, "amount_mb": "7", "source": "table", "source_line": ""},
        {"project_id": "4.1", "fiscal_year": 2560, "amount_mb": "3", "source": "", "source_line": 60},
    ]
    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")],
                      projects=[tiny.project("1.1", ["1", "1", "1", "1", "1"], "5", line=11),
                                tiny.project("1.2", ["2", "", "2", "2", "2"], "8", line=12)], budget=extra)
    rows = {(r["project_id"], r["fiscal_year"]): r for r in budget_rows(plan)}
    # line 5 comes before the project's own row (line 11); a row without a line comes last
    assert (str(rows[("1.1", 2560)]["amount"]), rows[("1.1", 2560)]["source_line"]) == ("9", 5)
    assert (str(rows[("1.1", 2561)]["amount"]), rows[("1.1", 2561)]["source_line"]) == ("1", 11)
    assert (str(rows[("4.1", 2560)]["amount"]), rows[("4.1", 2560)]["source"]) == ("3", "table")  # no source: table
    assert rows[("1.2", 2561)]["amount"] is None  # an empty year
    figures = project_figures(plan)
    assert str(figures["1.1"].computed) == "13"  # 9 + 1 + 1 + 1 + 1
    assert (figures["1.2"].computed, str(figures["1.2"].amount), figures["1.2"].basis) == (None, "8", "printed")
    one = figures["1.2"]  # what its row in the projects table printed
    assert (one.name, one.source_line, one.n_values, one.parse_status) == ("โครงการ 1.2", 12, 5, "exact")
    # 4.1 is in no projects table: its strategy is the first part of its id; one year of five
    assert (figures["4.1"].strategy_id, figures["4.1"].computed, figures["4.1"].basis) == ("4", None, "none")
    assert [g.id for g in groups(plan, "strategy")] == ["1", "4"]


def _trailing_zeros(tmp_path):
    """Cells written with trailing zeros, as a hand-edited table may have them; project 1.2
    prints 2.60 against yearly amounts adding up to 2.5."""
    return tiny.build(tmp_path, strategies=[tiny.strategy("1", total="5.10", line=5)],
                      tactics=[tiny.tactic("1.1", total="5.10", line=6)],
                      projects=[tiny.project("1.1", ["0.50", "0.50", "0.50", "0.50", "0.50"], "2.50", tactic_id="1.1",
                                             line=11),
                                tiny.project("1.2", ["0.50", "0.50", "0.50", "0.50", "0.50"], "2.60", tactic_id="1.1",
                                             line=12)])


def test_trailing_zeros_of_a_cell_never_show(tmp_path, capsys):
    """Amounts are numbers: what a reader sees is the amount written out exactly, "2.5", whether
    the cell said 2.50 or 2.5 (as before the text twins went: every output wrote amounts out)."""
    from coopanalysis.cli import main

    plan = _trailing_zeros(tmp_path / "plan")
    projects = totals.project_totals(plan).set_index("project_id")
    assert projects.loc["1.1", ["stated_text", "computed_text", "amount_text"]].tolist() == ["2.5", "2.5", "2.5"]
    assert projects.loc["1.2", ["stated_text", "computed_text"]].tolist() == ["2.6", "2.5"]
    assert set(totals.yearly_amounts(plan)["amount_text"]) == {"0.5"}
    strategy = totals.rollup(plan, "strategy").iloc[0]
    assert (strategy["stated_text"], strategy["computed_text"]) == ("5.1", "5")  # the yearly amounts: 2.5 + 2.5
    for fmt in ("table", "json", "markdown", "csv"):
        assert main(["check", str(tmp_path / "plan"), "--format", fmt]) == 1
        out = capsys.readouterr().out
        assert "2.6" in out and "2.60" not in out and "2.50" not in out and "5.10" not in out, fmt


def test_editing_an_amount_in_place_changes_the_figures(tmp_path):
    """One numeric column per amount: an edit of ``amount_mb`` alone is what the next figures sum."""
    from coopanalysis.model.figures import Figures

    plan = _trailing_zeros(tmp_path)
    assert not [c for name, frame in plan.tables.items() for c in frame.columns if c.endswith("_text")]
    budget = plan.budget
    budget.loc[(budget["project_id"] == "1.1") & (budget["fiscal_year"] == 2562), "amount_mb"] = 1.25
    figures = Figures.of(plan)
    assert str(figures.projects["1.1"].computed) == "3.25"  # 0.5 + 0.5 + 1.25 + 0.5 + 0.5
    assert [str(g.computed) for g in figures.groups("tactic")] == ["5.75"]  # 3.25 + 2.5
    assert str(figures.groups("plan")[0].computed) == "5.75"
    budget["amount_mb"] = budget["amount_mb"] * 2
    assert str(Figures.of(plan).groups("strategy")[0].computed) == "11.5"  # (3.25 + 2.5) x 2


@pytest.mark.parametrize("value", [1 / 3, 0.000000004, 1e24, float("inf")])
def test_an_amount_finer_than_a_satang_is_refused_not_rounded(tmp_path, value):
    from coopanalysis.errors import InputError
    from coopanalysis.model.figures import Figures

    plan = _trailing_zeros(tmp_path)
    plan.budget.loc[3, "amount_mb"] = value
    with pytest.raises(InputError, match=r"the plan's budget table, row 3: amount_mb .* not a whole number of satang"):
        Figures.of(plan)
    plan.budget.loc[3, "amount_mb"] = 0.00000001  # exactly one satang
    assert str(Figures.of(plan).projects["1.1"].computed) == "2.00000001"
    plan.projects.loc[1, "stated_total_mb"] = value  # a printed total too
    with pytest.raises(InputError, match=r"the plan's projects table, row 1: stated_total_mb"):
        Figures.of(plan)


@pytest.mark.parametrize("cell", ["0.123456789", "9" * 24, "90071992.54740993", "0.1000000000000000001"])
def test_a_table_cell_a_float_cannot_hold_to_the_satang_is_refused_naming_the_line(tmp_path, capsys, cell):
    from coopanalysis.cli import main

    _trailing_zeros(tmp_path)
    path = tmp_path / "budget.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("0.50", cell)  # line 5: project 1.1, 2563
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"budget.csv:5: amount_mb holds '{cell}' (line 11 of the text)" in err


def test_the_largest_exact_amounts_are_read_exactly(tmp_path):
    from coopanalysis.model.figures import Figures

    plan = tiny.build(tmp_path, strategies=[tiny.strategy("1")],
                      projects=[tiny.project("1.1", ["90071992.54740992", "-0.00000001", "0", ".5", "1"], "")])
    assert str(Figures.of(plan).projects["1.1"].computed) == "90071994.04740991"  # by hand
