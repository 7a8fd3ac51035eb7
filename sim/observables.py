"""A run, and the record, as the same observable facts per round.

The model and the record speak different languages (arrays and events vs. sentences in news
reports). Both are reduced here to the facts a reader can check in the record: did the meeting
take place on its planned date, who came, who walked out, which agenda items were agreed, and,
for the opposition's unification meetings, whether a single delegation was formed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .runlog import RoundOutcome, RunLog
from .scenario import Scenario


@dataclass(frozen=True)
class Observables:
    """The checkable facts of one round; ``None`` is unknown (record) or not applicable."""

    round_id: str
    date: dt.date | None
    delay_days: int | None
    attended: frozenset[str] | None
    walked_out: frozenset[str] | None
    agreed: tuple[tuple[str, bool], ...]
    single_delegation: bool | None

    def agreed_on(self, issue: str) -> bool | None:
        return dict(self.agreed).get(issue)


def observe_round(outcome: RoundOutcome, round_format: str) -> Observables:
    agreed = tuple(zip(outcome.agenda, outcome.agreed, strict=True))
    unified = all(outcome.agreed) if round_format == "unification" else None
    return Observables(
        round_id=outcome.round_id,
        date=outcome.date,
        delay_days=outcome.delay_days,
        attended=frozenset(outcome.attended),
        walked_out=frozenset(outcome.walked_out),
        agreed=agreed,
        single_delegation=unified,
    )


def observe_run(log: RunLog, scenario: Scenario) -> list[Observables]:
    """One ``Observables`` per round of the run, in the order the rounds were played."""
    formats = {round_.id: round_.format for round_ in scenario.schedule}
    return [observe_round(outcome, formats[outcome.round_id]) for outcome in log.rounds]
