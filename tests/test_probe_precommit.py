"""M18 probe: pre-commit hooks configured, and whether CI runs them."""

from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Origin, Outcome

ITEM = "M18.pre-commit"

CONFIG = """\
# hooks we agreed on in week 2
default_language_version:
  python: python3.11
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.8.4
    hooks:
      - id: ruff
        args: [--fix]
      - id: ruff-format
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v5.0.0
    hooks:
      - id: check-toml
      - id: detect-private-key
"""


def workflow(steps: str) -> str:
    return (
        "name: lint\non: [push, pull_request]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n" + steps
    )


def test_hooks_without_ci_are_found_with_a_note(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {".pre-commit-config.yaml": CONFIG})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == (
        "4 pre-commit hooks configured "
        "(no CI step runs them, so they run only where a member installed them)"
    )
    [ev] = obs.evidence
    assert (ev.path, ev.line, ev.text) == (".pre-commit-config.yaml", 8, "- id: ruff")
    assert ev.why == "4 hooks: ruff, ruff-format, check-toml, detect-private-key"
    assert ev.origin is Origin.GROUP


def test_hooks_run_in_ci_by_command_are_found_with_the_step(tmp_path: Path) -> None:
    steps = (
        "      - uses: actions/setup-python@v5\n"
        "      - run: pip install pre-commit\n"
        "      - run: pre-commit run --all-files --show-diff-on-failure\n"
    )
    files = {".pre-commit-config.yaml": CONFIG, ".github/workflows/lint.yml": workflow(steps)}
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "4 pre-commit hooks, also run in CI"
    ci = obs.evidence[1]
    assert (ci.path, ci.line) == (".github/workflows/lint.yml", 10)
    assert ci.text == "- run: pre-commit run --all-files --show-diff-on-failure"


def test_hooks_run_by_the_pre_commit_action_are_found(tmp_path: Path) -> None:
    steps = "      - uses: pre-commit/action@v3.0.1\n"
    files = {".pre-commit-config.yaml": CONFIG, ".github/workflows/lint.yml": workflow(steps)}
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.FOUND
    assert "also run in CI" in obs.summary
    assert obs.evidence[1].line == 8


def test_installing_pre_commit_in_ci_is_not_running_it(tmp_path: Path) -> None:
    steps = "      - run: pip install pre-commit\n"
    files = {".pre-commit-config.yaml": CONFIG, ".github/workflows/lint.yml": workflow(steps)}
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.FOUND
    assert "no CI step runs them" in obs.summary
    assert len(obs.evidence) == 1


def test_empty_repos_list_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {".pre-commit-config.yaml": "repos: []\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == ".pre-commit-config.yaml lists no hooks"
    ev = obs.evidence[0]
    assert (ev.line, ev.text) == (1, "repos: []")


def test_repos_without_hook_ids_is_partial(tmp_path: Path) -> None:
    text = "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks: []\n"
    obs = observe(tmp_path, ITEM, {".pre-commit-config.yaml": text})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == ".pre-commit-config.yaml lists no hooks"


def test_broken_yaml_is_partial_with_the_error(tmp_path: Path) -> None:
    broken = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n   rev: v0.8.4\n"
    broken += "    hooks:\n\t- id: ruff\n"
    obs = observe(tmp_path, ITEM, {".pre-commit-config.yaml": broken})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary.startswith(".pre-commit-config.yaml does not parse: ")
    assert obs.evidence[0].why == "broken pre-commit configuration"


def test_no_configuration_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {"README.md": "we use pre-commit\n"})
    assert obs.outcome is Outcome.MISSING
    assert obs.checked == [".pre-commit-config.yaml at the repository root"]


def test_configuration_away_from_the_root_is_missing(tmp_path: Path) -> None:
    files = {
        "docs/.pre-commit-config.yaml": CONFIG,
        ".venv/lib/python3.11/site-packages/pre_commit/resources/.pre-commit-config.yaml": CONFIG,
    }
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no pre-commit configuration"


def test_yml_extension_is_accepted(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {".pre-commit-config.yml": CONFIG})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == ".pre-commit-config.yml"


def test_hooks_run_through_uv_or_python_module_in_ci_are_found(tmp_path: Path) -> None:
    for i, command in enumerate(
        ("uv run pre-commit run --all-files", "python -m pre_commit run --all-files")
    ):
        steps = f"      - run: {command}\n"
        files = {".pre-commit-config.yaml": CONFIG, ".github/workflows/lint.yml": workflow(steps)}
        obs = observe(tmp_path / str(i), ITEM, files)
        assert obs.outcome is Outcome.FOUND
        assert obs.summary == "4 pre-commit hooks, also run in CI"
        assert obs.evidence[1].text == f"- run: {command}"


def test_pre_commit_install_in_ci_is_not_running_the_hooks(tmp_path: Path) -> None:
    steps = "      - run: pre-commit install\n"
    files = {".pre-commit-config.yaml": CONFIG, ".github/workflows/lint.yml": workflow(steps)}
    obs = observe(tmp_path, ITEM, files)
    assert "no CI step runs them" in obs.summary
    assert obs.outcome is Outcome.FOUND and len(obs.evidence) == 1


def test_binary_configuration_is_partial_not_a_crash(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {".pre-commit-config.yaml": b"\x00\x01\x02\xff"})
    assert obs.outcome is Outcome.PARTIAL
    assert "does not parse" in obs.summary
