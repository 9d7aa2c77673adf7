"""Thai text checks over many strings at once: which strings normalisation might change.

:func:`~coopanalysis.thai.normalize_text` costs microseconds a string, and a budget bill has
tens of thousands of distinct item names, almost all already normal. :func:`may_change`
looks at every character of every string in a few numpy passes and marks each string that
*might* change: a superset of the patterns :data:`coopanalysis.thai._MAY_CHANGE` and the
whitespace rules match. Callers send only the marked strings through the exact (slow)
function; an unmarked string is returned as it is. A wrong mark only costs time; a missing
one would be a bug, so ``tests/test_thaivec.py`` compares against the slow path on random text.
"""

from __future__ import annotations

import numpy as np

__all__ = ["WHITESPACE", "may_change"]

# every code point that str.isspace() and the regex class \s accept (all are below U+3001)
WHITESPACE = frozenset(c for c in range(0x3001) if chr(c).isspace())
_WS = np.array(sorted(WHITESPACE), dtype=np.uint32)
# zero-width space/non-joiner, newline, lakkhangyao, nikhahit: always a look
_ALWAYS = np.array([0x200B, 0x200C, 0x0A, 0x0E45, 0x0E4D], dtype=np.uint32)
_SEP = "\x00"


def _non_base(c: np.ndarray) -> np.ndarray:
    """Above/below vowels, tone marks and signs: U+0E31, U+0E34-0E3A, U+0E47-0E4E."""
    return (c == 0x0E31) | ((c >= 0x0E34) & (c <= 0x0E3A)) | ((c >= 0x0E47) & (c <= 0x0E4E))


def _repeatable(c: np.ndarray) -> np.ndarray:
    """Vowels and signs pythainlp de-duplicates: ะ า ำ, เ-ไ and the non-base marks."""
    return (c == 0x0E30) | (c == 0x0E32) | (c == 0x0E33) | ((c >= 0x0E40) & (c <= 0x0E44)) | _non_base(c)


def may_change(strings, digits: bool = False) -> np.ndarray:
    """A boolean per string: True when folding whitespace or Thai normalisation might change it.

    With *digits*, Thai digits (``๐``-``๙``) mark a string too (a match key turns them Arabic).

    >>> may_change(["กรมส่งเสริมสหกรณ์", "กรม  สอง", " ก", "กํากับ", "เเปลก", "ปี ๒๕๖๕"]).tolist()
    [False, True, True, True, True, False]
    >>> may_change(["ปี ๒๕๖๕", "a\\tb", "ก่่"], digits=True).tolist()
    [True, True, True]
    """
    strings = list(strings)
    n = len(strings)
    marked = np.zeros(n, dtype=bool)
    if not n:
        return marked
    lengths = np.fromiter((len(s) for s in strings), dtype=np.int64, count=n)
    text = _SEP.join(strings)
    if text.count(_SEP) != n - 1:
        return ~marked  # a NUL inside a string: no shortcut
    c = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if not len(c):
        return marked  # only empty strings
    starts = np.concatenate(([0], np.cumsum(lengths[:-1] + 1)))
    ends = starts + lengths  # one past the last character
    ws = np.isin(c, _WS)
    nb = _non_base(c)
    hit = np.isin(c, _ALWAYS) | (ws & (c != 0x20))  # newline, tabs, no-break spaces ...
    if digits:
        hit |= (c >= 0x0E50) & (c <= 0x0E59)
    nxt = np.empty_like(c)
    nxt[:-1], nxt[-1] = c[1:], 0
    hit[:-1] |= ws[:-1] & (ws[1:] | nb[1:])                 # runs of spaces, a space before a mark
    hit |= (c == 0x0E40) & (nxt == 0x0E40)                  # เ + เ
    hit |= ((c >= 0x0E48) & (c <= 0x0E4C)) & _non_base(nxt)  # tone mark before a vowel/sign
    hit |= ((c == 0x0E30) | (c == 0x0E32) | (c == 0x0E33)) & (nxt >= 0x0E48) & (nxt <= 0x0E4B)
    solid = np.flatnonzero(c != 0x20)                       # repeated vowel/sign, spaces between allowed
    s = c[solid]
    again = np.flatnonzero((s[1:] == s[:-1]) & _repeatable(s[:-1]))
    hit[solid[again]] = True
    owner = np.searchsorted(starts, np.flatnonzero(hit), side="right") - 1
    marked[owner] = True
    filled = lengths > 0
    first, last = c[np.minimum(starts, len(c) - 1)], c[np.maximum(ends - 1, 0)]
    marked |= filled & (np.isin(first, _WS) | _non_base(first) | np.isin(last, _WS))
    return marked
