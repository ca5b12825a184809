"""Online checks against local servers on 127.0.0.1 only.

Report URLs name Cloud Run, Cloud Functions and GitHub Pages hosts; an httpx transport routes
each host to a local port, so the requests go through the real HTTP stack and never leave the
machine. One server answers 500 on ``/`` and 200 on ``/health``, one answers slowly, one port
is closed.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from verifier import online
from verifier.cli_outputs import add_output_arguments, write_outputs
from verifier.engine.result import AuditResult, SnapshotInfo
from verifier.findings import Verdict
from verifier.online import Target, check_urls, classify, find_targets, try_target
from verifier.render.markdown_render import render_markdown
from verifier.report.parse import parse_report

TINY = 0.3  # seconds: the timeout of every request in these tests


class _Handler(BaseHTTPRequestHandler):
    slow = False

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.slow:
            time.sleep(TINY * 4)
        status = {"/": 500, "/health": 200, "/fn/health": 200}.get(self.path, 404)
        body = b"ok" if status == 200 else b"no"
        try:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (timeout)
            pass


class _Slow(_Handler):
    slow = True


class _Redirect(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class LocalRoutes(httpx.BaseTransport):
    """Sends a request for a known host to 127.0.0.1 on its port, path and query kept."""

    def __init__(self, ports: dict[str, int]) -> None:
        self.ports = ports
        self.seen: list[str] = []
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        port = self.ports[request.url.host]  # any other host fails the test
        url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
        forward = httpx.Request(request.method, url, extensions=request.extensions)
        return self.inner.handle_request(forward)

    def close(self) -> None:
        self.inner.close()


def routed_client(ports: dict[str, int]) -> tuple[httpx.Client, LocalRoutes]:
    routes = LocalRoutes(ports)
    return httpx.Client(transport=routes, timeout=TINY, follow_redirects=False), routes


REPORT = """\
# Exam template for 02476 Machine Learning Operations

## Group information

### Question 23

> Answer:

We deployed the API to Cloud Run at https://api-abc123-ew.a.run.app/predict, and the docs
are on [our pages](https://group42.github.io/mlops-project/).

### Question 24

> Answer:

A function runs at https://europe-west1-proj.cloudfunctions.net/fn. Same API again:
https://api-abc123-ew.a.run.app. Not ours: https://example.com/run.app and
http://evil.run.app:8080/ and https://slow-x.a.run.app/, https://gone-y.a.run.app.
"""


def _report():
    return parse_report(REPORT)


def test_classify() -> None:
    assert classify("https://api-abc-ew.a.run.app/predict?x=1") == (
        "https://api-abc-ew.a.run.app",
        "cloud-run",
    )
    assert classify("https://r-p.cloudfunctions.net/fn/sub") == (
        "https://r-p.cloudfunctions.net/fn",
        "cloud-function",
    )
    assert classify("https://r-p.cloudfunctions.net/") is None  # no function named
    assert classify("https://Owner.github.io/repo/page.html") == (
        "https://owner.github.io/repo",
        "github-pages",
    )
    assert classify("https://owner.github.io") == ("https://owner.github.io", "github-pages")
    assert classify("https://svc.a.run.app.") == ("https://svc.a.run.app", "cloud-run")
    for other in [
        "https://example.com/run.app",
        "https://svc.a.run.app:8443/",
        "https://user:pw@svc.a.run.app/",
        "ftp://svc.a.run.app/",
        "https://github.io/x",
        "https://a.b.github.io/x",
        "https://[::1]/",
        "not a url",
    ]:
        assert classify(other) is None, other


def test_find_targets_in_the_answers() -> None:
    targets = find_targets(_report())
    assert [(t.url, t.kind, t.question) for t in targets] == [
        ("https://api-abc123-ew.a.run.app", "cloud-run", 23),
        ("https://group42.github.io/mlops-project", "github-pages", 23),
        ("https://europe-west1-proj.cloudfunctions.net/fn", "cloud-function", 24),
        ("https://slow-x.a.run.app", "cloud-run", 24),
        ("https://gone-y.a.run.app", "cloud-run", 24),
    ]
    lines = REPORT.splitlines()
    for t in targets:
        host = t.url.split("//")[1].split("/")[0]
        assert host in lines[t.line - 1].lower(), (t, lines[t.line - 1])
    assert len(find_targets(_report(), limit=2)) == 2


def test_health_answers_while_root_fails() -> None:
    target = Target("https://svc.a.run.app", "cloud-run", 23, 9)
    with serve(_Handler) as port:
        client, routes = routed_client({"svc.a.run.app": port})
        with client:
            check = try_target(target, client)
    assert routes.seen == [
        "https://svc.a.run.app/",
        "https://svc.a.run.app/health",
        "https://svc.a.run.app/docs",
    ]
    assert [a.status for a in check.attempts] == [500, 200, 404]
    assert check.level is Verdict.VERIFIED
    assert check.summary == "/ HTTP 500, /health HTTP 200, /docs HTTP 404"
    assert [(e.path, e.text) for e in check.evidence][1] == (
        "https://svc.a.run.app/health",
        "HTTP 200",
    )
    assert check.to_dict()["level"] == "verified"


def test_paths_are_below_the_function() -> None:
    target = Target("https://r-p.cloudfunctions.net/fn", "cloud-function", 24, 1)
    with serve(_Handler) as port:
        client, _ = routed_client({"r-p.cloudfunctions.net": port})
        with client:
            check = try_target(target, client)
    assert [a.url for a in check.attempts] == [
        "https://r-p.cloudfunctions.net/fn/",
        "https://r-p.cloudfunctions.net/fn/health",
        "https://r-p.cloudfunctions.net/fn/docs",
    ]
    assert [a.status for a in check.attempts] == [404, 200, 404]


def test_closed_port_is_weak_not_a_crash() -> None:
    target = Target("https://gone.a.run.app", "cloud-run", 24, 1)
    client, _ = routed_client({"gone.a.run.app": closed_port()})
    with client:
        check = try_target(target, client)
    assert check.level is Verdict.WEAK
    assert all(a.status is None for a in check.attempts)
    assert all(a.error and a.error.startswith("unreachable") for a in check.attempts)


def test_slow_service_hits_the_timeout() -> None:
    target = Target("https://slow.a.run.app", "cloud-run", 24, 1)
    with serve(_Slow) as port:
        client, _ = routed_client({"slow.a.run.app": port})
        start = time.perf_counter()
        with client:
            check = try_target(target, client)
        elapsed = time.perf_counter() - start
    assert [a.error for a in check.attempts] == ["timed out"] * 3
    assert check.level is Verdict.WEAK
    assert elapsed < 3 * TINY * 4  # gave up before the server answered


def test_only_errors_is_weak() -> None:
    target = Target("https://owner.github.io/nothing", "github-pages", 1, 1)
    with serve(_Handler) as port:
        client, _ = routed_client({"owner.github.io": port})
        with client:
            check = try_target(target, client)
    assert [a.status for a in check.attempts] == [404, 404, 404]
    assert check.level is Verdict.WEAK


def test_a_redirect_answers_and_is_not_followed() -> None:
    target = Target("https://svc.a.run.app", "cloud-run", 1, 1)
    with serve(_Redirect) as port:
        client, routes = routed_client({"svc.a.run.app": port})
        with client:
            check = try_target(target, client)
    assert [a.status for a in check.attempts] == [302, 302, 302]
    assert check.level is Verdict.VERIFIED
    assert all("169.254" not in url for url in routes.seen)


def _ports(good: int, slow: int) -> dict[str, int]:
    return {
        "api-abc123-ew.a.run.app": good,
        "group42.github.io": good,
        "europe-west1-proj.cloudfunctions.net": good,
        "slow-x.a.run.app": slow,
        "gone-y.a.run.app": closed_port(),
    }


def test_check_urls_end_to_end() -> None:
    with serve(_Handler) as good, serve(_Slow) as slow:
        client, routes = routed_client(_ports(good, slow))
        with client:
            checks = check_urls(_report(), timeout=TINY, client=client)
    assert [(c.url, str(c.level)) for c in checks] == [
        ("https://api-abc123-ew.a.run.app", "verified"),
        ("https://group42.github.io/mlops-project", "weak"),
        ("https://europe-west1-proj.cloudfunctions.net/fn", "verified"),
        ("https://slow-x.a.run.app", "weak"),
        ("https://gone-y.a.run.app", "weak"),
    ]
    assert len(routes.seen) == 15


def test_no_targets_no_requests() -> None:
    report = parse_report("# Report\n\n### Question 1\n\n> Answer:\n\nhttps://example.com\n")
    assert check_urls(report, timeout=TINY, client=None) == []


def _result() -> AuditResult:
    info = SnapshotInfo("t", "worktree", "a" * 40, None, None, None, None, 0)
    return AuditResult(snapshot=info, report=_report(), findings=[])


def _args(tmp_path: Path, *extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_output_arguments(parser)
    return parser.parse_args(
        [
            "--json-file",
            str(tmp_path / "r.json"),
            "--summary-file",
            str(tmp_path / "s.md"),
            "--repo-url",
            "https://github.com/o/r",
            *extra,
        ]
    )


def test_online_flag_fills_json_and_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(_Handler) as good, serve(_Slow) as slow:
        ports = _ports(good, slow)
        monkeypatch.setattr(online, "make_client", lambda timeout: routed_client(ports)[0])
        result = _result()
        write_outputs(_args(tmp_path, "--online", "--online-timeout", str(TINY)), result)
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [c["level"] for c in data["online"]] == ["verified", "weak", "verified", "weak", "weak"]
    assert data["online"][0]["attempts"][1] == {
        "url": "https://api-abc123-ew.a.run.app/health",
        "status": 200,
        "error": None,
        "elapsed_ms": data["online"][0]["attempts"][1]["elapsed_ms"],
    }
    summary = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "### Deployed services named in the report" in summary
    assert "api\\-abc123\\-ew\\.a\\.run\\.app" in summary  # student text, escaped
    assert "/health HTTP 200" in summary.replace("\\", "")
    assert "**weak**" in summary


def test_without_the_flag_nothing_is_tried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(timeout: float) -> httpx.Client:
        raise AssertionError("no network without --online")

    monkeypatch.setattr(online, "make_client", refuse)
    result = _result()
    write_outputs(_args(tmp_path), result)
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["online"] == []  # the key is always there; empty without --online
    assert "Deployed services" not in render_markdown(result)
