"""The second case study (Colombia and the FARC-EP, 2012-2016): valid, sourced, and it runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import cli
from test_flagship import DERIVED_FROM, FACT_FIELDS

from sim.calibrate import load_spec
from sim.history import load_history
from sim.model import simulate
from sim.scenario import load_scenario, unsourced_numbers

CASE = Path(__file__).resolve().parent.parent / "scenarios" / "havana"
SCENARIO = CASE / "havana_2012.yaml"


@pytest.fixture(scope="module")
def havana():
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def history(havana):
    return load_history(havana.history_path, havana.scenario)


def test_it_validates_from_the_command_line():
    done = cli("validate", str(SCENARIO))
    assert done.returncode == 0, done.stderr
    assert "8 actors, 13 rounds, 5 shocks" in done.stdout


def test_every_number_carries_its_evidence(havana):
    scenario = havana.scenario
    assert unsourced_numbers(scenario) == []
    for actor in scenario.actors:
        for key, evidence in actor.sources.items():
            assert evidence.quote.strip() and evidence.rule.strip(), f"{actor.id}.{key}"
            if evidence.source == "judgement":
                assert evidence.confidence == "low", f"{actor.id}.{key}"
    for shock in scenario.shocks:
        assert shock.sources, shock.id
    for round_ in scenario.schedule:
        assert round_.sources, round_.id


def test_every_recorded_fact_has_a_source_and_every_round_a_record(havana, history):
    for event in history.events:
        stated = [f for f in FACT_FIELDS if getattr(event, f) not in (None, [])]
        stated += [f"agreed.{issue}" for issue in event.agreed]
        missing = [
            f for f in stated if f not in event.sources and DERIVED_FROM.get(f) not in event.sources
        ]
        assert not missing, f"{event.round}: no source for {missing}"
    for round_ in havana.scenario.schedule:
        event = history.event(round_.id)
        assert event is not None and set(event.agreed) == set(round_.agenda), round_.id


def test_the_fit_splits_the_record_by_date_and_covers_it(havana):
    spec = load_spec(CASE / "fit.yaml").spec
    dates = {r.id: r.planned_date for r in havana.scenario.schedule}
    assert set(spec.training) | set(spec.held_out) == set(dates)
    assert max(dates[r] for r in spec.training) < min(dates[r] for r in spec.held_out)


def test_one_seed_runs_every_round_and_the_plebiscite_fails(havana):
    log = simulate(havana.scenario, narrate=False)
    assert [o.round_id for o in log.rounds] == [r.id for r in havana.scenario.schedule]
    agreed = {o.round_id: set(o.agreed_issues) for o in log.rounds}
    assert agreed["havana_rural"] == {"rural_reform"}
    assert agreed["plebiscite"] == set()  # the No camp's walk-away value is above any text
    assert agreed["revised_agreement"] == set(havana.scenario.schedule[-2].agenda)
