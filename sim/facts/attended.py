"""Did each invited actor come to the round? (Conveners always come: not scored.)"""

from __future__ import annotations

from .base import RoundContext, Value, YesNoFact, join


class Attended(YesNoFact):
    name = "attended"
    description = "an invited actor came to the round (walking out later still counts as came)"

    def keys(self, ctx: RoundContext) -> tuple[str, ...]:
        return ctx.invited

    def by_construction(self, ctx: RoundContext, key: str) -> bool:
        return key in ctx.spec.conveners

    def from_run(self, outcome, ctx: RoundContext) -> dict[str, Value]:
        came = set(outcome.attended)
        return {actor: actor in came for actor in outcome.invited}

    def from_record(self, event, ctx: RoundContext) -> dict[str, Value]:
        # `attended` lists everyone present; without it, `stayed_away` still says who did not come
        if event.attended is not None:
            came = set(event.attended)
            return {actor: actor in came for actor in ctx.invited}
        away = set(event.stayed_away or ())
        return {actor: False for actor in ctx.invited if actor in away}

    def nothing_agreed(self, ctx: RoundContext) -> dict[str, Value]:
        return dict.fromkeys(ctx.invited, True)

    def repeat_last(self, ctx: RoundContext, last) -> dict[str, Value]:
        came = set(last.attended) if last.attended is not None else set(ctx.invited)
        away = set(last.stayed_away or ()) - came
        # an actor the last meeting did not concern (neither came nor stayed away) is expected
        return {actor: actor not in away for actor in ctx.invited}

    def recorded_cells(self, event, ctx: RoundContext) -> dict[str, str]:
        return {"recorded_attended": "" if event.attended is None else join(event.attended)}
