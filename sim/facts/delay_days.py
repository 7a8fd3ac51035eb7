"""How many days after its planned date did the round meet?

Always scored, even where the model cannot postpone (``max_postponements: 0``): a fact the model
cannot get right is not one that holds by construction, and the facts scored must never depend
on a parameter a fit may vary (a fit could otherwise drop the delays it gets wrong).
"""

from __future__ import annotations

from .base import DelayFact, RoundContext, Value, iso


class DelayDays(DelayFact):
    name = "delay_days"
    description = "days between the planned and the actual opening of the round"

    def keys(self, ctx: RoundContext) -> tuple[str, ...]:
        return ("",)

    def from_run(self, outcome, ctx: RoundContext) -> dict[str, Value]:
        return {"": outcome.delay_days}

    def from_record(self, event, ctx: RoundContext) -> dict[str, Value]:
        return {} if event.delay_days is None else {"": event.delay_days}

    def nothing_agreed(self, ctx: RoundContext) -> dict[str, Value]:
        return {"": 0}

    def repeat_last(self, ctx: RoundContext, last) -> dict[str, Value]:
        return {"": last.delay_days or 0}

    def recorded_columns(self) -> tuple[str, ...]:
        return ("recorded_date", "recorded_delay_days")

    def recorded_cells(self, event, ctx: RoundContext) -> dict[str, str]:
        delay = "" if event.delay_days is None else str(event.delay_days)
        return {"recorded_date": iso(event.actual_date), "recorded_delay_days": delay}
