"""Choosing a long earlier run in "Compare with": the window keeps running while it loads (it used
to block for 17 s at 2.9 GB with a million lines) and the compared curves appear when it is read."""

from __future__ import annotations

import json
import time

from heartbeat import Heartbeat
from long_metrics import write_long_run
from PySide6.QtCore import QCoreApplication, QEvent

LINES = 300_000


def test_choosing_a_big_run_keeps_the_event_loop_responsive_and_shows_its_curves(qtbot, train_panel, state,
                                                                                  tmp_path):
    state.mark_saved(tmp_path / "proj.studio.json")
    run = tmp_path / "runs" / "long-run"
    run.mkdir(parents=True)
    path, _ = write_long_run(run, LINES)
    with open(path, encoding="utf-8") as fh:
        val = [json.loads(line)["val_loss"] for line in fh if line.startswith('{"event":"epoch"')]
    train_panel._list_earlier_runs()
    box = train_panel.curves.compare
    index = box.findData(str(run))
    assert index > 0

    # Windows of earlier tests are deleted at the next turn of the event loop (a main window takes
    # a few hundred ms): get that done first, so the heartbeat measures this load alone.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(100)
    beat = Heartbeat(5)
    beat.start()
    t0 = time.perf_counter()
    box.setCurrentIndex(index)
    returned = time.perf_counter() - t0
    assert returned < 0.2, f"choosing the run blocked the GUI for {returned * 1000:.0f} ms"
    assert train_panel.curves.compare_note.text() == "loading…"
    overlay = train_panel.curves.overlay_val
    qtbot.waitUntil(lambda: overlay.yData is not None and len(overlay.yData) == len(val), timeout=120_000)
    beat.stop()

    summary = beat.summary()
    assert summary["ticks"] > 20, "the event loop turned while the run was read"
    assert summary["max_stall_ms"] < 200, f"the event loop stalled {summary['max_stall_ms']:.0f} ms"
    assert list(overlay.yData) == val, "the compared run's validation curve, every epoch"
    assert train_panel.curves.overlay_name == "long-run"
    assert train_panel.curves.compare_note.text() == ""
    assert train_panel.curves.overlay.step.n <= 10_000, "its step curve is decimated"

    box.setCurrentIndex(0)  # "no earlier run" takes the overlay away
    assert train_panel.curves.overlay is None and len(overlay.yData or []) == 0
