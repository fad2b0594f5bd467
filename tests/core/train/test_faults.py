"""Faults a user really meets while training: a full disk, a read-only folder, a killed worker or app,
a resume that cannot resume, an --out that already holds a run. After each, every file that existed
before is byte-for-byte the same (or, where training was writing it, still loads), and what the user
is told is one line with a fix."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from fault_disks import fill, hashes, read_only_dir, small_disk
from train_builders import digits_mlp, make_project

from studio.cli import main
from studio.core.project import load_project, save_project
from studio.core.train.run_folder import checkpoint_loadable, read_metrics, run_status
from studio.core.train.trainer import run_training
from studio.core.train.worker import TrainingJob

RUN_OWN = ("project.json", "checkpoint.pt", "best.pt")


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    run = tmp_path_factory.mktemp("faults") / "run"
    event = run_training(make_project(digits_mlp(), {"dataset": "digits"}, epochs=2), run)
    assert event["event"] == "done", event
    return run


@pytest.fixture
def run_copy(trained, tmp_path) -> Path:
    dst = tmp_path / "run"
    shutil.copytree(trained, dst)
    return dst


@pytest.fixture
def project_file(tmp_path) -> Path:
    return save_project(make_project(digits_mlp(), {"dataset": "digits"}, epochs=1), tmp_path / "p.studio.json")


def assert_one_line_with_fix(event: dict) -> None:
    assert event["message"] and event.get("fix"), event
    assert "\n" not in event["message"] + event["fix"]


def assert_metrics_whole(run: Path) -> list[dict]:
    """metrics.jsonl is whole JSON lines: every line parses and the file ends with a newline."""
    text = (run / "metrics.jsonl").read_text()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def assert_no_temp_files(run: Path) -> None:
    assert not [p.name for p in run.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".")]


# --- a resume that cannot resume ---------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "newer"])
def test_a_failed_resume_leaves_the_run_as_it_was(run_copy, damage):
    ckpt = run_copy / "checkpoint.pt"
    if damage == "truncated":  # e.g. the machine died while copying the run folder
        ckpt.write_bytes(ckpt.read_bytes()[: ckpt.stat().st_size // 2])
    else:  # written by a newer Studio: refused
        data = torch.load(ckpt, weights_only=True)
        data["studio_checkpoint"] = 99
        torch.save(data, ckpt)
    before = hashes(run_copy)
    summary_before = json.loads((run_copy / "run.json").read_text())
    metrics_before = (run_copy / "metrics.jsonl").read_bytes()

    event = run_training(load_project(run_copy / "project.json"), run_copy, {"epochs": 4}, resume=True)

    assert event["event"] == "error" and event["kind"] == "user" and "checkpoint.pt" in event["message"]
    assert_one_line_with_fix(event)
    after = hashes(run_copy)
    assert set(after) == set(before), "nothing new (no temp files) and nothing gone"
    assert all(after[name] == before[name] for name in before if name not in ("run.json", "metrics.jsonl"))
    summary = json.loads((run_copy / "run.json").read_text())
    assert {k: v for k, v in summary.items() if k != "last_error"} == summary_before
    assert summary["status"] == "finished" and summary["epochs_done"] == 2 and summary["best_val_accuracy"] > 0.5
    assert summary["last_error"]["message"] == event["message"]
    metrics = (run_copy / "metrics.jsonl").read_bytes()
    assert metrics.startswith(metrics_before)
    assert assert_metrics_whole(run_copy)[-1]["event"] == "error"


# --- errors before the trainer is set up ---------------------------------------------------------------

def test_a_bad_setting_comes_back_as_an_error_event_and_leaves_no_folder(tmp_path):
    events = []
    project = make_project(digits_mlp(), {"dataset": "digits"}, optimizer="nope")
    event = run_training(project, tmp_path / "run", emit=events.append)
    assert event["event"] == "error" and event["kind"] == "user" and "optimizer" in event["message"]
    assert events == [event]
    assert not (tmp_path / "run").exists(), "a run that never started leaves no folder behind"


def test_a_crash_during_setup_reports_the_real_error(tmp_path, monkeypatch):
    # The optimizer is built after the data set is loaded but before the counters exist; the error
    # handler used to trip over the missing counters and raise AttributeError instead.
    import studio.core.train.trainer as trainer_mod

    def broken_optimizer(*_args, **_kwargs):
        raise RuntimeError("the optimizer refused its settings")

    monkeypatch.setattr(trainer_mod, "make_optimizer", broken_optimizer)
    events = []
    with pytest.raises(RuntimeError, match="the optimizer refused its settings"):
        run_training(make_project(digits_mlp(), {"dataset": "digits"}), tmp_path / "run", emit=events.append)
    assert events[-1]["kind"] == "crash" and "the optimizer refused its settings" in events[-1]["message"]


# --- disk full ---------------------------------------------------------------------------------------------

def test_disk_full_while_saving_a_checkpoint_ends_the_run_and_keeps_the_last_one(tmp_path, monkeypatch):
    real_save = torch.save
    calls = {"n": 0}

    def save(obj, f, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] >= 3:  # epoch 1 saved best.pt and checkpoint.pt; the first save of epoch 2 fails
            f.write(b"PK\x03\x04 half a checkpoint")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_save(obj, f, *args, **kwargs)

    monkeypatch.setattr(torch, "save", save)
    run = tmp_path / "run"
    event = run_training(make_project(digits_mlp(), {"dataset": "digits"}, epochs=5), run)
    monkeypatch.undo()

    assert event["event"] == "error" and event["kind"] == "disk", event
    assert event["message"].startswith("no space left on ") and ".pt" in event["message"]
    assert_one_line_with_fix(event)
    assert torch.load(run / "checkpoint.pt", weights_only=True)["epoch"] == 1
    assert torch.load(run / "best.pt", weights_only=True)["epoch"] == 1
    assert_no_temp_files(run)
    assert assert_metrics_whole(run)[-1]["kind"] == "disk"
    summary = json.loads((run / "run.json").read_text())
    assert summary["status"] == "error" and summary["epochs_done"] >= 1


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds the metrics file through /proc (Linux)")
def test_disk_full_while_appending_metrics_keeps_every_line_whole(tmp_path, monkeypatch):
    real_write = os.write
    state = {"epochs": 0}

    def write(fd, data):
        try:
            name = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            name = ""
        if name.endswith("metrics.jsonl"):
            if state["epochs"] >= 2:  # the disk fills up after the second epoch's line
                real_write(fd, bytes(data[: len(data) // 2]))  # half a line reaches the disk, then no more
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            state["epochs"] += b'"event":"epoch"' in bytes(data)
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    run = tmp_path / "run"
    event = run_training(make_project(digits_mlp(), {"dataset": "digits"}, epochs=20), run)
    monkeypatch.undo()

    assert event["event"] == "error" and event["kind"] == "disk", event
    assert "no space left on" in event["message"] and "metrics.jsonl" in event["message"]
    assert_one_line_with_fix(event)
    events = assert_metrics_whole(run)
    assert events[0]["event"] == "start" and events[-1]["event"] == "epoch" and events[-1]["epoch"] == 2
    assert torch.load(run / "checkpoint.pt", weights_only=True)["epoch"] == 2
    assert_no_temp_files(run)


def test_disk_full_on_a_real_small_disk(tmp_path):
    # A 2 MB tmpfs with about 520 KB left: epoch 1's best.pt (~80 KB) and checkpoint.pt (~230 KB with
    # Adam's moments) fit, but replacing them at epoch 2 needs room for the new and the old file.
    with small_disk(tmp_path / "disk", 2048) as disk:
        fill(disk, leave_kb=520)
        run = disk / "run"
        event = run_training(make_project(digits_mlp(hidden=256), {"dataset": "digits"}, epochs=40,
                                          layer_stats_every=0), run)
        assert event["event"] == "error" and event["kind"] == "disk", event
        assert event["message"].startswith(f"no space left on {disk} ") and "MB needed" in event["message"]
        assert_one_line_with_fix(event)
        last = torch.load(run / "checkpoint.pt", weights_only=True)
        assert last["epoch"] >= 1
        torch.load(run / "best.pt", weights_only=True)
        assert_no_temp_files(run)
        assert_metrics_whole(run)
        json.loads((run / "run.json").read_text())


def test_train_into_a_read_only_folder_says_so_in_one_line(tmp_path, project_file, capsys):
    # As root, chmod does not stop writes: the folder is a tmpfs mounted read-only (see fault_disks).
    with read_only_dir(tmp_path / "ro") as ro:
        code = main(["train", str(project_file), "--out", str(ro / "run"), "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert f"cannot write to {ro / 'run'}" in err
    assert "read-only file system" in err or "permission denied" in err
    assert "choose a folder you can write to" in err


# --- --out that already holds a run -----------------------------------------------------------------------

def test_train_refuses_an_out_folder_that_holds_a_run(run_copy, project_file, capsys):
    before = hashes(run_copy)
    code = main(["train", str(project_file), "--out", str(run_copy), "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert f"--out {run_copy} already holds a training run" in err
    assert f"--resume {run_copy}" in err and "--overwrite" in err
    assert hashes(run_copy) == before


def test_overwrite_moves_the_old_run_aside_and_says_where(run_copy, project_file, capsys):
    before = hashes(run_copy)
    code = main(["train", str(project_file), "--out", str(run_copy), "--overwrite", "--device", "cpu",
                 "--max-steps", "3", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    aside = [p for p in run_copy.parent.iterdir() if p.name.startswith("run.replaced-")]
    assert len(aside) == 1 and hashes(aside[0]) == before, "the old run is kept whole, beside the new one"
    first = json.loads(out.splitlines()[0])
    assert first["event"] == "info" and first["moved_to"] == str(aside[0]) and str(aside[0]) in first["message"]
    starts = [e for e in read_metrics(run_copy) if e["event"] == "start"]
    assert len(starts) == 1 and json.loads((run_copy / "run.json").read_text())["global_step"] == 3


def test_train_out_that_is_a_file_and_resume_with_out_are_refused(run_copy, project_file, capsys):
    code = main(["train", str(project_file), "--out", str(run_copy / "best.pt"), "--device", "cpu"])
    assert code == 1 and "is a file, not a run folder" in capsys.readouterr().err
    code = main(["train", "--resume", str(run_copy), "--out", str(run_copy.parent / "elsewhere")])
    assert code == 1 and "--resume goes on in the run's own folder" in capsys.readouterr().err


# --- kill -9 ------------------------------------------------------------------------------------------------

def _long_project(**training):
    return make_project(digits_mlp(hidden=64), {"dataset": "digits"}, epochs=2000, metrics_interval_ms=20,
                        layer_stats_every=0, **training)


def _wait_until(predicate, timeout=90.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def assert_run_loads(run: Path) -> dict:
    load_project(run / "project.json")
    torch.load(run / "best.pt", weights_only=True)
    last = torch.load(run / "checkpoint.pt", weights_only=True)
    lines = (run / "metrics.jsonl").read_text().split("\n")
    assert all(json.loads(line) for line in lines[:-1])  # at most the last line is torn
    return last


def test_a_killed_worker_is_reported_and_leaves_a_run_that_reads_interrupted(tmp_path):
    run = tmp_path / "run"
    job = TrainingJob(_long_project(), run).start()
    seen: list[dict] = []
    try:
        _wait_until(lambda: (seen.extend(job.drain()), checkpoint_loadable(run)
                             and any(e["event"] == "epoch" for e in seen))[1], what="the first checkpoint")
        os.kill(job.pid, signal.SIGKILL)  # a hard crash: no chance to say goodbye
        events = job.wait(timeout=30)
    finally:
        job.close()
    final = events[-1] if events else job.final
    assert final["event"] == "error" and final["kind"] == "crash"
    assert "exited unexpectedly" in final["message"] and final["exit_code"] == -signal.SIGKILL
    assert job.final["kind"] == "crash" and "resume" in job.final["fix"]
    assert_one_line_with_fix(job.final)
    recorded = read_metrics(run)
    assert recorded[0]["event"] == "start" and any(e["event"] == "epoch" for e in recorded)
    assert json.loads((run / "run.json").read_text())["status"] == "running"  # nobody could say otherwise
    status = run_status(run)
    assert status.status == "interrupted" and status.resumable
    assert "--resume" in status.fix and str(job.pid) in status.message
    assert assert_run_loads(run)["epoch"] >= 1


def test_killing_the_app_stops_its_worker_with_a_checkpoint(tmp_path):
    # The parent is a script standing in for the GUI: it starts a worker and drains it on a timer.
    project_path = save_project(_long_project(), tmp_path / "p.studio.json")
    run = tmp_path / "run"
    script = (
        "import sys, time\n"
        "from studio.core.project import load_project\n"
        "from studio.core.train.worker import TrainingJob\n"
        "job = TrainingJob(load_project(sys.argv[1]), sys.argv[2]).start()\n"
        "print(job.pid, flush=True)\n"
        "while True:\n"
        "    job.drain()\n"
        "    time.sleep(0.05)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, str(project_path), str(run)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        worker_pid = int(parent.stdout.readline())
        _wait_until(lambda: checkpoint_loadable(run), what="the first checkpoint")
        parent.kill()  # SIGKILL: the app gets no chance to stop its worker
        parent.wait(10)
        from studio.core.train.run_folder import _alive

        _wait_until(lambda: not _alive(worker_pid, None), timeout=60, what="the orphaned worker to stop")
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.stdout.close()
        try:
            os.kill(worker_pid, signal.SIGKILL)
        except (ProcessLookupError, UnboundLocalError):
            pass
    status = run_status(run)
    assert status.status == "stopped", status
    done = read_metrics(run)[-1]
    assert done["event"] == "done" and done["reason"] == "stopped"
    assert assert_run_loads(run)["global_step"] == done["global_step"]


def test_a_killed_cli_run_reads_interrupted_and_resumes(tmp_path, project_file, capsys):
    run = tmp_path / "run"
    project = _long_project()
    save_project(project, project_file)
    proc = subprocess.Popen([sys.executable, "-m", "studio", "train", str(project_file), "--out", str(run),
                             "--device", "cpu", "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until(lambda: checkpoint_loadable(run), what="the first checkpoint")
        proc.kill()
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    status = run_status(run)
    assert status.status == "interrupted" and f"--resume {run}" in status.fix
    last = assert_run_loads(run)
    code = main(["train", "--resume", str(run), "--epochs", str(last["epoch"] + 1), "--json"])
    assert code == 0, capsys.readouterr().err
    assert run_status(run).status == "finished"
    starts = [e for e in read_metrics(run) if e["event"] == "start"]
    assert starts[-1]["resumed_from_step"] == last["global_step"]
