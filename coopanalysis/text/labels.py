"""Thai labels: the one home of the words a reader sees for levels, statuses and columns.

Pure data and small functions (no pandas), used by the checks' messages, the charts, the
report tables, the index and the exports. Check codes get their Thai names from the rules
that define them (:mod:`coopanalysis.checks`), not from here.
"""

from __future__ import annotations

from coopanalysis.text.fmt import digits

__all__ = [
    "MB", "TOTAL", "NO_UNIT", "NO_TACTIC", "WHOLE_PLAN", "LEVEL_TH", "LEVEL_EN", "SEVERITY_TH",
    "SEVERITY_COLORS", "PARSE_STATUS_TH", "SOURCE_TH", "SOURCE_EN", "COLUMN_TH", "CATEGORIES",
    "node_label", "node_label_en", "named",
]

#: The unit of every amount.
MB = "ล้านบาท"
#: Label of totals rows (and columns).
TOTAL = "รวม"
#: Row for projects that name no responsible unit.
NO_UNIT = "ไม่ระบุหน่วยงาน"
#: Row for projects the document places under no tactic.
NO_TACTIC = "ไม่ระบุกลยุทธ์"
WHOLE_PLAN = "ทั้งแผน"
#: The expenditure categories (งบรายจ่าย) of the Budget Bureau's classification (table 6.2 of a
#: budget volume), in its order, as the item tables and the PDF's totals name them.
CATEGORIES = ("งบบุคลากร", "งบดำเนินงาน", "งบลงทุน", "งบเงินอุดหนุน", "งบรายจ่ายอื่น")

#: Level of an action plan -> the Thai words before its id.
LEVEL_TH = {"strategy": "ยุทธศาสตร์ที่", "tactic": "กลยุทธ์", "project": "โครงการ", "kpi": "ตัวชี้วัด"}
LEVEL_EN = {"strategy": "strategy", "tactic": "tactic", "project": "project", "kpi": "KPI"}
_FIXED_TH = {"plan": WHOLE_PLAN, "document": "เอกสาร"}
_FIXED_EN = {"plan": "whole plan", "document": "document"}

SEVERITY_TH = {"error": "ผิดพลาด", "warning": "คำเตือน", "info": "ข้อมูล"}
SEVERITY_COLORS = {"error": "#B2182B", "warning": "#E69F00", "info": "#56B4E9"}

#: parse_status of a project (data/README.md) -> Thai.
PARSE_STATUS_TH = {
    "exact": "ครบ ตรงยอดรวม",
    "repaired": "แก้การจัดวางแล้ว ตรงยอดรวม",
    "mismatch": "รายปีไม่ตรงยอดรวม",
    "unreconciled": "จัดลงปีไม่ได้ (ใช้ยอดรวม)",
    "sheet_only": "จากแผ่นโครงการ (ไม่มียอดรวม)",
    "listed_only": "มีเพียงชื่อ ไม่มีตัวเลข",
}

#: Where a name or figure was printed -> Thai / English.
SOURCE_TH = {"summary": "หน้าสรุป", "detail": "ตารางรายละเอียด", "list": "รายชื่อโครงการ", "sheet": "รายละเอียดโครงการ"}
SOURCE_EN = {"summary": "summary page", "detail": "detail table", "list": "project list", "sheet": "project sheet"}

#: Column -> Thai header for tables meant for reading.
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


def node_label(level: str, ident: object = "", thai_digits: bool = False, levels: dict[str, str] | None = None) -> str:
    """How a reader names one node: ``ยุทธศาสตร์ที่ 5``, ``กลยุทธ์ 5.1``, ``โครงการ 5.7``,
    ``ทั้งแผน``. *levels* maps other level keys to their Thai label (a budget table's
    ``หน่วยรับงบประมาณ``); an unknown level is named by its key.

    >>> node_label("strategy", "5"), node_label("strategy", "5", thai_digits=True)
    ('ยุทธศาสตร์ที่ 5', 'ยุทธศาสตร์ที่ ๕')
    >>> node_label("tactic", "5.1"), node_label("plan"), node_label("ministry", "3", levels={"ministry": "กระทรวง"})
    ('กลยุทธ์ 5.1', 'ทั้งแผน', 'กระทรวง 3')
    """
    if level in _FIXED_TH:
        return _FIXED_TH[level]
    words = (levels or {}).get(level) or LEVEL_TH.get(level, level)
    text = f"{words} {ident}".strip()
    return digits(text, thai_digits) if thai_digits else text


def node_label_en(level: str, ident: object = "", levels: dict[str, str] | None = None) -> str:
    """English for :func:`node_label`: ``strategy 5``, ``whole plan``.

    >>> node_label_en("project", "6.1"), node_label_en("document")
    ('project 6.1', 'document')
    """
    if level in _FIXED_EN:
        return _FIXED_EN[level]
    words = (levels or {}).get(level) or LEVEL_EN.get(level, level)
    return f"{words} {ident}".strip()


def named(label: str, name: object) -> str:
    """A label followed by the name when there is one: ``ยุทธศาสตร์ที่ 5 การพัฒนา…``.

    >>> named("ยุทธศาสตร์ที่ 3", ""), named("ยุทธศาสตร์ที่ 6", "การส่งเสริม")
    ('ยุทธศาสตร์ที่ 3', 'ยุทธศาสตร์ที่ 6 การส่งเสริม')
    """
    name = "" if name is None else str(name).strip()
    return f"{label} {name}" if name else label
