"""Speed of `validate` on a large scenario, measured on demand (not part of the test suite).

    python benchmarks/bench_validate.py [ACTORS]     # default 5,000 actors

Writes a synthetic scenario (ACTORS actors, 3 issues, 20 rounds inviting everyone) to a temporary
file and prints how long loading and validating it takes, and how long the message for one
unknown id is.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.scenario import ScenarioError, load_scenario  # noqa: E402


def synthetic(actors: int, unknown: bool = False) -> str:
    """A valid scenario text with ``actors`` actors; one unknown invitee if asked."""
    issues = ["a", "b", "c"]
    lines = ["name: big", "seed: 1", "tracks: [{id: astana, name: Astana}]", "issues:"]
    lines += [f"  - {{id: {i}, name: {i}, low: l, high: h}}" for i in issues]
    lines.append("actors:")
    for n in range(actors):
        lines.append(
            f"  - {{id: x{n}, name: X{n}, role: observer, capability: 0.5, "
            "positions: {a: 50, b: 50, c: 50}, salience: {a: 0.5, b: 0.5, c: 0.5}, "
            "concession_rate: 0.1, reservation: 0.3}"
        )
    ids = [f"x{n}" for n in range(actors)] + (["nobody"] if unknown else [])
    lines.append("schedule:")
    for r in range(20):
        lines.append(
            f"  - {{id: r{r}, name: R{r}, track: astana, planned_date: 2017-01-{r + 1:02d}, "
            f"venue: V, format: congress, conveners: [x0], invitees: [{', '.join(ids[1:])}], "
            "agenda: [a]}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    actors = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "big.yaml"
        file.write_text(synthetic(actors))
        started = time.perf_counter()
        load_scenario(file)
        print(f"validate, {actors} actors, 20 rounds: {time.perf_counter() - started:.2f} s")
        file.write_text(synthetic(actors, unknown=True))
        started = time.perf_counter()
        try:
            load_scenario(file)
        except ScenarioError as exc:
            longest = max(len(line) for line in str(exc).splitlines())
            print(
                f"with one unknown id: {time.perf_counter() - started:.2f} s, "
                f"longest message line {longest} characters"
            )


if __name__ == "__main__":
    main()
