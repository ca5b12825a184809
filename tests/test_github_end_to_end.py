"""``--github`` end to end: ``verifier audit`` and ``verifier batch`` read facts from a fake
GitHub API on 127.0.0.1 (``GITHUB_API_URL``), clones of ``https://github.com/...`` URLs are
served from local bare repositories (git's ``url.<base>.insteadOf``), and the facts reach
the JSON result, the Markdown summary, ``summary.csv`` and the group page."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import make_bare, make_repo
from github_fake import FakeGitHubAPI, serve

from verifier.batch.classlist import read_class_list
from verifier.batch.dashboard import GROUPS_DIR
from verifier.batch.runner import PlainProgress, run_batch
from verifier.cli import main

REPORT = """\
## Overall project checklist

* [x] Create a git repository (M5)
* [x] Make sure that all team members have write access to the GitHub repository (M5)
"""


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Git reads ``https://github.com/<owner>/<name>`` from ``<remotes>/<owner>/<name>``."""

    remotes = tmp_path / "remotes"
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "{remotes.as_uri()}/"]\n\tinsteadOf = https://github.com/\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("GH_TOKEN", "test-token")
    return remotes


def _fake() -> FakeGitHubAPI:
    fake = FakeGitHubAPI()
    repo = fake.add_repo("course/group-1")
    for login, role in (("alice", "admin"), ("bob", "write"), ("carol", "write")):
        repo.add_collaborator(login, role)
    repo.add_contributor("alice", 30)
    repo.add_contributor("bob", 20)
    repo.add_pull("Add CI", "alice", merged=True, reviews=[("bob", "APPROVED")])
    other = fake.add_repo("course/group-2")
    other.add_collaborator("dave", "admin")
    other.add_collaborator("erin", "read")
    return fake


def test_audit_with_github_facts(
    git_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = make_repo(tmp_path, {"reports/README.md": REPORT}, name="work")
    fake = _fake()
    out = tmp_path / "result.json"
    with serve(fake) as api:
        monkeypatch.setenv("GITHUB_API_URL", api)
        argv = [
            "audit",
            str(work.working_tree_dir),
            "--github",
            "--repo",
            "course/group-1",
            "--group-size",
            "3",
            "--format",
            "json",
            "--output",
            str(out),
        ]
        assert main(argv) == 0
    data = json.loads(out.read_text())
    facts = data["github"]
    assert facts["full_name"] == "course/group-1"
    assert facts["writers"] == 3 and facts["group_size"] == 3
    assert facts["pulls"]["merged"] == 1 and facts["pulls"]["reviewed"] == 1
    assert fake.log and all("test-token" in (r.authorization or "") for r in fake.log)
    write = next(f for f in data["findings"] if f["id"] == "M5.write-access")
    assert write["verdict"] in ("verified", "manual")  # decided by the probe from the facts


def test_audit_github_needs_a_repository_name(
    git_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = make_repo(tmp_path, {"reports/README.md": REPORT}, name="work")
    assert main(["audit", str(work.working_tree_dir), "--github"]) == 2
    assert "--repo owner/name" in capsys.readouterr().err
    assert main(["audit", str(work.working_tree_dir), "--github", "--repo", "not a name"]) == 2


def test_batch_with_github_facts(
    git_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("group-1", "group-2"):
        src = make_repo(tmp_path, {"reports/README.md": REPORT}, name=f"src-{name}")
        make_bare(src, git_env / "course" / name)
    class_list = tmp_path / "group_info.csv"
    class_list.write_text(
        "group_number,student_1,student_2,student_3,student_4,student_5,repo_url\n"
        "1,s1,s2,s3,,,https://github.com/course/group-1\n"
        "2,s4,s5,,,,https://github.com/course/group-2\n"
    )
    fake = _fake()
    out = tmp_path / "out"
    with serve(fake) as api:
        monkeypatch.setenv("GITHUB_API_URL", api)
        summary = run_batch(
            read_class_list(str(class_list)),
            out,
            jobs=2,
            cache_dir=tmp_path / "cache",
            github=True,
            progress=PlainProgress(io.StringIO()),
        )
    assert (summary.ok, summary.failed) == (2, 0)
    rows = {r["group"]: r for r in csv.DictReader((out / "summary.csv").open())}
    assert (rows["1"]["github_writers"], rows["2"]["github_writers"]) == ("3", "1")
    assert rows["1"]["github_pull_requests"] == "1"
    record = json.loads(next((out / "results").glob("*group-2*.json")).read_text())
    assert record["result"]["github"]["group_size"] == 2
    page = next(p for p in (out / GROUPS_DIR).glob("*.html") if "group-1" in p.name)
    assert "3 can push (group of 3)" in page.read_text()


def test_a_hanging_api_costs_the_facts_not_the_audit(
    git_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verifier.batch.classlist import BatchEntry
    from verifier.batch.runner import github_facts

    fake = _fake()
    fake.hang(5.0, times=None)
    with serve(fake) as api:
        monkeypatch.setenv("GITHUB_API_URL", api)
        facts = github_facts(BatchEntry("https://github.com/course/group-1"), seconds=0.5)
    assert facts is not None and facts.collaborators is None
    assert "github facts exceeded its budget of 0.5 s" in facts.errors["repository"]
