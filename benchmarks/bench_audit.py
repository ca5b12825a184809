"""Speed and memory of ``verifier audit`` on a realistic 1,000-file course repository.

Usage::

    python benchmarks/bench_audit.py [--files 1000] [--repeat 5] [--json] [--profile]

A cookiecutter-like MLOps repository (``src/<pkg>/``, ``tests/``, ``configs/``, workflows,
Dockerfiles, DVC pointers, ``pyproject.toml``, ``uv.lock``, a few PNGs, one file over the
snapshot size limit and the bundled sample group's report) is generated as a git repository
in a temporary directory; generation is not measured. Each measurement then runs in a fresh
child process, so the peak RSS is that of one audit:

``audit_generated``     open snapshot + load report + ``run_audit`` + render JSON
``audit_sample_group``  the same for ``examples/sample-group``
``snapshot_generated``  ``open_snapshot`` + ``files()`` alone
``baseline``            only the imports the audit child does (verifier, probe discovery)

The child reports its wall time (``time.perf_counter``) around the measured work, its
import time, and its peak RSS in KiB: ``VmHWM`` from ``/proc/self/status`` where it exists,
else ``ru_maxrss`` of ``RUSAGE_SELF`` (both are in the JSON; on Linux ``ru_maxrss`` carries
the parent's peak over ``fork``/``exec``, so it is not the child's own). ``--profile`` adds one
cProfile run of the generated-repo audit with the probes called inline (cProfile follows one
thread only; the engine normally runs each probe in its own thread).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_GROUP = ROOT / "examples" / "sample-group"
SAMPLE_REPORT = SAMPLE_GROUP / "reports" / "README.md"
#: Same value as ``verifier.repo.snapshot.DEFAULT_MAX_FILE_BYTES`` (kept here so generating
#: a repository does not import the package under test).
SNAPSHOT_MAX_FILE_BYTES = 2_000_000
PKG = "mlops_project"

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}

# --------------------------------------------------------------------------- generation

_WORDS_TEXT = (
    "batch feature loader sample image label score metric epoch layer weight bias token "
    "embedding encoder decoder attention window stride kernel channel dataset split fold "
    "schedule optimizer gradient loss accuracy recall precision threshold cache registry "
    "artifact checkpoint config experiment run sweep trial logger monitor drift request "
    "response payload endpoint bucket blob record frame column stats summary report"
)
WORDS = _WORDS_TEXT.split()

SUBPACKAGES = (
    "data",
    "models",
    "training",
    "evaluation",
    "features",
    "api",
    "utils",
    "visualization",
    "pipelines",
    "monitoring",
)

STDLIB_IMPORTS = (
    "import json",
    "import logging",
    "import os",
    "import math",
    "import time",
    "from collections import defaultdict",
    "from collections.abc import Iterable, Sequence",
    "from dataclasses import dataclass, field",
    "from functools import lru_cache",
    "from pathlib import Path",
    "from typing import Any",
)

THIRD_PARTY_IMPORTS = (
    "import numpy as np",
    "import pandas as pd",
    "import torch",
    "from torch import nn",
    "from torch.utils.data import DataLoader, Dataset",
    "import hydra",
    "from omegaconf import DictConfig, OmegaConf",
    "import typer",
    "import wandb",
    "from loguru import logger",
    "from fastapi import FastAPI, HTTPException",
    "from pydantic import BaseModel",
    "import pytorch_lightning as pl",
)


def _name(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def _camel(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(WORDS).capitalize() for _ in range(parts))


def _function_block(rng: random.Random, decorators: Iterable[str] = ()) -> list[str]:
    name = _name(rng, rng.randint(2, 3))
    args = [_name(rng, 1) for _ in range(rng.randint(1, 4))]
    args = list(dict.fromkeys(args))
    sig = ", ".join(f"{a}: {rng.choice(['int', 'float', 'str', 'list[float]'])}" for a in args)
    lines = [*decorators, f"def {name}({sig}) -> dict[str, Any]:"]
    lines.append(f'    """Compute the {rng.choice(WORDS)} {rng.choice(WORDS)} for one run."""')
    lines.append("    result: dict[str, Any] = {}")
    for i in range(rng.randint(3, 12)):
        arg = rng.choice(args)
        kind = rng.randrange(4)
        if kind == 0:
            lines += [
                f"    for idx in range(len(str({arg}))):",
                f"        result[f'{arg}_{{idx}}'] = idx * {rng.randint(2, 9)}",
            ]
        elif kind == 1:
            lines += [
                f"    if isinstance({arg}, (int, float)) and {arg} > {rng.randint(0, 100)}:",
                f"        logger.info('{arg} above threshold: %s', {arg})",
                f"        result['{arg}_flag_{i}'] = True",
            ]
        elif kind == 2:
            lines += [
                "    try:",
                f"        result['value_{i}'] = math.log(abs(hash({arg})) + 1)",
                "    except ValueError as exc:",
                f"        logger.warning('cannot compute value_{i}: %s', exc)",
            ]
        else:
            lines.append(f"    result['{_name(rng, 1)}_{i}'] = str({arg}).upper()")
    lines += ["    return result", "", ""]
    return lines


def _class_block(rng: random.Random) -> list[str]:
    name = _camel(rng, rng.randint(2, 3))
    kind = rng.randrange(3)
    if kind == 0:
        fields = list(dict.fromkeys(_name(rng, 1) for _ in range(rng.randint(2, 7))))
        lines = ["@dataclass", f"class {name}Config:", f'    """Settings for {name}."""', ""]
        lines += [f"    {f}: float = {rng.random():.3f}" for f in fields]
        lines += ["    tags: list[str] = field(default_factory=list)", ""]
        lines += [
            "    def to_dict(self) -> dict[str, Any]:",
            "        return {k: getattr(self, k) for k in self.__dataclass_fields__}",
            "",
            "",
        ]
        return lines
    if kind == 1:
        hidden = rng.choice([32, 64, 128, 256])
        lines = [
            f"class {name}(nn.Module):",
            f'    """A small network for {rng.choice(WORDS)} {rng.choice(WORDS)}."""',
            "",
            f"    def __init__(self, in_features: int = {rng.randint(4, 64)}, "
            f"hidden: int = {hidden}, dropout: float = 0.1) -> None:",
            "        super().__init__()",
            "        self.net = nn.Sequential(",
            "            nn.Linear(in_features, hidden),",
            "            nn.ReLU(),",
            "            nn.Dropout(dropout),",
            f"            nn.Linear(hidden, {rng.randint(2, 10)}),",
            "        )",
            "",
            "    def forward(self, x: torch.Tensor) -> torch.Tensor:",
            "        return self.net(x)",
            "",
            "    @torch.no_grad()",
            "    def predict(self, x: torch.Tensor) -> torch.Tensor:",
            "        self.eval()",
            "        return self.forward(x).argmax(dim=-1)",
            "",
            "",
        ]
        return lines
    lines = [
        f"class {name}Dataset(Dataset):",
        f'    """Rows of the {rng.choice(WORDS)} table as tensors."""',
        "",
        "    def __init__(self, root: Path, split: str = 'train') -> None:",
        "        self.root = Path(root)",
        "        self.split = split",
        "        self.frame = pd.read_csv(self.root / f'{split}.csv')",
        "",
        "    def __len__(self) -> int:",
        "        return len(self.frame)",
        "",
        "    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:",
        "        row = self.frame.iloc[index]",
        "        features = torch.tensor(row.values[:-1], dtype=torch.float32)",
        "        return features, int(row.values[-1])",
        "",
        "",
    ]
    return lines


def python_module(rng: random.Random, module: str, siblings: list[str]) -> str:
    """A Python module of 50–300 lines: imports, classes, decorated functions."""

    target = rng.randint(50, 280)
    lines = [f'"""{module}: {_name(rng, 3).replace("_", " ")} helpers."""', ""]
    lines.append("from __future__ import annotations")
    lines.append("")
    std = set(rng.sample(STDLIB_IMPORTS, rng.randint(2, 6)))
    std |= {"import logging", "import math", "from functools import lru_cache"}
    lines += sorted(std | {"from typing import Any"})
    lines.append("")
    third = set(rng.sample(THIRD_PARTY_IMPORTS, rng.randint(1, 5)))
    lines += sorted(third | {"import torch", "from torch import nn", "import pandas as pd"})
    if siblings:
        lines.append("")
        for other in rng.sample(siblings, min(len(siblings), rng.randint(0, 3))):
            lines.append(f"from {other} import {_name(rng, 2)}")
    lines += ["", "logger = logging.getLogger(__name__)", ""]
    lines += [f"{_name(rng, 2).upper()} = {rng.randint(1, 512)}" for _ in range(3)]
    lines += ["", ""]
    uses_typer = "import typer" in third
    decorators: tuple[list[str], ...] = ([], ["@lru_cache(maxsize=None)"], ["@torch.no_grad()"])
    if uses_typer:
        lines += ["app = typer.Typer()", "", ""]
        decorators = ([], ["@app.command()"], ["@torch.no_grad()"])
    while len(lines) < target:
        if rng.random() < 0.35:
            lines += _class_block(rng)
        else:
            lines += _function_block(rng, rng.choice(decorators))
    if uses_typer:
        lines += ["", "", 'if __name__ == "__main__":', "    app()"]
    return "\n".join(lines).rstrip() + "\n"


def test_module(rng: random.Random, module: str) -> str:
    """A pytest file: fixtures, parametrised tests and plain asserts."""

    target = rng.randint(30, 160)
    names = [_name(rng, 2) for _ in range(3)]
    lines = [
        f'"""Tests for {module}."""',
        "",
        "import pytest",
        "import torch",
        "",
        f"from {module} import {', '.join(sorted(set(names)))}",
        "",
        "",
        "@pytest.fixture",
        "def batch() -> torch.Tensor:",
        f"    return torch.randn({rng.randint(2, 64)}, {rng.randint(2, 32)})",
        "",
        "",
    ]
    i = 0
    while len(lines) < target:
        i += 1
        name = rng.choice(names)
        if rng.random() < 0.4:
            values = ", ".join(str(rng.randint(0, 99)) for _ in range(rng.randint(2, 5)))
            lines += [
                f'@pytest.mark.parametrize("value", [{values}])',
                f"def test_{name}_accepts_{i}(value: int) -> None:",
                f"    out = {name}(value)",
                "    assert isinstance(out, dict)",
                "    assert all(isinstance(k, str) for k in out)",
                "",
                "",
            ]
        else:
            lines += [
                f"def test_{name}_shape_{i}(batch: torch.Tensor) -> None:",
                f"    out = {name}(batch.shape[0])",
                f"    assert len(out) >= {rng.randint(0, 3)}",
                "    with pytest.raises(TypeError):",
                f"        {name}(None)",
                "",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def config_yaml(rng: random.Random, name: str) -> str:
    lines = [f"# {name}", f"name: {name}", f"seed: {rng.randint(0, 9999)}"]
    for section in rng.sample(WORDS, rng.randint(2, 6)):
        lines.append(f"{section}:")
        for key in rng.sample(WORDS, rng.randint(2, 8)):
            value = rng.choice(
                [str(rng.randint(1, 512)), f"{rng.random():.4f}", "true", f"{_name(rng, 2)}"]
            )
            lines.append(f"  {key}: {value}")
        if rng.random() < 0.3:
            lines.append("  layers:")
            lines += [f"    - {rng.choice([16, 32, 64, 128])}" for _ in range(rng.randint(2, 5))]
    return "\n".join(lines) + "\n"


def workflow_tests() -> str:
    return """name: Unit tests

on:
  push:
    branches: [main]
  pull_request:
    branches: [main]

jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      fail-fast: false
      matrix:
        os: [ubuntu-latest, windows-latest, macos-latest]
        python-version: ["3.11", "3.12"]
        exclude:
          - os: windows-latest
            python-version: "3.11"
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v5
        with:
          enable-cache: true
          python-version: ${{ matrix.python-version }}
      - name: Install dependencies
        run: uv sync --locked --dev
      - name: Run tests
        run: |
          uv run coverage run -m pytest tests/
          uv run coverage report -m
"""


def workflow_lint() -> str:
    return """name: Code quality

on:
  pull_request:
  push:
    branches: [main]

jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      - run: pip install ruff mypy
      - name: Ruff
        run: |
          ruff check .
          ruff format --check .
      - name: Types
        run: mypy src/
"""


def workflow_docker() -> str:
    return """name: Docker images

on:
  push:
    branches: [main]
  workflow_dispatch:

jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        image: [train, api, evaluate]
    steps:
      - uses: actions/checkout@v4
      - uses: docker/setup-buildx-action@v3
      - uses: google-github-actions/auth@v2
        with:
          credentials_json: ${{ secrets.GCP_SA_KEY }}
      - name: Build and push
        run: |
          docker build -f dockerfiles/${{ matrix.image }}.dockerfile \\
            -t europe-west1-docker.pkg.dev/mlops-project/images/${{ matrix.image }}:latest .
          docker push europe-west1-docker.pkg.dev/mlops-project/images/${{ matrix.image }}:latest
"""


def workflow_data() -> str:
    return """name: Data checks

on:
  pull_request:
    paths: ["**/*.dvc", ".dvc/**"]

jobs:
  data:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: iterative/setup-dvc@v1
      - run: dvc pull --no-run-cache
      - run: python -m mlops_project.data.stats
"""


def dockerfile(entry: str) -> str:
    return f"""# syntax=docker/dockerfile:1
FROM python:3.12-slim AS base

RUN apt-get update && apt-get install --no-install-recommends -y build-essential gcc && \\
    apt-get clean && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY uv.lock pyproject.toml README.md ./
COPY src/ src/
COPY configs/ configs/

RUN --mount=type=cache,target=/root/.cache/pip pip install -e . --no-deps

ENTRYPOINT ["python", "-u", "-m", "{PKG}.{entry}"]
"""


def pyproject() -> str:
    return f"""[build-system]
requires = ["setuptools>=70"]
build-backend = "setuptools.build_meta"

[project]
name = "{PKG}"
version = "0.1.0"
description = "Course project: image classification with an MLOps pipeline"
readme = "README.md"
requires-python = ">=3.11"
dependencies = [
  "torch>=2.3",
  "pytorch-lightning>=2.3",
  "hydra-core>=1.3",
  "typer>=0.12",
  "fastapi>=0.111",
  "uvicorn>=0.30",
  "wandb>=0.17",
  "dvc[gs]>=3.50",
  "pandas>=2.2",
  "numpy>=1.26",
  "loguru>=0.7",
]

[dependency-groups]
dev = ["pytest>=8.2", "coverage>=7.5", "ruff>=0.5", "mypy>=1.10", "pre-commit>=3.7"]

[project.scripts]
train = "{PKG}.train:app"

[tool.setuptools.packages.find]
where = ["src"]

[tool.ruff]
line-length = 120

[tool.ruff.lint]
select = ["E", "F", "I", "UP"]

[tool.coverage.run]
source = ["{PKG}"]
"""


def uv_lock(rng: random.Random, packages: int = 160) -> str:
    """A uv.lock of realistic size: sdist and several wheels with hashes per package."""

    lines = ["version = 1", 'requires-python = ">=3.11"', ""]
    names = sorted({f"{rng.choice(WORDS)}-{rng.choice(WORDS)}" for _ in range(packages)})
    for name in names:
        version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 12)}"
        lines += [
            "[[package]]",
            f'name = "{name}"',
            f'version = "{version}"',
            'source = { registry = "https://pypi.org/simple" }',
        ]
        deps = rng.sample(names, rng.randint(0, 4))
        if deps:
            lines.append("dependencies = [")
            lines += [f'    {{ name = "{d}" }},' for d in deps]
            lines.append("]")
        base = f"https://files.pythonhosted.org/packages/{rng.getrandbits(64):016x}"
        digest = f"sha256:{rng.getrandbits(256):064x}"
        lines.append(
            f'sdist = {{ url = "{base}/{name}-{version}.tar.gz", hash = "{digest}", '
            f"size = {rng.randint(10_000, 9_000_000)} }}"
        )
        lines.append("wheels = [")
        for tag in rng.sample(
            [
                "cp311-cp311-manylinux_2_17_x86_64",
                "cp312-cp312-manylinux_2_17_x86_64",
                "cp311-cp311-macosx_11_0_arm64",
                "cp312-cp312-macosx_11_0_arm64",
                "cp311-cp311-win_amd64",
                "cp312-cp312-win_amd64",
                "py3-none-any",
            ],
            rng.randint(1, 6),
        ):
            digest = f"sha256:{rng.getrandbits(256):064x}"
            lines.append(
                f'    {{ url = "{base}/{name}-{version}-{tag}.whl", hash = "{digest}", '
                f"size = {rng.randint(10_000, 9_000_000)} }},"
            )
        lines += ["]", ""]
    lines += [
        "[[package]]",
        f'name = "{PKG.replace("_", "-")}"',
        'version = "0.1.0"',
        'source = { editable = "." }',
        "",
    ]
    return "\n".join(lines)


def png_bytes(rng: random.Random, width: int, height: int) -> bytes:
    """A valid RGB PNG of noise (incompressible, like a real figure's pixel data)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def large_csv(rng: random.Random, min_bytes: int) -> bytes:
    header = "id,feature_a,feature_b,feature_c,label\n"
    parts = [header]
    size = len(header)
    i = 0
    while size <= min_bytes:
        row = f"{i},{rng.random():.6f},{rng.random():.6f},{rng.randint(0, 999)},{i % 7}\n"
        parts.append(row)
        size += len(row)
        i += 1
    return "".join(parts).encode()


def dvc_pointer(rng: random.Random, path: str, is_dir: bool) -> str:
    md5 = f"{rng.getrandbits(128):032x}" + (".dir" if is_dir else "")
    lines = ["outs:", f"- md5: {md5}", f"  size: {rng.randint(1_000, 900_000_000)}"]
    if is_dir:
        lines.append(f"  nfiles: {rng.randint(2, 40_000)}")
    lines += ["  hash: md5", f"  path: {path}"]
    return "\n".join(lines) + "\n"


def notebook(rng: random.Random) -> str:
    cells = []
    for _ in range(rng.randint(4, 12)):
        if rng.random() < 0.3:
            cells.append({"cell_type": "markdown", "metadata": {}, "source": ["## Exploration"]})
        else:
            src = [
                "import pandas as pd\n",
                f"from {PKG}.data import load\n",
                f"df = pd.read_csv('data/processed/{_name(rng, 1)}.csv')\n",
                "df.describe()",
            ]
            cells.append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {},
                    "outputs": [],
                    "source": src,
                }
            )
    doc = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(doc, indent=1) + "\n"


#: Appended to ``train.py``: the Hydra entry point a course project has.
TRAIN_ENTRY = f"""

import hydra
from omegaconf import DictConfig

from {PKG}.model import Model


@hydra.main(config_path="../../configs", config_name="config", version_base=None)
def main(cfg: DictConfig) -> None:
    \"\"\"Train the model with the settings of ``configs/``.\"\"\"
    model = Model(hidden=cfg.model.hidden)
    for epoch in range(cfg.epochs):
        logger.info("epoch %d of %d", epoch, cfg.epochs)
    torch.save(model.state_dict(), cfg.model_path)
"""

#: Appended to ``api.py``: a FastAPI app with an inference route.
API_ROUTES = f"""

from fastapi import FastAPI, UploadFile

from {PKG}.model import Model

app = FastAPI(title="classifier")
model = Model()


@app.get("/health")
def health() -> dict[str, str]:
    return {{"status": "ok"}}


@app.post("/predict")
async def predict(file: UploadFile) -> dict[str, int]:
    data = await file.read()
    batch = torch.frombuffer(bytearray(data), dtype=torch.float32).reshape(1, -1)
    return {{"label": int(model.predict(batch)[0])}}
"""


def fixed_files(rng: random.Random) -> dict[str, str | bytes]:
    """Files every generated repository has, whatever its size."""

    files: dict[str, str | bytes] = {
        "README.md": "# mlops_project\n\nImage classification course project.\n",
        "LICENSE": "MIT License\n\nCopyright (c) 2026 Group 0\n",
        ".gitignore": "__pycache__/\n*.pyc\n.venv/\n/outputs/\n/wandb/\n",
        ".dvcignore": "# Add patterns of files dvc should ignore\n",
        ".dvc/.gitignore": "/config.local\n/tmp\n/cache\n",
        ".dvc/config": (
            "[core]\n    remote = gcs\n"
            "['remote \"gcs\"']\n    url = gs://mlops-project-data/dvcstore\n"
            "    version_aware = true\n"
        ),
        ".pre-commit-config.yaml": (
            "repos:\n"
            "  - repo: https://github.com/pre-commit/pre-commit-hooks\n"
            "    rev: v4.6.0\n    hooks:\n      - id: trailing-whitespace\n"
            "      - id: end-of-file-fixer\n      - id: check-yaml\n"
            "  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
            "    rev: v0.5.0\n    hooks:\n      - id: ruff\n        args: [--fix]\n"
            "      - id: ruff-format\n"
        ),
        "pyproject.toml": pyproject(),
        "uv.lock": uv_lock(rng),
        ".github/workflows/tests.yaml": workflow_tests(),
        ".github/workflows/lint.yaml": workflow_lint(),
        ".github/workflows/docker.yaml": workflow_docker(),
        ".github/workflows/data.yaml": workflow_data(),
        "dockerfiles/train.dockerfile": dockerfile("train"),
        "dockerfiles/api.dockerfile": dockerfile("api"),
        "dockerfiles/evaluate.dockerfile": dockerfile("evaluate"),
        "configs/config.yaml": (
            "defaults:\n  - _self_\n  - model: base\n  - experiment: null\n\n"
            "seed: 42\nlr: 0.001\nepochs: 20\nbatch_size: 64\n"
        ),
        "dvc.yaml": (
            "stages:\n  preprocess:\n    cmd: python -m mlops_project.data\n"
            "    deps:\n      - data/raw\n      - src/mlops_project/data.py\n"
            "    outs:\n      - data/processed\n"
            "  train:\n    cmd: python -m mlops_project.train\n"
            "    deps:\n      - data/processed\n    outs:\n      - models/model.pt\n"
        ),
        "data/raw.dvc": dvc_pointer(rng, "raw", True),
        "reports/README.md": SAMPLE_REPORT.read_bytes(),
        "reports/figures/architecture.png": png_bytes(rng, 160, 120),
        "reports/figures/wandb_runs.png": png_bytes(rng, 200, 100),
        "reports/figures/confusion.png": png_bytes(rng, 64, 64),
        "data/raw/export_sample.csv": large_csv(rng, SNAPSHOT_MAX_FILE_BYTES + 400_000),
        "tests/__init__.py": "",
        f"src/{PKG}/__init__.py": '"""Course project package."""\n',
    }
    tasks = "from invoke import Context, task\n\n\n@task\ndef train(ctx: Context) -> None:\n"
    files["tasks.py"] = tasks + f'    ctx.run("python -m {PKG}.train")\n'
    for top in ("data", "model", "evaluate"):
        files[f"src/{PKG}/{top}.py"] = python_module(rng, f"{PKG}.{top}", [])
    files[f"src/{PKG}/train.py"] = python_module(rng, f"{PKG}.train", []) + TRAIN_ENTRY
    files[f"src/{PKG}/api.py"] = python_module(rng, f"{PKG}.api", []) + API_ROUTES
    files["tests/test_data.py"] = test_module(rng, f"{PKG}.data")
    files["tests/test_model.py"] = test_module(rng, f"{PKG}.model")
    return files


#: Share of the variable part of the repository per kind of file.
MIX = (
    ("module", 0.52),
    ("test", 0.20),
    ("config", 0.10),
    ("dvc", 0.05),
    ("doc", 0.06),
    ("script", 0.04),
    ("notebook", 0.01),
    ("json", 0.02),
)


def plan_variable(n: int) -> list[str]:
    """Kinds for ``n`` variable files, in the proportions of :data:`MIX`."""

    kinds: list[str] = []
    for kind, share in MIX:
        kinds += [kind] * int(n * share)
    while len(kinds) < n:
        kinds.append("module")
    return kinds[:n]


def variable_files(rng: random.Random, n: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    modules: list[str] = [f"{PKG}.{top}" for top in ("data", "model", "train")]
    for sub in SUBPACKAGES:
        files[f"src/{PKG}/{sub}/__init__.py"] = ""
    counters: dict[str, int] = {}

    def unique(path_of: Callable[[int], str]) -> str:
        key = path_of(0)
        while True:
            counters[key] = counters.get(key, 0) + 1
            path = path_of(counters[key])
            if path not in files:
                return path

    for kind in plan_variable(max(0, n - len(files))):
        if kind == "module":
            sub = rng.choice(SUBPACKAGES)
            stem = _name(rng, 2)
            path = unique(lambda i, s=sub, t=stem: f"src/{PKG}/{s}/{t}{i or ''}.py")
            module = path[len("src/") : -len(".py")].replace("/", ".")
            files[path] = python_module(rng, module, rng.sample(modules, min(3, len(modules))))
            modules.append(module)
        elif kind == "test":
            target = rng.choice(modules)
            tail = target.rsplit(".", 1)[-1]
            group = rng.choice(["unit", "integration", "unit"])
            path = unique(lambda i, g=group, t=tail: f"tests/{g}/test_{t}{i or ''}.py")
            files[path] = test_module(rng, target)
        elif kind == "config":
            group = rng.choice(["experiment", "model", "data", "sweep", "trainer"])
            stem = _name(rng, 2)
            path = unique(lambda i, g=group, t=stem: f"configs/{g}/{t}{i or ''}.yaml")
            files[path] = config_yaml(rng, stem)
        elif kind == "dvc":
            folder = rng.choice(["data/external", "data/interim", "models"])
            stem = _name(rng, 2)
            path = unique(lambda i, f=folder, t=stem: f"{f}/{t}{i or ''}.dvc")
            files[path] = dvc_pointer(rng, Path(path).stem, rng.random() < 0.5)
        elif kind == "doc":
            stem = _name(rng, 2)
            path = unique(lambda i, t=stem: f"docs/source/{t}{i or ''}.md")
            body = "\n\n".join(
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80)))
                for _ in range(rng.randint(2, 10))
            )
            files[path] = f"# {stem.replace('_', ' ').title()}\n\n{body}\n"
        elif kind == "script":
            stem = _name(rng, 2)
            path = unique(lambda i, t=stem: f"scripts/{t}{i or ''}.sh")
            files[path] = (
                "#!/usr/bin/env bash\nset -euo pipefail\n"
                f"uv run python -m {rng.choice(modules)} --config-name {stem}\n"
            )
        elif kind == "notebook":
            path = unique(lambda i: f"notebooks/exploration_{i:02d}.ipynb")
            files[path] = notebook(rng)
        else:
            stem = _name(rng, 2)
            path = unique(lambda i, t=stem: f"data/metadata/{t}{i or ''}.json")
            payload = {w: rng.random() for w in rng.sample(WORDS, rng.randint(3, 20))}
            files[path] = json.dumps(payload, indent=2) + "\n"
    return files


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        path.write_bytes(data)


def generate_files(n_files: int, seed: int = 0) -> dict[str, str | bytes]:
    """The repository's content: exactly ``max(n_files, minimum)`` files (deterministic)."""

    rng = random.Random(seed)
    files = fixed_files(rng)
    files.update(variable_files(rng, n_files - len(files)))
    return files


def minimum_files() -> int:
    """The size of the fixed part; smaller ``--files`` values still produce this many."""

    return len(fixed_files(random.Random(0))) + len(SUBPACKAGES)


def generate_repo(root: Path, n_files: int = 1000, seed: int = 0) -> list[str]:
    """Write a realistic course repository at ``root`` as a git repository of three commits.

    Returns the committed paths, sorted.
    """

    import git  # imported here: the child processes of the benchmark do not need it

    files = generate_files(n_files, seed)
    root.mkdir(parents=True, exist_ok=True)
    repo = git.Repo.init(root)
    repo.git.update_environment(**GIT_ENV)
    template = {
        p: c
        for p, c in files.items()
        if p in {"README.md", "LICENSE", ".gitignore", "pyproject.toml", "tasks.py"}
        or p.endswith("__init__.py")
    }
    report = {p: c for p, c in files.items() if p.startswith("reports/")}
    rest = {p: c for p, c in files.items() if p not in template and p not in report}
    stages = (
        ("Initial commit from the course template", template, "2026-01-05T10:00:00+01:00"),
        ("Data, model, training, CI, Docker and DVC", rest, "2026-01-14T16:30:00+01:00"),
        ("Fill in the report", report, "2026-01-23T21:15:00+01:00"),
    )
    who = {"GIT_AUTHOR_NAME": "Group Member", "GIT_AUTHOR_EMAIL": "member@example.com"}
    for message, part, when in stages:
        _write(root, part)
        repo.git.add("-A")
        env = {
            **who,
            "GIT_COMMITTER_NAME": who["GIT_AUTHOR_NAME"],
            "GIT_COMMITTER_EMAIL": who["GIT_AUTHOR_EMAIL"],
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
        }
        repo.git.commit("--no-verify", "-q", "-m", message, env=env)
    tracked = sorted(repo.git.ls_files("-z").strip("\0").split("\0"))
    repo.close()
    return tracked


# --------------------------------------------------------------------------- child side


def _maxrss_kib() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss  # macOS reports bytes


def _inline_probes() -> None:
    """Call probes in the calling thread, so cProfile sees them (profiling only)."""

    from verifier.engine import audit

    def run_inline(spec: Any, snap: Any, budget_s: float) -> Any:
        start = time.perf_counter()
        try:
            obs = spec.func(snap)
            err = None
        except Exception as exc:
            obs, err = None, f"probe {spec.name} failed: {type(exc).__name__}: {exc}"
        return audit.ProbeRun(obs, err, (time.perf_counter() - start) * 1000)

    audit.run_probe = run_inline  # type: ignore[assignment]


def child(mode: str, target: str, profile_top: int) -> dict[str, Any]:
    """Run one measurement in this (fresh) process and return its figures."""

    t0 = time.perf_counter()
    if mode == "snapshot":
        from verifier.repo.snapshot import open_snapshot

        import_s = time.perf_counter() - t0
        start = time.perf_counter()
        snap = open_snapshot(target)
        files = snap.files()
        wall = time.perf_counter() - start
        out = {"file_count": len(files), "skipped": len(snap.skipped)}
        snap.close()
        return {"mode": mode, "wall_s": wall, "import_s": import_s, **out, **_rss()}

    from verifier.engine.audit import run_audit
    from verifier.engine.inputs import load_report
    from verifier.engine.registry import discover
    from verifier.render.json_render import render_json
    from verifier.repo.snapshot import open_snapshot

    discover()
    import_s = time.perf_counter() - t0
    if mode == "baseline":
        return {"mode": mode, "wall_s": 0.0, "import_s": import_s, **_rss()}

    profiler = None
    if profile_top:
        import cProfile

        _inline_probes()
        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    snap = open_snapshot(target)
    t_open = time.perf_counter()
    report = load_report(snap, None)
    t_report = time.perf_counter()
    result = run_audit(report, snap)
    t_audit = time.perf_counter()
    rendered = render_json(result)
    t_render = time.perf_counter()
    if profiler is not None:
        profiler.disable()
    probes: dict[str, float] = {}
    for finding in result.findings:
        if finding.probe is not None:
            probes[finding.probe] = finding.duration_ms
    out: dict[str, Any] = {
        "mode": mode,
        "wall_s": t_render - start,
        "import_s": import_s,
        "steps_s": {
            "open_snapshot": t_open - start,
            "load_report": t_report - t_open,
            "run_audit": t_audit - t_report,
            "render_json": t_render - t_audit,
        },
        "probes_ms": probes,
        "file_count": result.snapshot.file_count,
        "skipped": len(result.snapshot.skipped),
        "findings": len(result.findings),
        "errors": [f.error for f in result.findings if f.verdict.value == "error"],
        "json_bytes": len(rendered.encode()),
        **_rss(),
    }
    snap.close()
    if profiler is not None:
        out["profile"] = _profile_text(profiler, profile_top)
    return out


def _vm_hwm_kib() -> int | None:
    """Peak RSS of this process's own address space (Linux ``VmHWM``), else None."""

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _rss() -> dict[str, int | None]:
    """Peak RSS figures of this process.

    ``ru_maxrss`` survives ``fork``/``exec`` on Linux: a child starts with its parent's peak,
    which here is the generator's. ``VmHWM`` belongs to the new address space only, so it
    is the figure reported where the system has it.
    """

    hwm = _vm_hwm_kib()
    ru = _maxrss_kib()
    return {"maxrss_kib": hwm if hwm is not None else ru, "ru_maxrss_kib": ru, "vm_hwm_kib": hwm}


def _profile_text(profiler: Any, top: int) -> str:
    import io
    import pstats

    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


# --------------------------------------------------------------------------- parent side


@dataclass
class Case:
    """One measured case: its name, the child's mode and target, and the runs' figures."""

    name: str
    mode: str
    target: str
    runs: list[dict[str, Any]]

    def summary(self) -> dict[str, Any]:
        walls = [r["wall_s"] for r in self.runs]
        procs = [r["process_s"] for r in self.runs]
        rss = [r["maxrss_kib"] for r in self.runs]
        out: dict[str, Any] = {
            "mode": self.mode,
            "target": self.target,
            "runs": len(self.runs),
            "wall_median_s": statistics.median(walls),
            "wall_min_s": min(walls),
            "process_median_s": statistics.median(procs),
            "import_median_s": statistics.median(r["import_s"] for r in self.runs),
            "maxrss_median_kib": int(statistics.median(rss)),
            "maxrss_max_kib": max(rss),
        }
        first = self.runs[0]
        for key in ("file_count", "skipped", "findings", "json_bytes", "errors"):
            if key in first:
                out[key] = first[key]
        if "steps_s" in first:
            out["steps_median_s"] = {
                step: statistics.median(r["steps_s"][step] for r in self.runs)
                for step in first["steps_s"]
            }
        if "probes_ms" in first:
            out["probes_median_ms"] = {
                name: statistics.median(r["probes_ms"].get(name, 0.0) for r in self.runs)
                for name in first["probes_ms"]
            }
        return out


def run_child(mode: str, target: str, profile_top: int = 0) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--target", target]
    if profile_top:
        cmd += ["--profile-top", str(profile_top)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"child {mode} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["process_s"] = elapsed
    return data


def measure(cases: list[tuple[str, str, str]], repeat: int) -> list[Case]:
    """Run every case ``repeat`` times, interleaved so drift hits all cases alike."""

    out = [Case(name, mode, target, []) for name, mode, target in cases]
    for _ in range(repeat):
        for case in out:
            case.runs.append(run_child(case.mode, case.target))
    return out


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def top_probes(summary: dict[str, Any], n: int = 5) -> list[tuple[str, float]]:
    probes = summary.get("probes_median_ms", {})
    return sorted(probes.items(), key=lambda kv: kv[1], reverse=True)[:n]


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f}"


def render_table(results: dict[str, Any]) -> str:
    baseline = results["cases"]["baseline"]["maxrss_median_kib"]
    head = (
        f"{'case':<22} {'files':>6} {'median s':>9} {'min s':>7} {'process s':>10} "
        f"{'peak MiB':>9} {'over base':>10}"
    )
    lines = [
        f"verifier audit benchmark: {results['params']['files']} generated files, "
        f"{results['params']['repeat']} run(s) per case, {results['machine']['cpus']} CPU(s), "
        f"Python {results['machine']['python']}",
        f"repository generated in {results['generation_s']:.2f} s (not measured)",
        "",
        head,
        "-" * len(head),
    ]
    for name, s in results["cases"].items():
        files = str(s.get("file_count", ""))
        # the audit children import what the baseline child imports; the others do not
        over = _mib(s["maxrss_median_kib"] - baseline) if s.get("mode") == "audit" else ""
        lines.append(
            f"{name:<22} {files:>6} {s['wall_median_s']:>9.3f} {s['wall_min_s']:>7.3f} "
            f"{s['process_median_s']:>10.3f} {_mib(s['maxrss_median_kib']):>9} "
            f"{over:>10}"
        )
    big = results["cases"]["audit_generated"]
    lines += ["", "steps of the generated-repo audit (median s):"]
    for step, secs in big["steps_median_s"].items():
        lines.append(f"  {step:<16} {secs:.3f}")
    lines += ["", "slowest probes on the generated repo (median ms):"]
    for name, ms in results["top_probes"]:
        lines.append(f"  {name:<36} {ms:9.1f}")
    if big.get("errors"):
        lines += ["", "probe errors:", *(f"  {e}" for e in big["errors"])]
    return "\n".join(lines) + "\n"


def run_benchmark(
    n_files: int, repeat: int, profile_top: int = 0, keep: Path | None = None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        repo_dir = keep if keep is not None else Path(tmp) / "repo"
        start = time.perf_counter()
        tracked = generate_repo(repo_dir, n_files)
        generation_s = time.perf_counter() - start
        cases = [
            ("audit_generated", "audit", str(repo_dir)),
            ("audit_sample_group", "audit", str(SAMPLE_GROUP)),
            ("snapshot_generated", "snapshot", str(repo_dir)),
            ("baseline", "baseline", str(repo_dir)),
        ]
        measured = measure(cases, repeat)
        summaries = {case.name: case.summary() for case in measured}
        results: dict[str, Any] = {
            "machine": machine(),
            "params": {"files": n_files, "repeat": repeat, "tracked_files": len(tracked)},
            "generation_s": generation_s,
            "cases": summaries,
            "top_probes": top_probes(summaries["audit_generated"]),
        }
        if profile_top:
            prof = run_child("audit", str(repo_dir), profile_top)
            results["profile"] = prof.get("profile", "")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000, help="files in the generated repo")
    parser.add_argument("--repeat", type=int, default=5, help="child runs per case")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument(
        "--profile", type=int, nargs="?", const=30, default=0, metavar="N",
        help="add a cProfile run of the generated-repo audit; print the top N entries",
    )  # fmt: skip
    parser.add_argument("--keep", type=Path, help="generate the repository here and keep it")
    parser.add_argument(
        "--child", choices=["audit", "snapshot", "baseline"], help=argparse.SUPPRESS
    )
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--profile-top", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        sys.stdout.write(json.dumps(child(args.child, args.target, args.profile_top)) + "\n")
        return 0
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    results = run_benchmark(args.files, args.repeat, args.profile, args.keep)
    if args.json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
    else:
        sys.stdout.write(render_table(results))
        if results.get("profile"):
            sys.stdout.write("\ncProfile of one generated-repo audit (probes inline):\n")
            sys.stdout.write(results["profile"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
