"""Knowledge distillation: a small student learns more from the teacher than from labels alone."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from export_projects import chain_project

from studio.core.errors import UserError
from studio.core.export.distill import DistillConfig, distillation_loss
from studio.core.export.distill_run import distill_run
from studio.core.export.pipeline import ExportOptions, export_run
from studio.core.graph.model import Node


def student_project(hidden: int = 16, classes: int = 10):
    return chain_project("tiny student", [
        Node("image", "Input", {"shape": [1, 8, 8]}),
        Node("flat", "Flatten"),
        Node("fc1", "Linear", {"out_features": hidden}),
        Node("relu", "ReLU"),
        Node("fc2", "Linear", {"out_features": classes}),
        Node("head", "ClassificationHead"),
    ])


def test_distilled_student_beats_the_same_student_trained_alone(trained_run, tmp_path):
    # Same initial weights, same 100 labelled samples, same epochs and learning rate; only the loss differs.
    config = DistillConfig(temperature=4.0, weight=0.7, epochs=40, lr=1e-2, batch_size=32, seed=0)
    summary = distill_run(trained_run, student_project(), tmp_path / "student", config, compare=True,
                          train_samples=100)
    report = summary["distillation"]
    assert report["gain"] >= 0.02, report
    assert report["student_accuracy"] > report["alone_accuracy"]
    assert summary["total_params"] < summary["teacher_params"] / 30  # a much smaller model

    # the student is a run folder like any other: it exports and passes the parity check
    out = export_run(tmp_path / "student", ExportOptions(format="onnx", out=tmp_path / "s.onnx", latency=False))
    assert out["passed"] and out["max_abs_diff"] <= 1e-4
    assert out["accuracy"]["after"] == pytest.approx(report["student_accuracy"], abs=1e-6)


def test_loss_mixes_soft_and_hard_terms():
    torch.manual_seed(0)
    student, teacher = torch.randn(8, 10), torch.randn(8, 10)
    labels = torch.randint(0, 10, (8,))
    hard = distillation_loss(student, teacher, labels, temperature=4.0, weight=0.0)
    assert torch.allclose(hard, F.cross_entropy(student, labels))
    assert distillation_loss(teacher, teacher, labels, 4.0, 1.0).abs() < 1e-6  # no gap to the teacher, no loss
    assert distillation_loss(student, teacher, labels, 4.0, 1.0) > 0


def test_student_with_other_classes_is_refused(trained_run, tmp_path):
    config = DistillConfig(epochs=1)
    with pytest.raises(UserError, match="student predicts 5 classes but the teacher 10"):
        distill_run(trained_run, student_project(classes=5), tmp_path / "bad", config)


@pytest.mark.parametrize("field,value", [("temperature", 0.0), ("weight", 1.5), ("epochs", 0)])
def test_bad_settings_are_refused(field, value):
    with pytest.raises(UserError):
        DistillConfig(**{field: value}).check()
