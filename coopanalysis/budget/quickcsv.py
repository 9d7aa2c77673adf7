"""A CSV table read by pandas' C parser when that is sure to give what the csv module gives.

The csv module (strict) is the reference reader of :mod:`coopanalysis.budget.reader`: exact
errors with line numbers, every row kept. On a well-formed file pandas' parser yields the very
same cells several times faster, and column by column. :func:`quick_csv` uses it only when the
file is clean UTF-8 (:func:`~coopanalysis.decode.clean_utf8`) and every quote stands where
RFC 4180 puts it; anything else (another encoding, a stray quote, a row longer than the
header, an error) returns None and the reference reader takes over, messages and all.
"""

from __future__ import annotations

import codecs
import io

import numpy as np
import pandas as pd

from ..decode import clean_utf8

__all__ = ["quick_csv", "quotes_well_placed"]

_QUOTE, _COMMA, _NEWLINE, _RETURN = 0x22, 0x2C, 0x0A, 0x0D
MAX_ROWS = 2_000_000


def _pairs(buffer: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Positions of the opening and the closing quotes (they alternate); None for an odd count."""
    at = np.flatnonzero(buffer == _QUOTE)
    if len(at) % 2:
        return None
    return at[0::2], at[1::2]


def _well_placed(buffer: np.ndarray, pairs, crlf: bool) -> bool:
    opening, closing = pairs
    if not len(opening):
        return True
    ends = (_COMMA, _NEWLINE, _QUOTE, _RETURN) if crlf else (_COMMA, _NEWLINE, _QUOTE)
    before = buffer[np.maximum(opening - 1, 0)]
    after = buffer[np.minimum(closing + 1, len(buffer) - 1)]
    ok_open = (opening == 0) | np.isin(before, (_COMMA, _NEWLINE, _QUOTE))
    ok_close = (closing == len(buffer) - 1) | np.isin(after, ends)
    return bool(ok_open.all() and ok_close.all())


def quotes_well_placed(data: bytes) -> bool:
    """Every quote opens a field, closes one, or doubles a quote inside one (LF line ends).

    Quotes alternate opening and closing; an opening quote follows a comma, a line end, the
    start, or the closing quote before it (``""`` inside a field); a closing quote is followed
    by a comma, a line end, the end, or the next opening quote.

    >>> [quotes_well_placed(t) for t in [b'a,"b,c"\\n', b'"x""y",z', b'"ab"c,d', b'ab"c', b'"open']]
    [True, True, False, False, False]
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    pairs = _pairs(buffer)
    return pairs is not None and _well_placed(buffer, pairs, crlf=False)


def _line_ends(data: bytes) -> tuple[bytes, bool, tuple[np.ndarray, np.ndarray] | None]:
    """*data* with LF line ends as the csv path sees them, or kept with CRLF when every CR ends
    a line outside quotes (pandas reads CRLF itself; a copy of a large file is saved); and the
    quote pairs of the data returned, when worked out on the way (else None)."""
    if b"\r" not in data:
        return data, False, None
    buffer = np.frombuffer(data, dtype=np.uint8)
    returns = np.flatnonzero(buffer == _RETURN)
    if returns[-1] + 1 < len(buffer) and (buffer[returns + 1] == _NEWLINE).all():
        pairs = _pairs(buffer)
        if pairs is not None and not (np.searchsorted(returns, pairs[0]) != np.searchsorted(returns, pairs[1])).any():
            return data, True, pairs
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), False, None


def quick_csv(raw: bytes) -> tuple[list[str], list[np.ndarray]] | None:
    """``(header, columns)`` as the csv module reads *raw* (cells as text, short rows padded
    with ''), or None when only the csv module may say what the file holds."""
    if not clean_utf8(raw):
        return None
    data, crlf, pairs = _line_ends(raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw)
    buffer = np.frombuffer(data, dtype=np.uint8)
    if pairs is None:
        pairs = _pairs(buffer)
    if pairs is None or not _well_placed(buffer, pairs, crlf):
        return None
    try:
        frame = pd.read_csv(io.BytesIO(data), header=None, dtype=object, na_filter=False, skip_blank_lines=False,
                            engine="c", encoding="utf-8", encoding_errors="strict")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    if not len(frame) or len(frame) - 1 > MAX_ROWS:
        return None
    values = [column.to_numpy() for _label, column in frame.items()]  # no copy (read-only views)
    header = [str(column[0]).strip() for column in values]
    if not any(header) or not all(isinstance(column[0], str) for column in values):
        return None
    return header, [column[1:] for column in values]
