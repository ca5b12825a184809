"""The example class workflow stays consistent with the batch command line."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from verifier.batch.shard import parse_shard

WORKFLOW = Path(__file__).resolve().parent.parent / "examples" / "workflows" / "class-batch.yml"


def _load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_matrix_covers_every_shard_once() -> None:
    flow = _load()
    shards = int(flow["env"]["SHARDS"])
    matrix = flow["jobs"]["audit"]["strategy"]["matrix"]["shard"]
    assert sorted(matrix) == list(range(1, shards + 1))
    assert [parse_shard(f"{i}/{shards}") for i in matrix] == [(i, shards) for i in matrix]
    assert flow["jobs"]["audit"]["strategy"]["fail-fast"] is False


def test_batch_and_merge_steps() -> None:
    flow = _load()
    audit = "\n".join(s.get("run", "") for s in flow["jobs"]["audit"]["steps"])
    assert 'verifier batch "$CLASS_LIST"' in audit
    assert '--shard "${{ matrix.shard }}/$SHARDS"' in audit
    uploads = [s for s in flow["jobs"]["audit"]["steps"] if "upload-artifact" in s.get("uses", "")]
    assert uploads and uploads[0]["if"] == "always()"
    assert uploads[0]["with"]["name"] == "batch-shard-${{ matrix.shard }}"
    merge = flow["jobs"]["merge"]
    assert merge["needs"] == "audit" and merge["if"] == "always()"
    download = next(s for s in merge["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"]["pattern"] == "batch-shard-*"
    merge_run = next(s["run"] for s in merge["steps"] if "verifier merge" in s.get("run", ""))
    command = next(ln for ln in merge_run.splitlines() if "verifier merge" in ln)
    words = shlex.split(command.split("||")[0])
    assert words[:3] == ["verifier", "merge", "shards/*"] and words[-2:] == ["--out", "class"]
