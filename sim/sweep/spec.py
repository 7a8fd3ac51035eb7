"""The experiment spec: a base scenario, parameters addressed by path, a design, seeds, metrics.

A parameter's ``path`` is the fit spec's parameter path (``sim.calibrate``): a model constant
(``model.walkout_margin``), an actor's number (``actors.hnc.reservation``), a shock's size
(``shocks.aleppo_falls.effects.1.reservation.add``), who is invited
(``schedule.astana_1.invitees``), the bargaining rule (``model.protocol``). One path exists only
here: ``schedule.<round>.held``, with levels ``[true, false]``, keeps or removes a round.

A parameter has ``levels`` (any values the path accepts: numbers, names, lists of ids) or a range
``low``/``high`` (numbers; ``mode: scale`` multiplies the scenario's value). A full grid takes
levels (or a range cut into ``steps``); Latin hypercube, Sobol and Morris designs take ranges.
``scenarios`` (a label for each file) instead of ``scenario`` makes the scenario itself a factor,
named ``scenario``, crossed with the other parameters: a counterfactual pack against its baseline.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from ..calibrate import get_at, resolve
from ..history import History, load_history
from ..scenario import Scenario, ScenarioError, load_scenario, scenario_hash
from ..scenario.checks import cross_checks
from ..scenario.errors import Problem, describe
from ..scenario.loader import validation_problems
from ..scenario.located import Located, load_located
from ..scenario.schema import Frozen, Identifier, Text
from .metrics import METRICS

Level = bool | int | float | str | list[str]
HELD = "held"  # the pseudo-field that keeps or removes a round
SWEEPABLE = ("model", "actors", "shocks", "schedule")


class SweepParameter(Frozen):
    """One factor of the experiment: where it acts in the scenario and the values it takes."""

    name: Identifier
    path: Text
    levels: Annotated[list[Level], Field(min_length=1)] | None = None
    low: Annotated[float, Field(strict=True)] | None = None
    high: Annotated[float, Field(strict=True)] | None = None
    steps: Annotated[int, Field(strict=True, ge=2, le=1000)] | None = None
    mode: Literal["set", "scale"] = "set"
    why: str = ""

    @model_validator(mode="after")
    def _levels_or_range(self) -> SweepParameter:
        has_range = self.low is not None or self.high is not None
        if (self.levels is None) == (not has_range):
            raise ValueError("expected either levels or a range (low and high); found both or none")
        if has_range:
            if self.low is None or self.high is None or not self.low < self.high:
                raise ValueError(f"expected low < high; found low {self.low}, high {self.high}")
        elif self.steps is not None:
            raise ValueError("expected steps only with a range (low and high); found levels")
        return self

    @property
    def is_range(self) -> bool:
        return self.levels is None

    def grid_levels(self) -> list[Level] | None:
        """The values a full grid takes, or None if the parameter is a range without steps."""
        if self.levels is not None:
            return list(self.levels)
        if self.steps is None:
            return None
        assert self.low is not None and self.high is not None
        step = (self.high - self.low) / (self.steps - 1)
        return [round(self.low + i * step, 12) for i in range(self.steps)]


class Design(Frozen):
    """How points are drawn: every combination, or a sample of the ranges (SALib's samplers)."""

    kind: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: Annotated[int, Field(strict=True, ge=1, le=1_000_000)] | None = Field(
        default=None,
        description="lhs: points; sobol: base samples N (a power of 2; N*(k+2) points); "
        "morris: trajectories (r*(k+1) points).",
    )
    second_order: bool = False  # sobol: also second-order indices (N*(2k+2) points)
    num_levels: Annotated[int, Field(strict=True, ge=2, le=100)] = 4  # morris grid levels


MetricName = Literal[METRICS]  # type: ignore[valid-type]


class SweepSpec(Frozen):
    name: Identifier
    description: str = ""
    scenario: Text | None = None
    scenarios: dict[Identifier, Text] | None = None
    parameters: list[SweepParameter] = Field(default_factory=list)
    design: Design = Field(default_factory=Design)
    replications: Annotated[int, Field(strict=True, ge=1, le=100_000)] = 10
    seed: Annotated[int, Field(strict=True, ge=0, lt=2**63)] = 0
    metrics: list[MetricName] = Field(default_factory=lambda: list(METRICS))

    @model_validator(mode="after")
    def _one_base(self) -> SweepSpec:
        if (self.scenario is None) == (self.scenarios is None):
            raise ValueError("expected exactly one of scenario or scenarios; found both or none")
        if self.scenarios is not None and not self.scenarios:
            raise ValueError("expected at least one scenario in scenarios; found none")
        return self

    def scenario_files(self) -> dict[str, str]:
        return self.scenarios if self.scenarios is not None else {"base": self.scenario or ""}

    @property
    def factors(self) -> list[str]:
        """The columns that tell points apart: the scenario label (if several), then parameters."""
        lead = ["scenario"] if self.scenarios is not None else []
        return lead + [p.name for p in self.parameters]


@dataclass(frozen=True)
class Base:
    """One base scenario, resolved: its plain data, its record and its hash."""

    label: str
    path: FsPath
    data: dict
    history: History | None
    hash: str


@dataclass(frozen=True)
class LoadedSweep:
    spec: SweepSpec
    path: FsPath
    text: str  # the spec file as written, kept in the store
    bases: dict[str, Base]

    @property
    def spec_hash(self) -> str:
        """Changes when the spec or any base scenario (its resolved content) changes."""
        payload = {
            "spec": self.spec.model_dump(mode="json"),
            "scenarios": {label: base.hash for label, base in self.bases.items()},
        }
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def load_sweep(path: str | FsPath) -> LoadedSweep:
    """Read and check an experiment spec; scenario paths are relative to the spec file."""
    path = FsPath(path)
    located = load_located(path, str(path))
    try:
        spec = SweepSpec.model_validate(located.data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(located, exc, SweepSpec)) from None
    problems: list[Problem] = []

    def report(at: tuple, message: str) -> None:
        problems.append(Problem(located.where(at), at, message))

    bases: dict[str, Base] = {}
    key = "scenario" if spec.scenario is not None else "scenarios"
    for label, relative in spec.scenario_files().items():
        at = (key,) if spec.scenario is not None else (key, label)
        file = path.parent / relative
        if not file.is_file():
            report(at, f"expected an existing scenario file; found {relative!r}")
            continue
        loaded = load_scenario(file)
        history = None
        if loaded.history_path is not None:
            history = load_history(loaded.history_path, loaded.scenario)
        data = loaded.scenario.model_dump(mode="python")
        bases[label] = Base(label, file, data, history, scenario_hash(loaded.scenario))
    if problems:
        raise ScenarioError(problems)
    _check_parameters(spec, bases, report)
    _check_design(spec, report)
    if problems:
        raise ScenarioError(problems)
    return LoadedSweep(spec, path, path.read_text(encoding="utf-8"), bases)


def _check_parameters(spec: SweepSpec, bases: dict[str, Base], report) -> None:
    names: dict[str, int] = {}
    for i, parameter in enumerate(spec.parameters):
        if parameter.name in names or parameter.name == "scenario":
            report(("parameters", i, "name"), f"expected a new name; found {parameter.name!r}")
            continue
        names[parameter.name] = i
        if parameter.path.split(".")[0] not in SWEEPABLE:
            report(
                ("parameters", i, "path"),
                f"expected a path under {', '.join(SWEEPABLE)}; found {parameter.path!r}",
            )
            continue
        for base in bases.values():
            try:
                targets(base.data, parameter)
            except KeyError as exc:
                report(("parameters", i, "path"), f"{exc.args[0]} (in {base.path.name})")
                break
            for field_name, values in _trial_values(parameter):
                for j, value in enumerate(values):
                    at = ("parameters", i, field_name) + ((j,) if field_name == "levels" else ())
                    message = _trial(base.data, parameter, value)
                    if message:
                        report(at, f"{message} (in {base.path.name})")


def _trial_values(parameter: SweepParameter) -> list[tuple[str, list]]:
    if parameter.levels is not None:
        return [("levels", list(parameter.levels))]
    return [("low", [parameter.low]), ("high", [parameter.high])]


def _trial(base: dict, parameter: SweepParameter, value: object) -> str | None:
    """Why ``value`` cannot be set at the parameter's path on its own, or None if it can."""
    held = parameter.path.endswith("." + HELD)
    if held and not isinstance(value, bool):
        return f"expected true or false (the round takes place or not); found {describe(value)}"
    numeric = parameter.mode == "scale" or parameter.is_range
    if numeric and not all(_is_number(get_at(base, t)) for t in targets(base, parameter)):
        return "expected the path to name numbers for a range or scale"
    try:
        scenario_for(base, [(parameter, value)])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(k) for k in first["loc"])
        return (
            f"expected a value that keeps {where} valid; found {describe(value)} ({first['msg']})"
        )
    except ScenarioError as exc:
        return f"expected a value that keeps the scenario valid; found {describe(value)} ({exc})"
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_design(spec: SweepSpec, report) -> None:
    design = spec.design
    if design.kind == "grid":
        for i, parameter in enumerate(spec.parameters):
            if parameter.grid_levels() is None:
                report(
                    ("parameters", i),
                    "expected levels, or steps with a range, for a full grid; found a range "
                    "without steps",
                )
        return
    if not spec.parameters:
        report(("parameters",), f"expected parameters for the {design.kind} design; found none")
    for i, parameter in enumerate(spec.parameters):
        if not parameter.is_range:
            report(
                ("parameters", i, "levels"),
                f"expected a range (low, high) for the {design.kind} design; found levels",
            )
    if design.samples is None:
        report(("design", "samples"), f"expected a number of samples for {design.kind}; found none")
    elif design.kind == "sobol" and design.samples & (design.samples - 1):
        report(("design", "samples"), f"expected a power of 2 for sobol; found {design.samples}")
    if design.kind in ("sobol", "morris") and len(spec.parameters) < 2:
        report(("parameters",), f"expected at least 2 parameters for {design.kind}; found fewer")


# --- a point's scenario ---------------------------------------------------------------------


def targets(base: dict, parameter: SweepParameter) -> list[tuple]:
    """The concrete key paths the parameter's path names (a held round: the round entry)."""
    path = parameter.path
    if path.endswith("." + HELD):
        found = resolve(base, path[: -len(HELD) - 1])
        if not found or any(t[0] != "schedule" or len(t) != 2 for t in found):
            raise KeyError(f"expected schedule.<round>.held; found {path!r}")
        return found
    return resolve(base, path)


def scenario_for(base: dict, values: list[tuple[SweepParameter, object]]) -> Scenario:
    """The base scenario with each parameter set to its value, validated and cross-checked."""
    data = copy.deepcopy(base)
    dropped: set[int] = set()
    for parameter, value in values:
        for target in targets(base, parameter):
            if parameter.path.endswith("." + HELD):
                if not value:
                    dropped.add(int(target[1]))
                continue
            old = get_at(base, target)
            new = old * value if parameter.mode == "scale" else value
            if _is_number(old) and _is_number(new):
                new = round(new) if isinstance(old, int) else float(new)
            get_at(data, target[:-1])[target[-1]] = copy.deepcopy(new)
    if dropped:
        data["schedule"] = [r for i, r in enumerate(data["schedule"]) if i not in dropped]
    scenario = Scenario.model_validate(data)
    problems = cross_checks(scenario, Located(data, {}))
    if problems:
        raise ScenarioError(problems)
    return scenario
