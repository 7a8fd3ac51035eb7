"""The recorded history: loaded strictly, checked against the scenario, with ``extends``.

This is the only module that reads a record file (``calibration/history.yaml``). The model never
sees it: a simulated outcome cannot be copied from the history it is judged against. What a run
is compared against, fact by fact, is ``sim.facts``'s job.

A history file is held to the scenario's standards: strict types (``true`` is not a delay, "7"
is not a number, "yes" is not a boolean, a date is a date), every problem reported at once
(schema and cross-checks together), "did you mean" for ids, and ``extends`` as for scenarios:
a later record states only what it adds or changes, its events matched to the base's by their
``round``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError

from .scenario import Scenario, ScenarioError
from .scenario.errors import Path, Problem, Where
from .scenario.loader import validation_problems
from .scenario.located import Located, load_located
from .scenario.merge import merge
from .scenario.schema import Frozen, Identifier, Text

EARLIEST, LATEST = dt.date(1800, 1, 1), dt.date(2199, 12, 31)
MAX_DELAY_DAYS = 3650
LIST_FACTS = ("attended", "stayed_away", "walked_out", "signed_by")
ISSUE_FACTS = ("agreed", "agreed_text")  # keyed by agenda issue; sourced as ``<fact>.<issue>``
TEXT_KINDS = ("substantive", "reaffirmation")
EVENT_KEY = "round"  # what matches a later record's event to its base's (``id`` for scenarios)


def _date_only(value: object) -> object:
    """A YAML date, or a quoted ISO date; never a number (a Unix time) or a date with a time."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date (YYYY-MM-DD) without a time; found {value}")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date (YYYY-MM-DD); found {value!r}") from None
    if not isinstance(value, dt.date):
        raise ValueError(f"expected a date (YYYY-MM-DD); found {_kind(value)}")
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"expected a date from {EARLIEST} to {LATEST}; found {value}")
    return value


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    return f"{value!r}" if isinstance(value, str) else f"{value}"


def _text_kind(value: object) -> object:
    """``substantive`` or ``reaffirmation``, with a "did you mean" for a near miss."""
    if isinstance(value, str) and value in TEXT_KINDS:
        return value
    choices = " or ".join(repr(k) for k in TEXT_KINDS)
    near = difflib.get_close_matches(str(value), TEXT_KINDS, n=1, cutoff=0.5)
    hint = f"; did you mean {near[0]!r}?" if isinstance(value, str) and near else ""
    raise ValueError(f"expected {choices}; found {_kind(value)}{hint}")


RecordDate = Annotated[dt.date, BeforeValidator(_date_only)]
StrictBool = Annotated[bool, Field(strict=True)]
TextKind = Annotated[Literal["substantive", "reaffirmation"], BeforeValidator(_text_kind)]
Days = Annotated[int, Field(strict=True, ge=-MAX_DELAY_DAYS, le=MAX_DELAY_DAYS)]
MAX_EXTENSIONS = 100  # a round prolonged more often than this is a typo, not a record
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_EXTENSIONS)]


class RecordedEvent(Frozen):
    """What the record says of one scheduled round; every fact optional, every fact sourced."""

    round: Identifier
    took_place: StrictBool = True
    actual_date: RecordDate | None = None
    delay_days: Days | None = None
    # The round's last day of sessions, and how often it was prolonged beyond its planned length
    # (``sim.facts.length_days`` and ``sim.facts.extensions`` score them).
    ended: RecordDate | None = None
    extensions: Count | None = None
    attended: list[Identifier] | None = None
    stayed_away: list[Identifier] | None = None
    walked_out: list[Identifier] | None = None
    agreed: dict[Identifier, StrictBool] = {}
    # For each issue agreed (true): was the text new substance, or did it only reaffirm texts
    # adopted earlier? The strict coding of the record counts only substantive texts as agreed.
    agreed_text: dict[Identifier, TextKind] = {}
    signed_by: list[Identifier] | None = None
    single_delegation: StrictBool | None = None
    summary: Annotated[str, Field(strict=True)] = ""
    sources: dict[str, Text] = {}


class History(Frozen):
    description: Annotated[str, Field(strict=True)] = ""
    events: list[RecordedEvent]

    def event(self, round_id: str) -> RecordedEvent | None:
        return next((e for e in self.events if e.round == round_id), None)


SOURCE_FIELDS = tuple(f for f in RecordedEvent.model_fields if f not in ("round", "sources"))


def load_history(path: str | FsPath, scenario: Scenario | None = None) -> History:
    """Read, merge (``extends``) and validate a record; with a scenario, check its ids too.

    Every problem, of the schema and of the cross-checks, is raised at once in one
    ``ScenarioError``, in file and line order.
    """
    located = load_with_extends(FsPath(path), str(path))
    problems: list[Problem] = []
    history = None
    try:
        history = History.model_validate(located.data)
    except ValidationError as exc:
        problems += validation_problems(located, exc, History)
    problems += cross_checks(located, scenario)
    if problems or history is None:
        raise ScenarioError(_in_file_order(problems))
    return history


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    def place(problem: Problem) -> tuple[bool, str, int]:
        where = problem.where
        return (where is None, where.file if where else "", where.line if where else 0)

    return sorted(dict.fromkeys(problems), key=place)


# --- extends --------------------------------------------------------------------------------


def load_with_extends(file: FsPath, display: str, stack: tuple[FsPath, ...] = ()) -> Located:
    """The record and every record it extends, merged by ``sim.scenario.merge``'s rules.

    Events are matched by ``round`` (the merge matches list entries by ``id``: the key is
    renamed on the way in and back on the way out); ``{round: x, remove: true}`` drops the
    base's event of round ``x``.
    """
    try:
        real = file.resolve(strict=False)
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise ScenarioError(
            [Problem(Where(display, 1), (), "expected a history file; found a symbolic-link loop")]
        ) from None
    if real in stack:
        chain = " -> ".join(p.name for p in (*stack, real))
        raise ScenarioError([Problem(Where(display, 1), ("extends",), f"extends cycle: {chain}")])
    own = load_located(file, display)
    if not isinstance(own.data, dict):
        raise ScenarioError(
            [Problem(own.where(()), (), "expected a mapping of history fields at the top level")]
        )
    bases = _extends(own)
    if not bases:
        return own
    merged: Located | None = None
    for index, (relative, where) in enumerate(bases):
        base_file = file.parent / relative
        if not base_file.is_file():
            at = ("extends",) if isinstance(own.data["extends"], str) else ("extends", index)
            what = _not_a_file(base_file)
            message = f"expected an existing history file; found {what}: {relative!r}"
            raise ScenarioError([Problem(where, at, message)])
        base = _by_id(load_with_extends(base_file, str(base_file), (*stack, real)))
        merged = base if merged is None else merge(merged, base)
    data = {k: v for k, v in own.data.items() if k != "extends"}
    places = {p: w for p, w in own.places.items() if not (p and p[0] == "extends")}
    assert merged is not None
    return _by_round(merge(merged, _by_id(Located(data, places))))


def _not_a_file(path: FsPath) -> str:
    if path.is_dir():
        return "a directory"
    return "something that is not a regular file" if path.exists() else "no such file"


def _extends(own: Located) -> list[tuple[str, Where | None]]:
    value = own.data.get("extends")  # type: ignore[union-attr]
    if value is None:
        return []
    if isinstance(value, str):
        return [(value, own.where(("extends",)))]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [(v, own.where(("extends", i))) for i, v in enumerate(value)]
    where = own.where(("extends",))
    raise ScenarioError([Problem(where, ("extends",), "expected a file path or a list of paths")])


def _rename(located: Located, old: str, new: str) -> Located:
    """Rename the key ``old`` of every event to ``new`` (where ``new`` is not used already)."""
    data = located.data
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        return located
    renamed = set()
    new_events = []
    for index, event in enumerate(events):
        if isinstance(event, dict) and old in event and new not in event:
            event = {(new if k == old else k): v for k, v in event.items()}
            renamed.add(index)
        new_events.append(event)
    places = {}
    for path, where in located.places.items():
        if len(path) >= 3 and path[0] == "events" and path[1] in renamed and path[2] == old:
            path = (*path[:2], new, *path[3:])
        places[path] = where
    return Located({**data, "events": new_events}, places)  # type: ignore[dict-item]


def _by_id(located: Located) -> Located:
    return _rename(located, EVENT_KEY, "id")


def _by_round(located: Located) -> Located:
    return _rename(located, "id", EVENT_KEY)


# --- cross-checks on the raw data (so that they run even when the schema fails) -------------


def cross_checks(located: Located, scenario: Scenario | None) -> list[Problem]:
    """Ids that must exist, one event per round, sources keyed by the facts they support."""
    data = located.data
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        return []
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for e, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        round_id = event.get(EVENT_KEY)
        if isinstance(round_id, str):
            if round_id in first:
                message = (
                    f"expected one event per round; found {round_id!r} again "
                    f"(also events[{first[round_id]}])"
                )
                problems.append(_problem(located, ("events", e, EVENT_KEY), message))
            first.setdefault(round_id, e)
        problems += _check_sources(located, e, event)
        problems += _check_text_kinds(located, e, event)
        problems += _check_ended(located, e, event)
        if scenario is not None:
            problems += _check_ids(located, e, event, scenario)
    return problems


def _problem(located: Located, path: Path, message: str) -> Problem:
    return Problem(located.where(path), path, message)


def _expected(what: str, found: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(found, choices, n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    return f"expected {what}; found {found!r}{hint}"


def _check_ids(located: Located, e: int, event: dict[str, Any], scenario: Scenario) -> list:
    problems = []
    rounds = {r.id: r for r in scenario.schedule}
    round_id = event.get(EVENT_KEY)
    if isinstance(round_id, str) and round_id not in rounds:
        message = _expected("a round id of the scenario's schedule", round_id, list(rounds))
        problems.append(_problem(located, ("events", e, EVENT_KEY), message))
    actors = scenario.actor_ids()
    for field in LIST_FACTS:
        ids = event.get(field)
        for k, ident in enumerate(ids if isinstance(ids, list) else []):
            if isinstance(ident, str) and ident not in actors:
                message = _expected("a known actor id", ident, actors)
                problems.append(_problem(located, ("events", e, field, k), message))
    agreed = event.get("agreed")
    spec = rounds.get(round_id) if isinstance(round_id, str) else None
    if isinstance(agreed, dict) and spec is not None:
        for issue in agreed:
            if isinstance(issue, str) and issue not in spec.agenda:
                what = f"an agenda issue of round {spec.id!r} ({', '.join(spec.agenda)})"
                message = _expected(what, issue, list(spec.agenda))
                problems.append(_problem(located, ("events", e, "agreed", issue), message))
    return problems


def _check_text_kinds(located: Located, e: int, event: dict[str, Any]) -> list[Problem]:
    """``agreed_text`` codes only the issues this event records as agreed (true)."""
    coded, agreed = event.get("agreed_text"), event.get("agreed")
    if not isinstance(coded, dict):
        return []
    agreed = agreed if isinstance(agreed, dict) else {}
    problems = []
    for issue in coded:
        if not isinstance(issue, str):
            continue
        path = ("events", e, "agreed_text", issue)
        if issue not in agreed:
            what = "an issue of this event's agreed"
            problems.append(_problem(located, path, _expected(what, issue, list(map(str, agreed)))))
        elif agreed[issue] is not True:
            message = (
                f"expected an issue agreed true (only an agreed text is substantive or a "
                f"reaffirmation); found {issue!r}, recorded as agreed: {str(agreed[issue]).lower()}"
            )
            problems.append(_problem(located, path, message))
    return problems


def _check_ended(located: Located, e: int, event: dict[str, Any]) -> list[Problem]:
    """A round cannot end before it opened: ``ended`` is on or after ``actual_date``."""
    opened, ended = event.get("actual_date"), event.get("ended")
    dates = [_as_date(opened), _as_date(ended)]
    if None in dates or dates[1] >= dates[0]:
        return []
    message = (
        f"expected a date on or after actual_date ({dates[0]}): the last day of the round's "
        f"sessions; found {dates[1]}"
    )
    return [_problem(located, ("events", e, "ended"), message)]


def _as_date(value: object) -> dt.date | None:
    """A date the schema would accept, or ``None`` (the schema reports the rest)."""
    try:
        return _date_only(value)  # type: ignore[return-value]
    except ValueError:
        return None


def _check_sources(located: Located, e: int, event: dict[str, Any]) -> list[Problem]:
    """A source is keyed by a fact's field, ``agreed.<issue>``, or ``<list>.<actor>``."""
    sources = event.get("sources")
    if not isinstance(sources, dict):
        return []
    problems = []
    for key in sources:
        if not isinstance(key, str) or key in SOURCE_FIELDS:
            continue
        field, _, item = key.partition(".")
        if field in ISSUE_FACTS and item:
            stated = event.get(field)
            if isinstance(stated, dict) and item not in stated:
                message = _expected(f"an issue of this event's {field}", item, list(stated))
                problems.append(_problem(located, ("events", e, "sources", key), message))
            continue
        if field in LIST_FACTS and item:
            listed = event.get(field)
            if isinstance(listed, list) and item not in listed:
                message = _expected(f"an actor listed in {field}", item, list(map(str, listed)))
                problems.append(_problem(located, ("events", e, "sources", key), message))
            continue
        choices = [*SOURCE_FIELDS]
        for issue_fact in ISSUE_FACTS:
            stated = event.get(issue_fact)
            choices += [f"{issue_fact}.{i}" for i in (stated if isinstance(stated, dict) else {})]
        message = _expected(
            "a fact's name (e.g. attended, actual_date), agreed.<issue>, agreed_text.<issue> "
            "or <list>.<actor>",
            key,
            choices,
        )
        problems.append(_problem(located, ("events", e, "sources", key), message))
    return problems
