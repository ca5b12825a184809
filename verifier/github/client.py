"""A pygithub client that survives GitHub's rate limits and flaky moments, within bounds.

Retries are pygithub's own :class:`github.GithubRetry` (an urllib3 ``Retry``): it retries
5xx answers and the 403s that are rate limits (a primary limit waits until
``X-RateLimit-Reset``, a secondary one a fixed time or ``Retry-After``), with exponential
backoff otherwise. On top of it :class:`BoundedRetry` also retries 429 and refuses to wait
longer than ``max_wait_s`` for any one answer (``Retry-After`` or a reset time), raising
:class:`github.RateLimitExceededExceedsMaxWait` instead, so an audit never sleeps for an hour.
"""

from __future__ import annotations

import math
import os
import re
import time
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import github
from github import Auth
from github.GithubException import RateLimitExceededExceedsMaxWait, RateLimitExceededException
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

DEFAULT_API_URL = "https://api.github.com"
USER_AGENT = "verifier (DTU 02476 report checker)"


class BoundedRetry(github.GithubRetry):
    """:class:`github.GithubRetry` plus 429, and a cap on every rate-limit wait."""

    def __init__(self, **kwargs: Any) -> None:
        forcelist = kwargs.pop("status_forcelist", None) or list(range(500, 600))
        if 429 not in forcelist:
            forcelist = [*forcelist, 429]
        super().__init__(status_forcelist=forcelist, **kwargs)

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        if response is not None:
            wait = _announced_wait(response)
            limit = self.max_rate_limit_wait
            if wait is not None and limit is not None and wait > limit:
                message = (
                    f"rate limited: retry in {wait:.0f} s, longer than the {limit:g} s allowed"
                )
                raise RateLimitExceededExceedsMaxWait(
                    response.status, {"message": message}, dict(response.headers), wait=wait
                )
            if (
                response.status == 429
                and wait is not None
                and "Retry-After" not in response.headers
            ):
                # a 429 from an exhausted primary quota: wait for its reset like a 403 one
                retry = super().increment(method, url, response, error, _pool, _stacktrace)
                backoff = max(wait + 1, retry.get_backoff_time())
                retry.get_backoff_time = lambda: backoff  # type: ignore[method-assign]
                return retry
        try:
            return super().increment(method, url, response, error, _pool, _stacktrace)
        except MaxRetryError:
            if response is None or response.status != 403:
                raise
            # Only a rate-limit 403 is retried, and GithubRetry has read its body to tell:
            # say so here, as the answer handed on would arrive without its message.
            raise RateLimitExceededException(
                403,
                {"message": f"rate limit still exceeded after {len(self.history)} retries"},
                dict(response.headers),
            ) from None


def _announced_wait(response: BaseHTTPResponse) -> float | None:
    """Seconds the server asks us to wait: ``Retry-After``, or the time to the quota reset when
    the quota is spent (``X-RateLimit-Remaining: 0``); None when it names no wait."""

    headers = response.headers
    after = headers.get("Retry-After")
    if after is not None and after.strip().isdigit():
        return float(after.strip())
    reset = headers.get("X-RateLimit-Reset")
    spent = headers.get("X-RateLimit-Remaining") == "0" and response.status in (403, 429)
    if spent and reset and reset.strip().isdigit():
        return max(0.0, int(reset.strip()) - time.time())
    # an HTTP-date Retry-After is left to urllib3 (GitHub sends seconds)
    return None


def make_client(
    token: str | None = None,
    base_url: str | None = None,
    *,
    timeout: float = 30,
    retries: int = 4,
    max_wait_s: float = 120,
    backoff_factor: float = 1.0,
    secondary_wait_s: float = 60,
    min_interval_s: float = 0.25,
) -> github.Github:
    """A :class:`github.Github` for ``base_url`` with bounded retries.

    ``token`` defaults to ``GITHUB_TOKEN`` or ``GH_TOKEN`` (anonymous when neither is set:
    60 requests an hour), ``base_url`` to ``GITHUB_API_URL`` or the public API. ``timeout``
    is per request and rounded up to whole seconds (pygithub takes an int). Failed requests
    are retried ``retries`` times, waiting ``backoff_factor * 2**n`` seconds between attempts
    (the first retry is immediate), the reset time for a spent quota and ``secondary_wait_s``
    for a secondary limit; no single wait exceeds ``max_wait_s``. ``min_interval_s`` spaces
    consecutive requests as GitHub asks of API clients.
    """

    if token is None:
        token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or None
    if base_url is None:
        base_url = os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL
    retry = BoundedRetry(
        total=max(0, retries),
        backoff_factor=backoff_factor,
        backoff_max=max_wait_s,
        raise_on_status=False,  # the last error answer reaches pygithub and keeps its status
        secondary_rate_wait=min(secondary_wait_s, max_wait_s),
        max_rate_limit_wait=max_wait_s,
    )
    return github.Github(
        auth=Auth.Token(token) if token else None,
        base_url=base_url.rstrip("/"),
        timeout=max(1, math.ceil(timeout)),
        user_agent=USER_AGENT,
        per_page=100,
        retry=retry,
        seconds_between_requests=min_interval_s or None,
        seconds_between_writes=None,
    )


def rate_quota(client: github.Github) -> tuple[int | None, int | None, str | None]:
    """(remaining, limit, reset as ISO time) from the last answer's headers.

    Spends no request (``Github.rate_limiting`` would ask ``/rate_limit`` when nothing is
    known yet); all three are None before the first answer.
    """

    try:
        requester = client.requester
        remaining, limit = requester.rate_limiting
        reset = requester.rate_limiting_resettime
        reset_iso = (
            datetime.fromtimestamp(reset, UTC).isoformat(timespec="seconds") if reset > 0 else None
        )
    except (ValueError, OverflowError, OSError, TypeError, AttributeError):
        return None, None, None  # an absurd header (a reset in the year 33658) says nothing
    return (
        remaining if remaining >= 0 else None,
        limit if limit >= 0 else None,
        reset_iso,
    )


_OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"
_NAME = r"[A-Za-z0-9._-]{1,100}"
_SCP = re.compile(rf"^git@(?P<host>[^:/\s]+):(?P<owner>{_OWNER})/(?P<name>{_NAME})/?$")
_PATH = re.compile(rf"^/(?P<owner>{_OWNER})/(?P<name>{_NAME})/?$")


def repo_full_name(target: str, host: str = "github.com") -> str | None:
    """``owner/name`` of a GitHub clone target, or None for anything else.

    Accepts ``https://github.com/owner/name`` (optionally ``.git`` and a trailing slash),
    ``git@github.com:owner/name.git`` and ``ssh://git@github.com/owner/name``; ``host``
    names another GitHub host (GitHub Enterprise). Local paths, other hosts, deeper paths
    (``/tree/main``), queries and fragments give None.
    """

    text = target.strip()
    want = host.lower()
    if m := _SCP.match(text):
        if m["host"].lower() != want:
            return None
        return _full(m["owner"], m["name"])
    try:
        parts = urlsplit(text)
        hostname = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("https", "http", "ssh", "git") or hostname != want:
        return None
    if parts.query or parts.fragment:
        return None
    m = _PATH.match(parts.path)
    return _full(m["owner"], m["name"]) if m else None


def _full(owner: str, name: str) -> str | None:
    if name.endswith(".git"):
        name = name[: -len(".git")]
    if name in ("", ".", "..") or owner.endswith("-"):
        return None
    return f"{owner}/{name}"
