"""scenario YAML -> validated, frozen ``Scenario``; every failure is a ``ScenarioError``."""

from __future__ import annotations

import difflib
import hashlib
import json
import types
import typing
from dataclasses import dataclass
from pathlib import Path as FsPath

import yaml
from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError

from .checks import cross_checks
from .errors import Path, Problem, ScenarioError, describe
from .located import Located
from .merge import load_with_extends
from .schema import Scenario


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario together with where it came from (which the run itself never looks at)."""

    scenario: Scenario
    path: FsPath
    history_path: FsPath | None

    def with_seed(self, seed: int | None) -> LoadedScenario:
        if seed is None:
            return self
        if not 0 <= seed < 2**63:
            raise ScenarioError(
                [Problem(None, ("seed",), f"expected 0 <= seed < 2**63; found {seed}")]
            )
        return LoadedScenario(
            self.scenario.model_copy(update={"seed": seed}), self.path, self.history_path
        )


def load_scenario(path: str | FsPath) -> LoadedScenario:
    """Read, merge (``extends``), validate and cross-check a scenario file."""
    file = FsPath(path)
    located = load_with_extends(file, str(path))
    scenario = validate(located)
    return LoadedScenario(scenario, file, _history_path(located, scenario))


def validate(located: Located) -> Scenario:
    """Turn merged YAML data into a ``Scenario``, or raise with every problem found."""
    try:
        scenario = Scenario.model_validate(located.data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(located, exc, Scenario)) from None
    problems = cross_checks(scenario, located)
    if problems:
        raise ScenarioError(problems)
    return scenario


def _history_path(located: Located, scenario: Scenario) -> FsPath | None:
    if scenario.history is None:
        return None
    where = located.where(("history",))
    base = FsPath(where.file).parent if where else FsPath(".")
    return base / scenario.history


def resolved_yaml(scenario: Scenario) -> str:
    """The scenario exactly as it ran, defaults filled in: re-loading it gives the same run."""
    data = scenario.model_dump(mode="python")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def scenario_hash(scenario: Scenario) -> str:
    """A fingerprint of what ran: the same scenario, however it was written, hashes the same."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- pydantic errors -> problems a person can act on ---------------------------------------


def validation_problems(
    located: Located, exc: ValidationError, root: type[BaseModel]
) -> list[Problem]:
    """Translate pydantic's errors on ``located.data`` (validated as ``root``) into problems."""
    return _dedupe([_problem(located, error, root) for error in exc.errors()])


_KINDS = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD) without a time",
    "none_required": "nothing (null)",
}


def _problem(located: Located, error: dict, root: type[BaseModel]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    found = error.get("input")
    path: Path = tuple(part for part in loc if part != "[key]")
    path = _strip_union_tags(path)
    where = located.where(path)
    if kind == "extra_forbidden":
        key = path[-1]
        valid = _valid_keys(root, path[:-1])
        near = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.5)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        message = f"unknown key {key!r}{hint} (expected one of: {', '.join(valid)})"
    elif kind == "missing":
        message = "expected this required field; found nothing"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        message = f"expected {_range_text(root, path)}; found {describe(found)}"
    elif kind == "literal_error":
        message = f"expected one of {error['ctx']['expected']}; found {describe(found)}"
    elif kind == "string_pattern_mismatch":
        message = (
            "expected an id of lower-case letters, digits and '_', starting with a letter; "
            f"found {describe(found)}"
        )
    elif kind in ("too_short", "too_long"):
        ctx = error.get("ctx", {})
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        word = "at least" if kind == "too_short" else "at most"
        size = len(found) if hasattr(found, "__len__") else found
        what = "characters" if isinstance(found, str) else "entries"
        message = f"expected {word} {bound} {what}; found {size}"
    elif kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
    elif kind in _KINDS:
        if "[key]" in loc:
            message = f"expected the key to be {_KINDS[kind]}; found {describe(path[-1])}"
        else:
            message = f"expected {_KINDS[kind]}; found {describe(found)}"
    else:
        message = f"{error['msg']}; found {describe(found)}"
    return Problem(where, path, message)


def _strip_union_tags(path: Path) -> Path:
    """Pydantic adds union member names (``list[...]``, ``literal[...]``) to locations."""
    return tuple(p for p in path if not (isinstance(p, str) and ("[" in p or p in ("str", "int"))))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: dict[Path, Problem] = {}
    for problem in problems:
        seen.setdefault(problem.path, problem)
    return list(seen.values())


def _annotation_at(root: type[BaseModel], path: Path) -> object:
    """Follow ``path`` through the schema's type annotations."""
    annotation: object = root
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return None
            annotation = (
                field.annotation
                if not field.metadata
                else typing.Annotated[field.annotation, *field.metadata]
            )
        else:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[-1] if args else None
    return annotation


def _unwrap(annotation: object) -> object:
    """Strip Annotated, Optional and single-model unions down to the core type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else (args[0] if len(args) == 1 else annotation)
            if not models and len(args) != 1:
                return annotation
        else:
            return annotation


def _valid_keys(root: type[BaseModel], path: Path) -> list[str]:
    annotation = _unwrap(_annotation_at(root, path))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _range_text(root: type[BaseModel], path: Path) -> str:
    annotation = _annotation_at(root, path)
    low = high = None
    for meta in _metadata(annotation):
        if isinstance(meta, (Ge, Gt)):
            low = meta.ge if isinstance(meta, Ge) else meta.gt
        if isinstance(meta, (Le, Lt)):
            high = meta.le if isinstance(meta, Le) else meta.lt
    if low is not None and high is not None:
        return f"a number from {low:g} to {high:g}"
    if low is not None:
        return f"a number of at least {low:g}"
    if high is not None:
        return f"a number of at most {high:g}"
    return "a number in range"


def _metadata(annotation: object) -> list[object]:
    found: list[object] = []
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    while typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        for meta in args[1:]:
            found.extend(getattr(meta, "metadata", [meta]))
        annotation = args[0]
    return found
