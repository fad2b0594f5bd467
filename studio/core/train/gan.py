"""GAN training: what a run of a generator + discriminator graph does that a supervised run does not.

The graph holds both networks (graph/networks.py); one compiled module holds every weight, and
`GraphModule.run_part` runs either network alone: the generator from noise (and a class label, for
a conditional GAN) to the fake image, the discriminator from an image, real or fake, to its
verdict. One step is the course's alternation with the non-saturating generator loss:

    D step:  loss_D = BCE(D(x), 1) + BCE(D(G(z)), 0)          (G's output detached)
    G step:  loss_G = BCE(D(G(z)), 1)                          (only G's weights move)

Both networks share one optimizer with two parameter groups (the discriminator's may have its
own learning rate, `d_lr`: the course's "different learning rates for G and D"); a step only moves
the group whose gradients it made, so Adam keeps its per-weight state per network, and the
checkpoint, resume, pause and the LR schedule are the trainer's, unchanged.

What the student sees comes from here as well: D(x) and D(G(z)) per step, and at each epoch end a
grid of samples from a *fixed* noise batch (the same z every epoch, so the digits are seen forming),
and figures computed with a small classifier trained on the run's own data when the run starts
(`FeatureNet`): the share of samples it recognises with confidence >= 0.9, how many classes they
cover, and a Frechet distance between its features of real and generated images. That distance is
FID-like, not the Inception FID of the papers: it compares the same statistics with a much smaller
feature extractor trained on this data set, so its numbers are only comparable within Studio.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.core.data.bundle import DatasetBundle
from studio.core.errors import UserError
from studio.core.graph.networks import GanStructure, gan_structure
from studio.core.train.diffusion import images_in_signed_range, to_uint8

GRID_SAMPLES = 64
"""Samples in the live grid (8 x 8), drawn from the same fixed noise at every epoch end."""
GRID_COLUMNS = 8
MAX_GRID_ROWS = 16
"""A conditional GAN's grid has a row of GRID_COLUMNS samples per class (the first 16 classes)."""
EVAL_SAMPLES = 256
"""Samples drawn at each epoch end for the figures (recognised share, classes, FID-like, diversity)."""
CONFIDENT = 0.9
"""A sample counts as recognised when the feature classifier gives its class at least this probability."""
COLLAPSE_DIVERSITY = 0.5
"""Below this share of the real images' spread, the samples are too alike: mode collapse."""
COLLAPSE_ONE_CLASS = 0.5
"""Or when one class is more than this share of the recognised samples."""
SETTLING_STEPS = 300
"""No collapse warning in the first steps (and never in epoch 1): every generator starts out drawing one blur."""

ADVICE = (
    "give the discriminator noise on its inputs (training d_input_noise 0.05 to 0.1) so it cannot win too easily",
    "use different learning rates: slow the discriminator (d_lr half of lr) when D(x) stays near 1 and D(G(z)) "
    "near 0",
    "Adam with betas (0.5, 0.999) and lr 2e-4, as in the course, is the usual starting point",
)
"""The course's advice for a GAN that collapses or whose discriminator wins."""


class FeatureNet(nn.Module):
    """The small classifier behind the FID-like figure: an MLP on the flattened image whose hidden
    layer gives the features. Trained on the run's training images for a few hundred steps when a
    GAN run starts (about a second on a CPU for digits); seeded, so a resumed run has the same one."""

    def __init__(self, inputs: int, classes: int, hidden: int = 256):
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.out = nn.Linear(hidden, classes)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features = self.body(x)
        return features, self.out(features)


def train_feature_net(x: torch.Tensor, y: torch.Tensor, classes: int, seed: int, steps: int = 600) -> FeatureNet:
    gen = torch.Generator(device=x.device).manual_seed(seed + 7)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed + 7)
        net = FeatureNet(int(math.prod(x.shape[1:])), classes).to(x.device)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    batch = min(128, x.shape[0])
    with torch.enable_grad():
        for _ in range(steps):
            idx = torch.randint(0, x.shape[0], (batch,), generator=gen, device=x.device)
            loss = F.cross_entropy(net(x[idx])[1], y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return net.eval().requires_grad_(False)


def frechet_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """||mu_a - mu_b||^2 + Tr(C_a + C_b - 2 (C_a C_b)^(1/2)) of two feature sets (rows are samples).

    The trace of the matrix square root is the sum of the square roots of the eigenvalues of
    C_a^(1/2) C_b C_a^(1/2), a symmetric matrix, so `eigh` suffices (float64 throughout)."""
    a, b = a.double(), b.double()
    mu_a, mu_b = a.mean(0), b.mean(0)
    ca, cb = torch.cov(a.T), torch.cov(b.T)
    vals, vecs = torch.linalg.eigh(ca)
    root_a = vecs @ torch.diag(vals.clamp(min=0).sqrt()) @ vecs.T
    middle = torch.linalg.eigvalsh(root_a @ cb @ root_a).clamp(min=0).sqrt().sum()
    return float(((mu_a - mu_b) ** 2).sum() + torch.trace(ca) + torch.trace(cb) - 2 * middle)


def mean_pairwise_distance(x: torch.Tensor) -> float:
    """The mean L2 distance between two different images of the batch: how varied it is."""
    flat = x.reshape(x.shape[0], -1).float()
    d = torch.cdist(flat, flat)
    n = flat.shape[0]
    return float(d.sum() / max(1, n * (n - 1)))


class GanRun:
    """What a run of a GAN graph does differently: its optimizer groups, its step, its validation
    and its `gan` event (docs/training.md, "GAN")."""

    def __init__(self, model: Any, structure: GanStructure, head: Any, bundle: DatasetBundle, seed: int,
                 d_input_noise: float = 0.0):
        self.model = model
        self.s = structure
        self.head = head
        self.seed = int(seed)
        self.d_input_noise = float(d_input_noise)
        self.image_shape = tuple(int(v) for v in bundle.input_shape)
        sources = model.input_sources
        self.g_inputs = [n for n in model.input_nodes if n in structure.generator_nodes]
        self.d_inputs = [n for n in model.input_nodes if n in structure.discriminator_nodes]
        self.noise_node = next(n for n in self.g_inputs if sources[n] == "noise")
        self.z_shape = tuple(model.input_shapes[self.noise_node])
        self.conditional = any(sources[n] == "label" for n in self.g_inputs + self.d_inputs)
        self.num_classes = int(bundle.num_classes or 0)
        self.class_names = list(bundle.class_names)
        self.bridge = (structure.bridge.src, structure.bridge.src_port)
        g_ids, d_ids = structure.generator_nodes, structure.discriminator_nodes
        self.g_params = [p for name, p in model.named_parameters() if name.split(".")[0] in g_ids and p.requires_grad]
        self.d_params = [p for name, p in model.named_parameters() if name.split(".")[0] in d_ids and p.requires_grad]
        self.feature_net: FeatureNet | None = None
        self._fixed: tuple[torch.Tensor, torch.Tensor | None] | None = None
        self._eval: tuple[torch.Tensor, torch.Tensor | None] | None = None
        self._real_spread: float | None = None
        self._real_features: torch.Tensor | None = None
        self.latest: dict[str, Any] = {}

    # --- set-up --------------------------------------------------------------------------------
    @classmethod
    def for_model(cls, model: Any, graph: Any, bundle: DatasetBundle, seed: int,
                  d_input_noise: float = 0.0) -> GanRun | None:
        """None for a graph that is not a GAN; else the run, after checking that graph and data fit."""
        structure = gan_structure(graph)
        if structure is None:
            return None
        heads = [h for h in model.heads if h.kind == "gan"]
        if len(model.heads) != 1 or not heads:
            raise UserError(f"a GAN has one head, the discriminator's GANHead, but this graph has "
                            f"{len(model.heads)} head(s)", "keep one GANHead at the end of the discriminator")
        sources = model.input_sources
        for node in model.input_nodes:
            if sources[node] not in ("noise", "label"):
                where = "generator" if node in structure.generator_nodes else "discriminator"
                raise UserError(f"Input '{node}' of the {where} has source {sources[node]!r}; a GAN's inputs are "
                                f"the noise (source noise) and, for a conditional GAN, the class (source label)",
                                "real images reach the discriminator through the generator's output wire; "
                                f"delete Input '{node}' or set its source")
        if bundle.input_kind != "image":
            raise UserError(f"a GAN learns to draw images, but dataset '{bundle.name}' gives {bundle.input_kind} data",
                            "pick an image dataset (digits, mnist, an image folder)")
        data_shape = tuple(int(v) for v in bundle.input_shape)
        report_shape = tuple(int(v) for v in model.output_shape_of(structure.output_node))
        if report_shape != data_shape:
            raise UserError(f"the generator draws images of shape {list(report_shape)} (block "
                            f"'{structure.output_node}'), but dataset '{bundle.name}' has images of shape "
                            f"{list(data_shape)}, so the discriminator cannot compare them",
                            f"make '{structure.output_node}' output {list(data_shape)} (e.g. a Reshape to "
                            f"{list(data_shape)}), or change the dataset's image size")
        if any(sources[n] == "label" for n in model.input_nodes) and not bundle.num_classes:
            raise UserError(f"this is a conditional GAN (an Input with source label), but dataset '{bundle.name}' "
                            f"has no class labels", "pick a labelled dataset, or delete the label Inputs")
        return cls(model, structure, heads[0], bundle, seed, d_input_noise)

    def prepare(self, bundle: DatasetBundle) -> DatasetBundle:
        """Images in [-1, 1], the range of the generator's Tanh."""
        return images_in_signed_range(bundle)

    def param_groups(self, d_lr_scale: float) -> list[dict[str, Any]]:
        """The optimizer's two groups; the trainer's set_lr multiplies the D group's lr by lr_scale."""
        return [{"params": self.g_params, "name": "generator"},
                {"params": self.d_params, "name": "discriminator", "lr_scale": float(d_lr_scale)}]

    def fit_feature_net(self, data: DatasetBundle, device: torch.device) -> None:
        """Train the classifier behind the figures (only on labelled data with 2+ classes)."""
        if self.num_classes < 2 or "label" not in data.y_train:
            return
        x = data.x_train.to(device).float()
        y = data.y_train["label"].to(device).long()
        self.feature_net = train_feature_net(x, y, self.num_classes, self.seed)
        with torch.no_grad():
            x_val = data.x_val.to(device).float()[:EVAL_SAMPLES]
            self._real_features = self.feature_net(x_val)[0]
            self._real_spread = mean_pairwise_distance(x_val)
            acc = (self.feature_net(data.x_val.to(device).float())[1].argmax(1)
                   == data.y_val["label"].to(device)).float().mean()
        self.feature_accuracy = float(acc)

    # --- the two networks ----------------------------------------------------------------------
    def _labels_for(self, nodes: list[str], labels: torch.Tensor | None) -> dict[str, torch.Tensor]:
        sources = self.model.input_sources
        out = {}
        for n in nodes:
            if sources[n] == "label":
                assert labels is not None
                out[n] = labels.view(-1, 1).long()
        return out

    def generate(self, model: Any, z: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        inputs = {self.noise_node: z, **self._labels_for(self.g_inputs, labels)}
        return model.run_part(self.s.generator_nodes, inputs, {}, [self.bridge])[0]

    def discriminate(self, model: Any, images: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        inputs = self._labels_for(self.d_inputs, labels)
        return model.run_part(self.s.discriminator_nodes, inputs, {self.bridge: images},
                              [(self.head.node_id, "out")])[0]

    def _noise(self, n: int, device: torch.device, generator: torch.Generator | None = None) -> torch.Tensor:
        return torch.randn((n, *self.z_shape), device=device, generator=generator)

    def _fake_labels(self, n: int, device: torch.device, generator: torch.Generator | None = None):
        if not self.conditional:
            return None
        return torch.randint(0, self.num_classes, (n,), device=device, generator=generator)

    def _verdict(self, out: torch.Tensor) -> torch.Tensor:
        out = out.float()
        return torch.sigmoid(out) if self.head.loss == "bce_logits" else out

    def _bce(self, out: torch.Tensor, real: bool) -> torch.Tensor:
        """The GANHead's loss against an all-real or all-fake target. With the target constant,
        BCE on a probability is one log term (-log p or -log(1 - p), clamped at -100 like torch's),
        three small ops a call instead of the general form's nine: this runs three times a step."""
        out = out.float()
        if self.head.loss == "bce_logits":
            return F.softplus(-out).mean() if real else F.softplus(out).mean()
        log = torch.log(out) if real else torch.log1p(-out)
        return -log.clamp(min=-100.0).mean()

    def _with_input_noise(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.d_input_noise * torch.randn_like(x) if self.d_input_noise > 0 else x

    # --- one step ------------------------------------------------------------------------------
    def step(self, model: Any, x: torch.Tensor, y: dict[str, torch.Tensor], optimizer: torch.optim.Optimizer,
             autocast, grad_clip: float) -> tuple[torch.Tensor, torch.Tensor, dict[str, torch.Tensor]]:
        """One D step then one G step on a batch of real images; returns (loss_D + loss_G, G's
        gradient norm, the per-step figures) as device tensors (no sync)."""
        n = x.shape[0]
        real_labels = y.get("label") if self.conditional else None
        z = self._noise(n, x.device)
        fake_labels = self._fake_labels(n, x.device)
        with autocast():
            fake = self.generate(model, z, fake_labels)
            d_real = self.discriminate(model, self._with_input_noise(x), real_labels)
            d_fake = self.discriminate(model, self._with_input_noise(fake.detach()), fake_labels)
        loss_d = self._bce(d_real, True) + self._bce(d_fake, False)
        optimizer.zero_grad(set_to_none=True)
        loss_d.backward()
        d_norm = _clip_or_norm(self.d_params, grad_clip)
        optimizer.step()  # only D's weights have gradients
        with autocast():
            d_fake_for_g = self.discriminate(model, self._with_input_noise(fake), fake_labels)
        loss_g = self._bce(d_fake_for_g, True)
        optimizer.zero_grad(set_to_none=True)
        loss_g.backward()
        for p in self.d_params:
            p.grad = None  # the G step must not move D
        g_norm = _clip_or_norm(self.g_params, grad_clip)
        optimizer.step()
        figures = {"loss_d": loss_d.detach(), "loss_g": loss_g.detach(),
                   "d_real": self._verdict(d_real).mean().detach(), "d_fake": self._verdict(d_fake).mean().detach(),
                   "d_grad_norm": d_norm.detach()}
        return (loss_d + loss_g).detach(), g_norm.detach(), figures

    # --- validation and the live view ----------------------------------------------------------
    def _fixed_batch(self, device: torch.device, n: int, offset: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        gen = torch.Generator().manual_seed(self.seed + offset)
        z = torch.randn((n, *self.z_shape), generator=gen)
        labels = None
        if self.conditional:  # the grid: one class a row, in order; the figures: classes drawn at random
            labels = torch.arange(n) // GRID_COLUMNS if offset == 11 else torch.randint(
                0, self.num_classes, (n,), generator=gen)
        return z.to(device), None if labels is None else labels.to(device)

    @torch.no_grad()
    def evaluate(self, model: Any, x_val: torch.Tensor, y_val: dict[str, torch.Tensor], device: torch.device,
                 epoch: int, step: int) -> dict[str, Any]:
        """The losses on the validation images and a fixed batch of EVAL_SAMPLES generated ones,
        D(x) and D(G(z)), and the figures of the classifier (recognised share, classes, FID-like)."""
        if self._eval is None:
            self._eval = self._fixed_batch(device, EVAL_SAMPLES, 13)
        z, labels = self._eval
        was_training = model.training
        model.eval()
        fakes = self.generate(model, z, labels).float()
        real = x_val.to(device).float()
        real_labels = y_val["label"].to(device) if self.conditional else None
        d_real = self.discriminate(model, real, real_labels)
        d_fake = self.discriminate(model, fakes, labels)
        model.train(was_training)
        loss_d = float(self._bce(d_real, True) + self._bce(d_fake, False))
        loss_g = float(self._bce(d_fake, True))
        out: dict[str, Any] = {"val_loss": loss_d + loss_g, "val_loss_d": loss_d, "val_loss_g": loss_g,
                               "val_d_real": float(self._verdict(d_real).mean()),
                               "val_d_fake": float(self._verdict(d_fake).mean())}
        spread = mean_pairwise_distance(fakes)
        real_spread = self._real_spread or mean_pairwise_distance(real[:EVAL_SAMPLES])
        out["val_diversity"] = spread / max(1e-12, real_spread)
        recognised_classes: list[int] = []
        if self.feature_net is not None:
            features, logits = self.feature_net(fakes)
            conf, cls = F.softmax(logits, 1).max(1)
            sure = conf >= CONFIDENT
            recognised_classes = cls[sure].tolist()
            out["val_recognised"] = float(sure.float().mean())
            out["val_classes"] = len(set(recognised_classes))
            assert self._real_features is not None
            out["val_fid_like"] = frechet_distance(self._real_features, features)
        out["heads"] = {self.head.node_id: {"d_real": out["val_d_real"], "d_fake": out["val_d_fake"]}}
        settled = epoch >= 2 and step >= SETTLING_STEPS
        self.latest = {**out, "collapse": self._collapse(out, recognised_classes) if settled else None}
        return out

    def _collapse(self, figures: dict[str, Any], recognised: list[int]) -> str | None:
        """The mode-collapse warning, or None: samples far less varied than the data, or most of the
        recognised ones of one class."""
        diversity = figures["val_diversity"]
        if diversity < COLLAPSE_DIVERSITY:
            return (f"mode collapse: the generated images are alike (their spread is {diversity:.0%} of the real "
                    f"images')")
        if len(recognised) >= EVAL_SAMPLES // 4:
            top = max(set(recognised), key=recognised.count)
            share = recognised.count(top) / len(recognised)
            if share > COLLAPSE_ONE_CLASS:
                name = self.class_names[top] if top < len(self.class_names) else str(top)
                return (f"mode collapse: {share:.0%} of the recognised samples are '{name}' "
                        f"({figures.get('val_classes', 0)} of {self.num_classes} classes drawn)")
        return None

    @torch.no_grad()
    def event(self, model: Any, device: torch.device, epoch: int, step: int) -> dict[str, Any]:
        """The `gan` event: the grid from the fixed noise, the epoch's figures and the collapse warning."""
        if self._fixed is None:
            n = GRID_COLUMNS * min(self.num_classes, MAX_GRID_ROWS) if self.conditional else GRID_SAMPLES
            self._fixed = self._fixed_batch(device, n, 11)
        z, labels = self._fixed
        was_training = model.training
        model.eval()
        grid = self.generate(model, z, labels)
        model.train(was_training)
        latest = self.latest
        collapse = latest.get("collapse")
        return {"event": "gan", "epoch": epoch, "step": step, "head": self.head.node_id,
                "generator_output": self.s.output_node, "shape": list(self.image_shape), "columns": GRID_COLUMNS,
                "eval_samples": EVAL_SAMPLES,
                "samples": to_uint8(grid), "labels": None if labels is None else labels.tolist(),
                "class_names": self.class_names if self.conditional else [],
                "d_real": latest.get("val_d_real"), "d_fake": latest.get("val_d_fake"),
                "fid_like": latest.get("val_fid_like"), "recognised": latest.get("val_recognised"),
                "classes": latest.get("val_classes"), "num_classes": self.num_classes,
                "diversity": latest.get("val_diversity"), "collapse": collapse,
                "advice": list(ADVICE) if collapse else []}


def _clip_or_norm(params: list[torch.Tensor], clip: float) -> torch.Tensor:
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.zeros(())
    if clip:
        return torch.nn.utils.clip_grad_norm_(params, float(clip), foreach=True)
    return torch.nn.utils.get_total_norm(grads, foreach=True)
