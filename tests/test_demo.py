"""The live page's logic without a browser: class settings -> scenario, sessions, role-play, views.

The page itself (Panel) is built in-process where the classroom extra is installed; the browser
test (tests/test_demo_e2e.py) drives the real server.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.classroom.live import server
from sim.classroom.live.session import Catalog, LiveSession, Stage
from sim.classroom.live.settings import (
    NO_PATRON,
    ClassSettings,
    apply_settings,
    shipped_scenarios,
)
from sim.classroom.live.views import issue_space, round_story, timeline
from sim.classroom.rundir_reader import read_run_dir
from sim.cli import main
from sim.model import simulate
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "data" / "mini.yaml"
FLAGSHIP = ROOT / "scenarios" / "astana_2017.yaml"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(MINI).scenario


@pytest.fixture(scope="module")
def catalog():
    return Catalog((MINI, FLAGSHIP))


# --- settings -> scenario ---------------------------------------------------------------------


def test_each_class_setting_reaches_the_scenario_and_the_original_is_untouched(mini):
    before = mini.model_dump()
    changed = apply_settings(
        mini,
        ClassSettings(
            reservation={"gov": 0.1},
            salience={("reb", mini.issues[0].id): 0.9},
            patron={"gov": "ally", "reb": NO_PATRON},
            invitees={"r1": ("gov", "reb", "envoy")},
            protocol="compromise",
            seed=11,
        ),
    )
    assert changed.actor("gov").reservation == 0.1
    assert changed.actor("reb").salience[mini.issues[0].id] == 0.9
    assert changed.actor("gov").patron == "ally" and changed.actor("reb").patron is None
    assert next(r for r in changed.schedule if r.id == "r1").invitees == ["gov", "reb", "envoy"]
    assert changed.model.protocol == "compromise" and changed.seed == 11
    assert mini.model_dump() == before


def test_empty_settings_give_the_scenario_as_shipped(mini):
    assert ClassSettings().is_empty
    assert apply_settings(mini, ClassSettings()) == mini


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (ClassSettings(reservation={"gov": 1.5}), "actors[0].reservation: expected a number"),
        (ClassSettings(patron={"gov": "gov"}), "actors[0].patron: expected another actor"),
        (ClassSettings(patron={"gov": "nobody"}), "actors[0].patron: expected a known actor"),
        (ClassSettings(protocol="vote"), "model.protocol"),
        (ClassSettings(reservation={"ghost": 0.5}), "expected one of the actors"),
        (ClassSettings(salience={("gov", "zz"): 0.5}), "expected one of the issues"),
        (ClassSettings(invitees={"r9": ("gov",)}), "expected one of the rounds"),
        (ClassSettings(invitees={"r2": ("ghost",)}), "schedule.r2.invitees"),
    ],
)
def test_a_change_the_scenario_cannot_hold_is_refused_by_field(mini, changes, expected):
    with pytest.raises(ScenarioError) as info:
        apply_settings(mini, changes)
    assert expected in str(info.value)


@settings(max_examples=25, deadline=None)
@given(value=st.floats(-1.0, 2.0, allow_nan=False), issue=st.integers(0, 10))
def test_any_salience_in_range_is_taken_as_given_and_any_other_refused(mini, value, issue):
    issue_id = mini.issues[issue % len(mini.issues)].id
    changes = ClassSettings(salience={("gov", issue_id): value})
    if 0.0 <= value <= 1.0:
        assert apply_settings(mini, changes).actor("gov").salience[issue_id] == value
    else:
        with pytest.raises(ScenarioError, match=r"actors\[0\]\.salience"):
            apply_settings(mini, changes)


def test_changed_merges_mappings_and_keeps_what_it_is_not_told():
    first = ClassSettings(reservation={"a": 0.2}, seed=3)
    second = first.changed(reservation={"b": 0.4}, protocol="compromise")
    assert dict(second.reservation) == {"a": 0.2, "b": 0.4}
    assert second.seed == 3 and second.protocol == "compromise"
    assert dict(first.reservation) == {"a": 0.2}


def test_the_shipped_scenarios_are_listed_and_records_and_fit_specs_are_not():
    found = {
        p.relative_to(ROOT / "scenarios").as_posix() for p in shipped_scenarios(ROOT / "scenarios")
    }
    assert {"astana_2017.yaml", "havana/havana_2012.yaml"} <= found
    assert not any(
        "records/" in f or f.endswith(("fit.yaml", "actors.yaml", "history.yaml")) for f in found
    )
    for name in sorted(found):
        load_scenario(ROOT / "scenarios" / name)  # every one listed is a valid scenario


# --- sessions -----------------------------------------------------------------------------------


def test_sessions_have_their_own_model_and_settings(catalog):
    a, b = LiveSession(catalog, MINI), LiveSession(catalog, MINI)
    a.step()
    a.apply(ClassSettings(reservation={"gov": 0.05}))
    a.step()
    assert len(b.model.log_.rounds) == 0 and b.settings.is_empty
    assert b.scenario.actor("gov").reservation != 0.05
    assert catalog.case(MINI).scenario.actor("gov").reservation != 0.05
    assert a.model is not b.model


def test_run_to_the_end_is_the_command_line_run_and_reset_starts_again(catalog):
    session = LiveSession(catalog, MINI)
    session.run_to_end()
    assert not session.running
    assert session.model.log_.rounds == simulate(session.scenario).rounds
    session.reset()
    assert session.current is None and session.running
    session.step()
    assert session.current == simulate(session.scenario).rounds[0]


def test_applied_settings_change_the_run_and_an_invalid_one_leaves_it(catalog):
    session = LiveSession(catalog, MINI)
    session.step()
    session.apply(ClassSettings(seed=5, protocol="compromise"))
    assert session.current is None and session.scenario.seed == 5
    assert session.scenario.model.protocol == "compromise"
    session.step()
    with pytest.raises(ScenarioError):
        session.apply(ClassSettings(reservation={"gov": 3.0}))
    assert len(session.model.log_.rounds) == 1 and session.scenario.seed == 5


def test_the_download_is_a_run_directory_the_handout_reads(catalog, tmp_path):
    session = LiveSession(catalog, MINI)
    session.step()
    with zipfile.ZipFile(io.BytesIO(session.run_zip("class"))) as archive:
        archive.extractall(tmp_path)
        assert "class/rounds.csv" in archive.namelist()
    run = read_run_dir(tmp_path / "class")
    assert [r.round_id for r in run.rounds] == [session.current.round_id]
    assert session.run_zip("class") == session.run_zip("class")  # no clock in the archive


# --- role-play ----------------------------------------------------------------------------------


def _to_question(session: LiveSession, stage: Stage):
    for _ in range(len(session.scenario.schedule)):
        question = session.question()
        if question.stage is stage:
            return question
        session.step()
    raise AssertionError(f"no {stage} in the run")


def test_a_delegation_that_stays_away_is_recorded_away(catalog):
    session = LiveSession(catalog, MINI)
    session.play("reb")
    _to_question(session, Stage.ATTEND)
    session.decide_attend(False)
    assert session.question().stage is Stage.READY
    outcome = session.step()
    assert "reb" in outcome.stayed_away and "reb" not in outcome.attended


def test_the_played_round_is_the_round_the_preview_showed(catalog):
    session = LiveSession(catalog, MINI)
    session.play("gov")
    question = _to_question(session, Stage.ATTEND)
    session.decide_attend(True)
    question = session.question()
    assert question.stage is Stage.ACCEPT
    session.decide_accept({issue: False for issue, _, _ in question.clauses})
    question = session.question()
    assert question.stage is Stage.MOVE and "gov" not in question.outcome.accepted_by
    chosen = {issue: 50.0 for issue in question.moves}
    session.decide_move(chosen)
    shown = session.question().outcome
    played = session.step()
    assert played == shown and "gov" not in played.accepted_by
    index = session.model.actor_index["gov"]
    for issue, value in chosen.items():
        assert session.positions_now()[index, session.model.issue_index[issue]] == value


def test_nobody_played_asks_nothing_and_an_unknown_actor_is_refused(catalog):
    session = LiveSession(catalog, MINI)
    assert session.question().stage is Stage.NONE
    with pytest.raises(KeyError):
        session.play("ghost")


# --- views --------------------------------------------------------------------------------------


def test_timeline_has_every_round_with_the_model_and_the_record(catalog):
    session = LiveSession(catalog, FLAGSHIP)
    session.step()
    rows = timeline(session.model.log_, session.scenario, session.case.history)
    assert [r.round_id for r in rows] == [s.id for s in session.scenario.schedule]
    assert rows[0].model_date is not None and rows[1].model_date is None
    assert all(r.record_date is not None for r in rows if r.took_place)
    assert rows[0].summary.startswith("model: agreed") and "record:" in rows[0].summary
    assert rows[1].summary.startswith("model: not played yet")


def test_issue_space_trails_grow_with_each_round(catalog):
    session = LiveSession(catalog, FLAGSHIP)
    issues = session.scenario.issue_ids()[:2]
    for played in range(3):
        space = issue_space(
            session.model.log_,
            session.scenario,
            session.positions_now(),
            session.capability_now(),
            *issues,
        )
        assert space.trail_x.shape == (len(session.scenario.actors), played + 1)
        assert (space.trail_x[:, -1] == space.x).all()
        session.step()


def test_round_story_says_why_and_keeps_the_round_s_sentences(catalog):
    session = LiveSession(catalog, FLAGSHIP)
    outcome = session.step()
    story = round_story(session.model.log_, session.scenario, outcome.round_id)
    assert story.why.startswith("Agreed on")
    assert story.key and set(story.key) <= set(story.narrative)
    assert any("Aleppo" in line for line in story.before)  # the shock before the first round


# --- the command ----------------------------------------------------------------------------------


def test_demo_without_the_classroom_extra_exits_2_naming_the_pip_command(monkeypatch):
    monkeypatch.setattr(server, "missing_extra", lambda: ["panel"])
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 2
    assert "pip install -e '.[classroom]'" in result.output
    assert "Traceback" not in result.output


def test_demo_with_a_bad_scenario_exits_2_before_serving(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "missing_extra", lambda: [])
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nseed: -1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["demo", "--scenario", str(bad)])
    assert result.exit_code == 2 and "bad.yaml" in result.output
    assert "Traceback" not in result.output


def test_the_menu_puts_the_given_scenario_first_and_keeps_the_shipped_ones(tmp_path):
    labels = server.scenario_labels(MINI)
    assert next(iter(labels.values())) == MINI
    assert "astana_2017.yaml" in labels
    assert server.scenario_labels(None, tmp_path) == {}


# --- the page, built in-process -------------------------------------------------------------------


def test_each_page_has_its_own_session_and_its_buttons_drive_it(catalog):
    pytest.importorskip("panel", reason="the classroom extra (panel) is not installed")
    from sim.classroom.live.page import Page

    labels = {"mini.yaml": MINI}
    one, two = Page(catalog, MINI, labels), Page(catalog, MINI, labels)
    assert one.session is not two.session
    one.step_button.clicks += 1
    assert len(one.session.model.log_.rounds) == 1 and not two.session.model.log_.rounds
    assert "1 of 3 rounds played" in one.status.object
    one.actor.value = "gov"
    one.reservation.value = 0.2
    one.apply_button.clicks += 1
    assert one.session.scenario.actor("gov").reservation == 0.2
    assert one.session.current is None and "Applied" in one.message.object
    one.reservation.value = 1.0
    one.rule.value = "compromise"
    one.apply_button.clicks += 1
    assert one.session.scenario.model.protocol == "compromise"
    assert two.session.scenario.model.protocol == catalog.case(MINI).scenario.model.protocol
