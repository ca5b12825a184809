from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ISOLATED_GIT_ENV, make_repo

from verifier.batch.classlist import BatchEntry
from verifier.batch.cli import BATCH_COMMANDS, add_batch_parsers
from verifier.batch.merge import merge_outputs
from verifier.batch.outputs import load_records
from verifier.batch.runner import PlainProgress, run_batch
from verifier.batch.shard import parse_shard, select_shard, shard_of
from verifier.errors import InputError

REPORT = "## Overall project checklist\n\n* [x] Create a git repository (M5)\n"


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ISOLATED_GIT_ENV.items():
        monkeypatch.setenv(key, value)


def _entries(n: int) -> list[BatchEntry]:
    return [BatchEntry(f"https://github.com/course/group-{i:03d}.git") for i in range(n)]


def test_parse_shard() -> None:
    assert parse_shard("2/4") == (2, 4)
    assert parse_shard(" 1 / 1 ") == (1, 1)
    for bad in ("0/4", "5/4", "1/0", "a/b", "2", "-1/3"):
        with pytest.raises(InputError):
            parse_shard(bad)


def test_shards_partition_deterministically() -> None:
    entries = _entries(150)
    slices = [select_shard(entries, (i, 4)) for i in range(1, 5)]
    names = [e.name for part in slices for e in part]
    assert sorted(names) == sorted(e.name for e in entries)  # every one exactly once
    assert all(20 <= len(part) <= 55 for part in slices)  # roughly balanced
    # the same slice whatever the order of the list or the other groups in it
    shuffled = list(reversed(entries))[:100]
    again = {e.name for e in select_shard(shuffled, (3, 4))}
    assert again == {e.name for e in slices[2] if e in shuffled}
    assert shard_of(entries[0].key, 4) == shard_of(entries[0].key, 4)
    assert select_shard(entries, None) == entries


def _class(tmp_path: Path, n: int) -> list[BatchEntry]:
    entries = []
    for i in range(n):
        repo = make_repo(tmp_path, {"reports/README.md": REPORT}, name=f"g{i}")
        entries.append(BatchEntry(str(repo.working_tree_dir), group=str(i + 1)))
    return entries


def test_merge_combines_shards_and_reports_missing(tmp_path: Path) -> None:
    entries = _class(tmp_path, 5)
    entries.append(BatchEntry(str(tmp_path / "gone"), group="6"))
    shard_dirs = []
    for i in (1, 2):
        out = tmp_path / f"shard{i}"
        run_batch(entries, out, jobs=2, shard=(i, 2), progress=PlainProgress(io.StringIO()))
        shard_dirs.append(out)
    merged = merge_outputs(shard_dirs, tmp_path / "all")
    assert (merged.total, merged.ok, merged.failed, merged.missing) == (6, 5, 1, [])
    rows = list(csv.DictReader((tmp_path / "all" / "summary.csv").open()))
    assert [r["group"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert len(load_records(tmp_path / "all")) == 6
    assert len((tmp_path / "all" / "results.jsonl").read_text().splitlines()) == 6
    # a shard that stopped before finishing: its manifest names a repository without result
    victim = next(p for d in shard_dirs for p in sorted((d / "results").glob("*.json")))
    victim.unlink()
    partial = merge_outputs(shard_dirs, tmp_path / "partial")
    assert partial.total == 5 and len(partial.missing) == 1 and partial.exit_code == 1
    with pytest.raises(InputError, match="no batch results"):
        merge_outputs([tmp_path / "nothing"], tmp_path / "x")


def _run(argv: list[str]) -> int:
    """What ``verifier`` does with the batch commands added: InputError is exit code 2."""

    parser = argparse.ArgumentParser(prog="verifier")
    add_batch_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return BATCH_COMMANDS[args.command](args)
    except InputError:
        return 2


def test_cli_batch_and_merge_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entries = _class(tmp_path, 2)
    good = tmp_path / "good.txt"
    good.write_text("# class\n" + "".join(e.target + "\n" for e in entries))
    out = tmp_path / "out"
    assert (
        _run(["batch", str(good), "--out", str(out), "--jobs", "2", "--cache", str(tmp_path / "c")])
        == 0
    )
    assert "2 repositories: 2 audited, 0 failed" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(f"group_number,repo_url\n1,{entries[0].target}\n2,{tmp_path / 'none'}\n")
    assert _run(["batch", str(bad), "--out", str(tmp_path / "o2"), "--jobs", "1"]) == 1
    assert _run(["batch", str(good), "--out", str(out), "--shard", "3/2"]) == 2
    assert _run(["batch", str(good), "--out", str(out), "--deadline", "yesterday"]) == 2
    assert _run(["batch", str(tmp_path / "absent.csv"), "--out", str(out)]) == 2
    assert _run(["batch", "--out", str(out)]) == 2
    assert _run(["merge", str(out), str(tmp_path / "o2"), "--out", str(tmp_path / "m")]) == 1
    assert len(json.loads((tmp_path / "m" / "manifest.json").read_text())["entries"]) == 3
