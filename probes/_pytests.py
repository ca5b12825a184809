"""The test suite as pytest would see it, read statically: collected files, test functions,
and which of the project's modules each test file imports.
"""

from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from probes._common import own_python_files, py_index
from probes._config import ini_section, pyproject_table
from verifier.repo.formats.pyindex import PyIndex

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

DEFAULT_PATTERNS = ("test_*.py", "*_test.py")


@dataclass
class TestFile:
    path: str
    index: PyIndex
    tests: list[tuple[str, int]]  # (qualified name, line)
    project_imports: list[tuple[str, int]]  # (project module, line)
    asserts: int = 0


@dataclass
class Suite:
    files: list[TestFile] = field(default_factory=list)
    uncollected: list[str] = field(default_factory=list)  # look like tests, pytest skips them
    empty: list[str] = field(default_factory=list)  # collected names holding no test
    patterns: tuple[str, ...] = DEFAULT_PATTERNS


def _ini_python_files(snap: Snapshot, path: str, section: str) -> tuple[str, ...] | None:
    """``python_files`` of one INI section; None when the section is absent."""

    options = ini_section(snap, path, section)
    if options is None:
        return None
    return tuple(options.get("python_files", "").split()) or DEFAULT_PATTERNS


def python_file_patterns(snap: Snapshot) -> tuple[tuple[str, ...], str | None]:
    """pytest's ``python_files`` and the file that set it, read the way pytest picks its
    configuration: pytest.ini, then pyproject.toml, tox.ini, setup.cfg.

    ``testpaths`` is left out on purpose: it applies only when pytest runs without paths,
    and CI usually names the folder.
    """

    if snap.exists("pytest.ini"):
        found = _ini_python_files(snap, "pytest.ini", "pytest")
        return (found or DEFAULT_PATTERNS), "pytest.ini"
    opts = pyproject_table(snap, "tool", "pytest", "ini_options")
    if opts is not None:
        value = opts.get("python_files")
        if isinstance(value, str):
            return tuple(value.split()) or DEFAULT_PATTERNS, "pyproject.toml"
        if isinstance(value, list):
            return tuple(str(v) for v in value) or DEFAULT_PATTERNS, "pyproject.toml"
        return DEFAULT_PATTERNS, "pyproject.toml"
    for name, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        if snap.exists(name):
            found = _ini_python_files(snap, name, section)
            if found is not None:
                return found, name
    return DEFAULT_PATTERNS, None


def _collectable_scope(qualname: str, testcases: set[str]) -> bool:
    """Module-level test functions, methods of ``Test*`` classes and of ``unittest.TestCase``
    subclasses (pytest collects those whatever their name); not nested functions."""

    parts = qualname.split(".")
    return len(parts) == 1 or (
        len(parts) == 2 and (parts[0].startswith("Test") or parts[0] in testcases)
    )


def _testcase_classes(idx: PyIndex) -> set[str]:
    return {
        cls.name
        for cls in idx.classes
        if any(b.rsplit(".", 1)[-1].endswith("TestCase") for b in (*cls.resolved_bases, *cls.bases))
    }


def project_modules(snap: Snapshot) -> set[str]:
    """Dotted names of the group's own non-test modules (``pkg.data``, ``src.pkg.data``)."""

    out: set[str] = set()
    for path in own_python_files(snap):
        parts = path[:-3].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or any(p in ("tests", "test") for p in parts):
            continue
        for start in range(len(parts)):
            out.add(".".join(parts[start:]))
    return out


def _imports_of_project(idx: PyIndex, modules: set[str]) -> list[tuple[str, int]]:
    hits = []
    for imp in idx.imports:
        if imp.level:  # relative import inside tests: a helper, not the project
            continue
        names = [imp.module] if imp.module else []
        names += [f"{imp.module}.{n.name}" for n in imp.names if imp.module and n.name != "*"]
        for name in names:
            if name in modules:
                hits.append((name, imp.line))
    return hits


def test_suite(snap: Snapshot) -> Suite:
    return snap.memo("probes.suite", lambda: _build(snap))


def _build(snap: Snapshot) -> Suite:
    patterns, _source = python_file_patterns(snap)
    suite = Suite(patterns=patterns)
    modules = project_modules(snap)
    for path in own_python_files(snap):
        name = posixpath.basename(path)
        collected = any(fnmatch.fnmatch(name, pat) for pat in patterns)
        in_tests_dir = any(p in ("tests", "test") for p in path.split("/")[:-1])
        if not collected and not in_tests_dir:
            continue  # neither collected nor where tests live: not parsed at all
        idx = py_index(snap, path)
        if idx is None or idx.error:
            continue
        testcases = _testcase_classes(idx)
        tests = [
            (fn.qualname, fn.line)
            for fn in idx.functions
            if fn.name.startswith("test") and _collectable_scope(fn.qualname, testcases)
        ]
        if not collected:
            if tests and in_tests_dir and name not in ("conftest.py", "__init__.py"):
                suite.uncollected.append(path)
            continue
        if not tests:
            suite.empty.append(path)
            continue
        suite.files.append(TestFile(path, idx, tests, _imports_of_project(idx, modules)))
    return suite
