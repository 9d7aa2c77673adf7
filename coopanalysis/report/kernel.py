"""The worker side of a report run: a warm kernel per worker process, and papermill on it.

Each worker imports papermill and nbconvert once and keeps **one warm kernel** (``coopanalysis``)
that it reuses for the notebooks it is given: starting a kernel and importing pandas/matplotlib/
the package costs far more than running one of these notebooks. Before every notebook the
kernel's user namespace is wiped (``%reset -f``), figures are closed, matplotlib settings
restored and the execution counter set back to 1, so a notebook sees a fresh session apart from
already-imported modules. After a failure (or every :data:`NOTEBOOKS_PER_KERNEL` notebooks) the
kernel is replaced by a new one.

Notebooks are executed in-process by papermill's nbclient engine, with absolute paths and without
changing the working directory. The HTML export (input cells hidden, images embedded as
``data:`` URIs) happens in the worker too. Errors in cells are never retried; a kernel that dies
before running any cell is replaced and the notebook tried once more.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from .. import paths
from .export import make_exporter
from .jobs import Job, Outcome

__all__ = ["ENGINE_NAME", "KERNEL_WARMUP", "KERNEL_RESET", "run_job", "find_summary", "one_line", "worker_init"]

#: A kernel is replaced after this many notebooks (bounds any slow growth of its memory).
NOTEBOOKS_PER_KERNEL = 25
#: Seconds a single cell may run before the notebook is failed.
CELL_TIMEOUT = 600
#: Seconds to wait for a kernel to start.
START_TIMEOUT = 60
ENGINE_NAME = "coopanalysis_warm"

#: Run by each warm kernel as soon as it starts, while its worker imports papermill and
#: nbconvert: the imports the notebooks make (measured: drawing a Thai text here as well, to load
#: the fonts early, made no difference).
KERNEL_WARMUP = """\
import matplotlib
import matplotlib.pyplot
matplotlib.pyplot.switch_backend(matplotlib.get_backend())  # load (activate) the inline backend now
import pandas
from coopanalysis import analysis, charts, checks, report, style
"""

#: Run (silently) in the kernel before each notebook: a fresh namespace in a warm process
#: (user variables, figures, matplotlib settings, pandas options, the execution counter).
#: Modules stay imported: that is the point. A notebook that changes other module-level state
#: would pass it on to the next notebook of the same kernel; ours do not.
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


# ---------------------------------------------------------------------------------------------
# worker side


def _papermill_engine():
    """A papermill engine that runs a notebook on a kernel the caller started (``km=``), and
    closes its client channels afterwards (papermill's own leaves them open when it does not own
    the kernel). Without ``km`` it behaves like papermill's default engine."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            km=None,
            **kwargs,
        ):
            for key in ("input_path", "timeout", "startup_timeout"):
                kwargs.pop(key, None)
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                **kwargs,
            )
            try:
                return client.execute()
            except Exception as exc:  # kernel died, cell timeout: keep what ran, name the cell
                exc._coopanalysis_nb = nb_man.nb
                # the last cell papermill started (its status is no longer "pending")
                started = [i for i, c in enumerate(nb_man.nb.cells)
                           if c.get("metadata", {}).get("papermill", {}).get("status", "pending") != "pending"]
                exc._coopanalysis_cell = started[-1] if started else None
                raise
            finally:
                if km is not None and client.kc is not None:
                    client.kc.stop_channels()
                    client.kc = None

    return WarmKernelEngine


def _blocking_client(km):
    """A synchronous client for *km*'s kernel: the runner's control channel.

    It has its own session (so its own zmq identity: the kernel's ROUTER sockets route by
    identity, and papermill's per-notebook clients share the manager's session) and its own
    zmq context, with no event loop involved.
    """
    from jupyter_client.blocking import BlockingKernelClient

    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info(session=False))
    return kc


class _Worker:
    """Per-process state: a warm kernel, an HTML exporter."""

    def __init__(self) -> None:
        self.km = None
        self.kc = None  # control client (warm-up, reset)
        self.used = 0
        self.exporter = None
        self.ipc_dir: str | None = None
        self.starts = 0

    # kernel ----------------------------------------------------------------------------------
    def start_kernel(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        # Local (ipc) sockets in a private directory: TCP ports picked at random collide with
        # ephemeral ports under load ("Address already in use"), and ipc needs no encryption.
        if self.ipc_dir is None:
            import tempfile

            self.ipc_dir = tempfile.mkdtemp(prefix="coopanalysis-kernel-")
        self.starts += 1
        km = AsyncKernelManager(
            kernel_name=paths.KERNEL_NAME,
            transport="ipc",
            ip=os.path.join(self.ipc_dir, f"k{self.starts}"),
        )
        # no cwd argument: the kernel runs where the runner runs (notebooks use coopanalysis.paths)
        # history in memory, as nbclient does for the kernels it starts (no shared sqlite file)
        run_sync(km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"])
        kc = _blocking_client(km)
        kc.start_channels()
        self.km, self.kc, self.used = km, kc, 0
        kc.execute(KERNEL_WARMUP, silent=True, store_history=False)  # don't wait: overlaps imports

    def stop_kernel(self) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # pragma: no cover - best effort
                pass
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # pragma: no cover - best effort
                pass
        self.km = self.kc = None

    def close(self) -> None:
        """Stop the kernel and remove the socket directory (at worker exit)."""
        self.stop_kernel()
        if self.ipc_dir is not None:
            import shutil

            shutil.rmtree(self.ipc_dir, ignore_errors=True)
            self.ipc_dir = None

    def ready_kernel(self) -> None:
        """A live kernel with a fresh namespace, started or replaced as needed."""
        from jupyter_core.utils import run_sync

        if self.km is not None and (self.used >= NOTEBOOKS_PER_KERNEL or not run_sync(self.km.is_alive)()):
            self.stop_kernel()
        for attempt in (1, 2):
            if self.km is None:
                self.start_kernel()
            if self.used == 0:  # once per kernel; later its iopub subscription is known to be live
                self.kc.wait_for_ready(timeout=START_TIMEOUT)
            reply = self.kc.execute_interactive(
                KERNEL_RESET, silent=True, store_history=False, timeout=START_TIMEOUT, output_hook=lambda msg: None
            )
            if reply["content"].get("status") == "ok" or attempt == 2:
                break
            logging.getLogger(__name__).warning(  # pragma: no cover - defensive
                "kernel reset failed (%s: %s); starting a new kernel",
                reply["content"].get("ename"), reply["content"].get("evalue"),
            )
            self.stop_kernel()
        self.used += 1

    # html ------------------------------------------------------------------------------------
    def export_html(self, nb, path: Path, title: str) -> None:
        if self.exporter is None:
            self.exporter = make_exporter()
        body, _ = self.exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        path.write_text(body, encoding="utf-8")


_WORKER: _Worker | None = None


def worker_init() -> None:
    """Pool initializer: start the kernel first (it boots while papermill is imported)."""
    global _WORKER
    import signal

    # jsonschema (via nbformat) imports the optional rfc3987_syntax at import time, which builds
    # a grammar and costs ~1.5 s per process; it only serves "iri" formats, which no notebook
    # schema uses. Workers are our own processes, so leave it out there.
    sys.modules.setdefault("rfc3987_syntax", None)

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _quiet_logs()
    _WORKER = _Worker()
    try:
        _WORKER.start_kernel()
    except Exception:  # reported by the first job instead
        _WORKER.km = _WORKER.kc = None
    from multiprocessing import util

    util.Finalize(None, _WORKER.close, exitpriority=10)
    import nbconvert  # noqa: F401  (warm imports while the kernel boots)
    import papermill  # noqa: F401
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, _papermill_engine())
    _WORKER.exporter = make_exporter()


def _quiet_logs() -> None:
    for name in ("papermill", "traitlets", "nbclient", "nbconvert"):
        logging.getLogger(name).setLevel(logging.ERROR)


def find_summary(nb) -> dict | None:
    """The report's one-line summary: the last output carrying ``metadata['coopanalysis']['summary']``
    (see :func:`coopanalysis.report.index.show_summary`)."""
    found = None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("coopanalysis")
            if isinstance(meta, dict) and isinstance(meta.get("summary"), dict):
                found = dict(meta["summary"])
    return found


def run_job(job: Job, out_dir: str | Path, html: bool = True) -> Outcome:
    """Execute one notebook (in a pool worker, or in-process when called directly)."""
    global _WORKER
    if _WORKER is None:  # called outside a pool
        _worker_init_in_process()
    worker = _WORKER
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ipynb = out_dir / f"{job.name}.ipynb"
    target = out_dir / f"{job.name}.html"
    target.unlink(missing_ok=True)  # never leave a stale report from an earlier run
    start = time.perf_counter()
    for attempt in (1, 2):
        outcome = Outcome(name=job.name, notebook=str(job.notebook), ipynb=str(ipynb), title=job.title)
        nb = _execute(worker, job, ipynb, outcome)
        # A kernel that dies before running any cell is an accident of the machine, not of the
        # notebook: try once more on a new kernel. Errors in cells are never retried.
        if outcome.ok or outcome.cell_index is not None or outcome.exec_count is not None or attempt == 2:
            break
        logging.getLogger(__name__).warning("%s: %s: %s; retrying on a new kernel", job.name, outcome.ename, outcome.evalue)
    if nb is not None and outcome.ok:
        outcome.summary = find_summary(nb)
        if html:
            try:
                worker.export_html(nb, target, job.title or job.name)
                outcome.html = str(target)
            except Exception as exc:  # pragma: no cover - nbconvert failure
                outcome.ok = False
                outcome.ename, outcome.evalue = "HTMLExportError", one_line(f"{type(exc).__name__}: {exc}")
    outcome.seconds = time.perf_counter() - start
    return outcome


def _execute(worker: _Worker, job: Job, ipynb: Path, outcome: Outcome):
    """Run *job* once on the worker's kernel; fill *outcome* on failure; return the notebook."""
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        worker.ready_kernel()
        return pm.execute_notebook(
            str(job.notebook),
            str(ipynb),
            parameters=dict(job.parameters),
            engine_name=ENGINE_NAME,
            kernel_name=paths.KERNEL_NAME,
            km=worker.km,
            progress_bar=False,
            request_save_on_cell_execute=False,
            log_output=False,
            start_timeout=START_TIMEOUT,
            execution_timeout=CELL_TIMEOUT,
        )
    except PapermillExecutionError as exc:  # papermill already wrote the notebook with the error
        outcome.ok = False
        executed = nbformat.read(str(ipynb), as_version=4) if ipynb.is_file() else None
        outcome.cell_index = _source_index(executed, exc.cell_index)
        outcome.exec_count = exc.exec_count
        outcome.ename, outcome.evalue = exc.ename, one_line(exc.evalue)
    except Exception as exc:  # kernel died, cell timeout, unreadable notebook, ...
        outcome.ok = False
        outcome.ename, outcome.evalue = type(exc).__name__, one_line(str(exc))
        partial = getattr(exc, "_coopanalysis_nb", None)
        running = getattr(exc, "_coopanalysis_cell", None)
        outcome.cell_index = None if running is None else _source_index(partial, running, error_output=False)
        if partial is not None:
            nbformat.write(partial, str(ipynb))
    worker.stop_kernel()  # after any failure the next notebook gets a new kernel
    return None


def _worker_init_in_process() -> None:
    global _WORKER
    _quiet_logs()
    _WORKER = _Worker()
    import atexit

    atexit.register(_WORKER.close)
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, _papermill_engine())


_ADDED_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def _source_index(nb, executed_index: int, error_output: bool = True) -> int:
    """Index (0-based) in the input notebook of a cell of the executed one.

    papermill adds a cell for the injected parameters and, after an error, marker cells; with
    *error_output* the cell is found again as the first one holding an error output.
    """
    if nb is None:
        return executed_index
    kept = 0
    for index, cell in enumerate(nb.cells):
        if _ADDED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if error_output:
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                return kept
        elif index == executed_index:
            return kept
        kept += 1
    return executed_index


def one_line(text: str, limit: int = 300) -> str:
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", str(text))  # ANSI colours from IPython tracebacks
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


