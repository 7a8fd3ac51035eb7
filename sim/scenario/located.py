"""Read YAML safely and remember the line of every value.

``yaml.safe_load`` forgets where things came from, and an error that cannot say "line 42" makes a
user hunt. We let PyYAML's safe loader compose the node tree, build plain Python values from it
with the safe constructor, and keep a map from each value's path to its place in the file.
"""

from __future__ import annotations

import errno
import os
import stat
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


MAX_FILE_BYTES = 10 * 1024 * 1024  # an input file is data typed by a person; 10 MB is plenty
"""The largest input file read (checked with ``stat`` before reading a byte)."""


def read_input_text(file: FsPath, display: str) -> str:
    """The text of one input file, or a ``ScenarioError`` saying why it cannot be read.

    Every input (scenario, base, history, fit spec) goes through here so that a device, a named
    pipe, a symbolic-link loop or a huge file is refused before a byte is read: ``/dev/zero``
    would fill the memory and a FIFO would block forever.
    """
    top = Where(display or "''", 1)
    if not str(file) or display == "":
        raise ScenarioError([Problem(None, (), "expected a file; found an empty path")])
    try:
        info = os.stat(file)
    except FileNotFoundError:
        raise ScenarioError([Problem(None, (), f"file not found: {display}")]) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            message = "expected a file; found a loop of symbolic links"
        else:
            message = f"cannot read the file: {exc.strerror}"
        raise ScenarioError([Problem(top, (), message)]) from None
    kind = _kind_of(info.st_mode)
    if kind is not None:
        raise ScenarioError([Problem(top, (), f"expected a regular YAML file; found {kind}")])
    if info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    top,
                    (),
                    f"expected a file of at most {MAX_FILE_BYTES // (1024 * 1024)} MB; "
                    f"found {info.st_size / (1024 * 1024):.1f} MB",
                )
            ]
        )
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, opening never hangs.
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ScenarioError(
                    [Problem(top, (), "expected a regular YAML file; found another kind")]
                )
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError([Problem(top, (), f"cannot read the file: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    top,
                    (),
                    f"expected a file of at most {MAX_FILE_BYTES // (1024 * 1024)} MB; found more",
                )
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            [Problem(Where(display, line), (), "expected UTF-8 text; found bytes that are not")]
        ) from None


def file_problem(file: FsPath) -> str | None:
    """Why ``file`` cannot be an input file, in words ("no such file", "a device"...), or None.

    For messages that point at the field naming the file (``extends``, ``history``) rather than
    at the file itself.
    """
    if not str(file):
        return "an empty path"
    try:
        info = os.stat(file)
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return "a loop of symbolic links" if exc.errno == errno.ELOOP else exc.strerror
    return _kind_of(info.st_mode)


def _kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something that is not a regular file"


def load_located(file: FsPath, display: str) -> Located:
    """Parse one YAML mapping into data and places; every failure becomes a ``ScenarioError``.

    Every input of the tool is a mapping of fields at the top level. Anything else is refused
    without quoting it: a path typed by mistake (``history: /etc/passwd``) must not print the
    start of a file that was never meant to be read.
    """
    top = Where(display, 1)
    text = read_input_text(file, display)
    try:
        loader = _loader(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(top, (), f"invalid YAML: {exc}")]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return Located({}, {(): top})
        if not isinstance(node, yaml.MappingNode):
            raise ScenarioError(
                [
                    Problem(
                        top,
                        (),
                        "expected a mapping of fields at the top level (YAML); found "
                        + ("a list" if isinstance(node, yaml.SequenceNode) else "a single value"),
                    )
                ]
            )
        places: dict[Path, Where] = {}
        data = _Builder(loader, display, places).build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Where(display, mark.line + 1) if mark else top
        problem = str(exc.problem or exc.context)
        message = (
            f"expected at most {MAX_DEPTH} levels of nesting; found more"
            if "nesting depth" in problem  # libyaml's own limit, met before ours
            else f"invalid YAML: {problem}"
        )
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


def _loader(text: str) -> yaml.SafeLoader:
    """libyaml's parser where PyYAML was built with it (ten times faster on a large scenario),
    else the pure-Python one; both compose the same nodes with the same marks."""
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader_class(text)


_DEFAULT_TAGS = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


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
        self.refuse_tag(node, path)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            return self.mapping(node, path)
        finally:
            self.open.discard(id(node))

    def refuse_tag(self, node: yaml.Node, path: Path) -> None:
        """An explicit tag (``!!set``, ``!python/...``, ``!!str`` on a number) is refused on any
        node: the schema decides what a value is, and a tag would silently change it."""
        if isinstance(node, yaml.ScalarNode):
            plain = not node.style  # None from PyYAML's parser, "" from libyaml's
            implicit = (plain, not plain)
            default = self.loader.resolve(yaml.ScalarNode, node.value, implicit)
        else:
            default = _DEFAULT_TAGS[type(node)]
        if node.tag != default:
            raise ScenarioError(
                [
                    Problem(
                        self.where(node),
                        path,
                        f"expected a plain YAML value without a tag; found the tag {node.tag!r}",
                    )
                ]
            )

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
            value = self.loader.construct_object(node, deep=True)
            # -0.0 passes ">= 0" and then breaks numpy (a scale of -0.0): a zero is a zero.
            return 0.0 if isinstance(value, float) and value == 0.0 else value
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
