"""``coopanalysis ingest PLAN.txt --out DIR [--corrections FILE]``."""

from __future__ import annotations

import sys

from ..safeio import display_path, printable


def add_parser(sub) -> None:
    p = sub.add_parser("ingest", help="parse a plan's text into tidy CSV tables",
                       description="Parse a plan's extracted text into tidy, traceable CSV tables.")
    p.add_argument("plan", metavar="PLAN.txt", help="text extracted from the plan's PDF")
    p.add_argument("--out", required=True, metavar="DIR", help="directory for the tables")
    p.add_argument("--corrections", metavar="FILE", help="reviewed corrections (YAML), e.g. data/corrections.yaml")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..ingest import ingest_file

    result = ingest_file(args.plan, args.out, corrections=args.corrections)
    name = display_path(args.plan)
    for row in result.tables["ingest_report"]:
        if row["disposition"] == "unparsed":
            print(printable(f"{name}:{row['line']}: unparsed: {row['note']}: {row['text'][:80]}"), file=sys.stderr)
    unplaced = sum(1 for r in result.tables["ingest_report"] if r["disposition"] == "unplaced")
    print(result.accounting_line())
    statuses: dict[str, int] = {}
    for row in result.tables["projects"]:
        statuses[row["parse_status"]] = statuses.get(row["parse_status"], 0) + 1
    print(f"{len(result.tables['projects'])} projects (" + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
          + f"); {unplaced} unplaced values listed in {display_path(args.out)}/ingest_report.csv")
    return 0
