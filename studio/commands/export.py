"""`studio export RUN_DIR --format onnx|torchscript|python|state_dict [--int8 [auto|dynamic|static]] [--prune P] [--network generator|discriminator] [--detection-postprocess] --out PATH [--json]`.

Exports a trained run and checks the written file against PyTorch (ONNX in onnxruntime). With
--json it prints one object: {"format", "out", "bytes", "max_abs_diff", "latency_ms": {...},
"passed", "verdict", "warnings", "parity", "accuracy", ...}. A failed check exits 1 after
printing the report, so scripts notice; a warning (an INT8 file slower than fp32) reads WARN and
exits 0, since the file is correct and smaller.

It never writes over a file that exists unless --force, and never over a run folder's own files
(project.json, checkpoint.pt, best.pt, ...) at all: see studio.core.safe_paths.
"""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by `studio train`")
    parser.add_argument("--format", default="onnx", choices=("onnx", "torchscript", "python", "state_dict"),
                        help="file format (default onnx); state_dict writes a folder Studio re-opens")
    parser.add_argument("--out", required=True, metavar="PATH",
                        help="file to write (a folder for state_dict); must not exist yet, and is never one of a "
                             "run folder's own files")
    parser.add_argument("--force", action="store_true",
                        help="replace files that already exist at --out (for python also the .pt beside it; for "
                             "state_dict the folder's files); the old file is kept until the new one is written")
    parser.add_argument("--int8", nargs="?", const="auto", choices=("auto", "dynamic", "static"), default=None,
                        help="quantize to INT8: auto (default: the fastest route that keeps accuracy within 1 point, "
                             "measured), dynamic, or static (calibrated on training samples)")
    parser.add_argument("--prune", type=float, metavar="P", default=None,
                        help="zero the fraction P of the smallest weights of each Conv/Linear layer first")
    parser.add_argument("--structured", action="store_true",
                        help="with --prune: remove whole filters/neurons (L2 norm) instead of single weights")
    parser.add_argument("--finetune-epochs", type=int, default=0, metavar="N",
                        help="with --prune: fine-tune N epochs on the training data, keeping pruned weights at zero")
    parser.add_argument("--checkpoint", choices=("best", "last"), default="best", help="which weights (default best)")
    parser.add_argument("--samples", type=int, default=256, help="validation samples for the parity check")
    parser.add_argument("--no-latency", action="store_true", help="skip the latency measurements")
    parser.add_argument("--network", choices=("generator", "discriminator"), default=None,
                        help="for a GAN run: which network to export (default generator: noise in, image out; "
                             "discriminator: image in, verdict out)")
    parser.add_argument("--detection-postprocess", action="store_true",
                        help="for a detector (ONNX): decode the grid and run NMS inside the file, which then gives "
                             "boxes, scores and classes per image instead of the raw grid")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _human(report: dict) -> str:
    lines = [f"wrote {report['out']} ({report['bytes']:,} bytes, {report['format']})"]
    if report.get("interface"):
        lines.append(f"  {report['interface']}")
    if report.get("detection_postprocess"):
        d = report["detection_postprocess"]
        lines.append(f"  decode + NMS inside the file: outputs boxes, scores, classes (up to {d['max_detections']} per "
                     f"image; score > {d['score_threshold']:g}, NMS IoU {d['nms_iou']:g}; padding class -1)")
    parity = report.get("parity") or {}
    if parity:
        if parity.get("tolerance") is None:
            lines.append(f"  difference to the fp32 model: max abs {parity['max_abs_diff']:.2e}")
        else:
            mark = "PASS" if parity["passed"] else "FAIL"
            engine = "onnxruntime" if report["format"] == "onnx" else "the written file"
            lines.append(f"  {mark}: {engine} vs PyTorch max abs diff {parity['max_abs_diff']:.2e} "
                         f"(budget {parity['tolerance']:.0e}) on {parity['samples']} samples")
    if "fp32_parity" in report:
        fp = report["fp32_parity"]
        lines.append(f"  {'PASS' if fp['passed'] else 'FAIL'}: fp32 ONNX vs PyTorch max abs diff {fp['max_abs_diff']:.2e}")
    if "size_ratio" in report:
        from studio.core.export.quantize import compared_to

        lines.append(f"  INT8 file is {compared_to(report['fp32_bytes'], report['bytes'])} ({report['fp32_bytes']:,} "
                     "bytes)")
    lines += _int8_lines(report.get("int8"))
    if "prune" in report:
        p = report["prune"]
        lines.append(f"  pruned ({p['kind']}): {100 * p['sparsity']:.1f}% of Conv/Linear weights are zero")
    acc = report.get("accuracy") or {}
    if "before" in acc and "after" in acc:
        lines.append(f"  validation accuracy {100 * acc['before']:.2f}% -> {100 * acc['after']:.2f}% "
                     f"({0.0 - acc['drop_points']:+.2f} points)")
    for key, value in (report.get("latency_ms") or {}).items():
        lines.append(f"  latency {key}: {value:.3f} ms")
    lines += [f"  note: {n}" for n in report.get("notes", [])]
    lines += [f"  WARN: {w}" for w in report.get("warnings", [])]
    lines.append("result: " + report["verdict"].upper())
    return "\n".join(lines)


def _int8_lines(int8: dict | None) -> list[str]:
    """The route shipped, how each route tried compares with fp32, in words that call noise the same."""
    if not int8:
        return []
    lines = [f"  INT8 route: {int8['route']}" + (" (chosen by measuring)" if int8["requested"] == "auto" else "")]
    for trial in int8["routes"]:
        if trial["refused"]:
            lines.append(f"    {trial['route']}: not made ({trial['refused']})")
            continue
        speeds = ", ".join(f"{_speed(s)} at batch {b.lstrip('b')}" for b, s in trial["speed_vs_fp32"].items())
        accuracy = "" if trial["drop_points"] is None else f"; {0.0 - trial['drop_points']:+.2f} accuracy points"
        lines.append(f"    {trial['route']} in {int8['engine']}: {speeds}{accuracy}")
    return lines


def _speed(change: dict) -> str:
    from studio.core.export.speed import SpeedChange

    return SpeedChange(change["kind"], change["ratio"]).words("fp32")


def run(args: argparse.Namespace) -> int:
    from studio.core.export.pipeline import ExportOptions, export_run

    options = ExportOptions(format=args.format, out=args.out, int8=args.int8, prune=args.prune,
                            structured=args.structured, finetune_epochs=args.finetune_epochs,
                            which=args.checkpoint, samples=args.samples, latency=not args.no_latency,
                            force=args.force, network=args.network,
                            detection_postprocess=args.detection_postprocess)
    report = export_run(args.run_dir, options)
    print(json.dumps(report) if args.json else _human(report))
    return 0 if report["passed"] else 1
