"""Files on other branches: listed once per branch tip in a small repository, asked of git
one path at a time in a large one; both ways give the same answers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import checkout, commit_files, create_branch, make_repo

from verifier.repo import history
from verifier.repo.snapshot import open_snapshot


def _repo(tmp_path: Path) -> str:
    repo = make_repo(tmp_path, {"README.md": "# x\n", "src/a.py": "x = 1\n"})
    create_branch(repo, "docker", checkout=True)
    commit_files(repo, {"dockerfiles/train.dockerfile": "FROM python:3.11\n"}, message="d")
    checkout(repo, "main")
    create_branch(repo, "dvc", checkout=True)
    commit_files(repo, {"data/raw.dvc": "outs:\n- path: raw\n", "a b/c\td.txt": "x\n"})
    checkout(repo, "main")
    commit_files(
        repo, {"late.txt": "after the deadline\n"}, message="late", date="2026-01-20T12:00:00+00:00"
    )
    return str(repo.working_tree_dir)


QUESTIONS = {
    "dockerfiles/train.dockerfile": ["docker"],
    "dockerfiles": ["docker"],
    "data": ["dvc"],
    "data/raw.dvc": ["dvc"],
    "a b/c\td.txt": ["dvc"],
    "src/a.py": [],  # the audited commit has it
    "src": [],
    "nowhere.txt": [],
    "dockerfiles/train": [],  # a prefix of a name is not a folder
}


@pytest.mark.parametrize("limit", [10**9, 0])
def test_listing_and_lookups_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(history, "LISTING_LIMIT", limit)
    snap = open_snapshot(_repo(tmp_path))
    for path, branches in QUESTIONS.items():
        assert snap.branches_holding(path) == branches, path
    tips = snap._branch_tips()
    assert tips is not None
    assert (tips._paths == {}) is (limit == 0)  # lookups list nothing


@pytest.mark.parametrize("limit", [10**9, 0])
def test_added_after_the_deadline_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(history, "LISTING_LIMIT", limit)
    root = _repo(tmp_path)
    snap = open_snapshot(root, deadline=datetime(2026, 1, 15, tzinfo=UTC))
    assert snap.added_after_deadline("late.txt")
    assert not snap.added_after_deadline("src/a.py")
    assert not snap.added_after_deadline("nowhere.txt")
