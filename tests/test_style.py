"""The house style renders Thai with the packaged Noto Sans Thai, reproducibly."""

from __future__ import annotations

import doctest
import io
import logging
import re
import warnings
from pathlib import Path

import matplotlib
from helpers import LogCollector  # tests/helpers.py

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from coopanalysis.charts import style  # noqa: E402

TITLE = "นี้ ลิ้น เยิ้ม ยุทธศาสตร์ที่ ๕"
GLYPH_PROBLEM = re.compile(r"glyph|missing from font", re.IGNORECASE)


_Collect = LogCollector


def _figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_title(TITLE)
    ax.bar(["ยุทธศาสตร์ที่ ๑", "ยุทธศาสตร์ที่ ๒"], [1.5, 2], color=[style.strategy_color("1"), style.strategy_color("2")])
    ax.set_ylabel("ล้านบาท")
    return fig


def _render_problems(rc: dict | None = None) -> list[str]:
    """Render the test figure to PNG and SVG; return glyph-related warnings and log messages."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in ("matplotlib", "matplotlib.font_manager", "matplotlib.backends")]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with style.style_context(rc):
                fig = _figure()
                try:
                    for fmt in ("png", "svg"):
                        fig.savefig(io.BytesIO(), format=fmt)
                finally:
                    plt.close(fig)
    finally:
        for lg, level in saved:
            lg.removeHandler(handler)
            lg.setLevel(level)
    messages = [str(w.message) for w in caught] + handler.messages
    return [m for m in messages if GLYPH_PROBLEM.search(m)]


def test_matplotlib_shapes_thai():
    # matplotlib >= 3.11 lays out text with libraqm, which shapes Thai (marks stack correctly).
    major, minor = (int(x) for x in matplotlib.__version__.split(".")[:2])
    assert (major, minor) >= (3, 11), matplotlib.__version__


def test_thai_renders_without_missing_glyphs():
    assert _render_problems() == []


def test_detection_works_without_the_thai_font():
    # Control: the check above would catch a font that lacks Thai glyphs.
    assert _render_problems({"font.family": ["DejaVu Sans"]})


def test_font_chosen_is_noto_sans_thai():
    with style.style_context() as family:
        assert family == "Noto Sans Thai"
        fig = _figure()
        try:
            title = fig.axes[0].title
            assert title.get_text() == TITLE
            path = Path(font_manager.findfont(title.get_fontproperties(), fallback_to_default=False))
        finally:
            plt.close(fig)
    assert path.resolve() in {p.resolve() for p in style.font_files()}
    assert font_manager.get_font(str(path)).family_name == "Noto Sans Thai"


def test_svg_is_reproducible():
    outputs = []
    with style.style_context():
        fig = _figure()
        try:
            for _ in range(2):
                buf = io.BytesIO()
                fig.savefig(buf, format="svg", metadata={"Date": None})
                outputs.append(buf.getvalue())
        finally:
            plt.close(fig)
    assert outputs[0] == outputs[1]
    assert b"<text" not in outputs[0]  # text drawn as paths: no dependency on installed fonts


def test_style_context_leaves_no_global_state():
    before = dict(matplotlib.rcParams)
    with style.style_context():
        assert matplotlib.rcParams["svg.hashsalt"] == "coopanalysis"
    after = dict(matplotlib.rcParams)
    assert after == before


def test_use_house_style_is_idempotent():
    with matplotlib.rc_context():
        assert style.use_house_style() == "Noto Sans Thai"
        first = dict(matplotlib.rcParams)
        n_fonts = len(font_manager.fontManager.ttflist)
        assert style.use_house_style() == "Noto Sans Thai"
        assert dict(matplotlib.rcParams) == first
        assert len(font_manager.fontManager.ttflist) == n_fonts


@pytest.mark.parametrize(
    ("strategy_id", "index"), [("1", 0), ("2", 1), ("๕", 4), (" 8 ", 7), ("9", 8), (str(len(style.STRATEGY_PALETTE) + 3), 2)]
)
def test_strategy_color(strategy_id, index):
    assert style.strategy_color(strategy_id) == style.STRATEGY_PALETTE[index]


def test_palette_is_distinct_hex():
    assert len(set(style.STRATEGY_PALETTE)) == len(style.STRATEGY_PALETTE)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in style.STRATEGY_PALETTE)


def test_doctests():
    result = doctest.testmod(style, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# ---- colour maths: what "readable" means, asserted once --------------------------------------------


def test_contrast_ratio_known_values():
    # WCAG 2 reference points: black on white 21:1, mid grey #767676 on white just above 4.5:1
    assert style.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert style.contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert style.contrast_ratio("#777777", "#FFFFFF") < 4.5
    assert style.contrast_ratio("#FFFFFF", "#767676") == style.contrast_ratio("#767676", "#FFFFFF")


@pytest.mark.parametrize("color", list(style.STRATEGY_PALETTE) + ["#FFFFFF", "#808080", "#7F7F7F", "#0000FF"])
def test_ink_on_reads_on_every_fill(color):
    ink = style.ink_on(color)
    assert ink in (style.DARK_INK, style.LIGHT_INK)
    other = style.LIGHT_INK if ink == style.DARK_INK else style.DARK_INK
    assert style.contrast_ratio(ink, color) >= max(4.5, style.contrast_ratio(other, color))


@pytest.mark.parametrize("color", list(style.STRATEGY_PALETTE) + ["#FFFFFF", "#000000"])
@pytest.mark.parametrize("n", [2, 3, 6])
def test_shades_differ_and_stay_off_black_and_white(color, n):
    import colorsys

    from matplotlib.colors import to_rgb

    shades = style.shades(color, n)
    assert len(shades) == n
    lightness = [colorsys.rgb_to_hls(*to_rgb(c))[1] for c in shades]
    assert lightness == sorted(lightness)  # darker to lighter
    assert 0.12 - 1e-9 <= lightness[0] and lightness[-1] <= 0.85 + 1e-9
    assert lightness[-1] - lightness[0] == pytest.approx(0.45)
    # the darkest and the lightest of the set are clearly different; black (strategy 8) reaches
    # the 3:1 of large shapes, the palette's yellows (light by nature) about 2:1
    floor = 3.0 if color in ("#000000", style.CHARCOAL) else 1.9
    assert style.contrast_ratio(shades[0], shades[-1]) >= floor


def test_one_shade_is_the_colour_itself():
    from matplotlib.colors import to_rgb

    assert style.shades("#000000", 1) == [to_rgb("#000000")]
    assert style.shades("#E69F00", 0) == [to_rgb("#E69F00")]


def test_mix_and_darker_ends():
    from matplotlib.colors import to_hex

    assert to_hex(style.mix("#E69F00", 1)) == "#ffffff" and to_hex(style.darker("#E69F00", 1)) == "#000000"
    assert to_hex(style.mix("#000000", 0.65)) == "#a6a6a6"


def test_house_style_never_reads_text_as_mathtext():
    assert style.house_rc()["text.parse_math"] is False


def test_no_strategy_is_black():
    """A black strategy turned its projects into one black block (strategy 8 of the seed)."""
    assert "#000000" not in style.STRATEGY_PALETTE
    assert style.strategy_color("8") == style.CHARCOAL
    assert all(style.contrast_ratio(c, "#000000") >= 3.0 for c in style.OKABE_ITO[:-1] + (style.CHARCOAL,))
