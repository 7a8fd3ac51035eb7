"""Every decision of a round with the numbers behind it: what the narrator, the run log's
tables and the live page read. Arrays are over all actors in the cast's id order; clause arrays
over the round's agenda."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ..behaviour import weighted_distance
from ..protocols import Bargain
from ..runlog import RoundOutcome
from ..scenario import Round
from .cast import Cast
from .seats import Seats
from .state import State


@dataclass(frozen=True)
class Setup:
    """What is fixed for a whole run: the cast, the constants and the bargaining rule."""

    cast: Cast
    params: object  # ModelParams (typed loosely: pydantic models are not hashable)
    rule: object  # a sim.protocols.Protocol
    track_names: dict = field(default_factory=dict)  # track id -> display name, for words
    round_names: dict = field(default_factory=dict)  # round id -> display name, for words
    # The last forecast (state, seats, text): the postponement check and the invitees' decision
    # to come read the same state and seats in one round, so the rule forecasts it once.
    last_forecast: list = field(default_factory=list, repr=False)


@dataclass(frozen=True, eq=False)
class AttendanceRecord:
    """Who came, and how each invitee weighed coming against staying away."""

    attending: np.ndarray  # bool
    expected: np.ndarray  # the foreseen text's worth
    pull: np.ndarray  # its patron's pull when the patron is at the table
    noise: np.ndarray  # the day's hopes or doubts
    patron_there: np.ndarray  # bool
    distrust: np.ndarray  # the cost of a deal under adversaries' guarantee
    guarantor: np.ndarray  # the guarantor behind that cost
    chosen: np.ndarray  # bool: decided by a played delegation, not the model
    forum: np.ndarray | None = None  # what being at this track's table is worth, apart


@dataclass(frozen=True, eq=False)
class TalksRecord:
    """The bargain and who left the room over it."""

    bargain: Bargain
    worth: np.ndarray  # the final draft's worth to each actor
    walked_out: np.ndarray  # bool
    present: np.ndarray  # bool: there to the end


@dataclass(frozen=True, eq=False)
class VoteRecord:
    required: np.ndarray  # indices of the signatories whose consent a clause needs
    utility: np.ndarray  # (actors, all issues): the text's worth, NaN off the agenda
    accepted: np.ndarray  # (actors, agenda)
    agreed: np.ndarray  # (agenda,)
    package_worth: np.ndarray | None = None  # (actors,): the whole text's worth, in a package
    within: np.ndarray | None = None  # (actors, agenda): clause within the actor's red lines
    offered: np.ndarray | None = None  # (agenda,): may be ratified here; None: not a ratification


@dataclass(frozen=True, eq=False)
class MoveRecord:
    movers: np.ndarray  # bool
    before: np.ndarray  # positions (actors, issues)
    after: np.ndarray
    pull: np.ndarray  # each actor's pull toward its patron (actors, issues)


@dataclass(frozen=True, eq=False)
class RoundRecord:
    """One round played: the spec, the state brought to it and every decision."""

    spec: Round
    date: dt.date
    postponements: int
    seats: Seats
    before: State
    attendance: AttendanceRecord
    talks: TalksRecord
    votes: VoteRecord
    moves: MoveRecord

    def outcome(self, cast: Cast) -> RoundOutcome:
        """The round's decisions as the run log keeps them: ids, in the order of invitation."""
        ids, seats, votes = cast.actor_ids, self.seats, self.votes
        attending, present = self.attendance.attending, self.talks.present
        walked_out, accepted = self.talks.walked_out, votes.accepted
        participants = seats.voters(cast, present, votes.required)
        accepted_all = participants.copy()
        accepted_all[participants] = accepted[participants].all(axis=1)
        text = self.talks.bargain.text
        distance = _weighted_distance(self.before, seats.agenda, text)
        return RoundOutcome(
            round_id=self.spec.id,
            planned_date=self.spec.planned_date,
            date=self.date,
            postponements=self.postponements,
            invited=tuple(ids[i] for i in seats.invited),
            attended=tuple(ids[i] for i in seats.invited if attending[i]),
            stayed_away=tuple(ids[i] for i in seats.invited if not attending[i]),
            walked_out=tuple(ids[i] for i in seats.invited if walked_out[i]),
            agenda=tuple(self.spec.agenda),
            signatories=tuple(ids[i] for i in votes.required),
            text=tuple(np.asarray(text, dtype=float).tolist()),
            agreed=tuple(votes.agreed.tolist()),
            accepted_by=tuple(ids[i] for i in seats.invited if accepted_all[i]),
            distance=tuple(distance.tolist()),
            end_date=self.date + dt.timedelta(days=self.spec.days - 1),
        )


def _weighted_distance(state: State, agenda: np.ndarray, text: np.ndarray) -> np.ndarray:
    return weighted_distance(state.positions[:, agenda], state.salience[:, agenda], text)


@dataclass(frozen=True, eq=False)
class PostponementRecord:
    """The conveners put a round off: how much of its agenda they expected to be agreed."""

    spec: Round
    date: dt.date
    agreeable: float
    days: int
    awaiting: str | None = None  # the round whose text it ratifies, when it waits for it


@dataclass(frozen=True, eq=False)
class DeadlineRecord:
    """A round's deadline passed with clauses open: it was ``extended`` or it ``collapsed``."""

    spec: Round
    date: dt.date
    kind: str  # extended or collapsed
    open_issues: tuple[str, ...]
    extension: int  # which extension this is (extended), or how many there were (collapsed)
    days: int  # how long the extension runs (0 when the round collapsed)


def merge_sessions(cast: Cast, sessions: list[RoundRecord], collapsed: bool) -> RoundOutcome:
    """One outcome for a round and its extensions: who came and was asked is the first
    session's; a clause is agreed if some session agreed it, with that session's text; the
    round ends on the last day of its last session."""
    first = sessions[0].outcome(cast)
    if len(sessions) == 1 and not collapsed:
        return first  # one session: its outcome is the round's (ends on its last day)
    agenda = first.agenda
    text, agreed = (
        dict(zip(agenda, first.text, strict=True)),
        dict(zip(agenda, first.agreed, strict=True)),
    )
    walked = set(first.walked_out)
    for session in sessions[1:]:
        later = session.outcome(cast)
        walked |= set(later.walked_out)
        for issue, x, ok in zip(later.agenda, later.text, later.agreed, strict=True):
            text[issue], agreed[issue] = x, ok
    last = sessions[-1]
    return dataclasses.replace(
        first,
        text=tuple(text[i] for i in agenda),
        agreed=tuple(agreed[i] for i in agenda),
        walked_out=tuple(a for a in first.invited if a in walked),
        extensions=len(sessions) - 1,
        end_date=last.date + dt.timedelta(days=last.spec.days - 1),
        collapsed=collapsed,
    )
