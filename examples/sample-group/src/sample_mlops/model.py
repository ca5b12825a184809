"""A small multi-layer perceptron for the four Iris measurements."""

from __future__ import annotations

import torch
from torch import nn


class IrisClassifier(nn.Module):
    """Two hidden layers; outputs one logit per species."""

    def __init__(self, n_features: int = 4, hidden: int = 32, n_classes: int = 3, dropout: float = 0.1) -> None:
        super().__init__()
        self.n_features = n_features
        self.net = nn.Sequential(
            nn.Linear(n_features, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, n_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"expected a batch of shape (N, {self.n_features}), got {tuple(x.shape)}")
        return self.net(x)
