"""Training on a real NVIDIA GPU: mixed precision, torch.compile and a real CUDA out-of-memory.

These run only where CUDA is (marked gpu; skipped elsewhere, CI included). `scripts/gpu-checks.sh`
runs them on a GPU machine together with the CUDA benchmarks.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from studio.core.project import load_project
from studio.core.resources import default_example_path

pytestmark = pytest.mark.gpu


def _train(*args, timeout=600):
    proc = subprocess.run([sys.executable, "-m", "studio", "train", str(default_example_path()), *args, "--json"],
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_bf16_training_on_cuda_learns_digits_and_saves_loadable_weights(tmp_path):
    events = _train("--device", "cuda", "--amp", "bf16", "--epochs", "3", "--seed", "1", "--out", str(tmp_path / "r"))
    start, done = events[0], events[-1]
    assert start["device"].startswith("cuda") and done["event"] == "done"
    assert done["best_val_accuracy"] >= 0.9
    state = torch.load(tmp_path / "r" / "best.pt", weights_only=True)
    assert state, "best.pt loads with weights_only=True"


def test_compiled_training_on_cuda_runs_to_done(tmp_path):
    events = _train("--device", "cuda", "--compile", "--epochs", "1", "--max-steps", "40", "--out", str(tmp_path / "r"))
    assert events[-1]["event"] == "done" and events[-1]["global_step"] == 40


def test_cuda_out_of_memory_is_reported_with_a_batch_size_that_fits(tmp_path):
    from studio.core.train.trainer import run_training

    project = load_project(default_example_path())
    # warm up CUDA, cuBLAS and cuDNN first so the failure below is the training's, not a library's start-up
    warm = run_training(project, tmp_path / "warm", {"device": "cuda", "epochs": 1, "max_steps": 2, "batch_size": 8})
    assert warm["event"] == "done"
    free, _total = torch.cuda.mem_get_info()
    filler = torch.empty(max(0, free - (48 << 20)), dtype=torch.uint8, device="cuda")  # leave ~48 MB
    try:
        event = run_training(project, tmp_path / "oom", {"device": "cuda", "epochs": 1, "batch_size": 1024})
    finally:
        del filler
        torch.cuda.empty_cache()
    assert event["event"] == "error" and event["kind"] == "oom", event
    assert "CUDA ran out of memory at batch size 1024" in event["message"]
    assert 1 <= event["suggested_batch_size"] <= 512
    assert (tmp_path / "oom" / "run.json").is_file(), "the run folder says how it ended"
