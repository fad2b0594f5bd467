"""Opening an exported .onnx file: top-k on samples and on an image file, using only the file."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from studio.core.errors import UserError
from studio.core.export.inference import OnnxModel
from studio.core.export.onnx_export import export_onnx


@pytest.fixture(scope="module")
def onnx_file(source, tmp_path_factory):
    path = tmp_path_factory.mktemp("infer") / "digits.onnx"
    export_onnx(source.model, source.io, path, source.samples(64))
    return path


def test_topk_on_samples_agrees_with_pytorch(source, onnx_file):
    model = OnnxModel(onnx_file)
    x = source.samples(32)[0]
    predictions = model.topk([x.numpy()], k=3)
    with torch.no_grad():
        probs = torch.softmax(source.model(x), dim=1)
    assert len(predictions) == 32
    for pred, row in zip(predictions, probs, strict=True):
        assert pred.indices[0] == int(row.argmax())
        assert pred.classes[0] == str(int(row.argmax()))  # class names come from the file's metadata
        assert pred.probabilities == sorted(pred.probabilities, reverse=True)
        assert pred.probabilities[0] == pytest.approx(float(row.max()), abs=1e-5)
        assert 0 < sum(pred.probabilities) <= 1 + 1e-6


def test_image_file_is_prepared_like_training_data_and_classified(source, onnx_file, tmp_path):
    """A digit saved as a PNG is read back, normalised from the file's metadata, and recognised."""
    bundle = source.bundle()
    model = OnnxModel(onnx_file)
    mean, std = bundle.mean[0], bundle.std[0]
    correct = 0
    for i in range(20):
        raw = bundle.x_val[i, 0] * std + mean  # undo normalisation: pixel values in [0, 1]
        path = tmp_path / f"digit{i}.png"
        Image.fromarray(np.round(raw.numpy() * 255).clip(0, 255).astype(np.uint8)).save(path)
        prepared = model.prepare_image(path, invert=False)
        assert prepared.shape == (1, 1, 8, 8)
        assert np.abs(prepared[0, 0] - bundle.x_val[i, 0].numpy()).max() < 0.6 / 255 / std + 1e-5
        pred = model.classify_image(path, k=5, invert=None)  # automatic: light digit on dark stays as is
        correct += pred.indices[0] == int(bundle.y_val["label"][i])
    assert correct >= 17


def test_dark_ink_on_white_paper_is_inverted_automatically(source, onnx_file, tmp_path):
    bundle = source.bundle()
    model = OnnxModel(onnx_file)
    raw = (bundle.x_val[0, 0] * bundle.std[0] + bundle.mean[0]).numpy()
    paper = tmp_path / "paper.png"
    Image.fromarray(np.round((1.0 - raw) * 255).clip(0, 255).astype(np.uint8)).save(paper)
    assert np.allclose(model.prepare_image(paper), model.prepare_image(paper, invert=True))


def test_unreadable_inputs_are_refused(onnx_file, tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        OnnxModel(tmp_path / "missing.onnx")
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x08\x07garbage")
    with pytest.raises(UserError):
        OnnxModel(bad)
    not_image = tmp_path / "notes.png"
    not_image.write_text("not an image")
    with pytest.raises(UserError, match="not an image"):
        OnnxModel(onnx_file).classify_image(not_image)
