"""Issue 16, end to end in the window's panels: a folder of class folders and a CSV file chosen in the
Data panel's form are seen as samples and then trained from the Train panel (an epoch event arrives);
bad folders (one class, an empty class, an unreadable image) say why in the panel and the project
keeps its data; a folder of pictures of mixed sizes loads, every picture resized to the form's size.

Trainings are tiny (a linear layer, one epoch of at most 3 steps) so each test stays short; the
worker process is the real one.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from data_form_support import field, settled, shown_classes, table, type_into
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

from studio.core.data.builtin import load_shapes
from studio.core.graph.model import Graph
from studio.core.project import Project
from studio.core.train.run_folder import read_metrics
from studio.ui.state import AppState

SIZE = 16


def shapes_tree(root, count: int = 24, size: int = SIZE):
    """ROOT/<circle|square|triangle>/<i>.png: the built-in shapes generator's pictures, as PNG files."""
    raw = load_shapes({"size": size, "count": count, "channels": 1, "seed": 3})
    for i in range(count):
        name = raw.class_names[int(raw.y["label"][i])]
        (root / name).mkdir(parents=True, exist_ok=True)
        pixels = (raw.x[i, 0].numpy() * 255).round().astype(np.uint8)
        Image.fromarray(pixels, "L").save(root / name / f"{i:03d}.png")
    return root


def project(input_shape: list[int], classes: int) -> Project:
    graph = Graph.chain([("input", "Input", {"shape": input_shape}), ("flat", "Flatten", {}),
                         ("out", "Linear", {"out_features": classes}), ("head", "ClassificationHead", {})])
    return Project(name="end-to-end", graph=graph,
                   data={"dataset": "digits", "val_fraction": 0.25, "augment": {}, "options": {}},
                   training={"optimizer": "adam", "lr": 3e-3, "batch_size": 8, "epochs": 1, "seed": 0,
                             "device": "cpu", "max_steps": 3, "layer_stats_every": 0})


@pytest.fixture
def panels(qtbot, request, tmp_path):
    """(state, data panel, train panel) over one AppState, as the window has them."""
    from studio.ui.panels.data import DataPanel
    from studio.ui.panels.train import TrainPanel

    state = AppState(request.param)
    state.mark_saved(tmp_path / "proj.studio.json")  # runs go to tmp_path/runs
    data = DataPanel(state)
    train = TrainPanel(state)
    for page in (data, train):
        qtbot.addWidget(page)
        page.resize(1300, 900)
    data.show()
    qtbot.waitExposed(data)
    settled(qtbot, data, lambda: data.snapshot is not None)
    yield state, data, train
    train.controller.shutdown()
    train.runner.cancel()
    train.runner.wait(30)


def train_one_epoch(qtbot, train) -> list[dict]:
    train.show()
    qtbot.mouseClick(train.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: train.controller.state in ("finished", "stopped", "error"), timeout=120_000)
    assert train.controller.state == "finished", train.error_label.text()
    qtbot.waitUntil(lambda: train.curves.series.epoch.n >= 1, timeout=10_000)  # drawn from the epoch event
    return [e for e in read_metrics(train.controller.run_dir) if e["event"] == "epoch"]


@pytest.mark.slow  # ~20-30 s here: the first training worker of the module starts torch
@pytest.mark.parametrize("panels", [project([1, SIZE, SIZE], 3)], indirect=True)
def test_a_folder_chosen_in_the_form_shows_its_samples_and_trains(qtbot, panels, tmp_path):
    state, data, train = panels
    root = shapes_tree(tmp_path / "shapes")
    data.dataset_box.setCurrentText("folder")
    assert data.error.key() == "needs_input"
    type_into(qtbot, field(data, "root", QLineEdit), str(root))
    settled(qtbot, data, lambda: state.project.data["dataset"] == "folder")
    size = field(data, "image_size", QSpinBox)
    size.setValue(SIZE)
    settled(qtbot, data, lambda: data.snapshot is not None and tuple(data.snapshot.bundle.input_shape) == (1, SIZE, SIZE))
    assert state.project.data["options"] == {"root": str(root), "image_size": SIZE}
    assert shown_classes(data) == ["circle", "square", "triangle"]
    assert not data.gallery.pixmap().isNull(), "the samples are drawn"
    assert data.snapshot.bundle.n_train + data.snapshot.bundle.n_val == 24

    epochs = train_one_epoch(qtbot, train)
    assert len(epochs) == 1 and np.isfinite(epochs[0]["train_loss"]) and "val_accuracy" in epochs[0]


@pytest.mark.parametrize("panels", [project([3], 2)], indirect=True)
def test_a_csv_file_with_its_target_column_shows_its_samples_and_trains(qtbot, panels, tmp_path):
    state, data, train = panels
    path = table(tmp_path / "boxes.csv")
    data.dataset_box.setCurrentText("csv")
    type_into(qtbot, field(data, "path", QLineEdit), str(path))
    settled(qtbot, data, lambda: state.project.data["dataset"] == "csv")
    target = field(data, "target", QComboBox)
    target.setCurrentIndex(target.findText("kind"))
    settled(qtbot, data, lambda: state.project.data["options"].get("target") == "kind")
    assert shown_classes(data) == ["tall", "wide"]
    assert data.snapshot.bundle.notes == "features: width, height, score"
    assert tuple(data.snapshot.bundle.input_shape) == (3,)

    epochs = train_one_epoch(qtbot, train)
    assert len(epochs) == 1 and np.isfinite(epochs[0]["train_loss"])


def one_class(root):
    shapes_tree(root)
    for name in ("square", "triangle"):
        for p in (root / name).iterdir():
            p.unlink()
        (root / name).rmdir()
    return "1 class sub-folder", str(root)


def an_empty_class(root):
    shapes_tree(root)
    (root / "hexagon").mkdir()
    return "holds no images", str(root / "hexagon")


def an_unreadable_image(root):
    shapes_tree(root)
    bad = root / "square" / "000-broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n and nothing an image needs")
    return "not an image Studio can read", str(bad)


@pytest.mark.parametrize("panels", [project([1, SIZE, SIZE], 3)], indirect=True)
@pytest.mark.parametrize("make", [one_class, an_empty_class, an_unreadable_image])
def test_a_bad_folder_is_named_in_the_panel_and_the_project_keeps_its_data(qtbot, panels, tmp_path, make):
    state, data, _train = panels
    root = tmp_path / "bad"
    said, named = make(root)
    before = copy.deepcopy(state.project.data)
    data.dataset_box.setCurrentText("folder")
    type_into(qtbot, field(data, "root", QLineEdit), str(root))
    settled(qtbot, data, lambda: data.error.key() == "load_failed")
    assert said in data.error.text() and named in data.error.text()
    assert data.error.isVisible() and "keeps the data set “digits”" in data.summary.text()
    assert state.project.data == before and state.undo_stack.count() == 0


@pytest.mark.parametrize("panels", [project([1, SIZE, SIZE], 3)], indirect=True)
def test_pictures_of_mixed_sizes_load_resized_to_the_forms_size(qtbot, panels, tmp_path):
    state, data, _train = panels
    root = shapes_tree(tmp_path / "mixed", count=12)
    shapes_tree(tmp_path / "big", count=12, size=40)
    for p in (tmp_path / "big").rglob("*.png"):
        p.rename(root / p.parent.name / f"big-{p.name}")
    Image.new("L", (30, 9), 128).save(root / "circle" / "wide.png")
    data.dataset_box.setCurrentText("folder")
    type_into(qtbot, field(data, "root", QLineEdit), str(root))
    settled(qtbot, data, lambda: state.project.data["dataset"] == "folder")
    field(data, "image_size", QSpinBox).setValue(SIZE)
    settled(qtbot, data, lambda: data.snapshot is not None and tuple(data.snapshot.bundle.input_shape) == (1, SIZE, SIZE))
    bundle = data.snapshot.bundle
    assert bundle.n_train + bundle.n_val == 25 and tuple(bundle.x_train.shape[1:]) == (1, SIZE, SIZE)
    assert not data.error.isVisible()
