"""`studio predict RUN INPUT [--top K] [--json]`: what a trained run answers for an image or a sound.

INPUT is an image file (PNG, JPEG, ...) or a .npy array of pixels ((H, W) grey, (H, W, 3) RGB;
uint8 or numbers in [0, 1]). It is prepared like the training data (`studio.core.predict`: the
model's size and channels, the data's mean and std; a grey picture of dark ink on a light
background is inverted and the ink framed like the training digits unless --as-is). With --json one
object: {"run_dir", "input", "predicted": {"class", "index", "probability"}, "top": [...],
"input_shape", "inverted", "framed", "checkpoint"} and, with --cam PNG, "cam": {"method", "layer",
"target", "empty", "peak", "out"}.

For a run trained on sound (spoken_digits, sound_folder) INPUT is a WAV file: it becomes the
model's input through `studio.core.data.sound.features_for` with the run's feature options and
normalisation; the JSON then has "input_kind": "sound" and "seconds" instead of "inverted" and
"framed" (no --cam: Grad-CAM is for image models). An image given to a sound model, or a sound to
an image model, is refused in one line.

For a detection run (a DetectionHead) the answer is the boxes after NMS: the text lists each box's
class, score and corners in pixels of the picture the network saw; the JSON has "boxes" ([{"class",
"index", "score", "box": [x0, y0, x1, y1] as fractions}]), "count", "score_threshold" and "nms_iou".
"""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN", help="a run folder written by `studio train`")
    parser.add_argument("input", metavar="INPUT", help="an image file (PNG, JPEG, ...) or a .npy array of pixels; a WAV file for a "
                        "run trained on sound")
    parser.add_argument("--top", type=int, default=5, metavar="K", help="how many classes to list (default 5)")
    parser.add_argument("--checkpoint", choices=("best", "last"), default="best", help="which weights (default best)")
    parser.add_argument("--as-is", action="store_true",
                        help="only resize and normalise: no inverting of dark-on-light pictures, no framing of the ink")
    parser.add_argument("--cam", metavar="PNG", help="also write the Grad-CAM overlay of the predicted class here")
    parser.add_argument("--force", action="store_true", help="replace the --cam PNG if it already exists")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _read_input(path_text: str):
    """The image path as given, or the array in a .npy file (never unpickled)."""
    from pathlib import Path

    from studio.core.errors import UserError

    path = Path(path_text)
    if path.suffix.lower() != ".npy":
        return path
    import numpy as np

    if not path.is_file():
        raise UserError(f"array file {path} does not exist", "check the path")
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise UserError(f"{path} is not a numpy array file Studio can read ({str(exc).splitlines()[0]})",
                        "save the pixels with numpy.save (no object arrays)") from None


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from studio.core.errors import UserError
    from studio.core.predict import load_predictor

    if args.top < 1:
        raise UserError(f"--top {args.top} must be at least 1")
    out = Path(args.cam) if args.cam else None
    if out is not None:
        from studio.core.safe_paths import check_new_output

        if out.is_dir():
            raise UserError(f"--cam {out} is a folder", "give a file name ending in .png")
        check_new_output(out, force=args.force)
    source = _read_input(args.input)
    predictor = load_predictor(args.run_dir, args.checkpoint)
    result = predictor.predict(source, k=args.top, cam=out is not None, as_is=args.as_is)
    report = {"run_dir": str(predictor.run_dir), "input": args.input, **result.to_json(),
              "checkpoint": args.checkpoint}
    if out is not None:
        from studio.core.explain.render import write_png
        from studio.core.safe_paths import write_error

        height, width = result.x.shape[-2:]
        factor = max(1, -(-256 // max(height, width)))
        try:
            write_png(out, predictor.overlay(result, size=(height * factor, width * factor)))
        except OSError as exc:
            raise write_error(exc, out) from None
        report["cam"] = {**report["cam"], "out": str(out)}
    if args.json:
        print(json.dumps(report))
        return 0
    if result.input_kind == "detection":
        _print_boxes(result)
        return 0
    best = result.best
    print(f"{best.name} ({100 * best.probability:.1f}%)")
    width = max(len(t.name) for t in result.top)
    for t in result.top:
        print(f"  {t.name:<{width}}  {100 * t.probability:5.1f}%")
    if result.input_kind == "sound":
        print(f"heard {result.seconds:.2f} s of sound")
    done = [what for what, on in (("inverted (dark on light)", result.inverted),
                                  ("ink framed like the training data", result.framed)) if on]
    if done:
        print(f"input {', '.join(done)}; --as-is turns this off")
    if out is not None:
        cam = result.cam
        where = "empty map" if cam is not None and cam.empty[0] else f"peak at {report['cam'].get('peak')}"
        print(f"CAM of {best.name} at layer {report['cam']['layer']} ({where}): wrote {out}")
    return 0


def _print_boxes(result) -> None:
    """A detector's answer: how many objects, then one line per box with its corners in pixels."""
    height, width = result.x.shape[-2:]
    count = len(result.boxes)
    print(f"{count} object{'s' if count != 1 else ''} found (score at least {result.score_threshold:g}, "
          f"NMS IoU {result.nms_iou:g}) on the {width}x{height} picture the network saw")
    if not result.boxes:
        return
    width_name = max(len(b.name) for b in result.boxes)
    for b in result.boxes:
        x0, y0, x1, y1 = (round(v * side) for v, side in zip(b.box, (width, height, width, height), strict=True))
        print(f"  {b.name:<{width_name}}  {b.score:.2f}  x {x0}-{x1}  y {y0}-{y1}")

