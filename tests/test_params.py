"""Report parameters: params/*.yaml agree with the bundled plan; bad values stop the runner
with exit status 2 and the valid choices, before any kernel starts."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from coopanalysis import paths
from coopanalysis.cli import main
from coopanalysis.errors import ParamsError
from coopanalysis.report import params

STRATEGIES_CSV = paths.PLAN_DIR / "strategies.csv"


def csv_strategy_ids() -> list[str]:
    with STRATEGIES_CSV.open(encoding="utf-8", newline="") as handle:
        return [row["strategy_id"] for row in csv.DictReader(handle)]


def params_files() -> list[Path]:
    return sorted(paths.PARAMS.glob("*.yaml"))


# ---- params/ agrees with data/plan/strategies.csv ---------------------------------------------


def test_one_params_file_per_strategy():
    ids = csv_strategy_ids()
    assert ids, "data/plan/strategies.csv lists no strategy"
    stems = sorted(p.stem for p in params_files())
    expected = sorted(f"strategy_{sid}" for sid in ids)
    assert stems == expected, (
        f"params/ and data/plan/strategies.csv disagree: missing {sorted(set(expected) - set(stems))}, "
        f"extra {sorted(set(stems) - set(expected))}"
    )


@pytest.mark.parametrize("path", params_files(), ids=lambda p: p.name)
def test_params_file_is_valid(path):
    ids = csv_strategy_ids()
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(raw["strategy_id"], str), "strategy_id must be quoted in YAML"
    loaded = params.load_file(path, ids)
    assert loaded["strategy_id"] == path.stem.removeprefix("strategy_")
    assert isinstance(loaded.get("thai_digits", False), bool)
    # source/output_dir are the runner's (absent), or paths that exist relative to the root
    if loaded.get("source"):
        assert Path(loaded["source"]).exists()


def test_strategy_ids_reads_document_order():
    assert params.strategy_ids(paths.PLAN_DIR) == csv_strategy_ids()


def test_notebook_parameters_match_the_validated_names():
    import papermill
    for name, expected in (
        ("node_report", params.NODE_PARAMS),
        ("overview", params.PLAN_PARAMS),
        ("checks", params.PLAN_PARAMS),
        ("units", params.PLAN_PARAMS),
    ):
        inferred = papermill.inspect_notebook(str(paths.NOTEBOOKS / f"{name}.ipynb"))
        assert tuple(inferred) == expected, name
        for pname, info in inferred.items():
            assert info["inferred_type_name"] == params.PARAM_TYPES[pname].__name__, (name, pname)


# ---- validation (no kernel involved) -----------------------------------------------------------


VALID = ["1", "3", "5"]


def test_validate_normalises():
    out = params.validate({"strategy_id": " ๕ ", "thai_digits": True, "source": "data/plan", "output_dir": None}, VALID)
    assert out["strategy_id"] == "5"
    assert out["source"] == str(paths.ROOT / "data" / "plan")
    assert out["output_dir"] == ""


@pytest.mark.parametrize(
    "given, pattern",
    [
        ({"strategy_id": "9"}, r"unknown strategy '9'; valid choices: \"1\", \"3\", \"5\""),
        ({"strategy_id": 5}, r"strategy_id must be a string .*got int 5; valid choices: \"1\", \"3\", \"5\""),
        ({"strategy_id": "5", "thai_digits": "yes"}, r"thai_digits must be true or false, got str 'yes'"),
        ({"strategy_id": "5", "thai_digits": 1}, r"thai_digits must be true or false, got int 1"),
        ({"strategy_id": "5", "source": 3}, r"source must be a string"),
        ({"strategy_id": "5", "outdir": "x"}, r"unknown parameter 'outdir'; valid parameters: strategy_id, source"),
        ({}, r"strategy_id is required; valid choices"),
    ],
)
def test_validate_rejects(given, pattern):
    with pytest.raises(ParamsError, match=pattern):
        params.validate(given, VALID)


def test_plan_notebooks_take_no_strategy():
    with pytest.raises(ParamsError, match="unknown parameter 'strategy_id'"):
        params.validate({"strategy_id": "5"}, VALID, params.PLAN_PARAMS)


def test_file_name_must_match(tmp_path):
    path = tmp_path / "strategy_3.yaml"
    path.write_text('strategy_id: "5"\n', encoding="utf-8")
    with pytest.raises(ParamsError, match="does not match the file name"):
        params.load_file(path, VALID)


def test_invalid_yaml(tmp_path):
    path = tmp_path / "strategy_5.yaml"
    path.write_text('strategy_id: "5\n', encoding="utf-8")
    with pytest.raises(ParamsError, match="not valid YAML"):
        params.load_file(path, VALID)


# ---- the command: exit status 2, valid choices listed, nothing executed -----------------------


def _no_outputs(out: Path) -> bool:
    return not out.exists() or not any(out.glob("*.ipynb"))


def test_unknown_strategy_exits_2(tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["report", "--strategy", "99", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    valid = ", ".join(f'"{sid}"' for sid in csv_strategy_ids())
    assert "unknown strategy '99'" in err and f"valid choices: {valid}" in err
    assert _no_outputs(out)


@pytest.mark.parametrize(
    "content, pattern",
    [
        ("strategy_id: 5\n", r"strategy_id must be a string"),
        ('strategy_id: "5"\nthai_digits: "no"\n', r"thai_digits must be true or false"),
        ('strategy_id: "5"\ncolour: red\n', r"unknown parameter 'colour'"),
    ],
)
def test_bad_params_file_exits_2(tmp_path, capsys, content, pattern):
    pdir = tmp_path / "params"
    pdir.mkdir()
    (pdir / "strategy_5.yaml").write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    status = main(["report", "--params", str(pdir), "--out", str(out), "--strategy", "5"])
    err = capsys.readouterr().err
    assert status == 2
    assert re.search(pattern, err), err
    assert "strategy_5.yaml" in err
    if "strategy_id" in pattern:
        assert 'valid choices: "1"' in err
    assert _no_outputs(out)


def test_bad_jobs_exits_2(tmp_path, capsys):
    assert main(["report", "--jobs", "0", "--out", str(tmp_path / "out")]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err
