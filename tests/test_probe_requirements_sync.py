from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

ITEM = "M2.requirements-up-to-date"

TRAIN = """\
import os
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import f1_score
from google.cloud import storage

from pkg.model import Net
from . import data


def main() -> None:
    print(os, Path, np, torch, f1_score, storage, Net, data)
"""

MODEL = """\
import torch
from torch import nn


class Net(nn.Module):
    pass
"""


def _files(requirements: str, **extra: str) -> dict[str, str]:
    files = {
        "requirements.txt": requirements,
        "src/pkg/__init__.py": "",
        "src/pkg/train.py": TRAIN,
        "src/pkg/model.py": MODEL,
        "src/pkg/data.py": "import torch\n",
    }
    files.update(extra)
    return files


def test_all_imports_declared_is_found_with_declaration_lines(tmp_path: Path) -> None:
    reqs = "torch==2.1\nscikit_learn>=1.3\ngoogle-cloud-storage\nnumpy\n"
    obs = observe(tmp_path, ITEM, _files(reqs))
    assert obs.outcome is Outcome.FOUND, obs.summary
    assert "4 of 4" in obs.summary
    first = obs.evidence[0]
    assert (first.path, first.line, first.text) == ("requirements.txt", 1, "torch==2.1")
    assert "torch" in first.why


def test_undeclared_package_in_package_code_is_named_with_its_import_line(
    tmp_path: Path,
) -> None:
    obs = observe(tmp_path, ITEM, _files("torch\nnumpy\nscikit-learn\n"))
    assert obs.outcome is Outcome.PARTIAL
    assert "google-cloud-storage (src/pkg/train.py:7)" in obs.summary
    ev = obs.evidence[0]
    assert (ev.path, ev.line, ev.text) == (
        "src/pkg/train.py",
        7,
        "from google.cloud import storage",
    )


def test_most_packages_undeclared_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, ITEM, _files("requests\n"))
    assert obs.outcome is Outcome.MISSING
    assert "4 of 4" in obs.summary


def test_nothing_declared_at_all_is_missing(tmp_path: Path) -> None:
    files = _files("")
    del files["requirements.txt"]
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.MISSING
    assert "no dependency is declared" in obs.summary


def test_helper_script_import_is_tolerated_but_named(tmp_path: Path) -> None:
    reqs = "torch\nnumpy\nscikit-learn\ngoogle-cloud-storage\n"
    files = _files(reqs, **{"scripts/plot.py": "import matplotlib.pyplot as plt\n"})
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.FOUND
    assert "helper scripts only: matplotlib (scripts/plot.py:1)" in obs.summary


def test_traps_optional_type_checking_tests_stdlib_and_own_modules(tmp_path: Path) -> None:
    guarded = """\
from typing import TYPE_CHECKING

try:
    import onnxruntime
except ImportError:
    onnxruntime = None

if TYPE_CHECKING:
    import pandas

import tomllib
import parser
from pkg import model
import utils_local
"""
    files = {
        "pyproject.toml": '[project]\nname = "pkg"\ndependencies = ["torch"]\n',
        "src/pkg/__init__.py": "",
        "src/pkg/model.py": "import torch\n",
        "src/pkg/guarded.py": guarded,
        "src/pkg/utils_local.py": "",
        "tests/test_model.py": "import pytest\nimport hypothesis\n",
        "reports/report.py": "import markdown\n",
        "docs/conf.py": "import sphinx_rtd_theme\n",
        "setup.py": "import setuptools\n",
    }
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.FOUND, obs.summary
    assert "1 of 1" in obs.summary


def test_lock_file_and_indirect_dependencies_count_as_covered(tmp_path: Path) -> None:
    lock = 'version = 1\n\n[[package]]\nname = "numpy"\nversion = "1.26"\n'
    files = {
        "pyproject.toml": '[project]\nname = "p"\ndependencies = ["torch", "hydra-core"]\n',
        "uv.lock": lock,
        "src/pkg/__init__.py": "",
        "src/pkg/train.py": "import numpy\nimport torch\nimport hydra\n"
        "from omegaconf import OmegaConf\n",
    }
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.FOUND, obs.summary
    assert "only in a lock file (numpy)" in obs.summary
    assert "come with a declared package (omegaconf)" in obs.summary


def test_nested_service_requirements_cover_its_imports(tmp_path: Path) -> None:
    files = _files(
        "torch\nnumpy\nscikit-learn\ngoogle-cloud-storage\n",
        **{
            "cloud/functions/predict/__init__.py": "",
            "cloud/functions/predict/main.py": "import functions_framework\n",
            "cloud/functions/predict/requirements.txt": "functions-framework==3.5\n",
        },
    )
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.FOUND, obs.summary
    assert "5 of 5" in obs.summary


def test_folder_named_like_a_library_does_not_hide_it(tmp_path: Path) -> None:
    # streamlit/app.py (no __init__.py): ``import streamlit`` is the library, not the folder;
    # a models/ folder of weights makes ``from models import Net`` a local (broken) import.
    files = {
        "requirements.txt": "torch\n",
        "src/pkg/__init__.py": "",
        "src/pkg/model.py": "import torch\nfrom models import Net\n",
        "models/net.pth": b"\x00weights",
        "streamlit/app.py": "import streamlit as st\n",
        "src/pkg/ui.py": "import streamlit\n",
    }
    obs = observe(tmp_path, ITEM, files)
    assert obs.outcome is Outcome.PARTIAL, obs.summary
    assert obs.summary.startswith(
        "1 of 2 imported third-party packages are not declared: streamlit"
    )
    assert obs.evidence[0].path == "src/pkg/ui.py"
