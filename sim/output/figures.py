"""The figures of a run: positions over the rounds, the run over the record, the rules compared.

Figures are built on ``matplotlib.figure.Figure`` directly (no pyplot), so drawing keeps no global
state and works without a display. Each figure has its own module; this one gathers them and
turns a figure into PNG bytes.

The PNG is written by Pillow from Agg's pixels, not by ``savefig``: the same pixels (an opaque
figure is stored as RGB, its alpha being 255 everywhere) at zlib level 1, which costs about
two thirds of matplotlib's RGBA at level 6; at the same pixels the flagship's files come out
about 5% smaller (no alpha channel), a small one's about 5% larger. ``astana-sim run`` draws
two figures each time, so their encoding is on the command's critical path.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from .fig_history import TRACK_MARKERS, ensemble_history_figure, history_figure, track_markers
from .fig_positions import positions_figure
from .fig_protocols import protocol_comparison_figure
from .palette import DPI

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_COMPRESS_LEVEL = 1  # zlib's fastest; the pixels are the same at every level
UNHINTED = {"text.hinting": "no_hinting"}


def png_bytes(figure: Figure, hinted: bool = True) -> bytes:
    """The figure as PNG, at the resolution the figures' font sizes are chosen for.

    No text chunk (no version string): the bytes depend only on the pixels. The figure's own
    resolution and canvas are restored afterwards, as ``savefig`` leaves them. ``hinted=False``
    draws the text without FreeType's hinting (glyphs at their exact outlines, not fitted to
    the pixel grid): a text-heavy figure draws in about two thirds of the time, its text a
    little softer to the eye; the run's own figures are drawn so, for the command's speed.
    """
    from PIL import Image

    pixels = _pixels(figure, hinted)
    if (pixels[..., 3] == 255).all():
        pixels = np.ascontiguousarray(pixels[..., :3])
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(
        buffer, format="png", compress_level=PNG_COMPRESS_LEVEL, dpi=(DPI, DPI)
    )
    return buffer.getvalue()


def import_matplotlib() -> None:
    """Import what drawing a figure needs (the figure modules import it lazily): done before a
    fork, the child shares the imported modules instead of importing them again."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401


def _pixels(figure: Figure, hinted: bool) -> np.ndarray:
    """The figure drawn by Agg at ``DPI``: rows x columns x RGBA."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas, dpi = figure.canvas, figure.dpi
    try:
        figure.dpi = DPI
        agg = FigureCanvasAgg(figure)
        with rc_context({} if hinted else UNHINTED):
            agg.draw()
        return np.asarray(agg.buffer_rgba())  # a view that keeps the renderer alive
    finally:
        figure.dpi = dpi
        figure.set_canvas(canvas)


__all__ = [
    "TRACK_MARKERS",
    "ensemble_history_figure",
    "history_figure",
    "import_matplotlib",
    "png_bytes",
    "positions_figure",
    "protocol_comparison_figure",
    "track_markers",
]
