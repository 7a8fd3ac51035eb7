"""A round's events, in the order things happened: who came, the bargaining, walk-outs, votes,
agreements, a unification meeting's verdict, and the moves."""

from __future__ import annotations

import numpy as np

from ..engine.consent import unit_accepts, units
from ..engine.record import RoundRecord, Setup
from ..runlog import Event
from .bargains import tell
from .coalition import coalition_event
from .words import (
    explain_attendance,
    explain_move,
    explain_no_substance,
    explain_package_vote,
    explain_red_line_package,
    explain_red_line_vote,
    explain_vote,
    explain_walkout,
)

MOVE_REPORT_THRESHOLD = 1.0  # scale points; smaller moves are not narrated


def narrate_round(setup: Setup, record: RoundRecord) -> list[Event]:
    events = _attendance(setup, record)
    events += _bargaining(setup, record)
    events += _walkouts(setup, record)
    events += _votes(setup, record)
    events += _agreement(setup, record)
    if record.spec.format == "unification":
        events.append(coalition_event(setup, record))
    events += _patron_pulls(setup, record)
    events += _moves(setup, record)
    return events


def _event(record: RoundRecord, kind: str, text: str, **where) -> Event:
    return Event(record.date, kind, text, round=record.spec.id, **where)


def _attendance(setup: Setup, record: RoundRecord) -> list[Event]:
    cast, spec, came, state = setup.cast, record.spec, record.attendance, record.before
    events = []
    for i in record.seats.invited:
        name = cast.actor_names[i]
        if i in record.seats.conveners:
            kind, text = "convened", f"{name} convened {spec.name} in {spec.venue}."
        else:
            patron = cast.actor_names[cast.patron[i]] if came.patron_there[i] else None
            text = explain_attendance(
                name,
                bool(came.attending[i]),
                float(came.expected[i]),
                float(came.pull[i]),
                float(came.noise[i]),
                float(state.reservation[i]),
                patron,
                float(came.distrust[i]),
                cast.actor_names[came.guarantor[i]],
                0.0 if came.forum is None else float(came.forum[i]),
                _track_name(setup, spec.track),
            )
            if came.chosen[i]:
                text += " (The delegation's players decided.)"
            kind = "attended" if came.attending[i] else "stayed_away"
        events.append(_event(record, kind, text, actor=cast.actor_ids[i]))
    return events


def _bargaining(setup: Setup, record: RoundRecord) -> list[Event]:
    """One event per step of the bargain, told here when the rule recorded only its numbers."""
    cast = setup.cast
    if record.seats.ratifies and record.talks.bargain.steps[0].kind == "put_to_vote":
        return [_event(record, "put_to_vote", _put_to_vote_words(setup, record))]
    ids, issues = cast.actor_ids, tuple(cast.issue_ids[j] for j in record.seats.agenda)
    return [
        _event(
            record,
            step.kind,
            tell(step, cast.actor_names, issues),
            actor=None if step.actor is None else ids[step.actor],
            issue=step.issue,
        )
        for step in record.talks.bargain.steps
    ]


def _put_to_vote_words(setup: Setup, record: RoundRecord) -> str:
    cast, agenda = setup.cast, record.seats.agenda
    earlier = setup.round_names.get(record.seats.ratifies, record.seats.ratifies)
    clauses = ", ".join(
        f"{cast.issue_ids[j]} {x:.0f}"
        for j, x in zip(agenda, record.talks.bargain.text.tolist(), strict=True)
    )
    return f"The text of {earlier} was put to the vote, unchanged: {clauses}."


def _walkouts(setup: Setup, record: RoundRecord) -> list[Event]:
    """One ``walked_out`` event per leaver."""
    cast, talks, came = setup.cast, record.talks, record.attendance
    reservation = record.before.reservation
    return [
        _event(
            record,
            "walked_out",
            explain_walkout(
                cast.actor_names[i],
                float(talks.worth[i]),
                setup.params.walkout_margin,
                float(reservation[i]),
                float(came.distrust[i]),
                cast.actor_names[came.guarantor[i]],
            ),
            actor=cast.actor_ids[i],
            value=float(talks.worth[i] - came.distrust[i]),
        )
        for i in np.flatnonzero(talks.walked_out)
    ]


def _track_name(setup: Setup, track: str) -> str:
    return setup.track_names.get(track, track)


def _votes(setup: Setup, record: RoundRecord) -> list[Event]:
    cast, seats = setup.cast, record.seats
    voters = seats.voters(cast, record.talks.present, seats.required(cast, record.talks.present))
    events = []
    for i in np.flatnonzero(voters):
        if not seats.forum.substance[i]:
            sentence = explain_no_substance(
                cast.actor_names[i], _track_name(setup, record.spec.track)
            )
            events.append(_event(record, "refused_substance", sentence, actor=cast.actor_ids[i]))
        elif record.votes.package_worth is not None:
            events.append(_package_vote(setup, record, int(i)))
        else:
            events += [_clause_vote(setup, record, int(i), k) for k in range(seats.agenda.size)]
    return events


def _package_vote(setup: Setup, record: RoundRecord, i: int) -> Event:
    cast, votes = setup.cast, record.votes
    ok, worth = bool(votes.accepted[i].all()), float(votes.package_worth[i])
    crossed = _crossed(votes, i)
    if not ok and crossed is not None:
        issue, clause, bound, line = _line_words(setup, record, i, crossed)
        sentence = explain_red_line_package(cast.actor_names[i], worth, issue, clause, bound, line)
    else:
        reservation = float(record.before.reservation[i])
        sentence = explain_package_vote(cast.actor_names[i], worth, reservation, ok)
    kind = "accepted" if ok else "rejected"
    return _event(record, kind, sentence, actor=cast.actor_ids[i], value=worth)


def _clause_vote(setup: Setup, record: RoundRecord, i: int, k: int) -> Event:
    cast, votes, state = setup.cast, record.votes, record.before
    j = int(record.seats.agenda[k])
    issue = cast.issue_ids[j]
    ok, utility = bool(votes.accepted[i, k]), float(votes.utility[i, j])
    if not ok and votes.within is not None and not votes.within[i, k]:
        sentence = explain_red_line_vote(cast.actor_names[i], *_line_words(setup, record, i, k))
    else:
        gap = abs(float(record.talks.bargain.text[k]) - float(state.positions[i, j]))
        name, reservation = cast.issue_names[issue], float(state.reservation[i])
        sentence = explain_vote(cast.actor_names[i], name, gap, utility, reservation, ok)
    kind = "accepted" if ok else "rejected"
    return _event(record, kind, sentence, actor=cast.actor_ids[i], issue=issue, value=utility)


def _crossed(votes, i: int) -> int | None:
    """The first agenda clause beyond actor ``i``'s red lines, if any."""
    if votes.within is None or votes.within[i].all():
        return None
    return int(np.argmin(votes.within[i]))


def _line_words(setup: Setup, record: RoundRecord, i: int, k: int) -> tuple[str, float, str, float]:
    """The issue's name, the clause, and the line it crosses ("at least" 85 or "at most" 40)."""
    cast = setup.cast
    j = int(record.seats.agenda[k])
    clause = float(record.talks.bargain.text[k])
    bound, line = cast.red_lines.crossed(i, j, clause)
    return cast.issue_names[cast.issue_ids[j]], clause, bound, line


def _agreement(setup: Setup, record: RoundRecord) -> list[Event]:
    cast, votes, present = setup.cast, record.votes, record.talks.present
    required, state = votes.required, record.before
    blocs = units(cast, required, state.capability) if required.size else ()
    offered = votes.offered
    not_on_offer = np.zeros(record.seats.agenda.size, bool) if offered is None else ~offered
    events = []
    for k, j in enumerate(record.seats.agenda):
        issue = cast.issue_ids[j]
        name = cast.issue_names[issue]
        if votes.agreed[k]:
            text = f"Agreed on {name}: signed by {cast.names(required)}."
        elif not required.size:
            text = f"No agreement on {name}: nobody was there to sign."
        elif not_on_offer[k]:
            text = f"No agreement on {name}: {_not_ratifiable(setup, record, int(j))}."
        else:
            text = f"No agreement on {name}: {_why_not(cast, blocs, votes, present, state, k)}."
        kind = "agreed" if votes.agreed[k] else "no_agreement"
        events.append(_event(record, kind, text, issue=issue))
    return events


def _not_ratifiable(setup: Setup, record: RoundRecord, j: int) -> str:
    """Why clause ``j`` (an issue index) could not be ratified here."""
    earlier = setup.round_names.get(record.seats.ratifies, record.seats.ratifies)
    if record.before.agreed_texts[record.seats.ratifies].agreed[
        j
    ]:  # agreed there, but the package holds a clause that was not
        return f"the package holds a clause {earlier} did not agree, so it could not be ratified"
    return f"{earlier} did not agree it, so there was nothing to ratify"


def _why_not(cast, blocs, votes, present, state, k: int) -> str:
    """Who withheld consent on clause ``k``: those away, then those who rejected it."""
    away, refused = [], []
    for unit in blocs:
        if unit_accepts(unit, votes.accepted[:, k : k + 1], present, state.capability)[0]:
            continue
        gone = [i for i in unit.members if not present[i]]
        label = unit.side if unit.side else cast.actor_names[unit.lead]
        if unit.side is None:
            (away if gone else refused).append(label)
        elif len(gone) == len(unit.members) or (unit.rule == "lead" and unit.lead in gone):
            away.append(label)
        else:
            refused.append(label)
    parts = []
    if away:
        parts.append(f"{_join(away)} not at the table to sign")
    if refused:
        parts.append(f"rejected by {_join(refused)}")
    return "; ".join(parts)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _patron_pulls(setup: Setup, record: RoundRecord) -> list[Event]:
    """Patronage in words: how far a patron drew its client toward its own positions."""
    cast, moves = setup.cast, record.moves
    events = []
    for client in np.flatnonzero(moves.movers & (cast.patron >= 0)):
        pull = moves.pull[client]
        if np.abs(pull).sum() < MOVE_REPORT_THRESHOLD:
            continue
        issues = np.argsort(-np.abs(pull), kind="stable")[:2]
        where = " and ".join(
            f"{cast.issue_names[cast.issue_ids[j]]} ({pull[j]:+.1f})" for j in issues if pull[j]
        )
        text = (
            f"{cast.actor_names[cast.patron[client]]} drew its client "
            f"{cast.actor_names[client]} toward its own positions, most on {where}: a client "
            "leans on its patron for arms, money and protection, and hears its line."
        )
        events.append(
            _event(
                record,
                "patron_pull",
                text,
                actor=cast.actor_ids[client],
                value=float(np.abs(pull).sum()),
            )
        )
    return events


def _moves(setup: Setup, record: RoundRecord) -> list[Event]:
    """Each move of at least ``MOVE_REPORT_THRESHOLD`` scale points."""
    cast, moves, seats = setup.cast, record.moves, record.seats
    text = record.talks.bargain.text
    events = []
    for i in np.flatnonzero(moves.movers):
        for k, j in enumerate(seats.agenda):
            before, after = float(moves.before[i, j]), float(moves.after[i, j])
            if abs(after - before) < MOVE_REPORT_THRESHOLD:
                continue
            issue = cast.issue_ids[j]
            sentence = explain_move(
                cast.actor_names[i], cast.issue_names[issue], before, after, float(text[k])
            )
            events.append(
                _event(record, "moved", sentence, actor=cast.actor_ids[i], issue=issue, value=after)
            )
    return events
