"""Mutation testing (``make mutants``): how many planted bugs the tests catch, per module.

Runs mutmut (test extra) over the modules where a silent error costs most, listed in
``[tool.mutmut] only_mutate`` of pyproject.toml: Thai amount parsing, cell reconciliation and
repair, check tolerances, unit allocation, and the column-wise budget ingest (which strings need
Thai normalisation, amount cells, exact roll-ups, duplicates and nested sums). mutmut copies the project to ``mutants/`` and runs
the tests named in ``pytest_add_cli_args_test_selection`` against each mutant.

Prints one line per module: mutants, killed, survived, score; the goal is 90% killed in each.
Exit status 0 when every module meets the goal, 1 otherwise (it is not part of `make test`:
it takes minutes).

    .venv/bin/python benchmarks/mutants.py            # run, then report
    .venv/bin/python benchmarks/mutants.py --report   # report the last run only
    .venv/bin/python benchmarks/mutants.py --survivors coopanalysis.thai   # list survivors
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.90
_LINE = re.compile(r"^\s*(?P<name>[\w.]+)__mutmut_\d+:\s*(?P<status>[\w ]+?)\s*$")


def mutmut(*args: str, capture: bool = True) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("mutmut")
    return subprocess.run([str(exe), *args], cwd=ROOT, text=True, capture_output=capture)


def results() -> dict[str, Counter]:
    """module -> Counter of statuses, from ``mutmut results --all true``."""
    out = mutmut("results", "--all", "true").stdout
    per_module: dict[str, Counter] = defaultdict(Counter)
    for line in out.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        module = match["name"].rsplit(".", 1)[0]  # drop the mangled function name (x_func / xǁClassǁmethod)
        per_module[module][match["status"]] += 1
    return per_module


def report(per_module: dict[str, Counter]) -> bool:
    ok = True
    print(f"{'module':40s} {'mutants':>8s} {'killed':>7s} {'survived':>9s} {'other':>6s} {'score':>7s}")
    for module in sorted(per_module):
        counts = per_module[module]
        total = sum(counts.values())
        killed = counts["killed"]
        survived = counts["survived"]
        other = total - killed - survived  # timeouts, suspicious, skipped, no tests
        score = killed / total if total else 0.0
        ok &= score >= GOAL
        print(f"{module:40s} {total:8d} {killed:7d} {survived:9d} {other:6d} {score:6.1%}{'' if score >= GOAL else '  < goal'}")
    print(f"goal: {GOAL:.0%} killed in every module -> {'met' if ok else 'NOT met'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="only report the last run")
    parser.add_argument("--survivors", metavar="MODULE", help="list the surviving mutants of MODULE")
    parser.add_argument("--max-children", type=int, default=2)
    args = parser.parse_args(argv)
    if args.survivors:
        for line in mutmut("results").stdout.splitlines():
            if line.strip().startswith(args.survivors + "."):
                print(line.strip())
        return 0
    if not args.report:
        run = mutmut("run", "--max-children", str(args.max_children), capture=False)
        if run.returncode != 0:
            print(f"mutmut run failed (exit {run.returncode}); is the test selection green?", file=sys.stderr)
            return 2
    per_module = results()
    if not per_module:
        print("no mutmut results; run without --report first", file=sys.stderr)
        return 2
    return 0 if report(per_module) else 1


if __name__ == "__main__":
    sys.exit(main())
