"""Copies of the seed in other encodings ingest to byte-identical tables (every *.csv and
plan.json; only ingest_meta.json, which records the encoding and the raw bytes' hash, differs)."""

from __future__ import annotations

import codecs
import json

import pytest

from coopanalysis import ingest as ingest
from coopanalysis.io.decode import read_text

# The seed's activity marks (↔ ← →) have no TIS-620/cp874 code. The cp874 copies are made of the
# seed with those marks spelled 'x', and compared with the UTF-8 ingest of that same text.
CP874_SAFE = str.maketrans({"↔": "x", "←": "x", "→": "x"})


def tables(directory):
    files = {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}
    assert "ingest_meta.json" in files and "plan.json" in files and "budget.csv" in files
    # ingest_meta.json names the source file and its bytes; the manifest records the digests of
    # every file written, ingest_meta.json's included: both differ between copies by design
    return {k: v for k, v in files.items() if k not in ("ingest_meta.json", ".coopanalysis-manifest.json")}


def assert_identical(expected: dict, actual: dict) -> None:
    assert sorted(actual) == sorted(expected)
    different = [name for name in expected if expected[name] != actual[name]]
    assert different == [], f"tables differ: {different}"


@pytest.fixture(scope="module")
def seed_text(seed_path):
    text, encoding = read_text(seed_path)
    assert encoding == "utf-8"
    return text


@pytest.fixture(scope="module")
def safe_reference(seed_text, tmp_path_factory):
    """UTF-8 ingest of the cp874-encodable variant of the seed."""
    root = tmp_path_factory.mktemp("safe")
    src = root / "plan.txt"
    src.write_bytes(seed_text.translate(CP874_SAFE).encode("utf-8"))
    ingest.ingest_file(src, root / "out")
    return tables(root / "out")


UNICODE_COPIES = {
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "utf-16-crlf": lambda t: t.replace("\n", "\r\n").encode("utf-16"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-8-crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(UNICODE_COPIES))
def test_unicode_copies_of_seed_are_identical(name, seed_text, plan_dir, tmp_path):
    src = tmp_path / "cpd_action_plan_2560_2564.txt"
    src.write_bytes(UNICODE_COPIES[name](seed_text))
    result = ingest.ingest_file(src, tmp_path / "out")
    assert_identical(tables(plan_dir), tables(tmp_path / "out"))
    meta = json.loads((tmp_path / "out" / "ingest_meta.json").read_text(encoding="utf-8"))
    assert meta["encoding"] == ("utf-8-sig" if "bom" in name and "utf-8" in name
                                else "utf-8" if name.startswith("utf-8") else "utf-16")
    assert result.encoding == meta["encoding"]


@pytest.mark.parametrize("codec", ["cp874", "tis-620"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_tis620_copy_of_seed_is_identical(codec, newline, seed_text, safe_reference, tmp_path):
    src = tmp_path / "plan.txt"
    src.write_bytes(seed_text.translate(CP874_SAFE).replace("\n", newline).encode(codec))
    ingest.ingest_file(src, tmp_path / "out")
    assert_identical(safe_reference, tables(tmp_path / "out"))
    meta = json.loads((tmp_path / "out" / "ingest_meta.json").read_text(encoding="utf-8"))
    assert meta["encoding"] == "cp874"


def test_safe_variant_differs_only_in_activity_marks(safe_reference, plan_dir):
    """The 'x' substitution touches activities.csv only, so the cp874 test covers the rest."""
    original = tables(plan_dir)
    different = sorted(k for k in original if original[k] != safe_reference.get(k))
    assert set(different) <= {"activities.csv"}, different
