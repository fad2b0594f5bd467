"""Real short trainings: every head kind learns, seeded CPU runs repeat exactly, the run folder holds."""

from __future__ import annotations

import json
import math

import pytest
import torch
from train_builders import chain, digits_mlp, make_project

from studio.core.data import load_dataset
from studio.core.train.run_folder import load_checkpoint, load_run_model, read_metrics
from studio.core.train.trainer import run_training


def _train(project, tmp_path, name="run", **overrides):
    events = []
    final = run_training(project, tmp_path / name, overrides, events.append)
    assert final["event"] == "done", final
    return final, events


def test_classification_learns_digits_and_reports_metrics(digits_project, tmp_path):
    final, events = _train(digits_project, tmp_path, epochs=3)
    epochs = [e for e in events if e["event"] == "epoch"]
    assert [e["epoch"] for e in epochs] == [1, 2, 3]
    assert final["best_val_accuracy"] >= 0.9
    assert epochs[-1]["train_loss"] < epochs[0]["train_loss"]
    last = epochs[-1]
    assert len(last["per_class_accuracy"]) == 10 and last["val_top5"] >= last["val_accuracy"]
    cm = torch.tensor(last["confusion"])
    assert cm.shape == (10, 10) and int(cm.sum()) == 359
    assert abs(int(cm.diag().sum()) / 359 - last["val_accuracy"]) < 1e-9
    steps = [e for e in events if e["event"] == "step"]
    assert steps and steps[-1]["step"] == final["global_step"] == 3 * 23
    assert sum(len(e["losses"]) for e in steps) == final["global_step"]  # every step's loss reached the stream
    assert all(s["samples_per_s"] > 0 and s["lr"] == pytest.approx(1e-2) for s in steps)
    layers = [e for e in events if e["event"] == "layers"]
    assert layers and {r["name"] for r in layers[0]["layers"]} == {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}
    assert all(math.isfinite(r["update_ratio_log10"]) and -8 < r["update_ratio_log10"] < 1 for r in layers[0]["layers"])
    assert final["samples_per_s"] > 0 and final["run_dir"] == str(tmp_path / "run")


def test_run_folder_files_and_load_run_model(digits_project, tmp_path):
    final, _ = _train(digits_project, tmp_path, epochs=2)
    run = tmp_path / "run"
    assert {p.name for p in run.iterdir()} >= {"project.json", "checkpoint.pt", "best.pt", "metrics.jsonl", "run.json"}
    for name in ("checkpoint.pt", "best.pt"):
        data = torch.load(run / name, weights_only=True)
        assert data["studio_checkpoint"] == 1 and "fc1.weight" in data["model"]
        assert {"epoch", "global_step", "best_metric", "studio_version"} <= set(data)
    assert "optimizer" in torch.load(run / "checkpoint.pt", weights_only=True)
    summary = json.loads((run / "run.json").read_text())
    assert summary["status"] == "finished" and summary["best_val_accuracy"] == final["best_val_accuracy"]
    assert summary["dataset"]["mean"] and summary["total_params"] == 64 * 32 + 32 + 32 * 10 + 10
    lines = (run / "metrics.jsonl").read_text().splitlines()
    assert json.loads(lines[0])["event"] == "start" and json.loads(lines[-1])["event"] == "done"
    # the reloaded best model scores what the run reported on the same validation split
    project, model = load_run_model(run, "best")
    bundle = load_dataset(project.data)
    with torch.no_grad():
        acc = float((model(bundle.x_val).argmax(1) == bundle.y_val["label"]).float().mean())
    assert acc == pytest.approx(final["best_val_accuracy"], abs=1e-6)


def test_seeded_cpu_runs_repeat_exactly(tmp_path):
    graph = chain(("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                  ("fc1", "Linear", {"out_features": 24}), ("act", "ReLU", {}), ("drop", "Dropout", {"p": 0.3}),
                  ("fc2", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {}))
    data = {"dataset": "digits", "augment": {"noise": 0.1}}
    runs = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        _, events = _train(make_project(graph, data, seed=seed, epochs=2), tmp_path, name)
        losses = [v for e in events if e["event"] == "step" for v in e["losses"]]
        weights = torch.load(tmp_path / name / "checkpoint.pt", weights_only=True)["model"]
        runs.append((losses, weights))
    (la, wa), (lb, wb), (lc, wc) = runs
    assert la == lb  # bit-identical loss curve
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert la != lc and not torch.equal(wa["fc1.weight"], wc["fc1.weight"])


def test_regression_head_learns_boxes(tmp_path):
    graph = chain(("input", "Input", {"shape": [1, 16, 16]}),
                  ("c1", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}), ("a1", "ReLU", {}),
                  ("p1", "MaxPool2d", {"kernel_size": 2}),
                  ("c2", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}), ("a2", "ReLU", {}),
                  ("p2", "MaxPool2d", {"kernel_size": 2}), ("flat", "Flatten", {}),
                  ("fc", "Linear", {"out_features": 4}), ("box", "RegressionHead", {"target": "box"}))
    project = make_project(graph, {"dataset": "shapes", "options": {"size": 16, "count": 800}}, lr=1e-2, epochs=7)
    final, events = _train(project, tmp_path)
    bundle = load_dataset(project.data)
    baseline_mae = float((bundle.y_val["box"] - bundle.y_train["box"].mean(0)).abs().mean())
    head = [e for e in events if e["event"] == "epoch"][-1]["heads"]["box"]
    assert head["mae"] < 0.6 * baseline_mae and head["r2"] > 0.5 and 0.5 < head["iou"] <= 1
    assert final["monitor"] == "val_loss" and final["best_val_accuracy"] is None


def test_segmentation_head_beats_predicting_background(tmp_path):
    graph = chain(("input", "Input", {"shape": [1, 16, 16]}),
                  ("c1", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}), ("a1", "ReLU", {}),
                  ("c2", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 2, "dilation": 2}),
                  ("a2", "ReLU", {}),
                  ("c3", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 4, "dilation": 4}),
                  ("a3", "ReLU", {}), ("c4", "Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
                  ("seg", "SegmentationHead", {}))
    project = make_project(graph, {"dataset": "shapes", "options": {"size": 16, "count": 600}}, lr=1e-2, epochs=10,
                           batch_size=32)
    _, events = _train(project, tmp_path)
    bundle = load_dataset(project.data)
    background = float((bundle.y_val["mask"] == 0).float().mean())
    head = [e for e in events if e["event"] == "epoch"][-1]["heads"]["seg"]
    assert head["pixel_accuracy"] > background + 0.5 * (1 - background)
    assert head["iou_per_class"][0] > 0.9 and 0.5 < head["mean_iou"] <= 1


def test_multitask_sine_lstm_two_heads(tmp_path):
    graph = chain(("input", "Input", {"shape": [24, 2]}), ("lstm", "LSTM", {"hidden_size": 32}),
                  ("fc_next", "Linear", {"out_features": 2}), ("next", "RegressionHead", {"weight": 1.0}),
                  branches={"lstm": [("fc_band", "Linear", {"out_features": 3}),
                                     ("band", "ClassificationHead", {"weight": 0.5})]})
    project = make_project(graph, {"dataset": "sine", "options": {"count": 800, "length": 24}}, lr=1e-2, epochs=4)
    final, events = _train(project, tmp_path)
    last = [e for e in events if e["event"] == "epoch"][-1]
    assert set(last["heads"]) == {"next", "band"}
    assert last["heads"]["band"]["accuracy"] > 0.6  # 3 bands: chance is 1/3
    assert last["heads"]["next"]["r2"] > 0.5
    # the total validation loss is the weighted sum of the heads' losses
    expect = last["heads"]["next"]["loss"] + 0.5 * last["heads"]["band"]["loss"]
    assert last["val_loss"] == pytest.approx(expect, rel=1e-5)


def test_tokens_embedding_lstm_learns_first_token(tmp_path):
    graph = chain(("input", "Input", {"shape": [8], "dtype": "int64"}),
                  ("emb", "Embedding", {"num_embeddings": 4, "embedding_dim": 8}),
                  ("lstm", "LSTM", {"hidden_size": 32}), ("fc", "Linear", {"out_features": 4}),
                  ("head", "ClassificationHead", {}))
    project = make_project(graph, {"dataset": "sequence", "options": {"task": "first", "vocab": 4, "length": 8,
                                                                      "count": 1000}}, lr=1e-2, epochs=10)
    final, _ = _train(project, tmp_path)
    assert final["best_val_accuracy"] > 0.8  # chance is 0.25


def test_embedding_head_triplet_groups_digits(tmp_path):
    graph = chain(("input", "Input", {"shape": [1, 8, 8]}), ("flat", "Flatten", {}),
                  ("fc1", "Linear", {"out_features": 64}), ("act", "ReLU", {}),
                  ("fc2", "Linear", {"out_features": 16}), ("emb", "EmbeddingHead", {"loss": "triplet", "margin": 0.5}))
    project = make_project(graph, {"dataset": "digits"}, lr=3e-3, epochs=3, batch_size=128)
    _, events = _train(project, tmp_path)
    head = [e for e in events if e["event"] == "epoch"][-1]["heads"]["emb"]
    assert head["nn_accuracy"] > 0.85 and head["pair_accuracy"] > 0.7


def test_recipe_options_together(tmp_path):
    """SGD+Nesterov, warm-up + cosine, weight decay, clipping, label smoothing, EMA, augmentation, early stop."""
    graph = chain(("input", "Input", {"shape": [1, 16, 16]}),
                  ("c1", "Conv2d", {"out_channels": 8, "kernel_size": 3, "padding": 1}), ("a1", "ReLU", {}),
                  ("p1", "MaxPool2d", {"kernel_size": 2}), ("flat", "Flatten", {}),
                  ("fc", "Linear", {"out_features": 3}), ("head", "ClassificationHead", {}))
    project = make_project(
        graph, {"dataset": "shapes", "options": {"size": 16, "count": 450}, "augment": {"flip": True, "crop": 1}},
        optimizer="sgd", lr=0.05, nesterov=True, schedule="cosine", warmup_epochs=1, weight_decay=1e-4,
        grad_clip=0.5, label_smoothing=0.1, ema=0.9, early_stopping=2, epochs=5, channels_last=True)
    final, events = _train(project, tmp_path)
    steps = [e for e in events if e["event"] == "step"]
    lrs = [lr for e in steps for lr in e["lrs"]]
    per_epoch = math.ceil(360 / 64)
    assert lrs[0] == pytest.approx(0.05 / per_epoch) and max(lrs) == pytest.approx(0.05, rel=0.05)
    assert lrs[-1] < 0.02  # cosine decay towards 0
    assert max(g for e in steps for g in e["grad_norms"]) < 50
    assert final["best_val_accuracy"] > 0.5  # 3 classes: chance is 1/3
    ckpt = torch.load(tmp_path / "run" / "checkpoint.pt", weights_only=True)
    assert "ema" in ckpt and not torch.equal(ckpt["ema"]["c1.weight"], ckpt["model"]["c1.weight"])


def test_nan_stops_with_a_diagnosis(tmp_path):
    project = make_project(digits_mlp(), {"dataset": "digits"}, optimizer="sgd", lr=1e9, momentum=0.0, epochs=3,
                           metrics_interval_ms=0)
    events = []
    final = run_training(project, tmp_path / "run", None, events.append)
    assert final["event"] == "error" and final["kind"] == "nan"
    assert "NaN/Inf at step" in final["message"] and "learning rate" in final["message"]
    assert "lower lr" in final["fix"] and final["diagnosis"]["lr"] == 1e9
    assert read_metrics(tmp_path / "run")[-1]["kind"] == "nan"
    assert json.loads((tmp_path / "run" / "run.json").read_text())["status"] == "error"


def test_resume_continues_the_curve(digits_project, tmp_path):
    first, _ = _train(digits_project, tmp_path, epochs=1)
    events = []
    final = run_training(digits_project, tmp_path / "run", {"epochs": 3}, events.append, resume=True)
    assert final["event"] == "done" and final["epochs"] == 3
    start = events[0]
    assert start["event"] == "start" and start["resumed_from_step"] == first["global_step"]
    steps = [e for e in events if e["event"] == "step"]
    assert steps[0]["first_step"] == first["global_step"] + 1
    curve = [e for e in read_metrics(tmp_path / "run") if e["event"] == "epoch"]
    assert [e["epoch"] for e in curve] == [1, 2, 3]
    assert load_checkpoint(tmp_path / "run", "last")["global_step"] == 3 * 23


def test_layers_events_carry_weight_and_gradient_histograms(digits_project, tmp_path):
    digits_project.training["layer_stats_every"] = 4
    _, events = _train(digits_project, tmp_path, epochs=1)
    layers = [e for e in events if e["event"] == "layers"]
    assert layers and all(e["step"] % 4 == 0 for e in layers)
    json.dumps(layers)  # the event stays JSON
    sizes = {"fc1.weight": 64 * 32, "fc1.bias": 32, "fc2.weight": 32 * 10, "fc2.bias": 10}
    for ev in layers:
        for row in ev["layers"]:
            assert {"weight_mean", "weight_std", "grad_norm", "update_ratio_log10"} <= set(row)  # the old fields stay
            for kind in ("weight", "grad"):
                counts, (lo, hi) = row[f"{kind}_hist"], row[f"{kind}_range"]
                assert len(counts) == 32 and all(isinstance(c, int) and c >= 0 for c in counts)
                assert sum(counts) == sizes[row["name"]]  # every value counted once
                assert lo == -hi and hi > 0
                # the range covers the values: the mean lies inside it and the histogram's own mean
                # agrees with it to within a bin
                width = (hi - lo) / 32
                centres = [lo + (i + 0.5) * width for i in range(32)]
                hist_mean = sum(c * x for c, x in zip(counts, centres, strict=True)) / sum(counts)
                assert abs(row[f"{kind}_mean"]) <= hi and abs(hist_mean - row[f"{kind}_mean"]) <= width
    lines = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    assert sum(json.loads(line)["event"] == "layers" for line in lines) == len(layers)


def test_layer_stats_histogram_range_is_the_tensors_max_abs():
    from studio.core.train.metrics import layer_rows, layer_stats

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    model(torch.randn(20, 8)).pow(2).mean().backward()
    names, table = layer_stats(model, 1e-3, bins=16)
    params = dict(model.named_parameters())
    for row in layer_rows(names, table):
        p = params[row["name"]]
        for kind, t in (("weight", p.detach()), ("grad", p.grad)):
            lo, hi = row[f"{kind}_range"]
            assert hi == pytest.approx(float(t.abs().max())) and lo == -hi
            assert sum(row[f"{kind}_hist"]) == t.numel() and len(row[f"{kind}_hist"]) == 16
            expected = torch.histc(t.float(), bins=16, min=lo, max=hi)
            assert sum(abs(a - b) for a, b in zip(row[f"{kind}_hist"], expected.tolist(), strict=True)) <= 2


def test_the_apps_metrics_interval_steers_the_run_but_stays_out_of_its_project(tmp_path):
    """The Train panel asks for metrics every 50 ms; that is the app's wish, not the project's: it
    leaked into project.json and from there into a project saved from the opened run."""
    project = make_project(digits_mlp(hidden=8), {"dataset": "digits"}, epochs=1)
    done = run_training(project, tmp_path / "run", {"metrics_interval_ms": 50, "max_steps": 3})
    assert done["event"] == "done"
    snapshot = json.loads((tmp_path / "run" / "project.json").read_text())
    assert "metrics_interval_ms" not in snapshot["training"] and "max_steps" not in snapshot["training"]
    start = next(e for e in read_metrics(tmp_path / "run") if e["event"] == "start")
    assert start["training"]["metrics_interval_ms"] == 50  # the run itself used it
