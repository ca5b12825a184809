"""Claim checks for what Q11 says about CI: OSes, Pythons, caching, linting, workflow files."""

from __future__ import annotations

from pathlib import Path

from conftest import commit_files, make_repo
from probe_helpers import snapshot_of

from probes.claims_ci import (
    check_ci_caching,
    check_ci_linting,
    check_ci_os,
    check_ci_python,
    check_workflow_count,
    check_workflow_file,
    minor_of,
)
from verifier.claims.model import Claim
from verifier.engine.registry import claim_check_for
from verifier.findings import ClaimVerdict
from verifier.repo.snapshot import open_snapshot
from verifier.report.model import ChecklistItem, Report, Tick
from verifier.report.parse import parse_report

REPORT = parse_report("# Report\n")

TESTS_WF = """\
name: tests
on:
  push:
  pull_request:
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
        python-version: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
          cache: pip
      - run: pip install -r requirements.txt
      - run: pytest tests
"""

LINT_WF = """\
name: lint
on: workflow_dispatch
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install ruff
      - run: ruff check .
      - run: pre-commit run --all-files
"""

PRE_COMMIT = """\
repos:
  - repo: https://github.com/pycqa/isort
    rev: 5.13.2
    hooks:
      - id: isort
"""


def _claim(kind: str, value: object, **kw: object) -> Claim:
    fields: dict[str, object] = {"kind": kind, "question": 11, "line": 30, "quote": ""}
    fields.update(kw)
    return Claim(value=value, **fields)  # type: ignore[arg-type]


def _snap(tmp_path: Path, extra: dict[str, str] | None = None):
    files = {".github/workflows/tests.yaml": TESTS_WF, ".github/workflows/lint.yml": LINT_WF}
    files.update(extra or {})
    return snapshot_of(tmp_path, files)


def test_os_in_matrix_is_consistent_and_missing_os_is_not(tmp_path: Path) -> None:
    snap = _snap(tmp_path)
    result = check_ci_os(_claim("ci-os", "windows"), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert result.evidence[0].path == ".github/workflows/tests.yaml"
    assert result.evidence[0].line == 9
    assert result.evidence[0].text == "matrix:"
    mac = check_ci_os(_claim("ci-os", "macos"), snap, REPORT)
    assert mac.verdict is ClaimVerdict.INCONSISTENT
    assert mac.observed == "runners: Linux (ubuntu), Windows"


def test_negated_os(tmp_path: Path) -> None:
    snap = _snap(tmp_path)
    no_mac = check_ci_os(_claim("ci-os", "macos", negated=True), snap, REPORT)
    assert no_mac.verdict is ClaimVerdict.CONSISTENT
    no_win = check_ci_os(_claim("ci-os", "windows", negated=True), snap, REPORT)
    assert no_win.verdict is ClaimVerdict.INCONSISTENT


def test_unresolved_runner_makes_a_missing_os_unverifiable(tmp_path: Path) -> None:
    wf = "on: push\njobs:\n  t:\n    runs-on: ${{ inputs.os }}\n    steps:\n      - run: pytest\n"
    snap = snapshot_of(tmp_path, {".github/workflows/t.yml": wf})
    result = check_ci_os(_claim("ci-os", "macos"), snap, REPORT)
    assert result.verdict is ClaimVerdict.UNVERIFIABLE


def test_python_versions(tmp_path: Path) -> None:
    snap = _snap(tmp_path)
    assert (
        check_ci_python(_claim("ci-python", "3.12"), snap, REPORT).verdict
        is ClaimVerdict.CONSISTENT
    )
    result = check_ci_python(_claim("ci-python", "3.10"), snap, REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert result.observed == "Python 3.11, 3.12"


def test_unquoted_three_ten_is_three_one(tmp_path: Path) -> None:
    wf = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
        "        python-version: [3.10]\n    steps:\n      - uses: actions/setup-python@v5\n"
        "        with:\n          python-version: ${{ matrix.python-version }}\n"
    )
    snap = snapshot_of(tmp_path, {".github/workflows/t.yml": wf})
    result = check_ci_python(_claim("ci-python", "3.10"), snap, REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert "YAML number" in result.why


def test_no_python_named_is_unverifiable(tmp_path: Path) -> None:
    wf = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    snap = snapshot_of(tmp_path, {".github/workflows/t.yml": wf})
    result = check_ci_python(_claim("ci-python", "3.12"), snap, REPORT)
    assert result.verdict is ClaimVerdict.UNVERIFIABLE


def test_minor_of() -> None:
    assert minor_of("3.12.1") == "3.12"
    assert minor_of("3.x") is None
    assert minor_of("pypy3.9") is None


def test_caching(tmp_path: Path) -> None:
    snap = _snap(tmp_path)
    result = check_ci_caching(_claim("ci-caching", True), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert (result.evidence[0].path, result.evidence[0].line) == (
        ".github/workflows/tests.yaml",
        17,
    )
    denied = check_ci_caching(_claim("ci-caching", True, negated=True), snap, REPORT)
    assert denied.verdict is ClaimVerdict.UNVERIFIABLE  # lint.yml does not cache


def test_enable_cache_on_setup_python_caches_nothing(tmp_path: Path) -> None:
    wf = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/setup-python@v5\n        with:\n"
        "          python-version: '3.12'\n          enable-cache: true\n"
    )
    snap = snapshot_of(tmp_path, {".github/workflows/t.yml": wf})
    result = check_ci_caching(_claim("ci-caching", True), snap, REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert "no input enable-cache" in result.why
    assert result.evidence[0].line == 9


def test_setup_uv_v5_caches_by_default(tmp_path: Path) -> None:
    wf = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: astral-sh/setup-uv@v6\n      - run: uv sync\n"
    )
    snap = snapshot_of(tmp_path, {".github/workflows/t.yml": wf})
    result = check_ci_caching(_claim("ci-caching", True), snap, REPORT)
    assert result.verdict is ClaimVerdict.CONSISTENT


def test_linting_named_tool(tmp_path: Path) -> None:
    snap = _snap(tmp_path, {".pre-commit-config.yaml": PRE_COMMIT})
    ruff = check_ci_linting(_claim("ci-linting", "ruff"), snap, REPORT)
    assert ruff.verdict is ClaimVerdict.CONSISTENT
    assert (ruff.evidence[0].path, ruff.evidence[0].line) == (".github/workflows/lint.yml", 9)
    isort = check_ci_linting(_claim("ci-linting", "isort"), snap, REPORT)
    assert isort.verdict is ClaimVerdict.CONSISTENT  # a hook of the pre-commit run in CI
    mypy = check_ci_linting(_claim("ci-linting", "mypy"), snap, REPORT)
    assert mypy.verdict is ClaimVerdict.INCONSISTENT


def test_no_linting_claims(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {".github/workflows/tests.yaml": TESTS_WF})
    none = check_ci_linting(_claim("ci-linting", "linting", negated=True), snap, REPORT)
    assert none.verdict is ClaimVerdict.CONSISTENT
    local = check_ci_linting(
        _claim("ci-linting", "ruff", quote="ruff runs locally through pre-commit"), snap, REPORT
    )
    assert local.verdict is ClaimVerdict.UNVERIFIABLE


def test_workflow_count(tmp_path: Path) -> None:
    snap = _snap(tmp_path)
    two = check_workflow_count(_claim("workflow-count", 2), snap, REPORT)
    assert two.verdict is ClaimVerdict.CONSISTENT
    three = check_workflow_count(_claim("workflow-count", 3), snap, REPORT)
    assert three.verdict is ClaimVerdict.INCONSISTENT
    assert three.observed == "2 workflow files: lint.yml, tests.yaml"
    # one of the two runs on push: "one workflow" reads as the one that runs by itself
    one = check_workflow_count(_claim("workflow-count", 1), snap, REPORT)
    assert one.verdict is ClaimVerdict.CONSISTENT
    main = check_workflow_count(
        _claim("workflow-count", 2, quote="two main workflows"),
        _snap(tmp_path / "more", {".github/workflows/docs.yml": LINT_WF}),
        REPORT,
    )
    assert main.verdict is ClaimVerdict.CONSISTENT


def test_workflow_file(tmp_path: Path) -> None:
    snap = _snap(tmp_path, {"cloudbuild.yaml": "steps: []\n"})
    found = check_workflow_file(_claim("workflow-file", "tests.yaml"), snap, REPORT)
    assert found.verdict is ClaimVerdict.CONSISTENT
    assert found.evidence[0].path == ".github/workflows/tests.yaml"
    other_ext = check_workflow_file(_claim("workflow-file", "lint.yaml"), snap, REPORT)
    assert other_ext.verdict is ClaimVerdict.CONSISTENT
    assert "extension differs" in other_ext.why
    absent = check_workflow_file(_claim("workflow-file", "cloudbuild.yaml"), snap, REPORT)
    assert absent.verdict is ClaimVerdict.INCONSISTENT
    assert "which GitHub does not run" in absent.observed
    bare = check_workflow_file(_claim("workflow-file", ".yml"), snap, REPORT)
    assert bare.verdict is ClaimVerdict.UNVERIFIABLE


def test_no_workflows_at_all(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"README.md": "# p\n"})
    result = check_ci_os(_claim("ci-os", "linux"), snap, REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert result.observed == "no workflow files"


def test_workflow_file_only_on_another_branch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "# p\n"})
    repo.git.checkout("-b", "ci")
    commit_files(repo, {".github/workflows/tests.yaml": TESTS_WF})
    repo.git.checkout("main")
    snap = open_snapshot(repo.working_tree_dir, ref="main")
    result = check_workflow_file(_claim("workflow-file", "tests.yaml"), snap, REPORT)
    assert result.verdict is ClaimVerdict.INCONSISTENT
    assert "on branch ci only" in result.observed


def test_checkers_are_registered() -> None:
    for kind in ("ci-os", "ci-python", "ci-caching", "ci-linting"):
        spec = claim_check_for(kind)
        assert spec is not None and spec.name.startswith("claims_ci.")
    assert claim_check_for("workflow-count").func is check_workflow_count


def test_pre_commit_hook_named_outside_ci(tmp_path: Path) -> None:
    snap = snapshot_of(
        tmp_path,
        {".github/workflows/tests.yaml": TESTS_WF, ".pre-commit-config.yaml": PRE_COMMIT},
    )
    hook = _claim("ci-linting", "isort", quote="we use pre-commit hooks to sort imports with isort")
    result = check_ci_linting(hook, snap, REPORT)
    assert result.verdict is ClaimVerdict.UNVERIFIABLE
    assert (result.evidence[0].path, result.evidence[0].line) == (".pre-commit-config.yaml", 5)
    workflow = _claim("ci-linting", "isort", quote="one for linting (isort, black)")
    assert check_ci_linting(workflow, snap, REPORT).verdict is ClaimVerdict.INCONSISTENT
    generic = _claim("ci-linting", "linting", quote="our pre-commit hooks take care of linting")
    assert check_ci_linting(generic, snap, REPORT).verdict is ClaimVerdict.UNVERIFIABLE


def test_denied_linting_next_to_a_ticked_linting_box_is_said(tmp_path: Path) -> None:
    item = ChecklistItem(
        line=84,
        tick=Tick.TICKED,
        mark="x",
        text="Add a linting step to your continuous integration",
        modules=("M17",),
        section="Week 2",
        catalog_id="M17.linting-ci",
    )
    report = Report("reports/README.md", "2025", None, [item], [])
    snap = snapshot_of(tmp_path, {".github/workflows/tests.yaml": TESTS_WF})
    result = check_ci_linting(_claim("ci-linting", "linting", negated=True), snap, report)
    assert result.verdict is ClaimVerdict.CONSISTENT
    assert "checklist ticks the CI linting item (line 84)" in result.why
    assert (result.evidence[-1].path, result.evidence[-1].line) == ("reports/README.md", 84)


def test_a_workflow_file_named_with_other_separators(tmp_path: Path) -> None:
    snap = _snap(tmp_path, {".github/workflows/pre_commit.yaml": TESTS_WF})
    for written in ("pre-commit.yaml", "precommit.yml"):
        result = check_workflow_file(_claim("workflow-file", written), snap, REPORT)
        assert result.verdict is ClaimVerdict.CONSISTENT, written
        assert "other separators" in result.why
    other = check_workflow_file(_claim("workflow-file", "deploy.yaml"), snap, REPORT)
    assert other.verdict is ClaimVerdict.INCONSISTENT
