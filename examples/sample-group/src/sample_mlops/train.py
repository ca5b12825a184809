"""Train the classifier; hyperparameters come from configs/ through Hydra."""

from __future__ import annotations

import logging
from pathlib import Path

import hydra
import torch
import wandb
from omegaconf import DictConfig, OmegaConf
from torch.utils.data import DataLoader, random_split

from sample_mlops.data import IrisDataset
from sample_mlops.model import IrisClassifier

log = logging.getLogger(__name__)


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    return (logits.argmax(dim=1) == labels).float().mean().item()


@hydra.main(config_path="../../configs", config_name="config", version_base=None)
def train(cfg: DictConfig) -> None:
    """Train for ``cfg.epochs`` epochs, log to W&B and save the weights to ``cfg.model_path``."""
    torch.manual_seed(cfg.seed)
    run = wandb.init(project=cfg.wandb.project, mode=cfg.wandb.mode, config=OmegaConf.to_container(cfg))
    dataset = IrisDataset(Path(hydra.utils.to_absolute_path(cfg.data.processed_dir)))
    n_val = int(len(dataset) * cfg.data.val_fraction)
    train_set, val_set = random_split(dataset, [len(dataset) - n_val, n_val])
    train_loader = DataLoader(train_set, batch_size=cfg.batch_size, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=len(val_set))

    model = IrisClassifier(hidden=cfg.model.hidden, dropout=cfg.model.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    log.info("training on %d samples, validating on %d", len(train_set), len(val_set))

    for epoch in range(cfg.epochs):
        model.train()
        for features, labels in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(features), labels)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            features, labels = next(iter(val_loader))
            val_acc = accuracy(model(features), labels)
        run.log({"epoch": epoch, "train_loss": loss.item(), "val_accuracy": val_acc})
        log.info("epoch %d: loss %.4f, val accuracy %.3f", epoch, loss.item(), val_acc)

    out = Path(hydra.utils.to_absolute_path(cfg.model_path))
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out)
    log.info("saved model to %s", out)
    run.finish()


if __name__ == "__main__":
    train()
