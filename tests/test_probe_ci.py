from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

TEMPLATE_LIKE = """\
name: Unit Tests

on:
  push:
    branches: [main]
  pull_request:
    branches: [main]

jobs:
  test:
    runs-on: ${{ matrix.operating-system }}
    strategy:
      fail-fast: false
      matrix:
        operating-system: ["ubuntu-latest", "windows-latest", "macos-latest"]
        python-version: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
          cache: pip
      - name: Install dependencies
        run: |
          python -m pip install -U pip setuptools wheel
          pip install -r requirements.txt
          pip install -r requirements_dev.txt
      - name: Run tests & coverage
        run: |
          coverage run -m pytest tests/
          coverage report -m
"""

INSTALL_ONLY = """\
name: build
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install pytest ruff
      - run: echo "pytest would go here"
"""

MANUAL_ONLY = """\
name: tests
on: workflow_dispatch
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: uv run pytest
"""

LINT = """\
on: push
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: |
          ruff format .
"""


def test_ci_found_with_line_of_the_test_command(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M17.ci", {".github/workflows/tests.yaml": TEMPLATE_LIKE})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert ev.path == ".github/workflows/tests.yaml"
    assert ev.text == "coverage run -m pytest tests/"
    lines = TEMPLATE_LIKE.splitlines()
    assert ev.line == lines.index("          coverage run -m pytest tests/") + 1


def test_installing_pytest_is_not_running_it(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M17.ci", {".github/workflows/build.yml": INSTALL_ONLY})
    assert obs.outcome is Outcome.PARTIAL
    assert "none runs the tests" in obs.summary


def test_manual_trigger_only_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M17.ci", {".github/workflows/t.yml": MANUAL_ONLY})
    assert obs.outcome is Outcome.PARTIAL
    assert "by hand" in obs.summary


def test_no_workflows_is_missing_and_says_where_it_looked(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M17.ci", {"README.md": "hi\n"})
    assert obs.outcome is Outcome.MISSING
    assert obs.checked


def test_workflow_outside_the_workflows_folder_does_not_count(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M17.ci", {"ci/tests.yaml": TEMPLATE_LIKE})
    assert obs.outcome is Outcome.MISSING


def test_matrix_and_cache_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M17.caching-multi-os", {".github/workflows/tests.yaml": TEMPLATE_LIKE})
    assert obs.outcome is Outcome.FOUND
    whys = " ".join(e.why for e in obs.evidence)
    assert "3 operating systems" in whys and "cache" in whys


def test_single_os_without_cache_is_missing(tmp_path: Path) -> None:
    single = (
        TEMPLATE_LIKE.replace(
            '["ubuntu-latest", "windows-latest", "macos-latest"]', '["ubuntu-latest"]'
        )
        .replace('["3.11", "3.12"]', '["3.12"]')
        .replace("          cache: pip\n", "")
    )
    obs = observe(tmp_path, "M17.caching-multi-os", {".github/workflows/tests.yaml": single})
    assert obs.outcome is Outcome.MISSING


def test_cache_without_matrix_is_partial(tmp_path: Path) -> None:
    single = TEMPLATE_LIKE.replace(
        '["ubuntu-latest", "windows-latest", "macos-latest"]', '["ubuntu-latest"]'
    ).replace('["3.11", "3.12"]', '["3.12"]')
    obs = observe(tmp_path, "M17.caching-multi-os", {".github/workflows/tests.yaml": single})
    assert obs.outcome is Outcome.PARTIAL
    assert "one OS" in obs.summary


def test_format_step_that_cannot_fail_is_not_linting(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M17.linting-ci", {".github/workflows/lint.yml": LINT})
    assert obs.outcome is Outcome.PARTIAL
    gating = LINT.replace("ruff format .", "ruff check . && ruff format --check .")
    obs = observe(tmp_path / "b", "M17.linting-ci", {".github/workflows/lint.yml": gating})
    assert obs.outcome is Outcome.FOUND
