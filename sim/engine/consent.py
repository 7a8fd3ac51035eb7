"""Who must consent to a clause, and when the consent is given.

The consent set of a round (``signatories``) is, by default, every invited actor whose role
consents, present or not: a party that stays away, or walks out, blocks what it would have had
to carry out. The same set is used when the conveners judge whether to meet and when a clause is
agreed. Actors grouped into a side consent as one unit (two-level bargaining, Putnam 1988): the
side accepts a clause by its rule over its members' own acceptance,

    lead:       accept_Sj = present_L and accept_Lj
    majority:   accept_Sj = sum_m c_m [present_m and accept_mj] > 1/2 sum_m c_m
    unanimity:  accept_Sj = all_m (present_m and accept_mj)

over the side's members in the consent set (L its lead, or its strongest member when the lead
is not among them). An actor on no side is a unit of one. A clause is agreed when every unit
accepts it. In a package round each actor accepts the agenda whole or not at all, by the worth
of the whole text, W_i = (1/|A|) sum_j u_ij >= r_i, so a clause it dislikes can be carried by
one it cares about more (logrolling). A red line is not traded: a clause beyond an actor's line
is refused whatever it is worth, and so is any package that carries it,

    clause by clause:  a_ij = [u_ij >= r_i] and [x_j within i's line on j]
    package:           a_ij = [W_i >= r_i] and [every clause within i's lines]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cast import Cast


@dataclass(frozen=True, eq=False)
class Unit:
    """Actors who consent as one: a side's members in the consent set, or one actor alone."""

    members: np.ndarray
    rule: str  # lead, majority or unanimity ("lead" for an actor alone)
    lead: int
    side: str | None = None  # the side's name, None for an actor alone


def units(cast: Cast, required: np.ndarray, capability: np.ndarray) -> tuple[Unit, ...]:
    """The consenting units of a consent set, in the order of the set's first members."""
    made: list[Unit] = []
    seen: set[int] = set()
    for i in required:
        k = -1 if cast.side is None else int(cast.side[i])
        if k < 0:
            made.append(Unit(np.array([i]), "lead", int(i)))
            continue
        if k in seen:
            continue
        seen.add(k)
        side = cast.sides[k]
        members = required[cast.side[required] == k]
        lead = side.lead if side.lead in members else int(members[np.argmax(capability[members])])
        made.append(Unit(members, side.rule, lead, side.name))
    return tuple(made)


def unit_accepts(
    unit: Unit, accepted: np.ndarray, present: np.ndarray, capability: np.ndarray
) -> np.ndarray:
    """Per clause, whether the unit consents (``accepted`` is actors x clauses)."""
    says = accepted[unit.members] & present[unit.members, None]
    if unit.rule == "lead":
        return says[list(unit.members).index(unit.lead)]
    if unit.rule == "unanimity":
        return says.all(axis=0)
    weight = capability[unit.members]
    if weight.sum() <= 0:
        weight = np.ones_like(weight)
    return (weight[:, None] * says).sum(axis=0) > 0.5 * weight.sum()


def agreed(
    cast: Cast,
    required: np.ndarray,
    accepted: np.ndarray,
    present: np.ndarray,
    capability: np.ndarray,
) -> np.ndarray:
    """Per clause: every unit of the consent set consents (nothing is agreed without one).

    The actors on no side are units of one, taken together in one step (each must be present and
    accept); only the sides are taken unit by unit, by their rules.
    """
    clauses = accepted.shape[1]
    if not required.size:
        return np.zeros(clauses, dtype=bool)
    on_side = np.zeros(required.size, dtype=bool) if cast.side is None else cast.side[required] >= 0
    alone = required[~on_side]
    result = (accepted[alone] & present[alone, None]).all(axis=0)
    for unit in units(cast, required[on_side], capability):
        result &= unit_accepts(unit, accepted, present, capability)
    return result


def acceptance(
    utility: np.ndarray,
    reservation: np.ndarray,
    package: bool,
    substance: np.ndarray,
    within: np.ndarray | None = None,
) -> np.ndarray:
    """Who accepts which clause (actors x clauses): clause by clause, or the package whole.

    An actor that refuses to negotiate substance at this forum accepts nothing; ``within``
    (actors x clauses, None for no red lines) says which clauses are on each actor's side of
    its lines.
    """
    if package:
        whole = utility.mean(axis=1) >= reservation
        if within is not None:
            whole &= within.all(axis=1)
        accepted = np.repeat(whole[:, None], utility.shape[1], axis=1)
    else:
        accepted = utility >= reservation[:, None]
        if within is not None:
            accepted &= within
    return accepted & substance[:, None]
