"""A trained CNN's Grad-CAM points at the object: the pointing game on `shapes` validation images."""

from __future__ import annotations

import torch

from studio.core.data import load_dataset
from studio.core.explain.runs import load_explain_run


def hits(peaks: list[tuple[int, int]], boxes: torch.Tensor, size: int) -> float:
    inside = 0
    for (row, col), (x0, y0, x1, y1) in zip(peaks, (boxes * size).tolist(), strict=True):
        inside += x0 <= col < x1 and y0 <= row < y1
    return inside / len(peaks)


def test_gradcam_peak_falls_inside_the_box_on_90_percent_of_validation_images(shapes_run):
    run = load_explain_run(shapes_run)
    data = load_dataset(run.project.data)
    x, labels, boxes = data.x_val, data.y_val["label"], data.y_val["box"]
    assert len(x) >= 200
    result = run.cam(x, method="gradcam", target="true", labels=labels)
    accuracy = (torch.tensor(result.predicted) == labels).float().mean().item()
    assert accuracy >= 0.9, f"the CNN did not train ({accuracy:.1%}): the game below would say nothing"
    assert result.layer == "conv4"  # the default: the last convolution before global pooling
    score = hits(result.peaks, boxes, x.shape[-1])
    assert score >= 0.9, f"Grad-CAM pointing game {score:.1%}"
    # shapes are large, so pointing at the image centre alone already wins often; the map must also
    # win on the images whose box does not cover the centre
    centre = (x.shape[-2] // 2, x.shape[-1] // 2)
    off_centre = [i for i in range(len(x)) if hits([centre], boxes[i:i + 1], x.shape[-1]) == 0]
    assert len(off_centre) >= 10
    hard = hits([result.peaks[i] for i in off_centre], boxes[off_centre], x.shape[-1])
    assert hard >= 0.8, f"Grad-CAM pointing game on off-centre objects {hard:.1%}"
    for method in ("gradcam++", "layercam", "eigencam"):
        other = hits(run.cam(x, method=method, target="true", labels=labels).peaks, boxes, x.shape[-1])
        assert other >= 0.85, f"{method} pointing game {other:.1%}"
