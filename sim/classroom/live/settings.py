"""The knobs a class turns, applied to a validated scenario as a new, re-validated scenario.

A teacher changes a handful of things in class: an actor's walk-away value (``reservation``) and
how much it cares about an issue (``salience``), its patron, who is invited to a round, the
bargaining rule and the seed. ``ClassSettings`` holds those changes (and only those) as a frozen
record; ``apply_settings`` builds the changed scenario with ``model_copy(update=...)`` and then
validates it again, schema and cross-checks alike, so that a change the scenario file could not
hold (a patron that is not an actor, a salience of 2) is refused with the field it concerns,
exactly as ``validate`` would refuse it in a file. The scenario given is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from types import MappingProxyType

from ...scenario import Scenario, ScenarioError
from ...scenario.loader import validate
from ...scenario.located import Located

NO_PATRON = ""
"""The value of ``ClassSettings.patron`` that removes an actor's patron."""


def _frozen(value: Mapping | None) -> Mapping:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class ClassSettings:
    """Changes to a scenario for one class run; empty (the default) means the scenario as shipped.

    ``reservation``: actor id -> walk-away value (0-1). ``salience``: (actor id, issue id) ->
    salience (0-1). ``patron``: actor id -> patron id, or ``NO_PATRON`` for none.
    ``invitees``: round id -> the actors invited besides the conveners. ``protocol``: the
    bargaining rule's name. ``seed``: the run's seed.
    """

    reservation: Mapping[str, float] = field(default_factory=dict)
    salience: Mapping[tuple[str, str], float] = field(default_factory=dict)
    patron: Mapping[str, str] = field(default_factory=dict)
    invitees: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    protocol: str | None = None
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("reservation", "salience", "patron"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        frozen = {r: tuple(ids) for r, ids in (self.invitees or {}).items()}
        object.__setattr__(self, "invitees", _frozen(frozen))

    def changed(self, **update) -> ClassSettings:
        """A copy with some fields replaced (mappings merged into the current ones)."""
        merged = {}
        for name in ("reservation", "salience", "patron", "invitees"):
            merged[name] = {**getattr(self, name), **update.pop(name, {})}
        return ClassSettings(
            **merged,
            protocol=update.pop("protocol", self.protocol),
            seed=update.pop("seed", self.seed),
        )

    @property
    def is_empty(self) -> bool:
        return self == ClassSettings()


def apply_settings(scenario: Scenario, settings: ClassSettings) -> Scenario:
    """The scenario with the class's changes, validated again; raise ``ScenarioError`` if wrong.

    Unknown actor, issue or round ids are reported by field path (``actors[3].salience.x``), the
    way a scenario file's mistakes are.
    """
    problems = _unknown_ids(scenario, settings)
    if problems:
        raise ScenarioError(problems)
    actors = [_changed_actor(actor, settings) for actor in scenario.actors]
    schedule = [
        spec.model_copy(update={"invitees": list(settings.invitees[spec.id])})
        if spec.id in settings.invitees
        else spec
        for spec in scenario.schedule
    ]
    update: dict[str, object] = {"actors": actors, "schedule": schedule}
    if settings.protocol is not None:
        update["model"] = scenario.model.model_copy(update={"protocol": settings.protocol})
    if settings.seed is not None:
        update["seed"] = settings.seed
    changed = scenario.model_copy(update=update)
    # model_copy does not validate: the round trip through the schema and the cross-checks does.
    return validate(Located(changed.model_dump()))


def _changed_actor(actor, settings: ClassSettings):
    update: dict[str, object] = {}
    if actor.id in settings.reservation:
        update["reservation"] = settings.reservation[actor.id]
    salience = {i: v for (a, i), v in settings.salience.items() if a == actor.id}
    if salience:
        update["salience"] = {**actor.salience, **salience}
    if actor.id in settings.patron:
        update["patron"] = settings.patron[actor.id] or None
    return actor.model_copy(update=update) if update else actor


def _unknown_ids(scenario: Scenario, settings: ClassSettings) -> list:
    """Problems for ids the settings name that the scenario does not have."""
    from ...scenario import Problem

    actors, issues = set(scenario.actor_ids()), set(scenario.issue_ids())
    rounds = {spec.id for spec in scenario.schedule}
    problems = []

    def unknown(kind: str, value: str, where: tuple, known: set[str]) -> None:
        if value not in known:
            choices = ", ".join(sorted(known))
            problems.append(
                Problem(None, where, f"expected one of the {kind}s ({choices}); found {value!r}")
            )

    for actor in settings.reservation:
        unknown("actor", actor, ("reservation",), actors)
    for actor, issue in settings.salience:
        unknown("actor", actor, ("salience",), actors)
        unknown("issue", issue, ("salience", actor), issues)
    for actor in settings.patron:
        unknown("actor", actor, ("patron",), actors)
    for round_id, invitees in settings.invitees.items():
        unknown("round", round_id, ("schedule",), rounds)
        for actor in invitees:
            unknown("actor", actor, ("schedule", round_id, "invitees"), actors)
    return problems


def shipped_scenarios(root: FsPath) -> tuple[FsPath, ...]:
    """The scenario files under ``root`` (the repository's ``scenarios/``), without loading them.

    A scenario file has a top-level ``name`` and either a ``schedule`` or an ``extends``; a
    record (``events``), an actors fragment or a fit spec (``training``) does not qualify. Read
    as top-level keys only, so that listing them costs nothing at start-up.
    """
    found = []
    for path in sorted(root.rglob("*.yaml")):
        keys = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line[:1].isalpha() and ":" in line:
                keys.add(line.partition(":")[0].strip())
        if "name" in keys and keys & {"schedule", "extends"} and not keys & {"events", "training"}:
            found.append(path)
    return tuple(found)
