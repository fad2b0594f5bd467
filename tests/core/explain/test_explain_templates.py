"""Every CAM method runs on every shipped template that has a spatial layer."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from studio.core.errors import UserError
from studio.core.explain import (
    METHODS,
    activation_maps,
    compute_cam,
    filter_grid,
    probe_spatial_layers,
    visualise_feature,
)
from studio.core.explain.runs import graph_forward
from studio.core.graph.compile import compile_graph
from studio.core.project import load_project

TEMPLATES = sorted((Path(__file__).resolve().parents[3] / "resources" / "templates").glob("*.studio.json"))


def image_model(path: Path):
    torch.manual_seed(0)
    model = compile_graph(load_project(path).graph)
    shape = next(iter(model.input_shapes.values()))
    return model, shape


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name.split(".")[0])
def test_every_method_on_every_template_with_a_spatial_layer(path):
    model, shape = image_model(path)
    if len(shape) != 3:
        pytest.skip(f"{path.name} takes {list(shape)} inputs, not images")
    if set(getattr(model, "input_sources", {}).values()) != {"input"}:
        pytest.skip(f"{path.name} takes more than an image (a time step): CAM explains classifiers")
    x = torch.randn(2, *shape, generator=torch.Generator().manual_seed(1))
    layers, default = probe_spatial_layers(model, x, forward=graph_forward)
    if default is None:
        with pytest.raises(UserError, match="no layer with a spatial output"):
            compute_cam(model, x, forward=graph_forward)
        return
    for method in METHODS:
        result = compute_cam(model, x, method, forward=graph_forward)
        assert result.layer == default
        assert result.heatmap.shape == (2, *shape[1:]), method
        assert torch.isfinite(result.heatmap).all() and result.heatmap.min() >= 0 and result.heatmap.max() <= 1
        assert all(0 <= peak[0] < shape[1] and 0 <= peak[1] < shape[2] for peak in result.peaks if peak is not None)
        assert [peak is None for peak in result.peaks] == result.empty
    assert compute_cam(model, x, "gradcam", forward=graph_forward).raw.abs().sum() > 0
    maps = activation_maps(model, x[:1], forward=graph_forward)
    first = next(item for item in layers if not item.is_input)
    assert maps.maps.dim() == 3 and maps.layer == first.name and maps.layer != model.input_nodes[0]


def test_the_templates_that_should_have_spatial_layers_do():
    spatial = set()
    for path in TEMPLATES:
        model, shape = image_model(path)
        if set(model.input_sources.values()) != {"input"}:
            continue  # a denoiser also takes its time step
        if len(shape) == 3 and probe_spatial_layers(model, torch.zeros(1, *shape), forward=graph_forward)[1]:
            spatial.add(path.name.split(".")[0])
    assert {"mnist_cnn", "residual_cnn", "tiny_vit", "unet", "inception_cnn", "multitask"} <= spatial
    assert "mlp" not in spatial


def test_template_specifics():
    vit, shape = image_model(TEMPLATES[0].parent / "tiny_vit.studio.json")
    layers, default = probe_spatial_layers(vit, torch.zeros(1, *shape), forward=graph_forward)
    layer = next(item for item in layers if item.name == default)
    assert layer.kind == "tokens" and layer.grid == (4, 4)
    assert activation_maps(vit, torch.randn(1, *shape), default, forward=graph_forward).maps.shape == (layer.channels, 4, 4)
    seen = visualise_feature(vit, default, 3, shape, steps=12, lr=0.1)  # a token feature, averaged over the grid
    assert seen.history[-1] > seen.history[0]
    unet, shape = image_model(TEMPLATES[0].parent / "unet.studio.json")
    assert compute_cam(unet, torch.randn(1, *shape), forward=graph_forward).layer not in ("head", "classes")
    multi, shape = image_model(TEMPLATES[0].parent / "multitask.studio.json")
    x = torch.randn(2, *shape)
    for head in ("class_head", "box_head"):
        assert compute_cam(multi, x, head=head, forward=graph_forward).heatmap.shape == (2, *shape[1:])
    cnn, _ = image_model(TEMPLATES[0].parent / "mnist_cnn.studio.json")
    grid = filter_grid(cnn)
    assert grid.layer == "conv1" and grid.filters_shown == 32 and grid.kernel == (3, 3)
