"""The engine's speed targets (issue 9), each beside two floors measured in the same run.

    python benchmarks/bench_engine.py            # prints a table; docs/performance.md quotes it

Floors: a trivial Mesa model (10 agents, 13 steps, each agent adds two numbers), the least a
Mesa run can cost; and a plain per-actor Python loop of the round's mechanics (clause utility,
acceptance, concession) over the flagship's 13 actors, 6 issues and 17 rounds, what the engine
would cost without numpy. Run on an idle machine; figures vary with load.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_run import synthetic  # noqa: E402

from sim.comparison import with_protocol  # noqa: E402
from sim.model import simulate  # noqa: E402
from sim.protocols.expected_utility import challenge_round  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

FLAGSHIP = ROOT / "scenarios" / "astana_2017.yaml"


def per_second(function, seconds: float = 2.0) -> float:
    """Calls per second of ``function``, over about ``seconds`` (median of five batches)."""
    function()
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < seconds / 5:
        function()
        calls += 1
    rates = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        rates.append(calls / (time.perf_counter() - start))
    return statistics.median(rates)


def mesa_floor() -> float:
    import mesa

    class Trivial(mesa.Agent):
        def step(self) -> None:
            self.wealth = getattr(self, "wealth", 0.0) + 1.0

    class Model(mesa.Model):
        def __init__(self) -> None:
            super().__init__(rng=np.random.default_rng(0))
            Trivial.create_agents(self, 10)

        def step(self) -> None:
            self.agents.do("step")

    def run() -> None:
        model = Model()
        for _ in range(13):
            model.step()

    return per_second(run)


def loop_floor(n_actors: int = 13, n_issues: int = 6, n_rounds: int = 17) -> float:
    rng = np.random.default_rng(0)
    positions = rng.uniform(0, 100, (n_actors, n_issues)).tolist()
    salience = rng.random((n_actors, n_issues)).tolist()
    reservation = rng.random(n_actors).tolist()
    rate = rng.random(n_actors).tolist()

    def run() -> None:
        p = [row[:] for row in positions]
        for _ in range(n_rounds):
            text = [sum(p[i][j] for i in range(n_actors)) / n_actors for j in range(n_issues)]
            for i in range(n_actors):
                for j in range(n_issues):
                    worth = 1.0 - salience[i][j] * abs(text[j] - p[i][j]) / 100.0
                    if worth < reservation[i]:
                        p[i][j] += rate[i] * (1.0 - salience[i][j]) * (text[j] - p[i][j])

    return per_second(run)


def expected_utility_round(n: int) -> tuple[float, float]:
    """Seconds and peak MB of one round of challenges among ``n`` actors on one issue (the time
    without ``tracemalloc``, which slows numpy's allocations, the memory in a second pass)."""
    rng = np.random.default_rng(0)
    x, c, s = rng.uniform(0, 100, n), rng.random(n), rng.random(n)
    start = time.perf_counter()
    challenge_round(x, c, s, float(x.max() - x.min()))
    seconds = time.perf_counter() - start
    tracemalloc.start()
    challenge_round(x, c, s, float(x.max() - x.min()))
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak


def cli_wall(*extra: str, repeat: int = 7) -> float:
    """Wall seconds of ``astana-sim run`` of the flagship (median of ``repeat``), a fresh process
    each time."""
    times = []
    for k in range(repeat):
        out = ROOT / "runs" / f"_bench_{k}"
        command = [sys.executable, "-m", "sim", "run", str(FLAGSHIP), "--out", str(out)]
        start = time.perf_counter()
        subprocess.run([*command, "--overwrite", "--quiet", *extra], check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    scenario = load_scenario(FLAGSHIP).scenario
    rows = [
        ("floor: trivial Mesa model, 10 agents x 13 steps", f"{mesa_floor():,.0f} runs/s"),
        ("floor: per-actor Python loop, flagship size", f"{loop_floor():,.0f} runs/s"),
    ]
    rates = {}
    for rule in ("single_text", "compromise", "alternating_offers", "expected_utility"):
        variant = with_protocol(scenario, rule)
        rates[rule] = per_second(lambda v=variant: simulate(v, 7, narrate=False))
        rows.append((f"flagship, {rule}, narrate=False", f"{rates[rule]:,.0f} runs/s"))
    ratio = rates["single_text"] / rates["alternating_offers"]
    rows.append(("alternating_offers / single_text cost", f"{ratio:.1f}x"))
    seconds, peak = expected_utility_round(1000)
    rows.append(("expected utility, 1,000 actors, one round", f"{seconds:.2f} s, {peak:.0f} MB"))
    big = synthetic(1000, 50, 20)
    start = time.perf_counter()
    simulate(big, narrate=False)
    rows.append(("1,000 actors x 50 issues x 20 rounds", f"{time.perf_counter() - start:.2f} s"))
    rows.append(("astana-sim run, with figures", f"{cli_wall():.2f} s"))
    rows.append(("astana-sim run, --no-figures", f"{cli_wall('--no-figures'):.2f} s"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
