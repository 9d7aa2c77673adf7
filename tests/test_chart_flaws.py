"""The chart flaws a reviewer saw (issue 11, item 7), each checked on what is drawn.

- the legend printed over the title (per-project comparison of strategies 1, 5, 8);
- "ไม่ระบุในเอกสาร" floating at the far left instead of at its bar (strategy 1);
- strategy 8's two projects near-black on black (contrast of labels and of stacked layers);
- strategy 8's chart saying "ไม่ตรงกัน 0 จาก 2 รายการ" while the strategy is printed 121 and
  its projects add up to 161 (+40);
- strategy 7 (printed 161.5, no project detail) missing from charts 02 and 03 unexplained;
- one digit system per chart;
- text from the document is escaped in the SVG (issue 13, item 1) and never read as mathtext.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from coopanalysis import charts, paths  # noqa: E402
from coopanalysis.charts.style import contrast_ratio  # noqa: E402
from coopanalysis.model.plan import load  # noqa: E402

pytestmark = pytest.mark.slow  # renders every chart of every strategy: about 25 s of CPU

ARABIC = re.compile(r"[0-9]")
THAI_DIGIT = re.compile(r"[๐-๙]")


@pytest.fixture(scope="module")
def seed():
    assert (paths.PLAN_DIR / "plan.json").is_file(), "data/plan is committed: run `make data` to rebuild it"
    return load(paths.PLAN_DIR)


def _drawn(fig):
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def _by_gid(fig, gid: str) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_gid() == gid and t.get_text()]


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def _legends(fig):
    return list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]


# ---- legend never over a title ----------------------------------------------------------------------


LEGEND_CHARTS = [
    *[("gaps", ("project", s)) for s in ("1", "5", "8")],
    *[("strategy_budget", (s,)) for s in ("1", "5", "8")],
    *[("budget_by_year", (s,)) for s in ("1", "5", "8")],
    *[("hierarchy", (s,)) for s in ("1", "5", "8")],
    ("gaps", ("strategy",)),
    ("strategy_budget", ()),
    ("budget_by_year", ()),
    ("hierarchy", ()),
]


@pytest.mark.parametrize("thai", [False, True])
@pytest.mark.parametrize(("name", "args"), LEGEND_CHARTS)
def test_legend_clear_of_title_subtitle_note_and_plot(seed, name, args, thai):
    fig = getattr(charts, name)(seed, *args, thai_digits=thai)
    renderer = _drawn(fig)
    figure_box = fig.bbox
    titles = _by_gid(fig, "chart-title") + _by_gid(fig, "chart-subtitle") + _by_gid(fig, "chart-note")
    assert _by_gid(fig, "chart-title"), "every chart has a title"
    for text in titles:  # nothing cut at the figure's edge
        box = text.get_window_extent(renderer)
        assert figure_box.x0 - 1 <= box.x0 and box.x1 <= figure_box.x1 + 1, text.get_text()[:40]
    legends = _legends(fig)
    assert legends
    for legend in legends:
        box = legend.get_window_extent(renderer)
        assert figure_box.x0 - 1 <= box.x0 and box.x1 <= figure_box.x1 + 1
        assert figure_box.y0 - 1 <= box.y0 and box.y1 <= figure_box.y1 + 1
        for text in titles:
            assert not box.overlaps(text.get_window_extent(renderer)), (legend, text.get_text()[:40])
        for ax in fig.axes:
            if ax.get_legend() is legend:  # a legend under the axes: below every tick label
                assert box.y1 <= ax.xaxis.get_tightbbox(renderer).y0 + 0.5


# ---- a missing bar's note stands at its bar --------------------------------------------------------


@pytest.mark.parametrize(("strategy_id", "gid", "expected"), [
    ("1", "missing-printed", 1),  # strategy 1 prints no tactic total: one slot ('ไม่ระบุกลยุทธ์')
    ("8", "missing-printed", 1),  # tactic 8.1 has no printed total
    (None, "missing-printed", 3),  # strategies 1, 3, 4 print no total
    (None, "missing-computed", 1),  # strategy 7 has no project
])
def test_missing_bar_note_stands_at_its_slot(seed, strategy_id, gid, expected):
    fig = charts.strategy_budget(seed, strategy_id)
    renderer = _drawn(fig)
    ax = fig.axes[0]
    notes = _by_gid(fig, gid)
    assert len(notes) == expected
    ticks = {round(x): label for x, label in zip(ax.get_xticks(), ax.get_xticklabels())}
    axes_box = ax.get_window_extent(renderer)
    slot = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
    for note in notes:
        box = note.get_window_extent(renderer)
        # inside the plot, not in the left margin
        assert axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1
        assert axes_box.y0 <= box.y0 <= axes_box.y0 + 0.2 * axes_box.height  # at the base
        x = note.get_position()[0]
        tick = ticks[round(x)]
        tick_x = tick.get_window_extent(renderer)
        centre = (box.x0 + box.x1) / 2
        assert abs(centre - (tick_x.x0 + tick_x.x1) / 2) < 0.5 * slot  # in its item's slot
        # on the side of the missing bar: printed left of the tick, computed right of it
        side = -1 if gid == "missing-printed" else 1
        assert side * (x - round(x)) > 0


def test_strategy_1_note_beside_its_computed_bar(seed):
    fig = charts.strategy_budget(seed, "1")
    renderer = _drawn(fig)
    ax = fig.axes[0]
    (bar,) = ax.containers[1].patches  # 286, the projects of strategy 1 (no tactic)
    note = _by_gid(fig, "missing-printed")[0].get_window_extent(renderer)
    bar_box = bar.get_window_extent(renderer)
    assert 0 <= bar_box.x0 - note.x1 < bar_box.width  # just left of the bar, not far away


# ---- contrast: strategy 8 (black) --------------------------------------------------------------------


def _fill_under(ax, text, renderer):
    """The colour of the bar a text is drawn on."""
    box = text.get_window_extent(renderer)
    x, y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_window_extent(renderer).contains(x, y):
            return patch.get_facecolor()
    return None


@pytest.mark.parametrize("strategy_id", [None, "1", "5", "8"])
def test_labels_on_bars_have_contrast(seed, strategy_id):
    fig = charts.budget_by_year(seed, strategy_id)
    renderer = _drawn(fig)
    ax = fig.axes[0]
    checked = 0
    for text in ax.texts:
        if text.get_gid() == "year-total" or not text.get_text():
            continue
        fill = _fill_under(ax, text, renderer)
        assert fill is not None, text.get_text()
        assert contrast_ratio(text.get_color(), fill) >= 4.5, (text.get_text(), text.get_color(), to_hex(fill))
        checked += 1
    assert checked >= 5


def test_strategy_8_projects_are_not_near_black_on_black(seed):
    """Two projects of strategy 8 (8.u1, 8.u2, 20 a year each from 2561): the layers must
    differ clearly from each other, and from black; each label reads on its layer."""
    fig = charts.budget_by_year(seed, "8")
    ax = fig.axes[0]
    lower, upper = ax.containers
    assert [round(p.get_height(), 6) for p in lower.patches][1:] == [20.0] * 4
    a, b = lower.patches[1].get_facecolor(), upper.patches[1].get_facecolor()
    assert contrast_ratio(a, b) >= 3.0
    assert max(contrast_ratio(a, "black"), contrast_ratio(b, "black")) >= 3.0
    # the legend swatches carry the same two colours
    handles = fig.legends[0].legend_handles
    assert {to_hex(h.get_facecolor()) for h in handles} == {to_hex(a), to_hex(b)}


def test_treemap_of_strategy_8_is_not_black(seed):
    fig = charts.hierarchy(seed, "8")
    fills = [p.get_facecolor() for p in fig.axes[0].patches if (p.get_gid() or "").startswith("project:")]
    assert len(fills) == 2  # 8.u1, 8.u2
    assert all(contrast_ratio(f, "black") >= 3.0 for f in fills)


def test_treemap_labels_read_on_their_fill(seed):
    for sid in ("8", "5", None):
        fig = charts.hierarchy(seed, sid)
        ax = fig.axes[0]
        fills = {p.get_gid().split(":", 1)[1]: p.get_facecolor() for p in ax.patches
                 if (p.get_gid() or "").startswith("project:")}
        labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label:")]
        assert labels
        for label in labels:
            fill = fills[label.get_gid().split(":", 1)[1]]
            assert contrast_ratio(label.get_color(), fill) >= 4.5


def test_heatmap_cells_read_on_their_blue(seed):
    fig = charts.unit_heatmap(seed, "equal")
    ax = fig.axes[0]
    image = ax.images[0]
    data = image.get_array()
    cells = _by_gid(fig, "cell")
    n_cols = data.shape[1]
    for index, cell in enumerate(cells):
        value = data[index // n_cols, index % n_cols]
        if cell.get_text() != "–":
            assert contrast_ratio(cell.get_color(), image.cmap(image.norm(value))) >= 4.5


# ---- strategy 8: the strategy-level gap is said ----------------------------------------------------


def test_strategy_8_project_gaps_say_the_strategy_total_differs(seed):
    """Document line 102: strategy 8 is printed 121; its two projects (8.u1, 8.u2) print 80.5
    each and match their yearly figures, so every row reads 'ตรงกัน' while the strategy is +40."""
    fig = charts.gaps(seed, "project", "8")
    rows = _by_gid(fig, "gap-label")
    assert [t.get_text() for t in rows] == ["ตรงกัน", "ตรงกัน"]
    summary = fig.axes[0].get_title(loc="left").replace("\n", " ")
    assert "ยุทธศาสตร์ที่ 8 ไม่ตรงกัน" in summary
    assert "121" in summary and "161" in summary and "+40" in summary
    assert "โครงการที่ไม่ตรงกัน 0 จาก 2 รายการ" in summary
    thai = charts.gaps(seed, "project", "8", thai_digits=True).axes[0].get_title(loc="left").replace("\n", " ")
    assert "๑๒๑" in thai and "+๔๐" in thai


@pytest.mark.parametrize("name", ["strategy_budget", "budget_by_year", "hierarchy"])
def test_one_strategy_charts_of_8_say_the_strategy_total_differs(seed, name):
    note = getattr(charts, name)(seed, "8").get_supxlabel().replace("\n", " ")
    assert "ยอดรวมของยุทธศาสตร์ที่ 8 ไม่ตรงกัน: ตามเอกสาร 121 ผลรวมจากรายโครงการ 161 (+40 ล้านบาท)" in note


@pytest.mark.parametrize("strategy_id", ["6", "1"])
def test_no_strategy_gap_sentence_when_it_matches_or_prints_nothing(seed, strategy_id):
    """Strategy 6: printed 20, projects 20. Strategy 1: no printed total."""
    fig = charts.gaps(seed, "project", strategy_id)
    assert "ไม่ตรงกัน:" not in fig.axes[0].get_title(loc="left")


def test_strategy_5_project_gaps_count_and_mention(seed):
    """Strategy 5: printed 125, projects 158 (+33)."""
    summary = charts.gaps(seed, "project", "5").axes[0].get_title(loc="left").replace("\n", " ")
    assert "+33" in summary and "125" in summary and "158" in summary


# ---- strategy 7's absence explained ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "args"), [("budget_by_year", ()), ("unit_heatmap", ("equal",)),
                                            ("unit_heatmap", ("full", "year"))])
def test_strategy_7_absence_is_explained(seed, name, args):
    """Summary page, line 100-102: strategy 7 prints 161.5 million baht and 2 projects, but the
    document has no project detail for it."""
    fig = getattr(charts, name)(seed, *args)
    note = fig.get_supxlabel().replace("\n", " ")
    assert "ยุทธศาสตร์ที่ 7 พิมพ์งบประมาณรวม 161.5 ล้านบาท" in note
    assert "จึงไม่ปรากฏในแผนภูมินี้" in note
    # the strategies that are drawn are not named as missing
    assert "ยุทธศาสตร์ที่ 8 พิมพ์" not in note and "ยุทธศาสตร์ที่ 5 พิมพ์" not in note
    thai = getattr(charts, name)(seed, *args, thai_digits=True).get_supxlabel().replace("\n", " ")
    assert "ยุทธศาสตร์ที่ ๗ พิมพ์งบประมาณรวม ๑๖๑.๕ ล้านบาท" in thai


@pytest.mark.parametrize(("name", "args"), [("strategy_budget", ("7",)), ("budget_by_year", ("7",)),
                                            ("gaps", ("project", "7")), ("gaps", ("tactic", "7")), ("hierarchy", ("7",))])
def test_one_strategy_chart_of_strategy_7_says_why_it_is_empty(seed, name, args):
    fig = getattr(charts, name)(seed, *args)
    renderer = _drawn(fig)
    note = fig.get_supxlabel().replace("\n", " ")
    assert "ยุทธศาสตร์ที่ 7 พิมพ์งบประมาณรวม 161.5 ล้านบาท แต่เอกสารไม่มีรายละเอียดโครงการ" in note
    assert "ไม่แสดง 9 โครงการ" not in note  # the plan's listed-only projects are not strategy 7's
    if name == "gaps" and args[0] == "tactic":  # tactic 7.1 is named but has no figure: said at 0
        (label,) = _by_gid(fig, "gap-label")
        assert label.get_text() == "ไม่มีตัวเลข"
        assert fig.axes[0].get_window_extent(renderer).contains(*label.get_window_extent(renderer).p0)


def test_no_absence_note_for_one_strategy(seed):
    assert "ยุทธศาสตร์ที่ 7" not in charts.budget_by_year(seed, "5").get_supxlabel()


# ---- one digit system per chart ---------------------------------------------------------------------


PER_STRATEGY = [(name, sid) for sid in ("1", "5", "8") for name in ("strategy_budget", "budget_by_year", "hierarchy")]


@pytest.mark.parametrize(("name", "sid"), PER_STRATEGY + [("gaps", "8"), ("kpi_targets", "8")])
def test_one_digit_system_per_strategy_chart(seed, name, sid):
    args = ("project", sid) if name == "gaps" else (sid,)
    thai = getattr(charts, name)(seed, *args, thai_digits=True)
    thai.savefig(io.BytesIO(), format="png")
    assert [t for t in _texts(thai) if ARABIC.search(t)] == []
    arabic = getattr(charts, name)(seed, *args, thai_digits=False)
    arabic.savefig(io.BytesIO(), format="png")
    assert [t for t in _texts(arabic) if THAI_DIGIT.search(t)] == []


class _Finding:
    def __init__(self, check, severity):
        self.check, self.severity = check, severity


def test_findings_chart_digits_and_counts():
    from coopanalysis.checks import CHECK_TH, CHECKS

    findings = [_Finding(CHECKS[0], "error")] * 12 + [_Finding(CHECKS[0], "warning")] * 3 + [_Finding(CHECKS[1], "info")]
    fig = charts.findings_chart(findings, thai_digits=True)
    fig.savefig(io.BytesIO(), format="png")
    assert [t for t in _texts(fig) if ARABIC.search(t)] == []
    assert "๑๖ รายการ" in fig.get_suptitle()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [CHECK_TH[CHECKS[1]], CHECK_TH[CHECKS[0]]]  # first check on top
    errors, warnings_, infos = ax.containers
    assert [p.get_width() for p in errors.patches] == [0, 12]
    assert [p.get_width() for p in warnings_.patches] == [0, 3] and warnings_.patches[1].get_x() == 12
    assert [p.get_width() for p in infos.patches] == [1, 0]
    assert [c.get_label() for c in ax.containers] == ["ผิดพลาด", "คำเตือน", "ข้อมูล"]
    renderer = _drawn(fig)
    for text in ax.texts:  # counts read on their severity colour
        if text.get_text():
            assert contrast_ratio(text.get_color(), _fill_under(ax, text, renderer)) >= 4.5
    arabic = charts.findings_chart(findings)
    arabic.savefig(io.BytesIO(), format="png")
    assert [t for t in _texts(arabic) if THAI_DIGIT.search(t)] == []
    assert "12" in [t.get_text() for t in arabic.axes[0].texts]


# ---- hostile text from the document ------------------------------------------------------------------


HOSTILE = {"5": "<script>alert(1)</script>", "8": r"$\alert$ <img src=x onerror=alert(1)>"}


@pytest.fixture(scope="module")
def hostile(seed):
    strategies = seed.strategies.copy()
    strategies["name"] = [HOSTILE.get(sid, name) for sid, name in zip(strategies["strategy_id"], strategies["name"])]
    return seed.replace(strategies=strategies)


def _tags(svg: bytes) -> list[str]:
    return [element.tag.rsplit("}", 1)[-1].lower() for element in ET.fromstring(svg).iter()]


@pytest.mark.parametrize(("name", "args"), [("strategy_budget", ()), ("gaps", ("strategy",)),
                                            ("budget_by_year", ()), ("hierarchy", ())])
def test_hostile_names_are_text_in_the_svg(hostile, tmp_path, name, args):
    fig = getattr(charts, name)(hostile, *args)
    texts = _texts(fig)
    assert any("<script>" in t for t in texts) and any("<img" in t for t in texts), "the names are drawn"
    assert any(r"$\alert$ <img" in t for t in texts)  # as printed; as mathtext it would not draw at all
    _png, svg_path = charts.save(fig, tmp_path / name)
    svg = svg_path.read_bytes()
    tags = _tags(svg)  # well-formed XML
    assert "script" not in tags and "img" not in tags
    assert b"<script" not in svg and b"<img" not in svg
    assert b"&lt;script&gt;" in svg and b"&lt;img" in svg  # kept, escaped (a comment by its glyphs)
    # the same with real SVG text elements (svg.fonttype 'none'): escaped character data
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    tags = _tags(buffer.getvalue())
    assert "text" in tags and "script" not in tags and "img" not in tags
    root = ET.fromstring(buffer.getvalue())
    drawn = " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("}text"))
    assert "<script>alert(1)" in drawn and "<img" in drawn
