"""``ingest --out DIR`` touches only the files ingest writes (issue 13, item 2).

The folder keeps its other contents (``.git/``, ``.gitignore``, notes), its mode and its place
(a symlinked ``--out`` is followed); a read-only folder is refused; a failure or a crash at any
point of the swap leaves the old complete set or the new one, never none and never a mixture.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support.synthetic import generate, render

from coopanalysis import ingest
from coopanalysis.cli import main
from coopanalysis.errors import InputError
from coopanalysis.ingest import output
from coopanalysis.model.plan import load_dir

MANIFEST = ".coopanalysis-manifest.json"
TABLE_FILES = {f"{t}.csv" for t in ingest.tables.COLUMNS} | {"plan.json", "ingest_meta.json"}


def tables(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.name in TABLE_FILES}


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    """Two different plans and the table sets each one gives."""
    root = tmp_path_factory.mktemp("two")
    a, b = root / "a.txt", root / "b.txt"
    a.write_text(render(generate(n_projects=9, n_strategies=3, seed=3)), encoding="utf-8")
    b.write_text(render(generate(n_projects=11, n_strategies=2, seed=4)), encoding="utf-8")
    ingest.ingest_file(a, root / "ta")
    ingest.ingest_file(b, root / "tb")
    old, new = tables(root / "ta"), tables(root / "tb")
    assert old != new and set(old) == set(new) == TABLE_FILES
    return a, b, old, new


def run(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def test_other_files_mode_and_git_survive(tmp_path, plans, capsys):
    a, b, old, new = plans
    out = tmp_path / "out"
    (out / ".git" / "refs").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (out / ".gitignore").write_text("*.tmp\n", encoding="utf-8")
    (out / "notes.md").write_text("บันทึกของนักวิเคราะห์\n", encoding="utf-8")
    os.chmod(out, 0o751)
    for plan, expected in ((a, old), (b, new)):
        code, err = run(capsys, "ingest", plan, "--out", out)
        assert code == 0, err
        assert tables(out) == expected
        if plan == a:
            os.chmod(out / "budget.csv", 0o600)
    assert stat.S_IMODE((out / "budget.csv").stat().st_mode) == 0o600  # kept through the re-ingest
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert (out / ".gitignore").read_text(encoding="utf-8") == "*.tmp\n"
    assert (out / "notes.md").read_text(encoding="utf-8") == "บันทึกของนักวิเคราะห์\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o751
    assert sorted(p.name for p in out.iterdir() if p.name not in TABLE_FILES) == [
        ".coopanalysis-manifest.json", ".git", ".gitignore", "notes.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left beside it
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(TABLE_FILES)


def test_stale_files_removed_only_when_ingest_wrote_them(tmp_path, plans):
    a, _, old, _ = plans
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "victim.txt").write_text("keep", encoding="utf-8")
    for name in ("retired_table.csv", "analyst.csv", ".gitignore"):
        (out / name).write_text("x", encoding="utf-8")
    # an earlier ingest wrote retired_table.csv; a tampered manifest also names files it never wrote
    (out / MANIFEST).write_text(json.dumps({
        "files": ["retired_table.csv", "../victim.txt", ".gitignore", "/etc/passwd", 7],
        "digests": {"retired_table.csv": {"size": 1, "sha256": hashlib.sha256(b"x").hexdigest()}}}),
        encoding="utf-8")
    ingest.ingest_file(a, out)
    assert not (out / "retired_table.csv").exists()
    assert (out / "analyst.csv").exists() and (out / ".gitignore").exists()
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "keep"
    assert tables(out) == old


def test_symlinked_out_is_followed(tmp_path, plans):
    a, _, old, _ = plans
    target = tmp_path / "real"
    target.mkdir()
    (target / "README").write_text("mine", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    ingest.ingest_file(a, link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert tables(target) == old
    assert (target / "README").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_dangling_symlink_inside_does_not_block(tmp_path, plans):
    a, _, old, _ = plans
    out = tmp_path / "out"
    out.mkdir()
    (out / "gone").symlink_to(tmp_path / "nowhere")
    ingest.ingest_file(a, out)
    assert tables(out) == old and (out / "gone").is_symlink()


def test_out_dot_does_not_copy_the_working_directory(tmp_path, plans, monkeypatch, capsys):
    a, _, old, _ = plans
    work = tmp_path / "work"
    (work / "big" / "deep").mkdir(parents=True)
    (work / "big" / "deep" / "data.bin").write_bytes(b"\0" * 1000)
    monkeypatch.chdir(work)
    code, err = run(capsys, "ingest", a, "--out", ".")
    assert code == 0, err
    assert tables(work) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert (work / "big" / "deep" / "data.bin").stat().st_size == 1000
    assert not any(p.name.startswith(".coopanalysis-new-") for p in work.iterdir())


def test_read_only_out_is_refused(tmp_path, plans, capsys):
    a, _, _, _ = plans
    out = tmp_path / "ro"
    out.mkdir()
    (out / "notes.md").write_text("n", encoding="utf-8")
    os.chmod(out, 0o555)
    try:
        code, err = run(capsys, "ingest", a, "--out", out)
        assert code == 2 and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1 and str(out) in err and "not writable" in err
        assert sorted(p.name for p in out.iterdir()) == ["notes.md"]
        assert stat.S_IMODE(out.stat().st_mode) == 0o555
    finally:
        os.chmod(out, 0o755)


def test_out_is_a_file(tmp_path, plans, capsys):
    a, _, _, _ = plans
    (tmp_path / "f").write_text("x", encoding="utf-8")
    code, err = run(capsys, "ingest", a, "--out", tmp_path / "f")
    assert code == 2 and "not a directory" in err and len(err.strip().splitlines()) == 1


def _moves_into(out: Path) -> int:
    return len(TABLE_FILES) + 1  # each table, then the manifest


@pytest.mark.parametrize("k", [1, 2, 7, len(TABLE_FILES), len(TABLE_FILES) + 1])
def test_failed_replace_after_k_files_keeps_old_set(tmp_path, plans, monkeypatch, k):
    a, b, old, _ = plans
    out = tmp_path / "out"
    ingest.ingest_file(a, out)
    manifest = (out / MANIFEST).read_bytes()
    real = os.replace
    calls = {"n": 0}

    def replace(src, dst, *args, **kwargs):
        if Path(dst).parent == out and Path(src).parent != out / "backup":
            calls["n"] += 1
            if calls["n"] == k:
                raise OSError(5, "Input/output error (injected)")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="injected"):
        ingest.ingest_file(b, out)
    monkeypatch.undo()
    assert tables(out) == old
    assert (out / MANIFEST).read_bytes() == manifest
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [MANIFEST]
    assert len(load_dir(out).tables["projects"]) == 9


KILL = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from coopanalysis import ingest
    out, k = Path(sys.argv[2]).resolve(), int(sys.argv[3])
    real, n = os.replace, [0]
    def replace(src, dst, *a, **kw):
        if Path(dst).parent == out:
            n[0] += 1
            if n[0] == k:
                os._exit(9)  # killed mid-swap: no cleanup of any kind
        return real(src, dst, *a, **kw)
    os.replace = replace
    ingest.ingest_file(sys.argv[1], out)
""")


@pytest.mark.parametrize("k", [1, 6, len(TABLE_FILES) + 1])
def test_crash_mid_swap_is_detected_and_undone(tmp_path, plans, capsys, k):
    a, b, old, new = plans
    out = tmp_path / "out"
    ingest.ingest_file(a, out)
    killed = subprocess.run([sys.executable, "-c", KILL, str(b), str(out), str(k)], capture_output=True, text=True)
    assert killed.returncode == 9, killed.stderr
    after = tables(out)
    if 1 < k <= len(TABLE_FILES):
        assert after != old and after != new  # a mixture is on disk ...
    with pytest.raises(InputError, match="interrupted"):  # ... and the loader refuses it
        load_dir(out)
    code, err = run(capsys, "check", out)
    assert code == 2 and "interrupted" in err and len(err.strip().splitlines()) == 1
    output.recover(out)  # what the next ingest does first
    assert tables(out) == old
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [MANIFEST]
    ingest.ingest_file(b, out)
    assert tables(out) == new


def test_crash_while_writing_staged_files_leaves_old_set(tmp_path, plans):
    a, b, old, _ = plans
    out = tmp_path / "out"
    ingest.ingest_file(a, out)
    stage = out / ".coopanalysis-new-dead"
    stage.mkdir()
    (stage / "budget.csv").write_text("half", encoding="utf-8")  # a writer killed before its journal
    assert tables(out) == old and len(load_dir(out).tables["budget"]) > 0
    ingest.ingest_file(b, out)
    assert not stage.exists()


def test_two_ingests_into_one_folder_at_once(tmp_path, plans):
    """The second waits for the first (a lock on the folder): the end state is one whole set."""
    a, b, old, new = plans
    out = tmp_path / "out"
    for _ in range(2):
        procs = [subprocess.Popen([sys.executable, "-m", "coopanalysis.cli", "ingest", str(p), "--out", str(out)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for p in (a, b)]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        assert tables(out) in (old, new)
        assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [MANIFEST]
