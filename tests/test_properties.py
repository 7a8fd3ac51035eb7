"""Invariants of the model, over randomly generated scenarios."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import scenarios

from sim import behaviour as b
from sim.model import simulate
from sim.output import run_files

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(scenarios())
def test_positions_stay_on_their_scale(scenario):
    log = simulate(scenario)
    positions = log.position_array()
    assert np.all(positions >= 0.0) and np.all(positions <= 100.0)
    assert all(np.all((s >= 0) & (s <= 1)) for s in log.salience)


@FAST
@given(scenarios())
def test_every_agreement_is_acceptable_to_every_signatory(scenario):
    log = simulate(scenario)
    for r, outcome in enumerate(log.rounds):
        present = set(outcome.attended) - set(outcome.walked_out)
        for k, issue in enumerate(outcome.agenda):
            if not outcome.agreed[k]:
                continue
            assert outcome.signatories, "an agreement needs signatories"
            j = log.issue_ids.index(issue)
            for actor in outcome.signatories:
                assert actor in present
                i = log.actor_ids.index(actor)
                gap = abs(outcome.text[k] - log.positions[r][i, j])
                worth = 1 - log.salience[r][i, j] * gap / 100
                assert worth >= log.reservation[r][i] - 1e-12


@FAST
@given(scenarios(), st.integers(0, 2**32))
def test_same_seed_same_files(scenario, seed):
    first = run_files(simulate(scenario, seed), scenario, figures=False)
    second = run_files(simulate(scenario, seed), scenario, figures=False)
    assert first == second


@FAST
@given(scenarios(), st.randoms(use_true_random=False))
def test_the_order_of_actors_and_issues_in_the_file_changes_nothing(scenario, random):
    actors, issues = list(scenario.actors), list(scenario.issues)
    random.shuffle(actors)
    random.shuffle(issues)
    shuffled = scenario.model_copy(update={"actors": actors, "issues": issues})
    assert run_files(simulate(scenario), scenario, figures=False) == run_files(
        simulate(shuffled), scenario, figures=False
    )


@FAST
@given(
    st.integers(2, 8).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(0, 100), min_size=n, max_size=n),
            st.lists(st.floats(0, 1), min_size=n, max_size=n),
        )
    )
)
def test_a_draft_lies_within_the_hull_of_the_drafters(data):
    positions, weights = (np.array(x)[:, None] for x in data)
    text = b.weighted_text(positions, weights)
    assert positions.min() - 1e-9 <= text[0] <= positions.max() + 1e-9


@FAST
@given(scenarios())
def test_narration_changes_no_outcome(scenario):
    full, quiet = simulate(scenario), simulate(scenario, narrate=False)
    assert full.rounds == quiet.rounds
    assert np.array_equal(full.position_array(), quiet.position_array())
    decisions = {"postponed", "stayed_away", "walked_out", "agreed", "no_agreement", "shock"}
    assert [e for e in full.events if e.kind in decisions] == [
        e for e in quiet.events if e.kind in decisions
    ]
