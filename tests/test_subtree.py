"""A project kept in a folder of its repository: the subtree view, probes over it, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_repo, make_tree

from verifier.cli import main
from verifier.engine.registry import probe_for
from verifier.findings import Outcome
from verifier.repo.snapshot import Snapshot, open_snapshot

REPORT = """\
## Overall project checklist

### Week 1

* [x] Create a git repository (M5)
* [x] Construct one or multiple docker files for your code (M10)
* [x] Get some continuous integration running on the GitHub repository (M17)
* [x] Setup version control for your data or part of your data (M8)
* [x] Add pre-commit hooks to your version control setup (M18)
* [ ] Write unit tests related to the data part of your code (M16)
"""

WORKFLOW = """\
name: tests
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r proj/requirements.txt
      - run: pytest proj/tests
"""

DOCKERFILE = "FROM python:3.11-slim\nCOPY src/ src/\nCMD python -u src/mnist_project/train.py\n"

POINTER = "outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  nfiles: 3\n  path: data\n"

PRECOMMIT = (
    "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.8.4\n"
    "    hooks:\n      - id: ruff\n"
)

PROJECT = {
    "README.md": "# course repository\n",
    "proj/reports/README.md": REPORT,
    "proj/src/mnist_project/__init__.py": "",
    "proj/src/mnist_project/train.py": "print('train')\n",
    "proj/dockerfiles/train.dockerfile": DOCKERFILE,
    "proj/requirements.txt": "torch\n",
    ".github/workflows/tests.yml": WORKFLOW,
    "proj/.github/workflows/x.yml": WORKFLOW,
}


def _open(tmp_path: Path, files: dict[str, str]) -> Snapshot:
    repo = make_repo(tmp_path, files, name="group")
    return open_snapshot(repo.working_tree_dir or "")


def _audit(tmp_path: Path, files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> dict:
    repo = make_repo(tmp_path, files, name="group")
    assert main(["audit", repo.working_tree_dir or "", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _by_id(data: dict) -> dict[str, dict]:
    return {f["id"]: f for f in data["findings"]}


# --------------------------------------------------------------------------- the view


def test_subtree_sees_project_files_without_the_prefix(tmp_path: Path) -> None:
    with _open(tmp_path, PROJECT) as outer:
        view = outer.subtree("proj")
        assert view.project_root == "proj"
        assert view.commit == outer.commit
        assert "src/mnist_project/train.py" in view.files()
        assert "reports/README.md" in view.files()
        assert not any(p.startswith("proj/") for p in view.files())
        assert "README.md" not in view.files()  # the repository's own README is outside
        assert view.text("src/mnist_project/train.py") == "print('train')\n"
        assert view.is_dir("src/mnist_project")


def test_repo_path_maps_back_to_repository_paths(tmp_path: Path) -> None:
    with _open(tmp_path, PROJECT) as outer:
        view = outer.subtree("proj")
        assert view.repo_path("src/mnist_project/train.py") == "proj/src/mnist_project/train.py"
        assert view.repo_path(".github/workflows/tests.yml") == ".github/workflows/tests.yml"


def test_root_github_stays_visible_and_nested_github_is_listed_as_ignored(tmp_path: Path) -> None:
    with _open(tmp_path, PROJECT) as outer:
        view = outer.subtree("proj")
        assert ".github/workflows/tests.yml" in view.files()
        assert view.text(".github/workflows/tests.yml") == WORKFLOW
        assert ".github/workflows/x.yml" not in view.files()
        assert view.ignored_github == ["proj/.github/workflows/x.yml"]
        assert outer.ignored_github == []


def test_root_files_that_only_work_at_the_git_root_stay_visible(tmp_path: Path) -> None:
    files = {
        **PROJECT,
        ".pre-commit-config.yaml": PRECOMMIT,
        ".gitattributes": "*.pt filter=lfs diff=lfs merge=lfs -text\n",
        ".dvc/config": "[core]\n",
        "docs/index.md": "# not part of the project folder\n",
    }
    with _open(tmp_path, files) as outer:
        view = outer.subtree("proj")
        for name in (".pre-commit-config.yaml", ".gitattributes", ".dvc/config"):
            assert name in view.files()
            assert view.repo_path(name) == name
        assert "docs/index.md" not in view.files()


def test_trailing_slash_in_prefix_is_accepted(tmp_path: Path) -> None:
    with _open(tmp_path, PROJECT) as outer:
        view = outer.subtree("proj/")
        assert view.project_root == "proj"
        assert view.repo_path("requirements.txt") == "proj/requirements.txt"


def test_subtree_of_a_plain_directory(tmp_path: Path) -> None:
    root = make_tree(tmp_path, PROJECT)
    with open_snapshot(root) as outer:
        view = outer.subtree("proj")
        assert view.commit is None
        assert "dockerfiles/train.dockerfile" in view.files()
        assert view.repo_path("dockerfiles/train.dockerfile") == "proj/dockerfiles/train.dockerfile"


def test_probes_over_the_view_use_the_root_workflows(tmp_path: Path) -> None:
    spec = probe_for("M17.ci")
    assert spec is not None
    with _open(tmp_path, PROJECT) as outer:
        obs = spec.func(outer.subtree("proj"))
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == (
        ".github/workflows/tests.yml",
        9,
        "- run: pytest proj/tests",
    )


def test_probe_over_the_view_sees_project_dockerfile_at_project_path(tmp_path: Path) -> None:
    spec = probe_for("M10.dockerfiles")
    assert spec is not None
    with _open(tmp_path, PROJECT) as outer:
        view = outer.subtree("proj")
        obs = spec.func(view)
        assert obs.outcome is Outcome.FOUND
        ev = obs.evidence[0]
        assert (ev.path, ev.line, ev.text) == (
            "dockerfiles/train.dockerfile",
            1,
            "FROM python:3.11-slim",
        )
        assert view.repo_path(ev.path) == "proj/dockerfiles/train.dockerfile"


# --------------------------------------------------------------------------- the CLI


def test_cli_audits_the_folder_and_reports_repository_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _audit(tmp_path, PROJECT, capsys)
    assert data["snapshot"]["project_root"] == "proj"
    assert data["report"]["path"] == "proj/reports/README.md"
    found = _by_id(data)
    docker = found["M10.dockerfiles"]
    assert docker["verdict"] == "verified"
    assert docker["line"] == 6  # the report's own line
    assert [(e["path"], e["line"], e["text"]) for e in docker["evidence"]] == [
        ("proj/dockerfiles/train.dockerfile", 1, "FROM python:3.11-slim")
    ]
    ci = found["M17.ci"]
    assert ci["verdict"] == "verified"
    assert ci["evidence"][0]["path"] == ".github/workflows/tests.yml"
    every_path = [e["path"] for f in data["findings"] for e in f["evidence"]]
    assert all(p.startswith(("proj/", ".github/", ".git")) for p in every_path), every_path


def test_cli_flags_workflows_only_in_the_project_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {k: v for k, v in PROJECT.items() if k != ".github/workflows/tests.yml"}
    ci = _by_id(_audit(tmp_path, files, capsys))["M17.ci"]
    assert ci["verdict"] == "weak"
    assert "never runs" in ci["summary"]
    assert [e["path"] for e in ci["evidence"]] == ["proj/.github/workflows/x.yml"]


def test_cli_with_report_at_the_root_audits_the_whole_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "reports/README.md": REPORT,
        "dockerfiles/train.dockerfile": DOCKERFILE,
        "src/mnist_project/__init__.py": "",
    }
    data = _audit(tmp_path, files, capsys)
    assert data["snapshot"]["project_root"] == ""
    docker = _by_id(data)["M10.dockerfiles"]
    assert docker["evidence"][0]["path"] == "dockerfiles/train.dockerfile"


def test_cli_dvc_initialised_in_the_project_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {**PROJECT, "proj/.dvc/config": "[core]\n", "proj/data.dvc": POINTER}
    dvc = _by_id(_audit(tmp_path, files, capsys))["M8.data-version-control"]
    assert dvc["verdict"] == "verified"
    assert dvc["evidence"][0]["path"] == "proj/data.dvc"


def test_cli_dvc_initialised_at_the_git_root_counts_for_a_project_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {**PROJECT, ".dvc/config": "[core]\n", ".dvcignore": "", "proj/data.dvc": POINTER}
    dvc = _by_id(_audit(tmp_path, files, capsys))["M8.data-version-control"]
    assert dvc["verdict"] == "verified"
    assert dvc["evidence"][0]["path"] == "proj/data.dvc"


def test_cli_root_pre_commit_config_counts_for_a_project_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {**PROJECT, ".pre-commit-config.yaml": PRECOMMIT}
    pre = _by_id(_audit(tmp_path, files, capsys))["M18.pre-commit"]
    assert pre["verdict"] == "verified"
    assert pre["evidence"][0]["path"] == ".pre-commit-config.yaml"


def test_cli_with_report_option_pointing_into_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path, PROJECT, name="group")
    target = repo.working_tree_dir or ""
    assert main(["audit", target, "--report", "proj/reports/README.md", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["snapshot"]["project_root"] == "proj"
    docker = _by_id(data)["M10.dockerfiles"]
    assert docker["evidence"][0]["path"] == "proj/dockerfiles/train.dockerfile"


@pytest.mark.parametrize("prefix", ["Group 12", "courses/mlops"])
def test_cli_folder_with_spaces_or_two_levels_deep(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], prefix: str
) -> None:
    files = {
        f"{prefix}/reports/README.md": REPORT,
        f"{prefix}/dockerfiles/train.dockerfile": DOCKERFILE,
        f"{prefix}/src/mnist_project/__init__.py": "",
        ".github/workflows/tests.yml": WORKFLOW,
    }
    data = _audit(tmp_path, files, capsys)
    assert data["snapshot"]["project_root"] == prefix
    docker = _by_id(data)["M10.dockerfiles"]
    assert docker["evidence"][0]["path"] == f"{prefix}/dockerfiles/train.dockerfile"


def test_ci_claims_with_workflows_only_in_the_project_folder_are_unverifiable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {k: v for k, v in PROJECT.items() if k != ".github/workflows/tests.yml"}
    files["proj/reports/README.md"] = REPORT + (
        "\n### Question 11\n\n> **Discuss your continuous integration setup.**\n>\n"
        "> Answer:\n\nOur workflow runs the unit tests on Ubuntu and Windows.\n"
    )
    claims = [c for c in _audit(tmp_path, files, capsys)["claims"] if c["kind"] == "ci-os"]
    assert [c["value"] for c in claims] == ["linux", "windows"]
    assert {c["verdict"] for c in claims} == {"unverifiable"}
    assert "never runs" in claims[0]["why"]
