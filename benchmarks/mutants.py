"""Mutation testing (``make mutants``): how many planted bugs the tests catch, per module.

Runs mutmut (test extra) over the modules listed in ``[tool.mutmut] only_mutate`` of
pyproject.toml; mutmut copies the project to ``mutants/`` and runs the tests named in
``pytest_add_cli_args_test_selection`` against each mutant. :data:`AREAS` is the list this
script expects there: the modules where a silent error costs most (issue 27) — the model's
roll-up, checks and hints, allocation, stated totals, table ingest, export and the report
index. ``--areas`` prints it beside what pyproject.toml holds.

Prints one line per module: mutants, how many ran, killed, survived, score (killed / run); the
goal is 90% killed in each.
Exit status 0 when every module meets the goal, 1 otherwise, 2 when mutmut could not run (a
listed module or test file is missing, or the clean test run fails). It is not part of
`make test`: it takes minutes (one module: ``--module``).

    .venv/bin/python benchmarks/mutants.py            # run, then report
    .venv/bin/python benchmarks/mutants.py --module coopanalysis/checks/hints.py   # one module's mutants
    .venv/bin/python benchmarks/mutants.py --module coopanalysis/report/index.py --sample 10   # 1 in 10
    .venv/bin/python benchmarks/mutants.py --report   # report the last run only
    .venv/bin/python benchmarks/mutants.py --survivors coopanalysis.checks.hints   # list survivors
    .venv/bin/python benchmarks/mutants.py --areas    # the expected modules vs pyproject.toml
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.90
_LINE = re.compile(r"^\s*(?P<name>[\w.]+)__mutmut_\d+:\s*(?P<status>[\w ]+?)\s*$")

#: area -> the modules whose silent errors cost most there (``only_mutate``), and the tests that
#: kill their mutants (``pytest_add_cli_args_test_selection``).
AREAS: dict[str, dict[str, list[str]]] = {
    "model roll-up": {
        "modules": ["coopanalysis/model/dataset.py", "coopanalysis/model/figures.py"],
        "tests": ["tests/test_model.py", "tests/test_figures.py", "tests/test_analysis.py", "tests/test_mutants_rollup.py",
                  "tests/test_one_rollup.py", "tests/test_mutants_model.py"],
    },
    "checks and hints": {
        "modules": ["coopanalysis/checks/group_rules.py", "coopanalysis/checks/project_rules.py",
                    "coopanalysis/checks/hints.py", "coopanalysis/checks/tolerance.py",
                    "coopanalysis/checks/table_rules.py"],
        "tests": ["tests/test_checks.py", "tests/test_check_boundaries.py", "tests/test_checks_fixture.py",
                  "tests/test_hints.py", "tests/test_behaviour_guards.py", "tests/test_hints_shared.py",
                  "tests/test_budget_corrections.py", "tests/test_one_engine.py", "tests/test_mutants_rules.py",
                  "tests/test_planted_round2.py", "tests/test_planted_round3.py",
                  "tests/test_mutants_table_rules.py", "tests/test_mutants_hints.py"],
    },
    "allocation": {
        "modules": ["coopanalysis/analysis/levels.py", "coopanalysis/analysis/allocation.py", "coopanalysis/sources/units.py"],
        "tests": ["tests/test_analysis.py", "tests/test_units_glossary.py", "tests/test_budget_guards.py",
                  "tests/test_mutants_levels.py"],
    },
    "stated totals": {
        "modules": ["coopanalysis/budget/stated.py"],
        "tests": ["tests/test_budget_tables.py", "tests/test_budget_guards.py", "tests/test_stated_pdf.py",
                  "tests/test_budget_volumes.py", "tests/test_table_formulas.py", "tests/test_mutants_tables.py"],
    },
    "table ingest": {
        "modules": ["coopanalysis/budget/ingest.py", "coopanalysis/budget/rows.py", "coopanalysis/budget/amounts.py",
                    "coopanalysis/budget/flags.py", "coopanalysis/ingest/reconcile.py", "coopanalysis/text/thai.py"],
        "tests": ["tests/test_budget_ingest.py", "tests/test_budget_tables.py", "tests/test_budget_guards.py",
                  "tests/test_ingest.py", "tests/test_amounts.py", "tests/test_place.py", "tests/test_thai.py",
                  "tests/test_decode.py", "tests/test_repair_boundaries.py", "tests/test_mutants_ingest.py",
                  "tests/test_budget_volumes.py", "tests/test_budget_corrections.py", "tests/test_table_formulas.py",
                  "tests/test_mutants_tables.py"],
    },
    "export": {
        "modules": ["coopanalysis/exports/shape.py", "coopanalysis/exports/sheets.py", "coopanalysis/exports/workbook.py"],
        "tests": ["tests/test_export.py", "tests/test_behaviour_guards.py", "tests/test_export_fdp.py",
                  "tests/test_table_formulas.py", "tests/test_mutants_exports.py"],
    },
    "report index": {
        "modules": ["coopanalysis/report/index.py"],
        "tests": ["tests/test_behaviour_guards.py", "tests/test_report_index.py", "tests/test_mutants_report.py"],
    },
}


def expected_config() -> tuple[list[str], list[str]]:
    """``only_mutate`` and the test selection :data:`AREAS` asks for (each path once, in order)."""
    modules = list(dict.fromkeys(m for area in AREAS.values() for m in area["modules"]))
    tests = list(dict.fromkeys(t for area in AREAS.values() for t in area["tests"]))
    return modules, tests


def pyproject_config() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle).get("tool", {}).get("mutmut", {})


def missing_paths(config: dict) -> list[str]:
    """Modules and test files named in *config* that do not exist (mutmut would fail late)."""
    named = list(config.get("only_mutate", [])) + list(config.get("pytest_add_cli_args_test_selection", []))
    return [p for p in named if not (ROOT / p).exists()]


def print_areas(config: dict) -> int:
    modules, tests = expected_config()
    have_modules = list(config.get("only_mutate", []))
    have_tests = list(config.get("pytest_add_cli_args_test_selection", []))
    for area, spec in AREAS.items():
        print(f"{area}:")
        for module in spec["modules"]:
            print(f"  {'ok     ' if module in have_modules else 'MISSING'} {module}")
    extra = [m for m in have_modules if m not in modules]
    if extra:
        print("in only_mutate but in no area: " + ", ".join(extra))
    lacking = [t for t in tests if t not in have_tests]
    if lacking:
        print("tests to add to pytest_add_cli_args_test_selection: " + ", ".join(lacking))
    absent = missing_paths(config)
    if absent:
        print("named in [tool.mutmut] but absent: " + ", ".join(absent))
    gone = [p for p in modules + tests if not (ROOT / p).exists()]
    if gone:
        print("named in AREAS but absent (update AREAS): " + ", ".join(gone))
    same = not extra and not lacking and not absent and not gone and all(m in have_modules for m in modules)
    print("pyproject.toml [tool.mutmut] " + ("matches" if same else "differs from") + " AREAS")
    return 0 if same else 1


def mutmut(*args: str, capture: bool = True) -> subprocess.CompletedProcess:
    """Runs mutmut in the project; its copy (``mutants/``) finds ``../shared`` through the
    environment, so the real-data tests run against each mutant instead of skipping."""
    exe = Path(sys.executable).with_name("mutmut")
    env = dict(os.environ)
    if (ROOT.parent / "shared").is_dir():
        env.setdefault("COOPANALYSIS_SHARED", str(ROOT.parent / "shared"))
    return subprocess.run([str(exe), *args], cwd=ROOT, text=True, capture_output=capture, env=env)


def module_name(path: str) -> str:
    """``coopanalysis/checks/hints.py`` -> ``coopanalysis.checks.hints``."""
    return path.removesuffix(".py").replace("/", ".")


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
    """Print the table; the score is killed / mutants run (a sampled module names how many ran)."""
    ok = True
    area_of = {module_name(m): area for area, spec in AREAS.items() for m in spec["modules"]}
    print(f"{'module':40s} {'area':18s} {'mutants':>8s} {'run':>6s} {'killed':>7s} {'survived':>9s} {'other':>6s}"
          f" {'score':>7s}")
    for module in sorted(per_module, key=lambda m: (list(AREAS).index(area_of[m]) if m in area_of else 99, m)):
        counts = per_module[module]
        total = sum(counts.values())
        run = total - counts["not checked"]
        killed = counts["killed"]
        survived = counts["survived"]
        other = run - killed - survived  # timeouts, suspicious, skipped, no tests
        score = killed / run if run else 0.0
        ok &= run > 0 and score >= GOAL
        note = "" if run == total else f"  (sampled: {run} of {total} run)" if run else "  (not run)"
        print(f"{module:40s} {area_of.get(module, '-'):18s} {total:8d} {run:6d} {killed:7d} {survived:9d} {other:6d}"
              f" {score:6.1%}{'' if score >= GOAL else '  < goal'}{note}")
    print(f"goal: {GOAL:.0%} killed in every module -> {'met' if ok else 'NOT met'}")
    return ok


#: ``--sample N``: the last digit(s) of the mutant numbers run, 1 in N (fnmatch classes).
SAMPLES = {2: "[02468]", 5: "[05]", 10: "0"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="only report the last run")
    parser.add_argument("--survivors", metavar="MODULE", help="list the surviving mutants of MODULE")
    parser.add_argument("--module", action="append", metavar="PATH",
                        help="run only the mutants of this module (repeatable; it must be in only_mutate)")
    parser.add_argument("--areas", action="store_true", help="the modules AREAS expects vs pyproject.toml")
    parser.add_argument("--sample", type=int, choices=sorted(SAMPLES),
                        help="run 1 in N of the mutants of each --module (by mutant number), for a module too big "
                             "to run whole; the score is over the mutants run")
    parser.add_argument("--max-children", type=int, default=2)
    args = parser.parse_args(argv)
    config = pyproject_config()
    if args.areas:
        return print_areas(config)
    if args.survivors:
        for line in mutmut("results").stdout.splitlines():  # also lists mutants not run: keep survivors
            match = _LINE.match(line)
            if match and match["name"].startswith(args.survivors + ".") and match["status"] == "survived":
                print(line.strip())
        return 0
    wanted = [module_name(m) for m in args.module or []]
    if not args.report:
        absent = missing_paths(config)
        if absent:
            print("[tool.mutmut] names files that do not exist: " + ", ".join(absent), file=sys.stderr)
            return 2
        outside = [m for m in args.module or [] if m not in config.get("only_mutate", [])]
        if outside:
            print(f"not in [tool.mutmut] only_mutate: {', '.join(outside)}", file=sys.stderr)
            return 2
        if args.sample and not wanted:
            print("--sample needs --module", file=sys.stderr)
            return 2
        names = [f"{m}.*__mutmut_*{SAMPLES[args.sample]}" if args.sample else f"{m}.*" for m in wanted]
        run = mutmut("run", "--max-children", str(args.max_children), *names, capture=False)
        if run.returncode != 0:
            print(f"mutmut run failed (exit {run.returncode}); is the test selection green?", file=sys.stderr)
            return 2
    per_module = results()
    if wanted:
        per_module = {m: c for m, c in per_module.items() if m in wanted}
    if not per_module:
        print("no mutmut results; run without --report first", file=sys.stderr)
        return 2
    return 0 if report(per_module) else 1


if __name__ == "__main__":
    sys.exit(main())
