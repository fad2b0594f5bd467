"""The inference view: an .onnx file opened (or dropped) shows top-k with probabilities for samples and images."""

from __future__ import annotations

import numpy as np
import onnxruntime
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from studio.core.data import load_dataset

WAIT_MS = 60_000


def wait_open(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: not panel.inference.task.busy and
                    (panel.inference.model is not None or panel.inference.error.state() == "error"), timeout=WAIT_MS)


def reference_probabilities(path, x: np.ndarray) -> np.ndarray:
    """What onnxruntime alone says for one prepared input (softmax of the logits)."""
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    logits = session.run(None, {session.get_inputs()[0].name: x})[0][0].astype(np.float64)
    e = np.exp(logits - logits.max())
    return e / e.sum()


def test_opening_an_onnx_file_shows_top_k_for_dataset_samples(qtbot, panel, tiny_onnx):
    view = panel.inference
    assert panel.open_onnx(tiny_onnx)
    wait_open(qtbot, panel)
    assert view.model is not None, view.error.detail.text()
    assert view.samples is not None and view.samples.name == "digits", "the file's own run names its dataset"
    assert view.samples.origin == "run"
    view.show_sample(7)
    entries = view.bars.entries()
    assert len(entries) == 5
    probs = [p for _, p in entries]
    assert probs == sorted(probs, reverse=True)
    expected = reference_probabilities(tiny_onnx, view.samples.x[7:8].numpy())
    order = np.argsort(-expected)[:5]
    assert [name for name, _ in entries] == [str(i) for i in order]
    assert np.allclose(probs, expected[order], atol=1e-5)
    assert view.prediction.text().startswith(f"Predicted: {order[0]}")
    truth = view.samples.label_name(7)
    assert f"true class {truth}" in view.caption.text()
    assert view.picture.pixmap() is not None and not view.picture.pixmap().isNull()
    view.k.setValue(3)
    assert len(view.bars.entries()) == 3
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.index == 8


def test_a_dropped_image_is_classified_with_the_open_model(qtbot, panel, tiny_onnx, tmp_path):
    panel.open_onnx(tiny_onnx)
    wait_open(qtbot, panel)
    bundle = load_dataset({"dataset": "digits"})
    index = int((bundle.y_val["label"] == 3).nonzero()[0])
    pixels = panel.inference.samples.picture(index)
    image_path = tmp_path / "three.png"
    Image.fromarray(pixels).resize((64, 64), Image.NEAREST).save(image_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image_path))])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    panel.dropEvent(event)
    view = panel.inference
    assert view.source.value() == "image"
    assert view.caption.text() == "three.png"
    entries = view.bars.entries()
    assert len(entries) == 5 and 0 < entries[0][1] <= 1
    expected = reference_probabilities(tiny_onnx, view.model.prepare_image(image_path))
    assert entries[0][0] == str(int(np.argmax(expected)))
    assert abs(entries[0][1] - float(expected.max())) < 1e-5


def test_a_file_that_is_not_onnx_shows_a_message(qtbot, panel, tmp_path):
    bogus = tmp_path / "broken.onnx"
    bogus.write_bytes(b"not a protobuf")
    panel.open_onnx(bogus)
    wait_open(qtbot, panel)
    assert panel.inference.model is None
    assert panel.inference.error.state() == "error"
    assert "broken.onnx is not a readable ONNX file" in panel.inference.error.detail.text()
