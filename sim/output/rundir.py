"""Writing a run directory atomically: all files appear together, or none do.

The files are written into a hidden sibling directory and renamed into place in one step. A crash
midway leaves the hidden directory (removed on the next error path) and never a half-written run;
an existing run is only replaced when the caller asks, and then swapped rather than overwritten.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path


class RunDirExists(Exception):
    """The target run directory exists and replacing it was not asked for."""


def write_run_dir(target: Path, files: dict[str, bytes], replace: bool = False) -> Path:
    """Write ``files`` (name -> content) as the directory ``target``, atomically."""
    target = Path(target)
    if target.exists() and not replace:
        raise RunDirExists(f"{target} exists already; pass --overwrite to replace it")
    if target.exists() and not is_run_dir(target):
        raise RunDirExists(
            f"refusing to replace {target}: it is not a run directory (only "
            "a directory holding a run's files is replaced)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp is private; a run directory is not
        for name, content in files.items():
            with open(staging / name, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.rename(target, retired / target.name)
            os.rename(staging, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


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
    }
)


def is_run_dir(path: Path) -> bool:
    """A directory that holds a run's files and nothing else (so replacing it loses nothing)."""
    if not path.is_dir() or path.resolve() in (Path.cwd(), *Path.cwd().parents):
        return False
    names = {p.name for p in path.iterdir()}
    return "summary.json" in names and names <= RUN_FILES


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
