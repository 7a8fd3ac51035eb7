"""The command line, end to end, in real processes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import cli

RUN_FILES = {
    "scenario.resolved.yaml",
    "rounds.csv",
    "positions.csv",
    "events.jsonl",
    "summary.json",
    "positions.png",
    "history.png",
}


def read_all(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_run_writes_the_run_directory_and_prints_the_table(tmp_path, mini_path):
    done = cli("run", str(mini_path), "--seed", "5", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert set(read_all(tmp_path / "out")) == RUN_FILES
    assert "r1" in done.stdout and "wrote" in done.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["seed"] == 5
    assert summary["history"]["facts_compared"] > 0
    with open(tmp_path / "out" / "rounds.csv", newline="") as file:
        rounds = list(csv.DictReader(file))
    assert len(rounds) == 3 and rounds[1]["recorded_date"] == "2017-02-27"
    assert rounds[1]["match_agreed"].endswith("/2")


def test_one_seed_gives_byte_identical_files_in_separate_processes(tmp_path, mini_path):
    a = cli("run", str(mini_path), "--out", str(tmp_path / "a"), env={"PYTHONHASHSEED": "1"})
    b = cli("run", str(mini_path), "--out", str(tmp_path / "b"), env={"PYTHONHASHSEED": "2"})
    assert a.returncode == b.returncode == 0
    assert read_all(tmp_path / "a") == read_all(tmp_path / "b")


def test_bad_input_exits_2_with_the_place_and_no_traceback(tmp_path, mini_text):
    bad = tmp_path / "bad.yaml"
    bad.write_text(mini_text.replace("capability: 0.7", "capability: 1.7"))
    for command in ("run", "validate"):
        done = (
            cli(command, str(bad), "--out", str(tmp_path / "o"))
            if command == "run"
            else cli(command, str(bad))
        )
        assert done.returncode == 2
        assert (
            f"{bad}:14: actors[0].capability: expected a number from 0 to 1; found 1.7"
            in done.stderr
        )
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_a_missing_file_and_a_bad_option_exit_2(tmp_path, mini_path):
    assert cli("run", str(tmp_path / "none.yaml")).returncode == 2
    assert cli("run", str(mini_path), "--seed", "-4").returncode == 2


def test_an_existing_run_is_not_overwritten(tmp_path, mini_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    done = cli("run", str(mini_path), "--out", str(out))
    # not a run directory: refused, and --overwrite (which would not help) is not suggested
    assert done.returncode == 2 and "not a run directory" in done.stderr
    assert "--overwrite" not in done.stderr
    assert read_all(out) == {"keep.txt": b"mine"}


def test_without_out_each_run_gets_a_new_directory_under_runs(tmp_path, mini_path):
    for _ in range(2):
        assert cli("run", str(mini_path), "-q", "--no-figures", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["mini_seed11", "mini_seed11_2"]


def test_validate_reports_the_scenario(mini_path):
    done = cli("validate", str(mini_path))
    assert done.returncode == 0 and "ok:" in done.stdout and "3 rounds" in done.stdout


def test_a_malformed_history_is_bad_input(tmp_path, mini_text):
    (tmp_path / "s.yaml").write_text(mini_text + "history: h.yaml\n")
    (tmp_path / "h.yaml").write_text("events:\n  - round: r1\n    agreed: {power: true}\n")
    done = cli("validate", str(tmp_path / "s.yaml"))
    assert done.returncode == 2
    assert "h.yaml:3: events[0].agreed.power: expected an agenda issue of round 'r1'" in done.stderr


@pytest.mark.parametrize("entry", [["-m", "sim"]])
def test_help(entry):
    done = subprocess.run([sys.executable, *entry, "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "run" in done.stdout and "validate" in done.stdout


def test_sources_prints_an_actors_numbers_with_their_evidence():
    root = Path(__file__).resolve().parent.parent
    done = cli("sources", "moscow_platform", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "positions.transition = 5" in done.stdout
    assert "seed 002_90378c4f64ae43cb.txt" in done.stdout and "rule" in done.stdout
    wrong = cli("sources", "moscow_platfrom", cwd=root)
    assert wrong.returncode == 2 and "did you mean 'moscow_platform'?" in wrong.stderr
    assert done.stdout.startswith("scenario: scenarios/astana_2017.yaml (astana_2017)")
    hnc = cli("sources", "hnc", cwd=root).stdout
    assert "red_lines.transition = at least 85   (medium confidence)" in hnc
    assert "forums.geneva = value 0.1   (low confidence)" in hnc and "NO SOURCE" not in hnc


def test_sources_outside_the_repository_asks_for_the_scenario(tmp_path, mini_path):
    done = cli("sources", "gov", cwd=tmp_path)
    assert done.returncode == 2 and "pass --scenario FILE" in done.stderr
    assert "Traceback" not in done.stderr
    mine = cli("sources", "gov", "--scenario", str(mini_path), cwd=tmp_path)
    assert mine.returncode == 0 and f"scenario: {mini_path} (mini)" in mine.stdout


def test_validate_warns_without_failing(tmp_path, mini_text):
    (tmp_path / "s.yaml").write_text(mini_text.replace("reservation: 0.6", "reservation: 0.7"))
    done = cli("validate", str(tmp_path / "s.yaml"))
    assert done.returncode == 0, done.stderr
    assert "warning: schedule.r2.agenda.power: no text on power is acceptable" in done.stderr
    assert "1 shock," in done.stdout


def test_an_ensemble_adds_its_forecasts_and_changes_only_the_history_figure(tmp_path, mini_path):
    one = cli("run", str(mini_path), "--out", str(tmp_path / "one"))
    many = cli("run", str(mini_path), "--out", str(tmp_path / "many"), "--ensemble", "6")
    assert one.returncode == many.returncode == 0
    a, b = read_all(tmp_path / "one"), read_all(tmp_path / "many")
    assert set(b) - set(a) == {"ensemble.csv"}
    assert {k for k in a if a[k] != b[k]} == {"history.png", "summary.json"}
    first, ensemble = json.loads(a["summary.json"]), json.loads(b["summary.json"])
    assert ensemble.pop("ensemble")["runs"] == 6 and ensemble == first
    assert "ensemble of 6 runs" in many.stdout and "ensemble loss against the record" in (
        many.stdout
    )


def test_the_resolved_scenario_reruns_the_same_run_anywhere(tmp_path, mini_path):
    assert cli("run", str(mini_path), "--out", str(tmp_path / "first")).returncode == 0
    moved = tmp_path / "elsewhere" / "again.yaml"
    moved.parent.mkdir()
    moved.write_bytes((tmp_path / "first" / "scenario.resolved.yaml").read_bytes())
    done = cli("run", str(moved), "--out", str(tmp_path / "second"), "--no-figures")
    assert done.returncode == 0, done.stderr
    for name in ("positions.csv", "events.jsonl", "scenario.resolved.yaml"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()
    first = json.loads((tmp_path / "first" / "summary.json").read_text())
    second = json.loads((tmp_path / "second" / "summary.json").read_text())
    assert first["scenario_hash"] == second["scenario_hash"]


def test_an_ensemble_without_figures_writes_its_table(tmp_path, mini_path):
    out = tmp_path / "o"
    done = cli("run", str(mini_path), "--ensemble", "3", "--no-figures", "--out", str(out))
    assert done.returncode == 0, done.stderr
    with open(out / "ensemble.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["round", "fact", "key", "forecast", "recorded", "loss"]
    summary = json.loads((out / "summary.json").read_text())
    scored = [row for row in rows if row["loss"]]
    assert (
        len(scored) == summary["ensemble"]["facts_scored"] == summary["history"]["facts_compared"]
    )
    loss = sum(float(row["loss"]) for row in scored) / len(scored)
    assert loss == pytest.approx(summary["ensemble"]["loss"], abs=1e-3)
    assert not (out / "history.png").exists()


def test_history_mistakes_are_bad_input(tmp_path, mini_text):
    (tmp_path / "s.yaml").write_text(mini_text + "history: gone.yaml\n")
    done = cli("validate", str(tmp_path / "s.yaml"))
    assert done.returncode == 2
    line = len(mini_text.splitlines()) + 1
    assert f"s.yaml:{line}: history: expected an existing history file; found no such file" in (
        done.stderr
    )
    (tmp_path / "h.yaml").write_text("events:\n  - {round: r1}\n  - {round: r1}\n")
    (tmp_path / "s.yaml").write_text(mini_text + "history: h.yaml\n")
    done = cli("validate", str(tmp_path / "s.yaml"))
    assert done.returncode == 2 and "h.yaml:3: events[1].round: expected one event per round" in (
        done.stderr
    )


def test_compare_draws_every_rule_against_the_record(tmp_path):
    figure = tmp_path / "rules.png"
    flagship = str(Path(__file__).resolve().parent.parent / "scenarios" / "astana_2017.yaml")
    result = cli("compare", flagship, "--seeds", "2", "--figure", str(figure))
    assert result.returncode == 0, result.stderr
    for rule in ("compromise", "expected_utility", "single_text", "alternating_offers"):
        assert rule in result.stdout
    assert "nothing is ever agreed" in result.stdout and "repeat the last meeting" in result.stdout
    assert figure.read_bytes().startswith(b"\x89PNG")
    again = cli("compare", flagship, "--seeds", "2", "--figure", str(figure))
    assert again.returncode == 2 and "--overwrite" in again.stderr
    before = figure.read_bytes()
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {flagship}\nmodel: {{protocol: nash}}\n")
    refused = cli("compare", str(bad), "--figure", str(figure), "--overwrite")
    assert refused.returncode == 2 and "model.protocol" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert figure.read_bytes() == before  # nothing already written is lost
