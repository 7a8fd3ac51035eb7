"""The interface every bargaining rule implements, and the table it sees.

A rule answers one question: given who is at the table and what they want, which text comes out
of the room? Everything around that question (who comes, who walks out, who signs, how positions
drift between rounds) is shared by all rules and lives in ``sim/engine/``, so that comparing two
rules compares only the bargaining.

A rule is a deterministic function of the table: the model's randomness enters through
attendance, postponement and the moves between rounds, never through the rule. That keeps each
rule checkable against a published result computed by hand or by someone else's code.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import numpy as np

from ..behaviour import accepts, clause_utility, mean_of
from ..rule_params import RuleParams
from ..scenario import ModelParams


@dataclass(frozen=True)
class Table:
    """One round's table, restricted to the agenda issues (columns) of the model's arrays.

    Masks are over all actors (rows), in the model's id order, so that a rule that breaks a tie
    by index breaks it the same way whatever the order of the scenario file.
    """

    positions: np.ndarray  # (actors, agenda issues), 0-100
    salience: np.ndarray  # (actors, agenda issues), 0-1
    capability: np.ndarray  # (actors,), 0-1
    reservation: np.ndarray  # (actors,), 0-1: the worth of walking away
    present: np.ndarray  # bool (actors,): at the table
    drafting: np.ndarray  # bool (actors,): present and not observers; they shape the text
    conveners: np.ndarray  # bool (actors,)
    objectors: np.ndarray  # bool (actors,): required signatories at the table, who are heard
    params: ModelParams
    actor_names: tuple[str, ...] = ()
    issue_ids: tuple[str, ...] = ()
    patron: np.ndarray | None = None  # (actors,) index of each actor's patron, -1 for none
    floor: np.ndarray | None = None  # (actors, agenda issues): red lines, None for none declared
    ceiling: np.ndarray | None = None  # (actors, agenda issues)

    def utility(self, text: np.ndarray) -> np.ndarray:
        """Each clause's worth to each actor (actors x agenda issues)."""
        return clause_utility(self.positions, self.salience, text)

    def accepts(self, text: np.ndarray) -> np.ndarray:
        """Who accepts which clause (actors x agenda issues): worth at least walking away, and
        on the actor's side of its red line there."""
        accepted = accepts(self.utility(text), self.reservation)
        if self.floor is not None:
            accepted &= (text[None, :] >= self.floor) & (text[None, :] <= self.ceiling)
        return accepted

    def worth(self, text: np.ndarray) -> np.ndarray:
        """The whole text's worth to each actor: the mean worth of its clauses."""
        return mean_of(self.utility(text), axis=1)

    def patron_at_table(self, who: int) -> int | None:
        """The actor's patron, if it has one at the table as a party (observers only watch)."""
        if self.patron is None or self.patron[who] < 0 or self.patron[who] == who:
            return None
        patron = int(self.patron[who])
        return patron if self.drafting[patron] else None

    def fallback(self) -> np.ndarray:
        """The plain mean of those drafting (or, failing any, of those present)."""
        around = self.drafting if self.drafting.any() else self.present
        if not around.any():
            around = np.ones_like(self.present)
        return mean_of(self.positions[around], axis=0)

    def name(self, index: int) -> str:
        """An actor's name for the narrative ('actor 3' when the table carries no names)."""
        return self.actor_names[index] if self.actor_names else f"actor {index}"

    def names(self, indices: Sequence[int] | np.ndarray) -> str:
        """'Russia, Turkey and Iran': for the narrative."""
        names = [self.name(int(i)) for i in indices]
        if len(names) <= 1:
            return names[0] if names else "nobody"
        return ", ".join(names[:-1]) + " and " + names[-1]

    def describe(self, text: np.ndarray) -> str:
        """'transition 50, ceasefire 80': a text in words."""
        # Python floats format as numpy's do, several times faster (bargains describe every draft)
        values = np.asarray(text, dtype=float).tolist()
        return ", ".join(
            f"{issue} {x:.0f}" for issue, x in zip(self.issue_ids, values, strict=True)
        )


@dataclass(frozen=True)
class Step:
    """One move of the bargaining (a draft, an offer, a concession), in words or in numbers.

    A rule whose bargain takes many moves records each move's ``numbers`` (the form of its
    sentence first, then the actors' indices, risks and texts as plain Python numbers) and leaves
    ``words`` empty: the narrator tells them (``sim.narrator.bargains``) only when a run is
    narrated, so that ``narrate=False`` pays nothing for sentences.
    """

    kind: str
    words: str = ""
    actor: int | None = None
    issue: str | None = None
    numbers: tuple = ()


@dataclass(frozen=True)
class Bargain:
    """What a rule produced: the text on the table at the end, and how it got there.

    ``positions`` is set only by rules whose theory says how the actors' positions move during
    the meeting (the expected-utility model's challenges); the model then takes those positions
    instead of its own concession and pressure steps.
    """

    text: np.ndarray
    steps: tuple[Step, ...] = field(default=())
    positions: np.ndarray | None = None


@dataclass(frozen=True)
class Classifier:
    """What a rule declares about itself, checked on random tables by tests/test_rule_contract.py.

    In the manner of the Axelrod library's strategy classifiers: a reader (or a sweep choosing
    rules) learns from these fields what the rule can and cannot respond to, and the contract
    test holds each rule to its word. "Changes nothing" means the same text, the same positions
    and the same steps (kind, actor, issue); the words of a step may still name the conveners.
    """

    deterministic: bool  # the same table always gives the same bargain
    moves_positions: bool  # returns the actors' positions after the meeting (Bargain.positions)
    parties: Literal["all", "two_sides"]  # who bargains: every drafter, or two principals
    uses_patrons: bool  # the text may depend on who is whose patron
    uses_conveners: bool  # the text may depend on who convenes


class Protocol(ABC):
    """A bargaining rule: one small class per theory, registered under the scenario's name."""

    params: ClassVar[type[RuleParams]]  # its own block of ``model:`` (sim.rule_params)
    name: ClassVar[str]  # params.rule: the name is written once, with the block
    citation: ClassVar[str]  # as docs/model.md states it, verbatim (a test checks)
    classifier: ClassVar[Classifier]

    @abstractmethod
    def negotiate(self, table: Table) -> Bargain:
        """Bargain at ``table``; return the final text and the steps that led to it."""

    def forecast(self, table: Table) -> np.ndarray:
        """The text the conveners expect before the round (for attendance and postponement).

        By default the whole bargain, played in the mind; a rule may foresee less.
        """
        return self.negotiate(table).text
