"""`studio cam --batch N`: Score-CAM's masked images per forward pass, settable from the command line.

Score-CAM runs one forward pass per activation channel; `--batch` says how many go through at
once (lower on a small GPU). The batch size must not change the map, only how it is computed.
"""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from studio.cli import main
from studio.core.data import load_dataset
from studio.core.explain.render import to_rgb_float, write_png
from studio.core.project import load_project


def _image(shapes_run, folder):
    project = load_project(shapes_run / "project.json")
    data = load_dataset({**project.data, "normalize": False})
    path = folder / "shape.png"
    write_png(path, (to_rgb_float(data.x_val[0]) * 255 + 0.5).astype(np.uint8))
    return path


def test_score_cam_batch_size_is_settable_and_does_not_change_the_map(shapes_run, tmp_path, capsys):
    image = _image(shapes_run, tmp_path)
    reports, pictures = [], []
    for batch in ("3", "64"):
        out = tmp_path / f"scorecam_b{batch}.png"
        code = main(["cam", str(shapes_run), "--image", str(image), "--method", "scorecam", "--batch", batch,
                     "--out", str(out), "--json"])
        printed = capsys.readouterr()
        assert code == 0, printed.err
        reports.append(json.loads(printed.out))
        pictures.append(np.asarray(Image.open(out).convert("RGB")).astype(int))
    assert reports[0]["method"] == "scorecam"
    assert reports[0]["peak"] == reports[1]["peak"]
    assert np.abs(pictures[0] - pictures[1]).max() <= 1, "3 at a time or 64 at a time, the same map"


def test_a_batch_below_one_is_a_one_line_error(shapes_run, tmp_path, capsys):
    image = _image(shapes_run, tmp_path)
    code = main(["cam", str(shapes_run), "--image", str(image), "--method", "scorecam", "--batch", "0",
                 "--out", str(tmp_path / "never.png")])
    err = capsys.readouterr().err
    assert code == 1
    assert "--batch 0 must be at least 1" in err and err.count("\n") == 1
    assert not (tmp_path / "never.png").exists()
