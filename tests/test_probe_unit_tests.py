"""M16 probes: unit tests of the data code and of the model/training code."""

from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

DATA = "M16.data-tests"
MODEL = "M16.model-tests"

PROJECT = {
    "src/mnist_project/__init__.py": "",
    "src/mnist_project/data.py": "def corrupt_mnist():\n    return [], []\n",
    "src/mnist_project/model.py": "class MyAwesomeModel:\n    pass\n",
    "src/mnist_project/train.py": "def train():\n    return None\n",
    "tests/__init__.py": "",
}

DATA_TEST = """\
import torch

from mnist_project.data import corrupt_mnist


def test_data_lengths():
    train, test = corrupt_mnist()
    assert len(train) == 30000
    assert len(test) == 5000


def test_labels_are_all_present():
    train, _ = corrupt_mnist()
    assert (torch.unique(train.tensors[1]) == torch.arange(10)).all()
"""

MODEL_TEST = """\
import pytest
import torch

from mnist_project.model import MyAwesomeModel


@pytest.mark.parametrize("batch_size", [1, 32])
def test_model_output_shape(batch_size: int) -> None:
    model = MyAwesomeModel()
    y = model(torch.randn(batch_size, 1, 28, 28))
    assert y.shape == (batch_size, 10)


def test_error_on_wrong_shape():
    model = MyAwesomeModel()
    with pytest.raises(ValueError, match="Expected input to a 4D tensor"):
        model(torch.randn(1, 2, 3))
"""


def test_data_test_importing_the_data_module_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, DATA, {**PROJECT, "tests/test_data.py": DATA_TEST})
    assert obs.outcome is Outcome.FOUND
    assert obs.summary == "data tests: tests/test_data.py"
    [ev] = obs.evidence
    assert (ev.path, ev.line, ev.text) == (
        "tests/test_data.py",
        3,
        "from mnist_project.data import corrupt_mnist",
    )
    assert ev.why == "2 tests importing mnist_project.data, 3 checks"


def test_model_test_is_found_and_data_test_does_not_serve_for_it(tmp_path: Path) -> None:
    both = {**PROJECT, "tests/test_data.py": DATA_TEST, "tests/test_model.py": MODEL_TEST}
    obs = observe(tmp_path / "a", MODEL, both)
    assert obs.outcome is Outcome.FOUND
    assert [e.path for e in obs.evidence] == ["tests/test_model.py"]
    only_data = observe(tmp_path / "b", MODEL, {**PROJECT, "tests/test_data.py": DATA_TEST})
    assert only_data.outcome is Outcome.MISSING
    assert only_data.summary == "no test touches the model code"


def test_importing_through_src_prefix_counts(tmp_path: Path) -> None:
    text = DATA_TEST.replace("from mnist_project.data", "from src.mnist_project.data")
    obs = observe(tmp_path, DATA, {**PROJECT, "tests/test_data.py": text})
    assert obs.outcome is Outcome.FOUND
    assert "src.mnist_project.data" in obs.evidence[0].why


def test_renamed_test_file_that_pytest_skips_is_missing_with_a_pointer(tmp_path: Path) -> None:
    obs = observe(tmp_path, DATA, {**PROJECT, "tests/data_tests.py": DATA_TEST})
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no test that pytest would collect"
    [ev] = obs.evidence
    assert ev.path == "tests/data_tests.py"
    assert ev.why == "looks like a test file, but pytest does not collect this name"


def test_empty_test_model_file_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, MODEL, {**PROJECT, "tests/test_model.py": ""})
    assert obs.outcome is Outcome.MISSING
    assert obs.evidence[0].why == "named like a test file, but holds no test function"


def test_test_that_imports_nothing_and_asserts_nothing_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, DATA, {**PROJECT, "tests/test_data.py": "def test_data():\n    pass\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "data tests fall short"
    ev = obs.evidence[0]
    assert (ev.line, ev.text) == (1, "def test_data():")
    assert ev.why.endswith("importing none of its modules; 0 checks")


def test_test_importing_the_model_without_asserting_is_partial(tmp_path: Path) -> None:
    text = "from mnist_project.model import MyAwesomeModel\n\n\ndef test_model():\n"
    text += "    MyAwesomeModel()\n"
    obs = observe(tmp_path, MODEL, {**PROJECT, "tests/test_model.py": text})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].why.endswith("but they check nothing")


def test_checks_of_processed_data_files_without_import_count(tmp_path: Path) -> None:
    text = (
        "import torch\n\n\ndef test_processed_shapes():\n"
        '    images = torch.load("data/processed/train_images.pt")\n'
        "    assert images.shape == (30000, 1, 28, 28)\n"
        "    assert images.dtype == torch.float32\n"
    )
    obs = observe(tmp_path, DATA, {**PROJECT, "tests/test_data.py": text})
    assert obs.outcome is Outcome.FOUND


def test_pytest_ini_python_files_decides_what_is_collected(tmp_path: Path) -> None:
    ini = "[pytest]\npython_files = check_*.py\n"
    skipped = observe(
        tmp_path / "a", DATA, {**PROJECT, "pytest.ini": ini, "tests/test_data.py": DATA_TEST}
    )
    assert skipped.outcome is Outcome.MISSING
    assert "check_*.py" in skipped.checked[0]
    collected = observe(
        tmp_path / "b", DATA, {**PROJECT, "pytest.ini": ini, "tests/check_data.py": DATA_TEST}
    )
    assert collected.outcome is Outcome.FOUND
    assert collected.evidence[0].path == "tests/check_data.py"


def test_pyproject_python_files_list_is_honoured(tmp_path: Path) -> None:
    pyproject = '[tool.pytest.ini_options]\npython_files = ["check_*.py"]\n'
    files = {**PROJECT, "pyproject.toml": pyproject, "tests/test_data.py": DATA_TEST}
    obs = observe(tmp_path, DATA, files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no test that pytest would collect"
    assert obs.evidence[0].path == "tests/test_data.py"


def test_methods_of_a_non_test_class_are_not_collected(tmp_path: Path) -> None:
    text = (
        "from mnist_project.data import corrupt_mnist\n\n\nclass DataChecks:\n"
        "    def test_lengths(self):\n        assert len(corrupt_mnist()[0]) == 0\n"
    )
    obs = observe(tmp_path, DATA, {**PROJECT, "tests/test_data.py": text})
    assert obs.outcome is Outcome.MISSING


def test_tests_inside_a_committed_venv_do_not_count(tmp_path: Path) -> None:
    sp = ".venv/lib/python3.11/site-packages/torchvision"
    files = {
        **PROJECT,
        f"{sp}/tests/test_datasets.py": DATA_TEST,
        f"{sp}/tests/test_models.py": MODEL_TEST,
    }
    assert observe(tmp_path / "a", DATA, files).outcome is Outcome.MISSING
    assert observe(tmp_path / "b", MODEL, files).outcome is Outcome.MISSING


def test_importing_torch_utils_data_is_not_the_project_data_code(tmp_path: Path) -> None:
    text = (
        "from torch.utils.data import DataLoader, TensorDataset\n\n\n"
        "def test_loader():\n    assert DataLoader(TensorDataset()) is not None\n"
    )
    obs = observe(tmp_path, DATA, {**PROJECT, "tests/test_loader.py": text})
    assert obs.outcome is Outcome.PARTIAL
    assert "importing none of its modules; 1 checks" in obs.evidence[0].why


UNITTEST_MODEL_TEST = """\
import unittest

import torch

from mnist_project.model import MyAwesomeModel


class TestModel(unittest.TestCase):
    def test_output_shape(self):
        out = MyAwesomeModel()(torch.randn(2, 1, 28, 28))
        self.assertEqual(out.shape, (2, 10))

    def test_bad_input(self):
        with self.assertRaises(ValueError):
            MyAwesomeModel()(torch.randn(1, 2, 3))
"""


def test_unittest_style_assertions_count(tmp_path: Path) -> None:
    obs = observe(tmp_path, MODEL, {**PROJECT, "tests/test_model.py": UNITTEST_MODEL_TEST})
    assert obs.outcome is Outcome.FOUND


def test_testing_library_assertions_count(tmp_path: Path) -> None:
    text = (
        "import torch\n\nfrom mnist_project.model import MyAwesomeModel\n\n\n"
        "def test_zero_input_gives_zero_logits():\n"
        "    out = MyAwesomeModel()(torch.zeros(1, 1, 28, 28))\n"
        "    torch.testing.assert_close(out, torch.zeros(1, 10))\n"
    )
    obs = observe(tmp_path, MODEL, {**PROJECT, "tests/test_model.py": text})
    assert obs.outcome is Outcome.FOUND


def test_unittest_case_not_named_test_is_collected(tmp_path: Path) -> None:
    text = UNITTEST_MODEL_TEST.replace("class TestModel(", "class ModelCase(").replace(
        "self.assertEqual(out.shape, (2, 10))", "assert out.shape == (2, 10)"
    )
    obs = observe(tmp_path, MODEL, {**PROJECT, "tests/test_model.py": text})
    assert obs.outcome is Outcome.FOUND


def test_assert_true_placeholder_is_not_a_real_check(tmp_path: Path) -> None:
    text = (
        "from mnist_project.data import corrupt_mnist\n\n\n"
        "def test_data():\n    corrupt_mnist()\n    assert True\n"
    )
    obs = observe(tmp_path, DATA, {**PROJECT, "tests/test_data.py": text})
    assert obs.outcome is Outcome.PARTIAL


def test_import_inside_a_skipif_guarded_test_counts(tmp_path: Path) -> None:
    # The course's own pattern: skip when the data is not there (as in CI), import inside.
    text = (
        "import os\n\nimport pytest\n\n\n"
        '@pytest.mark.skipif(not os.path.exists("data/processed"), reason="no data")\n'
        "def test_data():\n"
        "    from mnist_project.data import corrupt_mnist\n\n"
        "    train, test = corrupt_mnist()\n"
        "    assert len(train) == 30000\n"
    )
    obs = observe(tmp_path, DATA, {**PROJECT, "tests/test_data.py": text})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.line, ev.text) == (8, "from mnist_project.data import corrupt_mnist")


def test_lightning_data_module_test_is_not_a_model_test(tmp_path: Path) -> None:
    files = {
        **PROJECT,
        "src/mnist_project/data_module.py": "class MnistDataModule:\n    pass\n",
        "tests/test_data.py": (
            "from mnist_project.data_module import MnistDataModule\n\n\n"
            "def test_setup_splits():\n"
            "    dm = MnistDataModule(batch_size=8)\n"
            '    dm.setup("fit")\n'
            "    assert len(dm.train_set) == 54000\n"
            "    assert len(dm.val_set) == 6000\n"
        ),
    }
    assert observe(tmp_path / "d", DATA, files).outcome is Outcome.FOUND
    obs = observe(tmp_path / "m", MODEL, files)
    assert obs.outcome is Outcome.MISSING
