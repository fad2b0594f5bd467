"""bench_paradigms: each paradigm's Studio step against a hand-written loop, and what keeps the
metric-learning step as fast as the hand-written one.

The figures themselves are not asserted (this is not a timed test, and the machines are shared):
the bench runs about a second per method and paradigm, its JSON has every figure and the hand
loops train on the same loss as the heads. The step's speed is checked where it does not depend on
the load: semi-hard mining keeps the anchor x positive x negative table out of the backward pass,
and no triplet loss waits for the device.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from studio.core.graph.heads import HeadInfo, head_loss

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_paradigms.py"
FIELDS = ("template", "dataset", "train_samples", "batch_size", "params", "loss_check_abs_diff", "rounds",
          "hand_loop_samples_per_s", "studio_samples_per_s", "studio_vs_hand", "studio_vs_hand_per_round",
          "studio_vs_hand_median", "hand_steps", "studio_steps", "studio_step_events", "studio_epochs")


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_paradigms", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_reports_each_paradigm_against_its_hand_written_loop():
    figures = load_bench().run(["--device", "cpu", "--seconds", "1", "--rounds", "1", "--threads", "1"])
    assert figures["device"] == "cpu" and figures["threads"] >= 1
    assert list(figures["paradigms"]) == ["metric", "lm", "diffusion", "gan", "detection"]
    templates = {"metric": "siamese_embedding", "lm": "transformer_lm", "diffusion": "ddpm_digits",
                 "gan": "gan_mlp_digits", "detection": "tiny_yolo_shapes"}
    for name, f in figures["paradigms"].items():
        assert all(key in f for key in FIELDS), (name, sorted(set(FIELDS) - set(f)))
        assert f["template"] == templates[name]
        assert f["hand_loop_samples_per_s"] > 0 and f["studio_samples_per_s"] > 0, (name, f)
        assert f["studio_vs_hand"] > 0 and len(f["studio_vs_hand_per_round"]) == 1
        assert f["hand_steps"] >= 1 and f["studio_steps"] >= 1 and f["studio_step_events"] >= 1
        assert f["loss_check_abs_diff"] < 1e-5, (name, f["loss_check_abs_diff"])  # the same loss on one batch
        assert f["params"] > 0 and f["batch_size"] == (32 if name == "detection" else 64)


def test_bench_names_the_paradigms_it_knows():
    bench = load_bench()
    with pytest.raises(SystemExit, match="metric, lm, diffusion, gan, detection"):
        bench.run(["--paradigm", "metric,nope"])


def test_the_hand_written_gan_loop_trains_the_templates_two_networks_as_the_trainer_does():
    """The same modules and parameter count, images in [-1, 1], the D step then the G step: D's
    weights move only in the D step, G's only in the G step (one Adam, a group per network)."""
    from studio.core.data import load_dataset
    from studio.core.project import load_project
    from studio.core.resources import TEMPLATES

    bench = load_bench()
    project = load_project(TEMPLATES / "gan_mlp_digits.studio.json")
    bundle = load_dataset(project.data)
    torch.set_num_threads(1)
    loop = bench.hand_gan(project, bundle, torch.device("cpu"))
    assert loop.params == 1_093_137 and loop.batch == 64 and loop.n == bundle.n_train
    assert loop.loss_check < 1e-6
    net = loop.model
    before = {n: p.detach().clone() for n, p in net.named_parameters()}
    loop.step(torch.arange(64))
    moved = {n.split(".")[0] for n, p in net.named_parameters() if not torch.equal(p, before[n])}
    assert {"g_fc1", "g_fc3", "d_fc1", "d_fc3"} <= moved


def test_the_hand_written_detection_loop_trains_tiny_yolo_with_the_runs_anchors_and_loss():
    """The template's 26,184 weights, the anchors the trainer computes from the training boxes, the
    YOLO loss of yolo.py equal to the head's (with those anchors), and a step that moves every layer."""
    from studio.core.data import load_dataset
    from studio.core.detection.yolo import resolve_anchors
    from studio.core.project import load_project
    from studio.core.resources import TEMPLATES
    from studio.core.train.config import TrainConfig
    from studio.core.train.loss import training_heads

    bench = load_bench()
    project = load_project(TEMPLATES / "tiny_yolo_shapes.studio.json")
    project.data["options"] = {**project.data["options"], "count": 120}  # the same grid and loss, fewer images
    bundle = load_dataset(project.data)
    torch.set_num_threads(1)
    loop = bench.hand_detection(project, bundle, torch.device("cpu"))
    assert loop.params == 26_184 and loop.batch == 32 and loop.n == bundle.n_train
    assert loop.loss_check == 0.0
    trainer_head = training_heads(loop.model.heads, TrainConfig.from_dict(project.training), bundle.y_train)[0]
    assert trainer_head.params["anchors"] == resolve_anchors(loop.model.heads[0], bundle.y_train["boxes"])
    net = loop.model
    before = {n: p.detach().clone() for n, p in net.named_parameters()}
    loop.step(torch.arange(32))
    moved = {n.split(".")[0] for n, p in net.named_parameters() if not torch.equal(p, before[n])}
    assert {"conv1", "conv4", "grid"} <= moved


def test_the_trainers_gan_step_never_waits_for_the_device():
    """The rule the bench holds the trainer to: no per-step sync in GanRun.step (noise on D's inputs,
    both losses, the gradients clipped, its figures kept as device tensors)."""
    from contextlib import nullcontext

    from studio.core.data import load_dataset
    from studio.core.graph.compile import compile_graph
    from studio.core.project import load_project
    from studio.core.resources import TEMPLATES
    from studio.core.train.gan import GanRun

    project = load_project(TEMPLATES / "gan_mlp_digits.studio.json")
    bundle = load_dataset(project.data)
    model = compile_graph(project.graph)
    run = GanRun.for_model(model, project.graph, bundle, 0, 0.05)
    data = run.prepare(bundle)
    # SGD: CPU Adam reads its step counts on the host (torch's, the hand-written loop's too), not the GAN step
    opt = torch.optim.SGD([{"params": g["params"]} for g in run.param_groups(1.0)], lr=1e-3)
    x = data.x_train[:16].float()
    with _HostReads() as reads:
        for _ in range(2):
            loss, gnorm, figures = run.step(model, x, {}, opt, nullcontext, 1.0)
    assert reads.seen == [], reads.seen
    assert all(isinstance(v, torch.Tensor) for v in figures.values())


def _triplet_head(mining: str) -> HeadInfo:
    return HeadInfo("h", "embedding", "label", 1.0, "triplet", {"margin": 1.0, "mining": mining}, ("N", 32))


def test_semi_hard_mining_keeps_the_triplet_table_out_of_the_backward_pass():
    """The choice of each pair's negative needs no gradient: backward through the N x N x N table
    (amin over it) was most of the Siamese template's step on the CPU."""
    n = 64
    torch.manual_seed(0)
    emb = torch.nn.functional.normalize(torch.randn(n, 32), dim=1).requires_grad_()
    labels = torch.randint(0, 10, (n,))
    saved: list[int] = []
    with torch.autograd.graph.saved_tensors_hooks(lambda t: saved.append(t.numel()) or t, lambda t: t):
        loss = head_loss(_triplet_head("semi-hard"), emb, labels)
    loss.backward()
    assert torch.isfinite(emb.grad).all() and emb.grad.abs().sum() > 0
    assert max(saved) <= n * n, f"a tensor of {max(saved)} values is kept for backward (the table has {n ** 3})"


class _HostReads(TorchDispatchMode):
    """Records the ops that make the host wait for the device: a tensor read as a Python value, a
    nonzero, an index by a boolean mask (its size depends on the data)."""

    def __init__(self):
        super().__init__()
        self.seen: list[str] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = str(func)
        if "_local_scalar_dense" in name or "nonzero" in name or "is_nonzero" in name:
            self.seen.append(name)
        if name.startswith("aten.index.") and any(
                isinstance(i, torch.Tensor) and i.dtype == torch.bool for i in (args[1] if len(args) > 1 else [])
                if i is not None):
            self.seen.append(name + " (boolean mask)")
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize("mining", ["hard", "semi-hard", "all"])
def test_triplet_loss_never_waits_for_the_device(mining):
    """The trainer's rule: no per-step sync. Checked for a batch with triplets and one without."""
    torch.manual_seed(1)
    for labels in (torch.randint(0, 4, (16,)), torch.arange(16)):
        emb = torch.randn(16, 8, requires_grad=True)
        with _HostReads() as reads:
            loss = head_loss(_triplet_head(mining), emb, labels)
            loss.backward()
        assert reads.seen == [], reads.seen
        assert torch.isfinite(emb.grad).all()
        if len(set(labels.tolist())) == len(labels):  # no positives: zero loss, still attached to the graph
            assert float(loss.detach()) == 0.0 and loss.requires_grad
