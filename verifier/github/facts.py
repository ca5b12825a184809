"""Collect :class:`~verifier.github.facts_model.RepoFacts` for one repository through the REST API.

Every section is read on its own and a failure only empties that section: ``collect_facts``
never raises for an API or network problem. A missing repository (or one the token cannot
see) leaves every section None with one error under ``"repository"``. When a section fails
for a reason that will hit every later request too (the rate limit, the network), the later
sections are not tried and carry the same reason.

Cost (per_page=100): 1 request for the repository, 1 for collaborators, 1 for contributors,
1 per 100 pull requests, 1 per pull request whose reviews are read (the newest
``max_reviews``), 1 for workflow runs and 1 for Pages (none when the repository says Pages is
off). A typical group repository with 30 pull requests costs 6 + 30 = 36 requests. With the
defaults the most is 5 + 2 + 60 = 67, or 69 when there are more than ``max_pulls`` pull
requests (one more page tells, and one more request counts them all). Retries come on top
(see ``verifier.github.client``).

Attributes are only read when the list answer carries them, so pygithub never completes an
object with a request of its own (``merged`` is derived from ``merged_at``, for instance).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import github
import requests
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededExceedsMaxWait,
    RateLimitExceededException,
    UnknownObjectException,
)
from github.PaginatedList import PaginatedList
from github.Repository import Repository
from urllib3.exceptions import MaxRetryError, NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from verifier.github.client import rate_quota
from verifier.github.facts_model import (
    Collaborator,
    Contributor,
    Pages,
    PullRequest,
    PullStats,
    RepoFacts,
    WorkflowRun,
    is_bot_login,
)

#: Upper bounds on what is listed, so a huge repository cannot cost hundreds of requests.
MAX_PEOPLE = 300
MAX_RUNS = 100  # one page: the newest runs on the default branch

_ROLE_ORDER = ("admin", "maintain", "write", "triage", "read")
_PERMISSION_ROLE = {
    "admin": "admin",
    "maintain": "maintain",
    "push": "write",
    "triage": "triage",
    "pull": "read",
}

#: What a 403/404 means for each section when GitHub's message says nothing more useful.
_REASONS: dict[str, dict[int, str]] = {
    "repository": {404: "repository not found or private", 403: "access to the repository denied"},
    "collaborators": {
        403: "listing collaborators needs push access",
        404: "listing collaborators needs push access",
    },
    "contributors": {403: "contributors not readable with this token"},
    "pulls": {403: "pull requests not readable with this token"},
    "reviews": {403: "reviews not readable with this token"},
    "runs": {403: "workflow runs not readable with this token", 404: "Actions not available"},
    "pages": {403: "Pages settings not readable with this token"},
}


def collect_facts(
    client: github.Github,
    full_name: str,
    *,
    group_size: int | None = None,
    max_pulls: int = 200,
    max_reviews: int = 60,
) -> RepoFacts:
    """What GitHub knows about ``full_name`` ("owner/name"); see the module docstring."""

    facts = RepoFacts(full_name=full_name, group_size=group_size)
    try:
        repo = client.get_repo(full_name)
        facts.html_url = repo.html_url or ""
        facts.default_branch = repo.default_branch
    except Exception as exc:  # any failure is recorded, never raised
        facts.errors["repository"] = describe_error(exc, "repository")
        return _finish(client, facts)

    readers: dict[str, Callable[[], Any]] = {
        "collaborators": lambda: read_collaborators(repo),
        "contributors": lambda: read_contributors(repo),
        "pulls": lambda: read_pulls(repo, max_pulls, max_reviews),
        "runs": lambda: read_runs(repo, facts.default_branch),
        "pages": lambda: read_pages(client, repo),
    }
    fatal: str | None = None
    for name, read in readers.items():
        if fatal is not None:
            facts.errors[name] = fatal  # not tried: it would fail the same way
            continue
        try:
            value = read()
        except Exception as exc:  # any failure is recorded, never raised
            facts.errors[name] = describe_error(exc, name)
            if is_fatal(exc):
                fatal = facts.errors[name]
            continue
        if name == "pulls":
            value, review_error = value
            if review_error is not None:
                facts.errors["reviews"] = describe_error(review_error, "reviews")
                if is_fatal(review_error):
                    fatal = facts.errors["reviews"]
        setattr(facts, name, value)
    return _finish(client, facts)


def _finish(client: github.Github, facts: RepoFacts) -> RepoFacts:
    facts.rate_remaining, facts.rate_limit, facts.rate_reset = rate_quota(client)
    facts.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    return facts


# ---- sections


def read_collaborators(repo: Repository) -> list[Collaborator]:
    """Everyone with access (direct, through the organisation or a team) and their role."""

    people = []
    for user in islice(repo.get_collaborators(affiliation="all"), MAX_PEOPLE):
        people.append(Collaborator(login=user.login, permission=_permission(user)))
    return sorted(people, key=lambda c: (_ROLE_ORDER.index(c.permission), c.login.lower()))


def _permission(user: Any) -> str:
    """The role GitHub lists with the collaborator (``role_name``; ``permissions`` when the
    role is a custom one)."""

    role = user.role_name
    if role in _ROLE_ORDER:
        return role
    flags = user.permissions
    for key in ("admin", "maintain", "push", "triage", "pull"):
        if flags is not None and getattr(flags, key, False):
            return _PERMISSION_ROLE[key]
    return "read"


def read_contributors(repo: Repository) -> list[Contributor]:
    """Commits per GitHub account on the default branch (anonymous authors are left out)."""

    people = []
    for user in islice(repo.get_contributors(), MAX_PEOPLE):
        if user.type == "Anonymous" or not user.login:
            continue
        people.append(Contributor(login=user.login, commits=int(user.contributions or 0)))
    return people


def read_pulls(
    repo: Repository, max_pulls: int, max_reviews: int
) -> tuple[PullStats, Exception | None]:
    """Pull requests, newest first; reviews of the newest ``max_reviews``.

    ``sample`` holds every listed pull request (at most ``max_pulls``); only its first
    ``reviews_checked`` entries have their reviews counted (the others show 0). ``merged``,
    ``open`` and ``authors`` (people, not bots) count the listed ones. When reading reviews
    fails, the pull requests are still returned with the error (reviews are not read further).
    """

    def listing() -> PaginatedList[Any]:
        return repo.get_pulls(state="all", sort="created", direction="desc")

    # one more than wanted tells whether there are more (a page is fetched only if there are)
    pulls = list(islice(listing(), max_pulls + 1))
    truncated = len(pulls) > max_pulls
    pulls = pulls[:max_pulls]
    # a fresh list: once paged through, pygithub counts with the query parameters dropped
    total = len(pulls)
    if truncated:
        try:
            total = listing().totalCount
        except Exception:  # the count is a nicety: the listed ones are a lower bound
            total = max_pulls + 1

    sample: list[PullRequest] = []
    checked = 0
    reviews_failed: Exception | None = None
    for index, pr in enumerate(pulls):
        author = pr.user.login if pr.user is not None else "ghost"
        reviews = approvals = 0
        if index < max_reviews and reviews_failed is None:
            try:
                reviews, approvals = _count_reviews(pr, author)
                checked += 1
            except Exception as exc:  # returned with the stats
                reviews_failed = exc
        sample.append(
            PullRequest(
                number=pr.number,
                title=pr.title or "",
                author=author,
                state=pr.state,
                merged=pr.merged_at is not None,
                reviews=reviews,
                approvals=approvals,
                url=pr.html_url or "",
                base=pr.base.ref if pr.base is not None else "",
                head=pr.head.ref if pr.head is not None else "",
            )
        )
    stats = PullStats(
        total=total,
        merged=sum(1 for p in sample if p.merged),
        open=sum(1 for p in sample if p.state == "open"),
        reviewed=sum(1 for p in sample[:checked] if p.reviews > 0),
        authors=len({p.author.lower() for p in sample if not is_bot_login(p.author)}),
        truncated=truncated,
        reviews_checked=checked,
        sample=sample,
    )
    return stats, reviews_failed


def _count_reviews(pr: Any, author: str) -> tuple[int, int]:
    """(reviews, approvals) by people other than the author; bots and pending drafts do not
    count."""

    reviews = approvals = 0
    for review in pr.get_reviews():
        login = review.user.login if review.user is not None else ""
        if not login or login.lower() == author.lower() or is_bot_login(login):
            continue
        if review.state == "PENDING":
            continue
        reviews += 1
        approvals += review.state == "APPROVED"
    return reviews, approvals


def read_runs(repo: Repository, branch: str | None) -> list[WorkflowRun]:
    """The newest run of each workflow on ``branch``, among the newest ``MAX_RUNS`` runs."""

    listing = (
        repo.get_workflow_runs(branch=branch, exclude_pull_requests=True)
        if branch
        else repo.get_workflow_runs(exclude_pull_requests=True)
    )
    latest: dict[Any, WorkflowRun] = {}
    for run in islice(listing, MAX_RUNS):
        key = run.workflow_id if run.workflow_id is not None else run.name
        if key in latest:
            continue  # newest first: the first one seen is the latest
        created = run.created_at
        latest[key] = WorkflowRun(
            workflow=run.name or run.path or str(key),
            run_id=run.id,
            status=run.status or "",
            conclusion=run.conclusion,
            head_sha=run.head_sha or "",
            event=run.event or "",
            url=run.html_url or "",
            created_at=created.isoformat() if created is not None else "",
        )
    return sorted(latest.values(), key=lambda r: r.workflow.lower())


def read_pages(client: github.Github, repo: Repository) -> Pages:
    """The Pages site: disabled when the repository says so or ``/pages`` answers 404."""

    if repo.has_pages is False:
        return Pages(enabled=False)
    try:
        _, data = client.requester.requestJsonAndCheck("GET", f"{repo.url}/pages")
    except UnknownObjectException:
        return Pages(enabled=False)
    data = data if isinstance(data, dict) else {}
    return Pages(
        enabled=True,
        url=_text(data.get("html_url")),
        status=_text(data.get("status")),
        source=_text(data.get("build_type")),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


# ---- errors


def is_fatal(exc: BaseException) -> bool:
    """Whether every later request would fail the same way (spent quota, no network, a
    revoked token)."""

    if isinstance(exc, GithubException) and exc.status == 429:
        return True
    return isinstance(
        exc,
        RateLimitExceededException | BadCredentialsException | requests.RequestException,
    )


def describe_error(exc: BaseException, section: str) -> str:
    """``"<status>: <short reason>"`` for a failed section."""

    if isinstance(exc, RateLimitExceededExceedsMaxWait):
        wait = f"in {exc.wait:.0f} s" if exc.wait is not None else "later"
        return f"{exc.status}: rate limited, next try {wait} (longer than the allowed wait)"
    if isinstance(exc, RateLimitExceededException) or (
        isinstance(exc, GithubException) and exc.status == 429
    ):
        return f"{exc.status}: rate limit exceeded"
    if isinstance(exc, GithubException):
        status = exc.status
        known = _REASONS.get(section, {}).get(status)
        if status == 401:
            return "401: bad credentials"
        if known is not None:
            return f"{status}: {known}"
        if isinstance(status, int) and status >= 500:
            return f"{status}: GitHub server error"
        return f"{status}: {_short(_message(exc))}"
    if isinstance(exc, requests.Timeout) or _is_timeout(exc):
        return "timeout: no answer from the API in time"
    if isinstance(exc, requests.RequestException):
        return f"network: {_short(_root_reason(exc))}"
    return f"error: {type(exc).__name__}: {_short(str(exc))}"


def _message(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return data["message"]
    return str(data or "no message")


def _is_timeout(exc: BaseException) -> bool:
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        # a refused connection is a NewConnectionError, which urllib3 derives from a timeout
        cause = reason.reason
        return isinstance(cause, Urllib3Timeout) and not isinstance(cause, NewConnectionError)
    return isinstance(exc, TimeoutError)


def _root_reason(exc: BaseException) -> str:
    reason = exc.args[0] if exc.args else exc
    if isinstance(reason, MaxRetryError) and reason.reason is not None:
        reason = reason.reason
    return type(reason).__name__ if not isinstance(reason, str) else reason


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
