from __future__ import annotations

import argparse
import csv
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import github
import pytest
from conftest import ISOLATED_GIT_ENV, make_bare, make_repo

from verifier.batch.classlist import (
    BatchEntry,
    org_entries,
    parse_class_list,
    read_class_list,
    safe_name,
)
from verifier.batch.cli import BATCH_COMMANDS, add_batch_parsers
from verifier.errors import InputError

GROUP_INFO = """\
group_number,student_1,student_2,student_3,student_4,student_5,repo_url
1,s200001,s200002,s200003,,,https://github.com/course/group-1.git
2,s200011,s200012,,,,github.com/course/group-2
3,s200021,,,,,
"""


def test_group_info_csv(tmp_path: Path) -> None:
    path = tmp_path / "group_info.csv"
    path.write_bytes(("\ufeff" + GROUP_INFO).encode("utf-8"))
    entries = read_class_list(path)
    assert [e.group for e in entries] == ["1", "2", "3"]
    assert entries[0].students == ("s200001", "s200002", "s200003")
    assert entries[0].target == "https://github.com/course/group-1.git"
    assert entries[1].target == "https://github.com/course/group-2"  # scheme added
    assert entries[2].target == ""  # a group without a repository is kept, not dropped


def test_csv_header_variants(tmp_path: Path) -> None:
    text = (
        "group_nb,student 1,student 2,student 3,student 4,student 5,github_repo\n"
        "1, s123456, s654321, , , ,https://github.com/user/repo1\n"
        "12, s111111, , , , , https://github.com/user/repo2\n"
    )
    entries = parse_class_list(text, tmp_path)
    assert [(e.group, e.students, e.target) for e in entries] == [
        ("1", ("s123456", "s654321"), "https://github.com/user/repo1"),
        ("12", ("s111111",), "https://github.com/user/repo2"),
    ]
    positional = "Group,Members,Link\n3,s1;s2,https://github.com/user/repo3\n"
    assert [e.target for e in parse_class_list(positional, tmp_path)] == [
        "https://github.com/user/repo3"
    ]


def test_plain_list_with_comments_and_relative_paths(tmp_path: Path) -> None:
    text = (
        "# class of 2026\n\n"
        "https://github.com/course/a.git   # team a\n"
        "repos/b\n"
        "/abs/c/\n"
        "https://github.com/course/a\n"  # the same repository again
        "git@github.com:course/d.git\n"
    )
    entries = parse_class_list(text, tmp_path)
    assert [e.target for e in entries] == [
        "https://github.com/course/a.git",
        str(tmp_path / "repos/b"),
        "/abs/c",
        "git@github.com:course/d.git",
    ]
    assert len({e.name for e in entries}) == 4


def test_empty_and_unreadable_lists(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        parse_class_list("# nothing here\n\n", tmp_path)
    with pytest.raises(InputError, match="cannot read class list"):
        read_class_list(tmp_path / "missing.csv")


def test_safe_names_are_unique_and_file_safe() -> None:
    a = safe_name("/work/mirror/owner+one/repo")
    b = safe_name("/work/mirror/owner+two/repo")
    assert a != b and a.startswith("owner+one+repo-")
    weird = safe_name("https://host/../we ird/na;me")
    assert "/" not in weird and " " not in weird and ";" not in weird
    assert BatchEntry("https://H.example/x/y.git").key == BatchEntry("https://h.example/x/y/").key


# --------------------------------------------------------------------------- org listing

REPOS = [
    {"name": "group-02", "archived": False},
    {"name": "Group-01", "archived": False},
    {"name": "handbook", "archived": False},
    {"name": "group-03", "archived": True},
    {"name": "group-04", "archived": False},
]


def _repo_json(base: str, item: dict[str, object]) -> dict[str, object]:
    name = item["name"]
    return {
        "id": abs(hash(name)) % 10_000,
        "name": name,
        "full_name": f"course/{name}",
        "archived": item["archived"],
        "clone_url": f"{_Handler.clone_base}/{name}.git",
        "url": f"{base}/repos/course/{name}",
    }


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []
    clone_base: ClassVar[str] = "https://git.example/course"
    #: Statuses the next requests answer with before the normal answer (403 = rate limit).
    failures: ClassVar[list[int]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        type(self).requests.append(parts.path)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if type(self).failures:
            status = type(self).failures.pop(0)
            body = json.dumps({"message": "API rate limit exceeded"}).encode()
            self.send_response(status)
            if status == 403:
                self.send_header("X-RateLimit-Remaining", "0")
                self.send_header("X-RateLimit-Reset", str(int(time.time()) + 2))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if parts.path == "/orgs/course/repos":
            query = parse_qs(parts.query)
            page = int(query.get("page", ["1"])[0])
            size = 2
            chunk = REPOS[(page - 1) * size : page * size]
            body = json.dumps([_repo_json(base, r) for r in chunk]).encode()
            self.send_response(200)
            last = (len(REPOS) + size - 1) // size
            if page < last:
                link = f'<{base}/orgs/course/repos?type=all&page={page + 1}>; rel="next"'
                self.send_header("Link", link)
        else:
            body = json.dumps({"message": "Not Found"}).encode()
            self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def api() -> Iterator[str]:
    _Handler.requests = []
    _Handler.failures = []
    _Handler.clone_base = "https://git.example/course"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_org_listing_pages_sorts_and_filters(api: str) -> None:
    gh = github.Github(base_url=api, retry=None, seconds_between_requests=0)
    entries = org_entries(gh, "course", match="group-*")
    assert [e.group for e in entries] == ["Group-01", "group-02", "group-04"]
    assert entries[0].target == "https://git.example/course/Group-01.git"
    assert _Handler.requests.count("/orgs/course/repos") == 3  # every page was read
    everything = org_entries(gh, "course", include_archived=True)
    assert len(everything) == 5


def test_org_listing_waits_out_a_rate_limit_and_retries_server_errors(api: str) -> None:
    from verifier.github.client import make_client

    _Handler.failures = [403, 502, 503]
    gh = make_client(base_url=api, backoff_factor=0.01, max_wait_s=5, min_interval_s=0)
    start = time.monotonic()
    entries = org_entries(gh, "course", match="group-*")
    assert [e.group for e in entries] == ["Group-01", "group-02", "group-04"]
    assert _Handler.failures == []
    assert time.monotonic() - start >= 0.9  # the rate limit's reset was waited for
    assert _Handler.requests.count("/orgs/course/repos") == 3 + 3  # three retried


def test_org_listing_error_is_one_line_input_error(api: str) -> None:
    gh = github.Github(base_url=api, retry=None, seconds_between_requests=0)
    with pytest.raises(InputError, match="cannot list organisation nobody: 404 Not Found"):
        org_entries(gh, "nobody")


def test_cli_batch_over_an_organisation(
    api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key, value in ISOLATED_GIT_ENV.items():
        monkeypatch.setenv(key, value)
    remotes = tmp_path / "remotes"
    report = "## Overall project checklist\n\n* [x] Create a git repository (M5)\n"
    for name in ("Group-01", "group-02"):
        make_bare(
            make_repo(tmp_path, {"reports/README.md": report}, name=name), remotes / f"{name}.git"
        )
    _Handler.clone_base = remotes.as_uri()
    monkeypatch.setenv("GITHUB_API_URL", api)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    parser = argparse.ArgumentParser(prog="verifier")
    add_batch_parsers(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "out"
    argv = ["batch", "--org", "course", "--match", "group-0[12]", "--out", str(out)]
    args = parser.parse_args([*argv, "--jobs", "2", "--cache", str(tmp_path / "cache")])
    assert BATCH_COMMANDS["batch"](args) == 0
    assert "2 repositories: 2 audited, 0 failed" in capsys.readouterr().out
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert [(r["group"], r["status"], r["verified"]) for r in rows] == [
        ("Group-01", "ok", "1"),
        ("group-02", "ok", "1"),
    ]
    both = parser.parse_args(["batch", "list.txt", "--org", "course", "--out", str(out)])
    with pytest.raises(InputError, match="not both"):
        BATCH_COMMANDS["batch"](both)
