"""history.png: the simulated rounds over the recorded ones, on the real dates.

Top: the share of each round's agenda that was agreed. Middle: the share of invitees who came
and stayed. Bottom: how many days each round slipped from its planned date. The model is filled
(one colour), the record hollow black; the marker is the round's track. Round names stand in a
strip above the panels, pushed apart where rounds are close, with a leader to their date.

Markers are gathered per panel and shape and drawn as one scatter each, and the leaders, links
and date lines as one collection each: a scatter or line per round costs more than the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..history import History
from ..runlog import RunLog
from ..scenario import Scenario
from .layout import CHAR_EM, lines_height, spread, wrap
from .palette import (
    LINK_COLOR,
    MODEL_COLOR,
    RECORD_COLOR,
    SMALL_SIZE,
    TEXT_SIZE,
    TITLE_SIZE,
    WIDTH_INCHES,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Marker of each track, by its place in the scenario's `tracks:` list (cycling after ten).
TRACK_MARKERS = ("o", "s", "^", "D", "P", "v", "X", "<", ">", "*")
ROUND_CHARS = 24  # round names wrap at this many characters
MIN_DELAY_SPAN = 30.0  # days: the delay axis never shrinks below a month
LEFT_IN, RIGHT_IN = 1.25, 0.3
PANEL_IN, PANEL_GAP_IN = 1.9, 0.15
TITLE_IN, DATES_IN, LEGEND_IN = 0.5, 0.45, 0.75


def track_markers(scenario: Scenario) -> dict[str, str]:
    """Each declared track's marker, assigned in declaration order."""
    return {
        track.id: TRACK_MARKERS[k % len(TRACK_MARKERS)] for k, track in enumerate(scenario.tracks)
    }


def delay_limits(values) -> tuple[float, float]:
    """The delay axis: zero and every value shown, and never less than a month tall.

    A run where nothing slips would otherwise get an axis of +-0.04 days, which makes a flat
    line look like noise.
    """
    data = np.asarray([v for v in values if v is not None], dtype=float)
    top = float(max(MIN_DELAY_SPAN, data.max() * 1.12 if data.size else 0.0))
    bottom = float(min(0.0, data.min() if data.size else 0.0))
    return bottom - 0.06 * (top - bottom), top


@dataclass(frozen=True)
class HistoryAxes:
    """The figure and its four axes: the round-name strip and the three panels."""

    figure: Figure
    strip: Axes
    agree: Axes
    attend: Axes
    delay: Axes

    @property
    def panels(self) -> tuple[Axes, Axes, Axes]:
        return (self.agree, self.attend, self.delay)


def history_axes(scenario: Scenario, dates: list[dt.date]) -> HistoryAxes:
    """A figure sized for the scenario's round names, its dates set, nothing yet drawn."""
    from matplotlib.figure import Figure

    names = [wrap(r.name, ROUND_CHARS) for r in scenario.schedule]
    longest = max(len(line) for name in names for line in name.split("\n"))
    strip = longest * SMALL_SIZE * CHAR_EM / 72 + 0.25
    height = TITLE_IN + strip + 3 * PANEL_IN + 2 * PANEL_GAP_IN + DATES_IN + LEGEND_IN
    figure = Figure(figsize=(WIDTH_INCHES, height))
    width = (WIDTH_INCHES - LEFT_IN - RIGHT_IN) / WIDTH_INCHES

    def rect(top_in: float, tall_in: float) -> tuple[float, float, float, float]:
        return (LEFT_IN / WIDTH_INCHES, 1 - (top_in + tall_in) / height, width, tall_in / height)

    strip_ax = figure.add_axes(rect(TITLE_IN, strip))
    panels = []
    for k in range(3):
        top = TITLE_IN + strip + k * (PANEL_IN + PANEL_GAP_IN)
        panels.append(figure.add_axes(rect(top, PANEL_IN), sharex=strip_ax))
    _set_dates(strip_ax, dates)
    return HistoryAxes(figure, strip_ax, *panels)


def _set_dates(ax: Axes, dates: list[dt.date]) -> None:
    from matplotlib.dates import date2num

    first, last = date2num(min(dates)), date2num(max(dates))
    pad = max((last - first) * 0.03, 5.0)
    ax.set_xlim(first - pad, last + pad)


def label_rounds(axes: HistoryAxes, scenario: Scenario, dates: dict[str, dt.date]) -> None:
    """Each round's name in the strip, pushed apart, with a leader down to its date."""
    from matplotlib.dates import date2num

    strip = axes.strip
    strip.set_axis_off()
    strip.set_ylim(0, 1)
    low, high = strip.get_xlim()
    width_in = strip.get_position().width * WIDTH_INCHES
    per_inch = (high - low) / width_in
    # Only the rounds played so far: a run stopped part-way (the live page's download) has no
    # date for the rest.
    played = [r for r in scenario.schedule if r.id in dates]
    names = [wrap(r.name, ROUND_CHARS) for r in played]
    where = np.array([date2num(dates[r.id]) for r in played])
    sizes = np.array([lines_height(n.count("\n") + 1, SMALL_SIZE) for n in names]) * per_inch
    placed = spread(where, sizes, low, high)
    _links(strip, [[(t, 0.0), (t, 0.03), (x, 0.09)] for x, t in zip(placed, where, strict=True)])
    for name, x in zip(names, placed, strict=True):
        strip.text(
            x,
            0.1,
            name,
            rotation=90,
            fontsize=SMALL_SIZE,
            ha="center",
            va="bottom",
            linespacing=1.0,
        )
    for ax in axes.panels:
        ax.vlines(
            where,
            0,
            1,
            transform=ax.get_xaxis_transform(),
            colors=LINK_COLOR,
            lw=0.4,
            alpha=0.5,
            zorder=0,
        )


def _links(ax: Axes, segments, lw: float = 0.6, zorder: float = 2) -> None:
    """Thin grey lines through the given points (data coordinates), one collection."""
    from matplotlib.collections import LineCollection

    ax.add_collection(
        LineCollection(segments, colors=LINK_COLOR, linewidths=lw, zorder=zorder), autolim=False
    )


@dataclass
class Marks:
    """Markers gathered by panel, kind (the model's filled, the record's hollow) and shape."""

    points: dict[tuple[int, str, str], tuple[list, list]] = field(default_factory=dict)

    def add(self, panel: int, kind: str, marker: str, date, value: float) -> None:
        xs, ys = self.points.setdefault((panel, kind, marker), ([], []))
        xs.append(date)
        ys.append(value)

    def draw(self, axes: HistoryAxes) -> None:
        """One scatter per panel, kind and shape, the record's over the model's."""
        for (panel, kind, marker), (xs, ys) in self.points.items():
            ax = axes.panels[panel]
            if kind == "model":
                ax.scatter(xs, ys, marker=marker, s=60, color=MODEL_COLOR, zorder=3)
            else:
                ax.scatter(
                    xs,
                    ys,
                    marker=marker,
                    s=120,
                    facecolors="none",
                    edgecolors=RECORD_COLOR,
                    lw=1.3,
                    zorder=4,
                )


def present_share(outcome) -> float:
    """The share of the invited who came and stayed to the end."""
    present = (set(outcome.attended) - set(outcome.walked_out)) & set(outcome.invited)
    return len(present) / max(len(outcome.invited), 1)


def draw_record(marks: Marks, event, spec, marker: str) -> float | None:
    """The record's hollow markers for one round; returns its agreed share, if recorded."""
    if event is None or event.actual_date is None:
        return None
    agreed = [event.agreed[j] for j in spec.agenda if j in event.agreed]
    share = float(np.mean(agreed)) if agreed else None
    if share is not None:
        marks.add(0, "record", marker, event.actual_date, share)
    if event.attended is not None:
        invited = set(spec.conveners) | set(spec.invitees)
        present = (set(event.attended) - set(event.walked_out or ())) & invited
        marks.add(1, "record", marker, event.actual_date, len(present) / max(len(invited), 1))
    if event.delay_days is not None:
        marks.add(2, "record", marker, event.actual_date, event.delay_days)
    return share


def finish(axes: HistoryAxes, title: str, scenario: Scenario, delays, model_handles) -> None:
    """Axis labels, limits, the dates under the bottom panel, the legend and the title."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.ticker import PercentFormatter

    axes.agree.set_ylabel("share of the agenda\nagreed", fontsize=TEXT_SIZE)
    axes.attend.set_ylabel("share of invitees\npresent to the end", fontsize=TEXT_SIZE)
    axes.delay.set_ylabel("days slipped\nfrom the planned date", fontsize=TEXT_SIZE)
    for ax in (axes.agree, axes.attend):
        ax.set_ylim(-0.1, 1.1)
        ax.set_yticks([0, 0.5, 1])
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.delay.set_ylim(*delay_limits(delays))
    for ax in axes.panels:
        ax.grid(alpha=0.3, axis="y")
        ax.tick_params(labelsize=SMALL_SIZE)
    for ax in axes.panels[:-1]:
        ax.tick_params(labelbottom=False)
    locator = AutoDateLocator(minticks=4, maxticks=9)
    axes.delay.xaxis.set_major_locator(locator)
    axes.delay.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    _legend(axes.figure, scenario, model_handles)
    axes.figure.suptitle(
        title, fontsize=TITLE_SIZE, y=1 - 0.12 / axes.figure.get_figheight(), va="top"
    )


def _legend(figure: Figure, scenario: Scenario, model_handles) -> None:
    """The tracks the schedule uses, by display name and in declaration order; then what the
    colours and shapes of the model and the record mean."""
    from matplotlib.lines import Line2D

    used = {round_.track for round_ in scenario.schedule}
    markers = track_markers(scenario)
    handles = [
        Line2D([], [], marker=markers[track.id], ls="", ms=8, color="0.45", label=track.name)
        for track in scenario.tracks
        if track.id in used
    ]
    handles += model_handles
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            ms=9,
            markerfacecolor="none",
            markeredgecolor=RECORD_COLOR,
            label="record",
        )
    )
    columns = min(len(handles), 5)
    figure.legend(
        handles=handles,
        fontsize=SMALL_SIZE,
        ncol=columns,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.05 / figure.get_figheight()),
        frameon=False,
    )


def history_figure(log: RunLog, scenario: Scenario, history: History | None) -> Figure:
    """One run's rounds over the recorded ones, on the real dates (see the module's docstring)."""
    from matplotlib.dates import date2num
    from matplotlib.lines import Line2D

    specs = {r.id: r for r in scenario.schedule}
    markers = track_markers(scenario)
    axes = history_axes(scenario, [o.date for o in log.rounds])
    delays, marks, links = [], Marks(), []
    for outcome in log.rounds:
        spec = specs[outcome.round_id]
        marker = markers.get(spec.track, "o")
        share = float(np.mean(outcome.agreed)) if outcome.agenda else 0.0
        values = (share, present_share(outcome), outcome.delay_days)
        for panel, value in enumerate(values):
            marks.add(panel, "model", marker, outcome.date, value)
        event = history.event(outcome.round_id) if history else None
        delays += [outcome.delay_days, event.delay_days if event else None]
        recorded = draw_record(marks, event, spec, marker)
        if recorded is not None:  # a thin line from the model's round to the record's
            ends = date2num([outcome.date, event.actual_date])
            links.append([(ends[0], share), (ends[1], recorded)])
    marks.draw(axes)
    _links(axes.agree, links, lw=0.8, zorder=1)
    label_rounds(axes, scenario, {o.round_id: o.date for o in log.rounds})
    title = f"{scenario.name}: the model (filled) over the record (hollow), seed {log.seed}"
    if history is None:
        title += " (no recorded history given)"
    model = [
        Line2D(
            [], [], marker="o", ls="", ms=8, color=MODEL_COLOR, label=f"model (seed {log.seed})"
        ),
        Line2D([], [], color=LINK_COLOR, lw=0.8, label="same round: model to record"),
    ]
    finish(axes, title, scenario, delays, model)
    return axes.figure


def ensemble_history_figure(
    logs: list[RunLog], scenario: Scenario, history: History | None, title: str | None = None
) -> Figure:
    """Like ``history_figure``, over many seeds: the median of each round, and a 10-90% band."""
    from matplotlib.lines import Line2D

    markers = track_markers(scenario)
    dates, series = _ensemble_series(logs, scenario)
    axes = history_axes(scenario, list(dates.values()))
    delays, marks = [], Marks()
    for round_ in scenario.schedule:
        marker = markers.get(round_.track, "o")
        values = series[round_.id]
        for ax, one in zip(axes.panels, values, strict=True):
            _band(ax, dates[round_.id], one, marker)
        event = history.event(round_.id) if history else None
        delays += [*np.percentile(values[2], [10, 90]), event.delay_days if event else None]
        draw_record(marks, event, round_, marker)
    marks.draw(axes)
    label_rounds(axes, scenario, dates)
    band = f"median and 10-90% band over {len(logs)} seeds (filled), record (hollow)"
    model = [
        Line2D(
            [],
            [],
            marker="o",
            ls="-",
            lw=6,
            ms=8,
            color=MODEL_COLOR,
            alpha=0.55,
            label=f"model: median, 10-90% of {len(logs)} seeds",
        )
    ]
    finish(axes, title or f"{scenario.name}: {band}", scenario, delays, model)
    return axes.figure


def _ensemble_series(logs: list[RunLog], scenario: Scenario):
    """Each round's median date, and its agreed shares, attendance and delays over the seeds."""
    dates, series = {}, {}
    for round_ in scenario.schedule:
        outcomes = [log.outcome(round_.id) for log in logs]
        delay = np.array([o.delay_days for o in outcomes], dtype=float)
        dates[round_.id] = round_.planned_date + dt.timedelta(days=float(np.median(delay)))
        agree = np.array([np.mean(o.agreed) for o in outcomes])
        attend = np.array([present_share(o) for o in outcomes])
        series[round_.id] = (agree, attend, delay)
    return dates, series


def _band(ax: Axes, date, values: np.ndarray, marker: str) -> None:
    """The median of ``values`` as a marker on a bar from their 10th to 90th percentile."""
    low, mid, high = np.percentile(values, [10, 50, 90])
    ax.errorbar(
        [date],
        [mid],
        yerr=[[mid - low], [high - mid]],
        fmt=marker,
        ms=7,
        color=MODEL_COLOR,
        ecolor=MODEL_COLOR,
        elinewidth=6,
        alpha=0.55,
        capsize=0,
        zorder=3,
    )
