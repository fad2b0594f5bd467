"""About box and status bar (real device probe) and launch errors. The --screenshot flag (the chosen
panel and theme, and a normal quit) is tests/ui/test_app_quits.py's."""

from __future__ import annotations

import platform
import subprocess

import torch
from PySide6.QtCore import qVersion
from ui_env import PYTHON, REPO, studio_env

from studio import __version__


def test_about_lists_versions_and_status_bar_shows_the_device(launch, qtbot):
    window = launch()
    assert "Detecting" in window.device_label.text()
    with qtbot.waitSignal(window.probe.ready, timeout=60000):
        window.probe.start()
    window.action_about.trigger()
    dialog = window.about_dialog
    assert dialog.isVisible()
    text = dialog.plain_text()
    assert f"Studio: {__version__}" in text
    assert f"Python: {platform.python_version()}" in text
    assert f"PyTorch: {torch.__version__}" in text
    assert qVersion() in text
    assert "CUDA: " in text
    label = window.device_label.text()
    if torch.cuda.is_available():
        name = torch.cuda.get_device_name(0)
        assert name in label and "GiB" in label
        assert name in text
    else:
        cores = window.probe.info["cpu_cores"]
        assert label == f"CPU - {cores} cores"
        assert f"{cores} cores" in text
    assert window.about_dialog.label.text().count("<tr>") >= 6


def test_launch_errors_are_one_line_messages(config_dir, tmp_path):
    env = studio_env(config_dir)
    env.pop("QT_QPA_PLATFORM")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run([PYTHON, "-m", "studio", "gui"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("studio gui: error: no display") and "xvfb-run" in done.stderr
    assert "Traceback" not in done.stderr

    bad = tmp_path / "broken.studio.json"
    bad.write_text("{", encoding="utf-8")
    done = subprocess.run([PYTHON, "-m", "studio", "gui", str(bad), "--screenshot", str(tmp_path / "x.png")],
                          cwd=REPO, env=studio_env(config_dir), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "broken.studio.json is corrupt" in done.stderr and "Traceback" not in done.stderr
    assert bad.read_text() == "{"
