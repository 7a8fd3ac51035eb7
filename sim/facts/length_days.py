"""How many days did the round run, from its opening to its last day of sessions?

The length, not the end date: the opening is already scored by ``delay_days``, so scoring the
end date itself would count a late opening twice. A run's length is ``end_date - date + 1``
(the planned ``days``, plus each extension's ``extension_days``); the record's is
``ended - actual_date + 1``.

Not scored for a round without a deadline that allows an extension: there the model's length is
the schedule's ``days`` whatever happens, an input a scenario author may well have written from
the record (Geneva VIII's ``days: 18``), so it would be right or wrong by construction. Whether a
round has a deadline is the scenario's structure, never a fitted parameter, so every candidate of
a fit is scored on the same facts.
"""

from __future__ import annotations

import datetime as dt

from .base import DelayFact, RoundContext, Value, iso

LENGTH_MATCH_DAYS = 1  # one run's length matches the record within a day (a closing morning)


def can_extend(ctx: RoundContext) -> bool:
    """Whether the model can prolong this round at all (a deadline with an extension allowed)."""
    return ctx.spec.deadline is not None and ctx.spec.deadline.extensions > 0


def recorded_length(event) -> int | None:
    if event.ended is None or event.actual_date is None:
        return None
    return (event.ended - event.actual_date).days + 1


class LengthDays(DelayFact):
    name = "length_days"
    description = "days the round ran, from its opening to its last day of sessions"
    match_within = LENGTH_MATCH_DAYS
    construction_reason = (
        "the round has no deadline that allows an extension, so its length is the schedule's "
        "days whatever happens"
    )

    def keys(self, ctx: RoundContext) -> tuple[str, ...]:
        return ("",)

    def by_construction(self, ctx: RoundContext, key: str) -> bool:
        return not can_extend(ctx)

    def from_run(self, outcome, ctx: RoundContext) -> dict[str, Value]:
        end = outcome.end_date or outcome.date + dt.timedelta(days=ctx.spec.days - 1)
        return {"": (end - outcome.date).days + 1}

    def from_record(self, event, ctx: RoundContext) -> dict[str, Value]:
        length = recorded_length(event)
        return {} if length is None else {"": length}

    def nothing_agreed(self, ctx: RoundContext) -> dict[str, Value]:
        return {"": ctx.spec.days}  # no round slips: it runs as planned

    def repeat_last(self, ctx: RoundContext, last) -> dict[str, Value]:
        # the last meeting's overrun (its length beyond its own planned days) recurs
        length = recorded_length(last)
        planned = next((r.days for r in ctx.scenario.schedule if r.id == last.round), None)
        overrun = 0 if length is None or planned is None else length - planned
        return {"": max(1, ctx.spec.days + overrun)}

    def recorded_columns(self) -> tuple[str, ...]:
        return ("recorded_end_date", "recorded_length_days")

    def recorded_cells(self, event, ctx: RoundContext) -> dict[str, str]:
        length = recorded_length(event)
        return {
            "recorded_end_date": iso(event.ended),
            "recorded_length_days": "" if length is None else str(length),
        }
