"""Checks that relate one part of a scenario to another: ids, references, dates, sources."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .errors import Path, Problem
from .located import Located
from .schema import SOURCED_MAPPINGS, SOURCED_SCALARS, Scenario


def cross_checks(scenario: Scenario, located: Located) -> list[Problem]:
    problems: list[Problem] = []

    def report(path: Path, message: str) -> None:
        problems.append(Problem(located.where(path), path, message))

    issues = _Ids(scenario.issue_ids())
    actors = _Ids(scenario.actor_ids())
    roles = {actor.id: actor.role for actor in scenario.actors}
    for section, ids in (
        ("tracks", scenario.track_ids()),
        ("issues", issues),
        ("actors", actors),
        ("schedule", [r.id for r in scenario.schedule]),
        ("shocks", [s.id for s in scenario.shocks]),
        ("sides", [s.id for s in scenario.sides]),
    ):
        _unique(ids, section, report)

    tracks = scenario.track_ids()
    for a, actor in enumerate(scenario.actors):
        lines = [j for j in actor.red_lines if j in issues]  # an unknown one is reported itself
        valid_sources = _Ids(_sourced_fields(issues, actor.forums, lines))
        for field in SOURCED_MAPPINGS:
            values = getattr(actor, field)
            for issue in issues:
                if issue not in values:
                    report(
                        ("actors", a, field), f"expected a value for issue {issue!r}; found none"
                    )
            for key in values:
                _known(key, issues, "issue", ("actors", a, field, key), report)
        if actor.patron is not None:
            _known(actor.patron, actors, "actor", ("actors", a, "patron"), report)
            if actor.patron == actor.id:
                report(("actors", a, "patron"), "expected another actor as patron; found itself")
        for key in actor.sources:
            _known(key, valid_sources, "calibrated field", ("actors", a, "sources", key), report)
        for track in actor.forums:
            _known(track, tracks, "track", ("actors", a, "forums", track), report)
        _red_line_checks(actor, a, issues, report)
    _patron_cycles(scenario, report)
    _side_checks(scenario, actors, roles, report)

    previous = None
    for r, round_ in enumerate(scenario.schedule):
        if not tracks:
            report(
                ("schedule", r, "track"),
                f"expected a track declared under the top-level `tracks:` list; found "
                f"{round_.track!r} and no tracks declared",
            )
        else:
            _known(round_.track, tracks, "track", ("schedule", r, "track"), report)
        if previous is not None and round_.planned_date < previous.planned_date:
            report(
                ("schedule", r, "planned_date"),
                f"expected a date on or after {previous.planned_date} (round {previous.id!r} "
                f"comes first); found {round_.planned_date}",
            )
        previous = round_
        for field in ("conveners", "invitees"):
            for i, ident in enumerate(getattr(round_, field)):
                _known(ident, actors, "actor", ("schedule", r, field, i), report)
            _unique(getattr(round_, field), ("schedule", r, field), report)
        for i, ident in enumerate(round_.agenda):
            _known(ident, issues, "issue", ("schedule", r, "agenda", i), report)
        _unique(round_.agenda, ("schedule", r, "agenda"), report)
        if isinstance(round_.signatories, list):
            present = set(round_.conveners) | set(round_.invitees)
            for i, ident in enumerate(round_.signatories):
                path = ("schedule", r, "signatories", i)
                if ident not in actors:
                    _known(ident, actors, "actor", path, report)
                elif ident not in present:
                    report(path, f"expected a convener or invitee of this round; found {ident!r}")
                elif roles[ident] == "observer":
                    report(path, f"expected a signatory who is not an observer; found {ident!r}")

    _ratification_checks(scenario, report)
    for s, shock in enumerate(scenario.shocks):
        for e, effect in enumerate(shock.effects):
            _known(effect.actor, actors, "actor", ("shocks", s, "effects", e, "actor"), report)
            for field in SOURCED_MAPPINGS:
                for key in getattr(effect, field):
                    path = ("shocks", s, "effects", e, field, key)
                    _known(key, issues, "issue", path, report)
    return problems


def _ratification_checks(scenario: Scenario, report) -> None:
    """A round ratifies an earlier round of the schedule, and only issues on that round's agenda
    (an issue it never negotiated has no text to ratify)."""
    earlier: dict[str, object] = {}
    ids = _Ids(r.id for r in scenario.schedule)
    for r, round_ in enumerate(scenario.schedule):
        target = round_.ratifies
        path = ("schedule", r, "ratifies")
        if target is not None and target not in earlier:
            if target in ids:
                report(path, f"expected a round earlier in the schedule; found {target!r}")
            else:
                _known(target, ids, "round", path, report)
        elif target is not None:
            missing = [j for j in round_.agenda if j not in earlier[target].agenda]
            if missing:
                report(
                    ("schedule", r, "agenda"),
                    f"expected only issues on the agenda of {target!r}, which this round "
                    f"ratifies; found {', '.join(missing)}",
                )
        earlier[round_.id] = round_


def _red_line_checks(actor, a: int, issues: list[str], report) -> None:
    """A red line is on a known issue and the actor's own position is on its side of it."""
    for issue, line in actor.red_lines.items():
        path = ("actors", a, "red_lines", issue)
        if issue not in issues:
            _known(issue, issues, "issue", path, report)
            continue
        position = actor.positions.get(issue)
        if position is not None and not line.holds(position):
            bound = (
                f"at_least {line.at_least:g}"
                if line.at_least is not None and position < line.at_least
                else f"at_most {line.at_most:g}"
            )
            report(
                path,
                f"expected the actor's position on {issue!r} within its red line ({bound}); "
                f"found position {position:g}",
            )


def _side_checks(scenario: Scenario, actors: list[str], roles: dict, report) -> None:
    """Members are known actors, none on two sides and none an observer; a lead is a member."""
    side_of: dict[str, str] = {}
    for s, side in enumerate(scenario.sides):
        for m, member in enumerate(side.members):
            path = ("sides", s, "members", m)
            if member not in actors:
                _known(member, actors, "actor", path, report)
            elif member in side_of:
                report(
                    path,
                    f"expected each actor on one side; found {member!r} also on "
                    f"side {side_of[member]!r}",
                )
            elif roles[member] == "observer":
                report(path, f"expected a member who is not an observer; found {member!r}")
            side_of.setdefault(member, side.id)
        if side.lead is not None and side.lead not in side.members:
            report(
                ("sides", s, "lead"),
                f"expected one of the side's members "
                f"({', '.join(side.members)}); found {side.lead!r}",
            )


def unsourced_numbers(scenario: Scenario) -> list[str]:
    """Every calibrated number of every actor that has no ``sources`` entry, as ``actor.field``."""
    missing = []
    for actor in scenario.actors:
        for field in _sourced_fields(scenario.issue_ids(), actor.forums, actor.red_lines):
            if field not in actor.sources:
                missing.append(f"{actor.id}.{field}")
    return missing


def _sourced_fields(
    issues: Iterable[str], forums: Iterable[str] = (), red_lines: Iterable[str] = ()
) -> list[str]:
    """The ``sources`` keys an actor's numbers need: its scalars, one per issue of each mapping,
    one per forum it declares (``forums.geneva``) and one per red line (``red_lines.transition``).
    """
    issues = list(issues)
    fields = list(SOURCED_SCALARS)
    for mapping in SOURCED_MAPPINGS:
        fields.extend(f"{mapping}.{issue}" for issue in issues)
    fields.extend(f"forums.{track}" for track in forums)
    fields.extend(f"red_lines.{issue}" for issue in red_lines)
    return fields


class _Ids(list):
    """A list of ids with set-speed membership: a 5,000-actor scenario checks every reference
    against it, and a list scan per reference made validation quadratic."""

    def __init__(self, ids: Iterable[str]):
        super().__init__(ids)
        self._members = frozenset(self)

    def __contains__(self, ident: object) -> bool:
        return ident in self._members


def _known(ident: str, valid: list[str], kind: str, path: Path, report) -> None:
    if ident in valid:
        return
    near = difflib.get_close_matches(ident, valid, n=1, cutoff=0.5)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    report(path, f"expected a known {kind} id; found {ident!r}{hint}")


def _unique(ids: list[str], section: str | Path, report) -> None:
    seen: set[str] = set()
    base = (section,) if isinstance(section, str) else section
    for index, ident in enumerate(ids):
        if ident in seen:
            path = (*base, index, "id") if isinstance(section, str) else (*base, index)
            report(path, f"expected unique ids; found {ident!r} again")
        seen.add(ident)


def _patron_cycles(scenario: Scenario, report) -> None:
    patron = {a.id: a.patron for a in scenario.actors}
    for a, actor in enumerate(scenario.actors):
        seen = [actor.id]
        current = patron.get(actor.id)
        while current is not None and current in patron:
            if current == actor.id:
                chain = " -> ".join([*seen, current])
                report(
                    ("actors", a, "patron"), f"expected patron links without a cycle; found {chain}"
                )
                break
            if current in seen:
                break
            seen.append(current)
            current = patron.get(current)
