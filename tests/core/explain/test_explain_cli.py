"""`studio cam`: the overlay PNG, the JSON contract, and one-line errors naming what is wrong."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from studio.cli import main
from studio.core.data import load_dataset
from studio.core.explain.render import to_rgb_float, write_png
from studio.core.project import load_project


@pytest.fixture(scope="module")
def shape_image(shapes_run, tmp_path_factory):
    """A validation image of the run's dataset, un-normalised and saved as a PNG, with its box."""
    project = load_project(shapes_run / "project.json")
    data = load_dataset({**project.data, "normalize": False})
    index = int((data.y_val["label"] == 1).nonzero()[0])  # a square
    path = tmp_path_factory.mktemp("img") / "square.png"
    write_png(path, (to_rgb_float(data.x_val[index]) * 255 + 0.5).astype(np.uint8))
    return path, (data.y_val["box"][index] * 32).tolist()


def cam(args, capsys):
    code = main(["cam", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_and_overlay_png(shapes_run, shape_image, tmp_path, capsys):
    image, (x0, y0, x1, y1) = shape_image
    out = tmp_path / "cam.png"
    code, stdout, err = cam([shapes_run, "--image", image, "--out", out, "--json"], capsys)
    assert code == 0, err
    report = json.loads(stdout)
    assert {"method", "layer", "target", "empty", "peak", "out"} <= set(report) and report["empty"] is False
    assert report["method"] == "gradcam" and report["layer"] == "conv4" and report["out"] == str(out)
    assert report["target"] == report["predicted"] == 1 and report["target_name"] == "square"
    row, col = report["peak"]
    assert y0 <= row < y1 and x0 <= col < x1, "the map points at the square"
    png = np.asarray(Image.open(out).convert("RGB"))
    assert png.shape == (256, 256, 3)
    plain = np.asarray(Image.open(image).convert("RGB").resize((256, 256), Image.Resampling.NEAREST))
    assert np.abs(png.astype(int) - plain.astype(int)).mean() > 20  # the heatmap is really drawn on it


def test_method_layer_and_target_choices(shapes_run, shape_image, tmp_path, capsys):
    image, _ = shape_image
    out = tmp_path / "c.png"
    code, stdout, err = cam([shapes_run, "--image", image, "--out", out, "--json", "--method", "Layer-CAM",
                             "--layer", "conv3", "--target", "triangle", "--signed", "--colormap", "viridis"], capsys)
    assert code == 0, err
    report = json.loads(stdout)
    assert (report["method"], report["layer"], report["target"], report["target_name"]) == ("layercam", "conv3", 2, "triangle")
    before = out.read_bytes()
    code, _, err = cam([shapes_run, "--image", image, "--out", out, "--target", "0"], capsys)
    assert code == 1 and "already exists" in err and "--force" in err  # never over a file not asked for
    assert out.read_bytes() == before
    code, stdout, _ = cam([shapes_run, "--image", image, "--out", out, "--target", "0", "--force"], capsys)
    assert code == 0 and "class 0 (circle) at layer conv4" in stdout
    assert out.read_bytes() != before


@pytest.fixture(scope="module")
def empty_at_pool1(mnist_run, tmp_path_factory):
    """A validation digit, saved as a PNG, whose Grad-CAM at pool1 of the MNIST CNN is empty."""
    from studio.core.explain.runs import load_explain_run

    run = load_explain_run(mnist_run)
    data = load_dataset({**run.project.data, "normalize": False})
    folder = tmp_path_factory.mktemp("digits")
    for i in range(40):
        path = folder / f"digit{i}.png"
        write_png(path, (to_rgb_float(data.x_val[i]) * 255 + 0.5).astype(np.uint8))
        if run.cam(run.load_image(path), layer="pool1").empty[0]:
            return path
    raise AssertionError("no digit with an empty map at pool1 among the first 40")


def test_an_empty_map_says_so_names_no_peak_and_draws_no_heatmap(mnist_run, empty_at_pool1, tmp_path, capsys):
    out = tmp_path / "empty.png"
    code, stdout, err = cam([mnist_run, "--image", empty_at_pool1, "--layer", "pool1", "--out", out, "--json"], capsys)
    assert code == 0, err
    report = json.loads(stdout)
    assert report["layer"] == "pool1" and report["empty"] is True and "peak" not in report
    png = np.asarray(Image.open(out).convert("RGB")).astype(int)
    plain = np.asarray(Image.open(empty_at_pool1).convert("RGB").resize(png.shape[1::-1], Image.Resampling.NEAREST))
    assert np.abs(png - plain.astype(int)).max() <= 1  # the digit alone, no flat colour over it
    code, stdout, _ = cam([mnist_run, "--image", empty_at_pool1, "--layer", "pool1", "--out", out, "--force"], capsys)
    assert code == 0 and "the map is empty" in stdout and "no peak" in stdout and "peak at row" not in stdout
    assert "--method layercam" in stdout and "--layer conv2" in stdout
    code, stdout, _ = cam([mnist_run, "--image", empty_at_pool1, "--out", out, "--force", "--json"], capsys)
    report = json.loads(stdout)  # the default layer explains the same digit
    assert report["layer"] == "conv2" and report["empty"] is False and len(report["peak"]) == 2


def test_out_never_names_a_file_of_the_run(shapes_run, shape_image, capsys):
    image, _ = shape_image
    summary = (shapes_run / "run.json").read_bytes()
    code, _, err = cam([shapes_run, "--image", image, "--out", shapes_run / "run.json", "--force"], capsys)
    assert code == 1 and "run.json of the run folder" in err and err.count("\n") == 1
    assert (shapes_run / "run.json").read_bytes() == summary


def test_list_layers(shapes_run, capsys):
    code, stdout, _ = cam([shapes_run, "--list-layers", "--json"], capsys)
    listing = json.loads(stdout)
    assert code == 0 and listing["default"] == "conv4"
    assert [row["layer"] for row in listing["layers"]][1:4] == ["conv1", "relu1", "pool1"]


@pytest.mark.parametrize("case, needle", [
    ("run", "run folder"),
    ("image", "image"),
    ("not_image", "is not an image"),
    ("layer", "no layer named 'conv9'"),
    ("flat_layer", "'fc' has no spatial output"),
    ("target", "unknown target class 'hexagon'"),
    ("method", "unknown CAM method 'magic'"),
])
def test_user_mistakes_are_one_line_errors(shapes_run, shape_image, tmp_path, capsys, case, needle):
    image, _ = shape_image
    args = {
        "run": [tmp_path / "no_such_run", "--image", image],
        "image": [shapes_run, "--image", tmp_path / "missing.png"],
        "not_image": [shapes_run, "--image", shapes_run / "run.json"],
        "layer": [shapes_run, "--image", image, "--layer", "conv9"],
        "flat_layer": [shapes_run, "--image", image, "--layer", "fc"],
        "target": [shapes_run, "--image", image, "--target", "hexagon"],
        "method": [shapes_run, "--image", image, "--method", "magic"],
    }[case]
    code, stdout, err = cam([*args, "--out", tmp_path / "x.png"], capsys)
    assert code == 1 and needle in err
    assert err.count("\n") == 1 and "Traceback" not in err
    if case == "run":
        assert "no_such_run" in err
    if case == "image":
        assert "missing.png" in err
    assert not (tmp_path / "x.png").exists()


def test_real_command_line(shapes_run, shape_image, tmp_path):
    image, _ = shape_image
    out = tmp_path / "cli.png"
    proc = subprocess.run([sys.executable, "-m", "studio", "cam", str(shapes_run), "--image", str(image),
                           "--out", str(out), "--method", "eigencam", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["method"] == "eigencam" and out.is_file()
