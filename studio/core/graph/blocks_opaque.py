"""The opaque "Module" block: a run of an imported model's layers that Studio has no block for.

An import (studio/core/graph/importers/) turns every layer Studio knows into its own block and each
maximal run of the rest into ONE Module block. The block keeps what the canvas and the shape check
need as plain parameters (the shapes it takes and gives, its parameter count) and rebuilds its
network from data, never from pickled code:

* `source` "torchvision:ARCH": the torchvision constructor ARCH (with `options`, a JSON object of
  keyword arguments) is built on the meta device and traced with torch.fx; `nodes` names the traced
  nodes of the run, `inputs` the traced values it takes (ports in, in1, ...) and `outputs` those it
  gives (ports out, out1, ...). The extracted piece is an fx.GraphModule whose weights come from
  the project's weights file (or a fresh initialisation when there is none).
* `source` "torchscript": a TorchScript archive (torch.jit.load, which runs no pickled Python
  code) held as the uint8 buffer `archive` of the module, so it travels in every state_dict: the
  project's weights file and each checkpoint. Until a state_dict brings it, the module cannot run.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from studio.core.graph.block_spec import (
    BlockSpec,
    Construct,
    ParamSpec,
    RuleContext,
    ShapeError,
    ShapeResult,
    TensorSpec,
)

P = ParamSpec

MAX_PORTS = 4
"""How many tensors a Module block takes and gives at most (ports in, in1, in2, in3 / out, ...)."""
IN_PORTS = ("in", *(f"in{i}" for i in range(1, MAX_PORTS)))
OUT_PORTS = ("out", *(f"out{i}" for i in range(1, MAX_PORTS)))


def shapes_text(shapes: list[tuple[int, ...]]) -> str:
    """[(64, 56, 56), (10,)] -> "64x56x56 10" (one sample's shapes, batch left out)."""
    return " ".join("x".join(map(str, s)) if s else "scalar" for s in shapes)


def parse_shapes(text: str) -> list[tuple[int, ...]]:
    out = []
    for token in text.split():
        out.append(() if token == "scalar" else tuple(int(v) for v in token.split("x")))
    return out


def ports_of(params: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ports a Module block uses (what the canvas draws): one per recorded input and output."""
    n_in = len(str(params.get("input_shapes") or "").split()) or 1
    n_out = len(str(params.get("output_shapes") or "").split()) or 1
    return IN_PORTS[:min(n_in, MAX_PORTS)], OUT_PORTS[:min(n_out, MAX_PORTS)]


def is_opaque(block: str) -> bool:
    """Whether `block` is the imported Module block (drawn apart from native blocks)."""
    return block == "Module"


class OpaqueModule(nn.Module):
    """A Module block's network; `body` is rebuilt from the block's parameters (see the module doc).
    `forward` gives one value per output port (None for ports the run does not use)."""

    def __init__(self, source: str, options: str = "", nodes: str = "", inputs: str = "", outputs: str = ""):
        super().__init__()
        self.source = source
        if source == "torchscript":
            self.register_buffer("archive", torch.zeros(0, dtype=torch.uint8))
        self.body: nn.Module | None = None
        if source.startswith("torchvision:"):
            self.body = rebuild_torchvision(source.split(":", 1)[1], options, nodes.split(), inputs.split(),
                                            outputs.split())
        elif source != "torchscript":
            raise ValueError(f"unknown source {source!r} (torchvision:ARCH or torchscript)")

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        key = prefix + "archive"
        archive = state_dict.get(key)
        if self.source == "torchscript" and isinstance(archive, torch.Tensor) and archive.numel():
            if archive.numel() != self.archive.numel() or self.body is None:
                import io

                self.archive = archive.detach().to("cpu", torch.uint8).clone()
                self.body = torch.jit.load(io.BytesIO(self.archive.numpy().tobytes()), map_location="cpu")
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def forward(self, *xs):
        if self.body is None:
            raise RuntimeError("this Module block has no TorchScript archive yet: it comes with the project's "
                               "weights file or a checkpoint (load_state_dict)")
        out = self.body(*xs)
        out = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        return out + (None,) * (4 - len(out))  # one value per output port: out, out1, out2, out3 (MAX_PORTS)


def traced_torchvision(arch: str, options: str):
    """The torchvision model ARCH(**options) built on the meta device (no memory, no init cost) and
    traced with torch.fx in evaluation mode; cached, and only ever copied from."""
    import json

    import torch.fx
    from torchvision import models

    cache = traced_torchvision.__dict__.setdefault("cache", {})
    if (arch, options) not in cache:
        kwargs = json.loads(options) if options else {}
        with torch.device("meta"):
            model = models.get_model(arch, weights=None, **kwargs)
        model.eval()
        cache[(arch, options)] = torch.fx.symbolic_trace(model)
    return cache[(arch, options)]


def rebuild_torchvision(arch: str, options: str, nodes: list[str], inputs: list[str], outputs: list[str]) -> nn.Module:
    """The traced run `nodes` of torchvision's ARCH as its own fx.GraphModule, on the CPU, freshly
    initialised (the weights file overwrites it)."""
    import copy

    import torch.fx

    traced = traced_torchvision(arch, options)
    by_name = {n.name: n for n in traced.graph.nodes}
    missing = [n for n in [*nodes, *inputs, *outputs] if n not in by_name]
    if missing:
        import torchvision

        raise ValueError(f"torchvision {torchvision.__version__}'s {arch} has no traced node {missing[0]!r} "
                         f"(the project was imported with another torchvision version)")
    graph = torch.fx.Graph()
    env: dict[Any, Any] = {}
    for name in inputs:
        env[by_name[name]] = graph.placeholder(name)
    wanted = set(nodes)
    for node in traced.graph.nodes:
        if node.name in wanted:
            env[node] = graph.node_copy(node, lambda a: env[a])
    outs = [env[by_name[o]] for o in outputs]
    graph.output(outs[0] if len(outs) == 1 else tuple(outs))
    body = copy.deepcopy(torch.fx.GraphModule(traced, graph))
    body.to_empty(device="cpu")
    with torch.no_grad():
        for module in body.modules():
            if module is not body and hasattr(module, "reset_parameters"):
                module.reset_parameters()
            for buf_name, buf in module.named_buffers(recurse=False):
                if buf_name == "running_var":
                    buf.fill_(1.0)
                elif buf.is_floating_point() or buf_name == "num_batches_tracked":
                    buf.zero_()
        for p in body.parameters():  # parameters outside a layer (ViT's class token) and leftovers
            if not torch.isfinite(p).all():
                p.zero_()
    return body


def _rule(ctx: RuleContext) -> ShapeResult:
    p = ctx.p
    want = parse_shapes(p["input_shapes"])
    given = [ctx.inputs.get(port) for port in IN_PORTS[:len(want)]]
    for port, shape, t in zip(IN_PORTS, want, given, strict=False):
        if t is None:
            raise ShapeError(f"{ctx.name} input port {port!r} is not connected")
        if tuple(t.shape) != tuple(shape):
            raise ShapeError(f"{ctx.name} was imported for {TensorSpec(tuple(shape)).shown()} on port {port!r} "
                             f"but gets {t.shown()}")
    outs = parse_shapes(p["output_shapes"])
    if not outs:
        raise ShapeError(f"{ctx.name} declares no output shape (output_shapes is empty)")
    dtype = p["output_dtype"]
    result = {port: TensorSpec(tuple(s), dtype) for port, s in zip(OUT_PORTS, outs, strict=False)}
    flops = sum(math.prod(s) for s in outs)
    return ShapeResult(result, p["num_params"], flops)


def _construct(p: dict[str, Any], d: dict[str, Any]) -> Construct:
    return Construct(OpaqueModule, (p["source"],), {"options": p["options"], "nodes": p["nodes"],
                                                    "inputs": p["inputs"], "outputs": p["outputs"]})


BLOCKS: list[BlockSpec] = [BlockSpec(
    "Module", "Shape",
    "A piece of an imported model that Studio has no block for (one block per run of such layers). "
    "It keeps its weights and the shapes it was imported for, so the graph still checks, trains and "
    "exports; its network is rebuilt from torchvision's constructor or a TorchScript archive, never "
    "from pickled code. Made by `studio import`; not meant to be edited by hand.",
    (P("source", "str", "torchscript", help="torchvision:ARCH or torchscript"),
     P("options", "str", "", help="the constructor's keyword arguments (JSON)"),
     P("nodes", "str", "", help="the traced nodes of the run"),
     P("inputs", "str", "", help="the traced values feeding ports in, in1, ..."),
     P("outputs", "str", "", help="the traced values of ports out, out1, ..."),
     P("input_shapes", "str", "", help="the shapes it takes, e.g. 64x56x56 (batch left out)"),
     P("output_shapes", "str", "", help="the shapes it gives"),
     P("output_dtype", "choice", "float32", choices=("float32", "int64")),
     P("num_params", "int", 0, min=0, help="its trainable parameters")),
    IN_PORTS, OUT_PORTS, _rule, _construct, optional=IN_PORTS[1:], source="import")]


OpaqueModule.codegen_deps = (traced_torchvision, rebuild_torchvision)
"""Generated code (codegen.py) copies these functions with the class: it rebuilds the same way."""
