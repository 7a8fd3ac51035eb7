"""The mechanics of a round, each checked on the small fixture with the noise switched off."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim import behaviour as b
from sim.model import NegotiationModel, simulate
from sim.rule_params import SingleTextParams
from sim.scenario import load_scenario

QUIET = {"position_noise": 0.0, "attendance_noise": 0.0}


@pytest.fixture
def mini(mini_path):
    return load_scenario(mini_path).scenario


def tweak(scenario, model=None, actors=None, rounds=None, **top):
    """A copy of ``scenario`` with some model parameters, actors' or rounds' fields changed."""
    update = dict(top)
    params = {**QUIET, **(model or {})}
    update["model"] = scenario.model.model_copy(update=params)
    if actors:
        update["actors"] = [a.model_copy(update=actors.get(a.id, {})) for a in scenario.actors]
    if rounds:
        update["schedule"] = [r.model_copy(update=rounds.get(r.id, {})) for r in scenario.schedule]
    return scenario.model_copy(update=update)


def kinds(log, round_id, kind):
    return [e for e in log.events if e.round == round_id and e.kind == kind]


def test_conveners_always_attend(mini):
    scenario = tweak(mini, actors={"big": {"reservation": 1.0}, "ally": {"reservation": 1.0}})
    log = simulate(scenario)
    assert {"big", "ally"} <= set(log.outcome("r1").attended)


def test_an_invitee_stays_away_when_the_expected_text_is_worth_less_than_walking_away(mini):
    scenario = tweak(
        mini, actors={"reb": {"reservation": 0.999}}, model={"patron_attendance_pull": 0.0}
    )
    log = simulate(scenario)
    assert "reb" in log.outcome("r1").stayed_away
    [event] = [e for e in kinds(log, "r1", "stayed_away") if e.actor == "reb"]
    assert (
        "stayed away" in event.text
        and "less than the 1.00 it keeps by not taking part" in event.text
    )


def test_an_absent_required_signatory_blocks_every_clause(mini):
    scenario = tweak(mini, actors={"reb": {"reservation": 0.999}})
    log = simulate(scenario)
    r2 = log.outcome("r2")  # signatories: gov and reb
    assert "reb" not in r2.attended
    assert not any(r2.agreed)
    assert all("not at the table" in e.text for e in kinds(log, "r2", "no_agreement"))


def test_a_clause_is_agreed_only_when_every_signatory_accepts(mini):
    # The government cares only about power and will not move far on it: it comes (aid costs it
    # nothing) but the clause on power fails.
    scenario = tweak(
        mini,
        actors={"gov": {"reservation": 0.75, "salience": {"truce": 0.0, "power": 1.0, "aid": 0.0}}},
        model={"walkout_margin": 1.0},
    )
    log = simulate(scenario)
    r2 = log.outcome("r2")
    agreed = dict(zip(r2.agenda, r2.agreed, strict=True))
    assert agreed == {"power": False, "aid": True}
    rejected = {(e.actor, e.issue) for e in kinds(log, "r2", "rejected")}
    for issue, ok in agreed.items():
        assert ok == (not any((a, issue) in rejected for a in r2.signatories))
    [refusal] = kinds(log, "r2", "no_agreement")
    assert refusal.text.startswith("No agreement on power sharing: rejected by ")


def test_observers_neither_draft_nor_sign_nor_move(mini):
    base = simulate(tweak(mini))
    louder = simulate(
        tweak(
            mini,
            actors={
                "watcher": {
                    "capability": 1.0,
                    "positions": {"truce": 0.0, "power": 0.0, "aid": 0.0},
                }
            },
        )
    )
    assert base.outcome("r1").text == louder.outcome("r1").text
    w = base.actor_ids.index("watcher")
    positions = base.position_array()
    assert np.all(positions[:, w, :] == positions[0, w, :])
    assert all(e.actor != "watcher" for e in base.events if e.kind in ("accepted", "rejected"))


def test_a_round_slips_while_the_conveners_see_no_acceptable_text(mini):
    scenario = tweak(
        mini,
        model={"postpone_threshold": 1.0, "max_postponements": 2, "postponement_days": 5},
        actors={"reb": {"reservation": 0.999}},
    )
    log = simulate(scenario)
    r2 = log.outcome("r2")
    assert r2.postponements == 2 and r2.delay_days == 10
    assert len(kinds(log, "r2", "postponed")) == 2


def test_within_a_track_rounds_keep_their_order_and_tracks_do_not_wait_for_each_other(mini):
    # r1 and r3 are Astana rounds, r2 a Geneva round. Make the Geneva round slip a long way.
    scenario = tweak(
        mini,
        model={"postpone_threshold": 1.0, "max_postponements": 20, "postponement_days": 30},
        actors={"reb": {"reservation": 0.999}},
        rounds={"r1": {"signatories": ["big"]}, "r3": {"signatories": ["big"]}},
    )
    log = simulate(scenario)
    assert [o.date for o in log.rounds] == sorted(o.date for o in log.rounds)
    r1, r2, r3 = log.outcome("r1"), log.outcome("r2"), log.outcome("r3")
    assert r2.delay_days == 20 * 30
    assert r3.date >= r1.date + dt.timedelta(days=2)  # r1 lasts two days
    assert r3.date < r2.date  # the Astana round did not wait for Geneva


def test_a_shock_applies_before_the_first_round_on_or_after_its_date(mini):
    model = NegotiationModel(tweak(mini))
    gov, reb = model.actor_index["gov"], model.actor_index["reb"]
    truce = model.issue_index["truce"]
    model.step()
    model.step()  # r2 (2017-02-20) is before the offensive (2017-03-01): not yet applied
    assert model.capability[reb] == pytest.approx(0.3)
    after_r2 = model.positions[gov, truce]
    model.step()  # r3 (2017-04-01): the offensive applies first
    log = model.log_
    assert log.capability[2][reb] == pytest.approx(0.2)
    assert log.positions[2][gov, truce] == pytest.approx(after_r2 - 10.0)
    [shock] = [e for e in log.events if e.kind == "shock"]
    assert log.events.index(shock) < log.events.index(kinds(log, "r3", "convened")[0])


def test_a_party_walks_out_of_a_text_far_below_its_walk_away_value(mini):
    scenario = tweak(
        mini,
        model={"walkout_margin": 0.05, "patron_attendance_pull": 1.0},
        actors={
            "reb": {
                "reservation": 0.9,
                "positions": {"truce": 0.0, "power": 95.0, "aid": 90.0},
                "salience": {"truce": 1.0, "power": 1.0, "aid": 1.0},
            }
        },
    )
    log = simulate(scenario)
    walked = [o.round_id for o in log.rounds if "reb" in o.walked_out]
    assert walked, "the rebels should have walked out somewhere"
    event = next(e for e in log.events if e.kind == "walked_out")
    assert "walked out" in event.text


def test_participants_concede_toward_the_text(mini):
    scenario = tweak(mini, model={"patron_pull": 0.0, "pressure_rate": 0.0})
    model = NegotiationModel(scenario)
    before = model.positions.copy()
    model.step()
    text = model.log_.rounds[0].text[0]
    truce = model.issue_index["truce"]
    moved = np.abs(model.positions[:, truce] - text) <= np.abs(before[:, truce] - text) + 1e-12
    assert moved.all()
    assert (model.positions[:, truce] != before[:, truce]).any()


def test_seeds_change_noisy_runs_and_fix_them(mini):
    a, b_ = simulate(mini, seed=1), simulate(mini, seed=1)
    c = simulate(mini, seed=2)
    assert np.array_equal(a.position_array(), b_.position_array())
    assert not np.array_equal(a.position_array(), c.position_array())


# --- the arithmetic ------------------------------------------------------------------------


def test_clause_utility_and_acceptance():
    positions = np.array([[20.0], [80.0]])
    salience = np.array([[1.0], [0.5]])
    utility = b.clause_utility(positions, salience, np.array([50.0]))
    assert utility[:, 0] == pytest.approx([0.7, 0.85])
    assert b.accepts(utility, np.array([0.75, 0.75]))[:, 0].tolist() == [False, True]


def test_redraft_moves_only_rejected_clauses_toward_the_rejecters():
    positions = np.array([[0.0, 50.0], [100.0, 50.0]])
    weights = np.ones_like(positions)
    accepted = np.array([[False, True], [True, True]])
    text = b.redraft(np.array([60.0, 50.0]), positions, weights, accepted, 0.5)
    assert text.tolist() == [30.0, 50.0]


def test_the_strongest_actor_feels_no_pressure():
    positions = np.array([[10.0], [90.0]])
    target, pushed = b.pressure_targets(positions, np.ones_like(positions), np.array([0.9, 0.2]))
    assert pushed[:, 0].tolist() == [0.0, 1.0]
    assert target[1, 0] == 10.0


def test_concessions_stay_between_position_and_text():
    positions = np.array([[10.0, 90.0]])
    moved = b.concede(positions, np.array([[0.2, 0.9]]), np.array([50.0, 50.0]), np.array([1.0]))
    assert moved[0, 0] == pytest.approx(10 + 0.8 * 40)
    assert 50.0 <= moved[0, 1] <= 90.0


def test_the_model_keeps_clear_of_mesa_attribute_names(mini):
    """Mesa 3.5 added ``Model.scenario``; our scenario lives under ``spec`` on every Mesa line."""
    model = NegotiationModel(mini)
    assert model.spec is mini
    assert model.rng is not None and model.agents is not None


def test_a_walk_out_blocks_an_agreement_that_needs_every_attendee(mini):
    # r3 needs every attendee's signature; the rebels come (their patron pulls them) and leave.
    scenario = tweak(
        mini,
        model={"walkout_margin": 0.0, "patron_attendance_pull": 1.0},
        actors={
            "reb": {"reservation": 0.89, "positions": {"truce": 0.0, "power": 95.0, "aid": 0.0}}
        },
    )
    r3 = simulate(scenario).outcome("r3")
    assert "reb" in r3.walked_out
    assert "reb" in r3.signatories
    assert not any(r3.agreed)


def test_distance_to_the_furthest_guarantor_by_hand():
    """D_ig = sum_j s_ij |p_gj - p_ij| / (100 sum_j s_ij); the furthest other guarantor counts."""
    positions = np.array([[0.0, 0.0], [100.0, 50.0], [20.0, 0.0]])
    salience = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 0.0]])
    guarantors = np.array([True, True, False])
    distance, furthest = b.distance_to_guarantors(positions, salience, guarantors)
    assert distance[0] == pytest.approx(1.0) and furthest[0] == 1  # itself does not count
    assert distance[1] == pytest.approx((0.5 * 100 + 0.5 * 50) / 100) and furthest[1] == 0
    assert distance[2] == 0.0  # cares about nothing


def test_distrust_of_a_guarantor_keeps_a_party_away_and_says_why(mini):
    trusting = simulate(tweak(mini))
    assert "reb" in trusting.outcome("r1").attended
    # Expected text 0.98 and its patron's pull 0.06 against a walk-away value of 0.75; the
    # distance to Big Power (0.427, by hand from the fixture) tips it.
    wary = simulate(
        tweak(mini, model={"guarantor_distrust": 1.0}, actors={"reb": {"reservation": 0.75}})
    )
    assert "reb" in wary.outcome("r1").stayed_away
    [event] = [e for e in kinds(wary, "r1", "stayed_away") if e.actor == "reb"]
    assert "a deal under Big Power's guarantee cost it 0.43" in event.text
    calm = simulate(tweak(mini, actors={"reb": {"reservation": 0.75}}))
    assert "reb" in calm.outcome("r1").attended


def unification(mini, signatories, drafts=6, **actors):
    return tweak(
        mini,
        rounds={
            "r1": {
                "format": "unification",
                "signatories": signatories,
                "agenda": ["truce", "power"],
            }
        },
        actors=actors,
        model={"patron_attendance_pull": 0.0, "single_text": SingleTextParams(max_drafts=drafts)},
    )


def test_a_unification_meeting_says_whether_a_joint_delegation_formed_and_why(mini):
    easy = {a: {"reservation": 0.0} for a in ("gov", "reb", "big", "ally")}
    [formed] = kinds(simulate(unification(mini, ["gov", "reb"], **easy)), "r1", "coalition_formed")
    assert formed.text.startswith("Government and Rebels formed a single delegation")

    red_line = {"reb": {"reservation": 0.6, "salience": {"truce": 0.1, "power": 1.0, "aid": 0.1}}}
    log = simulate(unification(mini, ["gov", "reb"], **red_line))
    [failed] = kinds(log, "r1", "coalition_failed")
    assert "on power sharing" in failed.text and "beyond the 40 it can bear" in failed.text
    assert "Government and Rebels stand 90 points apart on it" in failed.text
    assert failed.actor == "gov" and failed.issue == "power"

    one_bloc = unification(mini, ["reb"], drafts=1, **red_line)  # no redraft toward it
    [alone] = kinds(simulate(one_bloc), "r1", "coalition_failed")
    assert "so little room." in alone.text and "apart" not in alone.text

    away = {"reb": {"reservation": 0.999}}
    [absent] = kinds(simulate(unification(mini, ["gov", "reb"], **away)), "r1", "coalition_failed")
    assert absent.text == "No single delegation: Rebels not at the table."
