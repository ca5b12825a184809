from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.repo.formats.pyindex import (
    ImportedName,
    blank_fstrings,
    index_notebook,
    index_python,
)

TRAIN = '''\
"""Training entry point."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

import hydra
import torch.profiler
import wandb as wb
from omegaconf import DictConfig, OmegaConf as OC
from torch.profiler import profile as prof

from .model import MyAwesomeModel
from . import data

if TYPE_CHECKING:
    from collections.abc import Iterator

try:
    import onnxruntime
except ImportError:  # optional export backend
    onnxruntime = None


class Trainer(object):
    """Wraps the loop."""

    def __init__(self, cfg: DictConfig, lr) -> None:
        self.cfg = cfg

    @staticmethod
    def helper(x: int) -> int:
        return x

    async def stream(self) -> None:
        pass


@hydra.main(
    config_path="../../configs",
    config_name="config",
    version_base=None,
)
def train(cfg: DictConfig) -> None:
    wb.init(project="mnist", config=OC.to_container(cfg))
    with prof(activities=[torch.profiler.ProfilerActivity.CPU]) as p:
        model = MyAwesomeModel()
        model(torch.randn(1, 28, 28)).sum().backward()
    wb.log({"loss": 0.1})
    os.path.join("a", "b")

    def inner():
        return data.load()


if __name__ == "__main__":
    train()
'''


def test_train_script_index() -> None:
    ix = index_python("src/project/train.py", TRAIN)
    assert ix.error is None
    assert ix.has_module_docstring
    mods = [(i.module, i.level, i.line) for i in ix.imports]
    assert mods[:3] == [("__future__", 0, 2), ("os", 0, 4), ("typing", 0, 5)]
    assert ix.imported_modules() == {
        "__future__",
        "os",
        "typing",
        "hydra",
        "torch",
        "wandb",
        "omegaconf",
        "collections",
        "onnxruntime",
    }
    wandb_import = next(i for i in ix.imports if i.module == "wandb")
    assert wandb_import.alias == "wb" and wandb_import.line == 9
    omegaconf = next(i for i in ix.imports if i.module == "omegaconf")
    assert omegaconf.names == (ImportedName("DictConfig"), ImportedName("OmegaConf", "OC"))
    relative = [i for i in ix.imports if i.level]
    assert [(i.module, i.qualified_names()) for i in relative] == [
        ("model", [".model.MyAwesomeModel"]),
        ("", [".data"]),
    ]
    (tc,) = [i for i in ix.imports if i.type_checking]
    assert tc.module == "collections.abc" and tc.line == 17
    (opt,) = [i for i in ix.imports if i.optional]
    assert opt.module == "onnxruntime" and opt.line == 20
    assert ix.imports_module("torch") and ix.imports_module("torch.profiler")
    assert not ix.imports_module("tor")

    (cls,) = ix.classes
    assert cls.name == "Trainer" and cls.line == 25 and cls.bases == ("object",)
    assert cls.has_docstring

    funcs = {f.qualname: f for f in ix.functions}
    assert list(funcs) == [
        "Trainer.__init__",
        "Trainer.helper",
        "Trainer.stream",
        "train",
        "train.inner",
    ]
    init = funcs["Trainer.__init__"]
    assert init.is_method and not init.args_annotated and init.return_annotated
    assert funcs["Trainer.helper"].fully_annotated
    assert funcs["Trainer.stream"].is_async and funcs["Trainer.stream"].fully_annotated
    train = funcs["train"]
    assert train.line == 44 and train.fully_annotated and not train.has_docstring
    assert not train.is_test and not train.is_method
    (dec,) = train.decorators
    assert dec.name == "hydra.main" and dec.resolved == "hydra.main" and dec.line == 39
    assert dec.args == 'config_path="../../configs", config_name="config", version_base=None,'
    assert ix.decorated_with("hydra.main") == [train]
    assert not funcs["train.inner"].fully_annotated

    resolved = [(c.resolved, c.line) for c in ix.calls]
    assert ("wandb.init", 45) in resolved
    assert ("wandb.log", 49) in resolved
    assert ("omegaconf.OmegaConf.to_container", 45) in resolved
    assert ("torch.profiler.profile", 46) in resolved
    assert ("torch.profiler.ProfilerActivity.CPU", 46) not in resolved  # not a call
    assert ("hydra.main", 39) in resolved
    assert ("os.path.join", 50) in resolved
    assert ("torch.randn", 48) in resolved
    assert (".model.MyAwesomeModel", 47) in resolved
    assert (".data.load", 53) in resolved
    assert ("train", 57) in resolved
    names = [c.name for c in ix.calls]
    assert "wb.init" in names and "prof" in names
    assert [c.line for c in ix.calls_to("wandb")] == [45, 49]
    assert [c.line for c in ix.calls] == sorted(c.line for c in ix.calls)


def test_tests_and_decorator_without_call() -> None:
    text = (
        "import pytest\n\n"
        "@pytest.mark.parametrize('x', [1, 2])\n"
        "def test_a(x):\n    assert x\n\n"
        "@pytest.fixture\n"
        "def data():\n    return 1\n\n"
        "class TestThing:\n    def test_b(self) -> None:\n        '''Doc.'''\n"
    )
    ix = index_python("tests/test_a.py", text)
    assert [f.name for f in ix.tests()] == ["test_a", "test_b"]
    fixture = next(f for f in ix.functions if f.name == "data")
    assert fixture.decorators[0].name == "pytest.fixture"
    assert fixture.decorators[0].args is None
    assert ix.functions[0].decorators[0].args == "'x', [1, 2]"
    test_b = ix.functions[-1]
    assert test_b.qualname == "TestThing.test_b"
    assert test_b.fully_annotated and test_b.has_docstring


def test_syntax_error_reported_with_line() -> None:
    ix = index_python("bad.py", "import os\n\ndef f(:\n    pass\n")
    assert ix.error is not None and ix.error.startswith("SyntaxError at line 3")
    assert ix.imports == [] and ix.functions == [] and ix.calls == []


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02 binary",
        "x = " + "(" * 300 + ")" * 300,
        "x = " + "-" * 200_000 + "1",
        "def f(:\n\t\t  ",
    ],
)
def test_broken_inputs_give_error(text: str) -> None:
    ix = index_python("bad.py", text)
    assert ix.error is not None


def test_deeply_nested_but_valid_code() -> None:
    depth = 80
    lines = [" " * i + "if x:" for i in range(depth)] + [" " * depth + "import torch"]
    ix = index_python("deep.py", "\n".join(lines) + "\n")
    assert ix.error is None
    assert ix.imports[0].line == depth + 1


def test_large_file_is_indexed() -> None:
    text = "".join(f"def f{i}(a: int) -> int:\n    return g{i}(a)\n" for i in range(5000))
    ix = index_python("big.py", text)
    assert ix.error is None and len(ix.functions) == 5000 and len(ix.calls) == 5000
    assert ix.calls[-1].line == 10000


def test_empty_file() -> None:
    ix = index_python("empty.py", "")
    assert ix.error is None and ix.imports == [] and not ix.has_module_docstring


def _notebook(cells: list[tuple[str, str]]) -> str:
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {
                    "cell_type": kind,
                    "metadata": {},
                    "source": source.splitlines(keepends=True),
                    **({"outputs": [], "execution_count": None} if kind == "code" else {}),
                }
                for kind, source in cells
            ],
        },
        indent=1,
    )


def test_notebook_cells_and_lines() -> None:
    text = _notebook(
        [
            ("markdown", "# Exploration\n"),
            ("code", "%matplotlib inline\n!pip install wandb\nimport wandb\nimport torch as T\n"),
            ("code", "def bad(:\n"),
            ("code", "x = T.zeros(3)\nwandb.init()\nawait something()\n"),
        ]
    )
    ix = index_notebook("notebooks/explore.ipynb", text)
    assert ix.error is None
    assert [(i.module, i.cell, i.line) for i in ix.imports] == [("wandb", 2, 3), ("torch", 2, 4)]
    assert [(c.resolved, c.cell, c.line) for c in ix.calls] == [
        ("torch.zeros", 4, 1),
        ("wandb.init", 4, 2),
        ("something", 4, 3),
    ]
    assert len(ix.problems) == 1 and ix.problems[0].startswith("cell 3: SyntaxError at line 1")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[1, 2]",
        '{"cells": 5}',
        json.dumps({"cells": [{"cell_type": "code", "source": "def (:"}]}),
    ],
)
def test_broken_notebooks(text: str) -> None:
    ix = index_notebook("n.ipynb", text)
    assert ix.error is not None


def test_notebook_odd_cells_do_not_raise() -> None:
    text = json.dumps({"cells": [1, {"cell_type": "code", "source": 5}, {"cell_type": "code"}]})
    ix = index_notebook("n.ipynb", text)
    assert ix.error is None and ix.imports == []


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("import from as def class ( ) : \n@.,=x")), max_size=200)
)
def test_never_raises(text: str) -> None:
    ix = index_python("x.py", text)
    assert ix.error is None or ix.error
    index_notebook("x.ipynb", json.dumps({"cells": [{"cell_type": "code", "source": text}]}))


PY312_FSTRINGS = '''\
import logging

logger = logging.getLogger(__name__)


def save(split: str) -> None:
    logger.info(f"Saved {split} to {root / f"{split}.pt"}")
    ctx.run(
        f"conda create --name {NAME} python={
            VERSION} pip",
        echo=True,
    )
    note = 'it''s' + "#not a comment" + rb'\\\\' + f'{{literal}}'  # f"x"
    return f"""a
{note!r:>{width}}
"""


save("train")
'''


def test_python312_fstrings_fall_back_to_blanking() -> None:
    ix = index_python("tasks.py", PY312_FSTRINGS)
    assert ix.error is None
    assert len(ix.problems) == 1 and "f-strings blanked" in ix.problems[0]
    assert [(c.resolved, c.line) for c in ix.calls] == [
        ("logging.getLogger", 3),
        ("logger.info", 7),
        ("ctx.run", 8),
        ("save", 19),
    ]
    assert [(f.name, f.line, f.end_line) for f in ix.functions] == [("save", 6, 16)]


def test_blank_fstrings_keeps_other_literals() -> None:
    text = "a = 'x' + r\"\\\\\" + b'#' + f'{y}'  # f'z'\nbuf = 1\n"
    assert blank_fstrings(text) == "a = 'x' + r\"\\\\\" + b'#' + \"\"  # f'z'\nbuf = 1\n"


def test_notebook_automagic_and_312_fstrings() -> None:
    text = _notebook(
        [
            (
                "code",
                "pip install google-cloud-storage --quiet\nfrom google.cloud import storage\n",
            ),
            ("code", 'print(f"{ {"a": 1}["a"] }")\nstorage.Client()\n'),
        ]
    )
    ix = index_notebook("n.ipynb", text)
    assert ix.error is None
    assert [(i.module, i.cell, i.line) for i in ix.imports] == [("google.cloud", 1, 2)]
    assert ("google.cloud.storage.Client", 2, 2) in [(c.resolved, c.cell, c.line) for c in ix.calls]
    assert len(ix.problems) == 1 and ix.problems[0].startswith("cell 2: parsed with f-strings")
