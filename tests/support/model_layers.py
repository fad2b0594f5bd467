"""Layer lists of the small models several test folders train (core and UI tests alike).

Found through pytest's `pythonpath` (pyproject.toml), so a core test and a panel test train the
same architecture without keeping two copies of it.
"""

from __future__ import annotations

from studio.core.graph.model import Node


def digits_cnn_nodes() -> list[Node]:
    """One conv layer and an MLP on the built-in 8x8 digits: quick to train and to export."""
    return [
        Node("image", "Input", {"shape": [1, 8, 8]}),
        Node("conv1", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}),
        Node("relu1", "ReLU"),
        Node("flat", "Flatten"),
        Node("fc1", "Linear", {"out_features": 64}),
        Node("relu2", "ReLU"),
        Node("fc2", "Linear", {"out_features": 10}),
        Node("head", "ClassificationHead"),
    ]


def shapes_cam_layers(size: int, pooled_widths: tuple[int, ...], last_width: int) -> list[tuple]:
    """Conv stages (conv, ReLU, 2x2 max-pool) then one more conv, global average pooling and a
    3-class head, on `shapes` images of `size` pixels: the classic CAM-friendly classifier."""
    layers: list[tuple] = [("input", "Input", {"shape": [1, size, size]})]
    for k, width in enumerate((*pooled_widths, last_width), start=1):
        layers += [(f"conv{k}", "Conv2d", {"out_channels": width, "kernel_size": 3, "padding": 1}),
                   (f"relu{k}", "ReLU", {})]
        if k <= len(pooled_widths):
            layers.append((f"pool{k}", "MaxPool2d", {"kernel_size": 2}))
    layers += [("gap", "AdaptiveAvgPool2d", {"output_size": 1}), ("flatten", "Flatten", {}),
               ("fc", "Linear", {"out_features": 3}), ("head", "ClassificationHead", {})]
    return layers
