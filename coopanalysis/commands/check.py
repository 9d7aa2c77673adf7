"""``coopanalysis check SOURCE [--format table|json|markdown|csv] [--tolerance MB] [--rel-tolerance R]
[--corrections FILE]``.

SOURCE is a plan text file or budget tables with ``--mapping`` (ingested on the fly, with the
reviewed ``--corrections`` if given) or a directory written by ``coopanalysis ingest``. Exit
status 0 when no finding has severity ``error``, 1 otherwise, 2 for unusable input.

Budget tables: ``--stated FILE.csv|BILL.pdf`` gives the printed totals to compare, typed (CSV) or
read from the volume's PDF itself (see ``coopanalysis stated``); the table format says how many
were compared and how many hold, or that none were given.
"""

from __future__ import annotations

import shutil
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from coopanalysis.errors import InputError, LimitError
from coopanalysis.io.safeio import printable

FORMATS = ("table", "json", "markdown", "csv")
DEFAULT_TOLERANCE = "0.005"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "check", help="reconcile printed totals with the figures (exit 1 on errors)",
        description=("Check that yearly amounts add up to printed totals, projects to tactic and strategy "
                     "totals, and that names, counts and sections agree. Amounts in million baht."),
    )
    p.add_argument("source", metavar="SOURCE", nargs="+",
                   help="plan text file, or a directory written by 'coopanalysis ingest', or budget tables (.csv/.xlsx)")
    p.add_argument("--mapping", metavar="NAME|FILE", help="budget tables: column mapping (YAML, or bundled e.g. budget-bill)")
    p.add_argument("--stated", metavar="FILE.csv|BILL.pdf", help="budget tables: printed totals, CSV (level,name,fiscal_year,amount,unit[,parent]) or the budget PDF itself")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--tolerance", default=DEFAULT_TOLERANCE, metavar="MB",
                   help=f"largest difference that still counts as equal, million baht (default {DEFAULT_TOLERANCE})")
    p.add_argument("--rel-tolerance", default=None, metavar="R",
                   help="also require the difference to exceed R x |stated| (e.g. 0.01 for 1%%)")
    p.add_argument("--corrections", default=None, metavar="FILE",
                   help="reviewed corrections (YAML) applied when SOURCE is a plan's text or budget tables")
    p.set_defaults(func=run)


#: Largest tolerance accepted: absolute in million baht, relative as a fraction of the stated amount.
TOLERANCE_MAX = {"--tolerance": Decimal("1e12"), "--rel-tolerance": Decimal(1)}
#: Finest tolerance step accepted (more decimal places than this are refused).
TOLERANCE_PLACES = 12


def parse_tolerance(text, option: str) -> Decimal:
    """A finite decimal within a sane range, or :class:`InputError` naming the option.

    ``--tolerance`` is 0 to 1e12 million baht, ``--rel-tolerance`` 0 to 1; at most 12 decimal
    places. Checked on the text's exponent before any arithmetic, so ``1e999999999`` is refused
    at once instead of exhausting memory when it is printed or compared.

    >>> parse_tolerance("0.005", "--tolerance")
    Decimal('0.005')
    >>> parse_tolerance("1e12", "--tolerance"), parse_tolerance("1", "--rel-tolerance")
    (Decimal('1E+12'), Decimal('1'))
    >>> parse_tolerance("-1", "--tolerance")
    Traceback (most recent call last):
    ...
    coopanalysis.errors.InputError: --tolerance must be a non-negative number of million baht, got '-1'
    >>> parse_tolerance("1e999999999", "--rel-tolerance")
    Traceback (most recent call last):
    ...
    coopanalysis.errors.LimitError: --rel-tolerance must be at most 1 (a fraction, e.g. 0.01), got '1e999999999'
    >>> parse_tolerance("1e-13", "--tolerance")
    Traceback (most recent call last):
    ...
    coopanalysis.errors.LimitError: --tolerance must have at most 12 decimal places, got '1e-13'
    """
    unit = "a non-negative number of million baht" if option == "--tolerance" else "a non-negative fraction (e.g. 0.01)"
    shown = printable(repr(str(text)[:40] + ("..." if len(str(text)) > 40 else "")))
    raw = str(text).strip()
    if len(raw) > 60:
        raise LimitError(f"{option} must be {unit}, got {shown}")
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise InputError(f"{option} must be {unit}, got {shown}") from None
    if not value.is_finite() or value.is_signed() and value != 0:
        raise InputError(f"{option} must be {unit}, got {shown}")
    if value.is_zero():
        return Decimal(0)
    maximum = TOLERANCE_MAX.get(option, TOLERANCE_MAX["--tolerance"])
    # compare magnitudes through the exponent first: no arithmetic on a value like 1e999999999
    if value.adjusted() > maximum.adjusted() or value > maximum:
        what = "million baht" if option == "--tolerance" else "(a fraction, e.g. 0.01)"
        raise LimitError(f"{option} must be at most {maximum:f} {what}, got {shown}")
    sign, digits, exponent = value.as_tuple()  # (not normalize(): it underflows 1e-999999999 to 0)
    places = -exponent - (len(digits) - len("".join(map(str, digits)).rstrip("0")))
    if value.adjusted() < -TOLERANCE_PLACES or places > TOLERANCE_PLACES:
        raise LimitError(f"{option} must have at most {TOLERANCE_PLACES} decimal places, got {shown}")
    return value


def _write(text: str) -> None:
    """Write UTF-8 regardless of the locale (Thai on a C-locale terminal, BOM for csv).

    Control characters from the document (ESC sequences, bidi overrides) are shown as escapes,
    never sent raw to the terminal; in JSON output an escape such as ``\\u202e`` means the same.
    The csv format's CRLF line ends are kept (a CR elsewhere is shown as ``\\r``).
    """
    from coopanalysis.io.safeio import printable

    text = "\r\n".join(printable(part, keep_newlines=True) for part in text.split("\r\n"))
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def run(args) -> int:
    tolerance = parse_tolerance(args.tolerance, "--tolerance")  # before the heavy imports: refused at once
    rel = parse_tolerance(args.rel_tolerance, "--rel-tolerance") if args.rel_tolerance is not None else None
    from coopanalysis.budget.cli import run_check as run_budget_check
    from coopanalysis.budget.cli import wants_budget
    from coopanalysis.checks import has_errors, run_checks
    from coopanalysis.checks.formats import render, tolerance_line
    from coopanalysis.model.plan import load

    if wants_budget(args.source, args.mapping):  # budget tables or dataset (issue 12): coopanalysis.budget
        return run_budget_check(args, tolerance, rel, _write)
    if len(args.source) != 1 or args.stated:
        raise InputError("a plan is one text file or directory (several files or --stated are for budget tables)")
    source = Path(args.source[0])
    if not source.exists():
        raise InputError("no such file or directory", path=source)
    corrections = getattr(args, "corrections", None)
    if corrections is not None:
        if source.is_dir():
            raise InputError("--corrections applies to a plan text file; this directory is already ingested "
                             "(re-run 'coopanalysis ingest --corrections' instead)", path=source)
        if not Path(corrections).is_file():
            raise InputError("corrections file not found", path=corrections)
    plan = load(source, corrections=corrections)
    findings = run_checks(plan, tolerance=tolerance, rel_tolerance=rel)
    names = {}
    strategies = plan.tables.get("strategies")
    if strategies is not None and not strategies.empty:
        names = {str(r["strategy_id"]): str(r.get("name", "") or "") for r in strategies.to_dict("records")}
    width = shutil.get_terminal_size((100, 24)).columns
    if args.format == "json":
        print(tolerance_line(tolerance, rel), file=sys.stderr)
    _write(render(findings, args.format, tolerance, rel, title=plan.title, strategy_names=names, width=width))
    return 1 if has_errors(findings) else 0
