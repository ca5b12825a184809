"""M5 probes: the code in a git repository; write access (a GitHub setting)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import git
from conftest import commit_files, create_branch, make_bare, make_repo, make_tree

from verifier.engine.registry import probe_for
from verifier.findings import Observation, Outcome
from verifier.github.facts_model import Collaborator, RepoFacts
from verifier.repo.snapshot import open_snapshot

BOB = ("Bob Builder", "bob@example.com")
CARO = ("Caro Chen", "caro@example.com")


def _run(item_id: str, target: Path | str, **kwargs: str) -> Observation:
    spec = probe_for(item_id)
    assert spec is not None
    with open_snapshot(target, **kwargs) as snap:  # type: ignore[arg-type]
        return spec.func(snap)


def _team_repo(tmp_path: Path) -> git.Repo:
    repo = make_repo(tmp_path, {"README.md": "# mnist\n"}, name="team")
    commit_files(repo, {"src/data.py": "x = 1\n"}, author=BOB, date="2026-01-06T10:00:00+00:00")
    commit_files(repo, {"src/model.py": "y = 2\n"}, author=BOB, date="2026-01-07T10:00:00+00:00")
    commit_files(repo, {"tests/t.py": "z = 3\n"}, author=CARO, date="2026-01-08T10:00:00+00:00")
    return repo


def test_plain_directory_is_not_verifiable(tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"README.md": "# project\n", "src/data.py": "x = 1\n"})
    obs = _run("M5.git-repository", root)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert "read from a directory, not from a commit" in obs.summary
    assert obs.evidence == []


def test_git_repository_is_found_with_commit_count_and_authors(tmp_path: Path) -> None:
    repo = _team_repo(tmp_path)
    sha = repo.head.commit.hexsha
    obs = _run("M5.git-repository", Path(repo.working_tree_dir or ""))
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == f"git repository at main ({sha[:12]})"
    [ev] = obs.evidence
    assert ev.path == ".git" and ev.line is None
    assert ev.text == f"commit {sha[:12]}: 4 commits by 3 authors"
    assert "Bob Builder (2)" in ev.why
    assert "Ada Lovelace (1)" in ev.why and "Caro Chen (1)" in ev.why


def test_history_is_counted_at_the_audited_ref_only(tmp_path: Path) -> None:
    repo = _team_repo(tmp_path)
    create_branch(repo, "feature", checkout=True)
    commit_files(repo, {"extra.py": "e = 1\n"}, author=CARO, date="2026-01-09T10:00:00+00:00")
    obs = _run("M5.git-repository", Path(repo.working_tree_dir or ""), ref="main")
    assert obs.outcome is Outcome.FOUND
    assert "at main" in obs.summary
    assert "4 commits by 3 authors" in obs.evidence[0].text


def test_write_access_is_never_decided_offline_but_points_at_authors(tmp_path: Path) -> None:
    repo = _team_repo(tmp_path)
    obs = _run("M5.write-access", Path(repo.working_tree_dir or ""))
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert "repository setting" in obs.summary
    [ev] = obs.evidence
    assert "3 authors" in ev.text and "Caro Chen (1)" in ev.why


def test_write_access_on_plain_directory_has_no_evidence(tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"README.md": "x\n"})
    obs = _run("M5.write-access", root)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert obs.evidence == []


def test_single_author_single_commit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"main.py": "print(1)\n"}, name="solo")
    obs = _run("M5.git-repository", Path(repo.working_tree_dir or ""))
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].text.endswith(": 1 commits by 1 authors")
    assert obs.evidence[0].why == "authors: Ada Lovelace (1)"


def test_bare_clone_is_found_too(tmp_path: Path) -> None:
    repo = _team_repo(tmp_path)
    bare = make_bare(repo, tmp_path / "team.git")
    obs = _run("M5.git-repository", bare)
    assert obs.outcome is Outcome.FOUND
    assert "4 commits by 3 authors" in obs.evidence[0].text


def test_deadline_counts_only_commits_before_it(tmp_path: Path) -> None:
    repo = _team_repo(tmp_path)
    spec = probe_for("M5.git-repository")
    assert spec is not None
    deadline = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)
    with open_snapshot(repo.working_tree_dir or "", deadline=deadline) as snap:
        obs = spec.func(snap)
    assert obs.outcome is Outcome.FOUND
    [ev] = obs.evidence
    assert ev.text.endswith(": 3 commits by 2 authors")
    assert "Caro Chen" not in ev.why


def test_mailmap_merges_one_person_under_two_emails(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a.txt": "1\n"}, name="mm")
    commit_files(repo, {".mailmap": "Ada Lovelace <ada@example.com> <ada@old.example.com>\n"})
    commit_files(repo, {"b.txt": "2\n"}, author=("Ada L", "ada@old.example.com"))
    obs = _run("M5.git-repository", Path(repo.working_tree_dir or ""))
    assert obs.evidence[0].text.endswith(": 3 commits by 1 authors")
    assert obs.evidence[0].why == "authors: Ada Lovelace (3)"


def test_bots_are_not_counted_as_authors(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a.txt": "1\n"}, name="bots")
    dependabot = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
    actions = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
    commit_files(repo, {"b.txt": "2\n"}, author=dependabot)
    commit_files(repo, {"c.txt": "3\n"}, author=actions)
    obs = _run("M5.write-access", Path(repo.working_tree_dir or ""))
    assert "by 1 authors" in obs.evidence[0].text


# ---------------------------------------------------------------------------- with GitHub facts


def _write_access(tmp_path: Path, facts: RepoFacts) -> Observation:
    repo = _team_repo(tmp_path)
    spec = probe_for("M5.write-access")
    assert spec is not None
    with open_snapshot(repo.working_tree_dir or "") as snap:
        snap.github = facts
        return spec.func(snap)


def _collaborators(*pairs: tuple[str, str]) -> list[Collaborator]:
    return [Collaborator(login, permission) for login, permission in pairs]


TEAM = _collaborators(
    ("ada", "admin"), ("bob", "write"), ("caro", "maintain"), ("dependabot[bot]", "write")
)


def test_write_access_found_when_every_member_can_push(tmp_path: Path) -> None:
    obs = _write_access(tmp_path, RepoFacts("o/r", group_size=3, collaborators=TEAM))
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "3 people can push; the group has 3 members"
    [ev] = obs.evidence
    assert ev.path == "https://github.com/o/r/settings/access" and ev.line is None
    assert ev.text == "3 people can push: ada (admin), bob (write), caro (maintain)"


def test_write_access_partial_when_fewer_than_the_group(tmp_path: Path) -> None:
    people = [*TEAM[:2], Collaborator("dan", "read"), Collaborator("eve", "triage")]
    obs = _write_access(tmp_path, RepoFacts("o/r", group_size=4, collaborators=people))
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "only 2 people can push to the repository; the group has 4 members"
    assert obs.evidence[0].text == "2 people can push: ada (admin), bob (write)"
    assert "3 authors" in obs.evidence[1].text  # the commit authors as a pointer


def test_write_access_without_group_size(tmp_path: Path) -> None:
    found_obs = _write_access(tmp_path, RepoFacts("o/r", collaborators=TEAM))
    assert found_obs.outcome is Outcome.FOUND
    assert "group size unknown" in found_obs.summary
    solo = _write_access(tmp_path / "solo", RepoFacts("o/r", collaborators=TEAM[:1]))
    assert solo.outcome is Outcome.PARTIAL


def test_write_access_collaborators_unreadable_stays_manual(tmp_path: Path) -> None:
    facts = RepoFacts("o/r", errors={"collaborators": "403: the token needs push access"})
    obs = _write_access(tmp_path, facts)
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert "403: the token needs push access" in obs.summary
    assert "3 authors" in obs.evidence[0].text
