"""scenario YAML -> validated, frozen ``Scenario``; every failure is a ``ScenarioError``."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path as FsPath

import yaml
from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError

from ..rule_params import MOVED_KEYS
from .checks import cross_checks
from .errors import Path, Problem, ScenarioError, describe
from .located import Located, file_problem, read_input_text
from .merge import load_with_extends
from .schema import Scenario


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario together with where it came from (which the run itself never looks at)."""

    scenario: Scenario
    path: FsPath
    history_path: FsPath | None
    warnings: tuple[str, ...] = ()

    def with_seed(self, seed: int | None) -> LoadedScenario:
        if seed is None:
            return self
        if not 0 <= seed < 2**63:
            raise ScenarioError(
                [Problem(None, ("seed",), f"expected 0 <= seed < 2**63; found {seed}")]
            )
        return LoadedScenario(
            self.scenario.model_copy(update={"seed": seed}),
            self.path,
            self.history_path,
            self.warnings,
        )


def load_scenario(path: str | FsPath) -> LoadedScenario:
    """Read, merge (``extends``), validate and cross-check a scenario file."""
    file = FsPath(path)
    located = load_with_extends(file, str(path))
    scenario = validate(located)
    history = _history_path(located, scenario)
    what = file_problem(history) if history is not None and scenario.history else None
    if history is not None and not scenario.history:
        what = "an empty path"
    if what is not None:
        raise ScenarioError(
            [
                Problem(
                    located.where(("history",)),
                    ("history",),
                    f"expected an existing history file; found {what}: {scenario.history!r}",
                )
            ]
        )
    return LoadedScenario(scenario, file, history, _record_changed(scenario, history))


def _record_changed(scenario: Scenario, history: FsPath | None) -> tuple[str, ...]:
    """A warning when a resolved scenario's record is not the one it ran against."""
    if history is None or scenario.history_sha256 is None:
        return ()
    digest = hashlib.sha256(read_input_text(history, str(history)).encode("utf-8")).hexdigest()
    if digest == scenario.history_sha256:
        return ()
    return (
        f"warning: {history} changed since this scenario ran (history_sha256 differs): the "
        "comparison with the record will differ",
    )


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


def resolved_yaml(
    scenario: Scenario,
    history_path: FsPath | None = None,
    run_dir: FsPath | None = None,
) -> str:
    """The scenario exactly as it ran, defaults filled in: re-loading it gives the same run.

    With ``history_path`` and the ``run_dir`` the copy will sit in, ``history`` becomes the
    record's path relative to that directory, and ``history_sha256`` its hash, so that rerunning
    the copy compares with the same record (and warns if it changed). Without them the
    ``history`` field is left out.
    """
    data = scenario.model_dump(mode="python", exclude={"history", "history_sha256"})
    if history_path is not None and run_dir is not None:
        relative = os.path.relpath(FsPath(history_path).resolve(), FsPath(run_dir).resolve())
        digest = hashlib.sha256(
            read_input_text(FsPath(history_path), str(history_path)).encode("utf-8")
        ).hexdigest()
        data = _reorder({**data, "history": relative, "history_sha256": digest})
    return dump_yaml(data)


# Strings libyaml's emitter writes exactly as PyYAML's pure-Python one: printable characters that
# never force the double-quoted style, at least one of them (an empty key is written "? ''" by
# one emitter, "''" by the other). A string with a line break, tab, control character, BOM or
# Unicode line separator is double-quoted, and the two emitters fold long double-quoted lines at
# different places (both valid YAML, not the same bytes).
_PLAIN_TEXT = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]+")


def dump_yaml(data: object) -> str:
    """``data`` as YAML, byte for byte what ``yaml.safe_dump`` writes, in a fraction of the time.

    The pure-Python emitter took a sixth of a second of every ``astana-sim run`` for the resolved
    scenario; libyaml's takes a hundredth. It is used only where its bytes are known to be the
    same (a mapping or list at the top, which the pure emitter ends without ``...``, and the
    strings ``_same_in_libyaml`` allows), so a run directory does not depend on whether PyYAML
    was built with libyaml.
    """
    options = {"sort_keys": False, "allow_unicode": True, "width": 100}
    dumper = getattr(yaml, "CSafeDumper", None)
    if dumper is None or not isinstance(data, dict | list) or not _same_in_libyaml(data):
        return yaml.safe_dump(data, **options)
    return yaml.dump(data, Dumper=dumper, **options)


def _same_in_libyaml(data: object, key: bool = False) -> bool:
    """Whether both emitters write every string in ``data`` alike: plain text, and keys short
    (the emitters fold and mark long keys differently; libyaml counts the 128-long limit of a
    simple key in bytes, PyYAML in characters)."""
    if isinstance(data, str):
        return _PLAIN_TEXT.fullmatch(data) is not None and (len(data) <= 30 or not key)
    if isinstance(data, dict):
        return all(_same_in_libyaml(k, True) and _same_in_libyaml(v) for k, v in data.items())
    if isinstance(data, list | tuple):
        return all(_same_in_libyaml(item) for item in data)
    return True


def _reorder(data: dict) -> dict:
    """Fields in the schema's order, as a person would read them."""
    return {key: data[key] for key in Scenario.model_fields if key in data}


def scenario_hash(scenario: Scenario) -> str:
    """A fingerprint of what runs: equal contents hash equal, whatever the file's layout.

    Lists keep their order (reordering actors changes the hash, not the run); the ``history``
    path and hash, which do not change the run, are left out.
    """
    data = scenario.model_dump(mode="json", exclude={"history", "history_sha256"})
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
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
    "finite_number": "a finite number",
    "bool_parsing": "true or false",
}


def _problem(located: Located, error: dict, root: type[BaseModel]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    found = error.get("input")
    path: Path = tuple(part for part in loc if part != "[key]")
    path = _strip_union_tags(path, located.data)
    where = located.where(path)
    if kind == "extra_forbidden" and _moved(path):
        key = str(path[-1])
        message = (
            f"model.{key} moved to model.{MOVED_KEYS[key]}.{key}: each rule's parameters "
            f"sit in its own block (docs/scenario-format.md); found {key}: {describe(found)}"
        )
    elif kind == "extra_forbidden":
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
    elif kind in ("string_too_short", "string_too_long"):
        ctx = error.get("ctx", {})
        if kind == "string_too_short":
            message = (
                f"expected at least {ctx.get('min_length')} characters; found {describe(found)}"
            )
        else:
            message = f"expected at most {ctx.get('max_length')} characters; found {len(found)}"
    elif kind in ("too_short", "too_long"):
        ctx = error.get("ctx", {})
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        word = "at least" if kind == "too_short" else "at most"
        size = len(found) if hasattr(found, "__len__") else found
        what = "characters" if isinstance(found, str) else "entries"
        message = f"expected {word} {bound} {what}; found {size}"
    elif kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
    elif kind in ("float_type", "float_parsing") and _looks_like_number(found):
        message = (
            f"expected a number; found the text {found!r} (YAML 1.1 reads an exponent only "
            f"with a dot and a sign: write {_yaml_number(found)})"
        )
    elif kind in _KINDS:
        if "[key]" in loc:
            message = f"expected the key to be {_KINDS[kind]}; found {describe(path[-1])}"
        else:
            message = f"expected {_KINDS[kind]}; found {describe(found)}"
    else:
        message = f"{error['msg']}; found {describe(found)}"
    return Problem(where, path, message)


def _moved(path: Path) -> bool:
    """``model.<key>`` where ``key`` is a rule parameter that once sat flat in ``model:``."""
    return len(path) == 2 and path[0] == "model" and path[1] in MOVED_KEYS


_EXPONENT = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)[eE][-+]?\d+$")


def _looks_like_number(found: object) -> bool:
    """Text in exponent form that YAML 1.2 would read as a number and PyYAML (YAML 1.1) not."""
    return isinstance(found, str) and bool(_EXPONENT.match(found.strip()))


def _yaml_number(text: str) -> str:
    """How to write ``1e-3`` so that YAML reads a number: ``1.0e-3`` or ``0.001``."""
    value = float(text)
    mantissa, _, exponent = text.lower().partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    if exponent and exponent[0] not in "+-":
        exponent = "+" + exponent
    exact = f"{mantissa}e{exponent}" if exponent else mantissa
    plain = repr(value)
    return exact if "e" in plain or plain == exact else f"{exact} or {plain}"


def _strip_union_tags(path: Path, data: object) -> Path:
    """Drop the names pydantic gives union members (``list[...]``, ``literal[...]``, ``str``).

    A path element is such a tag when it is not a key (or index) of the data at that point: an
    issue that happens to be called ``int`` stays in the path.
    """
    kept: list[str | int] = []
    node: object = data
    for part in path:
        if _has(node, part):
            node = node[part]  # type: ignore[index]
        elif isinstance(part, str) and _looks_like_tag(part):
            continue
        else:
            node = None  # a missing field: keep its name and stop following the data
        kept.append(part)
    return tuple(kept)


def _has(node: object, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _looks_like_tag(part: str) -> bool:
    return "[" in part or part in ("str", "int", "float", "bool", "none", "constrained-str")


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """One problem per field: a union's alternatives merge into one 'expected A or B'."""
    by_path: dict[Path, list[Problem]] = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem)
    # A problem inside a list (schedule[1].signatories[1]) explains the field better than the
    # union alternative that failed on the field as a whole.
    deeper = {p[:k] for p in by_path for k in range(1, len(p))}
    merged = []
    for path, group in by_path.items():
        if path in deeper and len(path) > 0:
            continue
        if len(group) == 1:
            merged.append(group[0])
            continue
        expected, found = [], None
        for problem in group:
            head, _, tail = problem.message.partition("; found ")
            expected.append(head.removeprefix("expected "))
            found = found or tail
        unique = list(dict.fromkeys(expected))
        message = f"expected {' or '.join(unique)}" + (f"; found {found}" if found else "")
        merged.append(Problem(group[0].where, path, message))
    return merged


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
            high = (
                meta.le
                if isinstance(meta, Le)
                else meta.lt - 1
                if isinstance(meta.lt, int)
                else meta.lt
            )
    if low is not None and high is not None:
        return f"a number from {_bound(low)} to {_bound(high)}"
    if low is not None:
        return f"a number of at least {_bound(low)}"
    if high is not None:
        return f"a number of at most {_bound(high)}"
    return "a number in range"


def _bound(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


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
