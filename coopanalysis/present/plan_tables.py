"""Tables of the plan for reading: strategies, years, coverage, projects, KPIs, units.

The figures come from :mod:`coopanalysis.analysis`; this module picks the columns, names them
in Thai with their unit, and formats every cell (:mod:`coopanalysis.present.table`).
"""

from __future__ import annotations

from coopanalysis.present.table import Column, ReadingTable, table
from coopanalysis.present.text import readable_ids
from coopanalysis.text.fmt import MISSING, amount, count, digits, is_missing
from coopanalysis.text.labels import MB, PARSE_STATUS_TH, TOTAL, named, node_label

__all__ = [
    "POLICY_TH", "strategy_totals_table", "yearly_table", "coverage_table", "projects_table", "kpi_table",
    "unit_policy_table", "unit_table", "strategy_key_figures", "comparable_totals", "comparable_block", "strategy_name",
]

#: Unit allocation policy -> short Thai name (column headings).
POLICY_TH = {"equal": "แบ่งเท่ากัน", "lead": "ให้หน่วยงานหลัก", "full": "นับเต็มทุกหน่วยงาน"}


def _strategy_label(thai_digits: bool):
    return lambda sid: node_label("strategy", sid, thai_digits)


def strategy_totals_table(plan, thai_digits: bool = False) -> ReadingTable:
    """Per strategy: printed and computed five-year totals, difference, project counts, share;
    then a grand-total row: the printed totals added up (the strategies that print one), the
    computed totals added up (the strategies with project detail), and no difference (the two
    sums cover different strategies; the like-with-like comparison follows the table)."""
    from coopanalysis.analysis import by_strategy

    frame = by_strategy(plan)
    total = frame[frame["strategy_id"] == TOTAL]
    frame = frame[frame["strategy_id"] != TOTAL]
    out = table(frame, {
        "strategy_id": "ยุทธศาสตร์", "name": "ชื่อยุทธศาสตร์", "stated_mb": "งบรวมตามเอกสาร",
        "computed_mb": "งบรวมจากรายโครงการ", "difference_mb": "ผลต่าง", "stated_count": "โครงการตามเอกสาร",
        "found_count": "โครงการที่พบ", "share_computed": "สัดส่วนของยอดคำนวณ",
    }, thai_digits)
    if not total.empty:
        row = total.iloc[0]
        printed = [str(s) for s, v in zip(frame["strategy_id"], frame["stated_mb"]) if not is_missing(v)]
        out.rows.append([
            TOTAL, digits(f"งบตามเอกสารรวมเฉพาะยุทธศาสตร์ที่พิมพ์งบรวม ({', '.join(printed)})", thai_digits),
            amount(row["stated_mb"], thai_digits), amount(row["computed_mb"], thai_digits), MISSING,
            count(row["stated_count"], thai_digits) if not is_missing(row["stated_count"]) else MISSING,
            count(row["found_count"], thai_digits), "100.0%" if not thai_digits else digits("100.0%", True),
        ])
        out.total_rows.add(len(out.rows) - 1)
    return out


def yearly_table(plan, thai_digits: bool = False) -> ReadingTable:
    """Yearly amounts: a row per fiscal year, a column per strategy, the year's total and share."""
    from coopanalysis.analysis import by_year

    frame = by_year(plan)
    columns = {"fiscal_year": "ปีงบประมาณ", **{g: None for g in frame.attrs.get("columns", [])},
               TOTAL: "รวมทุกยุทธศาสตร์", "share": "สัดส่วน"}
    return table(frame, columns, thai_digits, group_label=_strategy_label(thai_digits))


def coverage_table(plan, thai_digits: bool = False) -> ReadingTable:
    """How much of each printed strategy total the project detail accounts for. What the
    detail leaves unsplit (printed above detailed) and what it adds beyond the printed total
    (detailed above printed, e.g. strategy 8) are separate columns, each added up on its own:
    an excess is never netted against what another strategy leaves unsplit."""
    from coopanalysis.analysis import coverage

    frame = coverage(plan).copy()
    gaps = frame["gap_mb"]
    frame["unsplit_mb"] = [g if is_missing(g) or g >= 0 else 0.0 for g in gaps]
    frame["excess_mb"] = [None if is_missing(g) else (-g if g < 0 else 0.0) for g in gaps]
    body = frame["strategy_id"] != TOTAL
    for column in ("unsplit_mb", "excess_mb"):
        values = [v for v, b in zip(frame[column], body) if b and not is_missing(v)]
        frame.loc[~body, column] = float(sum(values)) if values else None
    out = table(frame, {
        "strategy_id": "ยุทธศาสตร์", "name": "ชื่อยุทธศาสตร์", "stated_mb": "งบรวมตามเอกสาร",
        "detailed_mb": "มีงบรายปี", "printed_basis_mb": "ใช้ยอดรวมที่พิมพ์", "unsplit_mb": "ส่วนที่ไม่ได้แจกแจงรายปี",
        "excess_mb": "รายละเอียดเกินยอดที่พิมพ์", "coverage": "ความครอบคลุม",
    }, thai_digits)
    for i in out.total_rows:
        out.rows[i][0] = "รวมเฉพาะยุทธศาสตร์ที่พิมพ์งบรวม"
    return out


def projects_table(plan, strategy_id: str, thai_digits: bool = False) -> ReadingTable:
    """The projects of a strategy: yearly amounts, sum of the years, printed total, status."""
    from coopanalysis.analysis import by_project

    frame = by_project(plan, strategy_id).copy()
    frame["parse_status"] = [PARSE_STATUS_TH.get(s, s) if isinstance(s, str) else "" for s in frame["parse_status"]]
    frame.loc[frame["project_id"] == TOTAL, ["tactic_id", "name"]] = ""
    columns = {"project_id": "โครงการ", "tactic_id": "กลยุทธ์", "name": "ชื่อโครงการ"}
    columns.update({y: None for y in frame.attrs.get("years", [])})
    columns.update({"computed_mb": "รวมรายปี", "stated_mb": "รวมตามเอกสาร", "parse_status": "สถานะการอ่าน"})
    out = table(frame, columns, thai_digits)
    for row in out.rows:  # an empty tactic cell reads "–" only for projects
        if row[1] == MISSING and row[0] == TOTAL:
            row[1] = ""
        row[0] = readable_ids(row[0])
    return out


def kpi_table(plan, strategy_id: str, thai_digits: bool = False) -> ReadingTable:
    """A strategy's KPI targets as printed (one row per target row, one column per year)."""
    from coopanalysis import analysis

    frame = analysis.kpi_table(plan, strategy_id)
    years = [c for c in frame.columns if isinstance(c, int)]
    for y in years:
        frame[y] = [t if str(t or "").strip() else MISSING for t in frame[y]]
    columns = {"kpi_id": "ตัวชี้วัด", "name": "ชื่อตัวชี้วัด", "unit": "หน่วยนับ", **{y: None for y in years}}
    return table(frame, columns, thai_digits, kinds={**{y: "figure" for y in years}, "unit": "text"})


def _full_names_only(out: ReadingTable, thai_digits: bool = False) -> ReadingTable:
    """Blank the full name where it repeats the unit (a unit printed in full), and say in the
    caption why the column is empty where it is."""
    units = [i for i in range(len(out.rows)) if i not in out.total_rows and out.rows[i][0] != "ไม่ระบุหน่วยงาน"]
    repeated = unknown = 0
    for i in units:
        row = out.rows[i]
        if len(row) > 1 and row[1] == row[0]:
            row[1] = ""
            repeated += 1
        elif len(row) > 1 and not row[1]:
            unknown += 1
    reasons = []
    if unknown:
        reasons.append(f"{unknown} จาก {len(units)} หน่วยงาน เอกสารใช้ชื่อย่อ และอภิธานชื่อหน่วยงาน (data/units.yaml)"
                       " ยังไม่มีชื่อเต็มที่ตรวจจากแหล่งข้อมูลแล้ว จึงเว้นว่าง (ไม่เดาชื่อเต็ม)")
    if repeated:
        reasons.append(f"{repeated} หน่วยงานพิมพ์ชื่อเต็มเป็นชื่อหน่วยงานอยู่แล้ว จึงไม่ซ้ำในช่องชื่อเต็ม")
    if reasons:
        out.caption = digits("ช่องชื่อเต็ม: " + "; ".join(reasons), thai_digits)
    return out


def unit_policy_table(plan, thai_digits: bool = False) -> ReadingTable:
    """Each unit's five-year total under every allocation policy, side by side."""
    from coopanalysis.analysis import POLICIES, unit_policies

    frame = unit_policies(plan)
    columns = {"unit": "หน่วยงาน", "unit_name": "ชื่อเต็ม"}
    columns.update({f"{p}_mb": POLICY_TH.get(p, p) for p in POLICIES})
    return _full_names_only(table(frame, columns, thai_digits), thai_digits)


def unit_table(frame, thai_digits: bool = False) -> ReadingTable:
    """An allocation table of :func:`coopanalysis.analysis.by_unit` (by strategy or by year)."""
    by = frame.attrs.get("by", "strategy")
    columns = {"unit": "หน่วยงาน", "unit_name": "ชื่อเต็ม", **{g: None for g in frame.attrs.get("columns", [])},
               TOTAL: "รวม", "share": "สัดส่วนของงบแผน"}
    label = (lambda y: digits(str(y), thai_digits)) if by == "year" else _strategy_label(thai_digits)
    return _full_names_only(table(frame, columns, thai_digits, group_label=label), thai_digits)


def strategy_key_figures(plan, strategy_id: str, findings, thai_digits: bool = False) -> ReadingTable:
    """The key figures of one strategy: printed and computed totals, difference, project
    counts, findings by severity."""
    from coopanalysis.analysis import printed_vs_computed
    from coopanalysis.checks import summary_counts
    from coopanalysis.text.labels import SEVERITY_TH

    frame = printed_vs_computed(plan, "strategy")
    row = frame[frame["strategy_id"] == strategy_id].iloc[0]
    own = [f for f in findings if f.strategy_id == strategy_id]
    counts = summary_counts(own)
    difference = amount(row["difference_mb"], thai_digits, sign=True)
    if not is_missing(row["difference_mb"]):
        difference += f" ({row['status_th']})"
    elif is_missing(row["stated_mb"]):
        difference = "เทียบไม่ได้: หน้าสรุปไม่พิมพ์งบรวม"
    elif is_missing(row["computed_mb"]):
        difference = "เทียบไม่ได้: ไม่มีรายละเอียดโครงการ"
    rows = [
        [f"งบประมาณรวมตามเอกสาร ({MB})", amount(row["stated_mb"], thai_digits)],
        [f"งบประมาณรวมจากรายโครงการ ({MB})", amount(row["computed_mb"], thai_digits)],
        [f"ผลต่าง: จากรายโครงการ − ตามเอกสาร ({MB})", digits(difference, thai_digits)],
        ["จำนวนโครงการที่พบ / ตามเอกสาร",
         f"{count(row['found_count'], thai_digits)} / {count(row['stated_count'], thai_digits)}"],
        ["ข้อตรวจพบ", " · ".join(f"{SEVERITY_TH[s]} {count(n, thai_digits)}" for s, n in counts.items())],
    ]
    return ReadingTable([Column("รายการ"), Column("ค่า", "figure")], rows, css_class="reading key-figures")


def comparable_totals(plan) -> dict:
    """Plan totals compared like with like: printed vs computed over the strategies that have
    both, and which strategies are left out and why (for the index and the overview).

    Keys: ``compared`` (ids), ``stated_mb``, ``computed_mb`` (floats over ``compared``),
    ``no_printed`` (ids with projects but no printed total), ``no_detail`` (printed total, no
    project), ``missing`` (ids between 1 and the largest that the document never mentions).
    """
    from coopanalysis.analysis import by_strategy, exact_sum

    frame = by_strategy(plan)
    frame = frame[frame["strategy_id"] != TOTAL]
    compared, no_printed, no_detail = [], [], []
    stated, computed = [], []
    for r in frame.to_dict("records"):
        has_stated, has_projects = not is_missing(r["stated_mb"]), (r.get("found_count") or 0) > 0
        if has_stated and has_projects:
            compared.append(r["strategy_id"])
            stated.append(r["stated_mb"])
            computed.append(r["computed_mb"])
        elif has_projects:
            no_printed.append(r["strategy_id"])
        elif has_stated:
            no_detail.append(r["strategy_id"])
    ids = [int(s) for s in frame["strategy_id"] if str(s).isdigit()]
    missing = [str(i) for i in range(1, max(ids) + 1) if str(i) not in set(frame["strategy_id"])] if ids else []
    return {
        "compared": compared, "stated_mb": float(exact_sum(stated)) if stated else None,
        "computed_mb": float(exact_sum(computed)) if computed else None,
        "no_printed": no_printed, "no_detail": no_detail, "missing": missing,
    }


def comparable_block(plan, thai_digits: bool = False):
    """The plan totals compared like with like, and the strategies left out, in words."""
    from coopanalysis.present.escape import html_text
    from coopanalysis.present.page import Block

    t = comparable_totals(plan)
    label = lambda ids: digits("ยุทธศาสตร์ที่ " + ", ".join(ids), thai_digits)  # noqa: E731
    lines = []
    if t["compared"]:
        diff = amount(t["computed_mb"] - t["stated_mb"], thai_digits, sign=True) if t["stated_mb"] is not None else MISSING
        lines.append(f"{label(t['compared'])} ซึ่งมีทั้งงบรวมตามเอกสารและรายละเอียดโครงการ: ตามเอกสาร"
                     f" {amount(t['stated_mb'], thai_digits)} {MB} จากรายโครงการ {amount(t['computed_mb'], thai_digits)} {MB}"
                     f" (ผลต่าง {diff} {MB})")
    if t["no_printed"]:
        lines.append(f"{label(t['no_printed'])}: มีรายละเอียดโครงการ แต่หน้าสรุปไม่พิมพ์งบรวม จึงเทียบไม่ได้")
    if t["no_detail"]:
        lines.append(f"{label(t['no_detail'])}: หน้าสรุปพิมพ์งบรวม แต่ไม่มีรายละเอียดโครงการ จึงเทียบไม่ได้")
    if t["missing"]:
        lines.append(f"{label(t['missing'])}: ไม่ปรากฏในเอกสารเลย")
    items = "".join(f"<li>{html_text(x)}</li>" for x in lines)
    return Block(f'<ul class="comparable">{items}</ul>', "\n".join(f"- {x}" for x in lines))


def strategy_name(plan, strategy_id, thai_digits: bool = False) -> str:
    """``ยุทธศาสตร์ที่ 5 การพัฒนา…`` in full."""
    match = plan.strategies[plan.strategies["strategy_id"] == strategy_id]
    name = "" if match.empty or is_missing(match.iloc[0]["name"]) else str(match.iloc[0]["name"])
    return digits(named(node_label("strategy", strategy_id), name), thai_digits)

