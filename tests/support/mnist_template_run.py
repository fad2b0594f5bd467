"""The shipped MNIST CNN template trained briefly by Studio's own trainer (core and UI tests alike).

60 steps (about 2.6 epochs of the built-in digits, ~97 % validation accuracy, ~10 s on a CPU): the
state a new user's first short training leaves, where Grad-CAM at the pooled layer is empty for
about a third of the digits and many channels of `conv2`/`pool1` fire most for a darker image.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import torch

TEMPLATE = Path(__file__).resolve().parents[2] / "resources" / "templates" / "mnist_cnn.studio.json"


_TRAINED: dict[int, Path] = {}  # steps -> the first run folder trained with them in this test session


def train_mnist_template(run_dir: Path, steps: int = 60) -> Path:
    """Train into `run_dir`; a second call in the same session (the core and the UI explain tests
    both want this run) copies the folder the first call trained instead of training again."""
    from studio.core.project import load_project
    from studio.core.train.trainer import run_training

    first = _TRAINED.get(steps)
    if first is not None and (first / "best.pt").is_file():
        shutil.copytree(first, run_dir)
        return run_dir
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    project = load_project(TEMPLATE)
    project.training["device"] = "cpu"
    event = run_training(project, run_dir, {"max_steps": steps})
    assert event["event"] == "done", event
    _TRAINED[steps] = run_dir
    return run_dir
