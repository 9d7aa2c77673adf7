"""Faults and hostile input, round 2 (issue 26): the user's own files, CSV and Markdown injection,
strict mappings, regex time, the Fiscal Data Package against the real profile, an unwritable home.

Each test names the numbered case of the issue it pins.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import coopanalysis as ca
from coopanalysis.cli import main
from coopanalysis.errors import InputError
from coopanalysis.ingest import output

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MANIFEST = ".coopanalysis-manifest.json"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def digest(data: bytes) -> dict:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


# --- case 2: a foreign or hand-edited manifest never deletes a file the toolkit did not write ---------

def test_foreign_manifest_does_not_delete_thesis(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"PK\x03\x04 my thesis")
    (out / MANIFEST).write_text(json.dumps({"written_by": "coopanalysis ingest", "files": ["thesis.docx"]}),
                                encoding="utf-8")
    output.replace_files(out, {"items.csv": b"a\n1\n"})
    assert (out / "thesis.docx").read_bytes() == b"PK\x03\x04 my thesis"
    assert "thesis.docx" in capsys.readouterr().err  # said so
    # and a manifest that records a digest the file no longer has is not trusted either
    (out / MANIFEST).write_text(json.dumps({"files": ["thesis.docx", "items.csv"],
                                            "digests": {"thesis.docx": digest(b"old")}}),
                                encoding="utf-8")
    output.replace_files(out, {"items.csv": b"a\n2\n"})
    assert (out / "thesis.docx").read_bytes() == b"PK\x03\x04 my thesis"


def test_stale_file_the_toolkit_wrote_is_removed(tmp_path):
    out = tmp_path / "out"
    output.replace_files(out, {"items.csv": b"a\n1\n", "retired.csv": b"r\n"})
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["digests"]["retired.csv"] == digest(b"r\n")
    output.replace_files(out, {"items.csv": b"a\n2\n"})
    assert not (out / "retired.csv").exists() and (out / "items.csv").read_bytes() == b"a\n2\n"
    # one the user changed after it was written stays
    output.replace_files(out, {"items.csv": b"a\n1\n", "retired.csv": b"r\n"})
    (out / "retired.csv").write_bytes(b"r\nmy edit\n")
    output.replace_files(out, {"items.csv": b"a\n2\n"})
    assert (out / "retired.csv").read_bytes() == b"r\nmy edit\n"


# --- case 1: a user's own file of the same name is never overwritten --------------------------------

def test_ingest_output_refuses_to_overwrite_a_users_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "items.csv").write_bytes(b"mine\n")
    with pytest.raises(InputError, match=r"out/items.csv: exists and was not written by coopanalysis ingest"):
        output.replace_files(out, {"items.csv": b"a\n1\n", "plan.json": b"{}\n"})
    assert (out / "items.csv").read_bytes() == b"mine\n"
    assert sorted(p.name for p in out.iterdir()) == ["items.csv"]
    # a file an earlier run wrote (and the user may have edited) is replaced: it is the toolkit's
    (out / "items.csv").unlink()
    output.replace_files(out, {"items.csv": b"a\n1\n"})
    (out / "items.csv").write_bytes(b"edited\n")
    output.replace_files(out, {"items.csv": b"a\n2\n"})
    assert (out / "items.csv").read_bytes() == b"a\n2\n"


# --- cases 4 and 5: document text never becomes a formula (CSV) or live markup (Markdown) -------------

HOSTILE = "![p](http://host/p.png) [c](javascript:alert(1)) <img src=x onerror=alert(1)> *b* _i_ `c` a|b \\"


def _finding(**kw):
    from coopanalysis.checks.findings import Finding

    base = dict(severity="error", check="strategy_sum", level="strategy", id="5", fiscal_year=2561, stated="10",
                computed="5", difference="-5", message=HOSTILE + "\nline two", message_en="=1+2",
                source_line=12, strategy_id="5", name="=HYPERLINK(\"http://x\",\"y\")", cells=["@SUM(A1)", "ok"])
    base.update(kw)
    return Finding(**base)


def test_check_csv_makes_formula_like_text_cells_text():
    import csv
    import io

    from coopanalysis.checks.formats import render_csv

    text = render_csv([_finding(id="-1", hint="+cmd|' /C calc'!A0")], "0.005")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    row = rows[0]
    assert row["name"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert row["message_en"] == "'=1+2"
    assert row["cells"].startswith("'@SUM(A1)")
    assert row["hint"].startswith("'+cmd")
    assert row["id"] == "'-1"
    # numbers stay numbers: a negative difference is -5, not '-5
    assert (row["difference"], row["stated"], row["fiscal_year"], row["source_line"]) == ("-5", "10", "2561", "12")
    for value in row.values():
        assert not value.startswith(("=", "+", "@", "\t", "\r")) and (not value.startswith("-") or value == "-5")


def test_check_markdown_escapes_links_images_and_html():
    from coopanalysis.checks.formats import render_markdown

    MarkdownIt = pytest.importorskip("markdown_it", reason="markdown-it-py renders the Markdown").MarkdownIt

    text = render_markdown([_finding()], "0.005", title="[t](http://evil) <script>x</script>")
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in html and "<a " not in html and "<script" not in html
    assert html.count("<em>") == 1 and "<code>c</code>" not in html  # only the tolerance line's own
    assert "<strong>ผลการตรวจสอบ:</strong>" in html  # our own markup still works
    assert "<code>strategy_sum</code>" in html
    assert html.count("<tr>") == 2  # the message's newline and pipe did not break the table
    assert "javascript:alert(1)" in html  # shown as text, not dropped


# --- the Fiscal Data Package: the user's files, another file system, formulas in budget.csv ----------

PLAN = ROOT / "data" / "plan"
BILL = """MINISTRY,AGENCY,PROJECT,FISCAL_YEAR,AMOUNT
กระทรวงเกษตรและสหกรณ์,"=HYPERLINK(""http://evil"",""click"")",+โครงการ ก,2022,"1,500,000"
กระทรวงเกษตรและสหกรณ์,@กรม,-โครงการ ข,2022,"-250,000"
"""
BILL_MAPPING = """name: hostile-bill
title: ร่างทดสอบ
phase: approved
levels:
  - {key: ministry, label_th: กระทรวง, label_en: ministry, columns: [MINISTRY]}
  - {key: agency, label_th: หน่วยรับงบประมาณ, label_en: agency, columns: [AGENCY]}
  - {key: project, label_th: โครงการ, label_en: project, columns: [PROJECT]}
fiscal_year: {column: FISCAL_YEAR, era: CE}
amount: {column: AMOUNT, unit: baht}
"""


def test_fdp_budget_csv_makes_formula_like_names_text(tmp_path, capsys):
    import csv

    (tmp_path / "bill.csv").write_text(BILL, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    code, _, err = run(capsys, "ingest", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                       "--out", tmp_path / "ds")
    assert code in (0, 1), err
    code, _, err = run(capsys, "export", tmp_path / "ds", "--format", "fdp", "--out", tmp_path / "fdp")
    assert code == 0, err
    with open(tmp_path / "fdp" / "budget.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    agencies = {r["agency_name"] for r in rows}
    assert agencies == {"'=HYPERLINK(\"http://evil\",\"click\")", "'@กรม"}
    assert {r["project_name"] for r in rows} == {"'+โครงการ ก", "'-โครงการ ข"}
    assert sorted(r["amount"] for r in rows) == ["-0.25", "1.5"]  # a negative amount stays a number
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")) and (not value.startswith("-") or value == "-0.25")


def test_budget_check_csv_and_markdown_keep_names_inert(tmp_path, capsys):
    """Cases 4 and 5 on budget tables: check --format csv/markdown of a table whose names are
    formulas or Markdown links give text, never a formula or a live link."""
    import csv

    hostile = BILL.replace("@กรม", "![p](http://host/p.png) [c](javascript:alert(1))")
    (tmp_path / "bill.csv").write_text(hostile, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    (tmp_path / "stated.csv").write_text(
        "level,name,fiscal_year,amount,unit\nagency,\"=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",2565,2,million_baht\n"
        "agency,![p](http://host/p.png) [c](javascript:alert(1)),2565,1,million_baht\n", encoding="utf-8")
    args = [tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml", "--stated", tmp_path / "stated.csv"]
    code, out, err = run(capsys, "check", *args, "--format", "csv")
    assert code == 1, err  # both printed totals differ from their rows
    rows = list(csv.DictReader(out.lstrip("\ufeff").splitlines()))
    names = {r["name"] for r in rows if r["check"] == "stated_total"}
    assert "'=HYPERLINK(\"http://evil\",\"click\")" in names
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    code, out, err = run(capsys, "check", *args, "--format", "markdown")
    assert "](http" not in out and "](javascript" not in out and "\\!\\[p\\]" in out


def test_fdp_export_stages_inside_the_target(tmp_path, monkeypatch, capsys):
    """Case 13: staging beside --out failed with "Invalid cross-device link" when --out was on
    another file system; here any rename from outside the target folder fails as it would there."""
    import errno

    out = tmp_path / "mnt" / "fdp"
    out.mkdir(parents=True)
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if not os.path.realpath(src).startswith(str(out.resolve()) + os.sep):
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(src))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    code, _, err = run(capsys, "export", PLAN, "--format", "fdp", "--out", out)
    assert code == 0, err
    assert (out / "datapackage.json").is_file()
    assert sorted(p.name for p in (tmp_path / "mnt").iterdir()) == ["fdp"]
    assert not [p for p in out.iterdir() if p.name.startswith(".coopanalysis-new-")]


# --- cases 6, 11 (mapping part) and 16: mappings are validated strictly -----------------------------

GOOD_MAPPING = BILL_MAPPING + 'obligation: {column: OBL, true_values: ["True"]}\n'
TABLE = "MINISTRY,AGENCY,PROJECT,FISCAL_YEAR,AMOUNT,OBL\nก,ข,ค,2022,\"1,000\",\n"


def _mapping_error(tmp_path, capsys, text: str) -> str:
    (tmp_path / "bill.csv").write_text(TABLE, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "ingest", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                       "--out", tmp_path / "ds")
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "ds").exists()
    return err.strip()


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_good_mapping_still_loads(tmp_path):
    from coopanalysis.budget.mapping import load_mapping

    (tmp_path / "map.yaml").write_text(GOOD_MAPPING, encoding="utf-8")
    mapping = load_mapping(tmp_path / "map.yaml")
    assert mapping.obligation_true == ("True",) and mapping.phase == "approved"
    assert load_mapping("budget-bill").obligation_true == ("True", "true", "TRUE", "1")


@pytest.mark.parametrize("change, needle, words", [
    # a string where a list belongs was split into characters: T, r, u, e
    ('true_values: ["True"]', 'true_values: "True"', ["obligation.true_values must be a list of texts"]),
    ('true_values: ["True"]', "true_values: 5", ["obligation.true_values", "a number (5)"]),
    ('true_values: ["True"]', "true_values: [True]", ["obligation.true_values[1] must be text", "quotes"]),
    ('true_values: ["True"]', "true_values: null", ["obligation.true_values", "null"]),
    ("obligation:", "obligaton:", ["unknown key 'obligaton'", "did you mean 'obligation'"]),
    ("unit: baht}", "unti: baht}", ["unknown key 'unti' in amount", "did you mean 'unit'"]),
    ("phase: approved", "phase: approved\nphase: proposed", ["duplicate key 'phase'", "first at line 3"]),
    ("amount: {column: AMOUNT, unit: baht}", "amount: null", ["'amount' is required"]),
    ("amount: {column: AMOUNT, unit: baht}", "amount: {column: null, unit: baht}", ["amount.column is empty"]),
    ("obligation: {column: OBL, true_values: [\"True\"]}", "row_filter: {column: OBL, equals: 5}",
     ["row_filter.equals must be a text or a list of texts", "a number (5)"]),
    ("obligation: {column: OBL, true_values: [\"True\"]}", "row_filter: {column: OBL, equals: null}",
     ["row_filter.equals", "null"]),
    ("phase: approved", "phase: 5", ["phase must be one of proposed, approved"]),
])
def test_mapping_mistakes_exit_2_naming_file_line_and_key(tmp_path, capsys, change, needle, words):
    text = GOOD_MAPPING.replace(change, needle)
    assert text != GOOD_MAPPING
    err = _mapping_error(tmp_path, capsys, text)
    line = _line_of(text, needle.splitlines()[-1])
    assert f"map.yaml:{line}: " in err, err
    for word in words:
        assert word in err, err


def test_catastrophic_subtotal_pattern_is_refused_quickly(tmp_path):
    """Case 16: ``^(a|a)*$`` on a 35-character cell took exponential time; a bounded subprocess."""
    (tmp_path / "bill.csv").write_text("MINISTRY,AGENCY,PROJECT,FISCAL_YEAR,AMOUNT\nก,ข," + "a" * 35 + "b,2022,1\n",
                                       encoding="utf-8")
    (tmp_path / "map.yaml").write_text(BILL_MAPPING + "subtotal: {column: PROJECT, pattern: '^(a|a)*$'}\n",
                                       encoding="utf-8")
    code = ("import sys; from coopanalysis.cli import main; "
            "sys.exit(main(['ingest', 'bill.csv', '--mapping', 'map.yaml', '--out', 'ds']))")
    done = subprocess.run([PYTHON, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "map.yaml:10: mapping: subtotal.pattern is refused" in done.stderr, done.stderr


@pytest.mark.parametrize("pattern, ok", [
    ("^รวม", True), (r"^\s*(รวม|ยอดรวม)\s*$", True), (r"^[0-9]+(\.[0-9]+)?$", True),
    ("^(a|a)*$", False), ("(a+)+$", False), (r"(\w)\1", False), ("x" * 201, False), (".*.*.*x", False),
])
def test_subtotal_patterns_accepted_and_refused(pattern, ok):
    from coopanalysis.budget.mapping import check_pattern

    assert (check_pattern(pattern) is None) == ok


# --- case 1 (report): the user's own index.html or plan.xlsx in --out is not the report's -----------

@pytest.mark.parametrize("name", ["index.html", "plan.xlsx", "overview.html", "strategy_5.ipynb"])
def test_report_refuses_to_overwrite_a_users_file(tmp_path, capsys, name):
    out = tmp_path / "site"
    out.mkdir()
    (out / name).write_text("my own page", encoding="utf-8")
    code, _, err = run(capsys, "report", PLAN, "--strategy", "5", "--out", out, "--jobs", "1")
    assert code == 2, err
    assert f"site/{name}: exists and was not written by coopanalysis report" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (out / name).read_text(encoding="utf-8") == "my own page"
    assert sorted(p.name for p in out.iterdir() if p.name != ".coopanalysis-report.lock") == [name]


def test_report_claims_its_files_so_the_next_run_may_replace_them(tmp_path):
    from coopanalysis.report import runner

    out = tmp_path / "site"
    out.mkdir()
    runner.claim_outputs(out, ["index.html", "overview.html"])
    (out / "index.html").write_text("written by an interrupted run", encoding="utf-8")
    runner.claim_outputs(out, ["index.html", "overview.html"])  # its own: no refusal
    manifest = json.loads((out / runner.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"] == ["index.html", "overview.html"]
    (out / "notes.html").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="notes.html: exists and was not written by coopanalysis report"):
        runner.claim_outputs(out, ["index.html", "notes.html"])


# --- case 14: no writable home -----------------------------------------------------------------------



def _run_without_home(tmp_path, home: str, code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHAINLP")}
    env.update(HOME=home, TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run([PYTHON, "-W", "error::DeprecationWarning", "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("home", ["missing", "/proc/self"])
def test_pythainlp_gets_a_data_folder_without_a_writable_home(tmp_path, home):
    home = str(tmp_path / "no-home") if home == "missing" else home
    code = ("import os, sys, coopanalysis; print(os.environ.get('PYTHAINLP_DATA')); "  # set on import
            f"from coopanalysis.cli import main; sys.exit(main(['check', {str(PLAN)!r}, '--format', 'json']))")
    done = _run_without_home(tmp_path, home, code)
    assert done.returncode == 1, done.stderr  # the plan's findings: the command ran
    assert "pythainlp-data" not in done.stderr
    assert done.stdout.splitlines()[0] == str(tmp_path / "tmp" / f"coopanalysis-pythainlp-{os.getuid()}")
    assert not (tmp_path / "no-home").exists()  # nothing made in (or as) the home folder


def test_a_writable_home_is_left_to_pythainlp(tmp_path):
    (tmp_path / "home").mkdir()
    done = _run_without_home(tmp_path, str(tmp_path / "home"),
                             "from coopanalysis.io.pythainlp_home import ensure_data_dir; print(ensure_data_dir())")
    assert done.stdout.strip() == "None", done.stderr
    assert list((tmp_path / "home").iterdir()) == []  # the probe folder is gone


def test_cli_runs_without_a_writable_home(tmp_path):
    code = f"import sys; from coopanalysis.cli import main; sys.exit(main(['check', {str(PLAN)!r}]))"
    done = _run_without_home(tmp_path, str(tmp_path / "no-home"), code)
    assert done.returncode == 1, done.stderr
    assert not (tmp_path / "no-home").exists()


# --- case 15: a full disk names the user's file, never a temporary one -------------------------------

def _disk_full(*args, **kwargs):
    import errno

    raise OSError(errno.ENOSPC, "No space left on device")


def test_atomic_write_on_a_full_disk_names_the_target(tmp_path, monkeypatch):
    from coopanalysis.io.safeio import atomic_write_text

    target = tmp_path / "index.html"
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(OSError) as caught:
        atomic_write_text(target, "x")
    assert caught.value.filename == str(target) and caught.value.strerror == "No space left on device"
    assert list(tmp_path.iterdir()) == []  # no temporary file left


def test_ingest_output_on_a_full_disk_names_the_file_in_out(tmp_path, monkeypatch, capsys):
    real_open = open

    def full_open(path, mode="r", *args, **kwargs):
        if "w" in mode and ".coopanalysis-new-" in str(path):
            raise OSError(28, "No space left on device", str(path))
        return real_open(path, mode, *args, **kwargs)

    import builtins

    monkeypatch.setattr(builtins, "open", full_open)
    with pytest.raises(OSError) as caught:
        output.replace_files(tmp_path / "out", {"items.csv": b"a\n"})
    assert caught.value.strerror == "No space left on device"
    assert caught.value.filename == str(tmp_path / "out" / "items.csv")
    monkeypatch.undo()
    capsys.readouterr()
    assert main(["ingest", str(ROOT / "data" / "raw" / "cpd_action_plan_2560_2564.txt"), "--out",
                 str(tmp_path / "out")]) == 0  # nothing staged was left to block the next run


# --- case 12: kill -9 of a report run: workers and kernels die with it, the lock is freed -------------

def _sleeper(started, seconds):
    import time

    started.set()  # the fork handlers (which close the lock) have run by now
    time.sleep(seconds)


def test_a_forked_child_does_not_keep_the_report_lock(tmp_path):
    import multiprocessing

    from coopanalysis.report import runner

    ctx = multiprocessing.get_context("fork")
    with runner.out_lock(tmp_path):
        assert (tmp_path / runner.LOCK_NAME).read_text(encoding="ascii").strip() == str(os.getpid())
        started = ctx.Event()
        child = ctx.Process(target=_sleeper, args=(started, 30), daemon=True)
        child.start()
        assert started.wait(30)
    try:
        with runner.out_lock(tmp_path):  # the child (a worker) lives on, the lock is free
            assert child.is_alive()
    finally:
        child.kill()
        child.join()


def test_a_lock_left_by_a_dead_run_is_named_as_such(tmp_path, monkeypatch):
    from coopanalysis.report import runner

    dead = subprocess.run([PYTHON, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / runner.LOCK_NAME).write_text(dead.stdout, encoding="ascii")
    holder = subprocess.Popen([PYTHON, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); "
                               "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
                               str(tmp_path / runner.LOCK_NAME)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(runner, "STALE_WAIT", 0.5)
        with pytest.raises(runner.ReportBusyError, match=rf"held .*\(pid {dead.stdout.strip()}\) has ended"):
            with runner.out_lock(tmp_path):
                pass
    finally:
        holder.kill()
        holder.wait()
    with runner.out_lock(tmp_path):  # once the leftover is gone the folder is free again
        pass


def _descendants(pid: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat_text = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat_text.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to follow the processes")
def test_kill_9_of_report_takes_its_workers_and_kernels_along(tmp_path):
    import signal
    import time

    from coopanalysis.report import runner

    (tmp_path / "tmp").mkdir()
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"))
    code = "import sys; from coopanalysis.cli import main; sys.exit(main(sys.argv[1:]))"
    report = subprocess.Popen([PYTHON, "-c", code, "report", str(PLAN), "--strategy", "5", "6", "--jobs", "2",
                               "--out", str(tmp_path / "out")], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    family: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # the workers, and a kernel under each of them
            family |= _descendants(report.pid)
            kernels = list((tmp_path / "tmp").glob("coopanalysis-report-*/w*/*.pid"))
            if len(kernels) >= 2:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the report run did not start two kernels within 120 s")
        family |= _descendants(report.pid)
        assert len(family) >= 4, family  # two workers, two kernels
        os.kill(report.pid, signal.SIGKILL)
        report.wait()
        deadline = time.monotonic() + 20
        while _alive(family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(family), "left running after kill -9 of the report: " + ", ".join(map(str, _alive(family)))
        with runner.out_lock(tmp_path / "out"):  # a re-run is not refused
            pass
        assert list((tmp_path / "tmp").glob("coopanalysis-report-*/w*")) == []  # kernel folders removed
    finally:
        for pid in _alive(family | _descendants(report.pid)) | ({report.pid} if report.poll() is None else set()):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


# --- case 11 (--out part): a loop of symbolic links as --out is one line, exit 2 ----------------------

@pytest.mark.parametrize("command", [["export", str(PLAN), "--format", "fdp"], ["report", str(PLAN)]])
def test_symlink_loop_as_out(tmp_path, capsys, command):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    code, _, err = run(capsys, *command, "--out", tmp_path / "a")
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert f"{tmp_path / 'a'}: " in err and "loop of symbolic links" in err


# --- case 9: rows whose fiscal year is unusable are errors, counted, listed -------------------------

def test_rows_with_unusable_fiscal_years_are_errors_counted_per_file(tmp_path, capsys):
    import json

    rows = ["MINISTRY,AGENCY,PROJECT,FISCAL_YEAR,AMOUNT", "ก,ข,ค,2022,\"1,000\""]
    bad = ["abc", "1900", "9999", ""] * 1250  # 5,000 rows with names and no usable year
    rows += [f"ก,ข,ค{i},{year},5" for i, year in enumerate(bad)]
    (tmp_path / "bill.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    code, out, err = run(capsys, "check", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                         "--format", "json")
    assert code == 1, err  # errors, not an info with exit 0
    findings = json.loads(out)
    lost = [f for f in findings if f["check"] == "bad_fiscal_year"]
    assert len(lost) == 1 and lost[0]["severity"] == "error"
    # abc, 9999 and empty are no year at all: 3 x 1,250 rows; 1900 CE is BE 2443, a year, kept as
    # an item, and 122 years from the other rows' 2565 one of them is flagged as implausible
    assert "3750 " in lost[0]["message_en"] and "'abc'" in lost[0]["message_en"]
    assert "implausible_year" in {f["check"] for f in findings}
    assert len(lost[0]["cells"]) == 10  # a pointer, not 5,000 lines; ingest_report.csv has them all
    assert all(len(f["message"]) < 600 for f in findings)
    code, out, err = run(capsys, "ingest", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                         "--out", tmp_path / "ds")
    report = (tmp_path / "ds" / "ingest_report.csv").read_text(encoding="utf-8")
    assert report.count("fiscal year") == 3750


# --- case 8 (and 10): workbooks: hidden sheets, merged cells, a huge declared range ----------------

def _workbook(path, hidden_first=False, merge=False, far_cell=False):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    if hidden_first:
        sheet.title = "old"
        sheet.append(["MINISTRY", "AGENCY", "PROJECT", "FISCAL_YEAR", "AMOUNT"])
        sheet.append(["ก", "ข", "ค", 2022, 999_000_000])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("bill")
    sheet.append(["MINISTRY", "AGENCY", "PROJECT", "FISCAL_YEAR", "AMOUNT"])
    sheet.append(["ก", "ข", "ค1", 2022, 1_000_000])
    sheet.append([None, None, "ค2", 2022, 2_000_000])
    sheet.append(["ก", "ง", "ค3", 2022, 4_000_000])
    if merge:
        sheet.merge_cells("A2:A3")
        sheet.merge_cells("B2:B3")
    if far_cell:
        sheet["XFD1048576"] = "x"
    book.save(path)


def test_hidden_sheet_is_never_read_and_the_sheet_read_is_named(tmp_path, capsys):
    _workbook(tmp_path / "bill.xlsx", hidden_first=True)
    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    bill = ca.load(tmp_path / "bill.xlsx", mapping=tmp_path / "map.yaml")
    # ก's rows 1 + 4 million baht (ค2's row names no ministry); the hidden sheet's 999 is not read
    assert bill.figures("ministry", year=2565).set_index("name")["computed_mb"].get("ก") == 5.0
    assert bill.amounts["amount_mb"].sum() == 7.0
    code, _, err = run(capsys, "ingest", tmp_path / "bill.xlsx", "--mapping", tmp_path / "map.yaml",
                       "--out", tmp_path / "ds")
    assert "sheet 'bill' read (hidden sheets skipped: 'old')" in err


def test_vertically_merged_cells_are_filled_down_with_a_finding(tmp_path, capsys):
    import json

    _workbook(tmp_path / "bill.xlsx", merge=True)
    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    bill = ca.load(tmp_path / "bill.xlsx", mapping=tmp_path / "map.yaml")
    agencies = bill.figures("agency", year=2565).set_index("name")["computed_mb"]
    assert agencies.to_dict() == {"ข": 3.0, "ง": 4.0}  # ค2 stays under ข, its merged parent
    code, out, err = run(capsys, "check", tmp_path / "bill.xlsx", "--mapping", tmp_path / "map.yaml",
                         "--format", "json")
    merged = [f for f in json.loads(out) if f["check"] == "merged_cells"]
    assert len(merged) == 1 and "A2:A3" in merged[0]["message_en"]


def test_a_sheet_declaring_a_huge_range_is_refused_in_one_line(tmp_path, capsys):
    _workbook(tmp_path / "bill.xlsx", far_cell=True)
    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    code, _, err = run(capsys, "check", tmp_path / "bill.xlsx", "--mapping", tmp_path / "map.yaml")
    assert code == 2 and "bill.xlsx" in err and "cells" in err and len(err.strip().splitlines()) == 1


# --- case 11: a hand-edited dataset folder is refused naming the file, line and column ----------------

@pytest.mark.parametrize("column, value", [("fiscal_year", "2565.0"), ("fiscal_year", "abc"),
                                           ("amount_mb", "NaN"), ("amount_mb", "9" * 5000),
                                           ("node_id", "x.1"), ("amount_mb", None)])
def test_hand_edited_dataset_is_refused_with_file_and_line(tmp_path, capsys, column, value):
    import csv

    (tmp_path / "bill.csv").write_text(BILL, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    code, _, err = run(capsys, "ingest", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                       "--out", tmp_path / "ds")
    assert code == 0, err
    items = tmp_path / "ds" / "items.csv"
    with open(items, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index(column)
    if value is None:  # the column dropped
        rows = [row[:at] + row[at + 1:] for row in rows]
    else:
        rows[2][at] = value
    with open(items, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    for command in (["check", tmp_path / "ds"], ["export", tmp_path / "ds", "--format", "xlsx",
                                                 "--out", tmp_path / "out.xlsx"]):
        code, _, err = run(capsys, *command)
        assert code == 2, err
        line = err.strip().splitlines()
        assert len(line) == 1 and f"items.csv:{1 if value is None else 3}: " in line[0] and column in line[0]


def test_memory_is_bounded_per_run_not_per_file(tmp_path, capsys, monkeypatch):
    """Case 10: tables each under the per-file bound but together too large are refused before
    they are read, in one line naming the table where the bound is crossed."""
    from coopanalysis.budget import reader

    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    folder = tmp_path / "tables"
    folder.mkdir()
    for name in ("a.csv", "b.csv", "c.csv"):
        (folder / name).write_text(BILL, encoding="utf-8")
    size = len(BILL.encode("utf-8"))
    monkeypatch.setattr(reader, "MAX_RUN_BYTES", 2 * size)  # two tables fit, the third does not
    code, _, err = run(capsys, "check", folder, "--mapping", tmp_path / "map.yaml")
    assert code == 2 and "c.csv" in err and "MiB" in err and len(err.strip().splitlines()) == 1
    monkeypatch.setattr(reader, "MAX_RUN_BYTES", 3 * size)
    code, _, err = run(capsys, "check", folder, "--mapping", tmp_path / "map.yaml")
    assert code != 2, err


def test_a_table_of_too_many_lines_is_refused_before_its_cells_are_made(tmp_path, capsys, monkeypatch):
    from coopanalysis.budget import reader

    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    lines = BILL.count("\n")
    (tmp_path / "bill.csv").write_text(BILL, encoding="utf-8")
    monkeypatch.setattr(reader, "MAX_RUN_ROWS", lines - 1)
    code, _, err = run(capsys, "check", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml")
    assert code == 2 and "bill.csv" in err and "lines" in err
    monkeypatch.setattr(reader, "MAX_RUN_ROWS", lines)
    code, _, err = run(capsys, "check", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml")
    assert code != 2, err


def test_report_downloads_keep_formula_like_names_as_text(tmp_path):
    """Case 4, the reports' downloads: a name that starts like a formula is text in the CSV, an
    amount (even a negative one) stays a number."""
    import csv
    from decimal import Decimal

    import pandas as pd

    from coopanalysis.budget.present import write_downloads
    from coopanalysis.present.display import write_table

    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://evil\")", "@กรม"], "amount_mb": [Decimal("-5"), Decimal("1.5")]})
    for path in write_downloads(tmp_path / "budget", {"by_unit": frame}) + [
            write_table(frame.assign(amount_mb=[-5.0, 1.5]), tmp_path / "plan", "by_unit")[0]]:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert [r["name"] for r in rows] == ["'=HYPERLINK(\"http://evil\")", "'@กรม"], path
        assert [float(r["amount_mb"]) for r in rows] == [-5.0, 1.5], path


def test_an_unterminated_quote_in_the_stated_file_names_its_line(tmp_path, capsys):
    """Case 15: it was reported as "fiscal_year ''" on the last line."""
    (tmp_path / "bill.csv").write_text(BILL, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(BILL_MAPPING, encoding="utf-8")
    (tmp_path / "stated.csv").write_text("level,name,fiscal_year,amount,unit\n"
                                         "ministry,\"กระทรวงเกษตรและสหกรณ์,2565,1,million_baht\n"
                                         "ministry,กระทรวงเกษตรและสหกรณ์,2565,1,million_baht\n", encoding="utf-8")
    code, _, err = run(capsys, "check", tmp_path / "bill.csv", "--mapping", tmp_path / "map.yaml",
                       "--stated", tmp_path / "stated.csv")
    assert code == 2 and "stated.csv:2: " in err and "quote" in err and "fiscal_year" not in err
