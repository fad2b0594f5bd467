"""How well an embedding head has learned, measured on held-out data, and what it looks like.

Two things a student of metric learning watches while the network trains:

* recall@1: for each validation sample, is its nearest *other* validation sample (Euclidean
  distance, the one the contrastive and triplet losses train; on L2-normalised embeddings it ranks
  neighbours exactly as cosine similarity does) of the same class? Computed on the device in blocks
  of queries, so it costs a few matrix products and one read back, never a Python loop per sample.
* a 2-D picture: the validation embeddings projected on their first two principal components
  (PCA), small enough for the event stream (a fixed subset of at most `MAX_POINTS`, coordinates
  rounded), so the view can show classes pulling apart epoch after epoch.
"""

from __future__ import annotations

from typing import Any

import torch

MAX_POINTS = 1000
"""Most validation embeddings one projection event carries (the first ones: the same every epoch)."""

_QUERY_BLOCK = 2048
"""Queries per distance block: memory stays at block x N distances for any validation set."""


def recall_at_1(emb: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The share of rows whose nearest other row (Euclidean) has the same label, as a device scalar.

    Fewer than two rows: NaN (no neighbour to ask)."""
    n = emb.shape[0]
    if n < 2:
        return torch.full((), float("nan"), device=emb.device)
    emb = emb.float()
    sq = (emb * emb).sum(dim=1)
    hits = torch.zeros((), dtype=torch.int64, device=emb.device)
    for start in range(0, n, _QUERY_BLOCK):
        q = emb[start:start + _QUERY_BLOCK]
        d2 = sq[start:start + _QUERY_BLOCK, None] + sq[None, :] - 2.0 * q @ emb.t()
        rows = torch.arange(q.shape[0], device=emb.device)
        d2[rows, rows + start] = float("inf")  # a sample is not its own neighbour
        hits += (labels[d2.argmin(dim=1)] == labels[start:start + _QUERY_BLOCK]).sum()
    return hits.double() / n


def pca_2d(emb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The rows projected on their first two principal components, and the share of the variance
    each explains. Each axis is signed so its largest loading is positive: without that rule the
    picture could flip from one epoch to the next while nothing changed."""
    x = emb.float() - emb.float().mean(dim=0, keepdim=True)
    if x.shape[1] < 2:
        x = torch.cat([x, torch.zeros(x.shape[0], 2 - x.shape[1], device=x.device)], dim=1)
    _, s, vh = torch.linalg.svd(x, full_matrices=False)
    axes = vh[:2]
    picks = axes.abs().argmax(dim=1)
    signs = torch.sign(axes[torch.arange(2, device=x.device), picks])
    axes = axes * torch.where(signs == 0, torch.ones_like(signs), signs).unsqueeze(1)
    var = s * s
    share = var[:2] / var.sum().clamp_min(1e-30)
    return x @ axes.t(), share


def projection_event(emb: torch.Tensor, labels: torch.Tensor, head: str, class_names: list[str] | None = None,
                     max_points: int = MAX_POINTS) -> dict[str, Any]:
    """The `embeddings` event's payload: a PCA of the first `max_points` validation embeddings.

    `points` are [x, y] pairs rounded to 3 decimals (1 past 10) (a few kB of JSON per epoch), `labels`
    the class index of each, `classes` the class names when the data set has them, `explained` the
    share of variance of the two axes, `n_val` how many validation samples there were in all."""
    n = int(emb.shape[0])
    sub, lab = emb[:max_points], labels[:max_points]
    if sub.shape[0] >= 2:
        pts, share = pca_2d(sub)
    else:
        pts, share = torch.zeros(sub.shape[0], 2), torch.zeros(2)
    pts = pts.double().cpu()
    decimals = 3 if not pts.numel() or float(pts.abs().max()) < 10 else 1
    return {"head": head, "points": torch.round(pts, decimals=decimals).tolist(),
            "labels": [int(v) for v in lab.cpu().tolist()], "classes": list(class_names or []),
            "explained": [round(float(v), 4) for v in share.cpu()], "n_val": n}
