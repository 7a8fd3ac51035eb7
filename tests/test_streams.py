"""Named random streams: one SeedSequence per run, one child per phase, members as children."""

from __future__ import annotations

import numpy as np
from test_model import tweak

from sim.model import ensemble_seeds, simulate
from sim.scenario import load_scenario
from sim.streams import PHASES, Streams


def draws(streams: Streams) -> dict[str, float]:
    return {name: float(getattr(streams, name).random()) for name in PHASES}


def test_each_phase_has_its_own_stream_and_one_seed_fixes_them_all():
    first, again = draws(Streams.from_seed(7)), draws(Streams.from_seed(7))
    assert first == again
    assert len(set(first.values())) == len(PHASES)
    assert draws(Streams.from_seed(8)) != first


def test_a_member_passed_twice_gives_the_same_streams():
    member = ensemble_seeds(7, 3)[1]
    assert draws(Streams.from_seed(member)) == draws(Streams.from_seed(member))
    assert Streams.from_seed(member).provenance()["spawn_key"] == [len(PHASES), 1]


def test_members_are_spawned_children_distinct_from_the_run_and_across_purposes():
    fitting = ensemble_seeds(7, 4)
    report = ensemble_seeds(7, 4, purpose=1)
    keys = {tuple(s.spawn_key) for s in fitting + report}
    assert len(keys) == 8 and all(s.entropy == 7 for s in fitting + report)
    assert [tuple(s.spawn_key) for s in ensemble_seeds(7, 4)] == [
        tuple(s.spawn_key) for s in fitting
    ]
    run = draws(Streams.from_seed(7))
    assert all(draws(Streams.from_seed(s)) != run for s in fitting)


def test_skipping_the_postponement_draws_leaves_attendance_and_moves_alone(mini_path):
    """Phases draw apart: whether the conveners' readiness is drawn at all (no postponement is
    allowed, or a threshold of 0 is always met) changes no other phase's draws."""
    mini = load_scenario(mini_path).scenario
    noisy = {"attendance_noise": 0.3, "position_noise": 2.0, "postpone_threshold": 0.0}
    drawn = simulate(tweak(mini, model={**noisy, "max_postponements": 3}), seed=3, narrate=False)
    skipped = simulate(tweak(mini, model={**noisy, "max_postponements": 0}), seed=3, narrate=False)
    assert [o.attended for o in drawn.rounds] == [o.attended for o in skipped.rounds]
    np.testing.assert_array_equal(drawn.position_array(), skipped.position_array())


def test_an_ensemble_member_is_logged_with_its_place():
    member = ensemble_seeds(11, 2)[1]
    mini = load_scenario("tests/data/mini.yaml").scenario
    log = simulate(mini, member, narrate=False)
    assert (log.seed, log.spawn_key) == (11, (len(PHASES), 1))
