"""Facts about a repository that only GitHub knows (collaborators, pull requests, workflow
runs, Pages), as plain data.

They are collected before an audit (``verifier.github.facts``, opt-in, through the REST API)
and handed to the snapshot, so probes stay pure functions of their input and never touch the
network. Every section is ``None`` when it could not be read; ``errors`` then says why (a
token without push access cannot list collaborators, for instance). Nothing here is trusted
more than the repository: logins and titles are untrusted text and are escaped by renderers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Permissions that let a collaborator push to the repository.
WRITE_PERMISSIONS = frozenset({"admin", "maintain", "write"})


def is_bot_login(login: str) -> bool:
    """Automation accounts (dependabot[bot], github-actions, pre-commit-ci[bot], ...)."""

    low = login.lower()
    return low.endswith("[bot]") or low in {"github-actions", "dependabot", "renovate"}


@dataclass(frozen=True)
class Collaborator:
    login: str
    #: The highest permission GitHub reports: admin, maintain, write, triage or read.
    permission: str

    @property
    def can_write(self) -> bool:
        return self.permission in WRITE_PERMISSIONS


@dataclass(frozen=True)
class Contributor:
    login: str
    commits: int


@dataclass(frozen=True)
class PullRequest:
    number: int
    title: str
    author: str
    state: str  # "open" or "closed"
    merged: bool
    #: Reviews (any state) by someone other than the author.
    reviews: int
    approvals: int
    url: str
    base: str
    head: str


@dataclass
class PullStats:
    """Pull requests of the repository (all states), newest first."""

    total: int = 0
    merged: int = 0
    open: int = 0
    #: Pull requests with at least one review by someone other than their author.
    reviewed: int = 0
    authors: int = 0
    #: True when only the newest pull requests were looked at (``sample`` is then partial
    #: and ``reviewed`` counts those only).
    truncated: bool = False
    #: How many pull requests had their reviews read (``reviewed`` is out of this many).
    reviews_checked: int = 0
    sample: list[PullRequest] = field(default_factory=list)


@dataclass(frozen=True)
class WorkflowRun:
    """The latest run of one workflow on the default branch."""

    workflow: str
    run_id: int
    status: str  # queued, in_progress, completed
    conclusion: str | None  # success, failure, cancelled, skipped, ... (None while running)
    head_sha: str
    event: str
    url: str
    created_at: str

    @property
    def passed(self) -> bool | None:
        """True for a success, False for a failed or cancelled run, None while running."""

        if self.status != "completed":
            return None
        return self.conclusion in ("success", "skipped", "neutral")


@dataclass(frozen=True)
class Pages:
    enabled: bool
    url: str | None = None
    status: str | None = None  # GitHub's build status: built, building, errored, ...
    source: str | None = None  # "workflow" or "legacy" (a branch)


@dataclass
class RepoFacts:
    """What the GitHub API says about one repository, with why a section is missing."""

    full_name: str
    html_url: str = ""
    default_branch: str | None = None
    #: Students in the group (from the class list), when known.
    group_size: int | None = None
    collaborators: list[Collaborator] | None = None
    contributors: list[Contributor] | None = None
    pulls: PullStats | None = None
    runs: list[WorkflowRun] | None = None
    pages: Pages | None = None
    #: Section name ("collaborators", "pulls", ...) -> why it could not be read.
    errors: dict[str, str] = field(default_factory=dict)
    rate_remaining: int | None = None
    rate_limit: int | None = None
    rate_reset: str | None = None  # ISO time
    fetched_at: str = ""

    # ---- derived facts

    def writers(self) -> list[Collaborator] | None:
        """People (not bots) who can push, or None when collaborators are unknown."""

        if self.collaborators is None:
            return None
        return [c for c in self.collaborators if c.can_write and not is_bot_login(c.login)]

    def commit_shares(self) -> list[tuple[str, int, float]] | None:
        """``(login, commits, share of all people's commits)``, most commits first."""

        if self.contributors is None:
            return None
        people = [c for c in self.contributors if not is_bot_login(c.login)]
        total = sum(c.commits for c in people) or 1
        ranked = sorted(people, key=lambda c: (-c.commits, c.login.lower()))
        return [(c.login, c.commits, c.commits / total) for c in ranked]

    def ci_passing(self) -> bool | None:
        """Whether the latest run of every workflow on the default branch passed.

        None when no runs are known or one is still running.
        """

        if not self.runs:
            return None
        outcomes = [r.passed for r in self.runs]
        if any(o is False for o in outcomes):
            return False
        if any(o is None for o in outcomes):
            return None
        return True

    # ---- JSON

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["writers"] = None if self.writers() is None else len(self.writers() or [])
        shares = self.commit_shares()
        data["commit_shares"] = (
            None
            if shares is None
            else [{"login": lg, "commits": n, "share": round(s, 4)} for lg, n, s in shares]
        )
        data["ci_passing"] = self.ci_passing()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RepoFacts:
        """The inverse of :meth:`to_dict` (derived keys are ignored)."""

        def items(key: str, kind: type) -> list[Any] | None:
            raw = data.get(key)
            return None if raw is None else [kind(**x) for x in raw]

        pulls = data.get("pulls")
        pull_stats = None
        if pulls is not None:
            pull_stats = PullStats(
                **{k: v for k, v in pulls.items() if k != "sample"},
                sample=[PullRequest(**p) for p in pulls.get("sample") or []],
            )
        pages = data.get("pages")
        return cls(
            full_name=data["full_name"],
            html_url=data.get("html_url") or "",
            default_branch=data.get("default_branch"),
            group_size=data.get("group_size"),
            collaborators=items("collaborators", Collaborator),
            contributors=items("contributors", Contributor),
            pulls=pull_stats,
            runs=items("runs", WorkflowRun),
            pages=None if pages is None else Pages(**pages),
            errors=dict(data.get("errors") or {}),
            rate_remaining=data.get("rate_remaining"),
            rate_limit=data.get("rate_limit"),
            rate_reset=data.get("rate_reset"),
            fetched_at=data.get("fetched_at") or "",
        )
