"""Which round meets next: tracks run in parallel, each in its own order.

Within a track rounds keep their order and a round cannot start before the previous one ended;
across tracks, rounds are played in the order of the dates on which they actually meet, so a
slipping Geneva round does not hold up an Astana one.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field

from ..scenario import Round


@dataclass(order=True, frozen=True)
class Slot:
    """A round waiting to meet: on ``date``, after ``postponements`` slips."""

    date: dt.date
    index: int  # into the scenario's schedule: breaks ties by the file's order
    postponements: int = 0


@dataclass
class Schedule:
    """The rounds still to play: each track's queue, and a heap of each track's next round."""

    rounds: tuple[Round, ...]
    queues: dict[str, list[int]] = field(default_factory=dict)
    ready: list[Slot] = field(default_factory=list)

    @classmethod
    def of(cls, rounds: tuple[Round, ...]) -> Schedule:
        schedule = cls(rounds)
        for index, round_ in enumerate(rounds):
            schedule.queues.setdefault(round_.track, []).append(index)
        for queue in schedule.queues.values():
            schedule._enqueue(queue.pop(0), not_before=None)
        return schedule

    def __bool__(self) -> bool:
        return bool(self.ready)

    def pop(self) -> Slot:
        return heapq.heappop(self.ready)

    def postpone(self, slot: Slot, days: int) -> None:
        later = slot.date + dt.timedelta(days=days)
        heapq.heappush(self.ready, Slot(later, slot.index, slot.postponements + 1))

    def wait(self, slot: Slot, days: int) -> None:
        """Put the round off by ``days`` without counting a postponement (a ratification
        waiting for its text: the conveners did not decide it)."""
        later = slot.date + dt.timedelta(days=days)
        heapq.heappush(self.ready, Slot(later, slot.index, slot.postponements))

    def played(self, slot: Slot, last_day: dt.date) -> None:
        """The round of ``slot`` met until ``last_day``: queue its track's next round after."""
        spec = self.rounds[slot.index]
        queue = self.queues[spec.track]
        if queue:
            self._enqueue(queue.pop(0), not_before=last_day + dt.timedelta(days=1))

    def _enqueue(self, index: int, not_before: dt.date | None) -> None:
        planned = self.rounds[index].planned_date
        date = planned if not_before is None else max(planned, not_before)
        heapq.heappush(self.ready, Slot(date, index, 0))
