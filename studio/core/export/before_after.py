"""Before and after an export: the original run's model next to what was shipped, measured side by side.

The reduction lesson is a comparison, so both rows are measured in the same process, one after the
other, on the same samples: the "before" row is the run's fp32 model written in the same format
(to a temporary file, so its size and onnxruntime latency are real), the "after" row is the file
the export wrote and the PyTorch model it came from. An INT8 ONNX file exists only as a file, so
its PyTorch cells stay empty rather than showing the fp32 model's figures.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from studio.core.export.compare import Variant, compare
from studio.core.export.pipeline import Exported, ExportOptions
from studio.core.train.run_layout import RunLayout


def _shipped_file(options: ExportOptions, out: Path) -> Path:
    """The file holding the weights: the .pt beside generated code, best.pt in a state folder."""
    if options.format == "python":
        return out.with_suffix(".pt")
    if options.format == "state_dict":
        return RunLayout(out).best
    return out


def _before_variant(exported: Exported, options: ExportOptions, folder: Path,
                    samples: tuple) -> Variant:
    from studio.core.export.onnx_export import export_onnx
    from studio.core.export.torchscript_export import export_torchscript

    source = exported.source
    if options.format == "onnx":
        path = export_onnx(source.model, source.io, folder / "fp32.onnx", samples, options.opset).out
        return Variant("before", source.model, onnx_path=path)
    if options.format == "torchscript":
        path = export_torchscript(source.model, source.io, folder / "fp32.pt", samples).out
        return Variant("before", source.model, file_path=path)
    return Variant("before", source.model)


def before_after_rows(exported: Exported, options: ExportOptions, repeats: int = 30,
                      on: list[str] | None = None) -> list[dict[str, Any]]:
    """Two comparison rows, named "before" and "after" (see `compare.Row` for the fields)."""
    source = exported.source
    samples = source.samples(min(options.samples, 64))
    labelled = source.labels("val")
    out = Path(exported.report["out"])
    int8_file_only = options.format == "onnx" and bool(options.int8)
    after = Variant("after", None if int8_file_only else exported.model,
                    onnx_path=out if options.format == "onnx" else None,
                    file_path=_shipped_file(options, out))
    with tempfile.TemporaryDirectory(prefix="studio-before-") as tmp:
        before = _before_variant(exported, options, Path(tmp), samples)
        return compare([before, after], samples, labelled, on=on, repeats=repeats)
