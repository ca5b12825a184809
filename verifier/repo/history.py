"""Facts from a repository's history: commits, authors, dates, merges and the other branches.

Computed with a handful of git calls (one ``git log`` for the whole history, one
``for-each-ref`` for the branches and one for GitHub's ``refs/pull/*`` when a mirror carries
them, one ``ls-tree`` per other branch tip when asked), never by walking commit objects in
Python.

Pull requests leave traces in the subjects GitHub writes: a merge commit "Merge pull request
#12 from owner/branch" and a squash merge "Title (#12)". A rebase merge leaves none, so the
absence of such subjects never proves that no pull request was used.
"""

from __future__ import annotations

import posixpath
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import git

from verifier.repo.sources import (
    GIT_ENV,
    GIT_SAFE_CONFIG,
    decode_path,
    is_partial_clone,
    run_git,
)


@dataclass(frozen=True)
class AuthorStat:
    """One author (after the repository's ``.mailmap``) and how many commits they made."""

    name: str
    email: str
    commits: int


@dataclass(frozen=True)
class PullMerge:
    """A commit whose subject GitHub writes when it merges a pull request.

    ``how`` is ``"merge"`` ("Merge pull request #12 from owner/branch") or ``"squash"``
    ("Title (#12)"). ``branch`` is the pull request's branch when the subject names it.
    ``by_github`` is True when GitHub itself committed it (the web interface's merge button):
    a squash subject committed by someone else may be a hand-written reference to an issue.
    ``bot`` marks automation (dependabot, pre-commit-ci, renovate).
    """

    number: int
    sha: str
    subject: str
    how: str
    author: str
    branch: str = ""
    by_github: bool = False
    bot: bool = False


@dataclass
class HistoryFacts:
    """History reachable from the audited commit; empty for a plain directory.

    ``branches`` holds local and remote-tracking branch names other than the audited one
    (and its remote-tracking counterparts such as ``origin/main``). ``shallow`` is True for
    a shallow clone, where counts and first dates are a lower bound.

    ``merge_commits`` counts commits with two or more parents; ``pull_merges`` lists the
    pull-request merges read from commit subjects (one per number, oldest first);
    ``merged_branches`` the branch names merge subjects mention ("Merge branch 'x'", "Merge
    pull request #3 from o/x", "Merge branch 'main' into x"), without the audited
    branch's usual names and without "Merge branch 'main' of <url>" (a ``git pull``).
    ``pull_refs`` holds the numbers of GitHub's ``refs/pull/<n>/head`` refs, which only a
    mirror clone carries: every pull request ever opened on the repository, except those of
    automation (their head commit written by dependabot and the like).
    """

    commit_count: int = 0
    authors: list[AuthorStat] = field(default_factory=list)
    first_commit_date: datetime | None = None
    last_commit_date: datetime | None = None
    branches: list[str] = field(default_factory=list)
    shallow: bool = False
    merge_commits: int = 0
    pull_merges: list[PullMerge] = field(default_factory=list)
    merged_branches: list[str] = field(default_factory=list)
    pull_refs: list[int] = field(default_factory=list)

    def people_pull_merges(self) -> list[PullMerge]:
        """Pull-request merges of people, not of automation."""
        return [m for m in self.pull_merges if not m.bot]

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
            "merge_commits": self.merge_commits,
            "pull_merges": [
                {
                    "number": m.number,
                    "sha": m.sha,
                    "subject": m.subject,
                    "how": m.how,
                    "author": m.author,
                    "branch": m.branch,
                    "by_github": m.by_github,
                    "bot": m.bot,
                }
                for m in self.pull_merges
            ],
            "merged_branches": list(self.merged_branches),
            "pull_refs": list(self.pull_refs),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_date(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        return None


#: Branch names that are the trunk itself, not a branch of work.
TRUNK_NAMES = frozenset({"main", "master", "origin/main", "origin/master", "head", "origin/head"})
#: Branch name prefixes of automation (dependabot/pip/torch-2.1, pre-commit-ci-update-config).
BOT_BRANCH_PREFIXES = ("dependabot/", "renovate/", "pre-commit-ci", "snyk-", "imgbot")
_PR_MERGE = re.compile(r"^Merge pull request #(\d{1,7}) from ([^\s]{1,300})")
_SQUASH = re.compile(r"\(#(\d{1,7})\)\s*$")
_MERGE_BRANCH = re.compile(
    r"^Merge (?:remote-tracking )?branch(?:es)? '([^']{1,250})'(?: of (\S{1,500}))?"
    r"(?: into ([^\s']{1,250}|'[^']{1,250}'))?"
)
_GITHUB_COMMITTERS = frozenset({"noreply@github.com"})
_LOG_FORMAT = "--format=%x1e%H%x00%aN%x00%aE%x00%cI%x00%P%x00%cE%x00%s"


def _is_bot(name: str, email: str) -> bool:
    low = f"{name} {email}".lower()
    return "[bot]" in low or "github-actions" in low or low.startswith(("dependabot", "renovate"))


def _bot_branch(branch: str) -> bool:
    tail = branch.split("/", 1)[1] if branch.count("/") >= 1 else branch
    return branch.lower().startswith(BOT_BRANCH_PREFIXES) or tail.lower().startswith(
        BOT_BRANCH_PREFIXES
    )


def _work_branch(name: str, audited: str | None) -> str | None:
    """``name`` as a branch of work, or None for the trunk or the audited branch."""
    name = name.strip().strip("'")
    low = name.lower()
    if not name or low in TRUNK_NAMES or (audited and low == audited.lower()):
        return None
    if low.startswith("origin/"):
        return _work_branch(name.split("/", 1)[1], audited)
    return None if _bot_branch(name) else name


class _MergeReader:
    """Collects merge facts from commit subjects, newest commit first."""

    def __init__(self, audited: str | None) -> None:
        self.audited = audited
        self.merges = 0
        self.pulls: dict[int, PullMerge] = {}
        self.branches: dict[str, None] = {}

    def add(
        self, sha: str, name: str, email: str, parents: str, committer: str, subject: str
    ) -> None:
        is_merge = len(parents.split()) >= 2
        self.merges += is_merge
        bot = _is_bot(name, email)
        by_github = committer.strip().lower() in _GITHUB_COMMITTERS
        m = _PR_MERGE.match(subject)
        if m and is_merge:
            head = m.group(2)
            branch = head.split("/", 1)[1] if "/" in head else head
            bot = bot or _bot_branch(branch)
            self._pull(
                PullMerge(int(m.group(1)), sha, subject, "merge", name, branch, by_github, bot)
            )
            work = _work_branch(branch, self.audited)
            if work and not bot:
                self.branches.setdefault(work, None)
            return
        if is_merge:
            b = _MERGE_BRANCH.match(subject)
            if b:
                source, remote, target = b.group(1), b.group(2), b.group(3)
                if remote is None:  # "of <url>": a git pull of the same branch, not a branch
                    work = _work_branch(source, self.audited)
                    if work:
                        self.branches.setdefault(work, None)
                if target:
                    work = _work_branch(target, self.audited)
                    if work:
                        self.branches.setdefault(work, None)
            return
        s = _SQUASH.search(subject)
        if s and not subject.startswith(("Revert ", "Reapply ")):
            bot = bot or subject.lower().startswith(("bump ", "[pre-commit.ci]"))
            self._pull(PullMerge(int(s.group(1)), sha, subject, "squash", name, "", by_github, bot))

    def _pull(self, merge: PullMerge) -> None:
        self.pulls[merge.number] = merge  # newest first: the oldest use of a number wins

    def pull_merges(self) -> list[PullMerge]:
        return sorted(self.pulls.values(), key=lambda m: m.number)


def compute_history(repo: git.Repo, commit: str, tips: BranchTips) -> HistoryFacts:
    """Commit count, authors, first/last committer dates and merges of ``commit``'s history."""

    try:
        out = run_git(repo, ["log", "--no-show-signature", _LOG_FORMAT, commit])
    except git.GitCommandError:
        return HistoryFacts(
            branches=tips.other_names(), shallow=_is_shallow(repo), pull_refs=pull_refs(repo)
        )
    authors: Counter[tuple[str, str]] = Counter()
    dates: list[datetime] = []
    merges = _MergeReader(tips.audited_ref)
    count = 0
    for record in out.decode("utf-8", errors="replace").split("\x1e"):
        fields = record.strip("\n").split("\x00")
        if len(fields) != 7:
            continue
        sha, name, email, when, parents, committer, subject = fields
        count += 1
        authors[(name, email)] += 1
        date = _parse_date(when)
        if date is not None:
            dates.append(date)
        merges.add(sha, name, email, parents, committer, subject)
    stats = [AuthorStat(name, email, n) for (name, email), n in authors.items()]
    stats.sort(key=lambda a: (-a.commits, a.name.lower(), a.email.lower()))
    return HistoryFacts(
        commit_count=count,
        authors=stats,
        first_commit_date=min(dates) if dates else None,
        last_commit_date=max(dates) if dates else None,
        branches=tips.other_names(),
        shallow=_is_shallow(repo),
        merge_commits=merges.merges,
        pull_merges=merges.pull_merges(),
        merged_branches=sorted(merges.branches, key=str.lower),
        pull_refs=pull_refs(repo),
    )


_PULL_REF = re.compile(r"^refs/pull/(\d{1,7})/head$")


def pull_refs(repo: git.Repo) -> list[int]:
    """Numbers of GitHub's ``refs/pull/<n>/head`` refs (a mirror clone has them) whose head
    commit was not written by automation (dependabot, pre-commit-ci, ...)."""

    try:
        out = run_git(
            repo,
            [
                "for-each-ref",
                "--format=%(refname)%00%(authorname)%00%(authoremail)",
                "refs/pull",
            ],
        )
    except git.GitCommandError:
        return []
    numbers = set()
    for line in out.decode("utf-8", errors="replace").splitlines():
        parts = line.split("\x00")
        m = _PULL_REF.match(parts[0].strip())
        if m is None:
            continue
        name, email = (parts[1], parts[2].strip("<>")) if len(parts) == 3 else ("", "")
        if not _is_bot(name, email):
            numbers.add(int(m.group(1)))
    return sorted(numbers)


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
        self._dirs: dict[str, frozenset[str]] = {}
        #: Files at the audited commit: an estimate of how many paths one listing holds.
        self.size_hint = 0

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
        self._dirs[commit] = _parents(paths)
        return paths

    def has(self, commit: str, path: str) -> bool:
        """Whether ``commit`` tracks ``path`` as a file or as a directory with files."""

        return bool(self.holding_commits([commit], path))

    def holding_commits(self, commits: list[str], path: str) -> list[str]:
        """The commits of ``commits`` that track ``path`` (a file or a directory).

        Small repositories are listed whole once per commit and looked up in memory; when
        listing every commit would mean many paths (a repository of 50,000 data files with
        60 branches), each question is one ``git cat-file --batch-check`` over the commits.
        """

        if not commits:
            return []
        if len(commits) * self.size_hint <= LISTING_LIMIT or all(c in self._paths for c in commits):
            hits = []
            for commit in commits:
                paths = self.paths_at(commit)
                if path in paths or path in self._dirs.get(commit, frozenset()):
                    hits.append(commit)
            return hits
        return self._lookup(commits, path)

    def _lookup(self, commits: list[str], path: str) -> list[str]:
        if "\n" in path or "\r" in path or "\0" in path:
            return []  # a line-based query cannot name it
        if is_partial_clone(self.repo):
            # cat-file needs the object itself, which a partial clone may lack (and must not
            # fetch); ls-tree only reads trees.
            return [c for c in commits if self._tree_has(c, path)]
        query = "".join(f"{c}:{path}\n" for c in commits).encode("utf-8", "surrogateescape")
        try:
            with tempfile.TemporaryFile() as feed:
                feed.write(query)
                feed.seek(0)
                out = self.repo.git.execute(
                    ["git", *GIT_SAFE_CONFIG, "cat-file", "--batch-check=%(objecttype)"],
                    istream=feed,
                    stdout_as_string=False,
                    env=GIT_ENV,
                )
        except git.GitCommandError:
            return []
        answers = bytes(out).decode("utf-8", "replace").splitlines()
        return [c for c, a in zip(commits, answers, strict=False) if a in ("blob", "tree")]

    def _tree_has(self, commit: str, path: str) -> bool:
        try:
            out = run_git(self.repo, ["ls-tree", "-z", "--full-tree", commit, "--", path])
        except git.GitCommandError:
            return False
        return bool(out.strip(b"\0"))

    def holding(self, path: str) -> list[str]:
        """Other branches whose tip has ``path`` (a file, or a directory with files); the
        caller has checked that the audited commit does not."""

        path = posixpath.normpath(path.strip("/"))
        tips = {name: sha for name, sha in self.tips().items() if sha != self.audited_commit}
        found = set(self.holding_commits(sorted(set(tips.values())), path))
        return [name for name, sha in tips.items() if sha in found]


#: Paths listed over all branch tips before lookups switch to one query per path.
LISTING_LIMIT = 200_000


def _parents(paths: frozenset[str]) -> frozenset[str]:
    """Every directory that holds one of ``paths``."""

    dirs: set[str] = set()
    for p in paths:
        head = posixpath.dirname(p)
        while head and head not in dirs:
            dirs.add(head)
            head = posixpath.dirname(head)
    return frozenset(dirs)
