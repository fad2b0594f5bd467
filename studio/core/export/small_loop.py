"""A small training loop for the reduction steps: fine-tuning after pruning and distillation.

The trainer (studio.core.train) runs whole projects with run folders, events and checkpoints;
here we need something narrower: a few epochs on in-memory tensors with a loss we supply (the
distillation loss mixes the teacher's soft targets in), while pruning masks stay in force. The
losses of the heads come from the graph core's `head_loss`, the same function the trainer uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from studio.core.export.onnx_export import as_outputs

LossFn = Callable[[tuple[torch.Tensor, ...], torch.Tensor, dict[str, torch.Tensor]], torch.Tensor]
"""(model outputs, batch indices, targets of the batch) -> scalar loss."""


@dataclass
class LoopData:
    """Training tensors: the model inputs and the targets by name (as a DatasetBundle holds them)."""

    inputs: tuple[torch.Tensor, ...]
    targets: dict[str, torch.Tensor]

    @property
    def n(self) -> int:
        return int(self.inputs[0].shape[0])


def heads_loss(model: nn.Module) -> LossFn:
    """The model's own training loss: its heads' losses weighted as in the project (or cross-entropy)."""
    heads = list(getattr(model, "heads", []) or [])
    if not heads or isinstance(heads[0], str):
        return lambda outputs, _idx, y: F.cross_entropy(outputs[0], y["label"])
    from studio.core.train.loss import total_loss

    return lambda outputs, _idx, y: total_loss(heads, outputs, y)


def fit(model: nn.Module, data: LoopData, epochs: int, loss_fn: LossFn | None = None, lr: float = 1e-3,
        batch_size: int = 64, seed: int = 0, device: str = "cpu", max_steps: int | None = None) -> list[float]:
    """Train `model` in place with Adam for `epochs` (or `max_steps`); the mean loss of each epoch."""
    loss_fn = loss_fn or heads_loss(model)
    model.to(device).train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=lr)
    generator = torch.Generator().manual_seed(seed)
    inputs = tuple(t.to(device) for t in data.inputs)
    targets = {k: v.to(device) for k, v in data.targets.items()}
    history, steps = [], 0
    for _ in range(int(epochs)):
        order = torch.randperm(data.n, generator=generator).to(device)
        total, batches = 0.0, 0
        for start in range(0, data.n, batch_size):
            idx = order[start:start + batch_size]
            outputs = tuple(as_outputs(model(*(t[idx] for t in inputs))))
            loss = loss_fn(outputs, idx, {k: v[idx] for k, v in targets.items()})
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += float(loss.detach())
            batches += 1
            steps += 1
            if max_steps is not None and steps >= max_steps:
                break
        history.append(total / max(batches, 1))
        if max_steps is not None and steps >= max_steps:
            break
    model.eval()
    return history
