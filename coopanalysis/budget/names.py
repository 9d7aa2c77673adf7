"""Names of a budget table's nodes: folded for storage, keyed for matching, a column at a time.

A column of a budget bill repeats a few hundred names (ministries, agencies, categories) or
holds tens of thousands of distinct ones (items). Each distinct value is worked out once, and
only the values :func:`~coopanalysis.thaivec.may_change` marks go through the exact
normalisation; the rest are already in their folded form.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..thai import match_key, normalize_text
from ..thaivec import may_change

__all__ = ["fold", "fold_all", "keys_all", "per_distinct"]

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """A name as stored: Thai-normalised, every run of whitespace one space.

    >>> fold("  กรม\\nส่งเสริม   สหกรณ์ ")
    'กรม ส่งเสริม สหกรณ์'
    """
    return normalize_text(_SPACE.sub(" ", text))


def per_distinct(values: list, func) -> list:
    """``[func(v) for v in values]``, calling *func* once per distinct value.

    >>> per_distinct(["a", "b", "a"], str.upper)
    ['A', 'B', 'A']
    """
    memo = {value: func(value) for value in set(values)}
    return list(map(memo.__getitem__, values))


def _fast_map(values: list, marked_digits: bool, slow) -> list:
    distinct = list(set(values))
    marks = may_change(distinct, digits=marked_digits)
    if marked_digits:
        memo = {value: value.replace(" ", "") for value in distinct}
    else:
        memo = dict(zip(distinct, distinct))
    for value, mark in zip(distinct, marks.tolist()):
        if mark:
            memo[value] = slow(value)
    return list(map(memo.__getitem__, values))


def fold_all(values: list[str]) -> list[str]:
    """:func:`fold` of every value.

    >>> fold_all(["กรม  หนึ่ง", "กรมสอง", "กรม  หนึ่ง"])
    ['กรม หนึ่ง', 'กรมสอง', 'กรม หนึ่ง']
    """
    return _fast_map(values, False, fold)


def keys_all(names: list[str]) -> list[str]:
    """:func:`~coopanalysis.thai.match_key` of every name ('' stays '').

    >>> keys_all(["กรม หนึ่ง", "ปี ๒๕๖๕", ""])
    ['กรมหนึ่ง', 'ปี2565', '']
    """
    return _fast_map(names, True, match_key)
