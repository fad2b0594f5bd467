"""Explain on a metric-learning run (the Siamese template): the embedding network is explained as
the classifier its class prototypes make of it, so "Predicted" is the nearest class prototype (the
rule few-shot evaluation measures) and Grad-CAM shows why an image is near its class, instead of a
softmax over the embedding's coordinates naming a coordinate as the class."""

from __future__ import annotations

import pytest
import torch

from studio.app.run_store import RunStore
from studio.core.data.loader import load_dataset
from studio.core.explain.prototypes import PrototypeClassifier
from studio.core.explain.runs import for_explain
from studio.core.project import load_project
from studio.core.resources import TEMPLATES


@pytest.fixture(scope="module")
def siamese_run(tmp_path_factory):
    from studio.core.train.trainer import run_training

    torch.set_num_threads(1)
    run = tmp_path_factory.mktemp("explain-embedding") / "siamese"
    final = run_training(load_project(TEMPLATES / "siamese_embedding.studio.json"), run, {"epochs": 2, "device": "cpu"})
    assert final["event"] == "done", final
    return run


def test_an_embedding_run_is_explained_by_its_nearest_class_prototype(siamese_run):
    opened = RunStore().open(siamese_run)
    explained = for_explain(opened.explain("best"))
    model = explained.model
    assert isinstance(model, PrototypeClassifier)
    assert {"conv1", "conv2"} <= {name for name, _ in model.named_children()}, "layers keep their node ids"
    bundle = load_dataset(opened.project.data)
    x, y = bundle.x_val, bundle.y_val["label"]
    with torch.no_grad():
        scores = model(x)
        emb = opened.model("best").eval()(x)
    assert scores.shape == (x.shape[0], 10)
    # the prediction is the nearest class mean of the validation embeddings, computed here by hand
    emb = emb[0] if isinstance(emb, (tuple, list)) else emb
    means = torch.stack([emb[y == c].mean(0) for c in range(10)])
    assert torch.equal(scores.argmax(1), torch.cdist(emb, means).argmin(1))
    accuracy = float((scores.argmax(1) == y).float().mean())
    print(f"\nnearest class prototype = true class for {accuracy:.1%} of {x.shape[0]} validation digits")
    assert accuracy >= 0.8, accuracy  # a trained embedding puts most digits nearest their own class
    cam = explained.cam(x[:4], target="predicted")
    assert cam.heatmap.shape[0] == 4 and torch.isfinite(cam.heatmap).all()
    assert cam.predicted == cam.targets == scores[:4].argmax(1).tolist()
    assert not all(cam.empty), "the distance to a prototype has a gradient at the conv layers"
