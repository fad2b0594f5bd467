"""Start / Pause / Stop (issue 20, item 11): a button that does nothing now is disabled and looks
it, in both themes, and Pause becoming Continue moves no button. Driven by clicks on a real run."""

from __future__ import annotations

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


def test_buttons_that_do_nothing_now_are_disabled_and_look_it(qtbot, train_panel, state, tmp_path):
    """One real run; at each of its states (idle, training, paused, stopped) the buttons are looked at
    in the light and in the dark theme, switched as the user would from the View menu."""
    panel = train_panel
    app = QApplication.instance()

    def in_both_themes(check) -> None:
        for name in ("light", "dark"):
            theme.apply_theme(app, name)
            qtbot.wait(50)  # the page takes the new theme's sheet
            try:
                check()
            except AssertionError as exc:
                raise AssertionError(f"{name} theme: {exc}") from exc

    def idle() -> None:  # nothing to pause or stop
        for button in (panel.pause_button, panel.stop_button):
            assert_looks_disabled(button, panel.checks_button)  # checks: enabled, an ordinary button
        assert panel.start_button.isEnabled()
        assert looks(panel.start_button)[0] == QColor(theme.current_colors()["accent"])

    def start_does_nothing() -> None:  # training or paused
        assert_looks_disabled(panel.start_button, panel.stop_button)

    def geometries() -> list:
        return [b.geometry() for b in (panel.start_button, panel.pause_button, panel.stop_button,
                                       panel.resume_button, panel.checks_button)]

    try:
        in_both_themes(idle)

        state.project.training.update(epochs=400, layer_stats_every=0)
        state.mark_saved(tmp_path / "proj.studio.json")
        positions = geometries()
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.controller.state == "running" and panel.curves.series.step.n > 0,
                        timeout=120_000)
        run = panel.controller.run_dir
        in_both_themes(start_does_nothing)
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        assert panel.controller.run_dir == run  # and a click on it starts nothing

        qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
        assert panel.pause_button.text() == "Continue"
        qtbot.waitUntil(lambda: any(e["event"] == "paused" for e in read_metrics(run)), timeout=60_000)
        qtbot.wait(20)
        assert geometries() == positions, "a button moved when Pause became Continue"
        in_both_themes(start_does_nothing)  # paused: Start still does nothing
        assert geometries() == positions, "a button moved when Pause became Continue"

        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.controller.state in ("stopped", "finished", "error"), timeout=120_000)
        in_both_themes(idle)
    finally:
        theme.apply_theme(app, "light")
