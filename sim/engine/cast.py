"""Who takes part in a run: ids, names and what each actor's role lets it do. Fixed for a run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..scenario import Scenario
from ..scenario.schema import ROLE_BEHAVIOUR


def read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class SideSeat:
    """A side as the engine reads it: its members (indices), its rule and its lead (or -1)."""

    id: str
    name: str
    members: np.ndarray
    rule: str
    lead: int


@dataclass(frozen=True, eq=False)
class Forums:
    """Per actor, what being at one track's table is worth, and whether it negotiates there."""

    value: np.ndarray  # (actors,)
    substance: np.ndarray  # bool (actors,)


@dataclass(frozen=True, eq=False)
class RedLines:
    """Per actor and issue, the bounds no clause may cross for the actor to accept it.

    ``floor`` is 0 and ``ceiling`` 100 where the actor declares no line (no bound at all).
    """

    floor: np.ndarray  # (actors, issues)
    ceiling: np.ndarray  # (actors, issues)

    def within(self, text: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Per actor and clause, whether ``text`` (one clause per issue of ``columns``) is on
        the actor's side of its line there."""
        clauses = text[None, :]
        return (clauses >= self.floor[:, columns]) & (clauses <= self.ceiling[:, columns])

    def crossed(self, i: int, j: int, clause: float) -> tuple[str, float]:
        """The bound of actor ``i``'s line on issue ``j`` that ``clause`` crosses, for words:
        ("at least", 85) for a clause below the floor, else ("at most", the ceiling)."""
        if clause < self.floor[i, j]:
            return "at least", float(self.floor[i, j])
        return "at most", float(self.ceiling[i, j])

    def hold(self, positions: np.ndarray) -> np.ndarray:
        """The positions (actors x issues), none past its actor's line: a line is where the
        actor stops moving."""
        return np.clip(positions, self.floor, self.ceiling)


@dataclass(frozen=True, eq=False)
class Cast:
    """The actors and issues of a run, in id order (the order of the file changes nothing)."""

    actor_ids: tuple[str, ...]
    actor_names: tuple[str, ...]
    issue_ids: tuple[str, ...]
    issue_names: dict[str, str]
    actor_index: dict[str, int]
    issue_index: dict[str, int]
    patron: np.ndarray  # (actors,) index of each actor's patron, -1 for none
    # One flag per actor from its role's row of the one role table (ROLE_BEHAVIOUR).
    drafts: np.ndarray
    consents: np.ndarray
    moves: np.ndarray
    may_walk_out: np.ndarray
    guarantees: np.ndarray
    sides: tuple[SideSeat, ...] = ()
    side: np.ndarray | None = None  # (actors,) index into ``sides``, -1 for none
    forums: dict[str, Forums] | None = None  # by track id; a track not here: value 0, substance
    red_lines: RedLines | None = None  # None when no actor declares one
    # Each round's seating, made once per run (``Seats.of``), by what defines it.
    seat_cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Cast:
        actors = sorted(scenario.actors, key=lambda a: a.id)
        actor_ids = tuple(a.id for a in actors)
        actor_index = {actor: i for i, actor in enumerate(actor_ids)}
        issue_ids = tuple(sorted(scenario.issue_ids()))
        roles = [ROLE_BEHAVIOUR[a.role] for a in actors]

        def flags(name: str) -> np.ndarray:
            return read_only(np.array([getattr(r, name) for r in roles], dtype=bool))

        return cls(
            actor_ids=actor_ids,
            actor_names=tuple(a.name for a in actors),
            issue_ids=issue_ids,
            issue_names={issue.id: issue.name for issue in scenario.issues},
            actor_index=actor_index,
            issue_index={issue: j for j, issue in enumerate(issue_ids)},
            patron=read_only(
                np.array([actor_index[a.patron] if a.patron else -1 for a in actors], dtype=int)
            ),
            drafts=flags("drafts"),
            consents=flags("consents"),
            moves=flags("moves"),
            may_walk_out=flags("may_walk_out"),
            guarantees=flags("guarantees"),
            **_sides(scenario, actor_index),
            forums=_forums(scenario, actors),
            red_lines=_red_lines(actors, issue_ids),
        )

    def within(self, text: np.ndarray, columns: np.ndarray) -> np.ndarray | None:
        """Which clauses of ``text`` are within each actor's red lines; None when none has one."""
        return None if self.red_lines is None else self.red_lines.within(text, columns)

    def forum(self, track: str) -> Forums:
        """The forum values of ``track`` (no value, full substance where none is declared)."""
        declared = (self.forums or {}).get(track)
        if declared is not None:
            return declared
        return Forums(np.zeros(self.n_actors), np.ones(self.n_actors, dtype=bool))

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    def indices(self, actor_ids: Iterable[str]) -> np.ndarray:
        return np.array([self.actor_index[a] for a in actor_ids], dtype=int)

    def issue_indices(self, issue_ids: Iterable[str]) -> np.ndarray:
        return np.array([self.issue_index[j] for j in issue_ids], dtype=int)

    def mask(self, indices: Sequence[int] | np.ndarray) -> np.ndarray:
        """A boolean row over all actors, true at ``indices``."""
        mask = np.zeros(self.n_actors, dtype=bool)
        mask[np.asarray(indices, dtype=int)] = True
        return mask

    def names(self, indices: Sequence[int] | np.ndarray) -> str:
        """'Russia, Turkey and Iran': for the narrative."""
        names = [self.actor_names[int(i)] for i in indices]
        if len(names) <= 1:
            return names[0] if names else "nobody"
        return ", ".join(names[:-1]) + " and " + names[-1]


def _sides(scenario: Scenario, actor_index: dict[str, int]) -> dict:
    side = np.full(len(actor_index), -1, dtype=int)
    seats = []
    for k, spec in enumerate(scenario.sides):
        members = np.array(sorted(actor_index[m] for m in spec.members), dtype=int)
        side[members] = k
        lead = actor_index[spec.lead] if spec.lead is not None else -1
        seats.append(SideSeat(spec.id, spec.name, read_only(members), spec.rule, lead))
    return {"sides": tuple(seats), "side": read_only(side)}


def _forums(scenario: Scenario, actors: Sequence) -> dict[str, Forums]:
    forums = {}
    for track in {t for a in actors for t in a.forums}:
        value = np.array([a.forums[track].value if track in a.forums else 0.0 for a in actors])
        substance = np.array(
            [a.forums[track].substance if track in a.forums else True for a in actors], dtype=bool
        )
        forums[track] = Forums(read_only(value), read_only(substance))
    return forums


def _red_lines(actors: Sequence, issue_ids: Sequence[str]) -> RedLines | None:
    if not any(a.red_lines for a in actors):
        return None
    floor = np.zeros((len(actors), len(issue_ids)))
    ceiling = np.full((len(actors), len(issue_ids)), 100.0)
    for i, actor in enumerate(actors):
        for j, issue in enumerate(issue_ids):
            line = actor.red_lines.get(issue)
            if line is not None and line.at_least is not None:
                floor[i, j] = line.at_least
            if line is not None and line.at_most is not None:
                ceiling[i, j] = line.at_most
    return RedLines(read_only(floor), read_only(ceiling))
