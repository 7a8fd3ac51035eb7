"""The facts of a record, a run's values and an ensemble's forecast, all read through the registry.

``recorded_facts`` is the one place that decides which facts count: ``summary.json``, the match
columns of ``rounds.csv``, the loss (``sim.scoring``) and ``validate``'s warnings all read it.
Under a coding of the record other than the default (``registry.CODINGS``) its variants stand in
for the facts they replace; a run and the baselines give values for every fact of every coding,
so one ensemble is scored under each coding without running it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..runlog import RunLog
from ..scenario import Scenario
from .base import Fact, Value, contexts
from .registry import CODINGS, FACTS, LENIENT, VARIANTS

if TYPE_CHECKING:
    from ..history import History, RecordedEvent

FactKey = tuple[str, str, str]  # (round id, fact name, key)
Forecast = dict[FactKey, tuple[Value, ...]]  # sampled values: one per run, or one for a baseline


@dataclass(frozen=True)
class RecordedFact:
    """One fact the record states; ``unscored`` says why it does not count (``None``: it does)."""

    round_id: str
    fact: Fact
    key: str
    recorded: Value
    unscored: str | None = None

    @property
    def id(self) -> FactKey:
        return (self.round_id, self.fact.name, self.key)


def coded_facts(coding: str = LENIENT) -> tuple[Fact, ...]:
    """The facts scored under a coding: the registered ones, each variant of it in its place."""
    if coding not in CODINGS:
        known = ", ".join(CODINGS)
        raise ValueError(f"expected a coding of the record ({known}); found {coding!r}")
    swap = {v.replaces: v for v in VARIANTS if v.coding == coding}
    return tuple(swap.get(f.name, f) for f in FACTS)


def every_fact() -> tuple[Fact, ...]:
    """The facts of every coding: what a run and a baseline say."""
    return (*FACTS, *(v for v in VARIANTS if v.replaces in {f.name for f in FACTS}))


def recorded_facts(
    scenario: Scenario, history: History, coding: str = LENIENT
) -> list[RecordedFact]:
    """Every fact the record states about a scheduled round, in the record's order."""
    ctxs = contexts(scenario)
    facts: list[RecordedFact] = []
    for event in history.events:
        ctx = ctxs.get(event.round)
        if ctx is None:
            continue
        for fact in coded_facts(coding):
            for key, value in fact.from_record(event, ctx).items():
                reason = None
                if not event.took_place:
                    reason = "the record says the round did not take place"
                elif fact.by_construction(ctx, key):
                    reason = fact.construction_reason
                facts.append(RecordedFact(event.round, fact, key, value, reason))
    return facts


def scored_facts(scenario: Scenario, history: History, coding: str = LENIENT) -> list[RecordedFact]:
    return [f for f in recorded_facts(scenario, history, coding) if f.unscored is None]


def run_values(log: RunLog, scenario: Scenario) -> dict[FactKey, Value]:
    """Every fact of one run, keyed like the record's."""
    ctxs = contexts(scenario)
    values: dict[FactKey, Value] = {}
    for outcome in log.rounds:
        ctx = ctxs[outcome.round_id]
        for fact in every_fact():
            for key, value in fact.from_run(outcome, ctx).items():
                values[(outcome.round_id, fact.name, key)] = value
    return values


def forecast_runs(logs: Sequence[RunLog], scenario: Scenario) -> Forecast:
    """An ensemble's forecast: each fact's values over the runs, in the runs' order."""
    forecast: dict[FactKey, list[Value]] = {}
    for log in logs:
        for fact_id, value in run_values(log, scenario).items():
            forecast.setdefault(fact_id, []).append(value)
    return {fact_id: tuple(values) for fact_id, values in forecast.items()}


def nothing_agreed(scenario: Scenario) -> Forecast:
    """Everyone invited comes, nobody walks out, nothing is agreed, no round slips."""
    forecast: Forecast = {}
    for rid, ctx in contexts(scenario).items():
        for fact in every_fact():
            for key, value in fact.nothing_agreed(ctx).items():
                forecast[(rid, fact.name, key)] = (value,)
    return forecast


def repeat_last(scenario: Scenario, history: History) -> Forecast:
    """Each meeting repeats the recorded outcome of the previous recorded meeting of its track.

    The first meeting of a track falls back on ``nothing_agreed``. This reads earlier rounds of
    the record, which the model never does: a demanding one-step-ahead forecast.
    """
    forecast: Forecast = {}
    previous: dict[str, RecordedEvent] = {}
    ctxs = contexts(scenario)
    for spec in scenario.schedule:
        ctx, last = ctxs[spec.id], previous.get(spec.track)
        for fact in every_fact():
            said = fact.nothing_agreed(ctx) if last is None else fact.repeat_last(ctx, last)
            for key, value in said.items():
                forecast[(spec.id, fact.name, key)] = (value,)
        event = history.event(spec.id)
        if event is not None and event.took_place:
            previous[spec.track] = event
    return forecast


@dataclass(frozen=True)
class RoundMatch:
    """One run's matches with the record in one round, per fact: (matched, compared)."""

    counts: dict[str, tuple[int, int]]

    @property
    def matched(self) -> int:
        return sum(m for m, _ in self.counts.values())

    @property
    def compared(self) -> int:
        return sum(k for _, k in self.counts.values())


def match_run(log: RunLog, scenario: Scenario, history: History) -> dict[str, RoundMatch | None]:
    """Per round played, how many scored facts the run matches (``None``: nothing recorded)."""
    values = run_values(log, scenario)
    counts: dict[str, dict[str, list[int]]] = {}
    for stated in scored_facts(scenario, history):
        tally = counts.setdefault(stated.round_id, {}).setdefault(stated.fact.name, [0, 0])
        tally[0] += stated.fact.matches(values[stated.id], stated.recorded)
        tally[1] += 1
    out: dict[str, RoundMatch | None] = {}
    for outcome in log.rounds:
        rid = outcome.round_id
        recorded = history.event(rid) is not None
        per_fact = {name: (m, k) for name, (m, k) in counts.get(rid, {}).items()}
        out[rid] = RoundMatch(per_fact) if recorded else None
    return out
