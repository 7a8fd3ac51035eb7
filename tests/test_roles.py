"""The scenario's vocabulary: what each role does in a round, and the declared tracks."""

from __future__ import annotations

from typing import get_args

import matplotlib
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import scenarios
from test_model import tweak

from sim.model import simulate
from sim.output.figures import history_figure, track_markers
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.schema import FORMAT_BEHAVIOUR, ROLE_BEHAVIOUR, ROLES, Format, Role, Track

matplotlib.use("Agg")


@pytest.fixture
def mini(mini_path):
    return load_scenario(mini_path).scenario


def test_every_role_and_format_the_schema_accepts_has_one_documented_row():
    assert set(get_args(Role)) == set(ROLES) == set(ROLE_BEHAVIOUR)
    assert set(get_args(Format)) == set(FORMAT_BEHAVIOUR)
    observer = ROLE_BEHAVIOUR["observer"]
    assert not any([observer.drafts, observer.consents, observer.moves, observer.may_walk_out])
    party, guarantor = ROLE_BEHAVIOUR["party"], ROLE_BEHAVIOUR["guarantor"]
    assert guarantor.guarantees and not party.guarantees
    assert (party.drafts, party.consents, party.moves, party.may_walk_out) == (
        guarantor.drafts,
        guarantor.consents,
        guarantor.moves,
        guarantor.may_walk_out,
    )


def test_under_attendees_the_parties_must_consent_but_not_the_mediator(mini):
    r3 = simulate(tweak(mini)).outcome("r3")  # conveners big, ally; invitees gov, reb, envoy
    assert "envoy" in r3.attended
    assert set(r3.signatories) == {"big", "ally", "gov", "reb"} & set(r3.attended)
    assert "envoy" not in r3.accepted_by  # a mediator's vote is not taken


def test_a_mediator_never_walks_out_where_a_party_would(mini):
    # The envoy hates the text on r3's agenda but is drawn to the table by a patron.
    envoy = {
        "patron": "big",
        "reservation": 0.89,
        "positions": {"truce": 0.0, "power": 60.0, "aid": 0.0},
    }
    params = {"walkout_margin": 0.0, "patron_attendance_pull": 1.0}
    as_party = simulate(tweak(mini, model=params, actors={"envoy": {**envoy, "role": "party"}}))
    assert "envoy" in as_party.outcome("r3").walked_out
    as_mediator = simulate(tweak(mini, model=params, actors={"envoy": envoy}))
    r3 = as_mediator.outcome("r3")
    assert "envoy" in r3.attended and "envoy" not in r3.walked_out


def test_a_round_convened_by_a_mediator_has_no_guarantor_to_distrust(mini):
    # r2 is convened by the envoy (a mediator) with the two parties: nobody there guarantees.
    wary = simulate(tweak(mini, model={"guarantor_distrust": 1.0}))
    came = {e.round: e.text for e in wary.events if e.kind == "attended" and e.actor == "reb"}
    assert "guarantee cost it" in came["r1"]  # Big Power and Ally guarantee r1
    assert "guarantee" not in came["r2"]


def test_the_legend_lists_the_tracks_used_by_display_name_in_declaration_order(mini):
    unused = Track(id="unused", name="Never met")
    scenario = mini.model_copy(update={"tracks": [*mini.tracks, unused]})
    figure = history_figure(simulate(tweak(scenario)), scenario, None)
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    seed = scenario.seed
    model = [f"model (seed {seed})", "same round: model to record"]
    assert labels == ["Capital talks", "Lakeside talks", *model, "record"]
    assert track_markers(scenario) == {"astana": "o", "geneva": "s", "unused": "^"}


def test_a_retired_role_or_format_says_what_replaces_it(tmp_path, mini_text):
    text = mini_text.replace("name: Rebels\n    role: party", "name: Rebels\n    role: opposition")
    text = text.replace("format: face_to_face", "format: opposition_unification")
    (tmp_path / "old.yaml").write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "old.yaml")
    messages = [str(problem) for problem in caught.value.problems]
    assert any(
        "actors[1].role: expected one of 'party', 'guarantor', 'mediator', 'observer'; found "
        "'opposition', a retired name: write role: party with group: opposition" in m
        for m in messages
    ), messages
    assert any("write format: unification" in m for m in messages), messages


def test_rounds_must_name_a_declared_track(tmp_path, mini_text):
    text = mini_text.split("tracks:")[0]  # the fixture declares its tracks last
    (tmp_path / "bare.yaml").write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "bare.yaml")
    [first, *_] = [str(problem) for problem in caught.value.problems]
    assert (
        "schedule[0].track: expected a track declared under the top-level `tracks:` list" in first
    )
    duplicated = mini_text + "  - {id: astana, name: Again}\n"
    (tmp_path / "twice.yaml").write_text(duplicated)
    with pytest.raises(ScenarioError, match=r"tracks\[2\]\.id: expected unique ids"):
        load_scenario(tmp_path / "twice.yaml")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_round_obeys_the_role_table(scenario):
    """Whatever the scenario: only roles that may walk out do; under `attendees` the required
    signatories are exactly the consenting roles who came; the votes are theirs."""
    roles = {a.id: ROLE_BEHAVIOUR[a.role] for a in scenario.actors}
    specs = {r.id: r for r in scenario.schedule}
    for outcome in simulate(scenario, narrate=False).rounds:
        assert all(roles[a].may_walk_out for a in outcome.walked_out)
        if specs[outcome.round_id].signatories == "attendees":
            assert set(outcome.signatories) == {a for a in outcome.attended if roles[a].consents}
        assert all(roles[a].consents or a in outcome.signatories for a in outcome.accepted_by)
