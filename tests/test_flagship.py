"""The flagship scenario: sourced, reproducible, and its key outcomes pinned."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.comparison import with_protocol
from sim.history import load_history
from sim.model import simulate
from sim.output import run_files
from sim.scenario import load_scenario, unsourced_numbers
from sim.scenario.schema import PROTOCOL_NAMES

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "astana_2017.yaml"
COUNTERFACTUALS = sorted((ROOT / "scenarios" / "counterfactuals").glob("*.yaml"))
FACT_FIELDS = (
    "actual_date",
    "delay_days",
    "attended",
    "stayed_away",
    "walked_out",
    "signed_by",
    "single_delegation",
    "ended",
    "extensions",
)


@pytest.fixture(scope="module")
def flagship():
    return load_scenario(FLAGSHIP)


@pytest.fixture(scope="module")
def history(flagship):
    return load_history(flagship.history_path, flagship.scenario)


@pytest.fixture(scope="module")
def baseline(flagship):
    return simulate(flagship.scenario)


def test_every_calibrated_number_has_a_source(flagship):
    assert unsourced_numbers(flagship.scenario) == []
    for actor in flagship.scenario.actors:
        for key, evidence in actor.sources.items():
            assert evidence.quote.strip() and evidence.rule.strip(), f"{actor.id}.{key}"


def test_every_shock_carries_its_evidence(flagship):
    for shock in flagship.scenario.shocks:
        assert shock.sources, shock.id


# Facts derived from another fact lean on its source: the delay is the actual date less the
# planned one; an empty list of absentees restates the list of those present.
DERIVED_FROM = {"delay_days": "actual_date", "stayed_away": "attended", "walked_out": "attended"}


def test_every_recorded_fact_has_a_source(history):
    for event in history.events:
        stated = [f for f in FACT_FIELDS if getattr(event, f) not in (None, [])]
        stated += [f"agreed.{issue}" for issue in event.agreed]
        missing = [
            f for f in stated if f not in event.sources and DERIVED_FROM.get(f) not in event.sources
        ]
        assert not missing, f"{event.round}: no source for {missing}"


def test_the_record_covers_every_round_with_its_agenda(flagship, history):
    for round_ in flagship.scenario.schedule:
        event = history.event(round_.id)
        assert event is not None, round_.id
        assert set(event.agreed) == set(round_.agenda), round_.id


def test_the_schedule_covers_the_flagship_events(flagship):
    ids = {r.id for r in flagship.scenario.schedule}
    expected = {f"astana_{n}" for n in range(1, 9)} | {f"geneva_{n}" for n in range(4, 9)}
    expected |= {"moscow_declaration", "ceasefire_2016", "riyadh_1", "sochi_congress"}
    assert expected <= ids


def test_key_outcomes_of_the_seeded_run(baseline):
    """Regression pins: if one of these changes, the model's behaviour changed. Say why."""
    agreed = {o.round_id: set(o.agreed_issues) for o in baseline.rounds}
    assert agreed["astana_1"] == {"ceasefire", "terrorist_list"}
    assert agreed["astana_4"] == {"ceasefire", "humanitarian"}
    # Seed 7 since the named random streams (sim.streams): every delegation comes to Riyadh and
    # to Geneva 4 (in 15 of 30 seeds nobody stays away from either), and Riyadh agrees the
    # constitutional track, as in 30 of 30 seeds.
    assert agreed["riyadh_1"] == {"constitution"}
    assert agreed["geneva_4"] == {"constitution", "terrorist_list"}
    assert agreed["sochi_congress"] == {"constitution"}
    assert not any("transition" in agreed[f"geneva_{n}"] for n in range(4, 9))
    assert baseline.outcome("riyadh_1").stayed_away == ()
    assert baseline.outcome("geneva_4").stayed_away == ()


def test_robust_outcomes_across_seeds(flagship):
    """What the model says regardless of the seed (30 seeds)."""
    seeds = range(30)
    agreed: Counter = Counter()
    for seed in seeds:
        for outcome in simulate(flagship.scenario, seed).rounds:
            agreed.update((outcome.round_id, issue) for issue in outcome.agreed_issues)
    n = len(seeds)
    assert agreed[("astana_1", "ceasefire")] == n
    assert agreed[("astana_4", "ceasefire")] == n
    assert all(agreed[(f"geneva_{k}", "transition")] == 0 for k in range(4, 9))
    # 4 of 30 since the flagship values Geneva for the HNC and the Cairo platform and Geneva IV-VII
    # need every invited delegation's consent (positions reach Riyadh by another path); the
    # record has nothing agreed there, so this stays a ceiling
    assert agreed[("riyadh_1", "transition")] <= 4


def test_the_run_matches_most_of_the_record(flagship, history, baseline):
    import json

    files = run_files(baseline, flagship.scenario, history, b"", figures=False)
    summary = json.loads(files["summary.json"])
    # every scored fact of the record, as in the loss: walk-outs and delays count; the conveners'
    # attendance and the walk-outs of conveners, mediators and observers (true by construction)
    # do not
    assert summary["history"]["facts_compared"] == 187
    assert summary["history"]["share_matched"] >= 0.85


# What "differs visibly" means for a shipped counterfactual. The engine's random phases draw
# from their own streams, so one seed gives the baseline and the counterfactual the same draws:
# a difference between the two runs of a seed is the counterfactual's doing. Comparing totals
# over seeds instead lets changes in opposite directions cancel (the early drawdown moves some
# meeting in 8 of 20 seeds, yet no single count by more than 3).
PAIRED_SEEDS = 20
MIN_CHANGED_SEEDS = 5  # a quarter of the seeds
POSITION_TOLERANCE = 3.0  # points on the 0-100 scale, the mean over the seeds


def round_observables(log) -> dict:
    """Per meeting what a reader of the record sees: agreed issues, absentees, walk-outs, date."""
    return {
        o.round_id: (tuple(o.agreed_issues), tuple(o.stayed_away), tuple(o.walked_out), o.date)
        for o in log.rounds
    }


def untouched_cells(base, other) -> np.ndarray:
    """(actors, issues) mask of the starting positions the counterfactual leaves as they were:
    a position it sets itself moving is its input, not its effect."""
    start = {a.id: a.positions for a in other.actors}
    return np.array(
        [[start[a.id].get(i.id) == a.positions.get(i.id) for i in base.issues] for a in base.actors]
    )


def paired_effects(base, other) -> tuple[int, float, str]:
    """Seeds whose run differs in some meeting, and the largest mean change of an untouched
    final position (with its actor and issue)."""
    changed, moves = 0, []
    for seed in range(PAIRED_SEEDS):
        a, b = simulate(base, seed, narrate=False), simulate(other, seed, narrate=False)
        changed += round_observables(a) != round_observables(b)
        assert a.actor_ids == b.actor_ids
        moves.append(b.position_array()[-1] - a.position_array()[-1])
    mean = np.abs(np.mean(moves, axis=0)) * untouched_cells(base, other)
    actor, issue = np.unravel_index(np.argmax(mean), mean.shape)
    where = f"{base.actors[actor].id} on {base.issues[issue].id}"
    return changed, float(mean[actor, issue]), where


@pytest.mark.parametrize("path", COUNTERFACTUALS, ids=[p.stem for p in COUNTERFACTUALS])
def test_each_counterfactual_differs_visibly_from_the_baseline(path, flagship):
    """A counterfactual changes a measured observable: some meeting (what is agreed, who stays
    away or walks out, when it meets) in a quarter of the seeds, or where an actor it does not
    move directly ends the year, beyond the tolerance. `astana-sim diff` shows both."""
    counterfactual = load_scenario(path).scenario
    assert counterfactual != flagship.scenario
    changed, moved, where = paired_effects(flagship.scenario, counterfactual)
    assert changed >= MIN_CHANGED_SEEDS or moved >= POSITION_TOLERANCE, (
        f"{path.name}: a meeting differs in {changed} of {PAIRED_SEEDS} seeds (bar "
        f"{MIN_CHANGED_SEEDS}) and the largest untouched position change is {moved:.1f} points "
        f"({where}; bar {POSITION_TOLERANCE})"
    )


def test_there_are_at_least_three_counterfactuals():
    assert len(COUNTERFACTUALS) >= 3
    for path in COUNTERFACTUALS:
        assert "extends" in yaml.safe_load(path.read_text())


def test_the_outcomes_never_read_the_history(tmp_path, flagship):
    """Rewrite the record: every simulated number stays the same."""
    for folder in ("scenarios", "calibration"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    record = tmp_path / "calibration" / "history.yaml"
    data = yaml.safe_load(record.read_text())
    for event in data["events"]:
        event["agreed"] = {issue: not ok for issue, ok in event["agreed"].items()}
        event["delay_days"] = 99
    record.write_text(yaml.safe_dump(data))
    moved = load_scenario(tmp_path / "scenarios" / "astana_2017.yaml")
    original = run_files(simulate(flagship.scenario), flagship.scenario, figures=False)
    rewritten = run_files(simulate(moved.scenario), moved.scenario, figures=False)
    for name in ("positions.csv", "events.jsonl", "scenario.resolved.yaml"):
        assert original[name] == rewritten[name]


def test_the_fitted_flagship_loads_and_keeps_every_number_sourced():
    fitted = load_scenario(ROOT / "scenarios" / "astana_2017_fitted.yaml").scenario
    assert unsourced_numbers(fitted) == []
    for actor in fitted.actors:
        evidence = actor.sources["reservation"]
        assert "fitted in calibration/fitted/astana_2017.yaml" in evidence.source
        assert evidence.quote and "differential evolution" in evidence.rule
    assert simulate(fitted).rounds


def test_the_shipped_fit_spec_is_valid():
    from sim.calibrate import load_spec

    loaded = load_spec(ROOT / "calibration" / "fit.yaml")
    assert set(loaded.spec.training).isdisjoint(loaded.spec.held_out)
    assert len(loaded.spec.training) + len(loaded.spec.held_out) == 18


@pytest.mark.parametrize("rule", PROTOCOL_NAMES)
def test_the_flagship_runs_under_every_rule(flagship, history, rule):
    """Every rule plays the whole year and reproduces most of the record's facts; the rules
    differ somewhere (they are not one mechanic under four names)."""
    log = simulate(with_protocol(flagship.scenario, rule))
    played = [o.round_id for o in log.rounds]
    assert sorted(played) == sorted(r.id for r in flagship.scenario.schedule)
    assert run_files(log, flagship.scenario, figures=False) == run_files(
        simulate(with_protocol(flagship.scenario, rule)), flagship.scenario, figures=False
    )
    kinds = Counter(e.kind for e in log.events)
    assert kinds["shock"] == len(flagship.scenario.shocks)
    assert kinds["coalition_formed"] + kinds["coalition_failed"] == 2  # the two Riyadh meetings
    assert kinds["patron_pull"] > 0


def test_the_rules_tell_different_stories(flagship):
    texts = {
        rule: simulate(with_protocol(flagship.scenario, rule), narrate=False).outcome("geneva_4")
        for rule in PROTOCOL_NAMES
    }
    assert len({outcome.text for outcome in texts.values()}) == len(PROTOCOL_NAMES)


def test_the_riyadh_failure_names_a_red_line(baseline):
    failed = [e for e in baseline.events if e.kind == "coalition_failed"]
    assert {e.round for e in failed} == {"riyadh_1", "riyadh_2"}
    reasons = " ".join(e.text for e in failed)
    assert "red line" in reasons or "not at the table" in reasons
