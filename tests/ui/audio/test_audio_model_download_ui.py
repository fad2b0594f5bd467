"""The Audio panel on a machine without the Whisper model: it offers the download, shows its
progress and lets the user cancel it. Real HTTP from the suite's `model_hub` server on 127.0.0.1."""

from __future__ import annotations

import os

import pytest

from studio.core.audio.recognizers import whisper_model


@pytest.fixture
def downloaded(no_model_online):
    """Where the first-use download lands on the fresh machine."""
    return no_model_online / "whisper-base-download"


@pytest.fixture
def panel(qtbot):
    from studio.ui.panels.audio import AudioPanel
    from studio.ui.state import AppState

    widget = AudioPanel(AppState())
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    widget.show()
    yield widget
    widget.shutdown()


def test_panel_downloads_whisper_on_first_use_with_progress(whisper_base_files, model_hub, downloaded,
                                                            panel, qtbot):
    model_hub(whisper_base_files)
    pane = panel.transcript
    # nothing downloads by itself: PocketSphinx is picked and Whisper offers the download
    assert pane.engine.currentData() == "pocketsphinx"
    assert "downloads its model on first use" in pane.engine.itemText(pane.engine.findData("whisper"))
    assert "choose Whisper to download it" in pane.status.text()

    pane.engine.setCurrentIndex(pane.engine.findData("whisper"))
    assert "will be downloaded" in pane.status.text()
    progress = []
    pane.controller.download.connect(
        lambda name, done, total: progress.append((done, total, pane.download_row.isVisible(),
                                                   pane.download_bar.value())))
    pane.controller.prepare()
    qtbot.waitUntil(lambda: pane.status_kind in ("ready", "error"), timeout=120000)
    assert pane.status_kind == "ready", pane.status.text()
    assert pane.controller.recognizer.model_dir == downloaded
    assert (downloaded / "model.bin").stat().st_size == (whisper_base_files / "model.bin").stat().st_size
    assert len(progress) >= 20, "the bar moves while the 145 MB arrive"
    dones = [done for done, *_ in progress]
    assert dones == sorted(dones) and dones[-1] == progress[-1][1]
    assert all(visible for _, _, visible, _ in progress)
    assert progress[-1][3] == 1000, "the bar ends full"
    assert not pane.download_row.isVisible(), "the bar goes away once Whisper is ready"


def test_cancelling_the_download_says_so_and_leaves_no_model(model_hub, downloaded, panel, qtbot, tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    for name in whisper_model.SIDE_FILES:
        (served / name).write_text("{}")
    (served / "model.bin").write_bytes(os.urandom(4 << 20))
    model_hub(served, seconds_per_chunk=0.05)  # 64 chunks: about 3 s for the whole file
    pane = panel.transcript
    pane.engine.setCurrentIndex(pane.engine.findData("whisper"))
    pane.controller.prepare()
    qtbot.waitUntil(lambda: pane.download_row.isVisible() and pane.download_bar.value() > 0, timeout=20000)
    pane.download_cancel.click()
    qtbot.waitUntil(lambda: pane.status_kind == "error", timeout=20000)
    assert "cancelled" in pane.status.text()
    assert not pane.download_row.isVisible()
    assert not downloaded.exists() and not downloaded.with_name("whisper-base-download.partial").exists()
    assert pane.controller.recognizer is None
