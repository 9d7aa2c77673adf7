"""``coopanalysis report [SOURCE] [--strategy ID ...] [--out DIR] [--jobs N] [--params DIR] [--group-by LEVEL]``."""

from __future__ import annotations

import sys

from coopanalysis import paths


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report",
        help="execute the notebooks and write HTML reports with an index",
        description=(
            "Execute the report notebooks for a plan (one per strategy, plus overview, checks and "
            "units) in parallel, and write each executed notebook, an HTML export and index.html. "
            "Exit status 1 when a notebook failed (the others still run), 2 for invalid parameters "
            "or when another report run is writing to the same --out, 130/143 when interrupted."
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
        default=None,
        metavar="N",
        help="notebooks executed in parallel (default: one per CPU; capped by CPUs, available "
        "memory and the number of notebooks)",
    )
    p.add_argument(
        "--params",
        default=None,
        metavar="DIR",
        help="directory of strategy_<id>.yaml parameter files (default: params/; a folder given "
        "here must exist)",
    )
    p.add_argument(
        "--group-by",
        metavar="LEVEL",
        help="for a budget table dataset (coopanalysis ingest TABLE --mapping ...): one report per "
        "node of this level, e.g. budgetary_unit (the levels are listed in its plan.json); a plan's "
        "reports are per strategy, its first level (--group-by strategy, the default)",
    )
    p.set_defaults(func=run)


def _note(text: str) -> None:
    print(f"coopanalysis: note: {text}", file=sys.stderr)


def run(args) -> int:
    import signal
    from pathlib import Path

    from coopanalysis.errors import ParamsError
    from coopanalysis.report import runner

    if args.jobs is not None and args.jobs < 1:
        raise ParamsError(f"--jobs must be at least 1, got {args.jobs}")
    if args.params is not None and not Path(args.params).is_dir():
        what = "is not a folder" if Path(args.params).exists() else "does not exist"
        raise ParamsError(f"{args.params}: --params folder {what}")
    strategies = [s for group in (args.strategy or []) for s in group] or None
    result = runner.run_report(
        source=args.source,
        out_dir=args.out,
        strategies=strategies,
        n_jobs=args.jobs,
        params_dir=paths.PARAMS if args.params is None else args.params,
        note=_note,
        group_by=args.group_by,
    )
    for outcome in result.failures:
        if not (result.interrupted and outcome.ename == "Interrupted"):  # listed in the index
            print(f"coopanalysis: notebook failed: {outcome.failure_line()}", file=sys.stderr)
    ok = len(result.outcomes) - len(result.failures)
    if result.interrupted:
        name = signal.Signals(result.interrupted).name
        print(f"coopanalysis: interrupted by {name}: {ok}/{len(result.outcomes)} notebooks finished; "
              f"index: {result.index}", file=sys.stderr)
        return result.exit_status
    print(f"{ok}/{len(result.outcomes)} notebooks ran in {result.seconds:.1f} s; index: {result.index}")
    return result.exit_status
