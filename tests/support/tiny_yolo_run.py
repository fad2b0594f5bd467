"""The Tiny YOLO template trained briefly on the multi-object shapes data, once per test process
(the Try view's boxes and `studio predict` on a detector both want it), with validation pictures
saved as the PNG files a user would drop: grey 64x64 images, the data set's normalisation undone."""

from __future__ import annotations

import numpy as np
from PIL import Image

from studio.core.resources import TEMPLATES

TEMPLATE = TEMPLATES / "tiny_yolo_shapes.studio.json"
COUNT, EPOCHS = 320, 3
_TRAINED: dict[str, object] = {}


def trained_tiny_yolo(tmp_path_factory) -> dict:
    """{"run_dir", "bundle"}: the run folder and the data set it trained on (kept for the session)."""
    if "run_dir" not in _TRAINED:
        from studio.core.data import load_dataset
        from studio.core.project import load_project
        from studio.core.train.trainer import run_training

        folder = tmp_path_factory.mktemp("tiny-yolo")
        project = load_project(TEMPLATE)
        project.data["options"]["count"] = COUNT
        done = run_training(project, folder / "run", {"device": "cpu", "epochs": EPOCHS, "batch_size": 16})
        assert done["event"] == "done", done
        _TRAINED.update(run_dir=folder / "run", bundle=load_dataset(project.data), folder=folder)
    return _TRAINED


def validation_pictures(trained: dict, indices: list[int], stem: str) -> list:
    """The validation images at `indices` saved as PNG files beside the run."""
    bundle = trained["bundle"]
    out = []
    for i in indices:
        pixels = (bundle.x_val[i, 0] * bundle.std[0] + bundle.mean[0]).clamp(0, 1).mul(255).round().byte().numpy()
        out.append(trained["folder"] / f"{stem}{i}.png")
        Image.fromarray(pixels, "L").save(out[-1])
    return out


def busiest_validation_image(trained: dict) -> int:
    """The validation image with the most shapes."""
    return int(np.argmax(trained["bundle"].y_val["count"].numpy()))
