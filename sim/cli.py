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
from .scenario.errors import capped

BAD_INPUT = 2
INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(BAD_INPUT)


def _load(path: str, seed: int | None = None) -> LoadedScenario:
    try:
        loaded = load_scenario(path).with_seed(seed)
    except ScenarioError as exc:
        _fail(f"error: invalid scenario\n{exc}")
        raise  # unreachable: _fail exits
    for warning in loaded.warnings:
        click.echo(warning, err=True)
    return loaded


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
        f"ok: {scenario}: '{s.name}', {len(s.issues)} issues, {len(s.actors)} actors, "
        f"{len(s.schedule)} rounds, {len(s.shocks)} shocks, seed {s.seed}"
    )
    last = max(r.planned_date for r in s.schedule)
    late = [shock.id for shock in s.shocks if shock.date > last]
    if late:
        click.echo(
            f"note: shocks dated after the last planned meeting ({last}) apply only if "
            f"a meeting slips past them: {', '.join(late)}",
            err=True,
        )
    if history is not None:
        unknown = [e.round for e in history.events if e.round not in {r.id for r in s.schedule}]
        if unknown:
            click.echo(
                f"note: the history records rounds this scenario does not have (not "
                f"compared): {capped(unknown)}",
                err=True,
            )
    missing = unsourced_numbers(s)
    if missing:
        click.echo(
            f"note: {len(missing)} actor numbers have no sources entry: {capped(missing, 8)}",
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
    help="Also run this many seeds (drawn from --seed) and draw history.png as their median "
    "and 10-90% band.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the run directory.")
def run(
    scenario: str, seed, out, overwrite: bool, no_figures: bool, ensemble: int, quiet: bool
) -> None:
    """Run a scenario and write its run directory."""
    from .model import ensemble_seeds, simulate
    from .output import RunDirExists, fresh_run_path, run_files, write_run_dir

    if ensemble > 1 and no_figures:
        _fail(
            "error: --ensemble draws history.png over many seeds; it cannot be combined "
            "with --no-figures"
        )
    loaded = _load(scenario, seed)
    history, history_bytes = _load_history(loaded)
    seed_used = loaded.scenario.seed
    if out == "":
        _fail("error: --out: expected a directory to write; found an empty path")
    target = (
        Path(out)
        if out is not None
        else fresh_run_path(Path("runs"), Path(scenario).stem, seed_used)
    )
    _check_out(target, overwrite)  # before simulating: a refused --out wastes no work
    started = time.perf_counter()
    log = simulate(loaded.scenario)
    simulated = time.perf_counter() - started
    logs = [log]
    if ensemble > 1:
        others = ensemble_seeds(log.seed, ensemble - 1)
        logs += [simulate(loaded.scenario, s, narrate=False) for s in others]
    files = run_files(
        log,
        loaded.scenario,
        history,
        history_bytes,
        figures=not no_figures,
        ensemble=logs,
        history_path=loaded.history_path,
        run_dir=target,
    )
    try:
        write_run_dir(target, files, replace=overwrite)
    except RunDirExists as exc:
        _fail(f"error: {exc}")
    except OSError as exc:
        _fail(f"error: cannot write the run directory {target}: {exc.strerror or exc}")
    if not quiet:
        from .report import round_table

        click.echo(round_table(log, loaded.scenario, history))
        click.echo(f"simulated {len(log.rounds)} rounds in {simulated * 1000:.0f} ms")
    click.echo(f"wrote {target}")


def _check_out(target: Path, overwrite: bool) -> None:
    """Restore what an interrupted write left, then refuse a target that cannot be written."""
    from .output.rundir import RunDirExists, check_target, recover

    try:
        for note in recover(target):
            click.echo(note, err=True)
        check_target(target, overwrite)
    except RunDirExists as exc:
        _fail(f"error: --out: {exc}")
    except OSError as exc:
        _fail(f"error: --out: cannot use {target}: {exc.strerror or exc}")


@main.command()
@click.argument("actor")
@click.option(
    "--scenario",
    "scenario_path",
    default="scenarios/astana_2017.yaml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The scenario whose actor to show.",
)
def sources(actor: str, scenario_path: str) -> None:
    """Print an actor's numbers, each with the evidence it rests on."""
    import difflib

    from .report import actor_sources

    scenario = _load(scenario_path).scenario
    ids = scenario.actor_ids()
    if actor not in ids:
        near = difflib.get_close_matches(actor, ids, n=1, cutoff=0.4)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        _fail(
            f"error: expected an actor id of {scenario_path} ({capped(ids)}); found {actor!r}{hint}"
        )
    click.echo(actor_sources(scenario, actor))


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--budget", type=click.IntRange(1), help="Override the spec's evaluation budget.")
@click.option("--workers", type=click.IntRange(1, 64), help="Override the spec's worker count.")
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Output directory (default: the spec's `output`, relative to the spec file).",
)
@click.option("--overwrite", is_flag=True, help="Replace the output directory if it exists.")
def calibrate(spec: str, budget, workers, out, overwrite: bool) -> None:
    """Fit a scenario's free parameters to the record and write the backtest report.

    Ctrl-C stops the fit and keeps the best parameters found so far (exit 130); the output
    directory is swapped in whole, so it holds the old set of files or the new one.
    """
    try:
        _calibrate(spec, budget, workers, out, overwrite)
    except KeyboardInterrupt:
        click.echo("interrupted: the output directory is unchanged", err=True)
        sys.exit(INTERRUPTED)


def _calibrate(spec: str, budget, workers, out, overwrite: bool) -> None:
    from .calibrate import load_spec
    from .calibration_run import check_output, run_calibration
    from .output.rundir import RunDirExists

    if out == "":
        _fail("error: --out: expected a directory to write; found an empty path")
    try:
        loaded = load_spec(spec, Path(out) if out is not None else None)
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
        check_output(loaded, overwrite, lambda note: click.echo(note, err=True))
    except RunDirExists as exc:
        _fail(f"error: output: {exc}")
    try:
        result = run_calibration(loaded, click.echo, overwrite)
    except ScenarioError as exc:
        _fail(f"error: invalid scenario or history for the fit\n{exc}")
        raise
    except RunDirExists as exc:
        _fail(f"error: output: {exc}")
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
    from .comparison import compare_protocols, comparison_table
    from .model import ensemble_seeds
    from .output import write_file_atomically
    from .output.figures import png_bytes, protocol_comparison_figure
    from .output.rundir import figure_refusal

    loaded = _load(scenario, seed)
    history, _ = _load_history(loaded)
    target = Path(figure_path or f"runs/{Path(scenario).stem}-protocols.png")
    inputs = [Path(scenario)] + ([loaded.history_path] if loaded.history_path else [])
    refusal = figure_refusal(target, overwrite, inputs)
    if refusal:
        _fail(f"error: --figure: {refusal}")
    results = compare_protocols(
        loaded.scenario, history, ensemble_seeds(loaded.scenario.seed, seeds)
    )
    png = png_bytes(protocol_comparison_figure(results, loaded.scenario, history))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(target, png)
    except OSError as exc:
        _fail(f"error: cannot write the figure {target}: {exc}")
    click.echo(comparison_table(results))
    if history is None:
        click.echo("(no recorded history given: no losses)")
    click.echo(f"wrote {target}")


if __name__ == "__main__":  # pragma: no cover
    main()
