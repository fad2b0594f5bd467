"""Crash recovery with real processes: edit, kill -9, relaunch, and the autosave is offered."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

from ui_env import PYTHON, REPO, studio_env


def _gui(config: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "studio", "gui", *args]


def _wait_for(predicate, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the app exited early ({proc.returncode}): {proc.stderr.read()}")
        time.sleep(0.1)
    raise AssertionError("timed out")


def _relaunch(config: Path, report: Path, answer: str) -> dict:
    done = subprocess.run(_gui(config, "--test-restore", answer, "--test-report", str(report)),
                          cwd=REPO, env=studio_env(config), capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    return json.loads(report.read_text())


def _crash_mid_edit(config: Path, project: Path | None, name: str) -> None:
    args = ["--test-edit", name] + ([str(project)] if project else [])
    proc = subprocess.Popen(_gui(config, *args), cwd=REPO, env=studio_env(config),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        recovery = config / "recovery"

        def autosaved() -> bool:
            for f in recovery.glob("autosave-*.studio.json"):
                try:
                    return json.loads(f.read_text())["name"] == name
                except (OSError, ValueError):
                    return False
            return False

        _wait_for(autosaved, 60, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_kill_9_mid_edit_then_relaunch_offers_the_autosave(config_dir, tmp_path, example_copy):
    _crash_mid_edit(config_dir, example_copy, "Edited before the crash")
    original_bytes = example_copy.read_bytes()
    report = _relaunch(config_dir, tmp_path / "report.json", "yes")
    assert report["recovery_offered"] == ["Edited before the crash"]
    assert report["project_name"] == "Edited before the crash"
    assert report["path"] == str(example_copy.resolve()), "a restored project saves back to its file"
    assert report["dirty"] is True, "restored work is unsaved until the user saves it"
    assert example_copy.read_bytes() == original_bytes, "restoring does not write the user's file"

    # Answered once, it is not offered again.
    again = _relaunch(config_dir, tmp_path / "again.json", "yes")
    assert again["recovery_offered"] == []


def test_declining_the_restore_discards_the_autosave(config_dir, tmp_path):
    _crash_mid_edit(config_dir, None, "Not wanted")
    report = _relaunch(config_dir, tmp_path / "report.json", "no")
    assert report["recovery_offered"] == ["Not wanted"]
    assert report["project_name"] == "MNIST CNN"
    assert report["dirty"] is False
    assert not list((config_dir / "recovery").glob("autosave-*"))


def test_a_session_killed_before_any_edit_offers_nothing_and_leaves_nothing(config_dir, tmp_path):
    proc = subprocess.Popen(_gui(config_dir), cwd=REPO, env=studio_env(config_dir),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: any((config_dir / "recovery").glob("autosave-*.lock")), 60, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    report = _relaunch(config_dir, tmp_path / "report.json", "yes")
    assert report["recovery_offered"] == []
    assert list((config_dir / "recovery").iterdir()) == [], "the dead session's lock is swept away"
