"""Speed and memory of ``verifier batch`` over a class of local repositories, against a floor.

Usage::

    python benchmarks/bench_batch.py CLASS_LIST [--size 150] [--jobs 1,2] [--repeat 3] [--json]
    python benchmarks/bench_batch.py --corpus corpus.tsv [--corpus more.tsv] [--size 150] ...

The repositories are local paths: bare git directories or working trees, from a class list
(one path per line) or from TSV files with a ``mirror_git_dir`` column. Each distinct
repository (by resolved path) is used once; when fewer than ``--size`` exist, the script says
so loudly and fills up by repeating them. Every entry is a symlink ``rNNN`` in a temporary
directory pointing at its repository, so a repeated repository is a distinct batch entry (the
audit itself runs on the same git directory again) and no output names a repository.

The **floor** is the least work any audit of these repositories must do, timed in one pass in
this process: for each entry, list the tracked files at ``HEAD`` (``git ls-tree -r -l``), read
every blob once through one ``git cat-file --batch`` process per repository, ``ast.parse``
every ``.py`` and load every ``.yml``/``.yaml`` with ``yaml.CSafeLoader`` (errors ignored).
Blobs over the snapshot's size limit (2,000,000 bytes) are not read, since the audit does not
read them either. When every entry is a working tree, a second floor reads the tracked files
(``git ls-files``) from disk instead. One untimed floor pass runs first, so both the floor and
the batch find the objects in the page cache.

The **batch** runs ``run_batch`` (what ``verifier batch`` runs) in a fresh child process with
a fresh output directory, once per ``--jobs`` value and repeat. Its worker is ``audit_one``
wrapped so that each worker process notes its own peak RSS (``VmHWM``) before and after every
audit, which traces a peak to the repository that raised it; the child notes its own peak
when the last record is in and again after the outputs are written. Reported: the parent's
peak, the largest worker's peak, and their sum over the parent and every worker process (an
upper bound of the whole run's peak: pages a forked worker shares with the parent count in
both). The batch time is ``run_batch``'s own ``elapsed_s`` (imports and interpreter start
excluded; the child's whole wall time is in the JSON as ``process_s``). With ``--repeat``
above 1 the minimum of the runs is reported: other work on a shared machine only ever makes
a run slower.

Per repository (the records of the lowest ``--jobs`` value's fastest run): median and 90th
percentile of ``elapsed_s``, the audit time over that repository's own floor, the five slowest
entries and the five that raised their worker's peak the most. ``--anonymous`` prints entry
labels only, never a repository path.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
#: Same value as ``verifier.repo.snapshot.DEFAULT_MAX_FILE_BYTES``: the audit does not read
#: larger files, so neither does the floor.
SNAPSHOT_MAX_FILE_BYTES = 2_000_000
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}
#: Where the measured worker notes its peak RSS per audit, inside the batch output directory.
MEMORY_NOTES = "bench-memory"

# --------------------------------------------------------------------------- repositories


@dataclass(frozen=True)
class Repo:
    """One distinct local repository: its resolved path and whether it is bare."""

    path: Path
    bare: bool


@dataclass(frozen=True)
class Entry:
    """One batch entry: the symlink the batch audits, and the repository behind it."""

    label: str
    link: Path
    repo: Repo
    repeat_of: str | None = None


def _git(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], capture_output=True, cwd=cwd, env=env, check=False)


def repo_kind(path: Path) -> str | None:
    """``"bare"``, ``"worktree"`` or None when ``path`` is no git repository with a HEAD."""

    if not path.is_dir():
        return None
    proc = _git(["-C", str(path), "rev-parse", "--is-bare-repository", "--verify", "HEAD"])
    if proc.returncode != 0:
        return None
    first = proc.stdout.decode(errors="replace").split()[:1]
    return "bare" if first == ["true"] else "worktree"


def paths_from_corpus(tsv: Path) -> list[Path]:
    """The ``mirror_git_dir`` column of a corpus TSV."""

    with tsv.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        if reader.fieldnames is None or "mirror_git_dir" not in reader.fieldnames:
            raise SystemExit(f"{tsv}: no mirror_git_dir column")
        return [Path(row["mirror_git_dir"]) for row in reader if row.get("mirror_git_dir")]


def paths_from_class_list(path: Path) -> list[Path]:
    """Local paths of a class list (URLs are left out: this benchmark works offline)."""

    from verifier.batch.classlist import read_class_list
    from verifier.repo.sources import is_clone_url

    entries = read_class_list(path)
    return [Path(e.target) for e in entries if e.target and not is_clone_url(e.target)]


def distinct_repos(paths: list[Path]) -> tuple[list[Repo], list[str]]:
    """Each git repository once (by resolved path), in order; and what was left out, why."""

    seen: set[Path] = set()
    repos: list[Repo] = []
    dropped: list[str] = []
    for path in paths:
        real = path.expanduser().resolve()
        if real in seen:
            continue
        seen.add(real)
        kind = repo_kind(real)
        if kind is None:
            dropped.append(f"{path}: not a git repository with a HEAD")
            continue
        repos.append(Repo(real, kind == "bare"))
    return repos, dropped


def make_entries(repos: list[Repo], size: int, link_dir: Path) -> list[Entry]:
    """``size`` entries (all repositories when ``size`` is 0), repeating repositories in
    order when there are fewer; each entry a symlink ``rNNN`` in ``link_dir``."""

    if not repos:
        raise SystemExit("no usable repository")
    count = size or len(repos)
    width = max(3, len(str(count)))
    link_dir.mkdir(parents=True, exist_ok=True)
    entries: list[Entry] = []
    for i in range(count):
        repo = repos[i % len(repos)]
        label = f"r{i + 1:0{width}d}"
        link = link_dir / label
        link.symlink_to(repo.path, target_is_directory=True)
        repeat_of = entries[i % len(repos)].label if i >= len(repos) else None
        entries.append(Entry(label, link, repo, repeat_of))
    return entries


# --------------------------------------------------------------------------- the floor


@dataclass
class FloorCounts:
    files: int = 0
    bytes: int = 0
    python: int = 0
    yaml: int = 0
    parse_errors: int = 0
    too_large: int = 0
    missing: int = 0

    def add(self, other: FloorCounts) -> None:
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))


def parse_one(path: str, data: bytes, counts: FloorCounts) -> None:
    """``ast.parse`` a ``.py``, load a ``.yml``/``.yaml`` with the C loader; errors ignored."""

    lower = path.lower()
    try:
        if lower.endswith(".py"):
            counts.python += 1
            ast.parse(data)
        elif lower.endswith((".yml", ".yaml")):
            counts.yaml += 1
            yaml.load(data, Loader=yaml.CSafeLoader)
    except Exception:  # the floor only times the work; broken files are normal
        counts.parse_errors += 1


def tracked_blobs(repo: Path) -> list[tuple[str, str, int]]:
    """``(sha, path, size)`` of every blob at HEAD (submodules left out; size -1 when the
    object is missing)."""

    proc = _git(["-C", str(repo), "ls-tree", "-r", "-l", "-z", "--full-tree", "HEAD"])
    blobs = []
    for record in proc.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        parts = meta.split()
        if len(parts) != 4 or parts[1] != b"blob":
            continue
        # the size is "BAD" when the object is missing (a partial mirror): -1
        size = int(parts[3]) if parts[3].isdigit() else -1
        blobs.append((parts[2].decode(), path.decode("utf-8", "replace"), size))
    return blobs


def floor_git(repo: Repo, max_bytes: int = SNAPSHOT_MAX_FILE_BYTES) -> FloorCounts:
    """Read every blob at HEAD once (one ``cat-file --batch``) and parse what parses."""

    counts = FloorCounts()
    blobs = tracked_blobs(repo.path)
    wanted = []
    for sha, path, size in blobs:
        if size < 0:
            counts.missing += 1
        elif size > max_bytes:
            counts.too_large += 1
        else:
            wanted.append((sha, path))
    if not wanted:
        return counts
    proc = subprocess.Popen(
        ["git", "-C", str(repo.path), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, **GIT_ENV},
    )
    assert proc.stdin is not None and proc.stdout is not None
    # Requests go in chunks small enough for the pipe, each chunk's answers read before the
    # next is written, so neither side waits for the other.
    try:
        for start in range(0, len(wanted), 256):
            chunk = wanted[start : start + 256]
            proc.stdin.write(b"".join(f"{sha}\n".encode() for sha, _ in chunk))
            proc.stdin.flush()
            for _sha, path in chunk:
                header = proc.stdout.readline().split()
                if len(header) != 3:  # "<sha> missing"
                    counts.missing += 1
                    continue
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)  # the newline after the content
                counts.files += 1
                counts.bytes += len(data)
                parse_one(path, data, counts)
    finally:
        proc.stdin.close()
        proc.wait()
    return counts


def floor_worktree(repo: Repo, max_bytes: int = SNAPSHOT_MAX_FILE_BYTES) -> FloorCounts:
    """Read every tracked file of a working tree from disk once and parse what parses."""

    counts = FloorCounts()
    listing = _git(["-C", str(repo.path), "ls-files", "-z"]).stdout
    for raw in listing.split(b"\0"):
        if not raw:
            continue
        path = raw.decode("utf-8", "replace")
        file = repo.path / os.fsdecode(raw)
        try:
            if file.is_symlink() or not file.is_file():
                continue
            if file.stat().st_size > max_bytes:
                counts.too_large += 1
                continue
            data = file.read_bytes()
        except OSError:
            continue
        counts.files += 1
        counts.bytes += len(data)
        parse_one(path, data, counts)
    return counts


def time_floor(
    entries: list[Entry], worktree: bool = False
) -> tuple[float, FloorCounts, dict[str, float]]:
    """Wall time of one floor pass over every entry, what it read, and each entry's time."""

    total = FloorCounts()
    each: dict[str, float] = {}
    start = time.perf_counter()
    for entry in entries:
        t0 = time.perf_counter()
        total.add(floor_worktree(entry.repo) if worktree else floor_git(entry.repo))
        each[entry.label] = time.perf_counter() - t0
    return time.perf_counter() - start, total, each


# --------------------------------------------------------------------------- batch child


def _status_kib(field: str) -> int | None:
    """A kB figure of this process from ``/proc/self/status`` (``VmHWM``: peak RSS of its
    own address space, ``VmRSS``: resident now), else None."""

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _vm_hwm_kib() -> int | None:
    return _status_kib("VmHWM")


def measured_worker(entry: Any, options: Any) -> dict[str, Any]:
    """``audit_one``, noting this worker process's peak RSS before and after the audit (one
    JSON line per audit in ``bench-memory/<pid>.jsonl`` beside the batch's state directory),
    so a peak can be traced to the repository that raised it."""

    from verifier.batch.runner import audit_one

    before = _vm_hwm_kib()
    try:
        return audit_one(entry, options)
    finally:
        after = _vm_hwm_kib()
        if after is not None and options.state_dir is not None:
            notes = Path(options.state_dir).parent / MEMORY_NOTES
            notes.mkdir(exist_ok=True)
            note = {"label": Path(entry.target).name, "before_kib": before, "after_kib": after}
            with (notes / f"{os.getpid()}.jsonl").open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(note) + "\n")


class ParentMemory:
    """Progress that notes the batch parent's own peak RSS: once the last audit is in (the
    parent has collected every record) and, read afterwards, once the outputs are written."""

    def __init__(self) -> None:
        self.start_kib: int | None = None
        self.audits_kib: int | None = None

    def start(self, total: int, resumed: int) -> None:
        self.start_kib = _vm_hwm_kib()

    def done(self, record: dict[str, Any]) -> None:
        self.audits_kib = _vm_hwm_kib()

    def close(self) -> None:
        pass


def _memory_notes(out: Path) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Each worker's peak (by pid) and each entry's worker peak after its audit and how much
    its audit raised that peak."""

    workers: dict[str, int] = {}
    entries: dict[str, dict[str, int]] = {}
    for notes in (out / MEMORY_NOTES).glob("*.jsonl"):
        for line in notes.read_text(encoding="utf-8").splitlines():
            note = json.loads(line)
            after = int(note["after_kib"])
            pid = notes.stem
            workers[pid] = max(workers.get(pid, 0), after)
            raise_kib = after - int(note["before_kib"] or after)
            entries[note["label"]] = {"after_kib": after, "raise_kib": raise_kib}
    return workers, entries


def child_batch(class_list: str, out_dir: str, jobs: int, timeout_s: float) -> dict[str, Any]:
    """Run one batch (in a fresh child process); its time, peaks and per-entry records."""

    start = time.perf_counter()
    from verifier.batch.classlist import read_class_list
    from verifier.batch.runner import run_batch

    import_s = time.perf_counter() - start
    out = Path(out_dir)
    parent = ParentMemory()
    summary = run_batch(
        read_class_list(class_list),
        out,
        jobs=jobs,
        timeout_s=timeout_s,
        progress=parent,
        worker=measured_worker,
    )
    workers, memory = _memory_notes(out)
    records = []
    with (out / "results.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            rec = json.loads(line)
            label = Path(rec["entry"]["target"]).name
            snapshot = (rec.get("result") or {}).get("snapshot") or {}
            records.append(
                {
                    "label": label,
                    "status": rec["status"],
                    "error": rec.get("error"),
                    "elapsed_s": rec.get("elapsed_s", 0.0),
                    "files": snapshot.get("file_count"),
                    "worker_peak_kib": memory.get(label, {}).get("after_kib"),
                    "worker_raise_kib": memory.get(label, {}).get("raise_kib"),
                }
            )
    return {
        "jobs": jobs,
        "elapsed_s": summary.elapsed_s,
        "import_s": import_s,
        "ok": summary.ok,
        "failed": summary.failed,
        "parent_hwm_kib": _vm_hwm_kib(),
        "parent_start_hwm_kib": parent.start_kib,
        "parent_audits_hwm_kib": parent.audits_kib,
        "worker_hwm_kib": workers,
        "records": records,
    }


def run_batch_child(class_list: Path, out_dir: Path, jobs: int, timeout_s: float) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child-batch",
        str(class_list),
        "--child-out",
        str(out_dir),
        "--jobs",
        str(jobs),
        "--timeout",
        str(timeout_s),
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"batch child failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["process_s"] = elapsed
    return data


# --------------------------------------------------------------------------- the benchmark


def parse_jobs(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise SystemExit(f"--jobs: not a list of numbers: {text}") from None
    if not values or min(values) < 1:
        raise SystemExit("--jobs: give numbers of at least 1, e.g. 1,2")
    return list(dict.fromkeys(values))


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by linear interpolation; 0.0 for no values."""

    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def _batch_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = min(runs, key=lambda r: r["elapsed_s"])
    workers = [kib for run in runs for kib in run["worker_hwm_kib"].values()]
    sums = [(run["parent_hwm_kib"] or 0) + sum(run["worker_hwm_kib"].values()) for run in runs]
    return {
        "jobs": best["jobs"],
        "runs": len(runs),
        "elapsed_min_s": best["elapsed_s"],
        "elapsed_all_s": [r["elapsed_s"] for r in runs],
        "process_min_s": min(r["process_s"] for r in runs),
        "ok": best["ok"],
        "failed": best["failed"],
        "parent_peak_kib": max(r["parent_hwm_kib"] or 0 for r in runs),
        "parent_start_kib": max(r["parent_start_hwm_kib"] or 0 for r in runs),
        "parent_audits_peak_kib": max(r["parent_audits_hwm_kib"] or 0 for r in runs),
        "worker_peak_kib": max(workers) if workers else None,
        "worker_processes": max(len(r["worker_hwm_kib"]) for r in runs),
        "total_peak_bound_kib": max(sums),
        "best_records": best["records"],
    }


def per_repo(
    records: list[dict[str, Any]],
    entries: list[Entry],
    floor_each: dict[str, float],
    n: int = 5,
) -> dict[str, Any]:
    """Audit times of one run's records; the slowest entries and those that raised their
    worker's peak memory most, each with its own floor time."""

    ok = [r for r in records if r["status"] == "ok"]
    times = [r["elapsed_s"] for r in ok]
    ratios = [r["elapsed_s"] / floor_each[r["label"]] for r in ok if floor_each.get(r["label"])]
    by_label = {e.label: e for e in entries}

    def describe(rec: dict[str, Any]) -> dict[str, Any]:
        entry = by_label.get(rec["label"])
        return {
            "label": rec["label"],
            "path": str(entry.repo.path) if entry else None,
            "repeat_of": entry.repeat_of if entry else None,
            "elapsed_s": rec["elapsed_s"],
            "floor_s": floor_each.get(rec["label"]),
            "files": rec["files"],
            "status": rec["status"],
            "worker_peak_kib": rec.get("worker_peak_kib"),
            "worker_raise_kib": rec.get("worker_raise_kib"),
        }

    slowest = sorted(records, key=lambda r: r["elapsed_s"], reverse=True)[:n]
    hungriest = sorted(records, key=lambda r: r.get("worker_raise_kib") or 0, reverse=True)[:n]
    errors = [{"label": r["label"], "error": r["error"]} for r in records if r["status"] != "ok"]
    return {
        "audited_ok": len(ok),
        "median_s": statistics.median(times) if times else 0.0,
        "p90_s": percentile(times, 0.9),
        "max_s": max(times) if times else 0.0,
        "sum_s": sum(times),
        "ratio_to_own_floor_median": statistics.median(ratios) if ratios else None,
        "ratio_to_own_floor_p90": percentile(ratios, 0.9) if ratios else None,
        "slowest": [describe(r) for r in slowest],
        "memory": [describe(r) for r in hungriest if r.get("worker_raise_kib")],
        "errors": errors,
    }


def run_benchmark(
    paths: list[Path],
    size: int,
    jobs: list[int],
    repeat: int,
    timeout_s: float,
    work_dir: Path,
) -> dict[str, Any]:
    repos, dropped = distinct_repos(paths)
    entries = make_entries(repos, size, work_dir / "entries")
    class_list = work_dir / "class.txt"
    class_list.write_text("".join(f"{e.link}\n" for e in entries), encoding="utf-8")
    worktrees = all(not e.repo.bare for e in entries)

    time_floor(entries)  # warm the page cache for everything that follows (not timed)
    floors: list[float] = []
    wt_floors: list[float] = []
    counts = FloorCounts()
    wt_counts = FloorCounts()
    floor_each: dict[str, float] = {}
    runs: dict[int, list[dict[str, Any]]] = {j: [] for j in jobs}
    for i in range(repeat):
        secs, counts, each = time_floor(entries)
        floors.append(secs)
        for label, entry_s in each.items():
            floor_each[label] = min(entry_s, floor_each.get(label, entry_s))
        if worktrees:
            secs, wt_counts, _ = time_floor(entries, worktree=True)
            wt_floors.append(secs)
        for j in jobs:
            out = work_dir / f"out-{i}-j{j}"
            runs[j].append(run_batch_child(class_list, out, j, timeout_s))

    batches = {j: _batch_summary(r) for j, r in runs.items()}
    floor_s = min(floors)
    lowest = min(jobs)
    results: dict[str, Any] = {
        "machine": machine(),
        "params": {"size": size, "jobs": jobs, "repeat": repeat, "timeout_s": timeout_s},
        "repositories": {
            "entries": len(entries),
            "distinct": len(repos),
            "repeated": len(entries) - len(repos) if len(entries) > len(repos) else 0,
            "bare": sum(1 for r in repos if r.bare),
            "worktrees": sum(1 for r in repos if not r.bare),
            "dropped": dropped,
        },
        "floor": {
            "git_min_s": floor_s,
            "git_all_s": floors,
            "counts": vars(counts),
            "worktree_min_s": min(wt_floors) if wt_floors else None,
            "worktree_counts": vars(wt_counts) if wt_floors else None,
            "largest": [
                {"label": label, "seconds": secs}
                for label, secs in sorted(floor_each.items(), key=lambda kv: -kv[1])[:3]
            ],
        },
        "batch": {
            str(j): {k: v for k, v in b.items() if k != "best_records"} for j, b in batches.items()
        },
        "ratio": {str(j): b["elapsed_min_s"] / floor_s for j, b in batches.items()},
        "per_repo_jobs": lowest,
        "per_repo": per_repo(batches[lowest]["best_records"], entries, floor_each),
    }
    if 1 in batches and len(jobs) > 1:
        results["speedup"] = {
            str(j): batches[1]["elapsed_min_s"] / batches[j]["elapsed_min_s"]
            for j in jobs
            if j != 1
        }
    return results


# --------------------------------------------------------------------------- output


def _mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.1f}"


def render_table(results: dict[str, Any], anonymous: bool = False) -> str:
    repos = results["repositories"]
    floor = results["floor"]
    counts = floor["counts"]
    m = results["machine"]
    lines = []
    if repos["repeated"]:
        bar = "!" * 78
        lines += [
            bar,
            f"!! only {repos['distinct']} distinct repositories for {repos['entries']} entries: "
            f"{repos['repeated']} entries REPEAT a repository",
            bar,
            "",
        ]
    load = m["load_average"]
    lines += [
        f"verifier batch benchmark: {repos['entries']} entries ({repos['distinct']} distinct: "
        f"{repos['bare']} bare, {repos['worktrees']} working trees), "
        f"{results['params']['repeat']} run(s) each, minimum shown",
        f"{m['cpus']} CPU(s), Python {m['python']}, load average at the end "
        + (" ".join(f"{x:.2f}" for x in load) if load else "?"),
        f"floor reads {counts['files']} files ({counts['bytes'] / 1e6:.1f} MB), parses "
        f"{counts['python']} .py and {counts['yaml']} YAML ({counts['parse_errors']} errors), "
        f"{counts['too_large']} over the size limit left out, {counts['missing']} missing objects",
        "",
    ]
    head = (
        f"{'run':<22} {'wall s':>8} {'x floor':>8} {'speed-up':>9} {'ok':>5} {'failed':>6} "
        f"{'parent MiB':>11} {'worker MiB':>11} {'sum MiB':>8}"
    )
    lines += [head, "-" * len(head)]
    lines.append(f"{'floor (git objects)':<22} {floor['git_min_s']:>8.2f} {1.0:>8.2f}")
    if floor["worktree_min_s"] is not None:
        ratio = floor["worktree_min_s"] / floor["git_min_s"]
        lines.append(f"{'floor (working trees)':<22} {floor['worktree_min_s']:>8.2f} {ratio:>8.2f}")
    speedup = results.get("speedup", {})
    for j, b in results["batch"].items():
        up = f"{speedup[j]:.2f}" if j in speedup else ""
        lines.append(
            f"{'batch --jobs ' + j:<22} {b['elapsed_min_s']:>8.2f} {results['ratio'][j]:>8.2f} "
            f"{up:>9} {b['ok']:>5} {b['failed']:>6} {_mib(b['parent_peak_kib']):>11} "
            f"{_mib(b['worker_peak_kib']):>11} {_mib(b['total_peak_bound_kib']):>8}"
        )
    parent = max(results["batch"].values(), key=lambda b: b["parent_peak_kib"])
    largest = ", ".join(f"{f['label']} {f['seconds']:.2f} s" for f in floor["largest"])
    lines += [
        "",
        "peak MiB: VmHWM of the batch parent, of the largest worker, and their sum over the",
        "parent and every worker (an upper bound: pages a forked worker shares count twice);",
        f"the parent peaked at {_mib(parent['parent_audits_peak_kib'])} MiB with every record "
        f"in, {_mib(parent['parent_peak_kib'])} MiB after writing the outputs "
        f"({_mib(parent['parent_start_kib'])} MiB at the start)",
        f"largest floors: {largest}",
    ]
    pr = results["per_repo"]
    own = pr["ratio_to_own_floor_median"]
    lines += [
        "",
        f"per-repository audit time (--jobs {results['per_repo_jobs']}, {pr['audited_ok']} ok): "
        f"median {pr['median_s']:.2f} s, p90 {pr['p90_s']:.2f} s, max {pr['max_s']:.2f} s, "
        f"sum {pr['sum_s']:.1f} s",
    ]
    if own is not None:
        lines.append(
            f"audit / the repository's own floor: median {own:.1f}x, "
            f"p90 {pr['ratio_to_own_floor_p90']:.1f}x"
        )

    def row(s: dict[str, Any]) -> str:
        where = "" if anonymous else f"  {s['path']}"
        again = f" (repeat of {s['repeat_of']})" if s["repeat_of"] else ""
        floor_s = "-" if s["floor_s"] is None else f"{s['floor_s']:.3f}"
        return (
            f"  {s['label']:<6} {s['elapsed_s']:7.2f} s  floor {floor_s:>6} s  "
            f"{s['files'] or '-':>6} files  worker {_mib(s['worker_peak_kib']):>7} MiB "
            f"(+{_mib(s['worker_raise_kib'])})  {s['status']}{again}{where}"
        )

    lines += ["slowest:", *(row(s) for s in pr["slowest"])]
    if pr["memory"]:
        lines += ["raised their worker's peak the most:", *(row(s) for s in pr["memory"])]
    if pr["errors"]:
        lines += ["", f"{len(pr['errors'])} error record(s):"]
        lines += [f"  {e['label']}: {(e['error'] or '')[:100]}" for e in pr["errors"][:10]]
    if repos["dropped"] and not anonymous:
        lines += ["", "left out:", *(f"  {d}" for d in repos["dropped"])]
    elif repos["dropped"]:
        lines += ["", f"left out: {len(repos['dropped'])} path(s) that are no git repository"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("class_list", nargs="?", type=Path, help="one local path per line")
    parser.add_argument(
        "--corpus", type=Path, action="append", default=[],
        help="TSV with a mirror_git_dir column (may be given more than once)",
    )  # fmt: skip
    parser.add_argument("--size", type=int, default=150, help="entries (0: each repo once)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per repository")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--anonymous", action="store_true", help="print no repository path")
    parser.add_argument("--keep", type=Path, help="keep entries and batch outputs here")
    parser.add_argument("--child-batch", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child_batch:
        result = child_batch(args.child_batch, args.child_out, int(args.jobs), args.timeout)
        sys.stdout.write(json.dumps(result) + "\n")
        return 0
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.size < 0:
        parser.error("--size must be 0 or more")
    if bool(args.class_list) == bool(args.corpus):
        parser.error("give a class list or --corpus TSV (not both)")
    jobs = parse_jobs(args.jobs)
    if args.class_list:
        paths = paths_from_class_list(args.class_list)
    else:
        paths = [p for tsv in args.corpus for p in paths_from_corpus(tsv)]

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = args.keep if args.keep is not None else Path(tmp)
        results = run_benchmark(paths, args.size, jobs, args.repeat, args.timeout, work)
    if args.json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
    else:
        sys.stdout.write(render_table(results, args.anonymous))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
