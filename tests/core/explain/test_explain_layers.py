"""Which layer is explained by default, and transformer tokens as a grid."""

from __future__ import annotations

import torch
from explain_models import SmallCNN
from torch import nn
from torchvision.models import VisionTransformer, resnet18

from studio.core.explain import compute_cam, probe_spatial_layers


class TwoHeads(nn.Module):
    """A trunk, a classification head from pooled features and a later per-pixel head."""

    heads = ["cls", "seg"]

    def __init__(self):
        super().__init__()
        self.trunk = nn.Conv2d(1, 4, 3, padding=1)
        self.cls_conv = nn.Conv2d(4, 6, 3, padding=1)
        self.fc = nn.Linear(6, 3)
        self.seg_conv = nn.Conv2d(4, 2, 3, padding=1)

    def forward(self, x):
        t = torch.relu(self.trunk(x))
        cls = self.fc(torch.relu(self.cls_conv(t)).mean(dim=(2, 3)))
        return cls, self.seg_conv(t)


def test_default_is_the_last_spatial_layer_the_score_depends_on():
    torch.manual_seed(0)
    model = TwoHeads()
    x = torch.randn(2, 1, 8, 8)
    assert compute_cam(model, x).layer == "cls_conv"  # seg_conv runs later but feeds the other head
    assert compute_cam(model, x, head="seg").layer == "trunk"  # never the explained output itself
    assert compute_cam(model, x, head=1, layer="trunk").heatmap.shape == (2, 8, 8)


def test_pass_through_layers_are_named_by_the_layer_that_computed_the_values():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.3), nn.Flatten(), nn.Linear(144, 2))
    layers, default = probe_spatial_layers(model, torch.randn(1, 1, 14, 14))
    assert {layer.name: layer.same_as for layer in layers}["3"] == "2"  # the pooling stands for the dropout
    assert default == "0"  # the convolution that computed the map its ReLU and pooling pass on


def test_resnet_default_is_the_last_stage():
    model = resnet18(weights=None, num_classes=5)
    result = compute_cam(model, torch.randn(1, 3, 64, 64))
    assert result.layer == "layer4"
    assert result.raw.shape == (1, 2, 2) and result.heatmap.shape == (1, 64, 64)


def test_vit_tokens_become_a_grid_without_the_class_token():
    torch.manual_seed(0)
    vit = VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=16, mlp_dim=32,
                            num_classes=3)
    nn.init.normal_(vit.heads.head.weight)  # torchvision starts it at zero: no class would depend on anything
    x = torch.randn(2, 3, 32, 32)
    layers, default = probe_spatial_layers(vit, x)
    by_name = {layer.name: layer for layer in layers}
    assert by_name["encoder.ln"].kind == "tokens" and by_name["encoder.ln"].dropped_tokens == 1
    assert by_name["encoder.ln"].grid == (4, 4)
    # the last block's patch tokens never reach the class token: explaining them would give zeros
    assert default not in ("encoder.ln", "encoder", "encoder.layers", "encoder.layers.encoder_layer_1")
    for method in ("gradcam", "layercam", "scorecam", "eigencam"):
        result = compute_cam(vit, x, method)
        assert result.raw.shape == (2, 4, 4) and result.heatmap.shape == (2, 32, 32)
        assert result.raw.abs().sum() > 0, method
    tokens = vit.encoder.ln  # checked by hand: grid cell (r, c) is patch r * 4 + c + 1 (after the class token)
    captured = {}
    handle = tokens.register_forward_hook(lambda m, i, o: captured.setdefault("out", o.detach()))
    with torch.no_grad():
        vit.eval()(x)
    handle.remove()
    grid = by_name["encoder.ln"].to_grid(captured["out"])
    assert torch.equal(grid[:, :, 1, 2], captured["out"][:, 1 * 4 + 2 + 1, :])


def test_a_model_without_a_spatial_layer_is_refused():
    import pytest

    from studio.core.errors import UserError

    mlp = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))
    with pytest.raises(UserError, match="no layer with a spatial output"):
        compute_cam(mlp, torch.randn(1, 1, 4, 4))


def test_activation_default_layers_cover_small_cnn():
    layers, default = probe_spatial_layers(SmallCNN(), torch.randn(1, 1, 12, 12))
    assert default == "features"  # the feature stack stands for its last child (max-pool)
    assert [layer.name for layer in layers][0] == "features.0"
