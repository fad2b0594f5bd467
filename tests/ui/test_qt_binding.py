"""The Qt binding must not leak references to None.

PySide6 6.12.0 under Python 3.11 releases a reference to None on every Qt call that returns
nothing; a canvas makes thousands per frame and the app aborted with "none_dealloc" within
seconds of panning. pyproject.toml excludes that release; this test catches any binding that
brings the leak back (it runs in a subprocess because the failure is an abort).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def test_void_qt_calls_do_not_consume_references_to_none():
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtWidgets import QApplication, QWidget
        app = QApplication([])
        w = QWidget()
        before = sys.getrefcount(None)
        for _ in range(20000):
            w.update()
        print(sys.getrefcount(None) - before)
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip().splitlines()[-1])) < 100
