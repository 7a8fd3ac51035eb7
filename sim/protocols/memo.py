"""A rule's last few bargains, keyed on the numbers of the table they were struck at.

A rule is a deterministic function of its table (``base``), and within one round the engine
shows a rule the same numbers up to three times: the conveners' forecast for postponement, the
same forecast for attendance, and the talks when every invitee came. A rule whose bargain is
dear (``alternating_offers`` plays out a whole exchange of offers) keeps its last few answers
here rather than play the same exchange again. The memo lives on the rule instance, which a run
owns (``sim.protocols.protocol`` makes a fresh one per run): nothing is shared between runs.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from .base import Bargain, Table

_ARRAYS = (
    "positions",
    "salience",
    "capability",
    "reservation",
    "present",
    "drafting",
    "conveners",
    "objectors",
    "patron",
    "floor",
    "ceiling",
)


def table_key(table: Table) -> tuple:
    """Every number and name of the table, as a hashable key (two tables with equal keys are
    the same table to any rule). The parameters count by identity: a run holds one object."""
    arrays = tuple(
        None if value is None else (value.dtype.str, value.shape, value.tobytes())
        for value in (getattr(table, name) for name in _ARRAYS)
    )
    return arrays, id(table.params), table.actor_names, table.issue_ids


class Memo:
    """The last ``size`` bargains by table: a repeated table gets the stored bargain back."""

    def __init__(self, size: int = 4):
        self.size = size
        self._stored: OrderedDict[tuple, tuple[object, Bargain]] = OrderedDict()

    def bargain(self, table: Table, strike: Callable[[Table], Bargain]) -> Bargain:
        """``strike(table)``, or the bargain it gave at an identical table.

        Each caller gets its own copy of the text, so that no caller can change another's.
        """
        return self.recall(table_key(table), table.params, lambda: strike(table))

    def recall(self, key: tuple, params: object, strike: Callable[[], Bargain]) -> Bargain:
        """``strike()``, or the bargain stored under ``key`` with the same ``params`` (a rule
        may key a bargain on fewer numbers than the whole table: those its bargain reads)."""
        stored = self._stored.get(key)
        # The parameters object is kept with the entry, so its id cannot be reused meanwhile.
        if stored is None or stored[0] is not params:
            stored = (params, strike())
            self._stored[key] = stored
            if len(self._stored) > self.size:
                self._stored.popitem(last=False)
        else:
            self._stored.move_to_end(key)
        bargain = stored[1]
        return dataclasses.replace(bargain, text=np.array(bargain.text, copy=True))
