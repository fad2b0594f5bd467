"""Run an exported .onnx file: on dataset samples or on an image, with top-k classes and probabilities.

Everything a prediction needs comes from the file: the input shape and the normalisation Studio
wrote into its metadata, and the class names. A file from another exporter still runs (shapes are
read from the graph; classes are then numbered).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.errors import UserError
from studio.core.export import ort
from studio.core.export.onnx_export import read_metadata
from studio.core.export.spec import ModelIO


@dataclass
class Prediction:
    """The top classes for one sample, best first."""

    classes: list[str]
    indices: list[int]
    probabilities: list[float]

    def to_dict(self) -> dict[str, Any]:
        return {"top": [{"class": c, "index": i, "probability": p}
                        for c, i, p in zip(self.classes, self.indices, self.probabilities, strict=True)]}


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _looks_like_probabilities(values: np.ndarray) -> bool:
    return bool(np.all(values >= 0) and np.all(values <= 1) and np.allclose(values.sum(axis=1), 1.0, atol=1e-3))


class OnnxModel:
    """An .onnx file opened in onnxruntime, with its Studio metadata when it has some."""

    def __init__(self, path: str | os.PathLike[str], device: str = "cpu"):
        self.path = Path(path)
        if not self.path.is_file():
            raise UserError(f"ONNX file {self.path} does not exist", "export one with `studio export RUN --format onnx`")
        self.metadata = read_metadata(self.path)
        self.session = ort.open_session(self.path, device=device)
        self.io = self._interface()

    def _interface(self) -> ModelIO:
        if "input_names" in self.metadata:
            return ModelIO.from_metadata(self.metadata)
        inputs = self.session.get_inputs()
        shapes = [tuple(d if isinstance(d, int) else 1 for d in i.shape[1:]) for i in inputs]
        dtypes = ["int64" if "int64" in i.type else "float32" for i in inputs]
        return ModelIO([i.name for i in inputs], shapes, dtypes, [o.name for o in self.session.get_outputs()])

    @property
    def class_names(self) -> list[str]:
        return list(self.io.class_names)

    @property
    def is_generator(self) -> bool:
        """A GAN's generator (export/gan.py): noise (and a class) in, images in [-1, 1] out."""
        return self.io.task == "gan_generator"

    @property
    def is_discriminator(self) -> bool:
        return self.io.task == "gan_discriminator"

    @property
    def is_detector(self) -> bool:
        """A detector exported with decode + NMS inside (export/detection_postprocess.py): its outputs
        are boxes, scores and classes per image."""
        return self.io.output_names[:3] == ["boxes", "scores", "classes"] and "detection_postprocess" in self.metadata

    def detections(self, inputs: tuple[Any, ...] | list[Any]) -> list[dict[str, Any]]:
        """Per image of the batch its boxes, padding dropped: {"boxes" (K, 4) xyxy fractions, "scores" (K,),
        "classes" (K,) int64, "names" [K class names]}, by decreasing score."""
        if not self.is_detector:
            raise UserError(f"{self.path.name} does not output boxes", "export a detection run with "
                            "--detection-postprocess to get boxes, scores and classes from the file")
        boxes, scores, classes = (np.asarray(a) for a in self.run(inputs)[:3])
        names = self.class_names
        out = []
        for b, s, c in zip(boxes, scores, classes, strict=True):
            keep = c >= 0
            out.append({"boxes": b[keep], "scores": s[keep], "classes": c[keep],
                        "names": [names[i] if 0 <= i < len(names) else str(i) for i in c[keep].tolist()]})
        return out

    def generate(self, n: int = 16, seed: int = 0, columns: int = 4) -> tuple[np.ndarray, list[int] | None]:
        """`n` images drawn from seeded noise, tiled `columns` wide as one 8-bit picture ((H, W) grey
        or (H, W, 3)), and the class each was asked for (a cGAN: 0, 1, 2, ... in turn) or None."""
        if not self.is_generator:
            raise UserError(f"{self.path.name} is not a GAN's generator", "export a GAN run to draw images")
        rng = np.random.default_rng(seed)
        inputs, labels = [], None
        classes = max(1, len(self.class_names))
        for shape, dtype in zip(self.io.input_shapes, self.io.input_dtypes, strict=True):
            if dtype == "int64":
                labels = [(seed + i) % classes for i in range(n)]
                inputs.append(np.asarray(labels, dtype=np.int64).reshape(n, *shape))
            else:
                inputs.append(rng.standard_normal((n, *shape)).astype(np.float32))
        images = np.asarray(self.run(inputs)[0], dtype=np.float32)
        if images.ndim != 4 or images.shape[1] not in (1, 3):
            raise UserError(f"{self.path.name} draws outputs of shape {tuple(images.shape)}, not images (N, C, H, W)")
        pixels = np.clip((images + 1.0) * 127.5, 0, 255).round().astype(np.uint8)
        rows = -(-n // columns)
        _, c, h, w = pixels.shape
        grid = np.zeros((rows * h, columns * w, c), dtype=np.uint8)
        for i in range(n):
            r, col = divmod(i, columns)
            grid[r * h:(r + 1) * h, col * w:(col + 1) * w] = pixels[i].transpose(1, 2, 0)
        return (grid[:, :, 0] if c == 1 else grid), labels

    def run(self, inputs: tuple[Any, ...] | list[Any]) -> list[np.ndarray]:
        """Raw outputs for already prepared inputs (one array per model input, batch first)."""
        return ort.run(self.session, list(inputs))

    def probabilities(self, inputs: tuple[Any, ...] | list[Any]) -> np.ndarray:
        """Class probabilities (softmax of the first output unless it already is a distribution)."""
        first = np.asarray(self.run(inputs)[0], dtype=np.float64)
        if first.ndim != 2:
            raise UserError(f"{self.path.name} does not output class scores (its first output has shape "
                            f"{tuple(first.shape)})", "top-k applies to classification models")
        return first if _looks_like_probabilities(first) else softmax(first)

    def topk(self, inputs: tuple[Any, ...] | list[Any], k: int = 5) -> list[Prediction]:
        """The `k` most probable classes of every sample in the batch."""
        probs = self.probabilities(inputs)
        k = max(1, min(int(k), probs.shape[1]))
        names = self.class_names if len(self.class_names) == probs.shape[1] else [str(i) for i in range(probs.shape[1])]
        out = []
        for row in probs:
            order = np.argsort(-row, kind="stable")[:k]
            out.append(Prediction([names[i] for i in order], [int(i) for i in order], [float(row[i]) for i in order]))
        return out

    def prepare_image(self, image: str | os.PathLike[str] | Any, invert: bool | None = None) -> np.ndarray:
        """An image file (or PIL image) as a batch of one, sized, scaled and normalised as in training.

        `invert=None` flips the brightness when that brings the image's mean closer to the
        training data's (dark digits on white paper versus the datasets' light-on-dark).
        """
        if len(self.io.input_shapes) != 1 or len(self.io.input_shapes[0]) != 3:
            raise UserError(f"{self.path.name} does not take one image (its inputs are "
                            f"{[list(s) for s in self.io.input_shapes]})", "run it on dataset samples instead")
        channels, height, width = self.io.input_shapes[0]
        if channels not in (1, 3):
            raise UserError(f"{self.path.name} takes {channels}-channel inputs, not an image")
        picture = _open_image(image).convert("L" if channels == 1 else "RGB").resize((width, height))
        array = np.asarray(picture, dtype=np.float32) / 255.0
        array = array[None] if channels == 1 else array.transpose(2, 0, 1)
        mean = np.asarray(self.io.mean if self.io.mean is not None else [0.0] * channels, np.float32).reshape(-1, 1, 1)
        std = np.asarray(self.io.std if self.io.std is not None else [1.0] * channels, np.float32).reshape(-1, 1, 1)
        if invert is None:
            invert = self.io.mean is not None and abs((1.0 - array.mean()) - mean.mean()) < abs(array.mean() - mean.mean())
        if invert:
            array = 1.0 - array
        return ((array - mean) / std)[None].astype(np.float32)

    def classify_image(self, image: str | os.PathLike[str] | Any, k: int = 5, invert: bool | None = None) -> Prediction:
        return self.topk([self.prepare_image(image, invert)], k)[0]


def _open_image(image: str | os.PathLike[str] | Any):
    from PIL import Image

    from studio.core.data.images import open_user_image

    if isinstance(image, Image.Image):
        return image
    return open_user_image(Path(image), fix="use a PNG or JPEG file")
