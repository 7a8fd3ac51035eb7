"""Summaries of a sweep: per-point distributions, sensitivities, counterfactual differences.

Sensitivity by design: Sobol indices (first order and total, SALib) for a Sobol design, Morris
elementary effects (mu*, sigma) for a Morris design, RBD-FAST first-order indices for a Latin
hypercube, and for a full grid the main effect of each factor (the spread of the metric's mean
over that factor's levels, the others averaged out).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..output import write_file_atomically
from .store import Store
from .table import Runs

QUANTILES = (0.1, 0.5, 0.9)


class AnalysisError(Exception):
    """The store cannot be analysed as asked (no finished run, an unknown metric)."""


@dataclass(frozen=True)
class Sensitivity:
    method: str
    metric: str
    names: list[str]
    columns: dict[str, list[float]]  # index name -> value per factor
    main: str  # the column that orders the tornado
    low: list[float] | None = None  # grid: the lowest and highest level means, for the tornado
    high: list[float] | None = None


@dataclass(frozen=True)
class Written:
    report: Path
    files: list[Path]
    summary_lines: list[str]


def point_table(runs: Runs) -> tuple[list[str], list[list[object]]]:
    """One row per point: its factors, runs done and failed, median and 10-90% per metric."""
    header = ["point", *runs.factors, "done", "failed"]
    for name in runs.metric_names:
        header += [f"{name}_p10", f"{name}_median", f"{name}_p90"]
    rows = []
    for i, point in enumerate(runs.points):
        row: list[object] = [i, *(point.get(f) for f in runs.factors)]
        row += [len(runs.rounds[i]), runs.failed[i]]
        for name in runs.metric_names:
            values = runs.values(i, name)
            values = values[~np.isnan(values)]
            if values.size:
                row += [float(q) for q in np.quantile(values, QUANTILES)]
            else:
                row += [None, None, None]
        rows.append(row)
    return header, rows


def sensitivity(runs: Runs, metric: str) -> Sensitivity | None:
    """The design's sensitivity indices of ``metric``, or None if the design allows none."""
    kind = runs.spec.get("design", {}).get("kind", "grid")
    names = [p["name"] for p in runs.spec.get("parameters", [])]
    y = runs.point_means(metric)
    if kind == "grid":
        return _main_effects(runs, metric, y)
    if not names or np.isnan(y).any():
        return None  # SALib's estimators need every point of the design
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[p["low"], p["high"]] for p in runs.spec["parameters"]],
    }
    x = np.array([[point[n] for n in names] for point in runs.points], dtype=float)
    seed = int(runs.spec.get("seed", 0)) % 2**32
    if kind == "sobol":
        from SALib.analyze import sobol

        second = bool(runs.spec["design"].get("second_order"))
        result = sobol.analyze(problem, y, calc_second_order=second, seed=seed)
        columns = {k: [float(v) for v in result[k]] for k in ("S1", "S1_conf", "ST", "ST_conf")}
        return Sensitivity("Sobol", metric, names, columns, "ST")
    if kind == "morris":
        from SALib.analyze import morris

        levels = int(runs.spec["design"].get("num_levels", 4))
        result = morris.analyze(problem, x, y, num_levels=levels, seed=seed)
        columns = {k: [float(v) for v in result[k]] for k in ("mu_star", "mu_star_conf", "sigma")}
        return Sensitivity("Morris", metric, names, columns, "mu_star")
    from SALib.analyze import rbd_fast

    result = rbd_fast.analyze(problem, x, y, seed=seed)
    columns = {k: [float(v) for v in result[k]] for k in ("S1", "S1_conf")}
    return Sensitivity("RBD-FAST", metric, names, columns, "S1")


def _main_effects(runs: Runs, metric: str, y: np.ndarray) -> Sensitivity | None:
    names, low, high = [], [], []
    for factor in runs.factors:
        levels = _levels(runs, factor)
        if len(levels) < 2:
            continue
        means = []
        for level in levels:
            at = [i for i, p in enumerate(runs.points) if _key(p.get(factor)) == level]
            values = y[at]
            values = values[~np.isnan(values)]
            means.append(float(values.mean()) if values.size else np.nan)
        names.append(factor)
        low.append(float(np.nanmin(means)))
        high.append(float(np.nanmax(means)))
    if not names:
        return None
    spread = [h - lo for lo, h in zip(low, high, strict=True)]
    return Sensitivity("main effect", metric, names, {"range": spread}, "range", low, high)


def _key(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def _levels(runs: Runs, factor: str) -> list[str]:
    seen: dict[str, None] = {}
    for point in runs.points:
        seen.setdefault(_key(point.get(factor)))
    return list(seen)


def scenario_differences(runs: Runs) -> tuple[list[str], list[list[object]]] | None:
    """Counterfactuals: each scenario's mean of every metric and its change from the baseline."""
    if "scenario" not in runs.factors:
        return None
    labels = [json.loads(k) for k in _levels(runs, "scenario")]
    base = "baseline" if "baseline" in labels else labels[0]

    def mean(label: str, name: str) -> float:
        values = [
            v
            for i, p in enumerate(runs.points)
            if p.get("scenario") == label
            for v in runs.values(i, name)
        ]
        values = [v for v in values if not np.isnan(v)]
        return float(np.mean(values)) if values else float("nan")

    header = ["scenario", "metric", "mean", f"change from {base}"]
    rows: list[list[object]] = []
    for label in labels:
        for name in runs.metric_names:
            value, reference = mean(label, name), mean(base, name)
            change = value - reference if label != base else 0.0
            if label != base and (np.isnan(change) or abs(change) < 1e-12):
                continue  # only what the counterfactual changes
            rows.append([label, name, value, change])
    return header, rows


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            ["" if v is None else (f"{v:.6g}" if isinstance(v, float) else v) for v in row]
        )
    return buffer.getvalue()


def _per_issue(column: str) -> bool:
    return column.startswith("agreed_") and not column.startswith("agreed_share")


def default_metric(runs: Runs) -> str:
    return "loss" if runs.has("loss") else "agreed_share"


def analyze_store(store: Store, out: Path, metric: str | None = None) -> Written:
    """Write points.csv, sensitivity.csv, the figures and report.html into ``out``."""
    from .figures import fan_chart, heat_map, tornado_chart
    from .report import html_report

    runs = Runs.read(store)
    if not any(runs.rounds):
        raise AnalysisError(f"{store.path} holds no finished run to analyse")
    metric = metric or default_metric(runs)
    if metric not in runs.metric_names:
        raise AnalysisError(
            f"--metric: expected one of {', '.join(runs.metric_names)}; found {metric!r}"
        )
    files: list[Path] = []

    def write(name: str, content: bytes) -> None:
        files.append(write_file_atomically(out / name, content))

    header, rows = point_table(runs)
    write("points.csv", csv_text(header, rows).encode())
    keep = [i for i, name in enumerate(header) if not _per_issue(name)]  # the page stays narrow
    tables = {
        "Per point (median and 10-90% over seeds; per-issue counts in points.csv)": (
            [header[i] for i in keep],
            [[row[i] for i in keep] for row in rows],
        )
    }
    found = sensitivity(runs, metric)
    if found is not None:
        sens_header = ["factor", *found.columns]
        sens_rows = [
            [name, *(found.columns[c][i] for c in found.columns)]
            for i, name in enumerate(found.names)
        ]
        write("sensitivity.csv", csv_text(sens_header, sens_rows).encode())
        tables[f"Sensitivity of {metric} ({found.method})"] = (sens_header, sens_rows)
    differences = scenario_differences(runs)
    if differences is not None:
        write("scenarios.csv", csv_text(*differences).encode())
        tables["What each scenario changes (means over seeds)"] = differences
    from ..output.figures import png_bytes

    figures = {}
    for name, figure in (
        ("fan.png", fan_chart(runs)),
        ("heatmap.png", heat_map(runs, metric)),
        ("tornado.png", tornado_chart(found) if found is not None else None),
    ):
        if figure is not None:
            figures[name] = png_bytes(figure)
            write(name, figures[name])
    report = out / "report.html"
    write("report.html", html_report(store, runs, metric, tables, figures).encode())
    counts = store.counts()
    lines = [
        f"{len(runs.points)} points, {counts.get('done', 0)} runs done, "
        f"{counts.get('failed', 0)} failed; metric {metric}"
    ]
    if found is not None:
        order = np.argsort(found.columns[found.main])[::-1]
        lines.append(
            f"{found.method} ({found.main}): "
            + ", ".join(f"{found.names[i]} {found.columns[found.main][i]:.3g}" for i in order)
        )
    return Written(report, files, lines)
