"""What a file dropped on the main window is, and so which panel takes it.

Kept free of widgets so the routing rules are easy to read and test: a project file opens; a run
folder or one of its checkpoints opens the run's project with its trained weights (selected in
Explain and Export); any other .pt/.pth file opens File > Import model on it; an .onnx file opens
Export's inference view (File > Import model imports one); an image goes to Explain; a WAV
file to the Audio lab; a folder of class folders (images in sub-folders) or a .csv table becomes the
Data panel's data set.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from studio.app.run_store import RunStore
from studio.core.data.user_files import IMAGE_SUFFIXES
from studio.core.project import SUFFIX
from studio.core.train.run_layout import PROJECT as PROJECT_FILE

PROJECT, RUN, ONNX, IMAGE, WAV = "project", "run", "onnx", "image", "wav"
IMAGE_FOLDER, CSV, MODEL = "image_folder", "csv", "model"
_LOOKED_AT = 200
"""Entries of a dropped folder looked at to tell a folder of class folders (the loader reads them all)."""


def is_image(path: Path) -> bool:
    """An image file by its name: the suffixes the core reads in an image-folder data set, so the app
    offers and accepts the same images everywhere."""
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def image_patterns() -> str:
    """The image suffixes as a file dialog's filter patterns (`*.bmp *.gif ...`)."""
    return " ".join(f"*{suffix}" for suffix in sorted(IMAGE_SUFFIXES))


def run_folder_of(path: Path) -> Path | None:
    """The run folder a path is or sits in (a folder with project.json and a checkpoint)."""
    run = RunStore().run_at(path)
    return run.path if run is not None else None


def is_class_folder_tree(path: Path) -> bool:
    """A folder with a sub-folder that holds an image: what an image-folder data set looks like (the
    loader says what else it needs, e.g. a second class)."""
    try:
        subfolders = [p for p in islice(Path(path).iterdir(), _LOOKED_AT)
                      if p.is_dir() and not p.name.startswith(".")]
        for folder in subfolders:
            if any(is_image(f) for f in islice(folder.iterdir(), _LOOKED_AT)):
                return True
    except OSError:
        return False
    return False


def classify_drop(path: Path) -> str | None:
    """The kind of a dropped path, or None when Studio has nothing to do with it."""
    path = Path(path)
    name = path.name.lower()
    if path.is_dir():
        if run_folder_of(path):
            return RUN
        return IMAGE_FOLDER if is_class_folder_tree(path) else None
    if name.endswith(".pt") and run_folder_of(path):
        return RUN
    if name.endswith(SUFFIX) or (name.endswith(".json") and name != PROJECT_FILE):
        return PROJECT
    if name == PROJECT_FILE:
        return RUN if run_folder_of(path) else PROJECT
    if name.endswith((".pt", ".pth")):
        return MODEL  # not a run's checkpoint: a model made elsewhere, offered for import
    if name.endswith(".onnx"):
        return ONNX  # most often one Studio exported: tried in Export (File > Import model takes it too)
    if is_image(path):
        return IMAGE
    if name.endswith(".wav"):
        return WAV
    if name.endswith(".csv"):
        return CSV
    return None
