"""The unit heatmap: amounts per responsible unit and strategy (or year), under a named policy."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from coopanalysis import analysis
from coopanalysis.charts.base import (
    INK,
    LINESPACING,
    absent_strategies_note,
    finish,
    label_amount,
    new_figure,
    strategy_label,
    titles,
    years_label,
)
from coopanalysis.charts.style import ink_on, strategy_color, style_context
from coopanalysis.model.plan import Plan
from coopanalysis.text.fiscal import year_text
from coopanalysis.text.fmt import digits
from coopanalysis.text.labels import MB, NO_UNIT, TOTAL
from coopanalysis.text.textwrap_th import fill

__all__ = ["unit_heatmap"]

POLICY_SHORT = {"equal": "แบ่งเท่ากัน", "lead": "นับให้หน่วยงานหลัก", "full": "นับเต็มทุกหน่วยงาน"}


def unit_heatmap(plan: Plan, policy: str | None = None, by: str = "strategy", strategy_id=None, *,
                 thai_digits: bool = False) -> Figure:
    """Amounts per responsible unit (rows) and strategy or year (columns), written in the
    cells, with row and column totals in grey. *policy* (required) says how a project with
    several units is credited (see :data:`coopanalysis.analysis.POLICIES`); it is named in the
    title and explained in the subtitle. The image is ``ax.images[0]`` (units x columns);
    cell texts have ``gid='cell'``, totals ``'row-total'``, ``'column-total'``,
    ``'grand-total'``. A strategy of the plan without projects is named in the note.
    """
    thai = thai_digits
    table = analysis.by_unit(plan, policy, by=by, strategy_id=strategy_id)
    sid = table.attrs["strategy_id"]
    columns = table.attrs["columns"]
    rows = table[table["unit"] != TOTAL].reset_index(drop=True)
    total_row = table[table["unit"] == TOTAL].iloc[0]
    matrix = rows[columns].to_numpy(dtype=float) if columns else np.zeros((len(rows), 0))
    n_rows, n_cols = matrix.shape
    with style_context():
        fig = new_figure(max(7.0, 2.8 + 1.05 * (n_cols + 1)), max(4.5, 2.6 + 0.42 * (n_rows + 1)))
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
                    ax.text(j, i, label_amount(value, thai), ha="center", va="center", fontsize=8.5,
                            color=ink_on(cmap(norm(value))), gid="cell")
                else:
                    ax.text(j, i, "–", ha="center", va="center", fontsize=8.5, color="#BBBBBB", gid="cell")
        # totals: a grey column on the right and a grey row at the bottom
        tx, ty = n_cols + 0.1, n_rows + 0.1
        for i in range(n_rows):
            ax.add_patch(Rectangle((tx - 0.5, i - 0.5), 1, 1, facecolor="#EEEEEE", edgecolor="white"))
            ax.text(tx, i, label_amount(rows[TOTAL].iloc[i], thai), ha="center", va="center",
                    fontsize=8.5, color=INK, gid="row-total")
        for j, column in enumerate(columns):
            ax.add_patch(Rectangle((j - 0.5, ty - 0.5), 1, 1, facecolor="#EEEEEE", edgecolor="white"))
            ax.text(j, ty, label_amount(total_row[column], thai), ha="center", va="center", fontsize=8.5,
                    color=INK, gid="column-total")
        ax.add_patch(Rectangle((tx - 0.5, ty - 0.5), 1, 1, facecolor="#DDDDDD", edgecolor="white"))
        ax.text(tx, ty, label_amount(total_row[TOTAL], thai), ha="center", va="center", fontsize=8.5,
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
            col_labels = [fill(strategy_label(c, thai), 11) for c in columns]
        else:
            col_labels = [year_text(c, thai) for c in columns]
        ax.set_xticks(list(range(n_cols)) + [tx], col_labels + [TOTAL], fontsize=8.5, linespacing=LINESPACING)
        ax.xaxis.tick_top()
        row_labels = [fill(digits(u, thai), 22, max_lines=2) for u in rows["unit"]]
        ax.set_yticks(list(range(n_rows)) + [ty], row_labels + [TOTAL], fontsize=8.5, linespacing=LINESPACING)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        what = "ยุทธศาสตร์" if by == "strategy" else "ปีงบประมาณ"
        scope = f" ({strategy_label(sid, thai)})" if sid else ""
        title = (f"งบประมาณตามหน่วยงานรับผิดชอบและ{what}{scope} {years_label(plan, thai)} "
                 f"({POLICY_SHORT[table.attrs['policy']]})")
        subtitle = f"วิธีนับ: {table.attrs['policy_label']} ({MB})"
        notes = []
        if table.attrs["exceeds_plan_total"]:
            notes.append(
                f"ยอดรวม {label_amount(table.attrs['credited_total_mb'], thai)} {MB} สูงกว่างบประมาณของแผน "
                f"{label_amount(table.attrs['plan_total_mb'], thai)} {MB} เพราะโครงการที่มีหลายหน่วยงานถูกนับซ้ำ"
            )
        if NO_UNIT in set(rows["unit"]):
            notes.append(f"{NO_UNIT}: โครงการที่เอกสารไม่ได้ระบุหน่วยงานรับผิดชอบ")
        if by == "year":
            notes.append("นับเฉพาะโครงการที่มีตัวเลขงบประมาณรายปี")
        else:
            notes.append("โครงการที่แยกรายปีไม่ได้ใช้ยอดรวมที่พิมพ์ไว้")
        if sid is None:
            shown = columns if by == "strategy" else set(plan.projects["strategy_id"])
            notes.append(absent_strategies_note(plan, shown, thai, what="หน่วยงานรับผิดชอบ"))
        titles(fig, title, subtitle, digits("\n".join(n for n in notes if n), thai), ax)
        return finish(fig)
