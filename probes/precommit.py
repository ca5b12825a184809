"""M18: pre-commit hooks configured, and whether anything runs them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from probes._commands import lint_runs
from probes._common import evidence, first_line_matching, only_template, workflows
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, missing, partial

if TYPE_CHECKING:
    from verifier.repo.snapshot import Snapshot

CONFIG = ".pre-commit-config.yaml"
ALT_CONFIGS = (".pre-commit-config.yml",)


def hook_ids(value: object) -> list[tuple[str, str]]:
    """(repo, hook id) pairs of a parsed config."""

    out: list[tuple[str, str]] = []
    if not isinstance(value, dict):
        return out
    repos = value.get("repos")
    if not isinstance(repos, list):
        return out
    for repo in repos:
        if not isinstance(repo, dict):
            continue
        hooks = repo.get("hooks")
        if isinstance(hooks, list):
            for hook in hooks:
                if isinstance(hook, dict) and isinstance(hook.get("id"), str):
                    out.append((str(repo.get("repo", "")), hook["id"]))
    return out


def _ci_runs(snap: Snapshot) -> list[Evidence]:
    ev = []
    for wf in workflows(snap):
        for _job, step in wf.all_steps():
            if (step.action or "").lower().startswith("pre-commit/action"):
                ev.append(evidence(snap, wf.path, step.line, "CI runs the pre-commit hooks"))
            for line, command in step.run_commands():
                if any(tool == "pre-commit" and ok for tool, ok in lint_runs(command)):
                    ev.append(evidence(snap, wf.path, line, "CI runs the pre-commit hooks"))
    return ev


@probe("M18.pre-commit")
def pre_commit(snap: Snapshot) -> Observation:
    """A .pre-commit-config.yaml with hooks; CI running them is reported alongside."""

    path = next((p for p in (CONFIG, *ALT_CONFIGS) if snap.exists(p)), None)
    checked = [CONFIG + " at the repository root"]
    if path is None:
        return missing("no pre-commit configuration", checked)
    doc = snap.yaml(path)
    if doc.error:
        return partial(
            f"{path} does not parse: {doc.error}",
            [evidence(snap, path, None, "broken pre-commit configuration")],
            checked,
        )
    hooks = hook_ids(doc.value)
    if not hooks:
        return partial(
            f"{path} lists no hooks", [evidence(snap, path, 1, "empty configuration")], checked
        )
    first = hooks[0][1]
    line = first_line_matching(snap, path, re.compile(r"id:\s*['\"]?" + re.escape(first)))
    names = ", ".join(h for _r, h in hooks[:6])
    ev = [evidence(snap, path, line or 1, f"{len(hooks)} hooks: {names}")]
    ci = _ci_runs(snap)
    if only_template(ev):
        return partial(
            "the course template's pre-commit configuration, unchanged", ev + ci[:2], checked
        )
    if ci:
        return found(f"{len(hooks)} pre-commit hooks, also run in CI", ev + ci[:2], checked)
    note = " (no CI step runs them, so they run only where a member installed them)"
    return found(f"{len(hooks)} pre-commit hooks configured{note}", ev, checked)
