"""The GUI keeps breathing while a real training runs at full speed in the worker process.

A 5 ms precise timer measures how late the event loop gets while the Train panel drains events and
redraws its curves. The budget (<= 50 ms max stall, >= 10 Hz curves) is measured by
bench/bench_ui.py on a quiet machine; this test shares the 2 CPU cores of CI with other suites, so
it holds the loop to a looser bound that still catches a GUI doing training-sized work.
"""

from __future__ import annotations

import pytest
from heartbeat import Heartbeat

STALL_LIMIT_MS = 200
P99_LIMIT_MS = 60


@pytest.mark.slow
def test_event_loop_never_stalls_and_curves_keep_refreshing_while_training(qtbot, train_panel, state, tmp_path):
    state.project.training.update(epochs=1000, layer_stats_every=20)
    train_panel.start_training(tmp_path / "run", overrides={"max_seconds": 30}, cheap_checks=False)
    qtbot.waitUntil(lambda: train_panel.controller.state == "running" and train_panel.curves.series.step.n > 0,
                    timeout=120_000)
    beat = Heartbeat(5)
    refreshes = train_panel.curves.refresh_count
    deliveries = train_panel.controller.deliveries
    steps = train_panel.curves.series.step.n
    beat.start()
    qtbot.wait(5000)
    beat.stop()
    summary = beat.summary()
    redraws = train_panel.curves.refresh_count - refreshes
    delivered = train_panel.controller.deliveries - deliveries
    assert train_panel.controller.state == "running"  # the measurement happened during training
    assert train_panel.curves.series.step.n > steps  # and training went on meanwhile
    assert summary["ticks"] > 200
    assert summary["max_stall_ms"] < STALL_LIMIT_MS, summary
    assert summary["p99_stall_ms"] < P99_LIMIT_MS, summary
    # Every delivery of new data can move the curves; the 20 Hz draw timer coalesces faster ones.
    assert delivered > 0 and redraws >= 0.5 * min(delivered, 5 * 20), (redraws, delivered)
