"""Colours, line styles and font sizes shared by the figures.

The colours are Okabe and Ito's qualitative palette without its yellow (too pale on white): seven
hues that stay apart for the three common colour-vision deficiencies (tests/test_figures.py
measures it). Seven hues cannot separate fifteen actors, so a style is a hue *and* a line style
*and* a marker: two actors that share a hue never share the other two.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe & Ito (2008), "Color Universal Design", without yellow #F0E442.
COLORS = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#000000",  # black
)
LINESTYLES = ("-", "--", ":")
MARKERS = ("o", "s", "^")

MODEL_COLOR = COLORS[0]  # the model's markers in the history figures
RECORD_COLOR = "black"  # the record: hollow markers
LINK_COLOR = "0.55"  # a thin line from a model round to the same recorded round

# Font sizes in points. The run's figures are 1280 pixels wide (png_bytes draws at 110 dpi),
# so one point is about 1.5 pixels: 10 pt is 15 px, readable on a projector at 1280 px.
TITLE_SIZE = 14
PANEL_TITLE_SIZE = 12.5
TEXT_SIZE = 11
SMALL_SIZE = 10
DPI = 110
WIDTH_INCHES = 1280 / DPI


@dataclass(frozen=True)
class LineStyle:
    """How one actor (or rule) is drawn: a hue, a dash pattern and a marker."""

    color: str
    linestyle: str
    marker: str


def line_styles(n: int) -> list[LineStyle]:
    """``n`` styles, distinct up to ``len(COLORS) * len(LINESTYLES)`` (21).

    Style ``k`` takes hue ``k mod 7``; its dash pattern and marker advance together every seven,
    so two styles of one hue differ in both. Past 21 the styles repeat.
    """
    styles = []
    for k in range(n):
        cycle = (k // len(COLORS)) % len(LINESTYLES)
        styles.append(LineStyle(COLORS[k % len(COLORS)], LINESTYLES[cycle], MARKERS[cycle]))
    return styles
