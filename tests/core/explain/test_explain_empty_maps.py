"""A map with nothing to point at is called empty, never drawn as a flat colour with a peak, and the
default layer of the MNIST CNN is one whose maps are not empty."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from studio.core.data import load_dataset
from studio.core.explain import compute_cam, probe_spatial_layers
from studio.core.explain.runs import graph_forward, load_explain_run


class AgainstEverywhere(nn.Module):
    """Every rectified channel weighs against class 0 at every position: Grad-CAM of class 0 is
    negative everywhere, so nothing is left after its ReLU."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3, padding=1)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(3 * 6 * 6, 2)
        with torch.no_grad():
            self.conv.weight.fill_(0.1)
            self.conv.bias.fill_(0.5)  # every channel active everywhere
            self.fc.weight.fill_(-0.2)
            self.fc.weight[1] = 0.2

    def forward(self, x):
        return self.fc(self.relu(self.conv(x)).flatten(1))


def test_a_map_negative_everywhere_is_empty_has_no_peak_and_draws_nothing():
    x = torch.rand(2, 1, 6, 6)
    result = compute_cam(AgainstEverywhere(), x, "gradcam", layer="relu", target=0)
    assert float(result.raw.max()) < 0  # the situation: evidence against the class everywhere
    assert result.empty == [True, True] and result.peaks == [None, None]
    assert result.is_flat(0) and float(result.heatmap.abs().max()) == 0.0
    report = result.to_json(0)
    assert report["empty"] is True and "peak" not in report
    # Evidence against is still worth drawing when signed: the map varies, only the peak is gone.
    signed = compute_cam(AgainstEverywhere(), x, "gradcam", layer="relu", target=0, signed=True)
    assert signed.empty == [True, True] and signed.peaks == [None, None]
    assert not signed.is_flat(0) and float(signed.heatmap.min()) == pytest.approx(-1.0)
    # The other class is raised everywhere: a real map with a peak.
    other = compute_cam(AgainstEverywhere(), x, "gradcam", layer="relu", target=1)
    assert other.empty == [False, False] and all(peak is not None for peak in other.peaks)
    assert other.to_json(0)["empty"] is False and len(other.to_json(0)["peak"]) == 2


def test_a_constant_map_is_empty():
    class Flat(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 1)
            self.fc = nn.Linear(2, 2)

        def forward(self, x):
            return self.fc(self.conv(torch.ones_like(x)).mean(dim=(2, 3)))  # the same value at every cell

    result = compute_cam(Flat(), torch.rand(1, 1, 5, 5), "eigencam", layer="conv")
    assert result.empty == [True] and result.peaks == [None] and result.is_flat(0)


def test_mnist_cnn_default_layer_gives_maps_where_the_pooled_layer_is_empty(mnist_run):
    run = load_explain_run(mnist_run)
    x = load_dataset(run.project.data).x_val[:100]
    _, default = probe_spatial_layers(run.model, x[:1], forward=graph_forward)
    assert default == "conv2"  # the convolution, not the ReLU and max-pool that pass its map on
    at_default = run.cam(x, method="gradcam")
    assert at_default.layer == "conv2" and not any(at_default.empty)
    pooled = run.cam(x, method="gradcam", layer="pool1")
    empty = [i for i, flag in enumerate(pooled.empty) if flag]
    assert len(empty) >= 10, "the short training leaves many digits with an empty Grad-CAM at pool1"
    for i in empty:
        assert pooled.peaks[i] is None and pooled.is_flat(i) and float(pooled.raw[i].max()) <= 0
    assert all(pooled.peaks[i] is not None for i in range(len(x)) if i not in empty)
    # The methods the view suggests for an empty map do draw one there.
    assert not any(run.cam(x[empty], method="layercam", layer="pool1").empty)
