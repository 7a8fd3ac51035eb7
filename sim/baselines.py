"""Naive forecasts a model has to beat to be worth its complexity.

* ``nothing_agreed``: every invitee comes, nobody walks out, nothing is ever agreed, every round
  meets on its planned date. The forecast of a pessimist who has read the invitations.
* ``persistence``: every meeting repeats the recorded outcome of the previous meeting of its
  track (Astana after Astana, Geneva after Geneva): who came and who walked out, what share of
  the agenda was agreed, how long it slipped. The first meeting of a track falls back on
  ``nothing_agreed``. This baseline reads the record of earlier rounds, which the model never
  does: it is a one-step-ahead forecast, and a demanding one.
"""

from __future__ import annotations

from .history import History, RecordedEvent
from .scenario import Round, Scenario
from .scoring import RoundForecast


def _invited(round_: Round) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*round_.conveners, *round_.invitees]))


def nothing_agreed(scenario: Scenario) -> list[RoundForecast]:
    return [_pessimist(round_) for round_ in scenario.schedule]


def _pessimist(round_: Round) -> RoundForecast:
    people = _invited(round_)
    unification = round_.format == "unification"
    return RoundForecast(
        round_id=round_.id,
        invited=people,
        attend=dict.fromkeys(people, 1.0),
        walk_out=dict.fromkeys(people, 0.0),
        agreed=dict.fromkeys(round_.agenda, 0.0),
        single_delegation=0.0 if unification else None,
        delays=(0,),
    )


def persistence(scenario: Scenario, history: History) -> list[RoundForecast]:
    forecasts = []
    previous: dict[str, RecordedEvent] = {}
    for round_ in scenario.schedule:
        last = previous.get(round_.track)
        forecasts.append(_pessimist(round_) if last is None else _repeat(round_, last))
        event = history.event(round_.id)
        if event is not None:
            previous[round_.track] = event
    return forecasts


def _repeat(round_: Round, last: RecordedEvent) -> RoundForecast:
    people = _invited(round_)
    came = set(last.attended) if last.attended is not None else set(people)
    left = set(last.walked_out or ())
    agreed_share = sum(last.agreed.values()) / len(last.agreed) if last.agreed else 0.0
    agreed = {
        issue: float(last.agreed[issue]) if issue in last.agreed else float(agreed_share >= 0.5)
        for issue in round_.agenda
    }
    unification = round_.format == "unification"
    return RoundForecast(
        round_id=round_.id,
        invited=people,
        # an actor the last meeting did not concern (neither came nor stayed away) is expected
        attend={a: float(a in came or a not in came | set(last.stayed_away or ())) for a in people},
        walk_out={a: float(a in left) for a in people},
        agreed=agreed,
        single_delegation=float(bool(last.single_delegation)) if unification else None,
        delays=(int(last.delay_days or 0),),
    )
