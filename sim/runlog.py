"""The tidy record of one run: what happened in each round, the positions, and the narrative.

A run log knows nothing of files, plots or the recorded history; output and analysis read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Event:
    """One line of the narrative, written so that a student can follow the talks."""

    date: dt.date
    kind: str
    text: str
    round: str | None = None
    actor: str | None = None
    issue: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class RoundOutcome:
    """What one scheduled round came to, as the model decided it."""

    round_id: str
    planned_date: dt.date
    date: dt.date
    postponements: int
    invited: tuple[str, ...]
    attended: tuple[str, ...]
    stayed_away: tuple[str, ...]
    walked_out: tuple[str, ...]
    agenda: tuple[str, ...]
    signatories: tuple[str, ...]
    text: tuple[float, ...]
    agreed: tuple[bool, ...]
    accepted_by: tuple[str, ...]
    distance: tuple[float, ...]
    # A round with a deadline: how often it was extended, its last day, and whether it ended
    # with clauses still open after its last extension.
    extensions: int = 0
    end_date: dt.date | None = None
    collapsed: bool = False

    @property
    def delay_days(self) -> int:
        return (self.date - self.planned_date).days

    @property
    def agreed_issues(self) -> tuple[str, ...]:
        return tuple(issue for issue, ok in zip(self.agenda, self.agreed, strict=True) if ok)

    @property
    def signed_by(self) -> tuple[str, ...]:
        """Required signatories who put their name to the agreed clauses (none if none agreed)."""
        return self.signatories if any(self.agreed) else ()


@dataclass
class RunLog:
    """Everything a run produced. Arrays are indexed [round, actor, issue] in the id order below."""

    scenario_name: str
    seed: int
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    rounds: list[RoundOutcome] = field(default_factory=list)
    positions: list[np.ndarray] = field(default_factory=list)
    salience: list[np.ndarray] = field(default_factory=list)
    utility: list[np.ndarray] = field(default_factory=list)
    capability: list[np.ndarray] = field(default_factory=list)
    reservation: list[np.ndarray] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # What the engine decided, step by step (``sim.engine.record``): shocks, postponements and
    # rounds with the numbers behind each decision. The narrator and the live page read them.
    records: list = field(default_factory=list)
    # The run's place in its ensemble: () for a run of ``seed`` itself (``sim.streams``).
    spawn_key: tuple[int, ...] = ()

    def add_round(self, outcome: RoundOutcome, state, utility: np.ndarray) -> None:
        """Keep a round's outcome and the state each actor brought to it (a ``State``)."""
        self.rounds.append(outcome)
        self.positions.append(state.positions)
        self.salience.append(state.salience)
        self.utility.append(utility)
        self.capability.append(state.capability)
        self.reservation.append(state.reservation)

    def position_array(self) -> np.ndarray:
        """Positions as (rounds x actors x issues), as each actor brought them to the round."""
        shape = (0, len(self.actor_ids), len(self.issue_ids))
        return np.stack(self.positions) if self.positions else np.empty(shape)

    def outcome(self, round_id: str) -> RoundOutcome:
        for outcome in self.rounds:
            if outcome.round_id == round_id:
                return outcome
        raise KeyError(round_id)
