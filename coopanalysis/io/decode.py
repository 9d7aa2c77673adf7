"""Reading a raw plan file's bytes as text.

Supported: UTF-8 (with or without a BOM), UTF-16 (LE/BE, with a BOM, or without one when the
NUL-byte pattern says so) and TIS-620/cp874 (accepted only when the bytes decode strictly and
read as Thai text). Anything else raises :class:`~coopanalysis.errors.DecodeError` naming the
file (and, for bytes that are not UTF-8, the line of the first such byte, saying when that line
reads as TIS-620 Thai and how to convert the file). Line ends come back as ``'\\n'`` (CRLF and lone CR converted); no other character is
treated as a line break (unlike :meth:`str.splitlines`, which also splits on ``\\x0c``,
``\\x1c``, ``\\u2028``...).

>>> decode_bytes("แผน ๕ ปี\\r\\nบรรทัด\\r".encode("cp874"))
('แผน ๕ ปี\\nบรรทัด\\n', 'cp874')
>>> decode_bytes("แผน\\n".encode("utf-16"))
('แผน\\n', 'utf-16')
>>> decode_bytes(b"\\xef\\xbb\\xbfplan\\n")
('plan\\n', 'utf-8-sig')
>>> decode_bytes("Comptes de l'été\\n".encode("latin-1"), name="fr.txt")
Traceback (most recent call last):
...
coopanalysis.errors.DecodeError: fr.txt:1: not text in a supported encoding (UTF-8, UTF-16, TIS-620/cp874): byte 0xe9 is not UTF-8; save the file as UTF-8
>>> decode_bytes(b"%PDF-1.7\\n%\\xe2\\xe3\\xcf\\xd3\\n", name="plan.pdf")
Traceback (most recent call last):
...
coopanalysis.errors.DecodeError: plan.pdf: looks like a PDF; extract its text first
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from pathlib import Path

import numpy as np

from coopanalysis.errors import DecodeError, InputError
from coopanalysis.io.safeio import DOCUMENT_LIMIT, display_path, read_bytes

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp874")
UNSUPPORTED = "not text in a supported encoding (UTF-8, UTF-16, TIS-620/cp874)"

# C0/C1 controls other than tab, newline, vertical tab, form feed, carriage return
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
_COMMON = re.compile(r"[\x00-\x7f\u0e00-\u0e7f]+")
_NOT_THAI = re.compile(r"[^\u0e00-\u0e7f]+")
# a Thai character directly against a Latin letter: common in mis-decoded Latin-1 ("été"),
# rare in Thai text, where Latin words are separated by spaces or brackets
_THAI_LATIN = re.compile(r"[A-Za-z][\u0e00-\u0e7f]|[\u0e00-\u0e7f](?=[A-Za-z])")
# above/below vowels and tone marks with no Thai character before them
_STRAY_MARK = re.compile(r"(?<![\u0e01-\u0e3a\u0e40-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_SAMPLE = 200_000  # characters examined for unassigned/private-use code points


def normalize_newlines(text: str) -> str:
    r"""CRLF and lone CR to LF; nothing else is a line end.

    >>> normalize_newlines("a\r\nb\rc\n\x0cd\u2028e")
    'a\nb\nc\n\x0cd\u2028e'
    """
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plausible(text: str) -> bool:
    """Decoded text looks like text: no NULs, almost no control or unassigned characters."""
    if not text:
        return True
    if "\x00" in text:
        return False
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        return False
    sample = text[:_SAMPLE]
    rare = _COMMON.sub("", sample)  # only characters outside ASCII and Thai need a look-up
    odd = sum(1 for ch in rare if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    return odd <= max(2, len(sample) // 1000)


def _looks_thai(text: str) -> bool:
    """True when *text* (decoded as cp874) reads as Thai rather than mis-decoded Latin-1 etc.

    >>> _looks_thai("แผนปฏิบัติการ ๕ ปี (Green Coop)")
    True
    >>> _looks_thai("Comptes de l'" + bytes([0xE9, 0x74, 0xE9]).decode("cp874"))
    False
    """
    non_ascii = len(_ASCII_RUN.sub("", text))
    if non_ascii == 0:
        return True
    thai = len(_NOT_THAI.sub("", text))
    if thai < 0.8 * non_ascii:
        return False
    if len(_THAI_LATIN.findall(text)) > 0.1 * thai:
        return False
    if len(_STRAY_MARK.findall(text)) > 0.1 * thai:
        return False
    return True


def _utf16_without_bom(raw: bytes) -> str | None:
    """Decode BOM-less UTF-16 when NULs sit only in the high byte of each code unit."""
    if len(raw) % 2:
        return None
    even_nuls, odd_nuls = raw[0::2].count(0), raw[1::2].count(0)
    if odd_nuls and even_nuls <= odd_nuls // 20:
        codec = "utf-16-le"
    elif even_nuls and odd_nuls <= even_nuls // 20:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        return None
    return text if _plausible(text) else None


def _binary_kind(raw: bytes) -> str | None:
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x0c")
    if head.startswith(b"%PDF"):
        return "looks like a PDF; extract its text first"
    if head.startswith(b"PK\x03\x04"):
        return "looks like a ZIP archive (.docx/.xlsx?); export its text first"
    return None


_C0_CONTROLS = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
# every byte but the controls above and the lead bytes of characters outside U+0000-U+0FFF
_BUT_ODD = bytes(b for b in range(256) if b not in _C0_CONTROLS and not (0xC0 <= b <= 0xDF or b >= 0xE1))
_PRINTABLE_ASCII = re.compile(rb"[!-~]")
_NOT_CONTROL = bytes(b for b in range(256) if b not in _C0_CONTROLS)
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def clean_utf8(raw: bytes) -> bool:
    """True when :func:`decode_bytes` would read *raw* as UTF-8 (with or without a BOM), *if* it
    is valid UTF-8, and the text holds no control character but tab, newline and carriage return.

    Worked out on the bytes, without decoding: for a reader that decodes (strictly) anyway and
    falls back to :func:`decode_bytes` whenever this says False.

    >>> clean_utf8("ก,ข\\r\\n".encode()), clean_utf8(b"a\\x0cb"), clean_utf8(b"  "), clean_utf8(b"%PDF-1.7")
    (True, False, False, False)
    """
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    if _binary_kind(raw) or body.startswith(codecs.BOM_UTF8):
        return False
    if not _PRINTABLE_ASCII.search(body):  # no ASCII letter, digit or sign:
        if not body.decode("utf-8", errors="ignore").strip():  # blank text (Unicode spaces count)
            return False
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    odd_bytes = body.translate(None, _BUT_ODD)
    if not odd_bytes:  # characters below U+1000 only: Thai block (lead E0, then B8/B9) or rarer?
        head = np.frombuffer(memoryview(body)[: 4 * _SAMPLE + 4], dtype=np.uint8)  # no copy
        lead = head[:-1] == 0xE0
        if np.count_nonzero(lead & ((head[1:] | 1) == 0xB9)) == np.count_nonzero(lead):
            return True  # ASCII and the Thai block only: nothing rare to look up
    if odd_bytes.translate(None, _NOT_CONTROL) or _C1_UTF8.search(body):
        return False
    # the unassigned/private-use sample of _plausible, on the first _SAMPLE characters
    sample = body[: 4 * _SAMPLE + 4].decode("utf-8", errors="ignore")[:_SAMPLE]
    rare = _COMMON.sub("", sample)
    odd = sum(1 for ch in rare if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    return odd <= max(2, len(sample) // 1000)


_LINE_END = re.compile(rb"\r\n|\r|\n")
_THAI_LETTER = re.compile(r"[\u0e01-\u0e2e]")


def _first_bad_line(raw: bytes, start: int) -> tuple[int, str]:
    """``(line, message)`` for *raw*, neither UTF-8 nor Thai TIS-620 as a whole, whose first byte
    that is not UTF-8 is at *start*: the line of the byte at fault, and whether it reads as TIS-620.

    >>> _first_bad_line(b"a\\nb\\r\\nc\\xffd\\n", 6)
    (3, 'not text in a supported encoding (UTF-8, UTF-16, TIS-620/cp874): byte 0xff is not UTF-8; save the file as UTF-8')
    >>> _first_bad_line("ก\\n".encode() + "ข,1\\n".encode("cp874"), 4)  # doctest: +ELLIPSIS
    (2, '... this line reads as TIS-620/cp874 Thai, the file as a whole does not (a mixture?); ...')
    >>> _first_bad_line("ก\\nข\\n".encode("cp874") + b"\\xff\\n", 0)  # doctest: +ELLIPSIS
    (3, '... TIS-620/cp874 Thai up to this line, where byte 0xff is neither TIS-620 nor UTF-8; ...')
    """
    try:
        raw.decode("cp874")
        stop = None
    except UnicodeDecodeError as exc:
        stop = exc.start
    if stop is not None and stop > start:  # TIS-620 Thai up to a byte that is in neither encoding?
        head = raw[:stop].decode("cp874")
        if _THAI_LETTER.search(head) and _looks_thai(head):
            return (len(_LINE_END.findall(raw, 0, stop)) + 1,
                    f"{UNSUPPORTED}: the file reads as TIS-620/cp874 Thai up to this line, where byte "
                    f"0x{raw[stop]:02x} is neither TIS-620 nor UTF-8; remove it, or save the file as UTF-8")
    line = len(_LINE_END.findall(raw, 0, start)) + 1
    begin = max(raw.rfind(b"\n", 0, start), raw.rfind(b"\r", 0, start)) + 1
    end = _LINE_END.search(raw, start)
    try:
        thai = raw[begin:end.start() if end else len(raw)].decode("cp874")
    except UnicodeDecodeError:
        thai = ""
    if _THAI_LETTER.search(thai) and _looks_thai(thai):
        return line, (f"{UNSUPPORTED}: this line reads as TIS-620/cp874 Thai, the file as a whole does not "
                      "(a mixture?); save the whole file as UTF-8 (iconv -f TIS-620 -t UTF-8 converts "
                      "a TIS-620 file)")
    return line, f"{UNSUPPORTED}: byte 0x{raw[start]:02x} is not UTF-8; save the file as UTF-8"


def decode_bytes(raw: bytes, name: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode *raw* as a plan's text: ``(text with '\\n' line ends, encoding name)``.

    *name* is used in error messages. Raises :class:`InputError` for an empty (or blank) input
    and :class:`DecodeError` for binary data or an unsupported encoding.

    >>> decode_bytes(b"  \\r\\n\\t\\n", name="blank.txt")
    Traceback (most recent call last):
    ...
    coopanalysis.errors.InputError: blank.txt: file is empty
    >>> decode_bytes("กลยุทธ์ ๔.๑\\n".encode("utf-16-le"))
    ('กลยุทธ์ ๔.๑\\n', 'utf-16')
    """
    if not raw.strip():
        raise InputError("file is empty", path=name)
    kind = _binary_kind(raw)
    if kind:
        raise DecodeError(kind, path=name)

    text: str | None = None
    encoding = ""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DecodeError(f"starts with a UTF-8 BOM but is not valid UTF-8 (byte {exc.start})",
                              path=name) from None
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not raw.startswith(
        codecs.BOM_UTF32_LE
    ):
        try:
            text, encoding = raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise DecodeError("starts with a UTF-16 BOM but is not valid UTF-16", path=name) from None
        if not _plausible(text):
            raise DecodeError("starts with a UTF-16 BOM but does not decode to text", path=name)
    elif b"\x00" in raw:
        text = _utf16_without_bom(raw)
        if text is None:
            raise DecodeError(f"binary data (NUL bytes); {UNSUPPORTED}", path=name)
        encoding = "utf-16"
    else:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            try:
                candidate = raw.decode("cp874")
            except UnicodeDecodeError:
                candidate = None
            if candidate is None or not _looks_thai(candidate) or not _plausible(candidate):
                line, message = _first_bad_line(raw, exc.start)
                raise DecodeError(message, path=name, line=line) from None
            text, encoding = candidate, "cp874"
        else:
            if not _plausible(text):
                raise DecodeError(f"binary data (control characters); {UNSUPPORTED}", path=name)

    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("file is empty", path=name)
    return normalize_newlines(text), encoding


def read_text(path: str | Path) -> tuple[str, str]:
    """Read the plan text file at *path*: ``(text with '\\n' line ends, encoding name)``.

    The encoding name is one of ``'utf-8'``, ``'utf-8-sig'``, ``'utf-16'``, ``'cp874'``.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "plan.txt")
    ...     _ = open(p, "wb").write("วิสัยทัศน์\\tสหกรณ์\\r\\n".encode("cp874"))
    ...     read_text(p)
    ('วิสัยทัศน์\\tสหกรณ์\\n', 'cp874')
    >>> read_text("/nonexistent/plan.txt")
    Traceback (most recent call last):
    ...
    coopanalysis.errors.InputError: /nonexistent/plan.txt: no such file
    """
    return decode_bytes(read_raw(path), name=display_path(path))


def read_raw(path: str | Path) -> bytes:
    """The bytes of a plan text file: a regular file of at most ``safeio.DOCUMENT_LIMIT`` bytes.

    >>> read_raw("/dev/zero")
    Traceback (most recent call last):
    ...
    coopanalysis.errors.InputError: /dev/zero: is a device, expected a regular file
    """
    if os.path.isdir(path):
        raise InputError("is a directory, expected a plan text file", path=display_path(path))
    return read_bytes(path, DOCUMENT_LIMIT)
