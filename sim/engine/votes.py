"""Who accepts each clause, and which clauses are agreed.

    accept_ij  <=>  u_ij >= r_i  and  x_j within i's red line on j
    u_ij = 1 - s_ij |x_j - p_ij| / 100

A clause is agreed when every unit of the consent set consents (``consent``): by default every
invited party, so an absent one blocks; in a package round the agenda is taken whole.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import behaviour as b
from ..policy import Choices
from .consent import acceptance, agreed
from .ratify import on_offer
from .record import Setup, TalksRecord, VoteRecord
from .seats import Seats
from .state import State


def votes(
    setup: Setup,
    state: State,
    seats: Seats,
    attending: np.ndarray,
    talks: TalksRecord,
    choices: Mapping[int, Choices],
) -> VoteRecord:
    """Required signatories are fixed by who came: one who walked out has not signed."""
    cast = setup.cast
    required = seats.required(cast, attending)
    utility = b.clause_utility(
        state.positions, state.salience, seats.full_text(cast, talks.bargain.text)
    )
    on_agenda = utility[:, seats.agenda]
    within = cast.within(talks.bargain.text, seats.agenda)
    accepted = acceptance(
        on_agenda, state.reservation, seats.package, seats.forum.substance, within
    )
    for i, choice in choices.items():
        said = [choice.accept.get(cast.issue_ids[j]) for j in seats.agenda]
        if not talks.present[i] or all(x is None for x in said):
            continue
        if seats.package:  # taken whole: one rejected clause rejects it, all accepted accept it
            if False in said:
                accepted[i] = False
            elif None not in said:
                accepted[i] = True
        else:
            accepted[i] = [accepted[i, k] if x is None else bool(x) for k, x in enumerate(said)]
    if choices and within is not None:  # a played delegation holds its declared lines too
        accepted &= within.all(axis=1)[:, None] if seats.package else within
    verdict = agreed(cast, required, accepted, talks.present, state.capability)
    offered = on_offer(state, seats)
    if offered is not None:
        verdict &= offered  # a ratification agrees only what the ratified round agreed
    worth = b.mean_of(on_agenda, axis=1) if seats.package else None
    return VoteRecord(required, utility, accepted, verdict, worth, within, offered)
