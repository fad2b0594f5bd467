"""Transfer learning (issue 15): frozen blocks keep their weights, "train the head only, then
unfreeze" trains the rest from the given epoch at lr × backbone_lr_scale, and resume keeps it."""

from __future__ import annotations

import pytest
import torch
from PIL import Image
from train_builders import chain, make_project

from studio.core.data.builtin import load_shapes
from studio.core.errors import UserError
from studio.core.graph.model import Graph, Node
from studio.core.train.config import TrainConfig
from studio.core.train.freeze import upstream_of
from studio.core.train.run_folder import load_checkpoint, read_metrics
from studio.core.train.trainer import Trainer, run_training

BACKBONE = ("conv", "bn")
HEAD = ("fc",)


@pytest.fixture(scope="module")
def shapes_folder(tmp_path_factory):
    """Circles and squares of the shapes generator, written as PNG files into two class folders."""
    root = tmp_path_factory.mktemp("shapes_folder")
    raw = load_shapes({"size": 16, "count": 90, "seed": 3})
    for name in ("circle", "square"):
        (root / name).mkdir()
    for i, (image, label) in enumerate(zip(raw.x, raw.y["label"].tolist(), strict=True)):
        if label < 2:
            pixels = (image[0] * 255).round().to(torch.uint8).numpy()
            Image.fromarray(pixels, mode="L").save(root / ("circle", "square")[label] / f"{i:03d}.png")
    return root


def _graph(frozen=BACKBONE) -> Graph:
    g = chain(("input", "Input", {"shape": [1, 16, 16]}), ("conv", "Conv2d", {"out_channels": 4, "kernel_size": 3}),
              ("bn", "BatchNorm2d", {}), ("act", "ReLU", {}), ("pool", "MaxPool2d", {"kernel_size": 2}),
              ("flat", "Flatten", {}), ("fc", "Linear", {"out_features": 2}), ("head", "ClassificationHead", {}))
    for nid in frozen:
        g.node(nid).frozen = True
    return g


def _project(folder, graph, **training):
    data = {"dataset": "folder", "options": {"root": str(folder), "image_size": 16, "channels": 1}}
    return make_project(graph, data, batch_size=16, layer_stats_every=0, **training)


def _weights(state: dict) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone().float() for k, v in state.items() if v.is_floating_point()}


def _changed(before: dict, after: dict, nodes: tuple[str, ...]) -> dict[str, bool]:
    return {k: not torch.equal(before[k], after[k]) for k in before if k.split(".")[0] in nodes}


def _initial(project) -> dict[str, torch.Tensor]:
    from studio.core.graph.compile import compile_graph

    torch.manual_seed(int(project.training["seed"]))  # the trainer seeds before it builds the model
    return _weights(compile_graph(project.graph).state_dict())


def test_the_frozen_flag_round_trips_and_is_written_only_when_set():
    node = Node("conv", "Conv2d", frozen=True)
    assert node.to_dict()["frozen"] is True and Node.from_dict(node.to_dict()).frozen
    assert "frozen" not in Node("fc", "Linear").to_dict() and not Node.from_dict({"id": "a", "block": "ReLU"}).frozen
    assert upstream_of(_graph(), "act") == ["conv", "bn", "act"]


def test_a_frozen_backbone_keeps_every_weight_and_statistic_and_only_the_head_trains(shapes_folder, tmp_path):
    project = _project(shapes_folder, _graph(), epochs=2)
    before = _initial(project)
    done = run_training(project, tmp_path / "run")
    assert done["event"] == "done", done
    after = _weights(load_checkpoint(tmp_path / "run", "last")["model"])
    backbone = _changed(before, after, BACKBONE)
    assert backbone and not any(backbone.values()), f"frozen weights changed: {backbone}"  # BN running stats too
    assert all(_changed(before, after, HEAD).values()), "the head did not train"
    groups = load_checkpoint(tmp_path / "run", "last")["optimizer"]["param_groups"]
    assert [g["name"] for g in groups] == ["head"] and len(groups[0]["params"]) == 2  # fc.weight, fc.bias only


def test_unfreeze_at_epoch_trains_the_backbone_in_phase_two_at_the_scaled_lr(shapes_folder, tmp_path):
    project = _project(shapes_folder, _graph(), epochs=3, lr=0.01, unfreeze_at_epoch=1, backbone_lr_scale=0.25)
    trainer = Trainer(project, tmp_path / "run")
    seen: list[tuple[int, list]] = []
    step = trainer._step

    def watch(idx, lr):  # the optimizer's groups as each step runs
        seen.append((trainer.epoch, [(g["name"], g["lr"], all(p.requires_grad for p in g["params"]))
                                     for g in trainer.optimizer.param_groups]))
        return step(idx, lr)

    trainer._step = watch
    before = _initial(project)
    done = trainer.run()
    assert done["event"] == "done" and done["epochs"] == 3, done
    assert all(groups == [("head", 0.01, True)] for epoch, groups in seen if epoch == 0)
    assert all(groups == [("head", 0.01, True), ("backbone", 0.0025, True)] for epoch, groups in seen if epoch >= 1)
    assert {e for e, _ in seen} == {0, 1, 2}
    after = _weights(trainer.model.state_dict())
    assert all(_changed(before, after, BACKBONE).values()), "phase 2 did not train the backbone"
    assert any(e["event"] == "info" and "unfroze 2 block(s) (conv, bn)" in e["message"]
               for e in read_metrics(tmp_path / "run"))


def test_a_run_resumed_in_phase_two_keeps_the_backbone_group(shapes_folder, tmp_path):
    project = _project(shapes_folder, _graph(), epochs=2, unfreeze_at_epoch=1, backbone_lr_scale=0.5)
    steps = run_training(project, tmp_path / "run", {"max_steps": 1})  # stops in epoch 1: head only
    assert steps["event"] == "done", steps
    first = load_checkpoint(tmp_path / "run", "last")["optimizer"]["param_groups"]
    assert [g["name"] for g in first] == ["head"]
    done = run_training(project.copy(), tmp_path / "run", resume=True)
    assert done["event"] == "done" and done["epochs"] == 2, done
    groups = load_checkpoint(tmp_path / "run", "last")["optimizer"]["param_groups"]
    assert [(g["name"], g["lr_scale"] if "lr_scale" in g else 1.0) for g in groups] == [("head", 1.0), ("backbone", 0.5)]
    again = run_training(project.copy(), tmp_path / "run", {"epochs": 3}, resume=True)  # resumes inside phase 2
    assert again["event"] == "done" and again["epochs"] == 3, again


def test_bad_settings_are_refused_by_name(shapes_folder, tmp_path):
    with pytest.raises(UserError, match="training.backbone_lr_scale 0 is out of range"):
        TrainConfig.from_dict({"backbone_lr_scale": 0})
    everything = _graph(frozen=("conv", "bn", "fc"))
    done = run_training(_project(shapes_folder, everything), tmp_path / "run")
    assert done["event"] == "error" and "every block with weights is frozen" in done["message"], done
