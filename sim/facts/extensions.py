"""How many times was the round prolonged beyond its planned length?

Scored as a count: each extension off counts like a confidently wrong yes/no fact (scale 1), so
"extended once, the model says never" weighs as much as a missed walk-out; a run matches only
with the recorded count. In the model the count also fixes the length (``length_days``); in the
record it does not (a round may be cut short, or run a day over without a formal extension), so
the two are scored apart.

Not scored for a round without a deadline that allows an extension: the model's count is 0
there whatever happens (see ``length_days``).
"""

from __future__ import annotations

from .base import NumberFact, RoundContext, Value
from .length_days import can_extend


class Extensions(NumberFact):
    name = "extensions"
    description = "times the round was prolonged beyond its planned length"
    scale = 1.0
    match_within = 0
    construction_reason = (
        "the round has no deadline that allows an extension, so the model never extends it"
    )

    def keys(self, ctx: RoundContext) -> tuple[str, ...]:
        return ("",)

    def by_construction(self, ctx: RoundContext, key: str) -> bool:
        return not can_extend(ctx)

    def from_run(self, outcome, ctx: RoundContext) -> dict[str, Value]:
        return {"": outcome.extensions}

    def from_record(self, event, ctx: RoundContext) -> dict[str, Value]:
        return {} if event.extensions is None else {"": event.extensions}

    def nothing_agreed(self, ctx: RoundContext) -> dict[str, Value]:
        return {"": 0}

    def repeat_last(self, ctx: RoundContext, last) -> dict[str, Value]:
        return {"": last.extensions or 0}

    def recorded_cells(self, event, ctx: RoundContext) -> dict[str, str]:
        return {"recorded_extensions": "" if event.extensions is None else str(event.extensions)}
