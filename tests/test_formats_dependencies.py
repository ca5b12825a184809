from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.repo.formats.dependencies import (
    Include,
    import_to_distributions,
    is_stdlib,
    normalize_name,
    parse_environment_yml,
    parse_lock_packages,
    parse_pep508,
    parse_pyproject,
    parse_requirements,
)

REQUIREMENTS = """\
# local package
-e .
-r requirements_dev.txt
--constraint constraints.txt
--extra-index-url https://download.pytorch.org/whl/cpu

torch>=2.1 ; sys_platform != "darwin"
Scikit_Learn[alldeps]==1.4.0
hydra-core >= 1.3, < 1.4  # config
pytorch-lightning \\
    ==2.2.0
numpy==1.26.4 --hash=sha256:0123456789abcdef
git+https://github.com/org/some-lib.git@v1.0#egg=some_lib
https://files.example.com/pkgs/Wandb-0.16.0-py3-none-any.whl
opencv-python-headless;python_version>="3.10"
dvc[gs]
-e git+https://github.com/org/noegg.git
"""


def test_requirements_file() -> None:
    reqs = parse_requirements("requirements.txt", REQUIREMENTS)
    assert reqs.error is None
    assert reqs.includes == [
        Include("requirement", "requirements_dev.txt", 3),
        Include("constraint", "constraints.txt", 4),
    ]
    by_name = {r.name: r for r in reqs}
    assert list(by_name) == [
        None,
        "torch",
        "scikit-learn",
        "hydra-core",
        "pytorch-lightning",
        "numpy",
        "some-lib",
        "wandb",
        "opencv-python-headless",
        "dvc",
    ]
    local = reqs[0]
    assert local.editable and local.url == "." and local.line == 2
    torch = by_name["torch"]
    assert torch.specifier == ">=2.1" and torch.marker == 'sys_platform != "darwin"'
    assert torch.line == 7
    sk = by_name["scikit-learn"]
    assert sk.extras == ("alldeps",) and sk.specifier == "==1.4.0"
    assert sk.declared_name == "Scikit_Learn"
    assert sk.raw == "Scikit_Learn[alldeps]==1.4.0"
    hydra = by_name["hydra-core"]
    assert hydra.specifier == ">=1.3,<1.4" and hydra.line == 9
    assert by_name["pytorch-lightning"].specifier == "==2.2.0"
    assert by_name["pytorch-lightning"].line == 10
    assert by_name["numpy"].specifier == "==1.26.4" and by_name["numpy"].line == 12
    assert by_name["some-lib"].url is not None and by_name["some-lib"].url.startswith("git+")
    assert by_name["wandb"].url is not None
    assert by_name["opencv-python-headless"].marker == 'python_version>="3.10"'
    assert by_name["dvc"].extras == ("gs",)
    noegg = reqs[-1]
    assert noegg.name is None and noegg.editable and noegg.line == 17
    assert "scikit-learn" in reqs.names()


def test_requirements_broken_and_empty() -> None:
    assert parse_requirements("r.txt", "") == []
    assert parse_requirements("r.txt", "").error is None
    junk = parse_requirements("r.txt", "\x00\x01\x02\xff")
    assert junk == [] and junk.error is not None
    odd = parse_requirements("r.txt", "===\n!!\n[extras]\n-r\n")
    assert odd.error is None
    assert [r.name for r in odd] == [None, None, None]
    assert odd.includes == [Include("requirement", "", 4)]


def test_pep508_direct_reference_and_parenthesised_spec() -> None:
    req = parse_pep508("my_pkg[a, b] @ https://example.com/x.zip ; python_version < '3.12'")
    assert req is not None
    assert req.name == "my-pkg" and req.extras == ("a", "b")
    assert req.url == "https://example.com/x.zip"
    assert req.marker == "python_version < '3.12'"
    old = parse_pep508("requests (>=2.0, <3)")
    assert old is not None and old.specifier == ">=2.0,<3"
    assert parse_pep508("   ") is None


PYPROJECT_PEP621 = """\
[build-system]
requires = ["setuptools>=61.0"]
build-backend = "setuptools.build_meta"

[project]
name = "mlops_project"
version = "0.0.1"
requires-python = ">=3.11"
dependencies = [
    "torch>=2.2",
    'typer',
    "google-cloud-storage==2.14.0",
]

[project.optional-dependencies]
dev = [
  "pytest",
  "ruff>=0.3",
]
api = ["fastapi", "uvicorn[standard]"]

[project.scripts]
train = "mlops_project.train:app"
evaluate = "mlops_project.evaluate:main"

[dependency-groups]
dev = ["pytest-cov", {include-group = "lint"}]
lint = ["ruff"]

[tool.uv]
dev-dependencies = [
    "coverage>=7",
]

[tool.ruff]
line-length = 120

[tool.ruff.lint]
select = ["I"]

[tool.coverage.run]
omit = ["tests/*"]

[tool.pytest.ini_options]
addopts = "-q"
"""


def test_pyproject_pep621() -> None:
    deps = parse_pyproject("pyproject.toml", PYPROJECT_PEP621)
    assert deps.error is None
    assert deps.project_name == "mlops_project"
    assert deps.requires_python == ">=3.11"
    assert [(r.name, r.line) for r in deps.dependencies] == [
        ("torch", 10),
        ("typer", 11),
        ("google-cloud-storage", 12),
    ]
    assert [(r.name, r.line, r.source) for r in deps.optional["dev"]] == [
        ("pytest", 17, "optional:dev"),
        ("ruff", 18, "optional:dev"),
    ]
    assert [(r.name, r.extras, r.line) for r in deps.optional["api"]] == [
        ("fastapi", (), 20),
        ("uvicorn", ("standard",), 20),
    ]
    assert [(s.name, s.target, s.line) for s in deps.scripts] == [
        ("train", "mlops_project.train:app", 23),
        ("evaluate", "mlops_project.evaluate:main", 24),
    ]
    assert [(r.name, r.line) for r in deps.groups["dev"]] == [("pytest-cov", 27)]
    assert [r.name for r in deps.groups["lint"]] == ["ruff"]
    assert [(r.name, r.line) for r in deps.uv_dev] == [("coverage", 32)]
    assert deps.build_backend == "setuptools.build_meta" and deps.build_backend_line == 3
    assert deps.build_requires == ["setuptools>=61.0"]
    assert deps.tools == {"uv": 30, "ruff": 35, "coverage": 41, "pytest": 44}
    assert deps.sections["project"] == 5
    assert deps.has_tool("ruff") and not deps.has_tool("mypy")
    assert {"torch", "fastapi", "pytest-cov", "coverage", "ruff"} <= deps.names()


PYPROJECT_POETRY = """\
[tool.poetry]
name = "mnist-classifier"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.10"
torch = "^2.0.0"
hydra-core = {version = "^1.3", extras = ["optuna"]}
mylib = {git = "https://github.com/org/mylib.git", branch = "main"}
"Pillow" = "*"

[tool.poetry.group.dev.dependencies]
pytest = "^7.4"

[tool.poetry.dev-dependencies]
black = "^23"

[tool.poetry.scripts]
train = "mnist_classifier.train:main"

[tool.mypy]
strict = true

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
"""


def test_pyproject_poetry() -> None:
    deps = parse_pyproject("pyproject.toml", PYPROJECT_POETRY)
    assert deps.error is None
    assert deps.project_name == "mnist-classifier"
    assert deps.requires_python == "^3.10"
    assert [(r.name, r.line) for r in deps.poetry] == [
        ("torch", 7),
        ("hydra-core", 8),
        ("mylib", 9),
        ("pillow", 10),
    ]
    hydra = deps.poetry[1]
    assert hydra.specifier == "^1.3" and hydra.extras == ("optuna",)
    assert deps.poetry[2].url == "https://github.com/org/mylib.git"
    assert deps.poetry[3].specifier == ""
    assert [(r.name, r.line, r.source) for r in deps.poetry_groups["dev"]] == [
        ("pytest", 13, "poetry:dev"),
        ("black", 16, "poetry:dev"),
    ]
    assert [(s.name, s.line, s.source) for s in deps.scripts] == [("train", 19, "poetry")]
    assert deps.tools == {"poetry": 1, "mypy": 21}
    assert deps.build_backend == "poetry.core.masonry.api"


@pytest.mark.parametrize(
    "text",
    [
        "[project\nname = 'x'",
        "\x00\x01\x02",
        "a = 1\na = 2\n",
        "[project]\ndependencies = 5\noptional-dependencies = 'x'\n",
    ],
)
def test_pyproject_broken(text: str) -> None:
    deps = parse_pyproject("pyproject.toml", text)
    if "dependencies = 5" in text:
        assert deps.error is None and deps.dependencies == [] and deps.optional == {}
    else:
        assert deps.error is not None and deps.error.startswith("TOML error")


def test_pyproject_empty() -> None:
    deps = parse_pyproject("pyproject.toml", "")
    assert deps.error is None and deps.all_requirements() == [] and deps.tools == {}


UV_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "torch"
version = "2.3.0"

[[package]]
name = "Typing_Extensions"
version = "4.12.0"

[package.optional-dependencies]
x = []
"""


def test_lock_packages() -> None:
    assert parse_lock_packages("uv.lock", UV_LOCK) == ["torch", "typing-extensions"]
    conflicted = UV_LOCK.replace(
        '[[package]]\nname = "torch"', '<<<<<<< HEAD\n[[package]]\nname = "torch"'
    )
    assert parse_lock_packages("uv.lock", conflicted) == ["torch", "typing-extensions"]
    assert parse_lock_packages("poetry.lock", "") == []
    assert parse_lock_packages("poetry.lock", "\x00junk[[[") == []


ENVIRONMENT = """\
name: mlops
channels:
  - pytorch
  - conda-forge
dependencies:
  - python=3.11
  - pytorch::pytorch>=2.1
  - numpy
  - pip
  - pip:
      - -r requirements.txt
      - wandb==0.16
      - -e .
"""


def test_environment_yml() -> None:
    env = parse_environment_yml("environment.yml", ENVIRONMENT)
    assert env.error is None
    assert env.name == "mlops" and env.channels == ["pytorch", "conda-forge"]
    assert [(d.name, d.spec, d.line, d.channel) for d in env.conda] == [
        ("python", "=3.11", 6, None),
        ("pytorch", ">=2.1", 7, "pytorch"),
        ("numpy", "", 8, None),
        ("pip", "", 9, None),
    ]
    assert [(r.name, r.line) for r in env.pip] == [("wandb", 12), (None, 13)]
    assert env.pip.includes == [Include("requirement", "requirements.txt", 11)]
    assert "wandb" in env.names() and "numpy" in env.names()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("- a\n- b\n", "not a mapping"), ("", "empty"), ("a: [\n", "YAML error")],
)
def test_environment_broken(text: str, fragment: str) -> None:
    env = parse_environment_yml("environment.yml", text)
    assert env.error is not None and fragment in env.error


def test_normalize_name() -> None:
    assert normalize_name("Scikit_Learn") == "scikit-learn"
    assert normalize_name("ruamel.yaml") == "ruamel-yaml"
    assert normalize_name("  PyYAML ") == "pyyaml"


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("sklearn", ["scikit-learn"]),
        ("sklearn.metrics", ["scikit-learn"]),
        ("hydra", ["hydra-core"]),
        ("PIL.Image", ["pillow"]),
        ("yaml", ["pyyaml"]),
        ("google.cloud.storage", ["google-cloud-storage"]),
        ("google.cloud.storage.blob", ["google-cloud-storage"]),
        ("jwt", ["pyjwt"]),
        ("dotenv", ["python-dotenv"]),
        ("some_unknown_pkg.sub", ["some-unknown-pkg"]),
        ("os.path", []),
        ("json", []),
        ("", []),
    ],
)
def test_import_to_distributions(module: str, expected: list[str]) -> None:
    assert import_to_distributions(module) == expected


def test_import_map_size_and_cv2() -> None:
    assert "opencv-python-headless" in import_to_distributions("cv2")
    assert is_stdlib("pathlib") and not is_stdlib("torch")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc-_.[]=<>~!;@# \\\n-er'\"/:")), max_size=150))
def test_requirements_never_raise(text: str) -> None:
    reqs = parse_requirements("r.txt", text)
    assert reqs.error is None
    for req in reqs:
        assert req.line >= 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_other_dependency_parsers_never_raise(text: str) -> None:
    parse_pyproject("pyproject.toml", text)
    parse_lock_packages("uv.lock", text)
    parse_environment_yml("environment.yml", text)
