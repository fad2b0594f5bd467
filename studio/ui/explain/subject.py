"""What the Explain panel looks at: a model with everything needed to feed it and to show its inputs.

Two kinds of model can be explained: a Studio run (its project snapshot, its best or latest weights,
its data description and, when the data set can be loaded, its validation images) and a
torchvision classifier (ImageNet classes and normalisation; pretrained weights only when they are
already on disk or can be downloaded, random weights only when the user asks for them). Both end
up as one `Subject`, which the views share. Loading happens on a worker thread; nothing here
touches Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
TORCHVISION_MODELS = ("resnet18", "resnet50", "mobilenet_v3_small", "efficientnet_b0", "densenet121", "vgg11",
                      "convnext_tiny", "vit_b_16")
MAX_SAMPLES = 2000
"""Validation images kept for browsing (enough to find interesting cases, small in memory)."""


@dataclass
class Subject:
    """A model ready to explain, with its inputs' preparation and, when known, sample images."""

    title: str
    model: nn.Module
    input_shape: tuple[int, int, int]
    class_names: list[str]
    mean: list[float] | None
    std: list[float] | None
    forward: Callable[[nn.Module, torch.Tensor], Any] | None = None
    source: str = "run"
    """"run" or "torchvision"."""
    run_dir: Path | None = None
    checkpoint: str = "best"
    checkpoint_mtime: float | None = None
    details: str = ""
    samples: torch.Tensor | None = None
    """(N, C, H, W) validation images, prepared like the training data."""
    labels: torch.Tensor | None = None
    samples_note: str = ""
    """Why there are no samples (the data set could not be loaded), or where they come from."""
    layers: list = field(default_factory=list)
    """Spatial layers (`studio.core.explain.SpatialLayer`) a CAM or activation map can show."""
    default_layer: str | None = None
    conv_layers: list[str] = field(default_factory=list)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def class_name(self, index: int) -> str:
        return self.class_names[index] if 0 <= index < len(self.class_names) else str(index)

    def explainable_layers(self) -> list:
        """Layers that compute something (not the input, not a pass-through copy of another layer)."""
        return [layer for layer in self.layers if not layer.is_input and layer.same_as is None]

    def display(self, x: torch.Tensor) -> torch.Tensor:
        from studio.core.explain.render import denormalise

        return denormalise(x, self.mean, self.std)

    def load_image(self, path: str | Path) -> torch.Tensor:
        from studio.core.explain.runs import load_image

        return load_image(path, self.input_shape, self.mean, self.std)


def _probe(subject: Subject) -> Subject:
    from studio.core.explain import conv_layers, probe_spatial_layers

    x = torch.zeros((1, *subject.input_shape))
    if subject.samples is not None and len(subject.samples):
        x = subject.samples[:1]
    layers, default = probe_spatial_layers(subject.model, x, forward=subject.forward)
    subject.layers, subject.default_layer = layers, default
    subject.conv_layers = conv_layers(subject.model)
    return subject


def load_run_subject(run_dir: str | Path, which: str = "best", with_samples: bool = True) -> Subject:
    """A run's model and, when its data set loads here, its validation images (UserError on a bad folder)."""
    from studio.app.run_store import RunStore
    from studio.core.explain.prototypes import is_embedding_only
    from studio.core.explain.runs import for_explain, graph_forward

    opened = RunStore().open(run_dir)
    explained = opened.explain(which)
    bundle, unloadable = None, None  # the data set, read once for the samples and an embedding's prototypes
    if with_samples or is_embedding_only(explained.model):
        bundle, unloadable = _load_data(opened.project.data)
    run = for_explain(explained, bundle)
    shape = run.require_image_model()
    names = run.class_names or [str(i) for i in range(_output_classes(run.model, shape, graph_forward))]
    summary = opened.summary()
    state = summary.status  # a "running" whose process was killed reads "interrupted"
    file = opened.checkpoint_file(which)
    gan = run.dataset.get("gan") == "discriminator"
    facts = [f"{len(names)} classes", f"input {'×'.join(str(s) for s in shape)}", file.name]
    if gan:  # the Explain panel shows a GAN's discriminator (studio.core.explain.runs.gan_discriminator)
        facts[0] = "GAN discriminator: its verdict 'real' (near 1) is what is explained"
    elif run.dataset.get("prototypes"):  # an embedding net, scored by class prototypes (studio.core.explain.prototypes)
        facts[0] = f"embedding: {len(names)} class prototypes (nearest = predicted)"
    if summary.best_val_accuracy is not None and not gan:
        facts.append(f"best val {100 * summary.best_val_accuracy:.1f}%")
    if state.status == "running":
        facts.append(state.message)
    elif state.status == "interrupted":
        facts.append("training was interrupted (resume it)")
    subject = Subject(
        title=run.project.name or run.run_dir.name, model=run.model, input_shape=shape, class_names=names,
        mean=run.mean, std=run.std, forward=graph_forward, source="run", run_dir=run.run_dir,
        checkpoint=which, checkpoint_mtime=file.stat().st_mtime if file.is_file() else None,
        details=" · ".join(facts),
    )
    if with_samples:
        _attach_samples(subject, bundle, unloadable, signed=gan)
    subject = _probe(subject)
    if gan and subject.conv_layers and subject.conv_layers[-1] in {layer.name for layer in subject.layers}:
        # D's verdict is a saturated sigmoid after batch norm: its last conv layer gives the clearer map
        subject.default_layer = subject.conv_layers[-1]
    return subject


def _output_classes(model: nn.Module, shape: tuple[int, ...], forward) -> int:
    from studio.core.explain.outputs import class_scores, pick_output, run_model

    with torch.no_grad():
        out = pick_output(model, run_model(model, torch.zeros((2, *shape)), forward))
    return int(class_scores(out).shape[1])


def _load_data(data_config: dict[str, Any]) -> tuple[Any, UserError | None]:
    """The run's data set, or None and why it does not load here."""
    from studio.core.data import load_dataset

    try:
        return load_dataset(dict(data_config)), None
    except UserError as exc:
        return None, exc


def _attach_samples(subject: Subject, bundle: Any, unloadable: UserError | None, signed: bool = False) -> None:
    """The run's validation images (`bundle`), prepared as in training (in [-1, 1] for a GAN's
    discriminator, `signed`); a note instead when they cannot be had (`unloadable` says why)."""
    if bundle is None:
        why = unloadable.one_line() if unloadable is not None else "not loaded"
        subject.samples_note = f"the data set cannot be loaded here ({why}); open or drop an image instead"
        return
    if signed:
        from studio.core.train.diffusion import images_in_signed_range

        bundle = images_in_signed_range(bundle)
    if tuple(bundle.x_val.shape[1:]) != tuple(subject.input_shape) or not bundle.x_val.is_floating_point():
        subject.samples_note = "the data set's images do not match the model's input; open or drop an image instead"
        return
    subject.samples = bundle.x_val[:MAX_SAMPLES].float()
    label = None if signed else bundle.y_val.get("label")  # a digit's class is not D's "real"
    if label is not None and label.dim() == 1:
        subject.labels = label[:MAX_SAMPLES].long()
    subject.samples_note = f"{bundle.name} validation set"


def _weights_file(weights) -> Path:
    return Path(torch.hub.get_dir()) / "checkpoints" / Path(weights.url).name


def load_torchvision_subject(name: str, pretrained: bool, download: bool = True) -> Subject:
    """A torchvision classifier for ImageNet images (224×224 RGB).

    Pretrained weights are used when they are in torch's cache, or downloaded when `download` is
    allowed and the network answers; otherwise a UserError says so. Random weights are only used
    when `pretrained` is False, so nobody mistakes an untrained network's heatmaps for real ones.
    """
    try:
        from torchvision import models
    except ImportError:
        raise UserError("torchvision is not installed", "pip install torchvision") from None
    if name not in models.list_models(module=models):
        raise UserError(f"torchvision has no classification model {name!r}", f"choose one of {', '.join(TORCHVISION_MODELS)}")
    weights = models.get_model_weights(name).DEFAULT
    categories = list(weights.meta.get("categories") or [])
    if pretrained:
        cached = _weights_file(weights)
        if not cached.is_file() and not download:
            raise UserError(f"the pretrained weights of {name} are not on this machine ({cached.name})",
                            "connect to the internet once to download them, or choose random weights")
        try:
            model = models.get_model(name, weights=weights)
        except (OSError, RuntimeError) as exc:  # URLError is an OSError: offline
            raise UserError(f"the pretrained weights of {name} could not be downloaded ({type(exc).__name__}); "
                            "Studio is offline or the server is unreachable",
                            "connect to the internet once, or choose random weights to explore the mechanics") from None
        details = f"pretrained on ImageNet ({len(categories)} classes)"
    else:
        torch.manual_seed(0)
        model = models.get_model(name, weights=None)
        details = "RANDOM weights (untrained): heatmaps show the mechanics, not what a trained network sees"
    model.eval()
    subject = Subject(
        title=f"torchvision {name}", model=model, input_shape=(3, 224, 224), class_names=categories,
        mean=list(IMAGENET_MEAN), std=list(IMAGENET_STD), source="torchvision", details=details,
        samples_note="torchvision models have no data set here; open or drop an image",
    )
    return _probe(subject)
