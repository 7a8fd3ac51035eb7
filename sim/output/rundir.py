"""Writing a run directory atomically: all files appear together, or none do.

The files are written into a hidden sibling directory (``.<name>.new.<pid>``) and renamed into
place in one step. Replacing renames the old run aside first (``.<name>.old.<pid>``): a kill
between the two renames leaves that copy, which the next write beside it puts back
(:func:`recover`). Staging folders of dead processes are removed on the next write.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path


class RunDirExists(Exception):
    """The target run directory exists and replacing it was not asked for (or is not allowed)."""


RUN_FILES = frozenset(
    {
        "scenario.resolved.yaml",
        "rounds.csv",
        "positions.csv",
        "events.jsonl",
        "summary.json",
        "ensemble.csv",
        "positions.png",
        "history.png",
        "handout.html",  # written into the run by `astana-sim report`; derived, safe to replace
    }
)

PAUSE_VARIABLE = "ASTANA_SIM_TEST_PAUSE_AT"
"""Test hook (docs/guarantees.md): the process sleeps at the named point, so that a test can kill
it there. Unset in normal use."""


def pause_point(name: str) -> None:
    """Sleep here when the test hook names this point; a kill test then stops the process."""
    if os.environ.get(PAUSE_VARIABLE) == name:
        print(f"paused at {name}", file=sys.stderr, flush=True)
        time.sleep(60)


def check_target(
    target: Path,
    replace: bool,
    names: frozenset[str] = RUN_FILES,
    required: str = "summary.json",
) -> None:
    """Refuse up front a target that cannot be written, before any work is done.

    Only an existing directory of our own files can be replaced; the message suggests
    ``--overwrite`` only when it would help.
    """
    if not str(target):
        raise RunDirExists("expected a directory to write; found an empty path")
    if _is_cwd_or_ancestor(target):
        raise RunDirExists(
            f"refusing to write to {target}: it is the current directory or one of its parents; "
            "choose a new directory"
        )
    if not (target.exists() or target.is_symlink()):
        return
    if not target.is_dir() or target.is_symlink():
        raise RunDirExists(f"refusing to write to {target}: it exists and is not a directory")
    if not is_run_dir(target, names, required):
        raise RunDirExists(
            f"refusing to replace {target}: it is not a run directory this tool wrote (only a "
            "directory holding this tool's files and nothing else is replaced); choose another"
        )
    if not replace:
        raise RunDirExists(f"{target} exists already; pass --overwrite to replace it")


def write_run_dir(
    target: Path,
    files: dict[str, bytes],
    replace: bool = False,
    names: frozenset[str] | None = None,
    required: str = "summary.json",
) -> Path:
    """Write ``files`` (name -> content) as the directory ``target``, atomically.

    At every instant either the old or the new directory is at ``target``, or a retired copy
    ``.<name>.old.<pid>`` sits beside it that :func:`recover` puts back.
    """
    target = Path(target)
    names = names if names is not None else RUN_FILES | frozenset(files)
    recover(target)
    check_target(target, replace, names, required)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.new.{os.getpid()}"
    retired = target.parent / f".{target.name}.old.{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o777)
    try:
        for name, content in files.items():
            with open(staging / name, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        pause_point("staged")
        if target.exists():
            os.rename(target, retired)
            pause_point("retired")
            os.rename(staging, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, target)
    except BaseException:
        if retired.exists() and not target.exists():
            os.rename(retired, target)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def recover(target: Path) -> list[str]:
    """Undo what a killed writer left beside ``target``; return a note for each thing restored.

    A retired copy (``.<name>.old.<pid>``) of a dead process goes back to ``target`` when
    ``target`` is missing (the kill fell between the two renames) and is removed otherwise; a
    staging folder (``.<name>.new.<pid>``) of a dead process is removed.
    """
    target = Path(target)
    parent = target.parent if str(target) else Path(".")
    notes: list[str] = []
    if not parent.is_dir():
        return notes
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(old|new)\.(\d+)$")
    for entry in sorted(parent.iterdir()):
        match = pattern.match(entry.name)
        if not match or _alive(int(match.group(2))) or entry.is_symlink() or not entry.is_dir():
            continue
        if match.group(1) == "old" and not (target.exists() or target.is_symlink()):
            os.rename(entry, target)
            notes.append(f"note: restored {target} from an interrupted replacement")
        else:
            shutil.rmtree(entry, ignore_errors=True)
    return notes


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def _is_cwd_or_ancestor(path: Path) -> bool:
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return False
    cwd = Path.cwd().resolve()
    return real == cwd or real in cwd.parents


def is_run_dir(
    path: Path, names: frozenset[str] = RUN_FILES, required: str = "summary.json"
) -> bool:
    """A directory that holds only our regular files (so replacing it loses nothing).

    A folder merely named like a run file (``history.png/``), a symbolic link, or any other
    entry makes it not ours.
    """
    if path.is_symlink() or not path.is_dir() or _is_cwd_or_ancestor(path):
        return False
    entries = list(path.iterdir())
    if not all(e.name in names and not e.is_symlink() and e.is_file() for e in entries):
        return False
    return required in {e.name for e in entries}


def write_file_atomically(path: Path, content: bytes) -> Path:
    """Write one file through a temporary sibling and a rename: never half-written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def figure_refusal(target: Path, replace: bool, inputs: list[Path]) -> str | None:
    """Why a figure may not be written to ``target`` (None if it may).

    Only a PNG file (by its signature) that is not one of the command's inputs is ever replaced:
    ``--figure SCENARIO --overwrite`` must not turn a scenario into a picture.
    """
    if not str(target):
        return "expected a file to write; found an empty path"
    if not (target.exists() or target.is_symlink()):
        return None
    if target.is_symlink() or not target.is_file():
        return f"refusing to replace {target}: it is not a regular file"
    real = target.resolve()
    if any(real == Path(p).resolve() for p in inputs):
        return f"refusing to replace {target}: it is an input of this command"
    with open(target, "rb") as handle:
        if handle.read(len(PNG_SIGNATURE)) != PNG_SIGNATURE:
            return f"refusing to replace {target}: it is not a PNG figure"
    if not replace:
        return f"{target} exists already; pass --overwrite to replace it"
    return None


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def fresh_run_path(root: Path, stem: str, seed: int) -> Path:
    """``runs/<stem>_seed<seed>``, or the first ``_2``, ``_3``... that does not exist yet."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem)
    candidate = root / f"{safe}_seed{seed}"
    counter = 2
    while candidate.exists():
        candidate = root / f"{safe}_seed{seed}_{counter}"
        counter += 1
    return candidate
