"""validate's advice, hand-worked on the mini scenario: warnings, never errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.advice import (
    advise,
    inconsistent_dates,
    never_attending,
    no_common_text,
    tolerance,
    tolerances,
    uncoded_agreements,
)
from sim.history import History, RecordedEvent
from sim.scenario import load_scenario

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(DATA / "mini.yaml").scenario


def with_actor(scenario, actor_id, **changes):
    actors = [a.model_copy(update=changes) if a.id == actor_id else a for a in scenario.actors]
    return scenario.model_copy(update={"actors": actors})


def test_tolerance_is_100_one_minus_r_over_s(mini):
    # gov: reservation 0.6, salience on power 1.0 -> 40 points
    assert tolerance(mini, "gov", "power") == pytest.approx(40.0)
    assert tolerances(mini) == []
    strict = with_actor(mini, "gov", reservation=0.995)
    [warning] = [w for w in tolerances(strict) if w.about == "actors.gov.salience.power"]
    assert "0.50 points" in warning.message


def test_no_common_text_when_the_signatories_tolerances_do_not_meet(mini):
    # r2 on power: gov at 5 accepts up to 45; reb at 95 with r .55, s .9 accepts from 45: they meet
    assert no_common_text(mini) == []
    apart = with_actor(mini, "gov", reservation=0.7)  # gov now accepts up to 35
    [warning] = no_common_text(apart)
    assert warning.about == "schedule.r2.agenda.power"
    assert "gov accepts at most 35.0, reb at least 45.0" in warning.message


def test_an_actor_whom_no_first_draft_can_bring_to_the_table(mini):
    assert never_attending(mini) == []
    far = {"truce": 0.0, "power": 100.0, "aid": 0.0}
    proud = with_actor(
        mini, "reb", reservation=0.95, positions=far, salience=dict.fromkeys(far, 1.0)
    )
    [warning] = never_attending(proud)
    assert warning.about == "actors.reb" and "can never attend" in warning.message


def test_recorded_facts_that_will_not_be_scored_are_named_with_why(mini):
    history = History(
        events=[
            RecordedEvent(round="r1", attended=["big", "gov"], signed_by=["big"]),
            RecordedEvent(round="r2", single_delegation=True, attended=["big"]),
        ]
    )
    said = [str(w) for w in advise(mini, history)]
    # the conveners big and ally at r1, envoy at r2
    assert "warning: history: attended: 3 recorded facts will not be scored: it holds by " in (
        "\n".join(said)
    )
    assert any(
        "attended: 1 recorded fact will not be scored: the actor is not invited" in w for w in said
    )
    assert any("signed_by" in w and "no registered fact reads it" in w for w in said)
    assert any("format is not unification" in w for w in said)


def test_a_recorded_delay_that_disagrees_with_the_recorded_date(mini):
    import datetime as dt

    fine = RecordedEvent(round="r2", actual_date=dt.date(2017, 2, 27), delay_days=7)
    off = RecordedEvent(round="r1", actual_date=dt.date(2017, 1, 12), delay_days=0)
    [warning] = inconsistent_dates(mini, History(events=[fine, off]))
    assert warning.about == "history: r1" and "2 days after the planned 2017-01-10" in (
        warning.message
    )


def test_an_agreement_the_record_does_not_code_is_named_for_the_strict_backtest():
    history = History(
        events=[
            RecordedEvent(
                round="r1",
                agreed={"truce": True, "aid": True, "power": False},
                agreed_text={"truce": "reaffirmation"},
            ),
            RecordedEvent(round="r2", agreed={"power": True}, agreed_text={"power": "substantive"}),
        ]
    )
    [warning] = uncoded_agreements(history)
    assert warning.about == "history: r1: agreed_text"
    assert "found none for aid: the strict coding will not score it" in warning.message
