"""Explaining a trained Studio run: its model, its input preparation and image files.

A run folder holds the project snapshot, the weights and, in run.json, how the training data was
prepared (input shape, per-channel mean and std, class names). An image given to explain must be
prepared the same way, or the network sees something it was never trained on; and the overlay
must undo it again to show the picture the user knows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.explain.cam import CamResult, compute_cam
from studio.core.explain.render import denormalise
from studio.core.project import Project


def graph_forward(model: nn.Module, x: torch.Tensor) -> Any:
    """Feed one image batch to every Input node, as the trainer does (Siamese graphs share it)."""
    inputs = getattr(model, "input_nodes", None)
    return model(*([x] * len(inputs))) if inputs else model(x)


@dataclass
class ExplainRun:
    """A trained model ready to explain, with what is needed to prepare and show its inputs."""

    run_dir: Path
    project: Project
    model: nn.Module
    dataset: dict[str, Any] = field(default_factory=dict)

    @property
    def input_shape(self) -> tuple[int, ...]:
        shapes = getattr(self.model, "input_shapes", None) or {}
        if shapes:
            return tuple(next(iter(shapes.values())))
        return tuple(self.dataset.get("input_shape") or ())

    @property
    def class_names(self) -> list[str]:
        return list(self.dataset.get("class_names") or [])

    @property
    def mean(self) -> list[float] | None:
        return self.dataset.get("mean")

    @property
    def std(self) -> list[float] | None:
        return self.dataset.get("std")

    def require_image_model(self) -> tuple[int, int, int]:
        shape = self.input_shape
        if len(shape) != 3:
            raise UserError(f"the model of {self.run_dir} takes inputs shaped {list(shape)}, not images (C, H, W)",
                            "CAM explains image models; pick a run of a convolutional or vision-transformer project")
        return shape  # type: ignore[return-value]

    def load_image(self, path: str | os.PathLike[str]) -> torch.Tensor:
        """An image file prepared like the training data: (1, C, H, W)."""
        return load_image(path, self.require_image_model(), self.mean, self.std)

    def display(self, x: torch.Tensor) -> torch.Tensor:
        """One prepared image (C, H, W) back in [0, 1] for showing."""
        return denormalise(x, self.mean, self.std)

    def cam(self, x: torch.Tensor, **kwargs: Any) -> CamResult:
        kwargs.setdefault("class_names", self.class_names)
        return compute_cam(self.model, x, forward=graph_forward, **kwargs)


def load_explain_run(run_dir: str | os.PathLike[str], which: str = "best") -> ExplainRun:
    """The run's model (CPU, eval mode) and its data description; UserError naming a bad folder."""
    from studio.core.train.run_folder import load_run_model, open_run_folder, read_summary

    run = open_run_folder(run_dir).path
    project, model = load_run_model(run, which)
    try:
        dataset = dict(read_summary(run).get("dataset") or {})
    except UserError:
        dataset = {}
    return for_explain(ExplainRun(run, project, model, dataset))


def for_explain(run: ExplainRun, bundle: Any = None) -> ExplainRun:
    """`run` as explain shows it: a GAN run becomes its discriminator (`gan_discriminator`), an
    embedding run the classifier its class prototypes make of it (`prototypes`; `bundle`, the run's
    data set when the caller has loaded it already)."""
    from studio.core.explain.prototypes import as_prototype_classifier, is_embedding_only

    if is_embedding_only(run.model):
        return ExplainRun(run.run_dir, run.project, as_prototype_classifier(run.project.data, run.model, bundle),
                          {**run.dataset, "prototypes": True})
    part = gan_discriminator(run.project, run.model)
    if part is None:
        return run
    return ExplainRun(run.run_dir, run.project, part, gan_dataset(part, run.dataset))


GAN_CLASS = "real"
"""The one 'class' of a GAN's discriminator: its verdict, near 1 for an image it takes for real."""


def gan_discriminator(project: Project, model: nn.Module) -> nn.Module | None:
    """For a GAN run, its discriminator alone (image in [-1, 1] in, the verdict out): what explain
    shows of a GAN, e.g. the CAM of "real" on a real digit. None for a graph that is not a GAN.

    A conditional GAN's discriminator also takes the class each image claims to be; explain has no
    way to give it one, so such a run is refused with that reason."""
    from studio.core.export.gan import GanPart
    from studio.core.graph.networks import gan_structure

    structure = gan_structure(project.graph)
    if structure is None:
        return None
    part = GanPart(model, structure, "discriminator").eval()
    if len(part.input_nodes) > 1:
        raise UserError("this is a conditional GAN: its discriminator judges an image together with the class it "
                        "claims to be, and Explain can only give it an image",
                        "explain an unconditional GAN run (the MLP GAN or DCGAN template), or export the "
                        "discriminator with `studio export RUN --network discriminator`")
    return part


def gan_dataset(part: nn.Module, dataset: dict[str, Any]) -> dict[str, Any]:
    """The data description as the discriminator sees it: images in [-1, 1] (mean = std = 0.5 on
    pixels in [0, 1], the range the GAN trainer feeds it) and one output, the verdict "real"."""
    channels = int(part.image_shape[0])
    return {**dataset, "mean": [0.5] * channels, "std": [0.5] * channels, "class_names": [GAN_CLASS],
            "gan": "discriminator", "input_shape": list(part.image_shape)}


def load_image(path: str | os.PathLike[str], shape: tuple[int, int, int], mean: list[float] | None = None,
               std: list[float] | None = None) -> torch.Tensor:
    """Read an image file, convert it to the model's channels and size, normalise it: (1, C, H, W)."""
    from studio.core.data.images import open_user_image

    path = Path(path)
    if shape[0] not in (1, 3):
        raise UserError(f"the model takes {shape[0]}-channel inputs; image files have 1 (grey) or 3 (RGB)")
    return picture_tensor(open_user_image(path, fix="use a PNG or JPEG file"), shape, mean, std, path)


def picture_tensor(picture: Any, shape: tuple[int, int, int], mean: list[float] | None = None,
                   std: list[float] | None = None, path: str | os.PathLike[str] = "the image") -> torch.Tensor:
    """A decoded PIL image converted to the model's channels and size and normalised: (1, C, H, W)
    (`load_image` without the file; `studio.core.predict` feeds it arrays and drawings)."""
    from PIL import Image

    channels, height, width = shape
    if channels not in (1, 3):
        raise UserError(f"the model takes {channels}-channel inputs; pictures have 1 (grey) or 3 (RGB)")
    try:
        img = picture.convert("L" if channels == 1 else "RGB").resize((width, height), Image.Resampling.BILINEAR)
    except (ValueError, OSError) as exc:
        raise UserError(f"cannot convert image {path} to {'grey' if channels == 1 else 'RGB'} ({exc})",
                        "save it as an ordinary RGB or greyscale PNG or JPEG") from None
    pixels = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8)
    x = pixels.view(height, width, channels).permute(2, 0, 1).float().div(255.0)
    if mean is not None and std is not None:
        m = torch.as_tensor(mean, dtype=torch.float32).view(-1, 1, 1)
        s = torch.as_tensor(std, dtype=torch.float32).view(-1, 1, 1)
        x = (x - m) / s
    return x.unsqueeze(0)
