"""A user's own data files that cannot be used: each is refused in one line naming the file (or the
option) and the fix, in `load_dataset` and through `studio train` / `studio cam`, never a traceback.

The files are real: a Latin-1 CSV, a garbage "PNG" sorted first in its class folder, a PNG cut off
halfway, and a valid 20000x20000 PNG (one bit per pixel, written row by row with zlib, ~50 kB on
disk; decoded it would take 400 MB as greyscale, 1.2 GB as RGB).
"""

from __future__ import annotations

import json
import math
import time
import warnings
from pathlib import Path

import pytest
from image_files import write_bilevel_png
from PIL import Image

from studio.cli import main
from studio.core.data import load_dataset
from studio.core.errors import UserError


def image_folder(root: Path, per_class: int = 3) -> Path:
    """ROOT/cats and ROOT/dogs with small real PNGs named 1.png, 2.png, ..."""
    for cls, colour in (("cats", (200, 40, 40)), ("dogs", (40, 40, 200))):
        (root / cls).mkdir(parents=True, exist_ok=True)
        for i in range(1, per_class + 1):
            Image.new("RGB", (12, 10), colour).save(root / cls / f"{i}.png")
    return root


def folder_config(root: Path, **options) -> dict:
    return {"dataset": "folder", "options": {"root": str(root), "image_size": 8, **options}, "val_fraction": 0.25}


def refusal(config: dict) -> str:
    with pytest.raises(UserError) as info:
        load_dataset(config)
    text = info.value.one_line()
    assert "\n" not in text
    return text


# --- CSV --------------------------------------------------------------------------------------------


def latin1_csv(path: Path) -> Path:
    rows = ["size,weight,drink"] + [f"{i},{i * 3},{'café' if i % 2 else 'thé'}" for i in range(8)]
    path.write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    return path


def test_a_latin1_csv_is_named_with_the_byte_and_the_fix(tmp_path):
    path = latin1_csv(tmp_path / "drinks.csv")
    text = refusal({"dataset": "csv", "options": {"path": str(path)}})
    offset = path.read_bytes().index(b"\xe9")
    assert str(path) in text and "is not UTF-8 text" in text
    assert f"byte 0xe9 at offset {offset}, line 2" in text
    assert "save it as UTF-8" in text and "data.options.encoding" in text


def test_the_encoding_option_reads_a_latin1_csv(tmp_path):
    path = latin1_csv(tmp_path / "drinks.csv")
    bundle = load_dataset({"dataset": "csv", "options": {"path": str(path), "encoding": "latin-1"}})
    assert bundle.class_names == ["café", "thé"] and bundle.input_shape == (2,)
    text = refusal({"dataset": "csv", "options": {"path": str(path), "encoding": "klingon"}})
    assert "data.options.encoding" in text and "'klingon'" in text


def test_a_utf8_csv_with_a_byte_order_mark_loads_with_clean_column_names(tmp_path):
    path = tmp_path / "excel.csv"
    rows = ["size,weight,drink"] + [f"{i},{i * 3},{'café' if i % 2 else 'thé'}" for i in range(8)]
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(rows) + "\n").encode("utf-8"))
    bundle = load_dataset({"dataset": "csv", "options": {"path": str(path), "target": "drink"}})
    assert bundle.class_names == ["café", "thé"] and bundle.notes == "features: size, weight"


def test_a_picture_given_as_csv_is_named(tmp_path):
    path = tmp_path / "photo.csv"
    Image.new("RGB", (4, 4)).save(path, format="PNG")
    text = refusal({"dataset": "csv", "options": {"path": str(path)}})
    assert str(path) in text and "is not UTF-8 text (byte 0x89 at offset 0, line 1)" in text


# --- image folders ----------------------------------------------------------------------------------


@pytest.mark.parametrize("channels", [None, 3])
def test_a_corrupt_first_image_is_named(tmp_path, channels):
    root = image_folder(tmp_path / "pets")
    bad = root / "cats" / "0-first.png"  # sorts before 1.png: the file the channel count is read from
    bad.write_bytes(b"this is not a picture at all")
    options = {} if channels is None else {"channels": channels}
    text = refusal(folder_config(root, **options))
    assert str(bad) in text and "is not an image Studio can read" in text
    assert "replace or remove" in text


def test_a_truncated_image_elsewhere_is_named(tmp_path):
    root = image_folder(tmp_path / "pets")
    whole = root / "dogs" / "9-last.png"
    Image.effect_noise((64, 64), 80).save(whole)  # noise does not compress: the cut loses pixel rows
    data = whole.read_bytes()
    whole.write_bytes(data[: len(data) // 2])
    text = refusal(folder_config(root))
    assert str(whole) in text and "is not an image Studio can read" in text and "truncated" in text


def test_a_20000_pixel_square_png_is_refused_before_decoding(tmp_path):
    root = image_folder(tmp_path / "pets")
    start = time.perf_counter()
    huge = write_bilevel_png(root / "dogs" / "poster.png", 20000, 20000)
    assert huge.stat().st_size < 200_000
    text = refusal(folder_config(root))
    assert time.perf_counter() - start < 3.0
    assert str(huge) in text and "20000×20000 pixels" in text
    assert "limit" in text and "89.5 megapixels" in text and "scale it down" in text


def test_a_picture_between_pillows_warning_and_error_sizes_is_refused_without_a_warning(tmp_path):
    root = image_folder(tmp_path / "pets")
    big = write_bilevel_png(root / "cats" / "scan.png", 10000, 10000)  # 100 Mpx: Pillow only warns
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = refusal(folder_config(root))
    assert str(big) in text and "10000×10000 pixels" in text
    assert not [w for w in caught if "decompression bomb" in str(w.message).lower()]


def test_a_small_bilevel_png_written_by_the_helper_is_a_real_image(tmp_path):
    """The fixture writer makes valid PNGs: the refusals above are about size, not a broken file."""
    path = write_bilevel_png(tmp_path / "small.png", 300, 200)
    with Image.open(path) as img:
        img.load()
        assert img.size == (300, 200) and img.mode == "1"


@pytest.mark.parametrize("value, needle", [
    ("big", "image_size='big' is not"),
    (0, "image_size=0 is out of range"),
    (100000, "image_size=100000 is out of range"),
    (3, "image_size=3 is out of range"),
    ([16, 16, 16], "image_size=[16, 16, 16] is not"),
    (True, "image_size=True is not"),
    (12.5, "image_size=12.5 is not"),
])
def test_image_size_is_validated(tmp_path, value, needle):
    root = image_folder(tmp_path / "pets")
    text = refusal(folder_config(root, image_size=value))
    assert needle in text and "data.options.image_size" in text and "4 to 4096" in text


def test_image_size_as_height_and_width(tmp_path):
    root = image_folder(tmp_path / "pets")
    bundle = load_dataset(folder_config(root, image_size=[6, 10]))
    assert bundle.input_shape == (3, 6, 10)


def _total_memory() -> int:
    import os

    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def test_a_data_set_too_big_for_memory_is_refused_before_allocating(tmp_path):
    """Enough tiny images that at 4096x4096 RGB the decoded float32 tensor outgrows a quarter of RAM."""
    per_image = 3 * 4096 * 4096 * 4
    per_class = math.ceil(_total_memory() / 4 / per_image / 2) + 1
    if per_class > 2000:
        pytest.skip("this machine has too much memory to reach the limit with a small folder")
    root = tmp_path / "pets"
    for cls in ("cats", "dogs"):
        (root / cls).mkdir(parents=True)
        pixel = Image.new("RGB", (1, 1), (10, 20, 30))
        for i in range(per_class):
            pixel.save(root / cls / f"{i}.png")
    need = 2 * per_class * per_image / 2**30
    start = time.perf_counter()
    text = refusal(folder_config(root, image_size=4096))
    assert time.perf_counter() - start < 3.0
    assert f"the data set would need {need:.1f} GiB at image_size 4096" in text
    assert "use a smaller image_size" in text
    assert f"{2 * per_class} images" in text


def test_shapes_too_big_for_memory_is_refused(tmp_path):
    per_image = 3 * 256 * 256 * 4
    count = min(200_000, math.ceil(_total_memory() / 4 / per_image) + 1)
    if count * per_image <= _total_memory() / 4:
        pytest.skip("this machine has too much memory to reach the limit with 200000 shapes")
    text = refusal({"dataset": "shapes", "options": {"size": 256, "count": count, "channels": 3}})
    assert "the data set would need" in text and "GiB" in text and "use a smaller size or count" in text


# --- the command line -------------------------------------------------------------------------------


def _folder_project(path: Path, root: Path) -> Path:
    from model_layers import shapes_cam_layers

    from studio.core.graph.model import Graph
    from studio.core.project import Project, save_project

    layers = shapes_cam_layers(8, (4,), 4)
    layers[0] = ("input", "Input", {"shape": [3, 8, 8]})
    project = Project(name="pets", graph=Graph.chain(layers), data=folder_config(root),
                      training={"optimizer": "adam", "lr": 1e-2, "batch_size": 4, "epochs": 1, "seed": 0,
                                "device": "cpu"})
    # the tiny 3-class head is enough here; a 2-class folder only needs the class count to agree
    for node in project.graph.nodes:
        if node.id == "fc":
            node.params["out_features"] = 2
    save_project(project, path)
    return path


def cli(args, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_studio_train_names_a_corrupt_first_image(tmp_path, capsys):
    root = image_folder(tmp_path / "pets")
    bad = root / "cats" / "0-first.png"
    bad.write_bytes(b"\x89PNG garbage")
    project = _folder_project(tmp_path / "pets.studio.json", root)
    code, out, err = cli(["train", project, "--out", tmp_path / "run", "--max-steps", "2"], capsys)
    assert code == 1 and "Traceback" not in err and err.count("\n") == 1
    assert err.startswith("studio train: error: ") and str(bad) in err


def test_studio_train_names_a_latin1_csv_and_a_bad_image_size(tmp_path, capsys):
    from studio.core.graph.model import Graph
    from studio.core.project import Project, save_project

    csv_path = latin1_csv(tmp_path / "drinks.csv")
    graph = Graph.chain([("input", "Input", {"shape": [2]}), ("fc", "Linear", {"out_features": 2}),
                         ("head", "ClassificationHead", {})])
    project = tmp_path / "drinks.studio.json"
    save_project(Project(name="drinks", graph=graph, data={"dataset": "csv", "options": {"path": str(csv_path)}},
                         training={"device": "cpu", "epochs": 1}), project)
    code, _, err = cli(["train", project, "--out", tmp_path / "r1"], capsys)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert str(csv_path) in err and "is not UTF-8 text" in err
    folder_project = _folder_project(tmp_path / "pets.studio.json", image_folder(tmp_path / "pets"))
    code, _, err = cli(["train", folder_project, "--data-option", "image_size=100000", "--out", tmp_path / "r2"], capsys)
    assert code == 1 and err.count("\n") == 1 and "image_size=100000 is out of range" in err


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory) -> Path:
    """A real run folder on 8x8 digits (two steps: only its input shape matters here)."""
    from model_layers import digits_cnn_nodes

    from studio.core.graph.model import Graph
    from studio.core.project import Project
    from studio.core.train.trainer import run_training

    run_dir = tmp_path_factory.mktemp("cam-run") / "digits"
    project = Project(name="digits", graph=Graph.chain(digits_cnn_nodes()), data={"dataset": "digits"},
                      training={"device": "cpu", "epochs": 1, "batch_size": 32})
    done = run_training(project, run_dir, {"max_steps": 2})
    assert done["event"] == "done", done
    return run_dir


def test_studio_cam_refuses_a_20000_pixel_image_in_one_line(digits_run, tmp_path, capsys):
    huge = write_bilevel_png(tmp_path / "huge.png", 20000, 20000)
    out = tmp_path / "cam.png"
    start = time.perf_counter()
    code, _, err = cli(["cam", digits_run, "--image", huge, "--out", out], capsys)
    assert time.perf_counter() - start < 3.0
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert str(huge) in err and "20000×20000 pixels" in err and "89.5 megapixels" in err
    assert not out.exists()


def test_studio_cam_names_a_truncated_image(digits_run, tmp_path, capsys):
    path = tmp_path / "cut.png"
    Image.effect_noise((64, 64), 80).save(path)
    path.write_bytes(path.read_bytes()[:300])
    code, _, err = cli(["cam", digits_run, "--image", path, "--out", tmp_path / "o.png", "--json"], capsys)
    assert code == 1 and err.count("\n") == 1 and str(path) in err and "is not an image Studio can read" in err
    good = tmp_path / "seven.png"
    Image.new("L", (8, 8), 0).save(good)
    code, out, err = cli(["cam", digits_run, "--image", good, "--out", tmp_path / "o.png", "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["out"] == str(tmp_path / "o.png")
