"""What a round may read and write of a run, as a structural type (no import of the model).

The round functions (``sim.rounds``), the coalition check and the agents are typed against this
``Protocol`` rather than against ``NegotiationModel``, so nothing below the model imports the
model class, not even for type checking, and the import graph of ``sim/`` has no cycle. It also
lists, in one place, every member of the run a round touches: the arrays and ids of the state,
the parameters, the rule, the random streams and the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np

from .protocols import Protocol as Rule
from .runlog import Event
from .scenario import ModelParams
from .streams import Streams


class RunContext(Protocol):
    """The state of a run as a round sees it (``NegotiationModel`` is one)."""

    params: ModelParams
    protocol: Rule
    narrate: bool
    streams: Streams
    actor_ids: tuple[str, ...]
    actor_names: tuple[str, ...]
    issue_ids: tuple[str, ...]
    issue_index: dict[str, int]
    issue_names: dict[str, str]
    positions: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    concession: np.ndarray
    reservation: np.ndarray
    patron: np.ndarray
    # What each actor's role lets it do (``ROLE_BEHAVIOUR``), one flag per actor.
    drafts: np.ndarray
    consents: np.ndarray
    moves: np.ndarray
    may_walk_out: np.ndarray
    guarantees: np.ndarray

    @property
    def n_actors(self) -> int: ...

    @property
    def n_issues(self) -> int: ...

    def indices(self, actor_ids: Iterable[str]) -> np.ndarray: ...

    def issue_indices(self, issue_ids: Iterable[str]) -> np.ndarray: ...

    def negotiator(self, index: int) -> Any:
        """A ``sim.agents.Negotiator`` (typed loosely: the agents module imports this one)."""

    def names(self, indices: Sequence[int] | np.ndarray) -> str: ...

    def log(self, event: Event) -> None: ...

    def record_round_state(self, utility: np.ndarray) -> None: ...
