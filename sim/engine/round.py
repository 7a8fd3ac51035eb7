"""One scheduled round as a function: state in, new state and a record of every decision out.

1. each invitee decides whether to come (``attendance``);
2. they bargain under the scenario's rule and those who cannot bear the draft walk out
   (``talks``);
3. the participants accept or reject each clause (``votes``);
4. they move: concession toward the text, patrons' pull, pressure of stronger actors (``moves``).

Nothing here writes a sentence or touches a log: the narrator reads the record afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

import numpy as np

from ..policy import Choices
from ..scenario import Round
from .attendance import attendance, distrust
from .moves import moves
from .record import RoundRecord, Setup
from .seats import Seats
from .state import State
from .talks import talks
from .votes import votes


class RoundStreams(Protocol):
    """The two random phases inside a round (``sim.streams.Streams`` is one)."""

    attendance: np.random.Generator
    moves: np.random.Generator


def play_round(
    setup: Setup,
    state: State,
    spec: Round,
    date: dt.date,
    postponements: int,
    streams: RoundStreams,
    choices: Mapping[int, Choices],
) -> tuple[State, RoundRecord]:
    """Play ``spec`` on ``date`` (shocks due by then are already in ``state``)."""
    seats = Seats.of(setup.cast, spec)
    cost = distrust(setup, state, seats)  # positions do not move until the round ends
    came = attendance(setup, state, seats, cost, streams.attendance, choices)
    talked = talks(setup, state, seats, came.attending, cost)
    voted = votes(setup, state, seats, came.attending, talked, choices)
    moved = moves(setup, state, seats, talked.bargain, talked.present, streams.moves, choices)
    record = RoundRecord(spec, date, postponements, seats, state, came, talked, voted, moved)
    return state.replace(positions=moved.after), record
