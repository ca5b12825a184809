"""History facts (commits, authors, dates, branches) and files found only on other branches."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import git
from conftest import (
    ISOLATED_GIT_ENV,
    checkout,
    commit_files,
    create_branch,
    make_repo,
    make_tree,
)

from verifier.repo import AuthorStat, HistoryFacts, open_snapshot

ADA = ("Ada Lovelace", "ada@example.com")
BOB = ("Bob", "bob@example.com")
CY = ("Cy", "cy@example.com")


def _team_repo(tmp_path: Path) -> git.Repo:
    repo = make_repo(tmp_path, {"README.md": "x\n"}, author=ADA, date="2026-01-02T09:00:00+01:00")
    commit_files(repo, {"a.py": "a\n"}, author=BOB, date="2026-01-03T10:00:00+00:00")
    commit_files(repo, {"b.py": "b\n"}, author=BOB, date="2026-01-04T10:00:00+00:00")
    commit_files(repo, {"c.py": "c\n"}, author=ADA, date="2026-01-05T10:00:00+00:00")
    commit_files(repo, {"d.py": "d\n"}, author=BOB, date="2026-01-06T10:00:00+00:00")
    return repo


def test_authors_counts_and_dates(tmp_path: Path) -> None:
    repo = _team_repo(tmp_path)
    hist = open_snapshot(repo.working_tree_dir).history
    assert hist.available
    assert hist.commit_count == 5
    assert hist.authors == [AuthorStat("Bob", "bob@example.com", 3), AuthorStat(*ADA, 2)]
    assert hist.first_commit_date == datetime(2026, 1, 2, 8, tzinfo=UTC)
    assert hist.first_commit_date.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert hist.last_commit_date == datetime(2026, 1, 6, 10, tzinfo=UTC)
    assert hist.branches == []
    assert not hist.shallow
    as_dict = hist.to_dict()
    assert as_dict["commit_count"] == 5
    assert as_dict["authors"][0] == {"name": "Bob", "email": "bob@example.com", "commits": 3}  # type: ignore[index]


def test_history_is_that_of_the_audited_commit(tmp_path: Path) -> None:
    repo = _team_repo(tmp_path)
    deadline = datetime(2026, 1, 4, 12, tzinfo=UTC)
    snap = open_snapshot(repo.working_tree_dir, deadline=deadline)
    assert snap.commits_after_deadline == 2
    hist = snap.history
    assert hist.commit_count == 3
    assert hist.authors == [AuthorStat("Bob", "bob@example.com", 2), AuthorStat(*ADA, 1)]
    assert hist.last_commit_date == datetime(2026, 1, 4, 10, tzinfo=UTC)


def test_mailmap_merges_author_identities(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a": "1"}, author=("bob", "bob@laptop.local"))
    commit_files(
        repo,
        {".mailmap": "Bob <bob@example.com> bob <bob@laptop.local>\n"},
        author=BOB,
    )
    hist = open_snapshot(repo.working_tree_dir).history
    assert hist.authors == [AuthorStat("Bob", "bob@example.com", 2)]


def test_plain_directory_has_empty_history(tmp_path: Path) -> None:
    snap = open_snapshot(make_tree(tmp_path, {"a": "1"}))
    assert snap.history == HistoryFacts()
    assert not snap.history.available
    assert snap.branches_holding("a") == []


def _branchy_repo(tmp_path: Path) -> git.Repo:
    repo = make_repo(tmp_path, {"README.md": "x\n", "src/app.py": "a\n"})
    create_branch(repo, "dvc-setup", checkout=True)
    commit_files(repo, {".dvc/config": "[core]\n", "data.dvc": "outs: []\n"})
    checkout(repo, "main")
    create_branch(repo, "ci", checkout=True)
    commit_files(repo, {".github/workflows/tests.yml": "on: push\n"})
    checkout(repo, "main")
    create_branch(repo, "same-as-main")  # same tip as main: never a "holding" branch
    return repo


def test_branches_and_branches_holding(tmp_path: Path) -> None:
    repo = _branchy_repo(tmp_path)
    snap = open_snapshot(repo.working_tree_dir)
    assert snap.history.branches == ["ci", "dvc-setup", "same-as-main"]
    assert snap.branches_holding(".dvc/config") == ["dvc-setup"]
    assert snap.branches_holding(".dvc") == ["dvc-setup"]  # a directory
    assert snap.branches_holding(".github/workflows/") == ["ci"]
    assert snap.branches_holding("src/app.py") == []  # the audited commit has it
    assert snap.branches_holding("src") == []
    assert snap.branches_holding("nowhere.txt") == []
    assert snap.branches_holding("") == []


def test_branches_holding_from_another_audited_branch(tmp_path: Path) -> None:
    repo = _branchy_repo(tmp_path)
    snap = open_snapshot(repo.working_tree_dir, ref="dvc-setup")
    assert snap.ref == "dvc-setup"
    assert snap.history.branches == ["ci", "main", "same-as-main"]
    assert snap.branches_holding(".dvc/config") == []
    assert snap.branches_holding(".github/workflows/tests.yml") == ["ci"]


def test_remote_tracking_branches_of_a_clone(tmp_path: Path) -> None:
    origin = _branchy_repo(tmp_path)
    dest = tmp_path / "checkout"
    clone = git.Repo.clone_from(origin.working_tree_dir, dest, env=ISOLATED_GIT_ENV)
    clone.close()
    snap = open_snapshot(dest)
    assert snap.kind == "worktree" and snap.ref == "main"
    # origin/main is the audited branch as the remote saw it; origin/HEAD is a pointer
    assert snap.history.branches == ["origin/ci", "origin/dvc-setup", "origin/same-as-main"]
    assert snap.branches_holding(".dvc/config") == ["origin/dvc-setup"]


def test_shallow_clone_is_flagged(tmp_path: Path) -> None:
    origin = _team_repo(tmp_path)
    dest = tmp_path / "shallow"
    url = Path(origin.working_tree_dir or "").as_uri()
    git.Repo.clone_from(url, dest, depth=2, env=ISOLATED_GIT_ENV).close()
    hist = open_snapshot(dest).history
    assert hist.shallow
    assert hist.commit_count == 2


def test_path_log_lists_commits_that_touched_a_path(tmp_path: Path) -> None:
    repo = _team_repo(tmp_path)
    commit_files(
        repo, {"a.py": "a2\n"}, author=ADA, message="tweak a", date="2026-01-07T10:00:00+00:00"
    )
    snap = open_snapshot(repo.working_tree_dir)
    log = snap.path_log("a.py")
    assert [(c.author, c.subject) for c in log] == [("Ada Lovelace", "tweak a"), ("Bob", "update")]
    assert log[0].date == datetime(2026, 1, 7, 10, tzinfo=UTC)
    assert len(snap.path_log("a.py", max_count=1)) == 1
    assert snap.path_log("nothing-*") == []  # literal, not a pathspec glob
    assert open_snapshot(make_tree(tmp_path, {"a.py": "x"})).path_log("a.py") == []


def test_added_after_deadline(tmp_path: Path) -> None:
    repo = _team_repo(tmp_path)
    tip = repo.head.commit.hexsha
    snap = open_snapshot(repo.working_tree_dir, deadline=datetime(2026, 1, 4, 12, tzinfo=UTC))
    assert snap.tip_commit == tip != snap.commit
    assert snap.added_after_deadline("c.py")  # committed on Jan 5
    assert not snap.added_after_deadline("a.py")  # already there
    assert not snap.added_after_deadline("never.py")
    # without a deadline nothing is "after"
    assert not open_snapshot(repo.working_tree_dir).added_after_deadline("c.py")
