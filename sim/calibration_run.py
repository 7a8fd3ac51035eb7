"""``astana-sim calibrate``: fit, backtest, and write the fitted parameters with their report.

Writes into the spec's output directory (``calibration/fitted/`` for the shipped spec), each file
atomically:

* ``<name>.yaml``: the fitted values as a scenario fragment (``extends`` it to use them), each
  fitted actor number with a sources entry that points back here;
* ``<name>.provenance.json``: spec, hashes of the spec, scenario and record, loss, date, version;
* ``<name>.report.txt`` and ``<name>.report.png``: the backtest table and figure;
* ``<name>.history.png``: the fitted scenario over many seeds against the record.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

from .calibrate import (
    OUTPUT_SUFFIXES,
    Contender,
    FitResult,
    LoadedSpec,
    backtest,
    build_objective,
    fit,
    fitted_fragment,
    get_at,
    provenance,
    report_table,
    to_json,
    verdict,
    vintage_note,
)
from .facts import CODINGS
from .model import ensemble_seeds, simulate
from .output import write_run_dir
from .output.figures import ensemble_history_figure, png_bytes
from .output.rundir import check_target, pause_point, recover


def output_names(spec) -> frozenset[str]:
    """The files of a fit's output directory: the directory is replaced only if it holds these."""
    return frozenset(f"{spec.name}{suffix}" for suffix in OUTPUT_SUFFIXES)


def check_output(loaded: LoadedSpec, overwrite: bool, echo: Callable[[str], None]) -> None:
    """Before fitting: restore an interrupted write (saying so), refuse an output that cannot
    be replaced (``RunDirExists``), so that a long fit is never wasted."""
    for note in recover(loaded.output_dir):
        echo(note)
    names = output_names(loaded.spec)
    check_target(loaded.output_dir, overwrite, names, f"{loaded.spec.name}.yaml")


def run_calibration(
    loaded: LoadedSpec, echo: Callable[[str], None], overwrite: bool = False
) -> FitResult:
    """Fit, backtest under every coding, print and write the results.

    Over 40 lines because it tells the user each stage as it happens (the loss as written, the
    split's cleanness, the fitted values, the backtest) between the stages themselves.
    """
    spec = loaded.spec
    objective, scenario, history = build_objective(loaded)
    start = objective(_current_values(objective))
    echo(
        f"fitting {len(spec.parameters)} parameters of {scenario.name} on "
        f"{len(spec.training)} training rounds, {spec.seeds} seeds per evaluation, budget "
        f"{spec.budget} evaluations, {spec.workers} worker(s), coding {spec.coding}; loss as "
        f"written: {start:.4f}"
    )
    echo(vintage_note(spec, scenario))
    pause_point("fitting")
    result = _fit_with_progress(objective, loaded)
    if not result.x:
        echo("stopped before the first generation finished: nothing to write")
        return result
    echo(
        f"{result.status}: best training loss {result.loss:.4f} after {result.evaluations} "
        "evaluations"
    )
    for parameter, targets, value in zip(spec.parameters, objective.targets, result.x, strict=True):
        whole = parameter.mode == "set" and isinstance(get_at(objective.base, targets[0]), int)
        shown = f"{round(value)}" if whole else f"{value:.4g}"
        echo(
            f"  {parameter.path} ({parameter.mode}) = {shown}   "
            f"[{parameter.low:g}, {parameter.high:g}]"
        )
    fitted = objective.scenario_at(result.x)
    contenders = backtest(spec, scenario, fitted, history)
    table = report_table(contenders)
    sentences = [*verdict(contenders), vintage_note(spec, scenario)]
    echo("")
    echo(table)
    for sentence in sentences:
        echo(sentence)
    _write_outputs(
        loaded, objective, result, contenders, table, sentences, fitted, history, overwrite
    )
    echo(f"wrote {loaded.output_dir / spec.name}.*")
    return result


def _current_values(objective) -> list[float]:
    """The parameter vector that reproduces the scenario as written."""
    values = []
    for parameter, targets in zip(objective.parameters, objective.targets, strict=True):
        if parameter.mode == "scale":
            values.append(1.0)
        else:
            values.append(float(get_at(objective.base, targets[0])))
    return values


def _fit_with_progress(objective, loaded: LoadedSpec) -> FitResult:
    from tqdm import tqdm

    spec = loaded.spec
    with tqdm(total=spec.budget, desc="fitting", unit="eval", disable=None) as bar:

        def progress(evaluations: int, loss: float) -> None:
            bar.n = min(evaluations, spec.budget)
            bar.set_postfix(best=f"{loss:.4f}")
            bar.refresh()

        return fit(objective, spec, progress)


def _write_outputs(
    loaded, objective, result, contenders, table, sentences, fitted, history, overwrite
):
    spec = loaded.spec
    out = loaded.output_dir
    name = spec.name
    fragment = fitted_fragment(objective, result, _shown(loaded.path), _shown(out / f"{name}.yaml"))
    header = (
        f"# Fitted by `astana-sim calibrate {_shown(loaded.path)}` ({result.status}, training loss "
        f"{result.loss:.4f}).\n# Provenance: {name}.provenance.json. Use it with\n"
        f"#   extends: [<the scenario>, <this file>]\n"
    )
    body = yaml.safe_dump(fragment, sort_keys=False, allow_unicode=True, width=100)
    history_path = _history_path(loaded)
    record = provenance(loaded, history_path.read_bytes(), result, contenders)
    seeds = ensemble_seeds(spec.seed, spec.report_seeds, purpose=2)
    logs = [simulate(fitted, s, narrate=False) for s in seeds]
    title = (
        f"{fitted.name}, fitted: median and 10-90% band over {len(logs)} seeds (filled), "
        "record (hollow)"
    )
    files = {
        f"{name}.yaml": (header + body).encode("utf-8"),
        f"{name}.provenance.json": to_json(record).encode("utf-8"),
        f"{name}.report.txt": (table + "\n\n" + "\n".join(sentences) + "\n").encode("utf-8"),
        f"{name}.report.png": png_bytes(report_figure(contenders, spec)),
        f"{name}.history.png": png_bytes(ensemble_history_figure(logs, fitted, history, title)),
    }
    # One directory swapped in whole (see output.rundir): a Ctrl-C or a kill leaves the old set
    # or the new one, never a mix.
    write_run_dir(out, files, overwrite, output_names(spec), f"{name}.yaml")


def _shown(path) -> str:
    """A path as a reader of the repository would write it (relative where possible)."""
    import os

    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def _history_path(loaded: LoadedSpec):
    from .scenario import load_scenario

    return load_scenario(loaded.scenario_path).history_path


def report_figure(contenders: list[Contender], spec):
    """Training and held-out loss of each contender, one panel per coding; lower is better."""
    from matplotlib.figure import Figure

    codings = list(dict.fromkeys(c.coding for c in contenders))
    figure = Figure(figsize=(10, 1.6 + 3.2 * len(codings)))
    figure.subplots_adjust(left=0.3, right=0.97, top=0.9, bottom=0.1, hspace=0.45)
    axes = figure.subplots(len(codings), 1, squeeze=False)[:, 0]
    for ax, coding in zip(axes, codings, strict=True):
        group = [c for c in contenders if c.coding == coding]
        _loss_bars(ax, group, spec)
        ax.set_title(f"coding: {coding} ({CODINGS.get(coding, '')})", fontsize=9)
    axes[-1].set_xlabel(
        "mean loss per recorded fact (Brier for yes/no, scaled delay error); lower is better"
    )
    figure.suptitle(f"Backtest of {spec.name}: the model against naive baselines")
    return figure


def _loss_bars(ax, contenders: list[Contender], spec) -> None:
    names = [c.name for c in contenders]
    y = np.arange(len(names))
    train = [c.training.loss for c in contenders]
    held = [c.held_out.loss for c in contenders]
    ax.barh(
        y - 0.2,
        train,
        height=0.38,
        color="tab:grey",
        label=f"training ({len(spec.training)} rounds)",
    )
    ax.barh(
        y + 0.2,
        np.nan_to_num(held),
        height=0.38,
        color="tab:blue",
        label=f"held out ({len(spec.held_out)} rounds)",
    )
    for k, (a, b) in enumerate(zip(train, held, strict=True)):
        ax.text(a, k - 0.2, f" {a:.3f}", va="center", fontsize=8)
        if not np.isnan(b):
            ax.text(b, k + 0.2, f" {b:.3f}", va="center", fontsize=8)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
