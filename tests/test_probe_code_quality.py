from __future__ import annotations

from pathlib import Path

import pytest
from probe_helpers import observe

import probes.code_quality as code_quality
from verifier.findings import Outcome

PEP8 = "M7.pep8"
TYPING = "M7.typing-docs"

CLEAN = """\
\"\"\"A small clean module.\"\"\"

import math


def area(radius: float) -> float:
    \"\"\"Area of a circle.\"\"\"
    return math.pi * radius**2


def perimeter(radius: float) -> float:
    \"\"\"Perimeter of a circle.\"\"\"
    return 2 * math.pi * radius
"""


def _padded(problem_lines: int, total_lines: int) -> str:
    """A module of ``total_lines`` lines, ``problem_lines`` of them ending in a semicolon."""

    lines = [f"x{i} = {i};" if i < problem_lines else f"x{i} = {i}" for i in range(total_lines)]
    return "\n".join(lines) + "\n"


def test_clean_code_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, PEP8, {"src/pkg/geometry.py": CLEAN})
    assert obs.outcome is Outcome.FOUND, obs.summary
    assert obs.summary.startswith("0 ruff problems in 13 lines of 1 files")
    assert obs.evidence[0].path == "src/pkg/geometry.py"


def test_some_problems_are_partial_with_rule_and_line(tmp_path: Path) -> None:
    obs = observe(tmp_path, PEP8, {"src/pkg/consts.py": _padded(10, 100)})
    assert obs.outcome is Outcome.PARTIAL, obs.summary
    assert "10.0 per 100 lines" in obs.summary and "E703 ×10" in obs.summary
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == ("src/pkg/consts.py", 1, "x0 = 0;")
    assert ev.why == "ruff E703"


def test_invisible_white_space_is_reported_not_counted(tmp_path: Path) -> None:
    source = "".join(f"x{i} = {i}   \n" for i in range(30)) + "y = 1"
    obs = observe(tmp_path, PEP8, {"src/pkg/consts.py": source})
    assert obs.outcome is Outcome.FOUND, obs.summary
    assert "31 white-space warnings not counted" in obs.summary


def test_many_problems_without_a_linter_are_missing(tmp_path: Path) -> None:
    source = "import os, sys\n" + "def f( a ):\n    return a==1 \n" * 5
    obs = observe(tmp_path, PEP8, {"train.py": source})
    assert obs.outcome is Outcome.MISSING, obs.summary


def test_the_groups_own_ruff_config_is_never_applied(tmp_path: Path) -> None:
    # The group silences everything; the measure must not change, but the set-up is noted.
    files = {
        "pyproject.toml": '[project]\nname = "p"\n\n[tool.ruff.lint]\nignore = ["ALL"]\n'
        'exclude = ["src"]\n',
        "src/pkg/consts.py": _padded(40, 100),
    }
    obs = observe(tmp_path, PEP8, files)
    assert obs.outcome is Outcome.PARTIAL, obs.summary
    assert "40 ruff problems" in obs.summary
    assert any(e.path == "pyproject.toml" and e.line == 4 for e in obs.evidence)


def test_linter_in_ci_counts_as_set_up(tmp_path: Path) -> None:
    workflow = """\
name: lint
on: push
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: ruff check .
"""
    files = {".github/workflows/lint.yaml": workflow, "src/pkg/geometry.py": CLEAN}
    obs = observe(tmp_path, PEP8, files)
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.why) == (".github/workflows/lint.yaml", 7, "CI runs ruff")


def test_files_under_venv_are_not_the_groups_code(tmp_path: Path) -> None:
    files = {".venv/lib/site.py": _padded(50, 50), "src/pkg/geometry.py": CLEAN}
    obs = observe(tmp_path, PEP8, files)
    assert obs.outcome is Outcome.FOUND
    assert "1 files" in obs.summary


def test_python_3_12_syntax_and_option_like_names_are_safe(tmp_path: Path) -> None:
    files = {
        "-rf.py": "x = 1\n",
        "src/pkg/new.py": 'name = "a"\nprint(f"{name + f"{name}"}")\n',
    }
    obs = observe(tmp_path, PEP8, files)
    assert obs.outcome is Outcome.FOUND, obs.summary
    assert "2 files" in obs.summary


def test_without_ruff_it_is_not_verifiable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_quality, "ruff_binary", lambda: None)
    obs = observe(tmp_path, PEP8, {"src/pkg/geometry.py": CLEAN})
    assert obs.outcome is Outcome.NOT_VERIFIABLE
    assert "ruff" in obs.summary


# ---------------------------------------------------------------- typing and docstrings

TYPED_DOCUMENTED = """\
class Model:
    def __init__(self, size: int):
        self.size = size

    def __len__(self) -> int:
        return self.size

    def forward(self, x: float) -> float:
        \"\"\"Scale the input.\"\"\"
        return x * self.size


def train(epochs: int) -> None:
    \"\"\"Train for a number of epochs.\"\"\"

    def step(i):
        return i

    for i in range(epochs):
        step(i)
"""

BARE = """\
def load(path):
    return open(path).read()


def save(path, text):
    open(path, "w").write(text)


def clean(text):
    return text.strip()


def split(text):
    return text.split()
"""


def test_typed_and_documented_functions_are_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, TYPING, {"src/pkg/model.py": TYPED_DOCUMENTED})
    assert obs.outcome is Outcome.FOUND, obs.summary
    # __init__ without "-> None" counts as typed; the nested step() is not counted;
    # __init__ and __len__ are not asked for a docstring.
    assert obs.summary.startswith("4/4 functions fully annotated (100%), 2/2 documented")
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == (
        "src/pkg/model.py",
        2,
        "def __init__(self, size: int):",
    )


def test_docstrings_without_typing_are_partial(tmp_path: Path) -> None:
    documented = BARE.replace("):\n", '):\n    """Does one thing."""\n')
    obs = observe(tmp_path, TYPING, {"src/pkg/io.py": documented})
    assert obs.outcome is Outcome.PARTIAL
    assert "annotations under 25%" in obs.summary


def test_bare_functions_are_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, TYPING, {"src/pkg/io.py": BARE})
    assert obs.outcome is Outcome.MISSING
    assert obs.evidence[0].why == "no annotations, no docstring"


def test_tests_do_not_count_and_no_functions_is_missing(tmp_path: Path) -> None:
    files = {
        "tests/test_model.py": TYPED_DOCUMENTED,
        "src/pkg/__init__.py": "VERSION = '1'\n",
    }
    obs = observe(tmp_path, TYPING, files)
    assert obs.outcome is Outcome.MISSING
    assert "no functions" in obs.summary
