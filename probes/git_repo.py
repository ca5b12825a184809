"""M5: the code lives in a git repository; team access (a GitHub setting: decided only with
GitHub facts, ``snap.github``, that list the collaborators)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, not_verifiable, partial

if TYPE_CHECKING:
    from verifier.github.facts_model import Collaborator, RepoFacts
    from verifier.repo.snapshot import Snapshot


def _history_evidence(snap: Snapshot) -> list[Evidence]:
    hist = snap.history
    if snap.commit is None or hist is None:
        return []
    people = [a for a in hist.authors if not _is_bot(a.name, a.email)]
    bots = len(hist.authors) - len(people)
    authors = ", ".join(f"{a.name} ({a.commits})" for a in people[:8])
    text = f"commit {snap.commit[:12]}: {hist.commit_count} commits by {len(people)} authors"
    if bots:
        text += f" (and {bots} bots)"
    return [Evidence(".git", None, text, f"authors: {authors}" if authors else "git history")]


def _is_bot(name: str, email: str) -> bool:
    """dependabot, github-actions, pre-commit-ci and other automation accounts."""

    low = f"{name} {email}".lower()
    return "[bot]" in low or "github-actions" in low or low.startswith(("dependabot", "renovate"))


@probe("M5.git-repository")
def git_repository(snap: Snapshot) -> Observation:
    """The audited files come from a git commit with a history."""

    if snap.commit is None:
        return not_verifiable(
            "the audited files were read from a directory, not from a commit: audit the "
            "git checkout to see its history"
        )
    ev = _history_evidence(snap)
    return found(f"git repository at {snap.ref or 'HEAD'} ({snap.commit[:12]})", ev)


@probe("M5.write-access")
def write_access(snap: Snapshot) -> Observation:
    """People who can push (GitHub facts) vs. the group's size; offline only commit authors."""

    pointer = _history_evidence(snap)
    facts = snap.github
    summary = "write access is a repository setting on GitHub; commit authors are a pointer only"
    if facts is None:
        return not_verifiable(summary, pointer)
    writers = facts.writers()
    if writers is None:
        reason = facts.errors.get("collaborators") or "not read"
        return not_verifiable(
            f"{summary}; GitHub's collaborators could not be read ({reason})",
            pointer,
            ["GitHub collaborators of " + facts.full_name],
        )
    return _writers_observation(facts, writers, pointer)


def _writers_observation(
    facts: RepoFacts, writers: list[Collaborator], pointer: list[Evidence]
) -> Observation:
    checked = [f"GitHub collaborators of {facts.full_name} (bots excluded)"]
    names = ", ".join(f"{c.login} ({c.permission})" for c in writers[:20])
    if len(writers) > 20:
        names += f" and {len(writers) - 20} more"
    row = Evidence(
        f"https://github.com/{facts.full_name}/settings/access",
        None,
        f"{len(writers)} people can push: {names}" if writers else "nobody but bots can push",
        "collaborators with write, maintain or admin permission on GitHub",
    )
    size = facts.group_size
    if size:
        if len(writers) >= size:
            return found(
                f"{len(writers)} people can push; the group has {size} members", [row], checked
            )
        return partial(
            f"only {len(writers)} {'person' if len(writers) == 1 else 'people'} can push to "
            f"the repository; the group has {size} members",
            [row, *pointer],
            checked,
        )
    if len(writers) >= 2:
        return found(f"{len(writers)} people can push (group size unknown)", [row], checked)
    return partial(
        f"only {len(writers)} person can push to the repository (group size unknown)",
        [row, *pointer],
        checked,
    )
