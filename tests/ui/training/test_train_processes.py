"""Train panel: "Processes: N" (issue 14). N > 1 starts the core's torchrun launcher (`studio train
--nproc N`); the curves come from rank 0, Stop stops every rank with one checkpoint, Pause is disabled
(not coordinated across ranks), and the field is disabled with a tooltip where N > 1 cannot train."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from studio.core.project import load_project
from studio.core.train.run_folder import read_metrics
from studio.ui.state import AppState

TEMPLATES = Path(__file__).resolve().parents[3] / "resources" / "templates"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is gone for our purposes (its parent reaps it)
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return True


def panel_for(qtbot, template: str):
    from studio.ui.panels.train import TrainPanel

    state = AppState(load_project(TEMPLATES / template))
    panel = TrainPanel(state)
    qtbot.addWidget(panel)
    panel.resize(1300, 900)
    panel.show()
    return state, panel


def choose_device(panel, value: str) -> None:
    box = panel.form.device
    box.setCurrentIndex(box.findData(value))


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="Stop sends SIGINT to the launcher")
def test_two_processes_stream_rank0_curves_and_stop_saves_one_checkpoint(qtbot, tmp_path):
    state, panel = panel_for(qtbot, "mlp.studio.json")
    try:
        choose_device(panel, "cpu")  # gloo: the machine's CPU cores, whatever GPUs it has
        panel.form.epochs.setValue(300)  # far more than it reaches before Stop
        state.project.training.update(max_seconds=120)  # a safety net only
        state.mark_saved(tmp_path / "mlp.studio.json")
        field = panel.form.processes
        assert field.spin.isEnabled(), field.toolTip()
        field.spin.setValue(2)
        assert field.value() == 2
        assert field.devices.text() == "2 CPU processes (gloo)"

        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        job = panel.controller.job
        assert type(job).__name__ == "DistributedJob"
        qtbot.waitUntil(lambda: panel.curves.series.epoch.n >= 2, timeout=90_000)
        start = panel.curves.series.start
        assert start["distributed"]["world_size"] == 2
        assert panel.curves.series.step.n > 0
        assert not panel.pause_button.isEnabled()
        assert "not coordinated" in panel.pause_button.toolTip()
        assert not field.spin.isEnabled()  # the form is locked while the run goes

        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.controller.state in ("stopped", "finished", "error"), timeout=60_000)
        assert panel.controller.state == "stopped", panel.error_label.text()
        assert panel.status_label.text() == "Stopped — checkpoint saved"

        run = panel.controller.run_dir
        assert sorted(p.name for p in run.glob("*.pt")) == ["best.pt", "checkpoint.pt"]
        assert json.loads((run / "run.json").read_text())["status"] == "stopped"
        events = read_metrics(run)
        assert [e["event"] for e in events].count("start") == 1  # rank 0 alone wrote the folder
        assert [e["event"] for e in events][-1] == "done"

        pids = [r["pid"] for r in start["distributed"]["ranks"]]
        deadline = time.monotonic() + 30
        while (job.alive() or any(alive(p) for p in pids)) and time.monotonic() < deadline:
            qtbot.wait(100)
        assert not job.alive(), "the launcher is still running"
        assert not [p for p in pids if alive(p)], "a rank is still running"
        assert panel.resume_button.isEnabled()  # the checkpoint is there to go on from
    finally:
        panel.controller.shutdown()
        panel.runner.cancel()
        panel.runner.wait(30)


def test_processes_disabled_with_the_reason_for_a_gan_and_where_n_is_not_possible(qtbot):
    state, panel = panel_for(qtbot, "gan_mlp_digits.studio.json")
    try:
        choose_device(panel, "cpu")
        field = panel.form.processes
        assert not field.spin.isEnabled()
        assert field.value() == 1
        assert field.toolTip().startswith("GAN training runs on one process only so far")
        assert field.spin.toolTip() == field.toolTip()

        from studio.core.project import load_project as load

        state.replace(load(TEMPLATES / "mlp.studio.json"), None)  # a classifier: several are possible on CPU
        choose_device(panel, "cpu")
        if (os.cpu_count() or 1) >= 2:
            assert field.spin.isEnabled()
            assert field.spin.maximum() == min(os.cpu_count(), 256)
            assert "DistributedDataParallel" in field.toolTip()
        choose_device(panel, "mps")  # no multi-process backend
        assert not field.spin.isEnabled()
        assert "Apple MPS" in field.toolTip()
        import torch

        if torch.cuda.device_count() < 2:  # one process per GPU: more than the GPUs is not possible
            choose_device(panel, "cuda")
            assert not field.spin.isEnabled()
            assert "one GPU each" in field.toolTip()
            assert field.value() == 1
    finally:
        panel.controller.shutdown()
        panel.runner.cancel()
