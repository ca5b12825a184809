"""M16: code coverage calculated, not only configured.

Coverage counts as run when a workflow step, an invoke task, a Makefile/justfile recipe or a
shell script runs ``coverage run``/``coverage report`` or ``pytest --cov``, when pytest's own
options add ``--cov`` to every run, or when a coverage report is committed. Configuration
(``[tool.coverage]``, ``.coveragerc``) and declared ``coverage``/``pytest-cov`` show intent only.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from probes._commands import invocations
from probes._common import evidence, first_line_matching, only_template, own_files, workflows
from probes._config import ini_section, pyproject_table
from probes._deps import declared_dependencies
from probes._scripts import local_commands, tasks_by_name
from probes.ci import test_steps
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, Origin, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

COVERAGE_ACTIONS = (
    "codecov/codecov-action",
    "coverallsapp/github-action",
    "py-cov-action/python-coverage-comment-action",
    "mishakav/pytest-coverage-comment",
    "orgoro/coverage",
    "irongut/codecoveragesummary",
    "5monkeys/cobertura-action",
    "insightsengineering/coverage-action",
)
#: Files a coverage run writes; committed, they show that coverage was measured.
REPORT_NAMES = ("coverage.xml", "coverage.json", "coverage.lcov", "lcov.info", ".coverage")
_COV_OPTION = re.compile(r"^--cov(=.*)?$")
#: Words after which the next word is the program a command runs.
_COMMAND_STARTS = {"run", "-m", "&&", ";", "||", "exec", "-c", "-lc", "-ec", "then", "do"}
_INSTALLERS = {"pip", "pip3", "uv", "poetry", "conda", "mamba", "pipx", "apt-get", "apt"}
CHECKED = [
    "workflow run steps and coverage actions (.github/workflows)",
    "tasks.py ctx.run commands, Makefile/justfile recipes, *.sh scripts",
    "pytest addopts (pyproject.toml, pytest.ini, setup.cfg, tox.ini)",
    "committed coverage reports (coverage.xml, .coverage, htmlcov/, badges)",
    "coverage configuration ([tool.coverage], .coveragerc) and coverage/pytest-cov dependencies",
]


def coverage_command(command: str) -> str | None:
    """What a shell line does to measure coverage (``coverage run``, ``pytest --cov``)."""

    for inv in invocations(command):
        if inv.program in _INSTALLERS:
            continue
        args = list(inv.args)
        if (
            inv.program == "coverage"
            and args[:1]
            and args[0]
            in (
                "run",
                "report",
                "xml",
                "html",
                "json",
                "lcov",
                "combine",
            )
        ):
            return f"coverage {args[0]}"
        if inv.program in ("pytest", "py.test") and any(_COV_OPTION.match(a) for a in args):
            return "pytest --cov"
        if inv.program in ("docker", "sh", "bash"):
            # ``docker run img sh -c "coverage run -m pytest"``: look inside the quoted script
            for arg in args:
                if " " in arg:
                    inner = coverage_command(arg)
                    if inner:
                        return inner
    # ``coverage run -m pytest`` unwraps to the program it runs (pytest): look at the words.
    if any(
        inv.program in _INSTALLERS and {"install", "add"} & set(inv.args[:3])
        for inv in invocations(command)
    ):
        return None
    words = command.replace('"', " ").replace("'", " ").split()
    for i, word in enumerate(words[:-1]):
        starts = i == 0 or words[i - 1] in _COMMAND_STARTS or words[i - 1].endswith((";", "&&"))
        if (
            starts
            and word.rsplit("/", 1)[-1] == "coverage"
            and words[i + 1] in ("run", "report", "xml")
        ):
            return f"coverage {words[i + 1]}"
    return None


def _workflow_runs(snap: Snapshot) -> list[Evidence]:
    out = []
    for wf in workflows(snap):
        if wf.error:
            continue
        for job, step in wf.all_steps():
            action = (step.action or "").lower()
            if action.startswith(COVERAGE_ACTIONS):
                out.append(evidence(snap, wf.path, step.line, f"job {job.id}: {step.action}"))
                continue
            for line, command in step.run_commands():
                what = coverage_command(command) or _through_task(snap, command)
                if what:
                    out.append(evidence(snap, wf.path, line, f"job {job.id} runs {what}"))
                    break
    return out


def _through_task(snap: Snapshot, command: str) -> str | None:
    """``invoke test`` in CI, where the ``test`` task of tasks.py measures coverage."""

    for inv in invocations(command):
        if inv.program not in ("invoke", "inv") or not snap.exists("tasks.py"):
            continue
        tasks = tasks_by_name(snap.text("tasks.py") or "")
        for name in (a for a in inv.args if not a.startswith("-")):
            for _line, inner in tasks.get(name, []):
                what = coverage_command(inner)
                if what:
                    return f"invoke {name} (its task runs {what})"
    return None


def _local_runs(snap: Snapshot) -> list[Evidence]:
    out = []
    seen: set[str] = set()
    for path, kind, line, command in local_commands(snap):
        if path in seen:
            continue
        what = coverage_command(command)
        if what:
            seen.add(path)
            out.append(evidence(snap, path, line, f"{kind} runs {what}"))
    return out


def _addopts(snap: Snapshot) -> list[Evidence]:
    """``--cov`` in pytest's addopts: every test run measures coverage."""

    out = []
    opts = pyproject_table(snap, "tool", "pytest", "ini_options") or {}
    value = opts.get("addopts")
    words = value.split() if isinstance(value, str) else value if isinstance(value, list) else []
    if any(_COV_OPTION.match(str(w)) for w in words):
        line = first_line_matching(snap, "pyproject.toml", re.compile(r"--cov\b"))
        out.append(evidence(snap, "pyproject.toml", line, "pytest addopts include --cov"))
    for name, section in (
        ("pytest.ini", "pytest"),
        ("setup.cfg", "tool:pytest"),
        ("tox.ini", "pytest"),
    ):
        options = ini_section(snap, name, section) or {}
        if any(_COV_OPTION.match(w) for w in options.get("addopts", "").split()):
            line = first_line_matching(snap, name, re.compile(r"--cov\b"))
            out.append(evidence(snap, name, line, "pytest addopts include --cov"))
    return out


def _reports(snap: Snapshot) -> list[Evidence]:
    out = []
    for path in own_files(snap):
        name = posixpath.basename(path).lower()
        parts = path.lower().split("/")
        if (
            name in REPORT_NAMES
            or ("htmlcov" in parts[:-1] and name == "index.html")
            or (name.endswith(".svg") and "coverage" in name)
        ):
            kind = "coverage badge" if name.endswith(".svg") else "coverage report"
            out.append(evidence(snap, path, None, f"committed {kind}"))
    return out[:3]


def _configuration(snap: Snapshot) -> list[Evidence]:
    out = []
    if snap.exists("pyproject.toml"):
        line = first_line_matching(snap, "pyproject.toml", re.compile(r"^\s*\[tool\.coverage"))
        if line is not None:
            out.append(evidence(snap, "pyproject.toml", line, "coverage settings"))
    if snap.exists(".coveragerc"):
        out.append(evidence(snap, ".coveragerc", 1, "coverage settings file"))
    for name in ("setup.cfg", "tox.ini"):
        if snap.exists(name):
            line = first_line_matching(snap, name, re.compile(r"^\s*\[coverage:"))
            if line is not None:
                out.append(evidence(snap, name, line, "coverage settings"))
    declared = declared_dependencies(snap)
    for path, req in declared.requirements:
        if req.name in ("coverage", "pytest-cov"):
            out.append(evidence(snap, path, req.line, f"{req.name} declared"))
            break
    return out


@probe("M16.coverage")
def coverage(snap: Snapshot) -> Observation:
    """Coverage measured somewhere (CI, a task, pytest options) or a committed report."""

    in_ci = _workflow_runs(snap)
    addopts = _addopts(snap)
    if addopts and test_steps(snap):
        # every pytest run measures coverage, and CI runs pytest
        in_ci = in_ci + addopts
    runs = in_ci + _local_runs(snap) + [e for e in addopts if e not in in_ci]
    reports = _reports(snap)
    config = _configuration(snap)
    if runs and not only_template(runs):
        own = [e for e in runs if e.origin is not Origin.TEMPLATE]
        where_ = ", ".join(sorted({e.path for e in own})[:3])
        if any(e.origin is not Origin.TEMPLATE for e in in_ci):
            summary = f"coverage is measured in CI: {own[0].why} ({where_})"
        else:
            summary = f"coverage is measured when run by hand: {own[0].why} ({where_}); no CI step"
        return found(summary, own[:4] + reports[:1], CHECKED)
    if reports:
        return found("a coverage report is committed", reports + config[:1], CHECKED)
    if runs:
        return partial(
            "coverage is run only by the course template's files, unchanged "
            f"({', '.join(sorted({e.path for e in runs}))})",
            runs[:3] + config[:2],
            CHECKED,
        )
    if config:
        return partial(
            "coverage is configured or declared, but nothing runs it", config[:3], CHECKED
        )
    return missing("coverage is neither run nor configured", CHECKED)
