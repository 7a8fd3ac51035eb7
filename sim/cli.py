"""The command line: parse, call, print, exit. No simulation logic lives here.

Exit codes: 0 success; 2 bad input (a scenario, history or option that is wrong), with the
problem on stderr and no traceback; 130 a fit stopped by Ctrl-C (its best result is written).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import __version__
from .scenario import LoadedScenario, ScenarioError, load_scenario, unsourced_numbers

BAD_INPUT = 2
INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(BAD_INPUT)


def _load(path: str, seed: int | None = None) -> LoadedScenario:
    try:
        return load_scenario(path).with_seed(seed)
    except ScenarioError as exc:
        _fail(f"error: invalid scenario\n{exc}")
        raise  # unreachable: _fail exits


def _load_history(loaded: LoadedScenario):
    from .history import load_history

    if loaded.history_path is None:
        return None, None
    path = loaded.history_path
    try:
        return load_history(path, loaded.scenario), path.read_bytes()
    except ScenarioError as exc:
        _fail(f"error: invalid history\n{exc}")
        raise


def _count(items, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="astana-sim")
def main() -> None:
    """astana-sim: simulate multilateral peace negotiations from a scenario file."""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
def validate(scenario: str) -> None:
    """Check a scenario file (and its history file) without running it."""
    loaded = _load(scenario)
    history, _ = _load_history(loaded)
    s = loaded.scenario
    click.echo(
        f"ok: {scenario}: '{s.name}', {_count(s.issues, 'issue')}, {_count(s.actors, 'actor')}, "
        f"{_count(s.schedule, 'round')}, {_count(s.shocks, 'shock')}, seed {s.seed}"
    )
    last = max(r.planned_date for r in s.schedule)
    late = [shock.id for shock in s.shocks if shock.date > last]
    if late:
        click.echo(
            f"note: shocks dated after the last planned meeting ({last}) apply only if "
            f"a meeting slips past them: {', '.join(late)}",
            err=True,
        )
    from .advice import advise

    for warning in advise(s, history):
        click.echo(str(warning), err=True)
    missing = unsourced_numbers(s)
    if missing:
        click.echo(
            f"note: {len(missing)} actor numbers have no sources entry: "
            + ", ".join(missing[:8])
            + (" ..." if len(missing) > 8 else ""),
            err=True,
        )


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Override the scenario's seed.")
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Run directory to write (default: a new directory under runs/).",
)
@click.option("--overwrite", is_flag=True, help="Replace --out if it exists.")
@click.option("--no-figures", is_flag=True, help="Skip positions.png and history.png.")
@click.option(
    "--ensemble",
    type=click.IntRange(1, 10_000),
    default=1,
    show_default=True,
    help="Also run this many seeds (drawn from --seed): print and write (ensemble.csv, "
    "summary.json) each fact's share of runs and the ensemble's loss, and draw history.png as "
    "their median and 10-90% band.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the run directory.")
def run(
    scenario: str, seed, out, overwrite: bool, no_figures: bool, ensemble: int, quiet: bool
) -> None:
    """Run a scenario and write its run directory."""
    from .model import ensemble_seeds, simulate
    from .output import RunDirExists, fresh_run_path, run_files, write_run_dir

    loaded = _load(scenario, seed)
    history, history_bytes = _load_history(loaded)
    started = time.perf_counter()
    log = simulate(loaded.scenario)
    simulated = time.perf_counter() - started
    logs = [log]
    if ensemble > 1:
        others = ensemble_seeds(log.seed, ensemble - 1)
        logs += [simulate(loaded.scenario, s, narrate=False) for s in others]
    target = Path(out) if out else fresh_run_path(Path("runs"), Path(scenario).stem, log.seed)
    if target.exists() and not overwrite:
        _fail(f"error: {target} exists already; pass --overwrite to replace it")
    files = run_files(
        log, loaded.scenario, history, history_bytes, figures=not no_figures, ensemble=logs
    )
    try:
        write_run_dir(target, files, replace=overwrite)
    except RunDirExists as exc:
        _fail(f"error: {exc}")
    except OSError as exc:
        _fail(f"error: cannot write the run directory {target}: {exc}")
    if not quiet:
        from .report import round_table

        click.echo(round_table(log, loaded.scenario, history))
        click.echo(f"simulated {len(log.rounds)} rounds in {simulated * 1000:.0f} ms")
        if len(logs) > 1:
            _print_ensemble(logs, loaded.scenario, history, files["summary.json"])
    click.echo(f"wrote {target}")


def _print_ensemble(logs, scenario, history, summary_bytes: bytes) -> None:
    import json

    from .facts import ensemble_rows
    from .report import ensemble_table

    block = json.loads(summary_bytes).get("ensemble")
    click.echo(ensemble_table(ensemble_rows(logs, scenario, history), len(logs), block))


DEFAULT_SCENARIO = "scenarios/astana_2017.yaml"


@main.command()
@click.argument("actor")
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(dir_okay=False),
    help=f"The scenario whose actor to show (default: {DEFAULT_SCENARIO}, in the repository).",
)
def sources(actor: str, scenario_path: str | None) -> None:
    """Print an actor's numbers, each with the evidence it rests on."""
    import difflib

    from .report import actor_sources

    if scenario_path is None:
        if not Path(DEFAULT_SCENARIO).is_file():
            _fail(
                f"error: no --scenario given, and the default {DEFAULT_SCENARIO} is not here "
                "(run from the repository's folder, or pass --scenario FILE)"
            )
        scenario_path = DEFAULT_SCENARIO
    scenario = _load(scenario_path).scenario
    ids = scenario.actor_ids()
    if actor not in ids:
        near = difflib.get_close_matches(actor, ids, n=1, cutoff=0.4)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        _fail(
            f"error: expected an actor id of {scenario_path} ({', '.join(ids)}); "
            f"found {actor!r}{hint}"
        )
    click.echo(f"scenario: {scenario_path} ({scenario.name})")
    click.echo(actor_sources(scenario, actor))


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--budget", type=click.IntRange(1), help="Override the spec's evaluation budget.")
@click.option("--workers", type=click.IntRange(1, 64), help="Override the spec's worker count.")
def calibrate(spec: str, budget, workers) -> None:
    """Fit a scenario's free parameters to the record and write the backtest report.

    Ctrl-C stops the fit and keeps the best parameters found so far.
    """
    from .calibrate import load_spec
    from .calibration_run import run_calibration

    try:
        loaded = load_spec(spec)
    except ScenarioError as exc:
        _fail(f"error: invalid fit spec\n{exc}")
        raise
    overrides = {k: v for k, v in (("budget", budget), ("workers", workers)) if v is not None}
    if overrides:
        minimum = 2 * loaded.spec.population * len(loaded.spec.parameters)
        if budget is not None and budget < minimum:
            _fail(
                f"error: --budget: expected at least {minimum} evaluations (the first "
                f"population and one generation); found {budget}"
            )
        loaded = type(loaded)(
            loaded.spec.model_copy(update=overrides),
            loaded.path,
            loaded.scenario_path,
            loaded.output_dir,
        )
    try:
        result = run_calibration(loaded, click.echo)
    except ScenarioError as exc:
        _fail(f"error: invalid scenario or history for the fit\n{exc}")
        raise
    if result.status != "finished":
        sys.exit(INTERRUPTED)  # what was found is written; the exit code says it is unfinished


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), help="Override the scenario's seed.")
@click.option(
    "--seeds",
    type=click.IntRange(1, 10_000),
    default=20,
    show_default=True,
    help="Runs per rule (seeds drawn from --seed; the same seeds for every rule).",
)
@click.option(
    "--figure",
    "figure_path",
    type=click.Path(dir_okay=False),
    help="Where to write the comparison figure (default: runs/<scenario>-protocols.png).",
)
@click.option("--overwrite", is_flag=True, help="Replace --figure if it exists.")
def compare(scenario: str, seed, seeds: int, figure_path, overwrite: bool) -> None:
    """Run a scenario under every bargaining rule and compare them with the record."""
    from .baselines import baseline_scores
    from .comparison import compare_protocols, comparison_table
    from .model import ensemble_seeds
    from .output import write_file_atomically
    from .output.figures import png_bytes, protocol_comparison_figure

    loaded = _load(scenario, seed)
    history, _ = _load_history(loaded)
    target = Path(figure_path or f"runs/{Path(scenario).stem}-protocols.png")
    if target.exists() and not overwrite:
        _fail(f"error: {target} exists already; pass --overwrite to replace it")
    if target.exists() and not target.is_file():
        _fail(f"error: {target} is not a file; refusing to replace it")
    results = compare_protocols(
        loaded.scenario, history, ensemble_seeds(loaded.scenario.seed, seeds)
    )
    baselines = baseline_scores(loaded.scenario, history) if history is not None else []
    png = png_bytes(protocol_comparison_figure(results, loaded.scenario, history, baselines))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(target, png)
    except OSError as exc:
        _fail(f"error: cannot write the figure {target}: {exc}")
    click.echo(comparison_table(results, baselines))
    if history is None:
        click.echo("(no recorded history given: no losses)")
    click.echo(f"wrote {target}")


if __name__ == "__main__":  # pragma: no cover
    main()
