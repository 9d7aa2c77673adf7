"""The worker side of a report run: a warm kernel per worker process, and papermill on it.

Each worker imports papermill and nbconvert once and keeps **one warm kernel** (``coopanalysis``)
that it reuses for the notebooks it is given: starting a kernel and importing pandas/matplotlib/
the package costs far more than running one of these notebooks. Before every notebook the
kernel's user namespace is wiped (``%reset -f``), figures are closed, matplotlib settings
restored and the execution counter set back to 1, so a notebook sees a fresh session apart from
already-imported modules. After a failure (or every :data:`NOTEBOOKS_PER_KERNEL` notebooks) the
kernel is replaced by a new one.

**Is a kernel ready, or dead?** Asked of the kernel *process* (``KernelManager.is_alive``), never
of the heartbeat. jupyter_client's ``wait_for_ready`` on a client that no manager owns judges
"alive" by the heartbeat, which declares a kernel dead when one ping is not answered within 1 s;
a kernel that is still booting (over 1 s on a loaded machine) was then reported as "Kernel died
before replying to kernel_info" while its process was fine. That happened only to *replacement*
kernels (after a failure, the next notebook waited on a kernel started a moment before, while a
worker's first kernel boots during the worker's own imports), and the retry on yet another fresh
kernel failed the same way. See :meth:`WarmKernel.wait_ready` and
``benchmarks/stress_isolation.py``.

Every file of a kernel (connection file, ipc sockets, a pid file) lives in the worker's private
folder, which the parent removes at the end of the run, whatever happened to the worker.
Notebooks and HTML are written atomically (temporary file, then ``os.replace``) with
deterministic cell ids, so two runs of the same input give the same HTML byte for byte.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from pathlib import Path
from queue import Empty

from .. import paths
from ..safeio import atomic_write_text
from .export import make_exporter
from .jobs import Job, Outcome
from .notebook import cell_source_index, find_summary, one_line, set_cell_ids

__all__ = [
    "ENGINE_NAME", "KERNEL_WARMUP", "KERNEL_RESET", "NOTEBOOKS_PER_KERNEL", "CELL_TIMEOUT", "START_TIMEOUT",
    "WarmKernel", "Worker", "run_job", "worker_init", "worker_main",
]

#: A kernel is replaced after this many notebooks (bounds any slow growth of its memory).
NOTEBOOKS_PER_KERNEL = 25
#: Seconds a single cell may run before the notebook is failed.
CELL_TIMEOUT = 600
#: Seconds to wait for a kernel to start (a bound for a kernel that never answers, not a
#: tuning knob: a dead kernel is noticed from its process at once).
START_TIMEOUT = 60
ENGINE_NAME = "coopanalysis_warm"

#: Run by each warm kernel as soon as it starts, while its worker imports papermill and
#: nbconvert: the imports the notebooks make.
KERNEL_WARMUP = """\
import matplotlib
import matplotlib.pyplot
matplotlib.pyplot.switch_backend(matplotlib.get_backend())  # load (activate) the inline backend now
import pandas
from coopanalysis import analysis, charts, checks, report, style
"""

#: Run (silently) in the kernel before each notebook: a fresh namespace in a warm process
#: (user variables, figures, matplotlib settings, pandas options, the execution counter).
#: Modules stay imported: that is the point.
KERNEL_RESET = """\
import sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    import matplotlib as _mpl, matplotlib.pyplot as _plt
    _plt.close("all")
    _state = _sys.modules.get("_coopanalysis_kernel_state")
    if _state is None:  # first reset: the state of a fresh kernel (backend already active)
        _state = type(_sys)("_coopanalysis_kernel_state")
        _state.rc = {k: v for k, v in _mpl.rcParams.items() if k not in ("backend", "interactive")}
        _sys.modules["_coopanalysis_kernel_state"] = _state
    else:
        _mpl.rcParams.update(_state.rc)
if "pandas" in _sys.modules:
    import warnings as _warnings
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        _sys.modules["pandas"].reset_option("all")
get_ipython().run_line_magic("reset", "-f")
get_ipython().execution_count = 1
"""

#: What the engine saw of the notebook it was running when it failed (one per worker process).
_EXECUTING: dict = {"nb": None, "cell": None}


class KernelNotReady(RuntimeError):
    """The kernel process exited, or never answered, before it was ready."""


def _papermill_engine():
    """A papermill engine that runs a notebook on a kernel the caller started (``km=``), and
    closes its client channels afterwards (papermill's own leaves them open when it does not own
    the kernel)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, km=None,
                                     **kwargs):
            for key in ("input_path", "timeout", "startup_timeout"):
                kwargs.pop(key, None)
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file, **kwargs,
            )
            _EXECUTING["nb"] = nb_man.nb
            try:
                return client.execute()
            except Exception:  # kernel died, cell timeout: keep what ran, name the cell
                # the last cell papermill started (its status is no longer "pending")
                started = [i for i, c in enumerate(nb_man.nb.cells)
                           if c.get("metadata", {}).get("papermill", {}).get("status", "pending") != "pending"]
                _EXECUTING["cell"] = started[-1] if started else None
                raise
            finally:
                if km is not None and client.kc is not None:
                    client.kc.stop_channels()
                    client.kc = None

    return WarmKernelEngine


class WarmKernel:
    """One kernel at a time, started in *folder* (connection file, ipc sockets, pid file)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.km = None
        self.kc = None  # control client (warm-up, reset)
        self.used = 0
        self.starts = 0

    def start(self) -> None:
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.folder.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        stem = str(self.folder / f"k{self.starts}")
        # Local (ipc) sockets in a private folder: TCP ports picked at random collide with
        # ephemeral ports under load ("Address already in use"), and ipc needs no encryption.
        km = AsyncKernelManager(kernel_name=paths.KERNEL_NAME, transport="ipc", ip=stem,
                                connection_file=stem + ".json")
        # no cwd argument: the kernel runs where the runner runs (notebooks use coopanalysis.paths)
        # history in memory, as nbclient does for the kernels it starts (no shared sqlite file)
        run_sync(km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"])
        pid = getattr(km.provisioner, "pid", None)
        if pid:  # for the parent, should this worker die without stopping its kernel
            atomic_write_text(stem + ".pid", f"{pid}\n{stem}.json\n")
        # The control client has its own session (its own zmq identity: the kernel's ROUTER
        # sockets route by identity, and papermill's per-notebook clients share the manager's)
        # and its own zmq context. No heartbeat channel: liveness is the process (see wait_ready).
        kc = BlockingKernelClient()
        kc.load_connection_info(km.get_connection_info(session=False))
        kc.start_channels(hb=False)
        self.km, self.kc, self.used = km, kc, 0
        kc.execute(KERNEL_WARMUP, silent=True, store_history=False)  # don't wait: overlaps imports

    def is_alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def exit_description(self) -> str:
        """How the kernel process ended (``killed by SIGKILL``, ``exited with status 1``) or ``""``."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        code = getattr(process, "returncode", None) if process is not None else None
        if code is None and process is not None:
            code = process.poll()
        if code is None:
            return ""
        if code < 0:
            try:
                return f"the kernel process was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"the kernel process was killed by signal {-code}"
        return f"the kernel process exited with status {code}"

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Return once the kernel answers on its shell channel *and* its iopub messages reach us.

        Liveness is asked of the process, every second; a kernel that is merely slow to boot is
        waited for (up to *timeout*), a kernel whose process exited is reported at once.
        The iopub check matters: a subscription that joins late misses messages, and the reset
        that follows waits for its own "idle" status on iopub.
        """
        deadline = time.monotonic() + timeout
        asked: set[str] = set()
        replied = published = False
        while True:
            asked.add(self.kc.kernel_info())
            step = time.monotonic() + 1.0
            while time.monotonic() < step:
                for get, channel in ((self.kc.get_shell_msg, "shell"), (self.kc.get_iopub_msg, "iopub")):
                    try:
                        msg = get(timeout=0.05)
                    except Empty:
                        continue
                    if msg.get("parent_header", {}).get("msg_id") not in asked:
                        continue
                    if channel == "shell" and msg["msg_type"] == "kernel_info_reply":
                        replied = True
                    elif channel == "iopub":
                        published = True
                if replied and published:
                    return
            if not self.is_alive():
                raise KernelNotReady(f"kernel stopped before it was ready ({self.exit_description()})")
            if time.monotonic() > deadline:
                raise KernelNotReady(f"kernel did not answer within {timeout:.0f} s")

    def ready(self) -> None:
        """A live kernel with a fresh namespace, started or replaced as needed."""
        if self.km is not None and (self.used >= NOTEBOOKS_PER_KERNEL or not self.is_alive()):
            self.stop()
        for attempt in (1, 2):
            if self.km is None:
                self.start()
            if self.used == 0:  # once per kernel; later its iopub subscription is known to be live
                self.wait_ready()
            reply = self.kc.execute_interactive(
                KERNEL_RESET, silent=True, store_history=False, timeout=START_TIMEOUT, output_hook=lambda msg: None
            )
            if reply["content"].get("status") == "ok" or attempt == 2:
                break
            logging.getLogger(__name__).warning(  # pragma: no cover - defensive
                "kernel reset failed (%s: %s); starting a new kernel",
                reply["content"].get("ename"), reply["content"].get("evalue"),
            )
            self.stop()
        self.used += 1

    def stop(self) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # pragma: no cover - best effort
                pass
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)  # removes its connection file and sockets
            except Exception:  # pragma: no cover - best effort
                pass
            Path(str(self.km.connection_file)[: -len(".json")] + ".pid").unlink(missing_ok=True)
        self.km = self.kc = None


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
        target.unlink(missing_ok=True)  # never leave a stale report from an earlier run
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

        _EXECUTING.update(nb=None, cell=None)
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
            executed = _EXECUTING["nb"]
            outcome.cell_index = cell_source_index(executed, exc.cell_index)
            outcome.exec_count = exc.exec_count
            outcome.ename, outcome.evalue = exc.ename, one_line(exc.evalue)
        except Exception as exc:  # kernel died, cell timeout, unreadable notebook, ...
            outcome.ok = False
            detail = self.kernel.exit_description() if self.kernel.km is not None else ""
            outcome.ename = type(exc).__name__
            outcome.evalue = one_line(f"{exc} ({detail})" if detail else str(exc))
            running = _EXECUTING["cell"]
            outcome.cell_index = None if running is None else cell_source_index(
                _EXECUTING["nb"], running, error_output=False)
            executed = _EXECUTING["nb"]
        if executed is not None:
            _write_notebook(executed, ipynb, job.name)
        self.kernel.stop()  # after any failure the next notebook gets a new kernel
        return None


def _exporter():
    """The HTML exporter; its page date is ``SOURCE_DATE_EPOCH`` when set (reproducible builds:
    then two runs of the same input give byte-identical HTML), else the time of the export."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        from datetime import datetime, timezone

        return make_exporter(generated=datetime.fromtimestamp(int(epoch), timezone.utc).replace(tzinfo=None))
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

    papermill_engines.register(ENGINE_NAME, _papermill_engine())
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


def worker_main(conn, folder: str) -> None:
    """A worker process: receive ``(job, out_dir, html)`` on *conn*, send back an Outcome; stop at
    ``None`` or end of file. SIGTERM stops its kernel and removes its folder; the parent handles
    Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate)
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
