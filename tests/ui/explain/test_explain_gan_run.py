"""The Explain panel on real 2-epoch GAN runs (issue 13, GAN): a DCGAN is explained through its
discriminator (the verdict 'real' on a real digit, the digits in [-1, 1] as it saw them), and a
conditional GAN is refused in one sentence saying why, with nothing drawn."""

from __future__ import annotations

import os

import pytest
import torch
from explain_ui_support import settle

from studio.core.project import load_project
from studio.core.resources import TEMPLATES


def _train(tmp_path_factory, template: str):
    from studio.core.train.trainer import run_training

    torch.set_num_threads(1)
    run = tmp_path_factory.mktemp("explain-gan") / "runs" / template
    final = run_training(load_project(TEMPLATES / f"{template}.studio.json"), run, {"epochs": 2, "device": "cpu"})
    assert final["event"] == "done", final
    return run


@pytest.fixture(scope="module")
def dcgan_run(tmp_path_factory):
    return _train(tmp_path_factory, "dcgan_digits")


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory):
    return _train(tmp_path_factory, "cgan_digits")


def test_a_dcgan_run_is_explained_through_its_discriminator(make_panel, dcgan_run, qtbot):
    panel = make_panel()
    panel.open_run(dcgan_run)
    settle(qtbot, panel)
    subject = panel.context.subject
    assert subject is not None, panel.source.error.label.text()
    assert subject.class_names == ["real"] and subject.input_shape == (1, 28, 28)
    assert "GAN discriminator" in panel.source.facts.text()
    assert subject.samples is not None and float(subject.samples.min()) == -1.0, "digits in D's range"
    assert panel.context.x is not None and tuple(panel.context.x.shape) == (1, 1, 28, 28)
    panel.tabs.setCurrentWidget(panel.cam)
    settle(qtbot, panel)
    view = panel.cam.view
    assert view is not None, panel.cam.error.label.text()
    assert view.result.layer == "d_conv2" and view.result.targets == [0]
    assert not view.result.empty[0], "the map of 'real' on a real digit shows where D looks"
    assert subject.labels is None, "a digit's class is not D's 'real': no true class is claimed"
    assert "true" not in panel.cam.facts.text()
    assert 0.0 <= view.result.target_scores[0] <= 1.0, "the score is D's verdict"
    assert "real" in panel.cam.facts.text()
    if os.environ.get("STUDIO_SCREENSHOTS"):
        qtbot.wait(300)
        panel.grab().save(os.path.join(os.environ["STUDIO_SCREENSHOTS"], "explain_gan_cam.png"))
    for tab in (panel.filters, panel.activations):
        panel.tabs.setCurrentWidget(tab)
        settle(qtbot, panel)
    assert panel.filters.picture.rgb is not None and panel.activations.picture.rgb is not None


def test_a_conditional_gan_is_refused_with_the_reason(make_panel, cgan_run, qtbot):
    panel = make_panel()
    panel.open_run(cgan_run)
    settle(qtbot, panel)
    assert panel.context.subject is None
    error = panel.source.error.label.text()
    assert panel.source.error.isVisible() and "conditional GAN" in error, error
    assert panel.cam.view is None and panel.cam.overlay_picture.rgb is None
