"""A trained denoiser exports like any run (issue 13, diffusion): its time-step Input gets time
steps, not the image, and no accuracy is claimed for a network that does not classify."""

from __future__ import annotations

import numpy as np
import onnxruntime

from studio.core.export.pipeline import ExportOptions, export_run
from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.core.train.trainer import run_training


def test_a_trained_ddpm_run_exports_to_onnx_with_parity(tmp_path):
    project = load_project(TEMPLATES / "ddpm_digits.studio.json")
    run = tmp_path / "run"
    final = run_training(project, run, {"epochs": 1, "device": "cpu"})
    assert final["event"] == "done", final
    out = tmp_path / "denoiser.onnx"
    report = export_run(run, ExportOptions(format="onnx", out=out))
    assert report["parity"]["passed"], report["parity"]
    assert "accuracy" not in report or not report["accuracy"], report.get("accuracy")
    session = onnxruntime.InferenceSession(str(out))
    names = [i.name for i in session.get_inputs()]
    assert len(names) == 2
    image = np.random.default_rng(0).standard_normal((3, 1, 8, 8)).astype(np.float32)
    steps = np.array([[1], [50], [199]], dtype=np.int64)
    (noise,) = session.run(None, {names[0]: image, names[1]: steps})[:1]
    assert noise.shape == (3, 1, 8, 8) and np.isfinite(noise).all()
