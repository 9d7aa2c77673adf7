"""The report runner: execute notebooks with papermill in parallel, export HTML, write an index.

Design (measured, see ``benchmarks/report_suite.py`` and ``benchmarks/stress_isolation.py``):

* A bounded pool of worker processes (``--jobs``, capped by CPUs, available memory and the number
  of notebooks: :func:`cap_jobs`), each with a warm kernel (:mod:`coopanalysis.report.kernel`);
  the jobs and their records are in :mod:`coopanalysis.report.jobs`. The parent hands each worker
  one notebook at a time, so it always knows which notebook a worker is running.
* Faults stay with the notebook they hit. A failing cell, a kernel that dies (or is killed) and a
  worker process that dies fail that notebook with one line (:meth:`RunResult.failure_lines`); a
  dead worker is replaced and the other notebooks finish; the index says which failed.
* SIGINT and SIGTERM stop the run: workers stop their kernels, the unfinished notebooks are
  listed as failed in the index, and :attr:`RunResult.exit_status` is 130 or 143.
* Every file is written atomically (no half-written notebook, HTML or index), kernel files live
  in one temporary folder removed at the end, and a lock file in the output folder
  (:data:`LOCK_NAME`, ``fcntl.flock``, holding the run's pid) makes a second run into the same
  folder refuse at once. Only the parent holds the lock (forked workers close their copy), and
  workers and kernels die with the parent (:mod:`coopanalysis.report.pool`), so a ``kill -9``
  of a run frees the folder within a second or so.
* The run writes only files it may: each notebook's ``.ipynb`` and ``.html``, ``index.html`` and
  ``plan.xlsx`` are claimed in :data:`MANIFEST` before anything is written, and a file of one of
  those names that no earlier report run recorded (the user's own ``index.html``) is refused
  with exit 2 naming it, never overwritten.
* Only small records travel back to the parent (names, paths, a one-line summary), so a plan
  with many strategies needs no more memory than one with a few.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from coopanalysis import paths
from coopanalysis.errors import CoopAnalysisError, ParamsError
from coopanalysis.report.jobs import (
    NODE_NOTEBOOK,
    PLAN_NOTEBOOKS,
    Job,
    Outcome,
    build_group_jobs,
    build_jobs,
    check_kernel,
    check_params_dir,
    is_budget_table,
    notebook_path,
    prepare_source,
    strategy_names,
)
from coopanalysis.report.notebook import find_summary
from coopanalysis.report.pool import run_pool
from coopanalysis.report.worker import run_job

__all__ = [
    "PLAN_NOTEBOOKS", "NODE_NOTEBOOK", "LOCK_NAME", "MANIFEST", "MIB_PER_WORKER", "Job", "Outcome", "RunResult",
    "ReportBusyError", "build_jobs", "build_group_jobs", "cap_jobs", "check_kernel", "find_summary", "notebook_path",
    "out_lock", "prepare_source", "strategy_names", "run_job", "run_jobs", "run_report",
]

#: The lock file a run holds in its output folder.
LOCK_NAME = ".coopanalysis-report.lock"
#: What report runs wrote into the folder (and may therefore replace).
MANIFEST = ".coopanalysis-report-manifest.json"
_WRITTEN_BY = "coopanalysis report"
#: Memory one worker needs: its kernel with pandas, matplotlib and a plan (~250 MiB) and the
#: worker with papermill and nbconvert (~150 MiB), as measured on the bundled plan.
MIB_PER_WORKER = 400


class ReportBusyError(CoopAnalysisError):
    """Another report run holds the output folder's lock."""


@dataclass
class RunResult:
    outcomes: list[Outcome]
    out_dir: Path
    index: Path | None
    seconds: float
    interrupted: int | None = None  # the signal that stopped the run

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def exit_status(self) -> int:
        """0 when every notebook ran, 1 when one failed, 128 + signal when interrupted
        (130 for SIGINT, 143 for SIGTERM)."""
        if self.interrupted:
            return 128 + self.interrupted
        return 1 if self.failures else 0

    def failure_lines(self) -> list[str]:
        return [o.failure_line() for o in self.failures]


def mem_available_mib(meminfo: str = "/proc/meminfo") -> int | None:
    """``MemAvailable`` in MiB, or ``None`` where the system does not say."""
    try:
        with open(meminfo, encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def cap_jobs(requested: int | None, n_notebooks: int, cpus: int | None = None,
             mem_mib: int | None = None) -> tuple[int, str | None]:
    """(workers to start, a note when *requested* was lowered, else ``None``).

    More workers than CPUs only makes the notebooks queue for the CPU (and ``--jobs 1000`` used
    7.85 GB for 27 kernels); more than the memory holds makes the machine swap. ``None`` means
    "one per CPU" and is never noted.

    >>> cap_jobs(1000, 27, cpus=2, mem_mib=8000)
    (2, '--jobs 1000 capped to 2 (2 CPUs; 8000 MiB available at 400 MiB a worker; 27 notebooks)')
    >>> cap_jobs(8, 30, cpus=16, mem_mib=1000)
    (2, '--jobs 8 capped to 2 (16 CPUs; 1000 MiB available at 400 MiB a worker; 30 notebooks)')
    >>> cap_jobs(2, 5, cpus=2, mem_mib=800)
    (2, None)
    >>> cap_jobs(4, 3, cpus=8, mem_mib=None)
    (3, '--jobs 4 capped to 3 (8 CPUs; 3 notebooks)')
    >>> cap_jobs(None, 9, cpus=4, mem_mib=100)
    (1, None)
    """
    cpus = cpus or _cpus()
    limits = [(cpus, f"{cpus} CPUs")]
    if mem_mib is not None:
        limits.append((max(1, mem_mib // MIB_PER_WORKER),
                       f"{mem_mib} MiB available at {MIB_PER_WORKER} MiB a worker"))
    limits.append((max(1, n_notebooks), f"{n_notebooks} notebooks"))
    wanted = requested or cpus
    n = max(1, min([wanted] + [limit for limit, _ in limits]))
    if requested is None or n >= requested:
        return n, None
    return n, f"--jobs {requested} capped to {n} ({'; '.join(text for _, text in limits)})"


#: Lock fds this process holds: a forked child (a worker) closes its copies at once, so only
#: this process holds the lock and it ends with it (a worker must not keep a killed run's lock).
_HELD_LOCKS: set[int] = set()


def _close_inherited_locks() -> None:
    for fd in list(_HELD_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited_locks)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(path: Path) -> int | None:
    """The pid a run wrote into the lock file, if any."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


#: Seconds to wait for the lock when the run that took it has ended (its workers are exiting).
STALE_WAIT = 10


@contextmanager
def out_lock(out_dir: Path):
    """Hold the output folder's lock (``fcntl.flock`` on :data:`LOCK_NAME`) or refuse at once.

    The lock file holds the pid of the run. When the lock is busy and that pid has ended (a run
    killed with ``kill -9``), its leftover processes are waited for a few seconds (they exit
    with their parent) instead of refusing at once; a live holder is named in the refusal.
    The lock file stays (removing it would let two runs lock two different files)."""
    import fcntl

    path = Path(out_dir) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    deadline = None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            pid = _holder(path)
            stale = pid is not None and not _pid_alive(pid)
            if stale:
                deadline = deadline or time.monotonic() + STALE_WAIT
                if time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
            os.close(fd)
            who = f" (pid {pid})" if pid is not None else ""
            if stale:
                raise ReportBusyError(f"{out_dir}: the report run that held {LOCK_NAME}{who} has ended, but "
                                      "processes it started still hold it; stop them, then run again") from None
            raise ReportBusyError(f"{out_dir}: another coopanalysis report is writing to this folder "
                                  f"(it{who} holds {LOCK_NAME}); run again when it has finished") from None
    _HELD_LOCKS.add(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    except OSError:  # the pid is a courtesy for the messages above
        pass
    try:
        yield path
    finally:
        _HELD_LOCKS.discard(fd)
        os.close(fd)


def resolve_out(out_dir: str | Path) -> Path:
    """*out_dir* as an absolute path (links followed); a loop of links is an InputError naming it."""
    from coopanalysis.errors import InputError

    try:
        return Path(out_dir).resolve()
    except (RuntimeError, OSError) as exc:  # Python < 3.13 raises RuntimeError for a loop
        why = getattr(exc, "strerror", None) or "a loop of symbolic links"
        raise InputError(f"cannot use as the output folder ({why}); choose another --out", path=out_dir) from None


def _outputs(jobs: Sequence[Job], write_index: bool = True, html: bool = True) -> list[str]:
    names = [f"{job.name}.ipynb" for job in jobs] + ([f"{job.name}.html" for job in jobs] if html else [])
    return names + (["index.html"] if write_index else [])


def claim_outputs(out_dir: Path, names: Iterable[str]) -> None:
    """Refuse when a file of one of *names* in *out_dir* is not a report run's; else record them."""
    from coopanalysis.ingest.output import claim_files

    claim_files(Path(out_dir), names, MANIFEST, _WRITTEN_BY)


def _record_outputs(out_dir: Path, names: Iterable[str]) -> None:
    from coopanalysis.ingest.output import record_files

    try:
        record_files(Path(out_dir), names, MANIFEST, _WRITTEN_BY)
    except OSError:  # the names were claimed before the run: the next run still owns them
        pass


class _Stop(BaseException):
    """Raised in the parent by SIGTERM (SIGINT raises KeyboardInterrupt)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _signals_stop_the_run():
    """SIGTERM raises :class:`_Stop` in the parent for the duration (main thread only)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _Stop(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_jobs(
    jobs: Sequence[Job],
    out_dir: str | Path,
    n_jobs: int | None = None,
    html: bool = True,
    progress: bool = True,
    write_index: bool = True,
    plan_title: str = "",
    note: Callable[[str], None] | None = None,
    lock: bool = True,
) -> RunResult:
    """Execute *jobs* on a pool of at most *n_jobs* workers; every job runs even if some fail.

    *note* receives one-line remarks (``--jobs`` capped); *lock* takes the output folder's lock
    (:func:`run_report` holds it already)."""
    out_dir = resolve_out(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if lock:
        with out_lock(out_dir):
            claim_outputs(out_dir, _outputs(jobs, write_index, html))
            return run_jobs(jobs, out_dir, n_jobs, html, progress, write_index, plan_title, note, lock=False)
    start = time.perf_counter()
    n_workers, remark = cap_jobs(n_jobs, len(jobs), mem_mib=mem_available_mib())
    if remark and note:
        note(remark)
    outcomes: dict[str, Outcome] = {}
    interrupted = None
    run_dir = Path(tempfile.mkdtemp(prefix="coopanalysis-report-"))
    try:
        with _signals_stop_the_run():
            try:
                run_pool(jobs, out_dir, n_workers, html, run_dir, outcomes, progress)
            except KeyboardInterrupt:
                interrupted = signal.SIGINT
            except _Stop as stop:
                interrupted = stop.signum
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    if interrupted:
        why = f"the run was interrupted by {signal.Signals(interrupted).name}"
        for job in jobs:
            if job.name not in outcomes:
                outcomes[job.name] = Outcome(name=job.name, notebook=str(job.notebook),
                                             ipynb=str(out_dir / f"{job.name}.ipynb"), ok=False, title=job.title,
                                             ename="Interrupted", evalue=f"{why} before this notebook finished")
    ordered = [outcomes[job.name] for job in jobs if job.name in outcomes]
    index_path = None
    if write_index:
        from coopanalysis.report.index import write_index as _write_index  # atomic; completes the pages' navigation

        index_path = _write_index(ordered, out_dir, plan_title=plan_title)
    _record_outputs(out_dir, _outputs(jobs, write_index, html))
    return RunResult(ordered, out_dir, index_path, time.perf_counter() - start, interrupted)


#: A plan's reports are per node of its first level: ``--group-by strategy`` is what a plan's
#: run does anyway (one ``node_report`` per strategy).
PLAN_GROUP = "strategy"
#: The plan's Excel workbook, written into every report run's folder (the index links it).
WORKBOOK = "plan.xlsx"


def run_report(
    source: str | Path = paths.PLAN_DIR,
    out_dir: str | Path = paths.REPORTS,
    strategies: Iterable[object] | None = None,
    n_jobs: int | None = None,
    params_dir: str | Path | None = paths.PARAMS,
    notebooks_dir: str | Path = paths.NOTEBOOKS,
    plan_notebooks: Sequence[str] = PLAN_NOTEBOOKS,
    progress: bool = True,
    note: Callable[[str], None] | None = None,
    group_by: str | None = None,
) -> RunResult:
    """``coopanalysis report``: validate everything, then run every notebook of the plan.

    A budget table dataset (``plan.json`` ``"kind": "budget_table"``) gets one report per node of
    the level *group_by* instead (``--group-by LEVEL``); a plan's level is its strategies
    (``--group-by strategy`` or none). Nothing is left in *out_dir* when
    validation fails (a folder this call created is removed).
    """
    out_dir = resolve_out(out_dir)
    check_params_dir(params_dir)
    if not Path(source).exists():
        from coopanalysis.errors import InputError

        raise InputError("no such file or directory", path=Path(source).resolve())
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    with out_lock(out_dir) as lock_file:
        try:
            plan_dir = prepare_source(source, out_dir)
            if is_budget_table(plan_dir):
                jobs = build_group_jobs(plan_dir, out_dir, group_by, strategies)
            elif group_by not in (None, PLAN_GROUP):
                raise ParamsError(f"--group-by applies to a budget table dataset; {source} is a plan "
                                  f"(its reports are per strategy, its first level: --group-by {PLAN_GROUP})")
            else:
                jobs = build_jobs(plan_dir, out_dir, strategies, params_dir, notebooks_dir, plan_notebooks)
            check_kernel()
            claim_outputs(out_dir, _outputs(jobs) + [WORKBOOK])
        except BaseException:
            if created:  # leave no trace of a run that never started
                lock_file.unlink(missing_ok=True)
                try:
                    out_dir.rmdir()
                except OSError:
                    pass
            raise
        from coopanalysis.exports import write_workbook
        from coopanalysis.io.schema import read_plan_json

        title = str(read_plan_json(plan_dir).get("title", ""))
        write_workbook(plan_dir, out_dir / WORKBOOK)  # the index links the plan's workbook
        _record_outputs(out_dir, [WORKBOOK])
        return run_jobs(jobs, out_dir, n_jobs, progress=progress, plan_title=title, note=note, lock=False)

