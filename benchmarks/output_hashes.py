"""Fingerprints of the shipped runs and their scores: proof that a speed change altered no output.

    python benchmarks/output_hashes.py > before.txt   # on the commit before the change
    python benchmarks/output_hashes.py > after.txt    # on the change
    diff before.txt after.txt                         # empty: every output is byte-identical

Speed work on the engine must keep every run byte-identical (a sum taken in another order
counts as a change), or say in its commit which outputs it changes and why. One line per run:
each shipped scenario under each bargaining rule and two seeds, hashing the rounds, every array
of the run log and the narrated events; then one line per scenario with a record and rule,
hashing its scores (``score_runs``, ``score_codings``, ``score_ensemble``, per round). Not part
of the test suite: it takes some seconds.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.comparison import with_protocol  # noqa: E402
from sim.history import load_history  # noqa: E402
from sim.model import simulate  # noqa: E402
from sim.rule_params import RULE_NAMES  # noqa: E402
from sim.runlog import RunLog  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.scoring import score_codings, score_ensemble, score_runs  # noqa: E402

SCENARIOS = (
    "scenarios/astana_2017.yaml",
    "scenarios/astana_2017_fitted.yaml",
    "scenarios/astana_2017_vintage.yaml",
    "scenarios/havana/havana_2012.yaml",
    "scenarios/counterfactuals/geneva_only.yaml",
    "scenarios/counterfactuals/early_russian_drawdown.yaml",
)
RECORDS = (
    ("scenarios/astana_2017.yaml", "calibration/history.yaml"),
    ("scenarios/havana/havana_2012.yaml", "scenarios/havana/history.yaml"),
)
SEEDS = (0, 7)


def run_hash(log: RunLog) -> str:
    digest = hashlib.sha256(repr(log.rounds).encode())
    for arrays in (log.positions, log.salience, log.utility, log.capability, log.reservation):
        for array in arrays:
            digest.update(array.tobytes())
    digest.update(repr(log.events).encode())
    return digest.hexdigest()[:16]


def score_hash(scenario_file: str, record_file: str, rule: str) -> str:
    scenario = with_protocol(load_scenario(ROOT / scenario_file).scenario, rule)
    history = load_history(ROOT / record_file, scenario)
    logs = [simulate(scenario, seed, narrate=False) for seed in range(8)]
    scores = (
        score_runs(logs, scenario, history),
        score_codings(logs, scenario, history),
        score_ensemble(logs, scenario, history),
        score_runs(logs, scenario, history).by_round(),
        [score_runs([log], scenario, history).loss for log in logs],
    )
    return hashlib.sha256(repr(scores).encode()).hexdigest()[:16]


def main() -> None:
    for scenario_file in SCENARIOS:
        scenario = load_scenario(ROOT / scenario_file).scenario
        for rule in RULE_NAMES:
            variant = with_protocol(scenario, rule)
            for seed in SEEDS:
                log = simulate(variant, seed, narrate=True)
                print(f"run {scenario_file} {rule} seed {seed}: {run_hash(log)}")
    for scenario_file, record_file in RECORDS:
        for rule in RULE_NAMES:
            print(f"scores {scenario_file} {rule}: {score_hash(scenario_file, record_file, rule)}")


if __name__ == "__main__":
    main()
