"""``ingest`` and ``check`` for budget tables (the branches the plan commands hand over to)."""

from __future__ import annotations

import shutil
import sys
from decimal import Decimal
from pathlib import Path

from coopanalysis.budget.dataset import BudgetDataset, dataset_from_result, is_budget_dataset, load_dataset
from coopanalysis.budget.ingest import ingest_tables, write_dataset
from coopanalysis.budget.mapping import bundled_mappings
from coopanalysis.budget.reader import is_table_source
from coopanalysis.budget.stated import read_stated
from coopanalysis.checks import has_errors, run_checks
from coopanalysis.checks.formats import (
    counts_line,
    display_width,
    md_text,
    pad,
    render_csv,
    render_json,
    tolerance_line,
)
from coopanalysis.errors import InputError
from coopanalysis.io.safeio import display_path, printable
from coopanalysis.text.textwrap_th import wrap

__all__ = ["wants_budget", "run_ingest", "run_check", "render_findings"]

SEVERITY = {"error": "ERROR", "warning": "WARN", "info": "INFO"}


def wants_budget(sources, mapping=None) -> bool:
    """True when the inputs are budget tables (or a budget dataset), or ``--mapping`` is given."""
    if isinstance(sources, (str, Path)):
        sources = [sources]
    if mapping:
        return True
    for source in sources:
        if is_budget_dataset(source):
            return True
        if Path(source).is_dir() and (Path(source) / "plan.json").exists():
            continue  # an ingested plan: its CSVs are not budget tables
        if is_table_source(source):
            return True
    return False


def _need_mapping(args) -> str:
    mapping = getattr(args, "mapping", None)
    if not mapping:
        raise InputError("budget tables need --mapping NAME|FILE (bundled: "
                         f"{', '.join(bundled_mappings()) or 'none'})")
    return mapping


def run_ingest(args) -> int:
    sources = args.plan if isinstance(args.plan, list) else [args.plan]
    result = ingest_tables(sources, _need_mapping(args), stated=getattr(args, "stated", None),
                           corrections=getattr(args, "corrections", None))
    write_dataset(result, args.out)
    for row in result.tables["ingest_report"]:
        if row["disposition"] == "reported" and ("malformed" in row["note"] or "no amount" in row["note"]):
            print(printable(f"{row['file']}:{row['row']}: {row['note']}"), file=sys.stderr)
    for source in result.plan.get("sources", []):
        for note in source.get("notes", []):  # which sheet of a workbook was read, merged cells filled
            print(printable(f"{source['file']}: {note}"), file=sys.stderr)
    print(result.accounting_line())
    print(f"{len(result.tables['stated'])} stated totals; every row not used as-is is listed in "
          f"{display_path(args.out)}/ingest_report.csv")
    return 0


def _dataset(args) -> BudgetDataset:
    sources = args.source if isinstance(args.source, list) else [args.source]
    stated = getattr(args, "stated", None)
    if len(sources) == 1 and Path(sources[0]).is_dir() and is_budget_dataset(sources[0]):
        if getattr(args, "corrections", None):
            raise InputError("--corrections applies to tables or a plan's text; this directory is already ingested "
                             "(re-run 'coopanalysis ingest --corrections' instead)", path=sources[0])
        if getattr(args, "mapping", None):
            raise InputError("--mapping applies to tables; this directory is already ingested", path=sources[0])
        dataset = load_dataset(sources[0], lazy_nodes=True)  # the checks do not use nodes.csv
        if stated:
            dataset = dataset.with_stated(read_stated(stated, dataset.level_keys, dataset.nodes,
                                                      parts=dataset.plan.get("parts")))
        return dataset
    for source in sources:
        if Path(source).is_dir() and not is_table_source(source):
            raise InputError("neither a budget dataset nor a folder of .csv/.xlsx tables", path=source)
    return dataset_from_result(ingest_tables(sources, _need_mapping(args), stated=stated,
                                             corrections=getattr(args, "corrections", None)))


def _where(f) -> str:
    return "" if f.level == "document" else f"{f.level} {f.id}"


def stated_line(compared: int | None, hold: int | None, findings=(), levels: list[dict] | None = None,
                given: int = 0) -> str:
    """What was compared with printed totals (None: no printed totals were given), and the two
    top levels' nodes whose printed total does not hold, with the difference. *given*: the
    printed totals read, compared or not (a ministry's total with only some of its volumes)."""
    if not compared and given:
        return (f"ให้ยอดที่พิมพ์ {given} ยอด แต่ไม่มียอดใดเทียบกับรายการที่อ่านได้ (no printed totals were compared: "
                f"{given} given, none matches the rows read; the info findings say why)")
    if not compared:
        return ("ไม่มียอดที่พิมพ์ให้เปรียบเทียบ (no printed totals were compared): ให้ยอดด้วย "
                "--stated FILE.csv|BILL.pdf")
    out = f"เปรียบเทียบกับยอดที่พิมพ์ {compared} ยอด ตรงกัน {hold} ยอด ({compared} printed totals compared, {hold} hold)"
    for level in (levels or [])[:2]:
        wrong = [f for f in findings if f.check == "stated_total" and f.level == level["key"]]
        if wrong:
            shown = "; ".join(f"{printable(f.name)} {'' if str(f.difference).startswith('-') else '+'}"
                              f"{f.difference} ล้านบาท" for f in wrong)
            out += f"\n{level['label_th']}ที่ยอดไม่ตรง {len(wrong)} ({level['label_en']} not adding up): {shown}"
    return out


def corrections_line(corrections) -> str:
    """The reviewed corrections a dataset was read with, one line ('' when none)."""
    if corrections is None or corrections.empty:
        return ""
    shown = "; ".join(f"{r['source_file']} {r['item_id']} {r['field']} {r['printed']} → {r['corrected']}"
                      for r in corrections.head(5).to_dict("records"))
    more = f"; … (+{len(corrections) - 5})" if len(corrections) > 5 else ""
    return (f"ใช้ค่าที่แก้ไขตามการตรวจทาน {len(corrections)} ค่า ({len(corrections)} reviewed corrections applied, "
            f"each with its reason in the corrections file): {printable(shown)}{more}")


def render_table(findings, tolerance, rel, title: str, width: int, stated: str = "") -> str:
    headers = ["ระดับ", "รหัสตรวจ", "ที่", "ปี", "ตามเอกสาร", "คำนวณ", "ผลต่าง", "บรรทัด"]
    rows = [[SEVERITY[f.severity], f.check, _where(f), str(f.fiscal_year or ""), f.stated or "", f.computed or "",
             f.difference or "", "" if f.source_line is None else str(f.source_line)] for f in findings]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(pad(c, widths[i], i >= 3) for i, c in enumerate(cells)).rstrip()

    out = [f"ผลการตรวจสอบ: {printable(title)}"] if title else []
    out += [tolerance_line(tolerance, rel), counts_line(findings)] + ([stated] if stated else [])
    out += ["(จำนวนเงินเป็นล้านบาท ปีเป็น พ.ศ.)"]
    if not findings:
        return "\n".join(out + ["", "ไม่พบข้อผิดพลาด (no findings)"]) + "\n"
    out += ["", line(headers)]
    for f, cells in zip(findings, rows):
        out.append(line(cells))
        message = printable(f.message)
        for text in wrap(message, max(20, width - 4)) or [message]:
            out.append("    " + text)
    out += ["", counts_line(findings)]
    return "\n".join(out) + "\n"


def render_markdown(findings, tolerance, rel, title: str, stated: str = "") -> str:
    out = [f"**ผลการตรวจสอบ:** {md_text(printable(title))}", ""] if title else []
    out += [f"_{tolerance_line(tolerance, rel)}_ — {counts_line(findings)}", ""]
    for line in stated.splitlines():  # a paragraph each: printable() would show a newline as \n
        out += [md_text(printable(line)), ""]
    out += [
            "| ระดับ | รหัสตรวจ | ที่ | ชื่อ | ปี | ตามเอกสาร | คำนวณ | ผลต่าง | รายละเอียด |",
            "|---|---|---|---|---:|---:|---:|---:|---|"]
    for f in findings:
        out.append("| " + " | ".join(md_text(printable(str(c))) for c in [
            SEVERITY[f.severity], f.check, _where(f), f.name, f.fiscal_year or "", f.stated or "",
            f.computed or "", f.difference or "", f.message]) + " |")
    return "\n".join(out) + "\n"


def render_findings(findings, fmt: str, tolerance, rel=None, title: str = "", width: int = 100,
                    stated: str = "") -> str:
    """Findings of a budget dataset in *fmt* (table | json | markdown | csv); *stated*: the
    :func:`stated_line` shown by the table and markdown formats."""
    if fmt == "json":
        return render_json(findings)
    if fmt == "csv":
        return render_csv(findings, tolerance, rel)
    if fmt == "markdown":
        return render_markdown(findings, tolerance, rel, title, stated)
    return render_table(findings, tolerance, rel, title, width, stated)


def run_check(args, tolerance: Decimal, rel: Decimal | None, write) -> int:
    """``check`` on a budget dataset directory or on tables (ingested on the fly)."""
    from coopanalysis.checks.table_rules import stated_counts

    dataset = _dataset(args)
    findings = run_checks(dataset, tolerance=tolerance, rel_tolerance=rel)  # the one checks engine
    compared, hold = stated_counts(dataset, findings)
    stated = "\n".join(filter(None, [stated_line(compared, hold, findings, dataset.levels, len(dataset.stated)),
                                      corrections_line(dataset.corrections)]))
    if args.format == "json":
        print(tolerance_line(tolerance, rel), file=sys.stderr)
    if args.format in ("json", "csv"):  # their keys stay as they are: the counts go to stderr
        print(stated, file=sys.stderr)
    width = shutil.get_terminal_size((100, 24)).columns
    write(render_findings(findings, args.format, tolerance, rel, title=dataset.title, width=width, stated=stated))
    return 1 if has_errors(findings) else 0
