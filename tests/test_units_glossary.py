"""Units glossary (data/units.yaml): every unit listed, names only from the document, one unit
per spelling in the allocation, and malformed glossaries refused with file and line."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from coopanalysis import analysis, paths
from coopanalysis.errors import InputError, LimitError
from coopanalysis.model.plan import load
from coopanalysis.sources import units
from coopanalysis.text.labels import TOTAL
from coopanalysis.text.thai import match_key

FULL = "สำนักพัฒนาและถ่ายทอดเทคโนโลยีการสหกรณ์"  # the one unit the document writes in full (lines 172, 221)
# fictional spelling, used only with a glossary written by a test
TEST_NAME = "สำนักทดสอบการจัดสรร"


def _csv_units(name: str) -> set[str]:
    with open(paths.PLAN_DIR / name, encoding="utf-8", newline="") as handle:
        return {row["unit"].strip() for row in csv.DictReader(handle) if row["unit"].strip()}


@pytest.fixture(scope="module")
def seed():
    return load(paths.PLAN_DIR)


def _row(frame: pd.DataFrame, unit: str) -> pd.Series:
    rows = frame[frame["unit"] == unit]
    assert len(rows) == 1, f"{unit!r}: {len(rows)} rows"
    return rows.iloc[0]


# ---- the bundled glossary ----------------------------------------------------------------------------


def test_bundled_glossary_lists_every_unit_of_the_plan():
    glossary = units.load()
    listed = _csv_units("units.csv") | _csv_units("project_units.csv")
    assert len(listed) == 13
    assert set(glossary.units) == listed  # every unit, each under its own key (nothing merges in the seed)
    for unit in listed:
        assert glossary.canonical(unit) == unit


def test_bundled_names_come_from_the_document_only():
    raw = match_key(paths.SEED.read_text(encoding="utf-8"))
    glossary = units.load()
    named = {k: u.name for k, u in glossary.units.items() if u.name}
    assert named == {FULL: FULL}  # the document spells out no abbreviation
    for name in named.values():
        assert match_key(name) in raw
    assert glossary.full_name("คสท.") == "" and glossary.full_name("กพร.") == ""


def test_canonical_and_full_name():
    glossary = units.Glossary.from_mapping({
        "คสท.": {"name": TEST_NAME, "aliases": ["คสท", "ค.ส.ท."]},
        "สนม.": {"name": "", "aliases": []},
    })
    assert glossary.canonical("คสท") == "คสท."
    assert glossary.canonical(" ค.ส.ท. ") == "คสท."
    assert glossary.canonical(TEST_NAME) == "คสท."
    assert glossary.canonical("สำนักทดสอบ การจัดสรร") == "คสท."  # a name broken over two lines
    assert glossary.canonical("กพร.") == "กพร."  # unknown: as given
    assert glossary.full_name(TEST_NAME) == TEST_NAME and glossary.full_name("สนม.") == ""
    assert glossary.full_name("กพร.") == ""
    assert units.canonical("คสท", glossary) == "คสท." and units.full_name("คสท", glossary) == TEST_NAME


# ---- malformed glossaries ----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "line", "words"), [
    ("- คสท.\n", 1, "expected a mapping"),
    ("คสท.:\n  name: x\nสนม.:\n  full: y\n", 3, "unknown field 'full'"),
    ("คสท.:\n  name: [a]\n", 1, "name must be text"),
    ("คสท.:\n  aliases: คสท\n", 1, "aliases must be a list"),
    ("คสท.:\n  aliases: ['']\n", 1, "aliases must be a list of non-empty texts"),
    ("คสท.: x\n", 1, "expected name and aliases"),
    ("คสท.:\n  aliases: [สนม.]\nสนม.: {}\n", 3, "'สนม.' is an alias of 'คสท.' and also a unit of its own"),
    ("คสท.:\n  name: กองหนึ่ง\nสนม.:\n  name: กอง หนึ่ง\n", 3, "names both 'คสท.' and 'สนม.'"),
    ("a: &x {name: b}\nc: *x\n", 2, "aliases (*x) are not allowed"),
    ("คสท.: {name: 'x'\n", None, "not valid YAML"),
])
def test_malformed_glossary_names_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        units.load(path)
    message = str(caught.value)
    assert words in message
    assert caught.value.path is not None and caught.value.path.endswith("units.yaml")
    if line is not None:
        assert caught.value.line == line


def test_glossary_size_and_existence_are_checked(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(LimitError, match="big.yaml"):
        units.load(big)
    with pytest.raises(InputError, match="missing.yaml"):
        units.load(tmp_path / "missing.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert units.load(empty).units == {}


# ---- the allocation counts one unit per spelling ----------------------------------------------------


@pytest.fixture()
def spelled(seed, tmp_path):
    """The seed with คสท. written in full on two rows: 5.9 names it both ways, 5.10 in full only."""
    rows = []
    for pid, unit in zip(seed.project_units["project_id"], seed.project_units["unit"]):
        if pid == "5.10" and unit == "คสท.":
            unit = TEST_NAME
        rows.append({"project_id": pid, "unit": unit})
        if pid == "5.9":
            rows.append({"project_id": pid, "unit": TEST_NAME})
    plan = seed.replace(project_units=pd.DataFrame(rows, columns=["project_id", "unit"]))
    path = tmp_path / "units.yaml"
    path.write_text(f"คสท.:\n  name: {TEST_NAME}\n  aliases: []\n", encoding="utf-8")
    return plan, path


def test_full_name_and_abbreviation_are_one_unit(spelled):
    plan, path = spelled
    # worked out by hand: with the two spellings merged, every figure is the seed's own
    # คสท.: 5.3-5.9 alone (14 + 10 + 10 + 8 + 60 + 10 + 10 = 122), 5.10 shared with สนม. (10)
    equal = analysis.by_unit(plan, "equal", glossary=path)
    assert TEST_NAME not in set(equal["unit"])
    assert _row(equal, "คสท.")[TOTAL] == 127 and _row(equal, "สนม.")[TOTAL] == 5
    assert _row(equal, "คสท.")["unit_name"] == TEST_NAME  # filled from the glossary (units.csv has none)
    assert _row(analysis.by_unit(plan, "lead", glossary=path), "คสท.")[TOTAL] == 132  # 5.10 printed in full first
    full = analysis.by_unit(plan, "full", glossary=path)
    assert _row(full, "คสท.")[TOTAL] == 132  # 5.9 counted once, not twice
    assert full.attrs["credited_total_mb"] == 940.5
    policies = analysis.unit_policies(plan, glossary=path)
    assert _row(policies, "คสท.")[["equal_mb", "lead_mb", "full_mb"]].tolist() == [127, 132, 132]


def test_without_the_glossary_the_spellings_stay_apart(spelled, tmp_path):
    plan, _ = spelled
    empty = tmp_path / "empty.yaml"
    empty.write_text("{}\n", encoding="utf-8")
    equal = analysis.by_unit(plan, "equal", glossary=empty)
    # 5.9 split between the two spellings (5 + 5), 5.10 between the full name and สนม. (5 + 5)
    assert _row(equal, "คสท.")[TOTAL] == 14 + 10 + 10 + 8 + 60 + 10 + 5
    assert _row(equal, TEST_NAME)[TOTAL] == 10
    assert analysis.by_unit(plan, "full", glossary=empty).attrs["credited_total_mb"] == 950.5


def test_seed_allocation_with_the_bundled_glossary(seed):
    # nothing merges in the seed: the full-name unit is never abbreviated in the document
    table = analysis.by_unit(seed, "equal")
    assert table["unit"].tolist()[:3] == [FULL, "คสท.", "กพร."]
    assert _row(table, FULL)["unit_name"] == FULL and _row(table, FULL)[TOTAL] == 286
    assert _row(table, "คสท.")["unit_name"] == ""
    assert len(table) == 15  # 13 units, no unit, totals


@pytest.mark.parametrize(("text", "words"), [
    ("- คสท.\n", "got list"),
    ("คสท.: x\n", "got str"),
    ("คสท.:\n  name: [a]\n", "got list"),
    ("1: {}\n", "a unit abbreviation must be non-empty text, got 1"),
    ("'  ': {}\n", "a unit abbreviation must be non-empty text, got '  '"),
])
def test_malformed_entries_say_what_they_got(tmp_path, text, words):
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        units.load(path)
    assert words in str(caught.value)
    assert str(caught.value).startswith(str(path)) and caught.value.line == 1


def test_empty_values_and_empty_files(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("คสท.:\nสนม.:\n  name:\n  aliases:\n", encoding="utf-8")
    glossary = units.load(path)
    assert set(glossary.units) == {"คสท.", "สนม."}
    assert glossary.full_name("คสท.") == "" and glossary.units["สนม."].aliases == ()
    assert glossary.path == str(path)
    path.write_text("", encoding="utf-8")
    empty = units.load(path)
    assert empty.units == {} and empty.canonical(" คสท. ") == "คสท." and empty.full_name("คสท.") == ""
    assert glossary.canonical(None) == "" and glossary.canonical("") == ""


def test_bundled_glossary_by_default_and_when_absent(tmp_path, monkeypatch):
    assert units.full_name(FULL) == FULL  # module functions read the bundled glossary
    assert units.canonical(" คสท. ") == "คสท."
    monkeypatch.setattr(units, "GLOSSARY", tmp_path / "absent.yaml")
    absent = units.load()
    assert absent.units == {} and absent.canonical(FULL) == FULL and absent.full_name(FULL) == ""
    assert absent.path == str(tmp_path / "absent.yaml")
