"""Distillation between Studio objects: the teacher is a trained run, the student another project.

The distilled student is written as a run folder (project.json, best.pt, run.json) like the
trainer's, so it exports, explains and re-opens like any run. With `compare=True` the same
student is also trained on labels alone, from the same initial weights and with the same budget,
and both accuracies go into run.json: the lesson is the difference.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import torch

from studio import __version__
from studio.core.errors import UserError
from studio.core.export.distill import DistillConfig, DistillReport, compare_with_alone, distill
from studio.core.export.measure import torch_accuracy
from studio.core.export.run_source import load_run
from studio.core.export.small_loop import LoopData
from studio.core.project import Project
from studio.core.safe_paths import check_new_folder


def _subset(data: LoopData, n: int | None, seed: int) -> LoopData:
    if not n or n >= data.n:
        return data
    idx = torch.randperm(data.n, generator=torch.Generator().manual_seed(seed))[:n]
    return LoopData(tuple(t[idx] for t in data.inputs), {k: v[idx] for k, v in data.targets.items()})


def distill_run(teacher_run: str | os.PathLike[str], student: Project, out_dir: str | os.PathLike[str],
                config: DistillConfig | None = None, compare: bool = True,
                train_samples: int | None = None) -> dict[str, Any]:
    """Distil the run's model into `student`'s graph on `student`'s dataset; write a run folder.

    `train_samples` limits the labelled training set (distillation helps most when labels are few).
    """
    from studio.core.data import load_dataset
    from studio.core.graph.compile import compile_graph
    from studio.core.train.run_folder import RunFolder

    config = (config or DistillConfig()).check()
    # a new or empty folder only: never a run's own files (e.g. the teacher's), see safe_paths
    check_new_folder(out_dir, option="the student's run folder", how_to_replace="choose another folder")
    teacher = load_run(teacher_run)
    from studio.core.export.gan import REFUSED, GanExportSource

    if isinstance(teacher, GanExportSource):
        raise UserError(REFUSED["distill"], "choose a classifier's run as the teacher")
    torch.manual_seed(config.seed)
    student_model = compile_graph(student.graph)
    student_inputs = [tuple(student_model.input_shapes[n]) for n in student_model.input_nodes]
    if student_inputs != list(teacher.io.input_shapes):
        raise UserError(f"the student takes inputs {student_inputs} but the teacher {list(teacher.io.input_shapes)}",
                        "give the student the teacher's Input shape (and the same dataset)")
    bundle = load_dataset(student.data)
    if "label" not in bundle.y_train:
        raise UserError(f"dataset '{bundle.name}' has no class labels to distil", "use a classification dataset")

    def inputs(x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return (x,) * len(student_model.input_nodes)

    train = _subset(LoopData(inputs(bundle.x_train), dict(bundle.y_train)), train_samples, config.seed)
    val = LoopData(inputs(bundle.x_val), dict(bundle.y_val))
    started = time.perf_counter()
    if compare:
        student_model, report = compare_with_alone(teacher.model, student_model, train, val, config)
    else:
        report = DistillReport(config, torch_accuracy(teacher.model, val.inputs, val.targets["label"]))
        report.losses = distill(teacher.model, student_model, train, config)
        report.student_accuracy = torch_accuracy(student_model, val.inputs, val.targets["label"])
    folder = RunFolder(out_dir)
    folder.write_project(student)
    steps = config.epochs * -(-train.n // config.batch_size)
    folder.save_checkpoint("best", {"model": student_model.state_dict(), "epoch": config.epochs,
                                    "global_step": steps, "best_metric": report.student_accuracy,
                                    "monitor": "val_accuracy", "val_accuracy": report.student_accuracy})
    summary = {"status": "finished", "run_dir": str(Path(out_dir)), "project": student.name,
               "studio_version": __version__, "kind": "distillation", "teacher_run": str(teacher_run),
               "dataset": bundle.describe(), "train_samples": train.n, "distillation": report.to_dict(),
               "best_val_accuracy": report.student_accuracy, "epochs_done": config.epochs, "global_step": steps,
               "total_params": sum(p.numel() for p in student_model.parameters()),
               "teacher_params": sum(p.numel() for p in teacher.model.parameters()),
               "duration_s": time.perf_counter() - started}
    folder.write_summary(summary)
    folder.close()
    return summary
