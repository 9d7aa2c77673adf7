"""Report benchmark: ``coopanalysis report`` against a naive papermill loop and the floor.

    .venv/bin/python benchmarks/report_suite.py               # bundled plan, default --jobs
    .venv/bin/python benchmarks/report_suite.py --repeat 3    # best of 3 for each measure
    .venv/bin/python benchmarks/report_suite.py --synthetic 50 --skip-naive   # 50 strategies

Measured in one run on the same machine (wall-clock seconds; best of ``--repeat``):

(a) ``coopanalysis report SOURCE --out TMP`` as a user runs it (a fresh process): every notebook
    of the report, executed notebooks, HTML (inputs hidden, images embedded) and index.html.
(b) the naive way: the ``papermill`` command once per notebook of (a), one after the other, with
    the same parameters, without HTML.
(c) the floor: one kernel start plus the imports the notebooks make (``from coopanalysis import
    analysis, charts, checks, report`` and loading the plan), in a fresh process.

Printed: a/b (goal <= 0.35 on 2 cores) and a / (c x notebooks / cores), how far (a) is from
paying only the floor for every notebook with perfect parallelism. With ``--synthetic N`` the plan
is a synthetic one with N strategies (tests/support/synthetic.py); the peak memory of the whole
process tree of (a) is sampled and printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "tests"):  # the package, and tests/support (synthetic plans)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from coopanalysis import paths  # noqa: E402

GOAL_RATIO = 0.35
BIN = Path(sys.executable).parent

FLOOR_CODE = """
import json, sys, time
t0 = time.perf_counter()
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name=sys.argv[1])
t1 = time.perf_counter()
reply = kc.execute_interactive(sys.argv[2], timeout=120, output_hook=lambda msg: None)
t2 = time.perf_counter()
assert reply["content"]["status"] == "ok", reply["content"]
kc.stop_channels()
km.shutdown_kernel(now=True)
print(json.dumps({"kernel_start": t1 - t0, "imports": t2 - t1}))
"""
NOTEBOOK_IMPORTS = (
    "from coopanalysis import analysis, charts, checks, report\n"
    "plan = report.load_plan({source!r})\n"
)


def _tree_rss_mib(pid: int) -> float:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def run_timed(cmd: list[str], sample_memory: bool = False) -> tuple[float, float]:
    """Run *cmd*; return (wall seconds, peak RSS of its process tree in MiB or NaN)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [float("nan")]
    if sample_memory:
        peak[0] = 0.0

        def sample():
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_rss_mib(proc.pid))
                time.sleep(0.2)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
    return elapsed, peak[0]


def measure_report(source: Path, out: Path, jobs: int, sample_memory: bool) -> tuple[float, float, int]:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(BIN / "coopanalysis"), "report", str(source), "--out", str(out), "--jobs", str(jobs)]
    seconds, peak = run_timed(cmd, sample_memory)
    n_html = len([p for p in out.glob("*.html") if p.name != "index.html"])
    return seconds, peak, n_html


def naive_commands(source: Path, out: Path) -> list[list[str]]:
    """The papermill command for every notebook the runner executes, same parameters."""
    from coopanalysis.report import runner

    jobs = runner.build_jobs(runner.prepare_source(source, out), out)
    commands = []
    for job in jobs:
        cmd = [str(BIN / "papermill"), str(job.notebook), str(out / f"{job.name}.ipynb"),
               "-k", paths.KERNEL_NAME, "--no-progress-bar"]
        for name, value in job.parameters.items():
            cmd += ["-p", name, str(value)] if isinstance(value, bool) else ["-r", name, str(value)]
        commands.append(cmd)
    return commands


def measure_naive(source: Path, out: Path) -> tuple[float, int]:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    commands = naive_commands(source, out)
    start = time.perf_counter()
    for cmd in commands:
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start, len(commands)


def measure_floor(source: Path) -> dict:
    code = NOTEBOOK_IMPORTS.format(source=str(source))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", FLOOR_CODE, paths.KERNEL_NAME, code],
                          capture_output=True, text=True)
    total = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"floor measurement failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["total"] = total
    return result


def synthetic_plan(n_strategies: int, directory: Path) -> Path:
    from support import synthetic

    from coopanalysis.ingest import ingest_file

    plan = synthetic.generate(n_projects=4 * n_strategies, n_strategies=n_strategies, seed=11)
    text = directory / f"synthetic_{n_strategies}.txt"
    text.write_text(synthetic.render(plan, artefacts=("repeat", "per_kpi")), encoding="utf-8")
    target = directory / f"synthetic_{n_strategies}"
    ingest_file(text, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(paths.PLAN_DIR), help="ingested plan directory")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs for (a) (default: CPUs)")
    parser.add_argument("--repeat", type=int, default=1, help="take the best of N runs of each measure")
    parser.add_argument("--synthetic", type=int, metavar="N", help="use a synthetic plan with N strategies")
    parser.add_argument("--skip-naive", action="store_true", help="do not run (b) (slow for large plans)")
    parser.add_argument("--keep", metavar="DIR", help="keep the outputs in DIR")
    args = parser.parse_args(argv)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="report-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        source = synthetic_plan(args.synthetic, work) if args.synthetic else Path(args.source).resolve()
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        print(f"plan: {source}")
        print(f"machine: {cores} cores available, --jobs {args.jobs}, best of {args.repeat}")

        floors = [measure_floor(source) for _ in range(args.repeat)]
        c = min(f["total"] for f in floors)
        best_floor = min(floors, key=lambda f: f["total"])
        print(f"(c) floor, one kernel start + notebook imports: {c:6.2f} s "
              f"(kernel start {best_floor['kernel_start']:.2f} s, imports {best_floor['imports']:.2f} s)")

        runs = [measure_report(source, work / "a", args.jobs, sample_memory=True) for _ in range(args.repeat)]
        a = min(r[0] for r in runs)
        n_notebooks = runs[0][2]
        peak = max(r[1] for r in runs)
        print(f"(a) coopanalysis report, {n_notebooks} notebooks + HTML: {a:6.2f} s "
              f"(runs: {', '.join(f'{r[0]:.2f}' for r in runs)}; peak memory of the process tree {peak:.0f} MiB)")

        b = None
        if not args.skip_naive:
            naive = [measure_naive(source, work / "b") for _ in range(args.repeat)]
            b = min(n[0] for n in naive)
            print(f"(b) naive papermill loop, {naive[0][1]} notebooks, no HTML: {b:6.2f} s "
                  f"(runs: {', '.join(f'{n[0]:.2f}' for n in naive)})")

        parallel_floor = c * n_notebooks / min(cores, args.jobs)
        print()
        if b:
            verdict = "meets" if a / b <= GOAL_RATIO else "misses"
            print(f"a/b = {a / b:.3f}  (goal <= {GOAL_RATIO} on 2 cores; {verdict} it on {cores} cores)")
        print(f"a/(c x notebooks / cores) = {a / parallel_floor:.3f}  "
              f"(c x {n_notebooks} / {min(cores, args.jobs)} = {parallel_floor:.2f} s)")
        print(f"seconds per notebook: (a) {a / n_notebooks:.2f}" + (f", (b) {b / n_notebooks:.2f}" if b else ""))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
