"""The reconciliation rules: one function per rule, each ``rule(ctx) -> list[Finding]``.

Amounts are compared exactly (Decimal); a difference counts only when it is larger than the
absolute tolerance **and**, when a relative tolerance is given, larger than rel × |stated|.
See :mod:`coopanalysis.checks` for the table of check codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..frames import records, text, to_decimal, to_int
from ..plan import Plan
from ..schema import id_sort_key
from ..thai import AmountError, format_number, match_key, normalize_text, parse_amount, to_arabic
from ..figures import Figures, Group, ProjectFigures
from . import hints as _hints
from .findings import Finding

SOURCE_TH = {
    "summary": "หน้าสรุป",
    "detail": "ตารางรายละเอียด",
    "list": "รายชื่อโครงการ",
    "sheet": "รายละเอียดโครงการ",
}
SOURCE_EN = {"summary": "summary page", "detail": "detail table", "list": "project list", "sheet": "project sheet"}


# ---- context and wording helpers -----------------------------------------------------------


@dataclass
class Context:
    plan: Plan
    tolerance: Decimal
    rel_tolerance: Decimal | None
    figures: dict[str, ProjectFigures]
    strategies: list[Group]
    tactics: list[Group]
    budget_rows: tuple[dict, ...]
    listings: dict[str, list[dict]]

    @classmethod
    def build(cls, source: "Plan | Figures", tolerance: Decimal, rel_tolerance: Decimal | None) -> "Context":
        fig = Figures.of(source)
        return cls(
            plan=fig.plan,
            tolerance=tolerance,
            rel_tolerance=rel_tolerance,
            figures=fig.projects,
            strategies=fig.groups("strategy"),
            tactics=fig.groups("tactic"),
            budget_rows=fig.budget_rows,
            listings=listings_by_project(fig.plan),
        )

    @property
    def n_years(self) -> int | None:
        return len(self.plan.years) or None

    def differs(self, stated: Decimal, computed: Decimal) -> bool:
        """True when |computed - stated| is beyond the tolerance(s)."""
        diff = abs(computed - stated)
        if diff <= self.tolerance:
            return False
        if self.rel_tolerance is not None and diff <= self.rel_tolerance * abs(stated):
            return False
        return True

    def strategy(self, strategy_id: str) -> Group | None:
        return next((g for g in self.strategies if g.id == strategy_id), None)


def n(value) -> str:
    """An amount for a message: exact, thousands separators, Arabic digits."""
    return format_number(value)


def mb(value) -> str:
    return f"{n(value)} ล้านบาท"


def diff_th(diff: Decimal) -> str:
    return f"มากกว่า {mb(diff)}" if diff > 0 else f"น้อยกว่า {mb(-diff)}"


def diff_en(diff: Decimal) -> str:
    return f"{n(diff)} more" if diff > 0 else f"{n(-diff)} less"


def label_th(level: str, ident: str) -> str:
    return {"strategy": f"ยุทธศาสตร์ที่ {ident}", "tactic": f"กลยุทธ์ {ident}", "project": f"โครงการ {ident}",
            "plan": "ทั้งแผน", "document": "เอกสาร"}[level]


def label_en(level: str, ident: str) -> str:
    return {"strategy": f"strategy {ident}", "tactic": f"tactic {ident}", "project": f"project {ident}",
            "plan": "whole plan", "document": "document"}[level]


def ids_th(ids) -> str:
    return ", ".join(ids)


def _amounts(tokens: list[str]) -> list[Decimal] | None:
    try:
        return [parse_amount(t) for t in tokens]
    except AmountError:
        return None


def listings_by_project(plan: Plan) -> dict[str, list[dict]]:
    """Table rows per project (parsed when the check context is built)."""
    out: dict[str, list[dict]] = {}
    frame = plan.tables.get("listings")
    if frame is None or frame.empty:
        return out
    for index, row in enumerate(records(frame)):
        pid = text(row.get("project_id"))
        tokens = text(row.get("printed_values")).split()
        total_text = text(row.get("printed_total")).strip()
        out.setdefault(pid, []).append({
            "listing": to_int(row.get("listing")) or index + 1,
            "tokens": tokens,
            "values": _amounts(tokens),
            "total_text": total_text,
            "total": (_amounts([total_text]) or [None])[0] if total_text else None,
            "units": text(row.get("units")),
            "source_line": to_int(row.get("source_line")),
            "_order": index,
        })
    for rows in out.values():
        rows.sort(key=lambda r: (r["listing"], r["_order"]))
    return out


def _listing_cell(row: dict) -> str:
    where = f"บรรทัด {row['source_line']}: " if row["source_line"] is not None else ""
    total = f" | รวม {row['total_text']}" if row["total_text"] else ""
    return f"{where}{' '.join(row['tokens'])}{total}"


# ---- project rules -------------------------------------------------------------------------


def check_projects(ctx: Context) -> list[Finding]:
    """``project_total``, ``project_unreconciled``, ``project_repaired`` (one finding at most per project).

    The value count (cells printed vs fiscal years) is folded into these: a row whose spurious
    repeated cell was dropped and that then adds up is a warning, never an error.
    """
    out = []
    years = ctx.plan.years
    n_years = ctx.n_years
    listings = ctx.listings
    for fig in ctx.figures.values():
        pid = fig.project_id
        first = (listings.get(pid) or [None])[0]
        printed = first["values"] if first and first["values"] is not None else None
        n_values = fig.n_values if fig.n_values is not None else (len(printed) if printed is not None else None)
        count_th = count_en = ""
        if n_values is not None and n_years and n_values != n_years:
            count_th = f" (แถวนี้พิมพ์ตัวเลข {n_values} ค่าสำหรับ {n_years} ปีงบประมาณ)"
            count_en = f" ({n_values} values printed for {n_years} fiscal years)"
        cells = [_listing_cell(r) for r in listings.get(pid, [])]
        common = dict(level="project", id=pid, strategy_id=fig.strategy_id or None, source_line=fig.source_line)

        if fig.parse_status == "unreconciled" or (fig.computed is None and fig.stated is not None and fig.source == "table"):
            hint = None
            hint_th = hint_en = ""
            if printed is not None and fig.stated is not None:
                h = _hints.likely_cause(printed, fig.stated, n_years)
                if h is not None:
                    hint = h.code
                    labels = [f"ค่าที่ {i + 1}" for i in range(len(printed))]
                    labels_en = [f"value {i + 1}" for i in range(len(printed))]
                    th, en = _hints.describe(h, fig.stated, labels, labels_en)
                    hint_th, hint_en = f" — {th}", f"; {en}"
            if printed is not None:
                shown = ", ".join(n(v) for v in printed)
                what_th = (f"แถวงบประมาณพิมพ์ตัวเลข {len(printed)} ค่า ({shown}) สำหรับ {n_years or '?'} ปีงบประมาณ"
                           f" รวมได้ {mb(sum(printed, Decimal(0)))}")
                what_en = (f"the budget row prints {len(printed)} values ({shown}) for {n_years or '?'} fiscal years,"
                           f" adding up to {n(sum(printed, Decimal(0)))}")
            else:
                what_th = f"แถวงบประมาณพิมพ์ตัวเลข {n_values if n_values is not None else '?'} ค่าสำหรับ {n_years or '?'} ปีงบประมาณ"
                what_en = f"the budget row prints {n_values if n_values is not None else '?'} values for {n_years or '?'} fiscal years"
            stated_th = f"ยอดรวมที่พิมพ์ {mb(fig.stated)}" if fig.stated is not None else "ไม่มียอดรวมที่พิมพ์"
            stated_en = f"printed total {n(fig.stated)}" if fig.stated is not None else "no printed total"
            out.append(Finding(
                "error", "project_unreconciled", stated=fig.stated, computed=None, hint=hint, cells=cells,
                message=(f"{label_th('project', pid)}: {what_th} เทียบกับ{stated_th} — จัดค่าลงปีไม่ได้อย่างมั่นใจ"
                         f" จึงเว้นงบรายปีไว้ และนับยอดรวมที่พิมพ์แทนในยอดของกลยุทธ์/ยุทธศาสตร์{hint_th}"),
                message_en=(f"{label_en('project', pid)}: {what_en}, against the {stated_en}; they cannot be placed"
                            f" in years with confidence, so yearly amounts are left empty and the printed total is"
                            f" counted in the tactic/strategy totals{hint_en}"),
                **common,
            ))
            continue

        if fig.stated is not None and fig.computed is not None and ctx.differs(fig.stated, fig.computed):
            diff = fig.computed - fig.stated
            year_list = [y for y in (years or sorted(fig.yearly)) if y in fig.yearly]
            values = [fig.yearly[y] for y in year_list]
            hint = None
            hint_th = hint_en = ""
            h = _hints.likely_cause(values, fig.stated, None)
            if h is not None:
                hint = h.code
                th, en = _hints.describe(h, fig.stated, [f"ปี {y}" for y in year_list], [str(y) for y in year_list])
                hint_th, hint_en = f" — {th}", f"; {en}"
            repaired_th = " (หลังตัดค่าที่ซ้ำเข้าไปในคอลัมน์เกินออกแล้ว)" if fig.parse_status == "repaired" else ""
            source_th = "" if fig.source == "table" else " (จากรายละเอียดโครงการ)"
            out.append(Finding(
                "error", "project_total", stated=fig.stated, computed=fig.computed, difference=diff, hint=hint,
                cells=[f"{y}: {n(fig.yearly[y])}" for y in year_list] + [f"รวมที่พิมพ์: {n(fig.stated)}"],
                message=(f"{label_th('project', pid)}: งบประมาณรายปี{source_th}รวมกันได้ {mb(fig.computed)}{repaired_th}"
                         f" แต่ยอดรวมที่พิมพ์คือ {mb(fig.stated)} ({diff_th(diff)}){count_th}{hint_th}"),
                message_en=(f"{label_en('project', pid)}: yearly amounts add up to {n(fig.computed)} million baht"
                            f" but the printed total is {n(fig.stated)} ({diff_en(diff)}){count_en}{hint_en}"),
                **common,
            ))
            continue

        if fig.parse_status == "repaired":
            dropped = _dropped_values(printed, [fig.yearly[y] for y in sorted(fig.yearly)]) if printed else []
            what_th = (f"ตัดค่า {', '.join(n(v) for v in dropped)} ที่ซ้ำเข้าไปในคอลัมน์เกินออก" if dropped
                       else "ตัดค่าที่ซ้ำเข้าไปในคอลัมน์เกินออก")
            total_th = f" แล้วรวมได้ {mb(fig.computed)} ตรงกับยอดรวมที่พิมพ์" if fig.computed is not None else ""
            out.append(Finding(
                "warning", "project_repaired", stated=fig.stated, computed=fig.computed,
                difference=(fig.computed - fig.stated) if fig.computed is not None and fig.stated is not None else None,
                hint="repeated_value", cells=cells,
                message=(f"{label_th('project', pid)}: {what_th}{total_th}{count_th} — ตรวจดูว่าค่าแต่ละปีอยู่ถูกปี"),
                message_en=f"{label_en('project', pid)}: repaired by the ingest: {fig.parse_note or 'layout artefact undone'}",
                **common,
            ))
    return out


def _dropped_values(printed: list[Decimal], kept: list[Decimal]) -> list[Decimal]:
    """Multiset difference printed - kept (the values a repair dropped)."""
    rest = list(kept)
    dropped = []
    for v in printed:
        if v in rest:
            rest.remove(v)
        else:
            dropped.append(v)
    return dropped


def check_listings(ctx: Context) -> list[Finding]:
    """``duplicate_listing`` (identical rows, info) and ``listing_conflict`` (rows disagree, error)."""
    out = []
    for pid, rows in ctx.listings.items():
        if len(rows) < 2:
            continue
        fig = ctx.figures.get(pid)
        strategy_id = (fig.strategy_id if fig else pid.split(".")[0]) or None
        lines = ", ".join(str(r["source_line"]) for r in rows if r["source_line"] is not None)
        signatures = {(tuple(r["values"]) if r["values"] is not None else tuple(r["tokens"]), r["total"] or r["total_text"])
                      for r in rows}
        cells = [_listing_cell(r) for r in rows]
        common = dict(level="project", id=pid, strategy_id=strategy_id, source_line=rows[0]["source_line"], cells=cells)
        if len(signatures) == 1:
            out.append(Finding(
                "info", "duplicate_listing",
                message=(f"{label_th('project', pid)}: อยู่ในตาราง {len(rows)} แถว (บรรทัด {lines}) ตัวเลขเหมือนกันทุกช่อง"
                         f" — นับครั้งเดียว"),
                message_en=f"{label_en('project', pid)}: listed {len(rows)} times (lines {lines}) with identical figures; counted once",
                **common,
            ))
        else:
            detail = "; ".join(_listing_cell(r) for r in rows)
            out.append(Finding(
                "error", "listing_conflict",
                message=(f"{label_th('project', pid)}: อยู่ในตาราง {len(rows)} แถวที่ตัวเลขไม่ตรงกัน ({detail})"
                         f" — การคำนวณใช้แถวแรก"),
                message_en=(f"{label_en('project', pid)}: listed {len(rows)} times (lines {lines}) with figures that"
                            f" disagree; totals use the first listing"),
                **common,
            ))
    return out


def check_sheet_vs_table(ctx: Context) -> list[Finding]:
    """``sheet_vs_table``: a project's yearly amount on its project sheet differs from the detail table.

    ``stated`` is the detail table's amount, ``computed`` the project sheet's.
    """
    table: dict[str, dict[int, dict]] = {}
    sheet: dict[str, dict[int, dict]] = {}
    for row in ctx.budget_rows:
        if row["fiscal_year"] is None:
            continue
        target = table if row["source"] == "table" else sheet if row["source"] == "project_sheet" else None
        if target is not None:
            target.setdefault(row["project_id"], {})[row["fiscal_year"]] = row
    out = []
    for pid in sorted(set(table) & set(sheet), key=id_sort_key):
        fig = ctx.figures.get(pid)
        for year in sorted(set(table[pid]) & set(sheet[pid])):
            t, s = table[pid][year], sheet[pid][year]
            if t["amount"] is None or s["amount"] is None or not ctx.differs(t["amount"], s["amount"]):
                continue
            diff = s["amount"] - t["amount"]
            out.append(Finding(
                "error", "sheet_vs_table", level="project", id=pid, fiscal_year=year,
                stated=t["amount"], computed=s["amount"], difference=diff,
                strategy_id=(fig.strategy_id if fig else pid.split(".")[0]) or None,
                source_line=s["source_line"],
                cells=[f"ตารางรายละเอียด บรรทัด {t['source_line']}: {year} = {n(t['amount'])}",
                       f"รายละเอียดโครงการ บรรทัด {s['source_line']}: {year} = {n(s['amount'])}"],
                message=(f"{label_th('project', pid)} ปี {year}: รายละเอียดโครงการ (บรรทัด {s['source_line']}) ประมาณการ"
                         f" {mb(s['amount'])} แต่ตารางรายละเอียดแผน (บรรทัด {t['source_line']}) พิมพ์ {mb(t['amount'])}"
                         f" ({diff_th(diff)})"),
                message_en=(f"{label_en('project', pid)} {year}: the project sheet (line {s['source_line']}) budgets"
                            f" {n(s['amount'])} but the detail table (line {t['source_line']}) prints {n(t['amount'])}"
                            f" ({diff_en(diff)})"),
            ))
    return out


# ---- tactic / strategy / plan rules --------------------------------------------------------


def _group_hint(ctx: Context, group_stated: Decimal, projects: list[ProjectFigures]) -> tuple[str | None, str, str]:
    """Likely cause of a group total that disagrees: a project whose own total is off, or the
    printed total (lost decimal point, swapped digits)."""
    computed = sum((p.amount for p in projects if p.amount is not None), Decimal(0))
    off = [p for p in projects if p.computed is not None and p.stated is not None and p.computed != p.stated]
    if off:
        alternative = computed - sum((p.computed - p.stated for p in off), Decimal(0))
        if not ctx.differs(group_stated, alternative):
            ids = ", ".join(p.project_id for p in off)
            printed = ", ".join(n(p.stated) for p in off)
            return ("project_total",
                    f" — สาเหตุที่เป็นไปได้: ตัวเลขรายปีของโครงการ {ids} ที่รวมไม่ตรงกับยอดรวมของโครงการเอง"
                    f" ถ้าใช้ยอดรวมที่พิมพ์ของโครงการ ({printed} ล้านบาท) จะตรงกันพอดี",
                    f"; likely cause: the yearly figures of project {ids}, which do not add up to its own printed"
                    f" total; using that printed total ({printed}) makes it agree exactly")
    amounts = [p.amount for p in projects if p.amount is not None]
    h = _hints.likely_cause(amounts, group_stated, cells=False)
    if h is not None:
        th, en = _hints.describe(h, group_stated)
        return h.code, f" — {th}", f"; {en}"
    return None, "", ""


def _group_name(group: Group) -> str:
    return f" «{group.name}»" if group.name else ""


def check_groups(ctx: Context, level: str) -> list[Finding]:
    """``<level>_total``, ``<level>_count``, ``no_detail``, ``no_figures`` for tactics or strategies.

    A group with a printed budget or count but no project in the detail gets one completeness
    warning (``no_detail``) and no count/total error. A tactic is not checked when its
    strategy has no detail, nor against a printed cell it shares with its strategy.
    """
    out = []
    groups = ctx.strategies if level == "strategy" else ctx.tactics
    for g in groups:
        if g.stated is None and g.stated_count is None:
            continue
        parent = ctx.strategy(g.strategy_id) if level == "tactic" else None
        if parent is not None and parent.found_count == 0:
            continue
        shares_total = (parent is not None and g.stated_total_line is not None
                        and g.stated_total_line == parent.stated_total_line)
        shares_count = (parent is not None and g.stated_count_line is not None
                        and g.stated_count_line == parent.stated_count_line)
        strategy_id = g.strategy_id or None
        common = dict(level=level, id=g.id, strategy_id=strategy_id)
        lt, le = label_th(level, g.id), label_en(level, g.id)
        printed_th = " และ ".join(
            ([f"งบประมาณ {mb(g.stated)}"] if g.stated is not None else [])
            + ([f"{g.stated_count} โครงการ"] if g.stated_count is not None else []))
        printed_en = " and ".join(
            ([f"a budget of {n(g.stated)} million baht"] if g.stated is not None else [])
            + ([f"{g.stated_count} projects"] if g.stated_count is not None else []))
        if g.found_count == 0:
            if shares_total and shares_count:
                continue
            out.append(Finding(
                "warning", "no_detail", stated=g.stated, source_line=g.stated_total_line or g.source_line,
                message=(f"{lt}{_group_name(g)}: หน้าสรุปพิมพ์{printed_th} แต่ไม่มีรายละเอียดโครงการในเอกสาร"
                         f" — ตรวจสอบความครบถ้วน (ไม่นำไปเทียบยอด)"),
                message_en=(f"{le}: the summary prints {printed_en} but the document gives no project detail;"
                            f" completeness (not reconciled)"),
                **common,
            ))
            continue
        if g.stated_count is not None and g.stated_count != g.found_count and not shares_count:
            found_ids = ", ".join(p.project_id for p in g.projects)
            out.append(Finding(
                "error", f"{level}_count", stated=None, source_line=g.stated_count_line or g.source_line,
                cells=[f"จำนวนที่พิมพ์ บรรทัด {g.stated_count_line}: {g.stated_count}" if g.stated_count_line
                       else f"จำนวนที่พิมพ์: {g.stated_count}", f"โครงการที่พบ: {found_ids}"],
                message=(f"{lt}{_group_name(g)}: หน้าสรุปพิมพ์ว่ามี {g.stated_count} โครงการ"
                         f" แต่รายละเอียดมี {g.found_count} โครงการ ({found_ids})"),
                message_en=(f"{le}: the summary prints {g.stated_count} projects but the detail has"
                            f" {g.found_count} ({found_ids})"),
                **common,
            ))
        if g.stated is None or shares_total:
            continue
        computed = g.computed
        if computed is None:
            out.append(Finding(
                "warning", "no_figures", stated=g.stated, source_line=g.stated_total_line or g.source_line,
                message=(f"{lt}{_group_name(g)}: หน้าสรุปพิมพ์งบประมาณ {mb(g.stated)} แต่โครงการที่พบ"
                         f" {g.found_count} โครงการไม่มีตัวเลขงบประมาณเลย — เทียบยอดไม่ได้"),
                message_en=(f"{le}: the summary prints {n(g.stated)} million baht but none of its"
                            f" {g.found_count} projects has figures; cannot reconcile"),
                **common,
            ))
            continue
        if not ctx.differs(g.stated, computed):
            continue
        diff = computed - g.stated
        printed_basis = [p.project_id for p in g.projects if p.basis == "printed"]
        no_figures = [p.project_id for p in g.projects if p.basis == "none"]
        notes_th, notes_en = [], []
        if printed_basis:
            notes_th.append(f"ในจำนวนนี้ {len(printed_basis)} โครงการ ({ids_th(printed_basis)}) นับตามยอดรวมที่พิมพ์"
                            f"เพราะแยกงบรายปีไม่ได้")
            notes_en.append(f"{len(printed_basis)} ({', '.join(printed_basis)}) counted at their printed total")
        if no_figures:
            notes_th.append(f"{len(no_figures)} โครงการ ({ids_th(no_figures)}) ไม่มีตัวเลข")
            notes_en.append(f"{len(no_figures)} ({', '.join(no_figures)}) without figures")
        hint, hint_th, hint_en = _group_hint(ctx, g.stated, g.projects)
        where = f" (บรรทัด {g.stated_total_line})" if g.stated_total_line else ""
        out.append(Finding(
            "error", f"{level}_total", stated=g.stated, computed=computed, difference=diff, hint=hint,
            source_line=g.stated_total_line or g.source_line,
            cells=[f"{p.project_id}: {n(p.amount)}" + ("" if p.basis == "yearly" else " (ยอดที่พิมพ์)")
                   for p in g.projects if p.amount is not None],
            message=(f"{lt}{_group_name(g)}: หน้าสรุปพิมพ์งบประมาณรวม {mb(g.stated)}{where} แต่โครงการในรายละเอียด"
                     f" {g.found_count} โครงการรวมได้ {mb(computed)} ({diff_th(diff)})"
                     + (f"; {'; '.join(notes_th)}" if notes_th else "") + hint_th),
            message_en=(f"{le}: the summary prints {n(g.stated)} million baht but its {g.found_count} projects in"
                        f" the detail add up to {n(computed)} ({diff_en(diff)})"
                        + (f"; {'; '.join(notes_en)}" if notes_en else "") + hint_en),
            **common,
        ))
    return out


def check_missing_strategies(ctx: Context) -> list[Finding]:
    """``missing_strategy``: numbers 1..max strategy id that the document never mentions."""
    numbers = sorted({int(g.id) for g in ctx.strategies if g.id.isdigit()})
    if not numbers:
        return []
    present = set(numbers)
    out = []
    for number in range(1, numbers[-1] + 1):
        if number in present:
            continue
        ident = str(number)
        out.append(Finding(
            "warning", "missing_strategy", level="strategy", id=ident, strategy_id=ident,
            message=(f"ยุทธศาสตร์ที่ {ident}: เอกสารไม่กล่าวถึงเลย (มียุทธศาสตร์ที่ {', '.join(map(str, numbers))})"
                     f" — อาจมีหน้าที่หายไป ตรวจสอบความครบถ้วน"),
            message_en=(f"strategy {ident}: not in the document at all (strategies {', '.join(map(str, numbers))}"
                        f" are); a page may be missing"),
        ))
    return out


def check_plan_total(ctx: Context) -> list[Finding]:
    """``plan_total``: summary grand total vs the detail, over the strategies that have both.

    Stated = sum of the printed five-year totals of the strategies that have a printed total
    and project figures; computed = sum of those strategies' project amounts. Strategies with a
    printed total but no detail, or detail but no printed total, are named and left out.
    """
    included = [g for g in ctx.strategies if g.stated is not None and g.computed is not None]
    no_detail = [g for g in ctx.strategies if g.stated is not None and g.computed is None]
    no_printed = [g for g in ctx.strategies if g.stated is None and g.found_count > 0]
    if not included:
        return []
    stated = sum((g.stated for g in included), Decimal(0))
    computed = sum((g.computed for g in included), Decimal(0))
    if not ctx.differs(stated, computed):
        return []
    diff = computed - stated
    ids = ", ".join(g.id for g in included)
    left_th, left_en = [], []
    if no_detail:
        left_th.append(f"ยุทธศาสตร์ที่ {', '.join(g.id for g in no_detail)} (พิมพ์งบรวม"
                       f" {mb(sum((g.stated for g in no_detail), Decimal(0)))} แต่ไม่มีรายละเอียดโครงการ)")
        left_en.append(f"strategy {', '.join(g.id for g in no_detail)} (printed total, no project detail)")
    if no_printed:
        left_th.append(f"ยุทธศาสตร์ที่ {', '.join(g.id for g in no_printed)} (มีโครงการแต่หน้าสรุปไม่พิมพ์งบ)")
        left_en.append(f"strategy {', '.join(g.id for g in no_printed)} (projects, but no printed total)")
    return [Finding(
        "error", "plan_total", level="plan", id="plan", stated=stated, computed=computed, difference=diff,
        cells=[f"ยุทธศาสตร์ที่ {g.id}: พิมพ์ {n(g.stated)} / รายละเอียด {n(g.computed)}" for g in included],
        message=(f"ทั้งแผน: งบประมาณรวมในหน้าสรุปของยุทธศาสตร์ที่ {ids} รวม {mb(stated)} แต่รายละเอียดโครงการ"
                 f"ของยุทธศาสตร์เดียวกันรวมได้ {mb(computed)} ({diff_th(diff)})"
                 + (f" — ไม่นับ{' และ'.join(left_th)}" if left_th else "")),
        message_en=(f"whole plan: the summary totals of strategies {ids} add up to {n(stated)} million baht but"
                    f" their project detail adds up to {n(computed)} ({diff_en(diff)})"
                    + (f"; left out: {'; '.join(left_en)}" if left_en else "")),
    )]


# ---- names, corrections, unread text -------------------------------------------------------

_LEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s*")
_PREFIXES = {
    "strategy": [re.compile(r"^ยุทธศาสตร์(?:ที่)?\s*\d*\s*"), _LEADING_NUMBER],
    "tactic": [re.compile(r"^กลยุทธ์(?:ที่)?\s*(?:\d+(?:\.\d+)*)?\s*"), _LEADING_NUMBER],
    "project": [_LEADING_NUMBER, re.compile(r"^โครงการที่\s*\d+(?:\.\d+)*\s*"), re.compile(r"^โครงการ\s*")],
}


def name_key(level: str, name: str) -> str:
    """Key for comparing spellings: :func:`~coopanalysis.thai.match_key` after dropping the
    printed number and, for projects, a leading 'โครงการ' / 'โครงการที่ N'.

    >>> name_key("project", "โครงการที่ ๑.๒ สร้างกลุ่ม") == name_key("project", "โครงการสร้างกลุ่ม")
    True
    >>> name_key("strategy", "สนับสนุนการพัฒนา ระบบ") == name_key("strategy", "สนับสนุนการพัฒนาระบบ")
    True
    """
    text = to_arabic(normalize_text(name))
    for pattern in _PREFIXES.get(level, []):
        text = pattern.sub("", text, count=1)
    return match_key(text)


def check_names(ctx: Context) -> list[Finding]:
    """``name_mismatch``: one strategy / tactic / project spelled differently in different sections."""
    frame = ctx.plan.tables.get("names")
    if frame is None or frame.empty:
        return []
    grouped: dict[tuple[str, str], list[dict]] = {}
    for row in records(frame):
        name = text(row.get("name"))
        if not name.strip():
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
            where_th = ", ".join(f"{SOURCE_TH.get(text(r.get('source')), text(r.get('source')))}"
                                 f" บรรทัด {to_int(r.get('source_line'))}" for r in group)
            where_en = ", ".join(f"{SOURCE_EN.get(text(r.get('source')), text(r.get('source')))}"
                                 f" line {to_int(r.get('source_line'))}" for r in group)
            name = text(group[0].get("name"))
            parts_th.append(f"«{name}» ({where_th})")
            parts_en.append(f"«{name}» ({where_en})")
            cells.extend(f"{text(r.get('source'))} บรรทัด {to_int(r.get('source_line'))}:"
                         f" {text(r.get('name'))}" for r in group)
        first_line = to_int(rows[0].get("source_line"))
        out.append(Finding(
            "warning", "name_mismatch", level=level, id=ident, strategy_id=strategy_id or None,
            source_line=first_line, cells=cells,
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
        reason = normalize_text(text(row.get("reason")))
        fig = ctx.figures.get(pid)
        what_th = f"ปี {year}" if fieldname == "amount" and year is not None else "ยอดรวม"
        what_en = f"{year}" if fieldname == "amount" and year is not None else "total"
        out.append(Finding(
            "info", "correction_applied", level="project", id=pid, fiscal_year=year if fieldname == "amount" else None,
            stated=printed, computed=corrected,
            difference=(corrected - printed) if printed is not None and corrected is not None else None,
            strategy_id=(fig.strategy_id if fig else pid.split(".")[0]) or None,
            source_line=to_int(row.get("source_line")),
            cells=[f"{what_en}: {text(row.get('printed'))} → {text(row.get('corrected'))}"],
            message=(f"{label_th('project', pid)} {what_th}: ใช้ค่าที่แก้แล้ว {text(row.get('corrected'))}"
                     f" แทนค่าที่พิมพ์ {text(row.get('printed'))} (การแก้ไขที่ตรวจทานแล้ว) — เหตุผล: {reason}"),
            message_en=(f"{label_en('project', pid)} {what_en}: reviewed correction from"
                        f" {text(row.get('printed'))} to {text(row.get('corrected'))}; reason: {reason}"),
        ))
    return out


def check_unread(ctx: Context) -> list[Finding]:
    """``unread_text``: lines the ingest did not use and values it could not place (info)."""
    frame = ctx.plan.tables.get("ingest_report")
    if frame is None or frame.empty:
        return []
    rows = records(frame)
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
        message=f"เอกสาร: {' และ'.join(parts_th)} (บรรทัด {lines}) — ดู ingest_report.csv",
        message_en=f"document: {', '.join(parts_en)} (lines {lines}); see ingest_report.csv",
    )]


RULES = (
    check_projects,
    check_listings,
    check_sheet_vs_table,
    lambda ctx: check_groups(ctx, "tactic"),
    lambda ctx: check_groups(ctx, "strategy"),
    check_missing_strategies,
    check_plan_total,
    check_names,
    check_corrections,
    check_unread,
)
