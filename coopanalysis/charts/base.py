"""Scaffolding shared by the charts: figures, titles, notes, legends, axis formatters, labels.

Every label and number comes from :mod:`coopanalysis.text.labels` and :mod:`coopanalysis.text.fmt`
(``node_label``, ``amount``, ``digits``); this module only arranges them on a figure. The
notes that explain what a chart leaves out (a strategy printed without project detail, a
strategy whose printed total differs from its projects) are built here so every chart words
them the same way.
"""

from __future__ import annotations

import math
import re
import weakref

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import offset_copy

from coopanalysis import analysis
from coopanalysis.model.plan import Plan
from coopanalysis.text import fmt
from coopanalysis.text.fiscal import plan_years_label
from coopanalysis.text.labels import MB, NO_TACTIC, node_label
from coopanalysis.text.textwrap_th import display_width, wrap

__all__ = [
    "INK", "MUTED", "GRID", "DIFF_BG", "DIFF_INK", "LINESPACING",
    "label_amount", "axis_formatter", "strategy_label", "tactic_label", "strategy_names",
    "years_label", "new_figure", "note_width", "titles", "legend_below", "finish",
    "absent_strategies_note", "no_detail_note", "has_projects", "strategy_mismatch_note",
]

INK = "#222222"
MUTED = "#666666"
GRID = "#DDDDDD"
DIFF_BG = "#FBE3E0"
DIFF_INK = "#B2182B"
LINESPACING = 1.25


def label_amount(value, thai: bool) -> str:
    """An amount written on a chart: at most two decimals, thousands separators; '' when missing.

    >>> label_amount(161.5, False), label_amount(25 / 3, True), label_amount(float("nan"), False)
    ('161.5', '๘.๓๓', '')
    """
    if fmt.is_missing(value) or (isinstance(value, float) and math.isnan(value)):
        return ""
    return fmt.amount(round(float(value), 2) + 0.0, thai_digits=thai)


def axis_formatter(thai: bool) -> FuncFormatter:
    """Tick labels in million baht (thousands separators, Thai digits on request).

    >>> axis_formatter(True)(1200.0000001, 0), axis_formatter(False)(-0.0, 0)
    ('๑,๒๐๐', '0')
    """
    return FuncFormatter(lambda value, _pos: fmt.amount(round(float(value), 6) + 0.0, thai_digits=thai))


def strategy_label(strategy_id, thai: bool) -> str:
    """A strategy's label, e.g. for a tick.

    >>> strategy_label("8", True)
    'ยุทธศาสตร์ที่ ๘'
    """
    return node_label("strategy", strategy_id, thai_digits=thai)


def project_id_label(project_id, thai: bool) -> str:
    """A project's id as a reader reads it: the id the toolkit gives a project the document
    prints without a number (``8.u1``) in Thai (as :func:`coopanalysis.present.text.readable_ids`).

    >>> project_id_label("8.u1", False), project_id_label("5.10", True)
    ('8.(ไม่มีเลข 1)', '๕.๑๐')
    """
    text = re.sub(r"^(\d+)\.u(\d+)$", r"\1.(ไม่มีเลข \2)", str(project_id))
    return fmt.digits(text, thai)


def tactic_label(tactic_id, thai: bool) -> str:
    """A tactic's label; the group of projects under no tactic (``'5.-'``) is named so.

    >>> tactic_label("5.1", False), tactic_label("1.-", False)
    ('กลยุทธ์ 5.1', 'ไม่ระบุกลยุทธ์')
    """
    if str(tactic_id).endswith(".-"):
        return NO_TACTIC
    return node_label("tactic", tactic_id, thai_digits=thai)


def strategy_names(plan: Plan) -> dict[str, str]:
    table = plan.strategies
    return {str(s): "" if fmt.is_missing(n) else str(n) for s, n in zip(table["strategy_id"], table["name"])}


def years_label(plan: Plan, thai: bool) -> str:
    return plan_years_label(plan.years, thai_digits=thai)


def new_figure(width: float, height: float) -> Figure:
    """A constrained-layout figure with its own Agg canvas (not registered with pyplot)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def note_width(fig: Figure, fontsize: float = 8) -> int:
    """How many display cells of text at *fontsize* fit across the figure."""
    return max(20, int(fig.get_figwidth() * 72 / (fontsize * 0.6)) - 4)


#: The text of each title, subtitle and note before wrapping (paragraphs), so that
#: :func:`finish` can wrap it again to the room the layout leaves.
_PARAGRAPHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _wrapped(paragraphs: list[str], width: int) -> str:
    lines = []
    for paragraph in paragraphs:
        lines.extend(wrap(paragraph, width) or [""])
    return "\n".join(lines)


def titles(fig: Figure, title: str, subtitle: str = "", note: str = "", ax=None) -> None:
    """Title (figure, left), subtitle (above the first axes, left), note (bottom, left); a
    newline starts a paragraph. Each is re-wrapped by :func:`finish` when the layout leaves it
    less room than the figure's width (a subtitle starts where the axes start)."""
    texts = []
    paragraphs = title.split("\n")
    texts.append((fig.suptitle(_wrapped(paragraphs, note_width(fig, 13)), x=0.01, ha="left", fontsize=13,
                               color=INK, linespacing=LINESPACING, gid="chart-title"), paragraphs))
    if subtitle and ax is not None:
        paragraphs = subtitle.split("\n")
        texts.append((ax.set_title(_wrapped(paragraphs, note_width(fig, 9.5)), loc="left", fontsize=9.5,
                                   color=MUTED, linespacing=LINESPACING, pad=10, gid="chart-subtitle"),
                      paragraphs))
    if note:
        paragraphs = note.split("\n")
        texts.append((fig.supxlabel(_wrapped(paragraphs, note_width(fig, 8)), x=0.01, ha="left", fontsize=8,
                                    color=MUTED, linespacing=LINESPACING, gid="chart-note"), paragraphs))
    for artist, paragraphs in texts:
        _PARAGRAPHS[artist] = paragraphs


def legend_below(fig: Figure, ax, handles, labels=None, **kwargs):
    """A one-row legend under the axes' tick labels and axis label (never over a title or
    the data); constrained layout makes room for it and puts the note below it."""
    fig.draw_without_rendering()  # tick labels realised: measure how far they reach down
    renderer = fig.canvas.get_renderer()
    reach = ax.bbox.y0 - ax.xaxis.get_tightbbox(renderer).y0
    gap_points = (max(reach, 0.0) + 6.0) * 72.0 / fig.dpi
    anchor = offset_copy(ax.transAxes, fig=fig, x=0, y=-gap_points, units="points")
    if labels is None:
        labels = [h.get_label() for h in handles]
    options = dict(loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=anchor, ncols=len(handles),
                   borderaxespad=0, frameon=False, fontsize=8.5)
    options.update(kwargs)
    return ax.legend(handles, labels, **options)


def _refit(fig: Figure, renderer) -> bool:
    """Re-wrap a title, subtitle or note that runs past the figure's right edge, or (the
    title) under a legend in the right margin. True when something was re-wrapped."""
    changed = False
    for text in fig.findobj(Text):
        paragraphs = _PARAGRAPHS.get(text)
        if paragraphs is None or not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        right = fig.bbox.x1 - 6
        if text.get_gid() == "chart-title":
            for legend in fig.legends:
                other = legend.get_window_extent(renderer)
                if other.y0 < box.y1 and box.y0 < other.y1:
                    right = min(right, other.x0 - 8)
        if box.x1 <= right:
            continue
        cells = max(display_width(line) for line in text.get_text().split("\n"))
        width = max(12, int(cells * (right - box.x0) / max(box.width, 1.0)) - 1)
        if width >= cells:
            width = cells - 1
        text.set_text(_wrapped(paragraphs, width))
        changed = True
    return changed


def finish(fig: Figure) -> Figure:
    """Lay out and realise every artist while the house style is active (ticks created now
    keep the Thai font when the figure is drawn again outside the style); a title, subtitle
    or note the layout leaves too little room for is re-wrapped first."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    for _ in range(4):
        if not _refit(fig, renderer):
            break
        fig.draw_without_rendering()
    return fig


def absent_strategies_note(plan: Plan, shown, thai: bool, what: str = "ตัวเลขรายปี") -> str:
    """Why a strategy of the plan is not in a chart: a strategy printed with a total but no
    project detail (strategy 7 of the seed) or with no figure at all; '' when all are shown.

    *shown* are the strategy ids the chart draws; *what* names what the chart needs besides
    the project detail ('' for nothing more).
    """
    shown = {str(s) for s in shown}
    table = analysis.by_strategy(plan)
    parts = []
    for sid, stated, found in zip(table["strategy_id"], table["stated_mb"], table["found_count"]):
        if sid == analysis.TOTAL or sid in shown:
            continue
        label = strategy_label(sid, thai)
        if not fmt.is_missing(found) and int(found) > 0:
            parts.append(f"{label} ไม่มี{what}ของโครงการ จึงไม่ปรากฏในแผนภูมินี้")
        elif fmt.is_missing(stated):
            parts.append(f"{label} ไม่มีทั้งยอดรวมและรายละเอียดโครงการในเอกสาร จึงไม่ปรากฏในแผนภูมินี้")
        else:
            lacking = "รายละเอียดโครงการ" + (f"และ{what}" if what else "")
            parts.append(f"{label} พิมพ์งบประมาณรวม {label_amount(stated, thai)} {MB} "
                         f"แต่เอกสารไม่มี{lacking} จึงไม่ปรากฏในแผนภูมินี้")
    return fmt.digits("\n".join(parts), thai)


def has_projects(plan: Plan, strategy_id) -> bool:
    """True when the document details at least one project of *strategy_id*."""
    return bool((plan.projects["strategy_id"] == strategy_id).any())


def no_detail_note(plan: Plan, strategy_id, thai: bool, what: str = "ตัวเลขรายปี") -> str:
    """For a one-strategy chart of a strategy without project detail (strategy 7 of the seed):
    why the chart is empty; '' when the strategy has projects (or no strategy is given)."""
    if strategy_id is None or has_projects(plan, strategy_id):
        return ""
    others = [s for s in plan.strategies["strategy_id"] if s != strategy_id]
    return absent_strategies_note(plan, others, thai, what)


def strategy_mismatch_note(plan: Plan, strategy_id: str, thai: bool) -> str:
    """The strategy-level gap of *strategy_id* ('' when its printed total matches or is
    missing): a per-project chart whose rows all match must still say that the strategy's
    printed total does not (strategy 8 of the seed: printed 121, projects 161, +40)."""
    table = analysis.printed_vs_computed(plan, "strategy")
    rows = table[table["strategy_id"] == strategy_id]
    if rows.empty or rows["status"].iloc[0] != "differ":
        return ""
    row = rows.iloc[0]
    diff = fmt.amount(round(float(row["difference_mb"]), 2) + 0.0, thai_digits=thai, sign=True)
    text = (f"ยอดรวมของ{strategy_label(strategy_id, thai)} ไม่ตรงกัน: ตามเอกสาร {label_amount(row['stated_mb'], thai)} "
            f"ผลรวมจากรายโครงการ {label_amount(row['computed_mb'], thai)} ({diff} {MB})")
    return fmt.digits(text, thai)
