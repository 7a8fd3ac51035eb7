"""Sentences from the engine's records: the narrative of a run, apart from its arithmetic.

The engine decides and records the numbers behind each decision (``sim.engine.record``); this
package alone turns them into ``Event`` lines a student can follow. A run made with
``narrate=False`` never calls it.
"""

from __future__ import annotations

from ..engine.record import DeadlineRecord, PostponementRecord, RoundRecord, Setup
from ..engine.state import ShockRecord
from ..runlog import Event
from .rounds import narrate_round
from .schedule import narrate_deadline, narrate_postponement, narrate_shock


def narrate(setup: Setup, records: list) -> list[Event]:
    """The events of ``records`` (one step's, or a whole run's), in order."""
    events: list[Event] = []
    for record in records:
        if isinstance(record, RoundRecord):
            events += narrate_round(setup, record)
        elif isinstance(record, PostponementRecord):
            events.append(narrate_postponement(setup, record))
        elif isinstance(record, DeadlineRecord):
            events.append(narrate_deadline(setup, record))
        elif isinstance(record, ShockRecord):
            events.append(narrate_shock(setup, record))
        else:  # pragma: no cover - a new record kind must be told here
            raise TypeError(f"no narration for {type(record).__name__}")
    return events


__all__ = ["narrate"]
