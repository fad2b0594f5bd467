"""Small hand-built models whose CAMs can be written down in closed form."""

from __future__ import annotations

import torch
from torch import nn


class ConvLinear(nn.Module):
    """conv -> relu -> flatten -> linear: the class score is linear in the ReLU'd conv output."""

    def __init__(self, in_ch: int = 2, ch: int = 3, size: int = 5, classes: int = 4, inplace: bool = False):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, ch, 3, padding=1)
        self.act = nn.ReLU(inplace=inplace)
        self.fc = nn.Linear(ch * size * size, classes)
        self.shape = (ch, size, size)

    def forward(self, x):
        return self.fc(self.act(self.conv(x)).flatten(1))


class SmallCNN(nn.Module):
    """A little classifier with batch norm and dropout (both behave differently in train mode)."""

    def __init__(self, in_ch: int = 1, classes: int = 3, inplace: bool = True):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_ch, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(inplace=inplace),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(inplace=inplace), nn.MaxPool2d(2),
        )
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(16, classes)

    def forward(self, x):
        f = self.features(x)
        return self.fc(self.drop(f.mean(dim=(2, 3))))


def seeded(model: nn.Module, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    for p in model.parameters():
        nn.init.normal_(p, std=0.5)
    return model
