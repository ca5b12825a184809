"""Commands the group runs by hand: invoke ``tasks.py`` ``ctx.run`` strings, Makefile and
justfile recipes, shell scripts. Read as text and parsed (tasks.py with ``ast``); never run.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from probes._common import own_files

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

MAKEFILES = ("Makefile", "makefile", "GNUmakefile", "justfile", "Justfile")


def _string_parts(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "X"
            for v in node.values
        )
    return ""


def _run_strings(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run"
            and node.args
        ):
            command = _string_parts(node.args[0])
            if command:
                out.append((node.args[0].lineno, command))
    return sorted(out)


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def task_commands(text: str) -> list[tuple[int, str]]:
    """Command strings passed to ``<ctx>.run(...)`` in an invoke ``tasks.py`` (parsed)."""

    tree = _parse(text)
    return [] if tree is None else _run_strings(tree)


def tasks_by_name(text: str) -> dict[str, list[tuple[int, str]]]:
    """The ``ctx.run`` commands of each top-level function of a ``tasks.py``, by the names
    invoke accepts for it (``docker_build`` and ``docker-build``)."""

    tree = _parse(text)
    out: dict[str, list[tuple[int, str]]] = {}
    if tree is None:
        return out
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            commands = _run_strings(node)
            out[node.name] = commands
            out[node.name.replace("_", "-")] = commands
    return out


def recipe_commands(text: str) -> list[tuple[int, str]]:
    """Recipe lines of a Makefile or justfile (indented, not comments)."""

    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line[:1].isspace():
            continue
        body = line.strip().lstrip("@-+").strip()
        if body and not body.startswith("#"):
            out.append((number, body))
    return out


def script_commands(text: str) -> list[tuple[int, str]]:
    return [
        (n, line.strip())
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]


def _reader(path: str) -> tuple[Callable[[str], list[tuple[int, str]]], str] | None:
    name = posixpath.basename(path)
    if name == "tasks.py":
        return task_commands, "task"
    if name in MAKEFILES:
        return recipe_commands, "recipe"
    if name.endswith(".sh"):
        return script_commands, "script"
    return None


def local_commands(snap: Snapshot) -> Iterator[tuple[str, str, int, str]]:
    """(path, kind, line, command) for every command of the group's task files and scripts."""

    for path in own_files(snap):
        reader = _reader(path)
        if reader is None:
            continue
        read, kind = reader
        text = snap.text(path)
        if text is None:
            continue
        for line, command in read(text):
            yield path, kind, line, command
