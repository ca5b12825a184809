"""M24: tests of the application's API, run by continuous integration.

An API test is a collected test file that calls the app through FastAPI's/Starlette's
``TestClient`` or an ``httpx`` client on the app, imports the project's FastAPI module, or
sends HTTP requests to a running service. CI counts when an automatic workflow step runs
pytest over a path that holds such a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from probes._commands import invocations
from probes._common import evidence, py_index, py_indexes
from probes._pysubstance import substance
from probes._pytests import TestFile, test_suite
from probes.ci import runs_automatically, test_steps
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

CLIENTS = {
    "fastapi.testclient.TestClient": "FastAPI TestClient",
    "starlette.testclient.TestClient": "Starlette TestClient",
    "httpx.ASGITransport": "httpx ASGITransport",
    "httpx.AsyncClient": "httpx AsyncClient",
}
HTTP_CALLS = {
    f"{lib}.{verb}"
    for lib in ("requests", "httpx")
    for verb in ("get", "post", "put", "patch", "delete", "request")
}
#: pytest options that take the next word as their value (so it is not a path).
PYTEST_VALUE_OPTIONS = {
    "-k",
    "-m",
    "-c",
    "-p",
    "-n",
    "-o",
    "-W",
    "--rootdir",
    "--ignore",
    "--ignore-glob",
    "--deselect",
    "--cov-report",
    "--cov-config",
    "--cov-fail-under",
    "--junitxml",
    "--junit-xml",
    "--maxfail",
    "--durations",
    "--tb",
    "--log-level",
    "--basetemp",
    "--timeout",
    "--confcutdir",
    "--import-mode",
    "--html",
    "--dist",
    "--numprocesses",
}
CHECKED = [
    "collected test files: TestClient / httpx clients, imports of the FastAPI module, "
    "requests/httpx calls",
    ".github/workflows: automatic steps running pytest, and the paths they pass",
]


@dataclass
class ApiTest:
    file: TestFile
    evidence: Evidence
    strong: bool  # exercises the app in-process or a running service, and asserts


def _api_modules(snap: Snapshot) -> set[str]:
    """Dotted names of the project's modules that create a FastAPI app."""

    out: set[str] = set()
    for idx in py_indexes(snap, mentioning="FastAPI"):
        if any((c.resolved or c.name) == "fastapi.FastAPI" for c in idx.calls):
            parts = idx.path[:-3].split("/")
            for start in range(len(parts)):
                out.add(".".join(parts[start:]))
    return out


def api_tests(snap: Snapshot) -> list[ApiTest]:
    modules = _api_modules(snap)
    out = []
    for tf in test_suite(snap).files:
        idx = tf.index
        checks = substance(snap, tf.path).checks  # asserts, self.assert*(), pytest.raises
        hit: tuple[int, str] | None = None
        for call in idx.calls:
            name = call.resolved or call.name
            if name in CLIENTS:
                hit = (call.line, f"{CLIENTS[name]} on the app")
                break
        if hit is None:
            for mod, line in tf.project_imports:
                if mod in modules or mod.rsplit(".", 1)[0] in modules:
                    hit = (line, f"imports the FastAPI module {mod}")
                    break
        if hit is None:
            for call in idx.calls:
                if (call.resolved or call.name) in HTTP_CALLS:
                    hit = (call.line, f"sends HTTP requests ({call.resolved or call.name})")
                    break
        if hit is None:
            continue
        line, why = hit
        why = f"{len(tf.tests)} test(s), {checks} check(s): {why}"
        out.append(ApiTest(tf, evidence(snap, tf.path, line, why), checks > 0))
    return out


def pytest_ignored(command: str) -> list[str]:
    """Paths a pytest command line leaves out with ``--ignore``."""

    out = []
    for inv in invocations(command):
        if inv.program in ("pytest", "py.test"):
            args = list(inv.args)
            for i, word in enumerate(args):
                if word.startswith("--ignore="):
                    out.append(word.split("=", 1)[1])
                elif word == "--ignore" and i + 1 < len(args):
                    out.append(args[i + 1])
    return out


def pytest_keyword(command: str) -> str | None:
    """The ``-k`` expression of a pytest command line, if any."""

    for inv in invocations(command):
        if inv.program in ("pytest", "py.test"):
            args = list(inv.args)
            for i, word in enumerate(args):
                if word == "-k" and i + 1 < len(args):
                    return args[i + 1]
                if word.startswith("-k") and len(word) > 2:
                    return word[2:].lstrip("=")
    return None


_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def keyword_selects(expression: str, names: list[str]) -> bool:
    """Does pytest's ``-k expression`` select a test whose name and parents are ``names``?

    Words match as case-insensitive substrings; ``and``/``or``/``not`` and parentheses
    combine them. An expression that cannot be read selects (the doubt goes to the group).
    """

    haystack = " ".join(names).lower()
    tokens = _TOKEN.findall(expression)
    pos = 0

    def atom() -> bool:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError("unexpected end")
        word = tokens[pos]
        pos += 1
        if word == "not":
            return not atom()
        if word == "(":
            value = disjunction()
            if pos >= len(tokens) or tokens[pos] != ")":
                raise ValueError("unbalanced")
            pos += 1
            return value
        return word.lower() in haystack

    def conjunction() -> bool:
        nonlocal pos
        value = atom()
        while pos < len(tokens) and tokens[pos] == "and":
            pos += 1
            value = atom() and value
        return value

    def disjunction() -> bool:
        nonlocal pos
        value = conjunction()
        while pos < len(tokens) and tokens[pos] == "or":
            pos += 1
            value = conjunction() or value
        return value

    try:
        result = disjunction()
    except (ValueError, RecursionError):
        return True
    return result if pos == len(tokens) else True


def _selected(tf: TestFile, expression: str | None) -> bool:
    if not expression:
        return True
    parents = tf.path.split("/")
    return any(keyword_selects(expression, [*parents, *name.split(".")]) for name, _l in tf.tests)


def pytest_targets(command: str) -> list[str] | None:
    """The paths a pytest command line names; [] for none (pytest's defaults); None when the
    command runs tests through a task runner whose targets cannot be seen."""

    for inv in invocations(command):
        if inv.program not in ("pytest", "py.test"):
            continue
        paths: list[str] = []
        args = list(inv.args)
        i = 0
        while i < len(args):
            word = args[i]
            if word.startswith("-"):
                name = word.split("=", 1)[0]
                # ``--cov`` takes an optional value: argparse gives it the next word
                takes_value = name in PYTEST_VALUE_OPTIONS or (
                    name == "--cov" and i + 1 < len(args) and not args[i + 1].startswith("-")
                )
                i += 2 if takes_value and "=" not in word else 1
                continue
            paths.append(word.split("::", 1)[0])
            i += 1
        return paths
    return None


def _normal(path: str) -> str:
    while path.startswith("./"):
        path = path[2:]
    return path.rstrip("/")


def covers(targets: list[str] | None, path: str) -> bool:
    """Does a pytest run over ``targets`` collect the file at ``path``?

    Targets are taken relative to the repository root or to any folder above the file
    (a step's ``working-directory`` is not known).
    """

    if not targets:
        return True
    parts = path.split("/")
    tails = ["/".join(parts[k:]) for k in range(len(parts))]
    for raw in targets:
        target = _normal(raw)
        if target in ("", "."):
            return True
        for tail in tails:
            if tail == target or tail.startswith(target + "/"):
                return True
    return False


@probe("M24.api-tests-ci")
def api_tests_in_ci(snap: Snapshot) -> Observation:
    """API tests (TestClient/httpx) that an automatic workflow step runs with pytest."""

    tests = api_tests(snap)
    steps = test_steps(snap)
    auto = [s for s in steps if runs_automatically(s.workflow)]
    if not tests:
        pointers = [
            evidence(snap, s.workflow.path, s.line, "runs the tests, none of them an API test")
            for s in auto[:2]
        ]
        uncollected = [
            evidence(snap, p, None, "API test file that pytest does not collect")
            for p in test_suite(snap).uncollected
            if _calls_client(snap, p)
        ]
        if uncollected:
            return partial(
                "API tests exist, but pytest does not collect their file name",
                uncollected[:3],
                CHECKED,
            )
        return missing("no test calls the API", CHECKED, pointers)
    strong = [t for t in tests if t.strong]
    chosen = strong or tests
    # steps that run whole folders first: a ``-k`` selection picks tests by name only
    auto.sort(key=lambda s: pytest_keyword(s.command) is not None)
    for step in auto:
        targets = pytest_targets(step.command)
        ignored = pytest_ignored(step.command)
        keyword = pytest_keyword(step.command)
        hits = [
            t
            for t in chosen
            if covers(targets, t.file.path)
            and not (ignored and covers(ignored, t.file.path))
            and _selected(t.file, keyword)
        ]
        if hits:
            via = "" if targets is not None else " (through a test runner task)"
            ev = [t.evidence for t in hits[:2]] + [
                evidence(snap, step.workflow.path, step.line, f"job {step.job.id} runs the tests")
            ]
            if not strong:
                return partial(
                    "API tests run in CI, but they check nothing (no assert)", ev, CHECKED
                )
            return found(
                f"API tests ({', '.join(sorted({t.file.path for t in hits})[:3])}) run in "
                f"{step.workflow.path}{via}",
                ev,
                CHECKED,
            )
    ev = [t.evidence for t in chosen[:2]]
    if auto:
        step = auto[0]
        return partial(
            f"API tests exist, but the CI test step runs `{step.command[:80]}`, which does "
            "not include them",
            [*ev, evidence(snap, step.workflow.path, step.line, "CI test step")],
            CHECKED,
        )
    if steps:
        return partial(
            "API tests exist; the workflow that runs tests is only started by hand",
            [*ev, evidence(snap, steps[0].workflow.path, steps[0].line, "manual test step")],
            CHECKED,
        )
    return partial("API tests exist, but no workflow runs them", ev, CHECKED)


def _calls_client(snap: Snapshot, path: str) -> bool:
    idx = py_index(snap, path)
    if idx is None or idx.error:
        return False
    return any((c.resolved or c.name) in CLIENTS for c in idx.calls)
