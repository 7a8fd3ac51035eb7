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


MAX_VALUES = 200_000  # aliases can make a small file expand enormously ("billion laughs")
MAX_DEPTH = 64


def load_located(file: FsPath, display: str) -> Located:
    """Parse one YAML file into data and places; every failure becomes a ``ScenarioError``."""
    top = Where(display, 1)
    if file.is_dir():
        raise ScenarioError([Problem(top, (), "expected a YAML file; found a directory")])
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(None, (), f"file not found: {display}")]) from None
    except UnicodeDecodeError as exc:
        line = file.read_bytes()[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            [Problem(Where(display, line), (), "expected UTF-8 text; found bytes that are not")]
        ) from None
    except OSError as exc:
        raise ScenarioError([Problem(top, (), f"cannot read the file: {exc.strerror}")]) from None
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(top, (), f"invalid YAML: {exc}")]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return Located({}, {(): top})
        places: dict[Path, Where] = {}
        data = _Builder(loader, display, places).build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Where(display, mark.line + 1) if mark else top
        message = f"invalid YAML: {exc.problem or exc.context}"
        raise ScenarioError([Problem(where, (), message)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(top, (), f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise ScenarioError(
            [Problem(top, (), f"expected at most {MAX_DEPTH} levels of nesting; found more")]
        ) from None
    finally:
        loader.dispose()
    return Located(data, places)


class _Builder:
    """Plain values from the node tree, with places; guards against alias cycles and bombs."""

    def __init__(self, loader: yaml.SafeLoader, file: str, places: dict[Path, Where]):
        self.loader = loader
        self.file = file
        self.places = places
        self.count = 0
        self.open: set[int] = set()  # nodes being built: one met again is a recursive alias

    def where(self, node: yaml.Node) -> Where:
        return Where(self.file, node.start_mark.line + 1)

    def build(self, node: yaml.Node, path: Path) -> object:
        self.count += 1
        if self.count > MAX_VALUES:
            raise ScenarioError(
                [
                    Problem(
                        self.where(node),
                        path,
                        f"expected at most {MAX_VALUES} "
                        "values (aliases can multiply them); found more",
                    )
                ]
            )
        if len(path) > MAX_DEPTH:
            raise ScenarioError(
                [
                    Problem(
                        self.where(node),
                        path,
                        f"expected at most {MAX_DEPTH} levels of nesting; found more",
                    )
                ]
            )
        if id(node) in self.open:
            raise ScenarioError(
                [
                    Problem(
                        self.where(node), path, "expected no alias that contains itself; found one"
                    )
                ]
            )
        self.places[path] = self.where(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            return self.mapping(node, path)
        finally:
            self.open.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, object]:
        # A merge key (<<) supplies defaults that the mapping's own keys may override; only the
        # mapping's own keys must be unique.
        own = [(k, v) for k, v in node.value if k.tag != "tag:yaml.org,2002:merge"]
        self.loader.flatten_mapping(node)
        merged = node.value[: len(node.value) - len(own)]
        result: dict[str, object] = {}
        for key_node, value_node in merged:
            key = self.key(key_node, path)
            if key not in result:  # the first of several merged mappings wins, as in YAML
                result[key] = self.build(value_node, (*path, key))
                self.places[(*path, key)] = self.where(key_node)
        seen: set[str] = set()
        for key_node, value_node in own:
            key = self.key(key_node, path)
            if key in seen:
                raise ScenarioError(
                    [
                        Problem(
                            self.where(key_node),
                            (*path, key),
                            "duplicate key: it is given twice here",
                        )
                    ]
                )
            seen.add(key)
            result[key] = self.build(value_node, (*path, key))
            # A key's line is where the key is written, which is where a reader looks.
            self.places[(*path, key)] = self.where(key_node)
        return result

    def key(self, key_node: yaml.Node, path: Path) -> str:
        key = (
            self.loader.construct_object(key_node, deep=True)
            if isinstance(key_node, yaml.ScalarNode)
            else None
        )
        if not isinstance(key, str):
            shown = (
                repr(key)
                if key is not None or isinstance(key_node, yaml.ScalarNode)
                else ("a mapping or list")
            )
            raise ScenarioError(
                [Problem(self.where(key_node), path, f"expected text keys; found the key {shown}")]
            )
        return key

    def scalar(self, node: yaml.ScalarNode, path: Path) -> object:
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:
            # PyYAML recognises 2017-02-30 as a date by its shape, then fails to build it.
            raise ScenarioError(
                [
                    Problem(
                        self.where(node),
                        path,
                        f"expected a valid value; found {node.value!r} ({node.tag})",
                    )
                ]
            ) from None
