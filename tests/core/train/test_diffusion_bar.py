"""The diffusion bar (issue 13, paradigm 2): the DDPM digits template, trained on the CPU for a few
minutes, draws 256 samples from pure noise of which a digits classifier trained in this test
recognises at least half with confidence >= 0.9.

Measured on 2 shared CPU cores (load about 5, other test runs alongside): 57.8 % of 256 samples
recognised with confidence >= 0.9, all 10 classes among them; the classifier's validation accuracy
0.986; 40 epochs (920 steps) in 414 s, of which about 1.3 s an epoch is the training itself and most
of the rest the per-epoch sample strip (200 steps x 8 images) and the shared CPU; 256 samples in 8 s.
Without the per-epoch strip (left out here, see the test) the same 57.8 %, 10 classes and 0.986:
the strip changes no weight. STUDIO_DDPM_BAR_EPOCHS sets the epochs.
"""

from __future__ import annotations

import os
import time

import pytest
import torch
import torch.nn.functional as F

from studio.core.data import load_dataset
from studio.core.graph.compile import compile_graph
from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.core.train import diffusion
from studio.core.train.diffusion import Schedule, sample
from studio.core.train.run_folder import load_checkpoint
from studio.core.train.trainer import run_training

EPOCHS = int(os.environ.get("STUDIO_DDPM_BAR_EPOCHS", "40"))


def _classifier(x: torch.Tensor, y: torch.Tensor) -> torch.nn.Module:
    """A small CNN on the digits in [-1, 1], the samples' range."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                              torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(),
                              torch.nn.Linear(64 * 16, 10))
    opt = torch.optim.Adam(net.parameters(), 2e-3)
    for _ in range(30):
        for idx in torch.randperm(len(x)).split(64):
            loss = F.cross_entropy(net(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net.eval()


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_ddpm_template_samples_are_recognised_digits(tmp_path, monkeypatch):
    project = load_project(TEMPLATES / "ddpm_digits.studio.json")
    # The Train panel's per-epoch strip (8 samples x 200 steps each epoch) is not what this bar judges
    # and draws from its own generator, so leaving it out changes no weight; the strip itself is
    # tested by tests/ui/training/test_embeddings_tab.py. The bar's 256 samples below are real.
    monkeypatch.setattr(diffusion, "sample", lambda _model, _schedule, shape, n, **_kw: torch.zeros((n, *shape)))
    t0 = time.perf_counter()
    done = run_training(project, tmp_path / "run", {"device": "cpu", "epochs": EPOCHS})
    train_s = time.perf_counter() - t0
    assert done["event"] == "done", done
    model = compile_graph(project.graph)
    model.load_state_dict(load_checkpoint(tmp_path / "run", "last")["ema"])
    head = next(n for n in project.graph.nodes if n.block == "DiffusionHead")
    t1 = time.perf_counter()
    samples = sample(model, Schedule.from_head(head.params), (1, 8, 8), 256, seed=123)
    sample_s = time.perf_counter() - t1
    data = load_dataset({**project.data, "normalize": False})
    clf = _classifier(data.x_train * 2 - 1, data.y_train["label"])
    with torch.no_grad():
        val_acc = float((clf(data.x_val * 2 - 1).argmax(1) == data.y_val["label"]).float().mean())
        probs = F.softmax(clf(samples), dim=1)
    conf, cls = probs.max(1)
    share = float((conf >= 0.9).float().mean())
    classes = len(set(cls[conf >= 0.9].tolist()))
    print(f"DDPM bar: {share:.1%} of 256 samples recognised (conf >= 0.9), {classes} classes; "
          f"classifier val accuracy {val_acc:.3f}; trained {EPOCHS} epochs in {train_s:.0f} s, sampled in {sample_s:.0f} s")
    assert val_acc >= 0.95
    assert share >= 0.5
