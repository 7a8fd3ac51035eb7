"""Sweeps: the spec's errors, seeds, the store (resume, kill, failures), executors, analysis."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.scenario import ScenarioError
from sim.sweep import load_sweep
from sim.sweep.design import run_seed
from sim.sweep.run import run_sweep
from sim.sweep.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini.yaml"


def write_spec(tmp_path: Path, body: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"name: mini_sweep\nscenario: {MINI}\n" + body)
    return path


GRID = """\
parameters:
  - {name: margin, path: model.walkout_margin, levels: [0.1, 0.3]}
  - {name: pull, path: model.patron_pull, levels: [0.05, 0.6]}
  - {name: pressure, path: model.pressure_rate, levels: [0.02, 0.5]}
replications: 3
seed: 5
"""


def rows(path: Path) -> list[dict]:
    store = Store.open(path)
    try:
        return list(store.rows())
    finally:
        store.close()


def test_a_bad_spec_names_file_line_and_field(tmp_path):
    spec = write_spec(
        tmp_path, "parameters:\n  - {name: m, path: model.walkout_margin, levels: [2]}\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load_sweep(spec)
    assert f"{spec}:4: parameters[0].levels[0]: expected a value that keeps" in str(caught.value)
    result = CliRunner().invoke(main, ["sweep", str(spec), "--store", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "s.sqlite").exists()


def test_designs_need_the_right_kind_of_parameter(tmp_path):
    spec = write_spec(
        tmp_path,
        "design: {kind: sobol, samples: 6}\n"
        "parameters:\n  - {name: m, path: model.walkout_margin, levels: [0.1]}\n"
        "  - {name: x, path: actors.nobody.capability, low: 0.1, high: 0.5}\n",
    )
    message = str(pytest.raises(ScenarioError, load_sweep, spec).value)
    assert "design.samples: expected a power of 2 for sobol; found 6" in message
    assert "parameters[0].levels: expected a range (low, high) for the sobol design" in message
    assert "parameters[1].path: expected an id or index" in message


def test_seeds_depend_on_master_point_and_replicate_only():
    assert run_seed(1, 2, 3) == run_seed(1, 2, 3)
    seeds = {run_seed(1, p, r) for p in range(20) for r in range(20)}
    assert len(seeds) == 400 and all(0 <= s < 2**63 for s in seeds)


def test_a_failing_run_is_stored_as_failed_and_the_sweep_goes_on(tmp_path):
    # patron_pull 0.6 with pressure_rate 0.5 breaks the scenario's sum rule: only at run time
    summary = run_sweep(
        load_sweep(write_spec(tmp_path, GRID)), tmp_path / "s.sqlite", progress=False
    )
    assert (summary.total, summary.done, summary.failed) == (24, 18, 6)
    failed = [r for r in rows(tmp_path / "s.sqlite") if r["status"] == "failed"]
    assert {(r["p_pull"], r["p_pressure"]) for r in failed} == {(0.6, 0.5)}
    assert all("patron_pull + pressure_rate <= 1" in r["error"] for r in failed)
    assert all(r["metrics"] is None for r in failed)


def test_one_and_two_workers_give_the_same_rows(tmp_path):
    loaded = load_sweep(write_spec(tmp_path, GRID))
    run_sweep(loaded, tmp_path / "one.sqlite", progress=False)
    run_sweep(loaded, tmp_path / "two.sqlite", workers=2, chunk=2, progress=False)
    assert rows(tmp_path / "one.sqlite") == rows(tmp_path / "two.sqlite")


def test_the_store_refuses_another_sweep_or_a_second_start(tmp_path):
    store = tmp_path / "s.sqlite"
    run_sweep(load_sweep(write_spec(tmp_path, GRID)), store, progress=False)
    with pytest.raises(StoreError, match="exists already; pass --resume"):
        run_sweep(load_sweep(write_spec(tmp_path, GRID)), store, progress=False)
    other = write_spec(tmp_path, GRID.replace("seed: 5", "seed: 6"), "other.yaml")
    with pytest.raises(StoreError, match="holds another sweep"):
        run_sweep(load_sweep(other), store, resume=True, progress=False)
    before = rows(store)
    again = run_sweep(load_sweep(write_spec(tmp_path, GRID)), store, resume=True, progress=False)
    assert again.skipped == 18 and rows(store) == before  # failed runs retried, same result
    with sqlite3.connect(store) as connection:
        meta = dict(connection.execute("SELECT key, value FROM meta"))
    assert {"spec", "spec_hash", "design", "version"} <= set(meta)


def test_a_killed_sweep_resumes_to_the_rows_of_an_uninterrupted_one(tmp_path):
    spec = write_spec(
        tmp_path,
        "parameters:\n  - {name: margin, path: model.walkout_margin, "
        "low: 0.1, high: 0.4, steps: 4}\n"
        "replications: 150\nseed: 9\n",
    )
    store = tmp_path / "killed.sqlite"
    command = [sys.executable, "-m", "sim", "sweep", str(spec), "--store", str(store), "-q"]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--chunk", "1"],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    committed = 0
    deadline = time.monotonic() + 60
    while committed < 40 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        if store.exists():
            with sqlite3.connect(store) as connection:
                committed = connection.execute("SELECT count(*) FROM runs").fetchone()[0]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(store) as connection:
        partial = connection.execute("SELECT count(*) FROM runs").fetchone()[0]
    assert 40 <= partial < 600, "the kill should land mid-sweep"
    resumed = subprocess.run([*command, "--resume"], cwd=ROOT, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    run_sweep(load_sweep(spec), tmp_path / "whole.sqlite", progress=False)
    after = rows(store)
    assert after == rows(tmp_path / "whole.sqlite")
    assert len({(r["point"], r["seed"]) for r in after}) == len(after) == 600


def test_the_dask_path_gives_the_same_rows(tmp_path):
    distributed = pytest.importorskip("distributed")
    spec = write_spec(tmp_path, GRID)
    run_sweep(load_sweep(spec), tmp_path / "local.sqlite", progress=False)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = CliRunner().invoke(
            main,
            [
                "sweep",
                str(spec),
                "--store",
                str(tmp_path / "dask.sqlite"),
                "-q",
                "--dask",
                cluster.scheduler_address,
                "--chunk",
                "4",
            ],
        )
    assert result.exit_code == 0, result.output
    assert rows(tmp_path / "local.sqlite") == rows(tmp_path / "dask.sqlite")


def test_analyze_writes_tables_figures_and_a_self_contained_report(tmp_path):
    spec = write_spec(
        tmp_path,
        "design: {kind: morris, samples: 4}\n"
        "parameters:\n  - {name: margin, path: model.walkout_margin, low: 0.1, high: 0.4}\n"
        "  - {name: capability, path: actors.reb.capability, low: 0.1, high: 0.5}\n"
        "replications: 2\n",
    )
    store = tmp_path / "m.sqlite"
    runner = CliRunner()
    result = runner.invoke(main, ["sweep", str(spec), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "m"
    result = runner.invoke(
        main, ["analyze", str(store), "--out", str(out), "--csv", str(tmp_path / "m.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "Morris (mu_star)" in result.output
    assert {"points.csv", "sensitivity.csv", "fan.png", "heatmap.png", "tornado.png"} <= {
        p.name for p in out.iterdir()
    }
    page = (out / "report.html").read_text()
    assert "data:image/png;base64," in page
    for external in ("http://", "https://", "src='/", 'src="/', "//cdn", "<script", "<link"):
        assert external not in page
    lines = (tmp_path / "m.csv").read_text().splitlines()
    assert lines[0].startswith("point,replicate,seed,status") and len(lines) == 1 + 12 * 2
    bad = runner.invoke(main, ["analyze", str(store), "--metric", "nope", "--out", str(out)])
    assert bad.exit_code == 2 and "expected one of" in bad.output


def test_parquet_export(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    store = tmp_path / "s.sqlite"
    run_sweep(load_sweep(write_spec(tmp_path, GRID)), store, progress=False)
    result = CliRunner().invoke(
        main, ["analyze", str(store), "--parquet", str(tmp_path / "s.parquet")]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(tmp_path / "s.parquet")
    assert len(frame) == 24 and set(frame["status"]) == {"done", "failed"}


EXPERIMENTS = sorted((ROOT / "experiments").glob("*.yaml"))


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_the_shipped_specs_are_valid(path):
    from sim.sweep.design import design_points

    loaded = load_sweep(path)
    assert len(design_points(loaded.spec)) >= 9


def test_the_counterfactual_pack_runs_and_says_what_each_changes(tmp_path):
    import dataclasses

    from sim.scenario import load_scenario, unsourced_numbers

    loaded = load_sweep(ROOT / "experiments" / "counterfactuals.yaml")
    assert len(loaded.bases) >= 9 and loaded.spec.replications == 100
    baseline = unsourced_numbers(load_scenario(ROOT / "scenarios" / "astana_2017.yaml").scenario)
    for base in loaded.bases.values():  # every number a counterfactual changes has its evidence
        assert unsourced_numbers(load_scenario(base.path).scenario) == baseline
    small = dataclasses.replace(loaded, spec=loaded.spec.model_copy(update={"replications": 1}))
    store = tmp_path / "cf.sqlite"
    run_sweep(small, store, progress=False)
    result = CliRunner().invoke(main, ["analyze", str(store), "--out", str(tmp_path / "cf")])
    assert result.exit_code == 0, result.output
    changes = (tmp_path / "cf" / "scenarios.csv").read_text()
    assert "geneva_only,agreements," in changes and "change from baseline" in changes
