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
_SEP = "\x00"
# one lookup of flags per character (code points above U+3000 have none)
_WS, _NB, _ALWAYS, _REPEAT, _TONE, _FOLLOW, _TONE4, _DIGIT = (1 << k for k in range(8))
_FLAGS = np.zeros(0x3002, dtype=np.uint8)
_FLAGS[sorted(WHITESPACE)] |= _WS
_FLAGS[[0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]] |= _NB  # above/below vowels, tones, signs
_FLAGS[[0x200B, 0x200C, 0x0A, 0x0E45, 0x0E4D]] |= _ALWAYS  # zero-width, newline, lakkhangyao, nikhahit
_FLAGS[[0x0E30, 0x0E32, 0x0E33, *range(0x0E40, 0x0E45), 0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]] |= _REPEAT
_FLAGS[range(0x0E48, 0x0E4D)] |= _TONE
_FLAGS[[0x0E30, 0x0E32, 0x0E33]] |= _FOLLOW
_FLAGS[range(0x0E48, 0x0E4C)] |= _TONE4
_FLAGS[range(0x0E50, 0x0E5A)] |= _DIGIT


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
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=n)
    text = _SEP.join(strings)
    if text.count(_SEP) != n - 1:
        return ~marked  # a NUL inside a string: no shortcut
    c = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if not len(c):
        return marked  # only empty strings
    f = _FLAGS.take(c, mode="clip")  # code points above the table have no flag, as its last entry
    ws, nb = (f & _WS) != 0, (f & _NB) != 0
    hit = ((f & _ALWAYS) != 0) | (ws & (c != 0x20))  # newline, tabs, no-break spaces ...
    if digits:
        hit |= (f & _DIGIT) != 0
    pair = ws[:-1] & (ws[1:] | nb[1:])                       # runs of spaces, a space before a mark
    pair |= ((f[:-1] & _TONE) != 0) & nb[1:]                 # tone mark before a vowel/sign
    pair |= ((f[:-1] & _FOLLOW) != 0) & ((f[1:] & _TONE4) != 0)  # follow vowel before a tone mark
    hit[:-1] |= pair
    # a repeated vowel/sign (เ + เ too), spaces between allowed: side by side, or one space
    # apart (two or more spaces are a run of spaces, marked above)
    repeat = (f & _REPEAT) != 0
    hit[:-1] |= (c[1:] == c[:-1]) & repeat[:-1]
    hit[:-2] |= (c[2:] == c[:-2]) & (c[1:-1] == 0x20) & repeat[:-2]
    starts = np.concatenate(([0], np.cumsum(lengths[:-1] + 1)))
    marked[np.searchsorted(starts, np.flatnonzero(hit), side="right") - 1] = True
    filled = lengths > 0
    first = f[np.minimum(starts, len(c) - 1)]
    last = f[np.maximum(starts + lengths - 1, 0)]
    marked |= filled & (((first & (_WS | _NB)) != 0) | ((last & _WS) != 0))
    return marked
