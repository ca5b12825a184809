"""Per-check budgets: a check that grows the process past its memory budget, or outlives its
time budget, is stopped inside its thread and becomes an ``error``; the audit goes on."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

import pytest
from conftest import make_tree

from verifier.engine import budget
from verifier.engine.audit import run_probe
from verifier.engine.budget import Budget, rss_bytes, run_within
from verifier.engine.registry import ProbeSpec
from verifier.findings import Evidence, Observation, found, missing
from verifier.repo.snapshot import open_snapshot

needs_statm = pytest.mark.skipif(rss_bytes() is None, reason="no /proc/self/statm here")


def _spec(func: object) -> ProbeSpec:
    return ProbeSpec("t.probe", ("X.test",), func, "")  # type: ignore[arg-type]


def _hog(stop_after_mb: int) -> list[bytearray]:
    """Keep allocating 8 MB blocks (touched, so they are resident) up to a cap."""

    blocks: list[bytearray] = []
    for _ in range(stop_after_mb // 8):
        blocks.append(bytearray(b"x" * (8 * 1024 * 1024)))
        time.sleep(0.002)
    return blocks


@needs_statm
def test_a_probe_over_its_memory_budget_is_an_error_and_is_stopped(tmp_path: Path) -> None:
    snap = open_snapshot(make_tree(tmp_path, {"a.txt": "x"}))
    finished = threading.Event()

    def greedy(_snap: object) -> Observation:
        _hog(2048)  # far past the budget below; stopped long before the cap
        finished.set()
        return missing("never", [])

    run = run_probe(_spec(greedy), snap, 30, memory_mb=64)
    assert run.observation is None
    assert run.error is not None and "memory budget of 64 MB" in run.error
    time.sleep(0.2)
    assert not finished.is_set()  # the probe's thread was stopped, not left running


@needs_statm
def test_a_probe_within_its_memory_budget_is_judged(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    snap = open_snapshot(make_tree(tmp_path / "repo", {"a.txt": "x"}))

    def modest(_snap: object) -> Observation:
        data = _hog(16)
        return found(f"{len(data)} blocks", [Evidence("a.txt", 1, "x", "test")])

    run = run_probe(_spec(modest), snap, 30, memory_mb=512)
    assert run.error is None and run.observation is not None


def test_no_memory_limit_when_the_budget_is_none() -> None:
    outcome = run_within("check t", _hog, (32,), Budget(seconds=30, memory_mb=None))
    assert outcome.error is None and isinstance(outcome.value, list)
    assert outcome.peak_growth == 0  # not even measured


def test_an_over_time_check_is_stopped_in_its_thread() -> None:
    ticks: list[int] = []

    def spin() -> None:
        while True:  # pure Python: the stop arrives at the next instruction
            ticks.append(1)
            time.sleep(0.001)

    outcome = run_within("check spin", spin, (), Budget(seconds=0.2, memory_mb=None))
    assert outcome.error is not None and "budget of 0.2 s" in outcome.error
    seen = len(ticks)
    time.sleep(0.2)
    assert len(ticks) == seen  # nothing runs on after the stop


def test_a_check_that_swallows_exceptions_is_still_stopped() -> None:
    def stubborn() -> None:
        while True:
            # CheckStopped is a BaseException: this does not catch it
            with contextlib.suppress(Exception):
                time.sleep(0.001)

    outcome = run_within("check stubborn", stubborn, (), Budget(seconds=0.1, memory_mb=None))
    assert outcome.error is not None and "budget" in outcome.error


def test_without_statm_the_memory_budget_is_not_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "_STATM", "/nonexistent/statm")
    assert rss_bytes() is None
    outcome = run_within("check t", _hog, (32,), Budget(seconds=30, memory_mb=1))
    assert outcome.error is None


def test_a_crash_keeps_its_reason() -> None:
    def boom() -> None:
        raise KeyError("missing key")

    outcome = run_within("check boom", boom, (), Budget(seconds=5))
    assert outcome.error == "check boom failed: KeyError: 'missing key'"


def _git_snapshot(tmp_path: Path) -> tuple[object, dict[str, bytes]]:
    import git

    repo = git.Repo.init(tmp_path / "r")
    files = {f"f{i}.txt": (f"file {i}\n" * (200 + i)).encode() for i in range(40)}
    for name, data in files.items():
        (tmp_path / "r" / name).write_bytes(data)
    repo.index.add(list(files))
    repo.index.commit("files")
    return open_snapshot(tmp_path / "r"), files


def test_a_stopped_reader_leaves_later_reads_intact(tmp_path: Path) -> None:
    snap, files = _git_snapshot(tmp_path)
    source = snap._source  # type: ignore[attr-defined]

    def reread_forever(_snap: object) -> Observation:
        while True:
            for entry in source.entries().values():
                source.read(entry, 10**6)

    run = run_probe(_spec(reread_forever), snap, 0.3, memory_mb=None)  # type: ignore[arg-type]
    assert run.error is not None and "budget" in run.error
    entries = source.entries()
    for name, data in files.items():
        assert source.read(entries[name], 10**6) == data


def test_an_interrupted_object_read_restarts_git_cat_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snap, files = _git_snapshot(tmp_path)
    source = snap._source  # type: ignore[attr-defined]
    entries = source.entries()
    assert source.read(entries["f1.txt"], 10**6) == files["f1.txt"]  # cat-file now running
    assert source.repo.git.cat_file_all is not None

    def interrupted(_oid: bytes) -> object:
        raise budget.CheckStopped()

    monkeypatch.setattr(source.repo.odb, "stream", interrupted)
    with pytest.raises(budget.CheckStopped):
        source.read(entries["f2.txt"], 10**6)
    assert source.repo.git.cat_file_all is None  # the old process is gone
    monkeypatch.undo()
    assert source.read(entries["f3.txt"], 10**6) == files["f3.txt"]


def test_an_interrupted_caller_stops_the_check_too() -> None:
    import signal

    ticks: list[int] = []

    def spin() -> None:
        while True:
            ticks.append(1)
            time.sleep(0.001)

    class Alarm(BaseException):
        pass

    def on_alarm(signum: int, frame: object) -> None:
        raise Alarm()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(Alarm):
            run_within("check spin", spin, (), Budget(seconds=30, memory_mb=None))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    time.sleep(0.1)
    seen = len(ticks)
    time.sleep(0.2)
    assert len(ticks) == seen  # the check did not run on after its caller was interrupted


@pytest.mark.parametrize(
    "argv",
    [
        ["--probe-seconds", "nan"],
        ["--probe-seconds", "0"],
        ["--probe-memory", "inf"],
        ["--probe-memory", "-1"],
    ],
)
def test_bad_budgets_are_input_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from verifier.cli import main

    sample = Path(__file__).resolve().parent.parent / "examples" / "sample-group"
    assert main(["audit", str(sample), *argv]) == 2
    assert "--probe-" in capsys.readouterr().err
