"""Who must consent, sides, package deals, forums and deadlines: hand-worked cases.

Every case has the noise off, so each number below can be checked with a pencil against the
equations of docs/model.md.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.advice import consent_gaps
from sim.engine.cast import Cast
from sim.engine.consent import Unit, acceptance, unit_accepts
from sim.engine.record import Setup
from sim.engine.seats import Seats, table
from sim.engine.state import State
from sim.model import simulate
from sim.protocols import protocol
from sim.scenario import Scenario

# The compromise rule drafts once (the weighted mean), so each text is a line of arithmetic.
QUIET = {
    "position_noise": 0.0,
    "attendance_noise": 0.0,
    "postpone_threshold": 0.0,
    "protocol": "compromise",
}


def actor(ident, position, salience=1.0, reservation=0.5, role="party", capability=0.5, **more):
    return {
        "id": ident,
        "name": ident.capitalize(),
        "role": role,
        "capability": capability,
        "positions": {"truce": position},
        "salience": {"truce": salience},
        "concession_rate": 0.0,
        "reservation": reservation,
        **more,
    }


def scenario(actors, rounds=None, sides=(), model=None, issues=("truce",)) -> Scenario:
    base_round = {
        "id": "r1",
        "name": "Round one",
        "track": "main",
        "planned_date": dt.date(2017, 1, 1),
        "venue": "Somewhere",
        "format": "proximity_talks",
        "conveners": ["envoy"],
        "invitees": [a["id"] for a in actors if a["id"] != "envoy"],
        "agenda": list(issues),
    }
    return Scenario.model_validate(
        {
            "name": "hand-worked",
            "seed": 1,
            "model": {**QUIET, **(model or {})},
            "tracks": [{"id": "main", "name": "Main track"}],
            "issues": [{"id": j, "name": j, "low": "0", "high": "100"} for j in issues],
            "actors": actors,
            "sides": list(sides),
            "schedule": [base_round | r for r in (rounds or [{}])],
        }
    )


ENVOY = actor("envoy", 50, salience=0.0, reservation=0.0, role="mediator")


def test_an_absent_party_blocks_by_default_and_not_when_only_attendees_sign():
    # gov at 50 accepts the text (50); reb demands 1.0 of worth and stays away.
    actors = [ENVOY, actor("gov", 50), actor("reb", 0, reservation=1.0)]
    default = simulate(scenario(actors)).rounds[0]
    assert "reb" in default.stayed_away and default.agreed == (False,)
    attendees = simulate(scenario(actors, rounds=[{"signatories": "attendees"}])).rounds[0]
    assert attendees.agreed == (True,)
    assert attendees.signatories == ("gov",)


def test_a_declaration_by_the_conveners_needs_no_one_else():
    actors = [ENVOY | {"role": "guarantor"}, actor("gov", 0, reservation=0.9)]
    outcome = simulate(scenario(actors, rounds=[{"signatories": "conveners"}])).rounds[0]
    assert outcome.signatories == ("envoy",) and outcome.agreed == (True,)
    warned = consent_gaps(scenario(actors, rounds=[{"signatories": "conveners"}]))
    assert [w.about for w in warned] == ["schedule.r1.signatories"] and "Gov" in warned[0].message


def _unit_says(rule, accepted, present, capability, lead=0):
    unit = Unit(np.arange(len(accepted)), rule, lead, "side")
    return bool(unit_accepts(unit, np.array(accepted)[:, None], np.array(present), capability)[0])


def test_a_side_consents_by_its_rule():
    capability = np.array([0.6, 0.3, 0.2])
    # the lead (0) accepts, the others reject
    assert _unit_says("lead", [True, False, False], [True] * 3, capability)
    assert not _unit_says("unanimity", [True, False, False], [True] * 3, capability)
    # 0.6 of 1.1 accept: a weighted majority
    assert _unit_says("majority", [True, False, False], [True] * 3, capability)
    # 0.5 of 1.1: no majority; an absent member counts against
    assert not _unit_says("majority", [False, True, True], [True] * 3, capability)
    assert not _unit_says("lead", [True, True, True], [False, True, True], capability)


def test_a_side_drafts_with_one_voice():
    """Three like-minded states at 100 and one party at 0, equal weights: alone they pull the
    draft to 75; as one side (lead rule) the side and the party meet at 50."""
    states = [actor(f"s{k}", 100, capability=0.5) for k in range(3)]
    actors = [ENVOY, *states, actor("party", 0, capability=0.5)]
    side = {"id": "bloc", "name": "The bloc", "members": ["s0", "s1", "s2"], "lead": "s0"}
    for sides, expected in (((), 75.0), ((side,), 50.0)):
        spec = scenario(actors, sides=sides)
        cast = Cast.from_scenario(spec)
        state = State.initial(spec, cast)
        seats = Seats.of(cast, spec.schedule[0])
        everyone = cast.mask(seats.invited)
        rule = protocol("compromise")
        text = rule.negotiate(table(cast, state, spec.model, seats, everyone)).text
        assert text[0] == pytest.approx(expected)
        assert Setup(cast, spec.model, rule).cast is cast


def test_a_package_carries_a_clause_an_actor_would_reject_alone():
    """gov cares for the truce (s = 1, at 50) and little for power (s = 0.2, at 0). The text
    (50, 100) is worth 1.0 and 0.8 to it: it rejects power alone (0.8 < 0.85) but the package
    is worth 0.9 >= 0.85."""
    utility = np.array([[1.0, 0.8]])
    reservation = np.array([0.85])
    substance = np.array([True])
    assert acceptance(utility, reservation, False, substance).tolist() == [[True, False]]
    assert acceptance(utility, reservation, True, substance).tolist() == [[True, True]]
    assert acceptance(utility, reservation, True, ~substance).tolist() == [[False, False]]


def test_a_package_round_agrees_all_or_nothing():
    gov = actor("gov", 50, reservation=0.85)
    gov["positions"] = {"truce": 50, "power": 0}
    gov["salience"] = {"truce": 1.0, "power": 0.2}
    reb = actor("reb", 50, reservation=0.0)
    reb["positions"] = {"truce": 50, "power": 100}
    reb["salience"] = {"truce": 1.0, "power": 1.0}
    envoy = ENVOY | {"positions": {"truce": 50, "power": 100}, "salience": {"truce": 0, "power": 0}}
    # the weighted draft on power: (0.5*0.2*0 + 0.5*1*100) / (0.1 + 0.5) = 83.3
    actors = [envoy, gov, reb]
    single = simulate(scenario(actors, issues=("truce", "power"))).rounds[0]
    package = simulate(scenario(actors, rounds=[{"package": True}], issues=("truce", "power")))
    assert single.agreed == (True, False)  # 1 - 0.2 * 83.3 / 100 = 0.83 < 0.85 alone
    assert package.rounds[0].agreed == (True, True)  # (1 + 0.83) / 2 = 0.92 as a whole


def test_a_forum_worth_coming_to_and_a_party_that_refuses_substance_there():
    # The foreseen text is 25 (gov at 50, reb at 0, equal weights): worth 0.75 to reb, below
    # its 0.8: it stays away, unless being at this table adds 0.2.
    reb = actor("reb", 0, reservation=0.8)
    actors = [ENVOY, actor("gov", 50), reb]
    assert "reb" in simulate(scenario(actors)).rounds[0].stayed_away
    valued = reb | {"forums": {"main": {"value": 0.2}}}
    assert "reb" in simulate(scenario([ENVOY, actor("gov", 50), valued])).rounds[0].attended
    # gov comes for the forum but negotiates nothing: present, not walking out, blocking.
    refuses = actor("gov", 50, forums={"main": {"substance": False}})
    log = simulate(scenario([ENVOY, refuses, actor("reb", 50)]))
    outcome = log.rounds[0]
    assert "gov" in outcome.attended and not outcome.walked_out and outcome.agreed == (False,)
    assert any(e.kind == "refused_substance" and e.actor == "gov" for e in log.events)


def test_a_missed_deadline_is_extended_then_collapses():
    """reb rejects every text (r = 1); two extensions of 5 days, then collapse; the next round
    of the track waits for the last day."""
    actors = [ENVOY, actor("gov", 50), actor("reb", 0, reservation=1.0)]
    actors[2]["forums"] = {"main": {"value": 1.0}}  # it comes, and rejects
    second = {
        "id": "r2",
        "name": "Round two",
        "planned_date": dt.date(2017, 1, 3),
        "deadline": None,
    }
    spec = scenario(
        actors, rounds=[{"deadline": {"extensions": 2, "extension_days": 5}, "days": 2}, second]
    )
    log = simulate(spec)
    first = log.outcome("r1")
    assert first.extensions == 2 and first.collapsed
    assert first.end_date == dt.date(2017, 1, 1) + dt.timedelta(days=2 + 5 + 5 - 1)
    assert log.outcome("r2").date == first.end_date + dt.timedelta(days=1)
    kinds = [e.kind for e in log.events if e.round == "r1"]
    assert kinds.count("extended") == 2 and kinds.count("collapsed") == 1


def test_an_extension_ends_the_round_once_everything_is_agreed():
    actors = [ENVOY, actor("gov", 50), actor("reb", 50)]
    spec = scenario(actors, rounds=[{"deadline": {"extensions": 3, "extension_days": 5}}])
    outcome = simulate(spec).rounds[0]
    assert outcome.extensions == 0 and not outcome.collapsed and outcome.agreed == (True,)
