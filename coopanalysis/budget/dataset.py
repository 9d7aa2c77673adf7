"""Load a budget dataset directory (or take one straight from an ingest).

Its sums are the model's one roll-up (:meth:`coopanalysis.model.dataset.Dataset.computed`, of
``coopanalysis.load(path)``); :mod:`coopanalysis.checks.table_rules` checks it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coopanalysis.errors import InputError
from coopanalysis.io.safeio import DOCUMENT_LIMIT, SMALL_LIMIT, check_regular, read_bytes, read_text
from coopanalysis.io.schema import unescape_text_columns

__all__ = ["KIND", "BudgetDataset", "is_budget_dataset", "load_dataset", "dataset_from_result"]

KIND = "budget_table"
TABLES = ("items", "nodes", "stated", "ingest_report")


@dataclass
class BudgetDataset:
    """A budget dataset: ``plan`` (plan.json) and its tables as DataFrames of text.

    ``nodes`` may be given as a function that reads the table: it is called on first use
    (the checks never need the node table, the largest after the items). ``corrections``: the
    reviewed corrections applied at ingest, with their reasons (``corrections_applied.csv``).
    """

    plan: dict
    items: pd.DataFrame
    nodes_table: pd.DataFrame | Callable[[], pd.DataFrame]
    stated: pd.DataFrame
    ingest_report: pd.DataFrame
    directory: Path | None = None
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def nodes(self) -> pd.DataFrame:
        if callable(self.nodes_table):
            self.nodes_table = self.nodes_table()
        return self.nodes_table

    @property
    def levels(self) -> list[dict]:
        return list(self.plan["levels"])

    @property
    def level_keys(self) -> list[str]:
        return [level["key"] for level in self.plan["levels"]]

    @property
    def bill_year(self) -> int | None:
        return self.plan.get("bill_year")

    @property
    def title(self) -> str:
        return str(self.plan.get("title", ""))

    def level(self, key: str) -> dict:
        """The level *key* (``{"key", "label_th", "label_en"}``); InputError for an unknown key."""
        for level in self.plan["levels"]:
            if level["key"] == key:
                return level
        raise InputError(f"no level {key!r} in this dataset (levels: {', '.join(self.level_keys)})")

    def node_records(self) -> dict[str, dict]:
        return {r["node_id"]: r for r in self.nodes.to_dict("records")}

    def with_stated(self, rows: list[dict]) -> BudgetDataset:
        """A copy whose stated totals also hold *rows* (a --stated file given to check wins over stored ones)."""
        if not rows:
            return self
        extra = pd.DataFrame(rows, columns=list(self.stated.columns)).astype(str)
        given = set(zip(extra["node_id"], extra["fiscal_year"]))
        kept = self.stated[[k not in given for k in zip(self.stated["node_id"], self.stated["fiscal_year"])]]
        stated = pd.concat([kept, extra], ignore_index=True)
        return BudgetDataset(self.plan, self.items, self.nodes_table, stated, self.ingest_report, self.directory,
                             self.corrections)


def is_budget_dataset(path: str | Path) -> bool:
    """True when *path* is a directory whose plan.json says ``"kind": "budget_table"``."""
    plan = Path(path) / "plan.json"
    if not plan.is_file():
        return False
    try:
        meta = json.loads(read_bytes(plan, limit=SMALL_LIMIT).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, OSError, RecursionError, InputError):
        return False  # not a budget dataset; the plan loader says what is wrong with it
    return isinstance(meta, dict) and meta.get("kind") == KIND


def _present(path: Path) -> Path:
    if not path.is_file():
        raise InputError("missing table of a budget dataset (re-run 'coopanalysis ingest')", path=path)
    check_regular(path)
    if path.stat().st_size > 4 * DOCUMENT_LIMIT:
        raise InputError(f"table larger than {4 * DOCUMENT_LIMIT} bytes; refusing to read it", path=path)
    return path


def _frame(path: Path) -> pd.DataFrame:
    _present(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"not a readable table: {str(exc).splitlines()[0]}", path=path) from None
    return unescape_text_columns(frame, path)  # the spreadsheet guard ' of a text cell (io.schema)


def _later(path: Path) -> Callable[[], pd.DataFrame]:
    """A reader of the table at *path* for later, refusing a file changed since now."""
    before = path.stat()

    def read() -> pd.DataFrame:
        now = path.stat()
        if (now.st_ino, now.st_size, now.st_mtime_ns) != (before.st_ino, before.st_size, before.st_mtime_ns):
            raise InputError("changed since the dataset was loaded (ingested again?); load it again", path=path)
        return _frame(path)

    return read


#: What each cell of a table the checks compute with must hold (a hand-edited folder is checked
#: before any sum): column -> (pattern, what it should be).
_YEAR = (r"\d{4}", "a Buddhist-era fiscal year such as 2565")
_AMOUNT = (r"-?\d{1,15}(\.\d{1,24})?", "an amount in million baht such as 2597.5571, or empty")
ITEM_CELLS = {"node_id": (r"\d+(\.\d+)*", "a node id such as 1.2.3"), "fiscal_year": _YEAR,
              "amount_mb": (_AMOUNT[0] + "|", _AMOUNT[1]), "source_row": (r"\d+", "a row number")}
STATED_CELLS = {"fiscal_year": _YEAR, "amount_mb": _AMOUNT}


def _check_cells(frame: pd.DataFrame, path: Path, rules: dict[str, tuple[str, str]]) -> None:
    """Every column of *rules* present and every cell of it as the rule says, or an
    :class:`InputError` naming the file, the line and the column."""
    for column, (pattern, expected) in rules.items():
        if column not in frame.columns:
            raise InputError(f"no {column} column; re-run 'coopanalysis ingest'", path=path, line=1)
        bad = ~frame[column].str.fullmatch(pattern)
        if bad.any():
            row = int(bad.to_numpy().argmax())
            shown = frame[column].iloc[row]
            shown = repr(shown[:20] + "…" if len(shown) > 20 else shown)
            raise InputError(f"{column} holds {shown}, expected {expected}", path=path, line=row + 2)


def load_dataset(path: str | Path, lazy_nodes: bool = False) -> BudgetDataset:
    """Read a directory written by ``coopanalysis ingest TABLE… --mapping``. *lazy_nodes*: read
    ``nodes.csv`` only when first used (``check`` needs it only for a ``--stated`` file)."""
    directory = Path(path)
    if not directory.is_dir():
        raise InputError("not a directory", path=directory)
    try:
        plan = json.loads(read_text(directory / "plan.json", limit=SMALL_LIMIT * 8))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path=directory / "plan.json", line=exc.lineno) from None
    if not isinstance(plan, dict) or plan.get("kind") != KIND:
        raise InputError("plan.json is not a budget dataset's (\"kind\": \"budget_table\")", path=directory)
    if not isinstance(plan.get("levels"), list) or not plan["levels"]:
        raise InputError("plan.json has no 'levels'", path=directory / "plan.json")
    nodes = _present(directory / "nodes.csv")
    frames = {name: _frame(directory / f"{name}.csv") for name in TABLES if name != "nodes"}
    _check_cells(frames["items"], directory / "items.csv", ITEM_CELLS)
    _check_cells(frames["stated"], directory / "stated.csv", STATED_CELLS)
    corrections = _frame(directory / "corrections_applied.csv") if "corrections_file" in plan else pd.DataFrame()
    return BudgetDataset(plan, frames["items"], _later(nodes) if lazy_nodes else _frame(nodes), frames["stated"],
                         frames["ingest_report"], directory, corrections)


def _as_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """*columns* of *frame* as text, as ``load_dataset`` reads them ('' for a missing value or column)."""
    out = pd.DataFrame({c: frame[c] if c in frame else "" for c in columns}, index=frame.index)
    return out.astype(object).where(out.notna(), "").astype("str")


def dataset_from_result(result) -> BudgetDataset:
    """A :class:`BudgetDataset` straight from an ingest result (``check`` on tables, no files):
    every column text, as :func:`load_dataset` reads the files ingest writes."""
    frames = {name: _as_text(result.frames[name], result.columns[name]) for name in TABLES}
    corrections = result.frames.get("corrections_applied")
    return BudgetDataset(result.plan, frames["items"], frames["nodes"], frames["stated"], frames["ingest_report"],
                         corrections=pd.DataFrame() if corrections is None
                         else _as_text(corrections, result.columns["corrections_applied"]))
