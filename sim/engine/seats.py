"""Who sits at a round's table, who must consent, and the table a bargaining rule sees."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..protocols import Table
from ..scenario import ModelParams, Round
from .cast import Cast
from .state import State


@dataclass(frozen=True, eq=False)
class Seats:
    """One round's seating, as index arrays into the cast's actors."""

    conveners: np.ndarray
    invited: np.ndarray
    agenda: np.ndarray
    explicit_signatories: np.ndarray | None

    @classmethod
    def of(cls, cast: Cast, spec: Round) -> Seats:
        conveners = cast.indices(spec.conveners)
        invitees = [a for a in spec.invitees if a not in spec.conveners]
        explicit = None if spec.signatories == "attendees" else cast.indices(spec.signatories)
        return cls(
            conveners=conveners,
            invited=np.concatenate([conveners, cast.indices(invitees)]).astype(int),
            agenda=cast.issue_indices(spec.agenda),
            explicit_signatories=explicit,
        )

    def required(self, cast: Cast, at_table: np.ndarray) -> np.ndarray:
        """Whose consent a clause needs, given who is at the table."""
        if self.explicit_signatories is not None:
            return self.explicit_signatories
        return np.flatnonzero(at_table & cast.consents)

    def voters(self, cast: Cast, present: np.ndarray, required: np.ndarray) -> np.ndarray:
        """Who votes on the text: those present whose role consents, and any required one."""
        return present & (cast.consents | cast.mask(required))

    def full_text(self, cast: Cast, text: np.ndarray) -> np.ndarray:
        """The text as a vector over all issues (off-agenda issues hold no clause: NaN)."""
        full = np.full(cast.n_issues, np.nan)
        full[self.agenda] = text
        return full


def table(
    cast: Cast,
    state: State,
    params: ModelParams,
    seats: Seats,
    at_table: np.ndarray,
    objectors: np.ndarray | None = None,
) -> Table:
    """The agenda columns of the state, and who is where: what the rule sees."""
    agenda = seats.agenda
    return Table(
        positions=state.positions[:, agenda],
        salience=state.salience[:, agenda],
        capability=state.capability,
        reservation=state.reservation,
        present=at_table,
        drafting=at_table & cast.drafts,
        conveners=cast.mask(seats.conveners),
        objectors=np.zeros_like(at_table) if objectors is None else objectors,
        params=params,
        actor_names=cast.actor_names,
        issue_ids=tuple(cast.issue_ids[j] for j in agenda),
        patron=cast.patron,
    )
