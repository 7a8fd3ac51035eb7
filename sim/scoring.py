"""Scoring forecasts of the talks against the record, fact by fact, with one documented loss.

A *forecast* says, for each round, how likely each yes/no fact is (did the HNC come? was the
ceasefire clause agreed?) and what delay to expect. An ensemble of model runs gives probabilities
(the share of runs in which the fact holds); a naive baseline gives certainties (0 or 1). Both
are scored the same way:

* a yes/no fact scores its Brier loss ``(p - y)**2``: 0 for a confident right answer, 1 for a
  confident wrong one, 0.25 for a shrug (p = 0.5);
* a delay scores its mean absolute error in days, divided by 30 and capped at 1, so that a
  forecast a month or more off counts like a confidently wrong yes/no fact.

The loss of a set of rounds is the mean over all their facts. Which facts count is fixed by the
record: a fact the record does not state is not scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .history import History
from .observables import Observables, observe_run
from .runlog import RunLog
from .scenario import Scenario

DELAY_SCALE_DAYS = 30.0


@dataclass(frozen=True)
class RoundForecast:
    """Probabilities of the yes/no facts of one round, and sampled delays."""

    round_id: str
    invited: tuple[str, ...]
    attend: dict[str, float]
    walk_out: dict[str, float]
    agreed: dict[str, float]
    single_delegation: float | None
    delays: tuple[int, ...]


@dataclass(frozen=True)
class FactScore:
    """One scored fact: which round, which observable, the forecast, the record, the loss."""

    round_id: str
    observable: str  # attended, walked_out, agreed, single_delegation, delay_days
    key: str  # the actor or issue ('' where none)
    forecast: float  # a probability, or the mean forecast delay in days
    recorded: float
    loss: float


@dataclass(frozen=True)
class Score:
    facts: tuple[FactScore, ...]

    def subset(self, round_ids: Iterable[str]) -> Score:
        keep = set(round_ids)
        return Score(tuple(f for f in self.facts if f.round_id in keep))

    @property
    def loss(self) -> float:
        return float(np.mean([f.loss for f in self.facts])) if self.facts else float("nan")

    @property
    def brier(self) -> float:
        values = [f.loss for f in self.facts if f.observable != "delay_days"]
        return float(np.mean(values)) if values else float("nan")

    @property
    def delay_mae_days(self) -> float:
        values = [abs(f.forecast - f.recorded) for f in self.facts if f.observable == "delay_days"]
        return float(np.mean(values)) if values else float("nan")

    @staticmethod
    def mean(scores: Sequence[Score]) -> Score:
        """The fact-by-fact mean of several scores of the same facts (one per seed)."""
        if not scores:
            return Score(())

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
                    float(np.mean([table[key].forecast for table in tables])),
                    first.recorded,
                    float(np.mean([table[key].loss for table in tables])),
                )
            )
        return Score(tuple(facts))

    def by_round(self) -> dict[str, float]:
        rounds: dict[str, list[float]] = {}
        for fact in self.facts:
            rounds.setdefault(fact.round_id, []).append(fact.loss)
        return {rid: float(np.mean(losses)) for rid, losses in rounds.items()}


def forecast_from_runs(runs: Sequence[Sequence[Observables]], invited: dict[str, tuple]) -> list:
    """Turn an ensemble of runs (each a list of per-round observables) into round forecasts."""
    by_round: dict[str, list[Observables]] = {}
    for run in runs:
        for observed in run:
            by_round.setdefault(observed.round_id, []).append(observed)
    forecasts = []
    for round_id, observations in by_round.items():
        people = invited[round_id]
        issues = [issue for issue, _ in observations[0].agreed]
        unified = [o.single_delegation for o in observations if o.single_delegation is not None]
        forecasts.append(
            RoundForecast(
                round_id=round_id,
                invited=people,
                attend={a: _share(a in o.attended for o in observations) for a in people},
                walk_out={a: _share(a in o.walked_out for o in observations) for a in people},
                agreed={i: _share(bool(o.agreed_on(i)) for o in observations) for i in issues},
                single_delegation=_share(unified) if unified else None,
                delays=tuple(int(o.delay_days) for o in observations),
            )
        )
    return forecasts


def _share(values: Iterable[bool]) -> float:
    values = list(values)
    return float(np.mean(values)) if values else 0.0


def score(forecasts: Sequence[RoundForecast], history: History) -> Score:
    """Score each forecast against the record (facts the record leaves out are skipped)."""
    facts: list[FactScore] = []
    by_round = {forecast.round_id: forecast for forecast in forecasts}
    for event in history.events:  # the record's order, whatever order the rounds were played in
        forecast = by_round.get(event.round)
        if forecast is None:
            continue
        rid = forecast.round_id
        if event.attended is not None:
            present = set(event.attended)
            for actor in forecast.invited:
                facts.append(
                    _binary(rid, "attended", actor, forecast.attend[actor], actor in present)
                )
        if event.walked_out is not None:
            left = set(event.walked_out)
            for actor in forecast.invited:
                p = forecast.walk_out[actor]
                facts.append(_binary(rid, "walked_out", actor, p, actor in left))
        for issue, was_agreed in event.agreed.items():
            if issue in forecast.agreed:
                facts.append(_binary(rid, "agreed", issue, forecast.agreed[issue], was_agreed))
        if event.single_delegation is not None and forecast.single_delegation is not None:
            facts.append(
                _binary(
                    rid,
                    "single_delegation",
                    "",
                    forecast.single_delegation,
                    event.single_delegation,
                )
            )
        if event.delay_days is not None and forecast.delays:
            errors = np.abs(np.array(forecast.delays, dtype=float) - event.delay_days)
            loss = float(np.mean(np.minimum(errors / DELAY_SCALE_DAYS, 1.0)))
            facts.append(
                FactScore(
                    rid,
                    "delay_days",
                    "",
                    float(np.mean(forecast.delays)),
                    float(event.delay_days),
                    loss,
                )
            )
    return Score(tuple(facts))


def _binary(round_id: str, observable: str, key: str, p: float, happened: bool) -> FactScore:
    y = 1.0 if happened else 0.0
    return FactScore(round_id, observable, key, p, y, (p - y) ** 2)


def score_runs(logs: Sequence[RunLog], scenario: Scenario, history: History) -> Score:
    """The record scored against each run; the loss of each fact averaged over the runs."""
    per_seed = []
    for log in logs:
        invited = {o.round_id: o.invited for o in log.rounds}
        per_seed.append(score(forecast_from_runs([observe_run(log, scenario)], invited), history))
    return Score.mean(per_seed)
