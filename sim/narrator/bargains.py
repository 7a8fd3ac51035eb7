"""The words of a bargain's steps that a rule recorded as numbers (``Step.numbers``).

A rule that bargains in many moves (``alternating_offers`` makes a few hundred a run) records
each move's numbers and no sentence, so that a run made with ``narrate=False`` formats nothing;
the narrator tells the steps here, word for word as the rule would have. A step's numbers start
with the form of its sentence, then what the sentence needs: actors as row indices of the table,
texts as tuples of clause values in agenda order, risks as plain numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..protocols import Step


class _Words:
    """Names of the table's actors and agenda issues, to put the numbers into words."""

    def __init__(self, names: Sequence[str], issues: Sequence[str]) -> None:
        self.names, self.issues = names, issues

    def name(self, index: int) -> str:
        """As ``Table.name``: 'actor 3' when the table carries no names."""
        return self.names[index] if self.names else f"actor {index}"

    def text(self, values: Sequence[float]) -> str:
        """As ``Table.describe``: 'transition 50, ceasefire 80'."""
        return ", ".join(f"{issue} {x:.0f}" for issue, x in zip(self.issues, values, strict=True))


def _alone(w: _Words, text) -> str:
    return f"With fewer than two parties at the table, {w.text(text)} stood."


def _opened(w: _Words, a: int, b: int, offer_a, offer_b) -> str:
    return (
        f"{w.name(a)} and {w.name(b)} opened with their own positions: "
        f"{w.text(offer_a)} against {w.text(offer_b)}."
    )


def _conceded(w: _Words, who: int, rival: int, risk_who: float, risk_rival: float, offer) -> str:
    return (
        f"{w.name(who)} conceded (its risk {risk_who:.2f}, "
        f"{w.name(rival)}'s {risk_rival:.2f}): {w.text(offer)}."
    )


def _met(w: _Words, text) -> str:
    return f"The offers met: {w.text(text)}."


def _took(w: _Words, taker: int, offer) -> str:
    return f"{w.name(taker)} took the offer: {w.text(offer)}."


def _deadlock(ending: str, w: _Words, text) -> str:
    return (
        f"Deadlock: {ending}; the conveners tabled the midpoint of the last offers: {w.text(text)}."
    )


def _stuck(w: _Words, text) -> str:
    return _deadlock(
        "the side whose turn it was to concede could not without walking away", w, text
    )


def _out_of_turns(w: _Words, turns: int, text) -> str:
    return _deadlock(f"after {turns} rounds of offers the sides had not met", w, text)


FORMS: dict[str, Callable[..., str]] = {
    "alone": _alone,  # (text): fewer than two parties
    "opened": _opened,  # (a, b, a's offer, b's offer)
    "conceded": _conceded,  # (who, rival, who's risk, rival's risk, who's new offer)
    "met": _met,  # (text): the midpoint of two offers either side would take
    "took": _took,  # (taker, the offer it took)
    "stuck": _stuck,  # (text): the conceder could not concede
    "out_of_turns": _out_of_turns,  # (turns, text)
}


def tell(step: Step, names: Sequence[str], issues: Sequence[str]) -> str:
    """The step's sentence: its own words, or the words its numbers make (``names`` of the
    table's actors by row, ``issues`` the agenda's ids in the order of the texts' clauses)."""
    if step.words or not step.numbers:
        return step.words
    form, *numbers = step.numbers
    return FORMS[form](_Words(names, issues), *numbers)
