"""The shared readers of tool settings: INI sections and pyproject tables, never raising on a
broken file."""

from __future__ import annotations

from pathlib import Path

from probe_helpers import snapshot_of

from probes._config import ini_section, pyproject_table


def test_ini_sections_and_pyproject_tables(tmp_path: Path) -> None:
    snap = snapshot_of(
        tmp_path,
        {
            "setup.cfg": (
                "[tool:pytest]\naddopts = --cov=src\n\n[coverage:report]\nfail_under = 80\n"
            ),
            "tox.ini": "this is [not an ini\n= file\n",
            "pyproject.toml": (
                '[tool.pytest.ini_options]\naddopts = "-q"\n[tool.coverage]\nrun = 1\n'
            ),
        },
    )
    assert ini_section(snap, "setup.cfg", "tool:pytest") == {"addopts": "--cov=src"}
    assert ini_section(snap, "setup.cfg", "coverage:report") == {"fail_under": "80"}
    assert ini_section(snap, "setup.cfg", "flake8") is None
    assert ini_section(snap, "tox.ini", "pytest") is None  # broken: no setting, no exception
    assert ini_section(snap, "pytest.ini", "pytest") is None  # missing
    assert pyproject_table(snap, "tool", "pytest", "ini_options") == {"addopts": "-q"}
    assert pyproject_table(snap, "tool", "coverage", "report") is None
    assert pyproject_table(snap, "tool", "coverage", "run") is None  # a value, not a table


def test_a_broken_pyproject_is_no_table(tmp_path: Path) -> None:
    snap = snapshot_of(tmp_path, {"pyproject.toml": "[tool.pytest\nx = \n"})
    assert pyproject_table(snap, "tool", "pytest", "ini_options") is None
