"""Fitting a scenario's free parameters to the record, and an honest backtest.

The fit spec (``calibration/fit.yaml``) names the free parameters, each a path into the scenario
with bounds the evidence allows, the training and the held-out rounds, the seeds per evaluation
and a budget. The loss is ``sim.scoring``'s, averaged over the seeds; the optimiser is SciPy's
differential evolution, which needs no gradient, keeps to bounds, tolerates a loss that jumps
(an agreement is reached or not), and is reproducible from one seed. Every candidate is run on the
same seeds (common random numbers), so comparing two candidates compares parameters, not luck.

Parameter paths: dot-separated keys into the scenario with its defaults filled in; in a list of
entries with ids, a segment is an id (``actors.hnc.reservation``) or ``*`` for all entries
(``actors.*.capability``); in other lists, an index
(``shocks.aleppo_falls.effects.1.reservation.add``).
``mode: set`` sets the value within [low, high]; ``mode: scale`` multiplies the scenario's value
by a factor within [low, high] (one factor for all the targets of a ``*``).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, ValidationError, model_validator

from . import __version__
from .baselines import baseline_scores
from .facts import CODINGS, LENIENT
from .history import History, RecordDate, load_history
from .model import ensemble_seeds, simulate
from .scenario import Scenario, ScenarioError, load_scenario, scenario_hash
from .scenario.checks import cross_checks
from .scenario.errors import Problem, describe
from .scenario.loader import validation_problems
from .scenario.located import Located, load_located
from .scenario.schema import Frozen, Identifier, Text
from .scoring import Score, score_codings, score_runs
from .streams import Seed

Key = str | int


class Parameter(Frozen):
    """One free parameter: where it sits in the scenario and the range the evidence allows."""

    path: Text
    low: Annotated[float, Field(strict=True)]
    high: Annotated[float, Field(strict=True)]
    mode: Literal["set", "scale"] = "set"
    why: str = Field(default="", description="The evidence or reasoning behind the bounds.")

    @model_validator(mode="after")
    def _ordered(self) -> Parameter:
        if not self.low < self.high:
            raise ValueError(f"expected low < high; found low {self.low:g}, high {self.high:g}")
        return self


class FitSpec(Frozen):
    name: Identifier
    scenario: Text
    parameters: Annotated[list[Parameter], Field(min_length=1)]
    training: Annotated[list[Identifier], Field(min_length=1)]
    held_out: list[Identifier] = Field(default_factory=list)
    seeds: Annotated[int, Field(strict=True, ge=1, le=500)] = 8
    budget: Annotated[int, Field(strict=True, ge=1, le=1_000_000)] = 400
    population: Annotated[int, Field(strict=True, ge=2, le=100)] = 8
    workers: Annotated[int, Field(strict=True, ge=1, le=64)] = 1
    seed: Annotated[int, Field(strict=True, ge=0, lt=2**32)] = 0
    report_seeds: Annotated[int, Field(strict=True, ge=1, le=1000)] = 50
    output: Text = "fitted"
    coding: Literal["lenient", "strict"] = Field(
        default=LENIENT,
        description="The coding of the record the fit minimises (the report gives every coding).",
    )
    split_date: RecordDate | None = Field(
        default=None,
        description="The first day of the held-out period: training rounds are planned before"
        " it, held-out ones on or after it, and a clean held-out test uses only evidence dated"
        " before it (the report counts the entries that are not).",
    )


@dataclass(frozen=True)
class LoadedSpec:
    spec: FitSpec
    path: FsPath
    scenario_path: FsPath
    output_dir: FsPath


def _inside(path: FsPath, folder: FsPath) -> bool:
    """Whether ``path`` lies under ``folder`` (a spec may only write beside itself)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return path.resolve() != folder.resolve()


def load_spec(path: str | FsPath, output: FsPath | None = None) -> LoadedSpec:
    """Read and check a fit spec; its paths are relative to the spec file.

    ``output`` (from the command line) replaces the spec's own ``output``, and may be anywhere:
    a spec's ``output`` must stay inside the spec's folder, so that running a spec someone sent
    cannot write anywhere else.
    """
    path = FsPath(path)
    located = load_located(path, str(path))
    try:
        spec = FitSpec.model_validate(located.data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(located, exc, FitSpec)) from None
    output_dir = output if output is not None else path.parent / spec.output
    loaded = LoadedSpec(spec, path, path.parent / spec.scenario, output_dir)
    problems = _check_spec(loaded, located, given=output is not None)
    if problems:
        raise ScenarioError(problems)
    return loaded


OUTPUT_SUFFIXES = (".yaml", ".provenance.json", ".report.txt", ".report.png", ".history.png")
FITTABLE = ("model", "actors", "shocks")  # what a fit may move; not the seed, not the schedule


def _check_spec(loaded: LoadedSpec, located: Located, given: bool = False) -> list[Problem]:
    spec = loaded.spec
    problems: list[Problem] = []

    def report(path: tuple, message: str) -> None:
        problems.append(Problem(located.where(path), path, message))

    if not loaded.scenario_path.is_file():
        report(("scenario",), f"expected an existing scenario file; found {spec.scenario!r}")
        return problems
    scenario_file = load_scenario(loaded.scenario_path)
    if scenario_file.history_path is None:
        report(("scenario",), "expected a scenario with a history to fit to; found none")
    scenario = scenario_file.scenario
    rounds = {r.id for r in scenario.schedule}
    for field_name in ("training", "held_out"):
        for i, rid in enumerate(getattr(spec, field_name)):
            if rid not in rounds:
                report((field_name, i), f"expected a round id of the scenario; found {rid!r}")
    for i, rid in enumerate(spec.held_out):
        if rid in spec.training:
            report(("held_out", i), f"expected rounds not used for training; found {rid!r}")
    if spec.split_date is not None:
        problems += _check_split(spec, scenario, located)
    minimum = 2 * spec.population * len(spec.parameters)
    if spec.budget < minimum:
        report(
            ("budget",),
            f"expected at least {minimum} evaluations (the first population and "
            f"one generation of {spec.population} x {len(spec.parameters)} "
            f"parameters); found {spec.budget}",
        )
    if not given and not _inside(loaded.output_dir, loaded.path.parent):
        report(
            ("output",),
            "expected a folder inside the spec's folder (give another place with "
            f"`calibrate --out`); found {spec.output!r}",
        )
    if loaded.output_dir.exists() and not loaded.output_dir.is_dir():
        report(("output",), f"expected a directory for the results; found a file: {spec.output!r}")
    for suffix in OUTPUT_SUFFIXES:
        if (loaded.output_dir / f"{spec.name}{suffix}").is_dir():
            report(("output",), f"expected {spec.name}{suffix} free for a file; found a directory")
    data = scenario.model_dump(mode="python")
    seen: dict[str, int] = {}
    for i, parameter in enumerate(spec.parameters):
        at = ("parameters", i, "path")
        if parameter.path in seen:
            report(
                at,
                f"expected each parameter once; found {parameter.path!r} again "
                f"(also parameters[{seen[parameter.path]}])",
            )
            continue
        seen[parameter.path] = i
        if parameter.path.split(".")[0] not in FITTABLE:
            report(at, f"expected a path under {', '.join(FITTABLE)}; found {parameter.path!r}")
            continue
        try:
            targets = resolve(data, parameter.path)
        except KeyError as exc:
            report(at, str(exc.args[0]))
            continue
        values = [get_at(data, target) for target in targets]
        wrong = [v for v in values if isinstance(v, bool) or not isinstance(v, (int, float))]
        if wrong:
            report(at, f"expected the path to name numbers; found {describe(wrong[0])}")
            continue
        problems.extend(_check_bounds(data, parameter, targets, located, i))
    return problems


def _check_split(spec: FitSpec, scenario: Scenario, located: Located) -> list[Problem]:
    """Training rounds are planned before the split date, held-out rounds on or after it."""
    planned = {r.id: r.planned_date for r in scenario.schedule}
    split = spec.split_date
    problems = []
    for field_name, before in (("training", True), ("held_out", False)):
        for i, rid in enumerate(getattr(spec, field_name)):
            date = planned.get(rid)
            if date is None or (date < split) == before:  # type: ignore[operator]
                continue
            side = "before" if before else "on or after"
            path = (field_name, i)
            message = (
                f"expected a round planned {side} the split date {split}; found {rid!r}, "
                f"planned for {date}"
            )
            problems.append(Problem(located.where(path), path, message))
    return problems


@dataclass(frozen=True)
class LateEntry:
    """An evidence entry a held-out test with this split should not have read."""

    owner: str  # an actor id, or ``shock:<id>``
    field: str  # the number it supports (a shock's entries: their source)
    date: dt.date | None  # None: undated


def late_evidence(scenario: Scenario, split: dt.date) -> list[LateEntry]:
    """Every evidence entry of the scenario dated on or after ``split``, or undated.

    A vintage calibration (issue 10) has none, or only entries allow-listed with a reason.
    """
    entries = []
    for actor in scenario.actors:
        for name, evidence in actor.sources.items():
            if evidence.date is None or evidence.date >= split:
                entries.append(LateEntry(actor.id, name, evidence.date))
    for shock in scenario.shocks:
        for evidence in shock.sources:
            if evidence.date is None or evidence.date >= split:
                entries.append(LateEntry(f"shock:{shock.id}", evidence.source, evidence.date))
    return entries


def vintage_note(spec: FitSpec, scenario: Scenario) -> str:
    """Plain sentences on how clean the held-out test is, for the report."""
    if spec.split_date is None:
        return "No split date in the spec: the evidence's dates are not checked against it."
    split = spec.split_date
    late = late_evidence(scenario, split)
    held_out_shocks = {f"shock:{s.id}" for s in scenario.shocks if s.date >= split}
    shocks = [e for e in late if e.owner in held_out_shocks]
    actors = [e for e in late if e.owner not in held_out_shocks]
    if not actors:
        sentence = (
            f"Every number of the actors and earlier shocks rests on evidence dated before the "
            f"split ({split})"
        )
    else:
        undated = sum(e.date is None for e in actors)
        sentence = (
            f"{len(actors) - undated} evidence entries of the actors and earlier shocks are dated "
            f"on or after the split ({split}) and {undated} are undated: the held-out test may "
            "read hindsight"
        )
    if shocks:
        sentence += (
            f"; {len(shocks)} evidence entries of the shocks of the held-out period are dated on "
            "or after it or undated (such a shock is an input the backtest is conditioned on, as "
            "the schedule is)"
        )
    return sentence + "."


def _check_bounds(data: dict, parameter: Parameter, targets, located: Located, i: int):
    """Both ends of the range must give a valid scenario: the optimiser will try them."""
    problems = []
    for end in ("low", "high"):
        value = getattr(parameter, end)
        trial = copy.deepcopy(data)
        apply_parameter(trial, data, parameter, targets, value)
        try:
            Scenario.model_validate(trial)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(k) for k in first["loc"])
            path = ("parameters", i, end)
            problems.append(
                Problem(
                    located.where(path),
                    path,
                    f"expected a bound that keeps {where} valid; at {value:g} "
                    f"it is not ({first['msg']})",
                )
            )
    return problems


# --- parameter paths --------------------------------------------------------------------------


def resolve(data: object, path: str) -> list[tuple[Key, ...]]:
    """The concrete key paths a parameter path names (``*`` expanded)."""
    targets: list[tuple[Key, ...]] = [()]
    for segment in path.split("."):
        expanded = []
        for target in targets:
            node = get_at(data, target)
            expanded.extend((*target, key) for key in _step(node, segment, path))
        targets = expanded
    return targets


def _step(node: object, segment: str, path: str) -> list[Key]:
    if isinstance(node, dict):
        if segment == "*":
            return list(node)
        if segment in node:
            return [segment]
        raise KeyError(
            f"expected one of {', '.join(map(str, node))} in {path!r}; found {segment!r}"
        )
    if isinstance(node, list):
        ids = [item.get("id") if isinstance(item, dict) else None for item in node]
        if segment == "*":
            return list(range(len(node)))
        if segment in ids:
            return [ids.index(segment)]
        if segment.isdigit() and int(segment) < len(node):
            return [int(segment)]
        raise KeyError(f"expected an id or index in {path!r}; found {segment!r}")
    raise KeyError(f"expected a mapping or list before {segment!r} in {path!r}")


def get_at(data: object, target: Sequence[Key]) -> object:
    for key in target:
        data = data[key]  # type: ignore[index]
    return data


def _set(data: object, target: Sequence[Key], value: object) -> None:
    get_at(data, target[:-1])[target[-1]] = value  # type: ignore[index]


def apply_parameter(
    data: dict, base: dict, parameter: Parameter, targets: Sequence[tuple[Key, ...]], value: float
) -> None:
    """Set (or scale from ``base``) every target of a parameter; integers stay integers."""
    for target in targets:
        old = get_at(base, target)
        new = value if parameter.mode == "set" else old * value
        _set(data, target, round(new) if isinstance(old, int) else float(new))


def _dotted(target: Sequence[Key]) -> str:
    return ".".join(str(k) for k in target)


# --- the objective --------------------------------------------------------------------------


def ensemble_score(
    scenario: Scenario, history: History, seeds: Sequence[Seed], coding: str = LENIENT
) -> Score:
    """The record scored against each seed's run; the loss of each fact averaged over seeds."""
    return score_runs(
        [simulate(scenario, seed, narrate=False) for seed in seeds], scenario, history, coding
    )


INVALID_CANDIDATE_LOSS = 2.0


@dataclass
class Objective:
    """Parameters -> scenario -> the mean training loss over the spec's seeds. Picklable."""

    base: dict
    parameters: tuple[Parameter, ...]
    targets: tuple[tuple[tuple[Key, ...], ...], ...]
    history: History
    training: tuple[str, ...]
    seeds: tuple[np.random.SeedSequence, ...]
    coding: str = LENIENT

    def scenario_at(self, x: Sequence[float]) -> Scenario:
        data = copy.deepcopy(self.base)
        for value, parameter, targets in zip(x, self.parameters, self.targets, strict=True):
            apply_parameter(data, self.base, parameter, targets, value)
        scenario = Scenario.model_validate(data)
        problems = cross_checks(scenario, Located(data, {}))
        if problems:
            raise ScenarioError(problems)
        return scenario

    def __call__(self, x: Sequence[float]) -> float:
        try:
            scenario = self.scenario_at(x)
        except (ValidationError, ScenarioError):
            # A combination the scenario forbids (patron_pull + pressure_rate > 1, say): worse
            # than any valid candidate (a loss is at most 1), so the search moves away from it.
            return INVALID_CANDIDATE_LOSS
        score = ensemble_score(scenario, self.history, self.seeds, self.coding)
        return score.subset(self.training).loss


def build_objective(loaded: LoadedSpec) -> tuple[Objective, Scenario, History]:
    spec = loaded.spec
    scenario_file = load_scenario(loaded.scenario_path)
    scenario = scenario_file.scenario
    if scenario_file.history_path is None:
        raise ScenarioError([Problem(None, ("scenario",), "expected a scenario with a history")])
    history = load_history(scenario_file.history_path, scenario)
    base = scenario.model_dump(mode="python")
    objective = Objective(
        base=base,
        parameters=tuple(spec.parameters),
        targets=tuple(tuple(resolve(base, p.path)) for p in spec.parameters),
        history=history,
        training=tuple(spec.training),
        seeds=tuple(ensemble_seeds(spec.seed, spec.seeds)),
        coding=spec.coding,
    )
    return objective, scenario, history


# --- the fit ----------------------------------------------------------------------------------


@dataclass
class FitResult:
    x: list[float]
    loss: float
    evaluations: int
    status: str  # "finished", "interrupted" or "no generation completed"
    history: list[float] = field(default_factory=list)  # best loss after each generation


def fit(
    objective: Objective,
    spec: FitSpec,
    progress: Callable[[int, float], None] | None = None,
) -> FitResult:
    """Minimise the objective with differential evolution; Ctrl-C keeps the best so far."""
    from scipy.optimize import differential_evolution

    bounds = [(p.low, p.high) for p in spec.parameters]
    per_generation = spec.population * len(bounds)
    generations = max(1, spec.budget // per_generation - 1)
    best = FitResult(x=[], loss=float("inf"), evaluations=0, status="no generation completed")

    def on_generation(intermediate_result) -> None:  # SciPy passes the result by this name
        best.x = [float(v) for v in intermediate_result.x]
        best.loss = float(intermediate_result.fun)
        best.evaluations += per_generation if best.history else 2 * per_generation
        best.history.append(best.loss)
        if progress:
            progress(best.evaluations, best.loss)

    pool = None
    try:
        workers: object = 1
        if spec.workers > 1:
            import multiprocessing

            # Workers ignore Ctrl-C: the parent alone stops the fit and ends the pool.
            pool = multiprocessing.get_context("fork").Pool(
                spec.workers, initializer=_ignore_interrupts
            )
            workers = pool.map
        differential_evolution(
            objective,
            bounds,
            maxiter=generations,
            popsize=spec.population,
            rng=np.random.default_rng(spec.seed),
            polish=False,
            updating="deferred",
            workers=workers,
            callback=on_generation,
            init="latinhypercube",
        )
        best.status = "finished"
    except KeyboardInterrupt:
        if best.history:
            best.status = "interrupted"
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    if best.x:  # readable values; the report scores exactly what is written
        best.x = [float(f"{v:.4g}") for v in best.x]
        best.loss = objective(best.x)
    return best


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contender:
    name: str
    training: Score
    held_out: Score
    coding: str = LENIENT  # the coding of the record both scores are under


def backtest(
    spec: FitSpec, scenario: Scenario, fitted: Scenario | None, history: History
) -> list[Contender]:
    """The fitted model, the model as written, and two naive baselines, on both sets of rounds,
    under every coding of the record (the models' runs are scored under each, not rerun)."""
    seeds = ensemble_seeds(spec.seed, spec.report_seeds, purpose=1)  # not the fitting ones
    models: dict[str, dict[str, Score]] = {}
    for name, candidate in (("fitted model", fitted), ("uncalibrated model", scenario)):
        if candidate is not None:
            logs = [simulate(candidate, seed, narrate=False) for seed in seeds]
            models[name] = score_codings(logs, candidate, history)
    contenders = []
    for coding in CODINGS:
        scores = [(name, by_coding[coding]) for name, by_coding in models.items()]
        for name, whole in [*scores, *baseline_scores(scenario, history, coding)]:
            contenders.append(
                Contender(name, whole.subset(spec.training), whole.subset(spec.held_out), coding)
            )
    return contenders


def verdict(contenders: list[Contender]) -> list[str]:
    """Plain sentences, per coding, on whether the model beats the baselines held out."""
    lines = []
    for coding in dict.fromkeys(c.coding for c in contenders):
        group = [c for c in contenders if c.coding == coding]
        model = next((c for c in group if c.name == "fitted model"), group[0])
        for other in group:
            if not other.name.startswith("baseline"):
                continue
            a, b = model.held_out.loss, other.held_out.loss
            where = f"Coding {coding}: on held-out rounds"
            if np.isnan(a) or np.isnan(b):
                lines.append(
                    f"Coding {coding}: no held-out rounds to compare the {model.name} with "
                    f"'{other.name}'."
                )
            elif a < b:
                lines.append(
                    f"{where} the {model.name} beats '{other.name}' (loss {a:.3f} against {b:.3f})."
                )
            else:
                lines.append(
                    f"{where} the {model.name} does NOT beat '{other.name}' "
                    f"(loss {a:.3f} against {b:.3f})."
                )
    return lines


def report_table(contenders: list[Contender]) -> str:
    """One table per coding of the record: training and held-out loss, Brier and delay error."""
    header = (
        f"{'':36} {'training':>30}   {'held out':>30}\n"
        f"{'':36} {'loss':>8} {'brier':>8} {'delay d':>10}   "
        f"{'loss':>8} {'brier':>8} {'delay d':>10}"
    )
    blocks = []
    for coding in dict.fromkeys(c.coding for c in contenders):
        rows = [f"coding: {coding} ({CODINGS.get(coding, '')})", header]
        for c in contenders:
            if c.coding != coding:
                continue
            cells = []
            for s in (c.training, c.held_out):
                cells.append(f"{s.loss:8.3f} {s.brier:8.3f} {s.delay_mae_days:10.1f}")
            rows.append(f"{c.name:36} {cells[0]}   {cells[1]}")
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks)


def fitted_fragment(
    objective: Objective, result: FitResult, spec_file: str, fragment_name: str
) -> dict:
    """The fitted values as a scenario fragment that a scenario can ``extends``.

    A fitted actor number keeps the evidence it was calibrated from, and its rule says how the
    fit moved it; a fitted shock size adds an entry to the shock's evidence.
    """
    fitted = objective.scenario_at(result.x).model_dump(mode="python")
    fragment: dict = {}
    for parameter, targets, value in zip(
        objective.parameters, objective.targets, result.x, strict=True
    ):
        how = (
            f"then fitted by differential evolution on the training rounds ({spec_file}: "
            f"{parameter.path}, {parameter.mode} within [{parameter.low:g}, {parameter.high:g}]"
            f"{': ' + parameter.why if parameter.why else ''}): {parameter.mode} = {value:.4g}"
        )
        for target in targets:
            _copy_into(fragment, fitted, target)
            if target[0] == "actors" and len(target) >= 3:
                key = ".".join(str(k) for k in target[2:])
                base = objective.base["actors"][target[1]].get("sources", {}).get(key)
                actor = fragment["actors"][_entry_index(fragment["actors"], fitted, target)]
                actor.setdefault("sources", {})[key] = {
                    "source": f"{base['source'] if base else 'none'}; fitted in {fragment_name}",
                    "quote": base["quote"] if base else "(no documented value)",
                    "rule": f"{base['rule'] + '; ' if base else ''}{how}",
                    "confidence": "low",
                }
            elif target[0] == "shocks":
                shock = fragment["shocks"][_entry_index(fragment["shocks"], fitted, target)]
                if "sources" not in shock:
                    shock["sources"] = copy.deepcopy(fitted["shocks"][target[1]]["sources"])
                shock["sources"].append(
                    {
                        "source": f"fitted in {fragment_name}",
                        "quote": f"{_dotted(target)} within [{parameter.low:g}, "
                        f"{parameter.high:g}]",
                        "rule": how,
                        "confidence": "low",
                    }
                )
    return fragment


def _entry_index(entries: list, fitted: dict, target: tuple) -> int:
    ident = fitted[target[0]][target[1]]["id"]
    return next(i for i, e in enumerate(entries) if e["id"] == ident)


def _copy_into(fragment: dict, full: dict, target: tuple[Key, ...]) -> None:
    """Copy the value at ``target`` from ``full`` into ``fragment``, addressing id lists by id."""
    out: object = fragment
    node: object = full
    for depth, key in enumerate(target):
        last = depth == len(target) - 1
        child = node[key]  # type: ignore[index]
        if isinstance(node, list):
            if isinstance(child, dict) and "id" in child:
                entries = out  # type: ignore[assignment]
                found = next((e for e in entries if e["id"] == child["id"]), None)
                if found is None:
                    found = {"id": child["id"]}
                    entries.append(found)
                out, node = found, child
                continue
            raise AssertionError("unreachable: plain lists are copied whole")
        if last:
            out[key] = copy.deepcopy(child)  # type: ignore[index]
            return
        if isinstance(child, list) and not all(isinstance(e, dict) and "id" in e for e in child):
            out[key] = copy.deepcopy(child)  # type: ignore[index]  # a plain list goes whole
            return
        out = out.setdefault(key, [] if isinstance(child, list) else {})  # type: ignore[union-attr]
        node = child


def provenance(
    loaded: LoadedSpec,
    history_bytes: bytes,
    result: FitResult,
    contenders: list[Contender],
) -> dict:
    return {
        "package": "astana-sim",
        "version": __version__,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "spec": loaded.spec.model_dump(mode="json"),
        "spec_sha256": hashlib.sha256(loaded.path.read_bytes()).hexdigest(),
        "scenario_sha256": scenario_hash(load_scenario(loaded.scenario_path).scenario),
        "history_sha256": hashlib.sha256(history_bytes).hexdigest(),
        "status": result.status,
        "evaluations": result.evaluations,
        "training_loss": result.loss,
        "parameters": {p.path: v for p, v in zip(loaded.spec.parameters, result.x, strict=True)},
        "backtest": {
            coding: {
                c.name: {
                    "training_loss": _finite(c.training.loss),
                    "held_out_loss": _finite(c.held_out.loss),
                }
                for c in contenders
                if c.coding == coding
            }
            for coding in dict.fromkeys(c.coding for c in contenders)
        },
        "vintage": vintage_note(loaded.spec, load_scenario(loaded.scenario_path).scenario),
    }


def _finite(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 6)


def to_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
