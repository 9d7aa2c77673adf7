"""The worker pool of a report run: one notebook at a time per worker, dead workers replaced.

``concurrent.futures.ProcessPoolExecutor`` is not used on purpose: when one of its workers dies
it marks the whole pool broken and kills the other workers, so one killed process would fail
every notebook still running or queued, and it cannot say which notebook the dead worker held.
Here the parent sends each worker one job, waits on the workers' pipes and process sentinels
together, and on a death fails exactly the job that worker held and starts a new worker for the
rest.

**The workers die with the parent** (issue 26, case 12): a ``kill -9`` of ``coopanalysis report``
left two workers and their kernels running for minutes. The parent holds the only write end of a
*lifeline* pipe; each worker closes its inherited copy and watches the read end from a thread
(:func:`coopanalysis.report.worker.watch_parent`): end of file means the parent is gone, and the
worker kills its kernels, removes its folder and exits at once.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from coopanalysis.report.jobs import Job, Outcome
from coopanalysis.report.kernel import kill_kernels
from coopanalysis.report.worker import worker_main

__all__ = ["run_pool", "kill_kernels"]

#: Seconds a worker gets to stop its kernel and exit before it is killed.
STOP_GRACE = 10


@dataclass
class _Slot:
    process: multiprocessing.Process
    conn: object
    folder: Path
    job: Job | None = None
    dead: bool = False


def _mp_context():
    # fork is cheapest (the parent has imported little); elsewhere use the platform default
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin" else None)


def _start(ctx, run_dir: Path, number: int, lifeline: tuple[int, int] | None = None) -> _Slot:
    folder = run_dir / f"w{number}"
    parent_end, child_end = ctx.Pipe()
    process = ctx.Process(target=worker_main, args=(child_end, str(folder), lifeline), daemon=True,
                          name=f"coopanalysis-report-worker-{number}")
    process.start()
    child_end.close()
    return _Slot(process, parent_end, folder)


def _how_it_ended(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"the worker process running it was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"the worker process running it was killed by signal {-code}"
    return f"the worker process running it exited with status {code}"


def _failed(job: Job, out_dir: Path, ename: str, evalue: str) -> Outcome:
    return Outcome(name=job.name, notebook=str(job.notebook), ipynb=str(out_dir / f"{job.name}.ipynb"),
                   ok=False, title=job.title, ename=ename, evalue=evalue)


def run_pool(jobs: Sequence[Job], out_dir: Path, n_workers: int, html: bool, run_dir: Path,
             outcomes: dict[str, Outcome], progress: bool = True) -> None:
    """Run *jobs* on *n_workers* worker processes (kernel files under *run_dir*), filling
    *outcomes* as notebooks finish. On any exception (KeyboardInterrupt included) the workers are
    stopped, their kernels killed and *outcomes* holds what finished; the exception propagates."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: workers are forked later too
    ctx = _mp_context()
    # forked workers inherit both ends; each closes the write end, so only this process holds it
    lifeline = os.pipe() if ctx.get_start_method() == "fork" else None
    queue = deque(jobs)
    started = 0
    slots: list[_Slot] = []
    bar = tqdm(total=len(jobs), file=sys.stderr, unit="notebook", desc="report", disable=not progress,
               dynamic_ncols=True)

    def record(job: Job, outcome: Outcome) -> None:
        outcomes[job.name] = outcome
        bar.set_postfix_str(job.name + ("" if outcome.ok else " FAILED"), refresh=False)
        bar.update(1)

    def dispatch(slot: _Slot) -> None:
        while queue and slot.job is None:
            job = queue.popleft()
            try:
                slot.conn.send((job, out_dir, html))
            except (BrokenPipeError, OSError):  # it died before taking the job: the job never ran
                queue.appendleft(job)
                return
            slot.job = job

    try:
        for _ in range(min(n_workers, len(jobs))):
            started += 1
            slots.append(_start(ctx, run_dir, started, lifeline))
        for slot in slots:
            dispatch(slot)
        while any(slot.job is not None for slot in slots) or queue:
            live = [slot for slot in slots if not slot.dead]
            if not live:  # pragma: no cover - every worker died before taking a job
                started += 1
                slots.append(_start(ctx, run_dir, started, lifeline))
                dispatch(slots[-1])
                continue
            ready = set(wait([s.conn for s in live if s.job is not None] + [s.process.sentinel for s in live]))
            for slot in live:
                if slot.job is not None and (slot.conn in ready or slot.conn.poll()):
                    try:
                        outcome = slot.conn.recv()
                    except (EOFError, OSError):
                        outcome = None
                    if outcome is not None:
                        job, slot.job = slot.job, None
                        record(job, outcome)
                        dispatch(slot)
                        continue
                if slot.process.sentinel in ready:
                    slot.process.join()
                    slot.dead = True
                    if slot.job is not None:
                        record(slot.job, _failed(slot.job, out_dir, "WorkerDied", _how_it_ended(slot.process)))
                        slot.job = None
                    kill_kernels(slot.folder)
                    shutil.rmtree(slot.folder, ignore_errors=True)
                    slot.conn.close()
                    if queue:  # a new worker for the rest
                        started += 1
                        slots.append(_start(ctx, run_dir, started, lifeline))
                        dispatch(slots[-1])
            if not queue:  # idle workers are done: let them go now
                for slot in slots:
                    if not slot.dead and slot.job is None:
                        _release(slot)
    finally:
        previous = _ignore_signals()
        try:
            _stop(slots, run_dir)
        finally:
            for fd in lifeline or ():
                os.close(fd)
            _restore_signals(previous)
            bar.close()


def _release(slot: _Slot) -> None:
    """Tell an idle worker to finish (it stops its kernel and exits)."""
    try:
        slot.conn.send(None)
    except (BrokenPipeError, OSError):
        slot.process.terminate()
    slot.dead = True  # no longer waited on; joined in _stop


def _stop(slots: list[_Slot], run_dir: Path) -> None:
    """Stop every worker: idle ones are told to finish, busy ones get SIGTERM (they stop their
    kernel and exit); any left after :data:`STOP_GRACE` seconds are killed, then their kernels."""
    for slot in slots:
        if slot.dead or not slot.process.is_alive():
            continue
        if slot.job is None:
            _release(slot)
        else:
            slot.process.terminate()
    for slot in slots:
        slot.process.join(STOP_GRACE)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()
        slot.conn.close()
    kill_kernels(run_dir)


def _ignore_signals():
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    return {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore_signals(previous) -> None:
    for sig, handler in (previous or {}).items():
        signal.signal(sig, handler)
