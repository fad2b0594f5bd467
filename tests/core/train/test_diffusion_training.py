"""Diffusion runs in the trainer (issue 13, paradigm 2, item 2): the DDPM digits template's denoiser
learns to predict the noise (the loss falls), its validation loss is the same objective on fixed
time steps and noise, and the head and data checks say what is wrong, naming the node."""

from __future__ import annotations

import pytest
import torch
from train_builders import chain, make_project

from studio.core.data import load_dataset
from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import infer_graph
from studio.core.graph.model import Node
from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.core.train.diffusion import DiffusionRun, Schedule, q_sample
from studio.core.train.trainer import Trainer, run_training

TEMPLATE = TEMPLATES / "ddpm_digits.studio.json"


def test_the_template_is_a_time_conditioned_conv_denoiser_with_a_diffusion_head():
    project = load_project(TEMPLATE)
    report = infer_graph(project.graph)
    assert report.ok, [e.one_line() for e in report.errors]
    blocks = {n.block for n in project.graph.nodes}
    assert {"TimestepEmbedding", "Conv2d", "DiffusionHead"} <= blocks
    model = compile_graph(project.graph)
    assert sorted(model.input_sources.values()) == ["input", "timestep"]
    head = model.heads[0]
    assert (head.kind, head.target, head.loss) == ("diffusion", "noise", "mse")
    assert head.output_shape[1:] == (1, 8, 8)
    assert project.data["dataset"] == "digits"


def test_training_the_template_on_digits_lowers_the_noise_prediction_loss(tmp_path):
    events: list[dict] = []
    done = run_training(load_project(TEMPLATE), tmp_path / "run",
                        {"device": "cpu", "epochs": 2, "metrics_interval_ms": 0}, events.append)
    assert done["event"] == "done", done
    steps = [e for e in events if e["event"] == "step"]
    epochs = [e for e in events if e["event"] == "epoch"]
    first, last = steps[0]["loss"], sum(s["loss"] for s in steps[-5:]) / 5
    assert first > 0.6 and last < 0.5 * first, (first, last)  # an untrained net predicts ~ unit-variance noise
    assert epochs[-1]["val_loss"] < epochs[0]["val_loss"] < 1.0
    assert done["monitor"] == "val_loss" and not done.get("diverged")


def test_validation_uses_fixed_steps_and_noise_so_epochs_compare(tmp_path):
    project = load_project(TEMPLATE)
    trainer = Trainer(project, tmp_path / "run", {"device": "cpu"})
    trainer._setup()
    x_val = trainer.data.x_val
    assert float(x_val.min()) >= -1 and float(x_val.max()) <= 1 and float(x_val.min()) < -0.99  # in [-1, 1]
    a, b = trainer.evaluate(), trainer.evaluate()
    assert a["val_loss"] == b["val_loss"]  # same weights, same figure
    # and it is the training objective: MSE of the predicted noise on (x_t, t) from the fixed draw
    t, e = trainer.diffusion._val_noise(x_val)
    model = trainer._eval_model().eval()
    with torch.no_grad():
        pred = model(q_sample(x_val, t, e, trainer.diffusion.schedule), t.reshape(-1, 1))
    assert a["val_loss"] == pytest.approx(float(torch.nn.functional.mse_loss(pred, e)), rel=1e-4)


def test_a_training_batch_is_x_t_and_t_in_the_graphs_input_order_with_the_noise_as_target():
    project = load_project(TEMPLATE)
    model = compile_graph(project.graph)
    bundle = load_dataset(project.data)
    run = DiffusionRun.for_model(model, bundle, 0)
    x0 = run.prepare(bundle).x_train[:16]
    torch.manual_seed(0)
    (x_t, t), y = run.training_batch(x0)
    assert x_t.shape == x0.shape and t.shape == (16, 1) and t.dtype == torch.int64
    assert 1 <= int(t.min()) and int(t.max()) <= run.schedule.timesteps
    assert torch.allclose(x_t, q_sample(x0, t.reshape(-1), y["noise"], run.schedule), atol=1e-6)


def _denoiser(out_channels=1, head=None):
    g = chain(("x", "Input", {"shape": [1, 8, 8]}), ("conv", "Conv2d", {"out_channels": 4, "padding": 1}),
              ("add", "Add", {}), ("out", "Conv2d", {"out_channels": out_channels, "padding": 1}),
              ("noise", "DiffusionHead", {"timesteps": 50, **(head or {})}))
    for node in (Node("t", "Input", {"shape": [1], "dtype": "int64", "source": "timestep"}),
                 Node("temb", "TimestepEmbedding", {"embedding_dim": 8, "hidden_dim": 16}),
                 Node("tproj", "Linear", {"out_features": 4}), Node("tshape", "Reshape", {"shape": [4, 1, 1]}),
                 Node("tgrid", "Upsample", {"scale_factor": 8})):
        g.add_node(node)
    for a, b in (("t", "temb"), ("temb", "tproj"), ("tproj", "tshape"), ("tshape", "tgrid"), ("tgrid", "add")):
        g.connect(a, b)
    return g


def test_a_head_that_does_not_predict_an_image_worth_of_noise_is_named(tmp_path):
    done = run_training(make_project(_denoiser(out_channels=3), {"dataset": "digits"}), tmp_path / "r")
    assert done["event"] == "error" and done["kind"] == "user"
    assert "head 'noise' predicts 192 value(s) per image, but the noise of a [1, 8, 8] image has 64" in done["message"]


def test_a_denoiser_without_a_time_step_input_is_refused_with_the_fix(tmp_path):
    g = chain(("x", "Input", {"shape": [1, 8, 8]}), ("conv", "Conv2d", {"out_channels": 1, "padding": 1}),
              ("noise", "DiffusionHead", {}))
    done = run_training(make_project(g, {"dataset": "digits"}), tmp_path / "r")
    assert done["kind"] == "user" and "time step" in done["message"]
    assert "source timestep" in done["fix"]


def test_betas_out_of_order_are_a_shape_error_on_the_head_with_a_fix():
    issue = next(e for e in infer_graph(_denoiser(head={"beta_start": 0.1, "beta_end": 0.01})).errors
                 if e.node == "noise")
    assert "needs 0 < beta_start < beta_end < 1" in issue.message and issue.fix is not None
    assert infer_graph(_denoiser(head={"schedule": "cosine", "beta_start": 0.1, "beta_end": 0.01})).ok


def test_every_schedule_trains_a_small_denoiser(tmp_path):
    for name in ("linear", "quadratic", "cosine"):
        done = run_training(make_project(_denoiser(head={"schedule": name}), {"dataset": "digits", "normalize": False},
                                         epochs=1), tmp_path / name)
        assert done["event"] == "done", done
        assert Schedule.from_head({"schedule": name, "timesteps": 50}).timesteps == 50
