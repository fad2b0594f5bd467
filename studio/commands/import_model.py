"""`studio import MODEL -o PROJECT.studio.json`: a model made elsewhere as a Studio project.

MODEL is a torchvision architecture name (resnet18, mobilenet_v3_small, efficientnet_b0, vgg11,
vit_b_16, ...; random initialisation, nothing is downloaded), a TorchScript `.pt`/`.pth` file, a
state_dict file with `--arch NAME`, or an `.onnx` file. Known layers become Studio blocks with
their parameters; each run of layers Studio has no block for becomes one Module block. The
weights go into PROJECT.weights.pt next to the project (docs/project-format.md, "Imported
models"). The new project is checked at once and the totals are printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from studio.core.errors import UserError

SHOWN = 6
"""Module blocks listed one by one in the human output."""


def _shape(text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(v) for v in text.replace("x", ",").split(",") if v.strip())
    except ValueError:
        shape = ()
    if not shape or any(v < 1 for v in shape):
        raise argparse.ArgumentTypeError(f"{text!r} is not a shape like 3,224,224 (one sample, no batch)")
    return shape


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="a torchvision architecture name, a .pt/.pth (TorchScript or state_dict) "
                                      "or an .onnx file")
    parser.add_argument("-o", "--out", required=True, help="the project file to write (*.studio.json)")
    parser.add_argument("--arch", help="the torchvision architecture a state_dict file belongs to")
    parser.add_argument("--input-shape", type=_shape, help="one sample's shape, e.g. 3,64,64 (default 3,224,224)")
    parser.add_argument("--num-classes", type=int, help="classes of the architecture's classifier (default 1000)")
    parser.add_argument("--force", action="store_true", help="replace an existing project file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from studio.core.graph.importers.api import import_model
    from studio.core.graph.importers.weights import save_weights, weights_name
    from studio.core.graph.infer import infer_graph
    from studio.core.project import Project, save_project

    out = Path(args.out)
    if out.exists() and not args.force:
        raise UserError(f"{out} already exists", "pass --force to replace it, or choose another -o")
    if args.num_classes is not None and args.num_classes < 1:
        raise UserError(f"--num-classes must be at least 1, not {args.num_classes}")
    result = import_model(args.model, args.arch, args.input_shape, args.num_classes)
    report = infer_graph(result.graph)
    weights_file = out.with_name(weights_name(out))
    result.graph.weights = weights_file.name
    project = Project(name=Path(args.model).stem if Path(args.model).suffix else args.model,
                      description=f"Imported from {result.source} (studio import).", graph=result.graph)
    if not out.parent.exists():
        raise UserError(f"folder {out.parent} does not exist", "create it first or choose another -o")
    save_weights(result.weights, weights_file)
    save_project(project, out)
    native = sum(n for b, n in result.native.items() if b not in ("Input",) and not b.endswith("Head"))
    summary = {
        "ok": report.ok, "project": str(out), "weights": str(weights_file), **result.summary(),
        "native_blocks": native, "module_blocks": len(result.opaque), "total_params": report.total_params,
        "errors": [{"node": e.node, "message": e.message} for e in report.errors],
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"imported {result.source}: {len(result.graph.nodes)} nodes, {native} native blocks, "
              f"{len(result.opaque)} Module blocks")
        for item in result.opaque[:SHOWN]:
            print(f"  Module {item['id']}: {item['layers']} layer(s) ({', '.join(item['holds'])}), "
                  f"{item['params']:,} parameters")
        if len(result.opaque) > SHOWN:
            print(f"  ... and {len(result.opaque) - SHOWN} more Module blocks (--json lists them all)")
        ref = result.reference_params
        same = "" if ref is None else f" (the source model has {ref:,})"
        print(f"check: {'ok' if report.ok else 'FAILED'}, {report.total_params:,} parameters{same}")
        for e in report.errors:
            print(f"  {e.node}: {e.message}", file=sys.stderr)
        print(f"wrote {out} and {weights_file}")
    return 0 if report.ok else 1
