"""Looking inside a network: CAM heatmaps, filters, activations, feature visualisation.

Qt-free and safe to call from a GUI worker thread: every entry point runs with gradients on (even
under the caller's `no_grad`/`inference_mode`), puts the model's train/eval modes back, never writes
a parameter's `.grad`, and removes its hooks, error or not (see `guard.py`). The Explain panel and
`studio cam` are thin layers over these functions; docs/explain.md describes the methods.
"""

from studio.core.explain.activations import (
    ActivationMaps,
    DeadUnits,
    activation_grid,
    activation_maps,
    dead_units,
)
from studio.core.explain.cam import METHOD_TITLES, METHODS, CamResult, compute_cam, normalise_method
from studio.core.explain.featvis import FeatureVis, visualise_feature
from studio.core.explain.filters import FilterGrid, conv_layers, filter_grid
from studio.core.explain.layers import SpatialLayer, probe_spatial_layers, resolve_layer
from studio.core.explain.render import COLORMAPS, overlay, overlay_grid, write_png

__all__ = [
    "COLORMAPS", "METHODS", "METHOD_TITLES", "ActivationMaps", "CamResult", "DeadUnits", "FeatureVis", "FilterGrid",
    "SpatialLayer", "activation_grid", "activation_maps", "compute_cam", "conv_layers", "dead_units", "filter_grid",
    "normalise_method", "overlay", "overlay_grid", "probe_spatial_layers", "resolve_layer", "visualise_feature", "write_png",
]
