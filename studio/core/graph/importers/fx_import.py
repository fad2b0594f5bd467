"""A PyTorch module as a Studio graph, read with torch.fx (no per-model tables).

The module is traced symbolically (torch.fx.symbolic_trace, in evaluation mode) and run once on an
example batch (ShapeProp) so every traced value has its shape. Then each traced node is either

* native: a layer or function Studio has a block for, with parameters Studio can express (a
  square Conv2d with zero padding, a BatchNorm2d with running statistics, torch.cat along a feature
  dimension, ...). Its weights are copied under the new node's id;
* glue: a value only a native node's shape-derived parameters used (`x.shape[0]`, the checks of
  `torch._assert`); it disappears with the shape it computed;
* the rest, grouped into maximal connected runs, each one Module block (blocks_opaque.py) that
  records which traced nodes it holds, so that it is rebuilt from the same torchvision constructor.

A run that a path leaves and re-enters (through a native node) takes that node in as well, so the
graph stays acyclic.
"""

from __future__ import annotations

import json
import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import fx, nn

from studio.core.errors import UserError
from studio.core.graph.blocks_opaque import IN_PORTS, MAX_PORTS, OUT_PORTS, shapes_text
from studio.core.graph.importers.result import ImportResult, count_native, layout
from studio.core.graph.infer import RESERVED_IDS
from studio.core.graph.model import Graph, Node

BATCH = 2
"""The example batch ShapeProp runs (2, so the batch dimension is told apart from sizes of 1)."""


@dataclass
class Native:
    """How one traced node maps: a Studio block, its parameters, the traced tensors it takes and the
    module whose state_dict becomes the node's weights."""

    block: str
    params: dict[str, Any]
    inputs: list[fx.Node]
    weights: nn.Module | None = None


@dataclass
class Alias:
    """A traced node that is the value of another (the output of attention taken from its tuple)."""

    of: fx.Node


def _meta(node: Any):
    return node.meta.get("tensor_meta") if isinstance(node, fx.Node) else None


def _is_tensor(node: Any) -> bool:
    m = _meta(node)
    return m is not None and hasattr(m, "shape")


def _shape(node: fx.Node) -> tuple[int, ...]:
    return tuple(_meta(node).shape)


def _float(node: fx.Node) -> bool:
    return _meta(node).dtype == torch.float32


def _batched(node: Any) -> bool:
    return _is_tensor(node) and len(_shape(node)) >= 1 and _shape(node)[0] == BATCH and _float(node)


def _square(v: Any) -> int | None:
    if isinstance(v, int):
        return v
    if isinstance(v, (tuple, list)) and v and all(isinstance(x, int) and x == v[0] for x in v):
        return int(v[0])
    return None


# --- modules ----------------------------------------------------------------------------------

def _conv(m: nn.Module, x: fx.Node) -> Native | None:
    dims = 1 if isinstance(m, nn.Conv1d) else 2
    if m.padding_mode != "zeros" or isinstance(m.padding, str) or len(m.kernel_size) != dims:
        return None
    vals = [_square(v) for v in (m.kernel_size, m.stride, m.padding, m.dilation)]
    if None in vals:
        return None
    k, s, p, d = vals
    return Native("Conv1d" if dims == 1 else "Conv2d",
                  {"out_channels": m.out_channels, "kernel_size": k, "stride": s, "padding": p, "dilation": d,
                   "groups": m.groups, "bias": m.bias is not None}, [x], m)


def _convt(m: nn.ConvTranspose2d, x: fx.Node) -> Native | None:
    vals = [_square(v) for v in (m.kernel_size, m.stride, m.padding, m.output_padding)]
    if None in vals or m.groups != 1 or _square(m.dilation) != 1 or m.padding_mode != "zeros":
        return None
    k, s, p, op = vals
    return Native("ConvTranspose2d", {"out_channels": m.out_channels, "kernel_size": k, "stride": s, "padding": p,
                                      "output_padding": op, "bias": m.bias is not None}, [x], m)


def _bn(m: nn.modules.batchnorm._BatchNorm, x: fx.Node) -> Native | None:
    if not (m.affine and m.track_running_stats) or m.momentum is None:
        return None
    return Native(type(m).__name__, {"eps": float(m.eps), "momentum": float(m.momentum)}, [x], m)


def _ln(m: nn.LayerNorm, x: fx.Node) -> Native | None:
    if len(m.normalized_shape) != 1 or m.normalized_shape[0] != _shape(x)[-1]:
        return None
    if m.elementwise_affine and m.bias is None:
        return None
    return Native("LayerNorm", {"eps": float(m.eps), "elementwise_affine": bool(m.elementwise_affine)}, [x], m)


def _gn(m: nn.GroupNorm, x: fx.Node) -> Native | None:
    if not m.affine:
        return None
    return Native("GroupNorm", {"num_groups": m.num_groups, "eps": float(m.eps)}, [x], m)


def _pool(m: nn.Module, x: fx.Node) -> Native | None:
    name = type(m).__name__
    if getattr(m, "ceil_mode", False) or getattr(m, "return_indices", False):
        return None
    if _square(getattr(m, "dilation", 1)) != 1:
        return None
    if name.startswith("Avg") and (not m.count_include_pad or m.divisor_override is not None):
        return None
    k, s, p = _square(m.kernel_size), _square(m.stride), _square(m.padding)
    if None in (k, s, p) or p > k // 2:
        return None
    return Native(name, {"kernel_size": k, "stride": s, "padding": p}, [x])


def _adaptive(m: nn.Module, x: fx.Node) -> Native | None:
    o = _square(m.output_size)
    return None if o is None else Native(type(m).__name__, {"output_size": o}, [x])


def _mha(m: nn.MultiheadAttention, node: fx.Node) -> Native | None:
    """Self-attention `attn(x, x, x)` whose outputs are only read as `out, _ = ...` (batch first)."""
    args = list(node.args[:3]) + [node.kwargs.get(k) for k in ("query", "key", "value") if k in node.kwargs]
    if len(args) != 3 or not (args[0] is args[1] is args[2]) or not m.batch_first or not m._qkv_same_embed_dim:
        return None
    if any(node.kwargs.get(k) is not None for k in ("key_padding_mask", "attn_mask")) or node.kwargs.get("is_causal"):
        return None
    if m.bias_k is not None or m.add_zero_attn:
        return None
    if not all(u.op == "call_function" and u.target is operator.getitem and (u.args[1] == 0 or not u.users)
               for u in node.users):
        return None
    return Native("MultiheadAttention", {"num_heads": m.num_heads, "dropout": float(m.dropout),
                                         "bias": m.in_proj_bias is not None, "causal": False}, [args[0]], m)


def _simple(block: str, params: Callable[[nn.Module], dict[str, Any]] | None = None):
    def mapper(m: nn.Module, x: fx.Node) -> Native:
        return Native(block, params(m) if params else {}, [x])
    return mapper


def _flatten_module(m: nn.Flatten, x: fx.Node) -> Native | None:
    return _flatten_params(x, m.start_dim, m.end_dim)


def _flatten_params(x: fx.Node, start: int, end: int) -> Native | None:
    rank = len(_shape(x))
    if end not in (-1, rank - 1) or not 1 <= start < rank:
        return None
    return Native("Flatten", {"start_dim": start}, [x])


def _dropout(m: nn.Dropout, x: fx.Node) -> Native | None:
    return Native("Dropout", {"p": float(m.p)}, [x]) if m.p <= 0.99 else None


def _upsample(m: nn.Upsample, x: fx.Node) -> Native | None:
    s = m.scale_factor
    s = s[0] if isinstance(s, tuple) and all(v == s[0] for v in s) else s
    if m.size is not None or s is None or float(s) != int(s) or m.mode not in ("nearest", "linear", "bilinear"):
        return None
    if m.mode != "nearest" and m.align_corners:
        return None
    return Native("Upsample", {"scale_factor": int(s), "mode": m.mode}, [x])


MODULES: dict[type, Callable[..., Native | None]] = {
    nn.Conv2d: _conv, nn.Conv1d: _conv, nn.ConvTranspose2d: _convt,
    nn.BatchNorm2d: _bn, nn.BatchNorm1d: _bn, nn.LayerNorm: _ln, nn.GroupNorm: _gn,
    nn.MaxPool2d: _pool, nn.AvgPool2d: _pool, nn.MaxPool1d: _pool, nn.AvgPool1d: _pool,
    nn.AdaptiveAvgPool2d: _adaptive, nn.AdaptiveAvgPool1d: _adaptive,
    nn.Linear: lambda m, x: Native("Linear", {"out_features": m.out_features, "bias": m.bias is not None}, [x], m),
    nn.MultiheadAttention: _mha, nn.Dropout: _dropout, nn.Flatten: _flatten_module, nn.Identity: _simple("Identity"), nn.Upsample: _upsample,
    nn.ReLU: _simple("ReLU"), nn.SiLU: _simple("SiLU"), nn.Sigmoid: _simple("Sigmoid"), nn.Tanh: _simple("Tanh"),
    nn.GELU: _simple("GELU", lambda m: {"approximate": m.approximate}),
    nn.LeakyReLU: _simple("LeakyReLU", lambda m: {"negative_slope": float(m.negative_slope)}),
}


# --- functions and methods --------------------------------------------------------------------

def _arg(node: fx.Node, i: int, name: str, default: Any = None) -> Any:
    if len(node.args) > i:
        return node.args[i]
    return node.kwargs.get(name, default)


def _merge(block: str):
    def mapper(node: fx.Node) -> Native | None:
        if node.kwargs or len(node.args) != 2:
            return None
        a, b = node.args
        if not (_batched(a) and _batched(b)) or _shape(a) != _shape(b):
            return None
        return Native(block, {}, [a, b])
    return mapper


def _cat(node: fx.Node) -> Native | None:
    xs = _arg(node, 0, "tensors")
    dim = _arg(node, 1, "dim", 0)
    if not isinstance(xs, (list, tuple)) or len(xs) < 2 or not all(_batched(x) for x in xs) or not isinstance(dim, int):
        return None
    if dim == 0 or dim == -len(_shape(xs[0])):
        return None
    return Native("Concat", {"dim": dim}, list(xs))


def _flatten_fn(node: fx.Node) -> Native | None:
    x = node.args[0]
    return _flatten_params(x, _arg(node, 1, "start_dim", 0), _arg(node, 2, "end_dim", -1)) if _batched(x) else None


def _unary(block: str, extra: Callable[[fx.Node], dict[str, Any] | None] | None = None, max_args: int = 1):
    def mapper(node: fx.Node) -> Native | None:
        x = node.args[0] if node.args else None
        if not _batched(x) or len(node.args) > max_args:
            return None
        params = extra(node) if extra else {}
        return None if params is None else Native(block, params, [x])
    return mapper


def _inplace_ok(node: fx.Node) -> dict[str, Any] | None:
    return {} if len(node.args) == 1 else None


def _gelu(node: fx.Node) -> dict[str, Any] | None:
    return {"approximate": node.kwargs.get("approximate", "none")}


def _adaptive_fn(node: fx.Node) -> Native | None:
    x, size = node.args[0], _arg(node, 1, "output_size")
    o = _square(size)
    if not _batched(x) or o is None or len(_shape(x)) not in (3, 4):
        return None
    return Native("AdaptiveAvgPool2d" if len(_shape(x)) == 4 else "AdaptiveAvgPool1d", {"output_size": o}, [x])


def _reshape(node: fx.Node) -> Native | None:
    """view / reshape that keeps the batch first: a Reshape to the traced output's shape."""
    x = node.args[0]
    if not (_batched(x) and _batched(node)):
        return None
    return Native("Reshape", {"shape": list(_shape(node)[1:])}, [x])


def _permute(node: fx.Node) -> Native | None:
    x = node.args[0]
    if not _batched(x):
        return None
    dims = node.args[1:] if len(node.args) > 2 or isinstance(_arg(node, 1, "dims"), int) else _arg(node, 1, "dims")
    dims = list(dims or [])
    rank = len(_shape(x))
    dims = [d % rank if isinstance(d, int) else d for d in dims]
    if sorted(dims) != list(range(rank)) or dims[0] != 0:
        return None
    return Native("Permute", {"dims": dims}, [x])


def _transpose(node: fx.Node) -> Native | None:
    x = node.args[0]
    a, b = _arg(node, 1, "dim0"), _arg(node, 2, "dim1")
    if not _batched(x) or not isinstance(a, int) or not isinstance(b, int):
        return None
    rank = len(_shape(x))
    a, b = a % rank, b % rank
    if 0 in (a, b):
        return None
    dims = list(range(rank))
    dims[a], dims[b] = dims[b], dims[a]
    return Native("Permute", {"dims": dims}, [x])


def _getitem(node: fx.Node) -> Native | Alias | None:
    x, index = node.args
    # x[:, 0] / x[:, -1] on (N, T, D): the first or last step (ViT's class token)
    if (_batched(x) and len(_shape(x)) == 3 and isinstance(index, tuple) and len(index) == 2
            and index[0] == slice(None) and index[1] in (0, -1)):
        return Native("SequencePool", {"mode": "first" if index[1] == 0 else "last"}, [x])
    return None


FUNCTIONS: dict[Any, Callable[[fx.Node], Native | Alias | None]] = {
    operator.add: _merge("Add"), torch.add: _merge("Add"), operator.mul: _merge("Multiply"), torch.mul: _merge("Multiply"),
    torch.cat: _cat, torch.concat: _cat, torch.flatten: _flatten_fn,
    F.relu: _unary("ReLU", max_args=2), torch.relu: _unary("ReLU"), F.silu: _unary("SiLU", max_args=2),
    torch.sigmoid: _unary("Sigmoid"), torch.tanh: _unary("Tanh"), F.gelu: _unary("GELU", _gelu),
    F.adaptive_avg_pool2d: _adaptive_fn, torch.reshape: _reshape, torch.permute: _permute,
    torch.transpose: _transpose, operator.getitem: _getitem,
}
METHODS: dict[str, Callable[[fx.Node], Native | Alias | None]] = {
    "flatten": _flatten_fn, "relu": _unary("ReLU"), "sigmoid": _unary("Sigmoid"), "tanh": _unary("Tanh"),
    "view": _reshape, "reshape": _reshape, "permute": _permute, "transpose": _transpose,
    "add": _merge("Add"), "mul": _merge("Multiply"),
}


# --- the import -------------------------------------------------------------------------------

@dataclass
class _Region:
    nodes: list[fx.Node] = field(default_factory=list)
    inputs: list[fx.Node] = field(default_factory=list)
    outputs: list[fx.Node] = field(default_factory=list)


def _node_args(node: fx.Node) -> list[fx.Node]:
    out: list[fx.Node] = []
    fx.node.map_arg((node.args, node.kwargs), lambda a: out.append(a))
    return out


def _classify(traced: fx.GraphModule) -> dict[fx.Node, Native | Alias]:
    modules = dict(traced.named_modules())
    mapped: dict[fx.Node, Native | Alias] = {}
    for node in traced.graph.nodes:
        result: Native | Alias | None = None
        if node.op == "call_module":
            m = modules[node.target]
            mapper = MODULES.get(type(m))
            if mapper is _mha:
                result = _mha(m, node)
            elif mapper is not None and node.args and _batched(node.args[0]) and _batched(node):
                kwargs_ok = not node.kwargs and len(node.args) == 1
                result = mapper(m, node.args[0]) if kwargs_ok else None
        elif node.op == "call_function":
            mapper = FUNCTIONS.get(node.target)
            if node.target is operator.getitem and node.args[0] in mapped and isinstance(mapped[node.args[0]], Native) \
                    and mapped[node.args[0]].block == "MultiheadAttention":
                result = Alias(node.args[0])
            elif mapper is not None:
                result = mapper(node)
        elif node.op == "call_method":
            mapper = METHODS.get(node.target)
            result = mapper(node) if mapper is not None else None
        if isinstance(result, Native) and not (all(_batched(x) for x in result.inputs) and _batched(node)
                                               or result.block == "MultiheadAttention"):
            result = None  # Studio's blocks carry float batches, batch first
        if result is not None:
            mapped[node] = result
    return mapped


def _needed(traced: fx.GraphModule, mapped: dict[fx.Node, Native | Alias]) -> set[fx.Node]:
    """The traced nodes the outputs depend on; a native node depends only on its tensor inputs."""
    output = next(n for n in traced.graph.nodes if n.op == "output")
    seen: set[fx.Node] = set()
    stack = [output]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        m = mapped.get(node)
        if isinstance(m, Native):
            deps = m.inputs
        elif isinstance(m, Alias):
            deps = [m.of]
        else:
            deps = _node_args(node)
        stack.extend(deps)
    return seen


def _regions(traced: fx.GraphModule, mapped: dict[fx.Node, Native | Alias], needed: set[fx.Node]) -> list[_Region]:
    order = {n: i for i, n in enumerate(traced.graph.nodes)}
    rest = [n for n in traced.graph.nodes if n in needed and n not in mapped and n.op not in ("placeholder", "output")]
    parent: dict[fx.Node, fx.Node] = {n: n for n in rest}

    def find(n):
        while parent[n] is not n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra is not rb:
            parent[rb] = ra

    def deps(node):
        m = mapped.get(node)
        return m.inputs if isinstance(m, Native) else [m.of] if isinstance(m, Alias) else _node_args(node)

    def detour(a, n):
        """Whether `n` is also reached from `a` through some other node (a native one on the way)."""
        seen, stack = set(), [u for u in a.users if u is not n]
        while stack:
            u = stack.pop()
            if u is n:
                return True
            if u in seen or order[u] > order[n]:
                continue
            seen.add(u)
            stack.extend(u.users)
        return False

    for n in rest:
        for a in _node_args(n):
            if a in parent and not detour(a, n):
                union(n, a)
    # Convexity: a native node both downstream and upstream of a run joins it (else a cycle).
    while True:
        groups: dict[fx.Node, set[fx.Node]] = defaultdict(set)
        for n in parent:
            groups[find(n)].add(n)
        changed = False
        for members in groups.values():
            down: set[fx.Node] = set()
            stack = [u for n in members for u in n.users]
            while stack:
                u = stack.pop()
                if u in down or u in members:
                    continue
                down.add(u)
                stack.extend(u.users)
            up: set[fx.Node] = set()
            stack = [a for n in members for a in deps(n)]
            while stack:
                a = stack.pop()
                if a in up or a in members:
                    continue
                up.add(a)
                stack.extend(deps(a))
            between = [n for n in down & up if n.op not in ("placeholder", "output")]
            if between:
                first = next(iter(members))
                for n in between:
                    if n not in parent:
                        parent[n] = n
                        mapped.pop(n, None)
                    union(first, n)
                changed = True
                break
        if not changed:
            break
    groups = defaultdict(list)
    for n in parent:
        groups[find(n)].append(n)
    regions = []
    for members in sorted(groups.values(), key=lambda ms: min(order[m] for m in ms)):
        members.sort(key=order.get)
        inside = set(members)
        region = _Region(members)
        for n in members:
            for a in _node_args(n):
                if a not in inside and a not in region.inputs:
                    region.inputs.append(a)
            if any(u not in inside for u in n.users if u in needed or u.op == "output"):
                region.outputs.append(n)
        regions.append(region)
    return regions


def _node_id(name: str, taken: set[str]) -> str:
    base = "".join(c if c.isalnum() or c == "_" else "_" for c in name).strip("_") or "node"
    if not base[0].isalpha():
        base = "n" + base
    if base in RESERVED_IDS or base in ("input",):
        base += "_"
    nid, i = base, 1
    while nid in taken:
        i += 1
        nid = f"{base}_{i}"
    taken.add(nid)
    return nid


def import_traced(model: nn.Module, example: torch.Tensor, source: str, options: dict[str, Any] | None = None,
                  traced: fx.GraphModule | None = None, shapes_from: fx.GraphModule | None = None) -> ImportResult:
    """`model` (in eval mode) as a Studio graph; `source` "torchvision:ARCH" makes Module blocks that
    rebuild from torchvision's ARCH(**options). `shapes_from` is the same model traced on the meta
    device: its shapes are propagated there (free) instead of running `model` on `example`."""
    from torch.fx.passes.shape_prop import ShapeProp

    model.eval()
    if traced is None:
        try:
            traced = fx.symbolic_trace(model)
        except Exception as exc:
            raise UserError(f"{source} cannot be traced with torch.fx ({type(exc).__name__}: {exc})") from exc
    placeholders = [n for n in traced.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != 1:
        raise UserError(f"{source} takes {len(placeholders)} inputs; import handles models of one input")
    with torch.no_grad():
        if shapes_from is not None:
            ShapeProp(shapes_from).propagate(example.to("meta"))
            metas = {n.name: n.meta.get("tensor_meta") for n in shapes_from.graph.nodes}
            for n in traced.graph.nodes:
                if metas.get(n.name) is not None:
                    n.meta["tensor_meta"] = metas[n.name]
        else:
            ShapeProp(traced).propagate(example)
    mapped = _classify(traced)
    needed = _needed(traced, mapped)
    regions = _regions(traced, mapped, needed)
    option_text = json.dumps(options or {}, sort_keys=True)
    modules = dict(traced.named_modules())

    graph = Graph()
    taken: set[str] = set()
    where: dict[fx.Node, tuple[str, str]] = {}
    """Each traced value's place in the Studio graph: (node id, port)."""
    weights: dict[str, torch.Tensor] = {}
    opaque: list[dict[str, Any]] = []
    region_of = {n: r for r in regions for n in r.nodes}
    placed: set[int] = set()

    def wire(dst: str, srcs: list[fx.Node], ports) -> None:
        for src, port in zip(srcs, ports, strict=False):
            s = where[src]
            graph.connect(s[0], dst, s[1], port)

    x = placeholders[0]
    graph.add_node(Node("input", "Input", {"shape": list(_shape(x)[1:])}))
    taken.add("input")
    where[x] = ("input", "out")
    for node in traced.graph.nodes:
        if node not in needed or node is x:
            continue
        if node.op == "output":
            outs = node.args[0] if isinstance(node.args[0], (tuple, list)) else [node.args[0]]
            for i, out in enumerate(outs):
                if not _batched(out):
                    raise UserError(f"{source}: output {i} is not a batch of float tensors; import handles those")
                hid = _node_id("head" if len(outs) == 1 else f"head{i + 1}", taken)
                shape = _shape(out)
                block = "ClassificationHead" if len(shape) == 2 and shape[1] >= 2 else "RegressionHead"
                graph.add_node(Node(hid, block, {}))
                wire(hid, [out], ["in"])
            continue
        region = region_of.get(node)
        if region is not None:
            if id(region) in placed:
                continue
            placed.add(id(region))
            if len(region.inputs) > MAX_PORTS or len(region.outputs) > MAX_PORTS or not region.inputs:
                raise UserError(f"{source}: a run of {len(region.nodes)} layers Studio has no block for "
                                f"(from {region.nodes[0].name}) takes {len(region.inputs)} and gives "
                                f"{len(region.outputs)} values; a Module block takes and gives 1 to {MAX_PORTS}")
            if not source.startswith("torchvision:"):
                raise UserError(f"{source}: {region.nodes[0].name} ({region.nodes[0].target}) has no Studio block "
                                "and only torchvision models can keep such layers as Module blocks")
            for v in (*region.inputs, *region.outputs):
                if not _batched(v):
                    raise UserError(f"{source}: the run from {region.nodes[0].name} passes a value that is not a "
                                    f"batch of float tensors ({v.name}); a Module block cannot carry it")
            nid = _node_id(region.nodes[0].name, taken)
            params = {"source": source, "options": option_text, "nodes": " ".join(n.name for n in region.nodes),
                      "inputs": " ".join(n.name for n in region.inputs),
                      "outputs": " ".join(n.name for n in region.outputs),
                      "input_shapes": shapes_text([_shape(v)[1:] for v in region.inputs]),
                      "output_shapes": shapes_text([_shape(v)[1:] for v in region.outputs])}
            body = _extract(traced, region)  # what the block rebuilds from torchvision at compile time
            params["num_params"] = sum(p.numel() for p in body.parameters())
            graph.add_node(Node(nid, "Module", params))
            wire(nid, region.inputs, IN_PORTS)
            for v, port in zip(region.outputs, OUT_PORTS, strict=False):
                where[v] = (nid, port)
            for k, v in body.state_dict().items():
                weights[f"{nid}.body.{k}"] = v.detach().clone()
            opaque.append({"id": nid, "params": params["num_params"], "layers": len(region.nodes),
                           "holds": sorted({_what(n, modules) for n in region.nodes})[:8]})
            continue
        m = mapped[node]
        if isinstance(m, Alias):
            where[node] = where[m.of]
            continue
        nid = _node_id(node.name, taken)
        graph.add_node(Node(nid, m.block, m.params))
        wire(nid, m.inputs, ["in"] if m.block not in ("Add", "Multiply", "Concat") else ["in"] * len(m.inputs))
        where[node] = (nid, "out")
        if m.weights is not None:
            for k, v in m.weights.state_dict().items():
                weights[f"{nid}.{k}"] = v.detach().clone()
    layout(graph)
    return ImportResult(graph, weights, source, tuple(_shape(x)[1:]), count_native(graph), opaque,
                        sum(p.numel() for p in model.parameters()))


def _what(node: fx.Node, modules: dict[str, nn.Module]) -> str:
    if node.op == "call_module":
        return type(modules[node.target]).__name__
    if node.op == "get_attr":
        return "parameter"
    return getattr(node.target, "__name__", str(node.target))


def _extract(traced: fx.GraphModule, region: _Region) -> fx.GraphModule:
    graph = fx.Graph()
    env: dict[fx.Node, fx.Node] = {v: graph.placeholder(v.name) for v in region.inputs}
    for n in region.nodes:
        env[n] = graph.node_copy(n, lambda a: env[a])
    outs = [env[o] for o in region.outputs]
    graph.output(outs[0] if len(outs) == 1 else tuple(outs))
    return fx.GraphModule(traced, graph)
