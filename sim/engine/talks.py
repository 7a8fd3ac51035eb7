"""The bargaining itself, under the scenario's rule, and the walk-outs it provokes.

    walk out_i  <=>  W_i - D_i < r_i - m

with W_i the final draft's mean clause worth, D_i the distrust cost and m ``walkout_margin``.
"""

from __future__ import annotations

import numpy as np

from .. import behaviour as b
from ..protocols import Bargain, Step
from .attendance import Distrust
from .ratify import put_to_vote
from .record import Setup, TalksRecord
from .seats import Seats, table
from .state import State


def talks(
    setup: Setup, state: State, seats: Seats, attending: np.ndarray, cost: Distrust
) -> TalksRecord:
    """Bargain among those who came, then let those who cannot bear the draft leave."""
    cast, params = setup.cast, setup.params
    required = seats.required(cast, attending)
    # Only those in the room can object: an absent signatory's objections are not heard.
    heard = cast.mask(required) & attending & cast.drafts
    fixed = put_to_vote(state, seats)
    if fixed is None:
        bargain = setup.rule.negotiate(table(cast, state, params, seats, attending, heard))
    else:
        bargain = Bargain(fixed, (Step("put_to_vote", ""),))  # words: the narrator's
    agenda = seats.agenda
    positions, salience = state.positions[:, agenda], state.salience[:, agenda]
    worth = b.mean_of(b.clause_utility(positions, salience, bargain.text), axis=1)
    # One who came only to be seen (no substance here) stays: leaving would forfeit presence.
    can_leave = attending & ~seats.convener_mask & cast.may_walk_out & seats.forum.substance
    walked_out = can_leave & (worth - cost[0] < state.reservation - params.walkout_margin)
    return TalksRecord(bargain, worth, walked_out, attending & ~walked_out)
