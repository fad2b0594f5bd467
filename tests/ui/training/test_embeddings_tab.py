"""Metric learning and language models in the Train panel (issue 13): training the Siamese template with the
Start button shows an Embeddings tab with the validation embeddings of every class; a supervised
run has no such tab."""

from __future__ import annotations

from PySide6.QtCore import Qt

from studio.core.project import load_project
from studio.core.resources import TEMPLATES


def _train(qtbot, panel, state, tmp_path, epochs: int) -> None:
    state.project.training.update(epochs=epochs, device="cpu", layer_stats_every=0)
    state.notify_edited("training")
    state.mark_saved(tmp_path / "proj.studio.json")
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.controller.state in ("finished", "stopped", "error"), timeout=180_000)
    assert panel.controller.state == "finished"
    qtbot.wait(100)  # the last events reach the curves on the next draw


def test_training_the_siamese_template_shows_the_classes_in_the_embeddings_tab(qtbot, train_panel, state,
                                                                              tmp_path):
    state.replace(load_project(TEMPLATES / "siamese_embedding.studio.json"), None)
    tabs = train_panel.curves.tabs
    assert not tabs.isTabVisible(train_panel.curves.embedding_tab)
    _train(qtbot, train_panel, state, tmp_path, epochs=2)
    qtbot.waitUntil(lambda: tabs.isTabVisible(train_panel.curves.embedding_tab), timeout=10_000)
    view = train_panel.curves.embedding_view
    tabs.setCurrentIndex(train_panel.curves.embedding_tab)
    assert view.epoch == 2
    drawn = [len(view.class_points(k)) for k in range(10)]
    assert all(n > 0 for n in drawn), drawn  # every digit has its points
    assert view.caption.text().startswith("Epoch 2:")

    train_panel.curves.reset()  # a new run starts: the old picture goes with the old curves
    assert not tabs.isTabVisible(train_panel.curves.embedding_tab)


def test_a_classifier_run_has_no_embeddings_tab(qtbot, train_panel, state, tmp_path):
    _train(qtbot, train_panel, state, tmp_path, epochs=1)
    assert not train_panel.curves.tabs.isTabVisible(train_panel.curves.embedding_tab)


def test_training_the_language_model_template_shows_its_text_samples(qtbot, train_panel, state, tmp_path):
    project = load_project(TEMPLATES / "transformer_lm.studio.json")
    # One window every 64 characters instead of every 8: an eighth of the epoch, the same sample at
    # its end (the perplexity bar itself is tests/core/train/test_lm_bar.py).
    project.data["options"]["stride"] = 64
    state.replace(project, None)
    curves = train_panel.curves
    assert not curves.tabs.isTabVisible(curves.sample_tab)
    _train(qtbot, train_panel, state, tmp_path, epochs=1)
    qtbot.waitUntil(lambda: curves.tabs.isTabVisible(curves.sample_tab), timeout=10_000)
    view = curves.sample_view
    assert len(view.samples) == 1
    sample = view.samples[0]
    shown = view.text.toPlainText()
    assert sample["text"].startswith(sample["prompt"]) and len(sample["text"]) > len(sample["prompt"])
    written = sample["text"][len(sample["prompt"]):]
    first_words = next(line for line in written.split("\n") if line.strip())[:15]
    first_words = first_words.strip()  # runs of spaces inside show as written (pre-wrap)
    assert "epoch 1" in shown and sample["prompt"].strip() in shown and first_words in shown
    assert not curves.tabs.isTabVisible(curves.embedding_tab)  # an LM run has no embeddings


def test_a_language_models_token_accuracy_is_drawn_on_the_accuracy_plot():
    from studio.ui.training.series import RunSeries

    series = RunSeries()
    series.add_events([{"event": "epoch", "epoch": 1, "step": 10, "train_loss": 2.0, "val_loss": 2.2,
                        "val_perplexity": 9.0, "val_token_accuracy": 0.41}])
    assert series.epoch_values["val_accuracy"].values[-1] == 0.41


def test_training_the_ddpm_template_shows_samples_the_forward_process_and_the_schedule(qtbot, train_panel, state,
                                                                                      tmp_path):
    state.replace(load_project(TEMPLATES / "ddpm_digits.studio.json"), None)
    curves = train_panel.curves
    assert not curves.tabs.isTabVisible(curves.diffusion_tab)
    _train(qtbot, train_panel, state, tmp_path, epochs=1)
    qtbot.waitUntil(lambda: curves.tabs.isTabVisible(curves.diffusion_tab), timeout=10_000)
    view = curves.diffusion_view
    curves.tabs.setCurrentIndex(curves.diffusion_tab)
    assert view.event["epoch"] == 1
    samples, forward = view.samples.pixmap(), view.forward.pixmap()
    assert not samples.isNull() and not forward.isNull()
    assert samples.width() > 8 * 40 and forward.width() > len(view.event["forward_t"]) * 40  # tiles readable, not thumbnails
    t, ab = view.alpha_curve.getData()
    assert len(t) > 10 and ab[0] > 0.99 and ab[-1] < 0.01  # ᾱ_t falls from ~1 to ~0 over the schedule
    assert view.caption.text().startswith("Epoch 1:")
