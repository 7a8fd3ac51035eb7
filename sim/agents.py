"""The actors as Mesa agents: each the face of its row of the engine's arrays, and the one who
decides for it when people play the delegation.

An agent holds no numbers of its own: its position, salience and capability are views onto the
run's state, so a round stays a few numpy expressions over all actors at once. What an agent
owns is its say: ``play`` hands it a played delegation's ``Choices`` for the next round, which
the model passes to the engine in place of the vectorised rule's decision.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from .policy import Choices
from .scenario import Actor


class Negotiator(mesa.Agent):
    """One party to the talks: a state, a delegation, a grouping or the UN envoy."""

    def __init__(self, model: Any, spec: Actor, index: int):
        super().__init__(model)
        self.actor_id = spec.id
        self.name = spec.name
        self.role = spec.role
        self.index = index
        self.choices: Choices | None = None  # set by ``play``; used for the next round only

    # --- views onto the run's state -------------------------------------------------------------
    @property
    def position(self) -> np.ndarray:
        return self.model.positions[self.index]

    @property
    def salience(self) -> np.ndarray:
        return self.model.salience[self.index]

    @property
    def capability(self) -> float:
        return float(self.model.capability[self.index])

    @property
    def reservation(self) -> float:
        return float(self.model.reservation[self.index])

    @property
    def is_observer(self) -> bool:
        return self.role == "observer"

    # --- its say --------------------------------------------------------------------------------
    def play(self, choices: Choices | None) -> None:
        """Decide for this delegation in the next round (``None``: leave it to the model)."""
        self.choices = choices
