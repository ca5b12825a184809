from __future__ import annotations

import csv
import io
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import git
import pytest
from conftest import ISOLATED_GIT_ENV, commit_files, make_bare, make_repo, make_tree

from verifier.batch.classlist import BatchEntry
from verifier.batch.outputs import load_record, result_path
from verifier.batch.runner import BatchOptions, PlainProgress, audit_one, run_batch

REPORT = """\
## Overall project checklist

### Week 1

* [x] Create a git repository (M5)
* [x] Construct one or multiple docker files for your code (M10)
* [ ] Get some continuous integration running on the GitHub repository (M17)
"""


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ISOLATED_GIT_ENV.items():
        monkeypatch.setenv(key, value)


def _good(tmp_path: Path, name: str) -> git.Repo:
    return make_repo(tmp_path, {"reports/README.md": REPORT, "README.md": "# x\n"}, name=name)


def _quiet() -> PlainProgress:
    return PlainProgress(io.StringIO())


def _class(tmp_path: Path) -> dict[str, BatchEntry]:
    """A working tree, a bare repository by file:// URL, and four that fail differently."""

    good = _good(tmp_path, "good")
    bare = make_bare(_good(tmp_path, "src"), tmp_path / "bare.git")
    no_report = make_repo(tmp_path, {"README.md": "# no report\n"}, name="noreport")
    empty = make_repo(tmp_path, None, name="empty")
    not_repo = tmp_path / "afile.txt"
    not_repo.write_text("a file, not a repository\n")
    return {
        "good": BatchEntry(str(good.working_tree_dir), group="1", students=("s1", "s2")),
        "url": BatchEntry(bare.as_uri(), group="2"),
        "no_report": BatchEntry(str(no_report.working_tree_dir), group="3"),
        "empty": BatchEntry(str(empty.working_tree_dir), group="4"),
        "not_repo": BatchEntry(str(not_repo), group="5"),
        "missing_url": BatchEntry((tmp_path / "nowhere.git").as_uri(), group="6"),
    }


def test_batch_records_results_and_failures(tmp_path: Path) -> None:
    entries = _class(tmp_path)
    out = tmp_path / "out"
    summary = run_batch(
        list(entries.values()),
        out,
        jobs=2,
        cache_dir=tmp_path / "cache",
        progress=_quiet(),
    )
    assert (summary.total, summary.ok, summary.failed) == (6, 2, 4)
    assert summary.exit_code == 1
    records = {k: load_record(result_path(out, e.name)) for k, e in entries.items()}
    assert all(r is not None for r in records.values())
    good = records["good"]
    assert good["status"] == "ok" and good["result"]["counts"]["mismatch"] == 1
    assert records["url"]["status"] == "ok"
    assert records["url"]["result"]["snapshot"]["kind"] == "clone"
    assert (tmp_path / "cache" / entries["url"].name / "HEAD").is_file()
    assert "no report found" in records["no_report"]["error"]
    assert records["no_report"]["error_kind"] == "input"
    assert records["empty"]["status"] == "error" and records["empty"]["error"]
    assert "is not a directory or a git repository" in records["not_repo"]["error"]
    assert "clone of file://" in records["missing_url"]["error"]
    for record in records.values():
        assert "\n" not in (record["error"] or "")

    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert [r["group"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    first = rows[0]
    assert first["status"] == "ok" and first["students"] == "s1;s2"
    assert first["commit"] == records["good"]["result"]["snapshot"]["commit"]
    assert first["mismatches"] == "M10.dockerfiles"
    assert (first["verified"], first["mismatch"], first["absent"]) == ("1", "1", "1")
    assert first["error"] == ""
    assert rows[2]["status"] == "error" and "no report found" in rows[2]["error"]
    lines = (out / "results.jsonl").read_text().splitlines()
    assert [json.loads(ln)["entry"]["group"] for ln in lines] == ["1", "2", "3", "4", "5", "6"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["entries"]) == 6 and manifest["failed"] == 4


def test_resume_redoes_only_missing_results(tmp_path: Path) -> None:
    repos = [_good(tmp_path, f"g{i}") for i in range(3)]
    entries = [BatchEntry(str(r.working_tree_dir), group=str(i)) for i, r in enumerate(repos)]
    out = tmp_path / "out"
    run_batch(entries, out, jobs=2, progress=_quiet())
    paths = [result_path(out, e.name) for e in entries]
    before = [p.stat().st_mtime_ns for p in paths]
    finished = [json.loads(p.read_text())["finished_at"] for p in paths]
    paths[1].unlink()
    (out / "results" / f"{entries[2].name}.json").write_text("{broken")  # interrupted write
    time.sleep(0.05)
    summary = run_batch(entries, out, jobs=2, resume=True, progress=_quiet())
    assert (summary.resumed, summary.audited, summary.ok) == (1, 2, 3)
    assert paths[0].stat().st_mtime_ns == before[0]
    assert json.loads(paths[0].read_text())["finished_at"] == finished[0]
    assert paths[1].is_file() and paths[2].stat().st_mtime_ns != before[2]
    assert load_record(paths[2]) is not None
    again = run_batch(entries, out, jobs=2, resume=False, progress=_quiet())
    assert again.audited == 3 and again.resumed == 0


def test_cached_clone_is_fetched_not_recloned(tmp_path: Path) -> None:
    src = _good(tmp_path, "src")
    bare = make_bare(src, tmp_path / "remote.git")
    entry = BatchEntry(bare.as_uri())
    cache = tmp_path / "cache"
    options = BatchOptions(cache_dir=str(cache))
    first = audit_one(entry, options)
    clone = cache / entry.name
    marker = clone / "verifier-marker"
    marker.write_text("kept")  # a fresh clone would not have it
    new_sha = commit_files(src, {"Dockerfile": "FROM python:3.11\n"}, message="docker")
    src.git.push(str(bare), "main", env=ISOLATED_GIT_ENV)
    second = audit_one(entry, options)
    assert marker.is_file()
    assert first["snapshot"]["commit"] != new_sha
    assert second["snapshot"]["commit"] == new_sha
    # the group renames its default branch: the next run follows it
    src.git.checkout("-q", "-b", "trunk", env=ISOLATED_GIT_ENV)
    trunk_sha = commit_files(src, {"notes.md": "later\n"}, message="on trunk")
    src.git.push(str(bare), "trunk", env=ISOLATED_GIT_ENV)
    git.Repo(bare).git.symbolic_ref("HEAD", "refs/heads/trunk")
    src.git.push(str(bare), "--delete", "main", env=ISOLATED_GIT_ENV)
    third = audit_one(entry, options)
    assert (third["snapshot"]["commit"], third["snapshot"]["ref"]) == (trunk_sha, "trunk")


def test_deadline_picks_last_commit_before_it(tmp_path: Path) -> None:
    repo = _good(tmp_path, "late")
    first = repo.head.commit.hexsha
    commit_files(repo, {"Dockerfile": "FROM x\n"}, date="2026-02-01T12:00:00+00:00")
    from datetime import UTC, datetime

    out = tmp_path / "out"
    entry = BatchEntry(str(repo.working_tree_dir), group="7")
    deadline = datetime(2026, 1, 20, tzinfo=UTC)
    run_batch([entry], out, jobs=1, deadline=deadline, progress=_quiet())
    record = load_record(result_path(out, entry.name))
    assert record["result"]["snapshot"]["commit"] == first
    row = next(csv.DictReader((out / "summary.csv").open()))
    assert row["commit"] == first and row["commits_after_deadline"] == "1"


# --------------------------------------------------------------------------- failing workers


def _slow_or_crashing(entry: BatchEntry, options: BatchOptions) -> dict[str, Any]:
    if entry.group == "crash":
        os._exit(3)
    if entry.group == "slow":
        time.sleep(30)
    if entry.group == "stuck":  # an alarm that cannot fire, as in a long call into C code
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(30)
    if entry.group == "boom":
        raise RuntimeError("unexpected\nsecond line")
    return {"counts": {"verified": 1}, "snapshot": {"commit": "abc"}}


def test_timeout_crash_and_exception_become_error_records(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"x": "y"})
    names = ["ok1", "crash", "slow", "boom", "ok2"]
    entries = [BatchEntry(str(tree / n), group=n) for n in names]
    out = tmp_path / "out"
    start = time.monotonic()
    summary = run_batch(
        entries, out, jobs=2, timeout_s=1.0, worker=_slow_or_crashing, progress=_quiet()
    )
    assert time.monotonic() - start < 25
    records = {e.group: load_record(result_path(out, e.name)) for e in entries}
    assert records["ok1"]["status"] == records["ok2"]["status"] == "ok"
    assert records["crash"]["error_kind"] == "crash"
    assert "crashed" in records["crash"]["error"]
    assert records["slow"]["error_kind"] == "timeout"
    assert records["slow"]["error"] == "timed out after 1 s"
    assert records["boom"]["error"] == "RuntimeError: unexpected"
    assert (summary.ok, summary.failed) == (2, 3)


def test_progress_lines_one_per_repository(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"x": "y"})
    entries = [BatchEntry(str(tree / n), group=n) for n in ("a", "b", "boom")]
    stream = io.StringIO()
    run_batch(
        entries, tmp_path / "out", jobs=2, worker=_slow_or_crashing, progress=PlainProgress(stream)
    )
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and all(ln.startswith(("[1/3]", "[2/3]", "[3/3]")) for ln in lines)
    assert sum("error  boom: RuntimeError" in ln for ln in lines) == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_progress_bar_and_logs_get_lines(tmp_path: Path) -> None:
    from verifier.batch.runner import RichProgress, make_progress

    assert isinstance(make_progress(io.StringIO()), PlainProgress)
    screen = _Terminal()
    bar = make_progress(screen)
    assert isinstance(bar, RichProgress)
    tree = make_tree(tmp_path, {"x": "y"})
    entries = [BatchEntry(str(tree / n), group=n) for n in ("a", "boom")]
    summary = run_batch(entries, tmp_path / "out", jobs=2, worker=_slow_or_crashing, progress=bar)
    assert (summary.ok, summary.failed) == (1, 1)
    text = screen.getvalue()
    assert "ok     a" in text and "error  boom: RuntimeError: unexpected" in text
    assert "2/2" in text


def test_a_worker_past_its_limit_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verifier.batch import runner

    monkeypatch.setattr(runner, "KILL_GRACE_S", 0.5)
    tree = make_tree(tmp_path, {"x": "y"})
    entries = [BatchEntry(str(tree / n), group=n) for n in ("stuck", "ok1", "ok2")]
    out = tmp_path / "out"
    start = time.monotonic()
    summary = run_batch(
        entries, out, jobs=2, timeout_s=0.5, worker=_slow_or_crashing, progress=_quiet()
    )
    assert time.monotonic() - start < 20
    records = {e.group: load_record(result_path(out, e.name)) for e in entries}
    assert records["stuck"]["error_kind"] == "timeout"
    assert "the worker was stopped" in records["stuck"]["error"]
    assert records["ok1"]["status"] == records["ok2"]["status"] == "ok"
    assert (summary.ok, summary.failed) == (2, 1)
    assert not (out / ".running").exists()
