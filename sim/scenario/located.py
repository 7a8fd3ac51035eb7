"""Read YAML safely and remember the line of every value.

``yaml.safe_load`` forgets where things came from, and an error that cannot say "line 42" makes a
user hunt. We let PyYAML's safe loader compose the node tree, build plain Python values from it
with the safe constructor, and keep a map from each value's path to its place in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath

import yaml

from .errors import Path, Problem, ScenarioError, Where


@dataclass
class Located:
    """Plain YAML data plus, for every path inside it, where that value was written."""

    data: object
    places: dict[Path, Where] = field(default_factory=dict)

    def where(self, path: Path) -> Where | None:
        """The place of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.places:
                return self.places[path]
            if not path:
                return None
            path = path[:-1]


def load_located(file: FsPath, display: str) -> Located:
    """Parse one YAML file into data and places; syntax errors become ``ScenarioError``."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(None, (), f"file not found: {display}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(None, (), f"cannot read {display}: {exc}")]) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located({}, {(): Where(display, 1)})
        places: dict[Path, Where] = {}
        data = _build(loader, node, (), display, places)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Where(display, mark.line + 1) if mark else None
        message = f"invalid YAML: {exc.problem or exc.context}"
        raise ScenarioError([Problem(where, (), message)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(Where(display, 1), (), f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return Located(data, places)


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: Path, file: str, places) -> object:
    places[path] = Where(file, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_where = Where(file, key_node.start_mark.line + 1)
            if not isinstance(key, str):
                raise ScenarioError(
                    [Problem(key_where, path, f"expected text keys; found the key {key!r}")]
                )
            if key in result:
                raise ScenarioError(
                    [Problem(key_where, (*path, key), "duplicate key: it is given twice here")]
                )
            result[key] = _build(loader, value_node, (*path, key), file, places)
            # A key's line is where the key is written, which is where a reader looks.
            places[(*path, key)] = key_where
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, index), file, places)
            for index, item in enumerate(node.value)
        ]
    try:
        return loader.construct_object(node, deep=True)
    except ValueError:
        # PyYAML recognises 2017-02-30 as a date by its shape, then fails to build it.
        where = Where(file, node.start_mark.line + 1)
        raise ScenarioError(
            [Problem(where, path, f"expected a valid value; found {node.value!r} ({node.tag})")]
        ) from None
