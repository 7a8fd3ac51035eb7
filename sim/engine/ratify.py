"""Rounds that ratify: a signing or a vote on a text agreed at an earlier round.

A ratification (``ratifies: <round id>``) drafts nothing: the text put to the vote is the final
text of the round it ratifies, on this round's agenda, and a clause can be ratified only if that
round agreed it,

    x_j = X_j^(r),    agreed_j = [every unit accepts x_j] and [round r agreed j]

So a plebiscite can reject what the table agreed, but cannot agree what the table did not. A
ratification waits for its text: it meets no earlier than the day after the ratified round's
last day (``wait_days``), however that round slipped.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

import numpy as np

from ..runlog import RoundOutcome
from .cast import Cast, read_only
from .seats import Seats
from .state import AgreedText, State


def put_to_vote(state: State, seats: Seats) -> np.ndarray | None:
    """The agenda's text of the ratified round, or None when the round ratifies nothing (then
    the rule drafts). A ratification meets only once that round has (``wait_days``)."""
    if not seats.ratifies:
        return None
    return state.agreed_texts[seats.ratifies].text[seats.agenda].copy()


def on_offer(state: State, seats: Seats) -> np.ndarray | None:
    """Per agenda clause, whether it may be agreed here (None: no restriction). In a package
    round nothing is on offer unless everything is: the package is ratified whole or not."""
    if not seats.ratifies:
        return None
    offered = state.agreed_texts[seats.ratifies].agreed[seats.agenda]
    return offered if not seats.package or offered.all() else np.zeros_like(offered)


def keep_for_ratification(state: State, cast: Cast, outcome: RoundOutcome) -> State:
    """The state with the round's final text kept, for the later round that ratifies it."""
    text = np.full(cast.n_issues, np.nan)
    agreed = np.zeros(cast.n_issues, dtype=bool)
    columns = cast.issue_indices(outcome.agenda)
    text[columns] = outcome.text
    agreed[columns] = outcome.agreed
    kept = AgreedText(read_only(text), read_only(agreed), outcome.end_date)
    texts = MappingProxyType({**state.agreed_texts, outcome.round_id: kept})
    return state.replace(agreed_texts=texts)


def wait_days(state: State, ratifies: str | None, date: dt.date, unknown: int) -> int:
    """How many days a round meeting on ``date`` must wait for the text it ratifies: 0 when
    it is final (or the round ratifies nothing); until the day after the ratified round's last
    day once it has met; ``unknown`` days (the conveners' postponement step) while it has not."""
    if ratifies is None:
        return 0
    earlier = state.agreed_texts.get(ratifies)
    if earlier is None:
        return unknown
    if earlier.ended is None or earlier.ended < date:
        return 0
    return (earlier.ended - date).days + 1
