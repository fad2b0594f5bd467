"""Exporting a GAN run writes its generator, not the training graph's z -> D(G(z)) (issue 13, GAN).

Each test exports a real 2-epoch run of a template: the ONNX file opens in onnxruntime and draws
(N, 1, 28, 28) images in [-1, 1] from noise alone (and the class, for a cGAN), matching PyTorch
within 1e-4; the TorchScript file loads and matches; the Python code runs in a fresh process
and matches; `--network discriminator` gives D's verdict on an image; INT8 and pruning are refused
with their reason.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import onnxruntime
import pytest
import torch

from studio.cli import main
from studio.core.errors import UserError
from studio.core.export.pipeline import ExportOptions, export_run
from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.core.train.trainer import run_training


def _train(tmp_path_factory, template: str) -> str:
    torch.set_num_threads(1)
    run = tmp_path_factory.mktemp(template) / "run"
    final = run_training(load_project(TEMPLATES / f"{template}.studio.json"), run, {"epochs": 2, "device": "cpu"})
    assert final["event"] == "done", final
    return str(run)


@pytest.fixture(scope="module")
def gan_run(tmp_path_factory) -> str:
    return _train(tmp_path_factory, "gan_mlp_digits")


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory) -> str:
    return _train(tmp_path_factory, "cgan_digits")


def _generator(run: str):
    from studio.core.export.run_source import load_run

    return load_run(run).model


def _noise(n: int = 16, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, 100)).astype(np.float32)


def test_onnx_of_a_gan_is_the_generator_noise_in_image_out(gan_run, tmp_path):
    out = tmp_path / "g.onnx"
    report = export_run(gan_run, ExportOptions(format="onnx", out=out, latency=False))
    assert report["passed"] and report["max_abs_diff"] <= 1e-4, report["parity"]
    assert report["interface"] == "Generator: z [100] -> image [1, 28, 28]"
    session = onnxruntime.InferenceSession(str(out))
    assert [i.name for i in session.get_inputs()] == ["z"]
    z = _noise()
    (images,) = session.run(None, {"z": z})
    assert images.shape == (16, 1, 28, 28)
    assert images.min() >= -1.0 and images.max() <= 1.0
    with torch.no_grad():
        expected = _generator(gan_run)(torch.from_numpy(z)).numpy()
    assert np.abs(expected - images).max() <= 1e-4


def test_onnx_of_a_cgan_takes_noise_and_class(cgan_run, tmp_path):
    out = tmp_path / "cg.onnx"
    report = export_run(cgan_run, ExportOptions(format="onnx", out=out, latency=False))
    assert report["passed"], report
    session = onnxruntime.InferenceSession(str(out))
    inputs = session.get_inputs()
    assert [i.name for i in inputs] == ["z", "g_class"] and inputs[1].type == "tensor(int64)"
    z, labels = _noise(10), np.arange(10, dtype=np.int64).reshape(10, 1)
    (images,) = session.run(None, {"z": z, "g_class": labels})
    assert images.shape == (10, 1, 28, 28)
    with torch.no_grad():
        expected = _generator(cgan_run)(torch.from_numpy(z), torch.from_numpy(labels)).numpy()
    assert np.abs(expected - images).max() <= 1e-4
    same_noise = np.repeat(z[:1], 2, axis=0)  # the class changes the picture
    (two,) = session.run(None, {"z": same_noise, "g_class": np.array([[1], [7]], dtype=np.int64)})
    assert np.abs(two[0] - two[1]).max() > 1e-3


def test_torchscript_of_a_cgan_loads_and_matches(cgan_run, tmp_path):
    out = tmp_path / "cg.pt"
    report = export_run(cgan_run, ExportOptions(format="torchscript", out=out, latency=False))
    assert report["passed"], report
    loaded = torch.jit.load(str(out))
    z, labels = torch.from_numpy(_noise(6)), torch.tensor([[0], [1], [2], [3], [4], [5]])
    with torch.no_grad():
        got = loaded(z, labels)
        expected = _generator(cgan_run)(z, labels)
    assert got.shape == (6, 1, 28, 28)
    assert float((got - expected).abs().max()) <= 1e-4


def test_python_code_of_a_generator_runs_standalone_and_matches(cgan_run, tmp_path):
    out = tmp_path / "generator.py"
    report = export_run(cgan_run, ExportOptions(format="python", out=out, latency=False))
    assert report["passed"], report
    code = out.read_text()
    assert "Discriminator" not in code and "d_fc" not in code, "only the generator's layers belong in it"
    z = torch.from_numpy(_noise(4))
    labels = torch.tensor([[2], [3], [5], [8]])
    torch.save({"z": z, "labels": labels}, tmp_path / "inputs.pt")
    script = ("import sys, torch; sys.path.insert(0, '.'); import generator as g;"
              "cls = [c for n, c in vars(g).items() if n.endswith('Generator')][0]; m = cls().eval();"
              "m.load_state_dict(torch.load('generator.pt', weights_only=True));"
              "x = torch.load('inputs.pt');"
              "torch.save(m(x['z'], x['labels']).detach(), 'out.pt')")
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr
    got = torch.load(tmp_path / "out.pt")
    with torch.no_grad():
        expected = _generator(cgan_run)(z, labels)
    assert got.shape == (4, 1, 28, 28)
    assert float((got - expected).abs().max()) <= 1e-4


def test_the_discriminator_on_request_takes_an_image(cgan_run, tmp_path):
    out = tmp_path / "d.onnx"
    report = export_run(cgan_run, ExportOptions(format="onnx", out=out, latency=False, network="discriminator"))
    assert report["passed"], report
    session = onnxruntime.InferenceSession(str(out))
    assert [i.name for i in session.get_inputs()][0] == "image"
    image = np.zeros((3, 1, 28, 28), dtype=np.float32) - 1.0
    (verdict,) = session.run(None, {"image": image, "d_class": np.array([[0], [1], [2]], dtype=np.int64)})
    assert verdict.shape == (3, 1) and ((verdict >= 0) & (verdict <= 1)).all()


def test_int8_and_pruning_are_refused_with_a_reason(gan_run, tmp_path):
    with pytest.raises(UserError, match="INT8 is not offered for GAN runs"):
        export_run(gan_run, ExportOptions(format="onnx", out=tmp_path / "q.onnx", int8="auto"))
    with pytest.raises(UserError, match="pruning is not offered for GAN runs"):
        export_run(gan_run, ExportOptions(format="onnx", out=tmp_path / "p.onnx", prune=0.5))
    assert not (tmp_path / "q.onnx").exists() and not (tmp_path / "p.onnx").exists()


def test_cli_exports_a_gan_run_as_its_generator(gan_run, tmp_path, capsys):
    out = tmp_path / "cli.onnx"
    code = main(["export", gan_run, "--format", "onnx", "--out", str(out), "--no-latency", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["passed"], report
    assert report["network"] == "generator" and report["max_abs_diff"] <= 1e-4
    session = onnxruntime.InferenceSession(str(out))
    assert [i.name for i in session.get_inputs()] == ["z"]
    assert session.get_outputs()[0].name == "image"
    code = main(["export", gan_run, "--format", "onnx", "--out", str(tmp_path / "cli_d.onnx"), "--no-latency",
                 "--network", "discriminator"])
    text = capsys.readouterr().out
    assert code == 0 and "Discriminator: image [1, 28, 28] -> verdict [1]" in text, text
