"""Was a text on each agenda issue adopted by the round's required signatories?"""

from __future__ import annotations

from .base import RoundContext, Value, YesNoFact, join


class Agreed(YesNoFact):
    name = "agreed"
    description = "a text on an agenda issue was adopted by the round's required signatories"

    def keys(self, ctx: RoundContext) -> tuple[str, ...]:
        return tuple(ctx.spec.agenda)

    def from_run(self, outcome, ctx: RoundContext) -> dict[str, Value]:
        return dict(zip(outcome.agenda, outcome.agreed, strict=True))

    def from_record(self, event, ctx: RoundContext) -> dict[str, Value]:
        return {issue: event.agreed[issue] for issue in ctx.spec.agenda if issue in event.agreed}

    def nothing_agreed(self, ctx: RoundContext) -> dict[str, Value]:
        return dict.fromkeys(ctx.spec.agenda, False)

    def repeat_last(self, ctx: RoundContext, last) -> dict[str, Value]:
        # an issue the last meeting did not treat follows the majority of what it did treat
        share = sum(last.agreed.values()) / len(last.agreed) if last.agreed else 0.0
        return {issue: last.agreed.get(issue, share >= 0.5) for issue in ctx.spec.agenda}

    def recorded_columns(self) -> tuple[str, ...]:
        return ("recorded_agreed", "recorded_not_agreed")

    def recorded_cells(self, event, ctx: RoundContext) -> dict[str, str]:
        return {
            "recorded_agreed": join(issue for issue, ok in event.agreed.items() if ok),
            "recorded_not_agreed": join(issue for issue, ok in event.agreed.items() if not ok),
        }
