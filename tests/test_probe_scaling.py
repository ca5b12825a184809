from __future__ import annotations

import json
from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome


def test_constant_num_workers_is_found(tmp_path: Path) -> None:
    code = (
        "from torch.utils.data import DataLoader\n\n\n"
        "def loaders(ds):\n    return DataLoader(ds, batch_size=8, num_workers=4)\n"
    )
    obs = observe(tmp_path, "M29.distributed-data-loading", {"src/pkg/data.py": code})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == ("src/pkg/data.py", 5)
    assert ev.text == "return DataLoader(ds, batch_size=8, num_workers=4)"


def test_num_workers_resolved_through_hydra_config(tmp_path: Path) -> None:
    code = (
        "from torch.utils.data import DataLoader\n\n\n"
        "def loaders(ds, cfg):\n    return DataLoader(ds, num_workers=cfg.data.num_workers)\n"
    )
    files = {
        "src/pkg/data.py": code,
        "configs/config.yaml": "data:\n  batch_size: 8\n  num_workers: 6\n",
    }
    obs = observe(tmp_path, "M29.distributed-data-loading", files)
    assert obs.outcome is Outcome.FOUND
    assert any(e.path == "configs/config.yaml" and e.line == 3 for e in obs.evidence)


def test_num_workers_zero_default_is_missing_and_unknown_is_partial(tmp_path: Path) -> None:
    zero = (
        "from torch.utils.data import DataLoader\n\n\n"
        "def loaders(ds, num_workers: int = 0):\n"
        "    return DataLoader(ds, num_workers=num_workers)\n"
    )
    obs = observe(tmp_path, "M29.distributed-data-loading", {"src/pkg/data.py": zero})
    assert obs.outcome is Outcome.MISSING
    assert "single-process" in obs.summary
    unknown = (
        "from torch.utils.data import DataLoader\n\n\n"
        "def loaders(ds, workers):\n    return DataLoader(ds, num_workers=workers)\n"
    )
    obs = observe(tmp_path / "b", "M29.distributed-data-loading", {"src/pkg/data.py": unknown})
    assert obs.outcome is Outcome.PARTIAL


def test_workers_only_in_tests_or_comments_do_not_count(tmp_path: Path) -> None:
    files = {
        "tests/test_data.py": (
            "from torch.utils.data import DataLoader\n\nDataLoader([], num_workers=2)\n"
        ),
        "src/pkg/data.py": (
            "from torch.utils.data import DataLoader\n\n"
            "# DataLoader(ds, num_workers=8)\nloader = DataLoader([])\n"
        ),
    }
    obs = observe(tmp_path, "M29.distributed-data-loading", files)
    assert obs.outcome is Outcome.MISSING
    obs = observe(tmp_path / "b", "M29.distributed-data-loading", {"src/pkg/x.py": "y = 1\n"})
    assert obs.outcome is Outcome.MISSING
    assert "no PyTorch DataLoader" in obs.summary


def test_lightning_ddp_strategy_and_torchrun(tmp_path: Path) -> None:
    train = (
        "import lightning as L\n\n\n"
        "def main():\n    trainer = L.Trainer(accelerator='gpu', devices=2, strategy='ddp')\n"
    )
    obs = observe(tmp_path, "M30.distributed-training", {"src/pkg/train.py": train})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[0].line == 5
    obs = observe(
        tmp_path / "b",
        "M30.distributed-training",
        {"train.sh": "torchrun --nproc_per_node=2 src/pkg/train.py\n"},
    )
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("train.sh", 1)


def test_ddp_wrapping_and_trainer_config(tmp_path: Path) -> None:
    code = (
        "import torch\nfrom torch.nn.parallel import DistributedDataParallel as DDP\n\n"
        "torch.distributed.init_process_group('nccl')\nmodel = DDP(torch.nn.Linear(2, 2))\n"
    )
    obs = observe(tmp_path, "M30.distributed-training", {"src/pkg/train.py": code})
    assert obs.outcome is Outcome.FOUND
    assert {e.line for e in obs.evidence} == {4, 5}
    config = "trainer:\n  accelerator: gpu\n  devices: 4\n  max_epochs: 3\n"
    obs = observe(tmp_path / "b", "M30.distributed-training", {"configs/trainer.yaml": config})
    assert obs.outcome is Outcome.FOUND


def test_auto_strategy_single_device_and_ci_matrix_are_not_distributed(tmp_path: Path) -> None:
    train = (
        "import lightning as L\n\n"
        "trainer = L.Trainer(devices=1, strategy='auto')\ntrainer2 = L.Trainer(devices='auto')\n"
    )
    workflow = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n"
        "      matrix:\n        python: ['3.11', '3.12']\n    steps:\n      - run: pytest\n"
    )
    files = {"src/pkg/train.py": train, ".github/workflows/tests.yaml": workflow}
    obs = observe(tmp_path, "M30.distributed-training", files)
    assert obs.outcome is Outcome.MISSING


def test_accelerator_alone_is_partial(tmp_path: Path) -> None:
    code = "from accelerate import Accelerator\n\naccelerator = Accelerator()\n"
    obs = observe(tmp_path, "M30.distributed-training", {"src/pkg/train.py": code})
    assert obs.outcome is Outcome.PARTIAL


def test_quantization_compile_and_pruning_are_found(tmp_path: Path) -> None:
    code = (
        "import torch\nimport torch.nn.utils.prune as prune\n\n\n"
        "def optimise(model):\n"
        "    q = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear})\n"
        "    prune.l1_unstructured(model.fc, name='weight', amount=0.3)\n"
        "    return torch.compile(q)\n"
    )
    obs = observe(tmp_path, "M31.quantization-compilation-pruning", {"src/pkg/opt.py": code})
    assert obs.outcome is Outcome.FOUND
    ev = obs.evidence[0]
    assert (ev.path, ev.line) == ("src/pkg/opt.py", 6)
    assert "compilation" in obs.summary and "pruning" in obs.summary


def test_optimisation_only_in_a_notebook_is_partial(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["torch.compile is great\n"]},
            {"cell_type": "code", "source": ["model = torch.compile(model)\n"]},
        ]
    }
    files = {"notebooks/speed.ipynb": json.dumps(notebook, indent=1)}
    obs = observe(tmp_path, "M31.quantization-compilation-pruning", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].path == "notebooks/speed.ipynb"
    assert "torch.compile(model)" in obs.evidence[0].text


def test_model_compile_of_keras_or_comment_is_not_torch_compile(tmp_path: Path) -> None:
    code = "# torch.compile(model)\nmodel.compile(optimizer='adam')\nimport re\nre.compile('x')\n"
    obs = observe(tmp_path, "M31.quantization-compilation-pruning", {"src/pkg/train.py": code})
    assert obs.outcome is Outcome.MISSING
