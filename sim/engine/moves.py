"""How positions move after a round: concession toward the text, then patrons and pressure.

    p <- p + k_i (1 - s_ij)(x_j - p_ij)                   (concession, Raiffa's single text)
    p <- p + a (q - p) + b (t - p) + e                     (patron q, stronger actors' target t)

No position moves past its actor's red line (``Cast.red_lines``): a line is where it stops.
A rule that moves positions itself (the expected-utility model's challenges) replaces the
concession and the pressure; the patrons' pull and the noise apply under every rule.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import behaviour as b
from ..policy import Choices
from ..protocols import Bargain
from .record import MoveRecord, Setup
from .seats import Seats
from .state import State


def moves(
    setup: Setup,
    state: State,
    seats: Seats,
    bargain: Bargain,
    present: np.ndarray,
    rng: np.random.Generator,
    choices: Mapping[int, Choices],
) -> MoveRecord:
    """The positions after the round, and each actor's pull toward its patron."""
    cast = setup.cast
    movers = present & cast.moves & seats.forum.substance
    before = state.positions
    if not movers.any():
        return MoveRecord(movers, before, before, np.zeros_like(before))
    after, pull = _moved(setup, state, seats, bargain, movers, rng)
    for i, choice in choices.items():
        for issue, value in choice.move.items():
            if present[i]:
                after[i, cast.issue_index[issue]] = float(value)
    if cast.red_lines is not None:
        after = cast.red_lines.hold(after)
    return MoveRecord(movers, before, after, pull)


def _moved(setup, state, seats, bargain, movers, rng) -> tuple[np.ndarray, np.ndarray]:
    cast, params = setup.cast, setup.params
    positions = state.positions.copy()
    agenda = seats.agenda
    if bargain.positions is None:
        rate = state.concession * params.concession_scale
        block = np.ix_(movers, agenda)
        positions[block] = b.concede(
            positions[block], state.salience[block], bargain.text, rate[movers]
        )
        target, pushed = b.pressure_targets(
            positions[movers], state.salience[movers], state.capability[movers]
        )
    else:
        positions[np.ix_(movers, agenda)] = bargain.positions[movers]
        target, pushed = positions[movers], np.zeros_like(positions[movers])
    has_patron = cast.patron >= 0
    patron_positions = positions[np.maximum(cast.patron, 0)]
    pull = params.patron_pull * (patron_positions - positions) * has_patron[:, None]
    moved = b.pulled(
        positions[movers],
        patron_positions[movers],
        has_patron[movers],
        target,
        pushed,
        params.patron_pull,
        params.pressure_rate,
    )
    noise = rng.normal(0.0, params.position_noise, size=positions.shape)
    positions[movers] = np.clip(moved + noise[movers], 0.0, 100.0)
    return positions, pull
