"""Probes of code coverage (M16), API tests in CI (M24) and docs on GitHub Pages (M32)."""

from __future__ import annotations

from pathlib import Path

from conftest import commit_files, create_branch, make_repo
from probe_helpers import observe

from verifier.engine.registry import probe_for
from verifier.findings import Origin, Outcome
from verifier.repo.snapshot import open_snapshot

COVERAGE = "M16.coverage"
API_CI = "M24.api-tests-ci"
PAGES = "M32.github-pages"

TESTS_WF = """\
name: tests
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt pytest-cov
      - name: tests
        run: |
          uv run coverage run --source=src -m pytest tests/
          uv run coverage report -m
"""


def _wf(body: str) -> str:
    return f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {body}\n"


def test_coverage_in_ci_is_found_at_the_command_line(tmp_path: Path) -> None:
    obs = observe(tmp_path, COVERAGE, {".github/workflows/tests.yaml": TESTS_WF})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == (".github/workflows/tests.yaml", 13)
    assert ev.text == "uv run coverage run --source=src -m pytest tests/"
    assert "coverage run" in ev.why


def test_pytest_cov_option_is_found(tmp_path: Path) -> None:
    obs = observe(
        tmp_path, COVERAGE, {".github/workflows/t.yml": _wf("pytest --cov=src --cov-report=xml")}
    )
    assert obs.outcome is Outcome.FOUND
    assert "pytest --cov" in obs.summary


def test_invoke_task_running_coverage_is_found(tmp_path: Path) -> None:
    tasks = (
        "from invoke import task\n\n\n@task\ndef test(ctx):\n"
        '    ctx.run("coverage run -m pytest tests/", echo=True)\n'
        '    ctx.run("coverage report -m", echo=True)\n'
    )
    obs = observe(tmp_path, COVERAGE, {"tasks.py": tasks})
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("tasks.py", 6)


def test_addopts_with_cov_is_found(tmp_path: Path) -> None:
    pyproject = '[tool.pytest.ini_options]\naddopts = "-q --cov=mypkg"\n'
    obs = observe(tmp_path, COVERAGE, {"pyproject.toml": pyproject})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].line == 2


def test_configuration_only_is_partial(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "x"\n\n[tool.coverage.run]\nomit = ["tests/*"]\n',
        ".github/workflows/t.yml": _wf("pytest tests/"),
    }
    obs = observe(tmp_path, COVERAGE, files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].path == "pyproject.toml" and obs.evidence[0].line == 4


def test_installing_or_echoing_coverage_is_not_running_it(tmp_path: Path) -> None:
    wf = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: |\n          pip install coverage pytest-cov\n"
        "          echo coverage run later\n"
        "          # coverage run -m pytest\n"
        "          pytest tests/\n"
    )
    obs = observe(tmp_path, COVERAGE, {".github/workflows/t.yml": wf})
    assert obs.outcome is Outcome.MISSING


def test_committed_coverage_report_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, COVERAGE, {"coverage.xml": "<coverage line-rate='0.8'/>\n"})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == "coverage.xml"


def test_nothing_about_coverage_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, COVERAGE, {"README.md": "run coverage run -m pytest\n"})
    assert obs.outcome is Outcome.MISSING
    assert obs.checked


# --------------------------------------------------------------------------- M24

APP = (
    "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
    '@app.get("/")\ndef root():\n    return {"ok": True}\n'
)
API_TEST = (
    "from fastapi.testclient import TestClient\n\nfrom mypkg.api import app\n\n"
    "client = TestClient(app)\n\n\ndef test_root():\n"
    '    response = client.get("/")\n    assert response.status_code == 200\n'
)


def _api_repo(test_path: str = "tests/integration/test_api.py") -> dict[str, str]:
    return {
        "src/mypkg/__init__.py": "",
        "src/mypkg/api.py": APP,
        test_path: API_TEST,
    }


def test_api_tests_run_by_ci_are_found(tmp_path: Path) -> None:
    files = _api_repo() | {".github/workflows/tests.yaml": TESTS_WF}
    obs = observe(tmp_path, API_CI, files)
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == (
        "tests/integration/test_api.py",
        5,
        "client = TestClient(app)",
    )
    assert obs.evidence[-1].path == ".github/workflows/tests.yaml"


def test_ci_running_another_folder_is_partial(tmp_path: Path) -> None:
    files = _api_repo() | {".github/workflows/t.yml": _wf("pytest tests/unit")}
    obs = observe(tmp_path, API_CI, files)
    assert obs.outcome is Outcome.PARTIAL
    assert "does not include them" in obs.summary


def test_ci_ignoring_the_api_tests_is_partial(tmp_path: Path) -> None:
    files = _api_repo() | {
        ".github/workflows/t.yml": _wf("pytest tests --ignore=tests/integration")
    }
    obs = observe(tmp_path, API_CI, files)
    assert obs.outcome is Outcome.PARTIAL


def test_api_tests_without_ci_are_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, API_CI, _api_repo())
    assert obs.outcome is Outcome.PARTIAL
    assert "no workflow" in obs.summary


def test_unittest_style_checks_count(tmp_path: Path) -> None:
    unittest_style = (
        "import unittest\n\nfrom fastapi.testclient import TestClient\n\n"
        "from mypkg.api import app\n"
        "\n\nclass TestApi(unittest.TestCase):\n    def test_root(self):\n"
        "        with TestClient(app) as client:\n"
        '            self.assertEqual(200, client.get("/").status_code)\n'
    )
    files = _api_repo() | {
        "tests/integration/test_api.py": unittest_style,
        ".github/workflows/t.yml": _wf("pytest"),
    }
    obs = observe(tmp_path, API_CI, files)
    assert obs.outcome is Outcome.FOUND


def test_uncollected_api_test_file_is_partial(tmp_path: Path) -> None:
    files = _api_repo("tests/api_checks.py") | {".github/workflows/t.yml": _wf("pytest")}
    obs = observe(tmp_path, API_CI, files)
    assert obs.outcome is Outcome.PARTIAL
    assert "does not collect" in obs.summary


def test_ci_without_api_tests_is_missing(tmp_path: Path) -> None:
    files = {
        "src/mypkg/api.py": APP,
        "tests/test_model.py": "def test_x():\n    assert 1 + 1 == 2\n",
        ".github/workflows/t.yml": _wf("pytest"),
    }
    obs = observe(tmp_path, API_CI, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.evidence and obs.evidence[0].path == ".github/workflows/t.yml"


# --------------------------------------------------------------------------- M32

DOCS_WF = """\
name: docs
on:
  push:
    branches: [main]
permissions:
  contents: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install mkdocs-material
      - run: mkdocs gh-deploy --force --config-file docs/mkdocs.yaml
"""
MKDOCS = "site_name: Our project\nnav:\n  - Home: index.md\n"


def test_gh_deploy_workflow_is_found(tmp_path: Path) -> None:
    files = {".github/workflows/docs.yaml": DOCS_WF, "docs/mkdocs.yaml": MKDOCS}
    obs = observe(tmp_path, PAGES, files)
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == (".github/workflows/docs.yaml", 13)
    assert ev.text.startswith("- run: mkdocs gh-deploy")
    assert "not visible offline" in obs.summary


def test_pages_action_is_found(tmp_path: Path) -> None:
    wf = DOCS_WF.replace(
        "      - run: mkdocs gh-deploy --force --config-file docs/mkdocs.yaml\n",
        "      - run: mkdocs build\n      - uses: actions/upload-pages-artifact@v3\n"
        "      - uses: actions/deploy-pages@v4\n",
    )
    files = {".github/workflows/docs.yaml": wf, "mkdocs.yml": MKDOCS}
    obs = observe(tmp_path, PAGES, files)
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].line == 15


def test_building_docs_is_not_publishing_them(tmp_path: Path) -> None:
    wf = DOCS_WF.replace("mkdocs gh-deploy --force --config-file docs/mkdocs.yaml", "mkdocs build")
    files = {".github/workflows/docs.yaml": wf, "mkdocs.yml": MKDOCS}
    obs = observe(tmp_path, PAGES, files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].path == "mkdocs.yml"


def test_gh_pages_branch_with_a_site_is_found(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"mkdocs.yml": MKDOCS, "docs/index.md": "# Hi\n"}, name="g")
    create_branch(repo, "gh-pages", checkout=True)
    commit_files(repo, {"index.html": "<html></html>\n"})
    repo.git.checkout("-q", "main")
    spec = probe_for(PAGES)
    assert spec is not None
    with open_snapshot(repo.working_tree_dir or "", ref="main") as snap:
        obs = spec.func(snap)
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].origin is Origin.OTHER_BRANCH
    assert "gh-pages" in obs.evidence[0].why


def test_local_deploy_command_without_branch_is_partial(tmp_path: Path) -> None:
    tasks = (
        "from invoke import task\n\n\n@task\ndef docs(ctx):\n"
        '    ctx.run("mkdocs gh-deploy --force")\n'
    )
    obs = observe(tmp_path, PAGES, {"tasks.py": tasks, "mkdocs.yml": MKDOCS})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].path == "tasks.py" and obs.evidence[0].line == 6


def test_deploy_without_any_mkdocs_config_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, PAGES, {".github/workflows/docs.yaml": DOCS_WF})
    assert obs.outcome is Outcome.PARTIAL
    assert "no mkdocs.yml" in obs.summary


def test_no_docs_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, PAGES, {"README.md": "# project\n"})
    assert obs.outcome is Outcome.MISSING


def test_docs_with_own_pages_are_not_called_a_stub(tmp_path: Path) -> None:
    files = {"mkdocs.yml": MKDOCS, "docs/index.md": "# Our model\n\nHow to train it.\n"}
    obs = observe(tmp_path, PAGES, files)
    assert obs.outcome is Outcome.PARTIAL
    assert "stub" not in obs.summary
    bare = observe(tmp_path / "b", PAGES, {"mkdocs.yml": MKDOCS})
    assert bare.outcome is Outcome.PARTIAL
    assert "stub pages" in bare.summary


def test_ci_running_the_coverage_task_is_found_at_the_workflow_line(tmp_path: Path) -> None:
    tasks = (
        "from invoke import task\n\n\n@task\ndef unit_tests(ctx):\n"
        '    ctx.run("coverage run -m pytest tests/")\n'
    )
    files = {"tasks.py": tasks, ".github/workflows/t.yml": _wf("uv run invoke unit-tests")}
    obs = observe(tmp_path, COVERAGE, files)
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == (".github/workflows/t.yml", 6)
    assert "invoke unit-tests" in ev.why


def test_keyword_selection_that_leaves_out_the_api_tests_is_partial(tmp_path: Path) -> None:
    files = _api_repo() | {".github/workflows/t.yml": _wf('pytest -q -k "data"')}
    obs = observe(tmp_path, API_CI, files)
    assert obs.outcome is Outcome.PARTIAL
    selected = _api_repo() | {".github/workflows/t.yml": _wf('pytest -k "api or data"')}
    assert observe(tmp_path / "b", API_CI, selected).outcome is Outcome.FOUND


def test_summary_says_whether_coverage_runs_in_ci(tmp_path: Path) -> None:
    tasks = (
        "from invoke import task\n\n\n@task\ndef test(ctx):\n"
        '    ctx.run("coverage run -m pytest")\n'
    )
    by_hand = observe(tmp_path, COVERAGE, {"tasks.py": tasks})
    assert by_hand.outcome is Outcome.FOUND
    assert "by hand" in by_hand.summary and "no CI step" in by_hand.summary
    pyproject = '[tool.pytest.ini_options]\naddopts = "--cov=mypkg"\n'
    files = {"pyproject.toml": pyproject, ".github/workflows/t.yml": _wf("pytest tests")}
    in_ci = observe(tmp_path / "b", COVERAGE, files)
    assert in_ci.outcome is Outcome.FOUND
    assert "in CI" in in_ci.summary
