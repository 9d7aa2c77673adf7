"""Stress benchmark: failure isolation of the report runner, many times over.

    .venv/bin/python benchmarks/stress_isolation.py              # 100 runs, --jobs 2
    .venv/bin/python benchmarks/stress_isolation.py --runs 20 --load 2   # with 2 busy processes

One run is the scenario of ``tests/test_report.py::test_failing_notebook_does_not_stop_the_others``
with small notebooks: ``broken`` (its cell 3 divides by zero) and three notebooks that must
succeed, on two workers. The worker that ran ``broken`` replaces its kernel and goes on with the
next notebook at once, which is where the runner used to fail ("Kernel died before replying to
kernel_info"). A run is *spurious* when anything other than exactly ``broken`` failed, or when
``broken`` failed in another way than its ZeroDivisionError in cell 3.

Printed: spurious failures (goal 0), notebooks retried on a new kernel, total and per-run time.
With ``--load N``, N processes spin on the CPU meanwhile (the "loaded 2-core machine"). With
``--boot-delay S`` every kernel starts S seconds late (a copy of the ``coopanalysis`` kernelspec that
sleeps first, found first through ``JUPYTER_PATH``): what a kernel start costs on a loaded machine,
made reproducible. Before the fix, a replacement kernel slower than 1 s to answer heartbeats was
declared dead while its process was alive.
Exit status 1 when a run was spurious.

Measured on the project's 2-core machine shared with other jobs (2026-11-26, load average 4-9):
before the fix, ``--boot-delay 1.5``: 2 spurious of 3 runs. After: 0 of 100 runs (default, 14.1 s
per run, 1408 s), 0 of 40 with ``--boot-delay 1.5`` (9.8 s per run), 0 of 30 with ``--load 2
--html`` (9.6 s per run).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "tests"):  # the package, and tests/support (throwaway notebooks)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from support.notebooks import make_notebook  # noqa: E402

from coopanalysis import paths  # noqa: E402


def slow_kernelspec(directory: Path, delay: float) -> None:
    """A ``coopanalysis`` kernelspec in *directory* that waits *delay* s, then starts the real one."""
    import json

    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(paths.KERNEL_NAME).to_dict()
    spec["argv"] = ["/bin/sh", "-c", f'sleep {delay}; exec "$@"', "sh", *spec["argv"]]
    target = directory / "kernels" / paths.KERNEL_NAME
    target.mkdir(parents=True)
    (target / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(directory), os.environ.get("JUPYTER_PATH")]))


def _spin() -> None:  # pragma: no cover - load generator
    while True:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="number of runs (default 100)")
    parser.add_argument("--jobs", type=int, default=2, help="workers per run (default 2)")
    parser.add_argument("--load", type=int, default=0, metavar="N", help="busy processes meanwhile")
    parser.add_argument("--boot-delay", type=float, default=0.0, metavar="S",
                        help="every kernel starts S seconds late (emulates a loaded machine)")
    parser.add_argument("--html", action="store_true", help="export HTML as well")
    args = parser.parse_args(argv)

    from coopanalysis.report import runner

    retries = 0
    work = Path(tempfile.mkdtemp(prefix="stress-isolation-"))
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(args.load)]
    for proc in spinners:
        proc.start()
    spurious: list[str] = []
    start = time.perf_counter()
    try:
        if args.boot_delay:
            slow_kernelspec(work / "jupyter", args.boot_delay)
        broken = make_notebook(work / "broken.ipynb", "1 / 0")
        fine = [make_notebook(work / f"fine{i}.ipynb", f"z = {i}") for i in range(3)]
        jobs = [runner.Job("broken", broken, {"source": ""})]
        jobs += [runner.Job(f"fine{i}", nb, {"source": ""}) for i, nb in enumerate(fine)]
        for run in range(1, args.runs + 1):
            out = work / f"out{run}"
            result = runner.run_jobs(jobs, out, n_jobs=args.jobs, html=args.html, progress=False,
                                     write_index=False)
            retries += sum(getattr(o, "attempts", 1) - 1 for o in result.outcomes)
            failed = {o.name: o for o in result.failures}
            broken_ok = ("broken" in failed and failed["broken"].ename == "ZeroDivisionError"
                         and failed["broken"].cell_index == 3)
            if set(failed) != {"broken"} or not broken_ok:
                lines = "; ".join(result.failure_lines())
                spurious.append(f"run {run}: {lines}")
                print(f"run {run}: SPURIOUS: {lines}", flush=True)
            elif run % 10 == 0:
                print(f"run {run}: ok ({time.perf_counter() - start:.0f} s so far)", flush=True)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        for proc in spinners:
            proc.terminate()
        shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - start
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {cores} cores, load average {os.getloadavg()[0]:.2f}, --jobs {args.jobs}, "
          f"--load {args.load}, --boot-delay {args.boot_delay} s")
    print(f"spurious failures: {len(spurious)} of {args.runs} runs (goal 0)")
    print(f"notebooks retried on a new kernel: {retries}")
    print(f"total time: {total:.1f} s ({total / max(args.runs, 1):.2f} s per run)")
    return 1 if spurious else 0


if __name__ == "__main__":
    raise SystemExit(main())
