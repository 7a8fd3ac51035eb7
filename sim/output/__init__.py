"""From a run log to the run directory: tables, narrative, summary and figures."""

from __future__ import annotations

from pathlib import Path

from ..facts import ensemble_rows
from ..history import History
from ..runlog import RunLog
from ..scenario import Scenario, resolved_yaml
from .forked import Forked
from .rundir import RunDirExists, fresh_run_path, write_file_atomically, write_run_dir
from .tables import (
    ensemble_csv,
    ensemble_summary,
    events_jsonl,
    positions_csv,
    rounds_csv,
    summary_json,
)


def run_files(
    log: RunLog,
    scenario: Scenario,
    history: History | None = None,
    history_bytes: bytes | None = None,
    figures: bool = True,
    ensemble: list[RunLog] | None = None,
    history_path: Path | None = None,
    run_dir: Path | None = None,
    parallel: bool = False,
) -> dict[str, bytes]:
    """Every file of a run directory, by name, as bytes.

    With an ``ensemble`` (runs of the same scenario on other seeds, ``log`` among them),
    history.png shows their median and spread instead of the one run, ``ensemble.csv`` holds
    each fact's forecast by the ensemble beside the record, and ``summary.json`` the ensemble's
    loss. With the record's ``history_path`` and the ``run_dir`` to be written, the resolved
    scenario keeps the record. ``parallel`` draws positions.png in a forked child while this
    process does the rest, where that is safe (``forked``); the bytes are the same either way.
    The figures' text is drawn unhinted (``png_bytes``): they are drawn on every run.
    """
    many = ensemble if ensemble and len(ensemble) > 1 else None
    tables = (log, scenario, history, history_bytes, many, history_path, run_dir)
    if not figures:
        return _table_files(*tables)
    return _with_figures(log, scenario, history, many, tables, parallel)


def _with_figures(
    log: RunLog,
    scenario: Scenario,
    history: History | None,
    many: list[RunLog] | None,
    tables: tuple,
    parallel: bool,
) -> dict[str, bytes]:
    """The text files, then positions.png and history.png (see ``run_files``)."""
    from .figures import (
        ensemble_history_figure,
        history_figure,
        import_matplotlib,
        png_bytes,
        positions_figure,
    )

    import_matplotlib()

    def positions_png() -> bytes:
        return png_bytes(positions_figure(log, scenario), hinted=False)

    with Forked(positions_png, fork=parallel) as positions:
        out = _table_files(*tables)
        if many:
            figure = ensemble_history_figure(many, scenario, history)
        else:
            figure = history_figure(log, scenario, history)
        drawn = png_bytes(figure, hinted=False)
        out["positions.png"] = positions.result()
    out["history.png"] = drawn
    return out


def _table_files(
    log: RunLog,
    scenario: Scenario,
    history: History | None,
    history_bytes: bytes | None,
    many: list[RunLog] | None,
    history_path: Path | None,
    run_dir: Path | None,
) -> dict[str, bytes]:
    """The run directory's text files, by name, as UTF-8 bytes."""
    block = ensemble_summary(many, scenario, history) if many else None
    files = {
        "scenario.resolved.yaml": resolved_yaml(scenario, history_path, run_dir),
        "rounds.csv": rounds_csv(log, scenario, history),
        "positions.csv": positions_csv(log),
        "events.jsonl": events_jsonl(log),
        "summary.json": summary_json(log, scenario, history, history_bytes, ensemble=block),
    }
    if many:
        files["ensemble.csv"] = ensemble_csv(ensemble_rows(many, scenario, history))
    return {name: text.encode("utf-8") for name, text in files.items()}


def write_run(
    target: Path,
    log: RunLog,
    scenario: Scenario,
    history: History | None = None,
    history_bytes: bytes | None = None,
    replace: bool = False,
) -> Path:
    """Write the whole run directory atomically (see ``rundir``)."""
    return write_run_dir(target, run_files(log, scenario, history, history_bytes), replace)


__all__ = [
    "RunDirExists",
    "fresh_run_path",
    "run_files",
    "write_file_atomically",
    "write_run",
    "write_run_dir",
]
