"""``coopanalysis export SOURCE --format xlsx|fdp --out PATH [--thai-digits] [--tolerance MB]
[--corrections FILE]``.

SOURCE is a directory written by ``coopanalysis ingest`` (an action plan, or a budget table
ingested through a mapping) or a plan text file (ingested on the fly). ``xlsx`` writes one
workbook to PATH; ``fdp`` writes a Fiscal Data Package (``datapackage.json`` plus CSVs) into the
folder PATH. Exit status 0 when written, 2 for unusable input (one line on stderr).
"""

from __future__ import annotations

from pathlib import Path

from coopanalysis.errors import InputError

FORMATS = ("xlsx", "fdp")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "export", help="write an Excel workbook or a Fiscal Data Package",
        description=("Export a plan's tables for analysts (an Excel workbook with Thai sheets, live SUM "
                     "formulas and the findings) or for open-budget portals (a Fiscal Data Package). "
                     "Amounts in million baht."),
    )
    p.add_argument("source", metavar="SOURCE", help="a directory written by 'coopanalysis ingest', or a plan text file")
    p.add_argument("--format", choices=FORMATS, required=True, help="xlsx (workbook) or fdp (Fiscal Data Package)")
    p.add_argument("--out", required=True, metavar="PATH", help="the .xlsx file, or the folder of the package")
    p.add_argument("--thai-digits", action="store_true", help="show numbers in Thai digits (xlsx)")
    p.add_argument("--tolerance", default=None, metavar="MB",
                   help="largest difference that still counts as equal in the findings sheet, million baht")
    p.add_argument("--corrections", default=None, metavar="FILE",
                   help="reviewed corrections (YAML) applied when SOURCE is a text file")
    p.set_defaults(func=run)


def _check_out(fmt: str, out: Path) -> None:
    if fmt == "xlsx":
        if out.is_dir():
            raise InputError("is a directory; --format xlsx writes one file (e.g. plan.xlsx)", path=out)
        if out.suffix.lower() != ".xlsx":
            raise InputError("a workbook's name must end in .xlsx", path=out)
        if not out.parent.is_dir():
            raise InputError("no such directory", path=out.parent)
    else:
        if out.exists() and not out.is_dir():
            raise InputError("exists and is not a directory; --format fdp writes a folder", path=out)
        if not out.exists() and not out.parent.is_dir():
            raise InputError("no such directory", path=out.parent)


def run(args) -> int:
    from coopanalysis.commands.check import parse_tolerance
    from coopanalysis.model.plan import load

    source = Path(args.source)
    if not source.exists():
        raise InputError("no such file or directory", path=source)
    tolerance = parse_tolerance(args.tolerance, "--tolerance") if args.tolerance is not None else None
    if args.corrections is not None:
        if source.is_dir():
            raise InputError("--corrections applies to a plan text file; this directory is already ingested "
                             "(re-run 'coopanalysis ingest --corrections' instead)", path=source)
        if not Path(args.corrections).is_file():
            raise InputError("corrections file not found", path=args.corrections)
    out = Path(args.out)
    _check_out(args.format, out)
    from coopanalysis.budget import is_budget_dataset, load_dataset

    plan = load_dataset(source) if is_budget_dataset(source) else load(source, corrections=args.corrections)
    if args.format == "xlsx":
        from coopanalysis.exports import write_workbook

        written = write_workbook(plan, out, thai_digits=args.thai_digits, tolerance=tolerance)
    else:
        from coopanalysis.exports import write_fdp

        written = write_fdp(plan, out)
    print(f"wrote {written}")
    return 0
