"""Whether the blocs of a unification meeting came out as one delegation, and why not.

A joint delegation needs a joint platform: every bloc that must sign has to be in the room and
accept every clause (the same test as any agreement, so nothing here is scripted). What this
module adds is the reason a student can read when it fails: which bloc's red line the joint text
crossed, on which issue, and how far apart the blocs stood there. A declared red line
(``actors[].red_lines``) comes first; failing one, the reason is where an actor tolerates
little: actor i accepts a clause within 100 (1 - r_i) / s_ij points of its position.
"""

from __future__ import annotations

import numpy as np

from ..engine.consent import unit_accepts, units
from ..engine.record import RoundRecord, Setup
from ..runlog import Event
from ..wording import past, points


def coalition_event(setup: Setup, record: RoundRecord) -> Event:
    """``coalition_formed`` or ``coalition_failed``, with the reason in words."""
    cast, votes, talks = setup.cast, record.votes, record.talks
    required, present, agenda = votes.required, talks.present, record.seats.agenda
    date, round_id, text = record.date, record.spec.id, talks.bargain.text
    if required.size and bool(np.all(votes.agreed)) and bool(np.all(present[required])):
        return Event(
            date,
            "coalition_formed",
            f"{cast.names(required)} formed a single delegation on a joint platform: "
            + ", ".join(f"{cast.issue_ids[j]} {x:.0f}" for j, x in zip(agenda, text, strict=True))
            + ".",
            round=round_id,
        )
    if not required.size:
        words = "No single delegation: no bloc came that could have joined it."
        return Event(date, "coalition_failed", words, round=round_id)
    left = [i for i in required if talks.walked_out[i]]
    away = [i for i in required if not present[i] and not talks.walked_out[i]]
    if left or away:
        reasons = []
        if away:
            reasons.append(f"{cast.names(away)} not at the table")
        if left:
            reasons.append(f"{cast.names(left)} walked out")
        words = f"No single delegation: {' and '.join(reasons)}."
        return Event(date, "coalition_failed", words, round=round_id)
    declared = _declared_line_failure(setup, record)
    return declared if declared is not None else _red_line_failure(setup, record)


def _declared_line_failure(setup: Setup, record: RoundRecord) -> Event | None:
    """Name the bloc whose declared red line the joint text crossed, if one did: a declared
    line is refused outright, so it is the reason before any weighing of worth."""
    votes, cast = record.votes, setup.cast
    found = _line_that_blocked(cast, record) if votes.within is not None else None
    if found is None:
        return None
    blocker, col = found
    issue = int(record.seats.agenda[col])
    clause = float(record.talks.bargain.text[col])
    bound, line = cast.red_lines.crossed(blocker, issue, clause)
    words = (
        f"No single delegation: the joint text on {cast.issue_names[cast.issue_ids[issue]]} "
        f"({past(clause, line)}) crosses the red line {cast.actor_names[blocker]} has declared "
        f"there ({bound} {line:g}), which it does not trade against any other clause."
    )
    return Event(
        record.date,
        "coalition_failed",
        words,
        round=record.spec.id,
        actor=cast.actor_ids[blocker],
        issue=cast.issue_ids[issue],
    )


def _line_that_blocked(cast, record: RoundRecord) -> tuple[int, int] | None:
    """The first (actor, clause) whose declared line withheld its unit's consent from a clause
    not agreed: a crossed line that its side outvoted, or on a clause agreed anyway, blocked
    nothing and is not the reason."""
    votes, present, capability = record.votes, record.talks.present, record.before.capability
    for k in np.flatnonzero(~votes.agreed):
        for unit in units(cast, votes.required, capability):
            if unit_accepts(unit, votes.accepted[:, k : k + 1], present, capability)[0]:
                continue
            for i in unit.members:
                if present[i] and not votes.within[i, k] and not votes.accepted[i, k]:
                    return int(i), int(k)
    return None


def _red_line_failure(setup: Setup, record: RoundRecord) -> Event:
    """Name the clause furthest beyond a bloc's tolerance, and the bloc furthest from it."""
    cast, state = setup.cast, record.before
    required, agenda = record.votes.required, record.seats.agenda
    text = record.talks.bargain.text
    positions = state.positions[np.ix_(required, agenda)]
    salience = state.salience[np.ix_(required, agenda)]
    reservation = state.reservation[required]
    gaps = np.abs(positions - text[None, :])
    with np.errstate(divide="ignore"):
        limits = np.where(salience > 0, 100.0 * (1.0 - reservation[:, None]) / salience, np.inf)
    excess = gaps - limits
    row, col = np.unravel_index(int(np.argmax(excess)), excess.shape)
    blocker, issue = int(required[row]), int(agenda[col])
    other = int(required[int(np.argmax(np.abs(positions[:, col] - positions[row, col])))])
    name = cast.issue_names[cast.issue_ids[issue]]
    apart = abs(state.positions[other, issue] - state.positions[blocker, issue])
    blocker_name, other_name = cast.actor_names[blocker], cast.actor_names[other]
    words = (
        f"No single delegation: the joint text on {name} ({text[col]:.0f}) sits "
        f"{points(gaps[row, col])} from {blocker_name}'s position "
        f"({positions[row, col]:.0f}), beyond the {limits[row, col]:.0f} it can bear on an issue "
        "where it has so little room"
    )
    if other != blocker:
        words += f"; {blocker_name} and {other_name} stand {points(apart)} apart on it"
    return Event(
        record.date,
        "coalition_failed",
        words + ".",
        round=record.spec.id,
        actor=cast.actor_ids[blocker],
        issue=cast.issue_ids[issue],
    )
