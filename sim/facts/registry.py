"""The registered observables, in the order they are scored and written, and the codings.

A new observable is one module defining a ``Fact`` subclass, plus one line here. A *coding* of the
record is a reading of what counts: ``lenient`` (the default, ``FACTS`` as they are) or
``strict``, where each variant of ``VARIANTS`` whose ``coding`` is ``strict`` takes the place of
the fact it ``replaces``. A new variant is likewise one module and one line.
"""

from __future__ import annotations

from .agreed import Agreed
from .agreed_strict import AgreedStrict
from .attended import Attended
from .base import Fact
from .delay_days import DelayDays
from .extensions import Extensions
from .length_days import LengthDays
from .single_delegation import SingleDelegation
from .walked_out import WalkedOut

FACTS: tuple[Fact, ...] = (
    Attended(),
    WalkedOut(),
    Agreed(),
    SingleDelegation(),
    DelayDays(),
    LengthDays(),
    Extensions(),
)
VARIANTS: tuple[Fact, ...] = (AgreedStrict(),)
CODINGS: dict[str, str] = {
    "lenient": "a text that only reaffirmed earlier texts counts as agreed",
    "strict": "a reaffirmation is not an agreement: only substantive texts count as agreed",
}
LENIENT = "lenient"


def fact(name: str) -> Fact:
    for one in (*FACTS, *VARIANTS):
        if one.name == name:
            return one
    raise KeyError(name)
