"""The report runner: execute notebooks with papermill in parallel, export HTML, write an index.

Design (measured, see ``benchmarks/report_suite.py``):

* A bounded pool of worker processes (``--jobs``, default one per CPU), each with a warm kernel
  (:mod:`coopanalysis.report.kernel`); the jobs and their records are in
  :mod:`coopanalysis.report.jobs`.
* A failing notebook does not stop the others. Its executed notebook is kept for debugging, and
  :meth:`RunResult.failure_lines` names the notebook, the cell and the error.
* Only small records travel back to the parent (names, paths, a one-line summary), so a plan
  with many strategies needs no more memory than one with a few.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .jobs import (
    PLAN_NOTEBOOKS,
    STRATEGY_NOTEBOOK,
    Job,
    Outcome,
    build_jobs,
    check_kernel,
    notebook_path,
    prepare_source,
    strategy_names,
)
from .kernel import find_summary, one_line, run_job, worker_init

__all__ = [
    "PLAN_NOTEBOOKS", "STRATEGY_NOTEBOOK", "Job", "Outcome", "RunResult", "build_jobs", "check_kernel",
    "find_summary", "notebook_path", "prepare_source", "strategy_names", "run_job", "run_jobs", "run_report",
]


@dataclass
class RunResult:
    outcomes: list[Outcome]
    out_dir: Path
    index: Path | None
    seconds: float

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def exit_status(self) -> int:
        """0 when every notebook ran, 1 when one failed (see ``coopanalysis.cli``)."""
        return 1 if self.failures else 0

    def failure_lines(self) -> list[str]:
        return [o.failure_line() for o in self.failures]


# ---------------------------------------------------------------------------------------------
# parent side


def _mp_context():
    # fork is cheapest (the parent has imported little); elsewhere use the platform default
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin" else None)


def run_jobs(
    jobs: Sequence[Job],
    out_dir: str | Path,
    n_jobs: int | None = None,
    html: bool = True,
    progress: bool = True,
    write_index: bool = True,
    plan_title: str = "",
) -> RunResult:
    """Execute *jobs* on a pool of at most *n_jobs* workers; every job runs even if some fail."""
    from tqdm import tqdm

    start = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    n_jobs = max(1, min(n_jobs or os.cpu_count() or 1, len(jobs) or 1))
    outcomes: dict[str, Outcome] = {}
    bar = tqdm(total=len(jobs), file=sys.stderr, unit="notebook", desc="report", disable=not progress,
               dynamic_ncols=True)
    try:
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=_mp_context(), initializer=worker_init) as pool:
            pending = {pool.submit(run_job, job, out_dir, html): job for job in jobs}
            try:
                _collect(pending, outcomes, out_dir, bar)
            except KeyboardInterrupt:  # let running notebooks finish (their kernels stop cleanly)
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        bar.close()
    ordered = [outcomes[job.name] for job in jobs if job.name in outcomes]
    index_path = None
    if write_index:
        from .index import write_index as _write_index

        index_path = _write_index(ordered, out_dir, plan_title=plan_title)
    return RunResult(ordered, out_dir, index_path, time.perf_counter() - start)


def _collect(pending: dict, outcomes: dict, out_dir: Path, bar) -> None:
    """Gather outcomes as notebooks finish (any order), advancing the progress bar."""
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            job = pending.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:  # the worker itself died
                outcome = Outcome(name=job.name, notebook=str(job.notebook),
                                  ipynb=str(out_dir / f"{job.name}.ipynb"), ok=False, title=job.title,
                                  ename=type(exc).__name__, evalue=one_line(str(exc)))
            outcomes[job.name] = outcome
            bar.set_postfix_str(job.name + ("" if outcome.ok else " FAILED"), refresh=False)
            bar.update(1)


def run_report(
    source: str | Path = paths.PLAN_DIR,
    out_dir: str | Path = paths.REPORTS,
    strategies: Iterable[object] | None = None,
    n_jobs: int | None = None,
    params_dir: str | Path | None = paths.PARAMS,
    notebooks_dir: str | Path = paths.NOTEBOOKS,
    plan_notebooks: Sequence[str] = PLAN_NOTEBOOKS,
    progress: bool = True,
) -> RunResult:
    """``coopanalysis report``: validate everything, then run every notebook of the plan."""
    out_dir = Path(out_dir).resolve()
    plan_dir = prepare_source(source, out_dir)
    jobs = build_jobs(plan_dir, out_dir, strategies, params_dir, notebooks_dir, plan_notebooks)
    check_kernel()
    from ..schema import read_plan_json

    title = str(read_plan_json(plan_dir).get("title", ""))
    return run_jobs(jobs, out_dir, n_jobs, progress=progress, plan_title=title)
