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
from sim.engine.state import State, apply_shock
from sim.model import simulate
from sim.protocols import protocol
from sim.scenario import Scenario
from sim.scenario.schema import Shock

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


# Red lines: bounds not weighed against anything (docs/model.md, step 2).

SOURCED_LINE = {"source": "test", "quote": "a stated bound", "rule": "as stated"}


def lined(ident, position, line, **more):
    """An actor with a red line on the truce, sourced (the loader requires it)."""
    return actor(
        ident,
        position,
        red_lines={"truce": line},
        sources={"red_lines.truce": SOURCED_LINE},
        **more,
    )


def test_a_clause_past_a_red_line_is_refused_whatever_it_is_worth():
    """gov at 40 with salience 0.1 would accept any text (u >= 0.94 >= 0.5); with a line at
    most 40 it refuses the compromise text (below), which without the line it accepts."""
    gov, reb = lined("gov", 40, {"at_most": 40}, salience=0.1), actor("reb", 60)
    outcome = simulate(scenario([ENVOY, gov, reb])).rounds[0]
    # the text is (0.5*0.1*40 + 0.5*1*60) / (0.05 + 0.5) = 58.2, past gov's 40
    assert outcome.agreed == (False,)
    loose = actor("gov", 40, salience=0.1)
    assert simulate(scenario([ENVOY, loose, reb])).rounds[0].agreed == (True,)


def test_acceptance_within_red_lines_clause_by_clause_and_as_a_package():
    utility = np.array([[1.0, 0.9]])
    reservation, substance = np.array([0.5]), np.array([True])
    within = np.array([[True, False]])
    assert acceptance(utility, reservation, False, substance, within).tolist() == [[True, False]]
    # worth 0.95 as a whole, but one clause crosses a line: the package is refused
    assert acceptance(utility, reservation, True, substance, within).tolist() == [[False, False]]
    everywhere = np.array([[True, True]])
    assert acceptance(utility, reservation, True, substance, everywhere).tolist() == [[True, True]]


def test_a_package_past_a_red_line_is_refused_and_the_narrative_says_why():
    gov = lined("gov", 50, {"at_least": 45}, reservation=0.0)
    gov["positions"] = {"truce": 50, "power": 50}
    gov["salience"] = {"truce": 1.0, "power": 0.0}
    reb = actor("reb", 0, reservation=0.0)
    reb["positions"] = {"truce": 0, "power": 100}
    reb["salience"] = {"truce": 1.0, "power": 1.0}
    envoy = ENVOY | {"positions": {"truce": 50, "power": 50}, "salience": {"truce": 0, "power": 0}}
    # truce: (0.5*1*50 + 0.5*1*0) / 1 = 25, below gov's at least 45
    log = simulate(
        scenario([envoy, gov, reb], rounds=[{"package": True}], issues=("truce", "power"))
    )
    assert log.rounds[0].agreed == (False, False)
    said = [e.text for e in log.events if e.kind == "rejected" and e.actor == "gov"]
    assert len(said) == 1 and "red line" in said[0] and "at least 45" in said[0]


def test_a_position_never_moves_past_its_line():
    """gov at 40 with a line at least 40 concedes fully (rate 1, salience 0) toward the text 20
    (gov 40, reb 0): it stops at 40, as it brings its position to a second round. A shock
    setting it to 0 leaves it at 40 too."""
    gov = lined("gov", 40, {"at_least": 40}, salience=0.0)
    gov["concession_rate"] = 1.0
    second = {"id": "r2", "name": "Round two", "planned_date": dt.date(2017, 2, 1)}
    spec = scenario([ENVOY, gov, actor("reb", 0)], rounds=[{}, second])
    log = simulate(spec)
    g = log.actor_ids.index("gov")
    assert log.rounds[0].text[0] < 40.0
    assert log.position_array()[1, g, 0] == pytest.approx(40.0)
    cast = Cast.from_scenario(spec)
    shock = Shock.model_validate(
        {
            "id": "s",
            "name": "s",
            "date": dt.date(2017, 1, 2),
            "effects": [{"actor": "gov", "positions": {"truce": {"set": 0}}}],
        }
    )
    after, record = apply_shock(State.initial(spec, cast), cast, shock)
    assert after.positions[cast.actor_index["gov"], 0] == 40.0
    assert record.changes[0].value == 40.0


def test_the_mediator_redrafts_toward_an_objection_from_a_red_line():
    """Single text: gov (at 30, line at most 40, salience 0.1) would accept the first draft,
    (0.09 * 30 + 0.5 * 60) / 0.59 = 55.4, on worth alone (0.97 >= 0.5) but objects on its line;
    each redraft moves the text 0.35 of the way to 30: 46.5, 40.7, 37.0, within the line."""
    gov = lined("gov", 30, {"at_most": 40}, salience=0.1, capability=0.9)
    reb = actor("reb", 60, reservation=0.3)  # tolerates 70 points: anything from 0 to 100
    outcome = simulate(scenario([ENVOY, gov, reb], model={"protocol": "single_text"})).rounds[0]
    assert outcome.agreed == (True,)
    assert outcome.text[0] == pytest.approx(30 + 25.4 * 0.65**3, abs=0.1)


# Ratification: a round that signs or votes on an earlier round's text (docs/model.md).


TABLE_OF_TWO = {"invitees": ["gov", "reb"], "signatories": ["gov", "reb"]}
VOTE_ON_R1 = {
    "id": "r2",
    "name": "The vote",
    "planned_date": dt.date(2017, 2, 1),
    "format": "ratification",
    "invitees": ["voters"],
    "signatories": ["voters"],
    "ratifies": "r1",
}


def _ratifying(ratifier_reservation: float):
    """r1: gov (50) and reb (50) agree a truce at 50; r2 puts that text to a third party, the
    voters (at 0, salience 1): the text is worth 1 - 50/100 = 0.5 to them."""
    voters = actor("voters", 0, reservation=ratifier_reservation)
    actors = [ENVOY, actor("gov", 50), actor("reb", 50), voters]
    return scenario(actors, rounds=[TABLE_OF_TWO, VOTE_ON_R1])


def test_a_ratification_votes_on_the_earlier_text_and_drafts_none():
    log = simulate(_ratifying(0.5))
    table, vote = log.rounds
    assert table.agreed == (True,) and vote.text == table.text == (50.0,)
    assert vote.agreed == (True,)  # worth 0.5 >= 0.5
    said = [e.text for e in log.events if e.kind == "put_to_vote"]
    assert said == ["The text of Round one was put to the vote, unchanged: truce 50."]
    # voters asking more than the text gives reject it; no compromise text is drafted for them
    rejected = simulate(_ratifying(0.6)).rounds[1]
    assert rejected.text == (50.0,) and rejected.agreed == (False,)


def test_what_the_table_did_not_agree_cannot_be_ratified():
    spec = _ratifying(0.0)
    spec = spec.model_copy(
        update={
            "actors": [
                a.model_copy(update={"reservation": 1.0, "positions": {"truce": 100.0}})
                if a.id == "reb"
                else a
                for a in spec.actors
            ]
        }
    )
    log = simulate(spec)
    table, vote = log.rounds
    assert table.agreed == (False,) and vote.agreed == (False,)
    why = [e.text for e in log.events if e.kind == "no_agreement" and e.round == "r2"]
    assert why == [
        "No agreement on truce: Round one did not agree it, so there was nothing to ratify."
    ]


def test_a_ratification_adopts_no_new_text_so_the_strict_coding_does_not_score_it():
    from sim.facts.agreed_strict import AgreedStrict
    from sim.facts.base import RoundContext

    spec = _ratifying(0.5)
    fact = AgreedStrict()
    table_ctx, vote_ctx = (RoundContext(spec, r) for r in spec.schedule)
    assert not fact.by_construction(table_ctx, "truce") and fact.by_construction(vote_ctx, "truce")
    vote = simulate(spec).rounds[1]
    assert fact.from_run(vote, vote_ctx) == {"truce": False}


def test_a_ratification_waits_until_the_text_it_ratifies_is_final():
    """r1 is planned for 1 January over 10 days; the vote, on a track of its own and planned
    for 3 January, waits until 11 January (the day after r1's last day) without counting a
    postponement."""
    spec = _ratifying(0.5)
    first, vote = spec.schedule
    votes = spec.tracks[0].model_copy(update={"id": "votes", "name": "Votes"})
    spec = spec.model_copy(
        update={
            "tracks": [*spec.tracks, votes],
            "schedule": [
                first.model_copy(update={"days": 10}),
                vote.model_copy(update={"planned_date": dt.date(2017, 1, 3), "track": "votes"}),
            ],
        }
    )
    log = simulate(spec)
    table, ratified = log.rounds
    assert table.end_date == dt.date(2017, 1, 10)
    assert ratified.date == dt.date(2017, 1, 11) and ratified.postponements == 0
    assert ratified.agreed == (True,)
    waited = [e.text for e in log.events if e.kind == "postponed"]
    assert waited == [
        "The vote waited 8 days: the text of Round one it is to ratify was not yet final."
    ]


def _side_redraft(rule: str):
    """Single text at a side of three blocs (a at 90 with a line at least 80, b at 50, c at 40)
    and a government at 30; what the side's members object to, by the side's rule."""
    blocs = [
        lined("a", 90, {"at_least": 80}, capability=0.6, reservation=0.0),
        actor("b", 50, capability=0.3, reservation=0.0),
        actor("c", 40, capability=0.2, reservation=0.0),
    ]
    side = {"id": "opp", "name": "Opposition", "members": ["a", "b", "c"], "rule": rule}
    if rule == "lead":
        side["lead"] = "b"
    actors = [ENVOY, *blocs, actor("gov", 30, reservation=0.0)]
    return simulate(scenario(actors, sides=[side], model={"protocol": "single_text"}))


def test_a_member_heard_for_itself_pulls_the_text_toward_its_line():
    """Under unanimity each member objects by its own numbers: a, past whose line the first
    draft falls, pulls the text up toward 80 (not b and c toward their positions)."""
    log = _side_redraft("unanimity")
    redrafts = [e.text for e in log.events if e.kind == "redrafted"]
    assert redrafts and all("toward the objections of A:" in r for r in redrafts)
    texts = [float(r.rsplit(" ", 1)[1].rstrip(".")) for r in redrafts]
    assert texts == sorted(texts)  # each redraft moves the text up, toward a's line


def test_under_lead_only_the_lead_is_heard():
    """Under lead (b leads) a's line is not the side's: nobody at the side objects for it."""
    log = _side_redraft("lead")
    redrafts = [e.text for e in log.events if e.kind == "redrafted"]
    assert not any("objections of A" in r for r in redrafts)


# Red lines under every rule, and a played delegation (review cases).


def both(ident, truce, power, reservation=0.0, **more):
    """An actor on two issues, the truce and power, caring for both fully."""
    made = actor(ident, truce, reservation=reservation, **more)
    made["positions"] = {"truce": truce, "power": power}
    made["salience"] = {"truce": 1.0, "power": 1.0}
    return made


def test_no_rule_carries_a_party_past_its_line_while_bargaining():
    """Alternating offers: gov (30, at most 35) concedes toward reb's 80 only as far as its
    line. Expected utility: gov, who would take a stronger rival's position (70), stops at 35."""
    gov = lined("gov", 30, {"at_most": 35}, salience=0.5, reservation=0.2)
    ao = simulate(
        scenario(
            [ENVOY, gov, actor("reb", 80, reservation=0.4)],
            model={"protocol": "alternating_offers"},
        )
    )
    conceded = [e.text for e in ao.events if e.kind == "conceded" and e.actor == "gov"]
    assert conceded and all(e.endswith("truce 35.") for e in conceded)
    weak = lined("gov", 30, {"at_most": 35}, salience=0.3, capability=0.3, reservation=0.0)
    strong = [
        actor("a", 80, capability=0.9, salience=0.9, reservation=0.0),
        actor("b", 70, capability=0.8, salience=0.9, reservation=0.0),
    ]
    eu = simulate(scenario([ENVOY, weak, *strong], model={"protocol": "expected_utility"}))
    took = [
        e.text
        for e in eu.events
        if e.actor == "gov" and e.kind in ("confrontation", "capitulation", "compromise")
    ]
    assert took and all(" -> 35 " in t for t in took)


def test_a_played_delegation_holds_its_declared_line():
    from sim.engine.run import Run
    from sim.policy import Choices

    gov, reb = lined("gov", 40, {"at_most": 40}, salience=0.1), actor("reb", 60)
    run = Run(scenario([ENVOY, gov, reb]))
    [played] = [
        r for r in run.step({"gov": Choices(accept={"truce": True})}) if hasattr(r, "votes")
    ]
    assert played.talks.bargain.text[0] > 40 and not played.votes.agreed.any()


def test_a_package_is_ratified_whole_or_not_at_all():
    """r1 agrees the truce and not power; a package vote on r1's text can ratify neither."""

    envoy = ENVOY | {"positions": {"truce": 50, "power": 50}, "salience": {"truce": 0, "power": 0}}
    vote = VOTE_ON_R1 | {"package": True}
    actors = [
        envoy,
        both("gov", 50, 0, 0.6),
        both("reb", 50, 100, 0.6),
        both("voters", 50, 50, 0.0),
    ]
    log = simulate(scenario(actors, rounds=[TABLE_OF_TWO, vote], issues=("truce", "power")))
    assert log.rounds[0].agreed == (True, False) and log.rounds[1].agreed == (False, False)
    why = [e.text for e in log.events if e.round == "r2" and e.kind == "no_agreement"]
    assert why[0].endswith(
        "the package holds a clause Round one did not agree, so it could not be ratified."
    )


def test_a_joint_delegation_that_fails_is_not_blamed_on_a_line_that_blocked_nothing():
    """a's line (at least 85 on the truce) is crossed, but its side (majority) consents anyway;
    d alone refuses: the failure names d's refusal, not a's line."""

    envoy = ENVOY | {"positions": {"truce": 50, "power": 50}, "salience": {"truce": 0, "power": 0}}
    a = both("a", 90, 50, capability=0.1) | {
        "red_lines": {"truce": {"at_least": 85}},
        "sources": {"red_lines.truce": SOURCED_LINE},
    }
    d = both("d", 50, 0, reservation=0.99, capability=0.5) | {
        "forums": {"main": {"value": 1.0}},
        "sources": {"forums.main": SOURCED_LINE},
    }
    blocs = [a, both("b", 50, 50, capability=0.5), both("c", 50, 50, capability=0.5), d]
    side = {"id": "opp", "name": "Opposition", "members": ["a", "b", "c"], "rule": "majority"}
    spec = scenario(
        [envoy, *blocs], sides=[side], rounds=[{"format": "unification"}], issues=("truce", "power")
    )
    [failed] = [e for e in simulate(spec).events if e.kind == "coalition_failed"]
    assert "has declared" not in failed.text and failed.actor == "d"
