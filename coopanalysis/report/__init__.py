"""Reports: notebook parameters, the parallel papermill runner, HTML export, the index, and the
small helpers the notebooks call (so that notebooks hold narrative and short calls only).

* :mod:`coopanalysis.report.params`: load ``params/*.yaml`` and command-line values, validate
  them against the plan's strategies before any kernel starts (``ParamsError``, exit 2).
* :mod:`coopanalysis.report.runner`: a bounded pool of workers, each with a warm kernel,
  executing notebooks with papermill and exporting HTML (inputs hidden, images embedded).
* :mod:`coopanalysis.report.index`: ``index.html``; :func:`show_summary` for notebooks.
* this module: display helpers for notebooks. :func:`show` draws a chart as an embedded PNG
  (no pyplot, no backend needed), :func:`table` formats a table for reading (Thai headers,
  thousands separators, ``–`` for missing, Thai digits on request), and the ``*_lines`` /
  ``*_table`` functions build the figures each report prints.

Importing this package is cheap (the runner's parent process imports it): pandas, matplotlib,
IPython and the analysis modules are imported inside the functions that need them.
"""

from __future__ import annotations

import math
from pathlib import Path

from .index import show_summary

__all__ = [
    "show_summary", "run_report", "load_plan", "check_strategy", "show", "heading", "table",
    "amount", "strategy_totals_lines", "finding_counts_line", "strategy_key_lines", "strategy_summary",
    "plan_summary", "projects_table", "kpi_table", "findings_table", "findings_pivot", "findings_chart",
    "findings_by_group", "corrections_table", "unit_policy_table", "unit_policy_lines", "units_summary",
    "write_csv", "plan_heading", "strategy_heading", "note", "show_strategy_charts", "show_kpis",
]

#: Shown for a missing figure.
MISSING = "–"
MB = "ล้านบาท"

#: parse_status of a project (data/README.md) -> Thai.
PARSE_STATUS_TH = {
    "exact": "ครบ ตรงยอดรวม",
    "repaired": "แก้การจัดวางแล้ว ตรงยอดรวม",
    "mismatch": "รายปีไม่ตรงยอดรวม",
    "unreconciled": "จัดลงปีไม่ได้ (ใช้ยอดรวม)",
    "sheet_only": "จากแผ่นโครงการ (ไม่มียอดรวม)",
    "listed_only": "มีเพียงชื่อ ไม่มีตัวเลข",
}
SEVERITY_TH = {"error": "ผิดพลาด", "warning": "คำเตือน", "info": "ข้อมูล"}
SEVERITY_COLORS = {"error": "#B2182B", "warning": "#E69F00", "info": "#56B4E9"}
#: check code -> short Thai name (see coopanalysis.checks for what each checks).
CHECK_TH = {
    "project_total": "ยอดรวมโครงการไม่ตรง",
    "project_unreconciled": "จัดงบรายปีไม่ได้",
    "project_repaired": "แก้การจัดวางแถว",
    "duplicate_listing": "โครงการซ้ำในตาราง",
    "listing_conflict": "รายการซ้ำแต่ตัวเลขต่างกัน",
    "sheet_vs_table": "แผ่นโครงการต่างจากตาราง",
    "tactic_total": "ยอดรวมกลยุทธ์ไม่ตรง",
    "tactic_count": "จำนวนโครงการของกลยุทธ์ไม่ตรง",
    "strategy_total": "ยอดรวมยุทธศาสตร์ไม่ตรง",
    "strategy_count": "จำนวนโครงการของยุทธศาสตร์ไม่ตรง",
    "no_detail": "ไม่มีรายละเอียดโครงการ",
    "no_figures": "ไม่มีตัวเลขงบประมาณ",
    "missing_strategy": "ยุทธศาสตร์ที่ขาดหาย",
    "plan_total": "ยอดรวมทั้งแผนไม่ตรง",
    "name_mismatch": "ชื่อสะกดไม่ตรงกัน",
    "correction_applied": "ใช้ค่าที่แก้ไขแล้ว",
    "unread_text": "ข้อความที่อ่านไม่ได้",
}
#: Column -> Thai header used by :func:`table` (other columns keep their name).
COLUMN_TH = {
    "strategy_id": "ยุทธศาสตร์",
    "tactic_id": "กลยุทธ์",
    "project_id": "โครงการ",
    "kpi_id": "ตัวชี้วัด",
    "name": "ชื่อ",
    "goal": "เป้าหมาย",
    "unit": "หน่วยงาน",
    "unit_name": "ชื่อเต็ม",
    "fiscal_year": "ปีงบประมาณ",
    "stated_mb": "ตามเอกสาร",
    "computed_mb": "คำนวณได้",
    "detailed_mb": "มีงบรายปี",
    "printed_basis_mb": "ใช้ยอดรวมที่พิมพ์",
    "amount_mb": "ใช้ในยอดรวม",
    "difference_mb": "ผลต่าง",
    "gap_mb": "ส่วนที่ขาด",
    "stated_count": "โครงการตามเอกสาร",
    "found_count": "โครงการที่พบ",
    "n_printed_basis": "ใช้ยอดรวมที่พิมพ์ (โครงการ)",
    "coverage": "ความครอบคลุม",
    "share": "สัดส่วน",
    "share_stated": "สัดส่วน (ตามเอกสาร)",
    "share_computed": "สัดส่วน (คำนวณ)",
    "difference_share": "ผลต่าง (ร้อยละ)",
    "status_th": "ผล",
    "parse_status": "สถานะการอ่าน",
    "severity": "ระดับ",
    "check": "การตรวจ",
    "level": "ระดับข้อมูล",
    "id": "รหัส",
    "message": "รายละเอียด",
    "hint": "สาเหตุที่เป็นไปได้",
    "source_line": "บรรทัด",
    "printed": "ค่าที่พิมพ์",
    "corrected": "ค่าที่แก้",
    "reason": "เหตุผล",
    "field": "ช่อง",
}
_PERCENT = {"share", "coverage", "share_stated", "share_computed", "difference_share"}
_COUNT = {"stated_count", "found_count", "n_printed_basis", "series", "source_line", "n"}


def run_report(*args, **kwargs):
    """See :func:`coopanalysis.report.runner.run_report`."""
    from .runner import run_report as _run

    return _run(*args, **kwargs)


# ---- loading ---------------------------------------------------------------------------------


def load_plan(source: str | Path | None = ""):
    """The plan at *source* (a notebook's ``source`` parameter): empty = the bundled data,
    relative paths from the project root (never the working directory)."""
    from .. import paths
    from ..plan import load
    from .params import resolve_path

    return load(resolve_path(source, paths.PLAN_DIR))


def check_strategy(plan, strategy_id) -> str:
    """*strategy_id* checked against the plan (ParamsError listing the valid choices)."""
    from .params import normalize_strategy_id

    return normalize_strategy_id(strategy_id, plan.strategy_ids())


# ---- display ---------------------------------------------------------------------------------


def show(fig, dpi: int = 100) -> None:
    """Display a matplotlib Figure as an embedded PNG (house style active while it is drawn)."""
    import io

    from IPython.display import Image, display

    from ..style import style_context

    buffer = io.BytesIO()
    with style_context():
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    display(Image(data=buffer.getvalue(), format="png"))


def note(text: str) -> None:
    """A short remark in the report (Markdown, italic)."""
    from IPython.display import Markdown, display

    display(Markdown(f"*{text}*"))


def show_strategy_charts(plan, strategy_id: str, thai_digits: bool = False) -> int:
    """The charts of one strategy, built and shown one at a time: printed vs computed per tactic,
    yearly amounts per project, gaps per project, the tactic/project treemap. A strategy with
    no project in the detail gets a note instead of empty charts. Returns how many were shown."""
    from .. import charts

    if not (plan.projects["strategy_id"] == strategy_id).any():
        note("เอกสารไม่มีรายละเอียดโครงการของยุทธศาสตร์นี้ จึงไม่มีแผนภูมิ (no project detail, no charts)")
        return 0
    builders = (
        lambda: charts.strategy_budget(plan, strategy_id, thai_digits=thai_digits),
        lambda: charts.budget_by_year(plan, strategy_id, thai_digits=thai_digits),
        lambda: charts.gaps(plan, "project", strategy_id, thai_digits=thai_digits),
        lambda: charts.hierarchy(plan, strategy_id, thai_digits=thai_digits),
    )
    for build in builders:
        show(build())
    return len(builders)


def show_kpis(plan, strategy_id: str, thai_digits: bool = False) -> None:
    """A strategy's KPI targets: the table (as printed) and the chart, or a note when none."""
    from IPython.display import display

    from .. import charts

    frame = kpi_table(plan, strategy_id, thai_digits)
    if frame.empty:
        note("เอกสารไม่มีตัวชี้วัดของยุทธศาสตร์นี้ (no KPI printed for this strategy)")
        return
    display(frame)
    show(charts.kpi_targets(plan, strategy_id, thai_digits=thai_digits))


def heading(text: str, level: int = 2) -> None:
    """A Markdown heading computed at run time (e.g. with the strategy's name)."""
    from IPython.display import Markdown, display

    display(Markdown("#" * level + " " + text))


def plan_heading(plan, subtitle: str, thai_digits: bool = False) -> None:
    """The report's heading: *subtitle*, then the plan's title, its fiscal years and the unit."""
    from IPython.display import Markdown, display

    from ..fiscal import plan_years_label

    years = plan_years_label(plan.years, thai_digits=thai_digits)
    display(Markdown(f"# {subtitle}\n\n**{plan.title}** · ปีงบประมาณ {years} · หน่วย: {MB}"))


def strategy_heading(plan, strategy_id: str, thai_digits: bool = False) -> None:
    """A strategy report's heading: number and name, then its goal (เป้าหมาย) when printed."""
    from IPython.display import Markdown, display

    row = plan.strategies[plan.strategies["strategy_id"] == strategy_id].iloc[0]
    text = "# " + _digits(f"ยุทธศาสตร์ที่ {strategy_id}", thai_digits) + (f" {row['name']}" if row["name"] else "")
    if row.get("goal"):
        text += f"\n\n**เป้าหมาย:** {row['goal']}"
    display(Markdown(text + f"\n\n{plan.title} · หน่วย: {MB}"))


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(value, float) and math.isnan(value)


def _digits(text: str, thai_digits: bool) -> str:
    from ..thai import to_thai

    return to_thai(text) if thai_digits else text


def amount(value, thai_digits: bool = False, sign: bool = False) -> str:
    """An amount in million baht for reading: ``1,200.5``; ``–`` when missing; ``+33`` with *sign*.

    >>> amount(1200.5), amount(float("nan")), amount(33.0, sign=True), amount(161.5, thai_digits=True)
    ('1,200.5', '–', '+33', '๑๖๑.๕')
    """
    from ..thai import format_number

    if _missing(value):
        return MISSING
    text = format_number(round(float(value), 4), thai_digits=thai_digits)
    if sign and float(value) > 0:
        text = "+" + text
    return text


def _percent(value, thai_digits: bool) -> str:
    from ..thai import format_number

    if _missing(value):
        return MISSING
    return format_number(float(value) * 100, decimals=1, thai_digits=thai_digits) + "%"


def _kind(column) -> str:
    from ..analysis import TOTAL

    if isinstance(column, int) or column == TOTAL or str(column).endswith("_mb"):
        return "amount"
    if column in _PERCENT:
        return "percent"
    if column in _COUNT:
        return "count"
    if column == "fiscal_year":
        return "year"
    if str(column).endswith("_id") or column == "id":
        return "id"
    return "text"


def _cell(value, kind: str, thai_digits: bool) -> str:
    if kind == "amount":
        return amount(value, thai_digits) if not isinstance(value, str) else value
    if kind == "percent":
        return _percent(value, thai_digits)
    if _missing(value):
        return MISSING if kind in ("count", "year") else ""
    if kind == "count":
        return _digits(str(int(value)), thai_digits)
    if kind in ("year", "id"):
        return _digits(str(value), thai_digits)
    return str(value)


def table(frame, columns: dict | list | None = None, thai_digits: bool = False, index: str | None = None):
    """*frame* formatted for reading: a DataFrame of strings with Thai headers.

    *columns*: the columns to show, in order (a list, or a dict column -> header); default
    all, headers from :data:`COLUMN_TH`. Amounts (``*_mb``, year columns, ``'รวม'``, and the
    group columns that :mod:`coopanalysis.analysis` lists in ``attrs['columns']``) get
    thousands separators and ``–`` when missing, shares become percentages. *index*: the
    column to use as the row labels (default: the first column shown).
    """
    import pandas as pd

    groups = list(frame.attrs.get("columns", []))  # by_year / by_unit: one amount column per group
    if columns is None:
        columns = list(frame.columns)
    if not isinstance(columns, dict):
        columns = {c: (str(c) if c in groups else COLUMN_TH.get(c, c)) for c in columns}
    out = {}
    for column, header in columns.items():
        kind = "amount" if column in groups else _kind(column)
        label = _digits(str(header), thai_digits) if isinstance(header, int) or column in groups else str(header)
        out[label] = [_cell(v, kind, thai_digits) for v in frame[column]]
    result = pd.DataFrame(out)
    key = columns.get(index, index) if index else next(iter(out), None)
    if key is not None and key in result.columns:
        result = result.set_index(key)
    return result


def write_csv(frame, output_dir, name: str) -> Path | None:
    """Write *frame* to ``OUTPUT_DIR/<name>.csv`` (UTF-8 with BOM, for spreadsheet programs)
    when the notebook was given an ``output_dir``; return the path (None when not)."""
    if not output_dir:
        return None
    from .params import resolve_path

    path = resolve_path(output_dir) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


# ---- key figures (printed: compared exactly by nbval) -------------------------------------------


def finding_counts_line(findings, thai_digits: bool = False) -> str:
    """``ผิดพลาด (error) 12 · คำเตือน (warning) 17 · ข้อมูล (info) 5``."""
    from ..checks import summary_counts

    counts = summary_counts(findings)
    return " · ".join(f"{SEVERITY_TH[s]} ({s}) {_digits(str(n), thai_digits)}" for s, n in counts.items())


def strategy_totals_lines(plan, thai_digits: bool = False) -> list[str]:
    """One line per strategy, then the plan: printed and computed totals, projects found/printed."""
    from ..analysis import TOTAL, by_strategy

    lines = []
    for row in by_strategy(plan).itertuples(index=False):
        label = "รวมทุกยุทธศาสตร์" if row.strategy_id == TOTAL else f"ยุทธศาสตร์ที่ {row.strategy_id}"
        lines.append(
            f"{_digits(label, thai_digits)}: ตามเอกสาร {amount(row.stated_mb, thai_digits)}"
            f" | คำนวณได้ {amount(row.computed_mb, thai_digits)} {MB}"
            f" | โครงการที่พบ {_cell(row.found_count, 'count', thai_digits)}"
            f" (ตามเอกสาร {_cell(row.stated_count, 'count', thai_digits)})"
        )
    return lines


def _strategy_row(plan, strategy_id):
    from ..analysis import printed_vs_computed

    frame = printed_vs_computed(plan, "strategy")
    return frame[frame["strategy_id"] == strategy_id].iloc[0]


def strategy_key_lines(plan, strategy_id: str, findings, thai_digits: bool = False) -> list[str]:
    """The key figures of one strategy: printed and computed totals, difference, project counts,
    findings by severity."""
    row = _strategy_row(plan, strategy_id)
    own = [f for f in findings if f.strategy_id == strategy_id]
    d = lambda text: _digits(text, thai_digits)  # noqa: E731
    return [
        d(f"ยุทธศาสตร์ที่ {strategy_id}") + (f" {row['name']}" if row["name"] else ""),
        f"งบประมาณรวมตามเอกสาร (printed): {amount(row['stated_mb'], thai_digits)} {MB}",
        f"งบประมาณรวมจากรายโครงการ (computed): {amount(row['computed_mb'], thai_digits)} {MB}",
        f"ผลต่าง (computed − printed): {amount(row['difference_mb'], thai_digits, sign=True)} {MB}"
        f" ({row['status_th']})",
        f"จำนวนโครงการ: พบ {_cell(row['found_count'], 'count', thai_digits)}"
        f" / ตามเอกสาร {_cell(row['stated_count'], 'count', thai_digits)}",
        f"ข้อตรวจพบ {d(str(len(own)))}: {finding_counts_line(own, thai_digits)}",
    ]


def strategy_summary(plan, strategy_id: str, findings, thai_digits: bool = False) -> tuple[str, dict]:
    """The one-line summary of a strategy report (for the index) and its fields."""
    from ..checks import summary_counts

    row = _strategy_row(plan, strategy_id)
    own = [f for f in findings if f.strategy_id == strategy_id]
    counts = summary_counts(own)
    name = str(row["name"] or "")
    short = name if len(name) <= 48 else name[:47] + "…"
    text = (
        _digits(f"ยุทธศาสตร์ที่ {strategy_id}", thai_digits) + (f" {short}" if short else "")
        + f": ตามเอกสาร {amount(row['stated_mb'], thai_digits)} / คำนวณได้ {amount(row['computed_mb'], thai_digits)} {MB}"
        + f" · โครงการ {_cell(row['found_count'], 'count', thai_digits)}"
        + f" · ข้อตรวจพบ {_digits(str(len(own)), thai_digits)}"
        + f" (ผิดพลาด {_digits(str(counts['error']), thai_digits)})"
    )
    fields = {
        "strategy_id": strategy_id,
        "name": name,
        "stated_mb": None if _missing(row["stated_mb"]) else float(row["stated_mb"]),
        "computed_mb": None if _missing(row["computed_mb"]) else float(row["computed_mb"]),
        "findings": len(own),
        **{f"findings_{k}": v for k, v in counts.items()},
    }
    return text, fields


def plan_summary(plan, findings, thai_digits: bool = False) -> tuple[str, dict]:
    """The one-line summary of a plan-level report and its fields."""
    from ..analysis import printed_vs_computed
    from ..checks import summary_counts

    row = printed_vs_computed(plan, "plan").iloc[0]
    counts = summary_counts(findings)
    text = (
        f"{len(plan.strategies)} ยุทธศาสตร์ {len(plan.projects)} โครงการ"
        f" · ตามเอกสาร {amount(row['stated_mb'])} / คำนวณได้ {amount(row['computed_mb'])} {MB}"
        f" · ข้อตรวจพบ {len(findings)} (ผิดพลาด {counts['error']})"
    )
    fields = {
        "stated_mb": None if _missing(row["stated_mb"]) else float(row["stated_mb"]),
        "computed_mb": None if _missing(row["computed_mb"]) else float(row["computed_mb"]),
        "findings": len(findings),
        **{f"findings_{k}": v for k, v in counts.items()},
    }
    return _digits(text, thai_digits), fields


# ---- tables ------------------------------------------------------------------------------------


def projects_table(plan, strategy_id: str, thai_digits: bool = False):
    """The projects of a strategy: yearly amounts, sum of the years, printed total, status."""
    from ..analysis import TOTAL, by_project

    frame = by_project(plan, strategy_id).copy()
    frame["parse_status"] = [PARSE_STATUS_TH.get(s, s) if s else "" for s in frame["parse_status"].fillna("")]
    frame.loc[frame["project_id"] == TOTAL, "tactic_id"] = ""
    columns = {"project_id": "โครงการ", "tactic_id": "กลยุทธ์", "name": "ชื่อโครงการ"}
    columns.update({year: year for year in frame.attrs.get("years", [])})
    columns.update({"computed_mb": "รวมรายปี", "stated_mb": "รวมตามเอกสาร", "parse_status": "สถานะ"})
    return table(frame, columns, thai_digits)


def kpi_table(plan, strategy_id: str, thai_digits: bool = False):
    """KPI targets of a strategy, one row per KPI target row, one column per year (as printed)."""
    import pandas as pd

    from ..analysis import kpi_targets

    frame = kpi_targets(plan, strategy_id)
    if frame.empty:
        return pd.DataFrame()
    years = list(plan.years)
    rows = []
    for (kpi, series), group in frame.groupby(["kpi_id", "series"], sort=False):
        first = group.iloc[0]
        row = {"kpi_id": kpi if series == 1 else f"{kpi} ({series})", "name": first["name"], "unit": first["unit"]}
        targets = {int(y): t for y, t in zip(group["fiscal_year"], group["target_text"]) if not _missing(y)}
        for year in years:
            text = str(targets.get(year, "") or "").strip()
            row[year] = _digits(text, thai_digits) if text and text != "-" else MISSING
        rows.append(row)
    columns = {"kpi_id": "ตัวชี้วัด", "name": "ชื่อตัวชี้วัด", "unit": "หน่วยนับ", **{year: year for year in years}}
    return table(pd.DataFrame(rows), columns, thai_digits)


def findings_table(findings, thai_digits: bool = False):
    """Findings for reading: severity, check, id, year, message (Thai), likely cause, line."""
    import pandas as pd

    from ..checks import findings_frame

    frame = findings_frame(findings)
    if frame.empty:
        return pd.DataFrame()
    frame["severity"] = [f"{SEVERITY_TH[s]} ({s})" for s in frame["severity"]]
    frame["check"] = [CHECK_TH.get(c, c) for c in frame["check"]]
    frame["hint"] = frame["hint"].fillna("")
    columns = {"severity": "ระดับ", "check": "การตรวจ", "id": "รหัส", "fiscal_year": "ปี", "message": "รายละเอียด",
               "source_line": "บรรทัด"}
    out = table(frame, columns, thai_digits, index="severity")
    if not thai_digits:
        return out
    return out.map(lambda v: _digits(v, True) if isinstance(v, str) else v)


def findings_pivot(findings, thai_digits: bool = False):
    """How many findings of each check, per severity (a row per check, in code order)."""
    import pandas as pd

    from ..checks import CHECKS

    counts: dict[str, dict[str, int]] = {}
    for f in findings:
        counts.setdefault(f.check, {}).setdefault(f.severity, 0)
        counts[f.check][f.severity] += 1
    rows = []
    for check in [c for c in CHECKS if c in counts] + sorted(set(counts) - set(CHECKS)):
        row = {"การตรวจ": CHECK_TH.get(check, check), "รหัส": check}
        row.update({f"{SEVERITY_TH[s]} ({s})": _digits(str(counts[check].get(s, 0)), thai_digits) for s in SEVERITY_TH})
        row["รวม"] = _digits(str(sum(counts[check].values())), thai_digits)
        rows.append(row)
    return pd.DataFrame(rows).set_index("การตรวจ") if rows else pd.DataFrame()


def findings_chart(findings, thai_digits: bool = False):
    """Horizontal bars: findings per check, stacked by severity (a Figure, house style)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from ..checks import CHECKS
    from ..style import style_context

    counts: dict[str, dict[str, int]] = {}
    for f in findings:
        counts.setdefault(f.check, {}).setdefault(f.severity, 0)
        counts[f.check][f.severity] += 1
    checks = [c for c in CHECKS if c in counts] + sorted(set(counts) - set(CHECKS))
    with style_context():
        fig = Figure(figsize=(9, 1.2 + 0.42 * max(len(checks), 1)), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        labels = [CHECK_TH.get(c, c) for c in checks][::-1]
        left = [0] * len(checks)
        for severity, color in SEVERITY_COLORS.items():
            values = [counts[c].get(severity, 0) for c in checks][::-1]
            bars = ax.barh(labels, values, left=left, color=color, label=f"{SEVERITY_TH[severity]} ({severity})")
            texts = [_digits(str(v), thai_digits) if v else "" for v in values]
            ax.bar_label(bars, labels=texts, label_type="center", fontsize=8, color="white" if severity == "error" else "#222222")
            left = [a + b for a, b in zip(left, values)]
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(lambda v, _pos: _digits(f"{v:g}", thai_digits))
        ax.set_xlabel("จำนวนข้อตรวจพบ")
        ax.legend(loc="lower right")
        total = _digits(str(len(findings)), thai_digits)
        fig.suptitle(f"ข้อตรวจพบจากการกระทบยอด {total} รายการ แยกตามการตรวจและระดับ", x=0.01, ha="left")
        fig.draw_without_rendering()
    return fig


def findings_by_group(plan, findings) -> list[tuple[str, list]]:
    """Findings grouped as the checks sort them: plan-wide first, then one group per strategy."""
    names = {str(s): str(n or "") for s, n in zip(plan.strategies["strategy_id"], plan.strategies["name"])}
    groups: dict[str | None, list] = {}
    for f in findings:
        groups.setdefault(f.strategy_id or None, []).append(f)
    out = []
    for sid, items in groups.items():
        if sid is None:
            title = "ทั้งแผนและทั้งเอกสาร"
        else:
            title = f"ยุทธศาสตร์ที่ {sid}" + (f" {names[sid]}" if names.get(sid) else "")
        out.append((title, items))
    return out


def corrections_table(plan, thai_digits: bool = False):
    """The reviewed corrections applied by the ingest (data/corrections.yaml)."""
    import pandas as pd

    frame = plan.corrections
    if frame is None or frame.empty:
        return pd.DataFrame()
    columns = {"project_id": "โครงการ", "field": "ช่อง", "fiscal_year": "ปีงบประมาณ", "printed": "ค่าที่พิมพ์",
               "corrected": "ค่าที่แก้", "reason": "เหตุผล", "source_line": "บรรทัด"}
    out = table(frame, {k: v for k, v in columns.items() if k in frame.columns}, thai_digits)
    if thai_digits:
        for header in ("ค่าที่พิมพ์", "ค่าที่แก้"):
            if header in out.columns:
                out[header] = [_digits(v, True) for v in out[header]]
    return out


def unit_policy_table(plan, thai_digits: bool = False):
    """Each unit's total under every split policy, side by side (million baht)."""
    import pandas as pd

    from ..analysis import POLICIES, TOTAL, by_unit

    merged = None
    for policy in POLICIES:
        frame = by_unit(plan, policy)[["unit", "unit_name", TOTAL]].rename(columns={TOTAL: f"{policy}_mb"})
        merged = frame if merged is None else merged.merge(frame.drop(columns=["unit_name"]), on="unit", how="outer")
    order = list(by_unit(plan, "equal")["unit"])
    merged["_order"] = [order.index(u) if u in order else len(order) for u in merged["unit"]]
    merged = merged.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    merged = merged.fillna({f"{p}_mb": 0.0 for p in POLICIES}).fillna({"unit_name": ""})
    columns = {"unit": "หน่วยงาน", "unit_name": "ชื่อเต็ม"}
    columns.update({f"{p}_mb": f"{p}" for p in POLICIES})
    return table(merged, columns, thai_digits) if not merged.empty else pd.DataFrame()


def units_summary(plan, thai_digits: bool = False) -> tuple[str, dict]:
    """The one-line summary of the units report: how many units, who gets most (equal split)."""
    from ..analysis import NO_UNIT, TOTAL, by_unit

    frame = by_unit(plan, "equal")
    units = frame[~frame["unit"].isin([TOTAL, NO_UNIT])]
    text = f"หน่วยงานรับผิดชอบ {_digits(str(len(units)), thai_digits)} แห่ง"
    fields = {"units": len(units)}
    if len(units):
        top = units.iloc[0]
        text += f" · แบ่งเท่ากัน: มากที่สุด {top['unit']} {amount(top[TOTAL], thai_digits)} {MB}"
        fields.update({"top_unit": str(top["unit"]), "top_unit_mb": float(top[TOTAL])})
    return text, fields


def unit_policy_lines(plan, thai_digits: bool = False) -> list[str]:
    """Key figures of the unit allocation: what each policy credits in total vs the plan."""
    from ..analysis import POLICIES, by_unit

    lines = []
    for policy in POLICIES:
        frame = by_unit(plan, policy)
        credited, allocated = frame.attrs["credited_total_mb"], frame.attrs["plan_total_mb"]
        lines.append(
            f"{policy}: หน่วยงาน {_digits(str(len(frame) - 1), thai_digits)} แห่ง"
            f" | ยอดที่นับให้หน่วยงาน {amount(credited, thai_digits)} {MB}"
            f" | งบประมาณที่จัดสรร {amount(allocated, thai_digits)} {MB}"
            + (" (นับซ้ำ)" if frame.attrs["exceeds_plan_total"] else "")
        )
    return lines
