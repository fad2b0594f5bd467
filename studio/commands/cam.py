"""`studio cam RUN_DIR --image IMG [--method M] [--layer NODE] [--target CLASS] --out PNG [--json]`.

Writes the image with a class activation map blended over it, for a trained run. With --json it
prints {"method", "layer", "target", "empty": false, "peak": [row, col], "out", ...}; the peak is
the centre of the hottest cell of the map, in pixels of the image as the model sees it (resized to
its input). An empty map (nothing at the layer raises the score: no cell above zero, or one value
everywhere) has "empty": true and no "peak", and the PNG shows the image without a heatmap.
`--list-layers` prints the layers that can be explained instead.
"""

from __future__ import annotations

import argparse
import json

METHOD_NAMES = ("gradcam", "gradcam++", "xgradcam", "hirescam", "layercam", "scorecam", "eigencam")
MIN_OUTPUT_SIDE = 256


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by `studio train`")
    parser.add_argument("--image", metavar="IMG", help="the image to explain (PNG, JPEG, ...)")
    parser.add_argument("--out", metavar="PNG", help="where to write the overlay PNG")
    parser.add_argument("--force", action="store_true", help="replace the PNG if it already exists")
    parser.add_argument("--method", default="gradcam", help=f"one of {', '.join(METHOD_NAMES)} (default gradcam)")
    parser.add_argument("--layer", metavar="NODE", help="node id of the layer to explain (default: the last spatial layer)")
    parser.add_argument("--target", default="predicted", metavar="CLASS",
                        help="class to explain: predicted (default), a class index or a class name")
    parser.add_argument("--head", metavar="NODE", help="which head to explain in a multi-head graph "
                        "(default: the first classification head)")
    parser.add_argument("--signed", action="store_true", help="keep negative evidence (diverging colours)")
    parser.add_argument("--batch", type=int, default=64, metavar="N",
                        help="scorecam: masked images per forward pass (default 64; lower it when memory is short)")
    parser.add_argument("--opacity", type=float, default=0.5, help="heatmap opacity, 0..1 (default 0.5)")
    parser.add_argument("--colormap", default=None, help="jet, viridis, inferno, hot, gray, coolwarm")
    parser.add_argument("--checkpoint", choices=("best", "last"), default="best", help="which weights (default best)")
    parser.add_argument("--list-layers", action="store_true", help="list the layers that can be explained and exit")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _list_layers(run, args: argparse.Namespace) -> int:
    import torch

    from studio.core.explain import probe_spatial_layers
    from studio.core.explain.runs import graph_forward

    shape = run.require_image_model()
    x = run.load_image(args.image) if args.image else torch.zeros((1, *shape))
    layers, default = probe_spatial_layers(run.model, x, head=args.head, forward=graph_forward)
    rows = [{"layer": layer.name, "type": layer.module_type, "kind": layer.kind, "channels": layer.channels,
             "grid": list(layer.grid), "same_as": layer.same_as} for layer in layers]
    if args.json:
        print(json.dumps({"default": default, "layers": rows}))
    else:
        for row in rows:
            mark = "*" if row["layer"] == default else " "
            alias = f"  (same output as {row['same_as']})" if row["same_as"] else ""
            print(f"{mark} {row['layer']:<24} {row['type']:<18} {row['channels']:>4} x "
                  f"{row['grid'][0]} x {row['grid'][1]}{alias}")
        print("* the default layer")
    return 0


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from studio.app.run_store import RunStore
    from studio.core.errors import UserError
    from studio.core.explain.cam import normalise_method
    from studio.core.explain.render import overlay, to_rgb_float, write_png

    method = normalise_method(args.method)
    if not 0.0 <= args.opacity <= 1.0:
        raise UserError(f"--opacity {args.opacity} is outside 0..1")
    if args.batch < 1:
        raise UserError(f"--batch {args.batch} must be at least 1")
    if args.colormap is not None:
        from studio.core.explain.render import colormap_lut

        try:
            colormap_lut(args.colormap)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    from studio.core.explain.runs import for_explain

    explained = for_explain(RunStore().open(args.run_dir).explain(args.checkpoint))
    if args.list_layers:
        return _list_layers(explained, args)
    if not args.image:
        raise UserError("no image given", "add --image IMG")
    if not args.out:
        raise UserError("no output file given", "add --out PNG")
    out = Path(args.out)
    if out.is_dir():
        raise UserError(f"--out {out} is a folder", "give a file name ending in .png")
    from studio.core.safe_paths import check_new_output, write_error

    check_new_output(out, force=args.force)  # never over a file (or a run's own file) not asked for
    x = explained.load_image(args.image)
    target = args.target
    if target.lstrip("-").isdigit():
        target = int(target)
    result = explained.cam(x, method=method, layer=args.layer, target=target, signed=args.signed, head=args.head,
                           batch_size=args.batch)
    picture = to_rgb_float(explained.display(x[0]))
    height, width = picture.shape[:2]
    factor = max(1, -(-MIN_OUTPUT_SIDE // max(height, width)))
    rgb = overlay(picture, result.heatmap[0], opacity=0.0 if result.is_flat(0) else args.opacity,
                  colormap=args.colormap, signed=args.signed, size=(height * factor, width * factor))
    try:
        write_png(out, rgb)
    except OSError as exc:
        raise write_error(exc, out) from None
    names = explained.class_names
    report = {
        **result.to_json(0),
        "out": str(out),
        "target_name": names[result.targets[0]] if result.targets[0] < len(names) else None,
        "predicted": result.predicted[0],
        "predicted_name": names[result.predicted[0]] if result.predicted[0] < len(names) else None,
        "score": result.target_scores[0],
        "input_size": [height, width],
        "signed": args.signed,
    }
    if args.json:
        print(json.dumps(report))
        return 0
    label = f" ({report['target_name']})" if report["target_name"] else ""
    about = f"{result.method} of class {report['target']}{label} at layer {result.layer}"
    if result.empty[0]:
        print(f"{about}: the map is empty (nothing at this layer raises the score), so it has no peak; "
              f"{_empty_advice(explained, x, result, args.head)}; wrote {out}")
    else:
        print(f"{about}: peak at row {report['peak'][0]}, column {report['peak'][1]} of {height}x{width}; wrote {out}")
    return 0


def _empty_advice(run, x, result, head) -> str:
    """What to try instead of an empty map, in this command's options."""
    from studio.core.explain import probe_spatial_layers
    from studio.core.explain.cam import other_choices
    from studio.core.explain.runs import graph_forward

    _, default = probe_spatial_layers(run.model, x, head=head, forward=graph_forward)
    layer, method = other_choices(result.method, result.layer, default)
    return f"try --method {method}" + (f" or --layer {layer}" if layer else " or another --layer")
