"""``index.html``: the run's dashboard, and the navigation header of every report page.

Per report: its title (full names), its summary, its findings (errors in red, warnings) apart
from whether its notebook ran (only failures are flagged, with the cell and the error), and
its downloads. Above the table: the plan totals compared like with like (printed against
computed over the same strategies) and the strategies the document leaves out, from the
overview's summary. Dates are Buddhist era; every text is escaped.

A notebook supplies its summary by calling :func:`show_summary`: the text and fields are stored
in the output's metadata, where the runner finds them; the page export leaves that output out.

Rendering the index (once the run is known) also completes the navigation header of every page
of the run (links to the index, the plan reports and each strategy; links to reports not in
the run are taken out). Every file is written atomically.

This module is imported by notebook kernels: keep it light (standard library only).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

__all__ = ["SUMMARY_KEY", "summary_payload", "show_summary", "render_index", "write_index", "fill_navigation",
           "complete_navigation", "run_pages"]

SUMMARY_KEY = "coopanalysis"
_PLAN_PAGES = ("overview", "checks", "units")


def summary_payload(text: str, **fields) -> dict:
    """The metadata stored with a summary output.

    >>> summary_payload("ยุทธศาสตร์ที่ 5", findings=3)
    {'coopanalysis': {'summary': {'text': 'ยุทธศาสตร์ที่ 5', 'findings': 3}}}
    """
    return {SUMMARY_KEY: {"summary": {"text": str(text), **fields}}}


def show_summary(text: str, **fields) -> None:
    """Hand *text* (one line) and *fields* (JSON values) to the index. Shown as plain text in
    a notebook; left out of the report page."""
    from IPython.display import display

    display({"text/plain": str(text)}, raw=True, metadata=summary_payload(text, **fields))


def _e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _rel(path: str | Path | None, base: Path) -> str | None:
    if not path:
        return None
    return Path(os.path.relpath(Path(path), base)).as_posix()


def _link(href: str | None, label: str, title: str = "") -> str:
    tip = f' title="{_e(title)}"' if title else ""
    if not href:
        return f"<span{tip}>{_e(label)}</span>"
    return f'<a href="{_e(href)}"{tip}>{_e(label)}</a>'


def _digits(text: str, thai: bool) -> str:
    from coopanalysis.text.fmt import digits

    return digits(text, thai)


def _amount(value, thai: bool) -> str:
    from coopanalysis.text.fmt import amount

    return amount(value, thai)


def run_pages(outcomes, thai_digits: bool = False) -> list[tuple[str, str, str]]:
    """The navigation entries of a run: ``(href, label, title)`` for the index and each page
    that was written."""
    from coopanalysis.present.text import report_title

    pages = [("index.html", report_title("index"), "")]
    for o in outcomes:
        if o.ok and o.html:
            label = (o.summary or {}).get("label") or report_title(o.name, thai_digits)
            title = (o.summary or {}).get("name") or o.title or ""
            pages.append((Path(o.html).name, label, _digits(str(title), thai_digits)))
    return pages


def fill_navigation(page: str, pages: list[tuple[str, str, str]], current: str, produced: set[str]) -> str:
    """*page* with its navigation header completed and links to reports outside the run
    (``overview.html``, ``strategy_2.html#…``) turned into plain text."""
    from coopanalysis.present.page import NAV_END, NAV_START, nav_html

    start, end = page.find(NAV_START), page.find(NAV_END)
    if start >= 0 and end > start:
        thai = 'data-digits="thai"' in page[start:end]
        entries = [(h, _digits(label, thai), title) for h, label, title in pages]
        nav = nav_html(entries, current)
        if thai:
            nav = nav.replace("<nav ", '<nav data-digits="thai" ', 1)
        page = page[: start + len(NAV_START)] + nav + page[end:]

    def unlink(match: re.Match) -> str:
        name = match.group(2)
        if name in produced or not (name in _PLAN_PAGES or name.startswith("strategy_") or name == "index"):
            return match.group(0)
        return match.group(1) + "<span"

    page = re.sub(r'(<a\b)(?=[^>]*\shref="([\w.-]+)\.html(?:#[^"]*)?")', unlink, page)
    return re.sub(r'<span(\s[^>]*href="[^"]*"[^>]*)>(.*?)</a>', r"<span>\2</span>", page)


def _findings_cell(o) -> str:
    s = o.summary or {}
    if "findings" not in s or o.name in ("overview", "units"):
        return ""
    return _counts_cell(s, s.get("findings_href") or ("checks.html" + (f"#strategy-{s['strategy_id']}"
                                                                          if s.get("strategy_id") else "")))


def _counts_cell(s: dict, anchor: str) -> str:
    """Errors (linked to *anchor*) and warnings of *s* (``findings_error``, ``findings_warning``)."""
    thai = bool(s.get("thai_digits"))
    errors, warnings = int(s.get("findings_error", 0)), int(s.get("findings_warning", 0))
    if not errors and not warnings:
        return '<span class="muted">ไม่มีข้อผิดพลาดหรือคำเตือน</span>'
    parts = []
    if errors:
        parts.append(f'<a class="sev-error" href="{_e(anchor)}">ผิดพลาด {_e(_digits(str(errors), thai))}</a>')
    if warnings:
        parts.append(f'<span class="sev-warning">คำเตือน {_e(_digits(str(warnings), thai))}</span>')
    return " · ".join(parts)


def _totals_panel(outcomes, thai: bool) -> str:
    overview = next((o for o in outcomes if o.name == "overview" and o.ok and o.summary), None)
    if overview is None or not overview.summary.get("compared"):
        return ""
    s = overview.summary
    label = lambda ids: _digits("ยุทธศาสตร์ที่ " + ", ".join(map(str, ids)), thai)  # noqa: E731
    items = []
    stated, computed = s.get("stated_mb"), s.get("computed_mb")
    if stated is not None and computed is not None:
        from decimal import Decimal

        diff = Decimal(repr(float(computed))) - Decimal(repr(float(stated)))
        sign = "+" if diff > 0 else ""
        items.append(f"{label(s['compared'])} (มีทั้งงบรวมตามเอกสารและรายละเอียดโครงการ): ตามเอกสาร {_amount(stated, thai)}"
                     f" ล้านบาท · จากรายโครงการ {_amount(computed, thai)} ล้านบาท · ผลต่าง {sign}{_amount(diff, thai)} ล้านบาท")
    if s.get("no_printed"):
        items.append(f"{label(s['no_printed'])}: หน้าสรุปไม่พิมพ์งบรวม จึงไม่นำมาเทียบ")
    if s.get("no_detail"):
        items.append(f"{label(s['no_detail'])}: ไม่มีรายละเอียดโครงการ จึงไม่นำมาเทียบ")
    if s.get("missing"):
        items.append(f"{label(s['missing'])}: ไม่ปรากฏในเอกสาร")
    body = "".join(f"<li>{_e(i)}</li>" for i in items)
    return f'<section class="totals"><h2>ยอดรวมของแผน เทียบแบบเดียวกัน</h2><ul>{body}</ul></section>'


#: Suffix of a table a report writes beside itself -> what it holds (Thai).
_DOWNLOADS = {
    "projects": "ตารางโครงการ",
    "findings": "ข้อตรวจพบทั้งหมด",
    "policies": "ยอดตามวิธีแบ่ง",
    "equal_by_year": "รายปี (แบ่งเท่ากัน)",
    "categories": "ตามงบรายจ่าย",
    "years": "รายปี",
}


def _download_label(report: str, path: Path) -> str:
    """``ตารางโครงการ (Excel)`` for ``strategy_5_projects.xlsx``."""
    what = path.stem[len(report) + 1:] if path.stem.startswith(report + "_") else path.stem
    kind = {".csv": "CSV", ".xlsx": "Excel"}.get(path.suffix, path.suffix.lstrip("."))
    label = _DOWNLOADS.get(what) or ("ตามระดับถัดไป" if what.startswith("allocation_") else what)
    return f"{label} ({kind})"


def _group_counts(checks, group: str) -> dict:
    groups = ((checks.summary or {}).get("groups") or {}) if checks else {}
    return {**groups.get(group, {}), "thai_digits": bool((checks.summary or {}).get("thai_digits")) if checks else False}


def _missing_rows(overview, checks, thai: bool, failed: bool) -> list[tuple]:
    """A row for each strategy the document leaves out (named, no report, its findings), and one
    for the findings about the whole plan: with them the strategies' rows add up to the checks
    report's counts."""
    missing = (overview.summary or {}).get("missing", []) if overview else []
    status = '<td class="text"></td>' if failed else ""
    rows = []
    if checks is not None and _group_counts(checks, "plan-wide").get("findings"):
        cell = _counts_cell(_group_counts(checks, "plan-wide"), "checks.html#plan-wide")
        rows.append(((0, (), 10_000), f'<tr class="plan-wide"><td class="text">ทั้งแผนและทั้งเอกสาร</td>'
                     f'<td class="text muted">ข้อตรวจพบที่ไม่ได้เป็นของยุทธศาสตร์ใด (อยู่ในรายงานผลการตรวจสอบ)</td>'
                     f'<td class="text">{cell}</td>{status}<td class="text"></td></tr>'))
    for sid in missing:
        counts = _group_counts(checks, f"strategy-{sid}")
        cell = _counts_cell(counts, f"checks.html#strategy-{sid}") if counts.get("findings") else ""
        rows.append((_sort_key(f"strategy_{sid}", 0),
                     f'<tr class="missing"><td class="text">{_e(_digits(f"ยุทธศาสตร์ที่ {sid}", thai))}</td>'
                     f'<td class="text muted">ไม่ปรากฏในเอกสาร จึงไม่มีรายงาน</td><td class="text">{cell}</td>{status}'
                     f'<td class="text"></td></tr>'))
    return rows


def _budget_total_row(outcomes, thai: bool, failed: bool) -> str:
    """The totals row of a budget table's index: the nodes' bill-year totals and findings added up."""
    nodes = [o.summary for o in outcomes if o.ok and o.summary and "total_mb" in o.summary]
    if not nodes:
        return ""
    from decimal import Decimal

    total = sum((Decimal(repr(float(s["total_mb"]))) for s in nodes), Decimal(0))
    other = sum((Decimal(repr(float(s.get("other_years_mb") or 0))) for s in nodes), Decimal(0))
    text = f"รวม {len(nodes)} หน่วย: งบประมาณปีนี้ {_amount(total, thai)} ล้านบาท"
    if other:
        text += f" · ภาระผูกพันของปีอื่น {_amount(other, thai)} ล้านบาท (นับแยก)"
    counts = {k: sum(int(s.get(k, 0)) for s in nodes) for k in ("findings_error", "findings_warning")}
    errors, warnings = counts["findings_error"], counts["findings_warning"]
    found = " · ".join(p for p in (f"ผิดพลาด {errors}" if errors else "", f"คำเตือน {warnings}" if warnings else "") if p)
    status = '<td class="text"></td>' if failed else ""
    return (f'<tr class="total"><th scope="row" class="text">รวม</th><td class="text">{_e(_digits(text, thai))}</td>'
            f'<td class="text">{_e(_digits(found, thai))}</td>{status}<td class="text"></td></tr>')


def _sort_key(name: str, position: int) -> tuple:
    """Plan reports in run order, then strategies (and the missing ones) by id."""
    if name.startswith("strategy_"):
        from coopanalysis.io.schema import id_sort_key

        return (1, id_sort_key(name[len("strategy_"):]), position)
    return (0, (), position)


def render_index(outcomes: Iterable, out_dir: str | Path, plan_title: str = "", generated: datetime | str | None = None,
                 navigation: bool = True) -> str:
    """The HTML of the index page for *outcomes* (:class:`~coopanalysis.report.jobs.Outcome`).

    The index is rendered once the run is known, so with *navigation* (the default) this also
    completes the navigation header of the run's pages (:func:`complete_navigation`; each page
    replaced atomically)."""
    from coopanalysis.present.css import REPORT_CSS
    from coopanalysis.present.page import nav_html
    from coopanalysis.present.text import report_title
    from coopanalysis.report.export import FONT_MARKER, finish_page
    from coopanalysis.text.fiscal import be_date

    out_dir = Path(out_dir)
    outcomes = list(outcomes)
    if navigation:
        complete_navigation(outcomes)
    overview = next((o for o in outcomes if o.name == "overview" and o.summary), None)
    thai = bool((overview.summary if overview else {}).get("thai_digits"))
    if not isinstance(generated, str):
        generated = be_date(generated or datetime.now(), thai, time=True)
    failed = [o for o in outcomes if not o.ok]
    rows = []
    for o in outcomes:
        html_href = _rel(o.html, out_dir) if o.ok and o.html else None
        s = o.summary or {}
        title = str(s.get("name") or o.title or o.name)
        if o.name in _PLAN_PAGES:
            title = report_title(o.name)
        written = sorted(list(out_dir.glob(f"{o.name}_*.csv")) + list(out_dir.glob(f"{o.name}_*.xlsx")))
        if (out_dir / "downloads" / o.name).is_dir():  # a budget table's node: its tables in a folder of its own
            written += sorted((out_dir / "downloads" / o.name).glob("*.csv"))
        files = [_link(_rel(p, out_dir), _download_label(o.name, p), p.name) for p in written]
        if o.ok:
            status = ""
            summary = _e(s.get("text", "")) or '<span class="muted">ไม่มีสรุป</span>'
        else:
            ipynb = _rel(o.ipynb, out_dir) if o.ipynb and Path(o.ipynb).is_file() else None
            status = '<span class="failed">ล้มเหลว</span>'
            summary = f'<span class="failed">{_e(o.failure_line())}</span>'
            if ipynb:
                files.append(_link(ipynb, "ipynb"))
        status_cell = f'<td class="text">{status}</td>' if failed else ""
        key = _sort_key(o.name, len(rows))
        rows.append((key, f'<tr><td class="text">{_link(html_href, _digits(title, thai))}</td><td class="text">{summary}</td>'
                    f'<td class="text">{_findings_cell(o)}</td>{status_cell}'
                    f'<td class="text">{" · ".join(files)}</td></tr>'))
    checks = next((o for o in outcomes if o.name == "checks" and o.ok and o.summary), None)
    rows += _missing_rows(overview, checks, thai, bool(failed))
    rows = [row for _, row in sorted(rows, key=lambda r: r[0])]
    budget = bool(outcomes) and not any(o.name in _PLAN_PAGES or o.name.startswith("strategy_") for o in outcomes)
    total_row = _budget_total_row(outcomes, thai, bool(failed)) if budget else ""
    first = next((o.summary for o in outcomes if o.summary and o.summary.get("plan_title")), None)
    if budget and first:
        plan_title = str(first["plan_title"])
    status_header = '<th scope="col">การสร้างรายงาน</th>' if failed else ""
    heading = _e(_digits(plan_title, thai)) if plan_title else "รายงานแผนปฏิบัติการ"
    n = len(outcomes)
    if failed:
        items = "".join(f"<li>{_e(o.failure_line())}</li>" for o in failed)
        state = (f'<section class="failures"><p class="failed">ล้มเหลว {_e(_digits(str(len(failed)), thai))}'
                 f" จาก {_e(_digits(str(n), thai))} รายงาน</p><ul>{items}</ul></section>")
    else:
        state = f'<p class="muted">รายงานทั้งหมด {_e(_digits(str(n), thai))} ฉบับ สร้างสำเร็จทุกฉบับ</p>'
    workbook = ""
    if (out_dir / "plan.xlsx").is_file():
        whole = "ข้อมูลทั้งชุด" if budget else "ข้อมูลทั้งแผน"
        workbook = f'<p class="downloads">{whole}เป็นสมุดงาน Excel: <a href="plan.xlsx" download>plan.xlsx</a></p>'
    nav = nav_html(run_pages(outcomes, thai), "index.html")
    return finish_page(f"""<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading} — สารบัญรายงาน</title>
<style>
{FONT_MARKER}
{REPORT_CSS}
</style>
</head>
<body>
{nav}
<main>
<header class="report-heading"><p class="plan-title">{heading}</p><h1>สารบัญรายงาน</h1>
<p class="meta">สร้างเมื่อ {_e(generated)} · หน่วย: ล้านบาท</p></header>
{state}
{_totals_panel(outcomes, thai)}
{workbook}
<h2>รายงาน</h2>
<div class="table-wrap"><table class="reading index">
<thead><tr><th scope="col">รายงาน</th><th scope="col">สรุป</th><th scope="col">ข้อตรวจพบ</th>{status_header}<th scope="col">ดาวน์โหลด</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
<tfoot>{total_row}</tfoot>
</table></div>
</main>
</body>
</html>
""")


def complete_navigation(outcomes: Iterable) -> None:
    """Complete the navigation header of every page of the run (atomically, page by page)."""
    from coopanalysis.io.safeio import atomic_write_text

    outcomes = list(outcomes)
    overview = next((o for o in outcomes if o.name == "overview" and o.summary), None)
    pages = run_pages(outcomes, bool((overview.summary if overview else {}).get("thai_digits")))
    produced = {Path(h).stem for h, _, _ in pages}
    for o in outcomes:
        if o.ok and o.html and Path(o.html).is_file():
            path = Path(o.html)
            text = path.read_text(encoding="utf-8")
            atomic_write_text(path, fill_navigation(text, pages, path.name, produced))


def write_index(outcomes: Iterable, out_dir: str | Path, plan_title: str = "") -> Path:
    """Write ``OUT/index.html`` (atomically) after completing the navigation of the run's pages;
    return the index's path."""
    from coopanalysis.io.safeio import atomic_write_text

    index = Path(out_dir) / "index.html"
    atomic_write_text(index, render_index(outcomes, out_dir, plan_title))
    return index
