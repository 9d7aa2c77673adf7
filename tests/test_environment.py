"""The project's own files describe one environment, and the bundled document is the real one."""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from helpers import SHARED  # tests/helpers.py

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "cpd_action_plan_2560_2564.txt"
SEED = SHARED / "seed" / "000_4c5d6eec96b307b3.txt"
RAW_SHA256 = "f804e14bca5ff6e4505f8860564954b4b3514fccae1a640379ba1e69daac16ec"

# Not compared: the interpreter, the installer and the project itself.
EXCLUDED = {"python", "pip"}

_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*?)\s*(?:;.*)?$")


def _normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def _lower_bound(constraint: str) -> str | None:
    """The ``>=`` bound of a version constraint (PEP 508 or conda match spec), else None."""
    for clause in constraint.replace(" ", "").split(","):
        if clause.startswith(">="):
            return clause[2:]
    return None


def _parse(spec: str) -> tuple[str, str | None]:
    match = _SPEC.match(spec)
    assert match, f"cannot parse dependency {spec!r}"
    return _normalise(match.group(1)), _lower_bound(match.group(2))


def _deps(specs) -> dict[str, str | None]:
    deps: dict[str, str | None] = {}
    for spec in specs:
        name, bound = _parse(spec)
        assert name not in deps, f"{name} listed twice"
        deps[name] = bound
    return deps


def pyproject_deps() -> dict[str, str | None]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    specs += project.get("optional-dependencies", {}).get("test", [])
    return _deps(specs)


def environment_deps() -> dict[str, str | None]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    specs: list[str] = []
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            specs += [s for s in entry.get("pip", []) if not s.strip().startswith("-e")]
        else:
            specs.append(entry)
    deps = _deps(specs)
    return {name: bound for name, bound in deps.items() if name not in EXCLUDED}


def test_parser():
    assert _parse("fontpkg_noto_sans_thai >=2.2") == ("fontpkg-noto-sans-thai", "2.2")
    assert _parse("PyYAML>=6.0,<7") == ("pyyaml", "6.0")
    assert _parse("nbval") == ("nbval", None)
    assert _parse('tomli>=2; python_version < "3.11"') == ("tomli", "2")


def test_environment_yml_basics():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "coopanalysis"
    assert env["channels"] == ["conda-forge"]
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    assert any(_parse(d) == ("python", "3.11") for d in plain)
    pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert len(pip) == 1 and "-e ." in pip[0]["pip"]


def test_environment_matches_pyproject():
    expected, actual = pyproject_deps(), environment_deps()
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    assert not missing, f"in pyproject.toml but not environment.yml: {missing}"
    assert not extra, f"in environment.yml but not pyproject.toml: {extra}"
    bounds = {n: (expected[n], actual[n]) for n in expected if expected[n] != actual[n]}
    assert not bounds, f"lower bounds differ (pyproject, environment): {bounds}"


def test_ci_run_calls_make_test():
    run = ROOT / ".ci" / "run"
    assert run.is_file()
    assert os.access(run, os.X_OK), ".ci/run must be executable"
    text = run.read_text(encoding="utf-8")
    assert text.startswith("#!") and "bash" in text.splitlines()[0]
    assert "set -euo pipefail" in text
    assert re.search(r"^\s*make test\s*$", text, re.MULTILINE)


def test_raw_document_checksum():
    assert hashlib.sha256(RAW.read_bytes()).hexdigest() == RAW_SHA256


@pytest.mark.skipif(not SEED.exists(), reason=f"{SEED} absent: ../shared/seed is not part of the project")
def test_raw_document_is_the_seed():
    assert RAW.read_bytes() == SEED.read_bytes()
