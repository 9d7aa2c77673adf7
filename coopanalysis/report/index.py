"""``index.html``: one line per report (Thai, with English), each with a one-line summary.

A notebook supplies its summary by calling :func:`show_summary` in a cell: the text is shown to
the reader (Markdown) and also stored in the output's metadata, where the runner finds it
(:func:`coopanalysis.report.runner.find_summary`). Everything written here is HTML-escaped.

This module is imported by notebook kernels: keep it light (standard library only, IPython lazily).
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

SUMMARY_KEY = "coopanalysis"


def summary_payload(text: str, **fields) -> dict:
    """The metadata stored with a summary output.

    >>> summary_payload("ยุทธศาสตร์ที่ 5", findings=3)
    {'coopanalysis': {'summary': {'text': 'ยุทธศาสตร์ที่ 5', 'findings': 3}}}
    """
    return {SUMMARY_KEY: {"summary": {"text": str(text), **fields}}}


def show_summary(text: str, **fields) -> None:
    """Display *text* (Markdown, one line) as the notebook's summary; *fields* are kept for tools.

    Field values must be JSON-serialisable (str, int, float, bool, None).
    """
    from IPython.display import Markdown, display

    display(Markdown(text), metadata=summary_payload(text, **fields))


def _rel(path: str | Path | None, base: Path) -> str | None:
    if not path:
        return None
    return Path(os.path.relpath(Path(path), base)).as_posix()


def _link(href: str | None, label: str) -> str:
    if not href:
        return html.escape(label)
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(label)}</a>'


def render_index(outcomes: Iterable, out_dir: str | Path, plan_title: str = "", generated: str | None = None) -> str:
    """The HTML of the index page for *outcomes* (:class:`~coopanalysis.report.runner.Outcome`)."""
    out_dir = Path(out_dir)
    outcomes = list(outcomes)
    generated = generated or datetime.now().strftime("%Y-%m-%d %H:%M")
    n_failed = sum(1 for o in outcomes if not o.ok)
    rows = []
    for o in outcomes:
        html_href = _rel(o.html, out_dir) if o.html else None
        ipynb_href = _rel(o.ipynb, out_dir) if o.ipynb and Path(o.ipynb).is_file() else None
        title = o.title or o.name
        if o.ok:
            text = (o.summary or {}).get("text", "")
            status = '<td class="ok">สำเร็จ (ok)</td>'
            summary = html.escape(text) if text else '<span class="muted">ไม่มีสรุป (no summary)</span>'
        else:
            status = '<td class="failed">ล้มเหลว (failed)</td>'
            summary = f'<span class="failed">{html.escape(o.failure_line())}</span>'
        links = [_link(html_href, "HTML") if html_href else "", _link(ipynb_href, "ipynb") if ipynb_href else ""]
        # tables the notebook wrote with its output_dir parameter (e.g. strategy_5_projects.csv)
        links += [_link(_rel(p, out_dir), p.name) for p in sorted(out_dir.glob(f"{o.name}_*.csv"))]
        files = " · ".join(s for s in links if s)
        rows.append(
            "<tr>"
            f"<td>{_link(html_href or ipynb_href, title)}</td>"
            f"<td>{summary}</td>"
            f"{status}"
            f"<td>{files}</td>"
            "</tr>"
        )
    heading = html.escape(plan_title) if plan_title else "รายงานแผนปฏิบัติการ"
    state = (
        f'<p class="failed">ล้มเหลว {n_failed} จาก {len(outcomes)} รายงาน ({n_failed} of {len(outcomes)} reports failed)</p>'
        if n_failed
        else f"<p>รายงานทั้งหมด {len(outcomes)} ฉบับ ({len(outcomes)} reports)</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading} — รายงาน (reports)</title>
<style>
body {{ font-family: "Noto Sans Thai", "Sarabun", "Tahoma", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; line-height: 1.6; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; vertical-align: top; }}
th {{ background: #f4f4f4; }}
.ok {{ color: #117733; }} .failed {{ color: #b00020; }} .muted {{ color: #777; }}
</style>
</head>
<body>
<h1>{heading}</h1>
<p class="muted">รายงานจากโน้ตบุ๊ก (notebook reports) · สร้างเมื่อ (generated) {html.escape(generated)} · หน่วย: ล้านบาท (million baht)</p>
{state}
<table>
<thead><tr><th>รายงาน (report)</th><th>สรุป (summary)</th><th>สถานะ (status)</th><th>ไฟล์ (files)</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</body>
</html>
"""


def write_index(outcomes: Iterable, out_dir: str | Path, plan_title: str = "") -> Path:
    """Write ``OUT/index.html``; return its path."""
    out_dir = Path(out_dir)
    path = out_dir / "index.html"
    path.write_text(render_index(outcomes, out_dir, plan_title), encoding="utf-8")
    return path
