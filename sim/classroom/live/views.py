"""What the live page shows, as plain data: the issue space, the timeline and a round's story.

Functions from a run log (and the scenario, and the record) to small frozen records and numpy
arrays; no Panel or Bokeh here, so that the page's logic is tested without a browser. The words
of a round (the one-line why, the key sentences) are the handout's own (``sim.classroom.story``):
a round's outcome and events are handed to it in the shape it reads from a run directory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ...history import History
from ...runlog import Event, RoundOutcome, RunLog
from ...scenario import Scenario
from ..rundir_reader import EventRow, RoundRow
from ..story import key_events, why_line


@dataclass(frozen=True)
class IssueSpace:
    """The actors on two issues: where each stands now, its trail over the rounds, its weight."""

    x_issue: str
    y_issue: str
    actor_ids: tuple[str, ...]
    names: tuple[str, ...]
    x: np.ndarray  # (actors,) position now
    y: np.ndarray
    capability: np.ndarray  # (actors,)
    trail_x: np.ndarray  # (actors, rounds played + 1): each round's position, then now
    trail_y: np.ndarray
    #: the latest text on each issue (``None`` where no round has had it on its agenda yet)
    text: tuple[float | None, float | None]
    text_rounds: tuple[str | None, str | None]


def issue_space(
    log: RunLog, scenario: Scenario, now: np.ndarray, capability: np.ndarray, x: str, y: str
) -> IssueSpace:
    """``now`` and ``capability`` are the model's current arrays (actors x issues, actors)."""
    jx, jy = log.issue_ids.index(x), log.issue_ids.index(y)
    history = [*log.positions, now]
    trail = np.stack(history)  # (rounds + 1, actors, issues)
    names = {a.id: a.name for a in scenario.actors}
    latest = [_latest_text(log.rounds, issue) for issue in (x, y)]
    return IssueSpace(
        x_issue=x,
        y_issue=y,
        actor_ids=log.actor_ids,
        names=tuple(names[a] for a in log.actor_ids),
        x=now[:, jx].copy(),
        y=now[:, jy].copy(),
        capability=np.asarray(capability, dtype=float).copy(),
        trail_x=trail[:, :, jx].T.copy(),
        trail_y=trail[:, :, jy].T.copy(),
        text=(latest[0][0], latest[1][0]),
        text_rounds=(latest[0][1], latest[1][1]),
    )


def _latest_text(rounds: list[RoundOutcome], issue: str) -> tuple[float | None, str | None]:
    for outcome in reversed(rounds):
        if issue in outcome.agenda:
            return outcome.text[outcome.agenda.index(issue)], outcome.round_id
    return None, None


@dataclass(frozen=True)
class TimelineRow:
    """One scheduled round: when it was planned, when the model and the record have it meet."""

    round_id: str
    name: str
    track: str
    planned: dt.date
    model_date: dt.date | None  # None: not played yet
    record_date: dt.date | None  # None: the record says nothing of its date, or no record
    model_agreed: tuple[str, ...] | None
    record_agreed: tuple[str, ...] | None
    took_place: bool = True

    @property
    def summary(self) -> str:
        model = "not played yet" if self.model_agreed is None else _agreed(self.model_agreed)
        if self.record_agreed is None:
            record = "no record" if self.took_place else "did not take place"
        else:
            record = _agreed(self.record_agreed)
        return f"model: {model}; record: {record}"


def _agreed(issues: tuple[str, ...]) -> str:
    return "agreed " + ", ".join(issues) if issues else "nothing agreed"


def timeline(log: RunLog, scenario: Scenario, history: History | None) -> tuple[TimelineRow, ...]:
    """Every scheduled round in schedule order, with the model's and the record's date."""
    played = {outcome.round_id: outcome for outcome in log.rounds}
    rows = []
    for spec in scenario.schedule:
        outcome = played.get(spec.id)
        event = history.event(spec.id) if history is not None else None
        record_date, record_agreed, took_place = None, None, True
        if event is not None:
            took_place = event.took_place
            if event.actual_date is not None:
                record_date = event.actual_date
            elif took_place:
                record_date = spec.planned_date + dt.timedelta(days=event.delay_days or 0)
            if event.agreed:
                record_agreed = tuple(issue for issue, ok in event.agreed.items() if ok)
        rows.append(
            TimelineRow(
                round_id=spec.id,
                name=spec.name,
                track=spec.track,
                planned=spec.planned_date,
                model_date=outcome.date if outcome else None,
                record_date=record_date if took_place else None,
                model_agreed=outcome.agreed_issues if outcome else None,
                record_agreed=record_agreed,
                took_place=took_place,
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class RoundStory:
    """The current round in words: its name and date, why it ended as it did, what was said."""

    round_id: str
    title: str
    why: str
    key: tuple[str, ...]
    before: tuple[str, ...]  # shocks and postponements since the previous round
    narrative: tuple[str, ...]


def round_story(log: RunLog, scenario: Scenario, round_id: str) -> RoundStory:
    """The story of a round played, in the handout's words."""
    position = next(i for i, o in enumerate(log.rounds) if o.round_id == round_id)
    outcome = log.rounds[position]
    previous = log.rounds[position - 1].date if position else None
    spec = next(s for s in scenario.schedule if s.id == round_id)
    rows = [_event_row(n, e) for n, e in enumerate(log.events)]
    own = tuple(r for r in rows if r.round_id == round_id and r.kind != "postponed")
    shocks = [
        r
        for r in rows
        if r.round_id is None and (previous is None or r.date > previous) and r.date <= outcome.date
    ]
    slips = [r for r in rows if r.kind == "postponed" and r.round_id == round_id]
    before = tuple(r.text for r in sorted(shocks + slips, key=lambda r: r.line))
    actors = {a.id: a.name for a in scenario.actors}
    issues = {i.id: i.name for i in scenario.issues}
    why = why_line(
        _round_row(outcome, spec),
        own,
        lambda a: actors.get(a, a),
        lambda i: issues.get(i, i),
    )
    title = f"{spec.name}, {spec.venue}, {outcome.date.isoformat()}"
    if outcome.delay_days:
        title += f" ({outcome.delay_days} days late)"
    return RoundStory(
        round_id=round_id,
        title=title,
        why=why,
        key=tuple(r.text for r in key_events(own)),
        before=before,
        narrative=tuple(r.text for r in own),
    )


def _event_row(line: int, event: Event) -> EventRow:
    return EventRow(
        line=line,
        date=event.date,
        kind=event.kind,
        text=event.text,
        round_id=event.round,
        actor=event.actor,
        issue=event.issue,
        value=event.value,
    )


def _round_row(outcome: RoundOutcome, spec) -> RoundRow:
    return RoundRow(
        round_id=outcome.round_id,
        name=spec.name,
        venue=spec.venue,
        format=spec.format,
        planned_date=outcome.planned_date,
        date=outcome.date,
        postponements=outcome.postponements,
        invited=outcome.invited,
        attended=outcome.attended,
        stayed_away=outcome.stayed_away,
        walked_out=outcome.walked_out,
        signatories=outcome.signatories,
        agenda=outcome.agenda,
        agreed=outcome.agreed_issues,
        recorded=(),
        matches=(),
        cells={},
    )
