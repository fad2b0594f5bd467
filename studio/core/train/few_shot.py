"""Few-shot evaluation of an embedding model: prototypical networks over N-way K-shot episodes.

The course's "limited data" lesson: a network that has learned a good embedding can recognise a
class from a handful of examples without training again. One episode:

* pick N classes (N-way) at random among those with enough samples, and for each K support samples
  (K-shot) and Q query samples, all distinct;
* each class's prototype is the mean embedding of its K support samples (Snell et al., 2017);
* each query is given the class of its nearest prototype (squared Euclidean distance, the distance
  the contrastive and triplet losses train; on unit embeddings it ranks as cosine similarity does);
* the episode's accuracy is the share of its N x Q queries classified right.

The figure for a setting is the mean accuracy over many episodes with its 95 % confidence interval,
1.96 x std / sqrt(episodes), the way few-shot papers report it. Chance is 1/N.

Embeddings are computed once for the whole pool (one forward pass in batches); episodes only index
them, so 1,000 episodes cost milliseconds. Episodes are drawn from a `torch.Generator` seeded with
`seed`: the same pool, settings and seed give the same figures.

Which samples: by default the run's validation split (never trained on). Where the evaluation data
has classes the run never saw in training (a user's image folder with new classes), episodes are
drawn from those novel classes only when there are at least N of them (`held_out`), which is the
real few-shot question; otherwise from every class, and the report says the classes were seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import torch

from studio.core.errors import UserError

DEFAULT_SETTINGS = ((5, 1), (5, 5))
"""(way, shot) pairs evaluated when none are asked for: the course's 5-way 1-shot and 5-way 5-shot."""


@dataclass(frozen=True)
class Setting:
    way: int
    shot: int

    @property
    def name(self) -> str:
        return f"{self.way}-way {self.shot}-shot"


@dataclass
class SettingResult:
    way: int
    shot: int
    queries: int
    episodes: int
    accuracy: float
    ci95: float
    std: float
    chance: float
    accuracies: list[float] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"way": self.way, "shot": self.shot, "queries": self.queries, "episodes": self.episodes,
                "accuracy": round(self.accuracy, 6), "ci95": round(self.ci95, 6), "std": round(self.std, 6),
                "chance": round(self.chance, 6)}

    def line(self) -> str:
        return (f"{self.way}-way {self.shot}-shot: {100 * self.accuracy:.1f} % ± {100 * self.ci95:.1f} "
                f"(95 % CI, {self.episodes} episodes, {self.queries} queries per class; chance {100 * self.chance:.1f} %)")


def embedding_head_index(model) -> int:
    """The position of the model's first embedding head among its outputs, or a UserError."""
    kinds = [h.kind for h in getattr(model, "heads", [])]
    if "embedding" not in kinds:
        raise UserError("few-shot evaluation needs a model with an EmbeddingHead (its heads: "
                        f"{', '.join(kinds) or 'none'})",
                        "train a metric-learning project, e.g. the 'Siamese embedding' template")
    return kinds.index("embedding")


@torch.no_grad()
def embed(model, x: torch.Tensor, batch_size: int = 512) -> torch.Tensor:
    """The embedding head's output for every row of `x`, in eval mode, as one (N, D) float tensor."""
    head = embedding_head_index(model)
    n_outputs = len(model.heads)
    was_training = model.training
    model.eval()
    try:
        parts = []
        for start in range(0, int(x.shape[0]), batch_size):
            xb = x[start:start + batch_size]
            out = model(*((xb,) * len(model.input_nodes)))
            out = out if n_outputs > 1 else (out,)
            parts.append(out[head].float().flatten(1))
        return torch.cat(parts) if parts else torch.zeros(0, 0)
    finally:
        model.train(was_training)


def _eligible(labels: torch.Tensor, need: int, classes: list[int] | None) -> list[int]:
    counts = torch.bincount(labels, minlength=int(labels.max()) + 1 if labels.numel() else 0)
    pool = classes if classes is not None else range(counts.numel())
    return [int(c) for c in pool if c < counts.numel() and int(counts[c]) >= need]


def run_episodes(emb: torch.Tensor, labels: torch.Tensor, way: int, shot: int, queries: int = 15,
                 episodes: int = 200, seed: int = 0, classes: list[int] | None = None) -> SettingResult:
    """Prototypical-network accuracy of `emb` (N, D) with class `labels` (N,) over seeded episodes.

    `classes` restricts the episodes to those labels (e.g. the held-out ones). Each class in an
    episode needs shot + queries distinct samples; classes with fewer are left out, and fewer than
    `way` such classes is a UserError naming the numbers."""
    if way < 2 or shot < 1 or queries < 1 or episodes < 1:
        raise UserError(f"way {way}, shot {shot}, queries {queries}, episodes {episodes}: need way >= 2 and "
                        "shot, queries, episodes >= 1")
    labels = labels.long().cpu()
    emb = emb.float().cpu()
    eligible = _eligible(labels, shot + queries, classes)
    if len(eligible) < way:
        raise UserError(f"{way}-way {shot}-shot with {queries} queries needs {way} classes with at least "
                        f"{shot + queries} samples each; the data has {len(eligible)}",
                        "lower --way, --shot or --queries, or evaluate on more data")
    by_class = {c: torch.nonzero(labels == c).flatten() for c in eligible}
    gen = torch.Generator().manual_seed(int(seed))
    eligible_t = torch.tensor(eligible)
    accs = torch.empty(episodes, dtype=torch.float64)
    target = torch.arange(way).repeat_interleave(queries)
    for e in range(episodes):
        chosen = eligible_t[torch.randperm(len(eligible), generator=gen)[:way]].tolist()
        support, query = [], []
        for c in chosen:
            idx = by_class[c]
            pick = idx[torch.randperm(idx.numel(), generator=gen)[:shot + queries]]
            support.append(pick[:shot])
            query.append(pick[shot:])
        s = emb[torch.cat(support)].view(way, shot, -1)
        prototypes = s.mean(dim=1)
        q = emb[torch.cat(query)]
        d2 = torch.cdist(q, prototypes).square()
        accs[e] = (d2.argmin(dim=1) == target).double().mean()
    mean = float(accs.mean())
    std = float(accs.std(unbiased=True)) if episodes > 1 else 0.0
    ci = 1.96 * std / math.sqrt(episodes)
    return SettingResult(way, shot, queries, episodes, mean, ci, std, 1.0 / way, accs.tolist())


@dataclass
class FewShotReport:
    settings: list[SettingResult]
    n_samples: int
    n_classes: int
    classes_used: list[str]
    held_out: bool
    """True when the episodes drew only on classes the model never saw in training."""
    source: str
    seed: int

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "n_samples": self.n_samples, "n_classes": self.n_classes,
                "classes": self.classes_used, "held_out": self.held_out, "seed": self.seed,
                "settings": [s.to_json() for s in self.settings]}


def evaluate(model, x: torch.Tensor, labels: torch.Tensor, class_names: list[str],
             trained_classes: list[str] | None, settings=DEFAULT_SETTINGS, queries: int = 15,
             episodes: int = 200, seed: int = 0, source: str = "", batch_size: int = 512) -> FewShotReport:
    """Embed `x` once with `model` and run `episodes` episodes of every (way, shot) in `settings`.

    `trained_classes` are the class names the model was trained on (None: unknown); classes of the
    evaluation data outside it are held out, and used alone when there are enough of them for the
    largest way."""
    emb = embed(model, x, batch_size)
    labels = labels.long().cpu()
    names = list(class_names) or [str(i) for i in range(int(labels.max()) + 1 if labels.numel() else 0)]
    novel = [i for i, n in enumerate(names) if trained_classes is not None and n not in set(trained_classes)]
    max_way = max(int(w) for w, _ in settings)
    max_need = max(int(k) for _, k in settings) + queries
    usable_novel = _eligible(labels, max_need, novel) if novel else []
    held_out = len(usable_novel) >= max_way
    classes = usable_novel if held_out else None
    results = [run_episodes(emb, labels, int(w), int(k), queries, episodes, seed, classes) for w, k in settings]
    used = [names[c] for c in (classes if classes is not None else sorted(set(labels.tolist())))]
    return FewShotReport(results, int(labels.numel()), len(set(labels.tolist())), used, held_out, source, int(seed))


@dataclass
class EpisodePool:
    """The samples episodes are drawn from, and what the report says about them."""

    x: torch.Tensor
    labels: torch.Tensor
    names: list[str]
    trained: list[str]
    """The classes the run trained on: those of the pool the run never saw are held out."""
    source: str


def folder_pool(root: str, dataset: dict[str, Any]) -> tuple[torch.Tensor, torch.Tensor, list[str]]:
    """Every image of a class folder, sized and normalised like the run's training images."""
    from studio.core.data.loader import LOADERS

    shape = dataset.get("input_shape") or []
    if dataset.get("input_kind") != "image" or len(shape) != 3 or shape[1] != shape[2]:
        raise UserError(f"an image folder needs a run trained on square images (this one takes {shape})",
                        "use the run's validation data instead")
    raw = LOADERS["folder"]({"root": root, "image_size": int(shape[1]), "channels": int(shape[0])})
    x = raw.x.float()
    if dataset.get("mean") and dataset.get("std"):
        mean = torch.tensor(dataset["mean"]).view(1, -1, 1, 1)
        std = torch.tensor(dataset["std"]).view(1, -1, 1, 1)
        x = (x - mean) / std
    return x, raw.y["label"], list(raw.class_names)


def episode_pool(project_data: dict[str, Any], dataset: dict[str, Any], folder: str | None,
                 no_labels_fix: str) -> EpisodePool:
    """The pool of `studio few-shot` and of the Explain panel's Few-shot tab alike: the image folder
    when one is given, else the validation split of the run's dataset (`project_data`); `dataset`
    is the run's record of the data it trained on (run.json)."""
    from studio.core.data.loader import load_dataset

    trained = list(dataset.get("class_names") or [])
    if folder is not None:
        x, labels, names = folder_pool(str(folder), dataset)
        return EpisodePool(x, labels, names, trained, f"folder {folder}")
    bundle = load_dataset(project_data)
    if "label" not in bundle.y_val:
        raise UserError(f"dataset '{bundle.name}' has no class labels to draw episodes from", no_labels_fix)
    names = list(bundle.class_names)
    return EpisodePool(bundle.x_val, bundle.y_val["label"], names, trained or names,
                       f"{bundle.name} validation split")
