"""The audit benchmark script: its generated repository, and one tiny end-to-end run.

No timing is asserted here; speed and memory are what the script reports, not what tests
decide.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import git
import yaml

from verifier.repo.snapshot import DEFAULT_MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_audit.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_audit", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_audit"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _load_script()


def test_size_limit_matches_the_snapshot() -> None:
    # The script keeps its own copy so the generator need not import the package.
    assert bench.SNAPSHOT_MAX_FILE_BYTES == DEFAULT_MAX_FILE_BYTES


def test_generation_is_deterministic_and_sized() -> None:
    first = bench.generate_files(80, seed=3)
    assert first == bench.generate_files(80, seed=3)
    assert first != bench.generate_files(80, seed=4)
    assert len(first) == 80
    smallest = bench.minimum_files()
    assert len(bench.generate_files(10)) == smallest


def test_generated_repository_is_a_realistic_course_repo(tmp_path: Path) -> None:
    n = bench.minimum_files() + 30
    tracked = bench.generate_repo(tmp_path / "repo", n)
    assert len(tracked) == n

    repo = git.Repo(tmp_path / "repo")
    assert len(list(repo.iter_commits())) == 3
    assert not repo.is_dirty(untracked_files=True)
    repo.close()

    root = tmp_path / "repo"
    expected = {
        "pyproject.toml",
        "uv.lock",
        ".dvc/config",
        "data/raw.dvc",
        "reports/README.md",
        ".github/workflows/tests.yaml",
        "dockerfiles/api.dockerfile",
        "configs/config.yaml",
        f"src/{bench.PKG}/data.py",
    }
    assert expected <= set(tracked)
    assert (root / "reports/README.md").read_bytes() == bench.SAMPLE_REPORT.read_bytes()

    big = [p for p in tracked if (root / p).stat().st_size > DEFAULT_MAX_FILE_BYTES]
    assert big == ["data/raw/export_sample.csv"]
    pngs = [p for p in tracked if p.endswith(".png")]
    assert len(pngs) >= 2
    assert all((root / p).read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in pngs)

    modules = [p for p in tracked if p.startswith("src/") and not p.endswith("__init__.py")]
    assert len(modules) >= 8
    for path in tracked:
        text = (root / path).read_bytes()
        if path.endswith(".py"):
            tree = ast.parse(text)
            if path in modules:
                assert 50 <= len(text.splitlines()) <= 360, path
                assert any(isinstance(n, ast.FunctionDef) for n in ast.walk(tree)), path
        elif path.endswith((".yaml", ".yml", ".dvc")):
            assert yaml.safe_load(text) is not None, path

    workflow = yaml.safe_load((root / ".github/workflows/tests.yaml").read_text())
    assert workflow["jobs"]["test"]["strategy"]["matrix"]["os"]


def test_table_names_every_case() -> None:
    case = {
        "wall_median_s": 0.5,
        "wall_min_s": 0.4,
        "process_median_s": 0.8,
        "maxrss_median_kib": 40_000,
        "file_count": 10,
    }
    results = {
        "params": {"files": 10, "repeat": 1},
        "machine": {"cpus": 2, "python": "3.11.7"},
        "generation_s": 0.1,
        "cases": {
            "audit_generated": {
                **case,
                "mode": "audit",
                "steps_median_s": {"run_audit": 0.3},
                "errors": ["probe x failed"],
            },
            "snapshot_generated": {**case, "mode": "snapshot", "maxrss_median_kib": 20_000},
            "baseline": {**case, "mode": "baseline", "maxrss_median_kib": 30_000},
        },
        "top_probes": [("config.hydra", 120.0)],
    }
    table = bench.render_table(results)
    assert "audit_generated" in table and "baseline" in table
    assert "config.hydra" in table and "probe x failed" in table
    assert "9.8" in table  # 10,000 KiB over the baseline, in MiB
    assert "-9.8" not in table  # not shown for a child that imports less than the baseline


def test_script_runs_end_to_end_on_a_tiny_repository() -> None:
    files = bench.minimum_files()
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--files", str(files), "--repeat", "1", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    cases = results["cases"]
    assert set(cases) == {"audit_generated", "audit_sample_group", "snapshot_generated", "baseline"}
    generated = cases["audit_generated"]
    # every tracked file but the one over the size limit is readable
    assert generated["file_count"] == files - 1
    assert generated["skipped"] >= 1
    assert cases["snapshot_generated"]["file_count"] == files - 1
    assert generated["findings"] > 40
    assert generated["json_bytes"] > 0
    assert set(generated["steps_median_s"]) == {
        "open_snapshot",
        "load_report",
        "run_audit",
        "render_json",
    }
    assert cases["audit_sample_group"]["file_count"] > 10
    for summary in cases.values():
        assert summary["runs"] == 1
        assert summary["maxrss_median_kib"] > 0
    assert 0 < len(results["top_probes"]) <= 5
    assert results["machine"]["cpus"] >= 1
