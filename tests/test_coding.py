"""The coding of the record (issue 10): each agreed text substantive or a reaffirmation, and the
two readings of the record it gives (lenient: a reaffirmation counts as agreed; strict: not)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import cli

from sim.baselines import baseline_scores
from sim.facts import CODINGS, FACTS, VARIANTS, coded_facts, fact, recorded_facts, repeat_last
from sim.history import History, RecordedEvent, load_history
from sim.scenario import ScenarioError, load_scenario
from sim.scoring import score, score_codings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SHIPPED = [
    ("scenarios/astana_2017.yaml", "calibration/history.yaml"),
    ("scenarios/havana/havana_2012.yaml", "scenarios/havana/history.yaml"),
    (
        "scenarios/counterfactuals/geneva_only.yaml",
        "scenarios/counterfactuals/records/geneva_only.yaml",
    ),
    (
        "scenarios/counterfactuals/single_opposition_delegation.yaml",
        "scenarios/counterfactuals/records/single_opposition_delegation.yaml",
    ),
]


@pytest.fixture(scope="module")
def mini():
    return load_scenario(DATA / "mini.yaml").scenario


def problems(tmp_path, text: str, scenario) -> list[str]:
    (tmp_path / "h.yaml").write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_history(tmp_path / "h.yaml", scenario)
    return [str(p).removeprefix(f"{tmp_path}/") for p in caught.value.problems]


# --- the field ---------------------------------------------------------------------------------


def test_a_bad_coding_is_reported_with_file_line_field_and_suggestion(tmp_path, mini):
    found = problems(
        tmp_path,
        "events:\n"
        "  - round: r1\n"
        "    agreed: {truce: true}\n"
        "    agreed_text: {truce: reaffirmed}\n"
        "  - round: r2\n"
        "    agreed: {power: false, aid: true}\n"
        "    agreed_text: {power: substantive, ad: substantive, aid: 3}\n"
        "    sources: {agreed_text.aid: x, agreed_txt.aid: y, agreed_text.power: z}\n",
        mini,
    )
    assert found == [
        "h.yaml:4: events[0].agreed_text.truce: expected 'substantive' or 'reaffirmation'; "
        "found 'reaffirmed'; did you mean 'reaffirmation'?",
        "h.yaml:7: events[1].agreed_text.aid: expected 'substantive' or 'reaffirmation'; found 3",
        "h.yaml:7: events[1].agreed_text.power: expected an issue agreed true (only an agreed "
        "text is substantive or a reaffirmation); found 'power', recorded as agreed: false",
        "h.yaml:7: events[1].agreed_text.ad: expected an issue of this event's agreed; found "
        "'ad'; did you mean 'aid'?",
        "h.yaml:8: events[1].sources.agreed_txt.aid: expected a fact's name (e.g. attended, "
        "actual_date), agreed.<issue>, agreed_text.<issue> or <list>.<actor>; found "
        "'agreed_txt.aid'; did you mean 'agreed_text.aid'?",
    ]


def test_the_field_is_optional_and_an_uncoded_agreement_is_unknown_under_strict(mini):
    history = History(events=[RecordedEvent(round="r1", agreed={"truce": True})])
    lenient = {(f.fact.name, f.key) for f in recorded_facts(mini, history)}
    strict = {(f.fact.name, f.key) for f in recorded_facts(mini, history, "strict")}
    assert ("agreed", "truce") in lenient
    assert not any(name.startswith("agreed") for name, _ in strict)


def test_the_validate_command_reports_a_bad_coding_and_exits_2(tmp_path):
    scenario = (DATA / "mini.yaml").read_text().replace("mini_history.yaml", "h.yaml")
    (tmp_path / "s.yaml").write_text(scenario)
    (tmp_path / "h.yaml").write_text(
        "events:\n  - round: r1\n    agreed: {truce: true}\n    agreed_text: {truce: new}\n"
    )
    done = cli("validate", str(tmp_path / "s.yaml"))
    assert done.returncode == 2, done.stdout
    assert "h.yaml:4: events[0].agreed_text.truce" in done.stderr
    assert "Traceback" not in done.stderr


# --- the strict variant ------------------------------------------------------------------------


def test_the_strict_coding_swaps_in_its_variant_and_keeps_the_rest():
    lenient, strict = coded_facts("lenient"), coded_facts("strict")
    assert [f.name for f in lenient] == [f.name for f in FACTS]
    assert [f.name for f in strict] == [
        "agreed_strict" if f.name == "agreed" else f.name for f in FACTS
    ]
    assert set(CODINGS) == {"lenient", "strict"} and all(v.coding in CODINGS for v in VARIANTS)
    with pytest.raises(ValueError, match="expected a coding of the record"):
        coded_facts("sloppy")


@pytest.mark.parametrize(
    ("agreed", "text", "strict"),
    [
        (True, "substantive", True),
        (True, "reaffirmation", False),
        (False, None, False),
        (True, None, None),  # uncoded: unknown, not scored
    ],
)
def test_a_reaffirmation_is_no_agreement_under_strict(mini, agreed, text, strict):
    coded = {"truce": text} if text else {}
    event = RecordedEvent(round="r1", agreed={"truce": agreed}, agreed_text=coded)
    history = History(events=[event])
    forecast = {("r1", "agreed", "truce"): (True,), ("r1", "agreed_strict", "truce"): (True,)}
    [lenient] = score(forecast, mini, history).facts
    assert lenient.recorded == float(agreed)
    facts = score(forecast, mini, history, "strict").facts
    if strict is None:
        assert facts == ()
    else:
        [one] = facts
        assert one.observable == "agreed_strict" and one.recorded == float(strict)
        assert one.loss == (0.0 if strict else 1.0)


def test_repeat_the_last_meeting_repeats_it_as_each_coding_reads_it(mini):
    coded = {"truce": "reaffirmation"}
    event = RecordedEvent(round="r1", agreed={"truce": True}, agreed_text=coded)
    history = History(events=[event])
    forecast = repeat_last(mini, history)
    later = [s.id for s in mini.schedule if s.track == mini.schedule[0].track][1:]
    assert later, "the mini scenario has a second meeting on r1's track"
    issues = [k for (rid, name, k) in forecast if rid == later[0] and name == "agreed"]
    for issue in issues:
        assert forecast[(later[0], "agreed", issue)] == (True,)
        assert forecast[(later[0], "agreed_strict", issue)] == (False,)


def test_one_ensemble_is_scored_under_every_coding_from_the_same_runs(mini):
    from sim.model import simulate

    history = load_history(DATA / "mini_history.yaml", mini)
    logs = [simulate(mini, s, narrate=False) for s in (1, 2)]
    scores = score_codings(logs, mini, history)
    assert set(scores) == set(CODINGS)
    for coding in CODINGS:
        assert [n for n, _ in baseline_scores(mini, history, coding)] == [
            "baseline: nothing is ever agreed",
            "baseline: repeat the last meeting",
        ]
    assert fact("agreed_strict").replaces == "agreed"


# --- the shipped records -----------------------------------------------------------------------


@pytest.mark.parametrize(("scenario_path", "history_path"), SHIPPED)
def test_every_agreed_text_of_the_shipped_records_is_coded_with_its_source(
    scenario_path, history_path
):
    scenario = load_scenario(ROOT / scenario_path).scenario
    history = load_history(ROOT / history_path, scenario)
    uncoded, unsourced = [], []
    for event in history.events:
        for issue, ok in event.agreed.items():
            if ok and issue not in event.agreed_text:
                uncoded.append((event.round, issue))
            if ok and f"agreed_text.{issue}" not in event.sources:
                unsourced.append((event.round, issue))
    assert uncoded == [] and unsourced == []


def test_the_flagship_codes_the_judgement_calls_of_its_record():
    """docs/calibration.md names the reaffirmations; the record says the same."""
    scenario = load_scenario(ROOT / "scenarios/astana_2017.yaml").scenario
    history = load_history(ROOT / "calibration/history.yaml", scenario)
    reaffirmed = sorted(
        (e.round, i) for e in history.events for i, k in e.agreed_text.items() if k != "substantive"
    )
    assert reaffirmed == [
        ("astana_1", "terrorist_list"),
        ("astana_3", "ceasefire"),
        ("astana_7", "humanitarian"),
    ]


def test_compare_prints_both_codings_with_both_baselines(tmp_path):
    flagship = str(ROOT / "scenarios" / "astana_2017.yaml")
    done = cli("compare", flagship, "--seeds", "1", "--figure", str(tmp_path / "r.png"))
    assert done.returncode == 0, done.stderr
    lenient, _, strict = done.stdout.partition("coding: strict")
    assert "coding: lenient" in lenient
    for block in (lenient, strict):
        assert "nothing is ever agreed" in block and "repeat the last meeting" in block
        assert "single_text" in block
