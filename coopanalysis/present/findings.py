"""The checks report's content: what is wrong first, every finding in full, with an anchor.

Counts and grouping come from :mod:`coopanalysis.checks` (``findings_pivot``,
``group_findings``, ``check_label``); this module only lays them out for reading.
"""

from __future__ import annotations

from coopanalysis.checks import check_label, findings_pivot, group_findings, summary_counts
from coopanalysis.present.escape import html_attr, html_text
from coopanalysis.present.page import Block, findings_anchor, strategy_anchor
from coopanalysis.present.table import Column, ReadingTable
from coopanalysis.present.text import readable_ids, reader_message, reason_th
from coopanalysis.text.fmt import amount, count, digits, year
from coopanalysis.text.labels import SEVERITY_TH, TOTAL, node_label

__all__ = ["HINT_TH", "counts_block", "findings_overview", "findings_tables", "pivot_table", "corrections_table",
           "strategy_findings_table"]

#: Likely-cause code (coopanalysis.checks.hints) -> Thai.
HINT_TH = {
    "lost_decimal": "จุดทศนิยมตกหล่น (เช่น พิมพ์ 15 แทน 1.5)",
    "repeated_value": "ค่าหนึ่งพิมพ์ซ้ำเข้าไปในคอลัมน์ถัดไป",
    "missing_year": "ขาดตัวเลขของปีหนึ่ง",
    "swapped_digits": "ตัวเลขสองหลักสลับกัน",
    "subtotal_double_count": "ยอดรวมย่อยอยู่คู่กับรายการของมัน จึงนับซ้ำ",
    "duplicate_rows": "รายการซ้ำกัน จึงนับซ้ำ",
}


def counts_block(findings, thai_digits: bool = False) -> Block:
    """``ข้อตรวจพบทั้งหมด 34 รายการ: ผิดพลาด 12 · คำเตือน 17 · ข้อมูล 5`` (severities coloured)."""
    counts = summary_counts(findings)
    total = count(len(findings), thai_digits)
    parts = [f"{SEVERITY_TH[s]} {count(n, thai_digits)}" for s, n in counts.items()]
    spans = "".join(f' · <span class="sev-{s}">{html_text(p)}</span>' if i else f'<span class="sev-{s}">{html_text(p)}</span>'
                    for i, (s, p) in enumerate(zip(counts, parts)))
    text = f"ข้อตรวจพบทั้งหมด {total} รายการ: " + " · ".join(parts)
    return Block(f'<p class="counts">ข้อตรวจพบทั้งหมด {html_text(total)} รายการ: {spans}</p>', text)


def pivot_table(findings, thai_digits: bool = False) -> ReadingTable:
    """How many findings of each check, per severity, with a totals row."""
    frame = findings_pivot(findings)
    columns = [Column("การตรวจ"), *[Column(SEVERITY_TH[s], "count") for s in summary_counts([])], Column(TOTAL, "count")]
    rows = [[check_label(r["check"]), *[count(r[s], thai_digits) for s in summary_counts([])], count(r["total"], thai_digits)]
            for r in frame.to_dict("records")]
    totals = summary_counts(findings)
    rows.append([TOTAL, *[count(n, thai_digits) for n in totals.values()], count(len(findings), thai_digits)])
    return ReadingTable(columns, rows, total_rows={len(rows) - 1})


def _subject(f, thai_digits: bool) -> str:
    if f.level in ("plan", "document"):
        return node_label(f.level)
    return readable_ids(node_label(f.level, f.id, thai_digits))


def _names(plan) -> dict[tuple[str, str], str]:
    """(level, id) -> name as printed, for strategies, tactics and projects."""
    out = {}
    for level, frame in (("strategy", plan.strategies), ("tactic", plan.tactics), ("project", plan.projects)):
        if frame is None or frame.empty or "name" not in frame.columns:
            continue
        for ident, name in zip(frame[f"{level}_id"], frame["name"]):
            if isinstance(name, str) and name.strip():
                out[(level, str(ident))] = " ".join(name.split())
    return out


def _table(findings, thai_digits: bool, with_strategy_links: bool = False, names: dict | None = None) -> ReadingTable:
    columns = [
        Column("ระดับ"), Column("เรื่อง"), Column("การตรวจ"), Column("ปีงบประมาณ", "year"),
        Column("ตามเอกสาร", "amount", "ล้านบาท"), Column("คำนวณได้", "amount", "ล้านบาท"),
        Column("ผลต่าง", "amount", "ล้านบาท"), Column("บรรทัด", "count"),
    ]
    rows, ids, classes, details, links, subtexts = [], [], [], [], {}, {}
    for i, f in enumerate(findings):
        name = (names or {}).get((f.level, f.id))
        if name:
            subtexts[(i, 1)] = digits(name, thai_digits)
        rows.append([
            SEVERITY_TH[f.severity], _subject(f, thai_digits), check_label(f.check),
            year(f.fiscal_year, thai_digits) if f.fiscal_year else "",
            amount(f.stated, thai_digits) if f.stated is not None else "",
            amount(f.computed, thai_digits) if f.computed is not None else "",
            amount(f.difference, thai_digits, sign=True) if f.difference is not None else "",
            count(f.source_line, thai_digits) if f.source_line else "",
        ])
        ids.append(findings_anchor(f))
        classes.append(f"f-{f.severity}")
        detail = reader_message(f)
        if f.hint:
            detail += f" — สาเหตุที่เป็นไปได้: {HINT_TH.get(f.hint, f.hint)}"
        details.append(digits(detail, thai_digits))
        if with_strategy_links:
            links[(i, 1)] = f"checks.html#{findings_anchor(f)}"
    return ReadingTable(columns, rows, row_ids=None if with_strategy_links else ids, row_classes=classes,
                        details=details, links=links, subtexts=subtexts, css_class="reading findings")


def findings_overview(plan, findings, thai_digits: bool = False) -> Block:
    """Where the findings are: one line per group (plan-wide, each strategy) with its counts,
    linked to the group below; groups with errors flagged."""
    names = dict(zip(plan.strategies["strategy_id"], plan.strategies["name"]))
    items, lines = [], []
    for sid, title, group in group_findings(findings, names):
        counts = summary_counts(group)
        label = digits(title, thai_digits)
        parts = [f"{SEVERITY_TH[s]} {count(n, thai_digits)}" for s, n in counts.items() if n]
        cls = "has-errors" if counts["error"] else ""
        items.append(f'<li class="{cls}"><a href="#{html_attr(strategy_anchor(sid))}">{html_text(label)}</a>: '
                     + " · ".join(f'<span class="sev-{s}">{html_text(p)}</span>'
                                  for s, p in zip([s for s, n in counts.items() if n], parts)) + "</li>")
        lines.append(f"- {label}: " + " · ".join(parts))
    return Block(f'<ul class="groups">{"".join(items)}</ul>', "\n".join(lines))


def findings_tables(plan, findings, thai_digits: bool = False) -> Block:
    """Every finding, grouped (plan-wide first, then by strategy), errors first in each group:
    severity, subject, check, year, printed, computed, difference, source line, and the full
    message with the likely cause. Each group and each finding has an anchor."""
    names = dict(zip(plan.strategies["strategy_id"], plan.strategies["name"]))
    parts, lines = [], []
    node_names = _names(plan)
    for sid, title, group in group_findings(findings, names):
        label = digits(title, thai_digits)
        t = _table(group, thai_digits, names=node_names)
        parts.append(f'<section class="finding-group" id="{html_attr(strategy_anchor(sid))}">'
                     f"<h3>{html_text(label)}</h3>{t.html()}</section>")
        lines += [label, t.text(), ""]
    return Block("".join(parts), "\n".join(lines).rstrip())


def strategy_findings_table(findings, thai_digits: bool = False, plan=None) -> ReadingTable:
    """A strategy's findings for its own report, each linked to its entry in the checks report
    (with *plan*, each subject is also named)."""
    return _table(findings, thai_digits, with_strategy_links=True, names=_names(plan) if plan is not None else None)


def corrections_table(plan, thai_digits: bool = False) -> ReadingTable:
    """The reviewed corrections applied at ingest: project, year, printed, corrected, the reason
    in Thai (a reviewer's English reason stays in the corrections file)."""
    frame = plan.corrections
    columns = [Column("โครงการ", "id"), Column("ปีงบประมาณ", "year"), Column("ค่าที่พิมพ์", "amount", "ล้านบาท"),
               Column("ค่าที่ใช้", "amount", "ล้านบาท"), Column("เหตุผล"), Column("บรรทัด", "count")]
    rows = []
    if frame is None or frame.empty:
        return ReadingTable(columns, rows)
    for r in frame.to_dict("records"):
        fy = r.get("fiscal_year")
        fy = None if fy is None or str(fy) in ("", "nan", "<NA>") else int(float(fy))
        reason = str(r.get("reason") or "").strip()
        text = reason_th(reason, r["project_id"], fy, r["printed"], r["corrected"], thai_digits)
        rows.append([
            digits(readable_ids(str(r["project_id"])), thai_digits), year(fy, thai_digits) if fy else "",
            amount(r["printed"], thai_digits), amount(r["corrected"], thai_digits), text,
            count(r.get("source_line"), thai_digits) if str(r.get("source_line") or "") not in ("", "nan", "<NA>") else "",
        ])
    return ReadingTable(columns, rows)
