"""Overlays, PNG files, filter grids, activation maps, dead units and feature visualisation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from explain_models import SmallCNN
from PIL import Image
from torch import nn

from studio.core.errors import UserError
from studio.core.explain import (
    activation_grid,
    activation_maps,
    dead_units,
    filter_grid,
    overlay,
    visualise_feature,
    write_png,
)
from studio.core.explain.render import _png_bytes, apply_colormap, colormap_lut


def test_overlay_opacity_blends_image_and_colormap():
    image = np.full((4, 6), 0.5, dtype=np.float32)
    heat = np.linspace(0, 1, 24, dtype=np.float32).reshape(4, 6)
    assert np.all(overlay(image, heat, opacity=0.0) == 128)
    full = overlay(image, heat, opacity=1.0, colormap="viridis")
    assert np.array_equal(full, apply_colormap(heat, "viridis"))
    hot_corner, cold_corner = full[3, 5], full[0, 0]
    assert hot_corner[1] > cold_corner[1]  # viridis: dark purple to yellow
    half = overlay(image, heat, opacity=0.5, colormap="jet").astype(int)
    assert np.all(np.abs(half - (0.5 * 128 + 0.5 * apply_colormap(heat, "jet"))) <= 1)
    with pytest.raises(ValueError):
        overlay(image, heat, opacity=1.5)


def test_signed_overlay_uses_a_diverging_colormap_centred_on_zero():
    heat = np.array([[-1.0, 0.0, 1.0]], dtype=np.float32)
    rgb = overlay(np.zeros((1, 3)), heat, opacity=1.0, signed=True)
    assert rgb[0, 0, 2] > rgb[0, 0, 0]  # negative: blue
    assert rgb[0, 2, 0] > rgb[0, 2, 2]  # positive: red
    assert abs(int(rgb[0, 1, 0]) - int(rgb[0, 1, 2])) < 10  # zero: neutral grey


def test_overlay_at_display_size_and_from_a_chw_tensor():
    image = torch.rand(3, 8, 8)
    rgb = overlay(image, np.ones((2, 2)), opacity=0.3, size=(64, 64))
    assert rgb.shape == (64, 64, 3) and rgb.dtype == np.uint8
    assert all(len(colormap_lut(name)) == 256 for name in ("jet", "viridis", "inferno", "gray", "hot", "coolwarm"))


def test_batch_grid_of_overlays():
    from studio.core.explain.render import overlay_grid

    images = torch.rand(5, 1, 8, 8)
    heat = torch.rand(5, 8, 8)
    grid = overlay_grid(images, heat, opacity=0.4, tile_size=(16, 16), cols=3)
    assert grid.shape == (2 * 16 + 3 * 2, 3 * 16 + 4 * 2, 3)
    second = grid[2:18, 20:36]
    assert np.array_equal(second, overlay(images[1], heat[1], opacity=0.4, size=(16, 16)))
    assert np.all(grid[20:36, 38:54] == 255)  # the sixth cell is empty


def test_png_files_read_back_identically(tmp_path):
    rgb = (np.random.default_rng(0).random((7, 5, 3)) * 255).astype(np.uint8)
    write_png(tmp_path / "a.png", rgb)
    assert np.array_equal(np.asarray(Image.open(tmp_path / "a.png").convert("RGB")), rgb)
    (tmp_path / "b.png").write_bytes(_png_bytes(rgb))  # the encoder used where Pillow is missing
    assert np.array_equal(np.asarray(Image.open(tmp_path / "b.png").convert("RGB")), rgb)


def test_first_layer_filters_per_filter_and_shared_scale():
    conv = nn.Conv2d(1, 4, 3, bias=False)
    with torch.no_grad():
        conv.weight.copy_(torch.randn(4, 1, 3, 3, generator=torch.Generator().manual_seed(0)))
        conv.weight[0] *= 20  # one much stronger filter
    model = nn.Sequential(conv, nn.ReLU())
    per = filter_grid(model, scale="filter", zoom=1)
    shared = filter_grid(model, scale="shared", zoom=1)
    assert per.layer == "0" and per.filters_shown == 4 and not per.colour
    assert per.image.shape == (2 * 3 + 3, 2 * 3 + 3, 3)

    def contrast(img, index):  # spread of grey levels in tile `index` (2x2 grid, 3x3 tiles, 1px gaps)
        r, c = divmod(index, 2)
        tile = img[1 + r * 4:4 + r * 4, 1 + c * 4:4 + c * 4, 0].astype(int)
        return tile.max() - tile.min()

    assert contrast(per.image, 1) > 3 * contrast(shared.image, 1)  # weak filters wash out on a shared scale
    assert contrast(per.image, 0) == pytest.approx(contrast(shared.image, 0), abs=2)


def test_rgb_filters_are_shown_in_colour_and_deeper_layers_per_channel():
    model = nn.Sequential(nn.Conv2d(3, 6, 5), nn.ReLU(), nn.Conv2d(6, 4, 3))
    first = filter_grid(model)
    assert first.colour and first.filters_shown == 6 and first.kernel == (5, 5)
    deep = filter_grid(model, layer="2", zoom=2)
    assert deep.channels_shown == 6 and deep.filters_shown == 4
    assert deep.image.shape == (4 * 6 + 5, 6 * 6 + 7, 3)  # one row per filter, one column per input channel
    with pytest.raises(UserError, match="'1' is a ReLU"):
        filter_grid(model, layer="1")


def test_activation_maps_equal_the_layer_output_and_dead_units_are_found():
    torch.manual_seed(0)
    model = SmallCNN(inplace=False)
    with torch.no_grad():
        model.features[3].bias[[2, 5]] = -1e3  # two channels that can never fire after the ReLU
    x = torch.randn(6, 1, 12, 12)
    acts = activation_maps(model, x[:1], "features.4")
    with torch.no_grad():
        expected = model.eval().features[:5](x[:1])[0]
    assert torch.allclose(acts.maps, expected)
    assert acts.dead[[2, 5]].all()
    report = dead_units(model, x, "features.4")
    with torch.no_grad():
        never = (model.features[:5](x).amax(dim=(0, 2, 3)) <= 0).nonzero().flatten().tolist()
    assert {2, 5} <= set(report.dead) and report.dead == never and report.units == 16
    assert report.fraction == pytest.approx(len(never) / 16) and report.fraction < 0.5
    grid = activation_grid(acts, zoom=1)
    assert grid.shape == (4 * 12 + 5 * 2, 4 * 12 + 5 * 2, 3)
    frame = grid[2, 2 + 2 * 14: 2 + 2 * 14 + 12]  # top edge of channel 2's tile: red
    assert np.all(frame == [220, 30, 30])
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(144, 8), nn.ReLU())
    with torch.no_grad():
        mlp[1].bias[3] = -1e3
    assert 3 in dead_units(mlp, x, "2").dead


def test_feature_visualisation_raises_the_channel_and_reports_progress():
    torch.manual_seed(0)
    model = SmallCNN(inplace=False)
    weights = {k: v.clone() for k, v in model.state_dict().items()}
    steps = []
    result = visualise_feature(model, "features.3", 3, (1, 12, 12), steps=40, lr=0.1,
                               progress=lambda d, t: steps.append((d, t)))
    assert steps[-1] == (40, 40) and len(steps) == 40
    # how strongly the channel fires, with the image's brightness held: only a pattern can raise it
    assert np.mean(result.history[-5:]) > 3 * result.history[0]
    assert result.rgb.shape == (12, 12, 3) and result.rgb.dtype == np.uint8
    assert all(torch.equal(v, weights[k]) for k, v in model.state_dict().items())


def test_feature_visualisation_can_be_cancelled():
    import threading

    stop = threading.Event()
    model = SmallCNN()
    result = visualise_feature(model, "features.3", 0, (1, 12, 12), steps=50,
                               progress=lambda d, t: stop.set() if d == 3 else None, cancel=stop)
    assert result.cancelled and len(result.history) == 3
