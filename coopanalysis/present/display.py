"""Showing things in a notebook: charts as embedded PNG, a strategy's charts, downloads."""

from __future__ import annotations

from pathlib import Path

from coopanalysis.present.escape import html_attr, html_text
from coopanalysis.present.page import Block, note
from coopanalysis.text.fmt import digits

__all__ = ["show", "show_strategy_charts", "show_projects", "show_kpis", "write_table", "downloads"]


def show(fig, dpi: int = 100) -> None:
    """Display a matplotlib Figure as an embedded PNG (house style active while it is drawn)."""
    import io

    from IPython.display import Image, display

    from coopanalysis.charts.style import style_context

    buffer = io.BytesIO()
    with style_context():
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    display(Image(data=buffer.getvalue(), format="png"))


def show_strategy_charts(plan, strategy_id: str, thai_digits: bool = False) -> None:
    """The charts of one strategy, built and shown one at a time (printed vs computed per
    tactic, yearly amounts and gaps per project, the tactic/project treemap); a note instead
    when the document has no project of the strategy, and a sentence instead of a chart that
    would have nearly nothing to show (no printed total to compare, too few projects)."""
    from IPython.display import display

    from coopanalysis import charts
    from coopanalysis.analysis import printed_vs_computed
    from coopanalysis.text.fmt import is_missing

    if not (plan.projects["strategy_id"] == strategy_id).any():
        display(note("เอกสารไม่มีรายละเอียดโครงการของยุทธศาสตร์นี้ จึงไม่มีแผนภูมิ"))
        return
    tactics = printed_vs_computed(plan, "tactic")
    tactics = tactics[tactics["strategy_id"] == strategy_id]
    projects = printed_vs_computed(plan, "project")
    projects = projects[projects["strategy_id"] == strategy_id]
    printed_tactics = sum(not is_missing(v) for v in tactics["stated_mb"])
    printed_projects = sum(not is_missing(v) for v in projects["stated_mb"])
    with_amounts = sum(not is_missing(v) and v > 0 for v in projects["computed_mb"])
    if printed_tactics:
        show(charts.strategy_budget(plan, strategy_id, thai_digits=thai_digits))
    else:
        display(note("หน้าสรุปไม่พิมพ์งบรวมของกลยุทธ์ใดในยุทธศาสตร์นี้ จึงไม่มีแผนภูมิเทียบยอดตามเอกสารกับยอดจากรายโครงการ"
                     " ยอดจากรายโครงการอยู่ในตารางโครงการ"))
    show(charts.budget_by_year(plan, strategy_id, thai_digits=thai_digits))
    if printed_projects:
        show(charts.gaps(plan, "project", strategy_id, thai_digits=thai_digits))
    else:
        display(note("เอกสารไม่พิมพ์ยอดรวมของโครงการใดในยุทธศาสตร์นี้ จึงไม่มีแผนภูมิเทียบยอดที่พิมพ์กับผลรวมรายปี"))
    if with_amounts >= 3:
        show(charts.hierarchy(plan, strategy_id, thai_digits=thai_digits))
    else:
        display(note(digits(f"มีเพียง {with_amounts} โครงการที่มีตัวเลขงบประมาณ จึงไม่แสดงแผนภาพโครงสร้างงบประมาณ"
                            " ดูยอดของแต่ละโครงการในตารางโครงการ", thai_digits)))


def show_projects(plan, strategy_id: str, output_dir="", thai_digits: bool = False) -> None:
    """A strategy's projects table and its downloads, or a note when the document details none."""
    from IPython.display import display

    from coopanalysis.analysis import by_project
    from coopanalysis.present.plan_tables import projects_table

    if not (plan.projects["strategy_id"] == strategy_id).any():
        display(note("เอกสารไม่มีรายละเอียดโครงการของยุทธศาสตร์นี้"))
        return
    from coopanalysis.text.fmt import digits, is_missing
    from coopanalysis.text.labels import TOTAL

    display(projects_table(plan, strategy_id, thai_digits))
    frame = by_project(plan, strategy_id)
    rows = [(str(p), c, s) for p, c, s in zip(frame["project_id"], frame["computed_mb"], frame["stated_mb"]) if p != TOTAL]
    printed_only = [p for p, c, s in rows if is_missing(c) and not is_missing(s)]
    no_figures = [p for p, c, s in rows if is_missing(c) and is_missing(s)]
    if printed_only:
        display(note(digits(f"โครงการ {', '.join(printed_only)} แยกงบรายปีไม่ได้ จึงไม่อยู่ในงบรายปีและรวมรายปี"
                            " แต่ยอดรวมที่พิมพ์ของโครงการนับอยู่ในรวมตามเอกสาร", thai_digits)))
    if no_figures:
        display(note(digits(f"โครงการ {', '.join(no_figures)} มีเพียงชื่อในเอกสาร ไม่มีตัวเลขงบประมาณทั้งรายปีและยอดรวม"
                            " จึงไม่ได้นับในยอดใด", thai_digits)))
    files = write_table(frame, output_dir, f"strategy_{strategy_id}_projects", thai_digits=thai_digits)
    if files:
        display(downloads(files))


def show_kpis(plan, strategy_id: str, thai_digits: bool = False) -> None:
    """A strategy's KPI targets: the table as printed and its chart, or a note when none."""
    from IPython.display import display

    from coopanalysis import charts
    from coopanalysis.present.plan_tables import kpi_table

    frame = kpi_table(plan, strategy_id, thai_digits)
    if frame.empty:
        display(note("เอกสารไม่มีตัวชี้วัดของยุทธศาสตร์นี้"))
        return
    display(frame)
    show(charts.kpi_targets(plan, strategy_id, thai_digits=thai_digits))


def _atomic_csv(frame, path: Path) -> None:
    from coopanalysis.io.safeio import atomic_write_text
    from coopanalysis.present.escape import spreadsheet_csv

    atomic_write_text(path, spreadsheet_csv(frame))


def write_table(frame, output_dir, name: str, sheet_name: str = "", headers: dict | None = None,
                thai_digits: bool = False) -> list[Path]:
    """Write *frame* (numbers as numbers) to ``OUTPUT_DIR/<name>.csv`` (UTF-8 with BOM, for
    spreadsheet programs) and ``<name>.xlsx`` (:func:`coopanalysis.exports.write_table_xlsx`);
    nothing when the notebook has no ``output_dir``. Returns the files written."""
    if not output_dir:
        return []
    from coopanalysis import paths
    from coopanalysis.exports import write_table_xlsx

    directory = Path(output_dir).expanduser()
    directory = directory if directory.is_absolute() else (paths.ROOT / directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    renamed = frame.rename(columns=headers) if headers else frame
    renamed = renamed.rename(columns={c: str(c) for c in renamed.columns if not isinstance(c, str)})
    csv_path, xlsx_path = directory / f"{name}.csv", directory / f"{name}.xlsx"
    _atomic_csv(renamed, csv_path)
    write_table_xlsx(frame, xlsx_path, sheet_name or name[:31], headers, thai_digits=thai_digits)
    return [csv_path, xlsx_path]


def downloads(files) -> Block:
    """Links to the files a report wrote beside itself (CSV, xlsx)."""
    files = [Path(f) for f in files]
    if not files:
        return Block("", "")
    kinds = {".csv": "CSV", ".xlsx": "Excel (xlsx)"}
    links = [f'<a href="{html_attr(f.name)}" download>{html_text(kinds.get(f.suffix, f.suffix))}</a>' for f in files]
    text = "ดาวน์โหลดตารางนี้: " + " · ".join(f.name for f in files)
    return Block(f'<p class="downloads">ดาวน์โหลดตารางนี้: {" ".join(links)}</p>', text)
