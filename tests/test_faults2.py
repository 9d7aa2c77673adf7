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
