"""Saving a chart: PNG and SVG, reproducible bytes, written atomically."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from matplotlib.figure import Figure

from coopanalysis.charts.style import style_context

__all__ = ["save"]


def _atomic_write(path: Path, fig: Figure, fmt: str, metadata: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            fig.savefig(handle, format=fmt, metadata=metadata)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save(fig: Figure, path: str | os.PathLike) -> list[Path]:
    """Write *fig* as ``<stem>.png`` and ``<stem>.svg``; return the two paths.

    *path* may end in ``.png``/``.svg`` or have no suffix. Output is reproducible: no dates
    (PNG ``Software`` and SVG ``Date`` metadata removed), the SVG ids hashed with a fixed salt
    and text drawn as paths (the house style), so the same figure gives the same bytes; text
    from the document survives in the SVG only XML-escaped (matplotlib escapes comments and
    attributes). Each file is written to a temporary file in the same directory and moved
    into place.
    """
    path = Path(path)
    stem = path.with_suffix("") if path.suffix.lower() in (".png", ".svg") else path
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with style_context():
        for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
            target = stem.with_name(stem.name + "." + fmt)
            _atomic_write(target, fig, fmt, metadata)
            written.append(target)
    return written
