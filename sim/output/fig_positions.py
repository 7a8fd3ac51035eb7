"""positions.png: each actor's position on each issue as it came to each round.

One panel per issue, in the order the scenario lists its issues (the log's arrays are in id
order; panels are mapped through the ids). Each line is labelled at its end with the actor's
name, so a reader need not match fifteen styles against a legend; the legend in a spare panel
repeats the styles. What 0 and 100 mean is written whole above each panel, wrapped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..runlog import RunLog
from ..scenario import Scenario
from .layout import chars_in, lines_height, spread, wrap
from .palette import (
    PANEL_TITLE_SIZE,
    SMALL_SIZE,
    TITLE_SIZE,
    WIDTH_INCHES,
    LineStyle,
    line_styles,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LABEL_SIZE = SMALL_SIZE  # the actor names at the lines' ends
SCALE_SIZE = SMALL_SIZE  # "100 = ..." and "0 = ..." above each panel
TICKS_IN = 0.55  # left of each plot: the 0-100 tick labels
LABELS_IN = 2.3  # right of each plot: the actors' names
DATES_IN = 0.45  # under each plot: the dates
GAP_IN = 0.3  # between rows of panels
TOP_IN = 0.55  # the figure's title
MIN_PLOT_IN = 2.2


@dataclass(frozen=True)
class Panel:
    """One issue's panel: its place in the log's arrays and its wrapped texts."""

    column: int  # index into the log's issue axis
    title: str
    scale: str  # "100 = high" over "0 = low"


@dataclass(frozen=True)
class Grid:
    """The panels' sizes in inches, decided before anything is drawn."""

    cols: int
    rows: int
    plot_width: float
    plot_height: float
    header: float  # title and scale lines above each plot
    height: float  # of the whole figure

    def axes_rect(self, k: int) -> tuple[float, float, float, float]:
        """Panel ``k``'s plot rectangle, in figure fractions."""
        row, col = divmod(k, self.cols)
        column_width = WIDTH_INCHES / self.cols
        row_height = self.header + self.plot_height + DATES_IN + GAP_IN
        left = col * column_width + TICKS_IN
        top = self.height - TOP_IN - row * row_height - self.header
        bottom = top - self.plot_height
        return (
            left / WIDTH_INCHES,
            bottom / self.height,
            self.plot_width / WIDTH_INCHES,
            self.plot_height / self.height,
        )


def positions_figure(log: RunLog, scenario: Scenario) -> Figure:
    """One panel per issue in the scenario's order: each actor's position at each round."""
    from matplotlib.figure import Figure

    actors = _actor_rows(log, scenario)
    styles = line_styles(len(actors))
    labels = [wrap(name, chars_in(LABELS_IN - 0.15, LABEL_SIZE)) for _, name in actors]
    panels = _panels(log, scenario)
    grid = _grid(panels, labels)
    figure = Figure(figsize=(WIDTH_INCHES, grid.height))
    positions = log.position_array()
    dates = [o.date for o in log.rounds]
    for k, panel in enumerate(panels):
        ax = figure.add_axes(grid.axes_rect(k))
        for (row, _), style, label in zip(actors, styles, labels, strict=True):
            _line(ax, dates, positions[:, row, panel.column], style, label)
        _set_dates(ax, dates)
        _direct_labels(ax, dates[-1], positions[-1, :, panel.column], actors, styles, labels, grid)
        _decorate(ax, panel)
    if len(panels) < grid.cols * grid.rows:  # a spare slot: the legend of styles
        x, y, w, h = grid.axes_rect(len(panels))
        handles, names = figure.axes[0].get_legend_handles_labels()
        figure.legend(
            handles,
            [n.replace("\n", " ") for n in names],
            loc="upper left",
            bbox_to_anchor=(x - TICKS_IN / WIDTH_INCHES / 2, y + h),
            fontsize=SMALL_SIZE,
            frameon=False,
            handlelength=3,
        )
    figure.suptitle(
        f"{scenario.name}: each actor's position as it came to each round (seed {log.seed})",
        fontsize=TITLE_SIZE,
        y=1 - 0.18 / grid.height,
        va="top",
    )
    return figure


def _actor_rows(log: RunLog, scenario: Scenario) -> list[tuple[int, str]]:
    """Each actor's row in the log's arrays and its name, in the scenario's order."""
    return [(log.actor_ids.index(actor.id), actor.name) for actor in scenario.actors]


def _panels(log: RunLog, scenario: Scenario) -> list[Panel]:
    """The issues in the scenario's order, with their texts wrapped to a column's width."""
    cols = 2 if len(scenario.issues) > 1 else 1
    width = WIDTH_INCHES / cols - TICKS_IN - 0.1
    panels = []
    for issue in scenario.issues:
        title = wrap(issue.name, chars_in(width, PANEL_TITLE_SIZE))
        scale_chars = chars_in(width, SCALE_SIZE)
        scale = (
            wrap(f"100 = {issue.high}", scale_chars) + "\n" + wrap(f"0 = {issue.low}", scale_chars)
        )
        panels.append(Panel(log.issue_ids.index(issue.id), title, scale))
    return panels


def _grid(panels: list[Panel], labels: list[str]) -> Grid:
    """Sizes that fit every panel's header and every actor's label without overlap."""
    cols = 2 if len(panels) > 1 else 1
    rows = math.ceil(len(panels) / cols)
    title_lines = max(p.title.count("\n") + 1 for p in panels)
    scale_lines = max(p.scale.count("\n") + 1 for p in panels)
    header = lines_height(title_lines, PANEL_TITLE_SIZE) + lines_height(scale_lines, SCALE_SIZE)
    header += 0.12
    label_lines = sum(label.count("\n") + 1 for label in labels)
    plot_height = max(MIN_PLOT_IN, lines_height(label_lines, LABEL_SIZE) + 0.05)
    plot_width = WIDTH_INCHES / cols - TICKS_IN - LABELS_IN - 0.1
    height = TOP_IN + rows * (header + plot_height + DATES_IN + GAP_IN)
    return Grid(cols, rows, plot_width, plot_height, header, height)


def _line(ax: Axes, dates, values: np.ndarray, style: LineStyle, label: str) -> None:
    ax.plot(
        dates,
        values,
        color=style.color,
        ls=style.linestyle,
        marker=style.marker,
        ms=4,
        lw=1.6,
        label=label,
    )


def _label_places(targets: np.ndarray, labels: list[str], grid: Grid) -> np.ndarray:
    """The labels' heights on the 0-100 scale, pushed apart so that no two overlap."""
    lines = np.array([label.count("\n") + 1 for label in labels], dtype=float)
    per_inch = 106 / grid.plot_height  # the y axis runs from -3 to 103
    return spread(targets, lines * LABEL_SIZE * 1.2 / 72 * per_inch, -3.0, 103.0)


def _direct_labels(ax: Axes, last_date, ends, actors, styles, labels, grid: Grid) -> None:
    """Each actor's name at its line's end, with a leader whose slant stays in the gutter
    between plot and names (so that no leader crosses another actor's name)."""
    from matplotlib.collections import LineCollection
    from matplotlib.dates import date2num
    from matplotlib.transforms import blended_transform_factory

    targets = np.array([ends[row] for row, _ in actors])
    placed = _label_places(targets, labels, grid)
    gutter = blended_transform_factory(ax.transAxes, ax.transData)
    end, right = date2num(last_date), ax.get_xlim()[1]
    colors = [style.color for style in styles]
    # one collection per kind of leader: a plot() call per actor costs more than the whole run
    ax.add_collection(
        LineCollection([[(end, t), (right, t)] for t in targets], colors=colors, lw=0.6),
        autolim=False,
    )
    ax.add_collection(
        LineCollection(
            [[(1.0, t), (1.01, t), (1.055, y)] for t, y in zip(targets, placed, strict=True)],
            colors=colors,
            lw=0.6,
            transform=gutter,
            clip_on=False,
        ),
        autolim=False,
    )
    for y, style, label in zip(placed, styles, labels, strict=True):
        ax.text(
            1.06,
            y,
            label,
            transform=gutter,
            fontsize=LABEL_SIZE,
            color=style.color,
            va="center",
            ha="left",
            linespacing=1.0,
        )


def _set_dates(ax: Axes, dates) -> None:
    """Room of 3% of the span either side of the rounds' dates."""
    from matplotlib.dates import date2num

    first, last = date2num(dates[0]), date2num(dates[-1])
    pad = max((last - first) * 0.03, 3.0)
    ax.set_xlim(first - pad, last + pad)


def _decorate(ax: Axes, panel: Panel) -> None:
    """The panel's title and scale above it, 0-100 ticks, and the dates beneath it."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    ax.set_ylim(-3, 103)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.tick_params(labelsize=SMALL_SIZE)
    ax.grid(alpha=0.3)
    locator = AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.text(
        0,
        1.02,
        panel.scale,
        transform=ax.transAxes,
        fontsize=SCALE_SIZE,
        color="0.3",
        va="bottom",
        ha="left",
    )
    scale_height = lines_height(panel.scale.count("\n") + 1, SCALE_SIZE) + 0.04
    ax.annotate(
        panel.title,
        xy=(0, 1),
        xycoords="axes fraction",
        xytext=(0, 2 + scale_height * 72),
        textcoords="offset points",
        fontsize=PANEL_TITLE_SIZE,
        fontweight="bold",
        va="bottom",
        ha="left",
    )
