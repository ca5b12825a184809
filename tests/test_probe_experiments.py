from __future__ import annotations

from pathlib import Path

from probe_helpers import observe

from verifier.findings import Outcome

LIGHTNING_MODEL = """\
import lightning as L
from torch import nn


class Classifier(L.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Linear(4, 3)
"""

LIGHTNING_TRAIN = """\
import lightning as L

from pkg.model import Classifier


def main() -> None:
    trainer = L.Trainer(max_epochs=3)
    trainer.fit(Classifier())
"""


def test_lightning_module_and_trainer_found(tmp_path: Path) -> None:
    obs = observe(
        tmp_path,
        "M15.lightning",
        {"src/pkg/model.py": LIGHTNING_MODEL, "src/pkg/train.py": LIGHTNING_TRAIN},
    )
    assert obs.outcome is Outcome.FOUND
    paths = {(e.path, e.line) for e in obs.evidence}
    assert ("src/pkg/model.py", 5) in paths and ("src/pkg/train.py", 7) in paths


def test_lightning_module_without_trainer_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M15.lightning", {"src/pkg/model.py": LIGHTNING_MODEL})
    assert obs.outcome is Outcome.PARTIAL
    assert "no Trainer" in obs.summary


def test_lightning_only_declared_or_commented_is_not_use(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "p"\ndependencies = ["lightning>=2.0"]\n',
        "src/pkg/train.py": "# import lightning as L\n# trainer = L.Trainer()\nprint('torch')\n",
    }
    obs = observe(tmp_path, "M15.lightning", files)
    assert obs.outcome is Outcome.PARTIAL
    assert obs.evidence[0].path == "pyproject.toml"
    obs = observe(tmp_path / "b", "M15.lightning", {"src/pkg/train.py": "import torch\n"})
    assert obs.outcome is Outcome.MISSING


WANDB_TRAIN = """\
import wandb as wb


def train() -> None:
    run = wb.init(project="mlops")
    for step in range(3):
        wb.log({"loss": 1.0 / (step + 1)})
    run.finish()
"""


def test_wandb_init_and_log_found_through_an_alias(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M14.wandb", {"src/pkg/train.py": WANDB_TRAIN})
    assert obs.outcome is Outcome.FOUND
    assert [(e.path, e.line) for e in obs.evidence[:2]] == [
        ("src/pkg/train.py", 5),
        ("src/pkg/train.py", 7),
    ]


def test_wandb_import_never_used_is_partial(tmp_path: Path) -> None:
    obs = observe(tmp_path, "M14.wandb", {"src/pkg/train.py": "import wandb\n\nprint(1)\n"})
    assert obs.outcome is Outcome.PARTIAL
    assert "never called" in obs.summary


def test_wandb_logger_from_hydra_config_counts(tmp_path: Path) -> None:
    files = {
        "configs/logger/wandb.yaml": (
            "wandb:\n  _target_: lightning.pytorch.loggers.WandbLogger\n  project: mlops\n"
        ),
        "src/pkg/train.py": "import hydra\n",
    }
    obs = observe(tmp_path, "M14.wandb", files)
    assert obs.outcome is Outcome.FOUND
    assert (obs.evidence[0].path, obs.evidence[0].line) == ("configs/logger/wandb.yaml", 2)


def test_logging_configured_and_used(tmp_path: Path) -> None:
    code = (
        "import logging\n\nlog = logging.getLogger(__name__)\n\n\n"
        "def run() -> None:\n    log.info('started')\n"
    )
    obs = observe(tmp_path, "M14.logging", {"src/pkg/train.py": code})
    assert obs.outcome is Outcome.FOUND
    assert obs.evidence[-1].text == "log.info('started')"


def test_loguru_counts_and_print_does_not(tmp_path: Path) -> None:
    code = "from loguru import logger\n\nlogger.info('hello')\n"
    assert observe(tmp_path, "M14.logging", {"src/pkg/a.py": code}).outcome is Outcome.FOUND
    printing = {"src/pkg/a.py": "print('log this')\n"}
    assert observe(tmp_path / "b", "M14.logging", printing).outcome is Outcome.MISSING


def test_logger_set_up_but_never_used_is_partial(tmp_path: Path) -> None:
    code = "import logging\n\nlogging.basicConfig(level=logging.INFO)\n"
    obs = observe(tmp_path, "M14.logging", {"src/pkg/a.py": code})
    assert obs.outcome is Outcome.PARTIAL


def test_only_experiment_tracking_is_partial_for_event_logging(tmp_path: Path) -> None:
    code = (
        "import lightning as L\n\n\nclass M(L.LightningModule):\n"
        "    def training_step(self, batch, idx):\n        self.log('loss', 1.0)\n"
    )
    obs = observe(tmp_path, "M14.logging", {"src/pkg/model.py": code})
    assert obs.outcome is Outcome.PARTIAL
    assert (obs.evidence[0].line, obs.evidence[0].text) == (6, "self.log('loss', 1.0)")
