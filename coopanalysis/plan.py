"""Load the tidy tables of one plan into a :class:`Plan`.

``load(source)`` takes a directory written by ``coopanalysis ingest`` or a plan text file
(ingested on the fly into a temporary directory, so there is one code path).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputError

TABLES = (
    "strategies",
    "tactics",
    "projects",
    "project_units",
    "budget",
    "kpis",
    "units",
    "activities",
    "project_sheets",
    "names",
    "listings",
    "corrections_applied",
    "ingest_report",
)
REQUIRED = ("strategies", "tactics", "projects", "budget")
_INT_COLUMNS = {
    "fiscal_year",
    "source_line",
    "stated_project_count",
    "stated_total_line",
    "stated_count_line",
    "n_values",
    "n_listings",
    "listing",
    "line",
    "first_fiscal_year",
    "last_fiscal_year",
}


@dataclass
class Plan:
    """The tables of one plan. DataFrames follow ``data/README.md``.

    ``*_mb`` columns are float (NaN when empty) with the exact printed text in ``*_mb_text``.
    """

    meta: dict
    tables: dict[str, pd.DataFrame]
    source: Path | None = None
    ingest_meta: dict = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        if name == "corrections" and "corrections_applied" in tables:
            return tables["corrections_applied"]
        raise AttributeError(name)

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.meta.get("fiscal_years", [])]

    @property
    def title(self) -> str:
        return self.meta.get("title", "")

    def strategy_ids(self) -> list[str]:
        """Strategy ids in numeric order."""
        return sorted(self.strategies["strategy_id"].tolist(), key=id_sort_key)



def id_sort_key(identifier: str) -> tuple:
    """Sort key for dotted ids: "5.2" < "5.10"; generated "8.u1" after printed ones.

    >>> sorted(["5.10", "5.2", "8.u1", "8.1"], key=id_sort_key)
    ['5.2', '5.10', '8.1', '8.u1']
    """
    parts = []
    for part in str(identifier).split("."):
        if part.isdigit():
            parts.append((0, int(part)))
        else:
            digits = "".join(c for c in part if c.isdigit())
            parts.append((1, int(digits) if digits else 0))
    return tuple(parts)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in list(frame.columns):
        if column.endswith("_mb"):
            frame[column + "_text"] = frame[column].astype(str)
            frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce").astype(
                "float64"
            )
        elif column in _INT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce").astype(
                "Int64"
            )
    return frame


def read_table(directory: Path, name: str) -> pd.DataFrame:
    path = directory / f"{name}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return _typed(frame)


def load_dir(directory: str | Path) -> Plan:
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError("not a directory", path=directory)
    missing = [n for n in REQUIRED if not (directory / f"{n}.csv").is_file()]
    if missing or not (directory / "plan.json").is_file():
        names = ", ".join([f"{n}.csv" for n in missing] + ([] if (directory / "plan.json").is_file() else ["plan.json"]))
        raise InputError(
            f"not an ingested plan directory (missing {names}); run 'coopanalysis ingest' first",
            path=directory,
        )
    meta = json.loads((directory / "plan.json").read_text(encoding="utf-8"))
    tables = {}
    for name in TABLES:
        if (directory / f"{name}.csv").is_file():
            tables[name] = read_table(directory, name)
        else:
            tables[name] = pd.DataFrame()
    ingest_meta = {}
    if (directory / "ingest_meta.json").is_file():
        ingest_meta = json.loads((directory / "ingest_meta.json").read_text(encoding="utf-8"))
    return Plan(meta=meta, tables=tables, source=directory, ingest_meta=ingest_meta)


def load(source: str | Path, corrections: str | Path | None = None) -> Plan:
    """Load a plan from an ingested directory or a plan text file.

    A text file is ingested into a temporary directory first (with *corrections* if given).
    """
    source = Path(source)
    if not source.exists():
        raise InputError("no such file or directory", path=source)
    if source.is_dir():
        return load_dir(source)
    from .ingest import ingest_file  # local import: ingest pulls in the parser

    with tempfile.TemporaryDirectory(prefix="coopanalysis-") as tmp:
        ingest_file(source, tmp, corrections=corrections)
        plan = load_dir(tmp)
    plan.source = source
    return plan
