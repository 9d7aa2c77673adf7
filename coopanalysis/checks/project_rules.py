"""Rules about one project: its yearly amounts against its printed total, its table rows, and
its project sheet against the detail table."""

from __future__ import annotations

from decimal import Decimal

from coopanalysis.checks import hints as _hints
from coopanalysis.checks.context import Context
from coopanalysis.checks.findings import Finding
from coopanalysis.checks.registry import Check, Rule
from coopanalysis.checks.wording import diff_en, diff_th, label_en, label_th, listing_cell, mb, n, total_of
from coopanalysis.io.schema import id_sort_key

__all__ = ["RULES", "check_projects", "check_listings", "check_sheet_vs_table", "dropped_values"]


def _hint_text(h, stated, labels, labels_en) -> tuple[str | None, str, str]:
    if h is None:
        return None, "", ""
    th, en = _hints.describe(h, stated, labels, labels_en)
    return h.code, f" — {th}", f"; {en}"


def _unreconciled(ctx: Context, fig, printed, n_values, cells, common) -> Finding:
    n_years = ctx.n_years
    hint, hint_th, hint_en = None, "", ""
    if printed is not None and fig.stated is not None:
        hint, hint_th, hint_en = _hint_text(
            _hints.likely_cause(printed, fig.stated, n_years), fig.stated,
            [f"ค่าที่ {i + 1}" for i in range(len(printed))], [f"value {i + 1}" for i in range(len(printed))])
    if printed is not None:
        shown = ", ".join(n(v) for v in printed)
        what_th = (f"แถวงบประมาณพิมพ์ตัวเลข {len(printed)} ค่า ({shown}) สำหรับ {n_years or '?'} ปีงบประมาณ"
                   f" รวมได้ {mb(total_of(printed))}")
        what_en = (f"the budget row prints {len(printed)} values ({shown}) for {n_years or '?'} fiscal years,"
                   f" adding up to {n(total_of(printed))}")
    else:
        count = n_values if n_values is not None else "?"
        what_th = f"แถวงบประมาณพิมพ์ตัวเลข {count} ค่าสำหรับ {n_years or '?'} ปีงบประมาณ"
        what_en = f"the budget row prints {count} values for {n_years or '?'} fiscal years"
    stated_th = f"เทียบกับยอดรวมที่พิมพ์ {mb(fig.stated)}" if fig.stated is not None else "โดยไม่มียอดรวมที่พิมพ์"
    stated_en = f"against the printed total {n(fig.stated)}" if fig.stated is not None else "with no printed total"
    pid = fig.project_id
    return Finding(
        "error", "project_unreconciled", stated=fig.stated, computed=None, hint=hint, cells=cells,
        message=(f"{label_th('project', pid)}: {what_th} {stated_th} — จัดค่าลงปีไม่ได้อย่างมั่นใจ"
                 f" จึงเว้นงบรายปีไว้ และนับยอดรวมที่พิมพ์แทนในยอดของกลยุทธ์/ยุทธศาสตร์{hint_th}"),
        message_en=(f"{label_en('project', pid)}: {what_en}, {stated_en}; they cannot be placed"
                    f" in years with confidence, so yearly amounts are left empty and the printed total is"
                    f" counted in the tactic/strategy totals{hint_en}"),
        **common,
    )


def _total_off(ctx: Context, fig, count_th, count_en, common) -> Finding:
    pid = fig.project_id
    diff = fig.computed - fig.stated
    year_list = [y for y in (ctx.plan.years or sorted(fig.yearly)) if y in fig.yearly]
    hint, hint_th, hint_en = _hint_text(
        _hints.likely_cause([fig.yearly[y] for y in year_list], fig.stated, None), fig.stated,
        [f"ปี {y}" for y in year_list], [str(y) for y in year_list])
    repaired_th = " (หลังตัดค่าที่ซ้ำเข้าไปในคอลัมน์เกินออกแล้ว)" if fig.parse_status == "repaired" else ""
    source_th = "" if fig.source == "table" else " (จากรายละเอียดโครงการ)"
    return Finding(
        "error", "project_total", stated=fig.stated, computed=fig.computed, difference=diff, hint=hint,
        cells=[f"{y}: {n(fig.yearly[y])}" for y in year_list] + [f"รวมที่พิมพ์: {n(fig.stated)}"],
        message=(f"{label_th('project', pid)}: งบประมาณรายปี{source_th}รวมกันได้ {mb(fig.computed)}{repaired_th}"
                 f" แต่ยอดรวมที่พิมพ์คือ {mb(fig.stated)} ({diff_th(diff)}){count_th}{hint_th}"),
        message_en=(f"{label_en('project', pid)}: yearly amounts add up to {n(fig.computed)} million baht"
                    f" but the printed total is {n(fig.stated)} ({diff_en(diff)}){count_en}{hint_en}"),
        **common,
    )


def _repaired(fig, printed, count_th, cells, common) -> Finding:
    pid = fig.project_id
    dropped = dropped_values(printed, [fig.yearly[y] for y in sorted(fig.yearly)]) if printed else []
    what_th = (f"ตัดค่า {', '.join(n(v) for v in dropped)} ที่ซ้ำเข้าไปในคอลัมน์เกินออก" if dropped
               else "ตัดค่าที่ซ้ำเข้าไปในคอลัมน์เกินออก")
    total_th = f" แล้วรวมได้ {mb(fig.computed)} ตรงกับยอดรวมที่พิมพ์" if fig.computed is not None else ""
    return Finding(
        "warning", "project_repaired", stated=fig.stated, computed=fig.computed,
        difference=(fig.computed - fig.stated) if fig.computed is not None and fig.stated is not None else None,
        hint="repeated_value", cells=cells,
        message=(f"{label_th('project', pid)}: {what_th}{total_th}{count_th} — ตรวจดูว่าค่าแต่ละปีอยู่ถูกปี"),
        message_en=f"{label_en('project', pid)}: repaired by the ingest: {fig.parse_note or 'layout artefact undone'}",
        **common,
    )


def check_projects(ctx: Context) -> list[Finding]:
    """``project_total``, ``project_unreconciled``, ``project_repaired`` (one finding at most per project).

    The value count (cells printed vs fiscal years) is folded into these: a row whose spurious
    repeated cell was dropped and that then adds up is a warning, never an error.
    """
    out = []
    n_years = ctx.n_years
    for fig in ctx.figures.values():
        pid = fig.project_id
        first = (ctx.listings.get(pid) or [None])[0]
        printed = first["values"] if first and first["values"] is not None else None
        n_values = fig.n_values if fig.n_values is not None else (len(printed) if printed is not None else None)
        count_th = count_en = ""
        if n_values is not None and n_years and n_values != n_years:
            count_th = f" (แถวนี้พิมพ์ตัวเลข {n_values} ค่าสำหรับ {n_years} ปีงบประมาณ)"
            count_en = f" ({n_values} values printed for {n_years} fiscal years)"
        cells = [listing_cell(r) for r in ctx.listings.get(pid, [])]
        common = dict(level="project", id=pid, strategy_id=fig.strategy_id or None, source_line=fig.source_line,
                      name=ctx.name_of("project", pid))
        if fig.parse_status == "unreconciled" or (fig.computed is None and fig.stated is not None and fig.source == "table"):
            out.append(_unreconciled(ctx, fig, printed, n_values, cells, common))
        elif fig.stated is not None and fig.computed is not None and ctx.differs(fig.stated, fig.computed):
            out.append(_total_off(ctx, fig, count_th, count_en, common))
        elif fig.parse_status == "repaired":
            out.append(_repaired(fig, printed, count_th, cells, common))
    return out


def dropped_values(printed: list[Decimal], kept: list[Decimal]) -> list[Decimal]:
    """Multiset difference printed - kept (the values a repair dropped).

    >>> D = Decimal
    >>> dropped_values([D(5), D(5), D(3)], [D(5), D(3)])
    [Decimal('5')]
    """
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
        lines = ", ".join(str(r["source_line"]) for r in rows if r["source_line"] is not None)
        signatures = {(tuple(r["values"]) if r["values"] is not None else tuple(r["tokens"]), r["total"] or r["total_text"])
                      for r in rows}
        cells = [listing_cell(r) for r in rows]
        common = dict(level="project", id=pid, strategy_id=ctx.strategy_of(pid), source_line=rows[0]["source_line"],
                      cells=cells, name=ctx.name_of("project", pid))
        if len(signatures) == 1:
            out.append(Finding(
                "info", "duplicate_listing",
                message=(f"{label_th('project', pid)}: อยู่ในตาราง {len(rows)} แถว (บรรทัด {lines}) ตัวเลขเหมือนกันทุกช่อง"
                         f" — นับครั้งเดียว"),
                message_en=f"{label_en('project', pid)}: listed {len(rows)} times (lines {lines}) with identical figures; counted once",
                **common,
            ))
        else:
            detail = "; ".join(cells)
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
        for year in sorted(set(table[pid]) & set(sheet[pid])):
            t, s = table[pid][year], sheet[pid][year]
            if t["amount"] is None or s["amount"] is None or not ctx.differs(t["amount"], s["amount"]):
                continue
            diff = s["amount"] - t["amount"]
            out.append(Finding(
                "error", "sheet_vs_table", level="project", id=pid, fiscal_year=year,
                stated=t["amount"], computed=s["amount"], difference=diff,
                strategy_id=ctx.strategy_of(pid), source_line=s["source_line"], name=ctx.name_of("project", pid),
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


#: This module's rules of a plan, each function with the checks it declares, in the order
#: :data:`coopanalysis.checks.rules.RULES` runs them.
RULES: tuple[Rule, ...] = (
    Rule(check_projects, (
        Check("project_total", "error", ("project",), "ยอดรวมโครงการไม่ตรง"),
        Check("project_unreconciled", "error", ("project",), "จัดงบรายปีไม่ได้"),
        Check("project_repaired", "warning", ("project",), "แก้การจัดวางแถว"),
    )),
    Rule(check_listings, (
        Check("duplicate_listing", "info", ("project",), "โครงการซ้ำในตาราง"),
        Check("listing_conflict", "error", ("project",), "รายการซ้ำแต่ตัวเลขต่างกัน"),
    )),
    Rule(check_sheet_vs_table, (Check("sheet_vs_table", "error", ("project",), "แผ่นโครงการต่างจากตาราง"),)),
)
