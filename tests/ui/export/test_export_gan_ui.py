"""The Export panel on a real 2-epoch GAN run: it says that the generator is exported, offers no
reduction that does not apply, exports an ONNX file that passes, and the inference view then draws
images from noise instead of top-k classes (issue 13, GAN)."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt

from studio.core.project import load_project
from studio.core.resources import TEMPLATES

WAIT_MS = 120_000


@pytest.fixture(scope="module")
def gan_run(tmp_path_factory):
    from studio.core.train.trainer import run_training

    torch.set_num_threads(1)
    run = tmp_path_factory.mktemp("export-gan-ui") / "runs" / "gan"
    final = run_training(load_project(TEMPLATES / "gan_mlp_digits.studio.json"), run, {"epochs": 2, "device": "cpu"})
    assert final["event"] == "done", final
    return run


@pytest.fixture
def gan_panel(qtbot, gan_run):
    from studio.ui.panels.export import ExportPanel
    from studio.ui.state import AppState

    widget = ExportPanel(AppState(load_project(TEMPLATES / "gan_mlp_digits.studio.json")))
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.add_run(gan_run)
    yield widget
    for task in (widget.export_section.task, widget.distill_section.task, widget.inference.task):
        task.wait(60)


def test_a_gan_run_exports_its_generator_and_the_view_draws_images(qtbot, gan_panel, tmp_path):
    section = gan_panel.export_section
    assert "Generator: z [100] -> image [1, 28, 28]" in section.run_info.text()
    assert section.network.isVisible() and section.network.value() == "generator"
    assert not section.int8.isEnabled() and section.int8.currentData() == "off"
    assert not section.prune.isEnabled() and "GAN" in section.prune.toolTip()

    out = tmp_path / "generator.onnx"
    section.format.set_value("onnx")
    section.out.setText(str(out))
    qtbot.mouseClick(section.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.verdict.state() != "" and not section.task.busy, timeout=WAIT_MS)
    assert section.verdict.state() == "pass", section.verdict.detail.text()
    assert "drawn from seeded noise" in section.verdict.headline.text()
    assert section.last_report["interface"] == "Generator: z [100] -> image [1, 28, 28]"

    view = gan_panel.inference
    qtbot.waitUntil(lambda: view.model is not None and not view.task.busy, timeout=WAIT_MS)
    assert view.model.path == out and view.model.is_generator
    assert view.prediction.text() == "Generated from noise"
    assert not view.bars.isVisible() and not view.k.isVisible() and view.random_button.isVisible()
    pixmap = view.picture.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    shown = pixmap.toImage()
    assert shown.width() >= 100, "a grid of images, not one blank"
    first = view.caption.text()
    assert "seed 0" in first
    grid, _ = view.model.generate(16, 0)
    assert grid.shape == (112, 112) and grid.std() > 5, "the images are not one flat colour"
    qtbot.mouseClick(view.random_button, Qt.MouseButton.LeftButton)
    assert view.caption.text() != first and view.seed != 0
    assert not view.error.isVisible()
    if os.environ.get("STUDIO_SCREENSHOTS"):
        qtbot.wait(300)
        gan_panel.grab().save(os.path.join(os.environ["STUDIO_SCREENSHOTS"], "export_gan.png"))
        view.grab().save(os.path.join(os.environ["STUDIO_SCREENSHOTS"], "export_gan_view.png"))


def test_an_image_dropped_on_a_generator_is_refused_in_one_sentence(qtbot, gan_panel, tmp_path):
    from PIL import Image

    from studio.core.export.pipeline import ExportOptions, export_run

    out = tmp_path / "g.onnx"
    assert export_run(gan_panel.export_section.runs.path(), ExportOptions(out=out, latency=False))["passed"]
    view = gan_panel.inference
    view.open_onnx(out)
    qtbot.waitUntil(lambda: view.model is not None and not view.task.busy, timeout=WAIT_MS)
    picture = tmp_path / "digit.png"
    Image.fromarray(np.zeros((28, 28), dtype=np.uint8)).save(picture)
    view.classify_image(picture)
    assert view.error.isVisible() and "does not classify images" in view.error.detail.text()


def test_the_discriminator_can_be_chosen_and_its_file_is_named_in_the_view(qtbot, gan_panel):
    section = gan_panel.export_section
    qtbot.mouseClick(section.network.buttons["discriminator"], Qt.MouseButton.LeftButton)
    assert "Discriminator: image [1, 28, 28] -> verdict [1]" in section.run_info.text()
    assert section.out.text().endswith("_discriminator.onnx")
    qtbot.mouseClick(section.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.verdict.state() != "" and not section.task.busy, timeout=WAIT_MS)
    assert section.verdict.state() == "pass", section.verdict.detail.text()
    assert section.last_report["network"] == "discriminator"
    view = gan_panel.inference
    qtbot.waitUntil(lambda: view.model is not None and not view.task.busy, timeout=WAIT_MS)
    assert view.model.is_discriminator
    assert "discriminator" in view.caption.text() and not view.bars.isVisible()


def test_a_classifier_run_shows_no_network_choice(qtbot, gan_panel, tmp_path):
    from studio.core.train.trainer import run_training

    run = tmp_path / "runs" / "mlp"
    final = run_training(load_project(TEMPLATES / "mlp.studio.json"), run, {"max_steps": 5, "device": "cpu"})
    assert final["event"] == "done", final
    assert gan_panel.add_run(run)
    section = gan_panel.export_section
    assert not section.network.isVisible() and "Generator" not in section.run_info.text()
    assert section.int8.isEnabled() and section.prune.isEnabled()
    assert section.options().network is None
