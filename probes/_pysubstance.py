"""How much real code a Python file holds: tells a filled-in module from a template stub.

Parsed with ``ast`` only; nothing is imported or run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot


@dataclass(frozen=True)
class Substance:
    """Statement counts of one file, leaving out imports, docstrings and ``pass``."""

    statements: int
    functions: int
    empty_functions: list[str] = field(default_factory=list)  # body is docstring/pass/...
    asserts: int = 0  # assert statements
    checks: int = 0  # real checks: asserts of something not constant, assert*() calls, raises
    error: str | None = None


def _is_trivial(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Pass | ast.Import | ast.ImportFrom):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return True  # docstrings, bare strings and ``...``
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        target = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return isinstance(target, ast.Name) and target.id == "NotImplementedError"
    return False


def _is_check_call(func: ast.expr) -> bool:
    """``self.assertEqual``, ``torch.testing.assert_close``, ``pytest.raises`` and the like."""

    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name.lower().startswith("assert") or name in ("raises", "approx", "warns")


def measure(source: str) -> Substance:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return Substance(0, 0, error=f"{type(exc).__name__}: {exc}")
    statements = functions = asserts = checks = 0
    empty: list[str] = []
    try:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions += 1
                if all(_is_trivial(s) for s in node.body):
                    empty.append(node.name)
            if isinstance(node, ast.Assert):
                asserts += 1
                checks += not isinstance(node.test, ast.Constant)  # ``assert True`` checks nothing
            elif isinstance(node, ast.Call) and _is_check_call(node.func):
                checks += 1
            if isinstance(node, ast.stmt) and not _is_trivial(node):
                statements += 1
    except RecursionError as exc:
        return Substance(0, 0, error=f"RecursionError: {exc}")
    return Substance(statements, functions, empty, asserts, checks)


def substance(snap: Snapshot, path: str) -> Substance:
    def build() -> Substance:
        text = snap.text(path)
        return measure(text) if text is not None else Substance(0, 0, error="unreadable")

    return snap.memo(f"probes.substance:{path}", build)
