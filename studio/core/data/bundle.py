"""What a dataset hands to the trainer: tensors already split, with the facts needed to check a model.

Everything is a tensor (not a per-sample `Dataset`) because the data sets Studio teaches with fit in
memory many times over; the trainer moves them to the GPU once and indexes batches there, which is
what keeps a small model from being starved by per-sample Python loading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

INPUT_KINDS = ("image", "tokens", "sequence", "table")


@dataclass
class TargetInfo:
    """One thing a head can learn: its kind and, for class-like targets, how many classes."""

    kind: str
    """"class" (int64 per sample), "box" (float, 4 in [0,1]), "mask" (int64 per pixel), "value" (float)."""
    num_classes: int | None = None
    shape: tuple[int, ...] = ()
    """Per-sample shape (no batch dim)."""


@dataclass
class DatasetBundle:
    """A dataset ready for training: split tensors, targets by name, and how the inputs were prepared."""

    name: str
    task: str
    input_kind: str
    x_train: torch.Tensor
    y_train: dict[str, torch.Tensor]
    x_val: torch.Tensor
    y_val: dict[str, torch.Tensor]
    targets: dict[str, TargetInfo]
    class_names: list[str] = field(default_factory=list)
    mean: list[float] | None = None
    std: list[float] | None = None
    """Per-channel normalisation applied to x (None when inputs are not normalised, e.g. tokens)."""
    vocab_size: int | None = None
    augment: dict[str, Any] = field(default_factory=dict)
    notes: str = ""

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    @property
    def num_classes(self) -> int | None:
        info = self.targets.get("label")
        return info.num_classes if info else None

    @property
    def n_train(self) -> int:
        return int(self.x_train.shape[0])

    @property
    def n_val(self) -> int:
        return int(self.x_val.shape[0])

    def nbytes(self) -> int:
        tensors = [self.x_train, self.x_val, *self.y_train.values(), *self.y_val.values()]
        return sum(t.element_size() * t.nelement() for t in tensors)

    def to(self, device: torch.device | str) -> DatasetBundle:
        """The same bundle with every tensor on `device` (a no-op for tensors already there)."""
        move = {k: v.to(device) for k, v in self.y_train.items()}
        move_val = {k: v.to(device) for k, v in self.y_val.items()}
        return DatasetBundle(
            name=self.name, task=self.task, input_kind=self.input_kind,
            x_train=self.x_train.to(device), y_train=move,
            x_val=self.x_val.to(device), y_val=move_val,
            targets=self.targets, class_names=self.class_names, mean=self.mean, std=self.std,
            vocab_size=self.vocab_size, augment=self.augment, notes=self.notes,
        )

    def describe(self) -> dict[str, Any]:
        """A JSON-friendly summary, stored in run.json so exports and explanations can prepare inputs."""
        return {
            "name": self.name,
            "task": self.task,
            "input_kind": self.input_kind,
            "input_shape": list(self.input_shape),
            "input_dtype": str(self.x_train.dtype).replace("torch.", ""),
            "n_train": self.n_train,
            "n_val": self.n_val,
            "num_classes": self.num_classes,
            "class_names": list(self.class_names),
            "targets": {k: {"kind": v.kind, "num_classes": v.num_classes, "shape": list(v.shape)}
                        for k, v in self.targets.items()},
            "mean": self.mean,
            "std": self.std,
            "vocab_size": self.vocab_size,
        }


@dataclass
class RawDataset:
    """A loader's output before splitting and normalisation.

    `x_val`/`y_val` are set when the source has its own validation split (MNIST's test set).
    """

    name: str
    task: str
    input_kind: str
    x: torch.Tensor
    y: dict[str, torch.Tensor]
    targets: dict[str, TargetInfo]
    class_names: list[str] = field(default_factory=list)
    x_val: torch.Tensor | None = None
    y_val: dict[str, torch.Tensor] | None = None
    vocab_size: int | None = None
    normalise: bool = True
    notes: str = ""
