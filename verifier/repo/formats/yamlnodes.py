"""Safe YAML loading that keeps 1-based line numbers.

The text is composed into a node tree with PyYAML's ``SafeLoader`` (so no Python object tags
are ever honoured) and the tree is walked into plain containers that remember where each key
and item was written:

* :class:`LineDict` — a ``dict`` with ``line`` (where the mapping starts), ``key_lines`` (line of
  each key) and ``value_lines`` (line where each value's content starts);
* :class:`LineList` — a ``list`` with ``line`` and ``item_lines``.

Scalars are constructed by the safe constructor (``on`` → ``True``, ``3.10`` → ``3.1``, as any
YAML 1.1 reader, GitHub's included, does). Aliases are expanded with a node budget so that
"billion laughs" documents and recursive anchors give an error instead of exhausting memory.
For block scalars (``|`` / ``>``) the value line is the first content line, not the indicator's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

MAX_NODES = 200_000
MAX_CHARS = 2_000_000
#: LibYAML's composer (C) when PyYAML has it: nodes keep their marks, and composing is about
#: ten times faster than the pure-Python reader (a 1.6 MB DVC pointer file: 3 s -> 0.3 s).
#: Scalars are still built by the safe constructor.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class LineDict(dict):
    """A mapping that remembers the line of itself, of each key and of each value."""

    line: int
    key_lines: dict[Any, int]
    value_lines: dict[Any, int]

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines = {}
        self.value_lines = {}

    def line_of(self, key: Any, default: int | None = None) -> int:
        """Line of ``key`` if present, else ``default`` (or the mapping's own line)."""
        return self.key_lines.get(key, self.line if default is None else default)


class LineList(list):
    """A sequence that remembers its line and the line of each item."""

    line: int
    item_lines: list[int]

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.item_lines = []

    def line_at(self, index: int) -> int:
        try:
            return self.item_lines[index]
        except IndexError:
            return self.line


@dataclass(frozen=True)
class YamlResult:
    """The loaded value (``None`` for an empty document) or an error."""

    data: Any
    error: str | None


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooLarge


class _TooLarge(Exception):
    pass


class _Recursive(Exception):
    pass


def _content_line(node: yaml.Node) -> int:
    """1-based line where a node's content starts (after a block scalar's indicator)."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        return line + 1
    return line


def _hashable(key: Any) -> Any:
    try:
        hash(key)
    except TypeError:
        return repr(key)
    return key


def _convert(node: yaml.Node, loader: Any, budget: _Budget, active: set[int]) -> Any:
    budget.spend()
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_object(node, deep=True)
    if node.tag not in _PLAIN_TAGS:
        raise yaml.YAMLError(f"unsupported tag {node.tag!r} at line {node.start_mark.line + 1}")
    if id(node) in active:
        raise _Recursive
    active.add(id(node))
    try:
        if isinstance(node, yaml.SequenceNode):
            seq = LineList(node.start_mark.line + 1)
            for item in node.value:
                seq.append(_convert(item, loader, budget, active))
                seq.item_lines.append(_content_line(item))
            return seq
        if isinstance(node, yaml.MappingNode):
            loader.flatten_mapping(node)  # resolves "<<" merge keys
            mapping = LineDict(node.start_mark.line + 1)
            for key_node, value_node in node.value:
                key = _hashable(_convert(key_node, loader, budget, active))
                mapping[key] = _convert(value_node, loader, budget, active)
                mapping.key_lines[key] = key_node.start_mark.line + 1
                mapping.value_lines[key] = _content_line(value_node)
            return mapping
    finally:
        active.discard(id(node))
    return None


def load_yaml(text: str, max_nodes: int = MAX_NODES) -> YamlResult:
    """Load the first YAML document of ``text`` safely, keeping line numbers.

    Never raises: syntax errors, recursive anchors, oversized alias expansions and unknown
    tags all come back as ``YamlResult(None, "...")``.
    """
    if not isinstance(text, str):
        return YamlResult(None, "not text")
    if len(text) > MAX_CHARS:
        return YamlResult(None, f"YAML too large to read ({len(text)} characters)")
    try:
        loader = _LOADER(text)
    except yaml.YAMLError as exc:  # the reader rejects control characters up front
        return YamlResult(None, f"YAML error: {exc}".split("\n")[0])
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlResult(None, None)
        data = _convert(node, loader, _Budget(max_nodes), set())
        return YamlResult(data, None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        return YamlResult(None, f"YAML error{where}: {problem}")
    except yaml.YAMLError as exc:
        return YamlResult(None, f"YAML error: {exc}")
    except _TooLarge:
        return YamlResult(None, f"YAML too large: more than {max_nodes} nodes after aliases")
    except _Recursive:
        return YamlResult(None, "YAML error: recursive anchor")
    except (RecursionError, MemoryError):
        return YamlResult(None, "YAML error: nesting too deep")
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. bad timestamps
        return YamlResult(None, f"YAML error: {exc}")
    finally:
        loader.dispose()


def key_line(mapping: Any, key: Any, default: int = 0) -> int:
    """Line of ``key`` in ``mapping`` if it is a :class:`LineDict`, else ``default``."""
    if isinstance(mapping, LineDict):
        return mapping.key_lines.get(key, default)
    return default


def value_line(mapping: Any, key: Any, default: int = 0) -> int:
    """Line where the value of ``key`` starts, if known."""
    if isinstance(mapping, LineDict):
        return mapping.value_lines.get(key, default)
    return default


def item_line(seq: Any, index: int, default: int = 0) -> int:
    if isinstance(seq, LineList) and 0 <= index < len(seq.item_lines):
        return seq.item_lines[index]
    return default


def node_line(obj: Any, default: int = 0) -> int:
    """Line where a loaded mapping or sequence starts, else ``default``."""
    if isinstance(obj, LineDict | LineList):
        return obj.line
    return default
