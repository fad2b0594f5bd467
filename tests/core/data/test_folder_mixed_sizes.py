"""Issue 16: an image folder whose pictures are not all one size.

With no image size chosen each picture would be stretched to the default square without the user
knowing; `studio check`, `studio train` and `data_warnings` (the Data panel's source) name two of
the files with their sizes and say to set Image size. With an image size set they are resized on
purpose: no warning, and the project trains. The files are real PNGs of two sizes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from studio.cli import main
from studio.core.data import load_dataset
from studio.core.data.loader import data_warnings
from studio.core.errors import UserError


def mixed_folder(root: Path) -> Path:
    """ROOT/cats holds 40×30 pictures, ROOT/dogs 64×64 ones (three of each)."""
    for cls, size, colour in (("cats", (40, 30), (200, 40, 40)), ("dogs", (64, 64), (40, 40, 200))):
        (root / cls).mkdir(parents=True, exist_ok=True)
        for i in range(1, 4):
            Image.new("RGB", size, colour).save(root / cls / f"{i}.png")
    return root


def project_file(path: Path, root: Path, **options) -> Path:
    from studio.core.graph.model import Graph
    from studio.core.project import Project, save_project

    graph = Graph.chain([("input", "Input", {"shape": [3, 8, 8]}), ("flat", "Flatten", {}),
                         ("fc", "Linear", {"out_features": 2}), ("head", "ClassificationHead", {})])
    data = {"dataset": "folder", "options": {"root": str(root), **options}, "val_fraction": 0.34}
    save_project(Project(name="pets", graph=graph, data=data,
                         training={"device": "cpu", "epochs": 1, "batch_size": 4, "seed": 0}), path)
    return path


def cli(args, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_mixed_sizes_without_an_image_size_name_two_files_their_sizes_and_the_fix(tmp_path):
    root = mixed_folder(tmp_path / "pets")
    found = data_warnings({"dataset": "folder", "options": {"root": str(root)}})
    assert len(found) == 1
    text = found[0].one_line()
    assert "cats/1.png is 40×30" in text and "dogs/1.png is 64×64" in text and str(root) in text
    assert "set Image size" in text and "stretched to the default 64×64" in text, "the fix, and the size used meanwhile"
    assert data_warnings({"dataset": "image_folder", "options": {"root": str(root)}}), "the alias too"
    bundle = load_dataset({"dataset": "folder", "options": {"root": str(root)}})
    assert bundle.input_shape == (3, 64, 64), "it still loads: the warning does not take the data set away"


def test_one_size_or_a_chosen_size_gives_no_warning(tmp_path):
    root = mixed_folder(tmp_path / "pets")
    assert data_warnings({"dataset": "folder", "options": {"root": str(root), "image_size": 64}}) == []
    for p in (root / "dogs").iterdir():
        Image.new("RGB", (40, 30)).save(p)
    assert data_warnings({"dataset": "folder", "options": {"root": str(root)}}) == []
    assert data_warnings({"dataset": "folder", "options": {"root": str(tmp_path / "nowhere")}}) == [], \
        "a folder that does not load is the loader's to name, not a warning"


def test_studio_check_and_train_warn_then_train_once_an_image_size_is_set(tmp_path, capsys):
    root = mixed_folder(tmp_path / "pets")
    project = project_file(tmp_path / "pets.studio.json", root)
    code, out, _ = cli(["check", project], capsys)
    assert code == 0 and "pets: OK (1 warning)" in out
    line = next(x for x in out.splitlines() if "not all one size" in x)
    assert line.startswith("warning: ") and "cats/1.png is 40×30" in line and "set Image size" in line
    code, out, _ = cli(["check", project, "--json"], capsys)
    report = json.loads(out)
    assert "dogs/1.png is 64×64" in report["data_warnings"][0]["message"]
    assert "set Image size" in report["data_warnings"][0]["fix"]

    code, out, err = cli(["train", project, "--data-option", "image_size=8", "--out", tmp_path / "run",
                          "--max-steps", "2", "--json"], capsys)
    events = [json.loads(x) for x in out.splitlines()]
    assert code == 0, err
    assert not any(e["event"] == "warning" for e in events), "a chosen size resizes them all, silently"
    assert events[-1]["event"] == "done" and events[0]["dataset"]["input_shape"] == [3, 8, 8]

    code, out, err = cli(["train", project, "--out", tmp_path / "run2", "--max-steps", "1"], capsys)
    warned = [x for x in out.splitlines() if x.startswith("warning: ") and "not all one size" in x]
    assert warned and "stretched to the default 64×64" in warned[0]
    assert code == 1 and "gives 64x64 images" in err and "takes 8x8" in err, "unset, 64×64 pictures do not fit the Input"


def test_pictures_lying_in_the_root_instead_of_class_folders_are_named(tmp_path):
    root = tmp_path / "photos"
    root.mkdir()
    for name in ("a.png", "b.png"):
        Image.new("RGB", (8, 8)).save(root / name)
    with pytest.raises(UserError) as info:
        load_dataset({"dataset": "folder", "options": {"root": str(root)}})
    text = info.value.one_line()
    assert "0 class sub-folder(s)" in text and "2 images such as a.png lie in it directly" in text
    assert "make one sub-folder per class" in text
