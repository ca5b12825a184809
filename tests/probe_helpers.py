"""Helpers for probe tests: run one probe over a small repository built in a tmp dir."""

from __future__ import annotations

from pathlib import Path

from conftest import Contents, make_repo

from verifier.engine.registry import probe_for
from verifier.findings import Observation
from verifier.repo.snapshot import Snapshot, open_snapshot


def snapshot_of(tmp_path: Path, files: Contents, *, name: str = "group") -> Snapshot:
    """A real git repository holding ``files`` in one commit, opened as a snapshot."""

    repo = make_repo(tmp_path, files, name=name)
    return open_snapshot(repo.working_tree_dir)


def observe(tmp_path: Path, item_id: str, files: Contents, *, name: str = "group") -> Observation:
    spec = probe_for(item_id)
    assert spec is not None, f"no probe for {item_id}"
    return spec.func(snapshot_of(tmp_path, files, name=name))
