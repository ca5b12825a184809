"""Claim checks for what Q11 says about continuous integration, against the parsed workflows.

Every workflow GitHub would run (``.github/workflows/*.yml|yaml``) is read; a claim is about
the CI as a whole, so a value found in any of them counts.

- ``ci-os``: the runner families (linux / windows / macos) the jobs resolve to, matrix expanded.
  An OS named in the answer but in no workflow is inconsistent; runner labels the parser cannot
  resolve (``${{ inputs.os }}``, self-hosted) make a missing OS unverifiable.
- ``ci-python``: the Python versions jobs set up, compared as major.minor. ``3.10`` written
  unquoted in YAML is the number 3.1 — GitHub reads it that way too, and the answer is told so.
- ``ci-caching``: actions/cache, setup-python/setup-node ``cache:``, setup-uv caching (explicit,
  or by default from v5 on), conda caching, Docker build caches (``cache-from``).
- ``ci-linting``: steps that run a linter (also a type checker, pre-commit, lint actions); a
  named tool must be the one run (directly or as a hook of the pre-commit run in CI).
- ``workflow-count``: the number of workflow files, exactly ("main workflows": at most).
- ``workflow-file``: a workflow of that file name exists.

A negated claim ("we did not cache", "no linting step in CI") is consistent when the thing is
absent and inconsistent when the workflows clearly do it.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from probes._commands import lint_runs
from probes._common import evidence, where, workflows
from probes.ci import caching_evidence as workflow_caching
from verifier.engine.registry import claim_check
from verifier.findings import (
    ClaimResult,
    Evidence,
    Origin,
    consistent,
    inconsistent,
    unverifiable,
)
from verifier.repo.formats.workflow import Workflow
from verifier.report.model import Tick

if TYPE_CHECKING:
    from verifier.claims.model import Claim
    from verifier.repo.snapshot import Snapshot
    from verifier.report.model import Report

FAMILIES = ("linux", "windows", "macos")
OS_NAMES = {"linux": "Linux (ubuntu)", "windows": "Windows", "macos": "macOS"}
CHECKED = ".github/workflows/*.yml and *.yaml"
#: Lint actions and the tools they run.
LINT_ACTION_TOOLS = {
    "astral-sh/ruff-action": ("ruff",),
    "chartboost/ruff-action": ("ruff",),
    "jpetrucciani/ruff-check": ("ruff",),
    "psf/black": ("black",),
    "py-actions/flake8": ("flake8",),
    "pre-commit/action": ("pre-commit",),
    "ricardochaves/python-lint": ("pylint", "flake8", "black", "isort", "mypy", "pycodestyle"),
    "jakebailey/pyright-action": ("pyright",),
    "isort/isort-action": ("isort",),
}
#: pre-commit hook ids and the tool they run.
HOOK_TOOLS = {
    "ruff": "ruff",
    "ruff-check": "ruff",
    "ruff-format": "ruff",
    "black": "black",
    "black-jupyter": "black",
    "flake8": "flake8",
    "mypy": "mypy",
    "isort": "isort",
    "pylint": "pylint",
    "pyright": "pyright",
    "pycodestyle": "pycodestyle",
    "pydocstyle": "pydocstyle",
    "autopep8": "autopep8",
    "bandit": "bandit",
}
_LOCAL_WORDS = re.compile(r"\blocal(ly)?\b|\bbefore (each|every) commit\b", re.I)
_CI_WORDS = re.compile(r"\b(ci|workflows?|github actions?|pipelines?|pull requests?|push)\b", re.I)
_AUTOMATIC = {"push", "pull_request", "pull_request_target", "merge_group"}
_HOOK_WORDS = re.compile(r"pre-?commit|\bhooks?\b", re.I)
_SUBSET_WORDS = re.compile(
    r"\b(main|primary|core|key|major|important|principal|part of|among)\b", re.I
)


def _parsed(snap: Snapshot) -> list[Workflow]:
    return [wf for wf in workflows(snap) if wf.error is None]


def _no_workflows(snap: Snapshot, expected: str, negated: bool) -> ClaimResult:
    nested = [p for p in getattr(snap, "ignored_github", []) if "/workflows/" in p]
    if negated:
        return consistent(expected, "no workflow files", "there is no CI at all")
    if nested:
        # The workflows are written but sit where GitHub never runs them: the CI item's
        # verdict says so; what they would run is not held against the answer.
        return unverifiable(
            expected,
            f"the workflows ({where(nested)}) sit in a subfolder GitHub never runs; what "
            "they would run is not compared with the answer",
            [],
            f"no workflow files at the root; {where(nested)} in a subfolder",
        )
    return inconsistent(expected, "no workflow files", "there are no GitHub workflow files", [])


def checklist_note(
    snap: Snapshot, report: Report, result: ClaimResult, catalog_id: str, what: str
) -> ClaimResult:
    """Say when the answer denies something whose checklist box is ticked (the verdict is
    about the repository; the contradiction with the box is added to why and evidence)."""

    item = next((i for i in report.items if i.catalog_id == catalog_id), None)
    if item is None or item.tick is not Tick.TICKED:
        return result
    result.why += f"; but the checklist ticks {what} (line {item.line})"
    result.evidence.append(
        evidence(snap, report.path, item.line, f"{what}: box ticked", Origin.GROUP)
    )
    return result


def _negated_label(claim: Claim, text: str) -> str:
    return f"not {text}" if claim.negated else text


# ------------------------------------------------------------------------ operating systems


@claim_check("ci-os")
def check_ci_os(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """An operating system the answer says CI runs on vs. the jobs' runner labels."""

    family = str(claim.value).lower()
    expected = _negated_label(claim, f"CI runs on {OS_NAMES.get(family, family)}")
    wfs = _parsed(snap)
    if not wfs:
        return _no_workflows(snap, expected, claim.negated)
    hits: list[Evidence] = []
    seen: set[str] = set()
    unresolved: list[str] = []
    for wf in wfs:
        for job in wf.jobs:
            families = job.os_families()
            seen |= families & set(FAMILIES)
            labels = set(job.oses) | {str(x) for x in job.runs_on}
            unresolved += [x for x in labels if _family(x) is None and not _plain_label(x)]
            if family in families:
                labels = ", ".join(sorted(x for x in job.oses if _family(x) == family))
                line = job.matrix_line or job.line
                hits.append(evidence(snap, wf.path, line, f"job {job.id} runs on {labels}"))
    observed = (
        "runners: " + ", ".join(OS_NAMES[f] for f in FAMILIES if f in seen)
        if seen
        else "no runner label resolved"
    )
    if unresolved:
        observed += f"; unresolved labels: {', '.join(sorted(set(unresolved))[:3])}"
    if hits and not claim.negated:
        return consistent(expected, observed, "a job runs on that OS", hits[:3])
    if hits:
        return inconsistent(
            expected, observed, "the answer says no, but a job runs on it", hits[:3]
        )
    if unresolved:
        return unverifiable(
            expected, "some runner labels are expressions the parser cannot resolve", [], observed
        )
    if claim.negated:
        return consistent(expected, observed, "no job runs on that OS")
    return inconsistent(expected, observed, "no job of any workflow runs on that OS", [])


def _plain_label(label: str) -> bool:
    """Runner labels that name no OS family but are not unknowns either."""

    return label.lower() in ("self-hosted", "x64", "arm64", "linux", "gpu")


def _family(label: str) -> str | None:
    low = label.lower()
    for prefix, fam in (("ubuntu", "linux"), ("windows", "windows"), ("macos", "macos")):
        if low.startswith(prefix):
            return fam
    return None


# ------------------------------------------------------------------------ Python versions

_MINOR = re.compile(r"^(?:python|py|cpython-?)?(\d+)\.(\d+)")


def minor_of(version: str) -> str | None:
    """``3.12`` for ``3.12``, ``3.12.1``, ``3.12.x``, ``cpython-3.12``; None for ``3.x``."""

    m = _MINOR.match(version.strip().lower())
    return f"{m.group(1)}.{m.group(2)}" if m else None


def _version_file(snap: Snapshot, path: str) -> list[str]:
    """Versions named by a ``python-version-file`` (``.python-version`` or similar)."""

    if posixpath.basename(path) in ("pyproject.toml", "setup.cfg") or not snap.exists(path):
        return []
    return [line.strip() for line in snap.lines(path) if line.strip()][:5]


@claim_check("ci-python")
def check_ci_python(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """A Python version the answer says CI uses vs. the versions the jobs set up."""

    wanted = minor_of(str(claim.value)) or str(claim.value)
    expected = _negated_label(claim, f"CI uses Python {wanted}")
    wfs = _parsed(snap)
    if not wfs:
        return _no_workflows(snap, expected, claim.negated)
    hits: list[Evidence] = []
    seen: set[str] = set()
    unresolved: set[str] = set()
    float_trap: list[Evidence] = []
    for wf in wfs:
        for job in wf.jobs:
            versions = set(job.python_versions)
            for path in job.python_version_files:
                found = _version_file(snap, path)
                versions |= set(found)
                if not found:
                    unresolved.add(f"python-version-file {path}")
            minors = {v: minor_of(v) for v in versions}
            seen |= {m for m in minors.values() if m}
            unresolved |= {v for v, m in minors.items() if m is None}
            line = job.matrix_line or job.line
            if wanted in minors.values():
                hits.append(evidence(snap, wf.path, line, f"job {job.id} uses Python {wanted}"))
            elif wanted.endswith("0") and wanted[:-1] in minors.values():
                float_trap.append(
                    evidence(
                        snap, wf.path, line, f"{wanted} written unquoted: YAML reads {wanted[:-1]}"
                    )
                )
    observed = "Python " + ", ".join(sorted(seen, key=_version_key)) if seen else "no version set"
    if unresolved:
        observed += f"; not resolved: {', '.join(sorted(unresolved)[:3])}"
    if hits:
        if claim.negated:
            return inconsistent(expected, observed, "the answer says no, but a job uses it", hits)
        return consistent(expected, observed, "a job sets up that version", hits[:3])
    if float_trap and not claim.negated:
        return inconsistent(
            expected,
            observed,
            f"the workflow writes {wanted} as a YAML number, which is {wanted[:-1]}; quote it",
            float_trap[:2],
        )
    if claim.negated:
        return consistent(expected, observed, "no job sets up that version")
    if unresolved or not seen:
        return unverifiable(
            expected,
            "some jobs take their Python version from somewhere the parser does not resolve"
            if unresolved
            else "no job names a Python version (the runner's default Python is used)",
            [],
            observed,
        )
    return inconsistent(expected, observed, "no job sets up that Python version", [])


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


# ------------------------------------------------------------------------ caching


def _uv_default_cache(wf: Workflow, snap: Snapshot) -> list[Evidence]:
    """setup-uv v5 and later cache by default on GitHub-hosted runners."""

    out = []
    for _job, step in wf.all_steps():
        if (step.action or "").lower() != "astral-sh/setup-uv":
            continue
        if "enable-cache" in step.with_:
            continue  # explicit: handled (or disabled) by the caching probe's rule
        m = re.match(r"^v?(\d+)", step.action_ref or "")
        if m and int(m.group(1)) >= 5:
            out.append(
                evidence(snap, wf.path, step.line, f"setup-uv {step.action_ref} caches by default")
            )
    return out


def _docker_cache(wf: Workflow, snap: Snapshot) -> list[Evidence]:
    out = []
    for _job, step in wf.all_steps():
        if (step.action or "").lower() == "docker/build-push-action" and (
            step.with_.get("cache-from") or step.with_.get("cache-to")
        ):
            line = step.with_lines.get("cache-from", step.line)
            out.append(evidence(snap, wf.path, line, "Docker build layer cache"))
        for line, command in step.run_commands():
            if "docker" in command and "--cache-from" in command:
                out.append(evidence(snap, wf.path, line, "Docker build layer cache"))
    return out


_CACHE_INPUTS = {
    "actions/setup-python": {"cache", "cache-dependency-path"},
    "astral-sh/setup-uv": {
        "enable-cache",
        "cache-dependency-glob",
        "cache-suffix",
        "cache-local-path",
        "prune-cache",
        "cache-python",
        "restore-cache",
        "save-cache",
    },
}


def _ignored_cache_inputs(snap: Snapshot) -> list[Evidence]:
    """Cache-like ``with:`` keys an action does not know (``enable-cache`` on setup-python):
    GitHub only warns about them, and nothing is cached."""

    out = []
    for wf in _parsed(snap):
        for _job, step in wf.all_steps():
            known = _CACHE_INPUTS.get((step.action or "").lower())
            if known is None:
                continue
            for key in step.with_:
                if "cache" in key.lower() and key not in known:
                    line = step.with_lines.get(key, step.line)
                    why = f"{step.action} has no input {key}; GitHub ignores it"
                    out.append(evidence(snap, wf.path, line, why))
    return out


def caching_evidence(snap: Snapshot) -> dict[str, list[Evidence]]:
    """Caching evidence per workflow path (empty list: the workflow caches nothing)."""

    out: dict[str, list[Evidence]] = {}
    for wf in _parsed(snap):
        out[wf.path] = (
            workflow_caching(wf, snap) + _uv_default_cache(wf, snap) + _docker_cache(wf, snap)
        )
    return out


@claim_check("ci-caching")
def check_ci_caching(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """Caching in CI as the answer says (or denies) vs. caching steps of the workflows."""

    expected = "CI does not cache" if claim.negated else "CI caches dependencies or builds"
    if not _parsed(snap):
        return _no_workflows(snap, expected, claim.negated)
    per_wf = caching_evidence(snap)
    hits = [e for evs in per_wf.values() for e in evs]
    caching = sorted(p for p, evs in per_wf.items() if evs)
    bare = sorted(p for p, evs in per_wf.items() if not evs)
    observed = (
        f"caching in {where(caching)}" + (f"; none in {where(bare)}" if bare else "")
        if caching
        else f"no caching step in {len(per_wf)} workflow(s)"
    )
    if not claim.negated:
        if hits:
            return consistent(expected, observed, "a workflow has a caching step", hits[:3])
        ignored = _ignored_cache_inputs(snap)
        why = "no workflow caches anything"
        if ignored:
            why += f"; {ignored[0].why}"
        return inconsistent(expected, observed, why, ignored[:2])
    if not hits:
        result = consistent(expected, observed, "no workflow caches anything")
        return checklist_note(snap, report, result, "M17.caching-multi-os", "the caching item")
    if bare:
        return unverifiable(
            expected,
            "some workflows cache and some do not; the answer may speak of one of them",
            hits[:2],
            observed,
        )
    return inconsistent(expected, observed, "every workflow has a caching step", hits[:3])


# ------------------------------------------------------------------------ linting


def _pre_commit_hooks(snap: Snapshot) -> dict[str, tuple[str, int]]:
    """Tools run by the pre-commit configuration: tool -> (path, line of the hook id)."""

    out: dict[str, tuple[str, int]] = {}
    for path in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        if not snap.exists(path):
            continue
        for number, line in enumerate(snap.lines(path), start=1):
            stripped = line.strip()
            if stripped.startswith("#"):
                continue
            m = re.match(r"^-?\s*id:\s*['\"]?([\w.-]+)", stripped)
            if m and m.group(1) in HOOK_TOOLS:
                out.setdefault(HOOK_TOOLS[m.group(1)], (path, number))
    return out


def ci_lint_tools(snap: Snapshot) -> dict[str, list[Evidence]]:
    """Tools CI runs to lint/format-check/type-check, with the steps; ``task`` for task runners."""

    out: dict[str, list[Evidence]] = {}
    for wf in _parsed(snap):
        for _job, step in wf.all_steps():
            action = (step.action or "").lower()
            for prefix, tools in LINT_ACTION_TOOLS.items():
                if action.startswith(prefix):
                    for tool in tools:
                        out.setdefault(tool, []).append(
                            evidence(snap, wf.path, step.line, f"lint action {step.action}")
                        )
            for line, command in step.run_commands():
                for tool, can_fail in lint_runs(command):
                    name = tool.split()[0] if tool.startswith("ruff") else tool
                    if name not in HOOK_TOOLS.values() and name != "pre-commit":
                        name = "task"
                    why = f"runs {tool}" + ("" if can_fail else " (rewrites, cannot fail)")
                    out.setdefault(name, []).append(evidence(snap, wf.path, line, why))
    return out


@claim_check("ci-linting")
def check_ci_linting(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """Linting in CI (a named tool, or any) vs. the workflow steps."""

    tool = str(claim.value).lower()
    generic = tool == "linting"
    what = "linting" if generic else tool
    expected = f"CI does not run {what}" if claim.negated else f"CI runs {what}"
    if not _parsed(snap):
        return _no_workflows(snap, expected, claim.negated)
    runs = ci_lint_tools(snap)
    hooks = _pre_commit_hooks(snap)
    observed = "CI runs " + ", ".join(sorted(runs)) if runs else "no lint step in any workflow"
    if generic:
        hits = [e for evs in runs.values() for e in evs]
    else:
        hits = list(runs.get(tool, []))
        if not hits and tool in hooks and "pre-commit" in runs:
            path, line = hooks[tool]
            why = f"{tool} is a hook of the pre-commit run in CI"
            hits = [*runs["pre-commit"][:1], evidence(snap, path, line, why)]
    if claim.negated:
        if hits:
            return inconsistent(expected, observed, "a workflow step runs it", hits[:3])
        result = consistent(expected, observed, "no workflow step runs it")
        if generic:
            result = checklist_note(snap, report, result, "M17.linting-ci", "the CI linting item")
        return result
    if hits:
        return consistent(expected, observed, "a workflow step runs it", hits[:3])
    words = claim.quote or claim.sentence
    hooked = next(iter(hooks), None) if generic else (tool if tool in hooks else None)
    if hooked is not None and _HOOK_WORDS.search(words) and not _CI_WORDS.search(words):
        path, line = hooks[hooked]
        return unverifiable(
            expected,
            "a pre-commit hook runs it, and hooks run on the developers' machines; "
            "no workflow runs pre-commit",
            [evidence(snap, path, line, f"pre-commit hook running {hooked}")],
            observed,
        )
    if _LOCAL_WORDS.search(words) and not _CI_WORDS.search(words):
        return unverifiable(
            expected, "the answer places it outside CI (run locally); not a CI step", [], observed
        )
    if "task" in runs:
        return unverifiable(
            expected,
            "CI runs a lint task (make/invoke/...) whose commands are not read",
            runs["task"][:2],
            observed,
        )
    return inconsistent(expected, observed, f"no workflow step runs {what}", [])


# ------------------------------------------------------------------------ workflow files


@claim_check("workflow-count")
def check_workflow_count(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """The number of workflow files the answer gives vs. ``.github/workflows/``."""

    wfs = workflows(snap)
    count = len(wfs)
    value = claim.value
    if isinstance(value, tuple | list) or not isinstance(value, int) or isinstance(value, bool):
        return unverifiable(f"{value} workflows", "the claimed count is not a single number")
    expected = f"{value} workflow file{'s' if value != 1 else ''}"
    observed = f"{count} workflow file{'s' if count != 1 else ''}" + (
        f": {where(posixpath.basename(w.path) for w in wfs)}" if wfs else ""
    )
    ev = [evidence(snap, w.path, w.trigger_line or 1, "workflow file") for w in wfs[:6]]
    subset = bool(_SUBSET_WORDS.search(claim.quote or claim.sentence))
    q = claim.qualifier
    if q in ("over", "at least"):
        ok, rule = count >= value, f"at least {value}"
    elif q in ("under", "at most"):
        ok, rule = count <= value, f"at most {value}"
    elif subset:
        ok, rule = 0 < value <= count, f"{value} main ones, so at most the {count} files"
    else:
        ok, rule = count == value, f"exactly {value}"
    if ok:
        return consistent(expected, observed, f"claimed {rule}", ev)
    auto = [w for w in wfs if _AUTOMATIC & set(w.triggers)]
    if q is None and not subset and len(auto) == value:
        why = (
            f"the folder holds {count} files, of which exactly {value} run on push or pull "
            "request (the others are started by hand, on a schedule or by other events)"
        )
        return consistent(expected, observed, why, ev)
    why = f"claimed {rule}; the folder holds {count} ({len(auto)} run on push or pull request)"
    return inconsistent(expected, observed, why, ev)


def _squash(name: str) -> str:
    """``pre-commit.yaml``, ``pre_commit.yml`` and ``precommit.yaml`` alike."""

    stem = posixpath.splitext(name.lower())[0]
    return re.sub(r"[^a-z0-9]", "", stem)


@claim_check("workflow-file")
def check_workflow_file(claim: Claim, snap: Snapshot, report: Report) -> ClaimResult:
    """A workflow file named in the answer exists in ``.github/workflows/``."""

    name = posixpath.basename(str(claim.value).strip().strip("`'\""))
    expected = f"a workflow file {name}"
    if name.lower() in (".yml", ".yaml") or not name.strip("."):
        return unverifiable(expected, "the answer names no file, only an extension")
    wfs = workflows(snap)
    names = {posixpath.basename(w.path): w for w in wfs}
    observed = f"workflows: {where(names)}" if names else "no workflow files"
    if name in names:
        wf = names[name]
        ev = [evidence(snap, wf.path, wf.trigger_line or 1, "the workflow file named")]
        return consistent(expected, observed, "the file exists", ev)
    stem, ext = posixpath.splitext(name)
    other = stem + {".yaml": ".yml", ".yml": ".yaml"}.get(ext, ext)
    if other in names:
        wf = names[other]
        ev = [evidence(snap, wf.path, wf.trigger_line or 1, f"named {other}, not {name}")]
        return consistent(expected, observed, f"exists as {other} (extension differs)", ev)
    spelled = [n for n in names if _squash(n) == _squash(name)]
    if spelled:
        wf = names[spelled[0]]
        ev = [evidence(snap, wf.path, wf.trigger_line or 1, f"named {spelled[0]}, not {name}")]
        return consistent(
            expected, observed, f"exists as {spelled[0]} (spelled with other separators)", ev
        )
    elsewhere = [p for p in snap.files() if posixpath.basename(p) == name]
    branches = snap.branches_holding(f".github/workflows/{name}")
    if elsewhere:
        observed += f"; {name} exists at {where(elsewhere)}, which GitHub does not run"
    if branches:
        observed += f"; on branch {', '.join(branches[:2])} only"
    return inconsistent(expected, observed, "no workflow file of that name", [])
