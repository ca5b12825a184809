from pathlib import Path

import torch

from sample_mlops.data import N_FEATURES, SPECIES, IrisDataset, normalize, preprocess, read_rows

ROWS = """5.1,3.5,1.4,0.2,Iris-setosa
7.0,3.2,4.7,1.4,Iris-versicolor
6.3,3.3,6.0,2.5,Iris-virginica
4.9,3.0,1.4,0.2,Iris-setosa

"""


def write_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "iris.csv").write_text(ROWS)
    return raw


def test_read_rows_skips_blank_lines_and_maps_species(tmp_path: Path) -> None:
    features, labels = read_rows(write_raw(tmp_path) / "iris.csv")
    assert features.shape == (4, N_FEATURES)
    assert labels.tolist() == [0, 1, 2, 0]
    assert SPECIES[labels[2]] == "Iris-virginica"


def test_normalize_gives_zero_mean_unit_std() -> None:
    x = torch.tensor([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    z = normalize(x)
    assert torch.allclose(z.mean(dim=0), torch.zeros(2), atol=1e-6)
    assert torch.allclose(z.std(dim=0), torch.ones(2), atol=1e-6)


def test_preprocess_writes_a_loadable_dataset(tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    preprocess(raw_dir=write_raw(tmp_path), processed_dir=processed)
    dataset = IrisDataset(processed)
    assert len(dataset) == 4
    features, label = dataset[1]
    assert features.shape == (N_FEATURES,)
    assert label.item() == 1
