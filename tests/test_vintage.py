"""The vintage calibration (issue 10): the held-out test reads no source from its own period.

The fit spec's ``split_date`` is the first day of the held-out period. Every evidence entry of the
numbers the fit runs on must be dated before it, or be allow-listed here with its reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sim.calibrate import late_evidence, load_spec
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP_FIT = ROOT / "calibration" / "fit.yaml"
HAVANA_FIT = ROOT / "scenarios" / "havana" / "fit.yaml"

# Shocks of the held-out period: events the backtest is conditioned on (as on the schedule), not
# the actors' calibration. Their evidence is of their own time; the model never reads the record.
HELD_OUT_SHOCKS = {
    "shock:hnc_restructuring": "Hijab's resignation and Riyadh II's new commission (Nov 2017)",
    "shock:russian_partial_withdrawal": "Putin's announcement of 11 December 2017",
}
# The Havana case's one shock of the held-out period: the No camp's proposals after the
# plebiscite (October 2016), an event the backtest is conditioned on like the flagship's.
HAVANA_HELD_OUT_SHOCKS = {
    "shock:no_camp_proposals": "the proposals collected after the plebiscite (7 October 2016)",
}
# Havana's sources run from the General Agreement (August 2012) to reports on the revised accord.
HAVANA_EARLIEST = dt.date(2012, 1, 1)
HAVANA_LATEST = dt.date(2017, 1, 1)


def _fit(path: Path):
    loaded = load_spec(path)
    return loaded, load_scenario(loaded.scenario_path).scenario


# Each case: its fit spec, the scenario the vintage restates, the fit's scenario name and
# split, the shocks of its held-out period, the fewest numbers its vintage restates, and the word
# a moved number's rule must use to name the later source's scenario.
CASES = {
    "flagship": (
        FLAGSHIP_FIT,
        ROOT / "scenarios" / "astana_2017.yaml",
        "astana_2017_vintage",
        dt.date(2017, 8, 1),
        HELD_OUT_SHOCKS,
        80,
        "flagship",
    ),
    "havana": (
        HAVANA_FIT,
        ROOT / "scenarios" / "havana" / "havana_2012.yaml",
        "havana_2012_vintage",
        dt.date(2016, 7, 1),
        HAVANA_HELD_OUT_SHOCKS,
        30,
        "havana_2012",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_fit_runs_on_the_vintage_scenario_with_a_split_date(case):
    fit, _, name, split, _, _, _ = CASES[case]
    loaded, scenario = _fit(fit)
    assert loaded.spec.split_date == split
    assert scenario.name == name


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_vintage_entry_is_dated_before_the_split_or_allow_listed(case):
    fit, _, _, _, held_out, _, _ = CASES[case]
    loaded, scenario = _fit(fit)
    late = late_evidence(scenario, loaded.spec.split_date)
    assert {e.owner for e in late} <= set(held_out), [e for e in late if e.owner not in held_out]
    shocks = {s.id: s for s in scenario.shocks}
    for owner in held_out:
        assert shocks[owner.removeprefix("shock:")].date >= loaded.spec.split_date


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_vintage_restates_exactly_the_late_numbers(case):
    """Every number of the case with late or undated evidence is restated, and nothing else."""
    fit, base_path, _, _, _, fewest, _ = CASES[case]
    loaded, vintage = _fit(fit)
    base = load_scenario(base_path).scenario
    late = {(e.owner, e.field) for e in late_evidence(base, loaded.spec.split_date)}
    late_actors = {key for key in late if not key[0].startswith("shock:")}
    before = {(a.id, f): e for a in base.actors for f, e in a.sources.items()}
    after = {(a.id, f): e for a in vintage.actors for f, e in a.sources.items()}
    changed = {key for key in before if before[key] != after[key]}
    assert changed == late_actors
    assert len(changed) > fewest


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_vintage_entry_that_moves_a_number_says_why(case):
    fit, base_path, _, _, _, _, word = CASES[case]
    vintage = _fit(fit)[1]
    base = load_scenario(base_path).scenario
    moved = []
    for old, new in zip(base.actors, vintage.actors, strict=True):
        for field, evidence in new.sources.items():
            if _value(old, field) != _value(new, field):
                moved.append(field)
                assert word in evidence.rule, (new.id, field)
    assert moved, "the vintage changes some numbers"


def _value(actor, field: str):
    kind, _, issue = field.partition(".")
    value = getattr(actor, kind)
    return value[issue] if issue else value


def _every_entry(scenario):
    entries = [(a.id, f, e) for a in scenario.actors for f, e in a.sources.items()]
    return entries + [(f"shock:{s.id}", e.source, e) for s in scenario.shocks for e in s.sources]


@pytest.mark.parametrize("name", ["havana_2012.yaml", "havana_2012_vintage.yaml"])
def test_every_havana_entry_is_dated_within_the_case(name):
    scenario = load_scenario(ROOT / "scenarios" / "havana" / name).scenario
    entries = _every_entry(scenario)
    assert len(entries) > 100  # the case's actors and shocks, not a stray file
    undated = [(owner, field) for owner, field, e in entries if e.date is None]
    assert undated == []
    outside = [
        (owner, field, e.date)
        for owner, field, e in entries
        if not HAVANA_EARLIEST <= e.date <= HAVANA_LATEST
    ]
    assert outside == []


def test_a_split_date_inside_the_training_rounds_is_refused(tmp_path):
    text = FLAGSHIP_FIT.read_text().replace("split_date: 2017-08-01", "split_date: 2017-05-01")
    text = text.replace("../scenarios/", str(ROOT / "scenarios") + "/")
    (tmp_path / "fit.yaml").write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_spec(tmp_path / "fit.yaml")
    message = str(caught.value)
    assert "training[" in message and "expected a round planned before the split date" in message
    assert "fit.yaml:" in message


def test_a_split_date_that_is_not_a_date_is_refused(tmp_path):
    text = FLAGSHIP_FIT.read_text().replace("split_date: 2017-08-01", "split_date: August")
    text = text.replace("../scenarios/", str(ROOT / "scenarios") + "/")
    (tmp_path / "fit.yaml").write_text(text)
    with pytest.raises(ScenarioError, match="split_date: expected a date"):
        load_spec(tmp_path / "fit.yaml")
