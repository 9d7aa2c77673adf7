"""Names of a budget table's nodes: folded for storage, keyed for matching, a column at a time.

A column of a budget bill repeats a few hundred names (ministries, agencies, categories) or
holds tens of thousands of distinct ones (items). Each distinct value is worked out once, and
only the values :func:`~coopanalysis.thaivec.may_change` marks go through the exact
normalisation; the rest are already in their folded form.
"""

from __future__ import annotations

import ctypes
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..thai import match_key, normalize_text
from ..thaivec import may_change
from .tree import first_seen

__all__ = ["distinct_objects", "factorize", "fold", "fold_all", "fold_and_key", "fold_distinct", "keys_distinct", "objects",
           "per_distinct"]

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """A name as stored: Thai-normalised, every run of whitespace one space.

    >>> fold("  กรม\\nส่งเสริม   สหกรณ์ ")
    'กรม ส่งเสริม สหกรณ์'
    """
    return normalize_text(_SPACE.sub(" ", text))


def objects(values) -> np.ndarray:
    """A 1-d object array of *values* (strings stay Python strings)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _addresses(values: np.ndarray) -> np.ndarray:
    """The object pointers an object array holds, as integers (no copy: *values* must outlive them)."""
    buffer = (ctypes.c_ssize_t * len(values)).from_address(values.__array_interface__["data"][0])
    return np.frombuffer(buffer, dtype=np.intp)


def distinct_objects(values) -> tuple[np.ndarray, np.ndarray]:
    """Codes and uniques like ``pandas.factorize``, except that equal cells held by different
    objects may get different codes (for per-value work that merges its results anyway).

    pandas' CSV parser hands equal cells of a column over as one string object, so a column of
    a few hundred names holds a few hundred objects: an integer hash of the pointers is several
    times faster than hashing strings. Short or strided arrays are factorised by value.

    >>> codes, uniques = distinct_objects(objects(["b", "a", "b", "a"] * 20))
    >>> codes[:4].tolist(), sorted(uniques.tolist())
    ([0, 1, 0, 1], ['a', 'b'])
    """
    if not isinstance(values, np.ndarray):
        values = objects(values)
    if values.dtype != object or not values.flags.c_contiguous or len(values) < 64:
        return pd.factorize(values)
    by_object, distinct = pd.factorize(_addresses(values))
    return by_object, values[first_seen(by_object, len(distinct))]


def factorize(values) -> tuple[np.ndarray, np.ndarray]:
    """``pandas.factorize`` of a column of cells (same codes, same uniques in first-seen order):
    by identity first (:func:`distinct_objects`), then by value over the distinct objects only.
    Equal objects are equal values, and equal values held by different objects (another file,
    another chunk) still get one code.

    >>> codes, uniques = factorize(objects(["b", "a", "".join(["b"]), "a"]))
    >>> codes.tolist(), uniques.tolist()
    ([0, 1, 0, 1], ['b', 'a'])
    """
    by_object, representatives = distinct_objects(values)
    codes, uniques = pd.factorize(representatives)
    return codes[by_object], uniques


def per_distinct(values, func) -> np.ndarray:
    """``func`` of every value, calling *func* once per distinct value (an object array).

    >>> per_distinct(["a", "b", "a"], str.upper).tolist()
    ['A', 'B', 'A']
    """
    codes, uniques = factorize(values)
    return objects([func(u) for u in uniques.tolist()])[codes]


def _fast(distinct: list[str], digits: bool, slow) -> list[str]:
    marks = may_change(distinct, digits=digits).tolist()
    if digits:
        return [slow(v) if m else v.replace(" ", "") for v, m in zip(distinct, marks)]
    return [slow(v) if m else v for v, m in zip(distinct, marks)]


def fold_distinct(distinct: list[str]) -> list[str]:
    """:func:`fold` of each of *distinct* (unique strings), the slow path only where needed.

    >>> fold_distinct(["กรม  หนึ่ง", "กรมสอง"])
    ['กรม หนึ่ง', 'กรมสอง']
    """
    return _fast(distinct, False, fold)


def keys_distinct(names: list[str]) -> list[str]:
    """:func:`~coopanalysis.thai.match_key` of each of *names* (unique, folded; '' stays '').

    >>> keys_distinct(["กรม หนึ่ง", "ปี ๒๕๖๕", ""])
    ['กรมหนึ่ง', 'ปี2565', '']
    """
    return _fast(names, True, match_key)


def fold_and_key(distinct: list[str]) -> tuple[list[str], list[str]]:
    """:func:`fold` of each of *distinct* and the match key of that, in one look at the text.

    >>> fold_and_key(["กรม  หนึ่ง", "ปี ๒๕๖๕", "กรมสอง", ""])
    (['กรม หนึ่ง', 'ปี ๒๕๖๕', 'กรมสอง', ''], ['กรมหนึ่ง', 'ปี2565', 'กรมสอง', ''])
    """
    marks = may_change(distinct, digits=True).tolist()  # marks every string fold might change, too
    folded = [fold(v) if m else v for v, m in zip(distinct, marks)]
    keys = [match_key(f) if m else f.replace(" ", "") for f, m in zip(folded, marks)]
    return folded, keys


def fold_all(values) -> np.ndarray:
    """:func:`fold` of every value (an object array).

    >>> fold_all(["กรม  หนึ่ง", "กรมสอง", "กรม  หนึ่ง"]).tolist()
    ['กรม หนึ่ง', 'กรมสอง', 'กรม หนึ่ง']
    """
    codes, uniques = factorize(values)
    return objects(fold_distinct(uniques.tolist()))[codes]
