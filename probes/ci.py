"""M17: continuous integration that runs the tests, with caching, a matrix and linting.

Workflows are parsed (not grepped): a step counts only for what it runs, and ``on:`` decides
whether the workflow runs by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from probes._commands import lint_runs, runs_tests
from probes._common import evidence, only_template, where, workflows
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial
from verifier.repo.formats.workflow import Job, Step, Workflow

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

AUTOMATIC_EVENTS = {"push", "pull_request", "pull_request_target", "merge_group", "schedule"}
CHECKED_WORKFLOWS = ".github/workflows/*.yml and *.yaml"
LINT_ACTIONS = (
    "astral-sh/ruff-action",
    "chartboost/ruff-action",
    "pre-commit/action",
    "psf/black",
    "py-actions/flake8",
    "ricardochaves/python-lint",
    "jpetrucciani/ruff-check",
)


@dataclass(frozen=True)
class TestStep:
    workflow: Workflow
    job: Job
    step: Step
    line: int
    command: str


def test_steps(snap: Snapshot) -> list[TestStep]:
    """Steps that run a test suite, in workflows that parse."""

    out = []
    for wf in workflows(snap):
        if wf.error:
            continue
        for job, step in wf.all_steps():
            for line, command in step.run_commands():
                if runs_tests(command):
                    out.append(TestStep(wf, job, step, line, command))
                    break
    return out


def runs_automatically(wf: Workflow) -> bool:
    """Runs on push, pull request or schedule, or is called by such a workflow."""

    return bool(AUTOMATIC_EVENTS & set(wf.triggers)) or "workflow_call" in wf.triggers


def _workflow_files_on_other_branches(snap: Snapshot) -> list[str]:
    branches: set[str] = set()
    for name in (".github/workflows/tests.yaml", ".github/workflows/tests.yml"):
        branches.update(snap.branches_holding(name))
    return sorted(branches)


def _no_workflows(snap: Snapshot) -> Observation:
    nested = [p for p in snap.ignored_github if "/workflows/" in p]
    if nested:
        return partial(
            "workflow files sit in the project folder's .github/, which GitHub never runs "
            "(only the repository root's .github/workflows count)",
            [Evidence(p, None, "", "workflow GitHub does not run") for p in nested[:4]],
            [CHECKED_WORKFLOWS + " at the repository root"],
        )
    other = _workflow_files_on_other_branches(snap)
    summary = "no GitHub workflow files"
    if other:
        summary += f"; a tests workflow exists on branch {', '.join(other[:3])}, not here"
    return missing(summary, [CHECKED_WORKFLOWS])


@probe("M17.ci")
def continuous_integration(snap: Snapshot) -> Observation:
    """A workflow that runs the tests automatically; with GitHub facts, the latest runs on
    the default branch are shown beside it (they do not change the verdict: a failing run
    still shows that CI runs)."""

    obs = _ci_from_files(snap)
    rows = latest_runs(snap)
    if rows and obs.evidence:
        obs.evidence = [*obs.evidence, *rows]
    return obs


def latest_runs(snap: Snapshot) -> list[Evidence]:
    """One row per workflow: its latest run on the default branch (``--github``)."""

    facts = snap.github
    if facts is None or not facts.runs:
        return []
    rows = []
    for run in facts.runs[:6]:
        state = run.conclusion if run.status == "completed" else run.status
        text = f"{run.workflow}: {state} ({run.event}, {run.head_sha[:12]}, {run.created_at})"
        why = f"latest run on {facts.default_branch or 'the default branch'} (GitHub Actions)"
        rows.append(Evidence(run.url, None, text, why))
    return rows


def _ci_from_files(snap: Snapshot) -> Observation:
    wfs = workflows(snap)
    if not wfs:
        return _no_workflows(snap)
    broken = [
        evidence(snap, wf.path, None, f"workflow does not parse: {wf.error}")
        for wf in wfs
        if wf.error
    ]
    steps = test_steps(snap)
    auto = [t for t in steps if runs_automatically(t.workflow)]
    checked = [CHECKED_WORKFLOWS, "run steps invoking pytest/unittest/tox/nox or a test task"]
    if auto:
        ev = [
            evidence(snap, t.workflow.path, t.line, f"job {t.job.id} runs the tests")
            for t in auto[:4]
        ]
        triggers = sorted(set(auto[0].workflow.triggers) & (AUTOMATIC_EVENTS | {"workflow_call"}))
        return found(
            f"tests run in CI ({auto[0].workflow.path}, on {', '.join(triggers)})", ev, checked
        )
    if steps:
        ev = [evidence(snap, t.workflow.path, t.line, "runs the tests") for t in steps[:3]]
        return partial(
            "a workflow runs the tests, but only when started by hand", ev + broken, checked
        )
    ev = [evidence(snap, wf.path, wf.trigger_line or 1, "workflow") for wf in wfs[:4]]
    return partial(
        f"workflows exist ({where(wf.path for wf in wfs)}) but none runs the tests",
        ev + broken,
        checked,
    )


def caching_evidence(wf: Workflow, snap: Snapshot) -> list[Evidence]:
    ev = []
    for _job, step in wf.all_steps():
        action = (step.action or "").lower()
        if action == "actions/cache" or action.startswith("actions/cache/"):
            ev.append(evidence(snap, wf.path, step.line, "actions/cache step"))
        elif action in ("actions/setup-python", "actions/setup-node") and step.with_.get("cache"):
            line = step.with_lines.get("cache", step.line)
            ev.append(evidence(snap, wf.path, line, f"{action} with cache: {step.with_['cache']}"))
        elif action == "astral-sh/setup-uv" and str(step.with_.get("enable-cache", "")).lower() in (
            "true",
            "auto",
        ):
            line = step.with_lines.get("enable-cache", step.line)
            ev.append(evidence(snap, wf.path, line, "setup-uv with enable-cache"))
        elif action in ("conda-incubator/setup-miniconda", "mamba-org/setup-micromamba") and any(
            "cache" in str(k) for k in step.with_
        ):
            ev.append(evidence(snap, wf.path, step.line, f"{action} with caching"))
    return ev


def _matrix_spread(job: Job) -> list[str]:
    spread = []
    families = job.os_families()
    if len(families) > 1:
        spread.append(f"{len(families)} operating systems ({', '.join(sorted(job.oses))})")
    if len(job.python_versions) > 1:
        spread.append(f"Python {', '.join(sorted(job.python_versions))}")
    for key, values in job.matrix.items():
        if "torch" in str(key).lower() and len(values) > 1:
            spread.append(f"{key}: {', '.join(map(str, values))}")
    return spread


@probe("M17.caching-multi-os")
def caching_and_matrix(snap: Snapshot) -> Observation:
    """Test workflows that cache dependencies and run over several OSes/Pythons/torches."""

    steps = test_steps(snap)
    checked = [CHECKED_WORKFLOWS + " that run the tests", "caching steps and strategy.matrix"]
    if not steps:
        if not workflows(snap):
            return _no_workflows(snap)
        return missing("no workflow runs the tests", checked)
    cache_ev: list[Evidence] = []
    matrix_ev: list[Evidence] = []
    seen_wf: set[str] = set()
    for t in steps:
        if t.workflow.path not in seen_wf:
            seen_wf.add(t.workflow.path)
            cache_ev.extend(caching_evidence(t.workflow, snap))
        spread = _matrix_spread(t.job)
        if spread:
            line = t.job.matrix_line or t.job.line
            matrix_ev.append(evidence(snap, t.workflow.path, line, "matrix: " + "; ".join(spread)))
    if cache_ev and matrix_ev:
        ev = matrix_ev[:3] + cache_ev[:3]
        if only_template(ev):
            return partial(
                "caching and the OS/Python matrix come from the course template's workflow, "
                "unchanged",
                ev,
                checked,
            )
        return found("tests are cached and run over a matrix", ev, checked)
    if cache_ev:
        return partial("caching, but tests run on one OS and one Python", cache_ev[:3], checked)
    if matrix_ev:
        return partial("a test matrix, but no dependency caching", matrix_ev[:3], checked)
    ev = [evidence(snap, t.workflow.path, t.line, "runs the tests") for t in steps[:2]]
    return missing("test workflows neither cache nor use a matrix", checked, ev)


@probe("M17.linting-ci")
def linting_in_ci(snap: Snapshot) -> Observation:
    """A workflow step that runs a linter that can fail the build."""

    wfs = workflows(snap)
    if not wfs:
        return _no_workflows(snap)
    gating: list[Evidence] = []
    soft: list[Evidence] = []
    for wf in wfs:
        if wf.error:
            continue
        for _job, step in wf.all_steps():
            action = (step.action or "").lower()
            if any(action.startswith(a) for a in LINT_ACTIONS):
                gating.append(evidence(snap, wf.path, step.line, f"lint action {step.action}"))
            for line, command in step.run_commands():
                for tool, can_fail in lint_runs(command):
                    if can_fail:
                        gating.append(evidence(snap, wf.path, line, f"runs {tool}"))
                    else:
                        soft.append(
                            evidence(snap, wf.path, line, f"{tool} rewrites files and never fails")
                        )
    checked = [
        CHECKED_WORKFLOWS,
        "run steps invoking ruff/flake8/pylint/mypy/black/pre-commit",
        "a ci: section in .pre-commit-config.yaml (pre-commit.ci)",
    ]
    if gating and only_template(gating):
        return partial(
            "the only lint step is the course template's workflow, unchanged", gating[:4], checked
        )
    if gating:
        return found("linting runs in CI", gating[:4], checked)
    service = _pre_commit_ci(snap)
    if service:
        return partial(
            "pre-commit.ci is configured; its runs happen outside the repository's workflows",
            service + soft[:2],
            checked,
        )
    if soft:
        return partial("only formatting steps that cannot fail the build", soft[:3], checked)
    return missing("no workflow step runs a linter", checked)


def _pre_commit_ci(snap: Snapshot) -> list[Evidence]:
    """The ``ci:`` section that configures the pre-commit.ci service."""

    path = ".pre-commit-config.yaml"
    if not snap.exists(path):
        return []
    doc = snap.yaml(path)
    if doc.error or not isinstance(doc.value, dict) or not isinstance(doc.value.get("ci"), dict):
        return []
    line = next((n for n, t in enumerate(snap.lines(path), 1) if t.startswith("ci:")), 1)
    return [evidence(snap, path, line, "pre-commit.ci settings")]
