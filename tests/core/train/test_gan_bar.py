"""The GAN bar (issue 13, paradigm 1): the MLP GAN template, trained on the CPU for a few minutes,
draws 256 samples of which a digits classifier trained in this test (a small CNN, not the run's own
feature classifier) recognises at least 60 % with confidence >= 0.9, covering at least 8 classes.

The bar is asserted on the final generator (last.pt), the one the course's reference loop samples
from after its epochs. best.pt (the epoch of the lowest FID-like distance, the run's own choice) is
measured and printed too, but the GAN's samples swing by ±10 points from one epoch to the next, and
which epoch the FID-like figure picks changes with the CPU's floating-point kernels: on one machine
(2026-12-03, 2 shared cores) best.pt was epoch 76 with 61.7 % and last.pt 65.2 % (9 classes); on
another (2026-12-04, AVX2, the same code and seeds) best.pt was epoch 70 with 53.1 % and last.pt
64.8 % (9 classes); classifier validation accuracy 0.975 / 0.978. 80 epochs take 47-153 s. At 40
epochs: 54.3 %, 10 classes. STUDIO_GAN_BAR_EPOCHS sets the epochs (the template's 80 by default).
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
from studio.core.train.diffusion import images_in_signed_range
from studio.core.train.gan import GanRun
from studio.core.train.run_folder import load_checkpoint
from studio.core.train.trainer import run_training

EPOCHS = int(os.environ.get("STUDIO_GAN_BAR_EPOCHS", "80"))


def _classifier(x: torch.Tensor, y: torch.Tensor) -> torch.nn.Module:
    """A small CNN on 28x28 digits in [-1, 1], the samples' range."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                              torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                              torch.nn.Flatten(), torch.nn.Linear(32 * 49, 10))
    opt = torch.optim.Adam(net.parameters(), 2e-3)
    for _ in range(10):
        for idx in torch.randperm(len(x)).split(64):
            loss = F.cross_entropy(net(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net.eval()


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_mlp_gan_template_draws_digits_a_classifier_recognises(tmp_path):
    project = load_project(TEMPLATES / "gan_mlp_digits.studio.json")
    t0 = time.perf_counter()
    done = run_training(project, tmp_path / "run", {"device": "cpu", "epochs": EPOCHS})
    train_s = time.perf_counter() - t0
    assert done["event"] == "done", done
    data = images_in_signed_range(load_dataset(project.data))
    clf = _classifier(data.x_train, data.y_train["label"])
    with torch.no_grad():
        val_acc = float((clf(data.x_val).argmax(1) == data.y_val["label"]).float().mean())
    z = torch.randn(256, 100, generator=torch.Generator().manual_seed(123))
    found = {}
    for which in ("best", "last"):  # best.pt: the epoch of the lowest FID-like distance (the run's own choice)
        checkpoint = load_checkpoint(tmp_path / "run", which)
        model = compile_graph(project.graph).eval()
        model.load_state_dict(checkpoint["model"])
        gan = GanRun.for_model(model, project.graph, data, 0)
        with torch.no_grad():
            probs = F.softmax(clf(gan.generate(model, z, None)), dim=1)
        conf, cls = probs.max(1)
        found[which] = (float((conf >= 0.9).float().mean()), len(set(cls[conf >= 0.9].tolist())),
                        int(checkpoint["epoch"]))
    final = done["final"]
    for which, (share, classes, epoch) in found.items():
        print(f"GAN bar ({which}.pt, epoch {epoch}): {share:.1%} of 256 samples recognised (conf >= 0.9), "
              f"{classes} classes")
    print(f"classifier val accuracy {val_acc:.3f}; trained {EPOCHS} epochs in {train_s:.0f} s; last epoch: "
          f"FID-like {final['val_fid_like']:.1f}, D(x) {final['val_d_real']:.2f}, D(G(z)) {final['val_d_fake']:.2f}, "
          f"diversity {final['val_diversity']:.2f}")
    share, classes, _ = found["last"]
    assert val_acc >= 0.95
    assert share >= 0.6
    assert classes >= 8
