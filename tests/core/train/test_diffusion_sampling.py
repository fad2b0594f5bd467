"""DDPM reverse sampling and the `diffusion` event (issue 13, paradigm 2, item 3): ancestral sampling
from pure noise is seeded and follows the DDPM update; the trainer emits, at each epoch end, a
strip of samples and the forward process of one validation image as uint8 pixel lists."""

from __future__ import annotations

import math

import torch
from torch import nn

from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.core.train.diffusion import STRIP_SAMPLES, Schedule, sample, strip_steps, to_uint8
from studio.core.train.trainer import run_training


class Oracle(nn.Module):
    """A 'denoiser' that always predicts zero noise, with the graph interface (input_nodes, sources)."""

    input_nodes = ["x", "t"]
    input_sources = {"x": "input", "t": "timestep"}

    def __init__(self):
        super().__init__()
        self.calls: list[int] = []

    def forward(self, x, t):
        assert t.shape == (x.shape[0], 1) and t.dtype == torch.int64
        self.calls.append(int(t[0, 0]))
        return torch.zeros_like(x)


def test_sampling_runs_the_t_steps_from_t_down_to_1_and_is_seeded():
    sched = Schedule.make("linear", 20, 1e-3, 0.2)
    model = Oracle()
    a = sample(model, sched, (1, 4, 4), 3, seed=5)
    assert model.calls == list(range(20, 0, -1))
    assert a.shape == (3, 1, 4, 4) and float(a.abs().max()) <= 1
    assert torch.equal(a, sample(Oracle(), sched, (1, 4, 4), 3, seed=5))
    assert not torch.equal(a, sample(Oracle(), sched, (1, 4, 4), 3, seed=6))


def test_one_reverse_step_is_the_ddpm_posterior_mean_without_noise_at_t_1():
    sched = Schedule.make("linear", 1, 0.3, 0.3)  # a single step: x0 = (x1 - beta / sqrt(1 - ab) eps) / sqrt(alpha)

    class Const(Oracle):
        def forward(self, x, t):
            return torch.full_like(x, 0.5)

    out = sample(Const(), sched, (1, 2, 2), 1, seed=0)
    x1 = torch.randn((1, 1, 2, 2), generator=torch.Generator().manual_seed(0))
    want = (x1 - 0.3 / math.sqrt(0.3) * 0.5) / math.sqrt(0.7)
    assert torch.allclose(out, want.clamp(-1, 1), atol=1e-6)


def test_uint8_pixels_map_minus_one_to_0_and_one_to_255():
    assert to_uint8(torch.tensor([[[[-1.0, 0.0, 1.0, 3.0]]]])) == [[0, 128, 255, 255]]


def test_each_epoch_ends_with_a_diffusion_event_with_samples_and_the_forward_strip(tmp_path):
    project = load_project(TEMPLATES / "ddpm_digits.studio.json")
    node = next(n for n in project.graph.nodes if n.block == "DiffusionHead")
    node.params.update(timesteps=50, beta_end=0.3)  # a short chain keeps the strip cheap to draw
    events: list[dict] = []
    done = run_training(project, tmp_path / "run", {"device": "cpu", "epochs": 2, "batch_size": 512}, events.append)
    assert done["event"] == "done", done
    shown = [e for e in events if e["event"] == "diffusion"]
    epochs = [e for e in events if e["event"] == "epoch"]
    assert [e["epoch"] for e in shown] == [e["epoch"] for e in epochs]
    ev = shown[-1]
    assert events.index(ev) == events.index(epochs[-1]) - 1  # just before its epoch event
    head = next(n for n in project.graph.nodes if n.block == "DiffusionHead").params
    T = head["timesteps"]
    assert ev["shape"] == [1, 8, 8] and ev["schedule"] == head["schedule"] and ev["timesteps"] == T
    assert len(ev["samples"]) == STRIP_SAMPLES and all(len(s) == 64 for s in ev["samples"])
    assert ev["forward_t"] == strip_steps(T) and ev["forward_t"][0] == 0 and ev["forward_t"][-1] == T
    assert len(ev["forward"]) == len(ev["forward_t"])
    assert all(0 <= v <= 255 and isinstance(v, int) for row in ev["samples"] + ev["forward"] for v in row)
    # x0 is a digit: dark background, some bright strokes; x_T is noise, clipped around mid-grey
    x0, xT = ev["forward"][0], ev["forward"][-1]
    assert min(x0) == 0 and max(x0) > 200 and sum(v == 0 for v in x0) > 16
    assert sum(v == 0 for v in xT) < 16
    assert ev["alpha_bar_t"][0] == 1 and ev["alpha_bar_t"][-1] == T
    assert ev["alpha_bar"][0] > 0.99 and ev["alpha_bar"][-1] < 0.01
    # the same image and noise every epoch: the strip shows the model changing, not the seed
    assert shown[0]["forward"] == shown[1]["forward"]
