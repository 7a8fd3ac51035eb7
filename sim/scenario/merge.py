"""Resolve ``extends``: a counterfactual states only what differs from its base.

Rules (documented in docs/scenario-format.md):

* mappings merge key by key, recursively;
* a list whose entries are mappings with an ``id`` merges entry by entry, matched by id; an entry
  with ``remove: true`` deletes the base entry of that id; a new entry is added (rounds and shocks
  take their place by date, so a counterfactual can insert a meeting without restating the
  schedule);
* any other value, lists included, replaces the base value.

Places travel with the values, so an error in the merged scenario still names the file and line
where the offending value was written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path as FsPath

from .errors import Path, Problem, ScenarioError, Where
from .located import Located, file_problem, load_located

REMOVE = "remove"
DATED_KEYS = ("planned_date", "date")


def load_with_extends(
    file: FsPath,
    display: str,
    stack: tuple[FsPath, ...] = (),
    named_at: Where | None = None,
) -> Located:
    """Load ``file`` and everything it extends, merged, with ``extends`` itself removed.

    ``named_at`` is the ``extends`` entry that named this file, where a cycle is reported.
    """
    real = _resolve(file, display, named_at)
    if real in stack:
        chain = " -> ".join(p.name for p in (*stack, real))
        where = named_at or Where(display, 1)
        raise ScenarioError([Problem(where, ("extends",), f"extends cycle: {chain}")])
    own = load_located(file, display)
    if not isinstance(own.data, dict):
        raise ScenarioError(
            [Problem(own.where(()), (), "expected a mapping of scenario fields at the top level")]
        )
    bases = _extends_list(own)
    if not bases:
        return own
    merged: Located | None = None
    for index, (relative, where) in enumerate(bases):
        base_file = file.parent / relative
        what = file_problem(base_file) if relative else "an empty path"
        if what is not None:
            path = ("extends",) if isinstance(own.data["extends"], str) else ("extends", index)
            raise ScenarioError(
                [
                    Problem(
                        where,
                        path,
                        f"expected an existing scenario file; found {what}: {relative!r}",
                    )
                ]
            )
        base = load_with_extends(
            base_file, _display(base_file, file, relative), (*stack, real), where
        )
        merged = base if merged is None else merge(merged, base)
    own_data = {key: value for key, value in own.data.items() if key != "extends"}
    own_places = {p: w for p, w in own.places.items() if not (p and p[0] == "extends")}
    return merge(merged, Located(own_data, own_places))


def _resolve(file: FsPath, display: str, named_at: Where | None) -> FsPath:
    """The real path of ``file``; a loop of symbolic links is a problem, not a traceback."""
    try:
        return file.resolve(strict=True)
    except FileNotFoundError:
        raise ScenarioError([Problem(named_at, (), f"file not found: {display}")]) from None
    except (OSError, RuntimeError):  # RuntimeError: Python < 3.13 on a symlink loop
        what = file_problem(file) or "a file that cannot be resolved"
        where = named_at or Where(display or "''", 1)
        raise ScenarioError(
            [Problem(where, (), f"expected a regular YAML file; found {what}")]
        ) from None


def _display(base_file: FsPath, child: FsPath, relative: str) -> str:
    try:
        return str(base_file.resolve().relative_to(FsPath.cwd()))
    except (ValueError, OSError, RuntimeError):
        return str(child.parent / relative)


def _extends_list(own: Located) -> list[tuple[str, Where | None]]:
    value = own.data.get("extends")
    if value is None:
        return []
    if isinstance(value, str):
        return [(value, own.where(("extends",)))]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [(v, own.where(("extends", i))) for i, v in enumerate(value)]
    raise ScenarioError(
        [
            Problem(
                own.where(("extends",)),
                ("extends",),
                "expected a file path or a list of file paths",
            )
        ]
    )


def merge(base: Located, over: Located) -> Located:
    """Deep-merge ``over`` onto ``base`` (see the module docstring for the rules)."""
    data, places = _merge(base.data, _rel(base.places, ()), over.data, _rel(over.places, ()), ())
    return Located(data, places)


def _rel(places: dict[Path, Where], prefix: Path) -> dict[Path, Where]:
    """The places under ``prefix``, with ``prefix`` cut off their paths."""
    n = len(prefix)
    return {p[n:]: w for p, w in places.items() if p[:n] == prefix}


def _prefixed(places: dict[Path, Where], prefix: Path) -> dict[Path, Where]:
    return {(*prefix, *p): w for p, w in places.items()}


def _merge(base, base_places, over, over_places, path: Path):
    if isinstance(base, dict) and isinstance(over, dict):
        data = dict(base)
        places = {p: w for p, w in base_places.items() if not p or p[0] not in over}
        places[()] = base_places.get((), over_places.get(()))
        for key, value in over.items():
            if key in base:
                sub_data, sub_places = _merge(
                    base[key],
                    _rel(base_places, (key,)),
                    value,
                    _rel(over_places, (key,)),
                    (*path, key),
                )
            else:
                sub_data, sub_places = value, _rel(over_places, (key,))
            data[key] = sub_data
            places.update(_prefixed(sub_places, (key,)))
        return data, places
    if isinstance(over, list):
        _check_removals(over, over_places, path)
    if _is_id_list(base) and _is_id_list(over) and over:  # an empty list clears the base's
        return _merge_by_id(base, base_places, over, over_places, path)
    return over, over_places


def _check_removals(over: list, over_places, path: Path) -> None:
    """``remove`` must be ``true`` and come with the id of the entry to remove."""
    for index, item in enumerate(over):
        if not isinstance(item, dict) or REMOVE not in item:
            continue
        where = over_places.get((index, REMOVE), over_places.get((index,)))
        if item[REMOVE] is not True:
            raise ScenarioError(
                [
                    Problem(
                        where,
                        (*path, index, REMOVE),
                        "expected remove: true "
                        f"(to remove the base's entry); found {item[REMOVE]!r}",
                    )
                ]
            )
        if not isinstance(item.get("id"), str):
            raise ScenarioError(
                [
                    Problem(
                        where,
                        (*path, index),
                        "expected the id of the entry to remove beside remove: true; found none",
                    )
                ]
            )


def _is_id_list(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict) and isinstance(item.get("id"), str) for item in value
    )


def _merge_by_id(base, base_places, over, over_places, path: Path):
    entries = [
        (item, _rel(base_places, (index,))) for index, item in enumerate(base)
    ]  # (data, relative places)
    position = {item["id"]: index for index, item in enumerate(base)}
    removed: set[str] = set()
    given: set[str] = set()
    for index, item in enumerate(over):
        item_places = _rel(over_places, (index,))
        ident = item["id"]
        if ident in given:
            raise ScenarioError(
                [
                    Problem(
                        item_places.get(("id",), item_places.get(())),
                        (*path, index, "id"),
                        f"expected unique ids; found {ident!r} again",
                    )
                ]
            )
        given.add(ident)
        if item.get(REMOVE) is True:
            if ident not in position or ident in removed:
                raise ScenarioError(
                    [
                        Problem(
                            item_places.get(()),
                            (*path, index, REMOVE),
                            f"expected the id of an entry in the base to remove; found {ident!r}",
                        )
                    ]
                )
            removed.add(ident)
            continue
        if ident in position:
            slot = position[ident]
            old, old_places = entries[slot]
            entries[slot] = _merge(old, old_places, item, item_places, (*path, slot))
        else:
            at = _insertion_point([e for e, _ in entries], item)
            entries.insert(at, (item, item_places))
            position = {e["id"]: i for i, (e, _) in enumerate(entries)}
    kept = [(e, p) for e, p in entries if e["id"] not in removed]
    data = [e for e, _ in kept]
    places = {(): base_places.get((), over_places.get(()))}
    for index, (_, item_places) in enumerate(kept):
        places.update(_prefixed(item_places, (index,)))
    return data, places


def _insertion_point(entries: list[dict], item: dict) -> int:
    """New dated entries go before the first entry dated later; others go last."""
    key = next((k for k in DATED_KEYS if _as_date(item.get(k)) is not None), None)
    if key is None:
        return len(entries)
    date = _as_date(item[key])
    for index, entry in enumerate(entries):
        other = _as_date(entry.get(key))
        if other is not None and other > date:
            return index
    return len(entries)


def _as_date(value: object) -> dt.date | None:
    """A date written plainly, or quoted ("2017-02-02"), as validation accepts both."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None
