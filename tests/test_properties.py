"""Invariants of the model, over randomly generated scenarios."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from flat_params import model_params
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import scenarios

from sim import behaviour as b
from sim.engine.record import RoundRecord
from sim.engine.run import Run
from sim.model import simulate
from sim.narrator import narrate
from sim.output import run_files
from sim.protocols.alternating_offers import AlternatingOffers
from sim.protocols.base import Table
from sim.protocols.expected_utility import challenge_round
from sim.scenario.schema import PROTOCOL_NAMES

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


RULES = st.sampled_from(PROTOCOL_NAMES)
PER_RULE = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EVERY_RULE = pytest.mark.parametrize("rule", PROTOCOL_NAMES)


def two_sides(positions, salience, reservation, **params) -> Table:
    """A table of two parties on one issue, for the alternating-offers properties."""
    return Table(
        positions=np.array(positions, dtype=float)[:, None],
        salience=np.array(salience, dtype=float)[:, None],
        capability=np.ones(2),
        reservation=np.array(reservation, dtype=float),
        present=np.ones(2, bool),
        drafting=np.ones(2, bool),
        conveners=np.zeros(2, bool),
        objectors=np.ones(2, bool),
        params=model_params(**params),
        actor_names=("A", "B"),
        issue_ids=("i",),
    )


@EVERY_RULE
@PER_RULE
@given(data=st.data())
def test_positions_stay_on_their_scale(rule, data):
    """On the 0-100 scale, and never past the actor's own red lines (moves and shocks stop at
    them)."""
    scenario = data.draw(scenarios(protocol=rule))
    log = simulate(scenario)
    positions = log.position_array()
    assert np.all(positions >= 0.0) and np.all(positions <= 100.0)
    assert all(np.all((s >= 0) & (s <= 1)) for s in log.salience)
    for actor in scenario.actors:
        i = log.actor_ids.index(actor.id)
        for issue, line in actor.red_lines.items():
            held = positions[:, i, log.issue_ids.index(issue)]
            assert all(line.holds(float(p)) for p in held), (actor.id, issue, held)


@EVERY_RULE
@PER_RULE
@given(data=st.data())
def test_every_agreement_is_acceptable_to_every_signatory(rule, data):
    """Each agreed clause is accepted, at the numbers each actor brought to the session, by
    every consenting unit: an actor alone is present, finds it worth its walk-away value (the
    whole package's worth in a package round) and finds no clause it accepts past its red lines
    (none in the package); a side by its rule over its members."""
    scenario = data.draw(scenarios(protocol=rule))
    log = simulate(scenario, narrate=False)
    sides = {m: side for side in scenario.sides for m in side.members}
    for record in (r for r in log.records if isinstance(r, RoundRecord)):
        ok = _accepts(record, log, scenario)
        present = record.talks.present
        for k in np.flatnonzero(record.votes.agreed):
            required = [log.actor_ids[i] for i in record.votes.required]
            assert required, "an agreement needs signatories"
            for side_id in {sides[a].id if a in sides else a for a in required}:
                members = [a for a in required if (sides[a].id if a in sides else a) == side_id]
                says = {
                    a: ok[log.actor_ids.index(a), k] and present[log.actor_ids.index(a)]
                    for a in members
                }
                side = sides.get(members[0])
                if side is None or side.rule == "unanimity":
                    assert all(says.values()), (record.spec.id, side_id)
                elif side.rule == "majority":
                    cap = {a: record.before.capability[log.actor_ids.index(a)] for a in members}
                    total = sum(cap.values()) or len(members)
                    yes = sum((cap[a] if sum(cap.values()) else 1) for a in members if says[a])
                    assert yes > total / 2
                else:
                    lead = (
                        side.lead
                        if side.lead in members
                        else max(
                            members, key=lambda a: record.before.capability[log.actor_ids.index(a)]
                        )
                    )
                    assert says[lead]


@EVERY_RULE
@PER_RULE
@given(data=st.data())
def test_a_ratification_puts_the_earlier_text_and_agrees_nothing_it_did_not(rule, data):
    """A round that ratifies one already played takes its text unchanged and agrees a clause
    only where that round agreed it (postponements may leave the earlier round unplayed: then
    nothing can be ratified)."""
    scenario = data.draw(scenarios(protocol=rule))
    log = simulate(scenario, narrate=False)
    played: dict[str, object] = {}
    specs = {r.id: r for r in scenario.schedule}
    for outcome, spec in ((o, specs[o.round_id]) for o in log.rounds):
        earlier = played.get(spec.ratifies) if spec.ratifies else None
        if spec.ratifies and earlier is None:
            assert not any(outcome.agreed)
        elif earlier is not None:
            theirs = {
                issue: (x, ok)
                for issue, x, ok in zip(earlier.agenda, earlier.text, earlier.agreed, strict=True)
            }
            for issue, x, ok in zip(outcome.agenda, outcome.text, outcome.agreed, strict=True):
                assert x == theirs[issue][0] and (theirs[issue][1] or not ok)
        played[outcome.round_id] = outcome


def _accepts(record, log, scenario) -> np.ndarray:
    """Who accepts which clause of the session, recomputed from the state it started from."""
    agenda = [log.issue_ids.index(j) for j in record.spec.agenda]
    state, text = record.before, record.talks.bargain.text
    worth = 1 - state.salience[:, agenda] * np.abs(text - state.positions[:, agenda]) / 100
    if record.spec.package:
        ok = np.repeat((worth.mean(axis=1) >= state.reservation - 1e-12)[:, None], len(agenda), 1)
    else:
        ok = worth >= state.reservation[:, None] - 1e-12
    actors = {a.id: a for a in scenario.actors}
    within = np.array(
        [
            [
                actors[a].red_lines[j].holds(float(x)) if j in actors[a].red_lines else True
                for j, x in zip(record.spec.agenda, text, strict=True)
            ]
            for a in log.actor_ids
        ]
    ).reshape(len(log.actor_ids), len(agenda))
    ok &= within.all(axis=1)[:, None] if record.spec.package else within
    forum = {a.id: a.forums.get(record.spec.track) for a in scenario.actors}
    refuses = [f is not None and not f.substance for f in (forum[a] for a in log.actor_ids)]
    return ok & ~np.array(refuses)[:, None]


@FAST
@given(scenarios())
def test_an_absent_party_blocks_under_the_default_consent(scenario):
    log = simulate(scenario, narrate=False)
    sides = {m for side in scenario.sides for m in side.members}
    for record in (r for r in log.records if isinstance(r, RoundRecord)):
        if record.spec.signatories != "invitees":
            continue
        required = record.votes.required
        alone_away = [
            i for i in required if log.actor_ids[i] not in sides and not record.talks.present[i]
        ]
        if alone_away:
            assert not record.votes.agreed.any()


@FAST
@given(scenarios())
def test_a_package_is_agreed_whole_or_not_at_all(scenario):
    for _outcome, record in _rounds_and_sessions(simulate(scenario, narrate=False)):
        if record.spec.package:
            assert record.votes.agreed.all() or not record.votes.agreed.any()


def _rounds_and_sessions(log):
    sessions = [r for r in log.records if isinstance(r, RoundRecord)]
    by_id = {o.round_id: o for o in log.rounds}
    return [(by_id[r.spec.id], r) for r in sessions]


@FAST
@given(scenarios())
def test_deadlines_extend_then_collapse_and_the_track_waits(scenario):
    """A round with open clauses at its deadline is extended, then collapses (a ratification's
    open clauses are those the ratified round agreed: it cannot agree the others, so they do
    not hold it open)."""
    log = simulate(scenario, narrate=False)
    specs = {r.id: r for r in scenario.schedule}
    played: dict[str, dict[str, bool]] = {}
    for outcome in log.rounds:
        spec = specs[outcome.round_id]
        limit = spec.deadline.extensions if spec.deadline else 0
        assert 0 <= outcome.extensions <= limit
        assert outcome.end_date >= outcome.date + dt.timedelta(days=spec.days - 1)
        offered = played.get(spec.ratifies, {}) if spec.ratifies else None
        still_open = [
            not ok and (offered is None or offered.get(issue, False))
            for issue, ok in zip(outcome.agenda, outcome.agreed, strict=True)
        ]
        assert outcome.collapsed == (
            spec.deadline is not None and outcome.extensions == limit and any(still_open)
        )
        played[outcome.round_id] = dict(zip(outcome.agenda, outcome.agreed, strict=True))
    for earlier, later in zip(log.rounds, log.rounds[1:], strict=False):
        assert later.date > earlier.end_date or later.date >= earlier.date  # tracks run apart


@FAST
@given(scenarios(), st.integers(0, 2**32))
def test_same_seed_same_files(scenario, seed):
    first = run_files(simulate(scenario, seed), scenario, figures=False)
    second = run_files(simulate(scenario, seed), scenario, figures=False)
    assert first == second


@EVERY_RULE
@PER_RULE
@given(data=st.data(), random=st.randoms(use_true_random=False))
def test_the_order_of_actors_and_issues_in_the_file_changes_nothing(rule, data, random):
    scenario = data.draw(scenarios(protocol=rule))
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
    """The narrator only reads the records: a quiet run decides the same, and its records tell
    the same story when narrated afterwards."""
    full, quiet = simulate(scenario), simulate(scenario, narrate=False)
    assert full.rounds == quiet.rounds
    assert np.array_equal(full.position_array(), quiet.position_array())
    assert quiet.events == []
    setup = Run(scenario).setup
    assert narrate(setup, quiet.records) == full.events


@EVERY_RULE
@PER_RULE
@given(data=st.data())
def test_every_rule_tables_a_text_within_the_hull_of_those_bargaining(rule, data):
    scenario = data.draw(scenarios(protocol=rule))
    """All four rules promise it: a weighted mean or median, a redraft toward objectors, or
    offers that move along the line between the two sides' positions. (A ratification puts an
    earlier text instead: the rule does not draft it.)"""
    log = simulate(scenario, narrate=False)
    observers = {a.id for a in scenario.actors if a.role == "observer"}
    drafted = (
        r
        for r in log.records
        if isinstance(r, RoundRecord) and r.talks.bargain.steps[0].kind != "put_to_vote"
    )
    for record in drafted:
        attended = [log.actor_ids[i] for i in np.flatnonzero(record.attendance.attending)]
        substance = record.seats.forum.substance
        bargaining = [
            a for a in attended if a not in observers and substance[log.actor_ids.index(a)]
        ] or attended
        rows = [log.actor_ids.index(a) for a in bargaining]
        for k, issue in enumerate(record.spec.agenda):
            column = record.before.positions[rows, log.issue_ids.index(issue)]
            text = record.talks.bargain.text[k]
            assert column.min() - 1e-9 <= text <= column.max() + 1e-9, scenario.model


@FAST
@given(
    st.integers(2, 9).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(0, 100), min_size=n, max_size=n),
            st.lists(st.floats(0.01, 1), min_size=n, max_size=n),
            st.lists(st.floats(0, 1), min_size=n, max_size=n),
        )
    )
)
def test_challenges_move_actors_only_within_the_hull_of_positions(data):
    x, c, s = (np.array(v) for v in data)
    span = float(x.max() - x.min())
    if span <= 0:
        return
    new, offers = challenge_round(x, c, s, span)
    assert np.all(new >= x.min() - 1e-9) and np.all(new <= x.max() + 1e-9)
    for offer in offers:  # every move is toward the proposer, never past it
        lo, hi = sorted((x[offer.receiver], x[offer.proposer]))
        assert lo - 1e-9 <= new[offer.receiver] <= hi + 1e-9


@FAST
@given(
    st.tuples(
        st.floats(0, 100),
        st.floats(0, 100),
        st.floats(0.05, 1),
        st.floats(0.05, 1),
        st.floats(0, 0.6),
        st.floats(0, 0.6),
    )
)
def test_zeuthen_lands_near_the_nash_bargaining_solution(case):
    """Harsanyi (1956): Zeuthen's rule leads to the deal that maximises the Nash product."""
    pa, pb, sa, sb, da, db = case
    text = AlternatingOffers().negotiate(two_sides([pa, pb], [sa, sb], [da, db])).text[0]
    lo, hi = sorted((pa, pb))
    assert lo - 1e-9 <= text <= hi + 1e-9
    grid = np.linspace(lo, hi, 20001)
    gain_a = 1 - sa * np.abs(grid - pa) / 100 - da
    gain_b = 1 - sb * np.abs(grid - pb) / 100 - db
    feasible = (gain_a >= 0) & (gain_b >= 0)
    if feasible.sum() < 2 or hi - lo < 1:
        return  # no deal both prefer to breaking off: nothing to compare with
    nash = grid[feasible][np.argmax((gain_a * gain_b)[feasible])]
    assert abs(text - nash) <= 1.0 + 0.02 * (hi - lo)


@FAST
@given(
    st.tuples(
        st.floats(0, 100),
        st.floats(0, 100),
        st.floats(0, 1),
        st.floats(0, 1),
        st.floats(0, 1),
        st.floats(0, 1),
        st.floats(0.001, 1),
    )
)
def test_zeuthen_does_not_care_which_side_is_listed_first(case):
    """Whatever the concession size, offers never cross and the outcome names no favourite."""
    pa, pb, sa, sb, da, db, step = case

    def text(order):
        rows = np.array(order)
        table = two_sides(
            np.array([pa, pb])[rows],
            np.array([sa, sb])[rows],
            np.array([da, db])[rows],
            min_concession=step,
        )
        return AlternatingOffers().negotiate(table).text[0]

    forward, backward = text([0, 1]), text([1, 0])
    assert forward == pytest.approx(backward, abs=1e-9)
    assert min(pa, pb) - 1e-9 <= forward <= max(pa, pb) + 1e-9
