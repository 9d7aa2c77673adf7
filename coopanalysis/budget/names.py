"""Names of a budget table's nodes: folded for storage, keyed for matching, once per distinct value.

A column of a budget bill repeats a few hundred names (ministries, agencies, categories) or holds
tens of thousands of distinct ones (items); :func:`per_distinct` works each distinct value out
once and maps the answers back onto the column.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from coopanalysis.text.thai import match_key, normalize_text, to_arabic

__all__ = ["fold", "keys_distinct", "part_marker", "per_distinct"]

_SPACE = re.compile(r"\s+")
# a volume part marker ending a name: ``(2)``, ``( ๒ )``, ``(2 )``
_PART = re.compile(r"\s*\(\s*([0-9\u0e50-\u0e59]{1,2})\s*\)\s*$")


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """A name as stored: Thai-normalised, every run of whitespace one space.

    >>> fold("  กรม\\nส่งเสริม   สหกรณ์ ")
    'กรม ส่งเสริม สหกรณ์'
    """
    return normalize_text(_SPACE.sub(" ", text))


def part_marker(name: str) -> tuple[str, int | None]:
    """*name* without a volume part marker ``(N)`` at its end, and N (None: no marker).

    The Budget Bureau prints a large ministry over several volumes and names it in each with
    the part it holds: ``กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม (2)``.

    >>> part_marker("กระทรวง ก (2)"), part_marker("กระทรวง ก( ๑๒ )"), part_marker("กระทรวง ก")
    (('กระทรวง ก', 2), ('กระทรวง ก', 12), ('กระทรวง ก', None))
    >>> part_marker("(2)"), part_marker("กระทรวง ก (0)"), part_marker("แผน (ก)")
    (('(2)', None), ('กระทรวง ก (0)', None), ('แผน (ก)', None))
    """
    found = _PART.search(name)
    base = name[:found.start()].rstrip() if found else ""
    number = int(to_arabic(found.group(1))) if found else 0
    return (base, number) if base and number else (name, None)


def keys_distinct(names: list[str]) -> list[str]:
    """:func:`~coopanalysis.text.thai.match_key` of each of *names* ('' stays '').

    >>> keys_distinct(["กรม หนึ่ง", "ปี ๒๕๖๕", ""])
    ['กรมหนึ่ง', 'ปี2565', '']
    """
    return [match_key(name) for name in names]


def per_distinct(values: pd.Series, func) -> pd.Series:
    """``func`` of every value of *values*, calling *func* once per distinct value.

    >>> per_distinct(pd.Series(["a", "b", "a"]), str.upper).tolist()
    ['A', 'B', 'A']
    """
    distinct = values.unique().tolist()
    return values.map(dict(zip(distinct, map(func, distinct))))
