"""``coopanalysis report [SOURCE] [--strategy ID ...] [--out DIR] [--jobs N]``."""

from __future__ import annotations

import os
import sys

from .. import paths


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report",
        help="execute the notebooks and write HTML reports with an index",
        description=(
            "Execute the report notebooks for a plan (one per strategy, plus overview, checks and "
            "units) in parallel, and write each executed notebook, an HTML export and index.html. "
            "Exit status 1 when a notebook failed (the others still run), 2 for invalid parameters."
        ),
    )
    p.add_argument(
        "source",
        nargs="?",
        default=str(paths.PLAN_DIR),
        metavar="SOURCE",
        help="ingested plan directory or plan text file (default: the bundled data/plan)",
    )
    p.add_argument(
        "--strategy",
        action="append",
        metavar="ID",
        nargs="+",
        help="only these strategies (repeatable; ids as printed, e.g. 5)",
    )
    p.add_argument("--out", default=str(paths.REPORTS), metavar="DIR", help="output directory (default: reports/)")
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="notebooks executed in parallel (default: one per CPU)",
    )
    p.add_argument(
        "--params",
        default=str(paths.PARAMS),
        metavar="DIR",
        help="directory of strategy_<id>.yaml parameter files (default: params/)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import ParamsError
    from ..report import runner

    if args.jobs < 1:
        raise ParamsError(f"--jobs must be at least 1, got {args.jobs}")
    strategies = [s for group in (args.strategy or []) for s in group] or None
    result = runner.run_report(
        source=args.source,
        out_dir=args.out,
        strategies=strategies,
        n_jobs=args.jobs,
        params_dir=args.params,
    )
    for line in result.failure_lines():
        print(f"coopanalysis: notebook failed: {line}", file=sys.stderr)
    ok = len(result.outcomes) - len(result.failures)
    print(f"{ok}/{len(result.outcomes)} notebooks ran in {result.seconds:.1f} s; index: {result.index}")
    return result.exit_status
