"""From a model's output to the one score per image that an explanation differentiates.

Models answer in several shapes: a tensor of class logits, a tuple with one tensor per head (a
Studio graph with a classification head and a box head), a dict, a per-pixel map (a U-Net). We pick
one output (the head) and read its dimension 1 as "the class"; any further dimensions (pixels,
positions) are averaged, which is the usual way to ask "why does the network see class c here"
of a segmentation map.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError

TargetSpec = Any
"""None or "predicted", "true", a class index, a class name, or one of those per image."""


def head_names(model: nn.Module) -> list[str]:
    """The names of a Studio graph's heads, in output order (empty for other models)."""
    heads = getattr(model, "heads", None)
    if heads is None:
        return []
    if isinstance(heads, dict):
        return [str(k) for k in heads]
    try:
        return [str(getattr(h, "node_id", getattr(h, "id", h))) for h in heads]
    except TypeError:
        return []


def default_head(model: nn.Module) -> int:
    """The first classification head of a Studio graph (class maps are what CAM is for), else 0."""
    kinds = [getattr(h, "kind", None) for h in (getattr(model, "heads", None) or [])]
    return kinds.index("classification") if "classification" in kinds else 0


def pick_output(model: nn.Module, output: Any, head: int | str | None = None) -> torch.Tensor:
    """The output tensor of the requested head: by index, by head name, or the first one."""
    if isinstance(output, torch.Tensor):
        if head not in (None, 0) and not (isinstance(head, str) and head_names(model)[:1] == [head]):
            raise UserError(f"the model has a single output; head {head!r} does not exist")
        return output
    if isinstance(output, dict):
        keys = list(output)
        if head is None:
            head = keys[0]
        if isinstance(head, int):
            head = keys[head] if 0 <= head < len(keys) else head
        if head not in output:
            raise UserError(f"no head named {head!r}", f"choose one of {', '.join(map(str, keys))}")
        return pick_output(model, output[head])
    if isinstance(output, (tuple, list)):
        names = head_names(model)
        index = default_head(model) if len(names) == len(output) else 0
        if isinstance(head, str):
            if head not in names:
                raise UserError(f"no head named {head!r}", f"choose one of {', '.join(names) or 'none'}")
            index = names.index(head)
        elif isinstance(head, int):
            index = head
        if not 0 <= index < len(output):
            raise UserError(f"head index {index} is out of range", f"the model has {len(output)} outputs")
        return pick_output(model, output[index])
    raise TypeError(f"cannot explain a model output of type {type(output).__name__}")


def class_scores(out: torch.Tensor) -> torch.Tensor:
    """(B, C) scores: dimension 1 is the class, further dimensions are averaged."""
    if out.dim() == 1:
        return out.unsqueeze(1)
    if out.dim() == 2:
        return out
    return out.flatten(2).mean(dim=2)


def resolve_targets(scores: torch.Tensor, target: TargetSpec, labels: torch.Tensor | Sequence[int] | None = None,
                    class_names: Sequence[str] | None = None) -> torch.Tensor:
    """One class index per image (int64, on the scores' device)."""
    batch, classes = scores.shape
    names = list(class_names or [])

    def one(value: Any) -> int:
        if isinstance(value, str):
            if value.lstrip("-").isdigit():
                value = int(value)
            elif value in names:
                return names.index(value)
            else:
                hint = f"choose a class index 0..{classes - 1}" + (f" or one of {', '.join(names)}" if names else "")
                raise UserError(f"unknown target class {value!r}", hint)
        index = int(value)
        if not 0 <= index < classes:
            raise UserError(f"target class {index} is out of range", f"the model scores {classes} classes (0..{classes - 1})")
        return index

    if target is None or (isinstance(target, str) and target == "predicted"):
        return scores.detach().argmax(dim=1)
    if isinstance(target, str) and target == "true":
        if labels is None:
            raise UserError("target 'true' needs the images' true labels", "pick 'predicted' or a class")
        labels_t = torch.as_tensor(labels, device=scores.device).long().reshape(-1)
        if labels_t.numel() != batch:
            raise UserError(f"{labels_t.numel()} labels for {batch} images")
        return torch.tensor([one(v) for v in labels_t.tolist()], device=scores.device)
    if isinstance(target, torch.Tensor):
        target = target.reshape(-1).tolist()
        if len(target) == 1:
            target = target[0]
    if isinstance(target, (list, tuple)):
        if len(target) != batch:
            raise UserError(f"{len(target)} target classes for {batch} images")
        return torch.tensor([one(v) for v in target], device=scores.device)
    return torch.full((batch,), one(target), device=scores.device, dtype=torch.long)


def run_model(model: nn.Module, x: torch.Tensor, forward=None) -> Any:
    """Call the model (or the caller's own forward function, for models with unusual inputs)."""
    return forward(model, x) if forward is not None else model(x)
