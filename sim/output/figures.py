"""The figures of a run: positions over the rounds, the run over the record, the rules compared.

Figures are built on ``matplotlib.figure.Figure`` directly (no pyplot), so drawing keeps no global
state and works without a display. Each figure has its own module; this one gathers them and
turns a figure into PNG bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from .fig_history import TRACK_MARKERS, ensemble_history_figure, history_figure, track_markers
from .fig_positions import positions_figure
from .fig_protocols import protocol_comparison_figure
from .palette import DPI

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_METADATA = {"Software": None}  # no version string: the bytes depend only on the run


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG, at the resolution the figures' font sizes are chosen for."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata=PNG_METADATA)
    return buffer.getvalue()


__all__ = [
    "TRACK_MARKERS",
    "ensemble_history_figure",
    "history_figure",
    "png_bytes",
    "positions_figure",
    "protocol_comparison_figure",
    "track_markers",
]
