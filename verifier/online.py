"""Online checks (``--online``, opt-in): do the deployed services the report names answer?

Only URLs of the kinds a group deploys in the course are tried: Cloud Run
(``https://….run.app``), Cloud Functions (``https://….cloudfunctions.net/<name>``) and the
GitHub Pages site (``https://<owner>.github.io/<repo>``). Each is tried with a GET on ``/``,
``/health`` and ``/docs`` (below the function's or the site's path), with a short timeout and
without following redirects: a redirect already shows that something answers, and following
it could lead anywhere. A service that answers nowhere is a ``weak`` note, never an error of
the audit.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from verifier.findings import Evidence, Origin, Verdict
from verifier.report.model import Report

PATHS: tuple[str, ...] = ("/", "/health", "/docs")
MAX_TARGETS = 10  # services tried at most, so a report full of links cannot stall the audit
USER_AGENT = "verifier-online-check"

_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'`|\\]+", re.IGNORECASE)
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")
_PAGES_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.github\.io$")


@dataclass(frozen=True)
class Target:
    """A deployed service named in the report: its base URL and where the report names it."""

    url: str  # scheme://host[/first-segment], no trailing slash
    kind: str  # "cloud-run", "cloud-function" or "github-pages"
    question: int
    line: int


@dataclass(frozen=True)
class Attempt:
    """One GET: the status it answered with, or why there was none."""

    url: str
    status: int | None
    error: str | None
    elapsed_ms: float

    @property
    def answered(self) -> bool:
        """A status below 400: the service is there (a redirect counts)."""

        return self.status is not None and self.status < 400

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "status": self.status,
            "error": self.error,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }


@dataclass
class OnlineCheck:
    """Every attempt on one target, and the level it comes to."""

    target: Target
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.target.url

    @property
    def level(self) -> Verdict:
        """``verified`` when some path answered below 400, else ``weak``."""

        return Verdict.VERIFIED if any(a.answered for a in self.attempts) else Verdict.WEAK

    @property
    def summary(self) -> str:
        parts = [f"{urlsplit(a.url).path or '/'} {_outcome(a)}" for a in self.attempts]
        return ", ".join(parts)

    @property
    def evidence(self) -> list[Evidence]:
        """One piece per attempt: the URL as the location, the status as the text."""

        return [
            Evidence(
                path=a.url,
                line=None,
                text=_outcome(a),
                why=f"{self.target.kind} named in the report (question {self.target.question})",
                origin=Origin.UNKNOWN,
            )
            for a in self.attempts
        ]

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.target.url,
            "kind": self.target.kind,
            "question": self.target.question,
            "line": self.target.line,
            "level": str(self.level),
            "summary": self.summary,
            "attempts": [a.to_dict() for a in self.attempts],
        }


def _outcome(attempt: Attempt) -> str:
    return f"HTTP {attempt.status}" if attempt.status is not None else (attempt.error or "")


def classify(url: str) -> tuple[str, str] | None:
    """``(base URL, kind)`` for a URL of a deployed service, None for any other URL."""

    try:
        parts = urlsplit(url.rstrip(".,;:!?"))
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or port is not None or parts.username or parts.password:
        return None
    if not _HOST.match(host):
        return None
    segments = [s for s in parts.path.split("/") if s]
    first = segments[0] if segments and _SEGMENT.match(segments[0]) else None
    if host.endswith(".run.app"):
        return f"{scheme}://{host}", "cloud-run"
    if host.endswith(".cloudfunctions.net") and first:
        return f"{scheme}://{host}/{first}", "cloud-function"
    if _PAGES_HOST.match(host):
        base = f"{scheme}://{host}" + (f"/{first}" if first else "")
        return base, "github-pages"
    return None


def find_targets(report: Report, limit: int = MAX_TARGETS) -> list[Target]:
    """The deployed services the answers name, first mention first, each once.

    The line of a bare URL is counted within the answer text, so it can be off by the
    lines of a quoted prompt; a Markdown link carries its own line.
    """

    seen: dict[str, Target] = {}
    for answer in sorted(report.answers, key=lambda a: a.number):
        found: list[tuple[str, int]] = [(lk.target, lk.line) for lk in answer.links]
        for m in _URL.finditer(answer.text):
            line = answer.start_line + answer.text.count("\n", 0, m.start())
            found.append((m.group(0), line))
        for url, line in sorted(found, key=lambda f: f[1]):
            hit = classify(url)
            if hit is None or hit[0] in seen:
                continue
            seen[hit[0]] = Target(hit[0], hit[1], answer.number, line)
    return list(seen.values())[:limit]


def _join(base: str, path: str) -> str:
    return base + path if path != "/" else base + "/"


def try_target(target: Target, client: httpx.Client) -> OnlineCheck:
    check = OnlineCheck(target)
    for path in PATHS:
        url = _join(target.url, path)
        start = time.perf_counter()
        status: int | None = None
        error: str | None = None
        try:
            response = client.get(url)
            status = response.status_code
        except httpx.TimeoutException:
            error = "timed out"
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            error = f"unreachable ({type(exc).__name__})"
        elapsed = (time.perf_counter() - start) * 1000
        check.attempts.append(Attempt(url, status, error, elapsed))
    return check


def make_client(timeout: float) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )


def check_urls(
    report: Report, *, timeout: float = 5.0, client: httpx.Client | None = None
) -> list[OnlineCheck]:
    """Try every deployed service the report names; never raises for a network problem.

    ``client`` replaces the default one (tests route it to a local server).
    """

    targets = find_targets(report)
    if not targets:
        return []
    own = client is None
    http = make_client(timeout) if client is None else client
    try:
        return [try_target(t, http) for t in targets]
    finally:
        if own:
            http.close()
