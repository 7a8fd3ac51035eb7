"""Who comes to a round: conveners always; an invitee when the foreseen text beats staying away.

    come_i  <=>  E_i + F_i + pull_i - D_i + e_i >= r_i

with E_i the foreseen text's mean clause worth, F_i what being at this track's table is worth
to it apart from the text (``forums``), pull_i its patron's pull when the patron is
invited, D_i its distrust of the guarantors and e_i the day's noise (docs/model.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import behaviour as b
from ..policy import Choices
from .forecast import foreseen_text
from .record import AttendanceRecord, Setup
from .seats import Seats
from .state import State

Distrust = tuple[np.ndarray, np.ndarray]  # each actor's cost, and the guarantor behind it


def distrust(setup: Setup, state: State, seats: Seats) -> Distrust:
    """What lending its name to a deal guaranteed by adversaries costs each actor.

    The guarantors are the invited actors whose role guarantees; the cost is
    ``guarantor_distrust`` times the distance to the furthest of them (0 by default).
    """
    cast, weight = setup.cast, setup.params.guarantor_distrust
    if weight == 0:
        return np.zeros(cast.n_actors), np.zeros(cast.n_actors, dtype=int)
    guarantors = seats.invited_mask & cast.guarantees
    distance, furthest = b.distance_to_guarantors(state.positions, state.salience, guarantors)
    return weight * distance, furthest


def attendance(
    setup: Setup,
    state: State,
    seats: Seats,
    cost: Distrust,
    rng: np.random.Generator,
    choices: Mapping[int, Choices],
) -> AttendanceRecord:
    """Each invitee's decision to come, with its reasons; played delegations choose their own."""
    cast, params = setup.cast, setup.params
    everyone = seats.invited_mask
    text = foreseen_text(setup, state, seats)
    agenda = seats.agenda
    expected = b.clause_utility(state.positions[:, agenda], state.salience[:, agenda], text)
    expected = b.mean_of(expected, axis=1)
    patron = np.maximum(cast.patron, 0)
    patron_there = (cast.patron >= 0) & everyone[patron]
    pull = params.patron_attendance_pull * patron_there * state.capability[patron]
    cost_, guarantor = cost
    noise = rng.normal(0.0, params.attendance_noise, size=cast.n_actors)
    forum = seats.forum.value
    attending = everyone & (expected + forum + pull - cost_ + noise >= state.reservation)
    attending[seats.conveners] = True
    chosen = np.zeros(cast.n_actors, dtype=bool)
    for i, choice in choices.items():
        if choice.attend is not None and everyone[i] and i not in seats.conveners:
            attending[i], chosen[i] = choice.attend, True
    return AttendanceRecord(
        attending, expected, pull, noise, patron_there, cost_, guarantor, chosen, forum
    )
