"""Did each invited actor walk out? (Conveners, and roles that may not walk out, never do.)"""

from __future__ import annotations

from .base import RoundContext, Value, YesNoFact, join


class WalkedOut(YesNoFact):
    name = "walked_out"
    description = "an invited actor left the round before its end"

    def keys(self, ctx: RoundContext) -> tuple[str, ...]:
        return ctx.invited

    def by_construction(self, ctx: RoundContext, key: str) -> bool:
        return key in ctx.spec.conveners or not ctx.behaviour(key).may_walk_out

    def from_run(self, outcome, ctx: RoundContext) -> dict[str, Value]:
        left = set(outcome.walked_out)
        return {actor: actor in left for actor in outcome.invited}

    def from_record(self, event, ctx: RoundContext) -> dict[str, Value]:
        if event.walked_out is None:
            return {}
        left = set(event.walked_out)
        return {actor: actor in left for actor in ctx.invited}

    def nothing_agreed(self, ctx: RoundContext) -> dict[str, Value]:
        return dict.fromkeys(ctx.invited, False)

    def repeat_last(self, ctx: RoundContext, last) -> dict[str, Value]:
        left = set(last.walked_out or ())
        return {actor: actor in left for actor in ctx.invited}

    def recorded_cells(self, event, ctx: RoundContext) -> dict[str, str]:
        return {"recorded_walked_out": "" if event.walked_out is None else join(event.walked_out)}
