"""Magnitude pruning: remove the weights (or whole filters) with the smallest absolute value.

This is the course's Optimal-Brain-Damage idea with the cheapest saliency, |w|. Two kinds:

* unstructured: the fraction of smallest weights of every Conv/Linear layer becomes zero. Accuracy
  holds up well, but a dense file does not shrink (zeros still take 4 bytes); it compresses.
* structured: whole output filters/neurons with the smallest L2 norm become zero. Speed-ups need
  the architecture slimmed afterwards; here the zeros show which filters the network can spare.
  The last layer (the one producing the output classes) is left whole: removing a class is not
  a reduction.

Pruning is applied as masks (so an optional fine-tuning keeps the pruned weights at zero) and then
made permanent (`prune.remove`), so exported files hold plain weight tensors with the zeros in.
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn
from torch.nn.utils import prune as torch_prune

from studio.core.errors import UserError
from studio.core.export.small_loop import LoopData, fit

PRUNABLE = (nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d, nn.Linear)


@dataclass
class PruneReport:
    """What pruning removed, per layer and overall."""

    kind: str
    fraction: float
    layers: dict[str, float] = field(default_factory=dict)
    """Layer name -> share of its weights that are now zero."""
    weights: int = 0
    zeros: int = 0
    protected: list[str] = field(default_factory=list)
    fine_tune_losses: list[float] = field(default_factory=list)

    @property
    def sparsity(self) -> float:
        return self.zeros / self.weights if self.weights else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "fraction": self.fraction, "sparsity": self.sparsity, "weights": self.weights,
                "zeros": self.zeros, "layers": dict(self.layers), "protected": list(self.protected),
                "fine_tune_losses": list(self.fine_tune_losses)}


def _prunable_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    return [(name, m) for name, m in model.named_modules()
            if isinstance(m, PRUNABLE) and isinstance(getattr(m, "weight", None), torch.Tensor)]


def _output_layer(model: nn.Module, example: tuple[torch.Tensor, ...] | None,
                  layers: list[tuple[str, nn.Module]]) -> str | None:
    """The last prunable layer run in a forward pass (the one producing the outputs)."""
    if example is None:
        return layers[-1][0] if layers else None
    order: list[str] = []
    handles = [m.register_forward_hook(lambda *_a, _n=name: order.append(_n)) for name, m in layers]
    try:
        with torch.no_grad():
            model.eval()(*(t[:2] for t in example))
    finally:
        for h in handles:
            h.remove()
    return order[-1] if order else None


def _check_fraction(fraction: float) -> float:
    fraction = float(fraction)
    if not 0.0 <= fraction < 1.0:
        raise UserError(f"pruning fraction {fraction} must be between 0 and 1 (exclusive of 1)",
                        "use e.g. 0.5 to remove half of the weights")
    return fraction


def prune_model(model: nn.Module, fraction: float, structured: bool = False,
                example: tuple[torch.Tensor, ...] | None = None, fine_tune: LoopData | None = None,
                fine_tune_epochs: int = 0, lr: float = 5e-4, seed: int = 0) -> tuple[nn.Module, PruneReport]:
    """A pruned copy of `model` (the original is untouched) and a report of what became zero.

    With `fine_tune` data and `fine_tune_epochs` > 0 the surviving weights are trained a little
    while the masks hold the pruned ones at zero; then the pruning is made permanent.
    """
    fraction = _check_fraction(fraction)
    pruned = copy.deepcopy(model).cpu().eval()
    layers = _prunable_layers(pruned)
    if not layers:
        raise UserError("the model has no Conv or Linear layer to prune",
                        "pruning removes weights of convolutions and linear layers")
    kind = "structured" if structured else "unstructured"
    report = PruneReport(kind, fraction)
    if structured:
        keep = _output_layer(pruned, example, layers)
        if keep:
            report.protected.append(keep)
        for name, module in layers:
            if name != keep and fraction > 0:
                torch_prune.ln_structured(module, "weight", amount=fraction, n=2, dim=0)
    else:
        for _name, module in layers:
            if fraction > 0:
                torch_prune.l1_unstructured(module, "weight", amount=fraction)
    if fine_tune is not None and fine_tune_epochs > 0:
        report.fine_tune_losses = fit(pruned, fine_tune, fine_tune_epochs, lr=lr, seed=seed)
    make_permanent(pruned)
    for name, module in layers:
        weight = module.weight.detach()
        zeros = int((weight == 0).sum())
        report.layers[name] = zeros / weight.numel()
        report.weights += weight.numel()
        report.zeros += zeros
    return pruned.eval(), report


def make_permanent(model: nn.Module) -> nn.Module:
    """Fold every pruning mask into its weight, leaving plain parameters (what exporters need)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module in model.modules():
            for hook in list(module._forward_pre_hooks.values()):
                if isinstance(hook, torch_prune.BasePruningMethod):
                    torch_prune.remove(module, hook._tensor_name)
    return model
