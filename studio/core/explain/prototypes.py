"""An embedding network explained as the classifier a prototypical network makes of it.

A metric-learning run (the Siamese template) outputs an embedding, not class scores, so Grad-CAM,
the batch grid and feature visualisation had nothing meaningful to differentiate (their softmax over
the embedding's coordinates named a "class" that was a coordinate). Here each class of the run's
validation data gets a prototype, the mean embedding of its images, and an image's score for class
k is minus its squared distance to prototype k: the nearest prototype is the prediction and the
softmax of those scores is the probability a prototypical network gives (the rule `studio few-shot`
measures, studio/core/train/few_shot.py). "Why is this image near class k" is then a CAM like any
other. The graph's own modules stay the model's submodules under their node ids, so layer names,
hooks and the Filters and Activations tabs see the network as trained.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

MAX_SAMPLES = 4096
"""Validation images embedded for the prototypes at most (the first ones)."""


class PrototypeClassifier(nn.Module):
    """`graph_module`'s embedding head turned into class scores: -||f(x) - c_k||^2 for each class k."""

    def __init__(self, graph_module: nn.Module, prototypes: torch.Tensor):
        super().__init__()
        from studio.core.train.few_shot import embedding_head_index

        self.__dict__["graph_module"] = graph_module  # its modules are added below, under their own names
        for nid, module in graph_module._modules.items():
            self.add_module(nid, module)
        self.register_buffer("prototypes", prototypes.float())
        self.input_nodes = list(getattr(graph_module, "input_nodes", []))
        self.heads = list(graph_module.heads)  # still an embedding model (few-shot reads its heads)
        self._head = embedding_head_index(graph_module)

    def forward(self, *inputs: Any) -> torch.Tensor:
        out = self.graph_module(*inputs)
        emb = out[self._head] if isinstance(out, (tuple, list)) else out
        return -torch.cdist(emb.float().flatten(1), self.prototypes).square()


def is_embedding_only(model: nn.Module) -> bool:
    """True for a graph whose only outputs are embeddings (nothing else to explain)."""
    kinds = [getattr(h, "kind", None) for h in (getattr(model, "heads", None) or [])]
    return bool(kinds) and all(k == "embedding" for k in kinds)


@torch.no_grad()
def class_prototypes(model: nn.Module, x: torch.Tensor, labels: torch.Tensor, classes: int) -> torch.Tensor:
    """(classes, D): the mean embedding of each class's images (zeros for a class with none)."""
    from studio.core.train.few_shot import embed

    emb = embed(model, x[:MAX_SAMPLES])
    labels = labels[:MAX_SAMPLES].long()
    protos = torch.zeros(classes, emb.shape[1])
    protos.index_add_(0, labels, emb)
    counts = torch.bincount(labels, minlength=classes).clamp_min(1).unsqueeze(1)
    return protos / counts


def as_prototype_classifier(project_data: dict[str, Any], model: nn.Module, bundle: Any = None) -> PrototypeClassifier:
    """The embedding model with prototypes from its run's validation data (`bundle`, that data set
    already loaded, saves reading it again)."""
    from studio.core.data.loader import load_dataset
    from studio.core.errors import UserError

    bundle = bundle if bundle is not None else load_dataset(project_data)
    if "label" not in bundle.y_val:
        raise UserError(f"dataset '{bundle.name}' has no class labels, so an embedding run has no class "
                        "prototypes to explain", "explain a run trained on labelled data")
    labels = bundle.y_val["label"]
    classes = max(len(bundle.class_names), int(labels.max()) + 1 if labels.numel() else 0)
    return PrototypeClassifier(model, class_prototypes(model, bundle.x_val, labels, classes)).eval()
