"""Partial clones: files larger than the snapshot's limit stay on the server, the audit
never fetches them behind its back, and a clone whose server is gone still audits."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import git
import pytest

from verifier.repo.snapshot import open_snapshot
from verifier.repo.sources import clone_repository, is_partial_clone

BIG = 3_000_000


def _source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    repo = git.Repo.init(src)
    (src / "data.bin").write_bytes(bytes(range(256)) * (BIG // 256))
    (src / "train.py").write_text("import torch\nprint('train')\n")
    (src / "README.md").write_text("# project\n")
    repo.index.add(["data.bin", "train.py", "README.md"])
    repo.index.commit("initial")
    with repo.config_writer() as cfg:
        cfg.set_value("uploadpack", "allowFilter", "true")
        cfg.set_value("uploadpack", "allowAnySHA1InWant", "true")
    return src


def _missing(clone: Path) -> list[str]:
    out = subprocess.run(
        ["git", "--git-dir", str(clone), "rev-list", "--objects", "--missing=print", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
        env={"GIT_NO_LAZY_FETCH": "1", "PATH": "/usr/bin:/bin"},
    ).stdout
    return [line[1:] for line in out.splitlines() if line.startswith("?")]


def test_clone_with_a_blob_limit_leaves_the_big_file_on_the_server(tmp_path: Path) -> None:
    src = _source(tmp_path)
    dest, _cleanup = clone_repository(f"file://{src}", tmp_path / "cache" / "g1", 60, 2_000_000)
    repo = git.Repo(dest)
    assert is_partial_clone(repo)
    assert len(_missing(dest)) == 1

    snap = open_snapshot(str(dest))
    assert snap.text("train.py") == "import torch\nprint('train')\n"
    assert "data.bin" not in snap.files()
    assert snap.why_unreadable("data.bin") == "not in this partial clone (left on the server)"
    assert [s.path for s in snap.skipped] == ["data.bin"]
    assert snap.history.commit_count == 1
    snap.close()
    assert len(_missing(dest)) == 1  # reading the snapshot fetched nothing


def test_a_partial_clone_whose_server_is_gone_still_audits(tmp_path: Path) -> None:
    src = _source(tmp_path)
    dest, _cleanup = clone_repository(f"file://{src}", tmp_path / "cache" / "g2", 60, 2_000_000)
    shutil.rmtree(src)
    snap = open_snapshot(str(dest))
    assert snap.text("README.md") == "# project\n"
    assert snap.why_unreadable("data.bin") == "not in this partial clone (left on the server)"


def test_without_a_limit_the_clone_is_whole(tmp_path: Path) -> None:
    src = _source(tmp_path)
    dest, _cleanup = clone_repository(f"file://{src}", tmp_path / "cache" / "g3", 60)
    assert not is_partial_clone(git.Repo(dest))
    assert _missing(dest) == []
    snap = open_snapshot(str(dest))
    assert snap.why_unreadable("data.bin") == f"too large ({BIG // 256 * 256} bytes)"


def test_a_subtree_view_keeps_the_partial_clone_reason(tmp_path: Path) -> None:
    src = tmp_path / "src"
    repo = git.Repo.init(src)
    (src / "proj").mkdir()
    (src / "proj" / "big.bin").write_bytes(b"\1" * BIG)
    (src / "proj" / "a.py").write_text("x = 1\n")
    repo.index.add(["proj/big.bin", "proj/a.py"])
    repo.index.commit("c")
    with repo.config_writer() as cfg:
        cfg.set_value("uploadpack", "allowFilter", "true")
    dest, _cleanup = clone_repository(f"file://{src}", tmp_path / "c4", 60, 2_000_000)
    view = open_snapshot(str(dest)).subtree("proj")
    assert view.files() == ["a.py"]
    assert view.why_unreadable("big.bin") == "not in this partial clone (left on the server)"


def test_files_on_other_branches_of_a_partial_clone_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verifier.repo import history

    src = _source(tmp_path)
    repo = git.Repo(src)
    repo.git.checkout("-q", "-b", "other")
    (src / "data weird").mkdir()
    (src / "data weird" / "big file.bin").write_bytes(b"\2" * BIG)
    repo.index.add(["data weird/big file.bin"])
    repo.index.commit("big data on a branch")
    repo.git.checkout("-q", "master" if "master" in repo.heads else "main")
    dest, _cleanup = clone_repository(f"file://{src}", tmp_path / "cache" / "g5", 60, 2_000_000)
    shutil.rmtree(src)
    for limit in (10**9, 0):
        monkeypatch.setattr(history, "LISTING_LIMIT", limit)
        snap = open_snapshot(str(dest))
        assert snap.branches_holding("data weird/big file.bin") == ["other"], limit
        assert snap.branches_holding("data weird") == ["other"], limit
        assert snap.branches_holding("nowhere.bin") == [], limit


def test_the_no_fetch_setting_comes_after_the_environment_s_own_git_config() -> None:
    from verifier.repo.sources import no_lazy_fetch_env

    env = no_lazy_fetch_env(
        {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "safe.directory",
            "GIT_CONFIG_VALUE_0": "*",
        }
    )
    assert env == {
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_1": "protocol.allow",
        "GIT_CONFIG_VALUE_1": "never",
    }
    assert no_lazy_fetch_env({})["GIT_CONFIG_KEY_0"] == "protocol.allow"
