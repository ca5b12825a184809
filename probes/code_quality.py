"""M7: code style (pep8, measured with ruff) and typing and docstrings on the group's functions.

Style is measured, not inferred from a config: ``ruff check`` runs over copies of the group's
Python files in a temporary folder, with ``--isolated`` (no configuration of the group is
read) and the pycodestyle / pyflakes rule families (``E``, ``W``, ``F``). Ruff only reads the
files; nothing of the group's is imported or executed. Problems are counted per 100 lines.

Typing and docstrings are read from the AST index of the package code (tests excluded): the
share of functions whose parameters and return are annotated, and the share with a docstring.

All thresholds are module constants, so a course can tune them.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from probes._commands import lint_runs
from probes._common import evidence, is_test_path, own_files, own_python_files, py_index, workflows
from probes._template import is_template_copy
from probes.requirements_sync import is_course_file
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, not_verifiable, partial

if TYPE_CHECKING:
    from verifier.repo.formats.pyindex import Function
    from verifier.repo.snapshot import Snapshot

# ---------------------------------------------------------------- pep8 (ruff) thresholds

#: At most this many ruff problems per 100 lines: the code complies with pep8. On real group
#: repositories linted code stays under 2; code never linted shows 3-6 (unused imports,
#: long lines, imports below code, tabs).
PEP8_FOUND_MAX_PER_100 = 3.0
#: Above this many problems per 100 lines, and with no linter set up, the code does not.
PEP8_PARTIAL_MAX_PER_100 = 10.0
#: Invisible white space (trailing blanks, whitespace-only lines, final newline): pep8 asks
#: to avoid it, but a reader never sees it and any formatter removes it. Reported, not
#: counted in the density.
COSMETIC_RULES = frozenset({"W291", "W292", "W293", "W391"})
#: Rule families checked: pycodestyle errors and warnings, pyflakes.
RUFF_SELECT = "E,W,F"
#: Line length for E501. The course template configures 120; pep8's 79 would flag most
#: groups for following their own template.
RUFF_LINE_LENGTH = 120
RUFF_TARGET_VERSION = "py312"
RUFF_TIMEOUT_S = 60
#: Files above this size are skipped (generated code, vendored data).
MAX_LINT_FILE_BYTES = 400_000
MAX_LINT_FILES = 3000

# ---------------------------------------------------------------- typing / docstring thresholds

#: Shares of functions (package code) needed for ``found``: "a bit of typing" and
#: "document essential parts" do not ask for everything.
TYPED_FOUND_SHARE = 0.25
DOCUMENTED_FOUND_SHARE = 0.25
#: Below both of these shares there is no real typing or documentation effort.
TYPED_PARTIAL_SHARE = 0.15
DOCUMENTED_PARTIAL_SHARE = 0.15
#: Fewer functions than this give no share worth judging.
MIN_FUNCTIONS = 3


@dataclass
class LintResult:
    files: int = 0
    lines: int = 0
    problems: list[tuple[str, str, int]] = field(default_factory=list)  # (code, path, row)
    syntax_errors: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def counted(self) -> list[tuple[str, str, int]]:
        """The problems that weigh: invisible white space is reported but not counted."""
        return [p for p in self.problems if p[0] not in COSMETIC_RULES]

    @property
    def cosmetic(self) -> int:
        return len(self.problems) - len(self.counted)

    @property
    def per_100(self) -> float:
        return 100.0 * len(self.counted) / self.lines if self.lines else 0.0

    def top_rules(self, n: int = 5) -> list[tuple[str, int]]:
        return Counter(code for code, _p, _r in self.counted).most_common(n)


def ruff_binary() -> str | None:
    """The ruff executable: the one installed with this package, else one on PATH."""

    try:
        from ruff.__main__ import find_ruff_bin

        path = str(find_ruff_bin())
        if os.path.isfile(path):
            return path
    except (ImportError, FileNotFoundError, OSError):
        pass
    beside = os.path.join(os.path.dirname(sys.executable), "ruff")
    if os.path.isfile(beside):
        return beside
    return shutil.which("ruff")


def _safe_relpath(path: str) -> bool:
    parts = path.split("/")
    return bool(parts) and not path.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _lint_files(snap: Snapshot) -> list[str]:
    return [p for p in own_python_files(snap) if _safe_relpath(p) and not is_template_copy(snap, p)]


def run_ruff(snap: Snapshot, binary: str) -> LintResult:
    """Copies of the group's own (non-template) Python files linted by ruff as plain text."""

    result = LintResult()
    paths = _lint_files(snap)[:MAX_LINT_FILES]
    with tempfile.TemporaryDirectory(prefix="verifier-ruff-") as tmp:
        written: list[str] = []
        for path in paths:
            size = snap.size(path)
            if size is not None and size > MAX_LINT_FILE_BYTES:
                result.skipped.append(path)
                continue
            text = snap.text(path)
            if text is None:
                result.skipped.append(path)
                continue
            target = os.path.join(tmp, *path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", errors="surrogatepass") as handle:
                handle.write(text)
            written.append(path)
            result.lines += len(snap.lines(path))
        result.files = len(written)
        if not written:
            return result
        command = [
            binary,
            "check",
            "--isolated",
            "--no-cache",
            "--exit-zero",
            "--quiet",
            "--select",
            RUFF_SELECT,
            "--line-length",
            str(RUFF_LINE_LENGTH),
            "--target-version",
            RUFF_TARGET_VERSION,
            "--output-format",
            "json",
            "--",
            *(os.path.join(".", *p.split("/")) for p in written),
        ]
        try:
            proc = subprocess.run(
                command,
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=RUFF_TIMEOUT_S,
                check=False,
                env={"PATH": os.environ.get("PATH", ""), "NO_COLOR": "1"},
            )
        except (OSError, subprocess.SubprocessError) as exc:
            result.error = f"ruff could not run: {exc}"
            return result
        try:
            items = json.loads(proc.stdout or "[]")
        except ValueError:
            result.error = f"ruff gave no JSON (exit {proc.returncode}): {proc.stderr[:200]}"
            return result
        prefix = os.path.realpath(tmp) + os.sep
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            name = os.path.realpath(os.path.join(tmp, str(item.get("filename", ""))))
            rel = name[len(prefix) :].replace(os.sep, "/") if name.startswith(prefix) else name
            location = item.get("location") or {}
            row = int(location.get("row") or 0) if isinstance(location, dict) else 0
            code = item.get("code")
            if not code or not isinstance(code, str) or not code[:1].isalpha() or "-" in code:
                result.syntax_errors.append((rel, row))
            else:
                result.problems.append((code, rel, row))
    return result


def lint_result(snap: Snapshot) -> LintResult | None:
    """Ruff's findings over the snapshot, computed once; None when ruff is not available."""

    binary = ruff_binary()
    if binary is None:
        return None
    return snap.memo("probes.code_quality.ruff", lambda: run_ruff(snap, binary))


# ---------------------------------------------------------------- evidence of caring

_CONFIG_FILES = {
    "ruff.toml": "ruff configuration",
    ".ruff.toml": "ruff configuration",
    ".flake8": "flake8 configuration",
    ".pylintrc": "pylint configuration",
    "pylintrc": "pylint configuration",
}
_INI_SECTIONS = {"[flake8]": "flake8", "[pycodestyle]": "pycodestyle", "[pylint]": "pylint"}
_PYPROJECT_TABLES = ("ruff", "black", "flake8", "pylint", "pycodestyle", "autopep8", "isort")
_HOOK_TOOLS = ("ruff", "black", "flake8", "pylint", "pycodestyle", "autopep8", "isort")


def linter_setup(snap: Snapshot) -> list[Evidence]:
    """Where the group set up a linter or formatter: config, pre-commit hook or CI step."""

    out: list[Evidence] = []
    files = set(own_files(snap))
    for name, why in _CONFIG_FILES.items():
        if name in files:
            out.append(evidence(snap, name, 1, why))
    for name in ("setup.cfg", "tox.ini"):
        if name in files:
            for number, line in enumerate(snap.lines(name), start=1):
                tool = _INI_SECTIONS.get(line.strip())
                if tool:
                    out.append(evidence(snap, name, number, f"{tool} configuration"))
    if "pyproject.toml" in files:
        for number, line in enumerate(snap.lines("pyproject.toml"), start=1):
            stripped = line.strip()
            for tool in _PYPROJECT_TABLES:
                if stripped == f"[tool.{tool}]" or stripped.startswith(f"[tool.{tool}."):
                    out.append(evidence(snap, "pyproject.toml", number, f"{tool} configuration"))
                    break
    for name in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        if name in files:
            for number, line in enumerate(snap.lines(name), start=1):
                stripped = line.strip()
                if not stripped.startswith(("- id:", "id:")):
                    continue
                hook = stripped.split(":", 1)[1].strip().strip("'\"")
                if any(hook.startswith(tool) for tool in _HOOK_TOOLS):
                    out.append(evidence(snap, name, number, f"pre-commit hook {hook}"))
    for wf in workflows(snap):
        for _job, step in wf.all_steps():
            for line, command in step.run_commands():
                for tool, can_fail in lint_runs(command):
                    if can_fail:
                        out.append(evidence(snap, wf.path, line, f"CI runs {tool}"))
    seen: set[tuple[str, int | None]] = set()
    unique = []
    for ev in out:
        if (ev.path, ev.line) not in seen:
            seen.add((ev.path, ev.line))
            unique.append(ev)
    return unique


@probe("M7.pep8")
def pep8(snap: Snapshot) -> Observation:
    """Ruff (pycodestyle + pyflakes rules) finds few problems per 100 lines of the group's code."""

    checked = [
        f"ruff check --isolated --select {RUFF_SELECT} --line-length {RUFF_LINE_LENGTH} over "
        "copies of the group's *.py files (template-identical files and .venv excluded)",
        f"found: at most {PEP8_FOUND_MAX_PER_100:g} problems per 100 lines; missing: over "
        f"{PEP8_PARTIAL_MAX_PER_100:g} with no linter set up",
        "linter set-up: ruff/flake8/black/pylint configuration, pre-commit hooks, CI lint steps",
    ]
    setup = linter_setup(snap)
    result = lint_result(snap)
    if result is None:
        return not_verifiable("the ruff executable is not available to measure the code", setup)
    if result.error:
        return not_verifiable(f"ruff did not run: {result.error}", setup, checked)
    if result.files == 0:
        return missing("no Python code of the group's own to check", checked, setup[:2])
    density = result.per_100
    top = ", ".join(f"{code} ×{count}" for code, count in result.top_rules())
    examples: list[Evidence] = []
    seen_codes: set[str] = set()
    for code, path, row in result.counted:
        if code not in seen_codes and len(examples) < 3:
            seen_codes.add(code)
            examples.append(evidence(snap, path, row, f"ruff {code}"))
    summary = (
        f"{len(result.counted)} ruff problems in {result.lines} lines of {result.files} files "
        f"({density:.1f} per 100 lines)" + (f"; top rules: {top}" if top else "")
    )
    if result.cosmetic:
        summary += f"; {result.cosmetic} white-space warnings not counted"
    if result.syntax_errors:
        summary += f"; {len(result.syntax_errors)} syntax errors not counted"
    if setup:
        summary += f"; linter set up ({setup[0].why})"
    if density <= PEP8_FOUND_MAX_PER_100:
        ev = setup[:2] + examples[:2]
        if not ev:
            ev = [_clean_evidence(snap, result)]
        return found(summary, ev, checked)
    if density <= PEP8_PARTIAL_MAX_PER_100 or setup:
        return partial(summary, examples + setup[:2], checked)
    return missing(summary, checked, examples)


def _clean_evidence(snap: Snapshot, result: LintResult) -> Evidence:
    files = _lint_files(snap)
    biggest = max(files, key=lambda p: len(snap.lines(p)))
    return evidence(snap, biggest, 1, f"ruff: no problem in {result.lines} lines checked")


# ---------------------------------------------------------------- typing and docstrings


_SKIP_FILES = frozenset({"setup.py", "noxfile.py"})


def _counted(fn: Function) -> bool:
    """Module functions and methods; nested helper functions are left out."""

    nested = "." in fn.qualname and not fn.is_method
    return not nested


def _needs_docstring(fn: Function) -> bool:
    # dunder methods (__len__, __getitem__, __init__) explain themselves or their class does
    return not (fn.name.startswith("__") and fn.name.endswith("__"))


def _typed(fn: Function) -> bool:
    if fn.name == "__init__":
        return fn.args_annotated  # ``-> None`` on __init__ is customary, not required
    return fn.args_annotated and fn.return_annotated


@dataclass
class FunctionStats:
    total: int = 0
    typed: int = 0
    doc_total: int = 0
    documented: int = 0
    files: int = 0
    typed_examples: list[tuple[str, int]] = field(default_factory=list)
    doc_examples: list[tuple[str, int]] = field(default_factory=list)
    bare_examples: list[tuple[str, int]] = field(default_factory=list)

    @property
    def typed_share(self) -> float:
        return self.typed / self.total if self.total else 0.0

    @property
    def documented_share(self) -> float:
        return self.documented / self.doc_total if self.doc_total else 0.0


def function_stats(snap: Snapshot) -> FunctionStats:
    stats = FunctionStats()
    for path in own_python_files(snap):
        if is_test_path(path) or posixpath.basename(path) in _SKIP_FILES:
            continue
        if is_template_copy(snap, path) or is_course_file(path):
            continue
        idx = py_index(snap, path)
        if idx is None or idx.error is not None:
            continue
        counted = [f for f in idx.functions if _counted(f)]
        if counted:
            stats.files += 1
        for fn in counted:
            stats.total += 1
            if _typed(fn):
                stats.typed += 1
                stats.typed_examples.append((path, fn.line))
            if _needs_docstring(fn):
                stats.doc_total += 1
                if fn.has_docstring:
                    stats.documented += 1
                    stats.doc_examples.append((path, fn.line))
            if not _typed(fn) and not fn.has_docstring:
                stats.bare_examples.append((path, fn.line))
    return stats


def _spread(examples: list[tuple[str, int]], n: int) -> list[tuple[str, int]]:
    """Up to ``n`` examples from different files where possible."""

    out: list[tuple[str, int]] = []
    used: set[str] = set()
    for path, line in examples:
        if path not in used:
            used.add(path)
            out.append((path, line))
        if len(out) == n:
            return out
    for item in examples:
        if item not in out and len(out) < n:
            out.append(item)
    return out


@probe("M7.typing-docs")
def typing_and_docs(snap: Snapshot) -> Observation:
    """Shares of the group's functions with full type annotations and with docstrings."""

    checked = [
        "functions and methods of the group's non-test *.py files (AST; nested helpers, "
        "template-identical files excluded; dunder methods not asked for docstrings)",
        f"found: at least {TYPED_FOUND_SHARE:.0%} fully annotated and "
        f"{DOCUMENTED_FOUND_SHARE:.0%} documented; missing: under {TYPED_PARTIAL_SHARE:.0%} "
        f"and {DOCUMENTED_PARTIAL_SHARE:.0%}",
    ]
    stats = function_stats(snap)
    if stats.total == 0:
        return missing("no functions in the group's own code", checked)
    summary = (
        f"{stats.typed}/{stats.total} functions fully annotated ({stats.typed_share:.0%}), "
        f"{stats.documented}/{stats.doc_total} documented ({stats.documented_share:.0%}) "
        f"in {stats.files} files"
    )
    typed_ev = [
        evidence(snap, p, ln, "fully type-annotated") for p, ln in _spread(stats.typed_examples, 2)
    ]
    doc_ev = [evidence(snap, p, ln, "has a docstring") for p, ln in _spread(stats.doc_examples, 2)]
    bare_ev = [
        evidence(snap, p, ln, "no annotations, no docstring")
        for p, ln in _spread(stats.bare_examples, 2)
    ]
    # compared in whole percent, as shown in the summary
    typed_pct = round(100 * stats.typed_share)
    doc_pct = round(100 * stats.documented_share)
    typed_ok = typed_pct >= round(100 * TYPED_FOUND_SHARE)
    doc_ok = doc_pct >= round(100 * DOCUMENTED_FOUND_SHARE)
    if stats.total < MIN_FUNCTIONS:
        if typed_ev or doc_ev:
            return partial(
                f"{summary}: too few functions to judge", typed_ev + doc_ev + bare_ev, checked
            )
        return missing(f"{summary}: too few functions, none typed or documented", checked, bare_ev)
    if typed_ok and doc_ok:
        return found(summary, typed_ev + doc_ev, checked)
    if typed_pct >= round(100 * TYPED_PARTIAL_SHARE) or doc_pct >= round(
        100 * DOCUMENTED_PARTIAL_SHARE
    ):
        lacking = []
        if not typed_ok:
            lacking.append(f"annotations under {TYPED_FOUND_SHARE:.0%}")
        if not doc_ok:
            lacking.append(f"docstrings under {DOCUMENTED_FOUND_SHARE:.0%}")
        return partial(
            f"{summary}: {' and '.join(lacking)}", typed_ev + doc_ev + bare_ev[:1], checked
        )
    return missing(f"{summary}: hardly any typing or documentation", checked, bare_ev)
