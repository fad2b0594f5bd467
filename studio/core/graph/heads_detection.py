"""The DetectionHead block: a YOLO-style S×S grid with B anchors per cell (studio/core/detection/yolo.py).

Like the other heads it adds no weights: the convolution before it gives, per cell, B predictions of
5 + C numbers (box offsets tx, ty, tw, th, objectness, C class scores), so its input is
(N, B·(5+C), S_y, S_x); the head declares the task, the loss and how boxes are read back.
"""

from __future__ import annotations

from torch import nn

from studio.core.graph.block_spec import BlockSpec, Construct, ParamSpec, RuleContext, ShapeError, ShapeResult
from studio.core.graph.fixes import set_param_fix

P = ParamSpec
BLOCKS: list[BlockSpec] = []


def _detection_rule(ctx: RuleContext) -> ShapeResult:
    """(N, B·(5+C), S_y, S_x) with C >= 1 class, and anchors that parse (`auto` or B pairs w,h)."""
    from studio.core.detection.yolo import parse_anchors
    from studio.core.errors import UserError

    x = ctx.expect_float()
    ctx.expect_rank("in", (3,), "a grid of predictions (N, B·(5+C), S, S)")
    b = int(ctx.p["num_anchors"])
    channels = x.shape[0]
    edge = ctx.sources.get("in")
    if channels % b or channels // b < 6:
        want = b * (5 + 3)
        fix = set_param_fix(edge.src, "out_channels", want, f"B·(5+C) = {b}·(5+3) for 3 classes") if edge else None
        raise ShapeError(f"{ctx.name} needs B·(5+C) channels (B = {b} anchors, C >= 1 classes: each anchor "
                         f"predicts x, y, w, h, objectness and C class scores) but gets {x.shown()}", fix)
    try:
        parse_anchors(ctx.p["anchors"], b, ctx.node_id)
    except UserError as exc:
        raise ShapeError(exc.message, set_param_fix(ctx.node_id, "anchors", "auto", "anchors from the data")) from None
    return ShapeResult(x)


BLOCKS.append(BlockSpec(
    "DetectionHead", "Head",
    "An object detector's output, YOLO style: the image is cut into an S×S grid (the spatial size of the "
    "convolution before this head) and every cell predicts num_anchors boxes, each as x, y offsets inside the "
    "cell, width and height relative to its anchor box, an objectness score and C class scores, so the layer "
    "before needs B·(5+C) output channels. Each true box is learned by the cell holding its centre and the "
    "anchor closest to its shape. Loss: lambda_box × squared box error + objectness binary cross-entropy "
    "(empty cells weighted lambda_noobj) + class cross-entropy. Boxes are read back with score_threshold and "
    "non-maximum suppression at nms_iou. Metric: mAP@0.5 on the validation set. anchors 'auto' computes them "
    "by k-means (distance 1 − IoU) on the training boxes' sizes.",
    (P("weight", "float", 1.0, min=0.0, help="share of this head in the multi-task loss"),
     P("target", "str", "boxes", help="the dataset's boxes target: rows (class, x0, y0, x1, y1), class -1 = none"),
     P("num_anchors", "int", 3, min=1, max=9, help="B: boxes predicted per grid cell"),
     P("anchors", "str", "auto",
       help="auto (k-means on the data's box sizes) or B pairs 'w,h; w,h' as fractions of the image side"),
     P("lambda_box", "float", 5.0, min=0.0, max=100.0, help="weight of the box error (YOLO's 5)"),
     P("lambda_noobj", "float", 0.5, min=0.0, max=10.0, help="weight of objectness where there is no object"),
     P("ignore_iou", "float", 0.5, min=0.0, max=1.0,
       help="predictions overlapping a true box more than this are not pushed towards 'no object'"),
     P("score_threshold", "float", 0.05, min=0.0, max=1.0, help="lowest objectness x class score kept as a box"),
     P("nms_iou", "float", 0.45, min=0.0, max=1.0,
       help="non-maximum suppression: a box overlapping a better one of its class more than this is dropped")),
    ("in",), (), _detection_rule, lambda p, d: Construct(nn.Identity), head="detection"))
