"""Scoring, baselines, the fit spec, the fit itself and the calibrate command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sim.baselines import nothing_agreed, persistence
from sim.calibrate import Objective, build_objective, fit, load_spec, resolve
from sim.history import History, RecordedEvent, load_history
from sim.scenario import ScenarioError, load_scenario
from sim.scoring import Score, score

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def mini():
    loaded = load_scenario(DATA / "mini.yaml")
    return loaded.scenario, load_history(loaded.history_path, loaded.scenario)


def record(**facts):
    return History(events=[RecordedEvent(round="r1", **facts)])


# r1 of the mini scenario: conveners big and ally; invitees gov, reb, envoy, watcher; agenda truce
FORECAST = {
    ("r1", "attended", "gov"): (True,),
    ("r1", "attended", "reb"): (True, False),
    ("r1", "attended", "big"): (False,),  # a convener: never scored, whatever the forecast
    ("r1", "agreed", "truce"): (True, True, True, True, False),
    ("r1", "delay_days", ""): (0, 15, 90),
}


# --- scoring ---------------------------------------------------------------------------------


def test_brier_of_each_yes_no_fact(mini):
    scenario, _ = mini
    result = score(FORECAST, scenario, record(attended=["big", "gov"], agreed={"truce": True}))
    losses = {(f.observable, f.key): f.loss for f in result.facts}
    assert losses == {
        ("attended", "gov"): 0.0,
        ("attended", "reb"): pytest.approx(0.25),
        ("agreed", "truce"): pytest.approx(0.04),
    }
    assert result.loss == pytest.approx((0 + 0.25 + 0.04) / 3)


def test_delays_score_their_error_in_months_capped_at_one(mini):
    scenario, _ = mini
    result = score(FORECAST, scenario, record(delay_days=0))
    [delay] = result.facts
    assert delay.loss == pytest.approx((0 + 0.5 + 1.0) / 3)
    assert delay.forecast == 15.0  # the median
    assert result.delay_mae_days == pytest.approx(35.0)


def test_facts_the_record_leaves_out_are_not_scored(mini):
    scenario, _ = mini
    assert score(FORECAST, scenario, record()).facts == ()
    other = History(events=[RecordedEvent(round="r2", agreed={"aid": True})])
    assert score(FORECAST, scenario, other).facts == ()


def test_scores_of_several_seeds_average_fact_by_fact(mini):
    scenario, _ = mini
    truth = record(agreed={"truce": True})
    one = score({("r1", "agreed", "truce"): (True,)}, scenario, truth)
    two = score({("r1", "agreed", "truce"): (False,)}, scenario, truth)
    [fact] = Score.mean([one, two]).facts
    assert (fact.forecast, fact.loss) == (0.5, 0.5)


# --- baselines -------------------------------------------------------------------------------


def test_the_pessimist_expects_everyone_and_no_agreement(mini):
    scenario, _ = mini
    forecast = nothing_agreed(scenario)
    assert forecast[("r1", "attended", "reb")] == (True,)
    assert forecast[("r3", "agreed", "truce")] == (False,)
    assert forecast[("r2", "delay_days", "")] == (0,)
    assert forecast[("r2", "walked_out", "gov")] == (False,)


def test_persistence_repeats_the_last_meeting_of_the_same_track(mini):
    scenario, history = mini
    forecast = persistence(scenario, history)
    # r2 is the first Geneva round: no history, the pessimist's answer
    assert forecast[("r2", "agreed", "power")] == (False,)
    assert forecast[("r2", "agreed", "aid")] == (False,)
    # r3 follows r1: its truce agreed; aid (not on r1's agenda) by r1's agreed share
    assert forecast[("r3", "agreed", "truce")] == (True,)
    assert forecast[("r3", "agreed", "aid")] == (True,)
    assert forecast[("r3", "delay_days", "")] == (0,)


# --- the spec ----------------------------------------------------------------------------------


STEP = "model.single_text.redraft_step"

SPEC = """\
name: mini_fit
scenario: mini.yaml
training: [r1]
held_out: [r2]
parameters:
  - {path: model.single_text.redraft_step, low: 0.1, high: 0.6}
  - {path: actors.*.reservation, mode: scale, low: 0.9, high: 1.1}
seeds: 2
budget: 24
population: 4
report_seeds: 3
output: fitted
"""


@pytest.fixture
def spec_dir(tmp_path):
    for name in ("mini.yaml", "mini_history.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "fit.yaml").write_text(SPEC)
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("training: [r1]", "training: [r7]", "fit.yaml:3: training[0]: expected a round id"),
        ("held_out: [r2]", "held_out: [r1]", "fit.yaml:4: held_out[0]: expected rounds not used"),
        (
            "model.single_text.redraft_step",
            "model.redraft_stp",
            "fit.yaml:6: parameters[0].path: expected one",
        ),
        ("low: 0.1, high: 0.6", "low: 0.6, high: 0.1", "fit.yaml:6: parameters[0]: expected low <"),
        ("seeds: 2", "sedes: 2", "fit.yaml:8: sedes: unknown key 'sedes'; did you mean 'seeds'?"),
        (
            "scenario: mini.yaml",
            "scenario: nope.yaml",
            "fit.yaml:2: scenario: expected an existing",
        ),
        (
            "model.single_text.redraft_step",
            "name",
            "fit.yaml:6: parameters[0].path: expected a path under",
        ),
        (
            "model.single_text.redraft_step",
            "seed",
            "fit.yaml:6: parameters[0].path: expected a path under",
        ),
        (
            "model.single_text.redraft_step",
            "shocks.offensive.effects.0.actor",
            "parameters[0].path: expected the path to name numbers; found 'reb'",
        ),
        (
            "low: 0.1, high: 0.6",
            "low: -0.5, high: 0.6",
            f"fit.yaml:6: parameters[0].low: expected a bound that keeps {STEP} valid",
        ),
        (
            "low: 0.1, high: 0.6",
            "low: 0.1, high: .inf",
            "fit.yaml:6: parameters[0].high: expected a finite number; found inf",
        ),
        ("budget: 24", "budget: 10", "fit.yaml:9: budget: expected at least 16 evaluations"),
        (
            "  - {path: actors.*.reservation",
            f"  - {{path: {STEP}, low: 0.2, high: 0.3}}\n  - {{path: actors.*.reservation",
            "parameters[1].path: expected each parameter once",
        ),
    ],
)
def test_a_malformed_spec_is_reported_with_its_line(spec_dir, old, new, message):
    (spec_dir / "fit.yaml").write_text(SPEC.replace(old, new))
    with pytest.raises(ScenarioError) as caught:
        load_spec(spec_dir / "fit.yaml")
    assert message in str(caught.value)


def test_parameter_paths(mini):
    scenario, _ = mini
    data = scenario.model_dump(mode="python")
    assert resolve(data, "actors.reb.reservation") == [("actors", 1, "reservation")]
    assert len(resolve(data, "actors.*.positions.truce")) == len(scenario.actors)
    assert resolve(data, "shocks.offensive.effects.1.positions.truce.add") == [
        ("shocks", 0, "effects", 1, "positions", "truce", "add")
    ]
    with pytest.raises(KeyError, match="found 'rebs'"):
        resolve(data, "actors.rebs.reservation")


def test_the_values_as_written_reproduce_the_scenario(spec_dir):
    objective, scenario, _ = build_objective(load_spec(spec_dir / "fit.yaml"))
    assert objective.scenario_at([scenario.model.single_text.redraft_step, 1.0]) == scenario


def test_integers_stay_integers(spec_dir):
    objective, scenario, _ = build_objective(load_spec(spec_dir / "fit.yaml"))
    days = Objective(
        objective.base,
        objective.parameters[:1],
        ((("model", "postponement_days"),),),
        objective.history,
        objective.training,
        objective.seeds,
    )
    assert days.scenario_at([9.6]).model.postponement_days == 10


# --- the fit ---------------------------------------------------------------------------------


def test_a_fit_is_reproducible_on_any_worker_count(spec_dir):
    loaded = load_spec(spec_dir / "fit.yaml")
    objective, _, _ = build_objective(loaded)
    one = fit(objective, loaded.spec)
    two = fit(objective, loaded.spec.model_copy(update={"workers": 2}))
    assert one.status == two.status == "finished"
    assert (one.x, one.loss) == (two.x, two.loss)
    assert one.loss <= objective([0.35, 1.0])  # no worse than the defaults it started around


class Interrupting(Objective):
    """Raises KeyboardInterrupt once, mid-fit, as one Ctrl-C would.

    The small scenario's loss is flat in these parameters, and differential evolution stops on a
    flat loss after one generation; a slope keeps it going until the interruption.
    """

    def __call__(self, x):
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls == 17:  # the initial population and one generation (8 each) have run
            raise KeyboardInterrupt
        return super().__call__(x) + 0.1 * sum(x)


def test_ctrl_c_keeps_the_best_so_far(spec_dir):
    loaded = load_spec(spec_dir / "fit.yaml")
    objective, _, _ = build_objective(loaded)
    interrupting = Interrupting(**objective.__dict__)
    result = fit(interrupting, loaded.spec.model_copy(update={"budget": 400}))
    assert result.status == "interrupted"
    assert result.x and result.loss < float("inf")


def test_the_calibrate_command_writes_the_fit_and_its_report(spec_dir):
    done = subprocess.run(
        [sys.executable, "-m", "sim", "calibrate", str(spec_dir / "fit.yaml")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "held-out rounds" in done.stdout and "baseline: repeat the last meeting" in done.stdout
    out = spec_dir / "fitted"
    assert sorted(p.name for p in out.iterdir()) == [
        "mini_fit.history.png",
        "mini_fit.provenance.json",
        "mini_fit.report.png",
        "mini_fit.report.txt",
        "mini_fit.yaml",
    ]
    provenance = json.loads((out / "mini_fit.provenance.json").read_text())
    assert provenance["status"] == "finished" and len(provenance["history_sha256"]) == 64
    (spec_dir / "use.yaml").write_text("extends: [mini.yaml, fitted/mini_fit.yaml]\nname: used\n")
    fitted = load_scenario(spec_dir / "use.yaml").scenario
    assert fitted.model.single_text.redraft_step == pytest.approx(
        provenance["parameters"]["model.single_text.redraft_step"]
    )
    assert all("fitted in" in a.sources["reservation"].source for a in fitted.actors)


def test_a_bad_spec_exits_2(spec_dir):
    (spec_dir / "fit.yaml").write_text(SPEC.replace("training: [r1]", "training: [zz]"))
    done = subprocess.run(
        [sys.executable, "-m", "sim", "calibrate", str(spec_dir / "fit.yaml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "training[0]" in done.stderr and "Traceback" not in done.stderr


def test_results_never_overwrite_a_file_in_the_way(spec_dir):
    (spec_dir / "fitted").mkdir()
    (spec_dir / "fitted" / "mini_fit.report.txt").mkdir()
    with pytest.raises(ScenarioError, match="mini_fit.report.txt free for a file; found a direc"):
        load_spec(spec_dir / "fit.yaml")


# --- the output directory (issue 8): --overwrite, inside the spec's folder, interruptions ---


def _calibrate(spec_dir, *args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "sim", "calibrate", str(spec_dir / "fit.yaml"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_an_output_outside_the_spec_folder_is_refused_unless_given_on_the_command_line(spec_dir):
    (spec_dir / "fit.yaml").write_text(SPEC.replace("output: fitted", "output: ../elsewhere"))
    with pytest.raises(ScenarioError, match="inside the spec's folder"):
        load_spec(spec_dir / "fit.yaml")
    given = load_spec(spec_dir / "fit.yaml", spec_dir / "chosen")
    assert given.output_dir == spec_dir / "chosen"


def test_an_existing_output_needs_overwrite_and_a_kill_mid_swap_is_recovered(spec_dir):
    out = spec_dir / "fitted"
    out.mkdir()
    (out / "mini_fit.yaml").write_text("# an earlier fit\n")
    refused = _calibrate(spec_dir)
    assert refused.returncode == 2 and "--overwrite" in refused.stderr
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "calibrate", str(spec_dir / "fit.yaml"), "--overwrite"],
        env={**os.environ, "ASTANA_SIM_TEST_PAUSE_AT": "retired"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stderr:
        if "paused at retired" in line:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert not out.exists()  # between the two renames: the old set sits aside
    again = _calibrate(spec_dir)  # refused (it exists again), but first restored
    assert again.returncode == 2 and "restored" in again.stderr
    assert (out / "mini_fit.yaml").read_text() == "# an earlier fit\n"
    assert sorted(p.name for p in spec_dir.iterdir() if p.name.startswith(".")) == []


def test_ctrl_c_before_the_first_generation_writes_nothing_and_exits_130(spec_dir):
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "calibrate", str(spec_dir / "fit.yaml")],
        env={**os.environ, "ASTANA_SIM_TEST_PAUSE_AT": "fitting"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stderr:
        if "paused at fitting" in line:
            break
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert not (spec_dir / "fitted").exists()
