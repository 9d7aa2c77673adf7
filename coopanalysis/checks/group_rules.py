"""Rules about groups of projects: tactics and strategies against their printed budgets and
counts, strategies the document omits, and the whole plan."""

from __future__ import annotations

from decimal import Decimal

from coopanalysis.checks import hints as _hints
from coopanalysis.checks.context import Context
from coopanalysis.checks.findings import Finding
from coopanalysis.checks.registry import Check, Rule
from coopanalysis.checks.wording import (
    diff_en,
    diff_th,
    group_name,
    ids_th,
    label_en,
    label_th,
    mb,
    n,
    projects_en,
    total_of,
)
from coopanalysis.model.figures import Group, ProjectFigures
from coopanalysis.text.labels import MB

__all__ = ["RULES", "check_groups", "check_missing_strategies", "check_plan_total", "check_level"]


def _group_hint(ctx: Context, group_stated: Decimal, projects: list[ProjectFigures]) -> tuple[str | None, str, str]:
    """Likely cause of a group total that disagrees: a project whose own total is off, else the
    one hint engine (:func:`~coopanalysis.checks.hints.gap_cause`) on the projects' amounts:
    the printed total read differently, a subtotal kept beside its items, a duplicated project."""
    computed = total_of(p.amount for p in projects if p.amount is not None)
    off = [p for p in projects if p.computed is not None and p.stated is not None and p.computed != p.stated]
    if off:
        alternative = computed - total_of(p.computed - p.stated for p in off)
        if not ctx.differs(group_stated, alternative):
            ids = ", ".join(p.project_id for p in off)
            printed = ", ".join(n(p.stated) for p in off)
            return ("project_total",
                    f" — สาเหตุที่เป็นไปได้: ตัวเลขรายปีของโครงการ {ids} ที่รวมไม่ตรงกับยอดรวมของโครงการเอง"
                    f" ถ้าใช้ยอดรวมที่พิมพ์ของโครงการ ({printed} {MB}) จะตรงกันพอดี",
                    f"; likely cause: the yearly figures of project {ids}, which do not add up to its own printed"
                    f" total; using that printed total ({printed}) makes it agree exactly")
    counted = [p for p in projects if p.amount is not None]
    h = _hints.gap_cause([_hints.Part(p.amount, p.name) for p in counted], group_stated, cells=False)
    if h is not None:
        th, en = _hints.describe(h, group_stated, [label_th("project", p.project_id) for p in counted],
                                 [label_en("project", p.project_id) for p in counted])
        return h.code, f" — {th}", f"; {en}"
    return None, "", ""


def _total_finding(ctx: Context, g: Group, computed: Decimal, common: dict) -> Finding:
    level = g.level
    lt, le = label_th(level, g.id), label_en(level, g.id)
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
    return Finding(
        "error", f"{level}_total", stated=g.stated, computed=computed, difference=diff, hint=hint,
        source_line=g.stated_total_line or g.source_line,
        cells=[f"{p.project_id}: {n(p.amount)}" + ("" if p.basis == "yearly" else " (ยอดที่พิมพ์)")
               for p in g.projects if p.amount is not None],
        message=(f"{lt}{group_name(g.name)}: หน้าสรุปพิมพ์งบประมาณรวม {mb(g.stated)}{where} แต่โครงการในรายละเอียด"
                 f" {g.found_count} โครงการรวมได้ {mb(computed)} ({diff_th(diff)})"
                 + (f"; {'; '.join(notes_th)}" if notes_th else "") + hint_th),
        message_en=(f"{le}: the summary prints {n(g.stated)} million baht but its {projects_en(g.found_count)} in"
                    f" the detail {'adds' if g.found_count == 1 else 'add'} up to {n(computed)} ({diff_en(diff)})"
                    + (f"; {'; '.join(notes_en)}" if notes_en else "") + hint_en),
        **common,
    )


def check_level(ctx: Context, level: str) -> list[Finding]:
    """``<level>_total``, ``<level>_count``, ``no_detail``, ``no_figures`` for tactics or strategies.

    A group with a printed budget or count but no project in the detail gets one completeness
    warning (``no_detail``) and no count/total error. A tactic is not checked when its
    strategy has no detail, nor against a printed cell it shares with its strategy.
    """
    out = []
    for g in ctx.strategies if level == "strategy" else ctx.tactics:
        if g.stated is None and g.stated_count is None:
            continue
        parent = ctx.strategy(g.strategy_id) if level == "tactic" else None
        if parent is not None and parent.found_count == 0:
            continue
        shares_total = (parent is not None and g.stated_total_line is not None
                        and g.stated_total_line == parent.stated_total_line)
        shares_count = (parent is not None and g.stated_count_line is not None
                        and g.stated_count_line == parent.stated_count_line)
        common = dict(level=level, id=g.id, strategy_id=g.strategy_id or None, name=g.name or "")
        lt, le = label_th(level, g.id), label_en(level, g.id)
        if g.found_count == 0:
            if shares_total and shares_count:
                continue
            printed_th = " และ ".join(
                ([f"งบประมาณ {mb(g.stated)}"] if g.stated is not None else [])
                + ([f"{'' if g.stated is not None else 'ว่ามี '}{g.stated_count} โครงการ"] if g.stated_count is not None else []))
            printed_en = " and ".join(
                ([f"a budget of {n(g.stated)} million baht"] if g.stated is not None else [])
                + ([projects_en(g.stated_count)] if g.stated_count is not None else []))
            out.append(Finding(
                "warning", "no_detail", stated=g.stated, source_line=g.stated_total_line or g.source_line,
                message=(f"{lt}{group_name(g.name)}: หน้าสรุปพิมพ์{printed_th} แต่ไม่มีรายละเอียดโครงการในเอกสาร"
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
                message=(f"{lt}{group_name(g.name)}: หน้าสรุปพิมพ์ว่ามี {g.stated_count} โครงการ"
                         f" แต่รายละเอียดมี {g.found_count} โครงการ ({found_ids})"),
                message_en=(f"{le}: the summary prints {projects_en(g.stated_count)} but the detail has"
                            f" {g.found_count} ({found_ids})"),
                **common,
            ))
        if g.stated is None or shares_total:
            continue
        computed = g.computed
        if computed is None:
            out.append(Finding(
                "warning", "no_figures", stated=g.stated, source_line=g.stated_total_line or g.source_line,
                message=(f"{lt}{group_name(g.name)}: หน้าสรุปพิมพ์งบประมาณ {mb(g.stated)} แต่โครงการที่พบ"
                         f" {g.found_count} โครงการไม่มีตัวเลขงบประมาณเลย — เทียบยอดไม่ได้"),
                message_en=(f"{le}: the summary prints {n(g.stated)} million baht but none of its"
                            f" {projects_en(g.found_count)} has figures; cannot reconcile"),
                **common,
            ))
        elif ctx.differs(g.stated, computed):
            out.append(_total_finding(ctx, g, computed, common))
    return out


def check_groups(ctx: Context) -> list[Finding]:
    """Tactics, then strategies: see :func:`check_level`."""
    return check_level(ctx, "tactic") + check_level(ctx, "strategy")


def check_missing_strategies(ctx: Context) -> list[Finding]:
    """``missing_strategy``: numbers 1..max strategy id that the document never mentions."""
    numbers = sorted({int(g.id) for g in ctx.strategies if g.id.isdigit()})
    if not numbers:
        return []
    present = set(numbers)
    shown = ", ".join(map(str, numbers))
    out = []
    for number in range(1, numbers[-1] + 1):
        if number in present:
            continue
        ident = str(number)
        out.append(Finding(
            "warning", "missing_strategy", level="strategy", id=ident, strategy_id=ident,
            message=(f"{label_th('strategy', ident)}: เอกสารไม่กล่าวถึงเลย (มี{label_th('strategy', shown)})"
                     f" — อาจมีหน้าที่หายไป ตรวจสอบความครบถ้วน"),
            message_en=(f"{label_en('strategy', ident)}: not in the document at all (the document has"
                        f" {'strategy' if len(numbers) == 1 else 'strategies'} {shown}); a page may be missing"),
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
    stated = total_of(g.stated for g in included)
    computed = total_of(g.computed for g in included)
    if not ctx.differs(stated, computed):
        return []
    diff = computed - stated

    def ids(groups) -> str:
        return ", ".join(g.id for g in groups)

    left_th, left_en = [], []
    if no_detail:
        left_th.append(f"{label_th('strategy', ids(no_detail))} (พิมพ์งบรวม"
                       f" {mb(total_of(g.stated for g in no_detail))} แต่ไม่มีรายละเอียดโครงการ)")
        left_en.append(f"{label_en('strategy', ids(no_detail))} (printed total, no project detail)")
    if no_printed:
        left_th.append(f"{label_th('strategy', ids(no_printed))} (มีโครงการแต่หน้าสรุปไม่พิมพ์งบ)")
        left_en.append(f"{label_en('strategy', ids(no_printed))} (projects, but no printed total)")
    return [Finding(
        "error", "plan_total", level="plan", id="plan", stated=stated, computed=computed, difference=diff,
        cells=[f"{label_th('strategy', g.id)}: พิมพ์ {n(g.stated)} / รายละเอียด {n(g.computed)}" for g in included],
        message=(f"{label_th('plan')}: งบประมาณรวมในหน้าสรุปของ{label_th('strategy', ids(included))} รวม {mb(stated)}"
                 f" แต่รายละเอียดโครงการของยุทธศาสตร์เดียวกันรวมได้ {mb(computed)} ({diff_th(diff)})"
                 + (f" — ไม่นับ{' และ'.join(left_th)}" if left_th else "")),
        message_en=(f"{label_en('plan')}: the summary totals of strategies {ids(included)} add up to {n(stated)}"
                    f" million baht but their project detail adds up to {n(computed)} ({diff_en(diff)})"
                    + (f"; left out: {'; '.join(left_en)}" if left_en else "")),
    )]


#: This module's rules of a plan, each function with the checks it declares, in the order
#: :data:`coopanalysis.checks.rules.RULES` runs them.
RULES: tuple[Rule, ...] = (
    Rule(check_groups, (
        Check("tactic_total", "error", ("tactic",), "ยอดรวมกลยุทธ์ไม่ตรง"),
        Check("tactic_count", "error", ("tactic",), "จำนวนโครงการของกลยุทธ์ไม่ตรง"),
        Check("strategy_total", "error", ("strategy",), "ยอดรวมยุทธศาสตร์ไม่ตรง"),
        Check("strategy_count", "error", ("strategy",), "จำนวนโครงการของยุทธศาสตร์ไม่ตรง"),
        Check("no_detail", "warning", ("strategy", "tactic"), "ไม่มีรายละเอียดโครงการ"),
        Check("no_figures", "warning", ("strategy", "tactic"), "ไม่มีตัวเลขงบประมาณ"),
    )),
    Rule(check_missing_strategies, (Check("missing_strategy", "warning", ("strategy",), "ยุทธศาสตร์ที่ขาดหาย"),)),
    Rule(check_plan_total, (Check("plan_total", "error", ("plan",), "ยอดรวมทั้งแผนไม่ตรง"),)),
)
