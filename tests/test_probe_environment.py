"""M2 probe: a dedicated environment whose packages are written down."""

from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

ITEM = "M2.dedicated-environment"

REQUIREMENTS = """\
# core
torch>=2.1
torchvision
typer==0.12.3  # cli
hydra-core
"""

PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "mnist_project"
version = "0.0.1"
requires-python = ">=3.11"
dependencies = [
    "torch>=2.1",
    "fastapi",
    "uvicorn[standard]",
]

[dependency-groups]
dev = ["pytest", "ruff"]
"""

UV_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "fastapi"
version = "0.115.0"

[[package]]
name = "starlette"
version = "0.38.6"

[[package]]
name = "torch"
version = "2.4.1"
"""


def test_requirements_file_is_found_with_first_declaration_line(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {"requirements.txt": REQUIREMENTS})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "4 packages declared"
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == ("requirements.txt", 2, "torch>=2.1")
    assert ev.why == "requirements: 4 packages"


def test_pyproject_with_uv_lock_is_found_and_names_the_lock(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {"pyproject.toml": PYPROJECT, "uv.lock": UV_LOCK})
    assert obs.outcome is Outcome.FOUND
    assert "locked in uv.lock" in obs.summary
    # the lock file comes first, then the declaration
    assert [e.path for e in obs.evidence] == ["uv.lock", "pyproject.toml"]
    py = obs.evidence[1]
    assert py.line == 10 and py.text == '"torch>=2.1",'


def test_conda_environment_file_is_found(tmp_path: Path) -> None:
    env = "name: mlops\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n"
    env += "  - pip:\n      - torch\n      - wandb\n"
    obs = observe(tmp_path, ITEM, {"environment.yml": env})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == "environment.yml"
    assert obs.evidence[0].why.startswith("conda: ")


def test_requirements_with_only_comments_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {"requirements.txt": "# add packages here\n\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "dependency files exist but declare no packages"
    assert obs.evidence[0].path == "requirements.txt"


def test_pyproject_with_only_tool_settings_is_partial(tmp_path: Path) -> None:
    text = '[tool.ruff]\nline-length = 120\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
    obs = observe(tmp_path, ITEM, {"pyproject.toml": text})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].path == "pyproject.toml"


def test_no_declaration_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {"README.md": "pip install torch\n", "main.py": "import torch\n"})
    assert obs.outcome is Outcome.MISSING
    assert obs.checked


def test_requirements_inside_a_committed_venv_do_not_count(tmp_path: Path) -> None:
    sp = ".venv/lib/python3.11/site-packages"
    files = {
        "main.py": "import torch\n",
        f"{sp}/requirements.txt": REQUIREMENTS,
        "venv/requirements.txt": REQUIREMENTS,
        "env/pyproject.toml": PYPROJECT,
    }
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no dependency declaration or lock file"


def test_broken_pyproject_is_partial_not_a_crash(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {"pyproject.toml": '[project\nname = "x"\n'})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence and obs.evidence[0].path == "pyproject.toml"


def test_utf16_requirements_from_powershell_freeze_are_read(tmp_path: Path) -> None:
    # ``pip freeze > requirements.txt`` in Windows PowerShell writes UTF-16 with a BOM.
    data = "torch==2.1.0\r\nnumpy==1.26.0\r\n".encode("utf-16")
    obs = observe(tmp_path, ITEM, {"requirements.txt": data})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == ("requirements.txt", 1, "torch==2.1.0")


def test_editable_install_only_declares_nothing(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, {"requirements.txt": "-e .\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "dependency files exist but declare no packages"


def test_empty_pipfile_is_not_found(tmp_path: Path) -> None:
    pipfile = '[[source]]\nurl = "https://pypi.org/simple"\n\n[packages]\n\n[dev-packages]\n'
    obs = observe(tmp_path, ITEM, {"Pipfile": pipfile})
    assert obs.outcome is Outcome.PARTIAL


def test_pipfile_packages_are_counted(tmp_path: Path) -> None:
    pipfile = (
        '[[source]]\nurl = "https://pypi.org/simple"\n\n[packages]\ntorch = "*"\n'
        'fastapi = ">=0.110"\n\n[dev-packages]\npytest = "*"\n'
    )
    obs = observe(tmp_path, ITEM, {"Pipfile": pipfile})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "3 packages declared"
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == ("Pipfile", 4, "[packages]")


def test_empty_pipfile_is_partial(tmp_path: Path) -> None:
    pipfile = '[[source]]\nurl = "https://pypi.org/simple"\n\n[packages]\n\n[dev-packages]\n'
    obs = observe(tmp_path, ITEM, {"Pipfile": pipfile})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "dependency files exist but declare no packages"


POETRY = """\
[tool.poetry]
name = "mnist-project"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
torch = "^2.1"

[tool.poetry.group.dev.dependencies]
pytest = "*"
"""


def test_poetry_dependencies_are_found_and_python_is_not_a_package(tmp_path: Path) -> None:
    obs = observe(tmp_path / "a", ITEM, {"pyproject.toml": POETRY})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "2 packages declared"
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == ("pyproject.toml", 7, 'torch = "^2.1"')
    only_python = POETRY.split("torch")[0]
    obs = observe(tmp_path / "b", ITEM, {"pyproject.toml": only_python})
    assert obs.outcome is Outcome.PARTIAL


def test_conda_environment_with_only_python_is_partial(tmp_path: Path) -> None:
    env = "name: mlops\nchannels:\n  - defaults\ndependencies:\n  - python=3.11\n"
    obs = observe(tmp_path, ITEM, {"environment.yml": env})
    assert obs.outcome is Outcome.PARTIAL
