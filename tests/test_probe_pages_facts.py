"""M32 with GitHub facts: whether Pages is switched on settles what files cannot show."""

from __future__ import annotations

from pathlib import Path

from probe_helpers import snapshot_of
from test_probe_coverage_pages import DOCS_WF, MKDOCS

from verifier.engine.registry import probe_for
from verifier.findings import Observation, Outcome
from verifier.github.facts_model import Pages, RepoFacts

PAGES = "M32.github-pages"


def _observe(tmp_path: Path, files: dict[str, str], pages: Pages | None) -> Observation:
    snap = snapshot_of(tmp_path, files)
    snap.github = RepoFacts(full_name="course/group-7", pages=pages)
    spec = probe_for(PAGES)
    assert spec is not None
    return spec.func(snap)


ON = Pages(enabled=True, url="https://course.github.io/group-7/", status="built", source="workflow")
OFF = Pages(enabled=False)


def test_a_deploy_workflow_and_pages_on_is_found_without_the_offline_caveat(
    tmp_path: Path,
) -> None:
    files = {".github/workflows/docs.yaml": DOCS_WF, "docs/mkdocs.yaml": MKDOCS}
    obs = _observe(tmp_path, files, ON)
    assert obs.outcome is Outcome.FOUND
    assert "not visible offline" not in obs.summary
    row = obs.evidence[-1]
    assert row.path == "https://course.github.io/group-7/"
    assert row.text == "GitHub Pages is switched on (workflow, built)"


def test_a_deploy_workflow_with_pages_off_is_partial(tmp_path: Path) -> None:
    files = {".github/workflows/docs.yaml": DOCS_WF, "docs/mkdocs.yaml": MKDOCS}
    obs = _observe(tmp_path, files, OFF)
    assert obs.outcome is Outcome.PARTIAL
    assert "not switched on" in obs.summary
    assert obs.evidence[-1].path == "https://github.com/course/group-7/settings/pages"


def test_docs_served_from_a_branch_folder_count_when_pages_is_on(tmp_path: Path) -> None:
    files = {
        "mkdocs.yml": MKDOCS,
        "docs/index.md": "# Our project\n\nHow to train and serve the model.\n",
    }
    offline = _observe(tmp_path / "a", files, None)
    assert offline.outcome is Outcome.PARTIAL  # nothing in the files publishes it
    online = _observe(tmp_path / "b", files, ON)
    assert online.outcome is Outcome.FOUND
    assert online.evidence[0].text.startswith("GitHub Pages is switched on")


def test_pages_on_without_any_docs_is_partial(tmp_path: Path) -> None:
    obs = _observe(tmp_path, {"README.md": "# x\n"}, ON)
    assert obs.outcome is Outcome.PARTIAL
    assert "no documentation" in obs.summary


def test_pages_off_and_nothing_in_the_files_stays_missing(tmp_path: Path) -> None:
    obs = _observe(tmp_path, {"README.md": "# x\n"}, OFF)
    assert obs.outcome is Outcome.MISSING


def test_unknown_pages_settings_change_nothing(tmp_path: Path) -> None:
    files = {".github/workflows/docs.yaml": DOCS_WF, "docs/mkdocs.yaml": MKDOCS}
    obs = _observe(tmp_path, files, None)
    assert obs.outcome is Outcome.FOUND
    assert "not visible offline" in obs.summary


def test_ci_shows_the_latest_runs_beside_the_workflow(tmp_path: Path) -> None:
    from verifier.github.facts_model import WorkflowRun

    wf = (
        "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: pytest tests\n"
    )
    snap = snapshot_of(tmp_path, {".github/workflows/tests.yaml": wf, "tests/test_a.py": ""})
    run = WorkflowRun(
        "tests", 11, "completed", "failure", "a" * 40, "push", "https://x/runs/11", "2026-01-20"
    )
    snap.github = RepoFacts(full_name="c/g", default_branch="main", runs=[run])
    spec = probe_for("M17.ci")
    assert spec is not None
    obs = spec.func(snap)
    assert obs.outcome is Outcome.FOUND  # a failing run still shows that CI runs
    row = obs.evidence[-1]
    assert (row.path, row.line) == ("https://x/runs/11", None)
    assert row.text == "tests: failure (push, aaaaaaaaaaaa, 2026-01-20)"
    assert row.why == "latest run on main (GitHub Actions)"
