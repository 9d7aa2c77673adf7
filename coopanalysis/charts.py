"""The six policy charts. Each function returns a :class:`matplotlib.figure.Figure`.

Figures are built inside :func:`coopanalysis.style.style_context` (Noto Sans Thai, house
style) and are not registered with pyplot, so nothing global is left behind: no
``plt.show()``, nothing to close. Every chart

- has a title saying what and when (``งบประมาณตามยุทธศาสตร์ พ.ศ. 2560-2564``, the plan's years),
- writes amounts in million baht with thousands separators,
- takes ``thai_digits=True`` to write every number, year and id in Thai digits,
- gives each strategy its colour from :func:`coopanalysis.style.strategy_color`, the same in
  every chart,
- takes ``strategy_id`` where a per-strategy view makes sense.

:func:`save` writes ``<stem>.png`` and ``<stem>.svg`` reproducibly (same data, same bytes).
"""

from __future__ import annotations

import colorsys
import math
import os
import secrets
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import PowerNorm, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import analysis
from .fiscal import plan_years_label, year_text
from .plan import Plan
from .schema import id_sort_key
from .style import strategy_color, style_context
from .textwrap_th import fill, wrap
from .thai import format_number, to_arabic, to_thai

__all__ = [
    "strategy_budget",
    "budget_by_year",
    "unit_heatmap",
    "gaps",
    "hierarchy",
    "kpi_targets",
    "save",
    "CHARTS",
]

MB = "ล้านบาท"
INK = "#222222"
MUTED = "#666666"
GRID = "#DDDDDD"
DIFF_BG = "#FBE3E0"
DIFF_INK = "#B2182B"
LINESPACING = 1.25


# ---- small helpers ---------------------------------------------------------------------------


def _digits(text, thai: bool) -> str:
    """Every digit of *text* in Thai (``thai``) or Arabic digits."""
    text = "" if text is None else str(text)
    return to_thai(text) if thai else to_arabic(text)


def _amount(value, thai: bool) -> str:
    """An amount for a label: thousands separators, at most two decimals, no trailing zeros."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return format_number(round(float(value), 2), thai_digits=thai)


def _axis_formatter(thai: bool) -> FuncFormatter:
    return FuncFormatter(lambda value, _pos: format_number(round(value, 6), thai_digits=thai))


def _strategy_label(strategy_id, thai: bool) -> str:
    return _digits(f"ยุทธศาสตร์ที่ {strategy_id}", thai)


def _tactic_label(tactic_id, thai: bool) -> str:
    if str(tactic_id).endswith(".-"):
        return analysis.NO_TACTIC
    return _digits(f"กลยุทธ์ที่ {tactic_id}", thai)


def _project_label(project_id, thai: bool) -> str:
    return _digits(f"โครงการ {project_id}", thai)


def _strategy_names(plan: Plan) -> dict[str, str]:
    table = plan.strategies
    return {str(s): str(n or "") for s, n in zip(table["strategy_id"], table["name"])}


def _years_label(plan: Plan, thai: bool) -> str:
    return plan_years_label(plan.years, thai_digits=thai)


def _mix(color, white: float):
    """*color* mixed with white (0 = colour, 1 = white)."""
    r, g, b = to_rgb(color)
    return (r + (1 - r) * white, g + (1 - g) * white, b + (1 - b) * white)


def _darker(color, amount: float = 0.3):
    """*color* mixed with black."""
    return tuple(c * (1 - amount) for c in to_rgb(color))


def _shades(color, n: int) -> list[tuple]:
    """*n* distinguishable shades of *color* (darker to lighter)."""
    if n <= 1:
        return [to_rgb(color)]
    h, lightness, s = colorsys.rgb_to_hls(*to_rgb(color))
    low, high = max(lightness - 0.16, 0.08), min(lightness + 0.2, 0.8)
    return [colorsys.hls_to_rgb(h, low + (high - low) * i / (n - 1), s) for i in range(n)]


def _ink_on(color) -> str:
    """Text colour readable on a fill of *color*."""
    r, g, b = to_rgb(color)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.5 else "white"


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _note_width(fig: Figure, fontsize: float = 8) -> int:
    """How many display cells of text at *fontsize* fit across the figure."""
    return max(20, int(fig.get_figwidth() * 72 / (fontsize * 0.6)) - 4)


def _titles(fig: Figure, title: str, subtitle: str = "", note: str = "", ax=None) -> None:
    """Title (figure, left), subtitle (above the first axes, left), note (bottom, left)."""
    width = _note_width(fig, 13)
    fig.suptitle(fill(title, width), x=0.01, ha="left", fontsize=13, color=INK, linespacing=LINESPACING)
    if subtitle and ax is not None:
        ax.set_title(fill(subtitle, _note_width(fig, 9.5)), loc="left", fontsize=9.5, color=MUTED,
                     linespacing=LINESPACING, pad=10)
    if note:
        lines = []
        for paragraph in note.split("\n"):
            lines.extend(wrap(paragraph, _note_width(fig, 8)))
        fig.supxlabel("\n".join(lines), x=0.01, ha="left", fontsize=8, color=MUTED, linespacing=LINESPACING)


def _finish(fig: Figure) -> Figure:
    """Lay out and realise every artist while the house style is active (ticks created now
    keep the Thai font when the figure is drawn again outside the style)."""
    fig.draw_without_rendering()
    return fig


def _check_strategy(plan: Plan, strategy_id) -> str | None:
    return analysis._check_strategy(plan, strategy_id)


# ---- 1. printed vs computed per strategy -------------------------------------------------------


def strategy_budget(plan: Plan, strategy_id=None, *, thai_digits: bool = False) -> Figure:
    """Printed five-year total beside the total computed from the projects, per strategy
    (or, with *strategy_id*, per tactic of that strategy), every bar labelled in ล้านบาท.

    Two bar containers: ``ax.containers[0]`` printed (hatched, label ``'ตามเอกสาร'``),
    ``ax.containers[1]`` computed (solid, label ``'จากรายโครงการ'``); an item without a
    printed (or computed) figure has no bar there, and a note at its base instead.
    """
    thai = thai_digits
    sid = _check_strategy(plan, strategy_id)
    if sid is None:
        table = analysis.by_strategy(plan)
        key = "strategy_id"
        names = _strategy_names(plan)
    else:
        table = analysis.by_tactic(plan, sid)
        key = "tactic_id"
    rows = table[table[key] != analysis.TOTAL].reset_index(drop=True)
    n = len(rows)
    with style_context():
        fig = _new_figure(max(7.5, 1.35 * n + 2.0), 6.2)
        ax = fig.add_subplot()
        x = np.arange(n)
        width = 0.38
        colors = [strategy_color(s) for s in rows["strategy_id"]]
        stated = rows["stated_mb"].to_numpy(dtype=float)
        computed = rows["computed_mb"].to_numpy(dtype=float)
        has_s, has_c = ~np.isnan(stated), ~np.isnan(computed)
        printed_bars = ax.bar(
            x[has_s] - width / 2, stated[has_s], width,
            color=[_mix(c, 0.65) for c, h in zip(colors, has_s) if h],
            edgecolor=[c for c, h in zip(colors, has_s) if h], hatch="///", linewidth=1.2,
            label="ตามเอกสาร",
        )
        computed_bars = ax.bar(
            x[has_c] + width / 2, computed[has_c], width,
            color=[c for c, h in zip(colors, has_c) if h], edgecolor="white", linewidth=0.5,
            label="จากรายโครงการ",
        )
        ax.bar_label(printed_bars, labels=[_amount(v, thai) for v in stated[has_s]], padding=3,
                     fontsize=8.5, color=INK)
        ax.bar_label(computed_bars, labels=[_amount(v, thai) for v in computed[has_c]], padding=3,
                     fontsize=8.5, color=INK)
        top = np.nanmax(np.concatenate([stated, computed, [1.0]]))
        for i in range(n):
            if not has_s[i]:
                ax.text(x[i] - width / 2, top * 0.01, "ไม่ระบุ\nในเอกสาร", ha="center", va="bottom",
                        fontsize=7, color=MUTED, linespacing=LINESPACING, gid="missing-printed")
            if not has_c[i]:
                ax.text(x[i] + width / 2, top * 0.01, "ไม่มี\nรายโครงการ", ha="center", va="bottom",
                        fontsize=7, color=MUTED, linespacing=LINESPACING, gid="missing-computed")
        labels = []
        for _, row in rows.iterrows():
            if sid is None:
                head, name = _strategy_label(row["strategy_id"], thai), names.get(row["strategy_id"], "")
            else:
                head, name = _tactic_label(row["tactic_id"], thai), row["name"]
                if head == analysis.NO_TACTIC:
                    name = ""
            body = fill(_digits(name, thai), 16, max_lines=3)
            labels.append(head + ("\n" + body if body else ""))
        ax.set_xticks(x, labels, fontsize=8, linespacing=1.1)
        ax.tick_params(axis="x", length=0)
        ax.set_ylim(0, top * 1.15)
        ax.yaxis.set_major_formatter(_axis_formatter(thai))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.set_ylabel(MB)
        ax.grid(axis="y", color=GRID)
        ax.legend(
            handles=[
                Patch(facecolor=_mix("#777777", 0.65), edgecolor="#777777", hatch="///", label="ยอดรวม ๕ ปีตามเอกสาร" if thai else "ยอดรวม 5 ปีตามเอกสาร"),
                Patch(facecolor="#777777", label="ผลรวมจากรายโครงการ"),
            ],
            loc="upper right",
        )
        years = _years_label(plan, thai)
        if sid is None:
            title = f"งบประมาณตามยุทธศาสตร์ {years}"
        else:
            title = f"งบประมาณตามกลยุทธ์ของ{_strategy_label(sid, thai)} {years}"
        n_printed = int(np.nansum(rows["n_printed_basis"].to_numpy(dtype=float))) if "n_printed_basis" in rows else 0
        note = "ผลรวมจากรายโครงการ: รวมงบประมาณ ๕ ปีของโครงการในแต่ละกลุ่ม" if thai else "ผลรวมจากรายโครงการ: รวมงบประมาณ 5 ปีของโครงการในแต่ละกลุ่ม"
        if n_printed:
            note += _digits(f" (โครงการที่แยกรายปีไม่ได้ {n_printed} โครงการ ใช้ยอดรวมที่พิมพ์ไว้)", thai)
        _titles(fig, title, f"ยอดรวมที่พิมพ์ในเอกสารเทียบกับผลรวมจากรายโครงการ ({MB})", note, ax)
        return _finish(fig)


# ---- 2. yearly amounts stacked by strategy -----------------------------------------------------


def budget_by_year(plan: Plan, strategy_id=None, *, thai_digits: bool = False) -> Figure:
    """Yearly amounts stacked by strategy (or, with *strategy_id*, by project of that
    strategy in shades of its colour), BE years on the axis, year totals on top.

    One bar container per stack layer (label = the strategy or project); the totals are
    texts with ``gid='year-total'``. Only yearly figures count (see
    :func:`coopanalysis.analysis.by_year`); the note names what is left out.
    """
    thai = thai_digits
    sid = _check_strategy(plan, strategy_id)
    table = analysis.by_year(plan, by="strategy" if sid is None else "project", strategy_id=sid)
    groups = table.attrs["columns"]
    rows = table[table["fiscal_year"] != analysis.TOTAL].reset_index(drop=True)
    years = [int(y) for y in rows["fiscal_year"]]
    names = _strategy_names(plan)
    if sid is None:
        colors = [strategy_color(g) for g in groups]
        labels = []
        for g in groups:
            name = fill(_digits(names.get(g, ""), thai), 26, max_lines=2)
            labels.append(_strategy_label(g, thai) + ("\n" + name if name else ""))
    else:
        colors = _shades(strategy_color(sid), len(groups))
        pnames = dict(zip(plan.projects["project_id"], plan.projects["name"]))
        labels = []
        for g in groups:
            name = fill(_digits(pnames.get(g, ""), thai), 30, max_lines=2)
            labels.append(_digits(g, thai) + (" " + name if name else ""))
    with style_context():
        fig = _new_figure(10.5, 6.2)
        ax = fig.add_subplot()
        x = np.arange(len(years))
        bottom = np.zeros(len(years))
        totals = rows[analysis.TOTAL].to_numpy(dtype=float)
        top = max(float(np.nanmax(totals)) if len(totals) else 0.0, 1.0)
        for g, color, label in zip(groups, colors, labels):
            values = rows[g].to_numpy(dtype=float)
            bars = ax.bar(x, values, 0.62, bottom=bottom, color=color, edgecolor="white", linewidth=0.6, label=label)
            texts = [_amount(v, thai) if v >= 0.06 * top else "" for v in values]
            ax.bar_label(bars, labels=texts, label_type="center", fontsize=8, color=_ink_on(color))
            bottom = bottom + values
        for xi, total in zip(x, totals):
            ax.text(xi, total + top * 0.015, _amount(total, thai), ha="center", va="bottom", fontsize=9,
                    color=INK, gid="year-total")
        ax.set_xticks(x, [year_text(y, thai) for y in years])
        ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
        ax.set_ylabel(MB)
        ax.set_ylim(0, top * 1.12)
        ax.yaxis.set_major_formatter(_axis_formatter(thai))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.grid(axis="y", color=GRID)
        handles, hlabels = ax.get_legend_handles_labels()
        fig.legend(handles[::-1], hlabels[::-1], loc="outside right upper", fontsize=8,
                   title="ยุทธศาสตร์" if sid is None else "โครงการ", title_fontsize=9)
        years_label = _years_label(plan, thai)
        if sid is None:
            title = f"งบประมาณรายปีตามยุทธศาสตร์ {years_label}"
        else:
            title = f"งบประมาณรายปีของ{_strategy_label(sid, thai)} จำแนกตามโครงการ {years_label}"
        _titles(fig, title, f"ผลรวมงบประมาณรายปี ({MB}) ซ้อนตาม{'ยุทธศาสตร์' if sid is None else 'โครงการ'}",
                _excluded_note(plan, table.attrs["excluded"], thai), ax)
        return _finish(fig)


def _excluded_note(plan: Plan, excluded: list[str], thai: bool) -> str:
    if not excluded:
        return ""
    from . import figures as totals

    pt = totals.project_totals(plan).set_index("project_id")
    printed = [p for p in excluded if p in pt.index and pt.loc[p, "basis"] == "printed"]
    empty = [p for p in excluded if p not in printed]
    parts = []
    if printed:
        amount = analysis._sum(pt.loc[printed, "amount_mb"])
        parts.append(f"{len(printed)} โครงการที่แยกงบรายปีไม่ได้ ({', '.join(printed)}; ยอดรวม {_amount(amount, False)} {MB})")
    if empty:
        parts.append(f"{len(empty)} โครงการที่เอกสารไม่ระบุงบประมาณ")
    return _digits("ไม่รวม " + " และ ".join(parts), thai)


# ---- 3. unit heatmap ---------------------------------------------------------------------------


def unit_heatmap(plan: Plan, policy: str | None = None, by: str = "strategy", strategy_id=None, *,
                 thai_digits: bool = False) -> Figure:
    """Amounts per responsible unit (rows) and strategy or year (columns), written in the
    cells, with row and column totals in grey. *policy* (required) says how a project with
    several units is credited (see :data:`coopanalysis.analysis.POLICIES`); it is named in the
    title and explained in the subtitle. The image is ``ax.images[0]`` (units x columns).
    """
    thai = thai_digits
    table = analysis.by_unit(plan, policy, by=by, strategy_id=strategy_id)
    sid = table.attrs["strategy_id"]
    columns = table.attrs["columns"]
    rows = table[table["unit"] != analysis.TOTAL].reset_index(drop=True)
    total_row = table[table["unit"] == analysis.TOTAL].iloc[0]
    matrix = rows[columns].to_numpy(dtype=float) if columns else np.zeros((len(rows), 0))
    n_rows, n_cols = matrix.shape
    with style_context():
        fig = _new_figure(max(7.0, 2.8 + 1.05 * (n_cols + 1)), max(4.5, 2.6 + 0.42 * (n_rows + 1)))
        ax = fig.add_subplot()
        vmax = float(np.nanmax(matrix)) if matrix.size else 1.0
        vmax = vmax if vmax > 0 else 1.0
        # square-root scale: one very large cell must not wash out all the others
        norm = PowerNorm(gamma=0.5, vmin=0, vmax=vmax * 1.15)
        cmap = matplotlib.colormaps["Blues"]
        ax.imshow(np.where(matrix > 0, matrix, np.nan), cmap=cmap, norm=norm,
                  aspect="auto", extent=(-0.5, n_cols - 0.5, n_rows - 0.5, -0.5), interpolation="nearest")
        for i in range(n_rows):
            for j in range(n_cols):
                value = matrix[i, j]
                if value > 0:
                    ink = _ink_on(cmap(norm(value)))
                    ax.text(j, i, _amount(value, thai), ha="center", va="center", fontsize=8.5, color=ink, gid="cell")
                else:
                    ax.text(j, i, "–", ha="center", va="center", fontsize=8.5, color="#BBBBBB", gid="cell")
        # totals: a grey column on the right and a grey row at the bottom
        tx, ty = n_cols + 0.1, n_rows + 0.1
        for i in range(n_rows):
            ax.add_patch(Rectangle((tx - 0.5, i - 0.5), 1, 1, facecolor="#EEEEEE", edgecolor="white"))
            ax.text(tx, i, _amount(rows[analysis.TOTAL].iloc[i], thai), ha="center", va="center",
                    fontsize=8.5, color=INK, gid="row-total")
        for j, column in enumerate(columns):
            ax.add_patch(Rectangle((j - 0.5, ty - 0.5), 1, 1, facecolor="#EEEEEE", edgecolor="white"))
            ax.text(j, ty, _amount(total_row[column], thai), ha="center", va="center", fontsize=8.5,
                    color=INK, gid="column-total")
        ax.add_patch(Rectangle((tx - 0.5, ty - 0.5), 1, 1, facecolor="#DDDDDD", edgecolor="white"))
        ax.text(tx, ty, _amount(total_row[analysis.TOTAL], thai), ha="center", va="center", fontsize=8.5,
                color=INK, gid="grand-total")
        # strategy colour strip above the columns
        strip = 0.0
        if by == "strategy":
            strip = 0.28
            for j, column in enumerate(columns):
                ax.add_patch(Rectangle((j - 0.46, -0.5 - strip), 0.92, strip * 0.7,
                                       facecolor=strategy_color(column), edgecolor="none", gid="strategy-strip"))
        ax.set_xlim(-0.5, tx + 0.5)
        ax.set_ylim(ty + 0.5, -0.5 - strip)
        if by == "strategy":
            col_labels = [fill(_strategy_label(c, thai), 11) for c in columns]
        else:
            col_labels = [year_text(c, thai) for c in columns]
        ax.set_xticks(list(range(n_cols)) + [tx], col_labels + [analysis.TOTAL], fontsize=8.5,
                      linespacing=LINESPACING)
        ax.xaxis.tick_top()
        row_labels = [fill(_digits(u, thai), 22, max_lines=2) for u in rows["unit"]]
        ax.set_yticks(list(range(n_rows)) + [ty], row_labels + [analysis.TOTAL], fontsize=8.5,
                      linespacing=LINESPACING)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        years_label = _years_label(plan, thai)
        policy_short = {"equal": "แบ่งเท่ากัน", "lead": "นับให้หน่วยงานหลัก", "full": "นับเต็มทุกหน่วยงาน"}[table.attrs["policy"]]
        what = "ยุทธศาสตร์" if by == "strategy" else "ปีงบประมาณ"
        scope = f" ({_strategy_label(sid, thai)})" if sid else ""
        title = f"งบประมาณตามหน่วยงานรับผิดชอบและ{what}{scope} {years_label} ({policy_short})"
        subtitle = f"วิธีนับ: {table.attrs['policy_label']} ({MB})"
        notes = []
        if table.attrs["exceeds_plan_total"]:
            notes.append(
                f"ยอดรวม {_amount(table.attrs['credited_total_mb'], thai)} {MB} สูงกว่างบประมาณของแผน "
                f"{_amount(table.attrs['plan_total_mb'], thai)} {MB} เพราะโครงการที่มีหลายหน่วยงานถูกนับซ้ำ"
            )
        if analysis.NO_UNIT in set(rows["unit"]):
            notes.append(f"{analysis.NO_UNIT}: โครงการที่เอกสารไม่ได้ระบุหน่วยงานรับผิดชอบ")
        if by == "year":
            notes.append("นับเฉพาะโครงการที่มีตัวเลขงบประมาณรายปี")
        else:
            notes.append("โครงการที่แยกรายปีไม่ได้ใช้ยอดรวมที่พิมพ์ไว้")
        _titles(fig, title, subtitle, _digits("\n".join(notes), thai), ax)
        return _finish(fig)


# ---- 4. gaps: printed vs computed ----------------------------------------------------------------


def gaps(plan: Plan, level: str = "strategy", strategy_id=None, *, thai_digits: bool = False) -> Figure:
    """A dumbbell per strategy / tactic / project: printed total (hollow marker) and computed
    total (filled marker) joined by a line; every row says its difference (``+33``,
    ``−34``, ``ตรงกัน``, or why one side is missing) and rows that differ are shaded.

    ``ax.collections[0]`` holds the printed markers, ``ax.collections[1]`` the computed ones;
    the difference texts have ``gid='gap-label'``. At project level, projects with no figure at
    all are left out and counted in the note.
    """
    if level not in ("strategy", "tactic", "project"):
        raise ValueError(f"level must be one of 'strategy', 'tactic', 'project'; got {level!r}")
    thai = thai_digits
    sid = _check_strategy(plan, strategy_id)
    table = analysis.printed_vs_computed(plan, level)
    if sid is not None:
        table = table[table["strategy_id"] == sid]
    n_neither = int((table["status"] == "neither").sum()) if level == "project" else 0
    if level == "project":
        table = table[table["status"] != "neither"]
    table = table.reset_index(drop=True)
    key = f"{level}_id"
    names = _strategy_names(plan)
    labels = []
    for _, row in table.iterrows():
        if level == "strategy":
            head, name = _strategy_label(row[key], thai), names.get(row[key], "")
        elif level == "tactic":
            head, name = _tactic_label(row[key], thai), row["name"]
        else:
            head, name = _digits(row[key], thai), row["name"] or "(ไม่มีชื่อในเอกสาร)"
        name = wrap(_digits(name, thai), 34, max_lines=1)
        labels.append(head + (" " + name[0] if name else ""))
    n = len(table)
    with style_context():
        fig = _new_figure(10.0, max(3.8, 2.4 + 0.36 * n))
        ax = fig.add_subplot()
        y = np.arange(n)
        stated = table["stated_mb"].to_numpy(dtype=float)
        computed = table["computed_mb"].to_numpy(dtype=float)
        colors = [strategy_color(s) for s in table["strategy_id"]]
        top = float(np.nanmax(np.concatenate([stated, computed, [1.0]])))
        for i in range(n):
            if table["status"].iloc[i] == "differ":
                ax.axhspan(i - 0.45, i + 0.45, color=DIFF_BG, zorder=0, linewidth=0)
            if not (np.isnan(stated[i]) or np.isnan(computed[i])):
                ax.plot([stated[i], computed[i]], [i, i], color=colors[i], linewidth=2.2, zorder=2,
                        solid_capstyle="round")
        has_s, has_c = ~np.isnan(stated), ~np.isnan(computed)
        ax.scatter(stated[has_s], y[has_s], s=70, facecolors="white",
                   edgecolors=[c for c, h in zip(colors, has_s) if h], linewidths=2, zorder=3,
                   label="ยอดรวมตามเอกสาร")
        ax.scatter(computed[has_c], y[has_c], s=55, c=[c for c, h in zip(colors, has_c) if h],
                   edgecolors=INK, linewidths=0.5, zorder=4, label="ผลรวมจากตัวเลขรายปี/รายโครงการ")
        for i in range(n):
            status = table["status"].iloc[i]
            right = np.nanmax([stated[i], computed[i]])
            if status == "differ":
                diff = table["difference_mb"].iloc[i]
                text = ("+" if diff > 0 else "−") + _amount(abs(diff), thai)
                ink = DIFF_INK
            else:
                text = analysis.STATUS_LABELS[status]
                ink = MUTED
            ax.annotate(text, (right, i), xytext=(9, 0), textcoords="offset points", va="center",
                        fontsize=8.5, color=ink, gid="gap-label")
        ax.set_yticks(y, labels, fontsize=8.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, top * 1.22)
        ax.xaxis.set_major_formatter(_axis_formatter(thai))
        ax.set_xlabel(MB)
        ax.grid(axis="x", color=GRID)
        ax.tick_params(axis="y", length=0)
        legend = fig.legend(*ax.get_legend_handles_labels(), loc="outside upper right", fontsize=8.5, ncols=2)
        for handle in legend.legend_handles:
            handle.set_edgecolor("#777777")
            if handle.get_label() != "ยอดรวมตามเอกสาร":
                handle.set_facecolor("#777777")
        what = {"strategy": "ยุทธศาสตร์", "tactic": "กลยุทธ์", "project": "โครงการ"}[level]
        scope = f" {_strategy_label(sid, thai)}" if sid else ""
        title = f"ยอดรวมตามเอกสารเทียบกับผลรวมที่คำนวณได้ รายการ{what}{scope} {_years_label(plan, thai)}"
        n_differ = int((table["status"] == "differ").sum())
        subtitle = _digits(f"ไม่ตรงกัน {n_differ} จาก {n} รายการ (แถบสีแดง); ตัวเลขท้ายแถว = ผลรวมที่คำนวณได้ลบยอดตามเอกสาร ({MB})", thai)
        note = ""
        if n_neither:
            note = _digits(f"ไม่แสดง {n_neither} โครงการที่เอกสารไม่ระบุงบประมาณเลย", thai)
        _titles(fig, title, subtitle, note, ax)
        return _finish(fig)


# ---- 5. hierarchy treemap ------------------------------------------------------------------------


def _squarify(values, x, y, dx, dy):
    import squarify

    values = [float(v) for v in values]
    if not values:
        return []
    sizes = squarify.normalize_sizes(values, dx, dy)
    return squarify.squarify(sizes, x, y, dx, dy)


def hierarchy(plan: Plan, strategy_id=None, *, thai_digits: bool = False) -> Figure:
    """Strategy -> tactic -> project in one treemap: area = the project's five-year amount,
    colour = its strategy (tactics in shades), hatched = printed total used because the years
    could not be read. Strategies are labelled with their total; projects show id, name and
    amount, or as much of that as fits. Each project rectangle is a patch with
    ``gid='project:<id>'``, each strategy block one with ``gid='strategy:<id>'``.
    """
    thai = thai_digits
    sid = _check_strategy(plan, strategy_id)
    from . import figures as totals

    projects = totals.project_totals(plan)
    if sid is not None:
        projects = projects[projects["strategy_id"] == sid]
    shown = projects[projects["amount_mb"].fillna(0) > 0].copy()
    n_missing = len(projects) - len(shown)
    shown["tactic_key"] = [t if t else f"{s}.-" for s, t in zip(shown["strategy_id"], shown["tactic_id"].fillna(""))]
    strategies = sorted(set(shown["strategy_id"]), key=id_sort_key)
    names = _strategy_names(plan)
    grand = analysis._sum(shown["amount_mb"])
    with style_context():
        fig = _new_figure(12.0, 7.8)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xticks([])
        ax.set_yticks([])
        # decorations first: the layout must be final before labels are measured
        handles = [Patch(facecolor=strategy_color(s), label=fill(_strategy_label(s, thai) + " " + _digits(names.get(s, ""), thai), 30, max_lines=2))
                   for s in strategies]
        handles.append(Patch(facecolor="#BBBBBB", hatch="//", edgecolor="white",
                             label=fill("ใช้ยอดรวมที่พิมพ์ไว้ (แยกงบรายปีไม่ได้)", 30)))
        fig.legend(handles=handles, loc="outside right upper", fontsize=8.5, labelspacing=0.9)
        scope = f"ของ{_strategy_label(sid, thai)} ตามกลยุทธ์และโครงการ" if sid else "ยุทธศาสตร์ กลยุทธ์ และโครงการ"
        title = f"โครงสร้างงบประมาณ{scope} {_years_label(plan, thai)}"
        note = "พื้นที่ = งบประมาณรวมของโครงการ; สีเข้ม-อ่อนในยุทธศาสตร์เดียวกัน = กลยุทธ์ต่างกัน"
        if n_missing:
            note += f"; ไม่แสดง {n_missing} โครงการที่ไม่มีตัวเลขงบประมาณ"
        _titles(fig, title, f"งบประมาณรวม {_amount(grand, thai)} {MB}", _digits(note, thai), ax)
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        H = 100.0
        W = H * box.width / box.height  # data units square in pixels: squarify's squares stay square
        ax.set_xlim(0, W)
        ax.set_ylim(H, 0)
        to_px = ax.transData
        px_per_unit = box.height / H

        def fits(artist, x0, y0, dx, dy, margin=2.0) -> bool:
            extent = artist.get_window_extent(renderer)
            return (extent.width + 2 * margin <= dx * px_per_unit
                    and extent.height + 2 * margin <= dy * px_per_unit)

        def text(x, y, label, **kwargs):
            artist = ax.text(x, y, label, **kwargs)
            artist.set_in_layout(False)
            return artist

        s_totals = {s: analysis._sum(shown.loc[shown["strategy_id"] == s, "amount_mb"]) for s in strategies}
        s_order = sorted(strategies, key=lambda s: (-s_totals[s], id_sort_key(s)))
        # areas are exact: no padding or header band steals space from the projects; the
        # strategy labels sit on top, and project labels keep clear of them
        taken = []  # pixel boxes of the strategy labels
        placements = []  # (item, rect, fill colour) for the project labels
        for s, rect in zip(s_order, _squarify([s_totals[s] for s in s_order], 0, 0, W, H)):
            color = strategy_color(s)
            sx, sy, sdx, sdy = rect["x"], rect["y"], rect["dx"], rect["dy"]
            sub = shown[shown["strategy_id"] == s]
            tactics = sorted(set(sub["tactic_key"]), key=id_sort_key)
            shades = dict(zip(tactics, _shades(color, len(tactics))))
            t_totals = {t: analysis._sum(sub.loc[sub["tactic_key"] == t, "amount_mb"]) for t in tactics}
            t_order = sorted(tactics, key=lambda t: (-t_totals[t], id_sort_key(t)))
            for t, trect in zip(t_order, _squarify([t_totals[t] for t in t_order], sx, sy, sdx, sdy)):
                items = sub[sub["tactic_key"] == t]
                items = items.iloc[sorted(range(len(items)), key=lambda j: (-float(items["amount_mb"].iloc[j]),
                                                                              id_sort_key(items["project_id"].iloc[j])))]
                p_rects = _squarify(items["amount_mb"].tolist(), trect["x"], trect["y"], trect["dx"], trect["dy"])
                for (_, item), prect in zip(items.iterrows(), p_rects):
                    ax.add_patch(Rectangle((prect["x"], prect["y"]), prect["dx"], prect["dy"], facecolor=shades[t],
                                           edgecolor="white", linewidth=0.8, zorder=1,
                                           hatch="//" if item["basis"] == "printed" else None,
                                           gid=f"project:{item['project_id']}"))
                    placements.append((item, prect, shades[t]))
            ax.add_patch(Rectangle((sx, sy), sdx, sdy, facecolor="none", edgecolor="white", linewidth=3,
                                   zorder=3, gid=f"strategy:{s}"))
            for label in (f"{_strategy_label(s, thai)} · {_amount(s_totals[s], thai)} {MB}",
                          f"{_strategy_label(s, thai)} · {_amount(s_totals[s], thai)}",
                          _strategy_label(s, thai)):
                header = text(sx + 1.0, sy + 1.0, label, ha="left", va="top", fontsize=9, color=INK, zorder=5,
                              gid=f"strategy-label:{s}",
                              bbox=dict(boxstyle="round,pad=0.25", facecolor="white", alpha=0.85, edgecolor="none"))
                if fits(header, sx, sy, sdx - 1.0, sdy - 1.0, margin=4):
                    taken.append(header.get_window_extent(renderer).expanded(1.0, 1.0).padded(4))
                    break
                header.remove()
        for item, prect, fillc in placements:
            x0, y0, dx, dy = prect["x"], prect["y"], prect["dx"], prect["dy"]
            printed = item["basis"] == "printed"
            pid, amount = _digits(item["project_id"], thai), _amount(item["amount_mb"], thai)
            cells = int(dx * px_per_unit / (8 * fig.dpi / 72 * 0.62)) - 2
            candidates = []
            if cells >= 10:
                name = _digits(item["name"] or "(ไม่มีชื่อในเอกสาร)", thai)
                candidates += [f"{pid} {fill(name, cells, max_lines=4)}\n{amount} {MB}",
                               f"{pid} {fill(name, cells, max_lines=2)}\n{amount}"]
            candidates += [f"{pid}\n{amount}", pid]
            # centred, or (when a strategy label covers the centre) in the lower part of the box
            spots = [(x0 + dx / 2, y0 + dy / 2, "center"), (x0 + dx / 2, y0 + dy - 1.0, "bottom")]
            placed = False
            for label in candidates:
                for cx, cy, va in spots:
                    artist = text(cx, cy, label, ha="center", va=va, fontsize=8, color=_ink_on(fillc), zorder=4,
                                  linespacing=1.2, gid=f"label:{item['project_id']}",
                                  bbox=dict(boxstyle="round,pad=0.2", facecolor=fillc, edgecolor="none")
                                  if printed else None)
                    extent = artist.get_window_extent(renderer)
                    if fits(artist, x0, y0, dx, dy) and not any(extent.overlaps(box) for box in taken):
                        placed = True
                        break
                    artist.remove()
                if placed:
                    break
        return _finish(fig)


# ---- 6. KPI targets -------------------------------------------------------------------------------


def kpi_targets(plan: Plan, strategy_id=None, *, thai_digits: bool = False, ncols: int = 3) -> Figure:
    """Small multiples of KPI targets over the plan's years: one panel per KPI, bars in the
    strategy's colour, every target written; a KPI printed with a second target row gets a
    second (hatched) series. Years without a target show ``–``. Panels are ``fig.axes`` in
    strategy/KPI order.
    """
    thai = thai_digits
    sid = _check_strategy(plan, strategy_id)
    table = analysis.kpi_targets(plan, sid)
    keys = list(dict.fromkeys(zip(table["strategy_id"], table["kpi_id"])))
    years = list(plan.years)
    n = max(len(keys), 1)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    with style_context():
        fig = _new_figure(4.0 * ncols + 0.6, 3.3 * nrows + 1.4)
        axes = fig.subplots(nrows, ncols, squeeze=False)
        multi_series = False
        titles = []
        for strat, kpi in keys:
            rows = table[(table["strategy_id"] == strat) & (table["kpi_id"] == kpi)]
            head = _digits(f"{_strategy_label(strat, False)} ตัวชี้วัดที่ {kpi}", thai)
            titles.append([head, *wrap(_digits(rows["name"].iloc[0], thai), 40, max_lines=3)])
        for row_start in range(0, len(titles), ncols):  # same line count across a row: heads align
            row_titles = titles[row_start:row_start + ncols]
            depth = max(len(t) for t in row_titles)
            for t in row_titles:
                t.extend([" "] * (depth - len(t)))
        titles = ["\n".join(t) for t in titles]
        for index, (strat, kpi) in enumerate(keys):
            ax = axes[index // ncols][index % ncols]
            rows = table[(table["strategy_id"] == strat) & (table["kpi_id"] == kpi)]
            color = strategy_color(strat)
            unit = rows["unit"].iloc[0]
            ax.set_title(titles[index], loc="left", fontsize=8.5, color=INK, linespacing=LINESPACING)
            x = np.arange(len(years))
            ax.set_xticks(x, [year_text(y, thai) for y in years], fontsize=8)
            ax.set_xlim(-0.6, len(years) - 0.4)
            ax.grid(axis="y", color=GRID)
            if not rows["target"].notna().any():
                ax.text(0.5, 0.5, "ไม่มีค่าเป้าหมายในเอกสาร", transform=ax.transAxes, ha="center", va="center",
                        fontsize=9, color=MUTED, gid="no-targets")
                ax.set_yticks([])
                ax.spines["left"].set_visible(False)
                continue
            series = sorted(set(rows["series"]))
            multi_series |= len(series) > 1
            width = 0.8 / len(series)
            top = float(np.nanmax(rows["target"].to_numpy(dtype=float)))
            top = top if top > 0 else 1.0
            for k, s in enumerate(series):
                part = rows[rows["series"] == s]
                values = {int(y): float(t) for y, t in zip(part["fiscal_year"], part["target"]) if not pd.isna(y)}
                offsets = x - 0.4 + width * (k + 0.5)
                present = [i for i, yr in enumerate(years) if yr in values and not math.isnan(values[yr])]
                bars = ax.bar(offsets[present], [values[years[i]] for i in present], width * 0.92,
                              color=color if k == 0 else _mix(color, 0.55), edgecolor=_darker(color),
                              hatch=None if k == 0 else "///", linewidth=0.8,
                              label=_digits(f"แถวที่ {s}", thai))
                ax.bar_label(bars, labels=[_amount(values[years[i]], thai) for i in present], padding=2,
                             fontsize=7.5, color=INK)
                for i in range(len(years)):
                    if i not in present:
                        ax.text(offsets[i], top * 0.02, "–", ha="center", va="bottom", fontsize=9, color=MUTED,
                                gid="no-target")
            ax.set_ylim(0, top * 1.25)
            ax.yaxis.set_major_formatter(_axis_formatter(thai))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
            ax.set_ylabel(unit, fontsize=8.5)
            ax.tick_params(axis="y", labelsize=8)
        for index in range(len(keys), nrows * ncols):
            axes[index // ncols][index % ncols].set_axis_off()
        if not keys:
            axes[0][0].text(0.5, 0.5, "ไม่มีตัวชี้วัดในเอกสาร", ha="center", va="center", color=MUTED)
        scope = f"{_strategy_label(sid, thai)} " if sid else ""
        title = f"ค่าเป้าหมายตัวชี้วัด {scope}{_years_label(plan, thai)}"
        note = "– = ไม่มีค่าเป้าหมายในปีนั้น (เอกสารพิมพ์ - หรือเว้นว่าง)"
        if multi_series:
            note += "; แถบลาย = ค่าเป้าหมายอีกแถวหนึ่งที่พิมพ์ไว้ใต้ตัวชี้วัดเดียวกัน"
        fig.suptitle(title, x=0.01, ha="left", fontsize=13, color=INK)
        fig.supxlabel(_digits(note, thai), x=0.01, ha="left", fontsize=8, color=MUTED)
        return _finish(fig)


# ---- saving ----------------------------------------------------------------------------------------


def _atomic_write(path: Path, fig: Figure, fmt: str, metadata: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            fig.savefig(handle, format=fmt, metadata=metadata)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save(fig: Figure, path: str | os.PathLike) -> list[Path]:
    """Write *fig* as ``<stem>.png`` and ``<stem>.svg``; return the two paths.

    *path* may end in ``.png``/``.svg`` or have no suffix. Output is reproducible: no dates
    (PNG ``Software`` and SVG ``Date`` metadata removed), the SVG ids hashed with a fixed salt
    and text drawn as paths (the house style), so the same figure gives the same bytes. Each
    file is written to a temporary file in the same directory and moved into place.
    """
    path = Path(path)
    stem = path.with_suffix("") if path.suffix.lower() in (".png", ".svg") else path
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with style_context():
        for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
            target = stem.with_name(stem.name + "." + fmt)
            _atomic_write(target, fig, fmt, metadata)
            written.append(target)
    return written


#: The six charts by name (used by the gallery).
CHARTS = {
    "strategy_budget": strategy_budget,
    "budget_by_year": budget_by_year,
    "unit_heatmap": unit_heatmap,
    "gaps": gaps,
    "hierarchy": hierarchy,
    "kpi_targets": kpi_targets,
}
