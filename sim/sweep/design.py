"""Points of a design: every combination of levels, or a sample of the ranges by SALib.

SALib's samplers return an array of points over the ranges; its analyses take that array back
with the results, so the design (the array, in point order) is kept in the store.
"""

from __future__ import annotations

import itertools

import numpy as np

from .spec import SweepSpec

Point = dict[str, object]


def salib_problem(spec: SweepSpec) -> dict:
    """SALib's problem dict over the ranged parameters."""
    return {
        "num_vars": len(spec.parameters),
        "names": [p.name for p in spec.parameters],
        "bounds": [[p.low, p.high] for p in spec.parameters],
    }


def design_points(spec: SweepSpec) -> list[Point]:
    """The points of the experiment, in a fixed order (a point's index is its id)."""
    labels = list(spec.scenario_files()) if spec.scenarios is not None else [None]
    if spec.design.kind == "grid":
        names = [p.name for p in spec.parameters]
        grids = [p.grid_levels() or [] for p in spec.parameters]
        combos = [dict(zip(names, values, strict=True)) for values in itertools.product(*grids)]
    else:
        names = [p.name for p in spec.parameters]
        combos = [dict(zip(names, map(float, row), strict=True)) for row in sample(spec)]
    points = []
    for label in labels:
        for combo in combos:
            points.append(({"scenario": label} if label is not None else {}) | combo)
    return points


def sample(spec: SweepSpec) -> np.ndarray:
    """SALib's sample for an lhs, sobol or morris design, reproducible from the spec's seed."""
    problem = salib_problem(spec)
    design = spec.design
    n = int(design.samples or 0)
    seed = spec.seed % 2**32
    if design.kind == "lhs":
        from SALib.sample import latin

        return latin.sample(problem, n, seed=seed)
    if design.kind == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, n, calc_second_order=design.second_order, seed=seed)
    if design.kind == "morris":
        from SALib.sample import morris

        return morris.sample(problem, n, num_levels=design.num_levels, seed=seed)
    raise ValueError(f"no sampler for design {design.kind!r}")


def run_seed(master: int, point: int, replicate: int) -> int:
    """The seed of one run: a function of the master seed, the point and the replicate only.

    Spawned with numpy's SeedSequence (the spawn key is (point, replicate)), so runs are
    independent streams and the seed does not depend on worker count, chunking or order.
    """
    sequence = np.random.SeedSequence(master, spawn_key=(point, replicate))
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
