"""The Thai font a report page carries: a subset of the packaged Noto Sans Thai (only the
characters of the page), as woff2 in a ``data:`` URI, so the page reads right on a machine
without a Thai font and loads nothing from the network."""

from __future__ import annotations

import base64
import io

__all__ = ["FAMILY", "font_face_css", "subset_woff2"]

#: The family name of the embedded font (distinct from any installed "Noto Sans Thai", so the
#: browser can only find it in the page).
FAMILY = "CoopAnalysis Noto Sans Thai"


def subset_woff2(text: str) -> bytes:
    """The packaged Noto Sans Thai cut down to the characters of *text* (and its layout
    features: Thai marks need them), variable weight axis kept, as woff2."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from coopanalysis.charts.style import font_files

    files = font_files()
    if not files:  # pragma: no cover - broken installation
        raise RuntimeError("the packaged Noto Sans Thai font is missing")
    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(str(files[0]))
    subsetter = subset.Subsetter(options)
    # HarfBuzz shapes SARA AM (U+0E33) as NIKHAHIT + SARA AA: both glyphs must be in the font
    subsetter.populate(text=text + " \u0e4d\u0e32\u25cc")
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue()


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule embedding the subset for *text* (weights 100–900)."""
    data = base64.b64encode(subset_woff2(text)).decode("ascii")
    return (f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: 100 900;'
            f' font-display: block; src: url("data:font/woff2;base64,{data}") format("woff2"); }}')
