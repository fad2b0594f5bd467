"""run_status: a run.json that says "running" is believed only while its process lives."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from train_builders import digits_mlp, make_project

from studio.core.train.run_folder import checkpoint_loadable, process_identity, run_status
from studio.core.train.trainer import run_training


def _write(run, **summary):
    run.mkdir(exist_ok=True)
    (run / "run.json").write_text(json.dumps(summary))
    return run


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_running_with_a_live_process_is_running(tmp_path):
    run = _write(tmp_path / "run", status="running", **process_identity())
    status = run_status(run)
    assert status.status == "running" and status.message == "training now" and not status.resumable


def test_running_with_a_gone_process_is_interrupted_and_says_resume(tmp_path):
    pid = _dead_pid()
    run = _write(tmp_path / "run", status="running", pid=pid, host=socket.gethostname(), pid_started=None)
    status = run_status(run)
    assert status.status == "interrupted" and status.resumable
    assert f"pid {pid}" in status.message and f"studio train --resume {run}" in status.fix
    assert "Resume run" in status.fix


def test_a_reused_pid_is_not_mistaken_for_the_run(tmp_path):
    me = process_identity()
    if me["pid_started"] is None:
        import pytest

        pytest.skip("process start times come from /proc (Linux)")
    run = _write(tmp_path / "run", status="running", pid=me["pid"], host=me["host"], pid_started=me["pid_started"] - 1)
    assert run_status(run).status == "interrupted"


def test_another_host_or_an_old_summary_cannot_be_judged(tmp_path):
    run = _write(tmp_path / "a", status="running", pid=_dead_pid(), host="gpu-server-7", pid_started=1)
    status = run_status(run)
    assert status.status == "running" and status.message == "training now on gpu-server-7"
    assert run_status(_write(tmp_path / "b", status="running")).status == "running"  # no pid recorded


def test_other_states_and_unreadable_summaries(tmp_path):
    assert run_status(_write(tmp_path / "f", status="finished")).status == "finished"
    stopped = run_status(_write(tmp_path / "s", status="stopped"))
    assert stopped.status == "stopped" and stopped.resumable
    error = run_status(_write(tmp_path / "e", status="error", error={"message": "loss is NaN", "fix": "lower lr"}))
    assert (error.status, error.message, error.fix) == ("error", "loss is NaN", "lower lr")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "run.json").write_text("{not json")
    assert run_status(tmp_path / "c").status == "unknown"
    assert run_status(tmp_path / "missing").status == "unknown"


def test_the_trainer_records_its_process_while_running(tmp_path):
    run = tmp_path / "run"
    seen = []

    def emit(event):
        if event["event"] == "epoch" and (run / "run.json").is_file():
            seen.append((json.loads((run / "run.json").read_text()), run_status(run).status))

    assert run_training(make_project(digits_mlp(), {"dataset": "digits"}, epochs=2), run, emit=emit)["event"] == "done"
    summary, status = seen[0]
    assert summary["status"] == "running" and status == "running"
    assert summary["pid"] == process_identity()["pid"] and summary["host"] == socket.gethostname()
    assert run_status(run).status == "finished"
    assert checkpoint_loadable(run)
    data = (run / "checkpoint.pt").read_bytes()
    (run / "checkpoint.pt").write_bytes(data[: len(data) // 2])
    assert not checkpoint_loadable(run)
    (run / "checkpoint.pt").unlink()
    assert not checkpoint_loadable(run)
