"""``coopanalysis stated BILL.pdf [BILL.pdf ...] --out stated.csv``: the totals a budget volume prints.

Writes the stated-totals CSV that ``check --stated`` and ``ingest --stated`` read, with a ``page``
column (the page of the PDF file, 1 = its first page, as a viewer counts) and the file it came
from, so a reviewer can open the PDF at that page. See :mod:`coopanalysis.budget.pdf` for what is
read. Pages the reader cannot parse are listed on stderr with their numbers. The CSV is written
atomically and never over a file this command did not write.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from coopanalysis.errors import InputError
from coopanalysis.io.safeio import display_path, printable, spreadsheet_text

COLUMNS = ("level", "name", "parent", "fiscal_year", "amount", "unit", "page", "source_file")


def add_parser(sub) -> None:
    p = sub.add_parser("stated", help="read the printed totals of budget PDFs into a stated-totals CSV",
                       description=("Read the totals a budget volume prints (ministry, agencies, budget plans, "
                                    "outputs/projects, expenditure categories) into the CSV that --stated reads."))
    p.add_argument("pdf", metavar="BILL.pdf", nargs="+", help="volumes of the budget document (PDF)")
    p.add_argument("--out", required=True, metavar="FILE.csv", help="the stated-totals CSV to write")
    p.set_defaults(func=run)


def _ours(path: Path) -> bool:
    """True when *path* is absent or a CSV this command wrote (its header is ours)."""
    if not path.exists():
        return True
    if not path.is_file():
        return False
    with open(path, "rb") as fh:
        first = fh.readline(400).decode("utf-8-sig", errors="replace").strip()
    return first == ",".join(COLUMNS)


def totals_csv(totals) -> str:
    """The CSV text of *totals* (``StatedTotal``), each printed total once per node and year."""
    from coopanalysis.budget.amounts import parse_amount_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    seen: dict[tuple, object] = {}
    for t in totals:
        key = (t.source_file, t.level, t.parent, t.name, t.fiscal_year)
        amount, _status = parse_amount_cell(t.amount, t.unit)
        if seen.get(key) == amount:
            continue  # the same total printed again (header, list, table 6.2)
        seen.setdefault(key, amount)
        writer.writerow([spreadsheet_text(t.level), spreadsheet_text(t.name), spreadsheet_text(t.parent), t.fiscal_year,
                         t.amount, t.unit, t.page, spreadsheet_text(t.source_file)])
    return buffer.getvalue()


def run(args) -> int:
    from coopanalysis.budget.pdf import read_pdf_totals
    from coopanalysis.io.safeio import atomic_write_text

    out = Path(args.out)
    if not _ours(out):
        raise InputError("exists and was not written by 'coopanalysis stated'; choose another --out",
                         path=display_path(out))
    totals, problems = [], 0
    for name in args.pdf:
        read = read_pdf_totals(name)
        totals.extend(read.totals)
        for page, what in read.problems:
            problems += 1
            print(printable(f"{display_path(name)}: page {page}: not read: {what}"), file=sys.stderr)
        if read.elsewhere:
            names = "; ".join(f"{agency} (page {page})" for page, agency in read.elsewhere)
            print(printable(f"{display_path(name)}: {len(read.elsewhere)} agencies listed by their ministry have no "
                            f"pages in this volume, their totals are left out: {names}"), file=sys.stderr)
        units = len({t.name for t in read.totals if t.level == "budgetary_unit"})
        blank = ", ".join(map(str, read.blank_pages)) or "none"
        if read.damaged_pages:
            blank += ("; pages with glyphs the text repair cannot map (a table there is not read): "
                      + ", ".join(map(str, read.damaged_pages)))
        print(printable(f"{display_path(name)}: {read.pages} pages, {len(read.totals)} printed totals "
                        f"({units} budgetary units); {len(read.problems)} pages with rows not read; "
                        f"pages without text: {blank}"), file=sys.stderr)
    atomic_write_text(out, totals_csv(totals))
    print(f"wrote {display_path(out)}" + (f" ({problems} unread table rows or pages listed above)" if problems else ""))
    return 0
