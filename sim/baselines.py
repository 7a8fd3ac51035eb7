"""Naive forecasts a model has to beat to be worth its complexity.

* ``nothing_agreed``: every invitee comes, nobody walks out, nothing is ever agreed, every round
  meets on its planned date. The forecast of a pessimist who has read the invitations.
* ``persistence``: every meeting repeats the recorded outcome of the previous meeting of its
  track (Astana after Astana, Geneva after Geneva). The first meeting of a track falls back on
  ``nothing_agreed``. This baseline reads the record of earlier rounds, which the model never
  does: it is a one-step-ahead forecast, and a demanding one.

What each baseline says of each fact is declared by the fact itself (``sim.facts``).
"""

from __future__ import annotations

from .facts import Forecast, repeat_last
from .facts import nothing_agreed as _nothing_agreed
from .history import History
from .scenario import Scenario
from .scoring import LENIENT, Score, score

NOTHING_AGREED = "baseline: nothing is ever agreed"
REPEAT_LAST = "baseline: repeat the last meeting"


def nothing_agreed(scenario: Scenario) -> Forecast:
    return _nothing_agreed(scenario)


def persistence(scenario: Scenario, history: History) -> Forecast:
    return repeat_last(scenario, history)


def baseline_scores(
    scenario: Scenario, history: History, coding: str = LENIENT
) -> list[tuple[str, Score]]:
    """Both baselines scored against the record under a coding, named as the reports name them.

    Under the strict coding "repeat the last meeting" repeats the last meeting as that coding
    reads it (a reaffirmation there forecasts nothing agreed here).
    """
    return [
        (NOTHING_AGREED, score(nothing_agreed(scenario), scenario, history, coding)),
        (REPEAT_LAST, score(persistence(scenario, history), scenario, history, coding)),
    ]
