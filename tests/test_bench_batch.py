"""The batch benchmark script on tiny generated repositories: the floor reads and parses what
it should, repeated entries stay distinct, and one whole run reports every figure.

No timing is asserted here; speed and memory are what the script reports, not what tests
decide.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import git
import pytest

from verifier.repo.snapshot import DEFAULT_MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_batch.py"
SAMPLE_REPORT = ROOT / "examples" / "sample-group" / "reports" / "README.md"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_batch", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_batch"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _load_script()


def make_repo(path: Path, extra: dict[str, str] | None = None) -> Path:
    """A tiny course repository with a report, Python (one broken) and YAML (one broken)."""

    files = {
        "reports/README.md": SAMPLE_REPORT.read_text(encoding="utf-8"),
        "src/pkg/__init__.py": "",
        "src/pkg/train.py": "import torch\n\n\ndef train() -> int:\n    return 1\n",
        "src/pkg/broken.py": "def broken(:\n",
        "configs/config.yaml": "lr: 0.1\nlayers: [1, 2]\n",
        ".github/workflows/tests.yml": "on: [push]\njobs: {test: {runs-on: x}}\n",
        "configs/broken.yml": "a: [1, 2\n",
        "data/blob.bin": "\x00\x01 not parsed",
        **(extra or {}),
    }
    repo = git.Repo.init(path)
    for name, text in files.items():
        file = path / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    repo.index.add(list(files))
    repo.index.commit("initial")
    repo.close()
    return path


@pytest.fixture
def repos(tmp_path: Path) -> list[Path]:
    one = make_repo(tmp_path / "one")
    two = make_repo(tmp_path / "two", {"src/pkg/api.py": "x = 1\n"})
    bare = tmp_path / "three.git"
    git.Repo.clone_from(str(two), str(bare), bare=True).close()
    return [one, two, bare]


def test_size_limit_matches_the_snapshot() -> None:
    assert bench.SNAPSHOT_MAX_FILE_BYTES == DEFAULT_MAX_FILE_BYTES


def test_floor_reads_every_tracked_file_and_parses_python_and_yaml(repos: list[Path]) -> None:
    found, dropped = bench.distinct_repos(repos)
    assert [r.bare for r in found] == [False, False, True]
    assert dropped == []

    counts = bench.floor_git(found[0])
    assert counts.files == 8
    assert counts.python == 3
    assert counts.yaml == 3
    assert counts.parse_errors == 2  # broken.py and broken.yml, ignored
    assert counts.bytes == sum(
        f.stat().st_size for f in repos[0].rglob("*") if f.is_file() and ".git" not in f.parts
    )
    # A working tree read from disk gives the same; the bare clone the same as its origin.
    assert vars(bench.floor_worktree(found[0])) == vars(counts)
    assert vars(bench.floor_git(found[2])) == vars(bench.floor_git(found[1]))


def test_floor_leaves_out_files_over_the_size_limit(repos: list[Path]) -> None:
    repo = bench.distinct_repos([repos[0]])[0][0]
    counts = bench.floor_git(repo, max_bytes=45)
    assert counts.too_large == 2  # the report and train.py
    assert counts.files == 6


def test_floor_counts_missing_objects(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "partial")
    repo = git.Repo(path)
    sha = repo.head.commit.tree / "src/pkg/train.py"
    (path / ".git" / "objects" / sha.hexsha[:2] / sha.hexsha[2:]).unlink()
    repo.close()
    counts = bench.floor_git(bench.distinct_repos([path])[0][0])
    assert counts.missing == 1
    assert counts.files == 7


def test_repeats_are_distinct_entries_for_the_batch(repos: list[Path], tmp_path: Path) -> None:
    from verifier.batch.classlist import read_class_list

    found, _ = bench.distinct_repos([*repos, repos[0], tmp_path / "nothing"])
    assert len(found) == 3
    entries = bench.make_entries(found, 7, tmp_path / "links")
    assert [e.label for e in entries] == [f"r00{i}" for i in range(1, 8)]
    assert [e.repeat_of for e in entries] == [None, None, None, "r001", "r002", "r003", "r001"]
    assert entries[6].link.resolve() == repos[0].resolve()

    listing = tmp_path / "class.txt"
    listing.write_text("".join(f"{e.link}\n" for e in entries), encoding="utf-8")
    names = [e.name for e in read_class_list(listing)]
    assert len(names) == len(set(names)) == 7


def test_sources_corpus_tsv_and_class_list(tmp_path: Path) -> None:
    tsv = tmp_path / "corpus.tsv"
    tsv.write_text("repo\tmirror_git_dir\tnotes\na/b\t/x/a+b/repo\t-\nc/d\t\t-\n", encoding="utf-8")
    assert bench.paths_from_corpus(tsv) == [Path("/x/a+b/repo")]
    listing = tmp_path / "class.txt"
    listing.write_text("one\n# comment\nhttps://github.com/a/b\n/abs/two\n", encoding="utf-8")
    assert bench.paths_from_class_list(listing) == [tmp_path / "one", Path("/abs/two")]


def test_percentile_and_jobs() -> None:
    assert bench.percentile([], 0.9) == 0.0
    assert bench.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert bench.percentile([0.0, 10.0], 0.9) == pytest.approx(9.0)
    assert bench.parse_jobs("1,2,2") == [1, 2]
    with pytest.raises(SystemExit):
        bench.parse_jobs("0")


def test_whole_run_reports_every_figure(repos: list[Path], tmp_path: Path) -> None:
    listing = tmp_path / "class.txt"
    listing.write_text("".join(f"{p}\n" for p in repos), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(listing), "--size", "4", "--jobs", "1,2", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)

    assert results["repositories"] == {
        "entries": 4,
        "distinct": 3,
        "repeated": 1,
        "bare": 1,
        "worktrees": 2,
        "dropped": [],
    }
    assert results["floor"]["counts"]["files"] == 8 + 9 + 9 + 8
    assert results["floor"]["worktree_min_s"] is None  # one entry is bare
    for jobs in ("1", "2"):
        batch = results["batch"][jobs]
        assert (batch["ok"], batch["failed"]) == (4, 0)
        assert batch["parent_peak_kib"] > 0
        assert batch["worker_peak_kib"] > 0
        assert batch["total_peak_bound_kib"] > batch["parent_peak_kib"]
        assert 0 < batch["parent_start_kib"] <= batch["parent_audits_peak_kib"]
        assert batch["parent_audits_peak_kib"] <= batch["parent_peak_kib"]
        assert results["ratio"][jobs] > 0
    assert results["batch"]["1"]["worker_processes"] == 1
    assert set(results["speedup"]) == {"2"}
    per_repo = results["per_repo"]
    assert per_repo["audited_ok"] == 4
    assert [s["label"] for s in per_repo["slowest"]] != []
    assert {s["label"] for s in per_repo["slowest"]} <= {"r001", "r002", "r003", "r004"}
    assert per_repo["errors"] == []
    # every audit is traced to its worker's peak; the first audit in a worker raises it
    assert all(s["worker_peak_kib"] > 0 for s in per_repo["slowest"])
    assert per_repo["memory"] and all(s["worker_raise_kib"] > 0 for s in per_repo["memory"])
    assert all(s["floor_s"] > 0 for s in per_repo["slowest"])
    assert per_repo["ratio_to_own_floor_median"] > 0
    assert len(results["floor"]["largest"]) == 3

    table = bench.render_table(results, anonymous=True)
    assert "REPEAT a repository" in table
    assert "batch --jobs 2" in table
    assert str(repos[0]) not in table


def test_working_tree_floor_when_every_entry_is_a_working_tree(
    repos: list[Path], tmp_path: Path
) -> None:
    results = bench.run_benchmark(repos[:2], 2, [1], 1, 60.0, tmp_path / "work")
    assert results["floor"]["worktree_counts"] == results["floor"]["counts"]
    assert results["floor"]["worktree_min_s"] is not None
    assert results["batch"]["1"]["ok"] == 2
    assert "speedup" not in results
