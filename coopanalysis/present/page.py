"""Page chrome: headings, notes, the navigation header, the "about this report" footer.

Every text from the plan is escaped here (:mod:`coopanalysis.present.escape`). A :class:`Block`
is HTML for the reader plus the same text in plain form (what ``repr`` and nbval show).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopanalysis.present.escape import html_attr, html_text, slug
from coopanalysis.present.text import report_title
from coopanalysis.text.fiscal import plan_years_label
from coopanalysis.text.fmt import amount, count, digits
from coopanalysis.text.labels import MB, named, node_label

__all__ = [
    "Block", "heading", "section", "report_heading", "strategy_heading", "note", "nav_html", "about", "findings_anchor",
    "strategy_anchor", "default_nav", "NAV_START", "NAV_END", "NAV_WORDS",
]

#: Markers around the navigation header (filled in when the run's index is written).
NAV_START = "<!--coopanalysis-nav-->"
NAV_END = "<!--/coopanalysis-nav-->"
#: Every character the navigation can show (the embedded font covers these on every page): the
#: header is completed once the run is known and may name any page of it (a budget table's
#: agencies by name), so the whole Thai block and printable ASCII are in every page's subset.
NAV_WORDS = ("สารบัญรายงาน ภาพรวมแผน ผลการตรวจสอบ หน่วยงานรับผิดชอบ ยุทธศาสตร์ที่ 0123456789 ๐๑๒๓๔๕๖๗๘๙ . · "
             + "".join(chr(c) for c in range(0x0E01, 0x0E5C)) + "".join(chr(c) for c in range(0x20, 0x7F)))


@dataclass(frozen=True)
class Block:
    """A piece of a report: *html* for the reader, *text* for ``repr`` (and nbval)."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def strategy_anchor(strategy_id) -> str:
    """The id of a strategy's group in the checks report.

    >>> strategy_anchor("5"), strategy_anchor(None)
    ('strategy-5', 'plan-wide')
    """
    return slug("strategy", strategy_id) if strategy_id else "plan-wide"


def findings_anchor(finding) -> str:
    """The id of one finding's row in the checks report: check, level, id and year.

    >>> from types import SimpleNamespace as F
    >>> findings_anchor(F(check="strategy_total", level="strategy", id="5", fiscal_year=None))
    'finding-strategy_total-strategy-5'
    """
    return slug("finding", finding.check, finding.level, finding.id, finding.fiscal_year)


def _years(plan, thai_digits: bool) -> str:
    return plan_years_label(plan.years, thai_digits=thai_digits) if plan.years else ""


def report_heading(plan, title: str, thai_digits: bool = False) -> Block:
    """A report's heading: the plan's title above, *title* (h1), the fiscal years and the unit."""
    plan_title = digits(plan.title, thai_digits)
    meta = " · ".join(s for s in (f"ปีงบประมาณ {_years(plan, thai_digits)}" if plan.years else "", f"หน่วย: {MB}") if s)
    page = (f'<header class="report-heading"><p class="plan-title">{html_text(plan_title)}</p>'
            f"<h1>{html_text(title)}</h1><p class=\"meta\">{html_text(meta)}</p></header>")
    return Block(page, "\n".join(s for s in (plan_title, title, meta) if s))


def strategy_heading(plan, strategy_id: str, thai_digits: bool = False, n_findings: int | None = None) -> Block:
    """A strategy report's heading: number and name, its goal when printed, and a link to its
    findings in the checks report."""
    row = plan.strategies[plan.strategies["strategy_id"] == strategy_id].iloc[0]
    name = "" if row.get("name") is None or str(row.get("name")) == "nan" else str(row["name"])
    title = digits(named(node_label("strategy", strategy_id), name), thai_digits)
    goal = row.get("goal")
    goal = "" if goal is None or str(goal) == "nan" else digits(str(goal).strip(), thai_digits)
    plan_title = digits(plan.title, thai_digits)
    parts = [f'<header class="report-heading"><p class="plan-title">{html_text(plan_title)}</p>',
             f"<h1>{html_text(title)}</h1>"]
    lines = [plan_title, title]
    if goal:
        parts.append(f'<p class="goal"><strong>เป้าหมาย:</strong> {html_text(goal)}</p>')
        lines.append(f"เป้าหมาย: {goal}")
    meta = f"ปีงบประมาณ {_years(plan, thai_digits)} · หน่วย: {MB}" if plan.years else f"หน่วย: {MB}"
    parts.append(f'<p class="meta">{html_text(meta)}</p>')
    lines.append(meta)
    if n_findings is not None:
        label = (f"ข้อตรวจพบของยุทธศาสตร์นี้ {count(n_findings, thai_digits)} รายการ ในรายงานผลการตรวจสอบ"
                 if n_findings else "ไม่มีข้อตรวจพบของยุทธศาสตร์นี้")
        href = f"checks.html#{strategy_anchor(strategy_id)}"
        parts.append(f'<p class="meta"><a href="{html_attr(href)}">{html_text(label)}</a></p>' if n_findings
                     else f'<p class="meta">{html_text(label)}</p>')
        lines.append(label)
    parts.append("</header>")
    return Block("".join(parts), "\n".join(lines))


def heading(text: str, level: int = 3, anchor: str = "") -> Block:
    """A heading computed at run time (text from data allowed: it is escaped)."""
    ident = f' id="{html_attr(anchor)}"' if anchor else ""
    return Block(f"<h{level}{ident}>{html_text(text)}</h{level}>", str(text))


def section(title: str, intro: str = "") -> Block:
    """A report section's heading (h2, its id the title) and its opening paragraph; ``*words*``
    in *intro* are emphasised. Both are escaped.

    >>> section("A b").html
    '<h2 id="A-b">A b</h2>'
    >>> section("A b", "*x* <y>").html
    '<h2 id="A-b">A b</h2><p><em>x</em> &lt;y&gt;</p>'
    """
    head = f'<h2 id="{html_attr(title.replace(" ", "-"))}">{html_text(title)}</h2>'
    if not intro:
        return Block(head, title)
    body = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", html_text(intro))
    return Block(f"{head}<p>{body}</p>", f"{title}\n\n{intro}")


def note(text: str) -> Block:
    """A short remark for the reader (text from data allowed: it is escaped)."""
    return Block(f'<p class="note">{html_text(text)}</p>', str(text))


def nav_html(pages, current: str = "") -> str:
    """The navigation header: *pages* is ``[(href, label, title)]``; *current* the page's href
    (shown, not linked)."""
    items = []
    for href, label, title in pages:
        tip = f' title="{html_attr(title)}"' if title and title != label else ""
        if href == current:
            items.append(f'<li><span aria-current="page"{tip}>{html_text(label)}</span></li>')
        else:
            items.append(f'<li><a href="{html_attr(href)}"{tip}>{html_text(label)}</a></li>')
    return f'<nav class="site" aria-label="รายงาน"><ul>{"".join(items)}</ul></nav>'


def default_nav(current: str = "", thai_digits: bool = False) -> str:
    """A navigation header before the run is known: the index only (``data-digits`` tells the
    index which digits the page uses when it completes the header)."""
    nav = nav_html([("index.html", report_title("index"), "")], current)
    return nav.replace("<nav ", '<nav data-digits="thai" ', 1) if thai_digits else nav


def about(plan, tolerance=None, thai_digits: bool = False) -> Block:
    """The "about this report" footer: which data, which corrections, which tolerance."""
    items = []
    organisation = str(plan.meta.get("organisation", "") or "")
    data = f"ข้อมูล: {digits(plan.title, thai_digits)}"
    if organisation and organisation not in plan.title:
        data += f" ({organisation})"
    items.append(data)
    corrections = plan.corrections
    n = 0 if corrections is None else len(corrections)
    if n:
        ids = ", ".join(dict.fromkeys(str(p) for p in corrections["project_id"]))
        items.append(digits(f"การแก้ไขตัวเลขที่พิมพ์ผิดซึ่งตรวจทานแล้ว {n} รายการ (โครงการ {ids})"
                            " ใช้แทนค่าที่พิมพ์ รายละเอียดอยู่ในรายงานผลการตรวจสอบ", thai_digits))
    else:
        items.append("ไม่มีการแก้ไขตัวเลขที่พิมพ์")
    if tolerance is not None:
        items.append(f"เกณฑ์ความคลาดเคลื่อน: ผลต่างไม่เกิน {amount(tolerance, thai_digits)} {MB} ถือว่าตรงกัน")
    items.append(f"จำนวนเงินเป็น{MB} ปีเป็นปีงบประมาณ พ.ศ. ยอดที่คำนวณรวมแบบทศนิยมแม่นตรงจากตัวเลขที่พิมพ์ในเอกสาร")
    body = "".join(f"<li>{html_text(i)}</li>" for i in items)
    return Block(f'<section class="about"><h2>เกี่ยวกับรายงานนี้</h2><ul>{body}</ul></section>',
                 "เกี่ยวกับรายงานนี้\n" + "\n".join(f"- {i}" for i in items))
