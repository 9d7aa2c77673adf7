"""Budget charts: printed vs computed totals per strategy or tactic, and yearly amounts stacked."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from coopanalysis import analysis
from coopanalysis.charts.base import (
    GRID,
    INK,
    LINESPACING,
    MUTED,
    absent_strategies_note,
    axis_formatter,
    finish,
    label_amount,
    legend_below,
    new_figure,
    no_detail_note,
    project_id_label,
    strategy_label,
    strategy_mismatch_note,
    strategy_names,
    tactic_label,
    titles,
    years_label,
)
from coopanalysis.charts.style import ink_on, mix, shades, strategy_color, style_context
from coopanalysis.model.plan import Plan
from coopanalysis.text.fiscal import year_text
from coopanalysis.text.fmt import digits
from coopanalysis.text.labels import MB, NO_TACTIC, TOTAL
from coopanalysis.text.textwrap_th import fill

__all__ = ["strategy_budget", "budget_by_year"]


def strategy_budget(plan: Plan, strategy_id=None, *, thai_digits: bool = False) -> Figure:
    """Printed five-year total beside the total computed from the projects, per strategy
    (or, with *strategy_id*, per tactic of that strategy), every bar labelled in ล้านบาท.

    Two bar containers: ``ax.containers[0]`` printed (hatched, label ``'ตามเอกสาร'``),
    ``ax.containers[1]`` computed (solid, label ``'จากรายโครงการ'``); an item without a
    printed (or computed) figure has no bar there, and a note at its base instead
    (``gid='missing-printed'`` / ``'missing-computed'``), at the place its bar would be.
    With *strategy_id*, a strategy whose printed total differs from its projects says so.
    """
    thai = thai_digits
    sid = analysis.check_strategy(plan, strategy_id)
    if sid is None:
        table = analysis.by_strategy(plan)
        key = "strategy_id"
        names = strategy_names(plan)
    else:
        table = analysis.by_tactic(plan, sid)
        key = "tactic_id"
    rows = table[table[key] != TOTAL].reset_index(drop=True)
    n = len(rows)
    with style_context():
        fig = new_figure(max(7.5, 1.35 * n + 2.0), 6.2)
        ax = fig.add_subplot()
        x = np.arange(n)
        width = 0.38
        colors = [strategy_color(s) for s in rows["strategy_id"]]
        stated = rows["stated_mb"].to_numpy(dtype=float)
        computed = rows["computed_mb"].to_numpy(dtype=float)
        has_s, has_c = ~np.isnan(stated), ~np.isnan(computed)
        printed_bars = ax.bar(
            x[has_s] - width / 2, stated[has_s], width,
            color=[mix(c, 0.65) for c, h in zip(colors, has_s) if h],
            edgecolor=[c for c, h in zip(colors, has_s) if h], hatch="///", linewidth=1.2,
            label="ตามเอกสาร",
        )
        computed_bars = ax.bar(
            x[has_c] + width / 2, computed[has_c], width,
            color=[c for c, h in zip(colors, has_c) if h], edgecolor="white", linewidth=0.5,
            label="จากรายโครงการ",
        )
        ax.bar_label(printed_bars, labels=[label_amount(v, thai) for v in stated[has_s]], padding=3,
                     fontsize=8.5, color=INK)
        ax.bar_label(computed_bars, labels=[label_amount(v, thai) for v in computed[has_c]], padding=3,
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
                head, name = strategy_label(row["strategy_id"], thai), names.get(row["strategy_id"], "")
            else:
                head, name = tactic_label(row["tactic_id"], thai), row["name"]
                if head == NO_TACTIC:
                    name = ""
            body = fill(digits(name, thai), 16, max_lines=3)
            labels.append(head + ("\n" + body if body else ""))
        ax.set_xticks(x, labels, fontsize=8, linespacing=1.1)
        ax.tick_params(axis="x", length=0)
        # every slot in view, however few: a missing bar's note stays at its slot
        extra = max(0.0, (2.4 - n) / 2)
        ax.set_xlim(-0.6 - extra, n - 0.4 + extra)
        ax.set_ylim(0, top * 1.15)
        ax.yaxis.set_major_formatter(axis_formatter(thai))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.set_ylabel(MB)
        ax.grid(axis="y", color=GRID)
        years = years_label(plan, thai)
        if sid is None:
            title = f"งบประมาณตามยุทธศาสตร์ {years}"
        else:
            title = f"งบประมาณตามกลยุทธ์ของ{strategy_label(sid, thai)} {years}"
        n_printed = int(np.nansum(rows["n_printed_basis"].to_numpy(dtype=float))) if "n_printed_basis" in rows else 0
        notes = [digits("ผลรวมจากรายโครงการ: รวมงบประมาณ 5 ปีของโครงการในแต่ละกลุ่ม", thai)]
        if n_printed:
            notes[0] += digits(f" (โครงการที่แยกรายปีไม่ได้ {n_printed} โครงการ ใช้ยอดรวมที่พิมพ์ไว้)", thai)
        if sid is not None:
            notes.append(strategy_mismatch_note(plan, sid, thai))
            notes.append(no_detail_note(plan, sid, thai, what=""))
        titles(fig, title, f"ยอดรวมที่พิมพ์ในเอกสารเทียบกับผลรวมจากรายโครงการ ({MB})", "\n".join(n for n in notes if n), ax)
        legend_below(fig, ax, [
            Patch(facecolor=mix("#777777", 0.65), edgecolor="#777777", hatch="///",
                  label=digits("ยอดรวม 5 ปีตามเอกสาร", thai)),
            Patch(facecolor="#777777", label="ผลรวมจากรายโครงการ"),
        ])
        return finish(fig)


def budget_by_year(plan: Plan, strategy_id=None, *, thai_digits: bool = False) -> Figure:
    """Yearly amounts stacked by strategy (or, with *strategy_id*, by project of that
    strategy in shades of its colour), BE years on the axis, year totals on top.

    One bar container per stack layer (label = the strategy or project); the totals are
    texts with ``gid='year-total'``. Only yearly figures count (see
    :func:`coopanalysis.analysis.by_year`); the note names what is left out: projects
    without yearly figures, and strategies printed without any project detail.
    """
    thai = thai_digits
    sid = analysis.check_strategy(plan, strategy_id)
    table = analysis.by_year(plan, by="strategy" if sid is None else "project", strategy_id=sid)
    groups = table.attrs["columns"]
    rows = table[table["fiscal_year"] != TOTAL].reset_index(drop=True)
    years = [int(y) for y in rows["fiscal_year"]]
    names = strategy_names(plan)
    if sid is None:
        colors = [strategy_color(g) for g in groups]
        labels = []
        for g in groups:
            name = fill(digits(names.get(g, ""), thai), 26, max_lines=2)
            labels.append(strategy_label(g, thai) + ("\n" + name if name else ""))
    else:
        colors = shades(strategy_color(sid), len(groups))
        pnames = dict(zip(plan.projects["project_id"], plan.projects["name"]))
        labels = []
        for g in groups:
            name = fill(digits(pnames.get(g, ""), thai), 30, max_lines=2)
            labels.append(project_id_label(g, thai) + (" " + name if name else ""))
    with style_context():
        fig = new_figure(10.5, 6.2)
        ax = fig.add_subplot()
        x = np.arange(len(years))
        bottom = np.zeros(len(years))
        totals = rows[TOTAL].to_numpy(dtype=float)
        top = max(float(np.nanmax(totals)) if len(totals) else 0.0, 1.0)
        for g, color, label in zip(groups, colors, labels):
            values = rows[g].to_numpy(dtype=float)
            bars = ax.bar(x, values, 0.62, bottom=bottom, color=color, edgecolor="white", linewidth=0.6, label=label)
            texts = [label_amount(v, thai) if v >= 0.06 * top else "" for v in values]
            ax.bar_label(bars, labels=texts, label_type="center", fontsize=8, color=ink_on(color))
            bottom = bottom + values
        for xi, total in zip(x, totals):
            ax.text(xi, total + top * 0.015, label_amount(total, thai), ha="center", va="bottom", fontsize=9,
                    color=INK, gid="year-total")
        ax.set_xticks(x, [year_text(y, thai) for y in years])
        ax.set_xlabel("ปีงบประมาณ (พ.ศ.)")
        ax.set_ylabel(MB)
        ax.set_ylim(0, top * 1.12)
        ax.yaxis.set_major_formatter(axis_formatter(thai))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.grid(axis="y", color=GRID)
        handles, hlabels = ax.get_legend_handles_labels()
        fig.legend(handles[::-1], hlabels[::-1], loc="outside right upper", fontsize=8,
                   title="ยุทธศาสตร์" if sid is None else "โครงการ", title_fontsize=9)
        years_text = years_label(plan, thai)
        if sid is None:
            title = f"งบประมาณรายปีตามยุทธศาสตร์ {years_text}"
        else:
            title = f"งบประมาณรายปีของ{strategy_label(sid, thai)} จำแนกตามโครงการ {years_text}"
        notes = [_excluded_note(plan, table.attrs["excluded"], sid, thai)]
        if sid is None:
            notes.append(absent_strategies_note(plan, groups, thai))
        else:
            notes.append(strategy_mismatch_note(plan, sid, thai))
            notes.append(no_detail_note(plan, sid, thai))
        titles(fig, title, f"ผลรวมงบประมาณรายปี ({MB}) ซ้อนตาม{'ยุทธศาสตร์' if sid is None else 'โครงการ'}",
               "\n".join(n for n in notes if n), ax)
        return finish(fig)


def _excluded_note(plan: Plan, excluded: list[str], strategy_id, thai: bool) -> str:
    """What the yearly chart leaves out: projects whose years could not be read (their
    printed totals) and projects with no figure at all."""
    if not excluded:
        return ""
    table = analysis.excluded_projects(plan, strategy_id)
    table = table[table["project_id"].isin(list(excluded))]
    printed = table[table["basis"] == "printed"]
    n_empty = len(set(excluded) - set(printed["project_id"]))
    parts = []
    if len(printed):
        amount = analysis.exact_sum(printed["amount_text"])
        parts.append(f"{len(printed)} โครงการที่แยกงบรายปีไม่ได้ ({', '.join(printed['project_id'])}; "
                     f"ยอดรวม {label_amount(amount, False)} {MB})")
    if n_empty:
        parts.append(f"{n_empty} โครงการที่เอกสารไม่ระบุงบประมาณ")
    return digits("ไม่รวม " + " และ ".join(parts), thai)
