"""The two figures of a run: positions over the rounds, and the run drawn over the record.

Figures are built on ``matplotlib.figure.Figure`` directly (no pyplot), so drawing keeps no global
state and works without a display.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import TYPE_CHECKING

import numpy as np

from ..history import History
from ..runlog import RunLog
from ..scenario import Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_METADATA = {"Software": None}  # no version string: the bytes depend only on the run
# Marker of each track, by its place in the scenario's `tracks:` list (cycling after ten).
TRACK_MARKERS = ("o", "s", "^", "D", "P", "v", "X", "<", ">", "*")


def track_markers(scenario: Scenario) -> dict[str, str]:
    """Each declared track's marker, assigned in declaration order."""
    return {
        track.id: TRACK_MARKERS[k % len(TRACK_MARKERS)] for k, track in enumerate(scenario.tracks)
    }


def png_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata=PNG_METADATA)
    return buffer.getvalue()


def _actor_colors(n: int):
    from matplotlib import colormaps

    cmap = colormaps["tab20"]
    return [cmap(i % 20) for i in range(n)]


def positions_figure(log: RunLog, scenario: Scenario) -> Figure:
    """One panel per issue: each actor's position as it came to each round."""
    from matplotlib.figure import Figure

    positions = log.position_array()
    dates = [o.date for o in log.rounds]
    n_issues = len(log.issue_ids)
    cols = 2 if n_issues > 1 else 1
    rows = math.ceil(n_issues / cols)
    figure = Figure(figsize=(6.5 * cols, 2.6 * rows + 1.2))
    # Fixed margins: constrained layout costs more than the whole simulation.
    figure.subplots_adjust(left=0.08, right=0.98, top=0.94, bottom=0.06, hspace=0.35, wspace=0.25)
    axes = np.atleast_1d(figure.subplots(rows, cols, sharex=True, squeeze=False)).ravel()
    issues = {issue.id: issue for issue in scenario.issues}
    names = {actor.id: actor.name for actor in scenario.actors}
    colors = _actor_colors(len(log.actor_ids))
    for j, issue_id in enumerate(log.issue_ids):
        ax = axes[j]
        for i, actor_id in enumerate(log.actor_ids):
            ax.plot(
                dates,
                positions[:, i, j],
                marker=".",
                lw=1.2,
                color=colors[i],
                label=names[actor_id],
            )
        issue = issues[issue_id]
        ax.set_title(issue.name, fontsize=10)
        ax.set_ylim(-3, 103)
        ax.set_ylabel(f"0 {_short(issue.low)}\n100 {_short(issue.high)}", fontsize=6.5)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    handles, labels = axes[0].get_legend_handles_labels()
    spare = axes[n_issues:]
    for ax in spare:
        ax.set_axis_off()
    if len(spare):  # an empty panel holds the legend
        spare[0].legend(handles, labels, loc="center", ncol=2, fontsize=8, frameon=False)
    else:
        figure.subplots_adjust(bottom=0.16)
        figure.legend(handles, labels, loc="lower center", ncol=4, fontsize=7, frameon=False)
    figure.suptitle(f"{scenario.name}: positions as brought to each round (seed {log.seed})")
    return figure


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def history_figure(log: RunLog, scenario: Scenario, history: History | None) -> Figure:
    """The simulated rounds over the recorded ones, on the real dates.

    Top: the share of each round's agenda that was agreed. Middle: the share of invitees who
    came and stayed. Bottom: how many days each round slipped from its planned date. Filled
    markers are the model; hollow black markers are the record.
    """
    specs = {r.id: r for r in scenario.schedule}
    markers = track_markers(scenario)
    figure, (ax_agree, ax_attend, ax_delay) = _history_axes()
    for outcome in log.rounds:
        spec = specs[outcome.round_id]
        marker = markers.get(spec.track, "o")
        sim_agree = float(np.mean(outcome.agreed)) if outcome.agenda else 0.0
        color = "tab:green" if sim_agree == 1 else ("tab:orange" if sim_agree > 0 else "tab:red")
        ax_agree.scatter([outcome.date], [sim_agree], marker=marker, s=55, color=color, zorder=3)
        ax_attend.scatter(
            [outcome.date],
            [_present_share(outcome)],
            marker=marker,
            s=55,
            color="tab:blue",
            zorder=3,
        )
        ax_delay.scatter(
            [outcome.date], [outcome.delay_days], marker=marker, s=55, color="tab:blue", zorder=3
        )
        ax_agree.annotate(
            outcome.round_id,
            (outcome.date, sim_agree),
            fontsize=6,
            rotation=60,
            xytext=(2, 6),
            textcoords="offset points",
        )
        event = history.event(outcome.round_id) if history else None
        recorded = _draw_record((ax_agree, ax_attend, ax_delay), event, spec, marker)
        if recorded is not None:  # a thin line from the model's round to the record's
            ax_agree.plot(
                [outcome.date, event.actual_date],
                [sim_agree, recorded],
                color="grey",
                lw=0.6,
                zorder=1,
            )
    title = f"{scenario.name}: the model (filled) over the record (hollow), seed {log.seed}"
    if history is None:
        title += " (no recorded history given)"
    _finish_history_axes(figure, (ax_agree, ax_attend, ax_delay), title, scenario)
    return figure


def _history_axes():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 8))
    figure.subplots_adjust(left=0.09, right=0.98, top=0.9, bottom=0.13, hspace=0.12)
    return figure, figure.subplots(3, 1, sharex=True)


def _present_share(outcome) -> float:
    """The share of the invited who came and stayed to the end."""
    present = (set(outcome.attended) - set(outcome.walked_out)) & set(outcome.invited)
    return len(present) / max(len(outcome.invited), 1)


def _draw_record(axes, event, spec, marker: str) -> float | None:
    """The record's hollow markers for one round; returns its agreed share, if recorded."""
    if event is None or event.actual_date is None:
        return None
    ax_agree, ax_attend, ax_delay = axes
    agreed = [event.agreed[j] for j in spec.agenda if j in event.agreed]
    share = float(np.mean(agreed)) if agreed else None
    if share is not None:
        _recorded_marker(ax_agree, event.actual_date, share, marker)
    if event.attended is not None:
        invited = set(spec.conveners) | set(spec.invitees)
        present = (set(event.attended) - set(event.walked_out or ())) & invited
        _recorded_marker(ax_attend, event.actual_date, len(present) / max(len(invited), 1), marker)
    if event.delay_days is not None:
        _recorded_marker(ax_delay, event.actual_date, event.delay_days, marker)
    return share


def _finish_history_axes(figure, axes, title: str, scenario: Scenario) -> None:
    ax_agree, ax_attend, ax_delay = axes
    ax_agree.set_ylabel("share of agenda agreed")
    ax_attend.set_ylabel("share of invitees\npresent to the end")
    ax_delay.set_ylabel("days slipped\nfrom planned date")
    for ax in (ax_agree, ax_attend):
        ax.set_ylim(-0.08, 1.25)
    for ax in axes:
        ax.grid(alpha=0.3)
    ax_delay.tick_params(axis="x", labelrotation=30)
    _legend(figure, scenario)
    figure.suptitle(title)


def _recorded_marker(ax, date, value: float, marker: str) -> None:
    """A hollow black marker: what the record says."""
    ax.scatter(
        [date], [value], marker=marker, s=110, facecolors="none", edgecolors="black", zorder=4
    )


def _legend(figure: Figure, scenario: Scenario) -> None:
    """The tracks the schedule uses, by display name and in declaration order; then the record."""
    from matplotlib.lines import Line2D

    used = {round_.track for round_ in scenario.schedule}
    markers = track_markers(scenario)
    handles = [
        Line2D([], [], marker=markers[track.id], ls="", color="grey", label=track.name)
        for track in scenario.tracks
        if track.id in used
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markerfacecolor="none",
            markeredgecolor="black",
            label="record",
        )
    )
    figure.legend(handles=handles, fontsize=8, ncol=len(handles), loc="lower center", frameon=False)


def ensemble_history_figure(
    logs: list[RunLog], scenario: Scenario, history: History | None, title: str | None = None
) -> Figure:
    """Like ``history_figure``, over many seeds: the median of each round, and a 10-90% band."""
    markers = track_markers(scenario)
    figure, (ax_agree, ax_attend, ax_delay) = _history_axes()
    for round_ in scenario.schedule:
        outcomes = [log.outcome(round_.id) for log in logs]
        marker = markers.get(round_.track, "o")
        agree = np.array([np.mean(o.agreed) for o in outcomes])
        attend = np.array([_present_share(o) for o in outcomes])
        delay = np.array([o.delay_days for o in outcomes], dtype=float)
        date = round_.planned_date + dt.timedelta(days=float(np.median(delay)))
        for ax, values, color in (
            (ax_agree, agree, "tab:green"),
            (ax_attend, attend, "tab:blue"),
            (ax_delay, delay, "tab:blue"),
        ):
            low, mid, high = np.percentile(values, [10, 50, 90])
            ax.errorbar(
                [date],
                [mid],
                yerr=[[mid - low], [high - mid]],
                fmt=marker,
                ms=7,
                color=color,
                ecolor=color,
                elinewidth=6,
                alpha=0.55,
                capsize=0,
                zorder=3,
            )
        ax_agree.annotate(
            round_.id,
            (date, float(np.median(agree))),
            fontsize=6,
            rotation=60,
            xytext=(2, 6),
            textcoords="offset points",
        )
        event = history.event(round_.id) if history else None
        _draw_record((ax_agree, ax_attend, ax_delay), event, round_, marker)
    band = f"median and 10-90% band over {len(logs)} seeds (filled), record (hollow)"
    _finish_history_axes(
        figure, (ax_agree, ax_attend, ax_delay), title or f"{scenario.name}: {band}", scenario
    )
    return figure


RULE_COLORS = ("tab:purple", "tab:red", "tab:green", "tab:blue", "tab:orange", "tab:brown")


def protocol_comparison_figure(
    results, scenario: Scenario, history: History | None, baselines=()
) -> Figure:
    """Each bargaining rule's share of each round's agenda agreed, over the record.

    ``results`` are ``comparison.RuleResult``s. Top: the mean over the seeds of each rule, one
    line per rule, the record as hollow black markers. Bottom: each rule's loss against the
    record (lower is better), when a record is given, with the naive ``baselines`` (name and
    ``Score`` pairs) in grey beneath the rules.
    """
    from matplotlib.figure import Figure

    scored = [r for r in results if r.score is not None]
    if scored:
        figure = Figure(figsize=(11, 7.5))
        figure.subplots_adjust(left=0.22, right=0.97, top=0.92, bottom=0.08, hspace=0.45)
        ax_agree, ax_loss = figure.subplots(2, 1, gridspec_kw={"height_ratios": [2.2, 1]})
    else:  # no record: nothing to score, one panel
        figure = Figure(figsize=(11, 5))
        figure.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.2)
        ax_agree, ax_loss = figure.subplots(1, 1), None
    rounds = list(scenario.schedule)
    x = np.arange(len(rounds))
    offset = np.linspace(-0.15, 0.15, len(results)) if len(results) > 1 else np.zeros(1)
    for k, result in enumerate(results):
        shares = [
            np.mean([np.mean(log.outcome(r.id).agreed) for log in result.logs]) for r in rounds
        ]
        color = RULE_COLORS[k % len(RULE_COLORS)]
        ax_agree.plot(x + offset[k], shares, "-o", ms=5, lw=1.2, color=color, label=result.protocol)
    labelled = False
    for position, round_ in zip(x, rounds, strict=True):
        event = history.event(round_.id) if history is not None else None
        agreed = [event.agreed[j] for j in round_.agenda if event and j in event.agreed]
        if agreed:
            ax_agree.scatter(
                [position],
                [np.mean(agreed)],
                s=130,
                facecolors="none",
                edgecolors="black",
                zorder=4,
                label=None if labelled else "record",
            )
            labelled = True
    ax_agree.set_xticks(x, [r.id for r in rounds], rotation=45, ha="right", fontsize=8)
    ax_agree.set_ylim(-0.08, 1.12)
    ax_agree.set_ylabel("share of agenda agreed\n(mean over seeds)")
    ax_agree.grid(alpha=0.3)
    ax_agree.legend(fontsize=8, ncol=len(results) + 1, loc="upper center", frameon=False)
    if ax_loss is not None:
        losses = [r.score.loss for r in scored] + [s.loss for _, s in baselines]
        colors = [RULE_COLORS[k % len(RULE_COLORS)] for k in range(len(scored))]
        colors += ["0.6"] * len(baselines)
        labels = [r.protocol for r in scored] + [name for name, _ in baselines]
        ax_loss.barh(labels, losses, color=colors)
        for k, loss in enumerate(losses):
            ax_loss.annotate(f"{loss:.3f}", (loss, k), xytext=(3, -3), textcoords="offset points")
        ax_loss.set_xlabel(
            "loss against the record (Brier and delay, mean per fact; lower is better)"
        )
        ax_loss.invert_yaxis()
    seeds = len(results[0].logs) if results else 0
    against = "against the record" if history is not None else "(no record given)"
    figure.suptitle(f"{scenario.name}: the bargaining rules {against}, {seeds} seeds each")
    return figure
