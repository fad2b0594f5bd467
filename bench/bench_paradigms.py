"""Training throughput of the newer paradigms: the Studio trainer's step against a hand-written loop.

For each paradigm, on the template that teaches it and that template's built-in data:

- metric:    siamese_embedding: EmbeddingHead, triplet loss with semi-hard mining, digits 8x8;
- lm:        transformer_lm: LanguageModelHead, next-token cross-entropy, gradient clipping, the text data set;
- diffusion: ddpm_digits: DiffusionHead, DDPM noise prediction (MSE), EMA of the weights, digits 8x8;
- gan:       gan_mlp_digits: GANHead, the D step then the G step (BCE, non-saturating G loss), Adam
             lr 2e-4 betas (0.5, 0.999) with a parameter group per network, digits 28x28 in [-1, 1].
- detection: tiny_yolo_shapes: DetectionHead, the YOLO loss (box + objectness + class) with the anchors
             k-means computes from the training boxes, Adam with the cosine schedule, shapes_multi 64x64.

two ways, alternating in rounds (hand, Studio, hand, Studio, ...) in one process on one device:

1. a hand-written PyTorch loop: the template's graph built by compile_graph (the very modules the
   trainer trains, so the same forward), the data set's tensors moved to the device once, a shuffled
   index per epoch, the loss written out in plain PyTorch (checked equal to the head's loss on one
   batch before timing), the template's optimizer and settings, no per-step `.item()`;
2. the Studio trainer (`run_training`) on the same project with its normal metrics stream (step
   metrics fetched every 100 ms, layer statistics every 100 steps, gradient norms) and the
   paradigm's epoch-end work (validation, recall@1 and the projection, sample text, sample strips),
   stopped through its Control once it has trained for its share of the time after its set-up.

Studio's rate is read from its step events, the time spent in training steps, as bench_train does;
epoch-end validation and sampling are outside both figures. Budget (docs/performance.md, issue 13):
Studio >= 0.95 x the hand-written loop.

    python bench/bench_paradigms.py [--device auto|cpu|cuda] [--seconds S] [--rounds R]
                                    [--threads N] [--paradigm all|metric,lm,diffusion,gan,detection]

Adding a paradigm (a GAN, say): write `hand_NAME(project, bundle, device) -> HandLoop` (the loop's
step on a batch of training indices, written by hand) and register it in PARADIGMS with its
template; the Studio side, the rounds and the JSON are shared. A paradigm whose trainer needs more
than `run_training` on a template (two optimizers, another step) can pass its own `studio` runner.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any, NamedTuple


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench_paradigms", description=__doc__.split("\n\n")[0])
    p.add_argument("--device", default="auto")
    p.add_argument("--seconds", type=float, default=12.0,
                   help="training time per method and paradigm, split over the rounds")
    p.add_argument("--rounds", type=int, default=3, help="hand/Studio alternations per paradigm")
    p.add_argument("--threads", type=int, default=0,
                   help="torch CPU threads (0: torch's default); 1 keeps a loaded shared CPU from swamping the ratio")
    p.add_argument("--paradigm", default="all", help="all, or a comma-separated list of: " + ", ".join(PARADIGMS))
    return p.parse_args(argv)


def _sync(device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize()


class HandLoop(NamedTuple):
    """A hand-written training loop, ready to run: `step(idx)` trains on the training samples idx."""

    n: int
    batch: int
    step: Callable[[Any], None]
    params: int
    loss_check: float
    """|hand-written loss - the head's loss| on one batch, same model, same inputs."""
    model: Any = None
    """The module the loop trains (for the tests to look at)."""


class Paradigm(NamedTuple):
    template: str
    hand: Callable[..., HandLoop]
    studio: Callable[..., dict] | None = None
    """None: `bench_studio` (run_training on the template)."""


# --- the hand-written loops -------------------------------------------------------------------

def _common(project, bundle, device):
    """(model, optimizer, training settings) as the template sets them, built by hand."""
    import torch

    from studio.core.graph.compile import compile_graph

    tr = project.training
    if str(tr.get("optimizer", "adam")) != "adam":
        raise ValueError(f"the hand-written loops use Adam; template {project.name!r} asks for {tr['optimizer']}")
    torch.manual_seed(int(tr.get("seed", 0)))
    model = compile_graph(project.graph).to(device).train()
    fused = {"fused": True} if device.type == "cuda" else {}  # as the trainer builds Adam on CUDA
    opt = torch.optim.Adam(model.parameters(), lr=float(tr["lr"]), **fused)
    return model, opt, tr


def _lr_schedule(opt, tr, n: int) -> Callable[[int], None]:
    """`at(k)`: sets the lr of step k as the trainer's schedule does, per step, for the template's
    schedule over the 1000 epochs the Studio side is given (it stops on time); constant otherwise."""
    base = float(tr["lr"])
    total = math.ceil(n / int(tr["batch_size"])) * 1000

    def at(k: int) -> None:
        if tr.get("schedule") == "cosine":
            for g in opt.param_groups:
                g["lr"] = base * 0.5 * (1 + math.cos(math.pi * min(1.0, k / total)))

    return at


def _loss_diff(head, out, target, mine) -> float:
    from studio.core.graph.heads import head_loss

    return abs(float(mine) - float(head_loss(head, out, target)))


def hand_metric(project, bundle, device) -> HandLoop:
    """Siamese embedding: one network embeds the batch, semi-hard triplets mined in the batch."""
    import torch
    import torch.nn.functional as F

    model, opt, tr = _common(project, bundle, device)
    head = model.heads[0]
    assert head.kind == "embedding" and head.loss == "triplet" and head.params.get("mining") == "semi-hard"
    margin = float(head.params.get("margin", 1.0))
    x_all = bundle.x_train.float().to(device)
    y_all = bundle.y_train[head.target].long().to(device)

    def semi_hard_triplet(emb, labels):
        # |a-b|^2 for all pairs; per (anchor, positive) the closest negative with
        # |a-p|^2 < |a-n|^2 < |a-p|^2 + m, else the anchor's closest negative (FaceNet). The mining
        # picks indices without gradient, as miners do; the loss is taken on the picked distances.
        sq = (emb * emb).sum(1)
        d2 = (sq[:, None] + sq[None, :] - 2 * emb @ emb.t()).clamp_min(0)
        same = labels[:, None] == labels[None, :]
        pos = same & ~torch.eye(len(labels), dtype=torch.bool, device=emb.device)
        with torch.no_grad():
            d_neg = d2.masked_fill(same, math.inf)
            d_ap, d_an = d2[:, :, None], d_neg[:, None, :]
            semi, semi_i = torch.where((d_an > d_ap) & (d_an < d_ap + margin), d_an, math.inf).min(2)
            hardest, hardest_i = d_neg.min(1, keepdim=True)
            chosen = torch.where(torch.isfinite(semi), semi_i, hardest_i)
            pairs = pos & torch.isfinite(hardest)
        loss = torch.where(pairs, F.relu(margin + d2 - d2.gather(1, chosen)), 0.0)
        return loss.sum() / pairs.sum().clamp_min(1)

    with torch.no_grad():
        out = model(x_all[:64])
        check = _loss_diff(head, out, y_all[:64], semi_hard_triplet(out, y_all[:64]))

    def step(idx):
        loss = semi_hard_triplet(model(x_all[idx]), y_all[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return HandLoop(len(y_all), int(tr["batch_size"]), step, sum(p.numel() for p in model.parameters()), check)


def hand_lm(project, bundle, device) -> HandLoop:
    """Transformer LM: windows of tokens, cross-entropy on every next token, the global norm clipped."""
    import torch
    import torch.nn.functional as F

    from studio.core.graph.heads import init_language_model

    model, opt, tr = _common(project, bundle, device)
    head = model.heads[0]
    assert head.kind == "language_model"
    init_language_model(model, project.graph, head)  # the template's init (values only: not a speed matter)
    clip = float(tr.get("grad_clip", 0.0))
    x_all = bundle.x_train.to(device)
    y_all = bundle.y_train[head.target].long().to(device)
    params = list(model.parameters())

    def lm_loss(scores, target):
        return F.cross_entropy(scores.reshape(-1, scores.shape[-1]), target.reshape(-1))

    with torch.no_grad():
        out = model(x_all[:64])
        check = _loss_diff(head, out, y_all[:64], lm_loss(out, y_all[:64]))

    def step(idx):
        loss = lm_loss(model(x_all[idx]), y_all[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if clip:
            torch.nn.utils.clip_grad_norm_(params, clip, foreach=True)
        opt.step()

    return HandLoop(len(y_all), int(tr["batch_size"]), step, sum(p.numel() for p in params), check)


def hand_diffusion(project, bundle, device) -> HandLoop:
    """DDPM: per batch t ~ U{1..T} and e ~ N(0, I), x_t = sqrt(ab_t) x0 + sqrt(1 - ab_t) e, MSE(eps(x_t, t), e);
    the template's cosine LR schedule and EMA of the weights."""
    import copy

    import torch
    import torch.nn.functional as F

    model, opt, tr = _common(project, bundle, device)
    head = model.heads[0]
    assert head.kind == "diffusion" and head.loss == "mse" and head.params["schedule"] == "linear"
    assert [model.input_sources[n] for n in model.input_nodes] == ["input", "timestep"]
    T = int(head.params["timesteps"])
    beta = torch.linspace(float(head.params["beta_start"]), float(head.params["beta_end"]), T, dtype=torch.float64)
    alpha_bar = torch.cumprod(1 - beta, 0).float().to(device)
    x = bundle.x_train.float()
    if bundle.mean is not None and bundle.std is not None:  # undo the data set's normalisation
        x = x * torch.tensor(bundle.std).view(1, -1, 1, 1) + torch.tensor(bundle.mean).view(1, -1, 1, 1)
    x_all = (x * 2 - 1).clamp(-1, 1).to(device)  # images in [-1, 1]
    ema = float(tr.get("ema", 0.0))
    schedule = _lr_schedule(opt, tr, len(x_all))
    ema_model = copy.deepcopy(model).eval() if ema else None
    ema_params = [p.requires_grad_(False) for p in ema_model.parameters()] if ema_model is not None else []
    params = list(model.parameters())
    done = [0]

    def forward_loss(x0):
        t = torch.randint(1, T + 1, (x0.shape[0],), device=device)
        noise = torch.randn_like(x0)
        ab = alpha_bar[t - 1].view(-1, 1, 1, 1)
        pred = model(ab.sqrt() * x0 + (1 - ab).sqrt() * noise, t.view(-1, 1))
        return pred, noise, F.mse_loss(pred, noise)

    with torch.no_grad():
        pred, noise, loss = forward_loss(x_all[:64])
        check = _loss_diff(head, pred, noise, loss)

    def step(idx):
        k = done[0]
        schedule(k)
        loss = forward_loss(x_all[idx])[2]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if ema_model is not None:
            decay = min(ema, (1 + k) / (10 + k))
            torch._foreach_lerp_(ema_params, [p.detach() for p in params], 1.0 - decay)
        done[0] = k + 1

    return HandLoop(len(x_all), int(tr["batch_size"]), step, sum(p.numel() for p in params), check)


def hand_gan(project, bundle, device) -> HandLoop:
    """GAN: per batch a D step, BCE(D(x), 1) + BCE(D(G(z)), 0) with G's output detached, then a G step,
    BCE(D(G(z)), 1), on the same fake batch; one Adam with a group per network, each step moving
    only the group it made gradients for. The two networks are the template's own modules (its
    GraphModule's `run_part`, the weights the trainer trains), the images in [-1, 1] on the device."""
    import torch
    import torch.nn.functional as F

    from studio.core.graph.networks import gan_structure

    model, _, tr = _common(project, bundle, device)
    s = gan_structure(project.graph)
    head = model.heads[0]
    assert head.kind == "gan" and head.loss == "bce"
    noise = next(n for n in model.input_nodes if model.input_sources[n] == "noise")
    assert [model.input_sources[n] for n in model.input_nodes] == ["noise"], "the MLP GAN has one Input, the noise"
    z_shape = tuple(model.input_shapes[noise])
    bridge, verdict = (s.bridge.src, s.bridge.src_port), (head.node_id, "out")
    g_nodes, d_nodes = s.generator_nodes, s.discriminator_nodes
    g_params = [p for n, p in model.named_parameters() if n.split(".")[0] in g_nodes]
    d_params = [p for n, p in model.named_parameters() if n.split(".")[0] in d_nodes]
    betas = tuple(float(b) for b in tr.get("betas", (0.9, 0.999)))
    fused = {"fused": True} if device.type == "cuda" else {}
    opt = torch.optim.Adam([{"params": g_params}, {"params": d_params}], lr=float(tr["lr"]), betas=betas, **fused)
    x = bundle.x_train.float()
    if bundle.mean is not None and bundle.std is not None:  # undo the data set's normalisation
        x = x * torch.tensor(bundle.std).view(1, -1, 1, 1) + torch.tensor(bundle.mean).view(1, -1, 1, 1)
    x_all = (x * 2 - 1).clamp(-1, 1).to(device)

    def G(z):
        return model.run_part(g_nodes, {noise: z}, {}, [bridge])[0]

    def D(images):
        return model.run_part(d_nodes, {}, {bridge: images}, [verdict])[0]

    def bce(p, real):
        return F.binary_cross_entropy(p, torch.full_like(p, 1.0 if real else 0.0))

    with torch.no_grad():
        p = D(x_all[:64])
        check = _loss_diff(head, p, torch.ones_like(p), bce(p, True))

    def step(idx):
        real = x_all[idx]
        fake = G(torch.randn((real.shape[0], *z_shape), device=device))
        loss_d = bce(D(real), True) + bce(D(fake.detach()), False)
        opt.zero_grad(set_to_none=True)
        loss_d.backward()
        opt.step()
        loss_g = bce(D(fake), True)
        opt.zero_grad(set_to_none=True)
        loss_g.backward()
        for q in d_params:
            q.grad = None
        opt.step()

    return HandLoop(len(x_all), int(tr["batch_size"]), step, sum(p.numel() for p in model.parameters()), check,
                    model)


def hand_detection(project, bundle, device) -> HandLoop:
    """Tiny YOLO: the grid of the template's convolutions, the YOLO loss of yolo.py called directly
    (box + objectness + class) with the anchors k-means finds on the training boxes (as the trainer
    computes them at a run's start), the template's Adam and cosine schedule."""
    import torch

    from studio.core.detection.yolo import resolve_anchors, with_anchors, yolo_loss_parts

    model, opt, tr = _common(project, bundle, device)
    head = model.heads[0]
    assert head.kind == "detection"
    x_all = bundle.x_train.float().to(device)
    y_all = bundle.y_train[head.target].float().to(device)
    anchors = torch.tensor(resolve_anchors(head, bundle.y_train[head.target]), dtype=torch.float32, device=device)
    p = head.params
    weights = (float(p.get("lambda_box", 5.0)), float(p.get("lambda_noobj", 0.5)), float(p.get("ignore_iou", 0.5)))
    schedule = _lr_schedule(opt, tr, len(x_all))
    done = [0]

    def yolo(out, target):
        parts = yolo_loss_parts(out, target, anchors, *weights)
        return parts["box"] + parts["obj"] + parts["cls"]

    with torch.no_grad():
        trained = with_anchors([head], {head.target: bundle.y_train[head.target]})[0]  # the trainer's head
        out = model(x_all[:64])
        check = _loss_diff(trained, out, y_all[:64], yolo(out, y_all[:64]))

    def step(idx):
        schedule(done[0])
        loss = yolo(model(x_all[idx]), y_all[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        done[0] += 1

    return HandLoop(len(x_all), int(tr["batch_size"]), step, sum(q.numel() for q in model.parameters()), check,
                    model)


PARADIGMS: dict[str, Paradigm] = {
    "metric": Paradigm("siamese_embedding", hand_metric),
    "lm": Paradigm("transformer_lm", hand_lm),
    "diffusion": Paradigm("ddpm_digits", hand_diffusion),
    "gan": Paradigm("gan_mlp_digits", hand_gan),
    "detection": Paradigm("tiny_yolo_shapes", hand_detection),
}
"""name -> the template and its hand-written loop. New paradigms are one entry here (see the module doc)."""


# --- the two sides ----------------------------------------------------------------------------

def bench_hand(loop: HandLoop, device, seconds: float) -> dict:
    """Epochs of shuffled batches (the last one short, as the trainer's), after 3 warm-up steps."""
    import torch

    n, batch = loop.n, min(loop.batch, loop.n)
    perm = torch.randperm(n, device=device)
    for b in range(3):
        loop.step(perm[b * batch:(b + 1) * batch])
    _sync(device)
    done, steps, t0 = 0, 0, time.perf_counter()
    while True:
        perm = torch.randperm(n, device=device)
        for start in range(0, n, batch):
            idx = perm[start:start + batch]
            loop.step(idx)
            done += int(idx.shape[0])
            steps += 1
            if steps % 10 == 0 or device.type != "cuda":  # no sync per GPU step just to read the clock
                _sync(device)
                elapsed = time.perf_counter() - t0
                if elapsed >= seconds:
                    return {"samples_per_s": done / elapsed, "steps": steps, "seconds": elapsed}


def bench_studio(project, device, seconds: float) -> dict:
    """run_training on the template, its metrics stream as a run has it, stopped (as the Stop button
    does) once it has trained `seconds` after its set-up; the steps' rate from the step events, after
    the first (it holds the warm-up)."""
    from studio.core.train.control import Control
    from studio.core.train.trainer import run_training

    events: list[dict] = []
    control = Control()
    started: list[float] = []

    def emit(event: dict) -> None:
        events.append(event)
        if event["event"] == "start":
            started.append(time.perf_counter())
        elif event["event"] == "step" and time.perf_counter() - started[0] >= seconds:
            control.stop()  # looked at right after this flush

    overrides = {"device": device.type, "epochs": 1000}
    with tempfile.TemporaryDirectory() as run_dir:
        final = run_training(project, run_dir, overrides, emit, control)
    if final["event"] != "done":
        raise RuntimeError(f"{project.name}: {final.get('message')}")
    steps = [e for e in events if e["event"] == "step"]
    steady = steps[1:] if len(steps) > 2 else steps
    samples = sum(e["samples_per_s"] * e["step_time_ms"] * len(e["losses"]) / 1000 for e in steady)
    elapsed = sum(e["step_time_ms"] * len(e["losses"]) / 1000 for e in steady)
    return {"samples_per_s": samples / elapsed if elapsed else final["samples_per_s"], "seconds": elapsed,
            "steps": final["global_step"], "epochs": final["epochs"], "step_events": len(steps),
            "layer_stats_events": sum(e["event"] == "layers" for e in events),
            "epoch_events": sorted({e["event"] for e in events if e.get("epoch") is not None} - {"step", "layers"})}


def bench_paradigm(name: str, device, seconds: float, rounds: int) -> dict:
    import torch

    from studio.core.data import load_dataset
    from studio.core.project import load_project
    from studio.core.resources import TEMPLATES

    spec = PARADIGMS[name]
    project = load_project(TEMPLATES / f"{spec.template}.studio.json")
    bundle = load_dataset(project.data)
    studio = spec.studio or bench_studio
    share = seconds / max(1, rounds)
    hands, studios = [], []
    for _ in range(max(1, rounds)):
        loop = spec.hand(project, bundle, device)  # a fresh model each round, as each Studio run has
        hands.append(bench_hand(loop, device, share))
        facts = {"n": loop.n, "batch": min(loop.batch, loop.n), "params": loop.params, "check": loop.loss_check}
        del loop  # its model and optimizer go before the Studio run starts
        if device.type == "cuda":
            torch.cuda.empty_cache()
        studios.append(studio(project, device, share))

    def rate(parts):
        return sum(p["samples_per_s"] * p["seconds"] for p in parts) / max(1e-9, sum(p["seconds"] for p in parts))

    hand_rate, studio_rate = rate(hands), rate(studios)
    per_round = [s["samples_per_s"] / h["samples_per_s"] for h, s in zip(hands, studios, strict=True)]
    return {
        "template": spec.template,
        "dataset": bundle.name,
        "train_samples": facts["n"],
        "batch_size": facts["batch"],
        "params": facts["params"],
        "loss_check_abs_diff": facts["check"],
        "rounds": len(hands),
        "hand_loop_samples_per_s": round(hand_rate, 1),
        "studio_samples_per_s": round(studio_rate, 1),
        "studio_vs_hand": round(studio_rate / hand_rate, 3),
        "studio_vs_hand_per_round": [round(r, 3) for r in per_round],
        "studio_vs_hand_median": round(statistics.median(per_round), 3),
        "hand_steps": sum(h["steps"] for h in hands),
        "studio_steps": sum(s["steps"] for s in studios),
        "studio_step_events": sum(s["step_events"] for s in studios),
        "studio_layer_stats_events": sum(s["layer_stats_events"] for s in studios),
        "studio_epochs": sum(s["epochs"] for s in studios),
        "studio_epoch_events": studios[-1]["epoch_events"],
    }


def run(argv: list[str] | None = None) -> dict:
    import torch

    from studio.core.train.device import device_label, resolve_device

    args = _args(argv)
    names = list(PARADIGMS) if args.paradigm == "all" else [p.strip() for p in args.paradigm.split(",") if p.strip()]
    unknown = [p for p in names if p not in PARADIGMS]
    if unknown or not names:
        raise SystemExit(f"bench_paradigms: unknown paradigm {', '.join(unknown) or '(none)'}; "
                         f"choose from all, {', '.join(PARADIGMS)}")
    device = resolve_device(args.device)
    threads = torch.get_num_threads()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    try:
        return {
            "device": device_label(device),
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "seconds_per_method": args.seconds,
            "paradigms": {name: bench_paradigm(name, device, args.seconds, args.rounds) for name in names},
        }
    finally:
        torch.set_num_threads(threads)  # the caller's (a test process, `studio bench`) as it was


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:])))
