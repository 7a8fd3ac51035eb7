"""Observable facts of a round, each defined once (see ``base.Fact``), and what reads them."""

from .base import DELAY_MATCH_DAYS, DELAY_SCALE_DAYS, Fact, RoundContext, Value, contexts
from .compare import (
    FactKey,
    Forecast,
    RecordedFact,
    RoundMatch,
    coded_facts,
    every_fact,
    forecast_runs,
    match_run,
    nothing_agreed,
    recorded_facts,
    repeat_last,
    run_values,
    scored_facts,
)
from .ensemble import EnsembleRow, ensemble_rows
from .registry import CODINGS, FACTS, LENIENT, VARIANTS, fact

__all__ = [
    "CODINGS",
    "DELAY_MATCH_DAYS",
    "LENIENT",
    "VARIANTS",
    "coded_facts",
    "every_fact",
    "DELAY_SCALE_DAYS",
    "EnsembleRow",
    "FACTS",
    "Fact",
    "FactKey",
    "Forecast",
    "RecordedFact",
    "RoundContext",
    "RoundMatch",
    "Value",
    "contexts",
    "ensemble_rows",
    "fact",
    "forecast_runs",
    "match_run",
    "nothing_agreed",
    "recorded_facts",
    "repeat_last",
    "run_values",
    "scored_facts",
]
