"""Unusable input: the command line exits 2 with a one-line message naming the file (and the
line, where one applies), never a traceback; ``--debug`` shows the traceback.

Each bad input is a small synthetic plan (or the seed) with one thing broken.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from support.synthetic import generate, render

from coopanalysis.text.thai import amount_text, to_thai

_MISSING = [n for n in ("ingest", "check", "report") if importlib.util.find_spec(f"coopanalysis.commands.{n}") is None]
assert not _MISSING, f"CLI command modules missing: {_MISSING}"

ROOT = Path(__file__).resolve().parents[1]


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    from coopanalysis.cli import main

    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, *fragments: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{err}"
    for fragment in fragments:
        assert fragment.lower() in lines[0].lower(), f"{fragment!r} not in {lines[0]!r}"
    return lines[0]


# ---- building bad inputs -----------------------------------------------------------------
PLAN = generate(n_projects=7, n_strategies=2, seed=11, first_year=2560, repeat_rate=0.0, per_kpi_rate=0.0)


def plan_lines() -> list[str]:
    return render(PLAN).split("\n")


def row_of(lines: list[str], project) -> int:
    """0-based index of the table row listing *project*."""
    cell = to_thai(f"{project.id} ") + project.name
    hits = [i for i, line in enumerate(lines) if cell in line.split("\t")]
    assert len(hits) == 1, (project.id, hits)
    return hits[0]


def replace_amount(lines: list[str], project, new_cell: str) -> int:
    """Replace *project*'s first non-zero yearly amount cell; returns the 1-based line."""
    index = row_of(lines, project)
    cells = lines[index].split("\t")
    start = cells.index(to_thai(f"{project.id} ") + project.name) + 1
    year = next(i for i, v in enumerate(project.amounts) if v)
    cells[start + year] = new_cell
    lines[index] = "\t".join(cells)
    return index + 1


def first_years_row(lines: list[str]) -> int:
    years = "\t".join(to_thai(str(y)) for y in PLAN.years)
    return next(i for i, line in enumerate(lines) if line.startswith("\t\t\t" + years))


def write(tmp_path: Path, lines_or_bytes, name: str = "plan.txt") -> Path:
    path = tmp_path / name
    if isinstance(lines_or_bytes, bytes):
        path.write_bytes(lines_or_bytes)
    else:
        path.write_text("\n".join(lines_or_bytes), encoding="utf-8")
    return path


def ingest_args(path: Path, tmp_path: Path, *extra) -> list:
    return ["ingest", path, "--out", tmp_path / "out", *extra]


def test_the_unbroken_plan_ingests(tmp_path, capsys):
    """The base of every case below is a good plan."""
    path = write(tmp_path, plan_lines())
    code, out, err = run_cli(capsys, *ingest_args(path, tmp_path))
    assert code == 0, err
    assert (tmp_path / "out" / "budget.csv").is_file()


# ---- the cases -----------------------------------------------------------------------------
def test_missing_file(tmp_path, capsys):
    path = tmp_path / "no_such_plan.txt"
    code, _, err = run_cli(capsys, *ingest_args(path, tmp_path))
    assert_one_line_error(code, err, str(path))
    assert not (tmp_path / "out" / "budget.csv").exists()


def test_check_directory_without_tables(tmp_path, capsys):
    empty = tmp_path / "not_a_plan"
    empty.mkdir()
    (empty / "notes.txt").write_text("hello\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "check", empty)
    assert_one_line_error(code, err, str(empty))


def test_check_missing_directory(tmp_path, capsys):
    code, _, err = run_cli(capsys, "check", tmp_path / "nowhere")
    assert_one_line_error(code, err, str(tmp_path / "nowhere"))


@pytest.mark.parametrize("content", [b"", b"\n\n  \t\r\n"], ids=["empty", "blank"])
def test_empty_file(tmp_path, capsys, content):
    path = write(tmp_path, content, "empty.txt")
    code, _, err = run_cli(capsys, *ingest_args(path, tmp_path))
    assert_one_line_error(code, err, str(path), "empty")


def test_fake_pdf(tmp_path, capsys):
    path = write(tmp_path, b"%PDF-1.5\n%\xd0\xd4\xc5\xd8\n1 0 obj\n<</Length 2>>stream\n\x00\x9c\nendstream\n",
                 "plan.pdf")
    code, _, err = run_cli(capsys, *ingest_args(path, tmp_path))
    assert_one_line_error(code, err, str(path), "PDF")


@pytest.mark.parametrize("codec", ["latin-1", "shift_jis"])
def test_unsupported_encoding(tmp_path, capsys, codec):
    text = ("Plan d'action quinquennal : coopératives, été, crédit à l'économie.\n" * 20
            if codec == "latin-1" else "協同組合の五か年行動計画。予算は百万バーツ。\n" * 20)
    path = write(tmp_path, text.encode(codec), f"plan_{codec}.txt")
    code, _, err = run_cli(capsys, *ingest_args(path, tmp_path))
    assert_one_line_error(code, err, str(path), "encoding")


def test_table_header_with_no_rows_is_layout(tmp_path, capsys):
    """A page header (+ years row) repeated after a table's last row, with no rows below it, is
    layout (issue 13, item 8): it used to reject the whole document."""
    lines = plan_lines()
    years = first_years_row(lines)
    header = lines[years - 1]
    end = next(i for i in range(years + 1, len(lines)) if not lines[i].strip())
    lines[end:end] = ["", header, lines[years]]
    path = write(tmp_path, lines)
    code, out, err = run_cli(capsys, *ingest_args(path, tmp_path))
    assert code == 0, err
    assert "0 unparsed" in out
    import csv

    with open(tmp_path / "out" / "ingest_report.csv", encoding="utf-8", newline="") as handle:
        reported = {int(r["line"]) for r in csv.DictReader(handle)}
    assert not reported & {end + 2, end + 3}


def test_latin_letter_in_amount(tmp_path, capsys):
    lines = plan_lines()
    line = replace_amount(lines, PLAN.projects[1], "๑o")  # OCR's o for ๐
    path = write(tmp_path, lines)
    code, _, err = run_cli(capsys, *ingest_args(path, tmp_path))
    message = assert_one_line_error(code, err, f"{path}:{line}:")
    assert "1o" in message or "๑o" in message


def test_negative_amount(tmp_path, capsys):
    lines = plan_lines()
    line = replace_amount(lines, PLAN.projects[2], "-๕")
    path = write(tmp_path, lines)
    code, _, err = run_cli(capsys, *ingest_args(path, tmp_path))
    assert_one_line_error(code, err, f"{path}:{line}:", "negative")


@pytest.mark.parametrize("years", [(2560, 2561, 2563, 2564, 2565), (2560, 2561, 2562, 2564, 2563)],
                         ids=["gap", "out-of-order"])
def test_year_header_not_a_run(tmp_path, capsys, years):
    lines = plan_lines()
    index = first_years_row(lines)
    run = "\t".join(to_thai(str(y)) for y in years)
    lines[index] = f"\t\t\t{run}\t\t{run}\tรวม"
    path = write(tmp_path, lines)
    code, _, err = run_cli(capsys, *ingest_args(path, tmp_path))
    assert_one_line_error(code, err, f"{path}:{index + 1}:", "year")


def test_two_projects_with_one_id(tmp_path, capsys):
    lines = plan_lines()
    first, second = PLAN.strategies[0].projects[:2]
    index = row_of(lines, second)
    lines[index] = lines[index].replace(to_thai(second.id) + " " + second.name, to_thai(first.id) + " " + second.name)
    path = write(tmp_path, lines)
    code, _, err = run_cli(capsys, *ingest_args(path, tmp_path))
    assert_one_line_error(code, err, f"{path}:{index + 1}:", first.id)


def write_corrections(tmp_path: Path, project_id: str, year: int, printed: str, corrected: str) -> Path:
    path = tmp_path / "corrections.yaml"
    path.write_text(
        "corrections:\n"
        f'  - project_id: "{project_id}"\n'
        "    field: amount\n"
        f"    fiscal_year: {year}\n"
        f'    printed: "{printed}"\n'
        f'    corrected: "{corrected}"\n'
        "    reason: test\n",
        encoding="utf-8",
    )
    return path


def test_correction_pointing_at_no_cell(tmp_path, capsys):
    plan = write(tmp_path, plan_lines())
    corrections = write_corrections(tmp_path, "9.99", 2560, "1", "2")
    code, _, err = run_cli(capsys, *ingest_args(plan, tmp_path, "--corrections", corrections))
    assert_one_line_error(code, err, str(corrections), "9.99")
    assert not (tmp_path / "out" / "budget.csv").exists()


def test_correction_for_a_year_outside_the_plan(tmp_path, capsys):
    plan = write(tmp_path, plan_lines())
    project = PLAN.projects[0]
    corrections = write_corrections(tmp_path, project.id, 2590, "1", "2")
    code, _, err = run_cli(capsys, *ingest_args(plan, tmp_path, "--corrections", corrections))
    assert_one_line_error(code, err, str(corrections), "2590")


def test_stale_correction(tmp_path, capsys):
    plan = write(tmp_path, plan_lines())
    project = PLAN.projects[0]
    printed = project.amounts[0]
    corrections = write_corrections(tmp_path, project.id, PLAN.years[0], amount_text(printed + 1), "1.5")
    code, _, err = run_cli(capsys, *ingest_args(plan, tmp_path, "--corrections", corrections))
    message = assert_one_line_error(code, err, str(corrections))
    assert amount_text(printed + 1) in message and amount_text(printed) in message
    assert not (tmp_path / "out" / "budget.csv").exists()


def test_seed_with_stale_bundled_correction(tmp_path, capsys, seed_path):
    """The real corrections file against a seed whose 6.1 row was retyped: the entry is stale."""
    text = seed_path.read_text(encoding="utf-8")
    row = "๐.๕\t๕\t๑๕\t๑๕\t๑๕\t๑๐"
    assert text.count(row) == 1
    path = write(tmp_path, text.replace(row, "๐.๕\t๕\t๑๖\t๑๕\t๑๕\t๑๐").encode("utf-8"), "seed.txt")
    corrections = ROOT / "data" / "corrections.yaml"
    code, _, err = run_cli(capsys, *ingest_args(path, tmp_path, "--corrections", corrections))
    assert_one_line_error(code, err, "corrections.yaml", "6.1")


# ---- --debug and a real process ----------------------------------------------------------
def test_debug_shows_traceback(tmp_path, capsys):
    lines = plan_lines()
    replace_amount(lines, PLAN.projects[1], "๑o")
    path = write(tmp_path, lines)
    code, _, err = run_cli(capsys, "--debug", *ingest_args(path, tmp_path))
    assert code == 2
    assert "Traceback" in err
    assert str(path) in err.strip().splitlines()[-1]


def test_real_process_exits_2_without_traceback(tmp_path):
    path = write(tmp_path, b"%PDF-1.4\n\x00\x01", "scan.pdf")
    proc = subprocess.run(
        [sys.executable, "-m", "coopanalysis.cli", "ingest", str(path), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert str(path) in proc.stderr and "PDF" in proc.stderr


# ---- tampered table folders (issue 13, item 4) ---------------------------------------------------------
AMOUNTS_HEADER = "project_id,fiscal_year,amount_mb,source,source_line,corrected_from\n"


def tampered(tmp_path: Path, name: str, data: bytes) -> Path:
    import shutil

    folder = tmp_path / "plan"
    shutil.copytree(ROOT / "data" / "plan", folder)
    (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("name, data, fragment", [
    ("plan.json", b'{"title": ', "plan.json:1: not valid JSON"),
    ("plan.json", b'["a", "list"]', "plan.json: expected a JSON object, got a list"),
    ("plan.json", b'{"fiscal_years": [2560, "2561x"]}', "plan.json: fiscal_years must be a list of whole BE years"),
    ("plan.json", '{"title": "été"}'.encode("latin-1"), "plan.json: not UTF-8"),
    ("budget.csv", b'project_id,fiscal_year,amount_mb\n"1.1,2560,5\n', "budget.csv: unreadable CSV"),
    ("projects.csv", b"", "projects.csv: empty file"),
    ("strategies.csv", "strategy_id,name\n1,café\n".encode("latin-1"), "strategies.csv: not UTF-8"),
    ("tactics.csv", b"foo,bar\n1,2\n", "tactics.csv:1: no tactic_id column"),
    ("kpis.csv", b"foo\n1\n", "kpis.csv:1: no kpi_id column"),
    ("budget.csv", b"project_id,fiscal_year\n1.1,2560\n", "budget.csv:1: no amount_mb column"),
    ("budget.csv", (AMOUNTS_HEADER + "1.1,2560,5,table,1,\n1.1,25x1,5,table,1,\n").encode(),
     "budget.csv:3: fiscal_year holds '25x1'"),
    ("budget.csv", (AMOUNTS_HEADER + "1.1,2560,1e999999999,table,1,\n").encode(),
     "budget.csv:2: amount_mb holds '1e999999999'"),
    ("budget.csv", (AMOUNTS_HEADER + "1.1,2560,5 baht,table,1,\n").encode(), "budget.csv:2: amount_mb holds"),
])
def test_tampered_table_folder(tmp_path, capsys, name, data, fragment):
    folder = tampered(tmp_path, name, data)
    code, _, err = run_cli(capsys, "check", folder)
    assert_one_line_error(code, err, fragment)


def test_deeply_nested_plan_json(tmp_path):
    from coopanalysis.errors import InputError
    from coopanalysis.model.plan import load_dir

    folder = tampered(tmp_path, "plan.json", b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(InputError, match="nested too deeply"):
        load_dir(folder)
