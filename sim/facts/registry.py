"""The registered observables, in the order they are scored and written.

A new observable is one module defining a ``Fact`` subclass, plus one line here.
"""

from __future__ import annotations

from .agreed import Agreed
from .attended import Attended
from .base import Fact
from .delay_days import DelayDays
from .single_delegation import SingleDelegation
from .walked_out import WalkedOut

FACTS: tuple[Fact, ...] = (Attended(), WalkedOut(), Agreed(), SingleDelegation(), DelayDays())


def fact(name: str) -> Fact:
    for one in FACTS:
        if one.name == name:
            return one
    raise KeyError(name)
