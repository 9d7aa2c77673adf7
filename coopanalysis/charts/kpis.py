"""KPI targets as small multiples: one panel per KPI, one bar series per printed target row."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coopanalysis import analysis
from coopanalysis.charts.base import (
    GRID,
    INK,
    LINESPACING,
    MUTED,
    axis_formatter,
    finish,
    label_amount,
    new_figure,
    strategy_label,
    titles,
    years_label,
)
from coopanalysis.charts.style import darker, mix, strategy_color, style_context
from coopanalysis.model.plan import Plan
from coopanalysis.text.fiscal import year_text
from coopanalysis.text.fmt import digits, is_missing
from coopanalysis.text.labels import node_label
from coopanalysis.text.textwrap_th import wrap

__all__ = ["kpi_targets"]


def _panel_titles(table: pd.DataFrame, keys, thai: bool, ncols: int) -> list[str]:
    """Head line and wrapped name of each panel; same line count across a row so heads align."""
    titles_ = []
    for strat, kpi in keys:
        rows = table[(table["strategy_id"] == strat) & (table["kpi_id"] == kpi)]
        head = f"{strategy_label(strat, thai)} {node_label('kpi', kpi, thai_digits=thai)}"
        titles_.append([head, *wrap(digits(rows["name"].iloc[0], thai), 40, max_lines=3)])
    for row_start in range(0, len(titles_), ncols):
        row_titles = titles_[row_start:row_start + ncols]
        depth = max(len(t) for t in row_titles)
        for t in row_titles:
            t.extend([" "] * (depth - len(t)))
    return ["\n".join(t) for t in titles_]


def kpi_targets(plan: Plan, strategy_id=None, *, thai_digits: bool = False, ncols: int = 3) -> Figure:
    """Small multiples of KPI targets over the plan's years: one panel per KPI, bars in the
    strategy's colour, every target written; a KPI printed with a second target row gets a
    second (hatched) series with its own heights. Years without a target show ``–``
    (``gid='no-target'``). Panels are ``fig.axes`` in strategy/KPI order; a panel's
    ``containers[k]`` is its series ``k + 1``.
    """
    thai = thai_digits
    sid = analysis.check_strategy(plan, strategy_id)
    table = analysis.kpi_targets(plan, sid)
    keys = list(dict.fromkeys(zip(table["strategy_id"], table["kpi_id"])))
    years = list(plan.years)
    n = max(len(keys), 1)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    with style_context():
        fig = new_figure(4.0 * ncols + 0.6, 3.3 * nrows + 1.4)
        axes = fig.subplots(nrows, ncols, squeeze=False)
        multi_series = False
        panel_titles = _panel_titles(table, keys, thai, ncols)
        for index, (strat, kpi) in enumerate(keys):
            ax = axes[index // ncols][index % ncols]
            rows = table[(table["strategy_id"] == strat) & (table["kpi_id"] == kpi)]
            color = strategy_color(strat)
            ax.set_title(panel_titles[index], loc="left", fontsize=8.5, color=INK, linespacing=LINESPACING)
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
                              color=color if k == 0 else mix(color, 0.55), edgecolor=darker(color),
                              hatch=None if k == 0 else "///", linewidth=0.8,
                              label=digits(f"แถวที่ {s}", thai))
                ax.bar_label(bars, labels=[label_amount(values[years[i]], thai) for i in present], padding=2,
                             fontsize=7.5, color=INK)
                for i in range(len(years)):
                    if i not in present:
                        ax.text(offsets[i], top * 0.02, "–", ha="center", va="bottom", fontsize=9, color=MUTED,
                                gid="no-target")
            ax.set_ylim(0, top * 1.25)
            ax.yaxis.set_major_formatter(axis_formatter(thai))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
            unit = rows["unit"].iloc[0]
            ax.set_ylabel("" if is_missing(unit) else digits(unit, thai), fontsize=8.5)
            ax.tick_params(axis="y", labelsize=8)
        for index in range(len(keys), nrows * ncols):
            axes[index // ncols][index % ncols].set_axis_off()
        if not keys:
            axes[0][0].text(0.5, 0.5, "ไม่มีตัวชี้วัดในเอกสาร", ha="center", va="center", color=MUTED)
        scope = f"{strategy_label(sid, thai)} " if sid else ""
        title = f"ค่าเป้าหมายตัวชี้วัด {scope}{years_label(plan, thai)}"
        note = "– = ไม่มีค่าเป้าหมายในปีนั้น (เอกสารพิมพ์ - หรือเว้นว่าง)"
        if multi_series:
            note += "; แถบลาย = ค่าเป้าหมายอีกแถวหนึ่งที่พิมพ์ไว้ใต้ตัวชี้วัดเดียวกัน"
        titles(fig, title, "", digits(note, thai))
        return finish(fig)
