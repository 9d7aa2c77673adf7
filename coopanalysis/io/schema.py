"""The layout of an ingested plan directory, without pandas.

One place for the table names, their integer columns, the order of dotted ids and the two small
readers (``strategies.csv``, ``plan.json``) that the report runner and the parameter validation
need before anything heavy is imported. :mod:`coopanalysis.model.plan` (pandas) and
:mod:`coopanalysis.ingest` (which writes these files) both build on it, so neither imports the
other.

The tables of an ingested folder (a plan's, or a budget dataset's ``items.csv``, ``nodes.csv``
...) are CSVs people open in a spreadsheet and the toolkit reads back. A text cell that starts
like a formula (``= + - @``, a tab, a CR) or with ``'`` is written with a ``'`` before it
(:func:`~coopanalysis.io.safeio.spreadsheet_text`, OWASP's rule), and every reader takes exactly
one leading ``'`` off a text cell: a name reads back as it was. Numeric columns (:func:`cell_rule`:
amounts, years, line numbers) are written as they are, ``-5.0`` included.
"""

from __future__ import annotations

import csv
import json
import mmap
import os
from pathlib import Path

from coopanalysis.errors import InputError
from coopanalysis.io.safeio import PREFIXED_START, SMALL_LIMIT, read_bytes, spreadsheet_text, unspreadsheet_text

__all__ = [
    "TABLES", "REQUIRED", "INT_COLUMNS", "KEY_COLUMNS", "PLAN_JSON", "INGEST_META",
    "id_sort_key", "read_plan_json", "read_strategy_rows", "strategy_ids", "table_path",
    "INGEST_MANIFEST", "INGEST_STAGING_PREFIX", "ingest_interrupted",
    "REQUIRED_COLUMNS", "INT_CELL", "AMOUNT_CELL", "cell_rule", "table_cell", "escape_text_columns",
    "unescape_text_columns",
]

#: Tables of an ingested plan, in the order they are written (see ``data/README.md``).
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
#: Tables without which a directory is not an ingested plan.
REQUIRED = ("strategies", "tactics", "projects", "budget")
#: The column each table cannot do without (a table lacking it is refused, not read as empty).
KEY_COLUMNS = {
    "strategies": "strategy_id",
    "tactics": "tactic_id",
    "projects": "project_id",
    "budget": "project_id",
    "project_units": "project_id",
    "kpis": "kpi_id",
    "units": "unit",
    "activities": "project_id",
    "project_sheets": "project_id",
    "names": "id",
    "listings": "project_id",
    "corrections_applied": "project_id",
    "ingest_report": "line",
}
#: Columns a table cannot do without besides its key (a table lacking one is refused).
REQUIRED_COLUMNS = {
    "tactics": ("strategy_id",),
    "projects": ("strategy_id", "tactic_id"),
    "budget": ("fiscal_year", "amount_mb"),
}
#: Columns read as nullable integers; every ``*_mb`` column is an exact amount.
INT_COLUMNS = frozenset({
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
})
PLAN_JSON = "plan.json"
INGEST_META = "ingest_meta.json"
#: What an integer cell or an amount cell (``*_mb``) may hold: plain digits, no exponent, bounded.
INT_CELL = r"-?[0-9]{1,9}"
AMOUNT_CELL = r"-?(?:[0-9]{1,100}(?:\.[0-9]{1,100})?|\.[0-9]{1,100})"


def cell_rule(column: str) -> tuple[str, str] | None:
    """``(regex, description)`` a non-empty cell of *column* must match, or None (free text).

    >>> import re
    >>> [bool(re.fullmatch(cell_rule("amount_mb")[0], v)) for v in ["1.5", "10", "1e9", "5x"]]
    [True, True, False, False]
    >>> cell_rule("fiscal_year")[1], cell_rule("name")
    ('a whole number', None)
    """
    if column.endswith("_mb"):
        return AMOUNT_CELL, "an amount in million baht written out in digits (e.g. 12.5)"
    if column in INT_COLUMNS:
        return INT_CELL, "a whole number"
    return None
def table_cell(column: str, value: object) -> object:
    """*value* as written into the CSV of an ingested folder (see the module docstring).

    >>> table_cell("name", "=HYPERLINK(1)"), table_cell("name", "'q"), table_cell("amount_mb", "-5.0")
    ("'=HYPERLINK(1)", "''q", '-5.0')
    """
    return spreadsheet_text(value) if isinstance(value, str) and cell_rule(column) is None else value


def escape_text_columns(frame):
    """:func:`table_cell` on every cell of a pandas *frame* about to be written (a new frame
    when a cell changes, else *frame* itself).

    >>> import pandas as pd
    >>> escape_text_columns(pd.DataFrame({"name": ["+1", "ก"], "fiscal_year": [2565, 2566]})).to_dict("list")
    {'name': ["'+1", 'ก'], 'fiscal_year': [2565, 2566]}
    >>> escape_text_columns(pd.DataFrame({"row": [3, None, "@x"]}, dtype=object)).to_dict("list")
    {'row': [3, None, "'@x"]}
    """
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if cell_rule(column) is not None or values.dtype.kind not in "OU":
            continue
        # each distinct value looked at once (names repeat down a column); cells of any type
        hits = [v for v in values.unique() if isinstance(v, str) and v.startswith(PREFIXED_START)]
        if hits:
            changed[column] = values.mask(values.isin(hits), "'" + values.astype(str))
    return frame.assign(**changed) if changed else frame


def unescape_text_columns(frame, path: str | Path | None = None):
    """The frame of text read from a table of an ingested folder, with one leading ``'`` taken
    off each text cell (in place; returned for convenience). With the *path* it was read from,
    a file in which no cell starts with ``'`` is seen at C speed and the columns are left alone.

    >>> import pandas as pd
    >>> unescape_text_columns(pd.DataFrame({"name": ["'=1", "''q", "ก"], "amount_mb": ["-5", "1", "2"]})).to_dict("list")
    {'name': ['=1', "'q", 'ก'], 'amount_mb': ['-5', '1', '2']}
    """
    if path is not None and not _any_quote_led(path):
        return frame
    for column in frame.columns:
        values = frame[column]
        if cell_rule(column) is None and values.dtype.kind in "OU" and values.str.startswith("'", na=False).any():
            frame[column] = values.str.removeprefix("'")
    return frame


def _any_quote_led(path: str | Path) -> bool:
    """True when a cell of the CSV at *path* may start with ``'``: a ``'`` after a comma, a line
    end or the start of the file, perhaps behind a ``"`` (looked up with ``find`` in the mapped file)."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            def starts_cell(i: int) -> bool:
                return i == 0 or data[i - 1:i] in (b",", b"\n", b"\r")

            at = data.find(b"'")
            while at != -1:
                if starts_cell(at) or (data[at - 1:at] == b'"' and starts_cell(at - 1)):
                    return True
                at = data.find(b"'", at + 1)
    return False


#: Written last by ``coopanalysis ingest``: the files it wrote (see :mod:`coopanalysis.ingest.output`).
INGEST_MANIFEST = ".coopanalysis-manifest.json"
#: Staging folders of an ingest in progress, inside its output directory.
INGEST_STAGING_PREFIX = ".coopanalysis-new-"


def ingest_interrupted(directory: str | Path) -> bool:
    """True while an ingest into *directory* swaps its files in, or after it crashed doing so.

    >>> import tempfile
    >>> ingest_interrupted(tempfile.mkdtemp())
    False
    """
    return any(Path(directory).glob(INGEST_STAGING_PREFIX + "*/journal.json"))


def table_path(directory: str | Path, name: str) -> Path:
    """``DIRECTORY/<name>.csv``.

    >>> table_path("data/plan", "budget").as_posix()
    'data/plan/budget.csv'
    """
    return Path(directory) / f"{name}.csv"


def id_sort_key(identifier: object) -> tuple:
    """Sort key for dotted ids: "5.2" < "5.10"; generated "8.u1" after printed ones.

    >>> sorted(["5.10", "5.2", "8.u1", "8.1", "10", "9"], key=id_sort_key)
    ['5.2', '5.10', '8.1', '8.u1', '9', '10']
    """
    parts = []
    for part in str(identifier).split("."):
        if part.isdigit():
            parts.append((0, int(part)))
        else:
            digits = "".join(c for c in part if c.isdigit())
            parts.append((1, int(digits) if digits else 0))
    return tuple(parts)


def read_plan_json(directory: str | Path) -> dict:
    """``plan.json`` of an ingested directory as a dict (:class:`InputError` when it is not one).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "plan.json").write_text('["not", "a", "plan"]', encoding="utf-8")
    >>> read_plan_json(d)
    Traceback (most recent call last):
    ...
    coopanalysis.errors.InputError: ...plan.json: expected a JSON object, got a list
    """
    path = Path(directory) / PLAN_JSON
    try:
        meta = json.loads(read_bytes(path, SMALL_LIMIT).decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path=path, line=exc.lineno) from None
    except RecursionError:
        raise InputError("not valid JSON (nested too deeply)", path=path) from None
    if not isinstance(meta, dict):
        raise InputError(f"expected a JSON object, got a {type(meta).__name__}", path=path)
    years = meta.get("fiscal_years", [])
    if not isinstance(years, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
        raise InputError(f"fiscal_years must be a list of whole BE years; got {years!r}"[:200], path=path)
    return meta


def read_strategy_rows(directory: str | Path) -> list[dict[str, str]]:
    """Rows of ``strategies.csv`` as dicts of text (no pandas), in file order."""
    path = table_path(directory, "strategies")
    if not path.is_file():
        raise InputError("no such file; is this an ingested plan directory?", path=path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or "strategy_id" not in reader.fieldnames:
                raise InputError("no strategy_id column", path=path, line=1)
            return [{k: unspreadsheet_text(v or "") if cell_rule(k) is None else (v or "")
                     for k, v in row.items() if k is not None} for row in reader]
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=path) from None
    except csv.Error as exc:
        raise InputError(f"unreadable CSV ({exc})", path=path) from None


def strategy_ids(directory: str | Path) -> list[str]:
    """The strategy ids of an ingested plan directory, in numeric order."""
    return sorted((row["strategy_id"] for row in read_strategy_rows(directory)), key=id_sort_key)
