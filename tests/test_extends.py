"""Counterfactuals: a file that extends a base states only what differs."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.model import simulate
from sim.output import run_files
from sim.scenario import ScenarioError, load_scenario


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def base(tmp_path, mini_text) -> Path:
    return _write(tmp_path / "base.yaml", mini_text)


def test_a_counterfactual_that_overrides_nothing_reproduces_its_base_byte_for_byte(tmp_path, base):
    child = _write(tmp_path / "same.yaml", "extends: base.yaml\n")
    a, b = load_scenario(base).scenario, load_scenario(child).scenario
    assert a == b
    assert run_files(simulate(a), a) == run_files(simulate(b), b)


def test_actors_are_merged_by_id_and_other_fields_are_kept(tmp_path, base):
    child = _write(
        tmp_path / "cf.yaml",
        "extends: base.yaml\nname: cf\nactors:\n  - id: reb\n    positions: {power: 50}\n",
    )
    scenario = load_scenario(child).scenario
    reb = scenario.actor("reb")
    assert reb.positions == {"truce": 70, "power": 50, "aid": 90}
    assert reb.capability == 0.3
    assert scenario.name == "cf"
    assert scenario.actor_ids() == ["gov", "reb", "big", "ally", "envoy", "watcher"]


def test_an_entry_can_be_removed(tmp_path, base):
    child = _write(
        tmp_path / "cf.yaml",
        "extends: base.yaml\nshocks:\n  - {id: offensive, remove: true}\n",
    )
    assert load_scenario(child).scenario.shocks == []


def test_a_new_round_takes_its_place_by_date(tmp_path, base):
    child = _write(
        tmp_path / "cf.yaml",
        "extends: base.yaml\nschedule:\n"
        "  - {id: extra, name: Extra, track: geneva, planned_date: 2017-03-05, venue: V,\n"
        "     format: proximity_talks, conveners: [envoy], invitees: [gov, reb], agenda: [aid]}\n",
    )
    assert [r.id for r in load_scenario(child).scenario.schedule] == ["r1", "r2", "extra", "r3"]


def test_plain_lists_are_replaced(tmp_path, base):
    child = _write(
        tmp_path / "cf.yaml",
        "extends: base.yaml\nschedule:\n  - {id: r1, invitees: [gov]}\n",
    )
    assert load_scenario(child).scenario.schedule[0].invitees == ["gov"]


def test_errors_name_the_file_that_wrote_the_value(tmp_path, base):
    child = _write(
        tmp_path / "cf.yaml",
        "extends: base.yaml\nactors:\n  - id: reb\n    positions: {power: 500}\n",
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    assert "cf.yaml:4: actors[1].positions.power: expected a number from 0 to 100" in str(
        caught.value
    )


def test_an_error_in_the_base_names_the_base(tmp_path, mini_text):
    _write(tmp_path / "base.yaml", mini_text.replace("capability: 0.7", "capability: 7"))
    child = _write(tmp_path / "cf.yaml", "extends: base.yaml\nname: cf\n")
    with pytest.raises(ScenarioError, match=r"base.yaml:14: actors\[0\].capability"):
        load_scenario(child)


def test_removing_an_unknown_entry_is_an_error(tmp_path, base):
    child = _write(
        tmp_path / "cf.yaml", "extends: base.yaml\nactors:\n  - {id: nobody, remove: true}\n"
    )
    with pytest.raises(ScenarioError, match=r"cf.yaml:3: actors\[0\].remove: expected the id"):
        load_scenario(child)


def test_removing_an_actor_that_rounds_still_invite_is_caught(tmp_path, base):
    child = _write(
        tmp_path / "cf.yaml", "extends: base.yaml\nactors:\n  - {id: watcher, remove: true}\n"
    )
    with pytest.raises(
        ScenarioError, match=r"invitees\[3\]: expected a known actor id; found 'watcher'"
    ):
        load_scenario(child)


def test_extends_cycles_are_caught(tmp_path):
    _write(tmp_path / "a.yaml", "extends: b.yaml\n")
    _write(tmp_path / "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match=r"extends: extends cycle: a.yaml -> b.yaml -> a.yaml"):
        load_scenario(tmp_path / "a.yaml")


def test_a_missing_base_is_caught(tmp_path):
    _write(tmp_path / "a.yaml", "extends: gone.yaml\n")
    with pytest.raises(
        ScenarioError, match=r"a.yaml:1: extends: expected an existing scenario file"
    ):
        load_scenario(tmp_path / "a.yaml")


def test_several_bases_merge_left_to_right(tmp_path, mini_text):
    _write(tmp_path / "base.yaml", mini_text)
    _write(tmp_path / "seed.yaml", "seed: 99\n")
    child = _write(tmp_path / "cf.yaml", "extends: [base.yaml, seed.yaml]\nname: two\n")
    scenario = load_scenario(child).scenario
    assert (scenario.seed, scenario.name) == (99, "two")


def test_an_empty_list_clears_the_base(tmp_path, base):
    child = _write(tmp_path / "cf.yaml", "extends: base.yaml\nshocks: []\n")
    assert load_scenario(child).scenario.shocks == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            "actors:\n  - {id: gov, capability: 0.5}\n  - {id: gov, capability: 0.4}\n",
            "cf.yaml:4: actors[1].id: expected unique ids; found 'gov' again",
        ),
        (
            "shocks:\n  - {id: offensive, remove: false}\n",
            "cf.yaml:3: shocks[0].remove: expected remove: true",
        ),
        ("shocks:\n  - {remove: true}\n", "cf.yaml:3: shocks[0]: expected the id of the entry"),
        (
            "extends: sub\n",
            "cf.yaml:1: extends: expected an existing scenario file; found a directory",
        ),
    ],
)
def test_merge_mistakes_are_reported_where_they_were_written(tmp_path, base, body, words):
    (tmp_path / "sub").mkdir()
    text = body if body.startswith("extends") else "extends: base.yaml\n" + body
    child = _write(tmp_path / "cf.yaml", text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    assert words in str(caught.value)


def test_a_cycle_is_reported_at_the_extends_that_closes_it(tmp_path):
    _write(tmp_path / "a.yaml", "# a\nname: a\nextends: b.yaml\n")
    _write(tmp_path / "b.yaml", "# b\n\nextends: a.yaml\n")
    with pytest.raises(ScenarioError, match=r"b.yaml:3: extends: extends cycle"):
        load_scenario(tmp_path / "a.yaml")
