"""Speed of a sweep of the flagship, measured on demand (not part of the test suite).

    python benchmarks/bench_sweep.py                   # 10,000 runs on 2 workers
    python benchmarks/bench_sweep.py --runs 2000       # a shorter measurement

Prints runs per second for: one process without the store (the floor: simulation and metrics),
the local executor on --workers processes without the store, the same with the SQLite store (the
whole ``astana-sim sweep``), and the store alone (writing already computed rows).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.sweep import load_sweep  # noqa: E402
from sim.sweep.design import design_points  # noqa: E402
from sim.sweep.executor import default_chunk, execute  # noqa: E402
from sim.sweep.plan import Plan, run_chunk  # noqa: E402
from sim.sweep.run import run_sweep  # noqa: E402
from sim.sweep.store import Store  # noqa: E402

SPEC = """\
name: bench_sweep
scenario: {scenario}
replications: {runs}
seed: 1
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--single", type=int, default=300, help="runs timed in one process")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "bench.yaml"
        spec.write_text(
            SPEC.format(scenario=ROOT / "scenarios" / "astana_2017.yaml", runs=args.runs)
        )
        loaded = load_sweep(spec)
        plan = Plan.from_sweep(loaded, design_points(loaded.spec))
        runs = plan.all_runs()
        print(f"flagship, {args.runs} runs, {args.workers} workers, {os.cpu_count()} cores")

        start = time.perf_counter()
        rows = run_chunk(plan, runs[: args.single])
        one = args.single / (time.perf_counter() - start)
        print(f"  1 process, no store:        {one:7.1f} runs/s")

        start = time.perf_counter()
        execute(plan, runs, lambda rows: None, workers=args.workers)
        seconds = time.perf_counter() - start
        bare = args.runs / seconds
        print(
            f"  {args.workers} workers, no store:        {bare:7.1f} runs/s "
            f"({bare / args.workers:.1f} per worker; {seconds:.1f} s wall)"
        )

        start = time.perf_counter()
        run_sweep(loaded, Path(tmp) / "sweep.sqlite", workers=args.workers, progress=False)
        seconds = time.perf_counter() - start
        stored = args.runs / seconds
        print(
            f"  {args.workers} workers, SQLite store:    {stored:7.1f} runs/s "
            f"({seconds:.1f} s wall; chunk {default_chunk(args.runs, args.workers)})"
        )

        store = Store.open_for(Path(tmp) / "rows.sqlite", loaded, plan.points, resume=False)
        copies = [
            type(r)(r.point, i, r.seed + i, r.status, r.error, r.metrics)
            for i, r in enumerate(rows * (2000 // len(rows) + 1))
        ][:2000]
        start = time.perf_counter()
        store.write(copies, list(plan.points))
        writes = len(copies) / (time.perf_counter() - start)
        store.close()
        print(f"  store alone (one commit per row): {writes:7.0f} rows/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
