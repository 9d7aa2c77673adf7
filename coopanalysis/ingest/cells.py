"""Recognising what a table cell holds: an amount, a year, a strategy, tactic, project, KPI,
unit of measure or responsible units. Pure functions over normalised cell text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coopanalysis.text.thai import DASHES, is_amount, normalize_text, to_arabic

ID = r"(\d+\.\d+)"
_PROJECT_START = re.compile(r"(?:^|\s)" + ID + r"\s*(?=โครงการ)")
_TACTIC_ID = re.compile(r"(?:^|\s)" + ID + r"\s+")
_STRATEGY = re.compile(r"^ยุทธศาสตร์ที่\s*(\d+)\s*(.*)$")
_UNITS = re.compile(r"^[\u0E00-\u0E7FA-Za-z]{1,10}\.(?:\s+[\u0E00-\u0E7FA-Za-z]{1,10}\.)*$")
_OCR_AMOUNT = re.compile(r"^[\d.,oOlI]+$")
_NEGATIVE = re.compile(r"^[-−–]\s*\d")
_BE_YEAR = re.compile(r"^(2[4-6]\d\d)$")


@lru_cache(maxsize=1 << 16)
def clean(cell: str) -> str:
    """Normalised cell text with Arabic digits (names keep Thai letters as printed); a dash of any
    kind (``–``, ``—``, ``−``) is ``-``, so every test for "nothing printed" sees one spelling."""
    text = to_arabic(normalize_text(cell))
    return "-" if text in DASHES else text


def split_cells(line: str) -> list[str]:
    return [clean(c) for c in line.split("\t")]


def be_year(cell: str) -> int | None:
    """The Buddhist-era year a cell holds, or None.

    >>> be_year("2560"), be_year("60"), be_year("2017")
    (2560, None, None)
    """
    match = _BE_YEAR.match(cell)
    return int(match.group(1)) if match else None


def is_units_cell(cell: str) -> bool:
    """Responsible-unit abbreviations such as ``กพท. สทล.``.

    >>> is_units_cell("กพท. สทล. สสจ."), is_units_cell("ร้อยละ"), is_units_cell("คสท.")
    (True, False, True)
    """
    return bool(_UNITS.match(cell))


def units_of(cell: str) -> list[str]:
    """Units listed in a cell, duplicates removed, printed order kept.

    >>> units_of("กพร. กพร. กพร.")
    ['กพร.']
    """
    seen: list[str] = []
    for unit in cell.split():
        if unit not in seen:
            seen.append(unit)
    return seen


def looks_like_bad_amount(cell: str) -> str | None:
    """Why a cell that looks like an amount is not one (OCR letters, negative), else None.

    >>> looks_like_bad_amount("1o"), looks_like_bad_amount("-5"), looks_like_bad_amount("5")
    ("amount cell holds a Latin letter: '1o' (OCR's 'o' for 0?)", "negative amount: '-5'", None)
    """
    if is_amount(cell):
        return None
    if _NEGATIVE.match(cell) and is_amount(cell.lstrip("-−– ")):
        return f"negative amount: {cell!r}"
    if _OCR_AMOUNT.match(cell) and any(c.isdigit() for c in cell) and any(c.isalpha() for c in cell):
        return f"amount cell holds a Latin letter: {cell!r} (OCR's 'o' for 0?)"
    return None


def is_project_cell(cell: str) -> bool:
    """``๔.๑ โครงการ...`` (one or more projects).

    >>> is_project_cell("4.1 โครงการสร้าง"), is_project_cell("4.2 ส่งเสริมการนำ")
    (True, False)
    """
    return bool(re.match(ID + r"\s*โครงการ", cell))


def split_projects(cell: str) -> list[tuple[str, str]]:
    """Projects printed in one cell: [(id, name)].

    >>> split_projects("6.1 โครงการพัฒนา บุคลากร 6.2 โครงการจัดตั้งธนาคารสหกรณ์")
    [('6.1', 'โครงการพัฒนา บุคลากร'), ('6.2', 'โครงการจัดตั้งธนาคารสหกรณ์')]
    """
    matches = list(_PROJECT_START.finditer(cell))
    out = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(cell)
        out.append((match.group(1), cell[match.end() : end].strip()))
    return out


def split_tactics(text: str) -> list[tuple[str, str]]:
    """Tactics in a first-column text: ``กลยุทธ์ 3.2 a 3.3 b`` or ``4.2 name``.

    Only ids of the same strategy as the first one split the text.

    >>> split_tactics("กลยุทธ์ 3.2 ส่งเสริม อาหาร 3.3 ส่งเสริม สิ่งแวดล้อม")
    [('3.2', 'ส่งเสริม อาหาร'), ('3.3', 'ส่งเสริม สิ่งแวดล้อม')]
    """
    text = re.sub(r"^กลยุทธ์\s*", "", text.strip())
    matches = list(_TACTIC_ID.finditer(text))
    if not matches or matches[0].start() != 0:
        return []
    major = matches[0].group(1).split(".")[0]
    matches = [m for m in matches if m.group(1).split(".")[0] == major]
    out = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out.append((match.group(1), text[match.end() : end].strip()))
    return out


def is_tactic_cell(cell: str, column: int) -> bool:
    if cell.startswith("กลยุทธ์"):
        return True
    return column == 0 and bool(re.match(ID + r"\s+(?!โครงการ)\S", cell))


def split_strategy_cell(cell: str) -> dict | None:
    """``ยุทธศาสตร์ที่ 6 name เป้าหมาย goal กลยุทธ์ 6.1 tactic`` → its parts.

    >>> split_strategy_cell("ยุทธศาสตร์ที่ 6 สนับสนุน เป้าหมาย สร้างระบบ กลยุทธ์ 6.1 ผลักดัน")
    {'id': '6', 'name': 'สนับสนุน', 'goal': 'สร้างระบบ', 'tactics': [('6.1', 'ผลักดัน')]}
    """
    match = _STRATEGY.match(cell)
    if not match:
        return None
    rest = match.group(2)
    tactics: list[tuple[str, str]] = []
    tactic_at = re.search(r"(?:^|\s)กลยุทธ์\s", rest)
    if tactic_at:
        tactics = split_tactics(rest[tactic_at.start() :].strip())
        rest = rest[: tactic_at.start()]
    goal = ""
    goal_at = re.search(r"(?:^|\s)เป้าหมาย\s", rest)
    if goal_at:
        goal = rest[goal_at.end() :].strip()
        rest = rest[: goal_at.start()]
    return {"id": match.group(1), "name": rest.strip(), "goal": goal, "tactics": tactics}


def split_kpis(cell: str) -> list[tuple[str, str]]:
    """KPIs numbered in one cell (``1.name 2.name``), split at the next number in sequence.

    >>> split_kpis("1.ร้อยละของ บุคลากร 2.ระบบรักษา")
    [('1', 'ร้อยละของ บุคลากร'), ('2', 'ระบบรักษา')]
    """
    first = re.match(r"^(\d+)\.(?!\d)\s*", cell)
    if not first:
        return []
    out = []
    number, start = int(first.group(1)), first.end()
    while True:
        nxt = re.search(r"(?:^|\s)" + str(number + 1) + r"\.(?!\d)\s*", cell[start:])
        if not nxt:
            out.append((str(number), cell[start:].strip()))
            return out
        out.append((str(number), cell[start : start + nxt.start()].strip()))
        start += nxt.end()
        number += 1


def is_kpi_cell(cell: str) -> bool:
    return bool(re.match(r"^\d+\.(?!\d)\s*\D", cell))
