"""Hostile and careless inputs (issue 8): each class is refused with a clear message, or runs.

Classes: files that are not regular files, lax parsing, values `validate` accepted and `run`
crashed on. Each test names the promise it keeps (docs/guarantees.md lists them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenario import ScenarioError, load_scenario
from sim.scenario.located import MAX_FILE_BYTES


def _refused(path: Path | str, *words: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    for word in words:
        assert word in message, message
    assert "Traceback" not in message
    return message


# --- 1. files that are not regular files ---------------------------------------------------


def test_a_device_is_refused_before_reading():
    _refused("/dev/zero", "found a device")


def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    _refused(fifo, "named pipe")


def test_a_symlink_loop_is_refused(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    _refused(loop, "loop of symbolic links")


def test_a_symlink_loop_through_extends_is_refused(tmp_path, mini_text):
    (tmp_path / "base.yaml").write_text(mini_text)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    (tmp_path / "cf.yaml").write_text("extends: loop.yaml\n")
    _refused(tmp_path / "cf.yaml", "extends", "loop of symbolic links")


def test_extends_naming_a_device_says_so(tmp_path):
    (tmp_path / "cf.yaml").write_text("extends: /dev/zero\n")
    _refused(tmp_path / "cf.yaml", "found a device")


def test_an_empty_path_says_so(tmp_path, mini_text):
    _refused("", "an empty path")
    (tmp_path / "cf.yaml").write_text("extends: ''\n")
    _refused(tmp_path / "cf.yaml", "an empty path")
    (tmp_path / "s.yaml").write_text(mini_text + "history: ''\n")
    _refused(tmp_path / "s.yaml", "history", "an empty path")


def test_a_history_that_is_a_device_is_refused(tmp_path, mini_text):
    (tmp_path / "s.yaml").write_text(mini_text + "history: /dev/zero\n")
    _refused(tmp_path / "s.yaml", "history", "a device")


def test_a_huge_file_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, the size is what counts
    _refused(big, "at most 10 MB")


def test_a_file_that_is_not_a_mapping_is_not_quoted(tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("alice:x:1000:1000:secretword:/home/alice:/bin/sh\n")
    message = _refused(secret, "expected a mapping of fields")
    assert "secretword" not in message


# --- 3. lax parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "description: !!str 5\n",
        "shocks: !!seq []\n",
        "shocks: !custom []\n",
        "model: !!map {}\n",
        "model: !!omap []\n",
        "description: !!binary aGVsbG8=\n",
    ],
)
def test_tags_are_refused_on_every_kind_of_node(tmp_path, mini_text, line):
    (tmp_path / "s.yaml").write_text(mini_text.replace("description:", "old:", 1) + line)
    _refused(tmp_path / "s.yaml", "tag")


def test_a_plain_integer_is_not_a_date(tmp_path, mini_text):
    text = mini_text.replace("planned_date: 2017-01-10", "planned_date: 1485129600", 1)
    assert text != mini_text
    (tmp_path / "s.yaml").write_text(text)
    _refused(tmp_path / "s.yaml", "schedule[0].planned_date", "expected a date")


def test_an_exponent_without_a_dot_gets_a_hint(tmp_path, mini_text):
    (tmp_path / "s.yaml").write_text(mini_text + "model: {position_noise: 1e-3}\n")
    _refused(tmp_path / "s.yaml", "1.0e-3 or 0.001")


# --- 2. accepted by validate => run to the end ----------------------------------------------


def test_negative_zero_is_a_zero(tmp_path, mini_text):
    (tmp_path / "s.yaml").write_text(mini_text + "model: {position_noise: -0.0}\n")
    scenario = load_scenario(tmp_path / "s.yaml").scenario
    assert str(scenario.model.position_noise) == "0.0"


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-25", "1799-12-31", "3000-01-01"])
def test_dates_outside_the_documented_range_are_refused(tmp_path, mini_text, date):
    # early dates replace the first round's, late ones the last's, so the schedule stays in order
    old = "planned_date: 2017-01-10" if date < "2017" else "planned_date: 2017-04-01"
    text = mini_text.replace(old, f"planned_date: {date}", 1)
    (tmp_path / "s.yaml").write_text(text)
    _refused(tmp_path / "s.yaml", "expected a date from 1800-01-01 to 2199-12-31")


def test_a_recorded_date_outside_the_range_is_refused(tmp_path):
    from sim.history import load_history

    record = tmp_path / "h.yaml"
    record.write_text("events:\n  - {round: r1, actual_date: 0001-01-01}\n")
    with pytest.raises(ScenarioError, match="expected a date from 1800-01-01"):
        load_history(record)


# --- the rule: validate ok => run (figures included) succeeds; validate rejects => ScenarioError


_EXTREME_NUMBERS = [0.0, -0.0, 1e-300, 5e-324, 1.0, 0.999999, 100.0, 1e308, -1.0]
_EXTREME_DATES = ["1800-01-01", "2199-12-31", "2199-06-01", "0001-01-01", "9999-12-31"]


def _mutated(mini_text: str, noise: float, threshold: float, days: int, date: str) -> str:
    # early dates replace the first round's, late ones the last's, so the schedule stays in order
    old = "planned_date: 2017-01-10" if date < "2017" else "planned_date: 2017-04-01"
    text = mini_text.replace(old, f"planned_date: {date}", 1)
    return text + (
        f"model: {{position_noise: {noise!r}, attendance_noise: {min(abs(noise), 1.0)!r}, "
        f"postpone_threshold: {threshold!r}, postponement_days: {days}, max_postponements: 20}}\n"
    )


@given(
    noise=st.sampled_from(_EXTREME_NUMBERS),
    threshold=st.sampled_from([0.0, -0.0, 1.0, 0.5]),
    days=st.sampled_from([1, 365, 366]),
    date=st.sampled_from(_EXTREME_DATES),
)
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_what_validate_accepts_runs_to_the_end(tmp_path, mini_text, noise, threshold, days, date):
    from sim.model import simulate
    from sim.output import run_files

    file = tmp_path / "extreme.yaml"
    file.write_text(_mutated(mini_text, noise, threshold, days, date))
    try:
        loaded = load_scenario(file)
    except ScenarioError as exc:
        assert str(exc)  # refused with a message: the CLI turns this into exit 2
        return
    log = simulate(loaded.scenario)
    files = run_files(log, loaded.scenario, figures=True)
    assert files["history.png"].startswith(b"\x89PNG")


def test_long_lists_in_messages_are_capped():
    from sim.scenario.errors import capped

    ids = [f"x{n}" for n in range(5000)]
    assert capped(ids).endswith("x9 ... and 4,990 more")
    assert capped(ids[:3]) == "x0, x1, x2"
