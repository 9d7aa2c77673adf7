"""The gaps chart: printed total beside computed total, one dumbbell per strategy, tactic or project."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from coopanalysis import analysis
from coopanalysis.charts.base import (
    DIFF_BG,
    DIFF_INK,
    GRID,
    INK,
    MUTED,
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
from coopanalysis.charts.style import strategy_color, style_context
from coopanalysis.model.plan import Plan
from coopanalysis.text.fmt import digits
from coopanalysis.text.labels import MB
from coopanalysis.text.textwrap_th import wrap

__all__ = ["gaps", "LEVEL_WORDS"]

#: Level -> the Thai word for its rows.
LEVEL_WORDS = {"strategy": "ยุทธศาสตร์", "tactic": "กลยุทธ์", "project": "โครงการ"}


def gaps(plan: Plan, level: str = "strategy", strategy_id=None, *, thai_digits: bool = False) -> Figure:
    """A dumbbell per strategy / tactic / project: printed total (hollow marker) and computed
    total (filled marker) joined by a line; every row says its difference (``+33``,
    ``−34``, ``ตรงกัน``, or why one side is missing) and rows that differ are shaded.

    ``ax.collections[0]`` holds the printed markers, ``ax.collections[1]`` the computed ones;
    the difference texts have ``gid='gap-label'``. At project level, projects with no figure at
    all are left out and counted in the note. With *strategy_id* and a finer level, the
    summary also says when the strategy's own printed total differs from its projects (rows
    that all match do not mean the strategy adds up). The legend sits under the axis.
    """
    if level not in LEVEL_WORDS:
        raise ValueError(f"level must be one of 'strategy', 'tactic', 'project'; got {level!r}")
    thai = thai_digits
    sid = analysis.check_strategy(plan, strategy_id)
    table = analysis.printed_vs_computed(plan, level)
    if sid is not None:
        table = table[table["strategy_id"] == sid]
    n_neither = int((table["status"] == "neither").sum()) if level == "project" else 0
    if level == "project":
        table = table[table["status"] != "neither"]
    table = table.reset_index(drop=True)
    key = f"{level}_id"
    names = strategy_names(plan)
    labels = []
    for _, row in table.iterrows():
        if level == "strategy":
            head, name = strategy_label(row[key], thai), names.get(row[key], "")
        elif level == "tactic":
            head, name = tactic_label(row[key], thai), row["name"]
        else:
            head, name = project_id_label(row[key], thai), row["name"] or "(ไม่มีชื่อในเอกสาร)"
        name = wrap(digits(name, thai), 34, max_lines=1)
        labels.append(head + (" " + name[0] if name else ""))
    n = len(table)
    with style_context():
        fig = new_figure(10.0, max(3.8, 2.6 + 0.36 * n))
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
            right = 0.0 if np.isnan(stated[i]) and np.isnan(computed[i]) else np.nanmax([stated[i], computed[i]])
            if status == "differ":
                diff = table["difference_mb"].iloc[i]
                text = ("+" if diff > 0 else "−") + label_amount(abs(diff), thai)
                ink = DIFF_INK
            else:
                text = analysis.STATUS_LABELS[status]
                ink = MUTED
            ax.annotate(text, (right, i), xytext=(9, 0), textcoords="offset points", va="center",
                        fontsize=8.5, color=ink, gid="gap-label")
        ax.set_yticks(y, labels, fontsize=8.5)
        ax.set_ylim(max(n, 1) - 0.5, -0.5)
        ax.set_xlim(0, top * 1.22)
        ax.xaxis.set_major_formatter(axis_formatter(thai))
        ax.set_xlabel(MB)
        ax.grid(axis="x", color=GRID)
        ax.tick_params(axis="y", length=0)
        what = LEVEL_WORDS[level]
        scope = f" {strategy_label(sid, thai)}" if sid else ""
        title = f"ยอดรวมตามเอกสารเทียบกับผลรวมที่คำนวณได้ รายการ{what}{scope} {years_label(plan, thai)}"
        n_differ = int((table["status"] == "differ").sum())
        summary = [f"{what}ที่ไม่ตรงกัน {n_differ} จาก {n} รายการ (แถบสีแดง); "
                   f"ตัวเลขท้ายแถว = ผลรวมที่คำนวณได้ลบยอดตามเอกสาร ({MB})"]
        if sid is not None and level != "strategy":
            summary.insert(0, strategy_mismatch_note(plan, sid, thai))
        note = f"ไม่แสดง {n_neither} โครงการที่เอกสารไม่ระบุงบประมาณเลย" if n_neither else ""
        note = "\n".join(n for n in (note, no_detail_note(plan, sid, thai, what="")) if n)
        titles(fig, title, digits("\n".join(s for s in summary if s), thai), digits(note, thai), ax)
        handles, hlabels = ax.get_legend_handles_labels()
        legend = legend_below(fig, ax, handles, hlabels)
        for handle in legend.legend_handles:
            handle.set_edgecolor("#777777")
            if handle.get_label() != "ยอดรวมตามเอกสาร":
                handle.set_facecolor("#777777")
        return finish(fig)
