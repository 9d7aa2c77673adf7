"""The page of one node of a budget table (``notebooks/node_report.ipynb``), laid out like the
plan's reports: a heading with the fiscal year and the volume, key figures, the budget by
expenditure category and by the level below (with totals rows), the years (commitments of
other years totalled apart) and the findings, or a sentence saying that nothing was reconciled.

The figures (:func:`node_facts`, :func:`by_category`, :func:`years_frame`,
:func:`allocation_rows`) are read from the model's :class:`~coopanalysis.model.Dataset` through
its one roll-up (the node closure of :meth:`~coopanalysis.model.Dataset.ancestors` summed in
integer satang by :func:`~coopanalysis.model.dataset.sum_satang`), so an agency's page shows
what ``Dataset.computed`` gives and an edited ``amounts`` table changes it; what only the table
knows (its findings, downloads) comes from :mod:`coopanalysis.budget.present`, passed in (this
module does not import the budget package). Every name from the table is escaped here
(:mod:`coopanalysis.present.escape`), so ``![p](http://host/p.png)`` or ``<img>`` in a name is
shown as text, never as an image or a link.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from coopanalysis.checks.registry import checks_of
from coopanalysis.checks.rules import SOURCES
from coopanalysis.present.escape import html_attr, html_text
from coopanalysis.present.page import Block
from coopanalysis.present.table import Column, ReadingTable
from coopanalysis.text.fmt import amount, count, digits, percent, year
from coopanalysis.text.labels import CATEGORIES, MB, SEVERITY_TH, TOTAL

__all__ = ["BUDGET_CHECK_TH", "FINDINGS_ANCHOR", "OTHER", "PHASE_TH", "UNCLASSIFIED", "allocation_rows",
           "allocation_table", "budget_findings", "budget_heading", "budget_summary", "by_category", "category_table",
           "node_facts", "volume_label", "years_frame", "years_table"]

#: The budget table's checks in Thai, as its rules declare them (``checks/table_rules.py``).
BUDGET_CHECK_TH = {c.code: c.label_th for c in checks_of(SOURCES["budget_table"].rules)}

#: The id of the findings section of a node's page (the index links to it).
FINDINGS_ANCHOR = "findings"

#: The budget phase (``phase`` of the table's metadata) as the heading words its total.
PHASE_TH = {"proposed": "วงเงินที่เสนอในร่างพระราชบัญญัติ", "approved": "วงเงินที่อนุมัติตามพระราชบัญญัติ"}
#: The category of amounts under no expenditure category.
UNCLASSIFIED = "ไม่ระบุงบรายจ่าย"
_VOLUME = re.compile(r"^(?:\d{4})-(\d+)-(\d+(?:\(\d+\))?)\.(?:csv|xlsx)$", re.I)


def volume_label(ds) -> str:
    """``เอกสารงบประมาณ ฉบับที่ 3 เล่มที่ 4`` when the dataset's source files are named as the
    Budget Bureau's volumes are (``2022-3-4.csv``); '' otherwise (nothing guessed).

    >>> from types import SimpleNamespace
    >>> volume_label(SimpleNamespace(provenance={"sources": [{"file": "2022-3-3(2).csv"}]}))
    'เอกสารงบประมาณ ฉบับที่ 3 เล่มที่ 3(2)'
    """
    found = []
    for source in ds.provenance.get("sources") or []:
        match = _VOLUME.match(str(source.get("file", "")))
        if not match:
            return ""
        found.append((match.group(1), match.group(2)))
    if not found or len({f[0] for f in found}) != 1:
        return ""
    return f"เอกสารงบประมาณ ฉบับที่ {found[0][0]} เล่มที่ {', '.join(dict.fromkeys(f[1] for f in found))}"


def _bill_year(ds) -> int | None:
    year = ds.meta.get("bill_year")
    return None if year is None else int(year)


def _year_sums(ds, node: str) -> dict[int | None, Decimal]:
    """*node*'s sums per fiscal year (None: amounts without a year) from ``Dataset.computed``,
    exact; years whose amounts are all missing are left out."""
    from coopanalysis.model.dataset import decimal_mb

    level = ds.nodes.loc[ds.nodes["node_id"] == node, "level"].iloc[0]
    sums = ds.computed(level, by_year=True)
    sums = sums[(sums["node_id"] == node) & sums["computed_satang"].notna()]
    return {None if pd.isna(y) else int(y): decimal_mb(s) for y, s in zip(sums["fiscal_year"], sums["computed_satang"])}


def node_facts(ds, node: str) -> dict:
    """Where *node* of the dataset *ds* (a :class:`~coopanalysis.model.Dataset` of a budget
    table) sits and its totals: ``title``, ``name``, ``level_th``, ``path`` ([(label, name)]
    from the top), ``year`` (the bill's), ``total_mb`` (that year, its own obligation rows
    included), ``other_years_mb`` (commitments of other years, apart; both ``Decimal``, exact,
    from ``Dataset.computed``), ``phase_th``, ``source`` (the dataset's title), ``volume``
    (:func:`volume_label`), ``stated`` (how many printed totals the dataset holds) and
    ``stated_here`` (how many are of this node or beneath)."""
    records = ds.nodes.set_index("node_id", drop=False)
    if node not in records.index:
        raise KeyError(f"no node {node!r} in this dataset")
    year = _bill_year(ds)
    sums = _year_sums(ds, node)
    above: list[str] = []
    parent = records.at[node, "parent_id"]
    while parent and parent in records.index and parent not in above:
        above.insert(0, parent)
        parent = records.at[parent, "parent_id"]
    level_th = ds.level(records.at[node, "level"]).label_th
    stated_ids = ds.stated["node_id"]
    return {
        "title": f"{level_th} {records.at[node, 'name']}", "name": str(records.at[node, "name"]), "level_th": level_th,
        "path": [(ds.level(records.at[a, "level"]).label_th, str(records.at[a, "name"])) for a in above],
        "year": year, "total_mb": sum((a for y, a in sums.items() if year is not None and y == year), Decimal(0)),
        "other_years_mb": sum((a for y, a in sums.items() if year is None or y != year), Decimal(0)),
        "phase_th": PHASE_TH.get(ds.meta.get("phase"), ""), "source": ds.title, "volume": volume_label(ds),
        "stated": int(len(ds.stated)),
        "stated_here": int(((stated_ids == node) | stated_ids.str.startswith(node + ".")).sum()),
    }


def _category_level(ds) -> str | None:
    for level in ds.levels:
        if level.label_th == "งบรายจ่าย":
            return level.key
    return "category_lv1" if "category_lv1" in ds.level_keys else None


def by_category(ds, node: str) -> pd.DataFrame | None:
    """The bill year's amounts of *node* by expenditure category (งบรายจ่าย), in the Budget
    Bureau's order (others after, amounts under no category as :data:`UNCLASSIFIED`):
    ``category``, ``amount_mb`` (Decimal, exact: the one roll-up's sum over the nodes of each
    category name beneath *node*), ``share``. None when the dataset has no such level."""
    from coopanalysis.model.dataset import decimal_mb, sum_satang

    level, year = _category_level(ds), _bill_year(ds)
    if level is None or year is None:
        return None
    closure = ds.ancestors()
    beneath = closure.loc[closure["ancestor_id"] == node, "node_id"]
    amounts = ds.amounts[ds.amounts["node_id"].isin(beneath) & (ds.amounts["fiscal_year"] == year)]
    category = closure[closure["ancestor_level"] == level].set_index("node_id")["ancestor_id"]
    names = amounts["node_id"].map(category).map(ds.nodes.set_index("node_id")["name"])
    sums = sum_satang(amounts.assign(category=names.replace("", None).fillna(UNCLASSIFIED)), ["category"])
    sums = dict(zip(sums["category"], sums["computed_satang"]))
    sums = {c: decimal_mb(s) for c, s in sums.items() if not pd.isna(s)}
    order = [c for c in CATEGORIES if c in sums] + sorted(c for c in sums if c not in CATEGORIES)
    total = sum(sums.values(), Decimal(0))
    return pd.DataFrame({"category": order, "amount_mb": [sums[c] for c in order],
                         "share": [float(sums[c] / total) if total else 0.0 for c in order]})


def years_frame(ds, node: str) -> pd.DataFrame:
    """*node*'s amounts per fiscal year (``Dataset.computed``): ``fiscal_year``, ``amount_mb``
    (Decimal, exact), ``bill_year`` (True for the bill's own year; the others are commitments
    of other years)."""
    sums = _year_sums(ds, node)
    years = sorted(y for y in sums if y is not None)
    return pd.DataFrame({"fiscal_year": years, "amount_mb": [sums[y] for y in years],
                         "bill_year": [y == _bill_year(ds) for y in years]})


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
