"""Faults during a report run (issue 13, items 6, 7 and 8): killed kernels and workers, signals,
two runs into one folder, --jobs beyond the machine, bad --params and SOURCE, reproducible HTML.

The notebooks here are small throwaway ones (a kernel start costs seconds; nothing else does).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from coopanalysis import paths
from coopanalysis.cli import main
from coopanalysis.report import runner


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return paths.KERNEL_NAME in KernelSpecManager().find_kernel_specs()


needs_kernel = pytest.mark.skipif(not _kernel_available(), reason="Jupyter kernel 'coopanalysis' not installed")


def notebook(path: Path, *cells: str) -> Path:
    """A notebook with a tagged parameters cell (``source``, ``marker``) then *cells* (code; a
    cell starting with ``#md`` is Markdown)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": paths.KERNEL_NAME, "display_name": "x", "language": "python"}
    params = nbformat.v4.new_code_cell('source = ""\nmarker = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# throwaway"), params]
    for text in cells:
        if text.startswith("#md"):
            nb.cells.append(nbformat.v4.new_markdown_cell(text[3:].strip()))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(text))
    nbformat.write(nb, path)
    return path


def leftovers(folder: Path) -> list[str]:
    """Temporary files of atomic writes (``.NAME.XXXX.tmp``) left in *folder*."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or ".tmp" in p.name)


def processes_naming(text: str) -> list[int]:
    """Live (non-zombie) processes whose command line contains *text*."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if text.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """tempfile's folder for this test only: the runner's kernel folders go there."""
    folder = tmp_path / "t"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# ---- no kernel needed -------------------------------------------------------------------------


def test_missing_params_folder_is_exit_2_naming_it(tmp_path, capsys):
    missing = tmp_path / "no-such-params"
    assert main(["report", "--params", str(missing), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(missing) in err and "does not exist" in err
    assert not (tmp_path / "out").exists()  # nothing was started


def test_params_that_is_a_file_is_exit_2(tmp_path, capsys):
    a_file = tmp_path / "params.yaml"
    a_file.write_text("strategy_id: '5'\n", encoding="utf-8")
    assert main(["report", "--params", str(a_file), "--out", str(tmp_path / "out")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_garbage_source_leaves_no_out_folder(tmp_path, capsys):
    garbage = tmp_path / "notes.txt"
    garbage.write_text("shopping list\nmilk\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(garbage), "--out", str(out)]) == 2
    assert "notes.txt" in capsys.readouterr().err
    assert not out.exists()  # neither OUT/plan nor OUT


def test_garbage_source_leaves_an_existing_out_as_it_was(tmp_path, capsys):
    garbage = tmp_path / "notes.txt"
    garbage.write_text("shopping list\nmilk\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "analyst-notes.md").write_text("mine\n", encoding="utf-8")
    assert main(["report", str(garbage), "--out", str(out)]) == 2
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir() if p.name != runner.LOCK_NAME) == ["analyst-notes.md"]
    assert (out / "analyst-notes.md").read_text(encoding="utf-8") == "mine\n"


def test_second_run_into_the_same_folder_refuses(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("first run's index\n", encoding="utf-8")
    with runner.out_lock(out):  # the first run, still going
        status = main(["report", str(paths.PLAN_DIR), "--strategy", "5", "--out", str(out)])
        err = capsys.readouterr().err.strip()
    assert status == 2
    assert err.count("\n") == 0 and "another coopanalysis report is writing" in err and str(out) in err
    assert (out / "index.html").read_text(encoding="utf-8") == "first run's index\n"
    assert sorted(p.name for p in out.iterdir()) == sorted(["index.html", runner.LOCK_NAME])
    with runner.out_lock(out):  # released by the refused run's exit: can be taken again
        pass


def test_lock_is_released_after_a_run(tmp_path):
    with runner.out_lock(tmp_path):
        with pytest.raises(runner.ReportBusyError):
            with runner.out_lock(tmp_path):
                pass
    with runner.out_lock(tmp_path):
        pass


@pytest.mark.slow
@needs_kernel  # check_kernel runs before the pool
def test_jobs_beyond_the_machine_are_capped_with_a_note(tmp_path, monkeypatch, capsys):
    seen = {}

    def fake_pool(jobs, out_dir, n_workers, html, run_dir, outcomes, progress=True):
        seen["workers"] = n_workers
        for job in jobs:
            outcomes[job.name] = runner.Outcome(name=job.name, notebook=str(job.notebook),
                                                ipynb=str(out_dir / f"{job.name}.ipynb"))

    monkeypatch.setattr(runner, "run_pool", fake_pool)
    status = main(["report", str(paths.PLAN_DIR), "--strategy", "5", "--jobs", "1000", "--out", str(tmp_path)])
    assert status == 0
    err = capsys.readouterr().err
    cpus = len(os.sched_getaffinity(0))
    note = re.search(r"coopanalysis: note: --jobs 1000 capped to (\d+) \((\d+) CPUs; (\d+) MiB available "
                     r"at 400 MiB a worker; 4 notebooks\)", err)
    assert note, err
    assert int(note.group(2)) == cpus
    assert seen["workers"] == int(note.group(1)) == min(cpus, 4, max(1, int(note.group(3)) // 400))


@pytest.mark.slow
@needs_kernel
def test_jobs_within_the_machine_give_no_note(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runner, "run_pool", lambda jobs, out_dir, n, *a, **k: None)
    main(["report", str(paths.PLAN_DIR), "--strategy", "5", "--jobs", "1", "--out", str(tmp_path)])
    assert "capped" not in capsys.readouterr().err


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_run_exits_128_plus_signal_with_a_message(tmp_path, monkeypatch, capsys, signum, status):
    cut = runner.Outcome(name="strategy_5", notebook="/nb/node_report.ipynb",
                         ipynb=str(tmp_path / "strategy_5.ipynb"), ok=False, ename="Interrupted",
                         evalue="the run was interrupted before this notebook finished")
    fake = runner.RunResult([cut], tmp_path, tmp_path / "index.html", 0.1, interrupted=signum)
    monkeypatch.setattr(runner, "run_report", lambda **kwargs: fake)
    assert main(["report", "--out", str(tmp_path)]) == status
    err = capsys.readouterr().err.strip()
    assert err == f"coopanalysis: interrupted by {signal.Signals(signum).name}: 0/1 notebooks finished; " \
                  f"index: {tmp_path / 'index.html'}"


# ---- with kernels -------------------------------------------------------------------------------


@pytest.mark.slow
@needs_kernel
def test_killed_kernel_and_killed_worker_fail_only_their_notebook(tmp_path, private_tmp):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    # the kernel's parent process is its worker: this kills the worker running the notebook
    kill_worker = notebook(nbs / "kill_worker.ipynb", "x = 1", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    kill_kernel = notebook(nbs / "kill_kernel.ipynb", "x = 1", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    fine = [notebook(nbs / f"fine{i}.ipynb", f"#md ## part {i}", f"z = {i}\nprint(z)") for i in range(3)]
    jobs = [runner.Job("kill_worker", kill_worker, {"source": ""}, "kill worker"),
            runner.Job("kill_kernel", kill_kernel, {"source": ""}, "kill kernel")]
    jobs += [runner.Job(f"fine{i}", nb, {"source": ""}, f"fine {i}") for i, nb in enumerate(fine)]
    out = tmp_path / "out"
    result = runner.run_jobs(jobs, out, n_jobs=2, progress=False)

    assert result.exit_status == 1
    failed = {o.name: o for o in result.failures}
    assert sorted(failed) == ["kill_kernel", "kill_worker"]
    worker_line = failed["kill_worker"].failure_line()
    assert worker_line == ("kill_worker.ipynb (kill_worker): before or outside any cell: WorkerDied: the worker "
                           "process running it was killed by SIGKILL; no executed notebook")
    kernel = failed["kill_kernel"]
    assert kernel.ename == "DeadKernelError" and kernel.cell_index == 3  # 0-based, in the input notebook
    assert "killed by SIGKILL" in kernel.evalue
    assert "\n" not in kernel.failure_line()
    for i in range(3):  # the others finished, HTML and all
        assert (out / f"fine{i}.html").is_file() and (out / f"fine{i}.ipynb").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")  # says which failed, links the others
    assert "WorkerDied" in index and "DeadKernelError" in index and "killed by SIGKILL" in index
    for i in range(3):
        assert f'href="fine{i}.html"' in index
    assert 'href="kill_worker.html"' not in index and 'href="kill_kernel.html"' not in index
    # nothing half-written, no kernel files, no kernel processes left
    assert leftovers(out) == []
    assert not (out / "kill_worker.html").exists() and not (out / "kill_kernel.html").exists()
    assert list(private_tmp.iterdir()) == []
    assert processes_naming(str(private_tmp)) == []


@pytest.mark.slow
@needs_kernel
def test_report_html_is_reproducible(tmp_path, private_tmp, monkeypatch):
    """The same notebook run twice gives byte-identical HTML, and notebooks with stable cell ids.

    SOURCE_DATE_EPOCH fixes the page's date: the report footer shows the time of the export
    (coopanalysis.report.export), and the embedded font subset follows the page's characters."""
    nb = notebook(
        tmp_path / "same.ipynb",
        "#md ## ตาราง สวัสดี (table)",
        "import pandas as pd\npd.DataFrame({'ปี': [2560, 2561], 'งบ': [1.5, 2.25]})",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1))\nax.bar([1, 2], [3, 4])\nplt.show()",
    )
    out = tmp_path / "out"
    notes: list[str] = []
    runs = []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for _ in range(2):
        result = runner.run_jobs([runner.Job("same", nb, {"source": ""}, "same")], out, n_jobs=1000,
                                 progress=False, write_index=False, note=notes.append)
        assert result.exit_status == 0, result.failure_lines()
        runs.append(((out / "same.html").read_bytes(), (out / "same.ipynb").read_text(encoding="utf-8")))
    page = runs[0][0]
    assert b"<img" in page and "สวัสดี".encode() in page
    assert runs[0][0] == runs[1][0]
    ids = [c["id"] for c in json.loads(runs[0][1])["cells"]]
    assert ids == [f"same-{i}" for i in range(len(ids))]
    # --jobs 1000 for one notebook: capped, and said so
    assert len(notes) == 2 and notes[0].startswith("--jobs 1000 capped to 1 (") and notes[0].endswith("1 notebooks)")
    assert leftovers(out) == [] and list(private_tmp.iterdir()) == []


INTERRUPT_SCRIPT = """
import sys
from pathlib import Path
from coopanalysis.report import runner
sleeper, marker, out = sys.argv[1:4]
jobs = [runner.Job("sleeper", Path(sleeper), {"source": "", "marker": marker}, "sleeper")]
result = runner.run_jobs(jobs, out, n_jobs=1, progress=False)
print(result.failure_lines()[0] if result.failures else "no failure")
sys.exit(result.exit_status)
"""


def _default_signals() -> None:
    """In the child, before exec: SIGINT and SIGTERM as a shell would give them to a new command.

    A signal ignored by pytest's parent (``trap '' INT``, a background job, nohup) stays
    ignored across exec, and Python then never raises KeyboardInterrupt: the run would not see
    the SIGINT this test sends. Its own session too, so the whole group can be killed."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _kill_all(proc: subprocess.Popen, folder: Path) -> None:
    """Whatever the test started and left behind: the runner's process group (runner, workers),
    then the kernels (each in a session of its own) whose files are in *folder*."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait(timeout=30)
    for pid in processes_naming(str(folder)):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.slow
@needs_kernel
@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupt_stops_kernels_and_writes_a_complete_index(tmp_path, signum, status):
    tmp = tmp_path / "t"
    tmp.mkdir()
    sleeper = notebook(tmp_path / "sleeper.ipynb",
                       "import pathlib, time\npathlib.Path(marker).write_text('running')\ntime.sleep(120)")
    marker, out = tmp_path / "running", tmp_path / "out"
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([sys.executable, "-c", INTERRUPT_SCRIPT, str(sleeper), str(marker), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=_default_signals, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the notebook never started"
            time.sleep(0.2)
        assert processes_naming(str(tmp))  # the kernel is running, its files are in TMPDIR
        started = time.monotonic()
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == status, stderr
        assert time.monotonic() - started < 30  # the sleeping cell was not waited for
        name = signal.Signals(signum).name
        assert stdout.strip() == (f"sleeper.ipynb (sleeper): before or outside any cell: Interrupted: the run was "
                                  f"interrupted by {name} before this notebook finished; no executed notebook")
        assert "Traceback" not in stderr
        index = (out / "index.html").read_text(encoding="utf-8")
        assert index.rstrip().endswith("</html>") and "Interrupted" in index
        assert leftovers(out) == [] and not (out / "sleeper.html").exists()
        assert list(tmp.iterdir()) == []
        assert processes_naming(str(tmp)) == []
    finally:
        _kill_all(proc, tmp)  # never an orphaned runner or kernel, whatever failed above


@pytest.mark.slow
@needs_kernel
def test_slow_replacement_kernel_is_waited_for_not_declared_dead(tmp_path, private_tmp, monkeypatch):
    """Issue 13 item 5, made deterministic: every kernel takes 1.5 s longer to start (as on a loaded
    machine). After the failing notebook the worker's replacement kernel is still booting when the
    next notebook wants it; it used to be declared dead by a heartbeat timeout (1 s) although its
    process was alive, and the next notebook failed ("Kernel died before replying to kernel_info")."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(paths.KERNEL_NAME).to_dict()
    spec["argv"] = ["/bin/sh", "-c", 'sleep 1.5; exec "$@"', "sh", *spec["argv"]]
    folder = tmp_path / "jupyter" / "kernels" / paths.KERNEL_NAME
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    assert KernelSpecManager().get_kernel_spec(paths.KERNEL_NAME).argv[0] == "/bin/sh"

    broken = notebook(tmp_path / "broken.ipynb", "x = 1", "1 / 0")
    fine = notebook(tmp_path / "fine.ipynb", "x = 1", "y = 2")
    jobs = [runner.Job("broken", broken, {"source": ""}), runner.Job("fine", fine, {"source": ""})]
    result = runner.run_jobs(jobs, tmp_path / "out", n_jobs=1, html=False, progress=False, write_index=False)
    assert [o.name for o in result.failures] == ["broken"], result.failure_lines()
    assert result.failures[0].ename == "ZeroDivisionError"
    fine_outcome = result.outcomes[1]
    assert fine_outcome.ok and fine_outcome.attempts == 1  # no retry on yet another kernel
