"""Export a run in one call: optional pruning, the chosen format, optional INT8, checks and timings.

This is what `studio export` and the Export panel run. The order matters: pruning happens on the
PyTorch model (and is made permanent) before any file is written; INT8 applies to the exported
file (onnxruntime) or to the PyTorch model (TorchScript); every written file is checked against
the PyTorch model it came from, and INT8 is judged by the accuracy it keeps and by its speed
against fp32 (`int8_route`: the default route is the fastest that keeps the accuracy budget, and
an INT8 file slower than fp32 makes the verdict "warn", not "pass").
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import UserError
from studio.core.export import int8_route, measure, ort
from studio.core.export.int8_route import BUDGET_POINTS as INT8_ACCURACY_BUDGET_POINTS
from studio.core.export.int8_route import RouteChoice
from studio.core.export.onnx_export import ExportResult, check_parity, export_onnx
from studio.core.export.run_source import ExportSource, load_run
from studio.core.safe_paths import NewOutputs, check_new_folder, check_new_output

FORMATS = ("onnx", "torchscript", "python", "state_dict")
INT8_MODES = int8_route.REQUESTS


@dataclass
class ExportOptions:
    format: str = "onnx"
    out: str | os.PathLike[str] = "model.onnx"
    int8: str | None = None
    """None (fp32), "auto" (the fastest route that keeps the accuracy budget, measured), "dynamic" or
    "static" (static calibrates on training samples; ONNX only). TorchScript has one route (PyTorch
    dynamic), which "auto" and "dynamic" both name."""
    prune: float | None = None
    structured: bool = False
    finetune_epochs: int = 0
    which: str = "best"
    samples: int = 256
    latency: bool = True
    opset: int = 17
    force: bool = False
    """Replace files that already exist at `out` (never a run folder's own files, see safe_paths)."""
    network: str | None = None
    """For a GAN run: "generator" (the default) or "discriminator" (export/gan.py); None elsewhere."""
    detection_postprocess: bool = False
    """For a detector (ONNX only): decoding and NMS inside the file, which then gives boxes, scores and
    classes instead of the raw grid (export/detection_postprocess.py)."""

    def check(self) -> ExportOptions:
        if self.format not in FORMATS:
            raise UserError(f"unknown export format {self.format!r}", f"use one of {', '.join(FORMATS)}")
        if self.int8 is not None and self.int8 not in INT8_MODES:
            raise UserError(f"unknown INT8 mode {self.int8!r}", f"use one of {', '.join(INT8_MODES)}")
        if self.int8 and self.format in ("python", "state_dict"):
            raise UserError(f"INT8 applies to ONNX and TorchScript files, not to {self.format} export",
                            "use --format onnx --int8 (or torchscript)")
        if self.int8 == "static" and self.format != "onnx":
            raise UserError("static INT8 (calibrated activations) is an onnxruntime feature", "use --format onnx")
        if self.prune is not None and not 0.0 < float(self.prune) < 1.0:
            raise UserError(f"--prune {self.prune} must be a fraction between 0 and 1",
                            "e.g. --prune 0.5 removes half of each layer's weights")
        if self.samples < 1:
            raise UserError("--samples must be at least 1")
        if self.detection_postprocess and (self.format != "onnx" or self.int8 or self.prune):
            raise UserError("--detection-postprocess applies to an fp32 ONNX export without pruning",
                            "use --format onnx without --int8 and --prune, or leave the option out")
        from studio.core.export.gan import NETWORKS

        if self.network is not None and self.network not in NETWORKS:
            raise UserError(f"unknown network {self.network!r}", f"use one of {', '.join(NETWORKS)}")
        return self


def _prune(source: ExportSource, options: ExportOptions, report: dict[str, Any]):
    from studio.core.export.prune import prune_model
    from studio.core.export.small_loop import LoopData

    fine_tune = None
    if options.finetune_epochs > 0:
        bundle = source.bundle()
        if bundle is None:
            raise UserError("fine-tuning after pruning needs the project's dataset, which cannot be loaded",
                            source.data_note() or "check the project's data section")
        fine_tune = LoopData(source.inputs_for(bundle.x_train), dict(bundle.y_train))
    model, prune_report = prune_model(source.model, float(options.prune), options.structured,
                                      example=source.samples(8), fine_tune=fine_tune,
                                      fine_tune_epochs=options.finetune_epochs)
    report["prune"] = prune_report.to_dict()
    return model


def _accuracy(report: dict[str, Any], key: str, value: float | None) -> None:
    if value is not None:
        report.setdefault("accuracy", {})[key] = value


def _latencies(model: torch.nn.Module | None, onnx_path: Path | None, samples: tuple[torch.Tensor, ...],
               report: dict[str, Any]) -> None:
    """`latency_ms` (medians) and `latency_iqr_ms` (quartiles) of the exported file in onnxruntime and
    of its PyTorch model, per device and batch. Each engine is timed on its own: side by side, the
    idle threads of one engine's pool would take the cores from the other's calls."""
    medians, spreads = report["latency_ms"], report.setdefault("latency_iqr_ms", {})
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    for device in devices:
        for batch in (1, 64):
            timings = {}
            if onnx_path is not None and (device == "cpu" or ort.cuda_available()):
                call = measure.ort_runner(onnx_path, samples, batch, device)
                timings["onnxruntime"] = measure.time_call(call)
            if model is not None and not (device == "cuda" and _is_quantized(model)):
                with measure.torch_runner(model, samples, batch, device) as call:
                    timings["pytorch"] = measure.time_call(call)
            for engine, timing in timings.items():
                medians[f"{engine}_{device}_b{batch}"] = timing.median_ms
                spreads[f"{engine}_{device}_b{batch}"] = timing.iqr()


def _is_quantized(model: torch.nn.Module) -> bool:
    return any(type(m).__module__.startswith("torch.ao.nn.quantized") for m in model.modules())


def _onnx(source: ExportSource, model, options: ExportOptions, samples, labelled, report: dict[str, Any],
          progress: Progress | None = None, io_spec=None) -> ExportResult:
    from studio.core.export import quantize

    out = Path(options.out)
    meta = {"source_run": str(source.run_dir or ""), "checkpoint_epoch": source.checkpoint.get("epoch", "")}
    if "prune" in report:
        meta["pruning"] = report["prune"]
    if "detection_postprocess" in report:
        meta["detection_postprocess"] = report["detection_postprocess"]
    if not options.int8:
        return export_onnx(model, io_spec or source.io, out, samples, options.opset, meta)
    with tempfile.TemporaryDirectory(prefix="studio-export-") as tmp:
        fp32 = export_onnx(model, source.io, Path(tmp) / "fp32.onnx", samples, options.opset, meta)
        report["fp32_bytes"] = fp32.bytes
        report["fp32_parity"] = fp32.parity.to_dict()
        _tell(progress, "quantize", 0.55)
        routes = int8_route.routes_for(options.int8)
        calibration = source.samples(512, split="train") if "static" in routes else None
        held_out = labelled if labelled is not None else (samples, None)
        choice = int8_route.choose_route(fp32.out, tmp, options.int8, calibration, held_out, samples)
        shutil.copyfile(choice.chosen.path, out)
    _int8_report(choice, report)
    result = ExportResult("onnx", out, out.stat().st_size)
    parity = check_parity(ort.open_session(out), model, samples, float("inf"), list(source.io.output_names))
    parity.tolerance = None
    result.parity = parity
    report["size_ratio"] = report["fp32_bytes"] / result.bytes
    report["size_change"] = quantize.size_change(report["fp32_bytes"], result.bytes)
    grew = (" (the scales and quantize nodes INT8 adds outweigh the few weights it shrank: for this model, "
            "export in fp32, INT8 off)" if result.bytes > report["fp32_bytes"] else "")
    result.notes.append(f"INT8 ({choice.chosen.route}): the file is {quantize.compared_to(report['fp32_bytes'], result.bytes)}"
                        f"{grew}; "
                        "max_abs_diff is to the fp32 PyTorch model (quantization error)")
    return result


def _int8_report(choice: RouteChoice, report: dict[str, Any]) -> None:
    """`int8` (routes tried, the one shipped, its speed against fp32) and a warning when the shipped
    INT8 model runs slower than fp32, saying what to do instead."""
    report["int8"] = choice.to_dict()
    slow = choice.slower_than_fp32()
    if not slow:
        return
    fix = "export in fp32 (INT8 off) if speed matters more than file size"
    if choice.requested in int8_route.ONNX_ROUTES:
        fix = f"try the INT8 route auto, which measures every route, or {fix}"
    report["warnings"].append(f"INT8 ({choice.chosen.route}) runs slower than fp32 in {choice.engine}: "
                              f"{choice.speed_words(slow)}: {fix}")


Progress = Callable[[str, float], None]
"""Called with a stage key (see STAGES) and the share of the work done, from the exporting thread."""

STAGES = ("load", "accuracy", "prune", "write", "quantize", "check", "latency", "done")


@dataclass
class Exported:
    """An export's report plus the objects a before/after comparison needs."""

    report: dict[str, Any]
    source: ExportSource
    model: torch.nn.Module
    """The PyTorch model the file was written from (pruned and/or PyTorch-INT8 where asked)."""


def output_paths(options: ExportOptions, project_name: str | None = None) -> list[Path]:
    """Every file the export will write, resolved, after checking each may be written (safe_paths):
    the main file, the weights beside Python code, the files inside a state_dict folder.

    `project_name` names the state_dict folder's .studio.json; without it only the folder is checked.
    """
    from studio.core.export.code_export import python_files, state_files

    if options.format == "state_dict":
        folder = check_new_folder(options.out, options.force)
        return state_files(folder, project_name) if project_name is not None else []
    if options.format == "python":
        return [check_new_output(p, options.force) for p in python_files(options.out)]
    return [check_new_output(options.out, options.force)]


def export_run(run_dir: str | os.PathLike[str], options: ExportOptions, progress: Progress | None = None) -> dict[str, Any]:
    """Export the run's model as `options` say; a JSON-ready report (see docs/export.md)."""
    options.check()
    output_paths(options)  # refuse a bad --out before the (slower) loading of the run
    _tell(progress, "load", 0.0)
    return export_source(load_run(run_dir, options.which, options.network), options, progress).report


def _tell(progress: Progress | None, stage: str, done: float) -> None:
    if progress is not None:
        progress(stage, done)


def export_source(source: ExportSource, options: ExportOptions, progress: Progress | None = None) -> Exported:
    """Export an already loaded run (the Export panel keeps the source for its comparison table)."""
    from studio.core.export import code_export, quantize, torchscript_export
    from studio.core.export.gan import GanExportSource, refusal

    options.check()
    gan = source if isinstance(source, GanExportSource) else None
    refused = refusal(source, options.int8, options.prune)
    if refused:
        raise UserError(refused)
    run_dir = source.run_dir
    report: dict[str, Any] = {"format": options.format, "run_dir": str(run_dir), "notes": [], "warnings": []}
    if gan is not None:
        report["network"] = gan.part.network
        report["interface"] = (gan.part.describe() if options.format != "state_dict" else
                               "both networks (the whole GAN graph, re-opened by Studio as a run)")
    _tell(progress, "accuracy", 0.1)
    samples = source.samples(options.samples)
    labelled = source.labels("val")
    model = source.model
    if labelled is not None:
        _accuracy(report, "before", measure.torch_accuracy(model, *labelled))
    if options.prune:
        _tell(progress, "prune", 0.2)
        model = _prune(source, options, report)
    io_spec = None
    if options.detection_postprocess:
        from studio.core.export.detection_postprocess import wrap_detector

        model, io_spec = wrap_detector(model, source.io, source.summary)
        report["detection_postprocess"] = model.settings()
    _tell(progress, "write", 0.4)
    onnx_path = None
    needed = sum(t.numel() * t.element_size() for t in model.state_dict().values() if isinstance(t, torch.Tensor))
    # Checked, then guarded: nothing that existed is replaced unless --force, and a write that
    # fails (disk full, read-only) removes what it half wrote and puts any replaced file back.
    with NewOutputs(output_paths(options, source.project.name), options.force, needed_bytes=needed):
        if options.format == "onnx":
            result = _onnx(source, model, options, samples, labelled, report, progress, io_spec)
            onnx_path = result.out
            _tell(progress, "check", 0.7)
            if labelled is not None:
                _accuracy(report, "after", measure.ort_accuracy(result.out, *labelled))
        elif options.format == "torchscript":
            if options.int8:
                _tell(progress, "quantize", 0.45)
                quantized = quantize.quantize_torch_dynamic(model)
                _int8_report(int8_route.torch_route(model, quantized, samples), report)
                model = quantized
            result = torchscript_export.export_torchscript(model, source.io, options.out, samples)
            _tell(progress, "check", 0.7)
            if labelled is not None:
                _accuracy(report, "after", measure.torch_accuracy(model, *labelled))
        elif options.format == "python" and gan is not None:
            result = code_export.export_python_part(source.project, model, options.out, samples)
        elif options.format == "python":
            result = code_export.export_python(source.project, model, options.out, samples, source.io.output_names)
        elif gan is not None:  # the whole graph, both networks: Studio re-opens the folder as a run
            result = code_export.export_state(source.project, gan.full_model, options.out, gan.full_samples())
        else:
            result = code_export.export_state(source.project, model, options.out, samples)
    if labelled is not None and options.format in ("python", "state_dict"):
        _tell(progress, "check", 0.7)
        _accuracy(report, "after", measure.torch_accuracy(model, *labelled))
    acc = report.get("accuracy", {})
    if "before" in acc and "after" in acc:
        acc["drop_points"] = 100.0 * (acc["before"] - acc["after"])
        if options.int8:
            acc["int8_budget_points"] = INT8_ACCURACY_BUDGET_POINTS
            acc["within_budget"] = acc["drop_points"] <= INT8_ACCURACY_BUDGET_POINTS
    passed = _passed(result, report, options)
    report.update({"out": str(result.out), "bytes": result.bytes, "max_abs_diff": result.max_abs_diff,
                   "parity": None if result.parity is None else result.parity.to_dict(), "passed": passed,
                   "verdict": "fail" if not passed else "warn" if report.get("warnings") else "pass"})
    report["notes"] += result.notes
    if source.data_note():
        report["notes"].append(source.data_note())
    report["params"] = measure.parameter_counts(model)
    report["latency_ms"] = {}
    if options.latency:
        _tell(progress, "latency", 0.85)
        _latencies(model, onnx_path, samples, report)
    _tell(progress, "done", 1.0)
    return Exported(report, source, model)


def _passed(result: ExportResult, report: dict[str, Any], options: ExportOptions) -> bool:
    """Green/red: fp32 files must match within 1e-4; INT8 must keep accuracy within its budget."""
    if options.int8:
        fp32_ok = report.get("fp32_parity", {}).get("passed", True)
        within = report.get("accuracy", {}).get("within_budget")
        if within is None:
            agreement = result.parity.top1_agreement if result.parity else None
            within = agreement is None or agreement >= 0.99
        return bool(fp32_ok and within)
    return bool(result.parity is None or result.parity.passed)
