"""The command line in a pipeline: a reader that stops early (`studio blocks | head`) is no error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

STUDIO = [sys.executable, "-m", "studio"]


def test_a_pipe_closed_before_the_output_ends_quietly():
    """The reading end is closed before the command prints a line, so its first write breaks."""
    proc = subprocess.Popen([*STUDIO, "blocks", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text and "BrokenPipeError" not in text, text
    assert text == ""
    assert proc.returncode == 1


@pytest.mark.skipif(shutil.which("head") is None or shutil.which("sh") is None, reason="needs sh and head")
def test_piping_into_head_prints_no_traceback():
    """The shell pipeline users type; `head -n 0` exits at once, so the write always meets a closed pipe."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(["sh", "-c", f'"{sys.executable}" -m studio blocks | head -n 0'],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.stderr == ""
    assert done.stdout == ""

