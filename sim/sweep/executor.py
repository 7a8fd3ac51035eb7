"""Running the runs of a sweep: in this process, in local worker processes, or on Dask.

Work goes out in chunks of runs (one task per run costs more in pickling than a run of a small
scenario takes); rows come back per chunk and are stored one by one as each chunk returns. The
seed of a run depends only on (master seed, point, replicate), so any executor, worker count or
chunk size gives the same rows.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from .plan import Plan, Row, run_chunk

Runs = list[tuple[int, int]]

_PLAN: Plan | None = None  # a worker process's copy of the plan, sent once at its start


def _install(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


def _run_installed(runs: Runs) -> list[Row]:
    assert _PLAN is not None, "worker started without a plan"
    return run_chunk(_PLAN, runs)


def available_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def chunked(runs: Runs, size: int) -> list[Runs]:
    return [runs[i : i + size] for i in range(0, len(runs), size)]


def default_chunk(total: int, workers: int) -> int:
    """About 8 chunks per worker, at most 50 runs each: small enough to lose little to a kill
    and to balance the load, large enough that pickling stays a small share of the time."""
    return max(1, min(50, total // max(1, 8 * workers)))


def _context() -> multiprocessing.context.BaseContext:
    """A fork server that has imported the model once: workers start fast, and safely (no
    fork of a process with threads), whatever start method another library set globally
    (Mesa's batch runner sets "spawn" at import)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sim.sweep.plan"])
    return context


def run_local(plan: Plan, runs: Runs, workers: int, chunk: int) -> Iterator[list[Row]]:
    """Rows of each chunk as it finishes; ``workers == 1`` runs here, without processes."""
    if workers <= 1:
        for part in chunked(runs, chunk):
            yield run_chunk(plan, part)
        return
    parts = chunked(runs, chunk)
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_install, initargs=(plan,)
    )
    with pool:
        pending = set()
        queue = iter(parts)
        try:
            for part in queue:  # keep a bounded number in flight: a kill loses only those
                pending.add(pool.submit(_run_installed, part))
                if len(pending) >= 2 * workers:
                    break
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(pool.submit(_run_installed, nxt))
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def run_dask(plan: Plan, runs: Runs, address: str, chunk: int) -> Iterator[list[Row]]:
    """Rows of each chunk from a Dask cluster (``address``) or a LocalCluster (``"local"``)."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise RuntimeError(
            "Dask is not installed; install it with: pip install 'astana-sim[dask]'"
        ) from None
    cluster = None
    if address == "local":
        cluster = LocalCluster(  # one single-threaded worker process per core, no dashboard
            n_workers=available_cores(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    else:
        client = Client(address, timeout="30s")
    try:
        shared = client.scatter(plan, broadcast=True)
        futures = [
            client.submit(run_chunk, shared, part, pure=False) for part in chunked(runs, chunk)
        ]
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def execute(
    plan: Plan,
    runs: Runs,
    store_rows: Callable[[list[Row]], None],
    workers: int = 1,
    dask: str | None = None,
    chunk: int | None = None,
) -> None:
    """Run ``runs`` and hand each finished chunk's rows to ``store_rows``."""
    size = chunk or default_chunk(len(runs), workers if dask is None else 8)
    source = run_dask(plan, runs, dask, size) if dask else run_local(plan, runs, workers, size)
    for rows in source:
        store_rows(rows)
