"""The two classroom commands as functions: a handout of one run, a diff of two."""

from __future__ import annotations

from pathlib import Path

from .diff import RunDiff, diff_runs
from .render import diff_html, handout_html
from .rundir_reader import RunDirError, read_run_dir

HANDOUT_NAME = "handout.html"


def handout(run_dir: str | Path, baseline: str | Path | None = None) -> str:
    """The handout of a run as one HTML page; with a baseline run, what changed against it."""
    run = read_run_dir(run_dir)
    against = diff_runs(read_run_dir(baseline), run) if baseline is not None else None
    return handout_html(run, against)


def diff(run_a: str | Path, run_b: str | Path) -> RunDiff:
    return diff_runs(read_run_dir(run_a), read_run_dir(run_b))


def writable_target(path: str | Path, overwrite: bool) -> Path:
    """Where an output file may go: never over a directory, over a file only when asked."""
    target = Path(path)
    if target.is_dir():
        raise RunDirError(f"{target}: is a directory; expected a file name for the HTML page")
    if target.exists() and not overwrite:
        raise RunDirError(f"{target} exists already; pass --overwrite to replace it")
    return target


__all__ = ["HANDOUT_NAME", "diff", "diff_html", "handout", "writable_target"]
