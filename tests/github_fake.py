"""A stand-in for the GitHub REST API on 127.0.0.1, for tests that must never use the network.

It answers the read calls pygithub makes for a repository (the repository, collaborators,
contributors, pull requests and their reviews, workflow runs, Pages, ``/rate_limit``) from
plain data, paginates lists with ``page``/``per_page`` and ``Link`` headers as GitHub does,
sends ``X-RateLimit-*`` headers, logs every request, and can misbehave on demand::

    fake = FakeGitHubAPI()
    repo = fake.add_repo("group1/mlops")
    repo.add_collaborator("alice", "admin")
    repo.add_pull("Add CI", "alice", merged=True, reviews=[("bob", "APPROVED")])
    fake.rate_limit(times=1, reset_in=1.0)        # the first request: primary rate limit
    fake.fail(502, times=2, path=r"/pulls$")      # two pull listings: 502
    with serve(fake) as base_url:
        gh = github.Github(base_url=base_url, ...)

Faults apply in the order they were added; each answers ``times`` matching requests
(``None``: every one) before the next fault or the normal answer takes over.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

RATE_LIMIT = 5000


@dataclass
class FakeReview:
    login: str
    state: str = "APPROVED"  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING


@dataclass
class FakePull:
    number: int
    title: str
    author: str
    state: str = "closed"
    merged: bool = False
    base: str = "main"
    head: str = "feature"
    reviews: list[FakeReview] = field(default_factory=list)


@dataclass
class FakeRun:
    run_id: int
    workflow: str
    workflow_id: int
    branch: str = "main"
    status: str = "completed"
    conclusion: str | None = "success"
    event: str = "push"
    head_sha: str = "0" * 40
    created_at: str = "2026-01-10T12:00:00Z"


@dataclass
class FakeRepo:
    owner: str
    name: str
    default_branch: str = "main"
    private: bool = False
    #: (login, role): role is admin, maintain, write, triage or read.
    collaborators: list[tuple[str, str]] = field(default_factory=list)
    #: (login, commits); a login of None is an anonymous contributor (a bare email).
    contributors: list[tuple[str | None, int]] = field(default_factory=list)
    #: Oldest first; listed newest first as GitHub does by default.
    pulls: list[FakePull] = field(default_factory=list)
    #: Oldest first; listed newest first.
    runs: list[FakeRun] = field(default_factory=list)
    #: The Pages site (``html_url``, ``status``, ``build_type``), or None: Pages answers 404.
    pages: dict[str, Any] | None = None
    #: No commits yet: contributors answer 204 with no body, as GitHub does.
    empty: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def add_collaborator(self, login: str, role: str = "write") -> None:
        self.collaborators.append((login, role))

    def add_contributor(self, login: str | None, commits: int) -> None:
        self.contributors.append((login, commits))

    def add_pull(
        self,
        title: str,
        author: str,
        *,
        state: str = "closed",
        merged: bool = False,
        reviews: list[tuple[str, str]] | None = None,
        base: str = "main",
        head: str = "feature",
    ) -> FakePull:
        pull = FakePull(
            number=len(self.pulls) + 1,
            title=title,
            author=author,
            state=state,
            merged=merged,
            base=base,
            head=head,
            reviews=[FakeReview(lg, st) for lg, st in reviews or []],
        )
        self.pulls.append(pull)
        return pull

    def add_run(
        self,
        workflow: str,
        *,
        conclusion: str | None = "success",
        status: str = "completed",
        branch: str | None = None,
        event: str = "push",
        workflow_id: int | None = None,
    ) -> FakeRun:
        if workflow_id is None:
            known = {r.workflow: r.workflow_id for r in self.runs}
            workflow_id = known.get(workflow, 100 + len(known))
        run = FakeRun(
            run_id=9000 + len(self.runs),
            workflow=workflow,
            workflow_id=workflow_id,
            branch=branch or self.default_branch,
            status=status,
            conclusion=conclusion,
            event=event,
            head_sha=f"{len(self.runs):040x}",
            created_at=f"2026-01-{10 + len(self.runs) % 18:02d}T12:00:00Z",
        )
        self.runs.append(run)
        return run


@dataclass
class Fault:
    """One kind of misbehaviour for requests whose path matches ``path`` (a regex)."""

    #: "status", "rate_limit" (primary, 403), "secondary" (403) or "hang".
    kind: str
    status: int = 500
    times: int | None = 1
    path: str | None = None
    message: str = ""
    #: Seconds until ``X-RateLimit-Reset`` for "rate_limit".
    reset_in: float = 1.0
    retry_after: int | None = None
    #: Seconds a "hang" waits before answering normally.
    delay: float = 0.0

    def matches(self, path: str) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        return self.path is None or re.search(self.path, path) is not None


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: dict[str, str]
    status: int
    at: float  # time.monotonic() when answered
    authorization: str | None = None


@dataclass
class FakeGitHubAPI:
    repos: dict[str, FakeRepo] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    log: list[LoggedRequest] = field(default_factory=list)
    base_url: str = ""
    remaining: int = RATE_LIMIT
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # ---- set-up

    def add_repo(self, full_name: str, **kwargs: Any) -> FakeRepo:
        owner, name = full_name.split("/")
        repo = FakeRepo(owner=owner, name=name, **kwargs)
        self.repos[full_name.lower()] = repo
        return repo

    def fail(
        self,
        status: int,
        *,
        times: int | None = 1,
        path: str | None = None,
        message: str = "",
        retry_after: int | None = None,
    ) -> None:
        """Answer ``status`` (500, 502, 503, 429, 403, 404, ...)."""

        text = message or {429: "Too Many Requests"}.get(status, f"Server Error {status}")
        self.faults.append(
            Fault("status", status, times, path, message=text, retry_after=retry_after)
        )

    def rate_limit(
        self,
        *,
        times: int | None = 1,
        reset_in: float = 1.0,
        path: str | None = None,
        status: int = 403,
    ) -> None:
        """Answer "API rate limit exceeded" with ``X-RateLimit-Remaining: 0`` and the reset
        ``reset_in`` seconds ahead (GitHub answers a spent quota with 403 or 429)."""

        message = "API rate limit exceeded for 127.0.0.1."
        self.faults.append(Fault("rate_limit", status, times, path, message, reset_in))

    def secondary_limit(
        self, *, times: int | None = 1, retry_after: int | None = None, path: str | None = None
    ) -> None:
        message = (
            "You have exceeded a secondary rate limit. "
            "Please wait a few minutes before you try again."
        )
        self.faults.append(Fault("secondary", 403, times, path, message, retry_after=retry_after))

    def hang(self, seconds: float, *, times: int | None = 1, path: str | None = None) -> None:
        """Wait ``seconds`` before answering (a client timeout shorter than that gives up)."""

        self.faults.append(Fault("hang", 200, times, path, delay=seconds))

    # ---- inspection

    def paths(self) -> list[str]:
        return [r.path for r in self.log]

    def count(self, pattern: str) -> int:
        """How many requests had a path matching the regex ``pattern``."""

        return sum(1 for r in self.log if re.search(pattern, r.path))

    # ---- answering

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(path):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        """(status, JSON payload, extra headers) for a GET."""

        if path == "/rate_limit":
            core = {"limit": RATE_LIMIT, "remaining": self.remaining, "reset": _reset_at(3600)}
            return 200, {"resources": {"core": core}, "rate": core}, {}
        m = re.match(r"^/repos/([^/]+)/([^/]+)(/.*)?$", path)
        repo = self.repos.get(f"{m[1]}/{m[2]}".lower()) if m else None
        if m is None or repo is None:
            return 404, _not_found(), {}
        rest = m[3] or ""
        if rest == "":
            return 200, self.repo_json(repo), {}
        if rest == "/collaborators":
            return self.page(
                path, query, [self.collaborator_json(lg, r) for lg, r in repo.collaborators]
            )
        if rest == "/contributors" and repo.empty:
            return 204, None, {}
        if rest == "/contributors":
            anon = query.get("anon", "").lower() in ("1", "true")
            people = [(lg, n) for lg, n in repo.contributors if lg is not None or anon]
            ranked = sorted(people, key=lambda p: -p[1])
            return self.page(path, query, [self.contributor_json(lg, n) for lg, n in ranked])
        if rest == "/pulls":
            pulls = list(reversed(repo.pulls))
            state = query.get("state", "open")
            if state != "all":
                pulls = [p for p in pulls if p.state == state]
            if query.get("direction") == "asc":
                pulls.reverse()
            return self.page(path, query, [self.pull_json(repo, p) for p in pulls])
        if m2 := re.match(r"^/pulls/(\d+)/reviews$", rest):
            number = int(m2[1])
            pull = next((p for p in repo.pulls if p.number == number), None)
            if pull is None:
                return 404, _not_found(), {}
            reviews = [self.review_json(i, rv) for i, rv in enumerate(pull.reviews)]
            return self.page(path, query, reviews)
        if rest == "/actions/runs":
            runs = list(reversed(repo.runs))
            if "branch" in query:
                runs = [r for r in runs if r.branch == query["branch"]]
            if "event" in query:
                runs = [r for r in runs if r.event == query["event"]]
            items = [self.run_json(repo, r) for r in runs]
            return self.page(path, query, items, list_key="workflow_runs")
        if rest == "/pages":
            if repo.pages is None:
                return 404, _not_found(), {}
            return 200, {"url": f"{self.base_url}{path}", **repo.pages}, {}
        return 404, _not_found(), {}

    def page(
        self, path: str, query: dict[str, str], items: list[Any], list_key: str | None = None
    ) -> tuple[int, Any, dict[str, str]]:
        per_page = max(1, min(100, int(query.get("per_page", "30"))))
        number = max(1, int(query.get("page", "1")))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(number - 1) * per_page : number * per_page]
        links = []

        def link(page: int, rel: str) -> str:
            params = {**query, "page": str(page), "per_page": str(per_page)}
            return f'<{self.base_url}{path}?{urlencode(params)}>; rel="{rel}"'

        if number < last:
            links += [link(number + 1, "next"), link(last, "last")]
        if number > 1:
            links += [link(1, "first"), link(number - 1, "prev")]
        headers = {"Link": ", ".join(links)} if links else {}
        payload: Any = chunk if list_key is None else {"total_count": len(items), list_key: chunk}
        return 200, payload, headers

    # ---- payloads (the fields GitHub sends that pygithub reads)

    def user_json(self, login: str) -> dict[str, Any]:
        kind = "Bot" if login.endswith("[bot]") else "User"
        return {
            "login": login,
            "id": abs(hash(login)) % 10**8,
            "type": kind,
            "url": f"{self.base_url}/users/{login}",
            "html_url": f"https://github.com/{login}",
        }

    def repo_json(self, repo: FakeRepo) -> dict[str, Any]:
        return {
            "id": 4242,
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self.user_json(repo.owner),
            "private": repo.private,
            "html_url": f"https://github.com/{repo.full_name}",
            "url": f"{self.base_url}/repos/{repo.full_name}",
            "default_branch": repo.default_branch,
            "has_pages": repo.pages is not None,
        }

    def collaborator_json(self, login: str, role: str) -> dict[str, Any]:
        order = ["read", "triage", "write", "maintain", "admin"]
        level = order.index(role) if role in order else 0
        permissions = {
            "pull": level >= 0,
            "triage": level >= 1,
            "push": level >= 2,
            "maintain": level >= 3,
            "admin": level >= 4,
        }
        return {**self.user_json(login), "permissions": permissions, "role_name": role}

    def contributor_json(self, login: str | None, commits: int) -> dict[str, Any]:
        if login is None:
            return {
                "type": "Anonymous",
                "name": "someone",
                "email": "x@y.z",
                "contributions": commits,
            }
        return {**self.user_json(login), "contributions": commits}

    def pull_json(self, repo: FakeRepo, pull: FakePull) -> dict[str, Any]:
        url = f"{self.base_url}/repos/{repo.full_name}/pulls/{pull.number}"
        merged_at = "2026-01-05T10:00:00Z" if pull.merged else None
        return {
            "id": 70000 + pull.number,
            "number": pull.number,
            "url": url,
            "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}",
            "state": pull.state,
            "title": pull.title,
            "user": self.user_json(pull.author),
            "created_at": "2026-01-04T10:00:00Z",
            "merged_at": merged_at,
            "closed_at": merged_at,
            "base": {"ref": pull.base, "label": f"{repo.owner}:{pull.base}", "sha": "a" * 40},
            "head": {"ref": pull.head, "label": f"{repo.owner}:{pull.head}", "sha": "b" * 40},
        }

    def review_json(self, index: int, review: FakeReview) -> dict[str, Any]:
        return {
            "id": 50000 + index,
            "user": self.user_json(review.login),
            "state": review.state,
            "body": "",
            "submitted_at": "2026-01-05T09:00:00Z",
        }

    def run_json(self, repo: FakeRepo, run: FakeRun) -> dict[str, Any]:
        return {
            "id": run.run_id,
            "name": run.workflow,
            "path": f".github/workflows/{run.workflow.lower().replace(' ', '_')}.yaml",
            "workflow_id": run.workflow_id,
            "head_branch": run.branch,
            "head_sha": run.head_sha,
            "event": run.event,
            "status": run.status,
            "conclusion": run.conclusion,
            "url": f"{self.base_url}/repos/{repo.full_name}/actions/runs/{run.run_id}",
            "html_url": f"https://github.com/{repo.full_name}/actions/runs/{run.run_id}",
            "created_at": run.created_at,
        }


def _not_found() -> dict[str, str]:
    return {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}


def _reset_at(seconds: float) -> int:
    return int(time.time() + seconds)


def _handler(fake: FakeGitHubAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each answer waits for a delayed ACK (~40 ms)

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
            data = b"" if status == 204 else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path.rstrip("/") or "/"
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            fault = fake.take_fault(path)
            with fake.lock:
                fake.remaining = max(0, fake.remaining - 1)
                remaining = fake.remaining
            rate = {
                "X-RateLimit-Limit": str(RATE_LIMIT),
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(_reset_at(3600)),
            }
            if fault is not None and fault.kind == "hang":
                time.sleep(fault.delay)
                fault = None
            if fault is None:
                status, payload, extra = fake.answer(path, query)
                headers = {**rate, **extra}
            else:
                status, payload = fault.status, {"message": fault.message}
                headers = dict(rate)
                if fault.kind == "rate_limit":
                    headers["X-RateLimit-Remaining"] = "0"
                    headers["X-RateLimit-Reset"] = str(_reset_at(fault.reset_in))
                if fault.retry_after is not None:
                    headers["Retry-After"] = str(fault.retry_after)
            auth = self.headers.get("Authorization")
            fake.log.append(LoggedRequest("GET", path, query, status, time.monotonic(), auth))
            with contextlib.suppress(OSError):  # the client gave up (a timeout)
                self._send(status, payload, headers)

    return Handler


@contextmanager
def serve(fake: FakeGitHubAPI) -> Iterator[str]:
    """Run ``fake`` on 127.0.0.1 (a free port) and yield its base URL."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
