"""protocols.png: each bargaining rule's share of each round's agenda agreed, over the record.

A dot plot: one row per meeting, in schedule order, named in words; one marker per rule in the
row and the record as a hollow black ring. Separate meetings are separate rows, never joined by
a line (a line would draw a trend between meetings that no rule produced).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..facts import LENIENT
from ..history import History
from ..scenario import Scenario
from .layout import CHAR_EM, lines_height, wrap
from .palette import COLORS, RECORD_COLOR, SMALL_SIZE, TEXT_SIZE, TITLE_SIZE, WIDTH_INCHES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

RULE_MARKERS = ("o", "s", "D", "^", "v", "P", "X")
ROUND_CHARS = 34
ROW_IN = 0.36
LOSS_ROW_IN = 0.32


def rule_name(rule_id: str) -> str:
    """``single_text`` -> ``single text``: the rule as the docs name it in prose."""
    return rule_id.replace("_", " ")


def protocol_comparison_figure(
    results, scenario: Scenario, history: History | None, baselines=(), other_codings=()
) -> Figure:
    """Each bargaining rule's share of each round's agenda agreed, over the record.

    ``results`` are ``comparison.RuleResult``s. Top: the mean over the seeds of each rule, one
    marker per rule and meeting, the record as hollow black rings. Bottom: each rule's loss
    against the record (lower is better), when a record is given, with the naive ``baselines``
    (name and ``Score`` pairs) in grey beneath the rules. ``other_codings`` are (coding, results,
    baselines) for further readings of the record (the strict one): their losses are drawn as
    hatched bars beside the first, since a rule can beat a baseline under one coding only.
    """
    rounds = list(scenario.schedule)
    names = [wrap(r.name, ROUND_CHARS) for r in rounds]
    scored = [r for r in results if r.score is not None]
    codings = [(LENIENT, scored, list(baselines))]
    codings += [
        (c, [r for r in rs if r.score is not None], list(bs)) for c, rs, bs in other_codings
    ]
    rows = (len(scored) + len(baselines)) * len(codings) if scored else 0
    figure, ax_agree, ax_loss = _layout(names, rows)
    _dots(ax_agree, results, rounds, names, history)
    if ax_loss is not None:
        _losses(ax_loss, codings)
    seeds = len(results[0].logs) if results else 0
    against = "against the record" if history is not None else "(no record given)"
    figure.suptitle(
        f"{scenario.name}: the bargaining rules {against}, {seeds} seeds each",
        fontsize=TITLE_SIZE,
        y=1 - 0.15 / figure.get_figheight(),
        va="top",
    )
    return figure


def _layout(names: list[str], loss_rows: int):
    """The figure and its axes, sized for the round names and the rows of losses (0: none)."""
    from matplotlib.figure import Figure

    left = max(len(line) for n in names for line in n.split("\n")) * SMALL_SIZE * CHAR_EM / 72
    left += 0.35
    rows_in = sum(max(ROW_IN, lines_height(n.count("\n") + 1, SMALL_SIZE) + 0.08) for n in names)
    loss_in = (loss_rows * LOSS_ROW_IN + 0.9) if loss_rows else 0.0
    height = 0.65 + 0.55 + rows_in + 0.55 + loss_in
    figure = Figure(figsize=(WIDTH_INCHES, height))
    x, width = left / WIDTH_INCHES, (WIDTH_INCHES - left - 0.35) / WIDTH_INCHES
    top = 1 - (0.65 + 0.55) / height
    ax_agree = figure.add_axes((x, top - rows_in / height, width, rows_in / height))
    ax_loss = None
    if loss_rows:
        ax_loss = figure.add_axes((x, 0.55 / height, width, (loss_in - 0.9) / height))
    return figure, ax_agree, ax_loss


def _dots(ax: Axes, results, rounds, names: list[str], history: History | None) -> None:
    """One row per meeting: each rule's mean share agreed, and the record's."""
    y = np.arange(len(rounds), dtype=float)
    offsets = np.linspace(-0.22, 0.22, len(results)) if len(results) > 1 else np.zeros(1)
    for k, result in enumerate(results):
        shares = [
            np.mean([np.mean(log.outcome(r.id).agreed) for log in result.logs]) for r in rounds
        ]
        ax.scatter(
            shares,
            y + offsets[k],
            marker=RULE_MARKERS[k % len(RULE_MARKERS)],
            s=55,
            color=COLORS[k % len(COLORS)],
            zorder=3,
            label=rule_name(result.protocol),
        )
    _record_rings(ax, rounds, history)
    for row in y[:-1]:
        ax.axhline(row + 0.5, color="0.85", lw=0.6, zorder=0)
    ax.set_yticks(y, names, fontsize=SMALL_SIZE, linespacing=1.0)
    ax.set_ylim(len(rounds) - 0.5, -0.5)
    ax.set_xlim(-0.05, 1.05)
    ax.xaxis.set_major_formatter(_percent())
    ax.tick_params(axis="x", labelsize=SMALL_SIZE, labeltop=True, top=True)
    ax.set_xlabel("share of the meeting's agenda agreed (mean over the seeds)", fontsize=TEXT_SIZE)
    ax.grid(alpha=0.3, axis="x")
    ax.legend(
        fontsize=SMALL_SIZE,
        ncol=len(results) + 1,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.04),
        frameon=False,
        borderaxespad=1.2,
    )


def _record_rings(ax: Axes, rounds, history: History | None) -> None:
    """The record's share agreed of each meeting it records, as a hollow black ring."""
    labelled = False
    for row, round_ in enumerate(rounds):
        event = history.event(round_.id) if history is not None else None
        agreed = [event.agreed[j] for j in round_.agenda if event and j in event.agreed]
        if agreed:
            ax.scatter(
                [np.mean(agreed)],
                [row],
                s=190,
                facecolors="none",
                lw=1.4,
                edgecolors=RECORD_COLOR,
                zorder=4,
                label=None if labelled else "record",
            )
            labelled = True


def _coding_bars(ax: Axes, c: int, count: int, coding: str, scored, baselines) -> list[float]:
    """One coding's bars, offset within each row; returns the losses drawn."""
    height = 0.8 / count
    values = [r.score.loss for r in scored] + [s.loss for _, s in baselines]
    colors = [COLORS[k % len(COLORS)] for k in range(len(scored))] + ["0.6"] * len(baselines)
    where = np.arange(len(values)) + (c - (count - 1) / 2) * height
    ax.barh(
        where,
        values,
        height=height * 0.95,
        color=colors,
        hatch="//" if c else None,
        edgecolor="white" if c else None,
        label=f"{coding} coding",
    )
    for y, loss in zip(where, values, strict=True):
        ax.annotate(
            f"{loss:.3f}",
            (loss, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=SMALL_SIZE,
        )
    return values


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0)


def _losses(ax: Axes, codings) -> None:
    """Each rule's loss under each coding as a bar, the naive baselines in grey beneath.

    The first coding's bars are solid, each further coding's hatched and just below it, so a
    rule's two readings of the record sit side by side.
    """
    count = len(codings)
    losses = []
    for c, coding in enumerate(codings):
        losses += _coding_bars(ax, c, count, *coding)
    _, scored, baselines = codings[0]
    labels = [rule_name(r.protocol) for r in scored]
    labels += [name.removeprefix("baseline: ") + " (baseline)" for name, _ in baselines]
    ax.set_yticks(np.arange(len(labels)), labels)
    if count > 1:
        ax.legend(
            fontsize=SMALL_SIZE, loc="lower left", bbox_to_anchor=(0, 1), ncols=count, frameon=False
        )
    ax.set_xlim(0, max(losses) * 1.18 if losses else 1)
    ax.set_xlabel(
        "loss against the record (Brier and delay, mean per fact; lower is better)",
        fontsize=TEXT_SIZE,
    )
    ax.tick_params(labelsize=SMALL_SIZE)
    ax.invert_yaxis()
