"""`studio.core.predict` and `studio predict`: a drawn digit gets its class, the JSON contract, and
one-line refusals of inputs and runs that cannot be answered.

One run of the shipped MNIST CNN template trained on `digits` (tests/support/mnist_template_run.py,
shared with the Explain and Try view tests in one session)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from mnist_template_run import TEMPLATE, train_mnist_template
from PIL import Image, ImageDraw

from studio.cli import main
from studio.core.errors import UserError
from studio.core.predict import array_picture, frame_ink, load_predictor

PAD = 280
BRUSH = 24

# Digits as a person draws them on the Try view's pad: one or two strokes, white on black.
ELLIPSE = [(140 + 60 * math.cos(a), 140 + 95 * math.sin(a)) for a in np.linspace(0, 2 * math.pi, 40)]
DRAWN = {
    0: [ELLIPSE],
    3: [[(80, 60), (180, 50), (190, 100), (130, 140), (195, 180), (180, 230), (80, 235)]],
    4: [[(170, 240), (170, 40), (70, 170), (220, 170)]],
    7: [[(70, 50), (210, 50), (120, 240)]],
}


def drawing(strokes, size=PAD, offset=(0, 0), scale=1.0) -> np.ndarray:
    """(size, size) uint8: the strokes drawn with a round brush, as the pad draws them."""
    image = Image.new("L", (size, size), 0)
    pen = ImageDraw.Draw(image)
    for stroke in strokes:
        points = [(offset[0] + x * scale, offset[1] + y * scale) for x, y in stroke]
        width = max(2, int(BRUSH * scale))
        pen.line(points, fill=255, width=width, joint="curve")
        for x, y in (points[0], points[-1]):
            pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=255)
    return np.asarray(image)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return train_mnist_template(tmp_path_factory.mktemp("predict") / "mnist_run")


@pytest.fixture(scope="module")
def predictor(run_dir):
    return load_predictor(run_dir)


def test_clearly_drawn_digits_get_their_class(predictor):
    for digit, strokes in DRAWN.items():
        answer = predictor.predict(drawing(strokes), k=3)
        assert answer.best.index == digit and answer.best.name == str(digit), (digit, answer.top)
        assert answer.best.probability > 0.5 and answer.framed and not answer.inverted
        probs = [t.probability for t in answer.top]
        assert probs == sorted(probs, reverse=True) and len(answer.top) == 3
        assert abs(sum(answer.probabilities) - 1.0) < 1e-4 and len(answer.probabilities) == 10
        assert tuple(answer.x.shape) == (1, 1, 28, 28)


def test_a_small_digit_in_a_corner_is_framed_like_the_training_digits(predictor):
    """Drawn at a third of the size in the top-left corner: framing centres and scales the ink, so
    the network sees what it saw in training (without framing it is far less sure: 0.35 here)."""
    small = drawing(DRAWN[7], offset=(10, 10), scale=0.33)
    framed, plain = predictor.predict(small), predictor.predict(small, as_is=True)
    assert framed.best.index == 7 and framed.framed and not plain.framed
    assert framed.probabilities[7] > plain.probabilities[7] + 0.3
    framed = frame_ink(Image.fromarray(small), predictor.ink_fill)
    assert framed is not None and framed.size[0] == framed.size[1] < 120
    blank = np.zeros((PAD, PAD), np.uint8)
    assert frame_ink(Image.fromarray(blank), 1.0) is None  # no ink, nothing to frame


def test_dark_ink_on_white_paper_is_inverted(predictor, tmp_path):
    paper = tmp_path / "paper.png"
    Image.fromarray(255 - drawing(DRAWN[4])).save(paper)
    answer = predictor.predict(paper)
    assert answer.inverted and answer.best.index == 4
    assert not predictor.predict(paper, as_is=True).inverted


def test_arrays_in_every_layout_and_the_cam(predictor):
    grey = drawing(DRAWN[0])
    floats = grey.astype(np.float32) / 255.0
    for array in (grey, floats, grey[:, :, None], np.repeat(grey[:, :, None], 3, axis=2), grey[None]):
        assert predictor.predict(array).best.index == 0
    answer = predictor.predict(grey, cam=True)
    assert answer.cam is not None and answer.cam.layer and answer.cam.targets == [0]
    assert tuple(answer.cam.heatmap.shape) == (1, 28, 28)
    picture = predictor.overlay(answer, size=(56, 56))
    assert picture.shape == (56, 56, 3) and picture.dtype == np.uint8
    assert answer.to_json()["cam"]["target"] == 0


def test_arrays_that_are_not_pixels_are_refused():
    for array, words in ((np.zeros(16000, np.float32), "shaped [16000]"),
                         (np.full((8, 8), 300.0), "from 300 to 300"),
                         (np.full((8, 8), np.nan), "not pixels"),
                         (np.zeros((8, 8, 5), np.uint8), "shaped [8, 8, 5]")):
        with pytest.raises(UserError, match=words.replace("[", r"\[")):
            array_picture(array, (1, 28, 28))


def predict_cli(args, capsys):
    code = main(["predict", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_and_text(run_dir, tmp_path, capsys):
    digit = tmp_path / "seven.png"
    Image.fromarray(drawing(DRAWN[7])).save(digit)
    code, out, err = predict_cli([run_dir, digit, "--json", "--top", "3"], capsys)
    assert code == 0, err
    report = json.loads(out)  # one object
    assert {"run_dir", "input", "predicted", "top", "input_shape", "inverted", "framed", "checkpoint"} <= set(report)
    assert report["predicted"] == report["top"][0] and len(report["top"]) == 3
    assert report["predicted"]["class"] == "7" and report["predicted"]["index"] == 7
    assert set(report["top"][0]) == {"class", "index", "probability"} and report["input_shape"] == [1, 28, 28]
    assert "cam" not in report

    cam = tmp_path / "cam.png"
    array = tmp_path / "seven.npy"
    np.save(array, drawing(DRAWN[7]))
    code, out, err = predict_cli([run_dir, array, "--json", "--cam", cam], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["predicted"]["index"] == 7 and len(report["top"]) == 5
    assert report["cam"]["out"] == str(cam) and report["cam"]["target"] == 7 and "layer" in report["cam"]
    assert Image.open(cam).size == (280, 280)  # 28 x 28 enlarged to at least 256

    code, out, err = predict_cli([run_dir, digit, "--top", "2"], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("7 (") and lines[1].split()[0] == "7" and len(lines) >= 3


def write_untrained_run(path, template: str):
    """A run folder holding a template's project and freshly initialised weights."""
    from studio.core.graph.compile import compile_graph
    from studio.core.project import load_project
    from studio.core.train.run_folder import RunFolder

    project = load_project(TEMPLATE.parent / f"{template}.studio.json")
    folder = RunFolder(path)
    folder.write_project(project)
    folder.save_checkpoint("best", {"model": compile_graph(project.graph).state_dict(), "epoch": 0})
    return path


@pytest.mark.parametrize(("template", "words"), [
    ("gan_mlp_digits", "is a GAN run"),
    ("ddpm_digits", "is a diffusion run"),
    ("unet", "has no classification head (its heads: segmentation)"),
    ("lstm_rows", "not images"),
])
def test_runs_that_name_no_class_of_an_image_are_refused(template, words, tmp_path, capsys):
    run = write_untrained_run(tmp_path / template, template)
    image = tmp_path / "digit.png"
    Image.fromarray(drawing(DRAWN[7])).save(image)
    code, out, err = predict_cli([run, image], capsys)
    assert code == 1 and out == ""
    assert err.startswith("studio predict: error: ") and words in err, err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_inputs_are_one_line_errors(run_dir, tmp_path, capsys):
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    wave = tmp_path / "wave.npy"
    np.save(wave, np.zeros(16000, np.float32))
    pickled = tmp_path / "objects.npy"
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    cases = [([run_dir, text], "is not an image Studio can read"),
             ([run_dir, tmp_path / "missing.png"], "does not exist"),
             ([run_dir, wave], "shaped [16000] is not an image"),
             ([run_dir, pickled], "not a numpy array file Studio can read"),
             ([run_dir, text, "--top", "0"], "--top 0 must be at least 1"),
             ([tmp_path / "nowhere", text], "does not exist")]
    for args, words in cases:
        code, out, err = predict_cli(args, capsys)
        assert code == 1 and out == "", (args, out)
        assert words in err and err.count("\n") == 1 and "Traceback" not in err, err
