"""What the conveners foresee before a round: the text if every invitee came, and its chances.

Used twice with the same arithmetic: to decide whether the round meets or slips, and by each
invitee to decide whether to come.
"""

from __future__ import annotations

import numpy as np

from .. import behaviour as b
from .consent import acceptance, agreed
from .ratify import on_offer, put_to_vote
from .record import Setup
from .seats import Seats, table
from .state import State


def foreseen_text(setup: Setup, state: State, seats: Seats) -> np.ndarray:
    """The text the conveners foresee if every invitee comes, under the scenario's rule.

    A state is never changed in place, so the same state and seats foresee the same text: the
    last forecast is kept on the run's setup and read again by the invitees' decision to come.
    """
    last = setup.last_forecast
    if last and last[0] is state and last[1] is seats:
        return last[2]
    cast = setup.cast
    everyone = seats.invited_mask
    required = seats.required(cast, everyone)
    text = put_to_vote(state, seats)
    if text is None:
        text = setup.rule.forecast(
            table(cast, state, setup.params, seats, everyone, cast.mask(required))
        )
    last[:] = [state, seats, text]
    return text


def expected_agreement(setup: Setup, state: State, seats: Seats) -> float:
    """The share of agenda clauses the conveners expect the consent set to agree.

    They foresee the text all invitees would produce and judge it by the same consent rule as
    the agreement itself (``consent``), as if every invitee came; the model postpones the round
    when their (noisy) reading of this share falls below ``postpone_threshold``.
    """
    cast = setup.cast
    everyone = seats.invited_mask
    text = foreseen_text(setup, state, seats)
    required = seats.required(cast, everyone)
    agenda = seats.agenda
    utility = b.clause_utility(state.positions[:, agenda], state.salience[:, agenda], text)
    within = cast.within(text, agenda)
    accepted = acceptance(utility, state.reservation, seats.package, seats.forum.substance, within)
    verdict = agreed(cast, required, accepted, everyone, state.capability)
    offered = on_offer(state, seats)
    return float((verdict if offered is None else verdict & offered).mean())
