"""The numbers of a run that change: positions, saliences and the actors' scalars, as arrays.

A ``State`` is never changed in place: a round or a shock returns a new one. That is what makes
"the state the actor brought to the round" a value a round can hold on to (and the live page can
step, preview and go back) rather than a fact that holds only because of call order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import numpy as np

from ..scenario import Change, Scenario, Shock
from .cast import Cast


@dataclass(frozen=True, eq=False)
class AgreedText:
    """What a round left to be ratified: its final text and which clauses it agreed."""

    text: np.ndarray  # (issues,), NaN off the round's agenda
    agreed: np.ndarray  # bool (issues,)
    ended: dt.date | None = None  # the round's last day: its text is final the day after


@dataclass(frozen=True, eq=False)
class State:
    """Arrays (actors x issues, or actors) in the cast's id order."""

    positions: np.ndarray  # 0-100
    salience: np.ndarray  # 0-1
    capability: np.ndarray  # 0-1
    concession: np.ndarray  # the actor's concession rate
    reservation: np.ndarray  # 0-1: the worth of walking away
    # The texts of the rounds played that a later round ratifies, by round id.
    agreed_texts: Mapping[str, AgreedText] = dataclass_field(default_factory=dict)

    @classmethod
    def initial(cls, scenario: Scenario, cast: Cast) -> State:
        actors = {a.id: a for a in scenario.actors}
        ordered = [actors[i] for i in cast.actor_ids]
        return cls(
            positions=np.array(
                [[a.positions[j] for j in cast.issue_ids] for a in ordered], dtype=float
            ),
            salience=np.array([[a.salience[j] for j in cast.issue_ids] for a in ordered], float),
            capability=np.array([a.capability for a in ordered], dtype=float),
            concession=np.array([a.concession_rate for a in ordered], dtype=float),
            reservation=np.array([a.reservation for a in ordered], dtype=float),
        )

    def replace(self, **arrays: np.ndarray) -> State:
        return dataclasses.replace(self, **arrays)


@dataclass(frozen=True)
class ShockChange:
    """One number a shock changed: ``field`` of ``actor`` (on ``issue``), now ``value``."""

    actor: str
    field: str  # capability, concession_rate, reservation, position, salience
    value: float
    issue: str | None = None


@dataclass(frozen=True)
class ShockRecord:
    shock: Shock
    changes: tuple[ShockChange, ...]


_SCALARS = (("capability", "capability"), ("concession_rate", "concession"))


def apply_shock(state: State, cast: Cast, shock: Shock) -> tuple[State, ShockRecord]:
    """The state after ``shock``, and what it changed (each value clipped to its scale)."""
    arrays = {
        name: getattr(state, name).copy()
        for name in ("positions", "salience", "capability", "concession", "reservation")
    }
    changes: list[ShockChange] = []
    for effect in shock.effects:
        i = cast.actor_index[effect.actor]
        for name, key in (*_SCALARS, ("reservation", "reservation")):
            change: Change | None = getattr(effect, name)
            if change is not None:
                arrays[key][i] = np.clip(change.apply(float(arrays[key][i])), 0.0, 1.0)
                changes.append(ShockChange(effect.actor, name, float(arrays[key][i])))
        for field, key, top in (("positions", "positions", 100.0), ("salience", "salience", 1.0)):
            for issue, change in getattr(effect, field).items():
                j = cast.issue_index[issue]
                arrays[key][i, j] = np.clip(change.apply(float(arrays[key][i, j])), 0.0, top)
                if field == "positions":
                    arrays[key][i, j] = _held(cast, i, j, arrays[key][i, j])
                kind = "position" if field == "positions" else "salience"
                changes.append(ShockChange(effect.actor, kind, float(arrays[key][i, j]), issue))
    return state.replace(**arrays), ShockRecord(shock, tuple(changes))


def _held(cast: Cast, i: int, j: int, position: float) -> float:
    """A shock moves a position up to the actor's red line, not past it (a shock that should
    move the line itself is a counterfactual that redraws it)."""
    lines = cast.red_lines
    if lines is None:
        return position
    return float(min(max(position, lines.floor[i, j]), lines.ceiling[i, j]))
