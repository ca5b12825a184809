"""Combine the output directories of several shards (or runs) into one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.batch.dashboard import write_dashboard
from verifier.batch.outputs import (
    MANIFEST,
    RESULTS_DIR,
    load_records,
    result_path,
    write_json_atomic,
    write_outputs,
)
from verifier.errors import InputError


@dataclass
class MergeSummary:
    out_dir: Path
    total: int = 0
    ok: int = 0
    failed: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.missing else 0


def _better(new: dict[str, Any], old: dict[str, Any]) -> bool:
    """A success beats an error; otherwise the later record wins."""

    rank_new = (new["status"] == "ok", str(new.get("finished_at") or ""))
    rank_old = (old["status"] == "ok", str(old.get("finished_at") or ""))
    return rank_new > rank_old


def _manifest_names(directory: Path) -> dict[str, dict[str, Any]]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entries = manifest.get("entries") if isinstance(manifest, dict) else None
    if not isinstance(entries, list):
        return {}
    return {e["name"]: e for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str)}


def merge_outputs(dirs: list[Path], out_dir: Path) -> MergeSummary:
    """Records of every ``dirs[i]/results`` into ``out_dir`` (its own earlier records count
    too), then ``summary.csv`` and ``results.jsonl`` for all of them. An entry a shard's
    manifest lists without a result is reported in ``missing``."""

    for directory in dirs:
        if not (Path(directory) / RESULTS_DIR).is_dir():
            raise InputError(f"{directory} holds no batch results (no {RESULTS_DIR}/ folder)")
    out_dir = Path(out_dir)
    merged: dict[str, dict[str, Any]] = {}
    expected: dict[str, dict[str, Any]] = {}
    sources = [Path(d) for d in dirs]
    if out_dir.resolve() not in {d.resolve() for d in sources}:
        sources.append(out_dir)
    for directory in sources:
        expected.update(_manifest_names(directory))
        for record in load_records(directory):
            name = record["entry"].get("name")
            if not isinstance(name, str):
                continue
            if name not in merged or _better(record, merged[name]):
                merged[name] = record
    try:
        for name, record in merged.items():
            write_json_atomic(result_path(out_dir, name), record)
    except OSError as exc:
        raise InputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
    records = list(merged.values())
    write_outputs(out_dir, records)
    write_json_atomic(
        out_dir / MANIFEST,
        {"merged_from": [str(d) for d in dirs], "entries": [r["entry"] for r in records]},
    )
    write_dashboard(out_dir, records)
    summary = MergeSummary(out_dir=out_dir, total=len(records))
    summary.ok = sum(r["status"] == "ok" for r in records)
    summary.failed = summary.total - summary.ok
    summary.missing = sorted(
        str(e.get("target") or name) for name, e in expected.items() if name not in merged
    )
    return summary
