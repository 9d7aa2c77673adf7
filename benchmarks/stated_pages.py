"""Pages per second of ``coopanalysis stated`` (reading printed totals from a budget PDF).

    .venv/bin/python benchmarks/stated_pages.py                    # 11.pdf (544 pages)
    .venv/bin/python benchmarks/stated_pages.py --pdf X.pdf --pages 100

Reads ``../shared/realdata/budget_bill_2565/11.pdf`` (or ``--pdf``) with
:func:`coopanalysis.budget.pdf.read_pdf_totals` in this process and prints pages, totals found,
seconds and pages per second. ``--pages N`` reads only the first N pages. This is a benchmark, not
a test; the figure depends on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coopanalysis import paths
from coopanalysis.budget.pdf import read_pdf_totals

DEFAULT = paths.ROOT.parent / "shared" / "realdata" / "budget_bill_2565" / "11.pdf"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdf", type=Path, default=DEFAULT, help="the volume to read (default: 11.pdf)")
    parser.add_argument("--pages", type=int, default=None, help="read only the first N pages")
    args = parser.parse_args()
    if not args.pdf.is_file():
        print(f"no such PDF: {args.pdf} (the real data is not here)", file=sys.stderr)
        return 2
    pages = range(1, args.pages + 1) if args.pages else None
    start = time.perf_counter()
    read = read_pdf_totals(args.pdf, progress=False, pages=pages)
    seconds = time.perf_counter() - start
    units = len({t.name for t in read.totals if t.level == "budgetary_unit"})
    print(f"{args.pdf.name}: {read.pages} pages, {len(read.totals)} printed totals ({units} budgetary units), "
          f"{len(read.problems)} problems, {seconds:.1f} s, {read.pages / seconds:.2f} pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
