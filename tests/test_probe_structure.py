"""M6 probes: the cookiecutter layout, and data.py / model.py / train.py filled in."""

from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

#: The course template's data.py as groups receive it: methods with docstrings only.
STUB_DATA = '''\
from pathlib import Path

import typer
from torch.utils.data import Dataset


class MyDataset(Dataset):
    """My custom dataset."""

    def __init__(self, raw_data_path: Path) -> None:
        self.data_path = raw_data_path

    def __len__(self) -> int:
        """Return the length of the dataset."""

    def __getitem__(self, index: int):
        """Return a given sample from the dataset."""

    def preprocess(self, output_folder: Path) -> None:
        """Preprocess the raw data and save it to the output folder."""


def preprocess(raw_data_path: Path, output_folder: Path) -> None:
    print("Preprocessing data...")
    dataset = MyDataset(raw_data_path)
    dataset.preprocess(output_folder)


if __name__ == "__main__":
    typer.run(preprocess)
'''

REAL_DATA = '''\
"""Corrupted MNIST: load the raw shards, normalise, save tensors."""
from pathlib import Path

import torch
import typer

RAW = Path("data/raw/corruptmnist")


def normalize(images: torch.Tensor) -> torch.Tensor:
    return (images - images.mean()) / images.std()


def preprocess_data(raw_dir: Path = RAW, processed_dir: Path = Path("data/processed")) -> None:
    train_images, train_target = [], []
    for i in range(6):
        train_images.append(torch.load(raw_dir / f"train_images_{i}.pt"))
        train_target.append(torch.load(raw_dir / f"train_target_{i}.pt"))
    train_images = torch.cat(train_images).unsqueeze(1).float()
    train_target = torch.cat(train_target).long()
    test_images = torch.load(raw_dir / "test_images.pt").unsqueeze(1).float()
    test_target = torch.load(raw_dir / "test_target.pt").long()
    train_images = normalize(train_images)
    test_images = normalize(test_images)
    processed_dir.mkdir(parents=True, exist_ok=True)
    torch.save(train_images, processed_dir / "train_images.pt")
    torch.save(train_target, processed_dir / "train_target.pt")
    torch.save(test_images, processed_dir / "test_images.pt")
    torch.save(test_target, processed_dir / "test_target.pt")


def corrupt_mnist() -> tuple[torch.utils.data.Dataset, torch.utils.data.Dataset]:
    processed = Path("data/processed")
    train = torch.utils.data.TensorDataset(
        torch.load(processed / "train_images.pt"), torch.load(processed / "train_target.pt")
    )
    test = torch.utils.data.TensorDataset(
        torch.load(processed / "test_images.pt"), torch.load(processed / "test_target.pt")
    )
    return train, test


if __name__ == "__main__":
    typer.run(preprocess_data)
'''

REAL_MODEL = """\
import torch
from torch import nn


class MyAwesomeModel(nn.Module):
    def __init__(self, dropout: float = 0.5) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout = nn.Dropout(dropout)
        self.fc1 = nn.Linear(64 * 5 * 5, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.conv1(x))
        x = torch.max_pool2d(x, 2, 2)
        x = torch.relu(self.conv2(x))
        x = torch.max_pool2d(x, 2, 2)
        x = torch.flatten(x, 1)
        return self.fc1(self.dropout(x))
"""

REAL_TRAIN = """\
import torch
import typer

from mnist_project.data import corrupt_mnist
from mnist_project.model import MyAwesomeModel


def train(lr: float = 1e-3, batch_size: int = 32, epochs: int = 10) -> None:
    model = MyAwesomeModel()
    train_set, _ = corrupt_mnist()
    loader = torch.utils.data.DataLoader(train_set, batch_size=batch_size, shuffle=True)
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        model.train()
        for img, target in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(img), target)
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.3f}")
    torch.save(model.state_dict(), "models/model.pth")


if __name__ == "__main__":
    typer.run(train)
"""

#: The template's train.py: imports and one comment where the loop should be.
STUB_TRAIN = """\
from mnist_project.data import MyDataset
from mnist_project.model import Model


def train():
    dataset = MyDataset("data/raw")
    model = Model()
    # add rest of your training code here


if __name__ == "__main__":
    train()
"""

STUB_MODEL = '''\
from torch import nn


class Model(nn.Module):
    def __init__(self) -> None:
        """Build the layers."""

    def forward(self, x):
        """Run the network."""
'''

PKG = "src/mnist_project"

COOKIECUTTER = {
    f"{PKG}/__init__.py": "",
    f"{PKG}/data.py": REAL_DATA,
    f"{PKG}/model.py": REAL_MODEL,
    f"{PKG}/train.py": REAL_TRAIN,
    "tests/__init__.py": "",
    "tests/test_data.py": "def test_nothing():\n    assert True\n",
    "configs/config.yaml": "lr: 0.001\n",
    "dockerfiles/train.dockerfile": "FROM python:3.11-slim\n",
    "reports/README.md": "# Exam template for 02476\n",
    "models/.gitkeep": "",
    "pyproject.toml": '[project]\nname = "mnist_project"\nversion = "0.0.1"\n',
    "tasks.py": "from invoke import task\n",
    "README.md": "# mnist_project\n",
}


# --------------------------------------------------------------------------- layout


def test_full_cookiecutter_layout_is_found(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M6.cookiecutter-structure", COOKIECUTTER)
    assert obs.outcome is Outcome.FOUND
    assert "tests" in obs.summary and "configs" in obs.summary and "pyproject.toml" in obs.summary
    first = obs.evidence[0]
    assert (first.path, first.line, first.text) == (f"{PKG}/__init__.py", None, "")
    assert first.why == "source package"
    paths = {e.path for e in obs.evidence}
    assert "pyproject.toml" in paths and "tasks.py" in paths


def test_package_without_tests_is_partial_and_says_what_lacks(tmp_path: Path) -> None:
    files = {k: v for k, v in COOKIECUTTER.items() if not k.startswith("tests/")}
    obs = observe(tmp_path, "M6.cookiecutter-structure", files)
    assert obs.outcome is Outcome.PARTIAL
    assert "lacks a tests folder" in obs.summary


def test_flat_notebook_repository_is_missing(tmp_path: Path) -> None:
    files = {
        "main.py": "print('training')\n",
        "analysis.ipynb": "{}\n",
        "README.md": "# our project\n",
    }
    obs = observe(tmp_path, "M6.cookiecutter-structure", files)
    assert obs.outcome is Outcome.MISSING
    assert obs.checked


def test_folders_inside_a_committed_venv_do_not_make_a_layout(tmp_path: Path) -> None:
    sp = ".venv/lib/python3.11/site-packages"
    files = {
        "main.py": "print('training')\n",
        "README.md": "# our project\n",
        f"{sp}/numpy/__init__.py": "",
        f"{sp}/numpy/tests/test_core.py": "def test_x():\n    assert 1\n",
        ".venv/tests/test_a.py": "def test_a():\n    assert 1\n",
        ".venv/configs/a.yaml": "a: 1\n",
        ".venv/docs/index.md": "x\n",
        "venv/src/pkg/__init__.py": "",
    }
    obs = observe(tmp_path, "M6.cookiecutter-structure", files)
    assert obs.outcome is Outcome.MISSING
    assert all(not e.path.startswith((".venv/", "venv/")) for e in obs.evidence)


# --------------------------------------------------------------------------- data.py


def test_real_data_module_is_found_with_line_one(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M6.data-py", {f"{PKG}/__init__.py": "", f"{PKG}/data.py": REAL_DATA})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert ev.path == f"{PKG}/data.py"
    assert ev.line == 1
    assert ev.text == '"""Corrupted MNIST: load the raw shards, normalise, save tensors."""'
    assert "data code" in ev.why


def test_template_stub_data_module_is_partial_and_names_empty_methods(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M6.data-py", {f"{PKG}/__init__.py": "", f"{PKG}/data.py": STUB_DATA})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == f"data module {PKG}/data.py exists but is not filled in"
    why = obs.evidence[0].why
    assert "unfilled stub" in why and "__len__" in why and "__getitem__" in why


def test_no_data_module_is_missing(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M6.data-py", {f"{PKG}/__init__.py": "", f"{PKG}/model.py": REAL_MODEL})
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no data module found"


def test_data_module_in_tests_or_venv_does_not_count(tmp_path: Path) -> None:
    files = {
        f"{PKG}/__init__.py": "",
        "tests/data.py": REAL_DATA,
        "tests/test_data.py": REAL_DATA,
        ".venv/lib/python3.11/site-packages/torchvision/datasets/data.py": REAL_DATA,
        "site-packages/datasets/dataset.py": REAL_DATA,
    }
    obs = observe(tmp_path, "M6.data-py", files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no data module found"


def test_data_module_that_does_not_parse_is_partial(tmp_path: Path) -> None:
    broken = "def load(:\n    return 1\n"
    obs = observe(tmp_path, "M6.data-py", {f"{PKG}/data.py": broken})
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].why == "data module does not parse"


def test_data_named_module_other_than_data_py_counts(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M6.data-py", {f"{PKG}/make_dataset.py": REAL_DATA})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == f"{PKG}/make_dataset.py"


DRIFT = """\
import pandas as pd
from evidently.metric_preset import DataDriftPreset
from evidently.report import Report


def run_drift_report(reference_path: str, current_path: str, out: str) -> None:
    reference = pd.read_csv(reference_path)
    current = pd.read_csv(current_path)
    reference = reference.drop(columns=["id"])
    current = current.drop(columns=["id"])
    report = Report(metrics=[DataDriftPreset()])
    report.run(reference_data=reference, current_data=current)
    report.save_html(out)
    print("saved", out)
    summary = report.as_dict()
    drifted = summary["metrics"][0]["result"]["number_of_drifted_columns"]
    print("drifted columns:", drifted)


if __name__ == "__main__":
    run_drift_report("data/reference.csv", "data/current.csv", "drift.html")
"""


def test_data_drift_module_does_not_fill_in_the_stub_data_py(tmp_path: Path) -> None:
    files = {
        f"{PKG}/__init__.py": "",
        f"{PKG}/data.py": STUB_DATA,
        f"{PKG}/data_drift.py": DRIFT,
    }
    obs = observe(tmp_path, "M6.data-py", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].path == f"{PKG}/data.py"


# --------------------------------------------------------------------------- model/train


def test_model_and_train_filled_is_found_with_both_files(tmp_path: Path) -> None:
    files = {f"{PKG}/__init__.py": "", f"{PKG}/model.py": REAL_MODEL, f"{PKG}/train.py": REAL_TRAIN}
    obs = observe(tmp_path, "M6.model-train-py", files)
    assert obs.outcome is Outcome.FOUND
    assert [(e.path, e.line, e.text) for e in obs.evidence] == [
        (f"{PKG}/model.py", 1, "import torch"),
        (f"{PKG}/train.py", 1, "import torch"),
    ]


def test_template_train_stub_is_partial(tmp_path: Path) -> None:
    files = {f"{PKG}/__init__.py": "", f"{PKG}/model.py": REAL_MODEL, f"{PKG}/train.py": STUB_TRAIN}
    obs = observe(tmp_path, "M6.model-train-py", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "training module not filled in"


def test_model_with_empty_methods_and_no_train_is_partial(tmp_path: Path) -> None:
    files = {f"{PKG}/__init__.py": "", f"{PKG}/model.py": STUB_MODEL}
    obs = observe(tmp_path, "M6.model-train-py", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "model module not filled in; no training module"


def test_neither_model_nor_train_is_missing(tmp_path: Path) -> None:
    files = {f"{PKG}/__init__.py": "", f"{PKG}/data.py": REAL_DATA, "tests/test_model.py": ""}
    obs = observe(tmp_path, "M6.model-train-py", files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no model or training module found"


def test_test_files_named_for_model_and_training_do_not_count(tmp_path: Path) -> None:
    files = {
        f"{PKG}/__init__.py": "",
        "tests/test_model.py": REAL_MODEL,
        "tests/test_train.py": REAL_TRAIN,
        "src/mnist_project/model_test.py": REAL_MODEL,
    }
    obs = observe(tmp_path, "M6.model-train-py", files)
    assert obs.outcome is Outcome.MISSING
    assert obs.summary == "no model or training module found"


def test_loosely_named_module_counts_and_says_when_data_py_is_a_stub(tmp_path: Path) -> None:
    alone = observe(tmp_path / "a", "M6.data-py", {f"{PKG}/data_utils.py": REAL_DATA})
    assert alone.outcome is Outcome.FOUND
    assert alone.evidence[0].path == f"{PKG}/data_utils.py"
    beside = {f"{PKG}/data.py": STUB_DATA, f"{PKG}/data_utils.py": REAL_DATA}
    with_stub = observe(tmp_path / "b", "M6.data-py", beside)
    assert with_stub.outcome is Outcome.FOUND
    ev = with_stub.evidence[0]
    assert ev.path == f"{PKG}/data_utils.py"
    assert ev.why.endswith(f"({PKG}/data.py itself is a stub)")


def test_2023_template_layout_with_package_at_the_root_is_found(tmp_path: Path) -> None:
    files = {
        "mnist_project/__init__.py": "",
        "mnist_project/data/make_dataset.py": REAL_DATA,
        "tests/__init__.py": "",
        "reports/README.md": "# Exam template for 02476\n",
        "notebooks/.gitkeep": "",
        "docs/index.md": "# docs\n",
        "requirements.txt": "torch\n",
        "Makefile": "data:\n\tpython mnist_project/data/make_dataset.py\n",
    }
    obs = observe(tmp_path / "layout", "M6.cookiecutter-structure", files)
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == "mnist_project/__init__.py"
    data = observe(tmp_path / "data", "M6.data-py", files)
    assert data.outcome is Outcome.FOUND
    assert data.evidence[0].path == "mnist_project/data/make_dataset.py"


def test_folders_without_a_package_are_partial(tmp_path: Path) -> None:
    files = {
        "tests/__init__.py": "",
        "reports/README.md": "# report\n",
        "data/.gitkeep": "",
        "models/.gitkeep": "",
        "main.py": "print('train')\n",
    }
    obs = observe(tmp_path, "M6.cookiecutter-structure", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary.endswith("; lacks a source package")


def test_data_package_counts_as_the_data_module(tmp_path: Path) -> None:
    files = {
        f"{PKG}/__init__.py": "",
        f"{PKG}/data/__init__.py": "from .mnist import corrupt_mnist, preprocess_data\n",
        f"{PKG}/data/mnist.py": REAL_DATA,
    }
    obs = observe(tmp_path, "M6.data-py", files)
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].path == f"{PKG}/data/mnist.py"


def test_models_package_counts_as_the_model_module(tmp_path: Path) -> None:
    files = {
        f"{PKG}/__init__.py": "",
        f"{PKG}/models/__init__.py": "from .cnn import MyAwesomeModel\n",
        f"{PKG}/models/cnn.py": REAL_MODEL,
        f"{PKG}/train.py": REAL_TRAIN,
    }
    obs = observe(tmp_path, "M6.model-train-py", files)
    assert obs.outcome is Outcome.FOUND
    assert [e.path for e in obs.evidence] == [f"{PKG}/models/cnn.py", f"{PKG}/train.py"]


LIGHTNING_TRAIN = """\
import hydra
import lightning as L

from mnist_project.data import MnistDataModule
from mnist_project.model import MnistClassifier


@hydra.main(config_path="../../configs", config_name="config", version_base=None)
def train(cfg) -> None:
    model = MnistClassifier(lr=cfg.lr)
    trainer = L.Trainer(max_epochs=cfg.epochs, logger=L.pytorch.loggers.WandbLogger())
    trainer.fit(model, datamodule=MnistDataModule(cfg.batch_size))


if __name__ == "__main__":
    train()
"""


def test_concise_lightning_training_script_is_filled_in(tmp_path: Path) -> None:
    files = {f"{PKG}/model.py": REAL_MODEL, f"{PKG}/train.py": LIGHTNING_TRAIN}
    obs = observe(tmp_path, "M6.model-train-py", files)
    assert obs.outcome is Outcome.FOUND
    train = obs.evidence[1]
    assert (train.path, train.line, train.text) == (f"{PKG}/train.py", 1, "import hydra")
    assert train.why == "training code: 6 statements in 1 functions"


def test_short_train_py_without_training_calls_is_still_a_stub(tmp_path: Path) -> None:
    files = {f"{PKG}/model.py": REAL_MODEL, f"{PKG}/train.py": STUB_TRAIN}
    obs = observe(tmp_path, "M6.model-train-py", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "training module not filled in"


HF_DATA = """\
from datasets import load_dataset


def main() -> None:
    dataset = load_dataset("imdb")
    dataset = dataset.map(lambda x: {"text": x["text"].lower()})
    dataset.save_to_disk("data/processed/imdb")


if __name__ == "__main__":
    main()
"""


def test_short_complete_data_module_is_filled_in(tmp_path: Path) -> None:
    files = {"src/sentiment/__init__.py": "", "src/sentiment/data.py": HF_DATA}
    obs = observe(tmp_path, "M6.data-py", files)
    assert obs.outcome is Outcome.FOUND


PRETRAINED = '''\
"""Load a pretrained ResNet backbone from timm and adapt its head."""
import timm
import torch
from torch import nn


def load_backbone(name: str = "resnet18", num_classes: int = 10) -> nn.Module:
    backbone = timm.create_model(name, pretrained=True)
    for param in backbone.parameters():
        param.requires_grad = False
    in_features = backbone.get_classifier().in_features
    backbone.reset_classifier(0)
    head = nn.Linear(in_features, num_classes)
    model = nn.Sequential(backbone, head)
    model.eval()
    with torch.no_grad():
        out = model(torch.zeros(1, 3, 224, 224))
    assert out.shape == (1, num_classes)
    return model
'''


def test_pretrained_backbone_module_is_not_training_code(tmp_path: Path) -> None:
    files = {
        f"{PKG}/model.py": REAL_MODEL,
        f"{PKG}/train.py": STUB_TRAIN,
        f"{PKG}/pretrained.py": PRETRAINED,
    }
    obs = observe(tmp_path, "M6.model-train-py", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.summary == "training module not filled in"
