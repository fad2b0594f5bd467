"""Output heads: which outputs a graph has, what each learns from, and its loss.

A head node marks an output of the network. It adds no weights (the layer before it produces the
logits, boxes or embeddings) but declares the task: its kind, the dataset target it learns
(`target`), its loss and metrics, and its weight in a multi-task sum. The trainer reads these as
`HeadInfo` and calls `head_loss` for each head, so a graph with several heads is multi-task learning
with weighted losses by construction.

Embedding heads learn metric spaces (Siamese networks). Instead of feeding pairs through twin
networks, one network embeds the whole batch and the loss mines pairs (contrastive) or triplets
(triplet: the hardest, the semi-hard or all triplets of the batch, the head's `mining`) among its
samples: the "twins" share weights because they are the same module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.core.graph import layers
from studio.core.graph.block_spec import (
    BlockSpec,
    Construct,
    ParamSpec,
    RuleContext,
    ShapeError,
    ShapeResult,
)
from studio.core.graph.fixes import insert_fix, set_param_fix

P = ParamSpec

BLOCKS: list[BlockSpec] = []
"""The head blocks, in palette order; `registry.register_builtin_blocks` adds them to a catalogue."""

MINING = ("hard", "semi-hard", "all")
"""How triplet loss picks its triplets from a batch (see `triplet_loss`)."""

HEAD_KINDS = ("classification", "regression", "segmentation", "embedding", "language_model", "diffusion", "gan",
              "detection", "keypoints")
DEFAULT_TARGET = {"classification": "label", "embedding": "label", "regression": "target", "segmentation": "mask",
                  "language_model": "next_token", "diffusion": "noise", "gan": "real", "detection": "boxes",
                  "keypoints": "corners"}
"""A diffusion head's target is made by the trainer: the noise it added to each image."""
METRICS = {
    "classification": ("accuracy",),
    "segmentation": ("pixel_accuracy", "mean_iou"),
    "regression": ("mae",),
    "embedding": ("recall_at_1", "pair_accuracy"),
    "language_model": ("token_accuracy", "perplexity"),
    "diffusion": ("loss",),
    "gan": ("d_real", "d_fake"),
    "detection": ("map50",),
    "keypoints": ("mean_pixel_error",),
}
"""A GAN head's target is made by the trainer: 1 for a real image, 0 for a generated one."""
NOISE_SCHEDULES = ("linear", "quadratic", "cosine")
"""A DiffusionHead's schedules (formulas in studio/core/train/diffusion.py)."""


@dataclass
class HeadInfo:
    """One output of a compiled graph, as the trainer needs it."""

    node_id: str
    kind: str
    target: str
    weight: float
    loss: str
    params: dict[str, Any] = field(default_factory=dict)
    output_shape: tuple = ()
    metrics: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"node_id": self.node_id, "kind": self.kind, "target": self.target, "weight": self.weight,
                "loss": self.loss, "params": dict(self.params), "output_shape": list(self.output_shape),
                "metrics": list(self.metrics)}


def head_info(node_id: str, kind: str, config: dict[str, Any], output_shape: tuple) -> HeadInfo:
    """Build a HeadInfo from a head node's validated parameters."""
    loss = config.get("loss", "cross_entropy")
    params = {k: v for k, v in config.items() if k not in ("weight", "target", "loss")}
    return HeadInfo(node_id, kind, config.get("target") or DEFAULT_TARGET[kind], float(config.get("weight", 1.0)),
                    loss, params, tuple(output_shape), METRICS[kind])


# --- losses -----------------------------------------------------------------------------------

def _pairwise_sq_dist(e: torch.Tensor) -> torch.Tensor:
    """Squared Euclidean distances between all rows, without the N x N x D intermediate."""
    sq = (e * e).sum(dim=1)
    return (sq.unsqueeze(1) + sq.unsqueeze(0) - 2.0 * e @ e.t()).clamp_min(0.0)


def contrastive_loss(emb: torch.Tensor, labels: torch.Tensor, margin: float = 1.0) -> torch.Tensor:
    """The course's L = 1/2 (1-y) d^2 + 1/2 y max(0, m - d)^2 averaged over all pairs in the batch.

    y = 0 for a pair with the same label (pulled together), y = 1 for different labels (pushed
    apart until they are at least the margin m away).
    """
    n = emb.shape[0]
    d2 = _pairwise_sq_dist(emb)
    iu = torch.triu_indices(n, n, offset=1, device=emb.device)
    d2 = d2[iu[0], iu[1]]
    dissimilar = (labels[iu[0]] != labels[iu[1]]).to(emb.dtype)
    d = torch.sqrt(d2 + 1e-12)
    loss = 0.5 * (1 - dissimilar) * d2 + 0.5 * dissimilar * F.relu(margin - d) ** 2
    return loss.mean() if loss.numel() else emb.sum() * 0.0


def _triplet_masks(labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(positive, negative) masks of the batch: same label but not itself, and another label."""
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    eye = torch.eye(len(labels), dtype=torch.bool, device=labels.device)
    return same & ~eye, ~same


def triplet_loss(emb: torch.Tensor, labels: torch.Tensor, margin: float = 1.0, mining: str = "hard") -> torch.Tensor:
    """The course's L = max(0, m + |a-p|^2 - |a-n|^2), averaged over the triplets `mining` picks.

    Every sample of the batch is an anchor; squared Euclidean distances throughout.
    - "hard": per anchor, its hardest positive (the farthest sample of its label) and hardest
      negative (the closest sample of another label); anchors without both are skipped.
    - "semi-hard" (FaceNet): per anchor-positive pair, the closest negative that is farther than the
      positive but still inside the margin (|a-p|^2 < |a-n|^2 < |a-p|^2 + m); a pair with no such
      negative falls back to the hardest negative of its anchor.
    - "all": every valid (anchor, positive, negative) triplet of the batch, the zero ones included.
    """
    pos_mask, neg_mask = _triplet_masks(labels)
    d2 = _pairwise_sq_dist(emb)
    # No data-dependent branch or boolean indexing: nothing here waits for the device (a batch
    # without a valid triplet averages over none and gives 0, still attached to the graph).
    if mining == "hard":
        valid = pos_mask.any(dim=1) & neg_mask.any(dim=1)
        hardest_pos = d2.masked_fill(~pos_mask, float("-inf")).amax(dim=1)  # -inf - (+inf) at worst: no NaN
        hardest_neg = d2.masked_fill(~neg_mask, float("inf")).amin(dim=1)
        losses = torch.where(valid, F.relu(margin + hardest_pos - hardest_neg), 0.0)
        return losses.sum() / valid.sum().clamp_min(1)
    if mining == "semi-hard":
        return _semi_hard(d2, pos_mask, neg_mask, margin)
    if mining == "all":
        return _all_triplets(d2, pos_mask, neg_mask, margin)
    raise ValueError(f"unknown triplet mining {mining!r}")


_CHUNK = 1 << 24
"""Most (anchor, positive, negative) entries semi-hard or all mining holds at once: anchors go in
chunks past it, so a large batch costs time, not N^3 memory."""


def _anchor_chunks(n: int) -> list[slice]:
    step = max(1, _CHUNK // max(1, n * n))
    return [slice(s, s + step) for s in range(0, n, step)]


def _semi_hard(d2: torch.Tensor, pos_mask: torch.Tensor, neg_mask: torch.Tensor, margin: float) -> torch.Tensor:
    """Mean loss over the anchor-positive pairs, each with its semi-hard (else hardest) negative.

    The choice of negative is mining, not learning: it is made on detached distances (the anchor x
    positive x negative table is never part of the backward pass, which made it most of a step's
    time), and the loss is taken on the chosen (anchor, negative) distance of each pair."""
    inf = float("inf")
    with torch.no_grad():
        d_neg = d2.detach().masked_fill(~neg_mask, inf)       # (N, N): inf where not a negative
        hardest, hardest_i = d_neg.min(dim=1, keepdim=True)   # (N, 1)
        chosen = []
        for c in _anchor_chunks(d2.shape[0]):
            d_ap, d_an = d2[c].detach().unsqueeze(2), d_neg[c].unsqueeze(1)  # (A, P, 1) and (A, 1, N)
            band = (d_an > d_ap) & (d_an < d_ap + margin)      # an inf (not a negative) is never inside
            semi, semi_i = torch.where(band, d_an, inf).min(dim=2)  # (A, P): inf where no semi-hard one
            chosen.append(torch.where(torch.isfinite(semi), semi_i, hardest_i[c]))
        negative = torch.cat(chosen)                           # (N, N): each pair's negative
        pairs = pos_mask & torch.isfinite(hardest)
    losses = torch.where(pairs, F.relu(margin + d2 - d2.gather(1, negative)), 0.0)
    return losses.sum() / pairs.sum().clamp_min(1)


def _all_triplets(d2: torch.Tensor, pos_mask: torch.Tensor, neg_mask: torch.Tensor, margin: float) -> torch.Tensor:
    """Mean loss over every valid (anchor, positive, negative) triplet of the batch."""
    total, count = d2.new_zeros(()), d2.new_zeros(())
    for c in _anchor_chunks(d2.shape[0]):
        d = d2[c]
        mask = pos_mask[c].unsqueeze(2) & neg_mask[c].unsqueeze(1)  # (A, P, N)
        total = total + torch.where(mask, F.relu(margin + d.unsqueeze(2) - d.unsqueeze(1)), 0.0).sum()
        count = count + mask.sum()
    return total / count.clamp_min(1)


# --- segmentation: the course's weighted cross-entropy ------------------------------------------

def parse_class_weights(value: Any, num_classes: int | None = None, node_id: str = "") -> str | list[float]:
    """A SegmentationHead's `class_weights`: "none", "balanced" or one weight per class (a list, or
    text "w0, w1, ..."), checked against the number of classes when it is known."""
    where = f"SegmentationHead '{node_id}'" if node_id else "SegmentationHead"
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return "none"
    if isinstance(value, str) and value.strip().lower() == "balanced":
        return "balanced"
    try:
        weights = [float(v) for v in (value.replace(";", ",").split(",") if isinstance(value, str) else value)
                   if not (isinstance(v, str) and not v.strip())]
    except (TypeError, ValueError):
        raise ValueError(f"{where}: class_weights {value!r} are not none, balanced or numbers 'w0, w1, ...'"
                         ) from None
    if not all(w >= 0 and w == w and w != float("inf") for w in weights) or not any(w > 0 for w in weights):
        raise ValueError(f"{where}: class weights must be numbers >= 0, not all 0, not {value!r}")
    if num_classes is not None and len(weights) != num_classes:
        raise ValueError(f"{where}: {len(weights)} class weights given for {num_classes} classes")
    return weights


def class_balance_weights(masks: torch.Tensor, num_classes: int) -> list[float]:
    """Inverse-frequency weights of the classes of a set of masks: w_c = n / (C · n_c), n the pixels,
    n_c those of class c (scikit-learn's "balanced"); a class with no pixel gets 1."""
    counts = torch.bincount(masks.reshape(-1).long().clamp(0, num_classes - 1), minlength=num_classes)[:num_classes]
    total = float(counts.sum())
    return [total / (num_classes * float(c)) if int(c) else 1.0 for c in counts]


def boundary_distance(mask: torch.Tensor) -> torch.Tensor:
    """Euclidean distance (N, H, W), in pixels, from each pixel to the nearest boundary pixel of its
    mask (a pixel with a 4-neighbour of another class); inf in a mask with no boundary. Exact, on the
    mask's device, without waiting for it: the squared distance is separable, so a min over the rows
    then a min over the columns (memory N·H·W·max(H, W), in chunks of images)."""
    m = mask.long()
    n, h, w = m.shape
    edge = torch.zeros_like(m, dtype=torch.bool)
    vertical, horizontal = m[:, 1:, :] != m[:, :-1, :], m[:, :, 1:] != m[:, :, :-1]
    edge[:, 1:, :] |= vertical
    edge[:, :-1, :] |= vertical
    edge[:, :, 1:] |= horizontal
    edge[:, :, :-1] |= horizontal
    inf = float("inf")
    ri = torch.arange(h, device=m.device, dtype=torch.float32)
    ci = torch.arange(w, device=m.device, dtype=torch.float32)
    dr = (ri[:, None] - ri[None, :]) ** 2  # (H, H'): (i - i')^2
    dc = (ci[:, None] - ci[None, :]) ** 2  # (W, W')
    out = []
    step = max(1, (1 << 24) // max(1, h * w * max(h, w)))
    for s in range(0, n, step):
        e = edge[s:s + step]
        # g[n, i, j] = min over rows i' holding a boundary pixel in column j of (i - i')^2
        g = torch.where(e[:, None, :, :], dr[None, :, :, None], inf).amin(dim=2)  # (n, H, W)
        # d^2[n, i, j] = min over columns j' of (j - j')^2 + g[n, i, j']
        out.append((g[:, :, None, :] + dc[None, None, :, :]).amin(dim=3).sqrt())
    return torch.cat(out) if out else torch.zeros(0, h, w, device=m.device)


def segmentation_pixel_weights(head: HeadInfo, target: torch.Tensor, num_classes: int) -> torch.Tensor | None:
    """The weight of every pixel (N, H, W) under the head's options, or None for plain cross-entropy:
    w = w_class(y) + border_weight · exp(-d² / (2 · border_sigma²)), d the pixel's distance to the
    nearest mask boundary (U-Net). `balanced` weights the trainer has not resolved from the training
    masks (`training_heads`) are taken from the batch's own masks."""
    p = head.params
    cw = parse_class_weights(p.get("class_weights", "none"), None, head.node_id)
    w0, sigma = float(p.get("border_weight", 0.0)), float(p.get("border_sigma", 5.0))
    if cw == "none" and w0 <= 0:
        return None
    t = target.long()
    if cw == "none":
        weights = torch.ones(t.shape, device=t.device)
    else:
        if cw == "balanced":
            counts = torch.bincount(t.reshape(-1).clamp(0, num_classes - 1), minlength=num_classes)[:num_classes]
            table = torch.where(counts > 0, counts.sum() / (num_classes * counts.clamp_min(1)).float(), 1.0)
        else:
            table = torch.tensor(cw, dtype=torch.float32, device=t.device)
        weights = table.float()[t.clamp(0, table.shape[0] - 1)]
    if w0 > 0:
        d = boundary_distance(t)
        weights = weights + w0 * torch.exp(-(d * d) / (2.0 * max(sigma, 1e-6) ** 2))
    return weights


def segmentation_loss(head: HeadInfo, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Per-pixel cross-entropy; with class or border weights, Σ w·CE / Σ w over the batch's pixels
    (with class weights alone that is F.cross_entropy(weight=...)'s mean)."""
    smoothing = float(head.params.get("label_smoothing", 0.0))
    weights = segmentation_pixel_weights(head, target, int(output.shape[1]))
    if weights is None:
        return F.cross_entropy(output, target.long(), label_smoothing=smoothing)
    ce = F.cross_entropy(output, target.long(), reduction="none", label_smoothing=smoothing)
    weights = weights.to(ce.dtype)
    return (weights * ce).sum() / weights.sum().clamp_min(1e-12)


def keypoint_loss(head: HeadInfo, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """MSE or smooth L1 (its `beta` in fractions of the image side) of the predicted points, the
    (N, 2K) output read as (x0, y0, x1, y1, ...) against (N, K, 2) targets."""
    t = target.to(output.dtype).reshape(output.shape)
    if head.loss == "smooth_l1":
        return F.smooth_l1_loss(output, t, beta=float(head.params.get("beta", 0.05)))
    return F.mse_loss(output, t)


def keypoint_errors(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The distance (N, K) between each predicted point and its true one, in the target's units."""
    t = target.float().reshape(target.shape[0], -1, 2)
    return (output.float().reshape(t.shape) - t).pow(2).sum(dim=-1).sqrt()


def head_loss(head: HeadInfo, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The loss of one head for a batch (unweighted; multiply by `head.weight` to sum tasks)."""
    if head.kind == "segmentation":
        return segmentation_loss(head, output, target)
    if head.kind == "classification":
        return F.cross_entropy(output, target.long(), label_smoothing=float(head.params.get("label_smoothing", 0.0)))
    if head.kind == "language_model":
        # (N, T, V) scores against (N, T) next tokens: the mean cross-entropy over every token
        return F.cross_entropy(output.reshape(-1, output.shape[-1]), target.reshape(-1).long(),
                               label_smoothing=float(head.params.get("label_smoothing", 0.0)))
    if head.kind == "diffusion":  # predicted against true noise, whatever shape the head's output has
        noise = target.to(output.dtype).reshape(output.shape)
        return F.l1_loss(output, noise) if head.loss == "l1" else F.mse_loss(output, noise)
    if head.kind == "gan":  # D's verdict against 1 (real) or 0 (fake)
        target = target.to(output.dtype).reshape(output.shape)
        if head.loss == "bce_logits":
            return F.binary_cross_entropy_with_logits(output, target)
        # BCE written out with torch's log clamp at -100: a NaN verdict (a blown-up GAN) makes a NaN
        # loss, which the trainer reports as divergence, where F.binary_cross_entropy would raise
        log_p = torch.log(output).clamp(min=-100.0)
        log_not_p = torch.log1p(-output).clamp(min=-100.0)
        return -(target * log_p + (1.0 - target) * log_not_p).mean()
    if head.kind == "regression":
        target = target.to(output.dtype)
        if target.dim() == output.dim() - 1 and output.shape[-1] == 1:
            target = target.unsqueeze(-1)
        fn = {"mse": F.mse_loss, "l1": F.l1_loss, "smooth_l1": F.smooth_l1_loss}[head.loss]
        return fn(output, target)
    if head.kind == "keypoints":  # K (x, y) points: (N, 2K) predictions against (N, K, 2) targets
        return keypoint_loss(head, output, target)
    if head.kind == "detection":  # the YOLO loss: box + objectness + class (studio/core/detection/yolo.py)
        from studio.core.detection.yolo import detection_loss

        return detection_loss(head, output, target)
    if head.kind == "embedding":
        margin = float(head.params.get("margin", 1.0))
        if head.loss == "contrastive":
            return contrastive_loss(output, target.long(), margin)
        return triplet_loss(output, target.long(), margin, str(head.params.get("mining", "hard")))
    raise ValueError(f"unknown head kind {head.kind!r}")


def init_language_model(model: nn.Module, graph: Any, head: HeadInfo) -> None:
    """The course's LM init, before a run's first step: every Embedding's table and the weight of the
    Linear feeding `head` uniform in +-init_range, that Linear's bias 0 (PyTorch's defaults, N(0, 1)
    tables scaled by sqrt(d), leave the embeddings barely moving under Adam's small steps)."""
    bound = float(head.params.get("init_range", 0.1))
    if bound <= 0:
        return
    feeders = [e.src for e in graph.incoming(head.node_id)]
    with torch.no_grad():
        for node in graph.nodes:
            module = getattr(model, node.id, None)
            if node.block == "Embedding" and isinstance(module, nn.Embedding):
                module.weight.uniform_(-bound, bound)
            elif node.id in feeders and isinstance(module, nn.Linear):
                module.weight.uniform_(-bound, bound)
                if module.bias is not None:
                    module.bias.zero_()


# --- head blocks ------------------------------------------------------------------------------

def _fc_fix(ctx: RuleContext):
    edge = ctx.sources.get("in")
    x = ctx.x()
    if edge is not None and x.rank >= 2:
        return insert_fix("Flatten", edge)
    return None


def _classification_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (1,), "class scores (N, C)", _fc_fix(ctx))
    if x.shape[0] < 2:
        fix = None
        edge = ctx.sources.get("in")
        if edge is not None:
            fix = set_param_fix(edge.src, "out_features", 2, "one score per class")
        raise ShapeError(f"{ctx.name} needs at least 2 class scores but gets {x.shown()}", fix)
    return ShapeResult(x)


def _segmentation_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (3,), "per-pixel class scores (N, C, H, W)")
    if x.shape[0] < 2:
        fix = None
        edge = ctx.sources.get("in")
        if edge is not None:
            fix = set_param_fix(edge.src, "out_channels", 2, "one score map per class")
        raise ShapeError(f"{ctx.name} needs at least 2 class score maps but gets {x.shown()}", fix)
    try:
        parse_class_weights(ctx.p.get("class_weights", "none"), x.shape[0] if isinstance(x.shape[0], int) else None,
                            ctx.node_id)
    except ValueError as exc:
        raise ShapeError(str(exc), set_param_fix(ctx.node_id, "class_weights", "balanced",
                                                 "inverse class frequencies of the training masks")) from None
    return ShapeResult(x)


def _language_model_rule(ctx: RuleContext) -> ShapeResult:
    """Next-token scores (N, T, V): one score per vocabulary token at every step."""
    x = ctx.expect_float()
    ctx.expect_rank("in", (2,), "next-token scores (N, T, V)")
    if x.shape[1] < 2:
        edge = ctx.sources.get("in")
        fix = set_param_fix(edge.src, "out_features", 2, "one score per vocabulary token") if edge else None
        raise ShapeError(f"{ctx.name} needs a score per vocabulary token but gets {x.shown()}", fix)
    return ShapeResult(x)


def _regression_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (1,), "values (N, K)", _fc_fix(ctx))
    return ShapeResult(x)


def _keypoint_rule(ctx: RuleContext) -> ShapeResult:
    """(N, 2K): an x and a y per point."""
    x = ctx.expect_float()
    ctx.expect_rank("in", (1,), "points (N, 2K): x0, y0, x1, y1, ...", _fc_fix(ctx))
    if isinstance(x.shape[0], int) and x.shape[0] % 2:
        edge = ctx.sources.get("in")
        want = max(2, x.shape[0] + 1)
        fix = set_param_fix(edge.src, "out_features", want, "an x and a y per point") if edge else None
        raise ShapeError(f"{ctx.name} needs an x and a y per point, an even count, but gets {x.shown()}", fix)
    return ShapeResult(x)


def _embedding_rule(ctx: RuleContext) -> ShapeResult:
    """Embeddings (N, D) and a margin > 0: at m = 0 mapping every sample to one point
    already scores a zero loss, so the network would learn nothing. `mining` only steers triplet loss."""
    x = ctx.expect_float()
    ctx.expect_rank("in", (1,), "embeddings (N, D)", _fc_fix(ctx))
    if ctx.p["margin"] <= 0:
        raise ShapeError(f"{ctx.name} needs a margin above 0: with margin 0 every sample mapped to one point "
                         "already has zero loss", set_param_fix(ctx.node_id, "margin", 1.0, "the course's margin"))
    return ShapeResult(x, 0, 3 * x.numel() if ctx.p["normalize"] else 0)


def _diffusion_rule(ctx: RuleContext) -> ShapeResult:
    """Predicted noise of the image's shape, and a schedule whose betas are probabilities with
    beta_start < beta_end (the cosine schedule derives its own betas and ignores both)."""
    x = ctx.expect_float()
    p = ctx.p
    if p["schedule"] != "cosine":
        if not 0 < p["beta_start"] < p["beta_end"] < 1:
            raise ShapeError(f"{ctx.name} needs 0 < beta_start < beta_end < 1 but has beta_start {p['beta_start']:g} "
                             f"and beta_end {p['beta_end']:g}",
                             set_param_fix(ctx.node_id, "beta_end", max(0.02, min(0.5, p["beta_start"] * 10)),
                                           "noise that grows from beta_start"))
    return ShapeResult(x)


def _gan_rule(ctx: RuleContext) -> ShapeResult:
    """One verdict per image: (N, 1) or (N,), a probability after a Sigmoid (bce) or a logit (bce_logits)."""
    x = ctx.expect_float()
    if x.shape not in ((), (1,)):
        edge = ctx.sources.get("in")
        fix = insert_fix("Linear", edge, {"out_features": 1}, f"insert Linear(1) before {ctx.node_id}: one score "
                                                                 f"per image") if edge else None
        raise ShapeError(f"{ctx.name} needs one score per image, (N, 1), but gets {x.shown()}", fix)
    return ShapeResult(x)


_WEIGHT = P("weight", "float", 1.0, min=0.0, help="share of this head in the multi-task loss")


def _target(kind: str) -> ParamSpec:
    return P("target", "str", DEFAULT_TARGET[kind], help="which target of the dataset this head learns")


BLOCKS.append(BlockSpec(
    "ClassificationHead", "Head",
    "A classification output: takes class scores (logits) (N, C) and learns the dataset's integer labels "
    "with cross-entropy (softmax included). Metric: accuracy.",
    (_WEIGHT, _target("classification"), P("label_smoothing", "float", 0.0, min=0.0, max=0.99)),
    ("in",), (), _classification_rule, lambda p, d: Construct(nn.Identity), head="classification"))

BLOCKS.append(BlockSpec(
    "RegressionHead", "Head",
    "A regression output (N, K): real-valued targets such as a bounding box, learned with MSE, L1 or "
    "smooth L1. Metric: mean absolute error.",
    (_WEIGHT, _target("regression"), P("loss", "choice", "mse", choices=("mse", "l1", "smooth_l1"))),
    ("in",), (), _regression_rule, lambda p, d: Construct(nn.Identity), head="regression"))

BLOCKS.append(BlockSpec(
    "SegmentationHead", "Head",
    "A per-pixel classification output (N, C, H, W) learned with per-pixel softmax + cross-entropy against "
    "an (N, H, W) mask (U-Net). The course's weighted cross-entropy: class_weights 'balanced' weights each "
    "class by its inverse frequency in the training masks (rare classes count more), border_weight adds "
    "w0·exp(-d²/2σ²) near mask boundaries (d: distance to the nearest boundary, σ = border_sigma pixels), so "
    "the thin gaps between objects are learned. Metrics: pixel accuracy, mean IoU.",
    (_WEIGHT, _target("segmentation"), P("label_smoothing", "float", 0.0, min=0.0, max=0.99),
     P("class_weights", "str", "none",
       help="none, balanced (inverse class frequency of the training masks) or one weight per class 'w0, w1, ...'"),
     P("border_weight", "float", 0.0, min=0.0, max=100.0,
       help="w0: extra weight of pixels at a mask boundary, fading with distance (U-Net's 10; 0: off)"),
     P("border_sigma", "float", 5.0, min=0.1, max=100.0,
       help="σ in pixels: how far from a boundary the extra weight reaches (U-Net's 5)")),
    ("in",), (), _segmentation_rule, lambda p, d: Construct(nn.Identity), head="segmentation"))

BLOCKS.append(BlockSpec(
    "KeypointHead", "Head",
    "A landmark output (N, 2K): the (x, y) of K points (a face's eyes, a shape's corners) as fractions of the "
    "image side, read as x0, y0, x1, y1, ..., learned with MSE or smooth L1 against (N, K, 2) targets. Metric: "
    "mean pixel error, the mean distance of a predicted point from its true one times image_size.",
    (_WEIGHT, _target("keypoints"), P("loss", "choice", "mse", choices=("mse", "smooth_l1")),
     P("beta", "float", 0.05, min=0.0001, max=1.0,
       help="smooth L1: errors below beta (a fraction of the image side) are squared, larger ones linear"),
     P("image_size", "int", 0, min=0, max=4096,
       help="pixels per image side, to report the error in pixels (0: the error as a fraction of the side)")),
    ("in",), (), _keypoint_rule, lambda p, d: Construct(nn.Identity), head="keypoints"))

BLOCKS.append(BlockSpec(
    "EmbeddingHead", "Head",
    "A metric-learning output (N, D): samples with the same label end up close, others at least margin "
    "apart. Contrastive loss uses all pairs of the batch; triplet loss the triplets its mining picks (hard: "
    "per anchor the farthest positive and closest negative; semi-hard: negatives farther than the positive "
    "but inside the margin; all: every triplet). One network embeds every sample, so Siamese weight sharing "
    "is built in. Metrics: recall@1 (is each validation sample's nearest other sample of its class), "
    "pair accuracy.",
    (_WEIGHT, _target("embedding"), P("loss", "choice", "contrastive", choices=("contrastive", "triplet")),
     P("margin", "float", 1.0, min=0.0, help="m: how far apart different labels must end up"),
     P("normalize", "bool", True, help="L2-normalise the embeddings"),
     P("mining", "choice", "hard", choices=MINING,
       help="which triplets of the batch triplet loss learns from (ignored by contrastive loss)")),
    ("in",), (), _embedding_rule,
    lambda p, d: Construct(layers.L2Normalize) if p["normalize"] else Construct(nn.Identity), head="embedding"))

BLOCKS.append(BlockSpec(
    "LanguageModelHead", "Head",
    "A language-model output (N, T, V): at every step, scores for the next token over a vocabulary of V "
    "tokens (the Linear before it needs out_features = V), learned with per-token cross-entropy against the "
    "text shifted by one. Metrics: per-token accuracy, perplexity (exp of the mean validation loss). At each "
    "epoch end the trainer samples sample_tokens tokens continuing prompt at the given temperature. A new run "
    "starts the Embedding and that Linear uniform in +-init_range (the course's 0.1), the Linear's bias at 0.",
    (_WEIGHT, _target("language_model"), P("label_smoothing", "float", 0.0, min=0.0, max=0.99),
     P("prompt", "str", "The ", help="text the sample shown at each epoch end continues"),
     P("temperature", "float", 0.8, min=0.0, max=10.0, help="sampling temperature: 0 greedy, 1 the model's own odds"),
     P("sample_tokens", "int", 200, min=0, max=2000, help="tokens sampled at each epoch end (0: none)"),
     P("init_range", "float", 0.1, min=0.0, max=10.0,
       help="the course's init: Embedding and the Linear before this head uniform in +-init_range (0: PyTorch's)")),
    ("in",), (), _language_model_rule, lambda p, d: Construct(nn.Identity), head="language_model"))

BLOCKS.append(BlockSpec(
    "DiffusionHead", "Head",
    "A diffusion model's output (DDPM): the noise the denoiser predicts for a noisy image x_t and its time step t, "
    "of the image's shape. The trainer draws t ~ U{1..T} and noise e per image, feeds x_t = sqrt(ab_t) x0 + "
    "sqrt(1 - ab_t) e and the step to the graph's inputs and learns MSE(prediction, e); the schedule sets "
    "beta_t and ab_t. Samples come from pure noise by reversing the T steps.",
    (_WEIGHT, P("target", "str", "noise", help="the noise the trainer adds (not a dataset target)"),
     P("loss", "choice", "mse", choices=("mse", "l1")),
     P("schedule", "choice", "linear", choices=NOISE_SCHEDULES, help="how the noise grows with t"),
     P("timesteps", "int", 1000, min=2, max=4000, help="T: the number of noising steps"),
     P("beta_start", "float", 1e-4, min=0.0, max=1.0, help="beta_1 (linear and quadratic)"),
     P("beta_end", "float", 0.02, min=0.0, max=1.0, help="beta_T (linear and quadratic)")),
    ("in",), (), _diffusion_rule, lambda p, d: Construct(nn.Identity), head="diffusion"))

BLOCKS.append(BlockSpec(
    "GANHead", "Head",
    "A GAN discriminator's output (N, 1): how real each image looks, learned with binary cross-entropy. The "
    "trainer alternates a discriminator step (real images -> 1, generated -> 0) and a generator step (generated "
    "-> 1, through the discriminator). bce expects a probability (a Sigmoid before it, as in the course); "
    "bce_logits a raw score. Metrics: D(x) and D(G(z)), the mean verdict on real and on generated images.",
    (_WEIGHT, P("target", "str", "real", help="made by the trainer: 1 for real images, 0 for generated ones"),
     P("loss", "choice", "bce", choices=("bce", "bce_logits"))),
    ("in",), (), _gan_rule, lambda p, d: Construct(nn.Identity), head="gan"))
