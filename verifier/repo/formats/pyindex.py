"""A static index of a Python file: imports, definitions, decorators and calls, with lines.

The source is parsed with :mod:`ast` only — never imported, compiled to code or run. Calls are
recorded with the dotted callee as written (``wb.log``) and resolved through the file's import
aliases (``import wandb as wb`` → ``wandb.log``). Resolution is per file and ignores scopes and
reassignments: an alias bound anywhere in the file applies everywhere, which is what matters for
"does this project call ``wandb.init``" and errs on the side of resolving.

Notebooks (``.ipynb``) are indexed cell by cell: each record carries ``cell`` (1-based position
of the cell among all cells of the notebook, markdown included, as a reader counts them) and
``line`` (1-based line inside that cell). IPython magics and shell escapes (``%``, ``!``) are
blanked before parsing so that line numbers stay those of the cell.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

MAX_SOURCE_CHARS = 5_000_000


@dataclass(frozen=True)
class ImportedName:
    name: str
    alias: str | None = None


@dataclass(frozen=True)
class Import:
    """``import module [as alias]`` (``names`` empty) or ``from module import names``."""

    module: str  # "" for ``from . import x``
    names: tuple[ImportedName, ...]
    alias: str | None
    level: int  # number of leading dots of a relative import
    line: int
    type_checking: bool = False  # inside ``if TYPE_CHECKING:``
    optional: bool = False  # inside a ``try`` that handles ImportError (or in its handler)
    cell: int | None = None

    @property
    def is_from(self) -> bool:
        return bool(self.names) or self.level > 0

    @property
    def top_level(self) -> str | None:
        """First component of an absolute import's module, else ``None``."""
        if self.level or not self.module:
            return None
        return self.module.split(".", 1)[0]

    def qualified_names(self) -> list[str]:
        """``module`` for plain imports, ``module.name`` for each name of a from-import."""
        prefix = "." * self.level + self.module
        if not self.names:
            return [prefix]
        sep = "" if not self.module else "."
        return [f"{prefix}{sep}{n.name}" for n in self.names]


@dataclass(frozen=True)
class Decorator:
    name: str  # dotted, as written (``hydra.main``)
    resolved: str  # through import aliases
    args: str | None  # source text between the call's parentheses; None when not called
    line: int


@dataclass(frozen=True)
class Function:
    name: str
    qualname: str  # ``Class.method``, ``outer.<locals>.inner`` shortened to ``outer.inner``
    line: int
    decorators: tuple[Decorator, ...]
    args_annotated: bool  # every parameter (but a method's self/cls) has an annotation
    return_annotated: bool
    has_docstring: bool
    is_test: bool  # the name starts with ``test``
    is_async: bool = False
    is_method: bool = False  # defined directly in a class body
    end_line: int | None = None
    cell: int | None = None

    @property
    def fully_annotated(self) -> bool:
        return self.args_annotated and self.return_annotated

    def has_decorator(self, resolved_prefix: str) -> bool:
        return any(d.resolved.startswith(resolved_prefix) for d in self.decorators)


@dataclass(frozen=True)
class Class:
    name: str
    qualname: str
    line: int
    bases: tuple[str, ...]  # dotted as written; resolved forms in ``resolved_bases``
    decorators: tuple[Decorator, ...]
    has_docstring: bool
    resolved_bases: tuple[str, ...] = ()
    cell: int | None = None


@dataclass(frozen=True)
class Call:
    name: str  # dotted callee as written (``wb.log``)
    resolved: str  # through import aliases (``wandb.log``)
    line: int
    cell: int | None = None


@dataclass
class PyIndex:
    path: str
    imports: list[Import] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    classes: list[Class] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    has_module_docstring: bool = False
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # notebooks: cells that did not parse

    def imported_modules(self) -> set[str]:
        """Top-level names of absolute imports (``torch`` for ``from torch.nn import X``)."""
        return {i.top_level for i in self.imports if i.top_level}

    def imports_module(self, module: str) -> list[Import]:
        """Imports of ``module`` or of anything below it (``hydra`` matches ``hydra.utils``)."""
        out = []
        for imp in self.imports:
            names = imp.qualified_names() + ([imp.module] if imp.module else [])
            if any(n == module or n.startswith(module + ".") for n in names):
                out.append(imp)
        return out

    def calls_to(self, resolved: str) -> list[Call]:
        """Calls whose resolved callee is ``resolved`` or ends below it."""
        return [
            c for c in self.calls if c.resolved == resolved or c.resolved.startswith(resolved + ".")
        ]

    def tests(self) -> list[Function]:
        return [f for f in self.functions if f.is_test]

    def decorated_with(self, resolved_prefix: str) -> list[Function]:
        return [f for f in self.functions if f.has_decorator(resolved_prefix)]


# --------------------------------------------------------------------------- helpers


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name; ``None`` for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class _Source:
    """Exact source segments by (line, UTF-8 column), without re-splitting the text each time."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines(keepends=True)
        self._encoded: dict[int, bytes] = {}

    def _line(self, number: int) -> bytes:
        if number not in self._encoded:
            text = self._lines[number - 1] if 0 < number <= len(self._lines) else ""
            self._encoded[number] = text.encode("utf-8", "surrogatepass")
        return self._encoded[number]

    def between(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        (l1, c1), (l2, c2) = start, end
        if l1 == l2:
            return self._line(l1)[c1:c2].decode("utf-8", "replace")
        chunks = [self._line(l1)[c1:]]
        chunks.extend(self._line(n) for n in range(l1 + 1, l2))
        chunks.append(self._line(l2)[:c2])
        return b"".join(chunks).decode("utf-8", "replace")


def _call_args_source(call: ast.Call, source: _Source) -> str:
    if call.end_lineno is None or call.func.end_lineno is None:
        return ""
    text = source.between(
        (call.func.end_lineno, call.func.end_col_offset or 0),
        (call.end_lineno, call.end_col_offset or 0),
    ).strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return " ".join(text.split())


def _is_type_checking(test: ast.expr) -> bool:
    name = dotted_name(test)
    return name in ("TYPE_CHECKING", "typing.TYPE_CHECKING", "t.TYPE_CHECKING")


_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _handles_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        if handler.type is None:
            return True
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any((dotted_name(t) or "").rsplit(".", 1)[-1] in _IMPORT_ERRORS for t in types):
            return True
    return False


def _all_args(args: ast.arguments) -> list[ast.arg]:
    out = [*args.posonlyargs, *args.args]
    if args.vararg:
        out.append(args.vararg)
    out.extend(args.kwonlyargs)
    if args.kwarg:
        out.append(args.kwarg)
    return out


# --------------------------------------------------------------------------- the walk


@dataclass(frozen=True)
class _Ctx:
    qual: tuple[str, ...] = ()
    in_class: bool = False
    type_checking: bool = False
    optional: bool = False


class _Indexer:
    def __init__(self, text: str, cell: int | None) -> None:
        self.source = _Source(text)
        self.cell = cell
        self.imports: list[Import] = []
        self.functions: list[Function] = []
        self.classes: list[Class] = []
        self.raw_calls: list[tuple[str, int, int]] = []  # (name, line, col)
        self.raw_decorators: list[tuple[Any, list[tuple[str, str | None, int]]]] = []

    def run(self, tree: ast.Module) -> None:
        stack: list[tuple[ast.AST, _Ctx]] = [(tree, _Ctx())]
        while stack:
            node, ctx = stack.pop()
            children = self._visit(node, ctx)
            stack.extend(reversed(children))

    def _decorators(self, node: Any) -> list[tuple[str, str | None, int]]:
        out = []
        for dec in node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            name = dotted_name(target) or ast.unparse(target)
            args = _call_args_source(dec, self.source) if isinstance(dec, ast.Call) else None
            out.append((name, args, dec.lineno))
        return out

    def _visit(self, node: ast.AST, ctx: _Ctx) -> list[tuple[ast.AST, _Ctx]]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.imports.append(
                    Import(
                        alias.name, (), alias.asname, 0, node.lineno,
                        ctx.type_checking, ctx.optional, self.cell,
                    )
                )  # fmt: skip
            return []
        if isinstance(node, ast.ImportFrom):
            names = tuple(ImportedName(a.name, a.asname) for a in node.names)
            self.imports.append(
                Import(
                    node.module or "", names, None, node.level or 0, node.lineno,
                    ctx.type_checking, ctx.optional, self.cell,
                )
            )  # fmt: skip
            return []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return self._function(node, ctx)
        if isinstance(node, ast.ClassDef):
            return self._class(node, ctx)
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            inner = _Ctx(ctx.qual, False, True, ctx.optional)
            return (
                [(node.test, ctx)]
                + [(n, inner) for n in node.body]
                + [(n, ctx) for n in node.orelse]
            )
        if isinstance(node, ast.Try | ast.TryStar) and _handles_import_error(node):
            inner = _Ctx(ctx.qual, False, ctx.type_checking, True)
            kids: list[tuple[ast.AST, _Ctx]] = [(n, inner) for n in node.body]
            for handler in node.handlers:
                kids.extend((n, inner) for n in handler.body)
            kids.extend((n, ctx) for n in node.orelse + node.finalbody)
            return kids
        if isinstance(node, ast.expr):
            # Expressions hold no imports or definitions, only calls: walk them flat, which
            # is several times cheaper than the context-carrying stack.
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call):
                    name = dotted_name(sub.func)
                    if name is not None:
                        self.raw_calls.append((name, sub.lineno, sub.col_offset))
            return []
        plain = ctx if not ctx.in_class else _Ctx(ctx.qual, False, ctx.type_checking, ctx.optional)
        return [(child, plain) for child in ast.iter_child_nodes(node)]

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: _Ctx) -> list:
        decorators = self._decorators(node)
        dec_names = {d[0].rsplit(".", 1)[-1] for d in decorators}
        params = _all_args(node.args)
        if ctx.in_class and "staticmethod" not in dec_names and params:
            first = [*node.args.posonlyargs, *node.args.args]
            if first and params[0] is first[0]:
                params = params[1:]
        qual = (*ctx.qual, node.name)
        function = Function(
            name=node.name,
            qualname=".".join(qual),
            line=node.lineno,
            decorators=(),
            args_annotated=all(p.annotation is not None for p in params),
            return_annotated=node.returns is not None,
            has_docstring=ast.get_docstring(node, clean=False) is not None,
            is_test=node.name.startswith("test"),
            is_async=isinstance(node, ast.AsyncFunctionDef),
            is_method=ctx.in_class,
            end_line=node.end_lineno,
            cell=self.cell,
        )
        self.functions.append(function)
        self.raw_decorators.append((function, decorators))
        inner = _Ctx(qual, False, ctx.type_checking, ctx.optional)
        kids: list[tuple[ast.AST, _Ctx]] = [(d, ctx) for d in node.decorator_list]
        kids.extend((d, ctx) for d in ast.iter_child_nodes(node.args))
        if node.returns is not None:
            kids.append((node.returns, ctx))
        kids.extend((n, inner) for n in node.body)
        return kids

    def _class(self, node: ast.ClassDef, ctx: _Ctx) -> list:
        decorators = self._decorators(node)
        qual = (*ctx.qual, node.name)
        bases = tuple(dotted_name(b) or ast.unparse(b) for b in node.bases)
        cls = Class(
            name=node.name,
            qualname=".".join(qual),
            line=node.lineno,
            bases=bases,
            decorators=(),
            has_docstring=ast.get_docstring(node, clean=False) is not None,
            cell=self.cell,
        )
        self.classes.append(cls)
        self.raw_decorators.append((cls, decorators))
        inner = _Ctx(qual, True, ctx.type_checking, ctx.optional)
        kids: list[tuple[ast.AST, _Ctx]] = [(d, ctx) for d in node.decorator_list]
        kids.extend((b, ctx) for b in [*node.bases, *node.keywords])
        kids.extend((n, inner) for n in node.body)
        return kids


def _alias_map(imports: list[Import]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for imp in imports:
        if not imp.is_from:
            if imp.alias:
                aliases[imp.alias] = imp.module
            else:
                top = imp.module.split(".", 1)[0]
                aliases.setdefault(top, top)
            continue
        prefix = "." * imp.level + imp.module
        sep = "." if imp.module else ""
        for name in imp.names:
            if name.name == "*":
                continue
            aliases[name.alias or name.name] = f"{prefix}{sep}{name.name}"
    return aliases


def _resolve(name: str, aliases: dict[str, str]) -> str:
    head, dot, rest = name.partition(".")
    target = aliases.get(head)
    if target is None:
        return name
    return target + dot + rest


def _finish(index: PyIndex, indexers: list[_Indexer]) -> None:
    for ix in indexers:
        index.imports.extend(ix.imports)
    aliases = _alias_map(index.imports)
    calls: list[tuple[int, int, int, Call]] = []
    for ix in indexers:
        for obj, decs in ix.raw_decorators:
            decorators = tuple(Decorator(n, _resolve(n, aliases), a, ln) for n, a, ln in decs)
            if isinstance(obj, Function):
                index.functions.append(_replace(obj, decorators=decorators))
            else:
                resolved_bases = tuple(_resolve(b, aliases) for b in obj.bases)
                index.classes.append(
                    _replace(obj, decorators=decorators, resolved_bases=resolved_bases)
                )
        for name, line, col in ix.raw_calls:
            calls.append(
                (ix.cell or 0, line, col, Call(name, _resolve(name, aliases), line, ix.cell))
            )
    calls.sort(key=lambda c: c[:3])
    index.calls = [c[3] for c in calls]
    key = lambda o: (o.cell or 0, o.line)  # noqa: E731
    index.imports.sort(key=key)
    index.functions.sort(key=key)
    index.classes.sort(key=key)


def _replace(obj: Any, **changes: Any) -> Any:
    return dataclasses.replace(obj, **changes)


def _parse(text: str, notebook: bool = False) -> tuple[ast.Module | None, str | None]:
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if notebook else 0
    try:
        tree = compile(text, "<indexed>", "exec", flags | ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        if not exc.lineno:
            return None, f"SyntaxError: {exc.msg}"
        return None, f"SyntaxError at line {exc.lineno}: {exc.msg}"
    except (ValueError, TypeError) as exc:  # NUL bytes and similar
        return None, f"cannot parse: {exc}"
    except (RecursionError, MemoryError):
        return None, "cannot parse: nesting too deep"
    return tree, None


def index_python(path: str, text: str) -> PyIndex:
    """Index a Python source file; never raises and never executes anything.

    Code using Python 3.12 f-string syntax (nested same-kind quotes, line breaks inside a
    replacement field) does not parse with an older ``ast``; such files are parsed again with
    every f-string blanked to an empty literal of the same line count. Everything outside
    f-strings keeps its lines, and ``problems`` says that this happened.
    """
    index = PyIndex(path=path)
    if not isinstance(text, str):
        index.error = "not text"
        return index
    if len(text) > MAX_SOURCE_CHARS:
        index.error = f"file too large to index ({len(text)} characters)"
        return index
    tree, source, error, problem = _parse_tolerant(text.lstrip("\ufeff"))
    if problem:
        index.problems.append(problem)
    if tree is None:
        index.error = error
        return index
    try:
        indexer = _Indexer(source, None)
        indexer.run(tree)
        index.has_module_docstring = ast.get_docstring(tree, clean=False) is not None
        _finish(index, [indexer])
    except (RecursionError, MemoryError):
        index = PyIndex(path=path, error="cannot index: nesting too deep")
    except Exception as exc:  # the contract is "never raise"
        index = PyIndex(path=path, error=f"cannot index: {type(exc).__name__}: {exc}")
    return index


def _parse_tolerant(
    source: str, notebook: bool = False
) -> tuple[ast.Module | None, str, str | None, str | None]:
    """Parse; on a syntax error retry with f-strings blanked. (tree, source used, error, note)."""
    tree, error = _parse(source, notebook)
    if tree is None and error and error.startswith("SyntaxError"):
        blanked = blank_fstrings(source)
        if blanked is not None and blanked != source:
            retry, _ = _parse(blanked, notebook)
            if retry is not None:
                return retry, blanked, None, f"parsed with f-strings blanked ({error})"
    return tree, source, error, None


_PREFIX_CHARS = frozenset("rRbBuUfF")


def _string_prefix(text: str, quote_at: int) -> tuple[int, str]:
    """Start index and lower-cased prefix (``f``, ``rf``, ...) of the literal at ``quote_at``."""
    start = quote_at
    while start > 0 and quote_at - start < 2 and text[start - 1] in _PREFIX_CHARS:
        start -= 1
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return quote_at, ""
    return start, text[start:quote_at].lower()


def _string_end(text: str, at: int, is_f: bool) -> int:
    """Index just past the string literal whose opening quote is at ``at`` (3.12 rules)."""
    quote = text[at]
    delim = quote * 3 if text.startswith(quote * 3, at) else quote
    j = at + len(delim)
    n = len(text)
    depth = 0
    while j < n:
        ch = text[j]
        if depth == 0:
            if ch == "\\":
                j += 2
            elif text.startswith(delim, j):
                return j + len(delim)
            elif ch == "\n" and len(delim) == 1:
                return j  # unterminated; let the parser report it
            elif is_f and ch == "{":
                if text.startswith("{{", j):
                    j += 2
                else:
                    depth, j = 1, j + 1
            else:
                j += 1
        elif ch in "\"'":
            _, prefix = _string_prefix(text, j)
            j = _string_end(text, j, "f" in prefix)
        elif ch == "#":
            newline = text.find("\n", j)
            j = n if newline < 0 else newline
        else:
            depth += 1 if ch == "{" else -1 if ch == "}" else 0
            j += 1
    return n


def blank_fstrings(text: str) -> str | None:
    """``text`` with every f-string replaced by an empty literal spanning the same lines.

    ``None`` when the text cannot be scanned (absurd nesting).
    """
    out: list[str] = []
    last = i = 0
    n = len(text)
    try:
        while i < n:
            ch = text[i]
            if ch == "#":
                newline = text.find("\n", i)
                i = n if newline < 0 else newline
            elif ch in "\"'":
                start, prefix = _string_prefix(text, i)
                end = _string_end(text, i, "f" in prefix)
                if "f" in prefix:
                    lines = text.count("\n", start, end)
                    out.append(text[last:start])
                    out.append('""' if not lines else '"""' + "\n" * lines + '"""')
                    last = end
                i = max(end, i + 1)
            else:
                i += 1
    except RecursionError:
        return None
    out.append(text[last:])
    return "".join(out)


# --------------------------------------------------------------------------- notebooks


def _cells(nb: Any) -> Iterator[tuple[int, str, str]]:
    """(1-based cell number, cell type, source) for nbformat 4 and the older 3."""
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if cells is None and isinstance(nb, dict) and isinstance(nb.get("worksheets"), list):
        sheets = nb["worksheets"]
        cells = sheets[0].get("cells") if sheets and isinstance(sheets[0], dict) else None
    if not isinstance(cells, list):
        return
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if isinstance(source, str):
            yield number, str(cell.get("cell_type", "")), source


_AUTOMAGIC = re.compile(r"^(pip|conda|mamba|uv)\s+(install|uninstall|list|show)\b")


def _blank_magics(source: str) -> str:
    """Blank IPython magics, shell escapes and automagic installs, keeping line numbers."""
    lines = []
    for line in source.split("\n"):
        stripped = line.lstrip()
        magic = stripped.startswith(("%", "!")) or _AUTOMAGIC.match(stripped) is not None
        lines.append("" if magic else line)
    return "\n".join(lines)


def index_notebook(path: str, text: str) -> PyIndex:
    """Index the code cells of a Jupyter notebook (see the module docstring for lines)."""
    index = PyIndex(path=path)
    if not isinstance(text, str):
        index.error = "not text"
        return index
    if len(text) > MAX_SOURCE_CHARS * 4:
        index.error = f"notebook too large to index ({len(text)} characters)"
        return index
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError) as exc:
        index.error = f"not a notebook (invalid JSON): {exc}"
        return index
    if not isinstance(nb, dict) or not isinstance(nb.get("cells", nb.get("worksheets")), list):
        index.error = "not a notebook (no cells)"
        return index
    indexers: list[_Indexer] = []
    code_cells = 0
    try:
        for number, cell_type, source in _cells(nb):
            if cell_type != "code":
                continue
            code_cells += 1
            tree, used, error, note = _parse_tolerant(_blank_magics(source), notebook=True)
            if note:
                index.problems.append(f"cell {number}: {note}")
            if tree is None:
                index.problems.append(f"cell {number}: {error}")
                continue
            indexer = _Indexer(used, number)
            indexer.run(tree)
            indexers.append(indexer)
        _finish(index, indexers)
    except (RecursionError, MemoryError):
        return PyIndex(path=path, error="cannot index: nesting too deep")
    except Exception as exc:  # the contract is "never raise"
        return PyIndex(path=path, error=f"cannot index: {type(exc).__name__}: {exc}")
    if code_cells and not indexers:
        index.error = f"no code cell parses ({index.problems[0]})"
    return index
