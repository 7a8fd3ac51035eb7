"""An ensemble of runs as per-fact forecasts beside the record: ``ensemble.csv``'s rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..runlog import RunLog
from ..scenario import Scenario
from .base import Value, contexts
from .compare import forecast_runs, scored_facts
from .registry import FACTS

if TYPE_CHECKING:
    from ..history import History


@dataclass(frozen=True)
class EnsembleRow:
    """One fact of one round: the ensemble's forecast and, where scored, the record and loss."""

    round_id: str
    fact: str
    key: str
    forecast: float  # the share of runs in which it holds, or the median delay in days
    recorded: Value | None
    loss: float | None


def ensemble_rows(
    logs: Sequence[RunLog], scenario: Scenario, history: History | None
) -> list[EnsembleRow]:
    """Every fact of every round, in the order the rounds were played and the facts registered."""
    forecast = forecast_runs(logs, scenario)
    scored = {f.id: f for f in scored_facts(scenario, history)} if history else {}
    ctxs = contexts(scenario)
    rows = []
    for outcome in logs[0].rounds:
        ctx = ctxs[outcome.round_id]
        for fact in FACTS:
            for key in fact.keys(ctx):
                samples = forecast[(outcome.round_id, fact.name, key)]
                stated = scored.get((outcome.round_id, fact.name, key))
                rows.append(
                    EnsembleRow(
                        outcome.round_id,
                        fact.name,
                        key,
                        fact.point(samples),
                        None if stated is None else stated.recorded,
                        None if stated is None else fact.loss(samples, stated.recorded),
                    )
                )
    return rows
