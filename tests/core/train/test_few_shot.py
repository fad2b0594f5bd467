"""Few-shot evaluation (issue 15): prototypical-network episodes on an embedding model.

The slow test trains the Siamese template on the built-in digits (8 epochs, 184 steps, CPU) and
checks that 5-way 1-shot beats chance (20 %) by a clear margin and beats the same network at its
random initialisation; the fast ones check the episode arithmetic and that episodes are seeded.
"""

from __future__ import annotations

import json

import pytest
import torch

from studio.core.data import load_dataset
from studio.core.errors import UserError
from studio.core.graph.compile import compile_graph
from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.core.train.few_shot import evaluate, run_episodes


def _clusters(n_classes=6, per_class=30, dim=4, spread=0.05, seed=0):
    gen = torch.Generator().manual_seed(seed)
    centres = torch.randn(n_classes, dim, generator=gen) * 3
    labels = torch.arange(n_classes).repeat_interleave(per_class)
    emb = centres[labels] + spread * torch.randn(labels.numel(), dim, generator=gen)
    return emb, labels


def test_separated_clusters_are_classified_perfectly_and_noise_at_chance():
    emb, labels = _clusters()
    result = run_episodes(emb, labels, way=5, shot=1, queries=5, episodes=50, seed=1)
    assert result.accuracy == 1.0 and result.ci95 == 0.0 and result.chance == 0.2
    noise = torch.randn(emb.shape, generator=torch.Generator().manual_seed(3))
    chance = run_episodes(noise, labels, way=5, shot=1, queries=5, episodes=400, seed=1)
    assert abs(chance.accuracy - 0.2) < 0.05
    assert 0.0 < chance.ci95 < 0.03


def test_episodes_are_seeded():
    emb, labels = _clusters(spread=3.0)
    a = run_episodes(emb, labels, 5, 1, 5, 100, seed=7)
    b = run_episodes(emb, labels, 5, 1, 5, 100, seed=7)
    c = run_episodes(emb, labels, 5, 1, 5, 100, seed=8)
    assert a.accuracies == b.accuracies and a.accuracy == b.accuracy
    assert a.accuracies != c.accuracies


def test_too_few_classes_is_a_user_error():
    emb, labels = _clusters(n_classes=3)
    with pytest.raises(UserError, match="needs 5 classes"):
        run_episodes(emb, labels, 5, 1, 5, 10)


def test_novel_classes_are_held_out_when_there_are_enough():
    emb, labels = _clusters(n_classes=8)
    names = [f"c{i}" for i in range(8)]
    report = evaluate(_Identity(), emb, labels, names, trained_classes=names[:2], settings=((5, 1),),
                      queries=5, episodes=20)
    assert report.held_out and report.classes_used == names[2:]
    seen = evaluate(_Identity(), emb, labels, names, trained_classes=names, settings=((5, 1),), queries=5,
                    episodes=20)
    assert not seen.held_out and seen.classes_used == names


class _Identity(torch.nn.Module):
    """A stand-in embedding model: its one embedding head gives the input back."""

    heads = [type("H", (), {"kind": "embedding"})()]
    input_nodes = ["x"]

    def forward(self, x):
        return x


def test_a_model_without_embedding_head_is_refused():
    from studio.core.train.few_shot import embed

    project = load_project(TEMPLATES / "siamese_embedding.studio.json")
    model = compile_graph(project.graph)
    model.heads = [type("H", (), {"kind": "classification"})()]
    with pytest.raises(UserError, match="EmbeddingHead"):
        embed(model, torch.zeros(2, 1, 8, 8))


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    from studio.core.train.trainer import run_training

    project = load_project(TEMPLATES / "siamese_embedding.studio.json")
    run_dir = tmp_path_factory.mktemp("few_shot") / "run"
    done = run_training(project, run_dir, {"device": "cpu", "epochs": 8}, lambda e: None)
    assert done["event"] == "done", done
    return project, run_dir


@pytest.mark.slow
def test_trained_siamese_beats_chance_and_random_init_at_5_way_1_shot(trained_run, capsys):
    from studio.app.run_store import RunStore
    from studio.cli import main

    project, run_dir = trained_run
    bundle = load_dataset(project.data)
    x, y, names = bundle.x_val, bundle.y_val["label"], bundle.class_names
    trained = evaluate(RunStore().open(run_dir).model(), x, y, names, names, episodes=200, seed=0)
    torch.manual_seed(0)
    random_init = evaluate(compile_graph(project.graph), x, y, names, names, episodes=200, seed=0)
    one_shot, five_shot = trained.settings
    assert (one_shot.way, one_shot.shot) == (5, 1) and (five_shot.way, five_shot.shot) == (5, 5)
    assert one_shot.accuracy > one_shot.chance + 0.4  # 20 % chance: a clear margin
    assert one_shot.accuracy > random_init.settings[0].accuracy + 2 * one_shot.ci95
    assert five_shot.accuracy >= one_shot.accuracy
    assert not trained.held_out  # digits: every class was trained on, and the report says so
    with capsys.disabled():
        print("trained:", [s.line() for s in trained.settings], "random init:",
              [s.line() for s in random_init.settings])
    # the command line gives the same figures (same seed, same split)
    assert main(["few-shot", str(run_dir), "--way", "5", "--shot", "1", "5", "--episodes", "200", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["accuracy"] for s in out["settings"]] == [round(s.accuracy, 6) for s in trained.settings]
    assert out["held_out"] is False and out["source"] == "digits validation split"
    # a user's image folder whose classes the run never saw by name: episodes draw on those alone
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    folder = run_dir.parent / "new_classes"
    for digit in range(5, 10):
        (folder / f"glyph{digit}").mkdir(parents=True)
        for i, image in enumerate(digits.images[digits.target == digit][:20]):
            Image.fromarray((image * 255 / 16).astype(np.uint8)).save(folder / f"glyph{digit}" / f"{i}.png")
    assert main(["few-shot", str(run_dir), "--data", str(folder), "--shot", "1", "--queries", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["held_out"] is True and out["classes"] == [f"glyph{d}" for d in range(5, 10)]
    assert out["n_samples"] == 100 and out["settings"][0]["accuracy"] > 0.6
