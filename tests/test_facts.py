"""The registry of facts: each observable hand-worked, the contract every one keeps, and the
promise that summary.json, rounds.csv and the loss count the same facts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import scenarios

from sim.facts import (
    FACTS,
    VARIANTS,
    contexts,
    forecast_runs,
    match_run,
    nothing_agreed,
    recorded_facts,
    repeat_last,
    run_values,
    scored_facts,
)
from sim.facts.base import NumberFact, YesNoFact
from sim.history import History, RecordedEvent, load_history
from sim.model import simulate
from sim.output import run_files
from sim.runlog import RoundOutcome
from sim.scenario import load_scenario
from sim.scoring import score_runs

DATA = Path(__file__).resolve().parent / "data"
D = dt.date(2017, 1, 10)


@pytest.fixture(scope="module")
def mini():
    loaded = load_scenario(DATA / "mini.yaml")
    return loaded.scenario, load_history(loaded.history_path, loaded.scenario)


def outcome(**changes) -> RoundOutcome:
    """Round r1 of the mini scenario as a run might end it: the rebels stayed away."""
    fields = dict(
        round_id="r1",
        planned_date=D,
        date=D + dt.timedelta(days=7),
        postponements=1,
        invited=("big", "ally", "gov", "reb", "envoy", "watcher"),
        attended=("big", "ally", "gov", "envoy", "watcher"),
        stayed_away=("reb",),
        walked_out=("gov",),
        agenda=("truce",),
        signatories=("big", "ally"),
        text=(70.0,),
        agreed=(True,),
        accepted_by=("big", "ally"),
        distance=(0.0,) * 6,
    )
    return RoundOutcome(**{**fields, **changes})


def by_name(name):
    return next(f for f in FACTS if f.name == name)


# --- each fact, by hand ----------------------------------------------------------------------


def test_attended_reads_the_run_and_the_record_and_skips_conveners(mini):
    scenario, _ = mini
    ctx = contexts(scenario)["r1"]
    fact = by_name("attended")
    assert fact.from_run(outcome(), ctx) == {
        "big": True, "ally": True, "gov": True, "reb": False, "envoy": True, "watcher": True
    }  # fmt: skip
    event = RecordedEvent(round="r1", attended=["big", "ally", "gov"])
    assert fact.from_record(event, ctx)["reb"] is False
    # without `attended`, `stayed_away` alone says who did not come
    assert fact.from_record(RecordedEvent(round="r1", stayed_away=["reb"]), ctx) == {"reb": False}
    assert fact.by_construction(ctx, "big") and not fact.by_construction(ctx, "gov")
    assert fact.loss((True, False, False, False), True) == pytest.approx(0.75**2)


def test_walked_out_never_scores_conveners_or_roles_that_stay(mini):
    scenario, _ = mini
    ctx = contexts(scenario)["r1"]
    fact = by_name("walked_out")
    assert fact.from_run(outcome(), ctx)["gov"] is True
    assert fact.from_record(RecordedEvent(round="r1"), ctx) == {}
    assert fact.from_record(RecordedEvent(round="r1", walked_out=[]), ctx)["gov"] is False
    # conveners, the mediator and the observer (their roles may not walk out)
    by_role = [a for a in ctx.invited if fact.by_construction(ctx, a)]
    assert by_role == ["big", "ally", "envoy", "watcher"]


def test_agreed_reads_only_agenda_issues(mini):
    scenario, _ = mini
    ctx = contexts(scenario)["r1"]
    fact = by_name("agreed")
    assert fact.from_run(outcome(), ctx) == {"truce": True}
    assert fact.from_record(RecordedEvent(round="r1", agreed={"truce": False}), ctx) == {
        "truce": False
    }
    assert fact.matches(True, False) is False


def test_single_delegation_exists_only_at_unification_meetings(mini):
    scenario, _ = mini
    ctx = contexts(scenario)["r1"]  # proximity talks
    fact = by_name("single_delegation")
    assert fact.keys(ctx) == ()
    assert fact.from_run(outcome(), ctx) == {}
    unification = ctx.spec.model_copy(update={"format": "unification"})
    uctx = type(ctx)(scenario, unification)
    assert fact.from_run(outcome(agreed=(True,)), uctx) == {"": True}
    assert fact.from_record(RecordedEvent(round="r1", single_delegation=False), uctx) == {"": False}


def test_delay_loss_is_capped_and_scaled_and_a_week_matches(mini):
    scenario, _ = mini
    ctx = contexts(scenario)["r1"]
    fact = by_name("delay_days")
    assert fact.from_run(outcome(), ctx) == {"": 7}
    assert fact.loss((0, 15, 90), 0) == pytest.approx((0 + 0.5 + 1) / 3)
    assert fact.point((0, 15, 90)) == 15.0
    assert fact.matches(7, 0) and not fact.matches(8, 0)
    # never by construction, not even where the model cannot postpone: the facts scored must
    # not depend on a parameter a fit may vary
    frozen = scenario.model_copy(
        update={"model": scenario.model.model_copy(update={"max_postponements": 0})}
    )
    assert not fact.by_construction(contexts(frozen)["r1"], "")


def _with_deadline(ctx, extensions=2, days=3):
    deadline = {"extensions": extensions, "extension_days": days}
    spec = ctx.spec.model_validate({**ctx.spec.model_dump(), "deadline": deadline})
    return type(ctx)(ctx.scenario, spec)


def test_length_counts_from_the_opening_to_the_last_day_and_a_day_matches(mini):
    scenario, _ = mini
    ctx = _with_deadline(contexts(scenario)["r1"])  # r1: planned 2 days
    fact = by_name("length_days")
    opened = D + dt.timedelta(days=7)
    # two extensions of 3 days: 2 + 3 + 3 = 8 days, 17 to 24 January
    run = outcome(extensions=2, end_date=opened + dt.timedelta(days=7))
    assert fact.from_run(run, ctx) == {"": 8}
    assert fact.from_run(outcome(), ctx) == {"": 2}  # no end date: the planned length
    event = RecordedEvent(round="r1", actual_date=D, ended=D + dt.timedelta(days=8))
    assert fact.from_record(event, ctx) == {"": 9}
    assert fact.from_record(RecordedEvent(round="r1", ended=D), ctx) == {}  # no opening
    assert fact.loss((8, 2), 9) == pytest.approx((1 / 30 + 7 / 30) / 2)
    assert fact.matches(8, 9) and not fact.matches(7, 9)
    assert fact.nothing_agreed(ctx) == {"": 2}
    # the last meeting ran 9 days of its planned 2: this one is forecast 2 + 7
    assert fact.repeat_last(ctx, event) == {"": 9}
    assert not fact.by_construction(ctx, "")
    assert fact.by_construction(contexts(scenario)["r1"], "")  # no deadline: fixed length
    assert fact.by_construction(_with_deadline(contexts(scenario)["r1"], extensions=0), "")


def test_extensions_count_exactly_and_one_off_is_a_wrong_answer(mini):
    scenario, _ = mini
    ctx = _with_deadline(contexts(scenario)["r1"])
    fact = by_name("extensions")
    assert fact.from_run(outcome(extensions=1), ctx) == {"": 1}
    assert fact.from_record(RecordedEvent(round="r1", extensions=2), ctx) == {"": 2}
    assert fact.from_record(RecordedEvent(round="r1"), ctx) == {}
    assert fact.loss((0, 1, 2, 5), 2) == pytest.approx((1 + 1 + 0 + 1) / 4)
    assert fact.point((0, 1, 2, 5)) == 1.5
    assert fact.matches(2, 2) and not fact.matches(1, 2)
    assert fact.repeat_last(ctx, RecordedEvent(round="r1", extensions=3)) == {"": 3}
    assert fact.by_construction(contexts(scenario)["r1"], "")


def test_length_and_extensions_are_scored_only_where_the_model_can_extend(mini):
    scenario, _ = mini
    event = RecordedEvent(round="r1", actual_date=D, ended=D, extensions=0)
    history = History(events=[event])
    reasons = {f.fact.name: f.unscored for f in recorded_facts(scenario, history)}
    assert "no deadline" in reasons["length_days"] and "no deadline" in reasons["extensions"]
    schedule = [
        s.model_validate({**s.model_dump(), "deadline": {"extensions": 1, "extension_days": 2}})
        if s.id == "r1"
        else s
        for s in scenario.schedule
    ]
    extendable = scenario.model_copy(update={"schedule": schedule})
    scored = {f.fact.name for f in scored_facts(extendable, history)}
    assert {"length_days", "extensions"} <= scored


# --- the contract every registered fact keeps ------------------------------------------------


@pytest.mark.parametrize("fact", (*FACTS, *VARIANTS), ids=[f.name for f in (*FACTS, *VARIANTS)])
class TestFactContract:
    def test_is_one_of_the_two_kinds_with_its_own_columns(self, fact):
        assert isinstance(fact, YesNoFact | NumberFact)
        assert fact.match_column == f"match_{fact.name}"
        assert all(c.startswith("recorded_") for c in fact.recorded_columns())

    def test_run_record_and_baselines_speak_of_the_same_keys(self, fact, mini):
        scenario, history = mini
        log = simulate(scenario, 3, narrate=False)
        for out in log.rounds:
            ctx = contexts(scenario)[out.round_id]
            keys = set(fact.keys(ctx))
            assert set(fact.from_run(out, ctx)) == keys
            assert set(fact.nothing_agreed(ctx)) == keys
            event = history.event(out.round_id)
            if event is not None:
                assert set(fact.from_record(event, ctx)) <= keys
                assert set(fact.repeat_last(ctx, event)) == keys
                assert set(fact.recorded_cells(event, ctx)) == set(fact.recorded_columns())

    def test_a_perfect_forecast_loses_nothing_and_a_wrong_one_loses(self, fact):
        right, wrong = (True, False) if isinstance(fact, YesNoFact) else (3, 60)
        assert fact.loss((right,), right) == 0.0 and fact.matches(right, right)
        assert fact.loss((wrong,), right) == 1.0 and not fact.matches(wrong, right)


def test_baselines_forecast_every_fact_a_run_has(mini):
    scenario, history = mini
    run = set(run_values(simulate(scenario, 1, narrate=False), scenario))
    assert set(nothing_agreed(scenario)) == run
    assert set(repeat_last(scenario, history)) == run


# --- one set of facts for summary.json, rounds.csv and the loss ------------------------------


def test_summary_csv_and_loss_count_the_same_facts(mini):
    scenario, history = mini
    log = simulate(scenario, 5, narrate=False)
    files = run_files(log, scenario, history, b"", figures=False)
    summary = json.loads(files["summary.json"])["history"]
    loss = score_runs([log], scenario, history)
    assert summary["facts_compared"] == len(loss.facts) == len(scored_facts(scenario, history))
    wrong = sum(f.loss > 0 for f in loss.facts if f.observable != "delay_days")
    matches = match_run(log, scenario, history)
    delays_missed = sum(
        not by_name("delay_days").matches(run_values(log, scenario)[f.id], f.recorded)
        for f in scored_facts(scenario, history)
        if f.fact.name == "delay_days"
    )
    assert summary["facts_compared"] - summary["facts_matched"] == wrong + delays_missed
    assert sum(m.compared for m in matches.values() if m) == summary["facts_compared"]
    # rounds.csv's match cells add up to the same count
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(files["rounds.csv"].decode())))
    cells = [row[f.match_column] for row in rows for f in FACTS if row[f.match_column]]
    assert sum(int(c.split("/")[1]) for c in cells) == summary["facts_compared"]


def test_facts_true_by_construction_or_of_rounds_not_held_are_not_scored(mini):
    scenario, _ = mini
    history = History(
        events=[
            RecordedEvent(round="r1", attended=["big", "ally", "gov"], walked_out=[]),
            RecordedEvent(round="r2", took_place=False),
        ]
    )
    reasons = {(f.fact.name, f.key): f.unscored for f in recorded_facts(scenario, history)}
    assert reasons[("attended", "big")] == "it holds by construction in the model"
    assert reasons[("walked_out", "watcher")] == "it holds by construction in the model"
    assert reasons[("attended", "reb")] is None
    scored = {(f.fact.name, f.key) for f in scored_facts(scenario, history)}
    assert ("attended", "big") not in scored and ("attended", "gov") in scored


def test_an_ensemble_forecast_holds_one_value_per_run(mini):
    scenario, _ = mini
    logs = [simulate(scenario, s, narrate=False) for s in (1, 2, 3)]
    forecast = forecast_runs(logs, scenario)
    assert all(len(values) == 3 for values in forecast.values())


def test_the_documented_new_observable_is_one_file_and_one_line(mini, monkeypatch):
    """docs/calibration.md's example: a `signed` fact, registered, is read, scored and written."""
    import re

    import sim.facts.compare as compare
    from sim.output.tables import rounds_csv

    page = (Path(__file__).resolve().parent.parent / "docs" / "calibration.md").read_text()
    [block] = [b for b in re.findall(r"```python\n(.*?)```", page, flags=re.S) if "Signed" in b]
    namespace: dict = {}
    exec(compile(block, "docs/calibration.md", "exec"), namespace)
    signed = namespace["Signed"]()
    scenario, _ = mini
    extended = (*FACTS, signed)
    monkeypatch.setattr(compare, "FACTS", extended)
    monkeypatch.setattr("sim.output.tables.FACTS", extended)
    history = History(events=[RecordedEvent(round="r1", signed_by=["big", "ally"])])
    log = simulate(scenario, 5, narrate=False)
    scored = [f for f in score_runs([log], scenario, history).facts if f.observable == "signed"]
    assert len(scored) == 6  # every invitee of r1
    assert "match_signed" in rounds_csv(log, scenario, history).splitlines()[0]


def _record_of(log, scenario, keep) -> History:
    """A record written from a run, each fact kept or left out as ``keep`` draws."""
    formats = {spec.id: spec.format for spec in scenario.schedule}
    events = []
    for out in log.rounds:
        facts = {
            "attended": list(out.attended),
            "walked_out": list(out.walked_out),
            "agreed": dict(zip(out.agenda, out.agreed, strict=True)),
            "delay_days": out.delay_days,
        }
        if formats[out.round_id] == "unification":
            facts["single_delegation"] = all(out.agreed)
        events.append(
            RecordedEvent(round=out.round_id, **{k: v for k, v in facts.items() if keep()})
        )
    return History(events=events)


@given(scenarios(max_actors=5, max_rounds=4), st.integers(0, 2**32), st.randoms())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_run_matches_a_record_written_from_it_fact_for_fact(scenario, seed, random):
    log = simulate(scenario, seed, narrate=False)
    history = _record_of(log, scenario, lambda: random.random() < 0.7)
    loss = score_runs([log], scenario, history)
    summary = json.loads(run_files(log, scenario, history, b"", figures=False)["summary.json"])
    assert summary["history"]["facts_compared"] == len(loss.facts)
    assert len(loss.facts) == len(scored_facts(scenario, history))
    assert summary["history"]["facts_matched"] == len(loss.facts)
    assert all(f.loss == 0.0 for f in loss.facts)
