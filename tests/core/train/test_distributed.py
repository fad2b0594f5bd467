"""Training on several processes (torchrun + DDP, gloo on the CPU): the same curve as one process with the
same global batch, one run folder written by rank 0, a killed rank ending the other with one clear line and
an intact checkpoint, a resume on another number of processes, and bad input refused without a hang."""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import torch
from train_builders import digits_mlp, make_project

from studio import cli
from studio.core.errors import UserError
from studio.core.project import load_project, save_project
from studio.core.resources import TEMPLATES
from studio.core.train import distributed
from studio.core.train.run_folder import read_metrics, read_summary
from studio.core.train.trainer import run_training

STEPS_COMPARED = 8


def _project(tmp_path, **training):
    # batch 63: every step deals 32 + 31 samples, so the shards are uneven and the weighting matters
    project = make_project(digits_mlp(), {"dataset": "digits"}, batch_size=63, epochs=400,
                           metrics_interval_ms=0, layer_stats_every=0, **training)
    return save_project(project, tmp_path / "digits.studio.json")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.slow
def test_two_gloo_processes_train_like_one_write_once_and_survive_a_killed_rank(tmp_path):
    path = _project(tmp_path)
    run_dir = tmp_path / "run2"
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, "-m", "studio", "train", str(path), "--nproc", "2", "--out", str(run_dir),
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines, start, killed_at, victim = [], None, None, None
    try:
        deadline = time.monotonic() + 150
        for line in proc.stdout:
            lines.append(line)
            event = json.loads(line)
            if event["event"] == "start":
                start = event
            if event["event"] == "epoch" and event["epoch"] == 2:  # epoch 1's checkpoint is on disk
                victim = start["distributed"]["ranks"][1]["pid"]
                os.kill(victim, signal.SIGKILL)
                killed_at = time.monotonic()
                break
            assert time.monotonic() < deadline, "the two-process run did not reach epoch 2"
        rest, err = proc.communicate(timeout=90)  # never a hang: the other rank must end by itself
    finally:
        if proc.poll() is None:
            proc.kill()
    ended_after = time.monotonic() - killed_at
    lines += rest.splitlines(keepends=True)
    printed = [json.loads(line) for line in lines if line.strip()]

    # The launcher went through torchrun: two ranks, gloo, distinct processes.
    assert start["distributed"]["world_size"] == 2 and start["distributed"]["backend"] == "gloo"
    pids = [r["pid"] for r in start["distributed"]["ranks"]]
    assert len(set(pids)) == 2 and proc.pid not in pids
    assert start["batch_size"] == 63  # the global batch

    # 1. Same curve as one process with the same global batch and seed (first steps, float tolerance).
    one = []
    run_training(load_project(path), tmp_path / "run1", {"max_steps": STEPS_COMPARED}, one.append)
    ref = [v for e in one if e["event"] == "step" for v in e["losses"]]
    got = [v for e in printed if e["event"] == "step" for v in e["losses"]][:STEPS_COMPARED]
    assert len(ref) == len(got) == STEPS_COMPARED
    assert all(math.isclose(a, b, rel_tol=1e-5) for a, b in zip(ref, got, strict=True)), (ref, got)
    ref_g = [v for e in one if e["event"] == "step" for v in e["grad_norms"]]
    got_g = [v for e in printed if e["event"] == "step" for v in e["grad_norms"]][:STEPS_COMPARED]
    assert all(math.isclose(a, b, rel_tol=1e-4) for a, b in zip(ref_g, got_g, strict=True)), (ref_g, got_g)
    epoch1 = next(e for e in printed if e["event"] == "epoch")
    assert epoch1["step"] == math.ceil(1438 / 63)  # global steps per epoch, the same as one process

    # 2. Rank 0 alone wrote the run folder: one metrics.jsonl, every event once, what was printed once.
    written = read_metrics(run_dir)
    assert sum(e["event"] == "start" for e in written) == 1
    steps = [s for e in written if e["event"] == "step" for s in range(e["first_step"], e["step"] + 1)]
    assert steps == list(range(1, len(steps) + 1))  # no step twice
    assert [e["epoch"] for e in written if e["event"] == "epoch"] == [1, 2]
    assert [e for e in written if e["event"] != "error"] == printed[:len(written) - 1]
    assert sorted(p.name for p in run_dir.iterdir()) == ["best.pt", "checkpoint.pt", "metrics.jsonl",
                                                         "project.json", "run.json"]

    # 3. The killed rank ended the other with a clear line, and the last checkpoint is whole.
    assert proc.returncode == 1 and ended_after < 60
    assert not any(_alive(pid) for pid in pids)
    last = err.strip().splitlines()[-1]
    assert "rank 1" in last and "SIGKILL" in last and "checkpoint" in last and f"--resume {run_dir}" in last, err
    assert "Traceback" not in err
    assert written[-1]["event"] == "error" and written[-1]["kind"] == "distributed"
    assert read_summary(run_dir)["status"] == "error"
    state = torch.load(run_dir / "checkpoint.pt", weights_only=True)
    assert state["epoch"] >= 1 and "module." not in next(iter(state["model"]))  # the unwrapped module's

    # 4. It resumes on another number of processes (here one) and goes on from that checkpoint.
    resumed = []
    final = run_training(load_project(run_dir / "project.json"), run_dir,
                         {"epochs": state["epoch"] + 1}, resumed.append, resume=True)
    assert final["event"] == "done", final
    assert resumed[0]["resumed_from_step"] == state["global_step"] and final["epochs"] == state["epoch"] + 1


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_bad_nproc_is_refused_in_one_line(tmp_path, capsys, value):
    assert cli.main(["train", str(_project(tmp_path)), "--nproc", value]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--nproc" in err and "whole number >= 1" in err


def test_a_taken_port_is_refused_before_anything_starts(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = cli.main(["train", str(_project(tmp_path)), "--nproc", "2", "--master-port", str(port),
                         "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and f"port {port} is already in use" in err[0]
    assert not (tmp_path / "run").exists()


def test_more_processes_than_gpus_or_no_nccl_is_refused(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(torch.distributed, "is_nccl_available", lambda: True)
    with pytest.raises(UserError, match="one GPU per process, but this machine has 1 CUDA device") as exc:
        distributed.check_nproc(2, "auto")
    assert "--nproc 1" in exc.value.fix
    assert distributed.check_nproc(1, "cuda") == "nccl"
    assert distributed.check_nproc(4, "cpu") == "gloo"  # CPU processes need no GPU
    monkeypatch.setattr(torch.distributed, "is_nccl_available", lambda: False)
    with pytest.raises(UserError, match="no NCCL"):
        distributed.check_nproc(2, "cuda")


def _rendezvous_env(monkeypatch, port: int) -> None:
    for key, value in {"RANK": "0", "WORLD_SIZE": "2", "LOCAL_RANK": "0", "MASTER_ADDR": "127.0.0.1",
                       "MASTER_PORT": str(port), "STUDIO_DIST_TIMEOUT": "2"}.items():
        monkeypatch.setenv(key, value)


def test_a_rendezvous_that_never_completes_times_out_in_one_line(monkeypatch):
    _rendezvous_env(monkeypatch, distributed.free_port())
    t0 = time.monotonic()
    with pytest.raises(UserError, match="did not complete within 2 s: rank 0 of 2") as exc:
        distributed.init_from_env("cpu")  # rank 1 never comes
    assert time.monotonic() - t0 < 30 and "\n" not in exc.value.one_line()
    assert not torch.distributed.is_initialized() and distributed.current() is None


def test_a_rendezvous_port_in_use_is_named(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        _rendezvous_env(monkeypatch, taken.getsockname()[1])
        with pytest.raises(UserError, match="is already in use"):
            distributed.init_from_env("cpu")


@pytest.mark.parametrize("template, why", [("gan_mlp_digits", "GAN training runs on one process only"),
                                           ("ddpm_digits", "diffusion training runs on one process only"),
                                           ("transformer_lm", "language model training runs on one process only")])
def test_other_paradigms_are_refused_on_several_processes(tmp_path, monkeypatch, template, why):
    """GAN / diffusion / language models refuse --nproc > 1 in one line (the check runs before any collective)."""
    monkeypatch.setattr(distributed, "init_from_env", lambda hint: distributed.DistContext(0, 2, 0, "gloo"))
    project = load_project(TEMPLATES / f"{template}.studio.json")
    project.training.update(device="cpu", epochs=1)
    final = run_training(project, tmp_path / "run", {})
    assert final["event"] == "error" and final["kind"] == "user" and why in final["message"], final
    assert "without --nproc" in final["fix"]
