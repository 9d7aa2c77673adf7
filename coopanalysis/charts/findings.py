"""The findings chart: what the checks found, per check and severity."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from coopanalysis.charts.base import finish, legend_below, new_figure, titles
from coopanalysis.charts.style import ink_on, style_context
from coopanalysis.text.fmt import count, digits
from coopanalysis.text.labels import SEVERITY_COLORS, SEVERITY_TH

__all__ = ["findings_chart"]


def findings_chart(findings, thai_digits: bool = False) -> Figure:
    """Horizontal bars: findings per check (Thai name of the check), stacked by severity
    (errors first, in the severity colours), each segment labelled with its count.

    *findings* is any iterable of objects with ``check`` and ``severity`` (the checks'
    ``Finding``). Checks are in :data:`coopanalysis.checks.CHECKS` order, unknown codes last;
    ``ax.containers`` has one bar container per severity, labelled in Thai.
    """
    from coopanalysis.checks import CHECK_TH, CHECKS  # lazy: the checks import the figures, not the charts

    findings = list(findings)
    counts: dict[str, dict[str, int]] = {}
    for f in findings:
        counts.setdefault(f.check, {}).setdefault(f.severity, 0)
        counts[f.check][f.severity] += 1
    checks = [c for c in CHECKS if c in counts] + sorted(set(counts) - set(CHECKS))
    with style_context():
        fig = new_figure(9.0, 1.9 + 0.42 * max(len(checks), 1))
        ax = fig.add_subplot()
        labels = [digits(CHECK_TH.get(c, c), thai_digits) for c in checks][::-1]
        y = list(range(len(checks)))
        left = [0] * len(checks)
        for severity, color in SEVERITY_COLORS.items():
            values = [counts[c].get(severity, 0) for c in checks][::-1]
            bars = ax.barh(y, values, left=left, color=color, label=SEVERITY_TH[severity])
            texts = [count(v, thai_digits) if v else "" for v in values]
            ax.bar_label(bars, labels=texts, label_type="center", fontsize=8, color=ink_on(color))
            left = [a + b for a, b in zip(left, values)]
        ax.set_yticks(y, labels)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: count(round(v), thai_digits)))
        ax.set_xlabel("จำนวนข้อตรวจพบ")
        if not checks:
            ax.text(0.5, 0.5, "ไม่มีข้อตรวจพบ", transform=ax.transAxes, ha="center", va="center")
        total = count(len(findings), thai_digits)
        titles(fig, f"ข้อตรวจพบจากการกระทบยอด {total} รายการ แยกตามการตรวจและระดับ")
        legend_below(fig, ax, *ax.get_legend_handles_labels())
        return finish(fig)
