"""``coopanalysis ingest PLAN.txt --out DIR [--corrections FILE]``, or budget tables:
``coopanalysis ingest TABLE… --mapping NAME|FILE [--stated FILE] [--corrections FILE] --out DIR``.

The one corrections file format corrects a plan's cells (by project) and table rows (by file and
row id): :mod:`coopanalysis.ingest.corrections`."""

from __future__ import annotations

import sys

from coopanalysis.io.safeio import display_path, printable


def add_parser(sub) -> None:
    p = sub.add_parser("ingest", help="parse a plan's text into tidy CSV tables",
                       description="Parse a plan's extracted text into tidy, traceable CSV tables.")
    p.add_argument("plan", metavar="PLAN.txt|TABLE", nargs="+",
                   help="text extracted from the plan's PDF; or budget tables (.csv/.xlsx files or folders)")
    p.add_argument("--out", required=True, metavar="DIR", help="directory for the tables")
    p.add_argument("--corrections", metavar="FILE",
                   help="reviewed corrections (YAML) of a plan's cells or of table rows, e.g. data/corrections.yaml")
    p.add_argument("--mapping", metavar="NAME|FILE", help="budget tables: column mapping (YAML, or bundled e.g. budget-bill)")
    p.add_argument("--stated", metavar="FILE.csv|BILL.pdf", help="budget tables: printed totals, CSV (level,name,fiscal_year,amount,unit[,parent]) or the budget PDF itself")
    p.set_defaults(func=run)


def run(args) -> int:
    from coopanalysis.budget.cli import wants_budget

    if wants_budget(args.plan, args.mapping):  # budget tables (issue 12): coopanalysis.budget
        from coopanalysis.budget.cli import run_ingest

        return run_ingest(args)
    if len(args.plan) != 1 or args.stated:
        from coopanalysis.errors import InputError

        raise InputError("a plan is one text file (several files or --stated are for budget tables with --mapping)")
    args.plan = args.plan[0]
    from coopanalysis.ingest import ingest_file

    result = ingest_file(args.plan, args.out, corrections=args.corrections)
    name = display_path(args.plan)
    for row in result.tables["ingest_report"]:
        if row["disposition"] == "unparsed":
            print(printable(f"{name}:{row['line']}: unparsed: {row['note']}: {row['text'][:80]}"), file=sys.stderr)
        elif row["disposition"] == "missing":
            print(printable(f"{name}: warning: {row['note']}"), file=sys.stderr)
    unplaced = sum(1 for r in result.tables["ingest_report"] if r["disposition"] == "unplaced")
    print(result.accounting_line())
    statuses: dict[str, int] = {}
    for row in result.tables["projects"]:
        statuses[row["parse_status"]] = statuses.get(row["parse_status"], 0) + 1
    print(f"{len(result.tables['projects'])} projects (" + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
          + f"); {unplaced} unplaced values listed in {display_path(args.out)}/ingest_report.csv")
    return 0
