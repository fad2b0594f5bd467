"""Example Studio plugin: a Squeeze-and-Excitation block (channel attention for CNNs).

Drop a file like this one in `plugins/` (or ship it in a package with an entry point in the group
`studio.plugins`) and its blocks appear in the palette, in `studio blocks`, in shape checking,
compiled models and generated code. A plugin provides `register(api)`; `api.register_block` takes
a `BlockSpec` with typed parameters, ports, a shape rule and a construct function. Keep the module
class self-contained (torch, nn, F, math only): generated code copies its source.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from studio.core.graph.fixes import set_param_fix
from studio.core.graph.registry import BlockSpec, Construct, ParamSpec, ShapeError, ShapeResult


class SqueezeExcite(nn.Module):
    """Rescale each channel by a gate computed from the global average of all channels."""

    def __init__(self, channels, reduction=4):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.fc1 = nn.Linear(channels, hidden)
        self.fc2 = nn.Linear(hidden, channels)

    def forward(self, x):
        s = x.mean(dim=(2, 3))
        gate = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))
        return x * gate[:, :, None, None]


def _rule(ctx):
    x = ctx.expect_float()
    ctx.expect_rank("in", (3,), "(N, C, H, W)")
    c, r = x.shape[0], ctx.p["reduction"]
    if r > c:
        raise ShapeError(f"{ctx.name}: reduction {r} is larger than the {c} channels",
                         set_param_fix(ctx.node_id, "reduction", c))
    hidden = max(1, c // r)
    params = c * hidden + hidden + hidden * c + c
    return ShapeResult(x, params, 2 * params + 2 * x.numel(), {"channels": c})


SPEC = BlockSpec(
    "SqueezeExcite", "Attention",
    "Squeeze-and-Excitation: global-average each channel, pass the C values through a small bottleneck "
    "MLP and a sigmoid, and rescale the channels by the result (channel attention, SENet).",
    (ParamSpec("reduction", "int", 4, min=1, help="bottleneck ratio"),),
    ("in",), ("out",), _rule,
    lambda p, d: Construct(SqueezeExcite, (d["channels"],), {"reduction": p["reduction"]}, {"reduction": 4}),
)


def register(api):
    api.register_block(SPEC)
