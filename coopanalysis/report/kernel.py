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
folder, which the parent removes at the end of the run, whatever happened to the worker. The
worker process itself (jobs, HTML, signals) is :mod:`coopanalysis.report.worker`.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path
from queue import Empty

from coopanalysis import paths
from coopanalysis.io.safeio import atomic_write_text

__all__ = [
    "ENGINE_NAME", "KERNEL_WARMUP", "KERNEL_RESET", "NOTEBOOKS_PER_KERNEL", "CELL_TIMEOUT", "START_TIMEOUT",
    "EXECUTING", "KernelNotReady", "WarmKernel", "kill_kernels", "papermill_engine",
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

#: The notebook the engine is running (``nb``) and, after a failure, the index of the cell it had
#: started last (``cell``), in the executed notebook; one per worker process.
EXECUTING: dict = {"nb": None, "cell": None}


class KernelNotReady(RuntimeError):
    """The kernel process exited, or never answered, before it was ready."""


def papermill_engine():
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
            EXECUTING["nb"] = nb_man.nb
            try:
                return client.execute()
            except Exception:  # kernel died, cell timeout: keep what ran, name the cell
                # the last cell papermill started (its status is no longer "pending")
                started = [i for i, c in enumerate(nb_man.nb.cells)
                           if c.get("metadata", {}).get("papermill", {}).get("status", "pending") != "pending"]
                EXECUTING["cell"] = started[-1] if started else None
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


def kill_kernels(folder: Path) -> None:
    """Kill the kernels whose pid files are under *folder* (a worker that died left them).

    A pid is killed only when that process's command line still names the kernel's connection
    file (so a reused pid is never hit); its whole process group goes (the kernel leads a session
    of its own, with anything it started)."""
    for pid_file in folder.rglob("*.pid"):
        try:
            pid_text, connection = pid_file.read_text(encoding="utf-8").split("\n")[:2]
            pid = int(pid_text)
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if connection.encode() not in handle.read():
                    continue
            os.killpg(pid, signal.SIGKILL)
        except (OSError, ValueError):
            continue
