"""Speed of a run, measured on demand (not part of the test suite).

    python benchmarks/bench_run.py            # the flagship, and a synthetic large scenario

Prints the median time of each stage over several repetitions: loading the scenario, simulating,
writing the tables, drawing the figures; then the simulation of a synthetic scenario with many
actors, issues and rounds, to show how the array-based rounds scale.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.comparison import with_protocol  # noqa: E402
from sim.model import simulate  # noqa: E402
from sim.output import run_files  # noqa: E402
from sim.scenario import Scenario, load_scenario  # noqa: E402
from sim.scenario.schema import PROTOCOL_NAMES  # noqa: E402


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic(n_actors: int, n_issues: int, n_rounds: int, seed: int = 0) -> Scenario:
    rng = np.random.default_rng(seed)
    issues = [f"i{j}" for j in range(n_issues)]
    actors = [f"a{i}" for i in range(n_actors)]
    roles = ["guarantor", "party", "party", "mediator", "observer"]
    return Scenario.model_validate(
        {
            "name": "synthetic",
            "seed": seed,
            "tracks": [{"id": "astana", "name": "Main track"}],
            "issues": [{"id": j, "name": j, "low": "0", "high": "100"} for j in issues],
            "actors": [
                {
                    "id": a,
                    "name": a,
                    "role": roles[i % 5],
                    "capability": float(rng.random()),
                    "positions": {j: float(rng.uniform(0, 100)) for j in issues},
                    "salience": {j: float(rng.random()) for j in issues},
                    "concession_rate": float(rng.random()),
                    "reservation": float(rng.random()),
                }
                for i, a in enumerate(actors)
            ],
            "schedule": [
                {
                    "id": f"r{r}",
                    "name": f"r{r}",
                    "track": "astana",
                    "planned_date": f"2017-{1 + r // 28 % 12:02d}-{1 + r % 28:02d}",
                    "venue": "v",
                    "format": "proximity_talks",
                    "conveners": actors[:3],
                    "invitees": actors[3:],
                    "agenda": issues[: max(1, n_issues // 2)],
                }
                for r in range(n_rounds)
            ],
        }
    )


def main() -> None:
    loaded = load_scenario(ROOT / "scenarios" / "astana_2017.yaml")
    scenario = loaded.scenario
    log = simulate(scenario)
    print(
        f"flagship: {len(scenario.actors)} actors, {len(scenario.issues)} issues, "
        f"{len(scenario.schedule)} rounds"
    )
    print(f"  load      {timed(lambda: load_scenario(loaded.path), 5) * 1000:8.1f} ms")
    print(f"  simulate  {timed(lambda: simulate(scenario), 20) * 1000:8.1f} ms")
    print(f"  (no prose){timed(lambda: simulate(scenario, narrate=False), 20) * 1000:8.1f} ms")
    print(f"  tables    {timed(lambda: run_files(log, scenario, figures=False), 5) * 1000:8.1f} ms")
    print(f"  + figures {timed(lambda: run_files(log, scenario), 3) * 1000:8.1f} ms")
    parallel = timed(lambda: run_files(log, scenario, parallel=True), 3)
    print(f"  (forked)  {parallel * 1000:8.1f} ms (positions.png in a child, as the CLI)")
    for rule in PROTOCOL_NAMES:
        variant = with_protocol(scenario, rule)
        quiet = timed(lambda variant=variant: simulate(variant, narrate=False), 10)
        print(f"  {rule:<20} {quiet * 1000:8.1f} ms (no prose)")
    for n_actors, n_issues, n_rounds in ((50, 10, 100), (200, 20, 300)):
        big = synthetic(n_actors, n_issues, min(n_rounds, 336))
        full = timed(lambda big=big: simulate(big), 3)
        quiet = timed(lambda big=big: simulate(big, narrate=False), 3)
        print(
            f"synthetic {n_actors} actors x {n_issues} issues x {len(big.schedule)} rounds: "
            f"{full * 1000:8.1f} ms narrated, {quiet * 1000:8.1f} ms decisions only"
        )
        for rule in PROTOCOL_NAMES:
            variant = with_protocol(big, rule)
            quiet = timed(lambda variant=variant: simulate(variant, narrate=False), 1)
            print(f"  {rule:<20} {quiet * 1000:8.1f} ms (no prose)")


if __name__ == "__main__":
    main()
