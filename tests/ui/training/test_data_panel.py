"""The Data panel: dataset choice (undoable), samples with labels, class histogram, statistics,
hints and the exact batch entering the net, loaded off the GUI thread."""

from __future__ import annotations

import torch

from studio.core.data import load_dataset
from studio.core.recipe.data_insight import entering_batch


def panel_for(qtbot, state):
    from studio.ui.panels.data import DataPanel

    panel = DataPanel(state)
    qtbot.addWidget(panel)
    panel.resize(1300, 900)
    panel.show()
    qtbot.waitUntil(lambda: panel.snapshot is not None and not panel.busy, timeout=60_000)
    return panel


def test_data_panel_shows_samples_balance_stats_hints_and_the_entering_batch(qtbot, state):
    panel = panel_for(qtbot, state)
    bundle = load_dataset(state.project.data)
    assert "1,438 training / 359 validation" in panel.summary.text()
    pix = panel.gallery.pixmap()
    assert pix is not None and pix.width() > 400 and pix.height() > 60
    counts = torch.bincount(bundle.y_train["label"], minlength=10).tolist()
    assert panel.histogram.counts[0] == counts
    assert panel.channels.rowCount() == 1
    assert abs(float(panel.channels.item(0, 3).text())) < 1e-3  # normalised mean fed to the net ~ 0
    assert float(panel.channels.item(0, 1).text()) == round(bundle.mean[0], 4)
    assert "•" in panel.hints.text()
    x, _, _ = entering_batch(bundle, 64, 0)
    assert torch.equal(panel.snapshot.batch, x)
    assert "batch 1 of epoch 1" in panel.batch_info.text() and "(64, 1, 8, 8)" in panel.batch_info.text()
    assert panel.batch_view.pixmap() is not None
    panel.next_batch.click()
    qtbot.waitUntil(lambda: panel.snapshot.batch_index == 1, timeout=60_000)
    assert "batch 2 of epoch 1" in panel.batch_info.text()


def test_dataset_and_split_edits_are_undoable_and_reload(qtbot, state):
    panel = panel_for(qtbot, state)
    panel.val_box.setValue(0.5)
    assert state.project.data["val_fraction"] == 0.5
    qtbot.waitUntil(lambda: panel.snapshot is not None and panel.snapshot.bundle.n_val > 800 and not panel.busy,
                    timeout=60_000)
    panel.dataset_box.setCurrentText("shapes")  # tried first, written to the project once it loads
    qtbot.waitUntil(lambda: state.project.data["dataset"] == "shapes" and not panel.busy, timeout=60_000)
    assert state.project.data["options"] == {}
    qtbot.waitUntil(lambda: panel.snapshot.bundle.name == "shapes" and not panel.busy, timeout=60_000)
    assert panel.snapshot.facts.class_names == ["circle", "square", "triangle"]
    state.undo_stack.undo()  # one step undoes the dataset change (options and name together)
    assert state.project.data["dataset"] == "digits" and panel.dataset_box.currentText() == "digits"
    assert panel.fact_texts()["Dataset"] == "digits"


def test_augmentation_set_in_the_train_form_shows_in_the_batch(qtbot, state):
    panel = panel_for(qtbot, state)
    clean = panel.snapshot.batch.clone()
    from studio.ui.training.commands import SetAugment

    state.undo_stack.push(SetAugment(state, "noise", 0.5))
    qtbot.waitUntil(lambda: not torch.equal(panel.snapshot.batch, clean) and not panel.busy, timeout=60_000)
    assert "noise" in panel.batch_info.text()
    assert float((panel.snapshot.batch - clean).std()) > 0.3


def test_an_unloadable_dataset_says_why(qtbot, state):
    panel = panel_for(qtbot, state)
    panel.dataset_box.setCurrentText("mnist")
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=60_000)
    assert "mnist" in panel.error.text().lower()


def test_a_text_data_set_shows_its_windows_as_text(qtbot):
    """A language model reads windows of tokens: Samples decodes the first ones back to text
    (issue 13, paradigm 3), where an image data set shows pictures."""
    from studio.core.project import load_project
    from studio.core.resources import RESOURCES, TEMPLATES
    from studio.ui.state import AppState

    state = AppState(load_project(TEMPLATES / "transformer_lm.studio.json"))
    panel = panel_for(qtbot, state)
    shown = panel.gallery.text()
    opening = (RESOURCES / "data" / "harbour_tales.txt").read_text(encoding="utf-8")[:40].replace("\n", "⏎")
    assert "training windows of 64 tokens" in shown
    assert opening[:30] in shown  # the first window is the text's opening, decoded
    assert panel.gallery.pixmap().isNull()


def test_sample_tiles_keep_the_images_relative_brightness():
    """A dark picture beside a bright one stays dark, and a flat grey one is grey, not black (each tile
    used to be stretched to its own range)."""
    from studio.ui.training.data_view import tiles_of

    dark = torch.full((1, 4, 4), 0.2)
    dark[0, 0, 0] = 0.3
    bright = torch.full((1, 4, 4), 0.9)
    bright[0, 0, 0] = 1.0
    grey = torch.full((1, 4, 4), 0.5)
    tiles = tiles_of(torch.stack([dark, bright, grey]))
    means = [float(t.mean()) for t in tiles]
    assert means[0] < 40 < 200 < means[1], means
    assert 80 < means[2] < 150, means
    (flat,) = tiles_of(torch.full((1, 1, 3, 3), 0.7))
    assert int(flat[0, 0, 0]) == 128
