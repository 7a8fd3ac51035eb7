"""How often each meeting agrees what, over many seeds, for one or more scenarios.

    python experiments/outcome_frequencies.py scenarios/astana_2017.yaml \\
        scenarios/counterfactuals/moscow_platform_flexible.yaml --seeds 100

One table per scenario: for every round, the share of seeds in which each agenda issue was
agreed, and the share in which each invitee stayed away or walked out. With several scenarios,
a last table lists the outcomes whose frequency differs most between the first scenario and each
of the others: the quickest way to see what a counterfactual changes.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim.model import ensemble_seeds, simulate  # noqa: E402
from sim.scenario import Scenario, ScenarioError, load_scenario  # noqa: E402


def frequencies(scenario: Scenario, seeds: list[int]) -> Counter:
    """Counts of ("agreed", round, issue), ("away", round, actor) and ("walked", round, actor)."""
    counts: Counter = Counter()
    for seed in seeds:
        for outcome in simulate(scenario, seed, narrate=False).rounds:
            counts.update(("agreed", outcome.round_id, i) for i in outcome.agreed_issues)
            counts.update(("away", outcome.round_id, a) for a in outcome.stayed_away)
            counts.update(("walked", outcome.round_id, a) for a in outcome.walked_out)
    return counts


def table(scenario: Scenario, counts: Counter, n: int) -> str:
    lines = [f"{scenario.name} ({n} seeds)", f"{'round':20} {'outcome':10} {'who/what':18} share"]
    for round_ in scenario.schedule:
        for kind, names in (
            ("agreed", round_.agenda),
            ("away", [*round_.conveners, *round_.invitees]),
            ("walked", [*round_.conveners, *round_.invitees]),
        ):
            for name in names:
                share = counts[(kind, round_.id, name)] / n
                if share:
                    lines.append(f"{round_.id:20} {kind:10} {name:18} {share:5.2f}")
    return "\n".join(lines)


def differences(base: Counter, other: Counter, n: int, most: int = 15) -> list[tuple]:
    keys = set(base) | set(other)
    ranked = sorted(keys, key=lambda k: (-abs(other[k] - base[k]), k))
    return [(k, base[k] / n, other[k] / n) for k in ranked[:most] if other[k] != base[k]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0, help="where the seeds are drawn from")
    args = parser.parse_args(argv)
    seeds = ensemble_seeds(args.seed, args.seeds)
    try:
        scenarios = [load_scenario(path).scenario for path in args.scenarios]
    except ScenarioError as exc:
        print(f"error: invalid scenario\n{exc}", file=sys.stderr)
        return 2
    counts = [frequencies(s, seeds) for s in scenarios]
    for scenario, count in zip(scenarios, counts, strict=True):
        print(table(scenario, count, len(seeds)), end="\n\n")
    for scenario, count in zip(scenarios[1:], counts[1:], strict=True):
        print(f"{scenarios[0].name} -> {scenario.name}: the largest changes")
        for (kind, round_id, name), before, after in differences(counts[0], count, len(seeds)):
            print(f"  {round_id:20} {kind:8} {name:18} {before:5.2f} -> {after:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
