"""Errors a user can act on: the file, the line, the field, what was expected and what was found."""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Where:
    """A place in a source file (1-based line)."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def format_path(path: Path) -> str:
    """``('actors', 3, 'positions', 'x')`` -> ``actors[3].positions.x``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


@dataclass(frozen=True)
class Problem:
    where: Where | None
    path: Path
    message: str

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{place}{format_path(self.path)}: {self.message}"


class ScenarioError(Exception):
    """One or more problems with a scenario; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def describe(value: object, limit: int = 60) -> str:
    """A short, readable rendering of a found value for error messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def capped(items: list[str], limit: int = 10) -> str:
    """``a, b, c ... and 4,990 more``: a message about 5,000 actors must stay readable."""
    shown = ", ".join(items[:limit])
    rest = len(items) - limit
    return shown + (f" ... and {rest:,} more" if rest > 0 else "")
