"""CSV text of a dataset's table, byte for byte what ``csv.writer`` writes, a column at a time.

A budget bill's ``items.csv`` is some 40,000 rows of twenty-odd columns. ``csv.writer`` looks
at every character of every cell to decide on quotes; here a whole column is searched once,
and only the cells that hold a comma, a quote or a line break are quoted one by one (those
with a carriage return by ``csv.writer`` itself, whose rule for them differs between Python
versions). Rows are then joined. Tables of one column, or of row dicts, go to ``csv.writer``.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

__all__ = ["csv_text"]

def _writer_text(rows, columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def _quoted(cell: str) -> str:
    if "\r" in cell:
        return _writer_text([], [cell])[:-1]  # a one-cell row is that cell as csv.writer writes it
    return '"' + cell.replace('"', '""') + '"'


def _values(column: pd.Series) -> list[str]:
    """A column as text ('' for None and NaN, numbers as str() gives them)."""
    if column.isna().any():
        column = column.astype(object).where(column.notna(), "")
    if isinstance(column.dtype, pd.StringDtype):
        return column.tolist()
    if column.dtype.kind in "iu":
        return list(map(str, column.tolist()))
    return ["" if v is None else v if type(v) is str else str(v) for v in column.tolist()]


def _cells(column: pd.Series) -> list[str]:
    """A column's cells as csv.writer writes them in a row of several cells."""
    values = _values(column)
    joined = "\x00".join(values)
    if "," in joined or '"' in joined or "\n" in joined or "\r" in joined:
        values = [_quoted(v) if ("," in v or '"' in v or "\n" in v or "\r" in v) else v for v in values]
    return values


def csv_text(rows, columns: list[str]) -> str:
    """CSV text (header, ``\\n`` line ends) of a DataFrame or a list of row dicts; missing values
    are empty cells.

    >>> frame = pd.DataFrame({"a": ["x", "1,5", None], "b": [1, 2, 3], "c": ['say "hi', "", "a\\nb"]})
    >>> print(csv_text(frame, ["a", "b", "c"]), end="")
    a,b,c
    x,1,"say ""hi"
    "1,5",2,
    ,3,"a
    b"
    """
    if not isinstance(rows, pd.DataFrame):
        return _writer_text([["" if (v := row.get(c)) is None else v for c in columns] for row in rows], columns)
    if len(columns) < 2 or not len(rows):
        return _writer_text(zip(*(_values(rows[c]) for c in columns)) if len(rows) else [], columns)
    header = _writer_text([], columns)
    body = "\n".join(map(",".join, zip(*(_cells(rows[c]) for c in columns))))
    return header + body + "\n"
