"""The charts: what is drawn (bars, heights, ticks, labels), Thai digits, fonts, reproducible files.

Every chart test fails on any 'Glyph ... missing' warning or log message.
"""

from __future__ import annotations

import doctest
import io
import logging
import re
import unicodedata
import warnings
from pathlib import Path

import matplotlib
from helpers import LogCollector  # tests/helpers.py

matplotlib.use("Agg")

import csv  # noqa: E402
from decimal import Decimal  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from coopanalysis import charts, paths
from coopanalysis.charts import style
from coopanalysis.charts.base import DIFF_BG  # noqa: E402
from coopanalysis.model.plan import load  # noqa: E402
from coopanalysis.text import textwrap_th
from coopanalysis.text.textwrap_th import display_width, fill, wrap  # noqa: E402

pytestmark = pytest.mark.slow  # renders every chart, often to PNG/SVG: about 40 s of CPU

YEARS = ["2560", "2561", "2562", "2563", "2564"]
THAI_YEARS = ["๒๕๖๐", "๒๕๖๑", "๒๕๖๒", "๒๕๖๓", "๒๕๖๔"]
GLYPH_PROBLEM = re.compile(r"glyph|missing from (current )?font", re.IGNORECASE)
ARABIC = re.compile(r"[0-9]")
THAI_DIGIT = re.compile(r"[๐-๙]")


# ---- expected figures, read from data/plan/*.csv with a few independent lines ------------------


def _csv(name: str) -> list[dict]:
    with open(paths.PLAN_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def project_amounts() -> dict[str, tuple[str, Decimal]]:
    """project -> (strategy, five-year amount): the sum of its yearly amounts in budget.csv,
    else its printed total in projects.csv; projects with neither are left out."""
    yearly: dict[str, Decimal] = {}
    for row in _csv("budget.csv"):
        if row["amount_mb"]:
            yearly[row["project_id"]] = yearly.get(row["project_id"], Decimal(0)) + Decimal(row["amount_mb"])
    out = {}
    for row in _csv("projects.csv"):
        pid = row["project_id"]
        if pid in yearly:
            out[pid] = (row["strategy_id"], yearly[pid])
        elif row["stated_total_mb"]:
            out[pid] = (row["strategy_id"], Decimal(row["stated_total_mb"]))
    return out


def year_totals() -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for row in _csv("budget.csv"):
        if row["amount_mb"]:
            year = int(row["fiscal_year"])
            totals[year] = totals.get(year, Decimal(0)) + Decimal(row["amount_mb"])
    return totals


def _project_units() -> dict[str, list[str]]:
    units: dict[str, list[str]] = {}
    for row in _csv("project_units.csv"):
        units.setdefault(row["project_id"], []).append(row["unit"])
    return units


def unit_row_totals_equal() -> dict[str, Decimal]:
    """Each unit's share under the 'equal' policy: a project's amount split evenly among its
    units; a project naming no unit goes to 'ไม่ระบุหน่วยงาน'."""
    units = _project_units()
    totals: dict[str, Decimal] = {}
    for pid, (_, amount) in project_amounts().items():
        names = units.get(pid) or ["ไม่ระบุหน่วยงาน"]
        for unit in names:
            totals[unit] = totals.get(unit, Decimal(0)) + amount / len(names)
    return totals


@pytest.fixture(scope="module")
def seed():
    assert (paths.PLAN_DIR / "plan.json").is_file(), "data/plan is committed: run `make data` to rebuild it"
    return load(paths.PLAN_DIR)


_Collect = LogCollector


@pytest.fixture(autouse=True)
def no_missing_glyphs():
    """Fail the test on any glyph warning (warnings module or matplotlib logging)."""
    handler = _Collect()
    loggers = [logging.getLogger(n) for n in ("matplotlib", "matplotlib.font_manager", "matplotlib.backends",
                                                "matplotlib.text", "matplotlib.mathtext")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.WARNING)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for lg, level in zip(loggers, levels):
        lg.removeHandler(handler)
        lg.setLevel(level)
    problems = [m for m in [str(w.message) for w in caught] + handler.messages if GLYPH_PROBLEM.search(m)]
    assert problems == []


def _render(fig) -> None:
    """Draw to PNG and SVG in memory (outside the house style, as a notebook would)."""
    for fmt in ("png", "svg"):
        fig.savefig(io.BytesIO(), format=fmt)


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def _ticklabels(axis) -> list[str]:
    return [t.get_text() for t in axis.get_ticklabels()]


def _bars(container) -> list[float]:
    return [round(p.get_height(), 9) for p in container.patches]


def _by_gid(fig, gid: str) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_gid() == gid]


ALL_CHARTS = [
    ("strategy_budget", {}),
    ("strategy_budget", {"strategy_id": "5"}),
    ("budget_by_year", {}),
    ("budget_by_year", {"strategy_id": "5"}),
    ("unit_heatmap", {"policy": "equal"}),
    ("unit_heatmap", {"policy": "full", "by": "year"}),
    ("gaps", {"level": "strategy"}),
    ("gaps", {"level": "project"}),
    ("gaps", {"level": "tactic", "strategy_id": "5"}),
    ("hierarchy", {}),
    ("hierarchy", {"strategy_id": "5"}),
    ("kpi_targets", {}),
    ("kpi_targets", {"strategy_id": "8"}),
]


# ---- every chart ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), ALL_CHARTS)
def test_renders_in_noto_sans_thai_without_global_state(seed, name, kwargs):
    before = dict(matplotlib.rcParams)
    fignums = plt.get_fignums()
    fig = getattr(charts, name)(seed, **kwargs)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert plt.get_fignums() == fignums  # not registered with pyplot
    assert dict(matplotlib.rcParams) == before  # no style left behind
    _render(fig)
    noto = {p.resolve() for p in style.font_files()}
    for text in fig.findobj(Text):
        if text.get_text():
            path = Path(font_manager.findfont(text.get_fontproperties(), fallback_to_default=False))
            assert path.resolve() in noto, (text.get_text(), path)
    # title says what and when
    assert "พ.ศ. 2560-2564" in fig.get_suptitle()


@pytest.mark.parametrize(("name", "kwargs"), ALL_CHARTS)
def test_thai_digits_everywhere_or_nowhere(seed, name, kwargs):
    thai = getattr(charts, name)(seed, thai_digits=True, **kwargs)
    _render(thai)
    texts = _texts(thai)
    assert "พ.ศ. ๒๕๖๐-๒๕๖๔" in thai.get_suptitle()
    assert not [t for t in texts if ARABIC.search(t)]
    arabic = getattr(charts, name)(seed, thai_digits=False, **kwargs)
    assert not [t for t in _texts(arabic) if THAI_DIGIT.search(t)]


# ---- 1. strategy_budget ------------------------------------------------------------------------------


def test_strategy_budget_bars(seed):
    fig = charts.strategy_budget(seed)
    ax = fig.axes[0]
    printed, computed = ax.containers
    assert printed.get_label() == "ตามเอกสาร" and computed.get_label() == "จากรายโครงการ"
    # printed totals: strategies 5, 6, 7, 8 only (summary page, lines 46 and 102 of the document)
    assert _bars(printed) == [125.0, 20.0, 161.5, 121.0]
    # computed: the projects' amounts per strategy, summed here from data/plan/*.csv; by hand:
    # 1 = 251 + 35 (sheets of 1.1, 1.2), 3 = 25, 4 = 25 + 25, 5 = 13 + 13 + 60 printed + 72 yearly,
    # 6 = 10 + 10, 8 = 80.5 + 80.5; strategy 7 has no project
    amounts = project_amounts()
    by_strategy = {}
    for sid, amount in amounts.values():
        by_strategy[sid] = by_strategy.get(sid, 0) + amount
    assert {k: float(v) for k, v in by_strategy.items()} == {"1": 286, "3": 25, "4": 50, "5": 158, "6": 20, "8": 161}
    assert _bars(computed) == [286.0, 25.0, 50.0, 158.0, 20.0, 161.0]
    ticks = _ticklabels(ax.xaxis)
    assert [t.split("\n")[0] for t in ticks] == [f"ยุทธศาสตร์ที่ {s}" for s in ["1", "3", "4", "5", "6", "7", "8"]]
    labels = [t.get_text() for t in ax.texts]
    for value in ("125", "20", "161.5", "121"):
        assert value in labels
    # every bar in its strategy's colour
    ids = ["1", "3", "4", "5", "6", "8"]
    assert [to_hex(p.get_facecolor()) for p in computed.patches] == [style.strategy_color(s).lower() for s in ids]
    # strategy 7 has no project: said so in place of the bar
    assert len(_by_gid(fig, "missing-computed")) == 1
    assert len(_by_gid(fig, "missing-printed")) == 3  # strategies 1, 3, 4
    assert "ล้านบาท" in ax.get_ylabel()


def test_strategy_budget_thai_digits(seed):
    fig = charts.strategy_budget(seed, thai_digits=True)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert "๑๖๑.๕" in labels and "๑๒๕" in labels
    assert _ticklabels(ax.xaxis)[0].startswith("ยุทธศาสตร์ที่ ๑")
    _render(fig)
    yticks = [t for t in _ticklabels(ax.yaxis) if t]
    assert yticks and all(THAI_DIGIT.search(t) for t in yticks)


def test_strategy_budget_per_strategy_shows_tactics(seed):
    fig = charts.strategy_budget(seed, strategy_id="5")
    printed, _ = fig.axes[0].containers
    assert _bars(printed) == [60.0, 35.0, 10.0, 10.0, 10.0]
    assert [t.split("\n")[0] for t in _ticklabels(fig.axes[0].xaxis)] == [f"กลยุทธ์ 5.{i}" for i in range(1, 6)]
    assert "ยุทธศาสตร์ที่ 5" in fig.get_suptitle()


# ---- 2. budget_by_year ------------------------------------------------------------------------------------


def test_budget_by_year_stacks(seed):
    fig = charts.budget_by_year(seed)
    ax = fig.axes[0]
    assert _ticklabels(ax.xaxis) == YEARS
    by_label = {c.get_label().split("\n")[0]: c for c in ax.containers}
    assert list(by_label) == [f"ยุทธศาสตร์ที่ {s}" for s in ["1", "3", "4", "5", "6", "8"]]
    assert _bars(by_label["ยุทธศาสตร์ที่ 4"]) == [10.0] * 5
    assert _bars(by_label["ยุทธศาสตร์ที่ 1"]) == [56.0, 56.0, 57.0, 58.0, 59.0]  # 1.1 + 1.2 (sheets)
    assert [to_hex(p.get_facecolor()) for p in by_label["ยุทธศาสตร์ที่ 4"].patches] == [style.strategy_color("4").lower()] * 5
    # stacked: each layer starts where the one below ends
    containers = ax.containers
    for lower, upper in zip(containers, containers[1:]):
        for a, b in zip(lower.patches, upper.patches):
            assert b.get_y() == pytest.approx(a.get_y() + a.get_height())
    # year totals: every yearly amount of data/plan/budget.csv summed per year
    assert year_totals() == {2560: 86, 2561: 147, 2562: 126, 2563: 127, 2564: 128}
    assert [t.get_text() for t in _by_gid(fig, "year-total")] == ["86", "147", "126", "127", "128"]
    assert "5.1" in fig.get_supxlabel()  # the note names what is left out


def test_budget_by_year_thai_digits(seed):
    fig = charts.budget_by_year(seed, thai_digits=True)
    assert _ticklabels(fig.axes[0].xaxis) == THAI_YEARS
    assert [t.get_text() for t in _by_gid(fig, "year-total")][0] == "๘๖"


def test_budget_by_year_one_strategy_by_project(seed):
    fig = charts.budget_by_year(seed, strategy_id="4")
    ax = fig.axes[0]
    assert [c.get_label().split(" ")[0] for c in ax.containers] == ["4.1", "4.2"]
    assert [_bars(c) for c in ax.containers] == [[5.0] * 5, [5.0] * 5]


# ---- 3. unit_heatmap -------------------------------------------------------------------------------------


def _cells(fig) -> list[str]:
    return [t.get_text() for t in _by_gid(fig, "cell")]


def test_unit_heatmap_equal_green_coop(seed):
    fig = charts.unit_heatmap(seed, "equal", by="year", strategy_id="3")
    ax = fig.axes[0]
    image = ax.images[0].get_array()
    assert image.shape == (5, 5)
    assert np.allclose(np.asarray(image, dtype=float), 1.0)
    assert _cells(fig) == ["1"] * 25
    assert [t.get_text() for t in _by_gid(fig, "column-total")] == ["5"] * 5
    assert [t.get_text() for t in _by_gid(fig, "grand-total")] == ["25"]
    rows = [t.split("\n")[0] for t in _ticklabels(ax.yaxis)]
    assert sorted(rows[:-1]) == sorted(["กพท.", "สทล.", "สสจ.", "สสพ.", "สกก."]) and rows[-1] == "รวม"
    assert [t for t in _ticklabels(ax.xaxis)] == YEARS + ["รวม"]
    assert "แบ่งเท่ากัน" in fig.get_suptitle()
    assert "แบ่งงบประมาณของโครงการเท่า ๆ กัน" in ax.get_title(loc="left").replace("\n", "")


def test_unit_heatmap_lead_and_full(seed):
    lead = charts.unit_heatmap(seed, "lead", by="strategy", strategy_id="3")
    assert _cells(lead) == ["25"]
    assert "หน่วยงานหลัก" in lead.get_suptitle()
    full = charts.unit_heatmap(seed, "full")
    assert "นับเต็ม" in full.get_suptitle()
    note = full.get_supxlabel().replace("\n", "")
    assert "สูงกว่างบประมาณของแผน" in note
    # every project counted in full for each of its units, summed here from the CSVs; by hand:
    # 286 (1.x) + 5 x 25 (3.4) + 2 x 25 + 2 x 25 (4.x) + 26 (5.1, 5.2: no unit) + 122 (5.3-5.9)
    # + 2 x 10 (5.10) + 20 (6.x) + 2 x 80.5 (8.u1) + 80.5 (8.u2) = 940.5
    units = _project_units()
    credited = sum(max(len(units.get(pid, [])), 1) * amount for pid, (_, amount) in project_amounts().items())
    assert credited == Decimal("940.5")
    assert [t.get_text() for t in _by_gid(full, "grand-total")] == ["940.5"]
    # one colour strip per strategy column, in the strategy's colour
    strips = [p for p in full.axes[0].patches if p.get_gid() == "strategy-strip"]
    assert [to_hex(p.get_facecolor()) for p in strips] == [style.strategy_color(s).lower() for s in ["1", "3", "4", "5", "6", "8"]]


def test_unit_heatmap_row_totals(seed):
    """Each unit's row total (equal split), against the CSVs; a few worked by hand:
    คสท. = 14 + 10 + 10 + 8 + 60 + 10 + 10 (5.3-5.9) + 10 / 2 (5.10) = 127,
    กพร. = 25 / 2 (4.1) + 80.5 (8.u2) = 93, สสจ. = 25 / 5 (3.4) + 80.5 / 2 (8.u1) = 45.25,
    ไม่ระบุหน่วยงาน = 13 + 13 (5.1, 5.2) = 26."""
    fig = charts.unit_heatmap(seed, "equal")
    ax = fig.axes[0]
    rows = [t.replace("\n", "") for t in _ticklabels(ax.yaxis)][:-1]
    totals = [t.get_text() for t in _by_gid(fig, "row-total")]
    shown = dict(zip(rows, totals))
    assert len(rows) == len(totals)
    hand = {"คสท.": "127", "กพร.": "93", "สสจ.": "45.25", "สทสจ.": "40.25", "กฟนง.": "20", "ไม่ระบุหน่วยงาน": "26"}
    assert {k: shown[k] for k in hand} == hand
    expected = unit_row_totals_equal()
    assert len(expected) == len(rows)
    for unit, amount in expected.items():
        if unit in shown:  # a unit's label may be its full name (units glossary)
            assert shown[unit] == f"{amount.normalize():,f}"
    # cells of a row add up to its total; the grand total is the plan's 700
    assert [t.get_text() for t in _by_gid(fig, "grand-total")] == ["700"]
    cells = [t.get_text() for t in _by_gid(fig, "cell")]
    n_cols = len(cells) // len(rows)
    for i, total in enumerate(totals):
        values = [Decimal(c.replace(",", "")) for c in cells[i * n_cols:(i + 1) * n_cols] if c != "–"]
        assert sum(values) == Decimal(total.replace(",", ""))


def test_unit_heatmap_needs_a_policy(seed):
    with pytest.raises(ValueError, match="policy is required"):
        charts.unit_heatmap(seed)
    with pytest.raises(ValueError, match="unknown policy 'half'"):
        charts.unit_heatmap(seed, "half")


# ---- 4. gaps -----------------------------------------------------------------------------------------------


def test_gaps_strategy(seed):
    fig = charts.gaps(seed, level="strategy")
    ax = fig.axes[0]
    printed, computed = ax.collections[:2]
    # printed: summary page (5, 6, 7, 8); computed: the projects' amounts (see test_strategy_budget_bars)
    assert [p[0] for p in printed.get_offsets()] == [125.0, 20.0, 161.5, 121.0]
    assert [p[0] for p in computed.get_offsets()] == [286.0, 25.0, 50.0, 158.0, 20.0, 161.0]
    labels = [t.get_text() for t in _by_gid(fig, "gap-label")]
    by_id = dict(zip(["1", "3", "4", "5", "6", "7", "8"], labels))
    assert len(labels) == 7
    assert by_id == {"1": "ไม่มียอดตามเอกสาร", "3": "ไม่มียอดตามเอกสาร", "4": "ไม่มียอดตามเอกสาร",
                     "5": "+33", "6": "ตรงกัน", "7": "คำนวณไม่ได้", "8": "+40"}
    shaded = [p for p in ax.patches if to_hex(p.get_facecolor()) == DIFF_BG.lower()]
    assert len(shaded) == 2  # strategies 5 and 8
    assert [t.split(" ")[0] + " " + t.split(" ")[1] for t in _ticklabels(ax.yaxis)][0] == "ยุทธศาสตร์ที่ 1"
    assert "ยุทธศาสตร์ที่ไม่ตรงกัน 2 จาก 7 รายการ" in ax.get_title(loc="left").replace("\n", " ")


def test_gaps_project_leaves_out_projects_without_figures(seed):
    fig = charts.gaps(seed, level="project")
    # 28 projects; 1.3-1.11 are only listed by name, with no figure at all
    assert len(_by_gid(fig, "gap-label")) == len(project_amounts()) == 19
    assert "ไม่แสดง 9 โครงการ" in fig.get_supxlabel()
    assert _ticklabels(fig.axes[0].yaxis)[0].startswith("1.1 ")


def test_gaps_rejects_unknown_level(seed):
    with pytest.raises(ValueError, match="level must be one of"):
        charts.gaps(seed, level="plan")


# ---- 5. hierarchy ------------------------------------------------------------------------------------------


def test_hierarchy_areas_are_amounts(seed):
    fig = charts.hierarchy(seed)
    ax = fig.axes[0]
    rects = {p.get_gid().split(":", 1)[1]: p for p in ax.patches if (p.get_gid() or "").startswith("project:")}
    amounts = {pid: float(amount) for pid, (_, amount) in project_amounts().items() if amount > 0}
    assert set(rects) == set(amounts)
    area = {k: p.get_width() * p.get_height() for k, p in rects.items()}
    scale = area["3.4"] / amounts["3.4"]
    for pid, value in amounts.items():
        assert area[pid] == pytest.approx(value * scale, rel=1e-9)
    # printed-basis projects are hatched, yearly ones are not
    assert rects["5.7"].get_hatch() == "//" and rects["3.4"].get_hatch() is None
    # colours: the strategy's hue
    assert to_hex(rects["3.4"].get_facecolor()) == style.strategy_color("3").lower()
    strategy_labels = [t.get_text() for t in fig.findobj(Text) if (t.get_gid() or "").startswith("strategy-label:")]
    assert any(t.startswith("ยุทธศาสตร์ที่ 1 · 286") for t in strategy_labels)
    assert "ไม่แสดง 9 โครงการ" in fig.get_supxlabel()


def test_hierarchy_labels_fit_their_rectangles(seed):
    fig = charts.hierarchy(seed)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    rects = {p.get_gid().split(":", 1)[1]: p for p in ax.patches if (p.get_gid() or "").startswith("project:")}
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label:")]
    assert len(labels) >= len(rects) - 2
    for label in labels:
        rect = rects[label.get_gid().split(":", 1)[1]].get_window_extent(renderer)
        box = label.get_window_extent(renderer)
        assert rect.x0 <= box.x0 and box.x1 <= rect.x1 and rect.y0 <= box.y0 and box.y1 <= rect.y1


# ---- 6. kpi_targets ---------------------------------------------------------------------------------------


def test_kpi_targets_small_multiples(seed):
    fig = charts.kpi_targets(seed)
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    # KPIs printed: 4.1, 4.2, 5.1, 5.2, 5.3, 6.1, 6.2, 8.1, 8.2
    keys = [("4", "1"), ("4", "2"), ("5", "1"), ("5", "2"), ("5", "3"), ("6", "1"), ("6", "2"), ("8", "1"), ("8", "2")]
    assert len(panels) == len(keys) == 9
    assert [p.get_title(loc="left").split("\n")[0] for p in panels][:2] == [
        "ยุทธศาสตร์ที่ 4 ตัวชี้วัด 1", "ยุทธศาสตร์ที่ 4 ตัวชี้วัด 2"]
    by_key = dict(zip(keys, panels))
    eight = by_key[("8", "1")]
    assert _bars(eight.containers[0]) == [20.0, 40.0, 60.0, 80.0]
    assert [t.get_text() for t in eight.texts if t.get_gid() == "no-target"] == ["–"]  # 2560 printed '-'
    assert _ticklabels(eight.xaxis) == YEARS
    assert eight.get_ylabel() == "ร้อยละ"
    assert to_hex(eight.containers[0].patches[0].get_facecolor()) == style.strategy_color("8").lower()
    # 4.1 has a second target row: a second, hatched series
    four = by_key[("4", "1")]
    assert len(four.containers) == 2 and four.containers[1].patches[0].get_hatch() == "///"
    assert _bars(four.containers[0]) == [50.0, 60.0, 70.0, 80.0]
    # 5.3 prints no targets
    assert [t.get_text() for t in by_key[("5", "3")].texts if t.get_gid() == "no-targets"] == ["ไม่มีค่าเป้าหมายในเอกสาร"]


def test_kpi_series_have_their_own_heights(seed):
    """Document lines 17-20: KPI 4.1 prints '- 50 60 70 80' and under it '20 20 20 20 20';
    KPI 4.2 '- 20 20 20 20' and '20 20 20 20 20'; 6.2 (line 85) '10 - - - -'."""
    fig = charts.kpi_targets(seed, strategy_id="4")
    first, second = fig.axes[0].containers
    assert _bars(first) == [50.0, 60.0, 70.0, 80.0]
    assert _bars(second) == [20.0] * 5
    # series 1 sits left of series 2 in every year it has; 2560 has series 2 only
    xs1 = [p.get_x() + p.get_width() / 2 for p in first.patches]
    xs2 = [p.get_x() + p.get_width() / 2 for p in second.patches]
    assert all(a < b for a, b in zip(xs1, xs2[1:])) and xs2[0] < xs1[0]
    assert [p.get_hatch() for p in second.patches] == ["///"] * 5 and first.patches[0].get_hatch() is None
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_gid() != "no-target"]
    assert labels == ["50", "60", "70", "80"] + ["20"] * 5
    k2_first, k2_second = fig.axes[1].containers
    assert _bars(k2_first) == [20.0] * 4 and _bars(k2_second) == [20.0] * 5
    six = charts.kpi_targets(seed, strategy_id="6").axes[1]
    assert _bars(six.containers[0]) == [10.0]
    assert len([t for t in six.texts if t.get_gid() == "no-target"]) == 4


def test_kpi_targets_one_strategy_thai(seed):
    fig = charts.kpi_targets(seed, strategy_id="6", thai_digits=True)
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert len(panels) == 2
    assert panels[0].get_title(loc="left").startswith("ยุทธศาสตร์ที่ ๖ ตัวชี้วัด ๑")
    assert _ticklabels(panels[0].xaxis) == THAI_YEARS
    assert [t.get_text() for t in panels[0].texts if t.get_gid() != "no-target"] == ["๘๐"] * 4


# ---- colours are the same in every chart -----------------------------------------------------------------


def test_strategy_colours_agree_across_charts(seed):
    budget = charts.strategy_budget(seed).axes[0].containers[1]
    ids = ["1", "3", "4", "5", "6", "8"]  # the strategies with projects
    first = dict(zip(ids, [to_hex(p.get_facecolor()) for p in budget.patches]))
    yearly = charts.budget_by_year(seed).axes[0].containers
    second = {c.get_label().split("\n")[0].split()[-1]: to_hex(c.patches[0].get_facecolor()) for c in yearly}
    for sid, colour in second.items():
        assert first[sid] == colour == style.strategy_color(sid).lower()


# ---- save --------------------------------------------------------------------------------------------------


def test_save_is_reproducible_and_atomic(seed, tmp_path):
    fig = charts.gaps(seed)
    first = charts.save(fig, tmp_path / "a" / "gaps")
    assert [p.name for p in first] == ["gaps.png", "gaps.svg"]
    contents = [p.read_bytes() for p in first]
    second = charts.save(fig, tmp_path / "a" / "gaps.png")  # a suffix is replaced, not doubled
    assert [p.read_bytes() for p in second] == contents
    # a new figure from the same data gives the same bytes
    third = charts.save(charts.gaps(seed), tmp_path / "b" / "gaps")
    assert [p.read_bytes() for p in third] == contents
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["gaps.png", "gaps.svg"]  # no temp files left
    png, svg = contents
    assert png.startswith(b"\x89PNG") and b"Software" not in png
    assert b"<dc:date>" not in svg and b"<text" not in svg


def test_figures_draw_in_thai_outside_the_style(seed):
    """Ticks are realised inside the house style, so a later draw (e.g. a notebook's
    inline display, outside style_context) still uses Noto Sans Thai."""
    fig = charts.budget_by_year(seed, thai_digits=True)
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        _render(fig)
        for label in fig.axes[0].get_xticklabels() + fig.axes[0].get_yticklabels():
            assert label.get_fontproperties().get_family()[0] == "Noto Sans Thai"


def test_gallery_writes_six_charts(seed, tmp_path):
    from coopanalysis.charts.gallery import GALLERY, build_gallery

    written = build_gallery(seed, tmp_path)
    assert len(GALLERY) == 6
    assert [p.name for p in written] == [f"{stem}.{ext}" for stem, _, _ in GALLERY for ext in ("png", "svg")]
    assert all(p.stat().st_size > 10_000 for p in written)
    # the committed gallery has the same six files (make figures writes docs/figures)
    assert sorted(p.name for p in paths.FIGURES.iterdir() if p.suffix in (".png", ".svg")) == sorted(p.name for p in written)


def test_gallery_command_line(tmp_path, capsys):
    """``python -m coopanalysis.charts.gallery PLAN OUT`` (the recipe of ``make figures``)."""
    from coopanalysis.charts.gallery import main

    assert main([str(paths.PLAN_DIR), str(tmp_path), "--arabic-digits"]) == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 12 and all(Path(p).parent == tmp_path for p in printed)
    svg = (tmp_path / "02_budget_by_year.svg").read_text(encoding="utf-8")
    assert "2560" in svg and "๒๕๖๐" not in svg  # Arabic digits on request (the text is kept in comments)


# ---- Thai wrapping -------------------------------------------------------------------------------------------


def test_textwrap_doctests():
    result = doctest.testmod(textwrap_th)
    assert result.attempted > 5 and result.failed == 0


def test_display_width_ignores_thai_marks():
    assert display_width("ที่") == 2 - 1  # ท + ี่ (two marks on one consonant)
    assert display_width("น้ำ") == 2  # น + ้ + ำ (sara am is spacing)
    assert display_width("ยุทธศาสตร์") == 8  # ุ and ์ take no cell
    assert display_width("กพท.") == 4


NAMES = [
    "โครงการพัฒนาโครงสร้างพื้นฐานสารสนเทศและการสื่อสารของกรมส่งเสริมสหกรณ์เพื่อสนับสนุนสหกรณ์และกลุ่มเกษตรกร",
    "โครงการจัดทำแผนยุทธศาสตร์การพัฒนาคลกรสหกรณ์/กลุ่มเกษตรกร ๒๐ ปี (สู่การปฏิบัติ พ.ศ. ๒๕๖๐-๒๕๗๙)",
    "โครงการสหกรณ์สีเขียว (Green Coop)",
    "ยุทธศาสตร์ที่ ๕ การพัฒนาระบบเทคโนโลยีเพื่อการบริหารจัดการ และการกำกับดูแล",
]


@pytest.mark.parametrize("text", NAMES)
@pytest.mark.parametrize("width", [8, 12, 20, 34])
def test_wrap_keeps_text_and_width(text, width):
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert display_width(line) <= width
        assert line == line.strip()
        assert unicodedata.category(line[0]) != "Mn"  # never starts with a mark


def test_wrap_breaks_between_words_not_inside_them():
    lines = wrap(NAMES[0], 20)
    words = ("โครงการ", "พัฒนา", "โครงสร้างพื้นฐาน", "สารสนเทศ", "การสื่อสาร", "ส่งเสริม", "สหกรณ์", "เกษตรกร")
    for a, b in zip(lines, lines[1:]):
        for word in words:
            joined = a + b
            at = joined.find(word)
            # no word straddles the break
            assert not (0 <= at < len(a) < at + len(word)) or word not in joined[at:at + len(word)]
    assert lines[0].startswith("โครงการพัฒนา")
    assert fill(NAMES[3], 16).splitlines()[0] == "ยุทธศาสตร์ที่ ๕"


def test_wrap_keeps_number_with_its_word_and_brackets_closed():
    lines = wrap("แผนยุทธศาสตร์ ๒๐ ปี (สู่การปฏิบัติ)", 13)
    assert not any(line.startswith(")") for line in lines)
    assert any("ยุทธศาสตร์ ๒๐" in line for line in lines)


def test_wrap_max_lines():
    lines = wrap(NAMES[0], 16, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(display_width(line) <= 16 for line in lines)
