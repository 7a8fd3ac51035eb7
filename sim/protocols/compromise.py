"""Achen's compromise model: the outcome is the capability x salience weighted mean position.

Achen (2006), "Evaluating political decision-making models", in Thomson, Stokman, Achen and
Koenig-Archibugi (eds.), *The European Union Decides*, Cambridge University Press, ch. 10; the
baseline against which the EU decision-making literature measures every other model.
"""

from __future__ import annotations

import numpy as np

from ..behaviour import weighted_text
from ..rule_params import CompromiseParams
from .base import Bargain, Classifier, Protocol, Step, Table


def compromise_text(table: Table) -> np.ndarray:
    """x_j = sum_i c_i s_ij p_ij / sum_i c_i s_ij over those drafting."""
    weights = table.capability[:, None] * table.salience * table.drafting[:, None]
    return weighted_text(table.positions, weights, fallback=table.fallback)


class Compromise(Protocol):
    """One text, no redrafting: each participant pulls it by its weight times its care."""

    params = CompromiseParams
    name = params.rule
    citation = "Achen (2006), The European Union Decides, ch. 10"
    classifier = Classifier(
        deterministic=True,
        moves_positions=False,
        parties="all",
        uses_patrons=False,
        uses_conveners=False,  # the conveners hold no extra weight
    )

    def negotiate(self, table: Table) -> Bargain:
        text = compromise_text(table)
        words = (
            f"{table.names(np.flatnonzero(table.conveners))} tabled the compromise of the "
            f"positions weighted by capability and salience: {table.describe(text)}."
        )
        return Bargain(text, (Step("proposed", words),))
