"""Placing a table row's printed budget cells into fiscal years.

The last cell is the printed total (รวม); the others are yearly amounts. A row is:

- ``exact``: one value per year and they add up to the total;
- ``repaired``: one value too many, and dropping a value that repeats its neighbour (a merged
  cell spilled into a spurious column) is the unique way to add up;
- ``mismatch``: one value per year, but they do not add up (printed values kept);
- ``unreconciled``: the values cannot be placed with confidence (yearly amounts left empty).

Repairs undo layout only; they never change a printed number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopanalysis.text.thai import amount_text, parse_amount


@dataclass
class Placement:
    status: str
    yearly: list[Decimal] | None
    total: Decimal | None
    note: str = ""


def place(cells: list[str], n_years: int) -> Placement:
    """Place printed cells (yearly values then the total) into *n_years* years.

    >>> place(["5", "5", "5", "5", "5", "25"], 5).status
    'exact'
    >>> p = place(["-", "5", "3", "3", "3", "3", "14"], 5); p.status, [str(v) for v in p.yearly]
    ('repaired', ['0', '5', '3', '3', '3'])
    >>> place(["0.5", "5", "15", "15", "15", "10"], 5).status
    'mismatch'
    >>> place(["1", "10", "10", "10", "10", "10", "60"], 5).status
    'unreconciled'
    """
    if not cells:
        return Placement("unreconciled", None, None, "no budget values printed")
    values = [parse_amount(c) for c in cells]
    total, yearly = values[-1], values[:-1]
    if len(yearly) == n_years:
        if sum(yearly, Decimal(0)) == total:
            return Placement("exact", yearly, total)
        return Placement(
            "mismatch",
            yearly,
            total,
            f"yearly values add up to {amount_text(sum(yearly, Decimal(0)))}, printed total {amount_text(total)}",
        )
    if len(yearly) == n_years + 1:
        outcomes: dict[tuple, int] = {}
        for i, value in enumerate(yearly):
            repeated = (i > 0 and yearly[i - 1] == value) or (i + 1 < len(yearly) and yearly[i + 1] == value)
            rest = yearly[:i] + yearly[i + 1 :]
            if repeated and sum(rest, Decimal(0)) == total:
                outcomes.setdefault(tuple(rest), i)
        if len(outcomes) == 1:
            rest, index = next(iter(outcomes.items()))
            return Placement(
                "repaired",
                list(rest),
                total,
                f"{len(yearly)} values for {n_years} years: dropped the repeated value "
                f"{amount_text(yearly[index])} (cell {index + 1}), a merged cell spilled into a "
                f"spurious column; the rest add up to the printed total {amount_text(total)}",
            )
        why = "no repeated value whose removal adds up" if not outcomes else "more than one way to add up"
        return Placement(
            "unreconciled",
            None,
            total,
            f"{len(yearly)} values for {n_years} years and {why} to the printed total {amount_text(total)}",
        )
    return Placement(
        "unreconciled",
        None,
        total,
        f"{len(yearly)} values for {n_years} years; cannot tell which year each belongs to",
    )
