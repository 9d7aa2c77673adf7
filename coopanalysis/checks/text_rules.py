"""Rules about the document's words: names spelled differently between sections, reviewed
corrections applied, and text the ingest could not use."""

from __future__ import annotations

import re

from coopanalysis.checks.context import Context
from coopanalysis.checks.findings import Finding
from coopanalysis.checks.registry import ANY, Check, Rule
from coopanalysis.checks.wording import label_en, label_th, source_en, source_th
from coopanalysis.model.frames import records, text, to_decimal, to_int
from coopanalysis.text.thai import match_key, normalize_text, to_arabic

__all__ = ["RULES", "check_names", "check_corrections", "check_unread", "name_key"]

_LEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s*")
_PREFIXES = {
    "strategy": [re.compile(r"^ยุทธศาสตร์(?:ที่)?\s*\d*\s*"), _LEADING_NUMBER],
    "tactic": [re.compile(r"^กลยุทธ์(?:ที่)?\s*(?:\d+(?:\.\d+)*)?\s*"), _LEADING_NUMBER],
    "project": [_LEADING_NUMBER, re.compile(r"^โครงการที่\s*\d+(?:\.\d+)*\s*"), re.compile(r"^โครงการ\s*")],
}


def name_key(level: str, name: str) -> str:
    """Key for comparing spellings: :func:`~coopanalysis.text.thai.match_key` after dropping the
    printed number and, for projects, a leading 'โครงการ' / 'โครงการที่ N'.

    >>> name_key("project", "โครงการที่ ๑.๒ สร้างกลุ่ม") == name_key("project", "โครงการสร้างกลุ่ม")
    True
    >>> name_key("strategy", "สนับสนุนการพัฒนา ระบบ") == name_key("strategy", "สนับสนุนการพัฒนาระบบ")
    True
    """
    value = to_arabic(normalize_text(name))
    for pattern in _PREFIXES.get(level, []):
        value = pattern.sub("", value, count=1)
    return match_key(value)


def check_names(ctx: Context) -> list[Finding]:
    """``name_mismatch``: one strategy / tactic / project spelled differently in different sections."""
    frame = ctx.plan.tables.get("names")
    if frame is None or frame.empty:
        return []
    grouped: dict[tuple[str, str], list[dict]] = {}
    for row in records(frame):
        if not text(row.get("name")).strip():
            continue
        grouped.setdefault((text(row.get("level")), text(row.get("id"))), []).append(row)
    out = []
    for (level, ident), rows in grouped.items():
        if level not in ("strategy", "tactic", "project"):
            continue
        spellings: dict[str, list[dict]] = {}
        for row in rows:
            spellings.setdefault(name_key(level, text(row.get("name"))), []).append(row)
        if len(spellings) < 2:
            continue
        if level == "project":
            fig = ctx.figures.get(ident)
            strategy_id = fig.strategy_id if fig and fig.strategy_id else ident.split(".")[0]
        else:
            strategy_id = ident.split(".")[0]
        parts_th, parts_en, cells = [], [], []
        for group in spellings.values():
            where_th = ", ".join(f"{source_th(text(r.get('source')))} บรรทัด {to_int(r.get('source_line'))}"
                                 for r in group)
            where_en = ", ".join(f"{source_en(text(r.get('source')))} line {to_int(r.get('source_line'))}"
                                 for r in group)
            name = text(group[0].get("name"))
            parts_th.append(f"«{name}» ({where_th})")
            parts_en.append(f"«{name}» ({where_en})")
            cells.extend(f"{text(r.get('source'))} บรรทัด {to_int(r.get('source_line'))}:"
                         f" {text(r.get('name'))}" for r in group)
        out.append(Finding(
            "warning", "name_mismatch", level=level, id=ident, strategy_id=strategy_id or None,
            source_line=to_int(rows[0].get("source_line")), cells=cells,
            name=ctx.name_of(level, ident) or text(rows[0].get("name")),
            message=f"ชื่อ{label_th(level, ident)} สะกดไม่ตรงกัน: {' / '.join(parts_th)}",
            message_en=f"{label_en(level, ident)} is spelled differently: {' / '.join(parts_en)}",
        ))
    return out


def check_corrections(ctx: Context) -> list[Finding]:
    """``correction_applied``: a reviewed correction changed a printed number (info, with the reason).

    ``stated`` is the printed value, ``computed`` the corrected one.
    """
    frame = ctx.plan.tables.get("corrections_applied")
    if frame is None or frame.empty:
        return []
    out = []
    for row in records(frame):
        pid = text(row.get("project_id"))
        fieldname = text(row.get("field"))
        year = to_int(row.get("fiscal_year"))
        printed = to_decimal(row.get("printed"))
        corrected = to_decimal(row.get("corrected"))
        printed_text, corrected_text = text(row.get("printed")), text(row.get("corrected"))
        reason = normalize_text(text(row.get("reason")))
        what_th = f"ปี {year}" if fieldname == "amount" and year is not None else "ยอดรวม"
        what_en = f"{year}" if fieldname == "amount" and year is not None else "total"
        out.append(Finding(
            "info", "correction_applied", level="project", id=pid, fiscal_year=year if fieldname == "amount" else None,
            stated=printed, computed=corrected,
            difference=(corrected - printed) if printed is not None and corrected is not None else None,
            strategy_id=ctx.strategy_of(pid), source_line=to_int(row.get("source_line")),
            name=ctx.name_of("project", pid),
            cells=[f"{what_en}: {printed_text} → {corrected_text}"],
            message=(f"{label_th('project', pid)} {what_th}: ใช้ค่าที่แก้แล้ว {corrected_text}"
                     f" แทนค่าที่พิมพ์ {printed_text} (การแก้ไขที่ตรวจทานแล้ว) — เหตุผล: {reason}"),
            message_en=(f"{label_en('project', pid)} {what_en}: reviewed correction from"
                        f" {printed_text} to {corrected_text}; reason: {reason}"),
        ))
    return out


def check_unread(ctx: Context) -> list[Finding]:
    """``unread_text``: lines the ingest did not use and values it could not place (info)."""
    frame = ctx.plan.tables.get("ingest_report")
    if frame is None or frame.empty:
        return []
    rows = [r for r in records(frame) if text(r.get("disposition")) in ("unparsed", "unplaced")]
    if not rows:
        return []
    unparsed = [r for r in rows if text(r.get("disposition")) == "unparsed"]
    unplaced = [r for r in rows if text(r.get("disposition")) == "unplaced"]
    lines = ", ".join(str(to_int(r.get("line"))) for r in rows)
    parts_th, parts_en = [], []
    if unparsed:
        parts_th.append(f"มี {len(unparsed)} บรรทัดที่อ่านไม่ได้")
        parts_en.append(f"{len(unparsed)} lines not parsed")
    if unplaced:
        parts_th.append(f"มีตัวเลข {len(unplaced)} ชุดที่จัดลงช่องไม่ได้")
        parts_en.append(f"{len(unplaced)} groups of values not placed")
    return [Finding(
        "info", "unread_text", level="document", id="document",
        source_line=to_int(rows[0].get("line")),
        cells=[f"บรรทัด {to_int(r.get('line'))}: {text(r.get('text'))} ({text(r.get('note'))})"
               for r in rows],
        message=f"{label_th('document')}: {' และ'.join(parts_th)} (บรรทัด {lines}) — ดู ingest_report.csv",
        message_en=f"{label_en('document')}: {', '.join(parts_en)} (lines {lines}); see ingest_report.csv",
    )]


#: Section kinds of ``missing`` ingest_report rows -> Thai (what the document lacks).
MISSING_SECTION_TH = {
    "summary": "หน้าสรุปงบประมาณรวมและจำนวนโครงการของยุทธศาสตร์",
    "detail": "ตารางรายละเอียดโครงการพร้อมงบประมาณรายปี",
}


def check_missing_sections(ctx: Context) -> list[Finding]:
    """``missing_section``: a section every plan has never appears (a document cut short)."""
    frame = ctx.plan.tables.get("ingest_report")
    findings = []
    for row in records(frame):
        if text(row.get("disposition")) != "missing":
            continue
        note = text(row.get("note"))
        kind = next((k for k in MISSING_SECTION_TH if note.startswith(f"no {k}") or
                     (k == "detail" and "detail table" in note)), "")
        what_th = MISSING_SECTION_TH.get(kind, "ส่วนสำคัญของเอกสาร")
        findings.append(Finding(
            "warning", "missing_section", level="document", id="document",
            source_line=to_int(row.get("line")),
            cells=[note],
            message=(f"{label_th('document')}: ไม่พบ{what_th} ในเอกสารทั้ง {to_int(row.get('line'))} บรรทัด"
                     " — เอกสารอาจถูกตัดหรือสกัดข้อความมาไม่ครบ ผลการตรวจยอดรวมจึงไม่ครบถ้วน"),
            message_en=f"{label_en('document')}: {note}",
        ))
    return findings


#: This module's rules of a plan, each function with the checks it declares, in the order
#: :data:`coopanalysis.checks.rules.RULES` runs them.
RULES: tuple[Rule, ...] = (
    Rule(check_names, (Check("name_mismatch", "warning", (ANY,), "ชื่อสะกดไม่ตรงกัน"),)),
    Rule(check_corrections, (Check("correction_applied", "info", ("project",), "ใช้ค่าที่แก้ไขแล้ว"),)),
    Rule(check_unread, (Check("unread_text", "info", ("document",), "ข้อความที่อ่านไม่ได้"),)),
    Rule(check_missing_sections, (Check("missing_section", "warning", ("document",), "ส่วนของเอกสารที่ไม่พบ"),)),
)
