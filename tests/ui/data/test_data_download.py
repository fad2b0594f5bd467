"""The Data panel's Download for MNIST (issue 16): real HTTP from a mirror on 127.0.0.1, a progress
bar that moves and ends, Cancel, and the messages for a machine offline and a corrupted file.

The mirror serves small but real idx files; the published md5s are replaced by theirs where the
download should succeed (`vision_download.SOURCES` is data; the fetch, check and rename are real).
"""

from __future__ import annotations

import dataclasses

import pytest
from data_form_support import field, settled, type_into
from dataset_mirror import MNIST_NAMES, DatasetMirror, write_mnist_files
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from studio.core.data import vision_download
from studio.core.data.vision_download import URL_ENV, PublishedFile


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_DATA", str(tmp_path / "default-data"))
    folder = tmp_path / "mirror"
    return folder, write_mnist_files(folder / "mnist", n_train=600)


def _publish(monkeypatch, md5s):
    source = vision_download.SOURCES["mnist"]
    files = tuple(PublishedFile(f.name, md5s[f.name]) for f in source.files)
    monkeypatch.setitem(vision_download.SOURCES, "mnist", dataclasses.replace(source, files=files))


def _choose_mnist(qtbot, panel, root):
    panel.dataset_box.setCurrentText("mnist")
    type_into(qtbot, field(panel, "root", QLineEdit), str(root))
    settled(qtbot, panel)
    form = panel.options_form
    assert form.download_button.isVisible() and form.download_button.text() == "Download"
    assert f"Not in {root / 'MNIST' / 'raw'} yet" in form.files_status.text()
    return form


def test_download_shows_progress_then_the_data_set_loads(qtbot, panel, state, served, monkeypatch, tmp_path):
    folder, md5s = served
    _publish(monkeypatch, md5s)
    mirror = DatasetMirror(folder, seconds_per_chunk=0.01)
    monkeypatch.setenv(URL_ENV, mirror.url)
    try:
        root = tmp_path / "data"
        form = _choose_mnist(qtbot, panel, root)
        assert state.project.data["dataset"] == "digits"  # MNIST is not there yet: the project keeps digits
        qtbot.mouseClick(form.download_button, Qt.MouseButton.LeftButton)
        bar = form.download_progress.bar
        qtbot.waitUntil(lambda: bar.isVisible() and 0 < bar.value() < 1000, timeout=20_000)
        assert "MB" in bar.text() and not form.download_button.isEnabled()
        assert form.download_progress.cancel_button.isVisible()
        qtbot.waitUntil(lambda: not form.download_progress.busy, timeout=60_000)
        settled(qtbot, panel, lambda: state.project.data["dataset"] == "mnist")
    finally:
        mirror.close()
    assert bar.value() == 1000 and not bar.isVisible()
    assert "Downloaded and checked" in form.download_progress.message.text()
    assert f"All files are in {root / 'MNIST' / 'raw'}" in form.files_status.text()
    assert sorted(p.name for p in (root / "MNIST" / "raw").iterdir()) == sorted(MNIST_NAMES)
    assert panel.snapshot.bundle.name == "mnist" and panel.snapshot.bundle.n_train == 600
    assert not panel.error.isVisible()


def test_offline_corrupted_and_cancelled_downloads_say_so_and_leave_nothing(qtbot, panel, served, monkeypatch,
                                                                            tmp_path):
    folder, md5s = served
    root = tmp_path / "data"
    form = _choose_mnist(qtbot, panel, root)
    message = form.download_progress.message

    monkeypatch.setenv(URL_ENV, "http://127.0.0.1:9")  # nothing listens: as if offline
    qtbot.mouseClick(form.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "seems offline" in message.text(), timeout=20_000)
    assert "http://127.0.0.1:9/mnist/train-images-idx3-ubyte.gz" in message.text()
    assert f"put them in {root / 'MNIST' / 'raw'}" in message.text() and message.isVisible()
    assert form.download_button.isEnabled()

    mirror = DatasetMirror(folder, seconds_per_chunk=0.02)
    monkeypatch.setenv(URL_ENV, mirror.url)
    try:  # the real published md5s: the served files fail them
        qtbot.mouseClick(form.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "does not match its published md5" in message.text(), timeout=30_000)
        assert "train-images-idx3-ubyte.gz" in message.text()

        _publish(monkeypatch, md5s)
        qtbot.mouseClick(form.download_button, Qt.MouseButton.LeftButton)
        bar = form.download_progress.bar
        qtbot.waitUntil(lambda: 0 < bar.value() < 1000, timeout=20_000)
        qtbot.mouseClick(form.download_progress.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "download was cancelled" in message.text(), timeout=20_000)
    finally:
        mirror.close()
    raw = root / "MNIST" / "raw"
    assert not raw.exists() or list(raw.iterdir()) == []
    assert form.download_button.isEnabled() and not bar.isVisible()
