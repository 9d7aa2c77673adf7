"""The hierarchy treemap: strategy -> tactic -> project, area = amount."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from coopanalysis import analysis
from coopanalysis.charts.base import (
    INK,
    finish,
    has_projects,
    label_amount,
    new_figure,
    no_detail_note,
    project_id_label,
    strategy_label,
    strategy_mismatch_note,
    strategy_names,
    titles,
    years_label,
)
from coopanalysis.charts.style import ink_on, shades, strategy_color, style_context
from coopanalysis.io.schema import id_sort_key
from coopanalysis.model.plan import Plan
from coopanalysis.text.fmt import digits
from coopanalysis.text.labels import MB
from coopanalysis.text.textwrap_th import fill

__all__ = ["hierarchy"]


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
    amount, or as much of that as fits, in the text colour that reads on their fill. Each
    project rectangle is a patch with ``gid='project:<id>'``, each strategy block one with
    ``gid='strategy:<id>'``. The figures come from :func:`coopanalysis.analysis.hierarchy_table`.
    """
    thai = thai_digits
    sid = analysis.check_strategy(plan, strategy_id)
    if sid is not None and not has_projects(plan, sid):  # nothing to lay out (strategy 7 of the seed)
        projects = analysis.hierarchy_table(plan).iloc[0:0].copy()
        projects.attrs = {}
    else:
        projects = analysis.hierarchy_table(plan, sid)
    shown = projects[projects["amount_mb"].fillna(0) > 0].copy()
    n_missing = len(projects.attrs.get("without_amount", [])) + len(projects) - len(shown)
    strategies = sorted(set(shown["strategy_id"]), key=id_sort_key)
    names = strategy_names(plan)
    grand = analysis.exact_sum(shown["amount_text"])
    with style_context():
        fig = new_figure(12.0, 7.8)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xticks([])
        ax.set_yticks([])
        # decorations first: the layout must be final before labels are measured
        handles = [Patch(facecolor=strategy_color(s), label=fill(strategy_label(s, thai) + " " + digits(names.get(s, ""), thai), 30, max_lines=2))
                   for s in strategies]
        handles.append(Patch(facecolor="#BBBBBB", hatch="//", edgecolor="white",
                             label=fill("ใช้ยอดรวมที่พิมพ์ไว้ (แยกงบรายปีไม่ได้)", 30)))
        fig.legend(handles=handles, loc="outside right upper", fontsize=8.5, labelspacing=0.9)
        scope = f"ของ{strategy_label(sid, thai)} ตามกลยุทธ์และโครงการ" if sid else "ยุทธศาสตร์ กลยุทธ์ และโครงการ"
        title = f"โครงสร้างงบประมาณ{scope} {years_label(plan, thai)}"
        note = "พื้นที่ = งบประมาณรวมของโครงการ; สีเข้ม-อ่อนในยุทธศาสตร์เดียวกัน = กลยุทธ์ต่างกัน"
        if n_missing:
            note += f"; ไม่แสดง {n_missing} โครงการที่ไม่มีตัวเลขงบประมาณ"
        for extra in (strategy_mismatch_note(plan, sid, thai) if sid else "", no_detail_note(plan, sid, thai, what="")):
            note += "\n" + extra if extra else ""
        titles(fig, title, f"งบประมาณรวม {label_amount(grand, thai) or label_amount(0, thai)} {MB}", digits(note, thai), ax)
        finish(fig)
        renderer = fig.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        H = 100.0
        W = H * box.width / box.height  # data units square in pixels: squarify's squares stay square
        ax.set_xlim(0, W)
        ax.set_ylim(H, 0)
        px_per_unit = box.height / H

        def fits(artist, dx, dy, margin=2.0) -> bool:
            extent = artist.get_window_extent(renderer)
            return (extent.width + 2 * margin <= dx * px_per_unit
                    and extent.height + 2 * margin <= dy * px_per_unit)

        def text(x, y, label, **kwargs):
            artist = ax.text(x, y, label, **kwargs)
            artist.set_in_layout(False)
            return artist

        def total(frame):
            return float(analysis.exact_sum(frame["amount_text"]))

        s_totals = {s: total(shown[shown["strategy_id"] == s]) for s in strategies}
        s_order = sorted(strategies, key=lambda s: (-s_totals[s], id_sort_key(s)))
        # areas are exact: no padding or header band steals space from the projects; the
        # strategy labels sit on top, and project labels keep clear of them
        taken = []  # pixel boxes of the strategy labels
        placements = []  # (item, rect, fill colour) for the project labels
        for s, rect in zip(s_order, _squarify([s_totals[s] for s in s_order], 0, 0, W, H)):
            sx, sy, sdx, sdy = rect["x"], rect["y"], rect["dx"], rect["dy"]
            sub = shown[shown["strategy_id"] == s]
            tactics = sorted(set(sub["tactic_key"]), key=id_sort_key)
            tactic_fill = dict(zip(tactics, shades(strategy_color(s), len(tactics))))
            t_totals = {t: total(sub[sub["tactic_key"] == t]) for t in tactics}
            t_order = sorted(tactics, key=lambda t: (-t_totals[t], id_sort_key(t)))
            for t, trect in zip(t_order, _squarify([t_totals[t] for t in t_order], sx, sy, sdx, sdy)):
                items = sub[sub["tactic_key"] == t]
                items = items.iloc[sorted(range(len(items)), key=lambda j: (-float(items["amount_mb"].iloc[j]),
                                                                              id_sort_key(items["project_id"].iloc[j])))]
                p_rects = _squarify(items["amount_mb"].tolist(), trect["x"], trect["y"], trect["dx"], trect["dy"])
                for (_, item), prect in zip(items.iterrows(), p_rects):
                    ax.add_patch(Rectangle((prect["x"], prect["y"]), prect["dx"], prect["dy"],
                                           facecolor=tactic_fill[t], edgecolor="white", linewidth=0.8, zorder=1,
                                           hatch="//" if item["basis"] == "printed" else None,
                                           gid=f"project:{item['project_id']}"))
                    placements.append((item, prect, tactic_fill[t]))
            ax.add_patch(Rectangle((sx, sy), sdx, sdy, facecolor="none", edgecolor="white", linewidth=3,
                                   zorder=3, gid=f"strategy:{s}"))
            head = strategy_label(s, thai)
            for label in (f"{head} · {label_amount(s_totals[s], thai)} {MB}",
                          f"{head} · {label_amount(s_totals[s], thai)}", head):
                header = text(sx + 1.0, sy + 1.0, label, ha="left", va="top", fontsize=9, color=INK, zorder=5,
                              gid=f"strategy-label:{s}",
                              bbox=dict(boxstyle="round,pad=0.25", facecolor="white", alpha=0.85, edgecolor="none"))
                if fits(header, sdx - 1.0, sdy - 1.0, margin=4):
                    taken.append(header.get_window_extent(renderer).expanded(1.0, 1.0).padded(4))
                    break
                header.remove()
        for item, prect, fillc in placements:
            x0, y0, dx, dy = prect["x"], prect["y"], prect["dx"], prect["dy"]
            printed = item["basis"] == "printed"
            pid, amount = project_id_label(item["project_id"], thai), label_amount(item["amount_mb"], thai)
            cells = int(dx * px_per_unit / (8 * fig.dpi / 72 * 0.62)) - 2
            candidates = []
            if cells >= 10:
                name = digits(item["name"] or "(ไม่มีชื่อในเอกสาร)", thai)
                candidates += [f"{pid} {fill(name, cells, max_lines=4)}\n{amount} {MB}",
                               f"{pid} {fill(name, cells, max_lines=2)}\n{amount}"]
            candidates += [f"{pid}\n{amount}", pid]
            # centred, or (when a strategy label covers the centre) in the lower part of the box
            spots = [(x0 + dx / 2, y0 + dy / 2, "center"), (x0 + dx / 2, y0 + dy - 1.0, "bottom")]
            placed = False
            for label in candidates:
                for cx, cy, va in spots:
                    artist = text(cx, cy, label, ha="center", va=va, fontsize=8, color=ink_on(fillc), zorder=4,
                                  linespacing=1.2, gid=f"label:{item['project_id']}",
                                  bbox=dict(boxstyle="round,pad=0.2", facecolor=fillc, edgecolor="none")
                                  if printed else None)
                    extent = artist.get_window_extent(renderer)
                    if fits(artist, dx, dy) and not any(extent.overlaps(b) for b in taken):
                        placed = True
                        break
                    artist.remove()
                if placed:
                    break
        return finish(fig)
