"""The pull request comment: one per PR, found again by its marker and edited.

A stand-in for the GitHub REST API runs on 127.0.0.1 (http.server in a thread, port 0) and
answers the calls pygithub makes: the repository, the issue (a PR is one), its comments
(list and create) and a comment's edit, keeping the comments in memory; ``fail_with`` makes
every request answer with that HTTP status instead.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import github
import pytest
from github import Auth
from test_render_markdown import REPO_URL, audit_fixture, make_fixture_repo

from verifier.cli import main
from verifier.cli_outputs import comment_on_pull_request, pull_request_number
from verifier.github.pr_comment import MARKER, post_or_update_comment, with_marker
from verifier.render.markdown_render import render_markdown


@dataclass
class FakeGitHub:
    base_url: str = ""
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    fail_with: int | None = None
    next_id: int = 1000

    def add_comment(self, number: int, body: str, login: str, kind: str = "User") -> int:
        self.next_id += 1
        comment = {
            "id": self.next_id,
            "url": f"{self.base_url}/repos/o/r/issues/comments/{self.next_id}",
            "body": body,
            "user": {"login": login, "type": kind},
        }
        self.comments.setdefault(number, []).append(comment)
        return self.next_id

    def find(self, comment_id: int) -> dict[str, Any] | None:
        for group in self.comments.values():
            for c in group:
                if c["id"] == comment_id:
                    return c
        return None


_REPO = re.compile(r"^/repos/([^/]+)/([^/]+)$")
_ISSUE = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)$")
_ISSUE_COMMENTS = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)/comments$")
_COMMENT = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/comments/(\d+)$")


def _handler(state: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, payload: object) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def _route(self, method: str) -> None:
            path = self.path.split("?", 1)[0]
            state.requests.append((method, path))
            if state.fail_with is not None:
                self._send(state.fail_with, {"message": "refused @octocat"})
                return
            if method == "GET" and (m := _REPO.match(path)):
                full = f"{m[1]}/{m[2]}"
                url = f"{state.base_url}/repos/{full}"
                self._send(200, {"id": 1, "name": m[2], "full_name": full, "url": url})
            elif method == "GET" and (m := _ISSUE.match(path)):
                url = f"{state.base_url}{path}"
                self._send(200, {"id": 2, "number": int(m[3]), "url": url})
            elif (m := _ISSUE_COMMENTS.match(path)) and method in ("GET", "POST"):
                number = int(m[3])
                if method == "GET":
                    self._send(200, state.comments.get(number, []))
                else:
                    cid = state.add_comment(number, self._body()["body"], "bot", "Bot")
                    self._send(201, state.find(cid))
            elif method == "PATCH" and (m := _COMMENT.match(path)):
                comment = state.find(int(m[3]))
                if comment is None:
                    self._send(404, {"message": "Not Found"})
                else:
                    comment["body"] = self._body()["body"]
                    self._send(200, comment)
            else:
                self._send(404, {"message": "Not Found"})

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def do_PATCH(self) -> None:
            self._route("PATCH")

    return Handler


@contextmanager
def fake_github() -> Iterator[FakeGitHub]:
    state = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# ---- tests


def _gh(state: FakeGitHub) -> github.Github:
    return github.Github(
        auth=Auth.Token("t0ken"),
        base_url=state.base_url,
        retry=None,
        timeout=5,
        seconds_between_requests=0,
        seconds_between_writes=0,
    )


def test_first_call_creates_second_updates_the_same_comment() -> None:
    with fake_github() as state:
        gh = _gh(state)
        assert post_or_update_comment(gh, "o/r", 7, "first run") == "created"
        assert post_or_update_comment(gh, "o/r", 7, "second run") == "updated"
        assert post_or_update_comment(gh, "o/r", 7, "third run") == "updated"
    [comment] = state.comments[7]
    assert comment["body"] == f"{MARKER}\nthird run"
    methods = [m for m, _ in state.requests]
    assert methods.count("POST") == 1
    assert methods.count("PATCH") == 2
    assert ("PATCH", f"/repos/o/r/issues/comments/{comment['id']}") in state.requests


def test_other_comments_are_left_alone() -> None:
    with fake_github() as state:
        state.add_comment(3, "Nice work! <!-- verifier-report --> later in the text", "ta")
        mine = state.add_comment(3, f"{MARKER}\nold", "github-actions[bot]", "Bot")
        assert post_or_update_comment(_gh(state), "o/r", 3, "new") == "updated"
    assert [c["body"] for c in state.comments[3]] == [
        "Nice work! <!-- verifier-report --> later in the text",
        f"{MARKER}\nnew",
    ]
    assert state.find(mine)["body"].endswith("new")


def test_a_marker_pasted_by_a_person_loses_to_the_bots_comment() -> None:
    with fake_github() as state:
        state.add_comment(3, f"{MARKER}\nI pasted this", "student")
        bot = state.add_comment(3, f"{MARKER}\nold", "github-actions[bot]", "Bot")
        assert post_or_update_comment(_gh(state), "o/r", 3, "new") == "updated"
    assert state.comments[3][0]["body"].endswith("I pasted this")
    assert state.find(bot)["body"] == f"{MARKER}\nnew"


def test_the_marker_is_written_once() -> None:
    assert with_marker("x") == f"{MARKER}\nx"
    assert with_marker(with_marker("x")) == f"{MARKER}\nx"


_PING = re.compile(r"(?<![\w`])@[A-Za-z0-9]")


def test_hostile_student_text_pings_nobody(tmp_path: Path) -> None:
    result = audit_fixture(tmp_path)
    body = render_markdown(result, repo_url=REPO_URL)
    with fake_github() as state:
        assert post_or_update_comment(_gh(state), "o/r", 5, body) == "created"
    [comment] = state.comments[5]
    posted = comment["body"]
    assert posted.startswith(MARKER)
    assert "octocat" in posted  # the student text is there ...
    assert not _PING.search(posted)  # ... but mentions nobody
    assert "<script>" not in posted and "<img" not in posted
    assert not re.search(r"(?<![\w&])#\d", posted)  # and links no issue


# ---- the CLI side: environment, event file, failures


def _env(state: FakeGitHub, tmp_path: Path, event: object | None) -> dict[str, str]:
    env = {
        "GITHUB_TOKEN": "t0ken",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_API_URL": state.base_url,
    }
    if event is not None:
        path = tmp_path / "event.json"
        path.write_text(json.dumps(event), encoding="utf-8")
        env["GITHUB_EVENT_PATH"] = str(path)
    return env


def test_cli_comment_created_then_updated(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    result = audit_fixture(tmp_path)
    with fake_github() as state:
        env = _env(state, tmp_path, {"pull_request": {"number": 12}})
        assert comment_on_pull_request(result, REPO_URL, env) == "created"
        assert comment_on_pull_request(result, REPO_URL, env) == "updated"
    assert len(state.comments[12]) == 1
    assert state.comments[12][0]["body"].startswith(MARKER + "\n## verifier")
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "verifier: notice: PR comment on #12 created",
        "verifier: notice: PR comment on #12 updated",
    ]


def test_cli_no_pull_request_is_a_notice(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    result = audit_fixture(tmp_path)
    with fake_github() as state:
        env = _env(state, tmp_path, {"push": {"ref": "refs/heads/main"}})
        env["GITHUB_ACTIONS"] = "true"
        assert comment_on_pull_request(result, REPO_URL, env) is None
        assert comment_on_pull_request(result, REPO_URL, _env(state, tmp_path, None)) is None
    assert state.requests == []
    out = capsys.readouterr()
    assert (
        out.out == "::notice title=verifier::no pull request in this event; no PR comment posted\n"
    )
    assert out.err.count("\n") == 1


@pytest.mark.parametrize("status", [403, 500])
def test_cli_api_failure_is_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture, status: int
) -> None:
    result = audit_fixture(tmp_path)
    with fake_github() as state:
        state.fail_with = status
        env = _env(state, tmp_path, {"pull_request": {"number": 4}})
        assert comment_on_pull_request(result, REPO_URL, env) is None
    err = capsys.readouterr().err
    assert err == f"verifier: warning: PR comment on #4 not posted: HTTP {status}\n"


def test_cli_unreachable_api_is_one_warning(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    result = audit_fixture(tmp_path)
    with fake_github() as state:
        env = _env(state, tmp_path, {"pull_request": {"number": 4}})
    # the server is shut down: nothing listens on that port any more
    assert comment_on_pull_request(result, REPO_URL, env) is None
    err = capsys.readouterr().err
    assert err.startswith("verifier: warning: PR comment on #4 not posted: ")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_missing_token_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    result = audit_fixture(tmp_path)
    with fake_github() as state:
        env = _env(state, tmp_path, {"pull_request": {"number": 4}})
        del env["GITHUB_TOKEN"]
        assert comment_on_pull_request(result, REPO_URL, env) is None
    assert state.requests == []
    assert "GITHUB_TOKEN" in capsys.readouterr().err


def test_pull_request_number_ignores_odd_events(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    for text, want in [
        ('{"pull_request": {"number": 9}}', 9),
        ('{"pull_request": {"number": "9"}}', None),
        ('{"pull_request": {"number": true}}', None),
        ("[1, 2]", None),
        ("not json", None),
    ]:
        path.write_text(text, encoding="utf-8")
        assert pull_request_number({"GITHUB_EVENT_PATH": str(path)}) == want
    assert pull_request_number({"GITHUB_EVENT_PATH": str(tmp_path / "absent")}) is None


def test_audit_exit_code_is_unchanged_when_the_comment_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    repo = make_fixture_repo(tmp_path)
    with fake_github() as state:
        state.fail_with = 502
        for key, value in _env(state, tmp_path, {"pull_request": {"number": 2}}).items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        args = ["audit", str(repo), "--format", "json", "--output", str(tmp_path / "o.json")]
        assert main([*args, "--fail-on", "mismatch", "--pr-comment"]) == 1
        assert main([*args, "--fail-on", "never", "--pr-comment"]) == 0
    assert ("GET", "/repos/o/r") in state.requests
    assert "not posted: HTTP 502" in capsys.readouterr().err


# ---- the composite action with comment: true


def test_action_posts_then_updates_the_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_action import run_action

    workspace = make_fixture_repo(tmp_path / "ws")
    with fake_github() as state:
        env = _env(state, tmp_path, {"pull_request": {"number": 31}})
        for key in ("GITHUB_API_URL", "GITHUB_EVENT_PATH"):
            monkeypatch.setenv(key, env[key])
        inputs = {"comment": "true", "online": "true", "github-token": "t0ken"}
        for name in ("run1", "run2"):
            (tmp_path / name).mkdir()
        first = run_action(tmp_path / "run1", workspace, {**inputs, "fail-on": "mismatch"})
        second = run_action(tmp_path / "run2", workspace, inputs)
    assert "::notice title=verifier::PR comment on #31 created" in first.stdout
    assert "::notice title=verifier::PR comment on #31 updated" in second.stdout
    assert first.outputs["exit-code"] == "1" and second.outputs["exit-code"] == "0"
    [comment] = state.comments[31]
    assert comment["body"].startswith(MARKER + "\n## verifier")
    assert not _PING.search(comment["body"])
    assert ("GET", "/repos/group/project") in state.requests


def test_action_without_comment_input_calls_no_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_action import run_action

    workspace = make_fixture_repo(tmp_path / "ws")
    with fake_github() as state:
        env = _env(state, tmp_path, {"pull_request": {"number": 31}})
        for key in ("GITHUB_API_URL", "GITHUB_EVENT_PATH"):
            monkeypatch.setenv(key, env[key])
        (tmp_path / "run").mkdir()
        run = run_action(tmp_path / "run", workspace, {"github-token": "t0ken"})
    assert state.requests == []
    assert "PR comment" not in run.stdout
