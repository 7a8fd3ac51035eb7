"""The figures of a sweep (matplotlib's Figure API, no pyplot): fan chart, heat map, tornado."""

from __future__ import annotations

import json

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from .table import Runs

MAX_GROUPS = 10  # one colour each in tab10


def _groups(runs: Runs) -> tuple[str | None, dict[str, list[int]]]:
    """Points grouped by the scenario (if several) or the first factor with few levels."""
    for factor in runs.factors:
        groups: dict[str, list[int]] = {}
        for i, point in enumerate(runs.points):
            groups.setdefault(_label(point.get(factor)), []).append(i)
        if 1 < len(groups) <= MAX_GROUPS:
            return factor, groups
    return None, {"all runs": list(range(len(runs.points)))}


def _label(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return value if isinstance(value, str) else json.dumps(value)


def fan_chart(runs: Runs, observable: str = "agreed_share") -> Figure | None:
    """Median and 10-90% band of a per-round observable, one fan per scenario or level."""
    factor, groups = _groups(runs)
    order: dict[str, None] = {}  # rounds in the order played; rounds of one scenario only last
    for per_point in runs.rounds:
        for rounds in per_point[:1]:
            order.update(dict.fromkeys(r["round"] for r in rounds))
    if not order:
        return None
    ids = list(order)
    figure = Figure(figsize=(max(6.0, 0.45 * len(ids) + 4), 4.2), layout="constrained")
    ax = figure.add_subplot()
    cmap = colormaps["tab10"]
    x = np.arange(len(ids))
    for k, (name, members) in enumerate(groups.items()):
        values = np.full((sum(len(runs.rounds[i]) for i in members), len(ids)), np.nan)
        row = 0
        for i in members:
            for rounds in runs.rounds[i]:
                played = {r["round"]: r for r in rounds}
                for j, rid in enumerate(ids):
                    got = played.get(rid, {}).get(observable)
                    values[row, j] = np.nan if got is None else got
                row += 1
        if not row:
            continue
        played = ~np.all(np.isnan(values), axis=0)
        if not played.any():
            continue
        # rounds a scenario does not hold stay empty (NaN): lines break there, not bridge them
        q = np.full((3, len(ids)), np.nan)
        q[:, played] = np.nanquantile(values[:, played], [0.1, 0.5, 0.9], axis=0)
        color = cmap(k % 10)
        ax.fill_between(x, q[0], q[2], color=color, alpha=0.15, linewidth=0)
        ax.plot(x, q[1], marker="o", color=color, label=name)
    ax.set_xticks(x, ids, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel(observable.replace("_", " "))
    title = f"{observable.replace('_', ' ')} per round: median and 10-90% of runs"
    ax.set_title(title + (f", by {factor}" if factor else ""), fontsize=10)
    if len(groups) > 1:
        ax.legend(
            fontsize=8, title=factor, title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1)
        )
    return figure


def heat_map(runs: Runs, metric: str) -> Figure | None:
    """The metric's mean over the first two numeric factors (binned if they take many values)."""
    numeric = [
        f
        for f in runs.factors
        if all(
            isinstance(p.get(f), (int, float)) and not isinstance(p.get(f), bool)
            for p in runs.points
        )
    ]
    if len(numeric) < 2:
        return None
    a, b = numeric[:2]
    y = runs.point_means(metric)
    xa = np.array([p[a] for p in runs.points], dtype=float)
    xb = np.array([p[b] for p in runs.points], dtype=float)
    edges_a, centers_a = _bins(xa)
    edges_b, centers_b = _bins(xb)
    ia = np.clip(np.searchsorted(edges_a, xa, side="right") - 1, 0, len(centers_a) - 1)
    ib = np.clip(np.searchsorted(edges_b, xb, side="right") - 1, 0, len(centers_b) - 1)
    grid = np.full((len(centers_b), len(centers_a)), np.nan)
    for j in range(len(centers_b)):
        for i in range(len(centers_a)):
            cell = y[(ia == i) & (ib == j)]
            cell = cell[~np.isnan(cell)]
            if cell.size:
                grid[j, i] = cell.mean()
    figure = Figure(figsize=(5.6, 4.4), layout="constrained")
    ax = figure.add_subplot()
    image = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(centers_a)), [f"{c:.3g}" for c in centers_a], fontsize=8)
    ax.set_yticks(range(len(centers_b)), [f"{c:.3g}" for c in centers_b], fontsize=8)
    ax.set_xlabel(a)
    ax.set_ylabel(b)
    ax.set_title(f"mean {metric} over {a} and {b}", fontsize=10)
    figure.colorbar(image, ax=ax, label=metric)
    return figure


def _bins(values: np.ndarray, most: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct value its own cell if there are few; else ``most`` equal-width bins."""
    distinct = np.unique(values)
    if len(distinct) <= most:
        mids = (distinct[1:] + distinct[:-1]) / 2 if len(distinct) > 1 else np.array([])
        return np.concatenate([[-np.inf], mids, [np.inf]]), distinct
    edges = np.linspace(values.min(), values.max(), most + 1)
    return edges, (edges[1:] + edges[:-1]) / 2


def tornado_chart(found) -> Figure:
    """Factors ordered by influence: level-mean spans (grid) or index bars (SALib)."""
    order = np.argsort(found.columns[found.main])
    names = [found.names[i] for i in order]
    figure = Figure(figsize=(6.0, 0.45 * len(names) + 1.6), layout="constrained")
    ax = figure.add_subplot()
    y = np.arange(len(names))
    if found.low is not None:
        low = np.array(found.low)[order]
        high = np.array(found.high)[order]
        ax.barh(y, high - low, left=low, color="tab:blue", alpha=0.7)
        ax.set_xlabel(f"mean {found.metric}: lowest to highest level")
    else:
        ax.barh(y, np.array(found.columns[found.main])[order], color="tab:blue", alpha=0.7)
        ax.set_xlabel(f"{found.method} {found.main} of {found.metric}")
    ax.set_yticks(y, names, fontsize=9)
    ax.set_title(f"What moves {found.metric} most ({found.method})", fontsize=10)
    return figure
