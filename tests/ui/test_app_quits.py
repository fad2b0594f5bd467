"""The app quits like any Python program: the interpreter finalizes (atexit handlers run, which
`os._exit` skipped), with exit code 0 and no C++ abort, though panels start background jobs
(the Data panel's load, the device probe) as the window opens."""

from __future__ import annotations

import json
import subprocess

from PySide6.QtGui import QImage
from ui_env import PYTHON, REPO, studio_env

# The app as `python main.py` runs it, with a marker printed by the interpreter's normal exit.
LAUNCH = """
import atexit, sys
atexit.register(lambda: print("interpreter finalized", flush=True))
from studio.__main__ import main
sys.exit(main(["gui", *sys.argv[1:]]))
"""


def _launch(config_dir, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-c", LAUNCH, *args], cwd=REPO, env=studio_env(config_dir),
                          capture_output=True, text=True, timeout=180)


def test_the_app_quits_normally_right_after_it_opens(config_dir, tmp_path):
    """--test-report quits as soon as the window shows, usually while the Data panel still loads."""
    report = tmp_path / "report.json"
    done = _launch(config_dir, "--test-report", str(report))
    assert done.returncode == 0, done.stderr
    assert "terminate called" not in done.stderr and "Traceback" not in done.stderr
    assert "interpreter finalized" in done.stdout, "the interpreter's own exit ran (no os._exit)"
    assert json.loads(report.read_text())["project_name"] == "MNIST CNN"


def test_a_screenshot_launch_renders_the_chosen_panel_and_theme_and_quits_normally(config_dir, tmp_path):
    shot = tmp_path / "window.png"
    done = _launch(config_dir, "--screenshot", str(shot), "--panel", "train", "--theme", "dark")
    assert done.returncode == 0, done.stderr
    assert "terminate called" not in done.stderr and "Traceback" not in done.stderr
    assert "interpreter finalized" in done.stdout
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1440, 900)
    # Dark theme: the page background is dark, not the light default (a sample may fall on a text).
    samples = [image.pixelColor(x, y).lightnessF() for x in range(1100, 1400, 60) for y in range(300, 800, 100)]
    dark = [v for v in samples if v < 0.3]
    assert len(dark) >= 0.8 * len(samples), samples
    assert not (config_dir / "studio.ini").exists(), "a screenshot changes no settings"


def test_the_ui_tests_run_with_garbage_collection_on(qtbot):
    """The UI suite no longer pauses the collector to dodge a crash: it runs as the app does."""
    import gc

    assert gc.isenabled()
