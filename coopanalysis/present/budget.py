"""The page of one node of a budget table (``notebooks/node_report.ipynb``), laid out like the
plan's reports: a heading with the fiscal year and the volume, key figures, the budget by
expenditure category and by the level below (with totals rows), the years (commitments of
other years totalled apart) and the findings, or a sentence saying that nothing was reconciled.

The figures come from :mod:`coopanalysis.budget.present` (passed in: this module does not
import the budget package); every name from the table is escaped here
(:mod:`coopanalysis.present.escape`), so ``![p](http://host/p.png)`` or ``<img>`` in a name is
shown as text, never as an image or a link.
"""

from __future__ import annotations

from decimal import Decimal

from coopanalysis.present.escape import html_attr, html_text
from coopanalysis.present.page import Block
from coopanalysis.present.table import Column, ReadingTable
from coopanalysis.text.fmt import amount, count, digits, percent, year
from coopanalysis.text.labels import MB, SEVERITY_TH, TOTAL

__all__ = ["BUDGET_CHECK_TH", "FINDINGS_ANCHOR", "OTHER", "budget_heading", "category_table", "allocation_rows",
           "allocation_table",
           "years_table", "budget_findings", "budget_summary"]

#: The budget checks (coopanalysis.checks.table_rules) in Thai.
BUDGET_CHECK_TH = {
    "stated_total": "ยอดที่พิมพ์เทียบกับผลรวมของรายการ",
    "malformed_amount": "จำนวนเงินผิดรูปแบบ",
    "missing_amount": "แถวที่ไม่มีจำนวนเงิน",
    "float_noise": "จำนวนเงินไม่ลงตัวเป็นสตางค์",
    "duplicate_row": "แถวซ้ำ",
    "suspected_subtotal": "แถวที่น่าจะเป็นยอดรวมย่อย",
    "unread_rows": "แถวที่ไม่ได้อ่านเป็นรายการ",
}
#: The id of the findings section of a node's page (the index links to it).
FINDINGS_ANCHOR = "findings"


def _year_line(facts: dict, thai_digits: bool) -> str:
    parts = [digits(str(facts.get("source") or ""), thai_digits)]
    if facts.get("year"):
        parts.append(f"ปีงบประมาณ พ.ศ. {year(facts['year'], thai_digits)}")
    if facts.get("volume"):
        parts.append(digits(facts["volume"], thai_digits))
    return " · ".join(p for p in parts if p)


def budget_heading(facts: dict, thai_digits: bool = False) -> Block:
    """The node's heading: the document, fiscal year and volume above; the node's level and
    name (h1); where it sits; its key figures (the bill year's total, the commitments of other
    years apart)."""
    top = _year_line(facts, thai_digits)
    title = digits(facts["title"], thai_digits)
    path = " › ".join(f"{label} {name}" for label, name in facts.get("path", []))
    path = digits(path, thai_digits)
    meta = f"หน่วย: {MB}"
    rows = []
    if facts.get("year"):
        label = f"งบประมาณปี พ.ศ. {year(facts['year'], thai_digits)}"
        if facts.get("phase_th"):
            label += f" ({facts['phase_th']})"
        rows.append([label, amount(facts["total_mb"], thai_digits)])
    if facts.get("other_years_mb"):
        rows.append(["ภาระผูกพันของปีอื่น (นับแยก ไม่รวมในงบประมาณปีนี้)", amount(facts["other_years_mb"], thai_digits)])
    figures = ReadingTable([Column("รายการ"), Column("ล้านบาท", "figure")], rows, css_class="reading key-figures")
    html = (f'<header class="report-heading"><p class="plan-title">{html_text(top)}</p><h1>{html_text(title)}</h1>'
            + (f'<p class="meta">{html_text(path)}</p>' if path else "")
            + f'<p class="meta">{html_text(meta)}</p></header>' + figures.html())
    text = "\n".join(s for s in (top, title, path, meta, figures.text()) if s)
    return Block(html, text)


def _with_total(columns, rows, amounts, thai_digits) -> ReadingTable:
    total = sum((a for a in amounts if a is not None), Decimal(0))
    rows = rows + [[TOTAL, amount(total, thai_digits), percent(1 if total else 0, thai_digits)]]
    return ReadingTable(columns, rows, total_rows={len(rows) - 1})


def category_table(frame, thai_digits: bool = False) -> ReadingTable:
    """The bill year's budget by expenditure category (งบรายจ่าย), with a totals row."""
    columns = [Column("งบรายจ่าย"), Column("จำนวนเงิน", "amount", MB), Column("สัดส่วน", "percent")]
    rows = [[digits(c, thai_digits), amount(a, thai_digits), percent(s, thai_digits)]
            for c, a, s in zip(frame["category"], frame["amount_mb"], frame["share"])]
    return _with_total(columns, rows, list(frame["amount_mb"]), thai_digits)


#: The row that gathers the nodes after the *top* largest.
OTHER = "อื่น ๆ"


def allocation_rows(ds, level: str, year: int, within: str | None = None, top: int | None = None):
    """The rows a page shows and offers for download: ``node_id``, ``name``, ``parent`` (the
    parent's name), ``amount_mb`` (Decimal, exact), ``share`` (of the total shown) of the nodes of
    *level* with an amount in *year*, largest first, from :func:`coopanalysis.allocation` on the
    dataset *ds*; with *top*, the rest as one row ``อื่น ๆ (n)`` (node_id empty)."""
    import pandas as pd

    from coopanalysis.analysis.levels import allocation

    table = allocation(ds, level, year=year, within=within, top=top if top is not None else len(ds.nodes))
    table = table[table["computed_mb"].notna()]
    names = dict(zip(ds.nodes["node_id"], ds.nodes["name"]))
    rows = [{"node_id": n, "name": name, "parent": names.get(p, "") if p else "", "amount_mb": Decimal(repr(a))}
            for n, name, p, a in zip(table["node_id"], table["name"], table["parent_id"], table["computed_mb"])]
    if top is not None and table.attrs["others_count"]:
        rows.append({"node_id": "", "name": f"{OTHER} ({table.attrs['others_count']})", "parent": "",
                     "amount_mb": Decimal(repr(table.attrs["others_mb"]))})
    total = sum((r["amount_mb"] for r in rows), Decimal(0))
    for r in rows:
        r["share"] = float(r["amount_mb"] / total) if total else 0.0
    return pd.DataFrame(rows, columns=["node_id", "name", "parent", "amount_mb", "share"])


def allocation_table(frame, level_th: str, thai_digits: bool = False) -> ReadingTable:
    """The bill year's budget by the level below (:func:`allocation_rows`), largest first, with a
    totals row."""
    columns = [Column(level_th), Column("จำนวนเงิน", "amount", MB), Column("สัดส่วน", "percent")]
    rows = [[digits(" ".join(str(n).split()), thai_digits), amount(a, thai_digits), percent(s, thai_digits)]
            for n, a, s in zip(frame["name"], frame["amount_mb"], frame["share"])]
    return _with_total(columns, rows, list(frame["amount_mb"]), thai_digits)


def years_table(frame, thai_digits: bool = False) -> ReadingTable:
    """The node's amounts per fiscal year: the bill's year, then the commitments of other years
    with their own total (never added to the bill year's)."""
    columns = [Column("ปีงบประมาณ", "year"), Column("จำนวนเงิน", "amount", MB), Column("ชนิด")]
    rows, other = [], []
    for y, a, own in zip(frame["fiscal_year"], frame["amount_mb"], frame["bill_year"]):
        rows.append([year(y, thai_digits), amount(a, thai_digits),
                     "งบประมาณปีนี้ (รวมภาระผูกพันที่ตกปีนี้)" if own else "ภาระผูกพันข้ามปี"])
        if not own:
            other.append(a)
    totals = set()
    if other:
        rows.append(["รวมภาระผูกพันของปีอื่น", amount(sum(other, Decimal(0)), thai_digits),
                     f"{count(len(other), thai_digits)} ปี ไม่รวมในงบประมาณปีนี้"])
        totals.add(len(rows) - 1)
    return ReadingTable(columns, rows, total_rows=totals)


def _reconciled_sentence(facts: dict) -> str:
    if not facts.get("stated"):
        return ("ไม่ได้กระทบยอด: ชุดข้อมูลนี้ไม่มียอดรวมที่พิมพ์ในเอกสาร จึงไม่ได้เทียบยอดของหน่วยนี้กับเอกสาร"
                " หากต้องการเทียบ ให้พิมพ์ยอดรวมจากเอกสารงบประมาณ (PDF) ลงไฟล์ CSV ที่มีคอลัมน์"
                " level, name, fiscal_year, amount, unit แล้วนำเข้าอีกครั้งด้วย"
                " coopanalysis ingest TABLE --mapping ... --stated FILE")
    if not facts.get("stated_here"):
        return ("ไม่ได้กระทบยอดของหน่วยนี้: ยอดรวมที่พิมพ์ซึ่งให้ไว้ (--stated) ไม่มียอดของหน่วยนี้หรือระดับใต้หน่วยนี้")
    return (f"เทียบยอดรวมที่พิมพ์ {facts['stated_here']} ยอดของหน่วยนี้และระดับใต้หน่วยนี้กับผลรวมของรายการ")


def budget_findings(findings, facts: dict, thai_digits: bool = False) -> Block:
    """The node's findings: whether printed totals were reconciled (and how to give them when
    not), then each finding (severity, check, year, the message in full)."""
    sentence = digits(_reconciled_sentence(facts), thai_digits)
    parts = [f'<p class="note">{html_text(sentence)}</p>']
    lines = [sentence]
    if findings:
        severities = ("error", "warning", "info")
        counts = {s: sum(1 for f in findings if f.severity == s) for s in severities}
        line = (f"ปัญหาของแถวในตารางใต้หน่วยนี้ {count(len(findings), thai_digits)} รายการ: "
                + " · ".join(f"{SEVERITY_TH[s]} {count(n, thai_digits)}" for s, n in counts.items() if n))
        parts.append(f'<p class="counts">{html_text(line)}</p>')
        lines.append(line)
        columns = [Column("ระดับ"), Column("การตรวจ"), Column("ปีงบประมาณ", "year"), Column("รายละเอียด")]
        rows = [[SEVERITY_TH.get(f.severity, f.severity), BUDGET_CHECK_TH.get(f.check, f.check),
                 year(f.fiscal_year, thai_digits) if f.fiscal_year else "", digits(f.message, thai_digits)]
                for f in findings]
        t = ReadingTable(columns, rows, row_classes=[f"f-{f.severity}" for f in findings],
                         css_class="reading findings")
        parts.append(t.html())
        lines.append(t.text())
    else:
        line = "ไม่พบปัญหาของแถวในตารางใต้หน่วยนี้ (จำนวนเงินผิดรูปแบบ แถวซ้ำ แถวยอดรวมย่อย ฯลฯ)"
        parts.append(f"<p>{html_text(line)}</p>")
        lines.append(line)
    return Block(f'<section id="{html_attr(FINDINGS_ANCHOR)}">{"".join(parts)}</section>', "\n".join(lines))


def budget_summary(facts: dict, findings, page: str, thai_digits: bool = False) -> tuple[str, dict]:
    """What the node's report tells the index: its total, the other years apart, its findings."""
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    text = ""
    if facts.get("year"):
        text = f"งบประมาณปี {year(facts['year'], thai_digits)} {amount(facts['total_mb'], thai_digits)} {MB}"
    if facts.get("other_years_mb"):
        text += f" · ภาระผูกพันของปีอื่น {amount(facts['other_years_mb'], thai_digits)} {MB} (นับแยก)"
    if not facts.get("stated_here"):
        text += " · ไม่ได้กระทบยอดกับเอกสาร"
    fields = {
        "name": str(facts["name"]), "label": str(facts["name"]), "total_mb": float(facts["total_mb"]),
        "other_years_mb": float(facts.get("other_years_mb") or 0), "findings": len(findings),
        **{f"findings_{k}": v for k, v in counts.items()}, "findings_href": f"{page}.html#{FINDINGS_ANCHOR}",
        "reconciled": bool(facts.get("stated_here")), "plan_title": _year_line(facts, thai_digits),
        "thai_digits": bool(thai_digits),
    }
    return text, fields
