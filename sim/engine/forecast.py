"""What the conveners foresee before a round: the text if every invitee came, and its chances.

Used twice with the same arithmetic: to decide whether the round meets or slips, and by each
invitee to decide whether to come.
"""

from __future__ import annotations

import numpy as np

from .. import behaviour as b
from .record import Setup
from .seats import Seats, table
from .state import State


def foreseen_text(setup: Setup, state: State, seats: Seats) -> np.ndarray:
    """The text the conveners foresee if every invitee comes, under the scenario's rule."""
    cast = setup.cast
    everyone = cast.mask(seats.invited)
    required = seats.required(cast, everyone)
    return setup.rule.forecast(
        table(cast, state, setup.params, seats, everyone, cast.mask(required))
    )


def expected_agreement(setup: Setup, state: State, seats: Seats) -> float:
    """The share of agenda clauses the conveners expect every required signatory to accept.

    They foresee the text all invitees would produce; the model postpones the round when their
    (noisy) reading of this share falls below ``postpone_threshold``.
    """
    everyone = setup.cast.mask(seats.invited)
    text = foreseen_text(setup, state, seats)
    required = seats.required(setup.cast, everyone)
    agenda = seats.agenda
    utility = b.clause_utility(
        state.positions[required][:, agenda], state.salience[required][:, agenda], text
    )
    return float(b.accepts(utility, state.reservation[required]).all(axis=0).mean())
