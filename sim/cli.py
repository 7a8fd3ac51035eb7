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
from .wording import plural

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


def _count(items, noun: str) -> str:
    return plural(len(items), noun)


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
    late = [shock.name for shock in s.shocks if shock.date > last]
    if late:
        one = len(late) == 1
        click.echo(
            f"note: {plural(len(late), 'shock')} dated after the last planned meeting ({last}) "
            f"{'applies' if one else 'apply'} only if a meeting slips past "
            f"{'it' if one else 'them'}: {'; '.join(late)}",
            err=True,
        )
    from .advice import advise

    for warning in advise(s, history):
        click.echo(str(warning), err=True)
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
        parallel=True,
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
        click.echo(f"simulated {plural(len(log.rounds), 'round')} in {simulated * 1000:.0f} ms")
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
            f"error: expected an actor id of {scenario_path} ({capped(ids)}); found {actor!r}{hint}"
        )
    click.echo(f"scenario: {scenario_path} ({scenario.name})")
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
    """Run a scenario under every bargaining rule and compare them with the record.

    Over 40 lines because it checks the figure's target before running, then prints one table per
    coding of the record from the same runs; the steps share the loaded scenario and record.
    """
    from .baselines import baseline_scores
    from .comparison import compare_protocols, comparison_table
    from .facts import CODINGS, LENIENT
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
    baselines = baseline_scores(loaded.scenario, history) if history is not None else []
    coded = [] if history is None else _other_codings(results, loaded.scenario, history)
    figure = protocol_comparison_figure(results, loaded.scenario, history, baselines, coded)
    png = png_bytes(figure)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(target, png)
    except OSError as exc:
        _fail(f"error: cannot write the figure {target}: {exc}")
    if history is None:
        click.echo(comparison_table(results, baselines))
        click.echo("(no recorded history given: no losses)")
        click.echo(f"wrote {target}")
        return
    # Every coding of the record, the same runs scored under each.
    for coding, coded_results, coded_baselines in [(LENIENT, results, baselines), *coded]:
        click.echo(f"coding: {coding} ({CODINGS[coding]})")
        click.echo(comparison_table(coded_results, coded_baselines))
        click.echo("")
    click.echo(f"wrote {target}")


def _other_codings(results, scenario, history):
    """The same runs and both baselines scored under each coding after the lenient one."""
    from dataclasses import replace

    from .baselines import baseline_scores
    from .facts import CODINGS, LENIENT
    from .scoring import score_runs

    return [
        (
            coding,
            [replace(r, score=score_runs(r.logs, scenario, history, coding)) for r in results],
            baseline_scores(scenario, history, coding),
        )
        for coding in CODINGS
        if coding != LENIENT
    ]


# --- experiments (sim.sweep) ------------------------------------------------------------------


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option(
    "--store",
    "store_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The SQLite file of the results.",
)
@click.option("--resume", is_flag=True, help="Continue the sweep in --store: skip done runs.")
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    help="Local worker processes (default: one per available core; 1 runs in this process).",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    help="Run on a Dask cluster (tcp://HOST:8786), or 'local' for a LocalCluster.",
)
@click.option("--chunk", type=click.IntRange(1, 100_000), help="Runs per task (default: auto).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def sweep(spec: str, store_path: str, resume: bool, workers: int, dask_address, chunk, quiet):
    """Run an experiment spec's sweep into a SQLite store (resumable)."""
    from .sweep import load_sweep
    from .sweep.executor import available_cores
    from .sweep.run import run_sweep
    from .sweep.store import StoreError

    try:
        loaded = load_sweep(spec)
    except ScenarioError as exc:
        _fail(f"error: invalid experiment spec\n{exc}")
        raise
    try:
        summary = run_sweep(
            loaded,
            store_path,
            resume=resume,
            workers=workers or available_cores(),
            dask=dask_address,
            chunk=chunk,
            progress=not quiet,
        )
    except StoreError as exc:
        _fail(f"error: {exc}")
        raise
    except KeyboardInterrupt:
        click.echo(
            f"interrupted; finished runs are in {store_path} (continue with --resume)", err=True
        )
        sys.exit(INTERRUPTED)
    click.echo(
        f"{plural(summary.total, 'run')}: {summary.done} done, {summary.failed} failed "
        f"({summary.skipped} done before); store {store_path}"
    )


@main.command()
@click.argument("store_path", metavar="STORE", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Directory of the tables, figures and report.html (default: beside STORE, "
    "named after it).",
)
@click.option(
    "--metric",
    help="The metric of the figures and sensitivities (default: loss if "
    "recorded, else agreed_share).",
)
@click.option(
    "--csv", "csv_path", type=click.Path(dir_okay=False), help="Also export the runs as CSV."
)
@click.option(
    "--parquet",
    "parquet_path",
    type=click.Path(dir_okay=False),
    help="Also export the runs as Parquet (needs the parquet extra).",
)
def analyze(store_path: str, out, metric, csv_path, parquet_path):
    """Summarise a sweep store: distributions, sensitivities, figures, an HTML report."""
    from .sweep.analyze import AnalysisError, analyze_store
    from .sweep.export import export_csv, export_parquet
    from .sweep.store import Store, StoreError

    try:
        store = Store.open(store_path)
    except StoreError as exc:
        _fail(f"error: {exc}")
        raise
    target = Path(out) if out else Path(store_path).with_suffix("")
    try:
        if csv_path:
            click.echo(f"wrote {export_csv(store, Path(csv_path))}")
        if parquet_path:
            click.echo(f"wrote {export_parquet(store, Path(parquet_path))}")
        written = analyze_store(store, target, metric)
    except AnalysisError as exc:
        _fail(f"error: {exc}")
        raise
    finally:
        store.close()
    for line in written.summary_lines:
        click.echo(line)
    click.echo(f"wrote {written.report}")


# --- classroom: a handout of a run, a diff of two -----------------------------------------------
def _write_page(target: Path, page: str) -> None:
    from .output import write_file_atomically

    try:
        write_file_atomically(target, page.encode("utf-8"))
    except OSError as exc:
        _fail(f"error: cannot write {target}: {exc}")


@main.command()
@click.argument("run_dir", type=click.Path())
@click.option(
    "--out",
    type=click.Path(),
    help="The HTML file to write (default: RUN_DIR/handout.html).",
)
@click.option("--overwrite", is_flag=True, help="Replace --out if it exists.")
@click.option(
    "--baseline",
    type=click.Path(),
    help="A run directory to compare with (for a counterfactual: what changed).",
)
def report(run_dir: str, out, overwrite: bool, baseline) -> None:
    """Write a handout of a run: one self-contained HTML file that prints well."""
    from .classroom import RunDirError
    from .classroom.handout import HANDOUT_NAME, handout, writable_target

    try:
        target = writable_target(out or Path(run_dir) / HANDOUT_NAME, overwrite)
        page = handout(run_dir, baseline)
    except RunDirError as exc:
        _fail(f"error: {exc}")
        raise
    _write_page(target, page)
    click.echo(f"wrote {target}")


@main.command()
@click.argument("run_a", type=click.Path())
@click.argument("run_b", type=click.Path())
@click.option("--html", "html_path", type=click.Path(), help="Also write the diff as HTML.")
@click.option("--overwrite", is_flag=True, help="Replace --html if it exists.")
def diff(run_a: str, run_b: str, html_path, overwrite: bool) -> None:
    """Show what changed from run A to run B: outcomes, attendance and positions."""
    from .classroom import RunDirError
    from .classroom.diff import diff_text
    from .classroom.handout import diff as diff_runs
    from .classroom.handout import diff_html, writable_target

    try:
        target = writable_target(html_path, overwrite) if html_path else None
        changes = diff_runs(run_a, run_b)
    except RunDirError as exc:
        _fail(f"error: {exc}")
        raise
    click.echo(diff_text(changes), nl=False)
    if target is not None:
        _write_page(target, diff_html(changes))
        click.echo(f"wrote {target}")


if __name__ == "__main__":  # pragma: no cover
    main()


@main.command()
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(dir_okay=False),
    help="The scenario the page opens on (default: the flagship); the shipped ones are offered "
    "beside it.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=5006, show_default=True)
@click.option(
    "--address",
    default="127.0.0.1",
    show_default=True,
    help="Where the server listens; only this machine by default.",
)
def demo(scenario_path, port: int, address: str) -> None:
    """Serve the live page a class steps through (needs the classroom extra)."""
    from .classroom.live.server import INSTALL_HINT, missing_extra

    missing = missing_extra()
    if missing:
        _fail(
            f"error: the live page needs the classroom extra ({', '.join(missing)} not "
            f"installed); install it with: {INSTALL_HINT}"
        )
    from .classroom.live.server import serve

    given = Path(scenario_path) if scenario_path is not None else None
    try:
        serve(
            given,
            port,
            address,
            on_ready=lambda url: click.echo(f"serving the live page at {url} (Ctrl-C stops)"),
        )
    except ScenarioError as exc:
        _fail(f"error: invalid scenario\n{exc}")
    except ValueError as exc:
        _fail(f"error: {exc}")
    except OSError as exc:
        _fail(f"error: cannot listen on {address}:{port}: {exc.strerror or exc}")
