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

__all__ = ["allocation", "by_year"]


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
