"""Fuzz: mutated documents, table folders and YAML fed to ``coopanalysis ingest`` and ``check``.

Whatever the input, the command line ends with exit status 0, 1 or 2, never a traceback; a
status 2 comes with exactly one line on stderr; no raw escape character reaches stderr. Inputs
start from the seed, the second plan of the family and a synthetic plan, and are mutated by a few
line and cell operations (deleted, repeated, swapped, cut short, cells replaced by hostile text,
bytes that are not UTF-8, other encodings). Bounded: a fixed number of examples per test,
derandomised (the same inputs on every run), no example database (issue 13, "Done when").
``COOPANALYSIS_FUZZ_EXAMPLES=N`` runs N random examples per test instead.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.synthetic import generate, render

from coopanalysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "cpd_action_plan_2560_2564.txt"
OTHER = ROOT / "tests" / "fixtures" / "other_plan_2565_2569.txt"
CORRECTIONS = ROOT / "data" / "corrections.yaml"
PLAN_DIR = ROOT / "data" / "plan"

BASES = {
    "seed": SEED.read_text(encoding="utf-8"),
    "other": OTHER.read_text(encoding="utf-8"),
    "synthetic": render(generate(n_projects=8, n_strategies=2, seed=5)),
}

# COOPANALYSIS_FUZZ_EXAMPLES=500 runs a longer, random (not derandomised) campaign by hand
_LONG = os.environ.get("COOPANALYSIS_FUZZ_EXAMPLES")
FUZZ = settings(max_examples=int(_LONG or 45), deadline=None, derandomize=not _LONG, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# text a hostile or broken document may hold in a cell
HOSTILE = st.sampled_from([
    "", "-", "๐", "๑,๒๐๐.๕", "9" * 30, "๙" * 60, "1e999999999", "1,2,3", "..", "๒๕๖๐", "๒๕๖๐ - ๒๕๖๔",
    "๖๐\t๖๑\t๖๒\t๖๓\t๖๔", "รวม", "ยุทธศาสตร์ที่ ๙", "กลยุทธ์ ๙.๙", "โครงการที่ ๙.๙ x", "- ๙.๙ โครงการ",
    "งบประมาณรวม", "\x1b[31mred\x1b[0m", "\x9b2J", "\u202e", "\x00", "\ufeff", "\x0c", "\u2028", "<script>",
    "'\"", "1o", "๑o", "ล้านบาท", "\t\t\t", "←", "→", "↔", "๔. ประมาณการงบประมาณ (ล้านบาท)\t๑\t๒",
]) | st.text(max_size=24)

LINE_OPS = ("delete", "repeat", "swap", "cut", "cell", "insert", "join", "split")


def run_cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, err: str, args) -> None:
    assert code in (0, 1, 2), (code, args, err[-2000:])
    assert "Traceback" not in err, err[-3000:]
    assert "\x1b" not in err and "\x9b" not in err, repr(err[-500:])
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err


def mutate_lines(lines: list[str], ops) -> list[str]:
    lines = list(lines)
    for op, a, b, payload in ops:
        if not lines:
            lines = [payload]
        i, j = int(a * (len(lines) - 1)), int(b * (len(lines) - 1))
        if op == "delete":
            del lines[i: i + 1 + int(b * 3)]
        elif op == "repeat":
            lines.insert(j, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines = lines[: max(1, i)]
        elif op == "cell":
            cells = lines[i].split("\t")
            cells[int(b * (len(cells) - 1))] = payload
            lines[i] = "\t".join(cells)
        elif op == "insert":
            lines.insert(i, payload)
        elif op == "join":
            lines[i: i + 2] = [" ".join(lines[i: i + 2])]
        elif op == "split":
            text = lines[i]
            k = int(b * len(text))
            lines[i: i + 1] = [text[:k], text[k:]]
    return lines


OPS = st.lists(st.tuples(st.sampled_from(LINE_OPS), st.floats(0, 1), st.floats(0, 1), HOSTILE), min_size=1, max_size=4)
ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp874", "latin-1", "bytes"])


def encode(text: str, encoding: str, noise: bytes) -> bytes:
    if encoding == "bytes":
        data = text.encode("utf-8")
        k = len(data) // 2
        return data[:k] + noise + data[k:]
    return text.encode(encoding, errors="replace")


@FUZZ
@given(base=st.sampled_from(sorted(BASES)), ops=OPS, encoding=ENCODINGS, noise=st.binary(max_size=8))
def test_fuzz_documents(base, ops, encoding, noise):
    lines = mutate_lines(BASES[base].split("\n"), ops)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        plan = Path(tmp) / "plan.txt"
        plan.write_bytes(encode("\n".join(lines), encoding, noise))
        code, _, err = run_cli("ingest", plan, "--out", Path(tmp) / "out")
        assert_clean(code, err, (base, ops, encoding))
        if code == 0:
            code, _, err = run_cli("check", Path(tmp) / "out", "--format", "json")
            assert_clean(code, err, ("check dir", base, ops))
        else:
            code, _, err = run_cli("check", plan, "--format", "csv")
            assert code == 2, err
            assert_clean(code, err, ("check text", base, ops))


TABLE_FILES = sorted(p.name for p in PLAN_DIR.iterdir() if p.suffix in (".csv", ".json"))
TABLE_OPS = st.lists(
    st.tuples(st.sampled_from(TABLE_FILES),
              st.sampled_from(["cell", "cell", "cell", "header", "delete_line", "repeat_line", "truncate", "json",
                               "bytes", "remove", "empty"]),
              st.floats(0, 1), st.floats(0, 1), HOSTILE, st.binary(max_size=6)),
    min_size=1, max_size=3)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                           max_leaves=8)


def mutate_table(path: Path, op: str, a: float, b: float, payload: str, noise: bytes, value) -> None:
    if op == "remove":
        path.unlink(missing_ok=True)
        return
    if not path.exists():
        return
    data = path.read_bytes()
    if op == "truncate":
        path.write_bytes(data[: int((0.2 + 0.8 * a) * len(data))])
    elif op == "bytes":
        k = int(a * len(data))
        path.write_bytes(data[:k] + noise + data[k:])
    elif op == "empty":
        path.write_bytes(b"")
    elif op == "json" and path.suffix == ".json":
        try:
            original = json.loads(data.decode("utf-8"))
        except ValueError:
            original = None
        if isinstance(original, dict) and original:
            key = sorted(original)[int(a * (len(original) - 1))]
            original[key] = value
            path.write_text(json.dumps(original, ensure_ascii=False), encoding="utf-8")
        else:
            path.write_text(json.dumps(value), encoding="utf-8")
    else:
        lines = data.decode("utf-8", errors="surrogateescape").split("\n")  # an earlier op may have cut a character
        i = int(a * (len(lines) - 1))
        if op == "header":
            i = 0
        if op in ("cell", "header"):
            cells = lines[i].split(",")
            cells[int(b * (len(cells) - 1))] = payload
            lines[i] = ",".join(cells)
        elif op == "delete_line":
            del lines[i]
        elif op == "repeat_line":
            lines.insert(int(b * len(lines)), lines[i])
        path.write_bytes("\n".join(lines).encode("utf-8", errors="surrogateescape"))


@FUZZ
@given(ops=TABLE_OPS, value=JSON_VALUES, fmt=st.sampled_from(["table", "csv", "json", "markdown"]))
def test_fuzz_table_folders(ops, value, fmt):
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        folder = Path(tmp) / "plan"
        shutil.copytree(PLAN_DIR, folder)
        for name, op, a, b, payload, noise in ops:
            mutate_table(folder / name, op, a, b, payload, noise, value)
        code, _, err = run_cli("check", folder, "--format", fmt)
        assert_clean(code, err, ops)


YAML_PIECES = st.sampled_from([
    "&a ", "*a", "<<: *a", "!!python/object/apply:os.system ['true']", "!!binary xx", "? ", "- ", ": ", "{", "}",
    "[", "]", "|", ">-", "'", '"', "#", "\t", "\n", "\n  ", "~", "null", "2562", "2560-02-30", "1e999", ".nan",
    "9" * 40, "\\ud800", '"\\ud800"', "\x1b[2J", "\x00", "\xe9", "fiscal_year: ", "field: total", "printed: ",
    "corrected: ", "project_id: ", "reason: ",
]) | st.text(max_size=12)


@FUZZ
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), YAML_PIECES), min_size=1, max_size=4),
       raw=st.booleans(), noise=st.binary(max_size=4))
def test_fuzz_corrections_yaml(edits, raw, noise):
    text = CORRECTIONS.read_text(encoding="utf-8")
    for where, cut, piece in edits:
        k = int(where * len(text))
        text = text[:k] + piece + text[k + cut:]
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        corrections = Path(tmp) / "corrections.yaml"
        data = text.encode("utf-8", errors="surrogatepass")
        corrections.write_bytes(data + noise if raw else data)
        code, _, err = run_cli("ingest", SEED, "--out", Path(tmp) / "out", "--corrections", corrections)
        assert_clean(code, err, edits)
        assert code in (0, 2)
