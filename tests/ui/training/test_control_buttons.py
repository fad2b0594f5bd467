"""Start / Pause / Stop (issue 20, item 11): a button that does nothing now is disabled and looks
it, in both themes, and Pause becoming Continue moves no button. Driven by clicks on a real run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from studio.core.train.run_folder import read_metrics
from studio.ui import theme


def looks(button) -> tuple[QColor, float]:
    """The button as drawn: its fill (the colour of most pixels) and how far its text stands out
    from that fill (the largest luminance difference of any pixel, 0…255)."""
    image = button.grab().toImage()
    counts: dict[int, int] = {}
    pixels = []
    for y in range(4, image.height() - 4):
        for x in range(4, image.width() - 4):
            rgb = image.pixel(x, y)
            counts[rgb] = counts.get(rgb, 0) + 1
            pixels.append(rgb)
    fill = QColor.fromRgb(max(counts, key=counts.get))
    contrast = max(abs(QColor.fromRgb(p).lightness() - fill.lightness()) for p in pixels)
    return fill, contrast


def assert_looks_disabled(button, enabled_reference) -> None:
    accent = QColor(theme.current_colors()["accent"])
    fill, contrast = looks(button)
    _ref_fill, ref_contrast = looks(enabled_reference)
    assert not button.isEnabled(), button.text()
    assert fill != accent, f"{button.text()} is drawn in the accent colour while disabled"
    assert contrast < 0.7 * ref_contrast, (button.text(), contrast, ref_contrast)


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_buttons_that_do_nothing_now_are_disabled_and_look_it(qtbot, train_panel, state, tmp_path, theme_name):
    theme.apply_theme(QApplication.instance(), theme_name)
    try:
        qtbot.wait(50)  # the page takes the new theme's sheet
        panel = train_panel
        reference = panel.checks_button  # enabled, an ordinary button
        # idle: nothing to pause or stop
        for button in (panel.pause_button, panel.stop_button):
            assert_looks_disabled(button, reference)
        assert panel.start_button.isEnabled()
        assert looks(panel.start_button)[0] == QColor(theme.current_colors()["accent"])

        state.project.training.update(epochs=400, layer_stats_every=0)
        state.mark_saved(tmp_path / "proj.studio.json")
        positions = [b.geometry() for b in (panel.start_button, panel.pause_button, panel.stop_button,
                                            panel.resume_button, panel.checks_button)]
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.controller.state == "running" and panel.curves.series.step.n > 0,
                        timeout=120_000)
        run = panel.controller.run_dir
        assert_looks_disabled(panel.start_button, panel.stop_button)  # training: Start does nothing
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        assert panel.controller.run_dir == run  # and a click on it starts nothing

        qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
        assert panel.pause_button.text() == "Continue"
        qtbot.waitUntil(lambda: any(e["event"] == "paused" for e in read_metrics(run)), timeout=60_000)
        qtbot.wait(20)
        assert_looks_disabled(panel.start_button, panel.stop_button)  # paused: Start still does nothing
        after = [b.geometry() for b in (panel.start_button, panel.pause_button, panel.stop_button,
                                        panel.resume_button, panel.checks_button)]
        assert after == positions, "a button moved when Pause became Continue"

        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.controller.state in ("stopped", "finished", "error"), timeout=120_000)
        for button in (panel.pause_button, panel.stop_button):
            assert_looks_disabled(button, panel.checks_button)
        assert panel.start_button.isEnabled()
    finally:
        theme.apply_theme(QApplication.instance(), "light")
