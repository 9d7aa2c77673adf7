"""Allocation tables: exact seed figures, unit policies, totals rows, purity."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from coopanalysis import analysis, paths  # noqa: E402
from coopanalysis.analysis import NO_UNIT, POLICIES, TOTAL  # noqa: E402
from coopanalysis.ingest.tables import COLUMNS as _COLUMNS  # the one schema
from coopanalysis.model.plan import load, load_dir  # noqa: E402

YEARS = [2560, 2561, 2562, 2563, 2564]
GREEN_COOP_UNITS = ["กพท.", "สทล.", "สสจ.", "สสพ.", "สกก."]

# Worked out by hand from data/raw/cpd_action_plan_2560_2564.txt (never from the code under test).
# A project's amount is the sum of its yearly figures (1.1 and 1.2 from their project sheets:
# 51 50 50 50 50 and 5 6 7 8 9), else its printed total (5.1 and 5.2: 13 each, 5.7: 60, whose
# yearly cells cannot be placed). Strategy 7 prints 161.5 but lists no project.
COMPUTED = {"1": 286, "3": 25, "4": 50, "5": 158, "6": 20, "8": 161}  # 700 in all
PRINTED = {"5": 125, "6": 20, "7": 161.5, "8": 121}  # 427.5 in all
# yearly figures per strategy (projects with yearly figures only: 5.1, 5.2, 5.7 are left out)
YEARLY = {
    "1": [56, 56, 57, 58, 59],  # 1.1 + 1.2
    "3": [5, 5, 5, 5, 5],  # 3.4
    "4": [10, 10, 10, 10, 10],  # 4.1 + 4.2
    "5": [3.5, 31, 12.5, 12.5, 12.5],  # 5.3, 5.4, 5.5, 5.6, 5.8, 5.9, 5.10
    "6": [10.5, 5, 1.5, 1.5, 1.5],  # 6.1 (with the reviewed correction) + 6.2
    "8": [1, 40, 40, 40, 40],  # 8.u1 + 8.u2: 0.5 20 20 20 20 each
}
YEAR_TOTALS = [86, 147, 126, 127, 128]  # 614 in all = 700 - (13 + 13 + 60)


@pytest.fixture(scope="module")
def seed():
    assert (paths.PLAN_DIR / "plan.json").is_file(), "data/plan is committed: run `make data` to rebuild it"
    return load(paths.PLAN_DIR)


def _data(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame[frame[column] != TOTAL]


def _row(frame: pd.DataFrame, column: str, value) -> pd.Series:
    rows = frame[frame[column] == value]
    assert len(rows) == 1, f"{column}={value!r}: {len(rows)} rows"
    return rows.iloc[0]


# ---- synthetic plans ------------------------------------------------------------------------------


def make_plan(directory: Path, projects: list[dict], strategies: dict[str, str] | None = None,
              kpis: list[dict] | None = None):
    """A small plan written as tidy tables and loaded like the real one.

    *projects*: dicts with ``id``, ``tactic``, ``amounts`` (list of 5 strings, '' = unknown),
    ``total`` (printed, '' = none), ``units`` (list), ``status``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    strategies = strategies or {}
    sids = sorted({p["id"].split(".")[0] for p in projects} | set(strategies))
    tables: dict[str, list[dict]] = {name: [] for name in _COLUMNS}
    for line, sid in enumerate(sids, start=1):
        tables["strategies"].append({"strategy_id": sid, "name": f"ยุทธศาสตร์ทดสอบ {sid}",
                                     "stated_total_mb": strategies.get(sid, ""), "source_line": line,
                                     "present_in": "detail"})
    tactics = sorted({p["tactic"] for p in projects if p.get("tactic")})
    for tid in tactics:
        tables["tactics"].append({"tactic_id": tid, "strategy_id": tid.split(".")[0], "name": f"กลยุทธ์ {tid}",
                                  "source_line": 1, "present_in": "detail"})
    units = []
    for line, p in enumerate(projects, start=10):
        amounts = p.get("amounts", [])
        tables["projects"].append({
            "project_id": p["id"], "strategy_id": p["id"].split(".")[0], "tactic_id": p.get("tactic", ""),
            "name": f"โครงการทดสอบ {p['id']}", "stated_total_mb": p.get("total", ""),
            "parse_status": p.get("status", "exact"), "source_line": line,
            "n_values": len(amounts) if amounts else "", "n_listings": 1 if amounts else 0,
        })
        for year, amount in zip(YEARS, amounts):
            tables["budget"].append({"project_id": p["id"], "fiscal_year": year, "amount_mb": amount,
                                     "source": "table", "source_line": line})
        for unit in p.get("units", []):
            tables["project_units"].append({"project_id": p["id"], "unit": unit})
            if unit not in units:
                units.append(unit)
    tables["units"] = [{"unit": u, "name": ""} for u in units]
    tables["kpis"] = kpis or []
    for name, rows in tables.items():
        with open(directory / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=_COLUMNS[name], lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({c: row.get(c, "") for c in _COLUMNS[name]})
    meta = {"title": "แผนทดสอบ", "organisation": "หน่วยทดสอบ", "first_fiscal_year": 2560,
            "last_fiscal_year": 2564, "fiscal_years": YEARS}
    (directory / "plan.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return load_dir(directory)


@pytest.fixture()
def small(tmp_path):
    return make_plan(tmp_path / "small", [
        {"id": "1.1", "tactic": "1.1", "amounts": ["1", "1", "1", "1", "1"], "total": "5", "units": ["ก.", "ข.", "ค."]},
        {"id": "1.2", "tactic": "1.1", "amounts": ["0.1", "0.2", "0.3", "0.4", "0.5"], "total": "1.5", "units": []},
        {"id": "2.1", "tactic": "2.1", "amounts": ["2", "2", "2", "2", "2"], "total": "10", "units": ["ข."]},
    ], strategies={"1": "6.5", "2": "10"})


# ---- seed: strategies, years, projects ---------------------------------------------------------------


def test_by_strategy_seed(seed):
    table = analysis.by_strategy(seed)
    data = _data(table, "strategy_id")
    assert data["strategy_id"].tolist() == ["1", "3", "4", "5", "6", "7", "8"]
    stated = dict(zip(data["strategy_id"], data["stated_mb"]))
    assert {k: v for k, v in stated.items() if not math.isnan(v)} == {"5": 125.0, "6": 20.0, "7": 161.5, "8": 121.0}
    assert all(math.isnan(stated[s]) for s in ("1", "3", "4"))
    computed = dict(zip(data["strategy_id"], data["computed_mb"]))
    assert {k: v for k, v in computed.items() if not math.isnan(v)} == COMPUTED
    assert math.isnan(computed["7"])  # printed, but no project listed
    detailed = dict(zip(data["strategy_id"], data["detailed_mb"]))
    assert detailed == {"1": 286, "3": 25, "4": 50, "5": 72, "6": 20, "7": 0, "8": 161}
    assert _row(table, "strategy_id", "5")["difference_mb"] == 33  # 158 - 125
    assert _row(table, "strategy_id", "8")["difference_mb"] == 40  # 161 - 121
    assert _row(table, "strategy_id", "5")["share_stated"] == 125 / 427.5
    assert _row(table, "strategy_id", "1")["share_computed"] == 286 / 700
    total = _row(table, "strategy_id", TOTAL)
    assert table.iloc[-1]["strategy_id"] == TOTAL and total["name"] == TOTAL
    assert total["stated_mb"] == 427.5
    assert total["computed_mb"] == 700
    assert total["detailed_mb"] == 614
    assert total["difference_mb"] == 73  # 33 + 0 + 40 (strategy 7 cannot be compared)
    assert total["coverage"] == 253 / 427.5  # detailed 72 + 20 + 0 + 161 over the printed strategies
    assert data["share_stated"].sum() == pytest.approx(1.0)
    assert data["share_computed"].sum() == pytest.approx(1.0)
    assert total["share_stated"] == 1.0 and total["share_computed"] == 1.0


def test_by_year_strategy_4_is_10_each_year(seed):
    table = analysis.by_year(seed)
    data = _data(table, "fiscal_year")
    assert data["fiscal_year"].tolist() == YEARS
    assert data["4"].tolist() == [10.0] * 5
    assert _row(table, "fiscal_year", TOTAL)["4"] == 50.0
    assert "2" not in table.columns  # strategy 2 is absent from the document


def test_by_year_exact_sums(seed):
    table = _data(analysis.by_year(seed), "fiscal_year").set_index("fiscal_year")
    # strategy 5 in 2560: 0 + 0.5 + 0.5 + 1 + 0.5 + 0.5 + 0.5 (5.3, 5.4, 5.5, 5.6, 5.8, 5.9, 5.10), no float noise
    assert repr(float(table.loc[2560, "5"])) == "3.5"
    # strategy 6 in 2560: 6.1 (0.5) + 6.2 (10)
    assert table.loc[2560, "6"] == 10.5
    assert analysis.by_year(seed).attrs["columns"] == ["1", "3", "4", "5", "6", "8"]
    for sid, amounts in YEARLY.items():
        assert table[sid].tolist() == amounts, sid
    assert table[TOTAL].tolist() == YEAR_TOTALS
    assert table["share"].tolist() == [t / 614 for t in YEAR_TOTALS]
    total = analysis.by_year(seed).iloc[-1]
    assert total["fiscal_year"] == TOTAL and total[TOTAL] == 614 and total["share"] == 1.0
    assert [total[s] for s in YEARLY] == [sum(v) for v in YEARLY.values()]


def test_by_year_per_strategy_tactic(seed):
    table = _data(analysis.by_year(seed, by="tactic", strategy_id="4"), "fiscal_year")
    assert table["4.1"].tolist() == [5.0] * 5
    assert table["4.2"].tolist() == [5.0] * 5
    assert table[TOTAL].tolist() == [10.0] * 5
    with pytest.raises(ValueError, match="by must be one of"):
        analysis.by_year(seed, by="unit")


def test_by_year_lists_projects_without_yearly_figures(seed):
    excluded = analysis.by_year(seed).attrs["excluded"]
    assert {"5.1", "5.2", "5.7"} <= set(excluded)  # unreconciled rows
    assert "1.3" in excluded  # listed only
    assert "3.4" not in excluded and "1.1" not in excluded


@pytest.mark.parametrize(("project", "amounts"), [
    ("3.4", [5, 5, 5, 5, 5]),
    ("4.1", [5, 5, 5, 5, 5]),
    ("4.2", [5, 5, 5, 5, 5]),
    ("5.3", [0, 5, 3, 3, 3]),
    ("5.4", [0.5, 5, 1.5, 1.5, 1.5]),
    ("5.6", [1, 1, 2, 2, 2]),
    ("6.2", [10, 0, 0, 0, 0]),
    ("1.1", [51, 50, 50, 50, 50]),
    ("1.2", [5, 6, 7, 8, 9]),
])
def test_by_project_yearly_amounts(seed, project, amounts):
    table = analysis.by_project(seed)
    row = _row(table, "project_id", project)
    assert [row[y] for y in YEARS] == [float(a) for a in amounts]
    assert row["computed_mb"] == float(sum(amounts))


def test_by_project_columns_status_and_total(seed):
    table = analysis.by_project(seed)
    assert list(table.columns[:4]) == ["project_id", "strategy_id", "tactic_id", "name"]
    assert [c for c in table.columns if isinstance(c, int)] == YEARS
    assert _row(table, "project_id", "3.4")["stated_mb"] == 25.0
    assert _row(table, "project_id", "1.1")["parse_status"] == "sheet_only"
    assert _row(table, "project_id", "1.3")["parse_status"] == "listed_only"
    assert math.isnan(_row(table, "project_id", "1.3")[2560])
    total = table.iloc[-1]
    assert total["project_id"] == TOTAL
    data = _data(table, "project_id")
    assert [total[year] for year in YEARS] == YEAR_TOTALS
    # printed project totals: 3.4, 4.1, 4.2 (25 each), 5.1-5.10 (158), 6.1, 6.2 (10 each), 8.u1, 8.u2 (80.5 each)
    assert (total["computed_mb"], total["stated_mb"], total["amount_mb"]) == (614, 75 + 158 + 20 + 161, 700)
    assert _row(table, "project_id", "5.7")["share"] == 60 / 700
    # document order: 5.2 before 5.10
    ids = data["project_id"].tolist()
    assert ids.index("5.2") < ids.index("5.10")


def test_by_project_one_strategy(seed):
    table = analysis.by_project(seed, strategy_id="4")
    assert _data(table, "project_id")["project_id"].tolist() == ["4.1", "4.2"]
    assert table.iloc[-1][2560] == 10.0
    assert analysis.by_project(seed, strategy_id="๔")["project_id"].tolist() == table["project_id"].tolist()
    with pytest.raises(ValueError, match="unknown strategy_id '2'"):
        analysis.by_project(seed, strategy_id="2")


def test_by_tactic(seed):
    table = analysis.by_tactic(seed, strategy_id="5")
    data = _data(table, "tactic_id")
    assert data["tactic_id"].tolist()[:5] == ["5.1", "5.2", "5.3", "5.4", "5.5"]
    assert dict(zip(data["tactic_id"], data["stated_mb"])) == {"5.1": 60, "5.2": 35, "5.3": 10, "5.4": 10, "5.5": 10}
    assert table.iloc[-1]["tactic_id"] == TOTAL and table.iloc[-1]["stated_mb"] == 125.0
    everything = analysis.by_tactic(seed)
    # strategy 1's projects have no tactic: they are gathered, not lost
    loose = _row(everything, "tactic_id", "1.-")
    assert loose["name"] == analysis.NO_TACTIC and loose["computed_mb"] == 286.0


# ---- seed: units ------------------------------------------------------------------------------------


def test_equal_split_green_coop(seed):
    table = analysis.by_unit(seed, "equal", by="year", strategy_id="3")
    data = _data(table, "unit")
    assert sorted(data["unit"]) == sorted(GREEN_COOP_UNITS)
    for unit in GREEN_COOP_UNITS:
        row = _row(table, "unit", unit)
        assert [row[y] for y in YEARS] == [1.0] * 5
        assert row[TOTAL] == 5.0
    total = table.iloc[-1]
    assert [total[y] for y in YEARS] == [5.0] * 5 and total[TOTAL] == 25.0
    assert table.attrs["policy"] == "equal" and set(table["policy"]) == {"equal"}
    assert not table.attrs["exceeds_plan_total"] and table.attrs["note"] == ""


def test_equal_split_whole_plan_adds_up(seed):
    for by in ("strategy", "year"):
        table = analysis.by_unit(seed, "equal", by=by)
        total = table.iloc[-1]
        assert total["unit"] == TOTAL
        assert total[TOTAL] == table.attrs["plan_total_mb"] == table.attrs["credited_total_mb"]
        assert total["share"] == 1.0
    # กพท. gets a fifth of 3.4 (5) and half of 4.2 (12.5)
    row = _row(analysis.by_unit(seed, "equal", by="strategy"), "unit", "กพท.")
    assert (row["3"], row["4"], row[TOTAL]) == (5.0, 12.5, 17.5)
    # by year: the year totals equal the plan's yearly totals (worked out by hand)
    total = analysis.by_unit(seed, "equal", by="year").iloc[-1]
    assert [total[y] for y in YEARS] == YEAR_TOTALS
    assert analysis.by_unit(seed, "equal", by="year").attrs["plan_total_mb"] == 614
    assert analysis.by_unit(seed, "equal", by="strategy").attrs["plan_total_mb"] == 700


def test_lead_policy_credits_green_coop_to_first_unit(seed):
    table = analysis.by_unit(seed, "lead", by="strategy", strategy_id="3")
    data = _data(table, "unit")
    assert data["unit"].tolist() == ["กพท."]
    assert _row(table, "unit", "กพท.")["3"] == 25.0
    whole = analysis.by_unit(seed, "lead", by="strategy")
    for unit in GREEN_COOP_UNITS[1:]:
        rows = whole[whole["unit"] == unit]
        assert rows.empty or rows.iloc[0]["3"] == 0.0
    assert whole.iloc[-1][TOTAL] == whole.attrs["plan_total_mb"]
    assert whole.attrs["policy"] == "lead" and set(whole["policy"]) == {"lead"}


def test_full_policy_exceeds_plan_total_and_says_so(seed):
    table = analysis.by_unit(seed, "full", by="strategy")
    plan_total = 700
    assert table.attrs["plan_total_mb"] == plan_total
    # each project counted once per unit: 251 + 35 + 25 x 5 (3.4) + 25 x 2 (4.1) + 25 x 2 (4.2)
    # + 13 + 13 (no unit) + 14 + 10 + 10 + 8 + 60 + 10 + 10 (คสท.) + 10 x 2 (5.10) + 10 + 10
    # + 80.5 x 2 (8.u1) + 80.5 (8.u2: กพร. printed three times, one unit)
    assert table.attrs["credited_total_mb"] == 940.5
    assert table.iloc[-1][TOTAL] == table.attrs["credited_total_mb"] > plan_total
    assert table.attrs["exceeds_plan_total"] is True
    assert "สูงกว่างบประมาณของแผน" in table.attrs["note"]
    assert table.iloc[-1]["share"] > 1.0
    assert set(table["policy"]) == {"full"} and table.attrs["policy"] == "full"
    for unit in GREEN_COOP_UNITS:
        assert _row(table, "unit", unit)["3"] == 25.0


def test_projects_without_units_go_to_their_own_row(seed):
    table = analysis.by_unit(seed, "equal", by="strategy")
    row = _row(table, "unit", NO_UNIT)
    assert table.iloc[-2]["unit"] == NO_UNIT  # last before the totals row
    # 5.1 and 5.2 name no unit; their years are unknown, so the printed totals (13 + 13) count
    assert row["5"] == 26.0


@pytest.mark.parametrize("policy", [None, "", "split", "EQUAL"])
def test_policy_is_required_and_checked(seed, policy):
    with pytest.raises(ValueError) as caught:
        analysis.by_unit(seed, policy)
    for name in POLICIES:
        assert repr(name) in str(caught.value)
    with pytest.raises(ValueError, match="policy is required"):
        analysis.by_unit(seed)


def test_by_unit_rejects_unknown_by(seed):
    with pytest.raises(ValueError, match="by must be one of 'strategy', 'year'"):
        analysis.by_unit(seed, "equal", by="tactic")


# ---- seed: printed vs computed, coverage, KPIs -----------------------------------------------------


@pytest.mark.parametrize("level", ["project", "tactic", "strategy", "plan"])
def test_printed_vs_computed_levels(seed, level):
    table = analysis.printed_vs_computed(seed, level)
    assert f"{level}_id" in table.columns
    assert table.columns.is_unique
    for stated, computed, diff, status in zip(table["stated_mb"], table["computed_mb"], table["difference_mb"], table["status"]):
        if math.isnan(stated) or math.isnan(computed):
            assert status in ("no_printed", "not_computed", "neither")
        else:
            assert diff == pytest.approx(computed - stated)
            assert status == ("match" if stated == computed else "differ")
    assert set(table["status_th"]) <= set(analysis.STATUS_LABELS.values())
    if level == "plan":
        assert len(table) == 1


def test_printed_vs_computed_seed_figures(seed):
    strategies = analysis.printed_vs_computed(seed, "strategy")
    assert _row(strategies, "strategy_id", "6")["status"] == "match"  # 20 = 10 + 10 (with the 6.1 correction)
    assert _row(strategies, "strategy_id", "1")["status"] == "no_printed"
    projects = analysis.printed_vs_computed(seed, "project")
    assert _row(projects, "project_id", "3.4")["status"] == "match"
    assert _row(projects, "project_id", "1.1")["status"] == "no_printed"
    assert _row(projects, "project_id", "1.3")["status"] == "neither"
    five = _row(strategies, "strategy_id", "5")
    assert (five["status"], five["difference_mb"], five["difference_share"]) == ("differ", 33, 33 / 125)
    assert _row(strategies, "strategy_id", "8")["difference_mb"] == 40
    assert _row(strategies, "strategy_id", "7")["status"] == "not_computed"
    plan = analysis.printed_vs_computed(seed, "plan").iloc[0]
    assert (plan["stated_mb"], plan["computed_mb"], plan["difference_mb"], plan["status"]) == (427.5, 700, 272.5, "differ")
    tactics = analysis.printed_vs_computed(seed, "tactic")
    assert _row(tactics, "tactic_id", "5.1")["computed_mb"] == 26  # 5.1 + 5.2 at their printed 13
    assert _row(tactics, "tactic_id", "5.1")["stated_mb"] == 60
    assert _row(projects, "project_id", "5.7")["status"] == "not_computed"  # printed 60, years unplaced
    with pytest.raises(ValueError, match="level must be one of"):
        analysis.printed_vs_computed(seed, "unit")


def test_coverage(seed):
    table = analysis.coverage(seed)
    assert _row(table, "strategy_id", "6")["coverage"] == 1.0
    assert math.isnan(_row(table, "strategy_id", "1")["coverage"])  # nothing printed to cover
    assert _row(table, "strategy_id", "7")["coverage"] == 0.0  # printed 161.5, no project found
    five = _row(table, "strategy_id", "5")
    # 5.1, 5.2 and 5.7 have no yearly figures: only 14 + 10 + 10 + 8 + 10 + 10 + 10 = 72 is detailed
    assert (five["detailed_mb"], five["printed_basis_mb"]) == (72.0, 86.0)
    assert five["coverage"] == 72 / 125
    assert five["computed_mb"] == five["detailed_mb"] + five["printed_basis_mb"]
    assert _row(table, "strategy_id", "8")["coverage"] == 161 / 121  # more detail than printed
    assert _row(table, "strategy_id", "8")["gap_mb"] == -40
    total = table.iloc[-1]
    assert total["strategy_id"] == TOTAL
    # over strategies 5, 6, 7, 8 (those with a printed total)
    assert (total["stated_mb"], total["detailed_mb"], total["printed_basis_mb"]) == (427.5, 253, 86)
    assert (total["computed_mb"], total["gap_mb"]) == (158 + 20 + 161, 427.5 - 253)
    assert total["coverage"] == 253 / 427.5
    assert table.attrs["overall"] == total["coverage"]
    assert (total["found_count"], total["stated_count"], total["n_printed_basis"]) == (14, 16, 3)


def test_kpi_targets(seed):
    table = analysis.kpi_targets(seed, strategy_id="8")
    first = table[(table["kpi_id"] == "1")].set_index("fiscal_year")
    assert first["target"].dtype == "float64"
    assert [first.loc[y, "target"] for y in YEARS[1:]] == [20.0, 40.0, 60.0, 80.0]
    assert math.isnan(first.loc[2560, "target"])  # printed '-'
    assert set(first["unit"]) == {"ร้อยละ"}
    everything = analysis.kpi_targets(seed)
    assert list(everything.columns[:6]) == ["strategy_id", "kpi_id", "name", "unit", "fiscal_year", "target"]
    # strategy 4's KPI 1 is printed with a second target row: two series
    kpi41 = everything[(everything["strategy_id"] == "4") & (everything["kpi_id"] == "1")]
    assert sorted(set(kpi41["series"])) == [1, 2]
    assert kpi41[kpi41["series"] == 1]["target"].tolist()[1:] == [50.0, 60.0, 70.0, 80.0]


# ---- synthetic plans: policies, exactness, purity ----------------------------------------------------


def test_small_plan_equal_split_is_exact(small):
    table = analysis.by_unit(small, "equal", by="strategy")
    assert _row(table, "unit", "ก.")["1"] == pytest.approx(5 / 3)
    assert _row(table, "unit", "ข.")[TOTAL] == pytest.approx(5 / 3 + 10)
    assert _row(table, "unit", NO_UNIT)["1"] == 1.5
    assert table.iloc[-1][TOTAL] == 16.5  # exactly the plan's total, thirds included
    assert table.iloc[-1]["share"] == 1.0


def test_small_plan_policies(small):
    lead = analysis.by_unit(small, "lead", by="year")
    assert _row(lead, "unit", "ก.")[2560] == 1.0
    assert "ค." not in set(lead["unit"])
    full = analysis.by_unit(small, "full", by="year")
    assert [_row(full, "unit", u)[2561] for u in ("ก.", "ข.", "ค.")] == [1.0, 3.0, 1.0]
    assert full.attrs["credited_total_mb"] == 5 * 3 + 1.5 + 10
    assert full.attrs["plan_total_mb"] == 16.5
    assert full.attrs["exceeds_plan_total"]


def test_small_plan_year_sums_have_no_float_noise(small):
    table = _data(analysis.by_year(small), "fiscal_year").set_index("fiscal_year")
    assert repr(float(table.loc[2562, "1"])) == "1.3"  # 1 + 0.3
    assert repr(float(analysis.by_year(small).iloc[-1][TOTAL])) == "16.5"
    # 1.2's yearly amounts 0.1 + 0.2 + 0.3 + 0.4 + 0.5 summed as floats in another order show noise
    assert 0.1 + 0.2 + 0.3 != 0.6
    assert repr(float(_row(analysis.by_project(small), "project_id", TOTAL)[2560])) == "3.1"  # 1 + 0.1 + 2
    assert repr(float(_data(analysis.by_project(small), "project_id").set_index("project_id").loc["1.2", "computed_mb"])) == "1.5"


def test_full_policy_does_not_exceed_when_every_project_has_one_unit(tmp_path):
    plan = make_plan(tmp_path / "one", [
        {"id": "1.1", "tactic": "1.1", "amounts": ["1"] * 5, "total": "5", "units": ["ก."]},
        {"id": "1.2", "tactic": "1.1", "amounts": ["2"] * 5, "total": "10", "units": ["ข."]},
    ])
    table = analysis.by_unit(plan, "full")
    assert not table.attrs["exceeds_plan_total"] and table.attrs["note"] == ""
    assert table.iloc[-1][TOTAL] == 15.0


def test_functions_do_not_modify_the_plan(small):
    before = {name: frame.copy() for name, frame in small.tables.items()}
    analysis.by_strategy(small)
    analysis.by_tactic(small)
    analysis.by_project(small)
    analysis.by_year(small)
    for policy in POLICIES:
        analysis.by_unit(small, policy, by="strategy")
        analysis.by_unit(small, policy, by="year")
    for level in analysis.LEVELS:
        analysis.printed_vs_computed(small, level)
    analysis.coverage(small)
    analysis.kpi_targets(small)
    for name, frame in small.tables.items():
        pd.testing.assert_frame_equal(frame, before[name])


@pytest.mark.parametrize("name", ["common", "strategy", "compare", "years", "allocation", "kpis"])
def test_doctests(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"coopanalysis.analysis.{name}"))
    assert result.failed == 0


# ---- the lead policy: first unit printed, not the alphabetically first ------------------------------


def test_lead_credits_the_first_unit_printed_not_the_alphabetically_first(tmp_path):
    # No seed project prints its units out of alphabetical order (3.4: กพท. สทล. สสจ. สสพ. สกก.,
    # 5.10: คสท. สนม., 8.u1: สทสจ. สสจ.), so this boundary needs a plan of its own.
    plan = make_plan(tmp_path / "lead", [
        {"id": "1.1", "tactic": "1.1", "amounts": ["1", "2", "3", "4", "5"], "total": "15", "units": ["สสจ.", "กพร."]},
        {"id": "1.2", "tactic": "1.1", "amounts": ["1"] * 5, "total": "5", "units": ["ข.", "ก.", "ค."]},
    ])
    for by, column in (("strategy", "1"), ("year", 2564)):
        table = analysis.by_unit(plan, "lead", by=by)
        assert _data(table, "unit")["unit"].tolist() == ["สสจ.", "ข."]  # by total: 15 before 5
        assert _row(table, "unit", "สสจ.")[column] == (15 if by == "strategy" else 5)
        assert _row(table, "unit", "ข.")[column] == (5 if by == "strategy" else 1)
    assert "กพร." not in set(analysis.by_unit(plan, "lead")["unit"])
    # 'equal' and 'full' credit every unit, whatever the order
    assert set(_data(analysis.by_unit(plan, "equal"), "unit")["unit"]) == {"สสจ.", "กพร.", "ข.", "ก.", "ค."}


# ---- public helpers for charts and reports ------------------------------------------------------------


def test_check_strategy(seed):
    from coopanalysis.errors import UnknownStrategyError
    from coopanalysis.model.figures import Figures

    assert analysis.check_strategy(seed, "๕") == "5"
    assert analysis.check_strategy(Figures.of(seed), " 8 ") == "8"
    assert analysis.check_strategy(seed, None) is None
    with pytest.raises(UnknownStrategyError, match=r"unknown strategy_id '2'; the plan has 1, 3, 4, 5, 6, 7, 8"):
        analysis.check_strategy(seed, "2")


def test_exact_sum():
    assert analysis.exact_sum([0.1, 0.2]) == 0.3  # 0.1 + 0.2 == 0.30000000000000004 in floats
    assert analysis.exact_sum([float("nan"), 0.5, None]) == 0.5
    assert math.isnan(analysis.exact_sum([float("nan"), None]))
    assert math.isnan(analysis.exact_sum([]))


def test_hierarchy_table(seed):
    table = analysis.hierarchy_table(seed)
    assert list(table.columns) == ["strategy_id", "tactic_id", "tactic_key", "project_id", "name", "amount_mb",
                                   "amount_text", "basis"]
    # every project with an amount: 1.1, 1.2, 3.4, 4.1, 4.2, 5.1-5.10, 6.1, 6.2, 8.u1, 8.u2 (1.3-1.11 have none)
    assert table["project_id"].tolist() == ["1.1", "1.2", "3.4", "4.1", "4.2"] + [f"5.{i}" for i in range(1, 11)] + [
        "6.1", "6.2", "8.u1", "8.u2"]
    assert table.attrs["without_amount"] == [f"1.{i}" for i in range(3, 12)]
    one = _row(table, "project_id", "1.1")
    assert (one["tactic_id"], one["tactic_key"], one["amount_mb"], one["basis"]) == ("", "1.-", 251, "yearly")
    seven = _row(table, "project_id", "5.7")
    assert (seven["tactic_key"], seven["amount_text"], seven["basis"]) == ("5.2", "60", "printed")
    assert _row(table, "project_id", "8.u1")["amount_text"] == "80.5"
    assert analysis.hierarchy_table(seed, "๔")["project_id"].tolist() == ["4.1", "4.2"]


def test_excluded_projects(seed):
    table = analysis.excluded_projects(seed)
    assert list(table.columns) == ["project_id", "strategy_id", "name", "basis", "amount_mb", "amount_text"]
    assert table["project_id"].tolist() == [f"1.{i}" for i in range(3, 12)] + ["5.1", "5.2", "5.7"]
    printed = table[table["basis"] == "printed"]
    assert dict(zip(printed["project_id"], printed["amount_text"])) == {"5.1": "13", "5.2": "13", "5.7": "60"}
    assert printed["amount_mb"].tolist() == [13.0, 13.0, 60.0]
    listed = table[table["basis"] == "none"]
    assert listed["amount_mb"].isna().all() and set(listed["amount_text"]) == {""}
    assert analysis.excluded_projects(seed, "5")["project_id"].tolist() == ["5.1", "5.2", "5.7"]
    assert analysis.excluded_projects(seed, "4").empty
    # the same list by_year leaves out
    assert analysis.by_year(seed).attrs["excluded"] == table["project_id"].tolist()


def test_unit_policies(seed):
    table = analysis.unit_policies(seed)
    assert list(table.columns) == ["unit", "unit_name", "equal_mb", "lead_mb", "full_mb"]
    rows = {u: (e, le, f) for u, e, le, f in zip(table["unit"], table["equal_mb"], table["lead_mb"], table["full_mb"])}
    # คสท.: 5.3-5.9 alone (14 + 10 + 10 + 8 + 60 + 10 + 10 = 122) and 5.10 with สนม. (10)
    assert rows["คสท."] == (127, 132, 132)
    # กพร.: 4.1 with กพรง. (25) and 8.u2 alone (80.5)
    assert rows["กพร."] == (12.5 + 80.5, 25 + 80.5, 25 + 80.5)
    # สสจ.: 3.4 with four others (25), 8.u1 after สทสจ. (80.5)
    assert rows["สสจ."] == (5 + 40.25, 0, 25 + 80.5)
    assert rows[NO_UNIT] == (26, 26, 26)  # 5.1 and 5.2
    assert rows[TOTAL] == (700, 700, 940.5)
    assert table["unit"].tolist()[:3] == ["สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์", "คสท.", "กพร."]
    assert table["unit"].tolist()[-2:] == [NO_UNIT, TOTAL]


def test_kpi_table_as_printed(seed):
    # strategy 4, KPI 1 (document lines 17-18): '- ๕๐ ๖๐ ๗๐ ๘๐' then a second row '๒๐ ๒๐ ๒๐ ๒๐ ๒๐'
    table = analysis.kpi_table(seed, "4")
    assert list(table.columns) == ["kpi_id", "name", "unit", *YEARS]
    assert table["kpi_id"].tolist() == ["1", "1 (2)", "2", "2 (2)"]
    first = table.iloc[0]
    assert [first[y] for y in YEARS] == ["", "50", "60", "70", "80"]
    assert [table.iloc[1][y] for y in YEARS] == ["20"] * 5
    assert set(table["unit"]) == {"ร้อยละ"}
    eight = analysis.kpi_table(seed, "8")
    assert [eight.iloc[1][y] for y in YEARS] == ["", "20", "40", "60", "80"]
    assert analysis.kpi_table(seed, "1").empty


def test_functions_accept_figures(seed):
    from coopanalysis.model.figures import Figures

    figures = Figures.of(seed)
    assert analysis.by_strategy(figures).equals(analysis.by_strategy(seed))
    assert analysis.by_unit(figures, "equal", by="year").equals(analysis.by_unit(seed, "equal", by="year"))
    assert analysis.coverage(figures).equals(analysis.coverage(seed))


def test_by_unit_order_shares_note_and_attrs(seed):
    table = analysis.by_unit(seed, "equal")
    # by decreasing total; ties in Thai dictionary order; no unit, then the totals row, last
    assert table["unit"].tolist() == [
        "สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์", "คสท.", "กพร.", "สสจ.", "สทสจ.", "กฟนง.", "กพท.",
        "กพพ.", "กพรง.", "สกก.", "สทล.", "สนม.", "สสพ.", NO_UNIT, TOTAL,
    ]
    assert table[TOTAL].tolist() == [286, 127, 93, 45.25, 40.25, 20, 17.5, 12.5, 12.5, 5, 5, 5, 5, 26, 700]
    assert list(table.index) == list(range(15))  # one plain index, the totals row included
    assert _row(table, "unit", "คสท.")["share"] == 127 / 700
    assert table.attrs["columns"] == ["1", "3", "4", "5", "6", "8"] and table.attrs["by"] == "strategy"
    assert table.attrs["strategy_id"] is None and table.attrs["policy_label"] == POLICIES["equal"]
    by_year = analysis.by_unit(seed, "lead", by="year", strategy_id="๘")
    assert by_year.attrs["columns"] == YEARS and by_year.attrs["strategy_id"] == "8"
    # 8.u1 (สทสจ. สสจ.) and 8.u2 (กพร.): 0.5 20 20 20 20 each, all to the first unit printed
    assert _row(by_year, "unit", "สทสจ.")[YEARS].tolist() == [0.5, 20, 20, 20, 20]
    assert "สสจ." not in set(by_year["unit"])
    full = analysis.by_unit(seed, "full")
    assert full.attrs["note"] == ("นับเต็มจำนวนให้ทุกหน่วยงานที่รับผิดชอบร่วมกัน ยอดรวม 940.5 ล้านบาท "
                                  "จึงสูงกว่างบประมาณของแผน 700 ล้านบาท")
    assert full.iloc[-1]["share"] == 940.5 / 700


def test_unit_names_prefer_the_plan_then_the_glossary(seed, tmp_path):
    from coopanalysis.sources.units import Glossary

    names = pd.DataFrame({"unit": ["คสท.", "สนม."], "name": ["ชื่อจากตาราง", ""]})
    plan = seed.replace(units=names)
    glossary = Glossary.from_mapping({"คสท.": {"name": "ชื่อจากอภิธาน"}, "สนม.": {"name": "ชื่อสนม"}})
    table = analysis.by_unit(plan, "equal", glossary=glossary)
    assert _row(table, "unit", "คสท.")["unit_name"] == "ชื่อจากตาราง"  # units.csv first
    assert _row(table, "unit", "สนม.")["unit_name"] == "ชื่อสนม"  # the glossary where units.csv has none
    assert _row(table, "unit", "กพร.")["unit_name"] == ""  # neither
    assert _row(table, "unit", NO_UNIT)["unit_name"] == ""


def test_by_unit_cells_a_unit_is_not_credited_are_zero(seed):
    table = analysis.by_unit(seed, "equal")
    # กพร.: half of 4.1 (25) in strategy 4 and all of 8.u2 (80.5) in strategy 8, nothing elsewhere
    assert _row(table, "unit", "กพร.")[["1", "3", "4", "5", "6", "8"]].tolist() == [0, 0, 12.5, 0, 0, 80.5]
    assert _row(table, "unit", NO_UNIT)[["1", "3", "4", "5", "6", "8"]].tolist() == [0, 0, 0, 26, 0, 0]
    total = table.iloc[-1]
    assert total[["1", "3", "4", "5", "6", "8"]].tolist() == [286, 25, 50, 158, 20, 161]
    assert total["unit_name"] == "" and total["policy"] == "equal"


def test_by_unit_with_nothing_to_allocate(seed):
    table = analysis.by_unit(seed, "equal", strategy_id="7")  # printed 161.5, no project listed
    assert table["unit"].tolist() == [TOTAL]
    assert table.attrs["columns"] == [] and table.attrs["plan_total_mb"] == 0
    assert table.iloc[0][TOTAL] == 0 and math.isnan(table.iloc[0]["share"])
    assert not table.attrs["exceeds_plan_total"]


def test_by_unit_strategy_columns_in_document_order(tmp_path):
    plan = make_plan(tmp_path / "ten", [
        {"id": "9.1", "tactic": "9.1", "amounts": ["1"] * 5, "total": "5", "units": ["ก."]},
        {"id": "10.1", "tactic": "10.1", "amounts": ["2"] * 5, "total": "10", "units": ["ก."]},
    ])
    table = analysis.by_unit(plan, "equal")
    assert table.attrs["columns"] == ["9", "10"]  # not '10' before '9'
    assert list(table.columns) == ["unit", "unit_name", "9", "10", TOTAL, "share", "policy"]


def test_unknown_policy_message_lists_the_policies(seed):
    with pytest.raises(ValueError, match=r"^unknown policy 'split'; valid policies: 'equal', 'lead', 'full'$"):
        analysis.by_unit(seed, "split")


def test_unit_names_from_a_units_table_with_gaps(seed):
    from coopanalysis.sources.units import Glossary

    names = pd.DataFrame({"unit": ["คสท.", "สนม.", "กพร.", "ค.ส.ท."], "name": ["ชื่อแรก", None, float("nan"), "ชื่อที่สอง"]},
                         dtype=object)
    glossary = Glossary.from_mapping({"คสท.": {"aliases": ["ค.ส.ท."]}})
    table = analysis.unit_policies(seed.replace(units=names), glossary=glossary)
    assert _row(table, "unit", "คสท.")["unit_name"] == "ชื่อแรก"  # the first name given for the unit
    assert _row(table, "unit", "สนม.")["unit_name"] == "" and _row(table, "unit", "กพร.")["unit_name"] == ""
    assert _row(table, "unit", TOTAL)["unit_name"] == ""
    bundled = analysis.unit_policies(seed)
    full = "สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์"
    assert _row(bundled, "unit", full)["unit_name"] == full


def test_check_strategy_rejects_other_sources():
    with pytest.raises(TypeError, match="expected a Plan or Figures, got str"):
        analysis.check_strategy("data/plan", "5")


def test_hierarchy_table_of_a_strategy_without_projects_is_empty_not_an_error(seed):
    """Strategy 7 prints 161.5 million baht (seed line 102) but has no project detail."""
    from coopanalysis.analysis import hierarchy_table

    table = hierarchy_table(seed, "7")
    assert table.empty
    assert list(table.columns) == ["strategy_id", "tactic_id", "tactic_key", "project_id", "name", "amount_mb",
                                   "amount_text", "basis"]
    assert table.attrs["without_amount"] == []
