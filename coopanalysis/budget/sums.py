"""Roll item amounts up a budget dataset's hierarchy, exactly.

Node ids are dotted paths (``1.2.3``), so a node's ancestors are the prefixes of its id. The
amounts (exact decimal text, million baht) become :class:`~decimal.Decimal` values (each
distinct text once) and are added per ancestor and year with ``groupby``: the same value and
exponent as adding them one by one.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from coopanalysis.budget.names import per_distinct

__all__ = ["ancestors", "rollup", "rollup_present"]


def ancestors(node_id: str) -> list[str]:
    """The node and every node above it, top first.

    >>> ancestors("1.2.3")
    ['1', '1.2', '1.2.3']
    """
    parts = node_id.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def rollup(dataset, years=None, depths=None) -> dict[tuple[str, int], Decimal]:
    """``{(node_id, fiscal_year): sum of the item amounts beneath}`` (million baht, exact).

    Every row counts for its own year: the bill year's sums are its appropriation (obligation
    rows of that year included); another year's sums are the commitments for that year.
    Rows without an amount (malformed) add nothing. *depths* (the number of parts of a node id,
    ``1.2`` is depth 2) limits the sums to nodes at those depths.
    """
    return rollup_present(dataset, years, depths)[0]


def rollup_present(dataset, years=None, depths=None) -> tuple[dict[tuple[str, int], Decimal], set[tuple[str, int]]]:
    """:func:`rollup`, and the ``(node_id, fiscal_year)`` of every node at *depths* with at least
    one item row in that year, an amount or not."""
    items = pd.DataFrame({"node_id": dataset.items["node_id"].astype(str),
                          "year": per_distinct(dataset.items["fiscal_year"].astype(str), int),
                          "amount": dataset.items["amount_mb"].astype(str)})
    if years is not None:
        items = items[items["year"].isin({int(y) for y in years})]
    items["value"] = per_distinct(items["amount"], lambda text: Decimal(text) if text else None)
    parts = items["node_id"].str.split(".")
    deepest = int(parts.str.len().max()) if len(items) else 0
    wanted = range(1, deepest + 1) if depths is None else sorted({int(d) for d in depths if 1 <= int(d) <= deepest})
    sums: dict[tuple[str, int], Decimal] = {}
    present: set[tuple[str, int]] = set()
    for depth in wanted:
        deep_enough = parts.str.len() >= depth
        at_depth = items[deep_enough].assign(node=parts[deep_enough].str[:depth].str.join("."))
        present.update(zip(at_depth["node"], at_depth["year"].tolist()))
        with_amount = at_depth[at_depth["value"].notna()]
        totals = with_amount.groupby(["node", "year"], sort=False)["value"].sum()
        sums.update(zip(totals.index.tolist(), totals.tolist()))
    return sums, present
