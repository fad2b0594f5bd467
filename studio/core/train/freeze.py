"""Transfer learning: frozen blocks, "train the head only, then unfreeze", and the backbone's own lr.

A node with `frozen: true` (docs/project-format.md) keeps its weights: its parameters get
`requires_grad=False` and stay out of the optimizer, whose one group ("head") holds every other
trainable parameter. Its normalisation layers (BatchNorm, GroupNorm and the like with running
statistics) stay in eval mode while frozen: they normalise with the statistics they were trained
with and do not update them, so a frozen backbone computes exactly the same function in every epoch
(small batches of a small data set would otherwise drift the statistics a pretrained backbone
depends on, and "frozen" would not mean unchanged).

With `unfreeze_at_epoch: N` (> 0) the frozen blocks train again from the start of epoch N + 1: their
parameters join the optimizer as a second group, "backbone", whose `lr_scale` is
`backbone_lr_scale`, the same mechanism that gives a GAN's discriminator its own lr (optim.set_lr).
A resumed run sees which groups its checkpoint's optimizer had and unfreezes before loading it.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.graph.model import Graph
from studio.core.train.config import TrainConfig
from studio.core.train.optim import add_group

HEAD_GROUP = "head"
BACKBONE_GROUP = "backbone"


def frozen_node_ids(graph: Graph) -> list[str]:
    """The ids of the graph's frozen nodes, in graph order."""
    return [n.id for n in graph.nodes if n.frozen]


def upstream_of(graph: Graph, node_id: str) -> list[str]:
    """`node_id` and every node that feeds it, directly or not, in graph order: what "freeze
    everything up to here" freezes (Input blocks, which have no weights, left out)."""
    preds: dict[str, list[str]] = {}
    for e in graph.edges:
        preds.setdefault(e.dst, []).append(e.src)
    seen, stack = {node_id}, [node_id]
    while stack:
        for src in preds.get(stack.pop(), []):
            if src not in seen:
                seen.add(src)
                stack.append(src)
    return [n.id for n in graph.nodes if n.id in seen and n.block != "Input"]


def _keep_eval(module: nn.Module, _args: Any) -> None:
    module.training = False  # whatever model.train() said: a frozen norm layer normalises as trained


def _has_running_stats(module: nn.Module) -> bool:
    return isinstance(module, nn.modules.batchnorm._NormBase) and module.track_running_stats


class Freeze:
    """The frozen part of one model during one run: apply it, build the optimizer's groups, unfreeze."""

    def __init__(self, model: nn.Module, graph: Graph, cfg: TrainConfig):
        present = dict(model.named_children())
        self.node_ids = [nid for nid in frozen_node_ids(graph) if nid in present]
        self.modules = [present[nid] for nid in self.node_ids]
        self.params = [p for m in self.modules for p in m.parameters() if p.requires_grad]
        self.unfreeze_at = int(cfg.unfreeze_at_epoch)
        self.lr_scale = float(cfg.backbone_lr_scale)
        self.thawed = False
        self._hooks: list[Any] = []

    @property
    def active(self) -> bool:
        return bool(self.params) and not self.thawed

    def apply(self) -> None:
        """requires_grad off and the norm layers held in eval mode (see the module's doc)."""
        for p in self.params:
            p.requires_grad_(False)
        for m in self.modules:
            for sub in m.modules():
                if _has_running_stats(sub):
                    sub.eval()
                    self._hooks.append(sub.register_forward_pre_hook(_keep_eval))

    def param_groups(self, model: nn.Module) -> list[dict[str, Any]]:
        """The optimizer's groups while frozen: one "head" group of every trainable parameter."""
        head = [p for p in model.parameters() if p.requires_grad]
        if not head:
            hint = (f"they train from epoch {self.unfreeze_at + 1} on (unfreeze_at_epoch), but the first "
                    f"{self.unfreeze_at} epoch(s) would train nothing" if self.unfreeze_at else "nothing would train")
            raise UserError(f"every block with weights is frozen ({', '.join(self.node_ids)}): {hint}",
                            "unfreeze the last blocks (the new head) in the inspector")
        return [{"params": head, "name": HEAD_GROUP}]

    def due(self, epochs_done: int) -> bool:
        return self.active and self.unfreeze_at > 0 and epochs_done >= self.unfreeze_at

    def unfreeze(self, optimizer: torch.optim.Optimizer, lr: float) -> list[torch.Tensor]:
        """Train the frozen blocks from now on, as the optimizer's "backbone" group (lr × backbone_lr_scale);
        returns their parameters (the trainer adds them to those it clips)."""
        for h in self._hooks:
            h.remove()
        self._hooks.clear()
        for m in self.modules:
            m.train()  # back in training mode with the rest (unfreezing happens in the training loop)
        for p in self.params:
            p.requires_grad_(True)
        add_group(optimizer, self.params, BACKBONE_GROUP, self.lr_scale, lr)
        self.thawed = True
        return self.params

    def resume(self, optimizer: torch.optim.Optimizer, saved: dict[str, Any] | None, lr: float) -> list[torch.Tensor]:
        """Before loading a checkpoint's optimizer state: unfreeze if that optimizer had the backbone group."""
        groups = (saved or {}).get("param_groups", [])
        if self.active and any(g.get("name") == BACKBONE_GROUP for g in groups):
            return self.unfreeze(optimizer, lr)
        return []

    def event(self) -> dict[str, Any]:
        shown = ", ".join(self.node_ids[:5]) + (f" and {len(self.node_ids) - 5} more" if len(self.node_ids) > 5 else "")
        return {"event": "info", "message": f"unfroze {len(self.node_ids)} block(s) ({shown}): "
                f"they train from now on at lr × {self.lr_scale:g}", "unfrozen": list(self.node_ids)}


def check_freeze_fits(freeze: Freeze, *, gan: bool, distributed: bool) -> None:
    """The two-phase schedule needs the one-group optimizer this module builds, in one process."""
    if not freeze.params or not freeze.unfreeze_at:
        return
    if gan:
        raise UserError("unfreeze_at_epoch does not apply to GAN training",
                        "set unfreeze_at_epoch to 0 (frozen blocks then stay frozen)")
    if distributed:
        raise UserError("unfreeze_at_epoch needs a one-process run (DDP cannot add weights mid-run)",
                        "train in one process, or set unfreeze_at_epoch to 0")
