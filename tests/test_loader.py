"""The loader accepts valid scenarios and rejects each malformed one with a precise message."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario import ScenarioError, load_scenario

# (name, old text, new text, line, field path, words the message must contain)
CASES = [
    (
        "position off its scale",
        "positions: {truce: 70, power: 95",
        "positions: {truce: 170, power: 95",
        24,
        "actors[1].positions.truce",
        "expected a number from 0 to 100; found 170",
    ),
    (
        "salience off its scale",
        "power: 1.0, aid: 0.3}",
        "power: 1.5, aid: 0.3}",
        16,
        "actors[0].salience.power",
        "expected a number from 0 to 1; found 1.5",
    ),
    (
        "misspelt key",
        "    concession_rate: 0.2\n    reservation: 0.6",
        "    concesion_rate: 0.2\n    reservation: 0.6",
        17,
        "actors[0].concesion_rate",
        "unknown key 'concesion_rate'; did you mean 'concession_rate'?",
    ),
    (
        "unknown issue on an agenda",
        "agenda: [power, aid]",
        "agenda: [power, aide]",
        81,
        "schedule[1].agenda[1]",
        "expected a known issue id; found 'aide'; did you mean 'aid'?",
    ),
    (
        "unknown invitee",
        "invitees: [gov, reb]\n",
        "invitees: [gov, rebs]\n",
        80,
        "schedule[1].invitees[1]",
        "expected a known actor id; found 'rebs'; did you mean 'reb'?",
    ),
    (
        "rounds out of date order",
        "planned_date: 2017-04-01",
        "planned_date: 2017-02-01",
        86,
        "schedule[2].planned_date",
        "expected a date on or after 2017-02-20",
    ),
    (
        "impossible date",
        "planned_date: 2017-02-20",
        "planned_date: 2017-02-30",
        76,
        "schedule[1].planned_date",
        "expected a valid value; found '2017-02-30'",
    ),
    (
        "text for a number",
        "seed: 11",
        "seed: eleven",
        5,
        "seed",
        "expected a whole number; found 'eleven'",
    ),
    (
        "boolean for a number",
        "capability: 0.7",
        "capability: yes",
        14,
        "actors[0].capability",
        "expected a number; found true (a boolean)",
    ),
    (
        "unknown role",
        "name: Rebels\n    role: party",
        "name: Rebels\n    role: rebel",
        22,
        "actors[1].role",
        "expected one of 'party', 'guarantor', 'mediator' or 'observer'; found 'rebel'",
    ),
    (
        "undeclared track",
        "track: geneva",
        "track: genva",
        75,
        "schedule[1].track",
        "expected a known track id; found 'genva'; did you mean 'geneva'?",
    ),
    (
        "missing position",
        "positions: {truce: 40, power: 5, aid: 30}",
        "positions: {truce: 40, power: 5}",
        15,
        "actors[0].positions",
        "expected a value for issue 'aid'; found none",
    ),
    (
        "duplicate actor id",
        "  - id: reb\n",
        "  - id: gov\n",
        20,
        "actors[1].id",
        "expected unique ids; found 'gov' again",
    ),
    (
        "unknown patron",
        "patron: ally",
        "patron: allie",
        28,
        "actors[1].patron",
        "expected a known actor id; found 'allie'; did you mean 'ally'?",
    ),
    (
        "two changes in one",
        "capability: {add: -0.1}",
        "capability: {add: -0.1, set: 0.2}",
        98,
        "shocks[0].effects[0].capability",
        "expected exactly one of set, add, scale; found 2",
    ),
    (
        "signatory not at the table",
        "signatories: [gov, reb]",
        "signatories: [gov, big]",
        82,
        "schedule[1].signatories[1]",
        "expected a convener or invitee of this round; found 'big'",
    ),
    ("duplicate key", "seed: 11\n", "seed: 11\nseed: 12\n", 6, "seed", "duplicate key"),
    (
        "unknown top-level key",
        "seed: 11\n",
        "seed: 11\nsede: 3\n",
        6,
        "sede",
        "unknown key 'sede'; did you mean 'seed'?",
    ),
    (
        "a key that is not text",
        "seed: 11\n",
        "seed: 11\n3: x\n",
        6,
        "(top level)",
        "expected text keys; found the key 3",
    ),
    ("YAML syntax", "agenda: [truce]\n", "agenda: [truce\n", 72, "(top level)", "invalid YAML"),
    (
        "unknown sources field",
        "    patron: big\n",
        "    patron: big\n    sources:\n      positions.truse: {source: s, quote: q, rule: r}\n",
        21,
        "actors[0].sources.positions.truse",
        "expected a known calibrated field id; found 'positions.truse'; "
        "did you mean 'positions.truce'?",
    ),
    (
        "model parameters that leave the scale",
        "seed: 11\n",
        "seed: 11\nmodel:\n  patron_pull: 0.9\n  pressure_rate: 0.5\n",
        6,
        "model",
        "expected patron_pull + pressure_rate <= 1",
    ),
    (
        "patron cycle",
        "    reservation: 0.3\n  - id: ally",
        "    reservation: 0.3\n    patron: gov\n  - id: ally",
        37,
        "actors[2].patron",
        "expected patron links without a cycle; found big -> gov -> big",
    ),
    (
        "empty agenda",
        "agenda: [truce]\n",
        "agenda: []\n",
        71,
        "schedule[0].agenda",
        "expected at least 1 entries; found 0",
    ),
    (
        "shock on an unknown issue",
        "positions: {truce: {add: -10}}",
        "positions: {truse: {add: -10}}",
        101,
        "shocks[0].effects[1].positions.truse",
        "expected a known issue id; found 'truse'",
    ),
    (
        "negative scale factor",
        "reservation: {add: 0.1}",
        "reservation: {scale: -2}",
        99,
        "shocks[0].effects[0].reservation.scale",
        "expected a number of at least 0; found -2",
    ),
    (
        "NaN in a shock",
        "positions: {truce: {add: -10}}",
        "positions: {truce: {add: .nan}}",
        101,
        "shocks[0].effects[1].positions.truce.add",
        "expected a finite number; found nan",
    ),
    (
        "infinity in a constant",
        "seed: 11\n",
        "seed: 11\nmodel: {convener_weight: .inf}\n",
        6,
        "model.convener_weight",
        "expected a finite number; found inf",
    ),
    (
        "text for a change",
        "reservation: {add: 0.1}",
        "reservation: {add: '0.1'}",
        99,
        "shocks[0].effects[0].reservation.add",
        "expected a number; found '0.1'",
    ),
    (
        "text for a constant",
        "seed: 11\n",
        "seed: 11\nmodel: {position_noise: '3'}\n",
        6,
        "model.position_noise",
        "expected a number; found '3'",
    ),
    (
        "an observer as signatory",
        "signatories: [big, ally]",
        "signatories: [big, watcher]",
        72,
        "schedule[0].signatories[1]",
        "expected a signatory who is not an observer",
    ),
    (
        "a one-word union",
        "signatories: [gov, reb]",
        "signatories: attendee",
        82,
        "schedule[1].signatories",
        "expected a list or one of 'invitees', 'attendees' or 'conveners'; found 'attendee'",
    ),
    (
        "an unknown bargaining rule",
        "seed: 11\n",
        "seed: 11\nmodel: {protocol: zeuthen}\n",
        6,
        "model.protocol",
        "expected one of 'compromise', 'expected_utility', 'single_text' or "
        "'alternating_offers'; found 'zeuthen'",
    ),
    (
        "a concession of nothing",
        "seed: 11\n",
        "seed: 11\nmodel: {alternating_offers: {min_concession: 0}}\n",
        6,
        "model.alternating_offers.min_concession",
        "expected a number from 0.001 to 1; found 0",
    ),
    (
        "a rule's parameter where it sat before its block",
        "seed: 11\n",
        "seed: 11\nmodel: {eu_q: 0.5}\n",
        6,
        "model.eu_q",
        "model.eu_q moved to model.expected_utility.eu_q",
    ),
    (
        "a red line with no bound",
        "    patron: big\n",
        "    patron: big\n    red_lines: {power: {}}\n",
        20,
        "actors[0].red_lines.power",
        "expected at_least, at_most or both; found neither",
    ),
    (
        "a red line with its bounds out of order",
        "    patron: big\n",
        "    patron: big\n    red_lines: {power: {at_least: 50, at_most: 10}}\n",
        20,
        "actors[0].red_lines.power",
        "expected at_least <= at_most; found at_least 50 above at_most 10",
    ),
    (
        "a red line on an unknown issue",
        "    patron: big\n",
        "    patron: big\n    red_lines: {powr: {at_most: 10}}\n",
        20,
        "actors[0].red_lines.powr",
        "expected a known issue id; found 'powr'; did you mean 'power'?",
    ),
    (
        "a red line its own position crosses",
        "    patron: big\n",
        "    patron: big\n    red_lines: {power: {at_least: 50}}\n",
        20,
        "actors[0].red_lines.power",
        "expected the actor's position on 'power' within its red line (at_least 50); "
        "found position 5",
    ),
    (
        "a red line off the scale",
        "    patron: big\n",
        "    patron: big\n    red_lines: {power: {at_most: 150}}\n",
        20,
        "actors[0].red_lines.power.at_most",
        "expected a number from 0 to 100; found 150",
    ),
    (
        "a round that ratifies a later round",
        "    agenda: [power, aid]\n    signatories: [gov, reb]\n",
        "    agenda: [power, aid]\n    signatories: [gov, reb]\n    ratifies: r3\n",
        83,
        "schedule[1].ratifies",
        "expected a round earlier in the schedule; found 'r3'",
    ),
    (
        "a round that ratifies an unknown round",
        "    agenda: [power, aid]\n    signatories: [gov, reb]\n",
        "    agenda: [power, aid]\n    signatories: [gov, reb]\n    ratifies: r11\n",
        83,
        "schedule[1].ratifies",
        "expected a known round id; found 'r11'",
    ),
    (
        "a ratification of issues the ratified round never had",
        "    agenda: [power, aid]\n    signatories: [gov, reb]\n",
        "    agenda: [power, aid]\n    signatories: [gov, reb]\n    ratifies: r1\n",
        81,
        "schedule[1].agenda",
        "expected only issues on the agenda of 'r1', which this round ratifies; found power, aid",
    ),
    (
        "an issue named like a type",
        "positions: {truce: 40, power: 5, aid: 30}",
        "positions: {truce: 40, power: 5, aid: 300}",
        15,
        "actors[0].positions.aid",
        "expected a number from 0 to 100; found 300",
    ),
]


def _write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_fixture_loads(mini_path):
    loaded = load_scenario(mini_path)
    assert loaded.scenario.name == "mini"
    assert [r.id for r in loaded.scenario.schedule] == ["r1", "r2", "r3"]


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "path", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_each_malformed_input_gets_a_precise_message(
    tmp_path, mini_text, name, old, new, line, path, words
):
    assert mini_text.count(old) == 1, f"test case {name!r} does not match the fixture"
    file = _write(tmp_path, mini_text.replace(old, new))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(file)
    expected = f"{file}:{line}: {path}: "
    lines = str(caught.value).splitlines()
    assert any(text.startswith(expected) and words in text for text in lines), str(caught.value)


def test_a_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")


def test_a_top_level_list(tmp_path):
    with pytest.raises(ScenarioError, match=r":1: \(top level\): expected a mapping"):
        load_scenario(_write(tmp_path, "- a\n- b\n"))


def test_all_problems_are_reported_at_once(tmp_path, mini_text):
    text = mini_text.replace("capability: 0.7", "capability: 7").replace(
        "name: Rebels\n    role: party", "name: Rebels\n    role: x"
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_write(tmp_path, text))
    assert len(caught.value.problems) == 2


HOSTILE = [
    ("a control character", "name: x\x07\n", ":1: (top level): invalid YAML: unacceptable"),
    ("a recursive alias", "description: &a [*a]\n", ":1: description[0]: expected no alias that"),
    ("deep nesting", "[" * 5000 + "\n", "expected at most 64 levels of nesting"),
    (
        "an alias bomb",
        "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
        + "".join(
            f"{n}: &{n} [{','.join(['*' + p] * 10)}]\n"
            for p, n in zip("abcdefg", "bcdefgh", strict=True)
        ),
        "values (aliases can multiply them); found more",
    ),
]


@pytest.mark.parametrize(("name", "text", "words"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_yaml_is_refused_with_a_message(tmp_path, name, text, words):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_write(tmp_path, text))
    assert words in str(caught.value)


def test_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes(b"name: x\nseed: 1\n\xff\xfe\n")
    with pytest.raises(ScenarioError, match=r"s.yaml:3: \(top level\): expected UTF-8 text"):
        load_scenario(path)


def test_a_merge_key_may_be_overridden(tmp_path, mini_text):
    text = mini_text.replace(
        "    positions: {truce: 40, power: 5, aid: 30}",
        "    positions: &p {truce: 40, power: 5, aid: 30}",
    ).replace("    positions: {truce: 70, power: 95, aid: 90}", "    positions: {<<: *p, aid: 90}")
    reb = load_scenario(_write(tmp_path, text)).scenario.actor("reb")
    assert reb.positions == {"truce": 40, "power": 5, "aid": 90}


def test_an_issue_may_be_called_like_a_type(tmp_path, mini_text):
    text = mini_text.replace("aid", "int").replace("capability: 0.7", "capability: 0.7\n")
    text = text.replace(
        "positions: {truce: 40, power: 5, int: 30}", "positions: {truce: 40, power: 5, int: 140}"
    )
    with pytest.raises(ScenarioError, match=r"actors\[0\]\.positions\.int: expected a number from"):
        load_scenario(_write(tmp_path, text))
