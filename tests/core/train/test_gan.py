"""GAN training (issue 13, paradigm 1): two networks in one project, the alternating step, the live
figures, and the bad inputs a student runs into (a generator that cannot feed the discriminator,
a generator whose images are not the data's, a GAN that blows up)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from studio.core.errors import UserError
from studio.core.graph.compile import compile_graph
from studio.core.graph.infer import infer_graph
from studio.core.graph.networks import gan_structure
from studio.core.project import FORMAT_VERSION, Project, load_project, save_project
from studio.core.resources import TEMPLATES
from studio.core.train.gan import frechet_distance
from studio.core.train.run_folder import load_checkpoint
from studio.core.train.trainer import Trainer, run_training

GAN = TEMPLATES / "gan_mlp_digits.studio.json"


def _gan() -> Project:
    return load_project(GAN)


# --- the project format ---------------------------------------------------------------------------

def test_a_version_1_file_opens_as_one_network_and_saves_as_version_2(tmp_path):
    v1 = json.loads((TEMPLATES / "mnist_cnn.studio.json").read_text())
    assert v1["format_version"] == 1
    path = tmp_path / "old.studio.json"
    path.write_text(json.dumps(v1))
    project = load_project(path)
    assert project.graph.networks == [] and all(n.network is None for n in project.graph.nodes)
    assert [n.to_dict() for n in project.graph.nodes] == v1["graph"]["nodes"]  # nothing else changed
    assert json.loads(path.read_text()) == v1  # reading never rewrites the file
    out = tmp_path / "new.studio.json"
    save_project(project, out)
    written = json.loads(out.read_text())
    assert written["format_version"] == FORMAT_VERSION == 2
    assert "networks" not in written["graph"] and written["graph"]["nodes"] == v1["graph"]["nodes"]


def test_the_gan_template_keeps_its_networks_through_a_save(tmp_path):
    project = _gan()
    assert [(n.id, n.role) for n in project.graph.networks] == [("generator", "generator"),
                                                                ("discriminator", "discriminator")]
    out = tmp_path / "gan.studio.json"
    save_project(project, out)
    again = load_project(out)
    assert {n.id: n.network for n in again.graph.nodes} == {n.id: n.network for n in project.graph.nodes}
    s = gan_structure(again.graph)
    assert s is not None and (s.bridge.src, s.bridge.dst) == ("g_image", "d_flat")


def test_the_course_mlp_gan_has_the_course_sizes():
    report = infer_graph(_gan().graph)
    assert report.ok
    assert report.nodes["g_image"].output_shape == ("N", 1, 28, 28)
    # G 100-256-512-784 and D 784-512-256-1: 559,632 + 533,505 weights
    assert report.total_params == 1_093_137


# --- bad graphs -----------------------------------------------------------------------------------

def test_a_node_in_no_network_is_named():
    project = _gan()
    project.graph.node("d_fc2").network = None
    problems = [e.message for e in infer_graph(project.graph).errors]
    assert any("d_fc2 belongs to no network" in m for m in problems), problems


def test_a_generator_that_cannot_feed_the_discriminator_is_an_error_on_the_bridge():
    project = _gan()
    # the discriminator now starts with a convolution, but G's output is flattened: (N, 784)
    project.graph.node("g_image").params["shape"] = [784]
    project.graph.node("d_flat").block = "Conv2d"
    project.graph.node("d_flat").params = {"out_channels": 8, "kernel_size": 3}
    errors = infer_graph(project.graph).errors
    on_bridge = [e for e in errors if e.node == "d_flat"]
    assert on_bridge, [e.message for e in errors]
    assert "it takes the generator's output, g_image" in on_bridge[0].message


def test_a_generator_whose_images_are_not_the_datas_is_refused_naming_the_block(tmp_path):
    project = _gan()
    project.graph.node("g_image").params["shape"] = [1, 14, 56]  # fits D's Flatten, not the digits
    assert infer_graph(project.graph).ok
    event = run_training(project, tmp_path / "run", {"device": "cpu", "epochs": 1})
    assert event["event"] == "error" and event["kind"] == "user"
    assert "g_image" in event["message"] and "[1, 28, 28]" in event["message"] and "digits" in event["message"]
    assert not (tmp_path / "run").exists()  # a refused start leaves nothing behind


def test_a_gan_without_a_wire_between_its_networks_says_so():
    project = _gan()
    project.graph.edges = [e for e in project.graph.edges if not (e.src == "g_image" and e.dst == "d_flat")]
    messages = [e.message for e in infer_graph(project.graph).errors]
    assert any("does not feed the Discriminator" in m for m in messages), messages


# --- the step ----------------------------------------------------------------------------------------

def _params(model, prefix):
    return {k: v.detach().clone() for k, v in model.named_parameters() if k.split(".")[0].startswith(prefix)}


def test_one_step_moves_each_network_only_with_its_own_loss(tmp_path):
    trainer = Trainer(_gan(), tmp_path / "run", {"device": "cpu", "epochs": 1, "batch_size": 16})
    trainer._setup()
    model, gan = trainer.model, trainer.gan
    g0, d0 = _params(model, "g_"), _params(model, "d_")
    x = trainer.data.x_train[:16]
    # the D step alone: run it and stop before the G step by giving G no learning rate
    trainer.optimizer.param_groups[0]["lr"] = 0.0
    loss, gnorm, figures = gan.step(model, x, {}, trainer.optimizer, trainer._autocast, 0.0)
    g1, d1 = _params(model, "g_"), _params(model, "d_")
    assert all(torch.equal(g0[k], g1[k]) for k in g0)
    assert all(not torch.equal(d0[k], d1[k]) for k in d0 if k.endswith("weight"))
    # the G step alone: now D has no learning rate, G has
    trainer.optimizer.param_groups[0]["lr"] = 2e-4
    trainer.optimizer.param_groups[1]["lr"] = 0.0
    gan.step(model, x, {}, trainer.optimizer, trainer._autocast, 0.0)
    g2, d2 = _params(model, "g_"), _params(model, "d_")
    assert all(torch.equal(d1[k], d2[k]) for k in d1)
    assert all(not torch.equal(g1[k], g2[k]) for k in g1 if k.endswith("weight"))
    assert set(figures) == {"loss_d", "loss_g", "d_real", "d_fake", "d_grad_norm"}
    # at init D knows nothing: both verdicts near 0.5, loss_D near 2 ln 2
    assert 0.3 < float(figures["d_real"]) < 0.7 and 0.3 < float(figures["d_fake"]) < 0.7
    assert abs(float(figures["loss_d"]) - 2 * np.log(2)) < 0.3


def test_d_lr_gives_the_discriminator_its_own_learning_rate(tmp_path):
    project = _gan()
    project.training["d_lr"] = 1e-4
    trainer = Trainer(project, tmp_path / "run", {"device": "cpu"})
    trainer._setup()
    from studio.core.train.optim import set_lr

    set_lr(trainer.optimizer, trainer.schedule.lr(0))
    assert [g["lr"] for g in trainer.optimizer.param_groups] == pytest.approx([2e-4, 1e-4])


# --- a short run ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("gan") / "run"
    events = []
    done = run_training(_gan(), run_dir, {"device": "cpu", "epochs": 2, "metrics_interval_ms": 0}, emit=events.append)
    return run_dir, events, done


def test_a_gan_run_streams_both_losses_and_the_verdicts_per_step(short_run):
    _, events, done = short_run
    assert done["event"] == "done", done
    steps = [e for e in events if e["event"] == "step"]
    total = sum(len(e["losses"]) for e in steps)
    assert total == done["global_step"] == 2 * 23
    for e in steps:
        for name in ("loss_d", "loss_g", "d_real", "d_fake"):
            assert len(e["series"][name]) == len(e["losses"])
        assert e["losses"][-1] == pytest.approx(e["loss_d"] + e["loss_g"], rel=1e-5)
        assert all(0.0 <= v <= 1.0 for v in e["series"]["d_real"] + e["series"]["d_fake"])


def test_each_epoch_draws_the_grid_from_the_same_noise_and_measures_it(short_run):
    _, events, _ = short_run
    grids = [e for e in events if e["event"] == "gan"]
    epochs = [e for e in events if e["event"] == "epoch"]
    assert [g["epoch"] for g in grids] == [1, 2] == [e["epoch"] for e in epochs]
    for g in grids:
        assert len(g["samples"]) == 64 and all(len(s) == 784 for s in g["samples"])
        assert g["shape"] == [1, 28, 28] and g["num_classes"] == 10
    assert grids[0]["samples"] != grids[1]["samples"]  # G learned between the two
    for e in epochs:
        assert e["val_loss"] == pytest.approx(e["val_loss_d"] + e["val_loss_g"])
        assert 0.0 <= e["val_recognised"] <= 1.0 and 0 <= e["val_classes"] <= 10
        assert e["val_fid_like"] > 0 and e["val_diversity"] > 0
        assert e["collapse"] is None  # too early to call it


def test_the_checkpoint_loads_into_the_project_graph_and_draws_like_the_run(short_run):
    run_dir, events, _ = short_run
    project = load_project(run_dir / "project.json")
    model = compile_graph(project.graph)
    model.load_state_dict(load_checkpoint(run_dir, "last")["model"])
    from studio.core.data import load_dataset
    from studio.core.train.diffusion import images_in_signed_range
    from studio.core.train.gan import GanRun

    bundle = images_in_signed_range(load_dataset(project.data))
    gan = GanRun.for_model(model, project.graph, bundle, 0)
    z, labels = gan._fixed_batch(torch.device("cpu"), 64, 11)
    with torch.no_grad():
        grid = gan.generate(model.eval(), z, labels)
    from studio.core.train.diffusion import to_uint8

    last = [e for e in events if e["event"] == "gan"][-1]
    drawn = np.array(to_uint8(grid), dtype=int)
    assert np.abs(drawn - np.array(last["samples"], dtype=int)).max() <= 1


def test_a_gan_that_blows_up_stops_with_the_nan_message(tmp_path):
    project = _gan()
    project.training["lr"] = 1e12  # the weights overflow, D's verdicts become NaN in the first steps
    event = run_training(project, tmp_path / "run", {"device": "cpu", "epochs": 1, "max_steps": 20})
    assert event["event"] == "error" and event["kind"] == "nan", event
    assert "NaN" in event["message"] and "lower lr" in event["fix"]
    assert (tmp_path / "run" / "metrics.jsonl").is_file()  # the record of the run is kept


# --- the figures --------------------------------------------------------------------------------

def test_the_frechet_distance_matches_the_textbook_formula():
    from scipy import linalg

    rng = np.random.default_rng(0)
    a = rng.normal(size=(300, 6))
    b = rng.normal(loc=0.5, scale=1.5, size=(280, 6)) @ rng.normal(size=(6, 6))
    mu_a, mu_b = a.mean(0), b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    expected = float(((mu_a - mu_b) ** 2).sum() + np.trace(ca + cb - 2 * linalg.sqrtm(ca @ cb).real))
    assert frechet_distance(torch.from_numpy(a), torch.from_numpy(b)) == pytest.approx(expected, rel=1e-6)
    assert frechet_distance(torch.from_numpy(a), torch.from_numpy(a)) == pytest.approx(0.0, abs=1e-6)


def test_a_float16_gan_is_refused_with_the_alternative(tmp_path):
    if not torch.cuda.is_available():
        pytest.skip("float16 mixed precision needs CUDA")
    event = run_training(_gan(), tmp_path / "run", {"device": "cuda", "amp": "fp16", "epochs": 1})
    assert event["kind"] == "user" and "bf16" in event["fix"]


def test_a_conditional_gan_needs_labelled_data(tmp_path):
    project = load_project(TEMPLATES / "cgan_digits.studio.json")
    bundle_error = None
    try:
        from studio.core.data import load_dataset
        from studio.core.train.gan import GanRun

        bundle = load_dataset(project.data)
        bundle.targets.pop("label")
        GanRun.for_model(compile_graph(project.graph), project.graph, bundle, 0)
    except UserError as exc:
        bundle_error = exc
    assert bundle_error is not None and "no class labels" in bundle_error.message


def test_a_gan_whose_generator_loss_rises_is_not_called_diverged(tmp_path):
    """loss_D + loss_G from 1.4 to 4.5 is an ordinary GAN run (D learns, G's loss climbs): the done
    event must not tell the student the learning rate is too high; a classifier's would."""
    from studio.core.train import outcome

    trainer = Trainer(_gan(), tmp_path / "run", {"device": "cpu"})
    trainer._setup()
    trainer.history = []
    trainer.loss_watch.see({"event": "step", "losses": [1.4, 2.0], "lrs": [2e-4, 2e-4]})
    trainer.loss_watch.see({"event": "step", "losses": [4.5] * 50, "lrs": [2e-4] * 50})
    assert outcome.judge_run(trainer) == {"diverged": False}
    trainer.gan = None  # the same losses from a supervised run are a divergence
    assert outcome.judge_run(trainer)["diverged"] is True


def test_a_conditional_gans_grid_has_one_class_a_row():
    """The Train panel labels each row of the grid with the class asked for: rows must not mix."""
    from studio.core.data import load_dataset
    from studio.core.train.diffusion import images_in_signed_range
    from studio.core.train.gan import GanRun

    project = load_project(TEMPLATES / "cgan_digits.studio.json")
    model = compile_graph(project.graph)
    data = images_in_signed_range(load_dataset(project.data))
    gan = GanRun.for_model(model, project.graph, data, 0)
    event = gan.event(model, torch.device("cpu"), 1, 23)
    cols = event["columns"]
    assert len(event["samples"]) == len(event["labels"]) == cols * 10
    rows = [event["labels"][r * cols:(r + 1) * cols] for r in range(10)]
    assert rows == [[c] * cols for c in range(10)]
    assert event["eval_samples"] == 256


@pytest.mark.parametrize("loss", ["bce", "bce_logits"])
def test_the_steps_shortcut_bce_is_the_heads_loss(loss):
    """GanRun._bce (one log term for a constant target) equals the GANHead's loss, and keeps NaN."""
    from studio.core.graph.heads import HeadInfo, head_loss
    from studio.core.train.gan import GanRun

    head = HeadInfo("real_or_fake", "gan", "real", 1.0, loss)
    run = GanRun.__new__(GanRun)
    run.head = head
    torch.manual_seed(0)
    out = torch.rand(64, 1) if loss == "bce" else torch.randn(64, 1) * 3
    for real in (True, False):
        expected = head_loss(head, out, torch.full(out.shape, 1.0 if real else 0.0))
        assert float(run._bce(out, real)) == pytest.approx(float(expected), abs=1e-6)
    assert torch.isnan(run._bce(torch.tensor([[float("nan")]]), True))
