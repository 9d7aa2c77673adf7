"""Output formats for findings: ``table`` (terminal), ``json``, ``markdown``, ``csv``.

Text from the document (names, messages, a plan's title) never becomes live markup or a formula:
:func:`md_text` escapes everything Markdown would act on (links, images, emphasis, raw HTML,
table pipes, line breaks), and :func:`render_csv` makes a text cell that starts like a
formula (``= + - @``, tab, CR) text for a spreadsheet (``'`` in front; numbers stay numbers).

Every format states the tolerance used: table and markdown in a header line, csv in the
``tolerance_mb`` / ``rel_tolerance`` columns of every row, json (which must stay ONE array of
findings) through :func:`tolerance_line`, which the command prints to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from coopanalysis.checks.findings import FIELDS, Finding, summary_counts
from coopanalysis.checks.summary import group_findings
from coopanalysis.checks.tolerance import MAX_REL_TOLERANCE, MAX_TOLERANCE, tolerance_value
from coopanalysis.io.safeio import spreadsheet_text
from coopanalysis.text.labels import SEVERITY_TH
from coopanalysis.text.markdown import md_text
from coopanalysis.text.textwrap_th import display_width, wrap
from coopanalysis.text.thai import amount_text

__all__ = [
    "FORMATS", "SEVERITY_LABEL", "counts_line", "display_width", "md_text", "pad", "render", "render_csv",
    "render_json", "render_markdown", "render_table", "tolerance_line",
]

FORMATS = ("table", "json", "markdown", "csv")
SEVERITY_LABEL = {"error": "ERROR", "warning": "WARN", "info": "INFO"}
#: Heading of the plan-wide group in the terminal table.
WHOLE_PLAN_HEADING = "ทั้งแผนและเอกสาร (whole plan)"


def pad(text: str, width: int, right: bool = False) -> str:
    """*text* padded with spaces to *width* display cells (Thai marks take none).

    >>> pad("ที่", 3) + "|", pad("5", 3, right=True)
    ('ที่  |', '  5')
    """
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _tolerances(tolerance, rel_tolerance) -> tuple[Decimal, Decimal | None]:
    return (tolerance_value(tolerance, "tolerance", MAX_TOLERANCE),
            tolerance_value(rel_tolerance, "rel_tolerance", MAX_REL_TOLERANCE) if rel_tolerance is not None else None)


def tolerance_line(tolerance, rel_tolerance=None) -> str:
    """One line stating the tolerance(s), Thai then English.

    >>> tolerance_line(Decimal("0.005"))
    'เกณฑ์ความคลาดเคลื่อน: ต่างกันไม่เกิน 0.005 ล้านบาท ถือว่าตรงกัน (tolerance: 0.005 million baht)'
    >>> tolerance_line(Decimal("0.005"), Decimal("0.01")).endswith("(tolerance: 0.005 million baht and 1% of stated)")
    True
    """
    tolerance, rel_tolerance = _tolerances(tolerance, rel_tolerance)
    tol = amount_text(tolerance)
    if rel_tolerance is None:
        return (f"เกณฑ์ความคลาดเคลื่อน: ต่างกันไม่เกิน {tol} ล้านบาท ถือว่าตรงกัน"
                f" (tolerance: {tol} million baht)")
    pct = amount_text(rel_tolerance * 100)
    return (f"เกณฑ์ความคลาดเคลื่อน: ต่างกันไม่เกิน {tol} ล้านบาท หรือไม่เกิน {pct}% ของยอดที่พิมพ์ ถือว่าตรงกัน"
            f" (tolerance: {tol} million baht and {pct}% of stated)")


def counts_line(findings) -> str:
    counts = summary_counts(findings)
    return " · ".join(f"{SEVERITY_TH[s]} ({s}) {counts[s]}" for s in counts)


def _where(f: Finding) -> str:
    return f.id if f.level in ("plan", "document") else f"{f.level} {f.id}"


def _wrap(text: str, width: int) -> list[str]:
    if width <= 0 or display_width(text) <= width:
        return [text]
    try:
        return wrap(text, width) or [text]
    except Exception:  # pragma: no cover - wrapping is cosmetic
        return [text]


def render_table(findings, tolerance, rel_tolerance=None, title: str = "",
                 strategy_names: dict[str, str] | None = None, width: int = 100) -> str:
    """Aligned text for a terminal: grouped by strategy, errors first, message under each row."""
    names = strategy_names or {}
    headers = ["ระดับ", "รหัสตรวจ", "ที่", "ปี", "ตามเอกสาร", "คำนวณ", "ผลต่าง", "บรรทัด"]

    def cells_of(f: Finding) -> list[str]:
        return [SEVERITY_LABEL[f.severity], f.check, _where(f), str(f.fiscal_year or ""),
                f.stated or "", f.computed or "", f.difference or "",
                str(f.source_line) if f.source_line is not None else ""]

    rows = [cells_of(f) for f in findings]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    right = {3, 4, 5, 6, 7}

    def line(cells):
        return "  ".join(pad(c, widths[i], i in right) for i, c in enumerate(cells)).rstrip()

    out = []
    if title:
        out.append(f"ผลการตรวจสอบ: {title}")
    out.append(tolerance_line(tolerance, rel_tolerance))
    out.append(counts_line(findings))
    if not findings:
        out.append("")
        out.append("ไม่พบข้อผิดพลาด (no findings)")
        return "\n".join(out) + "\n"
    for strategy_id, title, group in group_findings(findings, names):
        out.append("")
        out.append(f"== {title if strategy_id is not None else WHOLE_PLAN_HEADING} ==")
        out.append(line(headers))
        for f in group:
            out.append(line(cells_of(f)))
            for text in _wrap(f.message, max(20, width - 4)):
                out.append("    " + text)
    out.append("")
    out.append(counts_line(findings) + " — " + tolerance_line(tolerance, rel_tolerance))
    return "\n".join(out) + "\n"


_md = md_text  # the one Markdown escaping rule (coopanalysis.text.markdown)


def _code(text: str) -> str:
    """A check id as inline code (ids are ``[a-z0-9_.-]``; anything else is escaped text)."""
    return f"`{text}`" if re.fullmatch(r"[\w.-]+", text) else _md(text)


def render_markdown(findings, tolerance, rel_tolerance=None, title: str = "",
                    strategy_names: dict[str, str] | None = None) -> str:
    """A GitHub-flavoured Markdown table (pastes into a review), tolerance in the header line."""
    out = []
    if title:
        out.append(f"**ผลการตรวจสอบ:** {_md(title)}")
        out.append("")
    out.append(f"_{tolerance_line(tolerance, rel_tolerance)}_ — {counts_line(findings)}")
    out.append("")
    out.append("| ระดับ | ยุทธศาสตร์ | รหัสตรวจ | ที่ | ปี | ตามเอกสาร | คำนวณ | ผลต่าง | บรรทัด | รายละเอียด |")
    out.append("|---|---|---|---|---:|---:|---:|---:|---:|---|")
    for f in findings:
        out.append("| " + " | ".join([_md(SEVERITY_LABEL[f.severity]), _md(f.strategy_id or ""), _code(f.check)] + [
            _md(c) for c in [_where(f), f.fiscal_year or "", f.stated or "", f.computed or "", f.difference or "",
                             f.source_line if f.source_line is not None else "", f.message]
        ]) + " |")
    return "\n".join(out) + "\n"


def render_json(findings) -> str:
    """ONE JSON array of findings (amounts as numbers, null when absent)."""
    return json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2) + "\n"


#: The text columns of the CSV (the others are numbers: a difference of -5 stays -5).
CSV_TEXT_FIELDS = frozenset({"severity", "check", "level", "id", "message", "message_en", "strategy_id", "hint",
                             "cells", "name"})


def render_csv(findings, tolerance, rel_tolerance=None) -> str:
    """CSV text starting with a BOM (Excel reads it as UTF-8); tolerance in every row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS + ["tolerance_mb", "rel_tolerance"])
    tolerance, rel_tolerance = _tolerances(tolerance, rel_tolerance)
    tol = amount_text(tolerance)
    rel = amount_text(rel_tolerance) if rel_tolerance is not None else ""
    for f in findings:
        row = []
        for name in FIELDS:
            value = getattr(f, name)
            if name == "cells":
                value = " | ".join(value)
            value = "" if value is None else value
            row.append(spreadsheet_text(value) if name in CSV_TEXT_FIELDS and isinstance(value, str) else value)
        writer.writerow(row + [tol, rel])
    return "\ufeff" + buffer.getvalue()


def render(findings, fmt: str, tolerance, rel_tolerance=None, title: str = "",
           strategy_names: dict[str, str] | None = None, width: int = 100) -> str:
    """Render *findings* in *fmt* (one of :data:`FORMATS`)."""
    if fmt == "table":
        return render_table(findings, tolerance, rel_tolerance, title, strategy_names, width)
    if fmt == "markdown":
        return render_markdown(findings, tolerance, rel_tolerance, title, strategy_names)
    if fmt == "json":
        return render_json(findings)
    if fmt == "csv":
        return render_csv(findings, tolerance, rel_tolerance)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
