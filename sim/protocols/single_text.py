"""Raiffa's single negotiating text: the mediator drafts, hears objections and redrafts.

Raiffa (1982), *The Art and Science of Negotiation*, Harvard University Press, ch. 14 (the Camp
David single negotiating text). The mediator does not split the difference with everybody: it
answers the objections it received, moving each rejected clause part of the way toward those who
rejected it.
"""

from __future__ import annotations

import numpy as np

from .. import behaviour as b
from ..rule_params import SingleTextParams
from .base import Bargain, Classifier, Protocol, Step, Table


def _weights(table: Table) -> np.ndarray:
    """w_ij = c_i s_ij (1 + gamma [i convenes]): the conveners hold the pen."""
    return b.draft_weights(
        table.capability, table.salience, table.conveners, table.params.convener_weight
    )


def first_draft(table: Table) -> np.ndarray:
    """The conveners' first draft: the weighted mean of the positions of those drafting."""
    weights = _weights(table) * table.drafting[:, None]
    return b.weighted_text(table.positions, weights, fallback=table.fallback)


class SingleText(Protocol):
    """Draft, then redraft toward the objections of the signatories in the room."""

    params = SingleTextParams
    name = params.rule
    citation = "Raiffa (1982), The Art and Science of Negotiation, ch. 14"
    classifier = Classifier(
        deterministic=True,
        moves_positions=False,
        parties="all",
        uses_patrons=False,
        uses_conveners=True,  # the conveners hold the pen (model.convener_weight)
    )

    def forecast(self, table: Table) -> np.ndarray:
        # Before the round the conveners can only foresee their first draft.
        return first_draft(table)

    def negotiate(self, table: Table) -> Bargain:
        params = table.params.single_text
        conveners = table.names(np.flatnonzero(table.conveners))
        text = first_draft(table)
        steps = [Step("proposed", f"{conveners} tabled a text: {table.describe(text)}.")]
        weights = _weights(table)
        for draft in range(2, params.max_drafts + 1):
            accepted = table.accepts(text)
            objections = ~accepted & table.objectors[:, None]
            if not objections.any():
                break
            redrafted = b.redraft(text, table.positions, weights, ~objections, params.redraft_step)
            if b.all_close(redrafted, text):
                break  # the objections cannot move the text any further
            text = redrafted
            objecting = table.names(np.flatnonzero(objections.any(axis=1)))
            steps.append(
                Step(
                    "redrafted",
                    f"Draft {draft}: {conveners} moved the text toward the objections of "
                    f"{objecting}: {table.describe(text)}.",
                )
            )
        return Bargain(text, tuple(steps))
