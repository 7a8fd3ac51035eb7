"""Read a run directory (what ``astana-sim run`` writes) into small frozen records.

The classroom is built from these files alone, never from the engine, so that a handout can be
made of any run, including one made on another machine. The reader checks what the classroom
needs and nothing more: extra columns, extra files (an ``ensemble.csv``) and event kinds it has
never seen are kept or ignored, never refused. Every refusal names the file and what is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..scenario import Scenario, ScenarioError, load_scenario

FIGURES = ("history.png", "positions.png")
NEEDED = ("summary.json", "scenario.resolved.yaml", "rounds.csv", "positions.csv", "events.jsonl")
ROUND_COLUMNS = (
    "round",
    "planned_date",
    "date",
    "invited",
    "attended",
    "stayed_away",
    "walked_out",
    "agenda",
    "agreed",
)
POSITION_COLUMNS = ("round", "date", "actor", "issue", "position")
LIST_SEP = ";"


class RunDirError(Exception):
    """A run directory that cannot be read: the message names the file and what is wrong."""


@dataclass(frozen=True)
class RoundRow:
    """One line of rounds.csv: what the model decided in one scheduled round."""

    round_id: str
    name: str
    venue: str
    format: str
    planned_date: dt.date
    date: dt.date
    postponements: int
    invited: tuple[str, ...]
    attended: tuple[str, ...]
    stayed_away: tuple[str, ...]
    walked_out: tuple[str, ...]
    signatories: tuple[str, ...]
    agenda: tuple[str, ...]
    agreed: tuple[str, ...]
    #: ``recorded_*`` cells, by the name after the prefix (``agreed``, ``date``...), in file order
    recorded: tuple[tuple[str, str], ...]
    #: ``match_*`` cells ("matched/compared"), by the name after the prefix
    matches: tuple[tuple[str, str], ...]
    #: every cell of the line, unknown columns included
    cells: Mapping[str, str]

    @property
    def delay_days(self) -> int:
        return (self.date - self.planned_date).days

    @property
    def not_agreed(self) -> tuple[str, ...]:
        return tuple(issue for issue in self.agenda if issue not in self.agreed)


@dataclass(frozen=True)
class PositionRow:
    """One line of positions.csv: an actor's position on an issue as it came to a round."""

    round_id: str
    date: dt.date
    actor: str
    issue: str
    position: float


@dataclass(frozen=True)
class EventRow:
    """One line of events.jsonl: a sentence of the narrative, with what it is about."""

    line: int
    date: dt.date
    kind: str
    text: str
    round_id: str | None
    actor: str | None
    issue: str | None
    value: float | None


@dataclass(frozen=True)
class RunDir:
    """Everything the classroom reads from one run directory."""

    path: Path
    version: str
    seed: int | None
    scenario: Scenario
    rounds: tuple[RoundRow, ...]
    positions: tuple[PositionRow, ...]
    events: tuple[EventRow, ...]
    figures: tuple[tuple[str, bytes], ...]
    #: files the classroom does not read (an ensemble.csv, a handout written earlier...)
    other_files: tuple[str, ...]

    def actor_name(self, actor_id: str) -> str:
        return _names(self.scenario.actors).get(actor_id, actor_id)

    def issue_name(self, issue_id: str) -> str:
        return _names(self.scenario.issues).get(issue_id, issue_id)


def _names(items) -> dict[str, str]:
    return {item.id: item.name for item in items}


def read_run_dir(path: str | Path) -> RunDir:
    """Read and check a run directory; raise ``RunDirError`` naming the file at fault."""
    root = Path(path)
    if not root.exists():
        raise RunDirError(f"{root}: no such directory")
    if not root.is_dir():
        raise RunDirError(f"{root}: not a directory (expected a run directory written by run)")
    present = {p.name for p in root.iterdir()}
    missing = [name for name in NEEDED if name not in present]
    if len(missing) == len(NEEDED):
        raise RunDirError(
            f"{root}: not a run directory (none of {', '.join(NEEDED)}; "
            "`astana-sim run SCENARIO --out DIR` writes one)"
        )
    if missing:
        raise RunDirError(
            f"{root}: incomplete run directory: missing {', '.join(missing)} "
            "(rerun the scenario to write it whole)"
        )
    version, seed = _read_summary(root / "summary.json")
    scenario = _read_scenario(root / "scenario.resolved.yaml")
    return RunDir(
        path=root,
        version=version,
        seed=seed,
        scenario=scenario,
        rounds=_read_rounds(root / "rounds.csv"),
        positions=_read_positions(root / "positions.csv"),
        events=_read_events(root / "events.jsonl"),
        figures=tuple((name, (root / name).read_bytes()) for name in FIGURES if name in present),
        other_files=tuple(sorted(present - set(NEEDED) - set(FIGURES))),
    )


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RunDirError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise RunDirError(f"{path}: cannot be read ({exc.strerror})") from None


def _read_summary(path: Path) -> tuple[str, int | None]:
    """The writer and its version: only runs of this major version are read."""
    try:
        summary = json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise RunDirError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(summary, dict) or summary.get("package") != "astana-sim":
        found = summary.get("package") if isinstance(summary, dict) else type(summary).__name__
        raise RunDirError(f"{path}: package: expected 'astana-sim'; found {found!r}")
    version = summary.get("version")
    if not isinstance(version, str) or version.split(".")[0] != __version__.split(".")[0]:
        raise RunDirError(
            f"{path}: version: expected a run written by astana-sim "
            f"{__version__.split('.')[0]}.x; found {version!r} (rerun the scenario with this "
            "version)"
        )
    seed = summary.get("seed")
    return version, seed if isinstance(seed, int) else None


def _read_scenario(path: Path) -> Scenario:
    try:
        return load_scenario(path).scenario
    except ScenarioError as exc:
        raise RunDirError(f"{path}: not a scenario this version reads:\n{exc}") from None


def _table(path: Path, needed: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(_text(path), newline=""))
    header = reader.fieldnames or []
    absent = [column for column in needed if column not in header]
    if absent:
        raise RunDirError(f"{path}:1: missing column(s) {', '.join(absent)}")
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise RunDirError(
                f"{path}:{reader.line_num}: expected {len(header)} cells; found another number"
            )
        rows.append((reader.line_num, row))
    return rows


def _date(path: Path, line: int, column: str, value: object) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RunDirError(
            f"{path}:{line}: {column}: expected a date YYYY-MM-DD; found {value!r}"
        ) from None


def _ids(value: str) -> tuple[str, ...]:
    return tuple(item for item in value.split(LIST_SEP) if item)


def _prefixed(row: Mapping[str, str], prefix: str) -> tuple[tuple[str, str], ...]:
    return tuple((k[len(prefix) :], v) for k, v in row.items() if k.startswith(prefix))


def _read_rounds(path: Path) -> tuple[RoundRow, ...]:
    out = []
    for line, row in _table(path, ROUND_COLUMNS):
        postponements = row.get("postponements") or "0"
        if not postponements.isdigit():
            raise RunDirError(
                f"{path}:{line}: postponements: expected a whole number; found {postponements!r}"
            )
        out.append(
            RoundRow(
                round_id=row["round"],
                name=row.get("name") or row["round"],
                venue=row.get("venue", ""),
                format=row.get("format", ""),
                planned_date=_date(path, line, "planned_date", row["planned_date"]),
                date=_date(path, line, "date", row["date"]),
                postponements=int(postponements),
                invited=_ids(row["invited"]),
                attended=_ids(row["attended"]),
                stayed_away=_ids(row["stayed_away"]),
                walked_out=_ids(row["walked_out"]),
                signatories=_ids(row.get("signatories", "")),
                agenda=_ids(row["agenda"]),
                agreed=_ids(row["agreed"]),
                recorded=_prefixed(row, "recorded_"),
                matches=_prefixed(row, "match_"),
                cells=dict(row),
            )
        )
    if not out:
        raise RunDirError(f"{path}: no rounds (expected one line per scheduled round)")
    return tuple(out)


def _read_positions(path: Path) -> tuple[PositionRow, ...]:
    out = []
    for line, row in _table(path, POSITION_COLUMNS):
        try:
            position = float(row["position"])
        except ValueError:
            raise RunDirError(
                f"{path}:{line}: position: expected a number; found {row['position']!r}"
            ) from None
        out.append(
            PositionRow(
                row["round"],
                _date(path, line, "date", row["date"]),
                row["actor"],
                row["issue"],
                position,
            )
        )
    return tuple(out)


def _read_events(path: Path) -> tuple[EventRow, ...]:
    out = []
    for number, raw in enumerate(_text(path).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            event = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise RunDirError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(event, dict):
            raise RunDirError(f"{path}:{number}: expected a JSON object; found {raw[:40]!r}")
        for key in ("kind", "text"):
            if not isinstance(event.get(key), str):
                raise RunDirError(
                    f"{path}:{number}: {key}: expected a string; found {event.get(key)!r}"
                )
        value = event.get("value")
        out.append(
            EventRow(
                line=number,
                date=_date(path, number, "date", event.get("date")),
                kind=event["kind"],
                text=event["text"],
                round_id=_optional_str(event.get("round")),
                actor=_optional_str(event.get("actor")),
                issue=_optional_str(event.get("issue")),
                value=float(value) if isinstance(value, int | float) else None,
            )
        )
    return tuple(out)


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
