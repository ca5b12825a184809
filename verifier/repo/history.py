"""Facts from a repository's history: commits, authors, dates and the other branches.

Computed with a handful of git calls (one ``git log`` for the whole history, one
``for-each-ref``, one ``ls-tree`` per other branch tip when asked), never by walking commit
objects in Python.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import git

from verifier.repo.sources import decode_path, run_git


@dataclass(frozen=True)
class AuthorStat:
    """One author (after the repository's ``.mailmap``) and how many commits they made."""

    name: str
    email: str
    commits: int


@dataclass
class HistoryFacts:
    """History reachable from the audited commit; empty for a plain directory.

    ``branches`` holds local and remote-tracking branch names other than the audited one
    (and its remote-tracking counterparts such as ``origin/main``). ``shallow`` is True for
    a shallow clone, where counts and first dates are a lower bound.
    """

    commit_count: int = 0
    authors: list[AuthorStat] = field(default_factory=list)
    first_commit_date: datetime | None = None
    last_commit_date: datetime | None = None
    branches: list[str] = field(default_factory=list)
    shallow: bool = False

    @property
    def available(self) -> bool:
        return self.commit_count > 0

    def to_dict(self) -> dict[str, object]:
        return {
            "commit_count": self.commit_count,
            "authors": [
                {"name": a.name, "email": a.email, "commits": a.commits} for a in self.authors
            ],
            "first_commit_date": _iso(self.first_commit_date),
            "last_commit_date": _iso(self.last_commit_date),
            "branches": list(self.branches),
            "shallow": self.shallow,
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_date(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        return None


def compute_history(repo: git.Repo, commit: str, tips: BranchTips) -> HistoryFacts:
    """Commit count, authors and first/last committer dates of ``commit``'s history."""

    try:
        out = run_git(
            repo, ["log", "--no-show-signature", "--format=%x1e%aN%x00%aE%x00%cI", commit]
        )
    except git.GitCommandError:
        return HistoryFacts(branches=tips.other_names(), shallow=_is_shallow(repo))
    authors: Counter[tuple[str, str]] = Counter()
    dates: list[datetime] = []
    count = 0
    for record in out.decode("utf-8", errors="replace").split("\x1e"):
        fields = record.strip("\n").split("\x00")
        if len(fields) != 3:
            continue
        name, email, when = fields
        count += 1
        authors[(name, email)] += 1
        date = _parse_date(when)
        if date is not None:
            dates.append(date)
    stats = [AuthorStat(name, email, n) for (name, email), n in authors.items()]
    stats.sort(key=lambda a: (-a.commits, a.name.lower(), a.email.lower()))
    return HistoryFacts(
        commit_count=count,
        authors=stats,
        first_commit_date=min(dates) if dates else None,
        last_commit_date=max(dates) if dates else None,
        branches=tips.other_names(),
        shallow=_is_shallow(repo),
    )


@dataclass(frozen=True)
class CommitInfo:
    """One commit as shown in evidence: who, when (committer date) and the subject line."""

    sha: str
    author: str
    email: str
    date: datetime | None
    subject: str


def path_log(repo: git.Repo, commit: str, path: str, max_count: int = 50) -> list[CommitInfo]:
    """Commits reachable from ``commit`` that changed ``path`` (file or directory), newest
    first, following no renames. Empty when git fails."""

    try:
        out = run_git(
            repo,
            [
                "log",
                "--no-show-signature",
                f"--max-count={max(1, max_count)}",
                "--format=%x1e%H%x00%aN%x00%aE%x00%cI%x00%s",
                commit,
                "--",
                f":(literal){path}",
            ],
        )
    except git.GitCommandError:
        return []
    infos: list[CommitInfo] = []
    for record in out.decode("utf-8", errors="replace").split("\x1e"):
        fields = record.strip("\n").split("\x00")
        if len(fields) == 5:
            sha, name, email, when, subject = fields
            infos.append(CommitInfo(sha, name, email, _parse_date(when), subject))
    return infos


def _is_shallow(repo: git.Repo) -> bool:
    return (Path(repo.git_dir) / "shallow").exists()


class BranchTips:
    """The tips of the other branches and, on demand and cached, the files at each tip."""

    def __init__(self, repo: git.Repo, audited_ref: str | None, audited_commit: str) -> None:
        self.repo = repo
        self.audited_ref = audited_ref
        self.audited_commit = audited_commit
        self._tips: dict[str, str] | None = None
        self._paths: dict[str, frozenset[str]] = {}

    def _is_audited(self, name: str, full: str) -> bool:
        if self.audited_ref is None:
            return False
        if full.startswith("refs/heads/"):
            return name == self.audited_ref
        # refs/remotes/<remote>/<branch>: the audited branch as some remote last saw it.
        return name.endswith("/" + self.audited_ref) and name.count("/") == 1 + (
            self.audited_ref.count("/")
        )

    def tips(self) -> dict[str, str]:
        """Other branch name -> tip commit, local ones as ``x``, remote ones as ``origin/x``."""

        if self._tips is not None:
            return self._tips
        tips: dict[str, str] = {}
        try:
            out = run_git(
                self.repo,
                [
                    "for-each-ref",
                    "--format=%(refname)%00%(objectname)%00%(symref)%00%(objecttype)",
                    "refs/heads",
                    "refs/remotes",
                ],
            )
        except git.GitCommandError:
            out = b""
        for line in out.decode("utf-8", errors="replace").splitlines():
            parts = line.split("\x00")
            if len(parts) != 4:
                continue
            full, sha, symref, otype = parts
            if symref or otype != "commit":
                continue
            if full.startswith("refs/heads/"):
                name = full.removeprefix("refs/heads/")
            else:
                name = full.removeprefix("refs/remotes/")
            if not self._is_audited(name, full):
                tips[name] = sha
        self._tips = dict(sorted(tips.items()))
        return self._tips

    def other_names(self) -> list[str]:
        return list(self.tips())

    def paths_at(self, commit: str) -> frozenset[str]:
        """All paths tracked at ``commit`` (cached)."""

        cached = self._paths.get(commit)
        if cached is not None:
            return cached
        try:
            out = run_git(self.repo, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit])
            paths = frozenset(decode_path(p) for p in out.split(b"\0") if p)
        except git.GitCommandError:
            paths = frozenset()
        self._paths[commit] = paths
        return paths

    def holding(self, path: str, audited_paths: frozenset[str] | set[str]) -> list[str]:
        """Other branches whose tip has ``path`` (a file, or a directory with files) while
        the audited commit does not."""

        path = posixpath.normpath(path.strip("/"))
        prefix = path + "/"
        if path in audited_paths or any(p.startswith(prefix) for p in audited_paths):
            return []
        names: list[str] = []
        for name, sha in self.tips().items():
            if sha == self.audited_commit:
                continue
            paths = self.paths_at(sha)
            if path in paths or any(p.startswith(prefix) for p in paths):
                names.append(name)
        return names
