"""Knowledge distillation: a small student learns from a large teacher's softened outputs.

The loss (Hinton et al.) mixes two terms with `weight` = alpha:

    alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T)) + (1 - alpha) * CE(student, labels)

A temperature T > 1 softens the teacher's distribution so the student also learns which wrong
classes look alike ("a 7 is closer to a 1 than to a 0"); T^2 keeps the gradient scale of the
soft term independent of T. The teacher's logits are computed once, before training, since the
teacher does not change. `compare_with_alone` trains the same student from the same
initialisation with the same budget on labels only, which is the comparison that says whether
distillation helped.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from studio.core.errors import UserError
from studio.core.export.measure import torch_accuracy
from studio.core.export.onnx_export import as_outputs, eval_mode
from studio.core.export.small_loop import LoopData, fit


@dataclass
class DistillConfig:
    temperature: float = 4.0
    weight: float = 0.7
    """alpha: share of the soft (teacher) term; 1 - alpha goes to the labels."""
    epochs: int = 10
    lr: float = 1e-3
    batch_size: int = 64
    seed: int = 0

    def check(self) -> DistillConfig:
        if not self.temperature > 0:
            raise UserError(f"distillation temperature {self.temperature} must be positive", "use e.g. 4")
        if not 0.0 <= self.weight <= 1.0:
            raise UserError(f"distillation weight {self.weight} must be between 0 and 1",
                            "use e.g. 0.7 (0 = labels only, 1 = teacher only)")
        if self.epochs < 1:
            raise UserError("distillation needs at least one epoch")
        return self


@dataclass
class DistillReport:
    config: DistillConfig
    teacher_accuracy: float | None = None
    student_accuracy: float | None = None
    alone_accuracy: float | None = None
    losses: list[float] = field(default_factory=list)

    @property
    def gain(self) -> float | None:
        if self.student_accuracy is None or self.alone_accuracy is None:
            return None
        return self.student_accuracy - self.alone_accuracy

    def to_dict(self) -> dict[str, Any]:
        return {"temperature": self.config.temperature, "weight": self.config.weight, "epochs": self.config.epochs,
                "teacher_accuracy": self.teacher_accuracy, "student_accuracy": self.student_accuracy,
                "alone_accuracy": self.alone_accuracy, "gain": self.gain, "losses": list(self.losses)}


def distillation_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor, labels: torch.Tensor,
                      temperature: float, weight: float) -> torch.Tensor:
    t = float(temperature)
    soft = F.kl_div(F.log_softmax(student_logits / t, dim=1), F.log_softmax(teacher_logits / t, dim=1),
                    reduction="batchmean", log_target=True) * (t * t)
    hard = F.cross_entropy(student_logits, labels)
    return weight * soft + (1.0 - weight) * hard


def teacher_logits(teacher: nn.Module, inputs: tuple[torch.Tensor, ...], batch: int = 512) -> torch.Tensor:
    out = []
    with eval_mode(teacher), torch.no_grad():
        for i in range(0, int(inputs[0].shape[0]), batch):
            out.append(as_outputs(teacher(*(t[i:i + batch] for t in inputs)))[0].float())
    return torch.cat(out)


def _check_pair(teacher_out: torch.Tensor, student: nn.Module, inputs: tuple[torch.Tensor, ...]) -> None:
    with eval_mode(student), torch.no_grad():
        s = as_outputs(student(*(t[:2] for t in inputs)))[0]
    if teacher_out.dim() != 2 or s.dim() != 2:
        raise UserError("distillation needs classification outputs (batch, classes) from teacher and student",
                        "distil classification models; other heads have no class distribution to soften")
    if s.shape[1] != teacher_out.shape[1]:
        raise UserError(f"the student predicts {s.shape[1]} classes but the teacher {teacher_out.shape[1]}",
                        "give the student's last layer as many outputs as the teacher's")


def distill(teacher: nn.Module, student: nn.Module, train: LoopData, config: DistillConfig) -> list[float]:
    """Train `student` in place on `train` against `teacher`'s softened outputs; the epoch losses."""
    config.check()
    if "label" not in train.targets:
        raise UserError("distillation needs class labels in the dataset (a 'label' target)")
    soft_targets = teacher_logits(teacher.cpu(), train.inputs)
    _check_pair(soft_targets, student, train.inputs)
    loss_target = {**train.targets, "teacher": soft_targets}

    def loss(outputs: tuple[torch.Tensor, ...], _idx: torch.Tensor, y: dict[str, torch.Tensor]) -> torch.Tensor:
        return distillation_loss(outputs[0], y["teacher"], y["label"], config.temperature, config.weight)

    return fit(student, LoopData(train.inputs, loss_target), config.epochs, loss, lr=config.lr,
               batch_size=config.batch_size, seed=config.seed)


def compare_with_alone(teacher: nn.Module, student: nn.Module, train: LoopData, val: LoopData,
                       config: DistillConfig) -> tuple[nn.Module, DistillReport]:
    """Distil a copy of `student` and train another copy on labels alone, same init and budget.

    Returns the distilled student and a report with both validation accuracies and the teacher's.
    """
    config.check()
    labels = val.targets["label"]
    report = DistillReport(config, teacher_accuracy=torch_accuracy(teacher, val.inputs, labels))
    distilled = copy.deepcopy(student)
    alone = copy.deepcopy(student)
    report.losses = distill(teacher, distilled, train, config)
    fit(alone, LoopData(train.inputs, {"label": train.targets["label"]}), config.epochs,
        lambda outputs, _idx, y: F.cross_entropy(outputs[0], y["label"]), lr=config.lr,
        batch_size=config.batch_size, seed=config.seed)
    report.student_accuracy = torch_accuracy(distilled, val.inputs, labels)
    report.alone_accuracy = torch_accuracy(alone, val.inputs, labels)
    return distilled, report
