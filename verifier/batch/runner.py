"""Audit many repositories: clone or refresh into a cache, audit in worker processes, write
each result the moment it is done, so an interrupted run resumes without redoing work.

Each worker audits one repository and returns a JSON-able record. A repository that cannot
be audited (unreachable, no report, a timeout, a crashed worker) gets an error record with
the reason, and the batch goes on.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from verifier.batch.classlist import BatchEntry
from verifier.batch.dashboard import write_dashboard
from verifier.batch.outputs import (
    MANIFEST,
    RECORD_VERSION,
    load_record,
    result_path,
    write_json_atomic,
    write_outputs,
)
from verifier.batch.shard import select_shard
from verifier.engine.budget import DEFAULT_MEMORY_MB, DEFAULT_SECONDS
from verifier.errors import InputError

if TYPE_CHECKING:
    from verifier.github.facts_model import RepoFacts

#: Wall-clock limit for one repository (clone or fetch included), in seconds.
DEFAULT_TIMEOUT_S = 300.0
#: A worker still busy this long past its limit (its alarm could not fire, e.g. stuck in C
#: code) is killed by the parent.
KILL_GRACE_S = 15.0
#: How often the parent looks for such workers, in seconds.
WATCH_INTERVAL_S = 0.5
STATE_DIR = ".running"
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF_S = 2.0
DEFAULT_TRANSFER_TIMEOUT_S = 120.0
#: Pull requests whose reviews a batch reads per repository (``--github``).
BATCH_MAX_REVIEWS = 20

#: Clone and fetch failures worth another attempt: server errors, rate limits, network
#: trouble and stalls. A missing repository or refused credentials are final.
_TRANSIENT = re.compile(
    r"returned error: (?:5\d\d|429|403)|rate limit|timed out|did not complete|too slow"
    r"|could not resolve host"
    r"|failed to connect|connection (?:refused|reset|timed out)|early eof|rpc failed"
    r"|hung up unexpectedly|unexpected disconnect|empty reply|transfer closed|gnutls|ssl"
    r"|temporary failure|try again|service unavailable|bad gateway",
    re.IGNORECASE,
)
_FINAL = re.compile(
    r"not found|returned error: (?:401|404)|authentication failed|could not read username"
    r"|unsupported url scheme|not an earlier clone|permission denied \(publickey\)",
    re.IGNORECASE,
)


_URL_IN_TEXT = re.compile(r"\S+://\S+|'[^'\s]*'")


def is_transient(message: str) -> bool:
    """Whether a clone or fetch that failed with ``message`` may succeed if tried again.

    URLs and quoted names are left out first, so a repository called ``ssl-demo`` or
    ``not-found-yet`` does not decide it.
    """

    text = _URL_IN_TEXT.sub(" ", message)
    return not _FINAL.search(text) and bool(_TRANSIENT.search(text))


@dataclass(frozen=True)
class BatchOptions:
    """What every worker needs besides its entry (picklable)."""

    deadline: str | None = None
    cache_dir: str | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    #: Where a worker notes which repository it is on (for the parent's watchdog).
    state_dir: str | None = None
    #: Extra attempts at a clone or fetch that failed for a reason that may pass (a 5xx,
    #: a rate limit, a dropped connection, a stalled transfer), with exponential backoff.
    retries: int = DEFAULT_RETRIES
    backoff_s: float = DEFAULT_BACKOFF_S
    #: Time limit of one clone or fetch attempt (never beyond the repository's own limit).
    transfer_timeout_s: float = DEFAULT_TRANSFER_TIMEOUT_S
    #: Collect GitHub facts through the API (token from the environment).
    github: bool = False
    probe_seconds: float = DEFAULT_SECONDS
    #: None: no memory limit per probe.
    probe_memory_mb: float | None = DEFAULT_MEMORY_MB


@dataclass
class BatchSummary:
    """What a batch run did. ``failed`` counts error records among the selected entries."""

    out_dir: Path
    total: int = 0
    audited: int = 0
    resumed: int = 0
    ok: int = 0
    failed: int = 0
    elapsed_s: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


Worker = Callable[[BatchEntry, BatchOptions], dict[str, Any]]


class _TimedOut(BaseException):
    """Raised in a worker by its alarm; a BaseException so no ``except Exception`` eats it."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[0] if lines else ""


# --------------------------------------------------------------------------- clone cache


def refresh_clone(url: str, dest: Path, timeout: float) -> None:
    """Fetch every branch and tag of ``url`` into the earlier bare clone ``dest`` (no
    prompts; refs gone upstream are pruned) and follow a changed default branch."""

    import git

    from verifier.repo.snapshot import DEFAULT_MAX_FILE_BYTES
    from verifier.repo.sources import (
        GIT_ENV,
        GIT_SAFE_CONFIG,
        STALL_CONFIG,
        SnapshotError,
        is_partial_clone,
        redact_url,
    )

    env = {**GIT_ENV}
    if "GIT_SSH_COMMAND" not in os.environ and "GIT_SSH" not in os.environ:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
    base = ["git", *GIT_SAFE_CONFIG, *STALL_CONFIG, "--git-dir", str(dest)]
    repo = git.Repo(dest)
    try:
        fetch = ["fetch", "--prune", "--quiet", "--update-head-ok"]
        if is_partial_clone(repo):
            fetch.append(f"--filter=blob:limit={DEFAULT_MAX_FILE_BYTES}")
        fetch += ["--", url]
        refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]
        repo.git.execute([*base, *fetch, *refspecs], env=env, kill_after_timeout=timeout)
        listing = repo.git.execute(
            [*base, "ls-remote", "--symref", "--", url, "HEAD"],
            env=env,
            kill_after_timeout=timeout,
        )
        for line in str(listing).splitlines():
            if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
                head = line[len("ref: ") : -len("\tHEAD")]
                repo.git.execute([*base, "symbolic-ref", "HEAD", head], env=env)
    except git.GitCommandError as exc:
        detail = _first_line(str(exc.stderr or "")).replace(url, redact_url(url))
        raise SnapshotError(f"fetch of {redact_url(url)} failed: {detail or exc.status}") from exc
    finally:
        repo.close()


def _clone_dir(entry: BatchEntry, cache_dir: str | None) -> Path | None:
    from verifier.repo.sources import is_clone_url

    if cache_dir is None or not is_clone_url(entry.target):
        return None
    return Path(cache_dir) / entry.name


def transfer(url: str, dest: Path, options: BatchOptions, started: float) -> int:
    """Clone ``url`` into ``dest`` (or fetch into the earlier clone there), retrying a
    transient failure with exponential backoff; the number of attempts made.

    Raises SnapshotError with the last reason (and the attempts) when every attempt failed.
    """

    from verifier.repo.snapshot import DEFAULT_MAX_FILE_BYTES
    from verifier.repo.sources import SnapshotError, clone_repository, git_kind

    attempts = options.retries + 1
    for attempt in range(1, attempts + 1):
        left = options.timeout_s - (time.perf_counter() - started)
        limit = max(1.0, min(options.transfer_timeout_s, left))
        try:
            if dest.is_dir() and git_kind(dest) == "bare":
                refresh_clone(url, dest, limit)
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                clone_repository(url, dest, limit, DEFAULT_MAX_FILE_BYTES)
            return attempt
        except SnapshotError as exc:
            message = str(exc)
            if attempt == attempts or not is_transient(message):
                tried = f" (after {attempt} attempts)" if attempt > 1 else ""
                raise SnapshotError(message + tried) from exc
        pause = options.backoff_s * 2 ** (attempt - 1) * (0.8 + 0.4 * random.random())  # noqa: S311 (jitter)
        if time.perf_counter() - started + pause >= options.timeout_s:
            raise SnapshotError(f"{message} (no time left for attempt {attempt + 1})")
        time.sleep(pause)
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- one repository


def audit_one(entry: BatchEntry, options: BatchOptions) -> dict[str, Any]:
    """Audit one repository as ``verifier audit`` does; the JSON result as a dict.

    A clone URL is cloned into the cache (or a temporary directory) first, with retries.
    Raises SnapshotError or InputError (one-line messages) when it cannot be audited.
    """

    from verifier.repo.sources import is_clone_url

    started = time.perf_counter()
    if not is_clone_url(entry.target):
        return _audit_target(entry, options, entry.target, None)
    clone_dir = _clone_dir(entry, options.cache_dir)
    if clone_dir is not None:
        attempts = transfer(entry.target, clone_dir, options, started)
        result = _audit_target(entry, options, entry.target, clone_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="verifier-batch-") as tmp:
            clone_dir = Path(tmp) / "repo.git"
            attempts = transfer(entry.target, clone_dir, options, started)
            result = _audit_target(entry, options, entry.target, clone_dir)
    result["_transfer_attempts"] = attempts
    return result


def _audit_target(
    entry: BatchEntry, options: BatchOptions, target: str, clone_dir: Path | None
) -> dict[str, Any]:
    from verifier.cli import parse_deadline
    from verifier.engine.audit import run_audit
    from verifier.engine.inputs import load_report, project_root
    from verifier.render.json_render import result_dict
    from verifier.repo.snapshot import open_snapshot

    deadline = parse_deadline(options.deadline)
    snap = open_snapshot(target, deadline=deadline, clone_dir=clone_dir)
    try:
        if options.github:
            snap.github = github_facts(entry, min(90.0, options.timeout_s / 3))
        report = load_report(snap, None)
        root = project_root(report.path)
        view = snap.subtree(root) if root and snap.is_dir(root) else snap
        result = run_audit(
            report,
            view,
            deadline=deadline.isoformat() if deadline else None,
            probe_budget_s=options.probe_seconds,
            probe_memory_mb=options.probe_memory_mb,
        )
        return result_dict(result)
    finally:
        snap.close()


def github_facts(entry: BatchEntry, seconds: float = 90.0) -> RepoFacts | None:
    """The GitHub API's facts about the entry's repository (None when it is not on GitHub),
    within ``seconds``: past them the facts say so and the audit goes on without them, so a
    slow or rate-limited API never costs the repository its audit.

    The group size is the number of students the class list names for the group.
    """

    from verifier.engine.budget import Budget, run_within
    from verifier.github.client import make_client, repo_full_name
    from verifier.github.facts import collect_facts
    from verifier.github.facts_model import RepoFacts

    full_name = repo_full_name(entry.target)
    if full_name is None:
        return None
    size = len([s for s in entry.students if s.strip()]) or None

    def read() -> RepoFacts:
        client = make_client(timeout=15, retries=3, max_wait_s=min(60.0, seconds / 2))
        try:
            # Reviews cost a request per pull request: the newest 20 keep a class of 150
            # within an hour's quota of 5,000 requests (about 25 per repository).
            return collect_facts(client, full_name, group_size=size, max_reviews=BATCH_MAX_REVIEWS)
        finally:
            client.close()

    outcome = run_within("github facts", read, (), Budget(seconds=seconds, memory_mb=None))
    if isinstance(outcome.value, RepoFacts):
        return outcome.value
    why = outcome.error or "no answer"
    return RepoFacts(full_name=full_name, group_size=size, errors={"repository": why})


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_TimedOut` in this (main) thread after ``seconds``."""

    def on_alarm(signum: int, frame: object) -> None:
        raise _TimedOut()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def make_record(
    entry: BatchEntry,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    error_kind: str | None = None,
    started_at: str | None = None,
    elapsed_s: float = 0.0,
) -> dict[str, Any]:
    return {
        "record_version": RECORD_VERSION,
        "entry": entry.to_dict(),
        "status": "error" if error is not None else "ok",
        "error": error,
        "error_kind": error_kind,
        "started_at": started_at or _now(),
        "finished_at": _now(),
        "elapsed_s": round(elapsed_s, 3),
        "result": result,
    }


def run_in_worker(worker: Worker, entry: BatchEntry, options: BatchOptions) -> dict[str, Any]:
    """Run ``worker`` for one entry under the time limit; always a record, never a raise
    (except for an interrupt)."""

    from verifier.repo.sources import SnapshotError

    started = _now()
    start = time.perf_counter()

    def failed(kind: str, message: str) -> dict[str, Any]:
        elapsed = time.perf_counter() - start
        return make_record(
            entry, error=message, error_kind=kind, started_at=started, elapsed_s=elapsed
        )

    marker = _mark_running(options, entry)
    try:
        with _time_limit(options.timeout_s):
            result = worker(entry, options)
    except _TimedOut:
        return failed("timeout", f"timed out after {options.timeout_s:g} s")
    except SnapshotError as exc:
        return failed("repository", _first_line(str(exc)) or "cannot open the repository")
    except InputError as exc:
        return failed("input", _first_line(str(exc)) or "bad input")
    except Exception as exc:  # one repository must never stop the batch
        return failed("internal", f"{type(exc).__name__}: {_first_line(str(exc))}")
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)
    elapsed = time.perf_counter() - start
    attempts = result.pop("_transfer_attempts", None)
    record = make_record(entry, result=result, started_at=started, elapsed_s=elapsed)
    if attempts is not None:
        record["transfer_attempts"] = attempts
    return record


def _mark_running(options: BatchOptions, entry: BatchEntry) -> Path | None:
    """A file naming this worker's process: its age tells the watchdog how long it runs."""

    if options.state_dir is None:
        return None
    marker = Path(options.state_dir) / f"{entry.name}.pid"
    try:
        marker.write_text(str(os.getpid()), encoding="ascii")
    except OSError:
        return None
    return marker


# --------------------------------------------------------------------------- progress


class Progress(Protocol):
    def start(self, total: int, resumed: int) -> None: ...
    def done(self, record: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


def _describe(record: dict[str, Any]) -> str:
    name = record["entry"].get("group") or record["entry"].get("name")
    if record["status"] != "ok":
        return f"error  {name}: {record.get('error')}"
    counts = (record.get("result") or {}).get("counts") or {}
    shown = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("verified", "weak", "mismatch"))
    return f"ok     {name} ({record.get('elapsed_s', 0):.1f} s; {shown})"


class PlainProgress:
    """One line per finished repository, for logs and CI."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.total = 0
        self.count = 0

    def start(self, total: int, resumed: int) -> None:
        self.total = total
        if resumed:
            self.stream.write(f"resuming: {resumed} already done\n")
        self.stream.flush()

    def done(self, record: dict[str, Any]) -> None:
        self.count += 1
        width = len(str(self.total))
        self.stream.write(f"[{self.count:>{width}}/{self.total}] {_describe(record)}\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


class RichProgress:
    """A progress bar for a terminal, with the same line per repository above it."""

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self.console = Console(file=stream, highlight=False)
        self.bar = Bar(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
        )
        self.task = self.bar.add_task("auditing", total=0)

    def start(self, total: int, resumed: int) -> None:
        self.bar.update(self.task, total=total)
        if resumed:
            self.console.print(f"resuming: {resumed} already done", markup=False)
        self.bar.start()

    def done(self, record: dict[str, Any]) -> None:
        self.bar.console.print(_describe(record), markup=False)
        self.bar.advance(self.task)

    def close(self) -> None:
        self.bar.stop()


def make_progress(stream: IO[str] | None = None) -> Progress:
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return RichProgress(stream) if isatty is not None and isatty() else PlainProgress(stream)


# --------------------------------------------------------------------------- the batch


def _done_before(out_dir: Path, entry: BatchEntry) -> dict[str, Any] | None:
    return load_record(result_path(out_dir, entry.name))


def _timeout_record(entry: BatchEntry, options: BatchOptions) -> dict[str, Any]:
    message = f"timed out after {options.timeout_s:g} s (the worker was stopped)"
    return make_record(entry, error=message, error_kind="timeout")


def _crash_record(entry: BatchEntry) -> dict[str, Any]:
    message = "the worker process crashed (killed, out of memory or a fatal error)"
    return make_record(entry, error=message, error_kind="crash")


def _watch(pool: ProcessPoolExecutor, options: BatchOptions, killed: set[str]) -> None:
    """Kill a worker of ``pool`` that is past its time limit and the grace period."""

    if options.state_dir is None:
        return
    limit = options.timeout_s + KILL_GRACE_S
    now = time.time()
    ours = set(getattr(pool, "_processes", None) or {})
    for marker in Path(options.state_dir).glob("*.pid"):
        try:
            age = now - marker.stat().st_mtime
            pid = int(marker.read_text(encoding="ascii").strip() or 0)
        except (OSError, ValueError):
            continue
        if age <= limit or pid not in ours:
            continue
        killed.add(marker.name.removesuffix(".pid"))
        marker.unlink(missing_ok=True)
        with suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _run_pool(
    todo: list[BatchEntry],
    options: BatchOptions,
    jobs: int,
    worker: Worker,
    finish: Callable[[dict[str, Any]], None],
    killed: set[str],
) -> list[BatchEntry]:
    """Audit ``todo`` in one process pool. Returns the entries a broken pool took down
    without a record (a crashed worker breaks the whole pool)."""

    lost: list[BatchEntry] = []
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        futures: dict[Future[dict[str, Any]], BatchEntry] = {
            pool.submit(run_in_worker, worker, entry, options): entry for entry in todo
        }
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=WATCH_INTERVAL_S, return_when=FIRST_COMPLETED)
            for future in done:
                entry = futures[future]
                try:
                    finish(future.result())
                except BrokenProcessPool:
                    if entry.name in killed:
                        finish(_timeout_record(entry, options))
                    else:
                        lost.append(entry)
                except Exception as exc:
                    message = f"worker failed: {type(exc).__name__}: {_first_line(str(exc))}"
                    finish(make_record(entry, error=message, error_kind="crash"))
            _watch(pool, options, killed)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return lost


def _run_all(
    todo: list[BatchEntry],
    options: BatchOptions,
    jobs: int,
    worker: Worker,
    finish: Callable[[dict[str, Any]], None],
) -> None:
    killed: set[str] = set()
    lost = _run_pool(todo, options, jobs, worker, finish, killed)
    # Run the repositories a crash took down one at a time, each in a fresh process, so a
    # second crash names its own repository.
    for entry in lost:
        if _run_pool([entry], options, 1, worker, finish, killed):
            finish(_crash_record(entry))


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def run_batch(
    entries: list[BatchEntry],
    out_dir: Path,
    *,
    jobs: int | None = None,
    resume: bool = False,
    deadline: datetime | None = None,
    shard: tuple[int, int] | None = None,
    cache_dir: Path | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    progress: Progress | None = None,
    worker: Worker = audit_one,
    retries: int = DEFAULT_RETRIES,
    backoff_s: float = DEFAULT_BACKOFF_S,
    transfer_timeout_s: float = DEFAULT_TRANSFER_TIMEOUT_S,
    github: bool = False,
    probe_seconds: float = DEFAULT_SECONDS,
    probe_memory_mb: float | None = DEFAULT_MEMORY_MB,
) -> BatchSummary:
    """Audit ``entries`` (the ``shard`` slice of them) into ``out_dir``.

    Writes ``results/<name>.json`` per repository as it finishes, then ``summary.csv``,
    ``results.jsonl`` and ``manifest.json`` for the selected entries. With ``resume``, an
    entry whose result file holds a valid record is not audited again.
    """

    start = time.perf_counter()
    out_dir = Path(out_dir)
    try:
        (out_dir / "results").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    selected = select_shard(entries, shard)
    state_dir = out_dir / STATE_DIR
    shutil.rmtree(state_dir, ignore_errors=True)  # markers of an earlier, interrupted run
    state_dir.mkdir(parents=True, exist_ok=True)
    options = BatchOptions(
        deadline=deadline.isoformat() if deadline else None,
        cache_dir=str(cache_dir) if cache_dir is not None else None,
        timeout_s=timeout_s,
        state_dir=str(state_dir),
        retries=max(0, retries),
        backoff_s=max(0.0, backoff_s),
        transfer_timeout_s=transfer_timeout_s,
        github=github,
        probe_seconds=probe_seconds,
        probe_memory_mb=probe_memory_mb,
    )
    manifest = {
        "shard": list(shard) if shard else None,
        "deadline": options.deadline,
        "entries": [e.to_dict() for e in selected],
        "started_at": _now(),
    }
    write_json_atomic(out_dir / MANIFEST, manifest)

    summary = BatchSummary(out_dir=out_dir, total=len(selected))
    records: dict[str, dict[str, Any]] = {}
    todo: list[BatchEntry] = []
    for entry in selected:
        earlier = _done_before(out_dir, entry) if resume else None
        if earlier is not None:
            records[entry.name] = earlier
            summary.resumed += 1
        else:
            todo.append(entry)

    progress = progress or make_progress()
    progress.start(len(selected), summary.resumed)

    def finish(record: dict[str, Any]) -> None:
        name = record["entry"]["name"]
        write_json_atomic(result_path(out_dir, name), record)
        records[name] = record
        summary.audited += 1
        progress.done(record)

    try:
        runnable = []
        for entry in todo:
            if entry.target:
                runnable.append(entry)
            else:
                finish(
                    make_record(entry, error="no repository in the class list", error_kind="input")
                )
        if runnable:
            _run_all(runnable, options, max(1, jobs or default_jobs()), worker, finish)
    finally:
        progress.close()
        shutil.rmtree(state_dir, ignore_errors=True)

    ordered = [records[e.name] for e in selected if e.name in records]
    write_outputs(out_dir, ordered)
    for record in ordered:
        if record["status"] == "ok":
            summary.ok += 1
        else:
            summary.failed += 1
            summary.failures.append(
                (record["entry"].get("target") or "", record.get("error") or "")
            )
    summary.elapsed_s = time.perf_counter() - start
    manifest.update(finished_at=_now(), elapsed_s=round(summary.elapsed_s, 3))
    manifest.update(ok=summary.ok, failed=summary.failed, resumed=summary.resumed)
    write_json_atomic(out_dir / MANIFEST, manifest)
    write_dashboard(out_dir, ordered)
    return summary
