from __future__ import annotations

import pytest

from probes._commands import invocations, lint_runs, runs_tests


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("pytest", True),
        ("uv run pytest tests/", True),
        ("python -m pytest -v", True),
        ("python3.11 -m pytest", True),
        ("coverage run -m pytest", True),
        ("uv run --frozen coverage run --source=src -m pytest tests", True),
        ("PYTHONPATH=. pytest", True),
        ("pip install -e . && pytest -q", True),
        ("invoke test", True),
        ("make test", True),
        ("python -m unittest discover", True),
        ("poetry run pytest --cov", True),
        ("pip install pytest", False),
        ("echo pytest", False),
        ("coverage report -m", False),
        ("uv sync --dev", False),
        ("python train.py", False),
    ],
)
def test_runs_tests(command: str, expected: bool) -> None:
    assert runs_tests(command) is expected


def test_lint_runs_tells_gating_from_rewriting() -> None:
    assert lint_runs("ruff check .") == [("ruff", True)]
    assert lint_runs("uv run ruff format .") == [("ruff format", False)]
    assert lint_runs("ruff format --check .") == [("ruff format", True)]
    assert lint_runs("black src") == [("black", False)]
    assert lint_runs("pre-commit run --all-files") == [("pre-commit", True)]
    assert lint_runs("pip install ruff") == []


def test_unbalanced_quotes_do_not_crash() -> None:
    assert invocations('echo "unterminated && pytest')
