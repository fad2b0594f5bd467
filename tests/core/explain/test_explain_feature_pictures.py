"""Feature visualisation of a trained MNIST CNN shows a pattern, not one value everywhere."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.core.explain import visualise_feature
from studio.core.explain.runs import graph_forward, load_explain_run


@pytest.mark.parametrize("layer", ["conv2", "pool1"])
def test_feature_pictures_of_conv2_and_pool1_have_structure(mnist_run, layer):
    run = load_explain_run(mnist_run)
    for channel in range(3):
        seen = visualise_feature(run.model, layer, channel, run.input_shape, mean=run.mean, std=run.std,
                                 forward=graph_forward, steps=128)
        assert seen.history[-1] > 1.5 * seen.history[0], (channel, seen.history[0], seen.history[-1])
        grey = seen.rgb[:, :, 0].astype(np.float32)
        assert grey.std() > 25, f"{layer} channel {channel}: std {grey.std():.1f} of 255"
        assert grey.max() - grey.min() > 128, "dark and light areas, not shades of one grey"
        assert not seen.silent


def test_a_channel_that_never_fires_is_reported_silent():
    from torch import nn

    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 10 * 10, 2))
    with torch.no_grad():
        model[0].bias[1] = -1e3  # no image in the data range can make it fire
    silent = visualise_feature(model, "1", 1, (1, 12, 12), steps=12, mean=[0.5], std=[0.25])
    assert silent.silent and max(silent.history) == 0.0
    assert not visualise_feature(model, "1", 0, (1, 12, 12), steps=12, mean=[0.5], std=[0.25]).silent
