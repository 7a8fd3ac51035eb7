"""What happens in one scheduled round, in order.

(Before it, the model asks the conveners whether the round can meet or must slip:
``expected_agreement``.)

1. each invitee decides whether to come;
2. the conveners draft a single negotiating text and redraft it toward the objections;
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
from typing import TYPE_CHECKING

import numpy as np

from . import behaviour as b
from .runlog import Event, RoundOutcome
from .scenario import Round

if TYPE_CHECKING:
    from .model import NegotiationModel

MOVE_REPORT_THRESHOLD = 1.0  # scale points; smaller moves are not narrated


@dataclass(frozen=True)
class Seats:
    """Who is at the table of one round, as index arrays into the model's actors."""

    conveners: np.ndarray
    invited: np.ndarray
    agenda: np.ndarray
    explicit_signatories: np.ndarray | None


def play_round(
    model: NegotiationModel, spec: Round, date: dt.date, postponements: int
) -> RoundOutcome:
    """Play ``spec`` on ``date`` (the model has already applied the shocks due by then)."""
    seats = _seats(model, spec)
    attending = _attendance(model, spec, seats, date)
    text, present, walked_out = _negotiate(model, spec, seats, attending, date)
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

    model.record_round_state(utility)
    distance = b.weighted_distance(
        model.positions[:, seats.agenda], model.salience[:, seats.agenda], text
    )
    _move(model, spec, seats, text, present, date)

    ids = model.actor_ids
    participants = present & ~model.is_observer
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


def _seats(model: NegotiationModel, spec: Round) -> Seats:
    conveners = model.indices(spec.conveners)
    invitees = [a for a in spec.invitees if a not in spec.conveners]
    explicit = None if spec.signatories == "attendees" else model.indices(spec.signatories)
    return Seats(
        conveners=conveners,
        invited=np.concatenate([conveners, model.indices(invitees)]).astype(int),
        agenda=model.issue_indices(spec.agenda),
        explicit_signatories=explicit,
    )


def _mask(model: NegotiationModel, indices: np.ndarray) -> np.ndarray:
    mask = np.zeros(model.n_actors, dtype=bool)
    mask[indices] = True
    return mask


def _draft(model: NegotiationModel, seats: Seats, at_table: np.ndarray) -> np.ndarray:
    """The conveners' first draft on the agenda issues, from the non-observers at the table."""
    drafting = at_table & ~model.is_observer
    weights = (
        b.draft_weights(
            model.capability,
            model.salience,
            _mask(model, seats.conveners),
            model.params.convener_weight,
        )[:, seats.agenda]
        * drafting[:, None]
    )
    positions = model.positions[:, seats.agenda]
    # Where no drafter cares at all, the plain mean of those drafting (or, failing any, of
    # those at the table): never of actors who are not there.
    around = drafting if drafting.any() else at_table
    return b.weighted_text(positions, weights, fallback=positions[around].mean(axis=0))


def _expected_signatories(
    model: NegotiationModel, seats: Seats, at_table: np.ndarray
) -> np.ndarray:
    if seats.explicit_signatories is not None:
        return seats.explicit_signatories
    return np.flatnonzero(at_table & ~model.is_observer)


def expected_agreement(model: NegotiationModel, spec: Round) -> float:
    """The share of agenda clauses the conveners expect every required signatory to accept.

    They foresee the text that all invitees would produce and read the share with some noise;
    the model postpones the round when the reading falls below ``postpone_threshold``.
    """
    seats = _seats(model, spec)
    everyone = _mask(model, seats.invited)
    text = _draft(model, seats, everyone)
    required = _expected_signatories(model, seats, everyone)
    utility = b.clause_utility(
        model.positions[required][:, seats.agenda], model.salience[required][:, seats.agenda], text
    )
    return float(b.accepts(utility, model.reservation[required]).all(axis=0).mean())


def postponement_event(
    model: NegotiationModel, spec: Round, date: dt.date, agreeable: float
) -> Event:
    return Event(
        date,
        "postponed",
        f"{model.names(model.indices(spec.conveners))} postponed {spec.name} by "
        f"{model.params.postponement_days} days: they expected only {agreeable:.0%} of the agenda "
        "to find every signatory's consent.",
        round=spec.id,
        value=agreeable,
    )


def _attendance(model: NegotiationModel, spec: Round, seats: Seats, date: dt.date) -> np.ndarray:
    """Conveners come; each invitee comes when the expected text beats staying away."""
    params = model.params
    everyone = _mask(model, seats.invited)
    text = _draft(model, seats, everyone)
    utility = b.clause_utility(
        model.positions[:, seats.agenda], model.salience[:, seats.agenda], text
    )
    expected = utility.mean(axis=1)
    patron_there = (model.patron >= 0) & everyone[np.maximum(model.patron, 0)]
    pull = (
        params.patron_attendance_pull * patron_there * model.capability[np.maximum(model.patron, 0)]
    )
    noise = model.rng.normal(0.0, params.attendance_noise, size=model.n_actors)
    attending = everyone & (expected + pull + noise >= model.reservation)
    attending[seats.conveners] = True
    for i in seats.invited:
        agent = model.negotiator(i)
        if i in seats.conveners:
            kind, words = "convened", f"{agent.name} convened {spec.name} in {spec.venue}."
        else:
            patron = model.negotiator(model.patron[i]).name if patron_there[i] else None
            words = agent.explain_attendance(
                bool(attending[i]), float(expected[i]), float(pull[i]), float(noise[i]), patron
            )
            kind = "attended" if attending[i] else "stayed_away"
        model.log(Event(date, kind, words, round=spec.id, actor=agent.actor_id))
    return attending


def _negotiate(
    model: NegotiationModel, spec: Round, seats: Seats, attending: np.ndarray, date: dt.date
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draft, redraft toward objections, then let those who cannot bear the text walk out."""
    params = model.params
    text = _draft(model, seats, attending)
    model.log(
        Event(
            date,
            "proposed",
            f"{model.names(seats.conveners)} tabled a text: {_describe_text(model, seats, text)}.",
            round=spec.id,
        )
    )
    positions = model.positions[:, seats.agenda]
    salience = model.salience[:, seats.agenda]
    weights = b.draft_weights(
        model.capability, model.salience, _mask(model, seats.conveners), params.convener_weight
    )[:, seats.agenda]
    for draft in range(2, params.max_drafts + 1):
        required = _expected_signatories(model, seats, attending)
        accepted = b.accepts(b.clause_utility(positions, salience, text), model.reservation)
        # Only those in the room can object: an absent signatory's objections are not heard.
        heard = required[attending[required]]
        objections = np.zeros_like(accepted)
        objections[heard] = ~accepted[heard]
        if not objections.any():
            break
        redrafted = b.redraft(text, positions, weights, ~objections, params.redraft_step)
        if np.allclose(redrafted, text):
            break  # the objections cannot move the text any further
        text = redrafted
        model.log(
            Event(
                date,
                "redrafted",
                f"Draft {draft}: {model.names(seats.conveners)} moved the text toward the "
                f"objections of {model.names(np.flatnonzero(objections.any(axis=1)))}: "
                f"{_describe_text(model, seats, text)}.",
                round=spec.id,
            )
        )
    worth = b.clause_utility(positions, salience, text).mean(axis=1)
    can_leave = attending & ~_mask(model, seats.conveners) & ~model.is_observer
    walked_out = can_leave & (worth < model.reservation - params.walkout_margin)
    for i in np.flatnonzero(walked_out):
        agent = model.negotiator(i)
        model.log(
            Event(
                date,
                "walked_out",
                agent.explain_walkout(float(worth[i]), params.walkout_margin),
                round=spec.id,
                actor=agent.actor_id,
                value=float(worth[i]),
            )
        )
    return text, attending & ~walked_out, walked_out


def _full_text(model: NegotiationModel, seats: Seats, text: np.ndarray) -> np.ndarray:
    """The text as a vector over all issues (off-agenda issues hold no clause: NaN)."""
    full = np.full(model.n_issues, np.nan)
    full[seats.agenda] = text
    return full


def _describe_text(model: NegotiationModel, seats: Seats, text: np.ndarray) -> str:
    return ", ".join(
        f"{model.issue_ids[j]} {x:.0f}" for j, x in zip(seats.agenda, text, strict=True)
    )


def _narrate_votes(model, spec, seats, text, utility, accepted, present, date) -> None:
    for i in np.flatnonzero(present & ~model.is_observer):
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


def _move(model, spec, seats, text, present, date) -> None:
    """Concession toward the text, then the pull of patrons and the press of stronger actors."""
    params = model.params
    movers = present & ~model.is_observer
    if not movers.any():
        return
    before = model.positions.copy()
    positions = model.positions.copy()
    agenda = seats.agenda
    rate = model.concession * params.concession_scale
    positions[np.ix_(movers, agenda)] = b.concede(
        positions[np.ix_(movers, agenda)],
        model.salience[np.ix_(movers, agenda)],
        text,
        rate[movers],
    )
    in_room = movers  # observers watch; they do not press
    target, pushed = b.pressure_targets(
        positions[in_room], model.salience[in_room], model.capability[in_room]
    )
    has_patron = model.patron >= 0
    patron_positions = positions[np.maximum(model.patron, 0)]
    moved = b.pulled(
        positions[movers],
        patron_positions[movers],
        has_patron[movers],
        target,
        pushed,
        params.patron_pull,
        params.pressure_rate,
    )
    noise = model.rng.normal(0.0, params.position_noise, size=positions.shape)
    positions[movers] = np.clip(moved + noise[movers], 0.0, 100.0)
    model.positions[:] = positions
    if not model.narrate:
        return
    for i in np.flatnonzero(movers):
        agent = model.negotiator(i)
        for k, j in enumerate(agenda):
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
