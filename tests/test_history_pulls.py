"""Pull-request merges, merge commits, merged branch names and GitHub's pull refs read from the
history of small real repositories."""

from __future__ import annotations

from pathlib import Path

import git
from conftest import (
    ISOLATED_GIT_ENV,
    checkout,
    commit_files,
    create_branch,
    make_bare,
    make_repo,
    merge,
)

from verifier.repo import open_snapshot
from verifier.repo.history import HistoryFacts, PullMerge

BOB = ("Bob", "bob@example.com")
GITHUB = ("GitHub", "noreply@github.com")
DEPENDABOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


def _feature(repo: git.Repo, branch: str, path: str, message: str) -> str:
    """A commit on a new branch ``branch`` merged back into main with ``message``."""
    create_branch(repo, branch, checkout=True)
    commit_files(repo, {path: "x\n"}, author=BOB, message=f"work on {branch}")
    checkout(repo, "main")
    return merge(repo, branch, message=message, author=BOB)


def _pull_repo(tmp_path: Path) -> git.Repo:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    _feature(repo, "feature", "a.py", "Merge pull request #3 from a/feature")
    commit_files(repo, {"b.py": "b\n"}, message="Add x (#4)", author=BOB, committer=GITHUB)
    _feature(repo, "fix-api", "c.py", "Merge branch 'fix-api'")
    commit_files(repo, {"d.py": "d\n"}, message="Merge branch 'main' of github.com:o/r")
    return repo


def test_pull_merges_and_squashes_are_read_from_subjects(tmp_path: Path) -> None:
    hist = open_snapshot(_pull_repo(tmp_path).working_tree_dir).history
    assert hist.merge_commits == 2
    assert [(m.number, m.how, m.branch) for m in hist.pull_merges] == [
        (3, "merge", "feature"),
        (4, "squash", ""),
    ]
    squash = hist.pull_merges[1]
    assert squash.by_github and squash.author == "Bob" and not squash.bot
    assert squash.subject == "Add x (#4)" and len(squash.sha) == 40
    assert not hist.pull_merges[0].by_github  # merged on the command line, not by GitHub


def test_merged_branch_names_skip_trunk_and_pulls(tmp_path: Path) -> None:
    hist = open_snapshot(_pull_repo(tmp_path).working_tree_dir).history
    # "Merge branch 'main' of github.com:o/r" is a single-parent commit here and a git pull in
    # real life: neither names a branch of work.
    assert hist.merged_branches == ["feature", "fix-api"]
    assert hist.to_dict()["merged_branches"] == ["feature", "fix-api"]
    assert hist.to_dict()["pull_merges"][0]["number"] == 3  # type: ignore[index]


def test_merge_of_main_into_a_branch_names_the_branch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    create_branch(repo, "dev", checkout=True)
    commit_files(repo, {"a.py": "a\n"})
    checkout(repo, "main")
    commit_files(repo, {"b.py": "b\n"})
    checkout(repo, "dev")
    merge(repo, "main", message="Merge branch 'main' into dev")
    checkout(repo, "main")
    merge(repo, "dev", message="Merge remote-tracking branch 'origin/main'")
    hist = open_snapshot(repo.working_tree_dir, ref="main").history
    assert hist.merged_branches == ["dev"]
    assert hist.pull_merges == []
    assert hist.merge_commits == 2


def test_bot_pull_requests_are_marked(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    _feature(
        repo,
        "dependabot/pip/torch-2.2",
        "r.txt",
        "Merge pull request #7 from o/dependabot/pip/torch-2.2",
    )
    commit_files(repo, {"s.txt": "1\n"}, message="Bump numpy from 1 to 2 (#8)", author=DEPENDABOT)
    hist = open_snapshot(repo.working_tree_dir).history
    assert [(m.number, m.bot) for m in hist.pull_merges] == [(7, True), (8, True)]
    assert hist.people_pull_merges() == []
    assert hist.merged_branches == []


def test_traps_are_not_pull_requests(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    commit_files(repo, {"a": "1"}, message='Revert "Add x (#4)"')
    commit_files(repo, {"b": "1"}, message="Merge pull request #9 from o/x")  # not a merge
    commit_files(repo, {"c": "1"}, message="See issue (#12) for details")
    hist = open_snapshot(repo.working_tree_dir).history
    assert hist.pull_merges == []
    assert hist.merge_commits == 0


def test_one_entry_per_number_the_oldest(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    commit_files(repo, {"a": "1"}, message="Add a (#5)")
    commit_files(repo, {"b": "1"}, message="Follow-up of a (#5)")
    hist = open_snapshot(repo.working_tree_dir).history
    assert [m.subject for m in hist.pull_merges] == ["Add a (#5)"]


def test_pull_refs_of_a_mirror(tmp_path: Path) -> None:
    repo = _pull_repo(tmp_path)
    sha = repo.head.commit.hexsha
    bare = make_bare(repo, tmp_path / "mirror.git")
    bare_repo = git.Repo(bare)
    for n in (3, 11):
        bare_repo.git.update_ref(f"refs/pull/{n}/head", sha, env=ISOLATED_GIT_ENV)
    bare_repo.git.update_ref("refs/pull/11/merge", sha, env=ISOLATED_GIT_ENV)
    bare_repo.close()
    checkout(repo, "main")
    bot_sha = commit_files(repo, {"r.txt": "2\n"}, message="Bump x (#12)", author=DEPENDABOT)
    git.Repo(bare).git.fetch(
        repo.working_tree_dir, f"{bot_sha}:refs/pull/12/head", env=ISOLATED_GIT_ENV
    )
    assert "refs/pull/12/head" in git.Repo(bare).git.for_each_ref("refs/pull")
    hist = open_snapshot(bare).history
    assert hist.pull_refs == [3, 11]  # #12 was opened by dependabot
    assert "pull/3/head" not in hist.branches


def test_plain_history_defaults() -> None:
    hist = HistoryFacts()
    assert hist.pull_merges == [] and hist.merge_commits == 0 and hist.pull_refs == []
    assert PullMerge(1, "s", "t", "merge", "a").bot is False
