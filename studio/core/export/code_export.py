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


def generate_part_code(project: Project, part: nn.Module, source: str | None = None) -> tuple[str, str]:
    """The standalone source of one network of a GAN (export/gan.py's `GanPart`) and its class name.

    The class holds only that network's layers, named by node id as in the compiled graph, so the
    part's state_dict loads into it; `forward` takes the generator's inputs (noise, and the class for
    a cGAN) and returns the image, or takes an image (and the class) and returns D's verdict. User
    text (the project's name) appears only as a repr literal."""
    from studio.core.graph.codegen import _check_node_id, _source, _var, class_name, layer_lines
    from studio.core.graph.compile import _compile_error
    from studio.core.graph.infer import infer_graph

    graph = project.graph
    report = infer_graph(graph)
    if not report.ok:
        raise _compile_error(report)
    network = part.network
    cls_name = class_name(project.name) + network.capitalize()
    nodes = [nid for nid in report.order if nid in part._nodes]
    for nid in nodes:
        _check_node_id(nid)
    env: dict[tuple[str, str], str] = {}
    if network == "discriminator":
        env[part._bridge] = "image"
    helpers: list = []
    init_lines, fwd_lines = layer_lines(graph, report, nodes, env, helpers)
    params = [("image" if n == "image" else _var(n, "in", False)) for n in part.input_nodes]
    shapes = {n: tuple(part.input_shapes[n]) for n in part.input_nodes}
    example = ", ".join(
        f"torch.zeros(2, {', '.join(map(str, shapes[n]))}, dtype=torch.int64)"
        if part.input_dtypes[n] == torch.int64 else f"torch.randn(2, {', '.join(map(str, shapes[n]))})"
        for n in part.input_nodes)
    what = ("noise in, an image (N, C, H, W) in [-1, 1] out" if network == "generator"
            else "an image in [-1, 1] in, the verdict (near 1: real) out")
    lines = [
        f'"""The {network} of a GAN, generated by Studio {__version__}: {what}.',
        "",
        "Inputs: " + ", ".join(f"{p} (N, {', '.join(map(str, shapes[n]))})" for p, n in zip(params, part.input_nodes,
                                                                                          strict=True)) + ".",
        "The layers are named as in the Studio graph, so the weights written beside this file load with",
        "model.load_state_dict(torch.load(WEIGHTS, weights_only=True)).",
        '"""',
        "",
        "import math",
        "",
        "import torch",
        "import torch.nn.functional as F",
        "from torch import nn",
        "",
    ]
    if any(getattr(h, "__name__", None) == cls_name for h in helpers):
        raise UserError(f"the project name {project.name!r} gives the class name {cls_name}, which is also the name "
                        "of a layer class this graph uses", f"rename the project, e.g. to '{project.name} net'")
    for helper in helpers:
        lines += ["", _source(helper).rstrip(), ""]
    lines += ["", f"class {cls_name}(nn.Module):", f"    PROJECT = {project.name!r}", f"    NETWORK = {network!r}",
              "", "    def __init__(self):", "        super().__init__()"]
    lines += [f"        {line}" for line in init_lines]
    lines += ["", f"    def forward(self, {', '.join(params)}):"]
    lines += [f"        {line}" for line in fwd_lines]
    lines += [f"        return {env[part._output]}", "", ""]
    lines += ['if __name__ == "__main__":', f"    model = {cls_name}().eval()", "    with torch.no_grad():",
              f"        print(tuple(model({example}).shape))", ""]
    return "\n".join(lines), cls_name


def export_python_part(project: Project, part: nn.Module, path: str | os.PathLike[str],
                       samples: tuple[torch.Tensor, ...]) -> ExportResult:
    """Write one GAN network's code (.py) and its weights (.pt); check they reproduce `part`."""
    path, weights = python_files(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    code, cls_name = generate_part_code(project, part)
    path.write_text(code, encoding="utf-8")
    torch.save(part.state_dict(), weights)
    generated = getattr(_import_file(path), cls_name)()
    generated.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    result = ExportResult("python", path, path.stat().st_size,
                          _parity(part, generated, samples, [part.output_name]))
    result.notes.append(f"{part.network}: class {cls_name}; weights: {weights} ({weights.stat().st_size} bytes); "
                        f"model.load_state_dict(torch.load({weights.name!r}, weights_only=True))")
    return result
