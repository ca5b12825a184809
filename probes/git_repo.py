"""M5: the code lives in a git repository; team access (not visible offline)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from verifier.engine.registry import probe
from verifier.findings import Evidence, Observation, found, not_verifiable

if TYPE_CHECKING:
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
    """Write access is a GitHub setting: shown offline only as commit authors."""

    return not_verifiable(
        "write access is a repository setting on GitHub; commit authors are a pointer only",
        _history_evidence(snap),
    )
