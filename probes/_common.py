"""Shared helpers of the probes: which files are the group's own, evidence building, and
cached structured views (Python indexes, workflows, Dockerfiles) over a snapshot.

Everything here reads the snapshot only; nothing is imported or executed.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from verifier.findings import Evidence, Origin
from verifier.repo.formats.dockerfile import Dockerfile, parse_dockerfile
from verifier.repo.formats.pyindex import PyIndex, dotted_name, index_python
from verifier.repo.formats.workflow import Workflow, parse_workflow

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

#: Directory names whose files are not the group's sources: environments, installed
#: packages, caches, run outputs committed by mistake.
NOT_OWN_DIRS = frozenset(
    {
        ".venv",
        "venv",
        "env",
        ".env",
        "virtualenv",
        "site-packages",
        "dist-packages",
        "node_modules",
        "__pypackages__",
        ".tox",
        ".nox",
        ".eggs",
        "__pycache__",
        ".ipynb_checkpoints",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "wandb",
        "outputs",
        "multirun",
        "mlruns",
        "lightning_logs",
    }
)
_LIB_PYTHON = re.compile(r"(^|/)lib/python3(\.\d+)?/")
MAX_EVIDENCE_TEXT = 200


def is_own_path(path: str) -> bool:
    """False for files under virtual environments, installed packages and run outputs, and
    for the course's own ``reports/report.py``."""

    parts = path.split("/")
    if any(p in NOT_OWN_DIRS for p in parts[:-1]):
        return False
    if parts[-2:] == ["reports", "report.py"]:
        return False  # the course's report checker, shipped beside the report
    return not _LIB_PYTHON.search(path)


def is_test_path(path: str) -> bool:
    """Test code: files in a tests folder, ``test_*.py``, ``*_test.py`` and ``conftest.py``.

    A library used only here shows a test, not the project's own use of it.
    """

    parts = path.split("/")
    name = parts[-1]
    return (
        any(p in ("tests", "test", "testing") for p in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def own_files(snap: Snapshot) -> list[str]:
    return snap.memo("probes.own_files", lambda: [p for p in snap.files() if is_own_path(p)])


def own_python_files(snap: Snapshot) -> list[str]:
    return snap.memo(
        "probes.own_python_files", lambda: [p for p in own_files(snap) if p.endswith(".py")]
    )


def line_text(snap: Snapshot, path: str, line: int | None) -> str:
    if line is None or line < 1:
        return ""
    lines = snap.lines(path)
    if line > len(lines):
        return ""
    text = lines[line - 1].strip()
    return text if len(text) <= MAX_EVIDENCE_TEXT else text[: MAX_EVIDENCE_TEXT - 1] + "…"


def evidence(
    snap: Snapshot, path: str, line: int | None, why: str, origin: Origin | None = None
) -> Evidence:
    """Evidence at ``path:line`` carrying the line's own text.

    Unless told otherwise, a file identical to the course template's is marked as such:
    presence is not authorship.
    """

    if origin is None:
        from probes._template import template_note

        note = template_note(snap, path)
        origin = Origin.TEMPLATE if note else Origin.GROUP
        if note:
            why = f"{why} ({note})"
    return Evidence(path, line, line_text(snap, path, line), why, origin)


def only_template(items: list[Evidence]) -> bool:
    """All the evidence is template-identical (and there is some)."""

    return bool(items) and all(e.origin is Origin.TEMPLATE for e in items)


def first_line_matching(snap: Snapshot, path: str, pattern: re.Pattern[str]) -> int | None:
    """The first line matching ``pattern``, leaving out ``#`` comment lines (commented-out
    code is not evidence)."""

    for number, text in enumerate(snap.lines(path), start=1):
        if text.lstrip().startswith("#"):
            continue
        if pattern.search(text):
            return number
    return None


def py_tree(snap: Snapshot, path: str) -> ast.Module | None:
    """The parsed AST of one of the group's Python files, shared by every probe (None when
    it does not parse). Parsed only, never compiled or run."""

    def build() -> ast.Module | None:
        try:
            return ast.parse(snap.text(path) or "")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None

    return snap.memo(f"probes.ast:{path}", build)


def dotted(node: ast.AST) -> str:
    """``a.b.c`` for a name or attribute chain; "" for anything else."""

    return dotted_name(node) or ""


def py_index(snap: Snapshot, path: str) -> PyIndex | None:
    """The AST index of one Python file (None when unreadable)."""

    def build() -> PyIndex | None:
        text = snap.text(path)
        return None if text is None else index_python(path, text)

    return snap.memo(f"probes.pyindex:{path}", build)


def py_indexes(
    snap: Snapshot, paths: Iterable[str] | None = None, *, mentioning: str | None = None
) -> list[PyIndex]:
    """AST indexes of the group's Python files that parse.

    ``mentioning`` keeps only files whose text contains that word: a file that never
    names ``hydra`` cannot use it, and skipping its parse keeps large repositories fast.
    """

    chosen = own_python_files(snap) if paths is None else list(paths)
    if mentioning is not None:
        chosen = [p for p in chosen if mentioning in (snap.text(p) or "")]
    out = []
    for path in chosen:
        idx = py_index(snap, path)
        if idx is not None and idx.error is None:
            out.append(idx)
    return out


def workflows(snap: Snapshot) -> list[Workflow]:
    """Every workflow file GitHub would run: ``.github/workflows/*.yml|yaml`` (not nested)."""

    def build() -> list[Workflow]:
        found = []
        for path in snap.files():
            folder, name = posixpath.split(path)
            if folder == ".github/workflows" and name.endswith((".yml", ".yaml")):
                text = snap.text(path)
                if text is not None:
                    found.append(parse_workflow(path, text))
        return found

    return snap.memo("probes.workflows", build)


_DOCKERFILE_NAME = re.compile(r"^(dockerfile([._-].*)?|.*[._-]dockerfile|.*\.docker)$", re.I)


def is_dockerfile_name(path: str) -> bool:
    """Dockerfiles of the group's code; a ``.devcontainer/`` one builds an editor environment."""

    if path.startswith(".devcontainer/"):
        return False
    name = posixpath.basename(path)
    if name.lower().endswith((".md", ".txt", ".yaml", ".yml", ".json", ".py", ".sh", ".ignore")):
        return False
    return bool(_DOCKERFILE_NAME.match(name)) and name.lower() != ".dockerignore"


def dockerfiles(snap: Snapshot) -> list[Dockerfile]:
    """Every Dockerfile of the group, by any common name, parsed."""

    def build() -> list[Dockerfile]:
        out = []
        for path in own_files(snap):
            if is_dockerfile_name(path):
                text = snap.text(path)
                if text is not None:
                    out.append(parse_dockerfile(path, text))
        return out

    return snap.memo("probes.dockerfiles", build)


def where(paths: Iterable[str]) -> str:
    items = sorted(set(paths))
    return ", ".join(items[:6]) + (f" (+{len(items) - 6} more)" if len(items) > 6 else "")
