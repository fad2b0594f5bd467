"""A small CNN trained on `shapes` by Studio's own trainer, for the pointing game and the CLI."""

from __future__ import annotations

from pathlib import Path

from studio.core.graph.model import Graph
from studio.core.project import Project


def pointing_cnn_project(epochs: int = 6, count: int = 1200, seed: int = 0) -> Project:
    """Three conv stages and global average pooling: the classic CAM-friendly classifier."""
    chain = [
        ("input", "Input", {"shape": [1, 32, 32]}),
        ("conv1", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}),
        ("relu1", "ReLU", {}),
        ("pool1", "MaxPool2d", {"kernel_size": 2}),
        ("conv2", "Conv2d", {"out_channels": 32, "kernel_size": 3, "padding": 1}),
        ("relu2", "ReLU", {}),
        ("pool2", "MaxPool2d", {"kernel_size": 2}),
        ("conv3", "Conv2d", {"out_channels": 48, "kernel_size": 3, "padding": 1}),
        ("relu3", "ReLU", {}),
        ("pool3", "MaxPool2d", {"kernel_size": 2}),
        ("conv4", "Conv2d", {"out_channels": 48, "kernel_size": 3, "padding": 1}),
        ("relu4", "ReLU", {}),
        ("gap", "AdaptiveAvgPool2d", {"output_size": 1}),
        ("flatten", "Flatten", {}),
        ("fc", "Linear", {"out_features": 3}),
        ("head", "ClassificationHead", {}),
    ]
    graph = Graph.chain(chain)
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
