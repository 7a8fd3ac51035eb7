"""A store's runs as arrays for analysis: per point, per metric, per round."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from .store import Store


@dataclass(frozen=True)
class Runs:
    """The finished runs of a sweep, grouped by point."""

    spec: dict
    factors: list[str]
    points: list[dict]
    summary: list[dict[str, list[float]]]  # per point: metric -> values over its done runs
    rounds: list[list[list[dict]]]  # per point: per done run, its rounds' metrics in order
    failed: list[int]  # per point: failed runs
    metric_names: list[str]

    @classmethod
    def read(cls, store: Store) -> Runs:
        points = store.points()
        summary: list[dict[str, list[float]]] = [{} for _ in points]
        rounds: list[list[dict]] = [[] for _ in points]
        failed = [0] * len(points)
        names: dict[str, None] = {}
        for row in store.rows():
            point = row["point"]
            if row["status"] != "done":
                failed[point] += 1
                continue
            metrics = json.loads(row["metrics"])
            for name, value in metrics["summary"].items():
                names.setdefault(name)
                summary[point].setdefault(name, []).append(np.nan if value is None else value)
            rounds[point].append(metrics["rounds"])
        spec = json.loads(store.meta("spec_json") or "{}")
        return cls(spec, store.factors, points, summary, rounds, failed, list(names))

    def values(self, point: int, metric: str) -> np.ndarray:
        return np.asarray(self.summary[point].get(metric, []), dtype=float)

    def point_means(self, metric: str) -> np.ndarray:
        """Mean of the metric at each point over its finished runs (NaN where none)."""
        out = np.full(len(self.points), np.nan)
        for i in range(len(self.points)):
            values = self.values(i, metric)
            values = values[~np.isnan(values)]
            if values.size:
                out[i] = values.mean()
        return out

    def has(self, metric: str) -> bool:
        return bool(np.any(~np.isnan(self.point_means(metric))))
