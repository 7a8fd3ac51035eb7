"""The recorded history: loaded, checked against the scenario, and compared with a run.

This is the only module that reads the record (``calibration/history.yaml``). The model never
sees it: a simulated outcome cannot be copied from the history it is judged against.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FsPath

from pydantic import ValidationError

from .observables import Observables
from .scenario import Scenario, ScenarioError
from .scenario.errors import Problem
from .scenario.loader import validation_problems
from .scenario.located import load_located
from .scenario.schema import Date, Frozen, Identifier, Text


class RecordedEvent(Frozen):
    """What the record says of one scheduled round; every fact optional, every fact sourced."""

    round: Identifier
    took_place: bool = True
    actual_date: Date | None = None  # the range and strictness of scenario dates
    delay_days: int | None = None
    attended: list[Identifier] | None = None
    stayed_away: list[Identifier] | None = None
    walked_out: list[Identifier] | None = None
    agreed: dict[Identifier, bool] = {}
    signed_by: list[Identifier] | None = None
    single_delegation: bool | None = None
    summary: str = ""
    sources: dict[str, Text] = {}

    def observables(self) -> Observables:
        return Observables(
            round_id=self.round,
            date=self.actual_date,
            delay_days=self.delay_days,
            attended=None if self.attended is None else frozenset(self.attended),
            walked_out=None if self.walked_out is None else frozenset(self.walked_out),
            agreed=tuple(self.agreed.items()),
            single_delegation=self.single_delegation,
        )


class History(Frozen):
    description: str = ""
    events: list[RecordedEvent]

    def event(self, round_id: str) -> RecordedEvent | None:
        return next((e for e in self.events if e.round == round_id), None)


def load_history(path: str | FsPath, scenario: Scenario | None = None) -> History:
    """Read and validate the record; with a scenario, also check its ids against it."""
    located = load_located(FsPath(path), str(path))
    try:
        history = History.model_validate(located.data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(located, exc, History)) from None
    if scenario is not None:
        problems = _check_against(history, scenario, located)
        if problems:
            raise ScenarioError(problems)
    return history


def _check_against(history: History, scenario: Scenario, located) -> list[Problem]:
    problems = []
    rounds = {r.id: r for r in scenario.schedule}
    actors = set(scenario.actor_ids())
    first: dict[str, int] = {}
    for e, event in enumerate(history.events):
        if event.round in first:
            path = ("events", e, "round")
            problems.append(
                Problem(
                    located.where(path),
                    path,
                    f"expected one event per round; found {event.round!r} again "
                    f"(also events[{first[event.round]}])",
                )
            )
        first.setdefault(event.round, e)
        round_ = rounds.get(event.round)
        if round_ is None:
            # The record may cover more events than a (counterfactual) scenario keeps.
            continue
        for issue in event.agreed:
            if issue not in round_.agenda:
                path = ("events", e, "agreed", issue)
                problems.append(
                    Problem(
                        located.where(path),
                        path,
                        f"expected an agenda issue of round {round_.id!r} "
                        f"({', '.join(round_.agenda)}); found {issue!r}",
                    )
                )
        for field in ("attended", "stayed_away", "walked_out", "signed_by"):
            for k, ident in enumerate(getattr(event, field) or []):
                if ident not in actors:
                    path = ("events", e, field, k)
                    problems.append(
                        Problem(
                            located.where(path), path, f"expected a known actor id; found {ident!r}"
                        )
                    )
    return problems


@dataclass(frozen=True)
class RoundComparison:
    """How one simulated round matches the record, fact by fact (``None``: nothing to compare)."""

    round_id: str
    date_error_days: int | None
    attendance_matches: int
    attendance_known: int
    agreement_matches: int
    agreement_known: int
    single_delegation_match: bool | None

    @property
    def matches(self) -> int:
        return (
            self.attendance_matches
            + self.agreement_matches
            + int(bool(self.single_delegation_match))
        )

    @property
    def known(self) -> int:
        return (
            self.attendance_known
            + self.agreement_known
            + int(self.single_delegation_match is not None)
        )


def compare_round(
    simulated: Observables, recorded: Observables, invited: tuple[str, ...]
) -> RoundComparison:
    date_error = None
    if recorded.delay_days is not None and simulated.delay_days is not None:
        date_error = simulated.delay_days - recorded.delay_days
    att_match = att_known = 0
    if recorded.attended is not None and simulated.attended is not None:
        for actor in invited:
            att_known += 1
            att_match += (actor in recorded.attended) == (actor in simulated.attended)
    agr_match = agr_known = 0
    for issue, was_agreed in recorded.agreed:
        simulated_agreed = simulated.agreed_on(issue)
        if simulated_agreed is not None:
            agr_known += 1
            agr_match += simulated_agreed == was_agreed
    unified = None
    if recorded.single_delegation is not None and simulated.single_delegation is not None:
        unified = recorded.single_delegation == simulated.single_delegation
    return RoundComparison(
        simulated.round_id, date_error, att_match, att_known, agr_match, agr_known, unified
    )
