"""Charts of any :class:`~coopanalysis.model.Dataset`, keyed by level (``ca.chart``).

Each returns a :class:`matplotlib.figure.Figure` drawn in the house style (Noto Sans Thai),
not registered with pyplot. A plan's strategies keep their colour from
:func:`coopanalysis.charts.style.strategy_color`, as in every chart of the package.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from coopanalysis.analysis.levels import allocation as allocation_table
from coopanalysis.analysis.levels import by_year as by_year_table
from coopanalysis.charts.base import axis_formatter, label_amount
from coopanalysis.charts.style import STRATEGY_PALETTE, strategy_color, style_context
from coopanalysis.text.textwrap_th import wrap

__all__ = ["allocation", "by_year", "treemap"]


def _colors(ds, level: str, labels: list[str]) -> list[str]:
    if ds.kind == "plan" and level == ds.level_keys[0]:
        return [strategy_color(label) for label in labels]
    return [STRATEGY_PALETTE[4]] * len(labels)  # one hue: the bars differ by length, not colour


def _names(table: pd.DataFrame) -> list[str]:
    return ["\n".join(wrap(f"{label} {name}".strip(), 34)[:2]) for label, name in zip(table["label"], table["name"])]


def _title(ds, level: str, year) -> str:
    years = ds.years
    when = f"พ.ศ. {year}" if year else (f"พ.ศ. {years[0]}-{years[-1]}" if years else "")
    return f"งบประมาณตาม{ds.level(level).label_th} {when}".strip()


def allocation(ds, level: str, year: int | None = None, within: str | None = None, top: int | None = 15) -> Figure:
    """Computed amount per node of *level* (bars, million baht) with the printed total beside
    it (a black tick) where the document prints one; the *top* largest.

    >>> import coopanalysis as ca
    >>> figure = ca.chart.allocation(ca.load(), "strategy")
    >>> figure.axes[0].get_title(loc="left")
    'งบประมาณตามยุทธศาสตร์ พ.ศ. 2560-2564'
    """
    table = allocation_table(ds, level, year=year, within=within, top=top)
    if top is None:
        table = table.sort_values("computed_mb", ascending=False, na_position="last")
    table = table.iloc[::-1]
    with style_context():
        figure = Figure(figsize=(8.0, 1.2 + 0.45 * max(len(table), 1)), layout="constrained")
        ax = figure.subplots()
        positions = range(len(table))
        computed = table["computed_mb"].fillna(0.0)
        ax.barh(positions, computed, color=_colors(ds, level, table["label"].tolist()))
        printed = table["stated_mb"]
        if printed.notna().any():
            ax.scatter(printed, positions, marker="|", s=300, color="black", zorder=3)
            ax.legend(handles=[Patch(color="#999999", label="คำนวณจากรายการ"),
                               Line2D([], [], marker="|", markersize=14, linestyle="", color="black",
                                      label="ยอดที่พิมพ์ในเอกสาร")], loc="lower right")
        for y, value in zip(positions, computed):
            ax.annotate(label_amount(value, False), (value, y), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.set_yticks(list(positions), _names(table))
        ax.xaxis.set_major_formatter(axis_formatter(False))
        ax.set_xlabel("ล้านบาท")
        ax.set_title(_title(ds, level, year), loc="left")
    return figure


def _stack_colors(ds, level: str, labels: list[str]) -> list[str]:
    if ds.kind == "plan" and level == ds.level_keys[0]:
        return [strategy_color(label) for label in labels]
    return [STRATEGY_PALETTE[i % len(STRATEGY_PALETTE)] for i in range(len(labels))]


def by_year(ds, level: str, within: str | None = None, top: int = 8) -> Figure:
    """Amounts per fiscal year (BE), stacked by node of *level* (the *top* largest, the rest
    as อื่น ๆ), million baht."""
    table = by_year_table(ds, level, within=within)
    years = [c for c in table.columns if isinstance(c, int)]
    table = table.assign(total=table[years].sum(axis=1)).sort_values("total", ascending=False)
    shown, rest = table.head(top), table.iloc[top:]
    with style_context():
        figure = Figure(figsize=(8.0, 4.5), layout="constrained")
        ax = figure.subplots()
        bottom = pd.Series(0.0, index=years)
        colors = _stack_colors(ds, level, shown["label"].tolist())
        for (_, row), color in zip(shown.iterrows(), colors):
            values = row[years].astype(float)
            ax.bar([str(y) for y in years], values, bottom=bottom, color=color,
                   label=wrap(f"{row['label']} {row['name']}".strip(), 40)[0])
            bottom += values
        if len(rest):
            ax.bar([str(y) for y in years], rest[years].sum().astype(float), bottom=bottom, color="#BBBBBB",
                   label="อื่น ๆ")
        ax.yaxis.set_major_formatter(axis_formatter(False))
        if len(years) > 8:
            ax.tick_params(axis="x", labelrotation=90)
        ax.set_ylabel("ล้านบาท")
        ax.set_title(_title(ds, level, None) + " รายปี", loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return figure


def treemap(ds, level: str, year: int | None = None, within: str | None = None, top: int | None = 12,
            thai_digits: bool = False) -> Figure:
    """The nodes of *level* (beneath *within*) as rectangles sized by their computed amount in
    *year* (default: the whole period), the *top* largest and the rest as one grey rectangle;
    a label where it fits (the table beside the chart names every part).

    >>> import coopanalysis as ca
    >>> figure = ca.chart.treemap(ca.load(), "strategy")
    >>> figure.get_suptitle()
    'งบประมาณตามยุทธศาสตร์ พ.ศ. 2560-2564'
    """
    import squarify
    from matplotlib.patches import Rectangle

    from coopanalysis.charts.style import OKABE_ITO, ink_on
    from coopanalysis.text import fmt
    from coopanalysis.text.textwrap_th import fill

    table = allocation_table(ds, level, year=year, within=within, top=top)
    parts = [(name, float(amount), True) for name, amount in zip(table["name"], table["computed_mb"]) if amount > 0]
    if top is not None and table.attrs["others_count"] and table.attrs["others_mb"] > 0:
        parts.append((f"อื่น ๆ ({table.attrs['others_count']})", table.attrs["others_mb"], False))
    scope = ""
    if within is not None:
        node = ds.nodes.set_index("node_id").loc[ds.node(within)]
        scope = f" ใน{ds.level(node['level']).label_th} {node['name']}"
    years = ds.years
    when = (f"ปีงบประมาณ พ.ศ. {fmt.year(year, thai_digits)}" if year else
            f"พ.ศ. {fmt.year(years[0], thai_digits)}-{fmt.year(years[-1], thai_digits)}" if years else "")
    title = f"งบประมาณตาม{ds.level(level).label_th}{scope} {when}".strip()
    with style_context():
        # 8 x 6 inches and 10 pt labels: legible at the page's width and, scrolled, on a phone
        figure = Figure(figsize=(8, 6))
        ax = figure.add_axes((0.02, 0.07, 0.96, 0.8))
        ax.set_axis_off()
        figure.suptitle(fill(title, 62, max_lines=2), x=0.02, y=0.98, ha="left", va="top", fontsize=12)
        if not parts:
            ax.text(0.5, 0.5, "ไม่มีรายการในปีนี้", ha="center", va="center")
            return figure
        values = [amount for _, amount, _ in parts]
        total = sum(values)
        rects = squarify.squarify(squarify.normalize_sizes(values, 100, 100), 0, 0, 100, 100)
        for i, (rect, (name, amount, own)) in enumerate(zip(rects, parts)):
            color = OKABE_ITO[i % (len(OKABE_ITO) - 1)] if own else "#BBBBBB"
            ax.add_patch(Rectangle((rect["x"], rect["y"]), rect["dx"], rect["dy"], facecolor=color,
                                   edgecolor="white", linewidth=1.5))
            # a label only where it fits: about one character per unit across, 3.5 units a line
            lines_fit = int((rect["dy"] - 1) / 3.5)
            if rect["dx"] < 17 or lines_fit < 3:
                continue
            width = max(8, int((rect["dx"] - 2) * 0.95))
            label = fill(str(name), width, max_lines=max(1, min(3, lines_fit - 2)))
            text = (label + "\n" + fmt.amount(round(amount, 1), thai_digits=thai_digits) + " ล้านบาท\n"
                    + fmt.percent(amount / total, thai_digits=thai_digits))
            ax.text(rect["x"] + 1, rect["y"] + rect["dy"] - 1, text, ha="left", va="top", fontsize=10,
                    color=ink_on(color), clip_on=True)
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        figure.text(0.02, 0.01, f"หน่วย: ล้านบาท · รวม {fmt.amount(round(total, 1), thai_digits=thai_digits)} ล้านบาท · "
                                f"ที่มา: {ds.title}", fontsize=8, color="#666666")
    return figure
