"""A report worker process: runs the jobs it is sent on its warm kernel, exports their HTML.

The worker keeps one :class:`~coopanalysis.report.kernel.WarmKernel`, replaced after any failure.
Notebooks and HTML are written atomically (temporary file, then ``os.replace``) with stable cell
ids, so two runs of the same input give the same files; papermill itself writes nothing. A
notebook that failed keeps its executed notebook (with the error) for debugging.
SIGTERM stops the kernel and removes the worker's folder; Ctrl-C is the parent's business.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import time
from pathlib import Path

from coopanalysis import paths
from coopanalysis.io.safeio import atomic_write_text
from coopanalysis.report.export import make_exporter
from coopanalysis.report.jobs import Job, Outcome
from coopanalysis.report.kernel import (
    CELL_TIMEOUT,
    ENGINE_NAME,
    EXECUTING,
    START_TIMEOUT,
    WarmKernel,
    kill_kernels,
    papermill_engine,
)
from coopanalysis.report.notebook import cell_source_index, find_summary, one_line, set_cell_ids

__all__ = ["Worker", "run_job", "worker_init", "worker_main"]


class Worker:
    """Per-process state: a warm kernel, an HTML exporter."""

    def __init__(self, folder: str | Path) -> None:
        self.kernel = WarmKernel(folder)
        self.exporter = None

    def close(self) -> None:
        """Stop the kernel and remove the worker's folder (at worker exit)."""
        import shutil

        self.kernel.stop()
        shutil.rmtree(self.kernel.folder, ignore_errors=True)

    def export_html(self, nb, path: Path, title: str) -> None:
        if self.exporter is None:
            self.exporter = _exporter()
        body, _ = self.exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        atomic_write_text(path, body)

    def run(self, job: Job, out_dir: Path, html: bool = True) -> Outcome:
        ipynb = out_dir / f"{job.name}.ipynb"
        target = out_dir / f"{job.name}.html"
        for stale in (target, ipynb):  # never leave a report or notebook of an earlier run
            stale.unlink(missing_ok=True)
        start = time.perf_counter()
        for attempt in (1, 2):
            outcome = Outcome(name=job.name, notebook=str(job.notebook), ipynb=str(ipynb), title=job.title,
                              attempts=attempt)
            nb = self.execute(job, ipynb, outcome)
            # A kernel that dies before running any cell is an accident of the machine, not of
            # the notebook: try once more on a new kernel. Errors in cells are never retried.
            if outcome.ok or outcome.cell_index is not None or outcome.exec_count is not None or attempt == 2:
                break
            logging.getLogger(__name__).warning("%s: %s: %s; retrying on a new kernel",
                                                job.name, outcome.ename, outcome.evalue)
        if nb is not None and outcome.ok:
            outcome.summary = find_summary(nb)
            if html:
                try:
                    self.export_html(nb, target, job.title or job.name)
                    outcome.html = str(target)
                except Exception as exc:  # nbconvert failure: the notebook ran, its HTML did not
                    outcome.ok = False
                    outcome.ename, outcome.evalue = "HTMLExportError", one_line(f"{type(exc).__name__}: {exc}")
        outcome.seconds = time.perf_counter() - start
        return outcome

    def execute(self, job: Job, ipynb: Path, outcome: Outcome):
        """Run *job* once on the warm kernel; write the executed notebook (atomically, stable cell
        ids); fill *outcome* on failure; return the notebook when it ran without error."""
        import papermill as pm
        from papermill.exceptions import PapermillExecutionError

        EXECUTING.update(nb=None, cell=None)
        try:
            self.kernel.ready()
            nb = pm.execute_notebook(
                str(job.notebook), None,  # papermill writes nothing: we write the result atomically
                parameters=dict(job.parameters), engine_name=ENGINE_NAME, kernel_name=paths.KERNEL_NAME,
                km=self.kernel.km, progress_bar=False, request_save_on_cell_execute=False, log_output=False,
                start_timeout=START_TIMEOUT, execution_timeout=CELL_TIMEOUT,
            )
            _write_notebook(nb, ipynb, job.name)
            return nb
        except PapermillExecutionError as exc:  # the notebook holds the error and papermill's markers
            outcome.ok = False
            executed = EXECUTING["nb"]
            outcome.cell_index = cell_source_index(executed, exc.cell_index)
            outcome.exec_count = exc.exec_count
            outcome.ename, outcome.evalue = exc.ename, one_line(exc.evalue)
        except Exception as exc:  # kernel died, cell timeout, unreadable notebook, ...
            outcome.ok = False
            detail = self.kernel.exit_description() if self.kernel.km is not None else ""
            outcome.ename = type(exc).__name__
            outcome.evalue = one_line(f"{exc} ({detail})" if detail else str(exc))
            running = EXECUTING["cell"]
            outcome.cell_index = None if running is None else cell_source_index(
                EXECUTING["nb"], running, error_output=False)
            executed = EXECUTING["nb"]
        if executed is not None:
            _write_notebook(executed, ipynb, job.name)
        self.kernel.stop()  # after any failure the next notebook gets a new kernel
        return None


def _exporter():
    """The HTML exporter; its page date is ``SOURCE_DATE_EPOCH`` when set (reproducible builds:
    then two runs of the same input give byte-identical HTML), else the time of the export."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        from datetime import UTC, datetime

        return make_exporter(generated=datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None))
    return make_exporter()


def _write_notebook(nb, path: Path, name: str) -> None:
    import nbformat

    set_cell_ids(nb, name)
    atomic_write_text(path, nbformat.writes(nb))


_WORKER: Worker | None = None


def worker_init(folder: str | Path | None = None) -> Worker:
    """Set up this process as a worker: start the kernel first (it boots while papermill is
    imported). *folder* holds its kernels' files (a private temporary folder when ``None``)."""
    global _WORKER
    import tempfile

    # jsonschema (via nbformat) imports the optional rfc3987_syntax at import time, which builds
    # a grammar and costs ~1.5 s per process; it only serves "iri" formats, which no notebook
    # schema uses. Workers are our own processes, so leave it out there.
    sys.modules.setdefault("rfc3987_syntax", None)
    _quiet_logs()
    if folder is None:
        folder = tempfile.mkdtemp(prefix="coopanalysis-kernel-")
    _WORKER = Worker(folder)
    try:
        _WORKER.kernel.start()
    except Exception:  # reported by the first job instead
        _WORKER.kernel.km = _WORKER.kernel.kc = None
    import nbconvert  # noqa: F401  (warm imports while the kernel boots)
    import papermill  # noqa: F401
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, papermill_engine())
    try:
        _WORKER.exporter = _exporter()
    except Exception:  # reported by each HTML export instead (HTMLExportError)
        _WORKER.exporter = None
    return _WORKER


def _quiet_logs() -> None:
    for name in ("papermill", "traitlets", "nbclient", "nbconvert"):
        logging.getLogger(name).setLevel(logging.ERROR)


def run_job(job: Job, out_dir: str | Path, html: bool = True) -> Outcome:
    """Execute one notebook in this process (a worker, or the caller's own process)."""
    if _WORKER is None:  # called outside a worker
        import atexit

        atexit.register(worker_init().close)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return _WORKER.run(job, out_dir, html)


def _terminate(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # clean up once, undisturbed
    raise SystemExit(128 + signum)


def watch_parent(lifeline: tuple[int, int], folder: str | Path) -> None:
    """Die with the parent: close this process's copy of the lifeline's write end and, in a daemon
    thread, wait for end of file on its read end (every write end closed: the parent is gone,
    even by ``kill -9``); then kill this worker's kernels, remove its folder and exit at once."""
    import threading

    read_end, write_end = lifeline
    os.close(write_end)

    def wait_for_parent() -> None:
        try:
            while os.read(read_end, 1):
                pass
        except OSError:
            pass
        try:
            kill_kernels(Path(folder))
            shutil.rmtree(folder, ignore_errors=True)
            os.rmdir(Path(folder).parent)  # the run's temporary folder, once every worker's is gone
        except OSError:
            pass
        os.kill(os.getpid(), signal.SIGKILL)  # from a thread: the whole process, at once

    threading.Thread(target=wait_for_parent, name="coopanalysis-parent-watchdog", daemon=True).start()


def worker_main(conn, folder: str, lifeline: tuple[int, int] | None = None) -> None:
    """A worker process: receive ``(job, out_dir, html)`` on *conn*, send back an Outcome; stop at
    ``None`` or end of file. SIGTERM stops its kernel and removes its folder; the parent handles
    Ctrl-C. With *lifeline* (the read and write ends of the parent's pipe) it dies with the
    parent (:func:`watch_parent`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate)
    if lifeline is not None:
        watch_parent(lifeline, folder)
    worker = worker_init(folder)
    try:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            if message is None:
                break
            job, out_dir, html = message
            conn.send(run_job(job, out_dir, html))
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        worker.close()
