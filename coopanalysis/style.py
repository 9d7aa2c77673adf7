"""House style for charts: the packaged Noto Sans Thai font, sizes, spines, strategy colours.

Fonts come from the ``fontpkg-noto-sans-thai`` package (nothing is looked up on the system
or downloaded). SVG output is reproducible: text is written as paths and ids are hashed with
a fixed salt, so saving the same figure twice (``metadata={'Date': None}``) gives equal bytes.

Use :func:`style_context` around chart code so no global state is left behind;
:func:`use_house_style` applies the style globally (e.g. at the top of a notebook).

>>> STRATEGY_PALETTE[:2]
('#E69F00', '#56B4E9')
>>> strategy_color("1") == STRATEGY_PALETTE[0]
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import matplotlib
from matplotlib import cycler, font_manager

from .thai import to_arabic

#: Okabe-Ito (colour-blind safe), black last, then Paul Tol's "muted" scheme.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
TOL_MUTED = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")
STRATEGY_PALETTE: tuple[str, ...] = OKABE_ITO + TOL_MUTED

#: Latin-only fallback (ships with matplotlib) for the odd glyph the Thai font lacks.
FALLBACK_FAMILY = "DejaVu Sans"


def strategy_color(strategy_id: str | int) -> str:
    """Colour of a strategy, by the integer value of its id (Thai digits accepted).

    Strategy ``"1"`` gets the first colour, ``"2"`` the second, ...; after the last colour the
    palette repeats.

    >>> strategy_color("1"), strategy_color("๒"), strategy_color(8)
    ('#E69F00', '#56B4E9', '#000000')
    >>> strategy_color("9") == TOL_MUTED[0]
    True
    >>> strategy_color(str(len(STRATEGY_PALETTE) + 1)) == strategy_color("1")
    True
    """
    number = int(to_arabic(str(strategy_id)).strip())
    return STRATEGY_PALETTE[(number - 1) % len(STRATEGY_PALETTE)]


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
