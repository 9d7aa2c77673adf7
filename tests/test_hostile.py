"""Hostile input: files that are not regular files, files too large, YAML bombs, non-UTF-8 bytes in
settings files and file names, terminal escape codes. Each ends in exit 2 and one escaped line,
quickly and without a traceback (issue 13, items 3, 4 and 8)."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from coopanalysis.cli import main
from coopanalysis.errors import InputError, LimitError, ParamsError
from coopanalysis.io.safeio import DOCUMENT_LIMIT, atomic_write_bytes, atomic_write_text, printable, read_bytes
from coopanalysis.io.yamlsafe import load_file, load_text
from coopanalysis.report import params

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "cpd_action_plan_2560_2564.txt"
CORRECTIONS = ROOT / "data" / "corrections.yaml"

BILLION_LAUGHS = """\
corrections:
  - project_id: "6.1"
    field: amount
    fiscal_year: 2562
    printed: "15"
    corrected: "1.5"
    reason: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  - {project_id: "6.1", printed: "1", corrected: "1", reason: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]}
  - {project_id: "6.1", printed: "1", corrected: "1", reason: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]}
  - {project_id: "6.1", printed: "1", corrected: "1", reason: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]}
  - {project_id: "6.1", printed: "1", corrected: "1", reason: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]}
  - {project_id: "6.1", printed: "1", corrected: "1", reason: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]}
  - {project_id: "6.1", printed: "1", corrected: "1", reason: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]}
  - {project_id: "6.1", printed: "1", corrected: "1", reason: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]}
  - {project_id: "6.1", printed: "1", corrected: "1", reason: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]}
"""


@contextmanager
def time_limit(seconds: int):
    """Fail (instead of hanging the suite) when the block blocks or loops."""

    def alarm(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([os.fspath(a) if not isinstance(a, bytes) else os.fsdecode(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(code: int, err: str, *fragments: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


# ---- not regular files ---------------------------------------------------------------------------


def test_fifo_as_plan_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    with time_limit(10):
        code, _, err = run(capsys, "ingest", fifo, "--out", tmp_path / "out")
    one_line(code, err, "plan.txt", "FIFO")
    assert not (tmp_path / "out").exists()


def test_fifo_as_corrections_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "corrections.yaml"
    os.mkfifo(fifo)
    with time_limit(10):
        code, _, err = run(capsys, "ingest", SEED, "--out", tmp_path / "out", "--corrections", fifo)
    one_line(code, err, "corrections.yaml", "FIFO")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_without_reading(capsys, tmp_path):
    with time_limit(10):
        code, _, err = run(capsys, "check", "/dev/zero")
    one_line(code, err, "/dev/zero", "device")
    with time_limit(10):
        code, _, err = run(capsys, "ingest", SEED, "--out", tmp_path / "o", "--corrections", "/dev/zero")
    one_line(code, err, "/dev/zero", "device")


def test_directory_as_corrections(tmp_path, capsys):
    code, _, err = run(capsys, "ingest", SEED, "--out", tmp_path / "out", "--corrections", tmp_path)
    one_line(code, err, str(tmp_path), "is a directory")


def test_oversized_plan_is_refused_before_reading(tmp_path, capsys):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as handle:  # sparse: no disk used
        handle.truncate(DOCUMENT_LIMIT + 1)
    code, _, err = run(capsys, "ingest", big, "--out", tmp_path / "out")
    one_line(code, err, "huge.txt", f"larger than {DOCUMENT_LIMIT} bytes")


def test_read_bytes_bound_pinned(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_bytes(path, limit=10) == b"x" * 10
    with pytest.raises(LimitError, match="larger than 9 bytes"):
        read_bytes(path, limit=9)


# ---- YAML bombs and bad bytes ----------------------------------------------------------------------


def test_billion_laughs_corrections_fail_fast(tmp_path, capsys):
    bomb = tmp_path / "corrections.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    start = time.perf_counter()
    with time_limit(20):
        code, _, err = run(capsys, "ingest", SEED, "--out", tmp_path / "out", "--corrections", bomb)
    elapsed = time.perf_counter() - start
    line = one_line(code, err, "corrections.yaml:8:", "aliases")
    assert "*a" in line
    assert elapsed < 5, elapsed
    assert not (tmp_path / "out").exists()


def test_params_file_bomb_and_bad_bytes(tmp_path):
    bomb = tmp_path / "strategy_5.yaml"
    bomb.write_text('strategy_id: "5"\nthai_digits: &x [1, 1]\nsource: [*x, *x]\n', encoding="utf-8")
    with pytest.raises(ParamsError, match=r"strategy_5\.yaml:3: YAML aliases"):
        params.load_file(bomb, ["5"])
    bomb.write_bytes(b'strategy_id: "5"\n# r\xe9sum\xe9\n')
    with pytest.raises(InputError, match=r"strategy_5\.yaml:2: not UTF-8 text \(byte 0xe9\)"):
        params.load_file(bomb, ["5"])
    bomb.write_bytes(b"strategy_id: '5'\n" + b"#" * (1024 * 1024))
    with pytest.raises(LimitError, match="larger than 1048576 bytes"):
        params.load_file(bomb, ["5"])


def test_non_utf8_corrections_name_file_and_line(tmp_path, capsys):
    bad = tmp_path / "corrections.yaml"
    bad.write_bytes(CORRECTIONS.read_bytes().replace(b"Lost decimal point (see", b"Lost d\xe9cimal (see", 1))
    expected_line = CORRECTIONS.read_bytes().split(b"Lost decimal point (see")[0].count(b"\n") + 1
    code, _, err = run(capsys, "ingest", SEED, "--out", tmp_path / "out", "--corrections", bad)
    one_line(code, err, f"corrections.yaml:{expected_line}: not UTF-8")


@pytest.mark.parametrize("text, fragment", [
    ("corrections:\n" + "  " + "[" * 100 + "]" * 100 + "\n", "levels deep"),
    ('corrections:\n  - {project_id: "6.1", printed: "1", corrected: "1", reason: "\\ud800"}\n', "corrections.yaml:2:"),
    ("corrections:\n  - {project_id: 6.1, printed: " + "9" * 5000 + ", corrected: 1, reason: x}\n",
     "corrections.yaml:2: unusable value"),
    ("corrections:\n  - {project_id: 6.1, printed: 1, corrected: 1, reason: x, at: 2020-02-30}\n",
     "day is out of range"),
])
def test_yaml_edge_cases_exit_2(tmp_path, capsys, text, fragment):
    bad = tmp_path / "corrections.yaml"
    bad.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "ingest", SEED, "--out", tmp_path / "out", "--corrections", bad)
    one_line(code, err, fragment)


def test_yaml_with_too_many_values_is_refused_fast(tmp_path, capsys):
    bad = tmp_path / "corrections.yaml"
    bad.write_text("corrections:\n" + "  - 1\n" * 150_000, encoding="utf-8")  # 900 kB: under the size bound
    start = time.perf_counter()
    code, _, err = run(capsys, "ingest", SEED, "--out", tmp_path / "out", "--corrections", bad)
    one_line(code, err, "more than 20000 values")
    assert time.perf_counter() - start < 10


def test_yaml_loader_api():
    assert load_text("a: [1, {b: 'ข'}]\n") == {"a": [1, {"b": "ข"}]}
    assert load_text("") is None
    with pytest.raises(LimitError):
        load_text("a: 1\n" * 10, limit=20)
    assert load_file(CORRECTIONS)["corrections"][0]["project_id"] == "6.1"


# ---- file names and escape codes ---------------------------------------------------------------------


@pytest.mark.skipif(os.uname().sysname == "Darwin", reason="macOS refuses non-UTF-8 file names")
def test_non_utf8_file_name(tmp_path, capsys):
    raw_dir = os.fsencode(tmp_path)
    bad = raw_dir + b"/plan-\xff.txt"
    shutil.copyfile(SEED, bad)
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "ingest", bad, "--out", out)
    assert code == 0, err
    assert "Traceback" not in err
    meta = (out / "ingest_meta.json").read_text(encoding="utf-8")
    assert "plan-\\\\xff.txt" in meta
    empty = raw_dir + b"/empty-\xfe.txt"
    with open(empty, "wb"):
        pass
    code, _, err = run(capsys, "ingest", empty, "--out", out)
    one_line(code, err, "empty-\\xfe.txt", "empty")


def test_escape_codes_from_the_document_do_not_reach_the_terminal(tmp_path, capsys):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    lines.insert(5, "\x1b]0;pwned\x07\x1b[2J junk line \x9b31m")
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run(capsys, "ingest", plan, "--out", tmp_path / "out")
    assert code == 0, err
    assert "\x1b" not in err and "\x07" not in err and "\x9b" not in err
    assert "\\x1b]0;pwned\\x07" in err


def test_escape_codes_in_error_messages(tmp_path, capsys):
    bad = tmp_path / "corrections.yaml"
    bad.write_text('corrections:\n  - {project_id: "\\e[31m9.9", field: total, printed: "1", corrected: "1", reason: x}\n',
                   encoding="utf-8")
    code, _, err = run(capsys, "ingest", SEED, "--out", tmp_path / "out", "--corrections", bad)
    assert code == 2
    assert "\x1b" not in err, repr(err)


def test_printable():
    assert printable("a\x1b[0mb") == "a\\x1b[0mb"
    assert printable("ยุทธศาสตร์ ๕\tx") == "ยุทธศาสตร์ ๕\tx"
    assert printable(os.fsdecode(b"f\xff")) == "f\\xff"


# ---- atomic writes ---------------------------------------------------------------------------------------


def test_atomic_write_keeps_mode_and_follows_symlink(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    atomic_write_text(link, "ใหม่")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "ใหม่"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


def test_atomic_write_failure_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "t.json"
    target.write_bytes(b"old")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


# ---- bounds on values ------------------------------------------------------------------------------------


@pytest.mark.parametrize("option, value, fragment", [
    ("--tolerance", "1e999999999", "at most 1000000000000"),
    ("--rel-tolerance", "1e999999999", "at most 1"),
    ("--tolerance", "1e-999999999", "decimal places"),
    ("--rel-tolerance", "1.000000001", "at most 1"),
    ("--tolerance", "1000000000000.5", "at most"),
    ("--tolerance", "9" * 100, "non-negative"),
    ("--tolerance", "nan", "non-negative"),
    ("--tolerance", "-0.1", "non-negative"),
    ("--tolerance", "\x1b[2J", "\\x1b[2J"),
])
def test_tolerances_are_bounded(capsys, option, value, fragment):
    start = time.perf_counter()
    with time_limit(20):
        code, _, err = run(capsys, "check", ROOT / "data" / "plan", option, value)
    one_line(code, err, option, fragment)
    assert "\x1b" not in err
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("option, value", [("--tolerance", "1e12"), ("--tolerance", "0.000000000001"),
                                           ("--rel-tolerance", "1"), ("--rel-tolerance", "0"),
                                           ("--tolerance", "-0")])
def test_tolerance_boundaries_accepted(capsys, option, value):
    code, out, err = run(capsys, "check", ROOT / "data" / "plan", option, value, "--format", "csv")
    assert code in (0, 1), err
    assert "Traceback" not in err and out


@pytest.mark.parametrize("digits", [24, 40])
def test_huge_amounts_do_not_crash(tmp_path, capsys, digits):
    """A 24- or 40-digit amount in a project row: ingested exactly; check refuses it in one line
    naming the text and its line (a float cannot hold it to the satang, so no sum would be exact),
    never a crash or a silent rounding."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    row = 17  # line 18: the figures of project 4.1 (targets 20 x 5, then amounts 5 x 5 and total 25)
    cells = lines[row].split("\t")
    assert cells[3:8] == ["๒๐"] * 5 and cells[9:14] == ["๕"] * 5, cells
    first = next(i for i, c in enumerate(cells) if c.strip() in ("๕", "5"))
    huge = "9" * digits
    cells[first] = huge
    lines[row] = "\t".join(cells)
    plan = tmp_path / "plan.txt"
    plan.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = run(capsys, "ingest", plan, "--out", tmp_path / "out")
    assert code == 0, err
    budget = (tmp_path / "out" / "budget.csv").read_text(encoding="utf-8")
    assert f",{huge},table," in budget
    for fmt in ("table", "json", "markdown", "csv"):
        code, out, err = run(capsys, "check", plan, "--format", fmt)
        assert code == 2 and "Traceback" not in err and not out, err
        assert len(err.strip().splitlines()) == 1 and "plan.txt" in err and "(line 18 of the text)" in err, err


def test_oversized_table_is_refused(tmp_path, capsys):
    folder = tmp_path / "plan"
    shutil.copytree(ROOT / "data" / "plan", folder)
    with open(folder / "kpis.csv", "r+b") as handle:  # sparse: no disk used
        handle.truncate(DOCUMENT_LIMIT + 1)
    code, _, err = run(capsys, "check", folder)
    one_line(code, err, "kpis.csv", f"larger than {DOCUMENT_LIMIT} bytes")


def test_boolean_fiscal_year_in_a_correction(tmp_path, capsys):
    bad = tmp_path / "corrections.yaml"
    bad.write_text(CORRECTIONS.read_text(encoding="utf-8").replace("fiscal_year: 2562", "fiscal_year: true", 1),
                   encoding="utf-8")
    code, _, err = run(capsys, "ingest", SEED, "--out", tmp_path / "out", "--corrections", bad)
    one_line(code, err, "corrections.yaml:7:", "fiscal_year")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_escape_codes_in_a_name_do_not_reach_the_terminal_through_check(tmp_path, capsys, fmt):
    """Strategy 5's name (seed line 55) carries an ESC sequence and a bidi override; every
    output format shows them as escapes (in JSON they still decode to the characters printed)."""
    text = SEED.read_text(encoding="utf-8").replace(
        "ยุทธศาสตร์ที่ ๕ การพัฒนาระบบ", "ยุทธศาสตร์ที่ ๕ การ\x1b[2J\u202eพัฒนาระบบ", 1)
    plan = tmp_path / "plan.txt"
    plan.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "check", plan, "--format", fmt)
    assert code == 1, err
    assert "\x1b" not in out and "\u202e" not in out
    if fmt == "json":
        import json

        messages = " ".join(f["message"] for f in json.loads(out))  # still valid JSON
        assert "\x1b[2J\u202e" in messages  # the escapes decode to the characters printed
    elif fmt == "markdown":
        assert "\\x1b\\[2J" in out  # shown as an escape, and the [ escaped for Markdown (issue 26, case 5)
    else:
        assert "\\x1b[2J" in out
