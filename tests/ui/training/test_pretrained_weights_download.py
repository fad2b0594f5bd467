"""The Train panel offers to download a PretrainedBackbone's missing weights (issue 15).

A real run of a project with a PretrainedBackbone stops in its worker because torchvision's file is
not on this machine; under the error the panel offers Download, which fetches the file over real
HTTP from a mirror on 127.0.0.1 ($STUDIO_PRETRAINED_URL) with a progress bar, and refuses a file
whose sha256 does not begin with the prefix in torchvision's file name. The served file is a
freshly initialised mobilenet_v3_small, so its prefix is not torchvision's: the refusal is real,
and for the successful download the expected prefix is set to the served file's.
"""

from __future__ import annotations

import hashlib

import pytest
import torch
from dataset_mirror import DatasetMirror
from PySide6.QtCore import Qt
from torchvision import models
from ui_builders import chain, make_project

from studio.core.graph import blocks_pretrained
from studio.core.graph.blocks_pretrained import weights_name
from studio.ui.state import AppState

ARCH = "mobilenet_v3_small"


@pytest.fixture
def state(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_PRETRAINED_DIR", str(tmp_path / "pretrained"))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home"))  # no torch hub cache holding the file
    monkeypatch.delenv("STUDIO_OFFLINE", raising=False)
    graph = chain(("input", "Input", {"shape": [3, 32, 32]}), ("backbone", "PretrainedBackbone", {"arch": ARCH}),
                  ("out", "Linear", {"out_features": 3}), ("head", "ClassificationHead", {}))
    project = make_project(graph, {"dataset": "shapes", "options": {"channels": 3, "count": 48}},
                           epochs=1, batch_size=16)
    return AppState(project)


@pytest.fixture
def served(tmp_path):
    folder = tmp_path / "mirror"
    folder.mkdir()
    torch.manual_seed(0)
    path = folder / weights_name(ARCH)
    torch.save(models.get_model(ARCH, weights=None).state_dict(), path)
    mirror = DatasetMirror(folder)
    yield mirror, path
    mirror.close()


def test_a_run_stopped_for_missing_weights_offers_a_checked_download(qtbot, train_panel, state, served, monkeypatch,
                                                                      tmp_path):
    mirror, source = served
    monkeypatch.setenv(blocks_pretrained.URL_ENV, mirror.url)
    train_panel.start_training(tmp_path / "run", cheap_checks=False)
    qtbot.waitUntil(lambda: train_panel.controller.state == "error", timeout=120_000)
    offer = train_panel.weights_offer
    assert weights_name(ARCH) in train_panel.error_label.text() and train_panel.error_label.isVisible()
    assert offer.isVisible() and offer.button.isVisible() and offer.button.text() == "Download the weights"
    assert f"{weights_name(ARCH)} are not on this machine" in offer.text.text()

    # the served file is not torchvision's: refused by its sha256, nothing left in the weights folder
    qtbot.mouseClick(offer.button, Qt.MouseButton.LeftButton)
    message = offer.progress.message
    qtbot.waitUntil(lambda: "does not match torchvision's" in message.text(), timeout=60_000)
    assert "sha256 does not begin with 047dcff4" in message.text()
    folder = tmp_path / "pretrained"
    assert not folder.exists() or list(folder.iterdir()) == []
    assert offer.button.isEnabled()

    prefix = hashlib.sha256(source.read_bytes()).hexdigest()[:8]
    monkeypatch.setattr(blocks_pretrained, "sha256_prefix", lambda arch: prefix)  # as if it were torchvision's
    seen = []
    offer.progress.jobs.progress.connect(lambda values: seen.append(values))
    qtbot.mouseClick(offer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Downloaded and checked" in message.text(), timeout=60_000)
    size = source.stat().st_size
    assert seen[-1][1:] == (size, size) and offer.progress.bar.value() == 1000
    assert sorted(p.name for p in folder.iterdir()) == [weights_name(ARCH)]
    assert (folder / weights_name(ARCH)).read_bytes() == source.read_bytes()
    assert not offer.button.isVisible()
    assert not offer.offer_for(state.project.graph), "nothing is missing now"
