"""Interruptions and data-loss guards of the run directory, in real processes (issue 8).

A test hook (ASTANA_SIM_TEST_PAUSE_AT, docs/guarantees.md) makes the process sleep at a named
point of the write; the test kills it there and checks what is on disk and that the next command
restores or cleans up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import cli

from sim.output.rundir import RunDirExists, is_run_dir, write_run_dir

MINI = Path(__file__).resolve().parent / "data" / "mini.yaml"


def _start_paused(point: str, *args: str, cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        env={**os.environ, "ASTANA_SIM_TEST_PAUSE_AT": point},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    line = process.stderr.readline()  # "paused at <point>"
    assert f"paused at {point}" in line, line
    return process


@pytest.mark.parametrize("point", ["staged", "retired"])
def test_a_kill_during_overwrite_loses_no_run(tmp_path, point):
    run = ["run", str(MINI), "--out", "out", "--no-figures", "-q"]
    assert cli(*run, cwd=tmp_path).returncode == 0
    old = (tmp_path / "out" / "summary.json").read_bytes()
    process = _start_paused(point, *run, "--overwrite", "--seed", "5", cwd=tmp_path)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    if point == "retired":
        assert not (tmp_path / "out").exists()  # the old run sits aside, under a marker name
    else:
        assert (tmp_path / "out" / "summary.json").read_bytes() == old
    again = cli(*run, "--overwrite", "--seed", "5", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    if point == "retired":
        assert "restored" in again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no stale temporaries
    assert (tmp_path / "out" / "summary.json").read_bytes() != old


def test_a_sigint_during_overwrite_keeps_the_old_run(tmp_path):
    run = ["run", str(MINI), "--out", "out", "--no-figures", "-q"]
    assert cli(*run, cwd=tmp_path).returncode == 0
    old = (tmp_path / "out" / "summary.json").read_bytes()
    process = _start_paused("retired", *run, "--overwrite", "--seed", "5", cwd=tmp_path)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    assert process.returncode != 0
    assert (tmp_path / "out" / "summary.json").read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_named_like_a_run_file_is_not_a_run(tmp_path):
    target = tmp_path / "run"
    (target / "history.png").mkdir(parents=True)
    (target / "history.png" / "mine.txt").write_text("a user's file")
    (target / "summary.json").write_text("{}")
    assert not is_run_dir(target)
    with pytest.raises(RunDirExists, match="not a run directory"):
        write_run_dir(target, {"summary.json": b"{}"}, replace=True)
    assert (target / "history.png" / "mine.txt").exists()


@pytest.mark.parametrize("out", ["/", ".", ".."])
def test_out_at_the_root_or_an_ancestor_is_refused_without_inviting_overwrite(tmp_path, out):
    result = cli("run", str(MINI), "--out", out, "--no-figures", cwd=tmp_path)
    assert result.returncode == 2
    assert "--overwrite" not in result.stderr and "Traceback" not in result.stderr


def test_an_existing_non_run_directory_is_refused_before_simulating(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "x.txt").write_text("keep")
    result = cli("run", str(MINI), "--out", "notes", "--ensemble", "10000", cwd=tmp_path)
    assert result.returncode == 2
    assert "not a run directory" in result.stderr and "--overwrite" not in result.stderr
    assert "rounds" not in result.stdout  # nothing was simulated


def test_compare_never_replaces_an_input_or_a_non_png(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(MINI.read_text().replace("history: mini_history.yaml\n", ""))
    text = scenario.read_text()
    result = cli(
        "compare",
        str(scenario),
        "--figure",
        str(scenario),
        "--overwrite",
        "--seeds",
        "1",
        cwd=tmp_path,
    )
    assert result.returncode == 2 and scenario.read_text() == text
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    result = cli(
        "compare",
        str(scenario),
        "--figure",
        str(notes),
        "--overwrite",
        "--seeds",
        "1",
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "not a PNG" in result.stderr
    assert notes.read_text() == "mine"


def test_the_resolved_scenario_reruns_the_same_run_against_the_same_record(tmp_path):
    record = tmp_path / "record.yaml"
    record.write_bytes((MINI.parent / "mini_history.yaml").read_bytes())
    scenario = tmp_path / "s.yaml"
    lines = MINI.read_text().splitlines(True)
    scenario.write_text("".join(x for x in lines if not x.startswith("history:")))
    scenario.write_text(scenario.read_text() + "history: record.yaml\n")
    first = cli("run", str(scenario), "--out", "a", "--no-figures", "-q", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    resolved = tmp_path / "a" / "scenario.resolved.yaml"
    assert "history: ../record.yaml" in resolved.read_text()
    again = cli("run", str(resolved), "--out", "b", "--no-figures", "-q", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    for name in ("rounds.csv", "summary.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    record.write_text(record.read_text() + "\n# edited\n")
    changed = cli("validate", str(resolved), cwd=tmp_path)
    assert changed.returncode == 0 and "changed since" in changed.stderr
