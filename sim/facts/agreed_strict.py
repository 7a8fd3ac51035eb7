"""The strict coding of ``agreed``: a text that only reaffirmed earlier texts is no agreement.

The record codes each agreed issue as ``substantive`` or ``reaffirmation`` (``agreed_text``).
Astana 3's joint statement, say, restated the guarantors' commitment to a truce already in force:
under the lenient coding (``agreed``) it is an agreement on the ceasefire, under this one it is
not. The model has no notion of reaffirming, so a run's value is the same as for ``agreed``: what
changes is what the record asks of it. The exception is a round that ratifies an earlier one
(``ratifies``): it signs or votes on that round's text and drafts none, so it never adopts a new
text, in the model by construction: not scored here (the lenient ``agreed`` still scores whether
the ratification passed). An agreed issue the record leaves uncoded is unknown here (not
scored), as any fact the record leaves out.
"""

from __future__ import annotations

from .agreed import Agreed
from .base import RoundContext, Value, join


def strictly_agreed(event) -> dict[str, bool]:
    """Each issue the record codes: agreed only if agreed and substantive; uncoded ones left out."""
    values = {}
    for issue, ok in event.agreed.items():
        if not ok:
            values[issue] = False
        elif issue in event.agreed_text:
            values[issue] = event.agreed_text[issue] == "substantive"
    return values


class AgreedStrict(Agreed):
    name = "agreed_strict"
    description = "a substantive text (not a mere reaffirmation) on an agenda issue was adopted"
    coding = "strict"
    replaces = "agreed"
    construction_reason = (
        "the round ratifies an earlier round's text, so it adopts no new text by construction"
    )

    def by_construction(self, ctx: RoundContext, key: str) -> bool:
        return ctx.spec.ratifies is not None

    def from_run(self, outcome, ctx: RoundContext) -> dict[str, Value]:
        if ctx.spec.ratifies is not None:
            return dict.fromkeys(outcome.agenda, False)  # a ratification restates a text
        return super().from_run(outcome, ctx)

    def from_record(self, event, ctx: RoundContext) -> dict[str, Value]:
        values = strictly_agreed(event)
        return {issue: values[issue] for issue in ctx.spec.agenda if issue in values}

    def repeat_last(self, ctx: RoundContext, last) -> dict[str, Value]:
        # the previous meeting as the strict coding reads it; an uncoded issue as agreed leniently
        values = {**last.agreed, **strictly_agreed(last)}
        share = sum(values.values()) / len(values) if values else 0.0
        return {issue: values.get(issue, share >= 0.5) for issue in ctx.spec.agenda}

    def recorded_columns(self) -> tuple[str, ...]:
        return ("recorded_agreed_strict",)

    def recorded_cells(self, event, ctx: RoundContext) -> dict[str, str]:
        values = strictly_agreed(event)
        return {"recorded_agreed_strict": join(issue for issue, ok in values.items() if ok)}
