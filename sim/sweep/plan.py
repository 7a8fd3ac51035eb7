"""One run of a sweep as a function of (plan, point, replicate): what workers execute.

A plan holds everything a worker needs (the base scenarios as data, their records, the points)
and nothing tied to a process, so it pickles to local processes and Dask workers alike.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from pydantic import ValidationError

from ..facts import RecordedFact, scored_facts
from ..history import History
from ..model import simulate
from ..scenario import Scenario
from .design import Point, run_seed
from .metrics import run_metrics
from .spec import LoadedSweep, SweepParameter, scenario_for


@dataclass(frozen=True)
class Row:
    """One stored run. ``metrics`` is None for a failed run, which carries its ``error``."""

    point: int
    replicate: int
    seed: int
    status: str  # "done" or "failed"
    error: str | None
    metrics: dict | None


@dataclass(frozen=True)
class Plan:
    bases: dict[str, dict]
    histories: dict[str, History | None]
    parameters: tuple[SweepParameter, ...]
    points: tuple[Point, ...]
    metrics: tuple[str, ...]
    seed: int
    replications: int
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_sweep(cls, loaded: LoadedSweep, points: list[Point]) -> Plan:
        spec = loaded.spec
        return cls(
            bases={label: base.data for label, base in loaded.bases.items()},
            histories={label: base.history for label, base in loaded.bases.items()},
            parameters=tuple(spec.parameters),
            points=tuple(points),
            metrics=tuple(spec.metrics),
            seed=spec.seed,
            replications=spec.replications,
        )

    def label(self, point: int) -> str:
        return str(self.points[point].get("scenario") or next(iter(self.bases)))

    def scenario(self, point: int) -> Scenario:
        """The point's scenario (built once per process and point)."""
        if point not in self._cache:
            values = self.points[point]
            pairs = [(p, values[p.name]) for p in self.parameters]
            self._cache.clear()  # points arrive in order: keep one, not thousands
            self._cache[point] = scenario_for(self.bases[self.label(point)], pairs)
        return self._cache[point]

    def stated(self, point: int) -> list[RecordedFact] | None:
        """The record's scored facts for the point's scenario (once per process and point)."""
        history = self.histories[self.label(point)]
        if history is None:
            return None
        key = ("stated", point)
        if key not in self._cache:  # the point's scenario first: it clears the previous point's
            self._cache[key] = scored_facts(self.scenario(point), history)
        return self._cache[key]

    def all_runs(self) -> list[tuple[int, int]]:
        return [(p, r) for p in range(len(self.points)) for r in range(self.replications)]


def run_one(plan: Plan, point: int, replicate: int) -> Row:
    """Run one (point, replicate); an exception becomes a failed row, never a lost sweep."""
    seed = run_seed(plan.seed, point, replicate)
    try:
        scenario = plan.scenario(point)
        log = simulate(scenario, seed, narrate=False)
        history, stated = plan.histories[plan.label(point)], plan.stated(point)
        metrics = run_metrics(log, scenario, history, plan.metrics, stated)
    except ValidationError as exc:  # a combination of values the scenario forbids
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'scenario'}: {e['msg']}" for e in exc.errors()
        )
        return Row(point, replicate, seed, "failed", f"invalid scenario: {problems}", None)
    except Exception as exc:  # noqa: BLE001 - any failure of one run is recorded, not raised
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" (at {last[0].name})" if last else ""
        return Row(point, replicate, seed, "failed", f"{type(exc).__name__}: {exc}{where}", None)
    return Row(point, replicate, seed, "done", None, metrics)


def run_chunk(plan: Plan, runs: list[tuple[int, int]]) -> list[Row]:
    return [run_one(plan, point, replicate) for point, replicate in runs]
