"""`studio.core.predict` and `studio predict` for a run trained on sound: a WAV file of a spoken word
(espeak-ng says "seven") gets its class, as a file, as samples at another rate and through the CLI;
an image for the sound model, a sound for an image model and bad waveforms are one-line refusals.

The run is the spoken-digits 1-D CNN trained once per test process (tests/support/spoken_digits_run.py,
shared with the spoken_digits data tests and the Try view's microphone test)."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image
from spoken_digits_run import trained_spoken_digits

from studio.cli import main
from studio.core.audio.wav import load_wav, save_wav
from studio.core.errors import UserError
from studio.core.predict import load_predictor

pytestmark = pytest.mark.xdist_group(name="sound")  # the trained run is shared with the other sound tests


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return trained_spoken_digits(tmp_path_factory)["run_dir"]


@pytest.fixture(scope="module")
def predictor(run_dir):
    return load_predictor(run_dir)


@pytest.fixture(scope="module")
def seven(tmp_path_factory):
    """espeak-ng's "seven" (22,050 Hz, its default voice and rate) as a WAV file."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng")
    path = tmp_path_factory.mktemp("said") / "seven.wav"
    subprocess.run(["espeak-ng", "-w", str(path), "seven"], check=True, capture_output=True, timeout=60)
    return path


def predict_cli(args, capsys):
    code = main(["predict", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_spoken_seven_is_heard_as_seven(predictor, seven):
    assert predictor.input_kind == "sound" and predictor.input_shape == (80, 101)
    answer = predictor.predict(seven, k=3)
    assert answer.best.name == "seven" and answer.best.probability > 0.5, answer.top
    assert answer.input_kind == "sound" and answer.features.shape == (80, 101) and answer.x.shape == (1, 80, 101)
    assert float(answer.features.max()) == 0.0  # the log-mel before normalising: loudest cell at 0 dB
    # the same sound as samples at 48 kHz (the microphone's rate), stereo: the same answer
    wav = load_wav(seven)
    from studio.core.audio.sampling import resample

    loud = resample(wav.mono(), wav.rate, 48000)
    again = predictor.predict(np.stack([loud, loud], axis=1), k=3, sample_rate=48000)
    assert again.best.name == "seven" and abs(again.best.probability - answer.best.probability) < 0.2
    assert abs(again.seconds - wav.seconds) < 0.01


def test_cli_json_and_text(run_dir, seven, capsys):
    code, out, err = predict_cli([run_dir, seven, "--json", "--top", "3"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["predicted"] == report["top"][0] and report["predicted"]["class"] == "seven"
    assert len(report["top"]) == 3 and report["input_kind"] == "sound" and report["input_shape"] == [80, 101]
    assert 0.3 < report["seconds"] < 2.0 and "inverted" not in report and "framed" not in report
    code, out, err = predict_cli([run_dir, seven, "--top", "2"], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("seven (") and lines[1].split()[0] == "seven" and "heard" in lines[-1]


def write_untrained_image_run(path):
    from studio.core.graph.compile import compile_graph
    from studio.core.project import load_project
    from studio.core.resources import TEMPLATES
    from studio.core.train.run_folder import RunFolder

    project = load_project(TEMPLATES / "mnist_cnn.studio.json")
    folder = RunFolder(path)
    folder.write_project(project)
    folder.save_checkpoint("best", {"model": compile_graph(project.graph).state_dict(), "epoch": 0})
    return path


def test_images_for_the_sound_model_and_sounds_for_an_image_model_are_refused(run_dir, seven, tmp_path, capsys):
    picture = tmp_path / "digit.png"
    Image.new("L", (28, 28)).save(picture)
    noise = tmp_path / "noise.wav"
    noise.write_bytes(b"RIFF not really")
    pixels = tmp_path / "pixels.npy"
    np.save(pixels, np.zeros((28, 28), np.uint8))
    image_run = write_untrained_image_run(tmp_path / "mnist")
    cases = [([run_dir, picture], "takes sounds, not an image (digit.png)"),
             ([run_dir, pixels], "an array needs its sample rate"),
             ([run_dir, noise], "not a readable WAV file"),
             ([run_dir, tmp_path / "missing.wav"], "no such file"),
             ([run_dir, seven, "--cam", tmp_path / "cam.png"], "Grad-CAM is for image models"),
             ([image_run, seven], "takes images, not sounds")]
    for args, words in cases:
        code, out, err = predict_cli(args, capsys)
        assert code == 1 and out == "", (args, out)
        assert err.startswith("studio predict: error: ") and words in err, (args, err)
        assert err.count("\n") == 1 and "Traceback" not in err, err


def test_bad_waveforms_are_refused(predictor, tmp_path):
    image_model = load_predictor(write_untrained_image_run(tmp_path / "mnist"))
    cases = [(lambda: predictor.predict(np.zeros((2, 3, 4), np.float32), sample_rate=16000), "is not a sound"),
             (lambda: predictor.predict(np.zeros(0, np.float32), sample_rate=16000), "is not a sound"),
             (lambda: predictor.predict(np.full(800, np.nan, np.float32), sample_rate=16000), "not finite"),
             (lambda: predictor.predict(np.zeros(800, np.float32), sample_rate=0), "is not a positive number"),
             (lambda: predictor.predict(Image.new("L", (28, 28))), "takes sounds, not an image"),
             (lambda: image_model.predict(np.zeros(800, np.float32), sample_rate=16000), "takes images, not sounds")]
    for call, words in cases:
        with pytest.raises(UserError, match=words) as info:
            call()
        assert "\n" not in info.value.one_line()
    # a quiet but real waveform is an answer (ten probabilities), not an error
    path = save_wav(tmp_path / "hum.wav", 0.01 * np.sin(np.arange(16000) / 10).astype(np.float32), 16000)
    assert len(predictor.predict(path).probabilities) == 10
