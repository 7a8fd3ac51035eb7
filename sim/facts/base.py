"""What every observable fact declares, and the two kinds of comparison the loss knows.

A *fact* is one checkable statement about one round: "the HNC came", "the ceasefire clause was
agreed", "the round met 15 days late". An observable (``Fact`` subclass) knows, for one round:

* its keys (the actors, the issues, or the single ``""``) and which of them hold by construction
  (never scored: a convener always comes);
* how to read each key's value from a run (``RoundOutcome``) and from the record
  (``RecordedEvent``; only the keys the record states);
* how to score a forecast (a tuple of sampled values: one per ensemble member, or one for a naive
  baseline) against the recorded value, whether a single run matches it, and how an ensemble
  forecasts it as one number;
* what the two naive baselines say;
* its columns in ``rounds.csv``.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ..runlog import RoundOutcome
from ..scenario import Round, Scenario
from ..scenario.schema import ROLE_BEHAVIOUR, RoleBehaviour

if TYPE_CHECKING:  # the record's type; facts read it, history does not import facts
    from ..history import RecordedEvent

Value = bool | int
LIST_SEP = ";"
DELAY_SCALE_DAYS = 30.0  # a delay forecast this far off counts like a confidently wrong yes/no
DELAY_MATCH_DAYS = 7  # a single run's delay "matches" the record within a week


@dataclass(frozen=True)
class RoundContext:
    """What a fact may know of a round besides the outcome: its spec and the scenario's actors."""

    scenario: Scenario
    spec: Round

    @property
    def invited(self) -> tuple[str, ...]:
        """Conveners first, then the other invitees: the order of ``RoundOutcome.invited``."""
        return tuple(dict.fromkeys([*self.spec.conveners, *self.spec.invitees]))

    def behaviour(self, actor_id: str) -> RoleBehaviour:
        """What the actor's role lets it do (``sim.scenario.schema.ROLE_BEHAVIOUR``)."""
        return ROLE_BEHAVIOUR[self.scenario.actor(actor_id).role]


def contexts(scenario: Scenario) -> dict[str, RoundContext]:
    return {spec.id: RoundContext(scenario, spec) for spec in scenario.schedule}


class Fact(ABC):
    """One observable, defined once. Subclass ``YesNoFact`` or ``NumberFact`` and register it."""

    name: ClassVar[str]
    description: ClassVar[str]
    # A variant stands in for another fact under one coding of the record (``registry.CODINGS``):
    # ``agreed_strict`` replaces ``agreed`` under ``strict``. A plain fact has neither.
    coding: ClassVar[str | None] = None
    replaces: ClassVar[str | None] = None

    @abstractmethod
    def keys(self, ctx: RoundContext) -> tuple[str, ...]:
        """Every instance of the fact in this round (actor ids, issue ids, or ``("",)``)."""

    # Why a fact ``by_construction`` is not scored, as ``validate`` and ``recorded_facts`` say it.
    construction_reason: ClassVar[str] = "it holds by construction in the model"

    def by_construction(self, ctx: RoundContext, key: str) -> bool:
        """True where the model makes the fact hold whatever happens: such facts are not scored."""
        return False

    @abstractmethod
    def from_run(self, outcome: RoundOutcome, ctx: RoundContext) -> dict[str, Value]:
        """The value of every key in one simulated round."""

    @abstractmethod
    def from_record(self, event: RecordedEvent, ctx: RoundContext) -> dict[str, Value]:
        """The value of each key the record states (a key it leaves out is unknown)."""

    @abstractmethod
    def nothing_agreed(self, ctx: RoundContext) -> dict[str, Value]:
        """The pessimist: everyone invited comes, nobody leaves, nothing agreed, no delay."""

    @abstractmethod
    def repeat_last(self, ctx: RoundContext, last: RecordedEvent) -> dict[str, Value]:
        """Persistence: the recorded outcome of the previous meeting of the round's track."""

    @abstractmethod
    def loss(self, samples: Sequence[Value], recorded: Value) -> float:
        """The loss of a forecast (sampled values) against the record, from 0 to 1."""

    @abstractmethod
    def matches(self, simulated: Value, recorded: Value) -> bool:
        """Whether one run's value agrees with the record (``summary.json``, ``rounds.csv``)."""

    @abstractmethod
    def point(self, samples: Sequence[Value]) -> float:
        """An ensemble's forecast as one number (``ensemble.csv``, the printed shares)."""

    @abstractmethod
    def recorded_cells(self, event: RecordedEvent, ctx: RoundContext) -> dict[str, str]:
        """This fact's ``recorded_*`` cells of ``rounds.csv`` (empty strings where unknown)."""

    def recorded_columns(self) -> tuple[str, ...]:
        return (f"recorded_{self.name}",)

    @property
    def match_column(self) -> str:
        return f"match_{self.name}"


class YesNoFact(Fact):
    """A yes/no fact: Brier loss ``(p - y)**2`` of the share ``p`` of runs in which it holds."""

    def loss(self, samples: Sequence[Value], recorded: Value) -> float:
        p = self.point(samples)
        return (p - float(bool(recorded))) ** 2

    def matches(self, simulated: Value, recorded: Value) -> bool:
        return bool(simulated) == bool(recorded)

    def point(self, samples: Sequence[Value]) -> float:
        # The share of runs in which it holds, as np.mean computes it (count / n), without its
        # overhead: a fit or a sweep takes it for every fact of every run.
        n = len(samples)
        return sum(1 for s in samples if s) / n if n else 0.0


class NumberFact(Fact):
    """A whole number: mean absolute error over the samples, divided by ``scale``, capped at 1.

    A forecast ``scale`` units off counts like a confidently wrong yes/no fact; one run matches
    the record within ``match_within`` units. The ensemble's forecast is the median.
    """

    scale: ClassVar[float]
    match_within: ClassVar[int]

    def loss(self, samples: Sequence[Value], recorded: Value) -> float:
        errors = np.abs(np.asarray(samples, dtype=float) - float(recorded))
        capped = np.minimum(errors / self.scale, 1.0)
        return float(capped.sum() / capped.size)  # np.mean's arithmetic, without its overhead

    def matches(self, simulated: Value, recorded: Value) -> bool:
        return abs(int(simulated) - int(recorded)) <= self.match_within

    def point(self, samples: Sequence[Value]) -> float:
        return float(np.median(np.asarray(samples, dtype=float)))


class DelayFact(NumberFact):
    """A number of days: mean absolute error over the samples, divided by 30 and capped at 1."""

    scale = DELAY_SCALE_DAYS
    match_within = DELAY_MATCH_DAYS


def join(items) -> str:
    return LIST_SEP.join(items)


def iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""
