"""Summary pages, strategy headings, bullet lists of projects and project detail sheets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coopanalysis.errors import InputError
from coopanalysis.ingest import cells as C
from coopanalysis.text.thai import amount_text, is_amount, match_key, parse_amount, to_arabic

SUMMARY_LABELS = {
    "วิสัยทัศน์",
    "พันธกิจ",
    "เป้าหมายเชิงยุทธศาสตร์",
    "เป้าหมาย",
    "ยุทธศาสตร์",
    "กลยุทธ์",
    "โครงการกิจกรรม",
}
_COUNT = re.compile(r"^([\d.,]+)\s*โครงการ$")
_AMOUNT_MB = re.compile(r"^([\d.,]+)\s*ล้านบาท$")
_NUMBERED = re.compile(r"^(\d+)\.\s*(.+)$")


# ---- summary pages ---------------------------------------------------------------------
@dataclass
class SummaryBlock:
    strategies: list[str] = field(default_factory=list)
    tactics: list[str] = field(default_factory=list)
    counts_line: int | None = None
    tactic_budgets_done: bool = False
    count_queue: int = 0
    total_queue: int = 0
    last_label: str = ""


def summary_line(p, line: int, raw: str, first: str) -> None:
    doc = p.doc
    cells = C.split_cells(raw)
    label = first if (first in SUMMARY_LABELS or first.startswith("งบประมาณรวม")) else ""
    rest = [(i, c) for i, c in enumerate(cells) if c and not (i == 0 and label)]
    block = p.summary
    if label == "ยุทธศาสตร์":
        block = p.summary = SummaryBlock()
        for _, cell in rest:
            m = re.match(r"^(\d+)\s+(.+)$", cell)
            if not m:
                p.unplaced(line, [cell], "strategy heading without a number")
                continue
            s = p.strategy(m.group(1), line, "summary")
            s.names.setdefault("summary", (m.group(2), line))
            block.strategies.append(m.group(1))
        block.last_label = label
        p.mark(line, "used")
        return
    if label == "วิสัยทัศน์":
        if rest and not doc.vision:
            doc.vision = rest[0][1]
        p.mark(line, "used" if rest else "layout")
        p.summary = SummaryBlock(last_label=label)
        return
    if block is None:
        block = p.summary = SummaryBlock()
    if label:
        block.last_label = label
    in_block = bool(block.strategies)
    if label in ("พันธกิจ", "เป้าหมายเชิงยุทธศาสตร์") or (label == "เป้าหมาย" and not in_block) or (
        not label and block.last_label in ("พันธกิจ", "เป้าหมายเชิงยุทธศาสตร์", "เป้าหมาย") and not in_block
    ):
        plan_level_text(p, line, rest, label)
        return
    if label == "เป้าหมาย":
        for sid, (_, goal) in zip(block.strategies, rest):
            if not doc.strategies[sid].goal:
                doc.strategies[sid].goal = goal
        if len(rest) != len(block.strategies):
            p.unplaced(line, [c for _, c in rest], "goals do not match the strategies of the block")
        p.mark(line, "used")
        return
    if label == "กลยุทธ์":
        for _, cell in rest:
            tactics = C.split_tactics(cell)
            if not tactics:
                p.unplaced(line, [cell], "tactic without a number")
            for tid, name in tactics:
                p.tactic(tid, line, "summary", name)
                block.tactics.append(tid)
        p.mark(line, "used")
        return
    if label == "โครงการกิจกรรม":
        numbers = [c for _, c in rest if is_amount(c)]
        if len(numbers) == len(block.tactics):
            for tid, n in zip(block.tactics, numbers):
                t = doc.tactics[tid]
                t.stated_count, t.stated_count_line = int(parse_amount(n)), line
            block.counts_line = line
        else:
            p.unplaced(line, numbers, f"{len(numbers)} project counts for {len(block.tactics)} tactics")
        p.mark(line, "used")
        return
    # unlabelled rows (or งบประมาณรวม): strategy counts and totals, tactic budgets
    summary_figures(p, block, line, rest)


def summary_figures(p, block: SummaryBlock, line: int, rest: list[tuple[int, str]]) -> None:
    doc = p.doc
    used = False
    counts = [c for _, c in rest if _COUNT.match(c)]
    bare = [c for _, c in rest if is_amount(c) and c != "-"]
    for _, cell in rest:
        m = _AMOUNT_MB.match(cell)
        if m:
            if block.total_queue < len(block.strategies):
                s = doc.strategies[block.strategies[block.total_queue]]
                s.stated_total, s.stated_total_line = parse_amount(m.group(1)), line
                block.total_queue += 1
                used = True
            else:
                p.unplaced(line, [cell], "more strategy totals than strategies in the block")
    if counts:
        # in a row of 'N โครงการ' cells a bare number is a count too
        for cell in [c for _, c in rest if _COUNT.match(c) or (is_amount(c) and c != "-")]:
            number = _COUNT.match(cell).group(1) if _COUNT.match(cell) else cell
            if block.count_queue < len(block.strategies):
                s = doc.strategies[block.strategies[block.count_queue]]
                s.stated_count, s.stated_count_line = int(parse_amount(number)), line
                block.count_queue += 1
                used = True
            else:
                p.unplaced(line, [cell], "more strategy counts than strategies in the block")
    elif bare:
        if len(bare) == len(block.tactics) and not block.tactic_budgets_done:
            for tid, amount in zip(block.tactics, bare):
                t = doc.tactics[tid]
                t.stated_total, t.stated_total_line = parse_amount(amount), line
            block.tactic_budgets_done = True
            used = True
        else:
            p.unplaced(line, bare, "number in a summary block that belongs to no strategy or tactic")
    words = [c for _, c in rest if c in ("โครงการ", "ล้านบาท", "แห่ง", "ระบบ")]
    if used:
        p.mark(line, "used")
    elif words and len(words) + len(bare) == len(rest):
        p.mark(line, "layout")
    else:
        p.unparsed(line, " ".join(c for _, c in rest), "summary row not understood")


def plan_level_text(p, line: int, rest: list[tuple[int, str]], label: str) -> None:
    doc = p.doc
    for _, cell in rest:
        m = _NUMBERED.match(cell)
        if m:
            if not any(match_key(x) == match_key(m.group(2)) for x in doc.missions):
                doc.missions.append(m.group(2))
        elif not doc.strategic_goal:
            doc.strategic_goal = cell
    p.mark(line, "used" if rest else "layout")


def finalize_summary_counts(doc) -> None:
    """A strategy with no printed count: the sum of its tactics' printed counts, if all have one."""
    for s in doc.strategies.values():
        if s.stated_count is not None or "summary" not in s.present_in:
            continue
        tactics = [t for t in doc.tactics.values() if t.strategy_id == s.strategy_id and "summary" in t.present_in]
        if tactics and all(t.stated_count is not None for t in tactics):
            s.stated_count = sum(t.stated_count for t in tactics)
            s.stated_count_line = tactics[0].stated_count_line


# ---- strategy headings and bullet lists ------------------------------------------------
@dataclass
class Heading:
    strategy_id: str
    line: int
    name: str = ""
    name_line: int | None = None

    def flush(self, p, source: str = "list") -> None:
        s = p.strategy(self.strategy_id, self.line, source)
        if self.name:
            s.names.setdefault(source, (self.name, self.name_line or self.line))
        p.heading = None


def heading_line(p, line: int, text: str) -> None:
    m = re.match(r"^ยุทธศาสตร์ที่\s*(\d+)\s*(.*)$", text)
    if m:
        if p.heading is not None:
            p.heading.flush(p)
        p.heading = Heading(m.group(1), line, m.group(2).strip(), line if m.group(2).strip() else None)
        p.mark(line, "used")
        return
    if p.heading is not None and not p.heading.name:
        p.heading.name, p.heading.name_line = text, line
        p.mark(line, "used")
        return
    p.unparsed(line, text, "text after a strategy heading")


def list_item(p, line: int, text: str) -> None:
    m = re.match(r"^[-•]\s*(\d+\.\d+)\s+(.+)$", text)
    pid, name = m.group(1), m.group(2).strip()
    sid = pid.split(".")[0]
    if p.heading is not None:
        if p.heading.strategy_id != sid:
            p.unplaced(line, [pid], f"project {pid} listed under strategy {p.heading.strategy_id}")
        p.heading.flush(p, "list")
    p.strategy(sid, line, "list")
    p.project(pid, sid, line, name, "list")
    p.mark(line, "used")


# ---- project detail sheets ------------------------------------------------------------
SHEET_SECTIONS = (
    ("วัตถุประสงค์", "objective"),
    ("กลุ่มเป้าหมาย", "target_group"),
    ("กิจกรรม", "activities"),
    ("ประมาณการงบประมาณ", "budget"),
    ("ผลที่คาดว่าจะได้รับ", "expected_result"),
    ("ตัวชี้วัดความสำเร็จ", "success_indicator"),
    ("หน่วยงานรับผิดชอบ", "responsible_unit"),
)


@dataclass
class Sheet:
    project_id: str
    section: str = ""
    years: list[int] = field(default_factory=list)
    year_range: tuple[int, int] | None = None


def sheet_start(p, line: int, text: str) -> None:
    m = re.match(r"^โครงการที่\s*(\d+\.\d+)\s*(.*)$", text)
    if not m:
        p.unparsed(line, text, "project sheet heading without a project number")
        p.sheet = None
        return
    pid, name = m.group(1), m.group(2).strip()
    sid = pid.split(".")[0]
    if p.heading is not None:
        p.heading.flush(p, "sheet")
    p.strategy(sid, line, "sheet")
    p.project(pid, sid, line, name, "sheet")
    p.sheet = Sheet(pid)
    p.mark(line, "used")


def sheet_line(p, line: int, raw: str, text: str) -> None:
    sheet = p.sheet
    if sheet is None:
        p.unparsed(line, text, "text outside any project sheet")
        return
    cells = C.split_cells(raw)
    first = cells[0]
    heading = re.match(r"^(\d+)\.\s*(\S.*)$", first)
    if heading:
        for word, section in SHEET_SECTIONS:
            if heading.group(2).startswith(word):
                sheet.section = section
                after = re.split(r"\s*:\s*", heading.group(2), maxsplit=1)
                if section == "budget":
                    sheet_budget(p, sheet, line, [c for c in cells[1:] if c])
                elif section == "responsible_unit" and len(after) == 2 and after[1]:
                    add_sheet_item(p, sheet, line, "", after[1])
                    p.doc.projects[sheet.project_id].units.append(after[1])
                    p.doc.unit_names.setdefault(after[1], after[1])
                    p.mark(line, "used")
                else:
                    p.mark(line, "layout")
                return
    if sheet.section == "activities":
        sheet_activity_line(p, sheet, line, cells)
        return
    item = re.match(r"^(\d+\.\d+)\s+(.+)$", text)
    if sheet.section:
        add_sheet_item(p, sheet, line, item.group(1) if item else "", item.group(2) if item else text)
        p.mark(line, "used")
        return
    p.unparsed(line, text, "project sheet text before any numbered section")


def add_sheet_item(p, sheet: Sheet, line: int, item_id: str, text: str) -> None:
    p.doc.sheets.append(
        {"project_id": sheet.project_id, "section": sheet.section, "item_id": item_id, "text": text, "source_line": line}
    )


def sheet_years(p, sheet: Sheet) -> list[int]:
    return sheet.years or p.doc.years


def sheet_activity_line(p, sheet: Sheet, line: int, cells: list[str]) -> None:
    values = [c for c in cells if c]
    rng = re.match(r"^(\d{4})\s*-\s*(\d{4})$", values[0]) if len(values) == 1 else None
    if rng:
        sheet.year_range = (int(rng.group(1)), int(rng.group(2)))
        p.mark(line, "layout")
        return
    if values and all(re.fullmatch(r"\d{2}|\d{4}", v) for v in values):
        century = (sheet.year_range[0] // 100 * 100) if sheet.year_range else (p.doc.years[0] // 100 * 100 if p.doc.years else 2500)
        sheet.years = [int(v) if len(v) == 4 else century + int(v) for v in values]
        p.mark(line, "layout")
        return
    m = re.match(r"^(\d+\.\d+)\s+(.+)$", cells[0])
    if not m:
        p.unparsed(line, " ".join(values), "activity row without a number")
        return
    years = sheet_years(p, sheet)
    marks = cells[1 : 1 + len(years)]
    extra = [c for c in cells[1 + len(years) :] if c]
    if extra:
        p.unplaced(line, extra, "more activity cells than years")
    inside = False
    wrote = False
    for year, cell in zip(years, marks + [""] * (len(years) - len(marks))):
        starts, ends = "←" in cell, "→" in cell
        if starts:
            inside = True
        active = bool(cell) or inside
        if cell or inside:
            p.doc.activities.append(
                {
                    "project_id": sheet.project_id,
                    "activity_id": m.group(1),
                    "name": m.group(2),
                    "fiscal_year": year,
                    "target": cell,
                    "active": "true" if active else "false",
                    "source_line": line,
                }
            )
            wrote = True
        if ends:
            inside = False
    if not wrote:
        p.doc.activities.append(
            {"project_id": sheet.project_id, "activity_id": m.group(1), "name": m.group(2),
             "fiscal_year": "", "target": "", "active": "false", "source_line": line}
        )
    p.mark(line, "used")


def sheet_budget(p, sheet: Sheet, line: int, values: list[str]) -> None:
    """Place a project sheet's yearly budget row (``๔. ประมาณการงบประมาณ``) into fiscal years.

    The years are the sheet's own header (``๒๕๖๕ - ๒๕๖๙`` / ``๖๕ ... ๖๙``) or the plan's. When the
    sheet is headed with years outside the plan's (a sheet copied from the previous plan), the
    amounts are not placed: they are listed as ``unplaced`` in ingest_report.csv (which the
    ``unread_text`` check reports) and noted on the project, never put in the wrong years.
    """
    years = sheet_years(p, sheet)
    project = p.doc.projects[sheet.project_id]
    for v in values:
        bad = C.looks_like_bad_amount(v)
        if bad:
            raise InputError(bad, path=p.path, line=line)
    amounts = [v for v in values if is_amount(v)]
    if len(amounts) != len(years):
        project.notes.append(f"project sheet budget on line {line}: {len(amounts)} values for {len(years)} years; not placed")
        p.unplaced(line, amounts, f"{len(amounts)} sheet budget values for {len(years)} years")
        p.mark(line, "used")
        return
    headed = [y for y in (sheet.year_range or ()) if y not in p.doc.years] + [y for y in years if y not in p.doc.years]
    if headed and p.doc.years:
        # e.g. a sheet still headed 60-64 in a 2565-2569 plan: its amounts are not this plan's years
        span = f"{min(years + list(sheet.year_range or ()))}-{max(years + list(sheet.year_range or ()))}"
        plan_span = f"{p.doc.years[0]}-{p.doc.years[-1]}"
        project.notes.append(f"project sheet budget on line {line} is for years {span}, outside the plan's "
                             f"{plan_span}; not placed")
        p.unplaced(line, amounts, f"sheet budget for years {span}, outside the plan's {plan_span}")
        p.mark(line, "used")
        return
    for year, v in zip(years, amounts):
        project.sheet_budget.append((year, amount_text(parse_amount(v)), line))
    p.mark(line, "used")


__all__ = ["summary_line", "heading_line", "list_item", "sheet_start", "sheet_line", "to_arabic"]
