"""Training throughput: the course's MNIST CNN three ways, side by side, on the same device and data.

1. the course's plain loop: PIL images -> ToTensor + Normalize -> DataLoader(batch 64) -> loss.item()
   every step (how the course notebook trains);
2. a hand-written loop over tensors already on the device (no per-step sync): the ceiling;
3. the Studio trainer on the same project/data, with its metrics stream on (step metrics, layer stats).

The data are MNIST-shaped (N x 1 x 28 x 28, 10 classes): scikit-learn's digits upscaled to 28x28 and
tiled to N samples, written as real MNIST idx files that the Studio trainer reads through its
`mnist` loader. Budgets (docs/performance.md): Studio >= 0.95 x hand-written; on CUDA Studio >= 10 x
the course loop.

    python bench/bench_train.py [--device auto|cpu|cuda] [--seconds S] [--batch-size B] [--samples N]
                                [--compile] [--amp] [--nproc N]

With `--nproc N` (N >= 2) it measures instead `studio train` on 1 and on N processes (torchrun, DDP,
the batch the global one; every process with cores // N threads) and prints scaling_efficiency =
samples/s with N / (N x samples/s with 1).
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import tempfile
import time
from pathlib import Path


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench_train", description=__doc__.split("\n\n")[0])
    p.add_argument("--device", default="auto")
    p.add_argument("--seconds", type=float, default=10.0, help="time per method")
    p.add_argument("--batch-size", type=int, default=0, help="for the hand-written loop and Studio (default: "
                   "512 on CUDA, 128 on CPU); the course loop always uses 64")
    p.add_argument("--samples", type=int, default=0, help="MNIST-shaped samples (default 60000 on CUDA, 12000 on CPU)")
    p.add_argument("--compile", action="store_true", help="torch.compile in the hand-written loop and Studio")
    p.add_argument("--amp", action="store_true", help="bf16 autocast (CUDA) in the hand-written loop and Studio")
    p.add_argument("--nproc", type=int, default=0, help="measure Studio's scaling on 1 vs N processes (torchrun)")
    return p.parse_args(argv)


def course_cnn():
    """The course's MNIST CNN written by hand, layer for layer (1,625,866 parameters)."""
    from torch import nn

    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2, 2), nn.Dropout(0.25), nn.Flatten(), nn.Linear(64 * 14 * 14, 128), nn.ReLU(),
        nn.Dropout(0.5), nn.Linear(128, 10))


def mnist_shaped(n: int):
    """uint8 images (n, 28, 28) and int64 labels (n,), from the offline digits."""
    import numpy as np
    import torch
    import torch.nn.functional as F
    from sklearn.datasets import load_digits

    d = load_digits()
    x = torch.from_numpy(d.images).float().div(16).unsqueeze(1)
    x = F.interpolate(x, size=(28, 28), mode="bilinear", align_corners=False).clamp(0, 1)
    reps = -(-n // len(x))
    images = (x.repeat(reps, 1, 1, 1)[:n, 0] * 255).round().to(torch.uint8).numpy()
    labels = np.tile(d.target, reps)[:n].astype(np.int64)
    return images, labels


def write_idx(folder: Path, images, labels, n_test: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)

    def dump(name, array):
        header = bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", s) for s in array.shape)
        (folder / name).write_bytes(header + array.astype("uint8").tobytes())

    dump("train-images-idx3-ubyte", images)
    dump("train-labels-idx1-ubyte", labels)
    dump("t10k-images-idx3-ubyte", images[:n_test])
    dump("t10k-labels-idx1-ubyte", labels[:n_test])


def _sync(device):
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize()


def bench_course_loop(images, labels, device, seconds: float) -> float:
    """PIL + torchvision transforms + DataLoader(batch 64, shuffle) + loss.item() per step."""
    import torch
    from PIL import Image
    from torch import nn
    from torch.utils.data import DataLoader, Dataset
    from torchvision import transforms

    class PilDigits(Dataset):
        def __init__(self):
            self.images = [Image.fromarray(a, mode="L") for a in images]
            self.labels = labels.tolist()
            self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])

        def __len__(self):
            return len(self.images)

        def __getitem__(self, i):
            return self.tf(self.images[i]), self.labels[i]

    torch.manual_seed(0)
    model = course_cnn().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(PilDigits(), batch_size=64, shuffle=True)
    done = 0
    t0 = None
    warm = 3
    while True:
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            _ = loss.item()  # the course prints a running loss: a device sync every step
            if warm:
                warm -= 1
                if not warm:
                    t0 = time.perf_counter()
                continue
            done += x.shape[0]
            if time.perf_counter() - t0 >= seconds:
                return done / (time.perf_counter() - t0)


def bench_hand_loop(images, labels, device, seconds: float, batch: int, use_compile: bool, amp: bool) -> float:
    """The ceiling: tensors on the device, index a shuffled batch, no per-step sync."""
    import torch
    from torch import nn

    torch.manual_seed(0)
    x_all = torch.from_numpy(images).float().div(255).unsqueeze(1).sub(0.5).div(0.5).to(device)
    y_all = torch.from_numpy(labels).to(device)
    model = course_cnn().to(device)
    fused = {"fused": True} if device.type == "cuda" else {}
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, **fused)
    loss_fn = nn.CrossEntropyLoss()
    fwd = torch.compile(model, mode="reduce-overhead" if device.type == "cuda" else "default") if use_compile else model
    n = len(y_all)
    batch = min(batch, n)
    steps_per_epoch = n // batch
    amp_on = amp and device.type == "cuda"

    def step(idx):
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=amp_on):
            loss = loss_fn(fwd(x_all[idx]), y_all[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.detach()

    perm = torch.randperm(n, device=device)
    for b in range(3):  # warm-up (and compilation)
        step(perm[b * batch:(b + 1) * batch])
    _sync(device)
    done, t0, steps = 0, time.perf_counter(), 0
    while True:
        perm = torch.randperm(n, device=device)
        for b in range(steps_per_epoch):
            step(perm[b * batch:(b + 1) * batch])
            done += batch
            steps += 1
            if steps % 10 == 0 or device.type != "cuda":  # look at the clock without syncing every GPU step
                _sync(device)
                if time.perf_counter() - t0 >= seconds:
                    return done / (time.perf_counter() - t0)


def bench_studio(root: Path, device, seconds: float, batch: int, use_compile: bool, amp: bool) -> dict:
    """The Studio trainer on the course CNN template, reading the same data through its mnist loader."""
    from studio.core.project import load_project
    from studio.core.resources import default_example_path
    from studio.core.train.trainer import run_training

    project = load_project(default_example_path())
    project.data = {"dataset": "mnist", "options": {"root": str(root)}, "augment": {}}
    overrides = {"device": device.type, "batch_size": batch, "epochs": 1000, "compile": use_compile or None,
                 "amp": "bf16" if amp else None, "max_seconds": seconds, "layer_stats_every": 100,
                 "metrics_interval_ms": 100}
    events = []
    with tempfile.TemporaryDirectory() as run_dir:
        final = run_training(project, run_dir, overrides, events.append)
    if final["event"] != "done":
        raise RuntimeError(final.get("message"))
    steps = [e for e in events if e["event"] == "step"]
    # skip the first flushes (warm-up/compilation), as the hand-written loop does
    steady = steps[3:] if len(steps) > 6 else steps
    total = sum(e["samples_per_s"] * e["step_time_ms"] * len(e["losses"]) / 1000 for e in steady)
    elapsed = sum(e["step_time_ms"] * len(e["losses"]) / 1000 for e in steady)
    return {"samples_per_s": total / elapsed if elapsed else final["samples_per_s"],
            "overall_samples_per_s": final["samples_per_s"], "steps": final["global_step"],
            "epochs_done": final["epochs"], "layer_stats_events": sum(e["event"] == "layers" for e in events),
            "step_events": len(steps)}


def _steady_samples_per_s(events: list[dict]) -> float:
    steps = [e for e in events if e["event"] == "step"]
    steady = steps[3:] if len(steps) > 6 else steps  # skip warm-up flushes, as bench_studio does
    total = sum(e["samples_per_s"] * e["step_time_ms"] * len(e["losses"]) / 1000 for e in steady)
    elapsed = sum(e["step_time_ms"] * len(e["losses"]) / 1000 for e in steady)
    return total / elapsed if elapsed else 0.0


def bench_scaling(root: Path, device, seconds: float, batch: int, nproc: int) -> dict:
    """`studio train` of the course CNN on 1 process and on `nproc` (torchrun), each process with the same
    cores // nproc threads: as one GPU against N GPUs, the N processes have N times the one's means."""
    import os
    import subprocess

    from studio.core.project import load_project, save_project
    from studio.core.resources import default_example_path

    project = load_project(default_example_path())
    project.data = {"dataset": "mnist", "options": {"root": str(root)}, "augment": {}}
    project.training.update(batch_size=batch, epochs=1000, layer_stats_every=100, metrics_interval_ms=100)
    path = save_project(project, root / "bench.studio.json")
    cores = os.cpu_count() or 1
    figures = {1: 0.0, nproc: 0.0}
    for i, n in enumerate((1, nproc, 1, nproc)):  # interleaved, the better of two each: a shared machine's load comes and goes
        env = dict(os.environ, OMP_NUM_THREADS=str(max(1, cores // nproc)))
        cmd = [sys.executable, "-m", "studio", "train", str(path), "--device", device.type, "--max-seconds",
               str(seconds), "--out", str(root / f"run{i}"), "--json"] + (["--nproc", str(n)] if n > 1 else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "training failed")
        events = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        figures[n] = max(figures[n], _steady_samples_per_s(events))
    return {"nproc": nproc, "threads_per_process": max(1, cores // nproc),
            "samples_per_s_1": round(figures[1], 1), f"samples_per_s_{nproc}": round(figures[nproc], 1),
            "scaling_efficiency": round(figures[nproc] / (nproc * figures[1]), 3) if figures[1] else None}


def run(argv: list[str] | None = None) -> dict:
    import torch

    from studio.core.train.device import device_label, resolve_device

    args = _args(argv)
    device = resolve_device(args.device)
    cuda = device.type == "cuda"
    batch = args.batch_size or (512 if cuda else 128)
    n = args.samples or (60000 if cuda else 12000)
    images, labels = mnist_shaped(n)
    if args.nproc > 1:
        with tempfile.TemporaryDirectory() as tmp:
            write_idx(Path(tmp) / "MNIST" / "raw", images, labels, n_test=min(2000, n // 5))
            return {"device": device_label(device), "torch": torch.__version__, "samples": n, "batch_size": batch,
                    "seconds": args.seconds, **bench_scaling(Path(tmp), device, args.seconds, batch, args.nproc)}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_idx(root / "MNIST" / "raw", images, labels, n_test=min(2000, n // 5))
        course = bench_course_loop(images, labels, device, args.seconds)
        hand = bench_hand_loop(images, labels, device, args.seconds, batch, args.compile, args.amp)
        studio = bench_studio(root, device, args.seconds, batch, args.compile, args.amp)
    return {
        "device": device_label(device),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "samples": n,
        "batch_size": batch,
        "course_batch_size": 64,
        "compile": args.compile,
        "amp": args.amp and cuda,
        "seconds_per_method": args.seconds,
        "course_loop_samples_per_s": round(course, 1),
        "hand_loop_samples_per_s": round(hand, 1),
        "studio_samples_per_s": round(studio["samples_per_s"], 1),
        "studio_overall_samples_per_s": round(studio["overall_samples_per_s"], 1),
        "studio_vs_hand": round(studio["samples_per_s"] / hand, 3),
        "studio_vs_course": round(studio["samples_per_s"] / course, 2),
        "hand_vs_course": round(hand / course, 2),
        "studio_step_events": studio["step_events"],
        "studio_layer_stats_events": studio["layer_stats_events"],
    }


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:])))
