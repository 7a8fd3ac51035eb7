"""Scoring forecasts of the talks against the record, fact by fact, with one documented loss.

A *forecast* gives, for each fact of each round (did the HNC come? was the ceasefire clause
agreed? how late did the round meet?), sampled values: one per run of an ensemble, or one for a
naive baseline. The facts, and how each is compared, come from the registry in ``sim.facts``:

* a yes/no fact scores its Brier loss ``(p - y)**2``, ``p`` the share of samples in which it
  holds: 0 for a confident right answer, 1 for a confident wrong one, 0.25 for a shrug;
* a delay scores its mean absolute error in days over the samples, divided by 30 and capped at 1,
  so that a forecast a month or more off counts like a confidently wrong yes/no fact.

The loss of a set of rounds is the mean over all their facts. Which facts count is fixed by the
record: a fact the record does not state is not scored, nor is one that holds by construction in
the model (a convener always comes), nor any fact of a round the record says did not take place.

Every function takes a ``coding`` of the record (``sim.facts.CODINGS``): ``lenient``, where a
text that only reaffirmed earlier ones counts as agreed, or ``strict``, where it does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .facts import (
    CODINGS,
    DELAY_SCALE_DAYS,
    LENIENT,
    Forecast,
    RecordedFact,
    forecast_runs,
    scored_facts,
)
from .facts import fact as registered_fact
from .facts.base import YesNoFact
from .history import History
from .runlog import RunLog
from .scenario import Scenario

__all__ = [
    "CODINGS",
    "DELAY_SCALE_DAYS",
    "LENIENT",
    "FactScore",
    "Score",
    "score",
    "score_codings",
    "score_ensemble",
    "score_runs",
]


def _mean(values: Sequence[float]) -> float:
    """``float(np.mean(values))``, bit for bit (numpy sums, then divides by the count), without
    its overhead: a fit or a sweep scores every fact of every run."""
    return float(np.asarray(values, dtype=float).sum() / len(values))


@dataclass(frozen=True)
class FactScore:
    """One scored fact: which round, which observable, the forecast, the record, the loss."""

    round_id: str
    observable: str  # a registered fact's name: attended, walked_out, agreed, ...
    key: str  # the actor or issue ('' where none)
    forecast: float  # the fact's point forecast: a share, or the median delay in days
    recorded: float
    loss: float
    error: float  # mean absolute error over the samples (days for a delay)


@dataclass(frozen=True)
class Score:
    facts: tuple[FactScore, ...]

    def subset(self, round_ids: Iterable[str]) -> Score:
        keep = set(round_ids)
        return Score(tuple(f for f in self.facts if f.round_id in keep))

    @property
    def loss(self) -> float:
        return _mean([f.loss for f in self.facts]) if self.facts else float("nan")

    @property
    def brier(self) -> float:
        values = [
            f.loss for f in self.facts if isinstance(registered_fact(f.observable), YesNoFact)
        ]
        return _mean(values) if values else float("nan")

    @property
    def delay_mae_days(self) -> float:
        values = [f.error for f in self.facts if f.observable == "delay_days"]
        return _mean(values) if values else float("nan")

    @staticmethod
    def mean(scores: Sequence[Score]) -> Score:
        """The fact-by-fact mean of several scores of the same facts (one per seed)."""
        if not scores:
            return Score(())
        if len(scores) == 1:
            return scores[0]  # the mean of one number is that number

        def keyed(one: Score) -> dict[tuple[str, str, str], FactScore]:
            return {(f.round_id, f.observable, f.key): f for f in one.facts}

        tables = [keyed(one) for one in scores]
        if any(table.keys() != tables[0].keys() for table in tables[1:]):
            raise ValueError("the scores do not cover the same facts")
        facts = []
        for key, first in tables[0].items():
            facts.append(
                FactScore(
                    first.round_id,
                    first.observable,
                    first.key,
                    _mean([table[key].forecast for table in tables]),
                    first.recorded,
                    _mean([table[key].loss for table in tables]),
                    _mean([table[key].error for table in tables]),
                )
            )
        return Score(tuple(facts))

    def by_round(self) -> dict[str, float]:
        rounds: dict[str, list[float]] = {}
        for fact in self.facts:
            rounds.setdefault(fact.round_id, []).append(fact.loss)
        return {rid: _mean(losses) for rid, losses in rounds.items()}


def score(
    forecast: Forecast,
    scenario: Scenario,
    history: History,
    coding: str = LENIENT,
    stated: Sequence[RecordedFact] | None = None,
) -> Score:
    """Score a forecast against every scored fact of the record, in the record's order.

    ``stated`` is ``scored_facts(scenario, history, coding)`` when the caller already holds it:
    the facts depend on the scenario and the record only, and a fit or a sweep scores many runs.
    """
    facts = []
    for fact in scored_facts(scenario, history, coding) if stated is None else stated:
        samples = forecast.get(fact.id)
        if not samples:
            continue  # a forecast that says nothing of a fact (a run of other rounds)
        errors = np.abs(np.asarray(samples, dtype=float) - float(fact.recorded))
        facts.append(
            FactScore(
                fact.round_id,
                fact.fact.name,
                fact.key,
                fact.fact.point(samples),
                float(fact.recorded),
                fact.fact.loss(samples, fact.recorded),
                _mean(errors),
            )
        )
    return Score(tuple(facts))


def score_runs(
    logs: Sequence[RunLog],
    scenario: Scenario,
    history: History,
    coding: str = LENIENT,
    stated: Sequence[RecordedFact] | None = None,
) -> Score:
    """Each run scored on its own, the loss of each fact averaged over the runs (the fit's loss)."""
    stated = scored_facts(scenario, history, coding) if stated is None else stated
    return Score.mean(
        [score(forecast_runs([log], scenario), scenario, history, coding, stated) for log in logs]
    )


def score_codings(logs: Sequence[RunLog], scenario: Scenario, history: History) -> dict[str, Score]:
    """``score_runs`` under every coding of the record, from the same runs."""
    forecasts = [forecast_runs([log], scenario) for log in logs]
    scores = {}
    for coding in CODINGS:
        stated = scored_facts(scenario, history, coding)
        scores[coding] = Score.mean(
            [score(f, scenario, history, coding, stated) for f in forecasts]
        )
    return scores


def score_ensemble(
    logs: Sequence[RunLog], scenario: Scenario, history: History, coding: str = LENIENT
) -> Score:
    """The runs as one probabilistic forecast: each yes/no fact forecast by its share of runs."""
    return score(forecast_runs(logs, scenario), scenario, history, coding)
