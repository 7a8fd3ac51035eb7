"""History files as strict as scenarios: types, every problem at once, suggestions, extends."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.history import load_history
from sim.scenario import ScenarioError, load_scenario

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(DATA / "mini.yaml").scenario


def problems(tmp_path, text: str, scenario, name: str = "h.yaml") -> list[str]:
    (tmp_path / name).write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_history(tmp_path / name, scenario)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("fact", "expected"),
    [
        ("delay_days: '7'", "events[0].delay_days: expected a whole number; found '7'"),
        ("delay_days: true", "events[0].delay_days: expected a whole number; found true"),
        ("delay_days: 2.5", "events[0].delay_days: expected a whole number; found 2.5"),
        ("delay_days: 99999", "events[0].delay_days: expected a number from -3650 to 3650"),
        ("took_place: 'no'", "events[0].took_place: expected true or false; found 'no'"),
        ("single_delegation: 'yes'", "events[0].single_delegation: expected true or false"),
        ("single_delegation: 1", "events[0].single_delegation: expected true or false; found 1"),
        ("agreed: {truce: 'yes'}", "events[0].agreed.truce: expected true or false"),
        ("actual_date: 1484000000", "events[0].actual_date: expected a date (YYYY-MM-DD)"),
        ("actual_date: '2017-13-01'", "events[0].actual_date: expected a date (YYYY-MM-DD)"),
        ("actual_date: 2017-01-10 10:00:00", "events[0].actual_date: expected a date (YYYY-MM-DD)"),
        ("actual_date: 0001-01-01", "events[0].actual_date: expected a date from 1800-01-01"),
        ("attended: big", "events[0].attended: expected a list"),
        ("ended: 1484000000", "events[0].ended: expected a date (YYYY-MM-DD); found 1484000000"),
        ("ended: '10 Jan 2017'", "events[0].ended: expected a date (YYYY-MM-DD)"),
        ("extensions: -1", "events[0].extensions: expected a number from 0 to 100"),
        ("extensions: '2'", "events[0].extensions: expected a whole number; found '2'"),
        ("extensions: true", "events[0].extensions: expected a whole number; found true"),
        ("summary: 12", "events[0].summary: expected text; found 12"),
        ("sources: {agreed.truce: 3}", "events[0].sources.agreed.truce: expected text"),
        ("walkedout: []", "unknown key 'walkedout'; did you mean 'walked_out'?"),
    ],
)
def test_each_lax_value_is_refused(tmp_path, scenario, fact, expected):
    [problem] = problems(tmp_path, f"events:\n  - round: r1\n    {fact}\n", scenario)
    assert problem.startswith(f"{tmp_path / 'h.yaml'}:3: ")
    assert expected in problem


def test_a_round_cannot_end_before_it_opened(tmp_path, scenario):
    text = "events:\n  - round: r1\n    actual_date: 2017-01-10\n    ended: 2017-01-09\n"
    [problem] = problems(tmp_path, text, scenario)
    assert problem.startswith(f"{tmp_path / 'h.yaml'}:4: events[0].ended: ")
    assert "expected a date on or after actual_date (2017-01-10)" in problem
    assert "found 2017-01-09" in problem
    (tmp_path / "ok.yaml").write_text(text.replace("01-09", "01-10"))
    assert load_history(tmp_path / "ok.yaml", scenario).events[0].ended.day == 10


def test_a_quoted_iso_date_is_a_date(tmp_path, scenario):
    (tmp_path / "h.yaml").write_text("events:\n  - {round: r1, actual_date: '2017-01-10'}\n")
    assert str(load_history(tmp_path / "h.yaml", scenario).events[0].actual_date) == "2017-01-10"


MISTAKES = """\
events:
  - round: r1
    delay_days: "7"
    attended: [big, aly]
  - round: r2
    agreed: {powr: false}
    sources: {atended: "x"}
  - round: r3x
"""


def test_every_problem_at_once_schema_and_cross_checks_with_suggestions(tmp_path, scenario):
    found = problems(tmp_path, MISTAKES, scenario)
    assert [p.split(": ", 2)[1] for p in found] == [
        "events[0].delay_days",
        "events[0].attended[1]",
        "events[1].agreed.powr",
        "events[1].sources.atended",
        "events[2].round",
    ]
    assert "did you mean 'ally'?" in found[1]
    assert "did you mean 'power'?" in found[2]
    assert "did you mean 'attended'?" in found[3]
    assert (
        "expected a round id of the scenario's schedule; found 'r3x'; did you mean 'r3'?"
        in (found[4])
    )


def test_sources_are_keyed_by_fact_issue_or_listed_actor(tmp_path, scenario):
    ok = (
        "events:\n  - round: r1\n    attended: [big, gov]\n    agreed: {truce: true}\n"
        "    sources: {attended: a, attended.gov: b, agreed.truce: c, delay_days: d}\n"
    )
    (tmp_path / "h.yaml").write_text(ok)
    assert load_history(tmp_path / "h.yaml", scenario).events[0].sources["attended.gov"] == "b"
    bad = ok.replace("attended.gov", "attended.reb")
    [problem] = problems(tmp_path, bad, scenario)
    assert "sources.attended.reb: expected an actor listed in attended; found 'reb'" in problem


BASE = """\
description: the first record
events:
  - round: r1
    delay_days: 0
    attended: [big, ally, gov]
    agreed: {truce: true}
  - round: r2
    delay_days: 7
"""

LATER = """\
extends: base.yaml
events:
  - round: r2
    agreed: {power: false}
  - round: r3
    agreed: {truce: false}
  - {round: r1, remove: true}
"""


def test_a_later_record_extends_an_earlier_one_event_by_round(tmp_path, scenario):
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "later.yaml").write_text(LATER.replace("  - {round: r1, remove: true}\n", ""))
    history = load_history(tmp_path / "later.yaml", scenario)
    assert history.description == "the first record"
    assert [e.round for e in history.events] == ["r1", "r2", "r3"]
    r2 = history.event("r2")
    assert (r2.delay_days, r2.agreed) == (7, {"power": False})  # kept and added
    (tmp_path / "later.yaml").write_text(LATER)
    assert [e.round for e in load_history(tmp_path / "later.yaml", scenario).events] == [
        "r2",
        "r3",
    ]


def test_errors_in_an_extended_record_name_the_file_they_are_in(tmp_path, scenario):
    (tmp_path / "base.yaml").write_text(BASE.replace("delay_days: 7", "delay_days: '7'"))
    found = problems(tmp_path, LATER, scenario, name="later.yaml")
    assert any("base.yaml:8: events[0].delay_days: expected a whole number" in p for p in found)
    (tmp_path / "base.yaml").write_text("extends: later.yaml\nevents: []\n")
    [cycle] = problems(tmp_path, LATER, scenario, name="later.yaml")
    assert "extends cycle" in cycle
    (tmp_path / "later.yaml").write_text("extends: gone.yaml\nevents: []\n")
    with pytest.raises(ScenarioError, match="expected an existing history file; found no such"):
        load_history(tmp_path / "later.yaml", scenario)


def test_a_file_that_is_not_a_mapping_is_refused_without_quoting_it(tmp_path, scenario):
    (tmp_path / "h.yaml").write_text("root:x:0:0:secret-looking text\n")
    [problem] = problems(tmp_path, "root:x:0:0:secret-looking text\n", scenario)
    assert "expected a mapping of" in problem and "secret" not in problem


def test_extends_refuses_link_loops_and_files_that_are_not_regular(tmp_path, scenario):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    [loop] = problems(tmp_path, "extends: a\nevents: []\n", scenario)
    assert "extends" in loop and "Traceback" not in loop
    [device] = problems(tmp_path, "extends: /dev/null\nevents: []\n", scenario)
    assert "found something that is not a regular file: '/dev/null'" in device
