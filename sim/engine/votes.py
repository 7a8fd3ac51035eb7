"""Who accepts each clause, and which clauses are agreed.

    accept_ij  <=>  u_ij >= r_i,    u_ij = 1 - s_ij |x_j - p_ij| / 100

A clause is agreed when every required signatory is present and accepts it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import behaviour as b
from ..policy import Choices
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
    accepted = b.accepts(utility[:, seats.agenda], state.reservation)
    for i, choice in choices.items():
        for k, j in enumerate(seats.agenda):
            said = choice.accept.get(cast.issue_ids[j])
            if said is not None and talks.present[i]:
                accepted[i, k] = bool(said)
    signatories_present = bool(required.size) and bool(np.all(talks.present[required]))
    if signatories_present:
        agreed = accepted[required].all(axis=0)
    else:
        agreed = np.zeros(seats.agenda.size, dtype=bool)
    return VoteRecord(required, utility, accepted, agreed, signatories_present)
