"""House style for charts: the packaged Noto Sans Thai font, sizes, spines, strategy colours.

Fonts come from the ``fontpkg-noto-sans-thai`` package (nothing is looked up on the system
or downloaded). SVG output is reproducible: text is written as paths and ids are hashed with
a fixed salt, so saving the same figure twice (``metadata={'Date': None}``) gives equal bytes.

Use :func:`style_context` around chart code so no global state is left behind;
:func:`use_house_style` applies the style globally (e.g. at the top of a notebook).

Colour maths for the charts lives here too: :func:`mix` (towards white), :func:`darker`,
:func:`shades` (distinguishable shades of one colour), :func:`ink_on` (the text colour that
reads on a fill) and :func:`contrast_ratio` (WCAG 2), so what "readable" means is one
definition, used by the charts and asserted by the tests.

>>> STRATEGY_PALETTE[:2]
('#E69F00', '#56B4E9')
>>> strategy_color("1") == STRATEGY_PALETTE[0]
True
"""

from __future__ import annotations

import colorsys
import contextlib
from collections.abc import Iterator
from pathlib import Path

import matplotlib
from matplotlib import cycler, font_manager
from matplotlib.colors import to_rgb

from coopanalysis.text.thai import to_arabic

#: Okabe-Ito (colour-blind safe), black last, then Paul Tol's "muted" scheme.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
TOL_MUTED = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")
#: Okabe-Ito's black replaced, for strategies, by a charcoal grey: a black fill turns two
#: adjacent projects of one strategy into one black block, and black bars outweigh the rest.
CHARCOAL = "#5E5E5E"
STRATEGY_PALETTE: tuple[str, ...] = OKABE_ITO[:-1] + (CHARCOAL,) + TOL_MUTED

__all__ = [
    "OKABE_ITO", "TOL_MUTED", "CHARCOAL", "STRATEGY_PALETTE", "FALLBACK_FAMILY", "DARK_INK", "LIGHT_INK",
    "strategy_color", "mix", "darker", "shades", "relative_luminance", "contrast_ratio", "ink_on",
    "font_files", "register_fonts", "house_rc", "use_house_style", "style_context", "strategy_cycle",
]

#: Text colours for labels drawn on a coloured fill (see :func:`ink_on`).
DARK_INK = "#000000"
LIGHT_INK = "#FFFFFF"

#: Latin-only fallback (ships with matplotlib) for the odd glyph the Thai font lacks.
FALLBACK_FAMILY = "DejaVu Sans"


def strategy_color(strategy_id: str | int) -> str:
    """Colour of a strategy, by the integer value of its id (Thai digits accepted).

    Strategy ``"1"`` gets the first colour, ``"2"`` the second, ...; after the last colour the
    palette repeats.

    >>> strategy_color("1"), strategy_color("๒"), strategy_color(8)
    ('#E69F00', '#56B4E9', '#5E5E5E')
    >>> strategy_color("9") == TOL_MUTED[0]
    True
    >>> strategy_color(str(len(STRATEGY_PALETTE) + 1)) == strategy_color("1")
    True
    """
    number = int(to_arabic(str(strategy_id)).strip())
    return STRATEGY_PALETTE[(number - 1) % len(STRATEGY_PALETTE)]


def strategy_cycle(labels) -> list[str]:
    """Colours for a colour cycle in which the strategies *labels*, in this order, get their own
    colour (:func:`strategy_color`), followed by the palette's other colours.

    pandas and matplotlib colour the n-th line, wedge or column with the n-th colour of the cycle;
    a plan without a strategy 2 would otherwise give strategy 3 the colour of strategy 2.

    >>> strategy_cycle(["1", "3"])[:3] == [strategy_color("1"), strategy_color("3"), strategy_color("2")]
    True
    """
    own = [strategy_color(label) for label in labels]
    return own + [color for color in STRATEGY_PALETTE if color not in own]


def mix(color, white: float) -> tuple[float, float, float]:
    """*color* mixed with white (``white=0``: the colour, ``1``: white), as an RGB tuple.

    >>> from matplotlib.colors import to_hex
    >>> to_hex(mix("#000000", 0.5)), to_hex(mix("#E69F00", 0))
    ('#808080', '#e69f00')
    """
    r, g, b = to_rgb(color)
    return (r + (1 - r) * white, g + (1 - g) * white, b + (1 - b) * white)


def darker(color, amount: float = 0.3) -> tuple[float, float, float]:
    """*color* mixed with black (``amount=1``: black), as an RGB tuple.

    >>> from matplotlib.colors import to_hex
    >>> to_hex(darker("#FFFFFF", 0.5)), to_hex(darker("#E69F00", 0))
    ('#808080', '#e69f00')
    """
    return tuple(c * (1 - amount) for c in to_rgb(color))


#: Lightness window (HLS) for :func:`shades`: never near-black, never near-white.
_SHADE_LOW, _SHADE_HIGH, _SHADE_SPAN = 0.12, 0.85, 0.45


def shades(color, n: int) -> list[tuple[float, float, float]]:
    """*n* distinguishable shades of *color*, darker to lighter (RGB tuples).

    One shade is the colour itself. For more, the lightness runs over a span of 0.45 around
    the colour's own, kept inside 0.12-0.85, so a very dark colour (black) or a very light
    one still gives shades that differ: two shades of black are a dark and a mid grey, not
    near-black on black.

    >>> from matplotlib.colors import to_hex
    >>> [to_hex(c) for c in shades("#000000", 2)]
    ['#1f1f1f', '#919191']
    >>> shades("#E69F00", 1) == [to_rgb("#E69F00")]
    True
    >>> round(contrast_ratio(*shades("#000000", 2)), 1) >= 3
    True
    """
    if n <= 1:
        return [to_rgb(color)]
    h, lightness, s = colorsys.rgb_to_hls(*to_rgb(color))
    low = min(max(lightness - 0.16, _SHADE_LOW), _SHADE_HIGH - _SHADE_SPAN)
    high = low + _SHADE_SPAN
    return [colorsys.hls_to_rgb(h, low + (high - low) * i / (n - 1), s) for i in range(n)]


def relative_luminance(color) -> float:
    """WCAG 2 relative luminance of *color* (0 = black, 1 = white).

    >>> relative_luminance("black"), relative_luminance("white")
    (0.0, 1.0)
    >>> round(relative_luminance("#808080"), 3)
    0.216
    """

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white); 4.5 is
    the minimum for body text.

    >>> contrast_ratio("black", "white"), contrast_ratio("#E69F00", "#E69F00")
    (21.0, 1.0)
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(color) -> str:
    """The text colour (:data:`DARK_INK` or :data:`LIGHT_INK`) with the higher contrast on
    a fill of *color*; the better of the two always reaches 4.5:1.

    >>> ink_on("#000000"), ink_on("#F0E442"), ink_on("#0072B2")
    ('#FFFFFF', '#000000', '#FFFFFF')
    >>> min(contrast_ratio(ink_on(c), c) for c in STRATEGY_PALETTE) >= 4.5
    True
    """
    if contrast_ratio(DARK_INK, color) >= contrast_ratio(LIGHT_INK, color):
        return DARK_INK
    return LIGHT_INK


def font_files() -> list[Path]:
    """The .ttf/.otf files shipped by ``fontpkg_noto_sans_thai``."""
    import fontpkg_noto_sans_thai as pkg

    root = Path(pkg.ROOT)
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in (".ttf", ".otf"))


def register_fonts() -> str:
    """Add the packaged Noto Sans Thai files to matplotlib's font manager (once); return the family.

    >>> register_fonts()
    'Noto Sans Thai'
    """
    import fontpkg_noto_sans_thai as pkg

    files = font_files()
    if not files:  # pragma: no cover - broken installation
        raise RuntimeError(f"no font files found under {pkg.ROOT}")
    known = {Path(entry.fname).resolve() for entry in font_manager.fontManager.ttflist}
    for path in files:
        if path.resolve() not in known:
            font_manager.fontManager.addfont(str(path))
    return pkg.FAMILY


def house_rc() -> dict:
    """The rcParams of the house style (registers the fonts as a side effect).

    >>> rc = house_rc()
    >>> rc["font.family"][0], rc["svg.fonttype"], rc["axes.spines.top"]
    ('Noto Sans Thai', 'path', False)
    """
    family = register_fonts()
    return {
        "font.family": [family, FALLBACK_FAMILY],
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "figure.titlesize": 13,
        "figure.figsize": (8.0, 5.0),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(STRATEGY_PALETTE)),
        "axes.axisbelow": True,
        "grid.alpha": 0.3,
        "text.language": "th",
        # text from a document is never mathtext: a name with two '$' draws as printed
        "text.parse_math": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "coopanalysis",
        "pdf.fonttype": 42,
    }


def use_house_style() -> str:
    """Apply the house style globally (idempotent); return the font family name.

    >>> with matplotlib.rc_context():
    ...     use_house_style()
    'Noto Sans Thai'
    """
    rc = house_rc()
    matplotlib.rcParams.update(rc)
    return rc["font.family"][0]


@contextlib.contextmanager
def style_context(rc: dict | None = None) -> Iterator[str]:
    """Context manager: house style (plus the rcParams in ``rc``) inside, previous rcParams after.

    Yields the font family name.

    >>> before = matplotlib.rcParams["svg.hashsalt"]
    >>> with style_context() as family:
    ...     family, matplotlib.rcParams["svg.hashsalt"]
    ('Noto Sans Thai', 'coopanalysis')
    >>> matplotlib.rcParams["svg.hashsalt"] == before
    True
    """
    params = house_rc()
    params.update(rc or {})
    with matplotlib.rc_context(params):
        yield params["font.family"][0]
