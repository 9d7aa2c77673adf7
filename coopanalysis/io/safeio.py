"""Bounded reads and atomic writes: the only way the toolkit touches input and output files.

* :func:`read_bytes` reads a **regular file** only, and at most *limit* bytes: a FIFO, a device
  such as ``/dev/zero``, a socket or a directory is an :class:`~coopanalysis.errors.InputError`
  naming the file (it is never opened, so a FIFO cannot hang the read), and a file larger than
  the bound is a :class:`~coopanalysis.errors.LimitError`. The size is checked on the open
  handle, and the read itself stops one byte past the bound, so a file that grows while it is
  read cannot exhaust memory either.
* :func:`read_text` is :func:`read_bytes` plus strict UTF-8 decoding (an optional BOM is dropped);
  a byte that is not UTF-8 is an :class:`InputError` naming the file and the line it is on.
* :func:`atomic_write_bytes` / :func:`atomic_write_text` write a temporary file in the target's
  folder, ``fsync`` it, and ``os.replace`` it over the target, so a reader sees either the old
  file or the new one, never a half-written one. An ``OSError`` (a full disk, a read-only
  folder) names the target, never the temporary file. An existing target keeps its permission bits
  (a new file gets the umask's default, as ``open`` would give it). A symlink as target is
  followed: the file it points to is replaced, the link stays.

Bounds: :data:`DOCUMENT_LIMIT` (64 MiB) for a plan's text and tables, :data:`SMALL_LIMIT` (1 MiB)
for YAML (corrections, params, glossaries) and other small settings files.

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "a.txt")
>>> atomic_write_text(p, "สวัสดี\\n")
>>> read_text(p)
'สวัสดี\\n'
>>> read_bytes(p, limit=4)
Traceback (most recent call last):
...
coopanalysis.errors.LimitError: ...a.txt: file is larger than 4 bytes (19 bytes); refusing to read it
>>> read_bytes(d)
Traceback (most recent call last):
...
coopanalysis.errors.InputError: ...: is a directory, expected a file
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from coopanalysis.errors import InputError, LimitError

__all__ = [
    "DOCUMENT_LIMIT",
    "SMALL_LIMIT",
    "read_bytes",
    "read_text",
    "check_regular",
    "atomic_write_bytes",
    "atomic_write_text",
    "display_path",
    "printable",
    "spreadsheet_text",
    "unspreadsheet_text",
    "PREFIXED_START",
]

DOCUMENT_LIMIT = 64 * 1024 * 1024
SMALL_LIMIT = 1024 * 1024


def display_path(path: str | os.PathLike | bytes) -> str:
    """A path as printable text: undecodable bytes as ``\\xNN``, never a crash on printing.

    >>> display_path(b"plan-\\xff.txt")
    'plan-\\\\xff.txt'
    >>> display_path("data/plan")
    'data/plan'
    """
    text = os.fsdecode(path)
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


# C0 controls except tab, DEL, C1 controls, and bidirectional overrides/isolates
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE_KEEP_NL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object, keep_newlines: bool = False) -> str:
    r"""*text* safe for a terminal: control characters and undecodable bytes shown as escapes.

    Text from a document or a file name can hold ESC sequences (colours, cursor moves, a fake
    prompt) or bytes that are not UTF-8; messages show them as ``\x1b``-style escapes instead.

    >>> printable("plan\x1b[31mRED\x9b\u202e")
    'plan\\x1b[31mRED\\x9b\\u202e'
    >>> printable("ก\tข\nค")
    'ก\tข\\nค'
    >>> printable("a\x1b[2J\nb", keep_newlines=True)  # for multi-line output such as a report on stdout
    'a\\x1b[2J\nb'
    """
    text = display_path(text) if isinstance(text, (bytes, os.PathLike)) else str(text)
    if any("\udc80" <= ch <= "\udfff" or "\ud800" <= ch <= "\udbff" for ch in text):
        text = text.encode("utf-8", "surrogateescape" if _only_escapes(text) else "backslashreplace").decode(
            "utf-8", "backslashreplace")
    pattern = _UNPRINTABLE_KEEP_NL if keep_newlines else _UNPRINTABLE
    return pattern.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection"): ``= + - @``, a tab, a CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The starts :func:`spreadsheet_text` prefixes: a formula's, and ``'`` itself (so the prefix can be undone).
PREFIXED_START = (*FORMULA_START, "'")


def spreadsheet_text(text: str) -> str:
    """A TEXT cell for a CSV people open in a spreadsheet: ``'`` before a leading ``= + - @``,
    tab or CR, so Excel / LibreOffice show it as text instead of running it as a formula
    (OWASP's rule). Only for text columns: a numeric column's ``-5`` must stay ``-5``.
    A text that already starts with ``'`` gets one too, so :func:`unspreadsheet_text` gives back
    exactly the text (the tables of an ingested folder are read back this way).

    >>> spreadsheet_text("=1+2"), spreadsheet_text("-5"), spreadsheet_text("@SUM(A1)"), spreadsheet_text("ก")
    ("'=1+2", "'-5", "'@SUM(A1)", 'ก')
    >>> spreadsheet_text("'quoted"), unspreadsheet_text(spreadsheet_text("'quoted"))
    ("''quoted", "'quoted")
    """
    return "'" + text if text.startswith(PREFIXED_START) else text


def unspreadsheet_text(text: str) -> str:
    """The text :func:`spreadsheet_text` was given: one leading ``'`` removed (if there is one).

    >>> unspreadsheet_text("'=1+2"), unspreadsheet_text("''x"), unspreadsheet_text("ก")
    ('=1+2', "'x", 'ก')
    """
    return text[1:] if text.startswith("'") else text


def _only_escapes(text: str) -> bool:
    return all(not ("\ud800" <= ch <= "\udfff") or "\udc80" <= ch <= "\udcff" for ch in text)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, expected a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), expected a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, expected a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, expected a regular file"
    return "is not a regular file"


def check_regular(path: str | os.PathLike) -> os.stat_result:
    """``os.stat`` of *path* when it is a regular file (symlinks followed), else :class:`InputError`.

    >>> check_regular("/dev/null")
    Traceback (most recent call last):
    ...
    coopanalysis.errors.InputError: /dev/null: is a device, expected a regular file
    """
    name = display_path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except NotADirectoryError:
        raise InputError("no such file (a parent is not a directory)", path=name) from None
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path=name) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(_kind(st.st_mode), path=name)
    return st


def read_bytes(path: str | os.PathLike, limit: int = DOCUMENT_LIMIT) -> bytes:
    """The bytes of the regular file *path*, at most *limit* of them (see the module docstring)."""
    check_regular(path)  # before open(): opening a FIFO would block
    name = display_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path=name) from None
    try:
        st = os.fstat(fd)  # the file actually opened (it may have been swapped since the stat)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(_kind(st.st_mode), path=name)
        if st.st_size > limit:
            raise LimitError(f"file is larger than {limit} bytes ({st.st_size} bytes); refusing to read it", path=name)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise LimitError(f"file is larger than {limit} bytes; refusing to read it", path=name)
        return b"".join(chunks)
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", path=name) from None
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike, limit: int = SMALL_LIMIT) -> str:
    """The UTF-8 text of *path* (BOM dropped); a non-UTF-8 byte is an error naming its line.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "c.yaml")
    >>> _ = open(p, "wb").write(b"a: 1\\nb: caf\\xe9\\n")
    >>> read_text(p)
    Traceback (most recent call last):
    ...
    coopanalysis.errors.InputError: ...c.yaml:2: not UTF-8 text (byte 0xe9); save the file as UTF-8
    """
    raw = read_bytes(path, limit)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                         path=display_path(path), line=line) from None
    return text[1:] if text.startswith("\ufeff") else text


def _umask() -> int:
    """The process umask, read without changing it where the system allows (thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write *data* to *path* atomically (temp file beside it, fsync, ``os.replace``)."""
    target = Path(os.path.realpath(path))  # follow a symlinked target: replace the file, keep the link
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _about(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise _about(exc, path) from None
        raise


def _about(exc: OSError, path: str | os.PathLike) -> OSError:
    """*exc* (a full disk, a read-only folder) naming the file the user asked for, not our temp file."""
    return OSError(exc.errno, exc.strerror or str(exc), os.fspath(path))


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    """:func:`atomic_write_bytes` of *text* encoded (UTF-8 by default; newlines kept as given)."""
    atomic_write_bytes(path, text.encode(encoding))
