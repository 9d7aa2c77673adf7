"""Small pure helpers on executed notebooks: the summary, the failing cell, stable cell ids.

Used by the report workers (:mod:`coopanalysis.report.kernel`); no papermill, no kernel.
"""

from __future__ import annotations

import re

__all__ = ["find_summary", "cell_source_index", "set_cell_ids", "one_line"]

#: Cells papermill adds to an executed notebook (not in the input notebook).
ADDED_TAGS = frozenset({"injected-parameters", "papermill-error-cell-tag"})


def find_summary(nb) -> dict | None:
    """The report's one-line summary: the last output carrying ``metadata['coopanalysis']['summary']``
    (see :func:`coopanalysis.report.index.show_summary`).

    >>> nb = {"cells": [{"outputs": [{"metadata": {"coopanalysis": {"summary": {"text": "a"}}}}]},
    ...                 {"outputs": [{"metadata": {"coopanalysis": {"summary": {"text": "b"}}}}]}]}
    >>> find_summary(nb)
    {'text': 'b'}
    >>> find_summary({"cells": [{"cell_type": "markdown"}]}) is None
    True
    """
    found = None
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("coopanalysis")
            if isinstance(meta, dict) and isinstance(meta.get("summary"), dict):
                found = dict(meta["summary"])
    return found


def cell_source_index(nb, executed_index: int, error_output: bool = True) -> int:
    """Index (0-based) in the input notebook of a cell of the executed one.

    papermill adds a cell for the injected parameters and, after an error, marker cells; with
    *error_output* the cell is found again as the first one holding an error output.

    >>> cells = [{"metadata": {"tags": ["papermill-error-cell-tag"]}}, {"metadata": {}},
    ...          {"metadata": {"tags": ["injected-parameters"]}}, {"metadata": {}},
    ...          {"metadata": {}, "outputs": [{"output_type": "error"}]}]
    >>> cell_source_index({"cells": cells}, 4)
    2
    >>> cell_source_index({"cells": cells}, 3, error_output=False)
    1
    >>> cell_source_index(None, 7)
    7
    """
    if nb is None:
        return executed_index
    kept = 0
    for index, cell in enumerate(nb["cells"]):
        if ADDED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if error_output:
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                return kept
        elif index == executed_index:
            return kept
        kept += 1
    return executed_index


def set_cell_ids(nb, name: str) -> None:
    """Give every cell a stable id, ``<name>-<index>`` (nbformat 4.5), in place.

    papermill and nbformat give new cells random ids, and the ids reach the HTML: stable ids make
    two runs of the same input produce the same files.

    >>> nb = {"nbformat": 4, "nbformat_minor": 5, "cells": [{"id": "x1"}, {"id": "9f"}]}
    >>> set_cell_ids(nb, "strategy 5/ü")
    >>> [c["id"] for c in nb["cells"]]
    ['strategy-5---0', 'strategy-5---1']
    >>> old = {"nbformat": 4, "nbformat_minor": 4, "cells": [{}]}
    >>> set_cell_ids(old, "x"); old["cells"]
    [{}]
    """
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) < (4, 5):
        return  # ids do not exist before nbformat 4.5
    stem = re.sub(r"[^A-Za-z0-9_-]", "-", name)[:48] or "cell"
    for index, cell in enumerate(nb["cells"]):
        cell["id"] = f"{stem}-{index}"


def one_line(text: str, limit: int = 300) -> str:
    """*text* on one line, without terminal colour codes, at most *limit* characters.

    >>> one_line("\\x1b[0;31mZeroDivisionError\\x1b[0m:\\n  division   by zero")
    'ZeroDivisionError: division by zero'
    >>> one_line("x" * 10, limit=5)
    'xxxx…'
    """
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", str(text))  # ANSI codes from IPython tracebacks
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
