"""Did a unification meeting form a single delegation (every clause agreed)?"""

from __future__ import annotations

from .base import RoundContext, Value, YesNoFact

UNIFICATION = "unification"


class SingleDelegation(YesNoFact):
    name = "single_delegation"
    description = "a unification meeting formed one delegation"

    def keys(self, ctx: RoundContext) -> tuple[str, ...]:
        return ("",) if ctx.spec.format == UNIFICATION else ()

    def from_run(self, outcome, ctx: RoundContext) -> dict[str, Value]:
        return {"": all(outcome.agreed)} if ctx.spec.format == UNIFICATION else {}

    def from_record(self, event, ctx: RoundContext) -> dict[str, Value]:
        if ctx.spec.format != UNIFICATION or event.single_delegation is None:
            return {}
        return {"": event.single_delegation}

    def nothing_agreed(self, ctx: RoundContext) -> dict[str, Value]:
        return dict.fromkeys(self.keys(ctx), False)

    def repeat_last(self, ctx: RoundContext, last) -> dict[str, Value]:
        return dict.fromkeys(self.keys(ctx), bool(last.single_delegation))

    def recorded_cells(self, event, ctx: RoundContext) -> dict[str, str]:
        value = event.single_delegation
        return {"recorded_single_delegation": "" if value is None else ("yes" if value else "no")}
