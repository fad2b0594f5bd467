"""Checks of detection labels and of a DetectionHead against its data, before a run starts.

Bad labels are named (which sample, which box, what is wrong, how to fix it), never a crash: the
loss itself also survives them (yolo.py gives such boxes no weight), but a run on labels that are
wrong would teach the wrong thing quietly, so `check_boxes` refuses them first.
"""

from __future__ import annotations

from typing import Any

import torch

from studio.core.errors import UserError

TOLERANCE = 1e-4
"""How far (as a fraction of the image side) a corner may stray outside the image: rounding."""


def _where(dataset: str, split: str, sample: int, row: int) -> str:
    return f"dataset '{dataset}' ({split}) sample {sample}, box {row}"


def check_boxes(boxes: torch.Tensor, num_classes: int, class_names: list[str] | None = None,
                dataset: str = "data", split: str = "training") -> None:
    """Raise a UserError naming the first bad row of a (N, M, 5) boxes target, and how many there
    are: a class that is not a whole number in 0..C-1 (-1 marks padding), a NaN or infinite
    coordinate, corners in the wrong order or an empty box, a box outside the image."""
    t = boxes.detach().float().cpu()
    if t.dim() != 3 or t.shape[-1] != 5:
        raise UserError(f"dataset '{dataset}': boxes must be rows (class, x0, y0, x1, y1) per image, shape "
                        f"(N, M, 5), not {list(t.shape)}", "give each image M rows of 5 numbers, class -1 for none")
    cls = t[..., 0]
    pad = cls == -1
    names = ", ".join(f"{i} {n}" for i, n in enumerate(class_names or [])) or f"0 to {num_classes - 1}"
    tests = [
        (~pad & (~torch.isfinite(cls) | (cls != torch.floor(cls)) | (cls < 0) | (cls >= num_classes)),
         lambda v: f"has class {v[0]:g}, which is not one of the {num_classes} classes ({names})",
         "fix the label, or add the class to the data set's class list"),
        (~pad & ~torch.isfinite(t[..., 1:]).all(dim=-1), lambda v: f"has a coordinate that is not a number {v[1:]}",
         "fix or drop the box"),
        (~pad & ((t[..., 3] <= t[..., 1]) | (t[..., 4] <= t[..., 2])),
         lambda v: f"is empty or has its corners swapped (x0, y0, x1, y1) = {v[1:]}",
         "write boxes as (x0, y0, x1, y1) with x1 > x0 and y1 > y0"),
        (~pad & ((t[..., 1:] < -TOLERANCE) | (t[..., 1:] > 1 + TOLERANCE)).any(dim=-1),
         lambda v: f"lies outside the image: (x0, y0, x1, y1) = {v[1:]}, but corners are fractions of the "
                   "image side in [0, 1]",
         "clip the box to the image (or drop it), or divide pixel coordinates by the image size"),
    ]
    for bad, what, fix in tests:
        if bool(bad.any()):
            sample, row = (int(v) for v in bad.nonzero()[0])
            values = [round(float(v), 4) for v in t[sample, row]]
            more = int(bad.sum()) - 1
            extra = f" ({more} more box{'es' if more != 1 else ''} like it)" if more else ""
            raise UserError(f"{_where(dataset, split, sample, row)} {what(values)}{extra}", fix)


def check_detection_head(graph: Any, head: Any, bundle: Any, feeder: str | None) -> None:
    """The head's target is a boxes target, its grid has one class score per data set class, and the
    labels pass `check_boxes` on both splits."""
    info = bundle.targets[head.target]
    if info.kind != "boxes":
        raise UserError(f"head '{head.node_id}' (detection) needs a boxes target, but '{head.target}' of dataset "
                        f"'{bundle.name}' is a {info.kind}",
                        "set its target to boxes and use a detection data set (shapes_multi)")
    shape = tuple(head.output_shape)
    if shape and not isinstance(shape[0], int):
        shape = shape[1:]
    b = int(head.params.get("num_anchors", 3))
    classes = int(info.num_classes or 0)
    got = int(shape[0]) // b - 5 if shape else 0
    if got != classes:
        want = b * (5 + classes)
        raise UserError(
            f"dataset '{bundle.name}' has {classes} classes, but head '{head.node_id}' gets {shape[0] if shape else 0}"
            f" channels = {b} anchors x (5 + {got} class scores)" + (f" from '{feeder}'" if feeder else ""),
            (f"set out_channels of '{feeder}'" if feeder else "set the channels of the layer before it")
            + f" to {want} = {b} x (5 + {classes})")
    check_boxes(bundle.y_train[head.target], classes, bundle.class_names, bundle.name, "training")
    check_boxes(bundle.y_val[head.target], classes, bundle.class_names, bundle.name, "validation")
