"""A sweep from spec to store: the one call behind ``astana-sim sweep``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from .design import design_points
from .executor import execute
from .plan import Plan
from .spec import LoadedSweep
from .store import Store


@dataclass(frozen=True)
class SweepSummary:
    total: int
    skipped: int  # done already (resume)
    done: int
    failed: int


def run_sweep(
    loaded: LoadedSweep,
    store_path: str | Path,
    *,
    resume: bool = False,
    workers: int = 1,
    dask: str | None = None,
    chunk: int | None = None,
    progress: bool = True,
) -> SweepSummary:
    """Run every (point, replicate) of the spec not already done in the store."""
    points = design_points(loaded.spec)
    store = Store.open_for(store_path, loaded, points, resume)
    try:
        plan = Plan.from_sweep(loaded, points)
        everything = plan.all_runs()
        finished = store.done()
        todo = [run for run in everything if run not in finished]
        bar = tqdm(
            total=len(everything),
            initial=len(everything) - len(todo),
            unit="run",
            desc=loaded.spec.name,
            disable=not progress,
            smoothing=0.1,
        )

        def store_rows(rows):
            store.write(rows, points)
            bar.update(len(rows))

        with bar:
            execute(plan, todo, store_rows, workers=workers, dask=dask, chunk=chunk)
        counts = store.counts()
    finally:
        store.close()
    return SweepSummary(
        len(everything), len(everything) - len(todo), counts.get("done", 0), counts.get("failed", 0)
    )
