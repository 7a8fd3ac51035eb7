"""What a delegation played by people (a student group, an analyst) decides in a round.

The model decides for every actor by its vectorised rules; a ``Choices`` given for an actor
replaces the model's decision where it says something and leaves the rest to the model. This is
the one door through which a decision enters a run from outside: the live page's role-play and
any scripted what-if ("suppose the HNC had come") use it alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen_map(value: Mapping | None) -> Mapping:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class Choices:
    """One delegation's decisions for the round it plays; ``None`` or absent = the model's.

    ``accept`` and ``move`` are keyed by issue id: accept or reject that clause; the position
    (0-100) the delegation takes on that issue after the round.
    """

    attend: bool | None = None
    accept: Mapping[str, bool] = field(default_factory=dict)
    move: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "accept", _frozen_map(self.accept))
        object.__setattr__(self, "move", _frozen_map(self.move))
        for issue, value in self.move.items():
            if not 0.0 <= float(value) <= 100.0:
                raise ValueError(f"move on {issue}: expected a position in 0-100; found {value}")


NO_CHOICES: Mapping[str, Choices] = MappingProxyType({})
