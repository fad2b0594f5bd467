"""Python code export (the graph core's codegen) and state_dict + project export, both verified.

Code export writes `NAME.py` (a standalone nn.Module class, needing only torch) and `NAME.pt` (its
weights as a plain state_dict, loadable with `torch.load(weights_only=True)`). We then import the
written file, load the written weights and compare with the model, so a file that drifted from the
compiled graph is caught here rather than by the user.

State export writes a folder Studio re-opens like a run: `project.json` + `best.pt` (a Studio
checkpoint) and a `NAME.studio.json` to open the graph in the editor; it is verified by loading
it back through the training engine's `load_run_model`.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import torch
from torch import nn

from studio import __version__
from studio.core.errors import UserError
from studio.core.export.onnx_export import (
    PARITY_TOLERANCE,
    ExportResult,
    ParityReport,
    as_outputs,
    torch_outputs,
)
from studio.core.project import Project, save_project
from studio.core.train.run_layout import RunLayout


def _parity(reference: nn.Module, candidate: nn.Module, samples: tuple[torch.Tensor, ...],
            names: list[str]) -> ParityReport:
    expected = torch_outputs(reference, samples)
    with torch.no_grad():
        got = [t.float().numpy() for t in as_outputs(candidate.eval()(*samples))]
    diff = max((float(abs(e - g).max()) for e, g in zip(expected, got, strict=True) if e.size), default=0.0)
    return ParityReport(diff, PARITY_TOLERANCE, int(samples[0].shape[0]), diff <= PARITY_TOLERANCE, names)


def _import_file(path: Path):
    name = f"studio_export_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


def python_files(path: str | os.PathLike[str]) -> list[Path]:
    """The two files Python export writes for `path`: the code and the weights beside it."""
    path = Path(path)
    if path.suffix != ".py":
        raise UserError(f"Python export writes a .py file, not {path.name}", f"use --out {path.with_suffix('.py')}")
    return [path, path.with_suffix(".pt")]


def _state_stem(name: str | None) -> str:
    return "".join(c if c.isalnum() else "_" for c in (name or "")).strip("_").lower() or "model"


def state_files(folder: str | os.PathLike[str], project_name: str | None) -> list[Path]:
    """The files state export writes into `folder`."""
    layout = RunLayout(folder)
    return [layout.project, layout.best, layout.path / f"{_state_stem(project_name)}.studio.json"]


def export_python(project: Project, model: nn.Module, path: str | os.PathLike[str],
                  samples: tuple[torch.Tensor, ...], output_names: list[str] | None = None) -> ExportResult:
    """Write the graph's code to `path` (.py) and the weights beside it (.pt); check they reproduce `model`."""
    from studio.core.graph.codegen import class_name, generate_code

    path, weights = python_files(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    code = generate_code(project.graph, project.name, source=f"Studio {__version__}")
    path.write_text(code, encoding="utf-8")
    torch.save(model.state_dict(), weights)
    generated = getattr(_import_file(path), class_name(project.name))()
    generated.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    result = ExportResult("python", path, path.stat().st_size,
                          _parity(model, generated, samples, list(output_names or [])))
    result.notes.append(f"weights: {weights} ({weights.stat().st_size} bytes); "
                        f"model.load_state_dict(torch.load({weights.name!r}, weights_only=True))")
    return result


def export_state(project: Project, model: nn.Module, folder: str | os.PathLike[str],
                 samples: tuple[torch.Tensor, ...]) -> ExportResult:
    """Write `project.json` + `best.pt` (+ `NAME.studio.json`) into `folder` and re-open it to check."""
    from studio.core.train.run_folder import RunFolder, load_run_model

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file; state export writes a folder", "choose a new folder name for --out")
    run = RunFolder(folder)
    run.write_project(project)
    best = run.save_checkpoint("best", {"model": model.state_dict(), "exported_by": "studio export"})
    save_project(project, state_files(folder, project.name)[2])
    _, reopened = load_run_model(folder, "best")
    return ExportResult("state_dict", folder, best.stat().st_size, _parity(model, reopened, samples, []))
