"""What happens in one scheduled round, in order.

(Before it, the model asks the conveners whether the round can meet or must slip:
``expected_agreement``.)

1. each invitee decides whether to come;
2. they bargain under the scenario's rule (``model.protocol``, one module each in
   ``sim/protocols``): the rule turns the table into a text;
3. a participant for whom the text is far below its walk-away value walks out;
4. the participants accept or reject each clause; a clause is agreed when every required
   signatory is present and accepts it;
5. the participants move: they concede toward the text, their patrons pull them, and stronger
   actors in the room press them.

Every step writes its narrative to the run log. The numbers come from ``behaviour``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from . import behaviour as b
from .coalitions import coalition_event
from .context import RunContext
from .protocols import Bargain, Table
from .runlog import Event, RoundOutcome
from .scenario import Round

Distrust = tuple[np.ndarray, np.ndarray]  # each actor's cost, and the guarantor behind it
MOVE_REPORT_THRESHOLD = 1.0  # scale points; smaller moves are not narrated


@dataclass(frozen=True)
class Seats:
    """Who is at the table of one round, as index arrays into the model's actors."""

    conveners: np.ndarray
    invited: np.ndarray
    agenda: np.ndarray
    explicit_signatories: np.ndarray | None


def play_round(model: RunContext, spec: Round, date: dt.date, postponements: int) -> RoundOutcome:
    """Play ``spec`` on ``date`` (the model has already applied the shocks due by then)."""
    seats = _seats(model, spec)
    distrust = _distrust(model, seats)  # positions do not move until the round ends
    attending = _attendance(model, spec, seats, distrust, date)
    bargain, present, walked_out = _negotiate(model, spec, seats, attending, distrust, date)
    text = bargain.text
    # Required signatories are fixed by who came: one who walked out has not signed.
    required = _expected_signatories(model, seats, attending)
    utility = b.clause_utility(model.positions, model.salience, _full_text(model, seats, text))
    accepted = b.accepts(utility[:, seats.agenda], model.reservation)
    signatories_present = bool(required.size) and bool(np.all(present[required]))
    agreed = (
        accepted[required].all(axis=0)
        if signatories_present
        else np.zeros(seats.agenda.size, dtype=bool)
    )
    if model.narrate:
        _narrate_votes(model, spec, seats, text, utility, accepted, present, date)
    _narrate_agreement(model, spec, seats, required, present, accepted, agreed, date)
    if spec.format == "unification":
        model.log(
            coalition_event(
                model, spec.id, date, seats.agenda, text, required, present, agreed, walked_out
            )
        )

    model.record_round_state(utility)
    distance = b.weighted_distance(
        model.positions[:, seats.agenda], model.salience[:, seats.agenda], text
    )
    _move(model, spec, seats, bargain, present, date)

    decided = (attending, present, walked_out, required, accepted, agreed)
    return _outcome(model, spec, seats, date, postponements, text, decided, distance)


def _outcome(model, spec, seats, date, postponements, text, decided, distance) -> RoundOutcome:
    """The round's decisions as the run log keeps them: ids, in the order of the invitation."""
    attending, present, walked_out, required, accepted, agreed = decided
    ids = model.actor_ids
    participants = _voters(model, present, required)
    accepted_all = participants.copy()
    accepted_all[participants] = accepted[participants].all(axis=1)
    return RoundOutcome(
        round_id=spec.id,
        planned_date=spec.planned_date,
        date=date,
        postponements=postponements,
        invited=tuple(ids[i] for i in seats.invited),
        attended=tuple(ids[i] for i in seats.invited if attending[i]),
        stayed_away=tuple(ids[i] for i in seats.invited if not attending[i]),
        walked_out=tuple(ids[i] for i in seats.invited if walked_out[i]),
        agenda=tuple(spec.agenda),
        signatories=tuple(ids[i] for i in required),
        text=tuple(float(x) for x in text),
        agreed=tuple(bool(x) for x in agreed),
        accepted_by=tuple(ids[i] for i in seats.invited if accepted_all[i]),
        distance=tuple(float(d) for d in distance),
    )


def _seats(model: RunContext, spec: Round) -> Seats:
    conveners = model.indices(spec.conveners)
    invitees = [a for a in spec.invitees if a not in spec.conveners]
    explicit = None if spec.signatories == "attendees" else model.indices(spec.signatories)
    return Seats(
        conveners=conveners,
        invited=np.concatenate([conveners, model.indices(invitees)]).astype(int),
        agenda=model.issue_indices(spec.agenda),
        explicit_signatories=explicit,
    )


def _mask(model: RunContext, indices: np.ndarray) -> np.ndarray:
    mask = np.zeros(model.n_actors, dtype=bool)
    mask[indices] = True
    return mask


def _table(
    model: RunContext, seats: Seats, at_table: np.ndarray, objectors: np.ndarray | None = None
) -> Table:
    """The agenda columns of the model's arrays, and who is where: what the rule sees."""
    agenda = seats.agenda
    return Table(
        positions=model.positions[:, agenda],
        salience=model.salience[:, agenda],
        capability=model.capability,
        reservation=model.reservation,
        present=at_table,
        drafting=at_table & model.drafts,
        conveners=_mask(model, seats.conveners),
        objectors=np.zeros_like(at_table) if objectors is None else objectors,
        params=model.params,
        actor_names=model.actor_names,
        issue_ids=tuple(model.issue_ids[j] for j in agenda),
        patron=model.patron,
    )


def _foreseen_text(model: RunContext, seats: Seats) -> np.ndarray:
    """The text the conveners foresee if every invitee comes, under the scenario's rule."""
    everyone = _mask(model, seats.invited)
    required = _expected_signatories(model, seats, everyone)
    return model.protocol.forecast(_table(model, seats, everyone, _mask(model, required)))


def _expected_signatories(model: RunContext, seats: Seats, at_table: np.ndarray) -> np.ndarray:
    if seats.explicit_signatories is not None:
        return seats.explicit_signatories
    return np.flatnonzero(at_table & model.consents)


def _voters(model: RunContext, present: np.ndarray, required: np.ndarray) -> np.ndarray:
    """Who votes on the text: those present whose role consents, and any required signatory."""
    return present & (model.consents | _mask(model, required))


def expected_agreement(model: RunContext, spec: Round) -> float:
    """The share of agenda clauses the conveners expect every required signatory to accept.

    They foresee the text that all invitees would produce and read the share with some noise;
    the model postpones the round when the reading falls below ``postpone_threshold``.
    """
    seats = _seats(model, spec)
    everyone = _mask(model, seats.invited)
    text = _foreseen_text(model, seats)
    required = _expected_signatories(model, seats, everyone)
    utility = b.clause_utility(
        model.positions[required][:, seats.agenda], model.salience[required][:, seats.agenda], text
    )
    return float(b.accepts(utility, model.reservation[required]).all(axis=0).mean())


def postponement_event(model: RunContext, spec: Round, date: dt.date, agreeable: float) -> Event:
    return Event(
        date,
        "postponed",
        f"{model.names(model.indices(spec.conveners))} postponed {spec.name} by "
        f"{model.params.postponement_days} days: they expected only {agreeable:.0%} of the agenda "
        "to find every signatory's consent.",
        round=spec.id,
        value=agreeable,
    )


def _attendance(
    model: RunContext, spec: Round, seats: Seats, distrust: Distrust, date: dt.date
) -> np.ndarray:
    """Conveners come; each invitee comes when the expected text beats staying away."""
    params = model.params
    everyone = _mask(model, seats.invited)
    text = _foreseen_text(model, seats)
    utility = b.clause_utility(
        model.positions[:, seats.agenda], model.salience[:, seats.agenda], text
    )
    expected = utility.mean(axis=1)
    patron_there = (model.patron >= 0) & everyone[np.maximum(model.patron, 0)]
    pull = (
        params.patron_attendance_pull * patron_there * model.capability[np.maximum(model.patron, 0)]
    )
    distrust, guarantor = distrust
    noise = model.streams.attendance.normal(0.0, params.attendance_noise, size=model.n_actors)
    attending = everyone & (expected + pull - distrust + noise >= model.reservation)
    attending[seats.conveners] = True
    for i in seats.invited:
        agent = model.negotiator(i)
        if i in seats.conveners:
            kind, words = "convened", f"{agent.name} convened {spec.name} in {spec.venue}."
        else:
            patron = model.negotiator(model.patron[i]).name if patron_there[i] else None
            words = agent.explain_attendance(
                bool(attending[i]),
                float(expected[i]),
                float(pull[i]),
                float(noise[i]),
                patron,
                float(distrust[i]),
                model.negotiator(guarantor[i]).name,
            )
            kind = "attended" if attending[i] else "stayed_away"
        model.log(Event(date, kind, words, round=spec.id, actor=agent.actor_id))
    return attending


def _negotiate(
    model: RunContext,
    spec: Round,
    seats: Seats,
    attending: np.ndarray,
    distrust: Distrust,
    date: dt.date,
) -> tuple[Bargain, np.ndarray, np.ndarray]:
    """Bargain under the scenario's rule, then let those who cannot bear the text walk out."""
    params = model.params
    required = _expected_signatories(model, seats, attending)
    # Only those in the room can object: an absent signatory's objections are not heard (nor
    # an observer's: the scenario checks forbid observers to sign).
    heard = _mask(model, required) & attending & model.drafts
    bargain = model.protocol.negotiate(_table(model, seats, attending, heard))
    # Without narration, only the step that ends the bargaining is told.
    for step in bargain.steps if model.narrate else bargain.steps[-1:]:
        actor = None if step.actor is None else model.actor_ids[step.actor]
        model.log(Event(date, step.kind, step.words, round=spec.id, actor=actor, issue=step.issue))
    text = bargain.text
    positions = model.positions[:, seats.agenda]
    salience = model.salience[:, seats.agenda]
    worth = b.clause_utility(positions, salience, text).mean(axis=1)
    distrust, guarantor = distrust
    can_leave = attending & ~_mask(model, seats.conveners) & model.may_walk_out
    walked_out = can_leave & (worth - distrust < model.reservation - params.walkout_margin)
    _narrate_walkouts(model, spec, walked_out, worth, distrust, guarantor, date)
    return bargain, attending & ~walked_out, walked_out


def _narrate_walkouts(model, spec, walked_out, worth, distrust, guarantor, date) -> None:
    """One ``walked_out`` event per leaver (always told: a walk-out is a decision of record)."""
    for i in np.flatnonzero(walked_out):
        agent = model.negotiator(i)
        model.log(
            Event(
                date,
                "walked_out",
                agent.explain_walkout(
                    float(worth[i]),
                    model.params.walkout_margin,
                    float(distrust[i]),
                    model.negotiator(guarantor[i]).name,
                ),
                round=spec.id,
                actor=agent.actor_id,
                value=float(worth[i] - distrust[i]),
            )
        )


def _distrust(model: RunContext, seats: Seats) -> Distrust:
    """What lending its name to a deal guaranteed by adversaries costs each actor.

    The guarantors are the seated actors whose role guarantees (``guarantor``); the cost is
    ``model.guarantor_distrust`` times the distance to the furthest of them (0 by default).
    """
    if model.params.guarantor_distrust == 0:
        return np.zeros(model.n_actors), np.zeros(model.n_actors, dtype=int)
    guarantors = _mask(model, seats.invited) & model.guarantees
    distance, furthest = b.distance_to_guarantors(model.positions, model.salience, guarantors)
    return model.params.guarantor_distrust * distance, furthest


def _full_text(model: RunContext, seats: Seats, text: np.ndarray) -> np.ndarray:
    """The text as a vector over all issues (off-agenda issues hold no clause: NaN)."""
    full = np.full(model.n_issues, np.nan)
    full[seats.agenda] = text
    return full


def _narrate_votes(model, spec, seats, text, utility, accepted, present, date) -> None:
    for i in np.flatnonzero(_voters(model, present, _expected_signatories(model, seats, present))):
        agent = model.negotiator(i)
        for k, j in enumerate(seats.agenda):
            issue = model.issue_ids[j]
            ok = bool(accepted[i, k])
            model.log(
                Event(
                    date,
                    "accepted" if ok else "rejected",
                    agent.explain_vote(issue, float(text[k]), float(utility[i, j]), ok),
                    round=spec.id,
                    actor=agent.actor_id,
                    issue=issue,
                    value=float(utility[i, j]),
                )
            )


def _narrate_agreement(model, spec, seats, required, present, accepted, agreed, date) -> None:
    missing = [i for i in required if not present[i]]
    for k, j in enumerate(seats.agenda):
        issue = model.issue_ids[j]
        name = model.issue_names[issue]
        if agreed[k]:
            words = f"Agreed on {name}: signed by {model.names(required)}."
        elif not required.size:
            words = f"No agreement on {name}: nobody was there to sign."
        elif missing:
            words = f"No agreement on {name}: {model.names(missing)} not at the table to sign."
        else:
            refusers = [i for i in required if not accepted[i, k]]
            words = f"No agreement on {name}: rejected by {model.names(refusers)}."
        model.log(
            Event(
                date, "agreed" if agreed[k] else "no_agreement", words, round=spec.id, issue=issue
            )
        )


def _move(model, spec, seats, bargain: Bargain, present, date) -> None:
    """Concession toward the text, then the pull of patrons and the press of stronger actors.

    A rule that moves positions itself (the expected-utility model's challenges) replaces the
    concession and the pressure; the patrons' pull and the noise apply under every rule.
    """
    movers = present & model.moves
    if not movers.any():
        return
    before = model.positions.copy()
    positions, pull = _moved_positions(model, seats, bargain, movers)
    model.positions[:] = positions
    if model.narrate:
        _narrate_moves(model, spec, seats, bargain.text, movers, before, pull, date)


def _moved_positions(
    model: RunContext, seats: Seats, bargain: Bargain, movers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The positions after the round's moves, and each actor's pull toward its patron."""
    params = model.params
    positions = model.positions.copy()
    agenda = seats.agenda
    if bargain.positions is None:
        rate = model.concession * params.concession_scale
        positions[np.ix_(movers, agenda)] = b.concede(
            positions[np.ix_(movers, agenda)],
            model.salience[np.ix_(movers, agenda)],
            bargain.text,
            rate[movers],
        )
        in_room = movers  # observers watch; they do not press
        target, pushed = b.pressure_targets(
            positions[in_room], model.salience[in_room], model.capability[in_room]
        )
    else:
        positions[np.ix_(movers, agenda)] = bargain.positions[movers]
        target, pushed = positions[movers], np.zeros_like(positions[movers])
    has_patron = model.patron >= 0
    patron_positions = positions[np.maximum(model.patron, 0)]
    pull = params.patron_pull * (patron_positions - positions) * has_patron[:, None]
    moved = b.pulled(
        positions[movers],
        patron_positions[movers],
        has_patron[movers],
        target,
        pushed,
        params.patron_pull,
        params.pressure_rate,
    )
    noise = model.streams.moves.normal(0.0, params.position_noise, size=positions.shape)
    positions[movers] = np.clip(moved + noise[movers], 0.0, 100.0)
    return positions, pull


def _narrate_moves(model, spec, seats, text, movers, before, pull, date) -> None:
    """The patrons' pull, then each move of at least ``MOVE_REPORT_THRESHOLD``, in words."""
    positions = model.positions
    for i in np.flatnonzero(movers & (model.patron >= 0)):
        _narrate_patron_pull(model, spec, int(i), pull[i], date)
    for i in np.flatnonzero(movers):
        agent = model.negotiator(i)
        for k, j in enumerate(seats.agenda):
            if abs(positions[i, j] - before[i, j]) >= MOVE_REPORT_THRESHOLD:
                issue = model.issue_ids[j]
                model.log(
                    Event(
                        date,
                        "moved",
                        agent.explain_move(
                            issue, float(before[i, j]), float(positions[i, j]), float(text[k])
                        ),
                        round=spec.id,
                        actor=agent.actor_id,
                        issue=issue,
                        value=float(positions[i, j]),
                    )
                )


def _narrate_patron_pull(model, spec, client: int, pull: np.ndarray, date) -> None:
    """Patronage in words: how far a patron drew its client toward its own positions."""
    if np.abs(pull).sum() < MOVE_REPORT_THRESHOLD:
        return
    patron = model.negotiator(model.patron[client])
    issues = np.argsort(-np.abs(pull), kind="stable")[:2]
    where = " and ".join(
        f"{model.issue_names[model.issue_ids[j]]} ({pull[j]:+.1f})" for j in issues if pull[j]
    )
    model.log(
        Event(
            date,
            "patron_pull",
            f"{patron.name} drew its client {model.negotiator(client).name} toward its own "
            f"positions, most on {where}: a client leans on its patron for arms, money and "
            "protection, and hears its line.",
            round=spec.id,
            actor=model.actor_ids[client],
            value=float(np.abs(pull).sum()),
        )
    )
