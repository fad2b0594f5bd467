"""A small CNN trained on `shapes` by Studio's own trainer, for the pointing game and the CLI."""

from __future__ import annotations

from pathlib import Path

from model_layers import shapes_cam_layers

from studio.core.graph.model import Graph
from studio.core.project import Project


def pointing_cnn_project(epochs: int = 6, count: int = 1200, seed: int = 0) -> Project:
    """Three conv stages and global average pooling: the classic CAM-friendly classifier."""
    graph = Graph.chain(shapes_cam_layers(32, (16, 32, 48), 48))
    return Project(
        name="Pointing CNN", graph=graph,
        data={"dataset": "shapes", "options": {"size": 32, "count": count, "seed": seed}, "val_fraction": 0.2,
              "augment": {}},
        training={"optimizer": "adam", "lr": 3e-3, "batch_size": 64, "epochs": epochs, "seed": seed, "device": "cpu"},
    )


def train_run(run_dir: Path, **kwargs) -> dict:
    from studio.core.train.trainer import run_training

    done = run_training(pointing_cnn_project(**kwargs), run_dir)
    assert done["event"] == "done", done
    return done
