"""Clones that fail on the way: a real local HTTP server on 127.0.0.1 serves a bare
repository (git's "dumb" HTTP protocol: plain files after ``git update-server-info``) and
answers the first requests with 503, 502, 429 or a rate-limited 403, or hangs, or says 404.
Transient failures are retried with backoff; final ones are recorded at once; records
already written stay as they are."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import git
import pytest
from conftest import ISOLATED_GIT_ENV, make_bare, make_repo

from verifier.batch.classlist import BatchEntry
from verifier.batch.outputs import load_record, result_path
from verifier.batch.runner import BatchOptions, PlainProgress, is_transient, run_batch, transfer
from verifier.repo.sources import SnapshotError

REPORT = "## Overall project checklist\n\n* [x] Create a git repository (M5)\n"
FAST = {"backoff_s": 0.05, "transfer_timeout_s": 2.0, "progress": None}


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ISOLATED_GIT_ENV.items():
        monkeypatch.setenv(key, value)


@dataclass
class Plan:
    """How the server answers: ``failures`` are used up one per clone attempt (an attempt
    starts with a request for ``info/refs``); "ok" serves the files."""

    failures: list[str] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self, path: str) -> str:
        with self.lock:
            if "/info/refs" in path:
                self.attempts += 1
                if self.failures:
                    return self.failures.pop(0)
            return "ok"


def _handler(root: Path, plan: Plan) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            answer = plan.next_answer(self.path)
            if answer == "ok":
                super().do_GET()
            elif answer == "hang":
                time.sleep(6)  # longer than the attempt's time limit
            elif answer == "rate-limit":
                self.send_response(403)
                self.send_header("X-RateLimit-Remaining", "0")
                self.send_header("X-RateLimit-Reset", str(int(time.time()) + 1))
                self.end_headers()
                self.wfile.write(b"API rate limit exceeded")
            else:
                self.send_response(int(answer))
                self.end_headers()

    return Handler


@contextmanager
def serve(root: Path, plan: Plan) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, plan))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _served_repo(tmp_path: Path, name: str = "group.git") -> Path:
    src = make_repo(tmp_path, {"reports/README.md": REPORT}, name=f"src-{name}")
    bare = make_bare(src, tmp_path / "www" / name)
    git.Repo(bare).git.update_server_info()
    return tmp_path / "www"


def _batch(tmp_path: Path, entries: list[BatchEntry], **kw: object) -> dict[str, dict]:
    out = tmp_path / "out"
    options = {**FAST, **kw}
    options["progress"] = PlainProgress(io.StringIO())
    run_batch(entries, out, jobs=1, cache_dir=tmp_path / "cache", **options)  # type: ignore[arg-type]
    return {e.name: load_record(result_path(out, e.name)) or {} for e in entries}


@pytest.mark.parametrize("failure", ["503", "502", "500", "429", "rate-limit", "hang"])
def test_a_transient_failure_is_retried_and_the_audit_completes(
    tmp_path: Path, failure: str
) -> None:
    www = _served_repo(tmp_path)
    plan = Plan([failure])
    with serve(www, plan) as base:
        entry = BatchEntry(f"{base}/group.git", group="7")
        record = _batch(tmp_path, [entry], retries=2)[entry.name]
    assert record["status"] == "ok", record.get("error")
    assert record["transfer_attempts"] == 2
    assert plan.attempts == 2
    assert record["result"]["counts"]["verified"] == 1


def test_a_failure_that_persists_is_recorded_with_the_attempts(tmp_path: Path) -> None:
    www = _served_repo(tmp_path)
    plan = Plan(["503", "503", "503", "503"])
    with serve(www, plan) as base:
        entry = BatchEntry(f"{base}/group.git")
        start = time.perf_counter()
        record = _batch(tmp_path, [entry], retries=2)[entry.name]
        waited = time.perf_counter() - start
    assert record["status"] == "error"
    assert record["error_kind"] == "repository"
    assert "returned error: 503" in record["error"]
    assert "(after 3 attempts)" in record["error"]
    assert plan.attempts == 3
    assert waited >= 0.05 + 0.1 * 0.8  # the backoff doubled between attempts


def test_a_missing_repository_is_not_retried(tmp_path: Path) -> None:
    www = _served_repo(tmp_path)
    plan = Plan(["404"])
    with serve(www, plan) as base:
        entry = BatchEntry(f"{base}/group.git")
        record = _batch(tmp_path, [entry], retries=3)[entry.name]
    assert record["status"] == "error"
    assert "attempts" not in record["error"]
    assert plan.attempts == 1


def test_one_repository_failing_loses_nothing_of_the_others(tmp_path: Path) -> None:
    www = _served_repo(tmp_path, "a.git")
    _served_repo(tmp_path, "b.git")
    plan = Plan(["503", "503"])  # the first repository asked for takes both failures
    with serve(www, plan) as base:
        first = BatchEntry(f"{base}/a.git", group="1")
        second = BatchEntry(f"{base}/b.git", group="2")
        records = _batch(tmp_path, [first, second], retries=1)
        written = json.loads(result_path(tmp_path / "out", second.name).read_text())
    assert records[first.name]["status"] == "error"
    assert records[second.name]["status"] == "ok"
    assert written == records[second.name]
    summary = (tmp_path / "out" / "summary.csv").read_text()
    assert summary.count("\n") == 3  # header + both groups


def test_a_retried_fetch_into_the_cache(tmp_path: Path) -> None:
    www = _served_repo(tmp_path)
    plan = Plan()
    with serve(www, plan) as base:
        url = f"{base}/group.git"
        dest = tmp_path / "cache" / "g"
        options = BatchOptions(retries=2, backoff_s=0.01, transfer_timeout_s=2.0)
        assert transfer(url, dest, options, time.perf_counter()) == 1  # a clone
        plan.failures = ["502"]
        assert transfer(url, dest, options, time.perf_counter()) == 2  # a fetch, retried
        plan.failures = ["404"]
        with pytest.raises(SnapshotError):
            transfer(url, dest, options, time.perf_counter())


@pytest.mark.parametrize(
    ("message", "transient"),
    [
        ("fatal: unable to access 'x': The requested URL returned error: 503", True),
        ("fatal: unable to access 'x': The requested URL returned error: 403", True),
        ("fatal: unable to access 'x': Could not resolve host: github.com", True),
        ("clone of https://github.com/a/b timed out after 120 s", True),
        ("error: RPC failed; curl 56 GnuTLS recv error (-9)", True),
        ("fatal: repository 'https://github.com/a/b/' not found", False),
        (
            "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
            False,
        ),
        ("fatal: unable to access 'x': The requested URL returned error: 401", False),
        ("unsupported URL scheme 'ftp' in ftp://x", False),
    ],
)
def test_which_failures_are_worth_another_attempt(message: str, transient: bool) -> None:
    assert is_transient(message) is transient


@pytest.mark.parametrize(
    ("message", "transient"),
    [
        ("fetch of https://github.com/a/ssl-demo failed: fatal: repository not found", False),
        ("clone of https://github.com/a/try-again failed: fatal: could not read Username", False),
        (
            "fetch of https://x/a failed: Cmd('git') failed due to: Timeout: the command did "
            "not complete in 120 secs.",
            True,
        ),
    ],
)
def test_urls_do_not_decide_and_fetch_timeouts_are_retried(message: str, transient: bool) -> None:
    assert is_transient(message) is transient
