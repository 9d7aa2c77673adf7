"""Notebook parameters: load ``params/*.yaml`` and command-line values, validate them early.

Papermill only *warns* about an unknown parameter and never checks a type, so every value is
checked here, against the plan's strategies, before any kernel starts. A bad value raises
:class:`~coopanalysis.errors.ParamsError` (exit status 2) whose message lists the valid choices.

Parameters of the notebooks (the tagged ``parameters`` cell of each):

=========== ====== ========================================================================
name        type   meaning
=========== ====== ========================================================================
source      str    the dataset: a plan text file, an ingested plan or budget table folder;
                   ``""`` = the bundled plan
node        str    the node of ``node_report``: an id, a printed label (``"5"``) or a name;
                   ``""`` = the first node of *level*
level       str    the level of *node* (``"strategy"``, ``"budgetary_unit"``); ``""`` = any
strategy_id str    a strategy of the plan, as printed: ``"5"`` (``params/strategy_<id>.yaml``;
                   in ``node_report`` *node* at a plan's first level)
output_dir  str    where a notebook may write side files (CSV); ``""`` = write nothing
thai_digits bool   numbers and years in Thai digits in tables and labels
=========== ====== ========================================================================

Relative paths are resolved against the project root (:data:`coopanalysis.paths.ROOT`), never
against the working directory.

This module is imported by notebook kernels too: keep it light (no pandas, no papermill).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from coopanalysis import paths
from coopanalysis.errors import InputError, ParamsError, UnknownStrategyError
from coopanalysis.io import schema

#: Parameter name -> required Python type.
PARAM_TYPES: dict[str, type] = {
    "strategy_id": str,
    "node": str,
    "level": str,
    "source": str,
    "output_dir": str,
    "thai_digits": bool,
}
#: Parameters of a plan-level notebook (overview, checks, units, explore).
PLAN_PARAMS = ("source", "output_dir", "thai_digits")
#: Parameters of a plan's ``params/strategy_<id>.yaml`` (a strategy's report).
STRATEGY_PARAMS = ("strategy_id", "source", "output_dir", "thai_digits")
#: Parameters of ``node_report.ipynb`` (``strategy_id``: a plan's name for *node* at its first level).
NODE_PARAMS = ("source", "node", "level", "output_dir", "thai_digits", "strategy_id")
#: Values used when a parameter is not given (the notebooks' parameters cells hold the same).
DEFAULTS: dict[str, object] = {"source": "", "output_dir": "", "thai_digits": False}

_TYPE_WORDS = {str: 'a string (quote it in YAML: "5")', bool: "true or false"}


def resolve_path(value: str | Path | None, default: Path | None = None) -> Path | None:
    """An absolute path: *value* resolved against the project root; *default* when empty.

    >>> resolve_path("data/plan") == paths.ROOT / "data" / "plan"
    True
    >>> resolve_path("", default=paths.PLAN_DIR) == paths.PLAN_DIR
    True
    >>> resolve_path("") is None
    True
    """
    if value is None or str(value) == "":
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (paths.ROOT / path).resolve()


def strategy_ids(source: str | Path) -> list[str]:
    """The strategy ids of an ingested plan directory, in numeric order (reads only strategies.csv).

    Cheap on purpose: validation happens before anything heavy is imported (no pandas here).
    """
    try:
        return schema.strategy_ids(source)
    except InputError as exc:
        raise ParamsError(f"{exc}; is {source} an ingested plan directory?") from None


def _choices(valid: Iterable[str]) -> str:
    return ", ".join(f'"{v}"' for v in valid)


def _describe(value: object) -> str:
    return f"{type(value).__name__} {value!r}"


def normalize_strategy_id(value: object, valid: list[str], where: str = "") -> str:
    """A strategy id checked against *valid*; Thai digits and surrounding spaces are accepted.

    >>> normalize_strategy_id(" ๕ ", ["1", "5"])
    '5'
    >>> normalize_strategy_id("9", ["1", "5"])
    Traceback (most recent call last):
    ...
    coopanalysis.errors.UnknownStrategyError: unknown strategy '9'; valid choices: "1", "5"
    >>> normalize_strategy_id(5, ["1", "5"], where="params/strategy_5.yaml: ")
    Traceback (most recent call last):
    ...
    coopanalysis.errors.ParamsError: params/strategy_5.yaml: strategy_id must be a string (quote it in YAML: "5"), got int 5; valid choices: "1", "5"
    """
    if not isinstance(value, str):
        raise ParamsError(
            f"{where}strategy_id must be {_TYPE_WORDS[str]}, got {_describe(value)}; "
            f"valid choices: {_choices(valid)}"
        )
    from coopanalysis.text.thai import to_arabic  # (pythainlp: imported only when a value is checked)

    text = to_arabic(value).strip()
    if text not in valid:
        raise UnknownStrategyError(f"{where}unknown strategy {value!r}; valid choices: {_choices(valid)}")
    return text


def validate(
    params: Mapping[str, object],
    valid_strategies: list[str],
    allowed: Iterable[str] = STRATEGY_PARAMS,
    where: str = "",
) -> dict:
    """Check names and types of *params*; return them normalised (paths absolute, ids Arabic).

    *allowed* is the notebook's parameter names; *where* prefixes messages (e.g. a file name).

    >>> validate({"strategy_id": "5", "thai_digits": True}, ["5"])["thai_digits"]
    True
    >>> validate({"strategy_id": "5", "thai_digits": "yes"}, ["5"])
    Traceback (most recent call last):
    ...
    coopanalysis.errors.ParamsError: thai_digits must be true or false, got str 'yes'
    >>> validate({"strategy": "5"}, ["5"])
    Traceback (most recent call last):
    ...
    coopanalysis.errors.ParamsError: unknown parameter 'strategy'; valid parameters: strategy_id, source, output_dir, thai_digits
    """
    allowed = tuple(allowed)
    if not isinstance(params, Mapping):
        raise ParamsError(f"{where}parameters must be a mapping of name: value, got {_describe(params)}")
    out: dict[str, object] = {}
    for name, value in params.items():
        if name not in allowed:
            raise ParamsError(f"{where}unknown parameter {name!r}; valid parameters: {', '.join(allowed)}")
        if name == "strategy_id":
            out[name] = normalize_strategy_id(value, valid_strategies, where)
            continue
        expected = PARAM_TYPES[name]
        if value is None and expected is str:
            value = ""
        if not isinstance(value, expected):
            raise ParamsError(f"{where}{name} must be {_TYPE_WORDS[expected]}, got {_describe(value)}")
        if name in ("source", "output_dir") and value:
            value = str(resolve_path(value))
        out[name] = value
    if "strategy_id" in allowed and "node" not in allowed and "strategy_id" not in out:
        raise ParamsError(f"{where}strategy_id is required; valid choices: {_choices(valid_strategies)}")
    return out


def params_file(strategy_id: str, params_dir: str | Path = paths.PARAMS) -> Path:
    """Where the parameters of one strategy live: ``params/strategy_<id>.yaml``."""
    return Path(params_dir) / f"strategy_{strategy_id}.yaml"


def load_file(path: str | Path, valid_strategies: list[str]) -> dict:
    """Load and validate one parameters file; its strategy_id must match its file name."""
    from coopanalysis.io.yamlsafe import load_file as load_yaml  # bounded: regular file, 1 MiB, no aliases, UTF-8

    path = Path(path)
    where = f"{path}: "
    data = load_yaml(path, error=ParamsError)
    if data is None:
        data = {}
    params = validate(data, valid_strategies, STRATEGY_PARAMS, where)
    expected = path.stem.removeprefix("strategy_")
    if path.stem.startswith("strategy_") and params["strategy_id"] != expected:
        raise ParamsError(f"{where}strategy_id {params['strategy_id']!r} does not match the file name")
    return params


def load_dir(params_dir: str | Path, valid_strategies: list[str]) -> dict[str, dict]:
    """Every ``strategy_*.yaml`` of *params_dir*, validated, by strategy id."""
    found: dict[str, dict] = {}
    for path in sorted(Path(params_dir).glob("strategy_*.yaml")):
        params = load_file(path, valid_strategies)
        found[params["strategy_id"]] = params
    return found


def strategy_params(
    source: str | Path,
    selected: Iterable[object] | None = None,
    params_dir: str | Path | None = paths.PARAMS,
    output_dir: str | Path | None = None,
) -> list[dict]:
    """Validated parameters for every strategy report to run, in strategy order.

    *selected* (``--strategy``) restricts the strategies; each must exist in the plan at *source*
    (an ingested directory). A ``params/strategy_<id>.yaml`` file, when present, supplies that
    strategy's values (a file for a strategy the plan lacks is an error only if selected);
    ``source`` and ``output_dir`` always come from the runner, as absolute paths.
    """
    valid = strategy_ids(source)
    if selected:
        wanted = []
        for value in selected:
            sid = normalize_strategy_id(value, valid)
            if sid not in wanted:
                wanted.append(sid)
        wanted.sort(key=valid.index)
    else:
        wanted = list(valid)
    result = []
    for sid in wanted:
        params = {"strategy_id": sid, "thai_digits": DEFAULTS["thai_digits"]}
        if params_dir is not None and params_file(sid, params_dir).is_file():
            params.update(load_file(params_file(sid, params_dir), valid))
        params["source"] = str(Path(source).resolve())
        params["output_dir"] = str(Path(output_dir).resolve()) if output_dir else ""
        result.append(validate(params, valid, STRATEGY_PARAMS))
    return result
