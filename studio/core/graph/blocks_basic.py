"""Built-in feed-forward blocks: input, convolution, pooling, normalisation, linear, shape,
activation and merge blocks. Each one is data (parameters and ports) plus a shape rule and a
construct function; see block_spec.py for why they are split that way.

Shape rules follow PyTorch's documented formulas (output size with kernel k, stride s, padding p,
dilation d: floor((L + 2p - d(k-1) - 1) / s) + 1) and count FLOPs per sample as 2 x multiply-adds
for weighted layers and one per element for element-wise ones.
"""

from __future__ import annotations

import math
from typing import Any

from torch import nn

from studio.core.graph import layers
from studio.core.graph.block_spec import (
    BlockSpec,
    Construct,
    ParamSpec,
    RuleContext,
    ShapeError,
    ShapeResult,
    TensorSpec,
)
from studio.core.graph.fixes import Fix, insert_fix, set_param_fix

P = ParamSpec

BLOCKS: list[BlockSpec] = []
"""The feed-forward blocks, in palette order; `registry.register_builtin_blocks` adds them to a catalogue."""


def _flatten_fix(ctx: RuleContext, port: str = "in") -> Fix | None:
    edge = ctx.sources.get(port)
    return insert_fix("Flatten", edge) if edge is not None else None


def conv_out(size: int, k: int, s: int, p: int, d: int) -> int:
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def _shown_out(out: tuple[int, ...]) -> str:
    return "output " + ("length " if len(out) == 1 else "") + "x".join(map(str, out))


def _fit_fix(ctx: RuleContext, sizes: tuple[int, ...], k: int, s: int, p: int, d: int, pool: bool) -> Fix:
    """A fix for a window that does not fit its input, whose text names the output it really gives.

    Convolutions get padding: "same" padding when the stride is 1 (the size is kept only where
    d(k-1) is even), at least the least padding that leaves one output. Pooling gets a smaller
    kernel instead: PyTorch allows pooling padding of at most half the kernel, so padding alone
    cannot fit a kernel much larger than its input; the largest kernel that fits is the input plus
    its padding (the stride follows a kernel it defaults to).
    """
    smallest = min(sizes)
    if pool:
        new_k = smallest + 2 * p
        stride = ctx.p.get("stride") or new_k
        out = tuple(conv_out(n, new_k, stride, p, 1) for n in sizes)
        return set_param_fix(ctx.node_id, "kernel_size", new_k, _shown_out(out))
    least = -(-(d * (k - 1) + 1 - smallest) // 2)
    pad = max(least, (d * (k - 1)) // 2) if s == 1 else least
    out = tuple(conv_out(n, k, s, pad, d) for n in sizes)
    return set_param_fix(ctx.node_id, "padding", pad, "keeps the size" if out == tuple(sizes) else _shown_out(out))


def _spatial(ctx: RuleContext, sizes: tuple[int, ...], k: int, s: int, p: int, d: int,
             pool: bool = False) -> tuple[int, ...]:
    out = tuple(conv_out(n, k, s, p, d) for n in sizes)
    if min(out) < 1:
        shown = "x".join(map(str, sizes))
        raise ShapeError(f"{ctx.name}: kernel {k} (dilation {d}) is larger than its padded input {shown}",
                         _fit_fix(ctx, sizes, k, s, p, d, pool))
    return out


# --- Input ------------------------------------------------------------------------------------

def _input_rule(ctx: RuleContext) -> ShapeResult:
    shape = tuple(ctx.p["shape"])
    if any(n < 1 for n in shape):
        raise ShapeError(f"Input {ctx.node_id}: every size in shape must be at least 1, not {list(shape)}")
    return ShapeResult(TensorSpec(shape, ctx.p["dtype"]))


BLOCKS.append(BlockSpec(
    "Input", "Input",
    "A model input: one sample's shape without the batch dimension (e.g. [1, 28, 28] for an MNIST image, "
    "[28, 28] for 28 rows of 28 features). Use dtype int64 for token ids feeding an Embedding. "
    "Several Input nodes make a multi-modal model; they are fed in the order they appear.",
    (P("shape", "shape", (1, 28, 28), min=1, help="sizes without the batch dimension"),
     P("dtype", "choice", "float32", choices=("float32", "int64"), help="int64 for token ids"),
     P("source", "str", "input", help="which input of the dataset feeds this node")),
    (), ("out",), _input_rule, lambda p, d: Construct(nn.Identity)))


# --- Convolution ------------------------------------------------------------------------------

def _conv_params(out: int, k: int, bias: bool) -> tuple[ParamSpec, ...]:
    return (
        P("out_channels", "int", out, min=1, help="number of filters"),
        P("kernel_size", "int", k, min=1),
        P("stride", "int", 1, min=1),
        P("padding", "int", 0, min=0, help="zeros added on each side; kernel_size // 2 keeps the size"),
        P("dilation", "int", 1, min=1, help="spacing of kernel taps; widens the receptive field"),
        P("groups", "int", 1, min=1, help="in_channels for a depthwise convolution"),
        P("bias", "bool", bias),
    )


def _conv_rule(dims: int):
    layout = "(N, C, L)" if dims == 1 else "(N, C, H, W)"

    def rule(ctx: RuleContext) -> ShapeResult:
        x = ctx.expect_float()
        ctx.expect_rank("in", (dims + 1,), layout, _flatten_fix(ctx) if x.rank > dims + 1 else None)
        p = ctx.p
        cin, cout, g = x.shape[0], p["out_channels"], p["groups"]
        if cin % g or cout % g:
            raise ShapeError(f"{ctx.name}: groups={g} must divide in_channels {cin} and out_channels {cout}",
                             set_param_fix(ctx.node_id, "groups", 1))
        out = _spatial(ctx, x.shape[1:], p["kernel_size"], p["stride"], p["padding"], p["dilation"])
        kk = p["kernel_size"] ** dims
        params = cout * (cin // g) * kk + (cout if p["bias"] else 0)
        macs = cout * math.prod(out) * (cin // g) * kk
        return ShapeResult(TensorSpec((cout, *out)), params, 2 * macs, {"in_channels": cin})
    return rule


def _conv_construct(cls):
    def construct(p: dict[str, Any], d: dict[str, Any]) -> Construct:
        return Construct(cls, (d["in_channels"], p["out_channels"]),
                         {"kernel_size": p["kernel_size"], "stride": p["stride"], "padding": p["padding"],
                          "dilation": p["dilation"], "groups": p["groups"], "bias": p["bias"]},
                         {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True})
    return construct


BLOCKS.append(BlockSpec(
    "Conv2d", "Convolution",
    "2-D convolution over (N, C, H, W): each of out_channels filters slides a k x k window over all "
    "input channels. Output size floor((H + 2p - d(k-1) - 1)/s) + 1. in_channels comes from upstream.",
    _conv_params(32, 3, True), ("in",), ("out",), _conv_rule(2), _conv_construct(nn.Conv2d)))

BLOCKS.append(BlockSpec(
    "Conv1d", "Convolution",
    "1-D convolution over (N, C, L): sequences and audio (kernels of k samples x C channels).",
    _conv_params(32, 3, True), ("in",), ("out",), _conv_rule(1), _conv_construct(nn.Conv1d)))


def _convt_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (3,), "(N, C, H, W)")
    p = ctx.p
    k, s, pad, op = p["kernel_size"], p["stride"], p["padding"], p["output_padding"]
    if op >= s:
        raise ShapeError(f"{ctx.name}: output_padding {op} must be smaller than stride {s}",
                         set_param_fix(ctx.node_id, "output_padding", 0))
    out = tuple((n - 1) * s - 2 * pad + (k - 1) + op + 1 for n in x.shape[1:])
    if min(out) < 1:
        raise ShapeError(f"{ctx.name}: padding {pad} leaves no output for input {x.shown()}",
                         set_param_fix(ctx.node_id, "padding", 0))
    cin, cout = x.shape[0], p["out_channels"]
    params = cin * cout * k * k + (cout if p["bias"] else 0)
    return ShapeResult(TensorSpec((cout, *out)), params, 2 * cin * cout * k * k * math.prod(x.shape[1:]),
                       {"in_channels": cin})


BLOCKS.append(BlockSpec(
    "ConvTranspose2d", "Convolution",
    "Transposed ('up') convolution: kernel 2, stride 2 doubles H and W (the U-Net decoder's up-step). "
    "Output size (H-1)s - 2p + k + output_padding.",
    (P("out_channels", "int", 32, min=1), P("kernel_size", "int", 2, min=1), P("stride", "int", 2, min=1),
     P("padding", "int", 0, min=0), P("output_padding", "int", 0, min=0), P("bias", "bool", True)),
    ("in",), ("out",), _convt_rule,
    lambda p, d: Construct(nn.ConvTranspose2d, (d["in_channels"], p["out_channels"]),
                           {"kernel_size": p["kernel_size"], "stride": p["stride"], "padding": p["padding"],
                            "output_padding": p["output_padding"], "bias": p["bias"]},
                           {"stride": 1, "padding": 0, "output_padding": 0, "bias": True})))


# --- Pooling ----------------------------------------------------------------------------------

def _pool_rule(dims: int):
    layout = "(N, C, L)" if dims == 1 else "(N, C, H, W)"

    def rule(ctx: RuleContext) -> ShapeResult:
        x = ctx.expect_float()
        ctx.expect_rank("in", (dims + 1,), layout)
        k, pad = ctx.p["kernel_size"], ctx.p["padding"]
        s = ctx.p["stride"] or k
        if pad > k // 2:
            raise ShapeError(f"{ctx.name}: padding {pad} must be at most half the kernel ({k})",
                             set_param_fix(ctx.node_id, "padding", k // 2))
        out = _spatial(ctx, x.shape[1:], k, s, pad, 1, pool=True)
        shape = (x.shape[0], *out)
        return ShapeResult(TensorSpec(shape), 0, math.prod(shape) * k ** dims)
    return rule


def _pool_construct(cls):
    def construct(p: dict[str, Any], d: dict[str, Any]) -> Construct:
        return Construct(cls, (p["kernel_size"],), {"stride": p["stride"] or p["kernel_size"], "padding": p["padding"]},
                         {"padding": 0})
    return construct


_POOL_PARAMS = (P("kernel_size", "int", 2, min=1), P("stride", "int", None, min=1, help="empty = kernel_size"),
                P("padding", "int", 0, min=0))

for _name, _cls, _dims, _what in (("MaxPool2d", nn.MaxPool2d, 2, "maximum"), ("AvgPool2d", nn.AvgPool2d, 2, "mean"),
                                  ("MaxPool1d", nn.MaxPool1d, 1, "maximum"), ("AvgPool1d", nn.AvgPool1d, 1, "mean")):
    BLOCKS.append(BlockSpec(
        _name, "Pooling",
        f"Keeps the {_what} of each k-wide window (stride defaults to k), shrinking the feature map: "
        f"2 x 2 with stride 2 halves H and W.",
        _POOL_PARAMS, ("in",), ("out",), _pool_rule(_dims), _pool_construct(_cls)))


def _adaptive_rule(dims: int):
    layout = "(N, C, L)" if dims == 1 else "(N, C, H, W)"

    def rule(ctx: RuleContext) -> ShapeResult:
        x = ctx.expect_float()
        ctx.expect_rank("in", (dims + 1,), layout)
        o = ctx.p["output_size"]
        return ShapeResult(TensorSpec((x.shape[0], *([o] * dims))), 0, x.numel())
    return rule


for _name, _cls, _dims in (("AdaptiveAvgPool2d", nn.AdaptiveAvgPool2d, 2), ("AdaptiveAvgPool1d", nn.AdaptiveAvgPool1d, 1)):
    BLOCKS.append(BlockSpec(
        _name, "Pooling",
        "Averages down to a fixed output size whatever the input size; output_size 1 is global average "
        "pooling (ResNet's last pooling, and the feature map CAM weighs).",
        (P("output_size", "int", 1, min=1),), ("in",), ("out",), _adaptive_rule(_dims),
        lambda p, d, _cls=_cls: Construct(_cls, (p["output_size"],))))


# --- Normalization ----------------------------------------------------------------------------

def _bn_rule(ranks: tuple[int, ...], layout: str):
    def rule(ctx: RuleContext) -> ShapeResult:
        x = ctx.expect_float()
        ctx.expect_rank("in", ranks, layout)
        c = x.shape[0]
        return ShapeResult(x, 2 * c, 2 * x.numel(), {"num_features": c})
    return rule


_NORM_PARAMS = (P("eps", "float", 1e-5, min=0.0), P("momentum", "float", 0.1, min=0.0, max=1.0))


def _bn_construct(cls):
    return lambda p, d: Construct(cls, (d["num_features"],), {"eps": p["eps"], "momentum": p["momentum"]},
                                  {"eps": 1e-5, "momentum": 0.1})


BLOCKS.append(BlockSpec(
    "BatchNorm2d", "Normalization",
    "Batch normalisation per channel of (N, C, H, W): a = (a - mu) / sigma over the batch, then a learned "
    "scale and shift. Stabilises and speeds up training of CNNs.",
    _NORM_PARAMS, ("in",), ("out",), _bn_rule((3,), "(N, C, H, W)"), _bn_construct(nn.BatchNorm2d)))
BLOCKS.append(BlockSpec(
    "BatchNorm1d", "Normalization",
    "Batch normalisation per feature of (N, F) or per channel of (N, C, L).",
    _NORM_PARAMS, ("in",), ("out",), _bn_rule((1, 2), "(N, F) or (N, C, L)"), _bn_construct(nn.BatchNorm1d)))


def _ln_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    d = x.shape[-1]
    return ShapeResult(x, 2 * d if ctx.p["elementwise_affine"] else 0, 4 * x.numel(), {"normalized_shape": d})


BLOCKS.append(BlockSpec(
    "LayerNorm", "Normalization",
    "Layer normalisation over the last dimension of each sample (the features of each token); "
    "independent of the batch, the norm of Transformers.",
    (P("eps", "float", 1e-5, min=0.0), P("elementwise_affine", "bool", True)), ("in",), ("out",), _ln_rule,
    lambda p, d: Construct(nn.LayerNorm, (d["normalized_shape"],),
                           {"eps": p["eps"], "elementwise_affine": p["elementwise_affine"]},
                           {"eps": 1e-5, "elementwise_affine": True})))


def _gn_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (2, 3), "(N, C, L) or (N, C, H, W)")
    c, g = x.shape[0], ctx.p["num_groups"]
    if c % g:
        best = max(i for i in range(1, min(g, c) + 1) if c % i == 0)
        raise ShapeError(f"{ctx.name}: num_groups {g} must divide the {c} channels",
                         set_param_fix(ctx.node_id, "num_groups", best))
    return ShapeResult(x, 2 * c, 4 * x.numel(), {"num_channels": c})


BLOCKS.append(BlockSpec(
    "GroupNorm", "Normalization",
    "Normalises groups of channels per sample; works with tiny batches where BatchNorm struggles.",
    (P("num_groups", "int", 8, min=1), P("eps", "float", 1e-5, min=0.0)), ("in",), ("out",), _gn_rule,
    lambda p, d: Construct(nn.GroupNorm, (p["num_groups"], d["num_channels"]), {"eps": p["eps"]}, {"eps": 1e-5})))


# --- Regularization ---------------------------------------------------------------------------

BLOCKS.append(BlockSpec(
    "Dropout", "Regularization",
    "Zeroes each activation with probability p during training (and rescales the rest); off at "
    "evaluation. The course's CNN uses 0.25 after pooling and 0.5 before the last layer.",
    (P("p", "float", 0.5, min=0.0, max=0.99),), ("in",), ("out",),
    lambda ctx: ShapeResult(ctx.x(), 0, ctx.x().numel()),
    lambda p, d: Construct(nn.Dropout, (p["p"],))))


# --- Linear -----------------------------------------------------------------------------------

def _linear_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    if x.rank > 2:
        raise ShapeError(f"{ctx.name} expects (N, F) but gets {x.shown()}", _flatten_fix(ctx))
    fin, fout = x.shape[-1], ctx.p["out_features"]
    rows = x.shape[0] if x.rank == 2 else 1
    params = fin * fout + (fout if ctx.p["bias"] else 0)
    return ShapeResult(TensorSpec((*x.shape[:-1], fout)), params, 2 * rows * fin * fout, {"in_features": fin})


BLOCKS.append(BlockSpec(
    "Linear", "Linear",
    "Fully connected layer y = xW^T + b on (N, F), or on every token of (N, T, F). in_features is "
    "filled in from upstream (the course's hand-typed 64 * 14 * 14).",
    (P("out_features", "int", 128, min=1), P("bias", "bool", True)), ("in",), ("out",), _linear_rule,
    lambda p, d: Construct(nn.Linear, (d["in_features"], p["out_features"]), {"bias": p["bias"]}, {"bias": True})))


def _embedding_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.x()
    if not x.dtype.startswith("int"):
        raise ShapeError(f"{ctx.name} expects integer token ids but gets real values {x.shown()}",
                         _int_input_fix(ctx))
    v, dim = ctx.p["num_embeddings"], ctx.p["embedding_dim"]
    return ShapeResult(TensorSpec((*x.shape, dim)), v * dim, 0)


def _int_input_fix(ctx: RuleContext) -> Fix | None:
    edge = ctx.sources.get("in")
    if edge is None:
        return None
    return Fix("set_param", f"set dtype of {edge.src} to int64 (if it is an Input of token ids)",
               {"node": edge.src, "param": "dtype", "value": "int64"})


BLOCKS.append(BlockSpec(
    "Embedding", "Linear",
    "A learned vector for each token id: (N, T) int64 ids -> (N, T, embedding_dim). num_embeddings is "
    "the vocabulary size.",
    (P("num_embeddings", "int", 1000, min=1, help="vocabulary size"), P("embedding_dim", "int", 64, min=1)),
    ("in",), ("out",), _embedding_rule,
    lambda p, d: Construct(nn.Embedding, (p["num_embeddings"], p["embedding_dim"]))))


def _one_index(ctx: RuleContext, what: str, whats: str) -> None:
    """Refuse anything but one whole number per sample, (N, 1): what an Input of shape [1] and dtype
    int64 gives (the data may also come as (N,)). The fixes name the upstream node to change."""
    x = ctx.x()
    edge = ctx.sources.get("in")
    if not x.dtype.startswith("int"):
        fix = None if edge is None else Fix(
            "set_param", f"set dtype of {edge.src} to int64 (if it is the Input of the {whats})",
            {"node": edge.src, "param": "dtype", "value": "int64"})
        raise ShapeError(f"{ctx.name} expects integer {whats} but gets real values {x.shown()}", fix)
    if x.shape != (1,):
        fix = None if edge is None else set_param_fix(edge.src, "shape", [1], f"if it is the Input of the {whats}")
        raise ShapeError(f"{ctx.name} expects one {what} per sample, (N, 1), but gets {x.shown()}", fix)


def _timestep_rule(ctx: RuleContext) -> ShapeResult:
    _one_index(ctx, "time step", "time steps")
    dim, hid = ctx.p["embedding_dim"], ctx.p["hidden_dim"]
    if dim % 2:
        raise ShapeError(f"{ctx.name}: the sinusoidal embedding needs an even embedding_dim, not {dim}",
                         set_param_fix(ctx.node_id, "embedding_dim", dim + 1))
    params = dim * hid + hid + hid * dim + dim
    return ShapeResult(TensorSpec((dim,)), params, 2 * 2 * dim * hid + 2 * dim)


BLOCKS.append(BlockSpec(
    "TimestepEmbedding", "Linear",
    "The diffusion model's time-step input: an integer step t per sample, (N, 1) int64 from an Input of "
    "shape [1] (source timestep), -> sinusoids of width embedding_dim -> Linear, SiLU, Linear -> "
    "(N, embedding_dim). Add it to (or concatenate it with) the denoiser's features.",
    (P("embedding_dim", "int", 64, min=2, help="width of the sinusoids and of the output (even)"),
     P("hidden_dim", "int", 256, min=1, help="width of the MLP's hidden layer"),
     P("max_period", "int", 10000, min=2, help="longest sinusoid period, in steps")),
    ("in",), ("out",), _timestep_rule,
    lambda p, d: Construct(layers.TimestepEmbedding, (p["embedding_dim"], p["hidden_dim"]),
                           {"max_period": p["max_period"]}, {"max_period": 10000})))


def _label_rule(ctx: RuleContext) -> ShapeResult:
    _one_index(ctx, "class index", "class indices")
    n, dim = ctx.p["num_classes"], ctx.p["embedding_dim"]
    return ShapeResult(TensorSpec((dim,)), n * dim, 0)


BLOCKS.append(BlockSpec(
    "LabelEmbedding", "Linear",
    "A learned vector per class for conditional models (cGAN): one class index per sample, (N, 1) int64 "
    "from an Input of shape [1] (source label), -> (N, embedding_dim). Concat it with the noise z (dim 1) "
    "to tell the generator which class to draw.",
    (P("num_classes", "int", 10, min=1), P("embedding_dim", "int", 10, min=1)),
    ("in",), ("out",), _label_rule,
    lambda p, d: Construct(layers.LabelEmbedding, (p["num_classes"], p["embedding_dim"]))))


# --- Shape ------------------------------------------------------------------------------------

def _flatten_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.x()
    start = ctx.p["start_dim"]
    if start > x.rank:
        raise ShapeError(f"{ctx.name}: start_dim {start} is past the last dimension of {x.shown()}",
                         set_param_fix(ctx.node_id, "start_dim", 1))
    shape = (*x.shape[: start - 1], math.prod(x.shape[start - 1:]))
    return ShapeResult(TensorSpec(shape, x.dtype))


BLOCKS.append(BlockSpec(
    "Flatten", "Shape",
    "Flattens every sample to a vector: (N, 64, 14, 14) -> (N, 12544), as needed between convolutions "
    "and Linear layers.",
    (P("start_dim", "int", 1, min=1, help="first dimension to flatten (0 is the batch)"),), ("in",), ("out",),
    _flatten_rule, lambda p, d: Construct(nn.Flatten, (), {"start_dim": p["start_dim"]}, {"start_dim": 1})))


def _reshape_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.x()
    target = list(ctx.p["shape"])
    n = x.numel()
    if target.count(-1) > 1:
        raise ShapeError(f"{ctx.name}: shape {target} may contain at most one -1")
    known = math.prod(v for v in target if v != -1)
    if -1 in target:
        if n % known:
            raise ShapeError(f"{ctx.name} cannot reshape {x.shown()} ({n} values) to {target}")
        target[target.index(-1)] = n // known
    elif known != n:
        fix = None
        if n % math.prod(target[1:]) == 0:
            fix = set_param_fix(ctx.node_id, "shape", [-1, *target[1:]], "lets Studio work out the first size")
        raise ShapeError(f"{ctx.name} cannot reshape {x.shown()} ({n} values) to {target} ({known} values)", fix)
    return ShapeResult(TensorSpec(tuple(target), x.dtype))


BLOCKS.append(BlockSpec(
    "Reshape", "Shape",
    "Gives every sample a new shape with the same number of values; one size may be -1 (worked out). "
    "E.g. a 784-vector to [1, 28, 28].",
    (P("shape", "shape", (-1,), min=1, help="sizes without the batch dimension; one may be -1"),), ("in",), ("out",),
    _reshape_rule, lambda p, d: Construct(layers.Reshape, (list(p["shape"]),))))


def _permute_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.x()
    dims = list(ctx.p["dims"])
    full = x.rank + 1
    if sorted(dims) != list(range(full)) or dims[0] != 0:
        default = [0, *range(full - 1, 0, -1)]
        raise ShapeError(f"{ctx.name}: dims {dims} must reorder all {full} dimensions of {x.shown()} "
                         f"and keep the batch (0) first", set_param_fix(ctx.node_id, "dims", default))
    full_shape = (0, *x.shape)
    return ShapeResult(TensorSpec(tuple(full_shape[i] for i in dims[1:]), x.dtype))


BLOCKS.append(BlockSpec(
    "Permute", "Shape",
    "Reorders dimensions, batch included as 0: [0, 2, 1] turns (N, C, L) into (N, L, C) (channels-first "
    "convolution features into a sequence of tokens).",
    (P("dims", "shape", (0, 2, 1), min=0),), ("in",), ("out",), _permute_rule,
    lambda p, d: Construct(layers.Permute, (list(p["dims"]),))))


def _upsample_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (2, 3), "(N, C, L) or (N, C, H, W)")
    mode, s = ctx.p["mode"], ctx.p["scale_factor"]
    if (mode == "bilinear" and x.rank != 3) or (mode == "linear" and x.rank != 2):
        good = "linear" if x.rank == 2 else "bilinear"
        raise ShapeError(f"{ctx.name}: mode {mode} does not fit {x.shown()}", set_param_fix(ctx.node_id, "mode", good))
    shape = (x.shape[0], *(n * s for n in x.shape[1:]))
    return ShapeResult(TensorSpec(shape), 0, math.prod(shape))


BLOCKS.append(BlockSpec(
    "Upsample", "Shape",
    "Enlarges feature maps by an integer factor (nearest or (bi)linear interpolation); the parameter-free "
    "alternative to ConvTranspose2d in decoders.",
    (P("scale_factor", "int", 2, min=1), P("mode", "choice", "nearest", choices=("nearest", "linear", "bilinear"))),
    ("in",), ("out",), _upsample_rule,
    lambda p, d: Construct(nn.Upsample, (), {"scale_factor": float(p["scale_factor"]), "mode": p["mode"]})))

BLOCKS.append(BlockSpec(
    "Identity", "Shape", "Passes its input through unchanged (a placeholder or a named tap point for CAM).",
    (), ("in",), ("out",), lambda ctx: ShapeResult(ctx.x()), lambda p, d: Construct(nn.Identity)))


def _seqpool_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (2,), "(N, T, D)")
    return ShapeResult(TensorSpec(x.shape[1:]), 0, x.numel())


BLOCKS.append(BlockSpec(
    "SequencePool", "Shape",
    "Turns a sequence (N, T, D) into one vector (N, D): mean or max over time, or the first step (ViT's "
    "class token) or the last one.",
    (P("mode", "choice", "mean", choices=("mean", "max", "first", "last")),), ("in",), ("out",), _seqpool_rule,
    lambda p, d: Construct(layers.SequencePool, (), {"mode": p["mode"]}, {"mode": "mean"})))


# --- Activation -------------------------------------------------------------------------------

def _act_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    return ShapeResult(x, 0, x.numel())


def _softmax_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    dim = ctx.p["dim"]
    if dim == 0 or not -x.rank <= dim <= x.rank:
        raise ShapeError(f"{ctx.name}: dim {dim} is not a feature dimension of {x.shown()}",
                         set_param_fix(ctx.node_id, "dim", -1))
    return ShapeResult(x, 0, 3 * x.numel())


_ACTIVATIONS: tuple[tuple[str, str, tuple[ParamSpec, ...], Any], ...] = (
    ("ReLU", "max(0, x): the default non-linearity of CNNs and MLPs.", (), lambda p: Construct(nn.ReLU)),
    ("LeakyReLU", "x for x > 0, slope * x otherwise (the GAN discriminator uses 0.2).",
     (P("negative_slope", "float", 0.01, min=0.0),),
     lambda p: Construct(nn.LeakyReLU, (p["negative_slope"],))),
    ("GELU", "Smooth ReLU used by Transformers (BERT, GPT, ViT).",
     (P("approximate", "choice", "none", choices=("none", "tanh")),),
     lambda p: Construct(nn.GELU, (), {"approximate": p["approximate"]}, {"approximate": "none"})),
    ("SiLU", "x * sigmoid(x), also called Swish (Conformer's activation).", (), lambda p: Construct(nn.SiLU)),
    ("Sigmoid", "1 / (1 + e^-x): squashes to (0, 1) (gates, binary outputs).", (), lambda p: Construct(nn.Sigmoid)),
    ("Tanh", "Squashes to (-1, 1) (RNN state, the GAN generator's output).", (), lambda p: Construct(nn.Tanh)),
)

for _name, _doc, _params, _make in _ACTIVATIONS:
    BLOCKS.append(BlockSpec(_name, "Activation", _doc, _params, ("in",), ("out",), _act_rule,
                             lambda p, d, _make=_make: _make(p)))

BLOCKS.append(BlockSpec(
    "Softmax", "Activation",
    "Turns scores into probabilities along dim. Do not put it before a classification head: the head's "
    "cross-entropy already applies log-softmax.",
    (P("dim", "int", -1),), ("in",), ("out",), _softmax_rule,
    lambda p, d: Construct(nn.Softmax, (), {"dim": p["dim"]})))


# --- Merge ------------------------------------------------------------------------------------

def _merge_inputs(ctx: RuleContext) -> tuple[list[TensorSpec], list[Any]]:
    xs = ctx.inputs["in"]
    assert isinstance(xs, list)
    for x in xs:
        if x.dtype.startswith("int"):
            raise ShapeError(f"{ctx.name} expects real-valued inputs but gets integer ids {x.shown()}")
    return xs, list(ctx.sources["in"])


def _projection_fix(ctx: RuleContext, want: TensorSpec, got: TensorSpec, edge: Any) -> Fix | None:
    """A 1x1 convolution (or Linear) that maps a branch to the other branch's channel count."""
    if got.rank == 3 and want.rank == 3 and got.shape[1:] == want.shape[1:]:
        return insert_fix("Conv2d", edge, {"out_channels": want.shape[0], "kernel_size": 1},
                          f"insert a 1x1 Conv2d with {want.shape[0]} channels between {edge.src} and {edge.dst}")
    if got.rank == want.rank and got.shape[:-1] == want.shape[:-1]:
        return insert_fix("Linear", edge, {"out_features": want.shape[-1]},
                          f"insert a Linear with {want.shape[-1]} features between {edge.src} and {edge.dst}")
    return None


def _elementwise_rule(ctx: RuleContext) -> ShapeResult:
    xs, edges = _merge_inputs(ctx)
    first = xs[0]
    for x, e in zip(xs[1:], edges[1:], strict=False):
        if x.shape != first.shape:
            raise ShapeError(f"{ctx.name} merges mismatched shapes: {first.shown()} from {edges[0].src} and "
                             f"{x.shown()} from {e.src}", _projection_fix(ctx, first, x, e))
    return ShapeResult(first, 0, first.numel() * (len(xs) - 1))


def _concat_rule(ctx: RuleContext) -> ShapeResult:
    xs, edges = _merge_inputs(ctx)
    first = xs[0]
    dim = ctx.p["dim"]
    if dim == 0 or not -first.rank <= dim <= first.rank:
        raise ShapeError(f"{ctx.name}: dim {dim} is not a feature dimension of {first.shown()}",
                         set_param_fix(ctx.node_id, "dim", 1))
    axis = dim - 1 if dim > 0 else first.rank + dim
    for x, e in zip(xs[1:], edges[1:], strict=False):
        other = [i for i in range(first.rank) if i != axis]
        if x.rank != first.rank or any(x.shape[i] != first.shape[i] for i in other):
            raise ShapeError(f"{ctx.name} merges mismatched shapes along other dims than {dim}: {first.shown()} "
                             f"from {edges[0].src} and {x.shown()} from {e.src}")
    shape = list(first.shape)
    shape[axis] = sum(x.shape[axis] for x in xs)
    return ShapeResult(TensorSpec(tuple(shape)), 0, 0)


BLOCKS.append(BlockSpec(
    "Add", "Merge", "Element-wise sum of two or more equal-shaped inputs: the residual connection of ResNet.",
    (), ("in",), ("out",), _elementwise_rule, lambda p, d: Construct(layers.Add), variadic=("in",)))
BLOCKS.append(BlockSpec(
    "Multiply", "Merge", "Element-wise product of two or more equal-shaped inputs (gating, attention masks).",
    (), ("in",), ("out",), _elementwise_rule, lambda p, d: Construct(layers.Multiply), variadic=("in",)))
BLOCKS.append(BlockSpec(
    "Concat", "Merge",
    "Joins inputs along dim (1 = channels/features): Inception's parallel branches, U-Net's skip "
    "connections, early fusion of several modalities.",
    (P("dim", "int", 1, help="dimension to join along; 0 is the batch"),), ("in",), ("out",), _concat_rule,
    lambda p, d: Construct(layers.Concat, (), {"dim": p["dim"]}, {"dim": 1}), variadic=("in",)))
