"""Wrap Thai text at word boundaries for chart labels.

Thai is written without spaces between words, so :mod:`textwrap` (which only breaks at spaces)
cannot wrap it. Here words come from pythainlp's ``newmm`` tokenizer (offline, dictionary based)
and width is counted in display cells: Thai above/below marks (ั ิ ี ึ ื ุ ู ็ ่ ้ ๊ ๋ ์ ...) take
no cell, East Asian wide characters take two.

Line breaks are never placed

- inside a word, nor between the nominalisers ``การ``/``ความ`` and the word they introduce
  (the dictionary is used without the compounds ``การX``/``ความX`` whose ``X`` is itself a
  word, so ``โครงการพัฒนา`` splits as ``โครงการ|พัฒนา``, not ``โครง|การพัฒนา``);
- before closing punctuation (``) , . ๆ ฯ``) or after opening brackets;
- between a word and the number after it (``ที่ ๕``, ``พ.ศ. ๒๕๖๐``), nor inside ``๒๕๖๐-๒๕๖๔``.

A word longer than the width is cut between characters (never between a letter and its marks).

>>> wrap("โครงการพัฒนาระบบฐานข้อมูลเงินกองทุนพัฒนาสหกรณ์", 16)
['โครงการพัฒนาระบบ', 'ฐานข้อมูลเงินกองทุน', 'พัฒนาสหกรณ์']
>>> [display_width(line) for line in _]
[15, 15, 9]
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["display_width", "wrap", "fill"]

_PREFIXES = ("การ", "ความ")
_CLOSING = set(")]}>,.;:!?%ๆฯ”’»")
_OPENING = set("([{<“‘«")
_NUMBER = re.compile(r"^[0-9๐-๙][0-9๐-๙.,]*%?$")
_DASHES = "-–—"


def display_width(text: str) -> int:
    """Width of *text* in display cells: combining marks 0, wide characters 2, others 1.

    >>> display_width("กำกับดูแล"), display_width("ที่"), display_width("abc"), display_width("")
    (7, 1, 3, 0)
    """
    width = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _clusters(text: str) -> list[str]:
    """Grapheme-like clusters: a base character with the marks that follow it."""
    clusters: list[str] = []
    for char in text:
        if clusters and unicodedata.category(char) in ("Mn", "Me"):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


@lru_cache(maxsize=1)
def _dictionary():
    """pythainlp's word list without compositional ``การX``/``ความX`` compounds (built once)."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import Trie

    words = set(thai_words())
    drop = {
        word
        for word in words
        for prefix in _PREFIXES
        if word.startswith(prefix) and len(word) > len(prefix) and word[len(prefix):] in words
    }
    return Trie(words - drop)


def _tokens(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    tokens: list[str] = []
    for token in word_tokenize(text, engine="newmm", custom_dict=_dictionary(), keep_whitespace=True):
        # the tokenizer may return runs like 'ต่าง ๆ' or '(PPP),': split at spaces, keep them
        for piece in re.split(r"(\s+)", token):
            if piece:
                tokens.append(" " if piece.isspace() else piece)
    return tokens


def _glued(left: str, right: str) -> bool:
    """True when no line break may fall between adjacent tokens *left* and *right*."""
    if left in _PREFIXES:
        return True
    if right[0] in _CLOSING or left[-1] in _OPENING:
        return True
    if right in ("ฯลฯ", "ๆ"):
        return True
    if (left[-1] in _DASHES and _NUMBER.match(right)) or (right[0] in _DASHES and _NUMBER.match(left)):
        return True
    if right[0] in _DASHES and len(right) == 1:
        return True
    return False


def _units(text: str) -> list[tuple[str, bool]]:
    """Unbreakable runs of *text*, each with whether a (droppable) space precedes it."""
    tokens = _tokens(text)
    units: list[tuple[str, bool]] = []
    space = False
    for token in tokens:
        if token == " ":
            space = True
            continue
        if not units:
            units.append((token, False))
        elif space:
            previous = units[-1][0]
            if _NUMBER.match(token) and previous and not _NUMBER.match(previous):
                # 'ที่ ๕', 'พ.ศ. ๒๕๖๐': the number stays with the word before it
                units[-1] = (previous + " " + token, units[-1][1])
            else:
                units.append((token, True))
        elif _glued(units[-1][0], token):
            units[-1] = (units[-1][0] + token, units[-1][1])
        else:
            units.append((token, False))
        space = False
    return units


def _split_long(unit: str, width: int) -> list[str]:
    """Cut an over-long run into pieces of at most *width* cells: at its spaces, else between
    words, else between characters."""
    pieces: list[str] = []
    current = ""
    for word in unit.split(" "):
        candidate = current + (" " if current else "") + word
        if display_width(candidate) <= width:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if display_width(word) <= width:
            current = word
        else:
            cut = _split_words(word, width)
            pieces.extend(cut[:-1])
            current = cut[-1]
    if current:
        pieces.append(current)
    return pieces


def _split_words(unit: str, width: int) -> list[str]:
    """Cut a space-free run into pieces of at most *width* cells, first at token boundaries."""
    pieces: list[str] = []
    current = ""
    for token in _tokens(unit):
        for part in ([token] if display_width(token) <= width else _clusters(token)):
            if current and display_width(current + part) > width:
                pieces.append(current.rstrip())
                current = part.lstrip()
            else:
                current += part
    if current.strip():
        pieces.append(current.rstrip())
    return pieces


def wrap(text: str, width: int, max_lines: int | None = None, placeholder: str = "…") -> list[str]:
    """Wrap *text* into lines of at most *width* display cells, breaking between words.

    Runs of spaces are collapsed; spaces at a break are dropped. With *max_lines*, text that
    does not fit ends with *placeholder* (on a word boundary where possible).

    >>> wrap("ยุทธศาสตร์ที่ ๕ การพัฒนาระบบเทคโนโลยีเพื่อการบริหารจัดการ", 20)
    ['ยุทธศาสตร์ที่ ๕ การพัฒนา', 'ระบบเทคโนโลยีเพื่อ', 'การบริหารจัดการ']
    >>> wrap("โครงการสหกรณ์สีเขียว (Green Coop)", 12)
    ['โครงการสหกรณ์', 'สีเขียว (Green', 'Coop)']
    >>> wrap("ยุทธศาสตร์ที่ ๕ การพัฒนาระบบเทคโนโลยีเพื่อการบริหารจัดการ", 20, max_lines=2)
    ['ยุทธศาสตร์ที่ ๕ การพัฒนา', 'ระบบเทคโนโลยีเพื่อ…']
    >>> wrap("โครงการจัดทำแผน (พ.ศ. ๒๕๖๐-๒๕๗๙)", 14)
    ['โครงการจัดทำแผน', '(พ.ศ.', '๒๕๖๐-๒๕๗๙)']
    >>> wrap("", 10)
    []
    >>> wrap("กพท.", 0)
    Traceback (most recent call last):
    ...
    ValueError: width must be at least 1; got 0
    """
    if width < 1:
        raise ValueError(f"width must be at least 1; got {width}")
    if max_lines is not None and max_lines < 1:
        raise ValueError(f"max_lines must be at least 1; got {max_lines}")
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return []
    lines: list[str] = []
    current = ""
    for unit, spaced in _units(text):
        candidate = current + (" " if spaced and current else "") + unit
        if display_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = unit
        if display_width(unit) > width:
            pieces = _split_long(unit, width)
            lines.extend(pieces[:-1])
            current = pieces[-1]
    if current:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _truncate(lines[-1], width, placeholder)
    return lines


def _truncate(line: str, width: int, placeholder: str) -> str:
    """*line* shortened (at a word boundary if possible) so that ``line + placeholder`` fits."""
    room = width - display_width(placeholder)
    if display_width(line) <= room:
        return line + placeholder
    units = _units(line)
    kept = ""
    for unit, spaced in units:
        candidate = kept + (" " if spaced and kept else "") + unit
        if display_width(candidate) > room:
            break
        kept = candidate
    if not kept:  # first word alone is too long: cut between characters
        for cluster in _clusters(line):
            if display_width(kept + cluster) > room:
                break
            kept += cluster
    return kept.rstrip() + placeholder


def fill(text: str, width: int, max_lines: int | None = None, placeholder: str = "…") -> str:
    """:func:`wrap` joined with newlines, for a chart label.

    >>> print(fill("โครงการเกษตรดิจิทัล", 8))
    โครงการ
    เกษตร
    ดิจิทัล
    """
    return "\n".join(wrap(text, width, max_lines=max_lines, placeholder=placeholder))
