"""BatchNorm on several processes: with `sync_batchnorm` (the default) a 2-process gloo run of a
BatchNorm CNN normalises with the whole global batch's statistics and follows the one-process run;
a frozen block's BatchNorm keeps the statistics it was trained with."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from train_builders import chain, make_project

from studio.core.project import load_project, save_project
from studio.core.train.trainer import run_training

STEPS = 6


def _bn_cnn_project(tmp_path):
    graph = chain(("input", "Input", {"shape": [1, 8, 8]}),
                  ("conv", "Conv2d", {"out_channels": 8, "kernel_size": 3, "padding": 1, "bias": False}),
                  ("bn", "BatchNorm2d", {}), ("act", "ReLU", {}), ("flat", "Flatten", {}),
                  ("fc1", "Linear", {"out_features": 16}), ("bn_frozen", "BatchNorm1d", {}),
                  ("fc2", "Linear", {"out_features": 10}), ("head", "ClassificationHead", {}))
    next(n for n in graph.nodes if n.id == "bn_frozen").frozen = True
    # batch 63: every step deals 32 + 31 samples, so the ranks' shares of the statistics differ
    project = make_project(graph, {"dataset": "digits"}, batch_size=63, epochs=1, metrics_interval_ms=0,
                           layer_stats_every=0)
    return save_project(project, tmp_path / "bn.studio.json")


@pytest.mark.slow
def test_two_gloo_processes_with_batchnorm_follow_one_process(tmp_path):
    path = _bn_cnn_project(tmp_path)
    assert "sync_batchnorm" not in load_project(path).training  # on by default
    run2 = tmp_path / "run2"
    result = subprocess.run([sys.executable, "-m", "studio", "train", str(path), "--nproc", "2", "--out", str(run2),
                             "--json", "--max-steps", str(STEPS)], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert result.returncode == 0, result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    start = printed[0]
    assert start["distributed"]["world_size"] == 2 and start["distributed"]["backend"] == "gloo"
    # torch's SyncBatchNorm refuses CPU tensors: Studio's own one syncs the one unfrozen layer
    assert start["distributed"]["batchnorm"] == {"layers": 1, "synchronised": 1, "kind": "GlooSyncBatchNorm"}

    one: list[dict] = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        run_training(load_project(path), tmp_path / "run1", {"max_steps": STEPS}, one.append)
    finally:
        torch.set_num_threads(threads)

    def series(events, key):
        return [v for e in events if e["event"] == "step" for v in e[key]]

    ref, got = series(one, "losses"), series(printed, "losses")
    assert len(ref) == len(got) == STEPS
    # per-rank statistics (sync_batchnorm off) are 2e-5 off at step 1 and 1e-2 by step 4
    assert all(math.isclose(a, b, rel_tol=1e-5) for a, b in zip(ref, got, strict=True)), (ref, got)
    assert all(math.isclose(a, b, rel_tol=1e-4)
               for a, b in zip(series(one, "grad_norms"), series(printed, "grad_norms"), strict=True))

    # the saved model is the one-process model: same weights and running statistics, plain BatchNorm keys
    w1 = torch.load(tmp_path / "run1" / "checkpoint.pt", weights_only=True)["model"]
    w2 = torch.load(run2 / "checkpoint.pt", weights_only=True)["model"]
    assert set(w1) == set(w2)
    for key, value in w1.items():
        assert torch.allclose(value.double(), w2[key].double(), rtol=1e-4, atol=1e-6), key
    assert int(w2["bn.num_batches_tracked"]) == STEPS
    # the frozen block's BatchNorm normalised with its stored statistics and did not update them
    assert int(w2["bn_frozen.num_batches_tracked"]) == 0 and float(w2["bn_frozen.running_mean"].abs().max()) == 0


def test_the_setting_reaches_every_rank_and_the_output_says_what_batchnorm_does(capsys):
    import argparse

    from studio.commands import train as train_command

    parser = argparse.ArgumentParser()
    train_command.add_arguments(parser)
    args = parser.parse_args(["p.studio.json", "--nproc", "2", "--sync-batchnorm", "off"])
    child = train_command._child_args(args, Path("runs/x"))
    assert child[child.index("--sync-batchnorm") + 1] == "off"  # torchrun's ranks get it too

    printer = train_command._Printer()
    start = {"event": "start", "device": "cpu", "dataset": {"name": "digits", "n_train": 10, "n_val": 2},
             "total_params": 5, "epochs": 1, "steps_per_epoch": 1}
    printer({**start, "distributed": {"batchnorm": {"layers": 2, "synchronised": 2, "kind": "GlooSyncBatchNorm"}}})
    printer({**start, "distributed": {"batchnorm": {"layers": 2, "synchronised": 0, "kind": "per-rank statistics"}}})
    printer(start)  # one process: nothing about BatchNorm
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == ("BatchNorm: 2 of 2 layer(s) synchronised across the processes (GlooSyncBatchNorm), as one "
                        "process on the whole batch")
    assert lines[3] == ("note: sync_batchnorm is off: 2 BatchNorm layer(s) normalise with each process's own shard, "
                        "so the run differs from one process")
    assert len(lines) == 5
