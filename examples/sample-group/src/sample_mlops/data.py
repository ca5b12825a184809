"""Download the Iris data set and turn it into normalised tensors."""

from __future__ import annotations

import csv
import urllib.request
from pathlib import Path

import torch
import typer
from torch.utils.data import Dataset

IRIS_URL = "https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data"
SPECIES = ("Iris-setosa", "Iris-versicolor", "Iris-virginica")
N_FEATURES = 4

app = typer.Typer(help="Data commands: download and preprocess the Iris data.")


def read_rows(path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """Read the raw CSV (4 numeric columns and a species name) into features and labels."""
    features: list[list[float]] = []
    labels: list[int] = []
    with path.open(newline="") as handle:
        for row in csv.reader(handle):
            if len(row) != N_FEATURES + 1:
                continue  # the file ends with blank lines
            features.append([float(value) for value in row[:N_FEATURES]])
            labels.append(SPECIES.index(row[N_FEATURES]))
    return torch.tensor(features, dtype=torch.float32), torch.tensor(labels, dtype=torch.long)


def normalize(features: torch.Tensor) -> torch.Tensor:
    """Scale every column to zero mean and unit variance."""
    mean = features.mean(dim=0, keepdim=True)
    std = features.std(dim=0, keepdim=True).clamp_min(1e-8)
    return (features - mean) / std


class IrisDataset(Dataset):
    """The preprocessed data set saved by ``preprocess``."""

    def __init__(self, processed_dir: Path) -> None:
        self.features = torch.load(processed_dir / "features.pt")
        self.labels = torch.load(processed_dir / "labels.pt")

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.features[index], self.labels[index]


@app.command()
def download(raw_dir: Path = Path("data/raw")) -> None:
    """Fetch the raw CSV into RAW_DIR."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    urllib.request.urlretrieve(IRIS_URL, raw_dir / "iris.csv")  # noqa: S310 - fixed https URL
    typer.echo(f"saved {raw_dir / 'iris.csv'}")


@app.command()
def preprocess(raw_dir: Path = Path("data/raw"), processed_dir: Path = Path("data/processed")) -> None:
    """Normalise the raw data and save it as tensors in PROCESSED_DIR."""
    features, labels = read_rows(raw_dir / "iris.csv")
    processed_dir.mkdir(parents=True, exist_ok=True)
    torch.save(normalize(features), processed_dir / "features.pt")
    torch.save(labels, processed_dir / "labels.pt")
    typer.echo(f"{len(labels)} samples written to {processed_dir}")


if __name__ == "__main__":
    app()
