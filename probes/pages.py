"""M32: the documentation published to GitHub Pages.

Publishing shows as a workflow step that deploys (``mkdocs gh-deploy``, the Pages actions,
``ghp-import``/``mike`` with push) or as a ``gh-pages`` branch holding a built site. Whether
Pages is switched on in the repository's settings cannot be seen offline.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from probes._commands import invocations
from probes._common import evidence, only_template, own_files, workflows
from probes._scripts import local_commands
from probes._template import is_template_copy
from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, Origin, Outcome, found, missing, partial

if TYPE_CHECKING:
    from verifier.github.facts_model import Pages
    from verifier.repo.snapshot import Snapshot

PAGES_ACTIONS = (
    "actions/deploy-pages",
    "peaceiris/actions-gh-pages",
    "jamesives/github-pages-deploy-action",
)
DOCS_CONFIGS = ("mkdocs.yml", "mkdocs.yaml", "conf.py")
SETTINGS_NOTE = "whether GitHub Pages is switched on in the settings is not visible offline"
CHECKED = [
    ".github/workflows: mkdocs gh-deploy, actions/deploy-pages, peaceiris/actions-gh-pages, "
    "JamesIves/github-pages-deploy-action, ghp-import/mike with push",
    "tasks.py, Makefile/justfile and *.sh deploy commands",
    "a gh-pages branch with a built site",
    "mkdocs.yml/mkdocs.yaml and Sphinx conf.py",
]


def deploy_command(command: str) -> str | None:
    """What a shell line does to publish docs to GitHub Pages, or None."""

    for inv in invocations(command):
        args = [a.lower() for a in inv.args]
        if inv.program == "mkdocs" and "gh-deploy" in args:
            return "mkdocs gh-deploy"
        if inv.program in ("ghp-import", "ghp_import") and ("-p" in args or "--push" in args):
            return "ghp-import --push"
        if inv.program == "mike" and "deploy" in args and ("-p" in args or "--push" in args):
            return "mike deploy --push"
    return None


def _workflow_deploys(snap: Snapshot) -> list[tuple[str, Evidence]]:
    """(trigger description, evidence) for every deploying step."""

    out = []
    for wf in workflows(snap):
        if wf.error:
            continue
        events = sorted(wf.triggers) or ["no trigger"]
        started = (
            "started by hand only"
            if set(wf.triggers) <= {"workflow_dispatch"}
            else "on " + ", ".join(events)
        )
        for job, step in wf.all_steps():
            action = (step.action or "").lower()
            if action.startswith(PAGES_ACTIONS):
                why = f"job {job.id}: {step.action} ({started})"
                out.append((started, evidence(snap, wf.path, step.line, why)))
                continue
            for line, command in step.run_commands():
                what = deploy_command(command)
                if what:
                    why = f"job {job.id}: {what} ({started})"
                    out.append((started, evidence(snap, wf.path, line, why)))
                    break
    return out


def _local_deploys(snap: Snapshot) -> list[Evidence]:
    out = []
    seen: set[str] = set()
    for path, _kind, line, command in local_commands(snap):
        what = deploy_command(command)
        if what and path not in seen:
            seen.add(path)
            out.append(evidence(snap, path, line, f"{what}, run by hand"))
    return out


def _pages_branch(snap: Snapshot) -> Evidence | None:
    """The ``gh-pages`` branch, pointed at by its built ``index.html`` when there is one."""

    branches = [b for b in snap.history.branches if b.rsplit("/", 1)[-1] == "gh-pages"]
    if not branches:
        return None
    holding = [b for b in snap.branches_holding("index.html") if b in branches]
    why = f"branch {branches[0]} exists: a deployed site"
    if holding:
        return Evidence(
            "index.html", None, "", f"built site on branch {holding[0]}", Origin.OTHER_BRANCH
        )
    return Evidence(branches[0], None, "", why, Origin.OTHER_BRANCH)


def _docs_configs(snap: Snapshot) -> list[Evidence]:
    out = []
    for path in own_files(snap):
        name = posixpath.basename(path)
        if name in ("mkdocs.yml", "mkdocs.yaml"):
            out.append(evidence(snap, path, 1, "MkDocs configuration"))
        elif name == "conf.py" and posixpath.basename(posixpath.dirname(path)) in (
            "docs",
            "source",
            "doc",
        ):
            out.append(evidence(snap, path, 1, "Sphinx configuration"))
    return out


def _own_pages(snap: Snapshot, config: str) -> list[str]:
    """Markdown/reST pages of a docs site that are not the template's stub pages."""

    folder = posixpath.dirname(config)
    if posixpath.basename(config).startswith("mkdocs"):
        doc = snap.yaml(config)
        docs_dir = doc.value.get("docs_dir", "docs") if isinstance(doc.value, dict) else "docs"
        folder = posixpath.normpath(posixpath.join(folder, str(docs_dir)))
    prefix = "" if folder in ("", ".") else folder + "/"
    return [
        p
        for p in own_files(snap)
        if p.startswith(prefix)
        and p.endswith((".md", ".rst"))
        and posixpath.basename(p).lower() != "readme.md"
        and not is_template_copy(snap, p)
    ]


@probe("M32.github-pages")
def github_pages(snap: Snapshot) -> Observation:
    """A workflow (or a gh-pages branch) that publishes the docs to GitHub Pages; with
    GitHub facts (``--github``), whether Pages is switched on settles what files cannot."""

    obs = _from_files(snap)
    pages = snap.github.pages if snap.github is not None else None
    if pages is None or snap.github is None:
        return obs
    return _with_settings(obs, pages, snap.github.full_name)


def _with_settings(obs: Observation, pages: Pages, full_name: str) -> Observation:
    """The file-based observation, corrected by what the Pages settings say."""

    settings = f"https://github.com/{full_name}/settings/pages"
    if pages.enabled:
        state = f"GitHub Pages is switched on ({pages.source or 'source unknown'}"
        state += f", {pages.status})" if pages.status else ")"
        row = Evidence(pages.url or settings, None, state, "the repository's Pages settings")
        if obs.outcome is Outcome.FOUND:
            summary = obs.summary.replace(f"; {SETTINGS_NOTE}", "")
            return found(summary, [*obs.evidence, row], obs.checked)
        if obs.outcome is Outcome.PARTIAL and obs.evidence and not only_template(obs.evidence):
            return found(
                f"{state}, publishing the documentation set up in the repository",
                [row, *obs.evidence],
                obs.checked,
            )
        return partial(
            f"{state}, but the repository holds no documentation of the group's to publish",
            [row, *obs.evidence],
            obs.checked,
        )
    row = Evidence(settings, None, "GitHub Pages is not switched on", "the Pages settings")
    if obs.outcome is Outcome.FOUND:
        return partial(
            obs.summary.replace(f"; {SETTINGS_NOTE}", "")
            + ", but GitHub Pages is not switched on, so nothing is published",
            [*obs.evidence, row],
            obs.checked,
        )
    return obs


def _from_files(snap: Snapshot) -> Observation:
    deploys = _workflow_deploys(snap)
    configs = _docs_configs(snap)
    branch = _pages_branch(snap)
    local = _local_deploys(snap)
    extra = ([branch] if branch else []) + configs[:1]
    if deploys:
        started, _ev = deploys[0]
        ev = [e for _s, e in deploys[:3]]
        if only_template(ev):
            return partial(
                "the only docs deployment is the course template's workflow, unchanged",
                ev + extra,
                CHECKED,
            )
        if not configs and any("mkdocs" in e.why for e in ev):
            return partial(
                "a workflow runs mkdocs gh-deploy, but there is no mkdocs.yml to build from",
                ev,
                CHECKED,
            )
        summary = f"docs are deployed to GitHub Pages by {ev[0].path} ({started})"
        if branch:
            summary += "; the gh-pages branch exists"
        return found(f"{summary}; {SETTINGS_NOTE}", ev + extra, CHECKED)
    if branch is not None:
        return found(
            "a gh-pages branch holds the published docs"
            + (" (deployed with " + local[0].path + ")" if local else "")
            + f"; {SETTINGS_NOTE}",
            [branch, *local[:1], *configs[:1]],
            CHECKED,
        )
    if local:
        return partial(
            "a docs deploy command exists but is run by hand, and no gh-pages branch is "
            "visible to show it ran",
            local[:2] + configs[:1],
            CHECKED,
        )
    if configs:
        stub = only_template(configs) or not any(_own_pages(snap, e.path) for e in configs)
        whose = " (its site holds only the course template's stub pages)" if stub else ""
        return partial(
            f"documentation is set up{whose}, but nothing in the repository publishes it to "
            "GitHub Pages (Pages serving a branch folder directly is a setting, not visible "
            "offline)",
            configs[:2],
            CHECKED,
        )
    return missing("no documentation site and no Pages deployment", CHECKED)
