"""Built-in sequence blocks: recurrent layers and the attention family (multi-head attention,
Transformer encoder layer, positional encoding, ViT patch embedding, Conformer block).

Sequences are batch-first, (N, T, D), everywhere in Studio, so blocks chain without Permutes.
Parameter counts follow the layouts of the PyTorch modules they build (checked in the tests).
"""

from __future__ import annotations

import math
from typing import Any

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
from studio.core.graph.fixes import set_param_fix

P = ParamSpec

BLOCKS: list[BlockSpec] = []
"""The sequence blocks, in palette order; `registry.register_builtin_blocks` adds them to a catalogue."""

_SEQ = "a sequence (N, T, D)"


# --- Recurrent --------------------------------------------------------------------------------

_GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def _recurrent_rule(kind: str):
    gates = _GATES[kind]

    def rule(ctx: RuleContext) -> ShapeResult:
        x = ctx.expect_float()
        ctx.expect_rank("in", (2,), "a sequence (N, T, F)")
        t, f = x.shape
        h, layers_, dirs = ctx.p["hidden_size"], ctx.p["num_layers"], 2 if ctx.p["bidirectional"] else 1
        params = macs = 0
        for layer in range(layers_):
            fin = f if layer == 0 else h * dirs
            params += dirs * gates * (h * fin + h * h + 2 * h)
            macs += dirs * gates * (fin * h + h * h) * t
        out = (t, h * dirs) if ctx.p["output"] == "sequence" else (h * dirs,)
        return ShapeResult(TensorSpec(out), params, 2 * macs, {"input_size": f})
    return rule


def _recurrent_construct(cls, kind: str):
    def construct(p: dict[str, Any], d: dict[str, Any]) -> Construct:
        kwargs = {"num_layers": p["num_layers"], "bidirectional": p["bidirectional"], "dropout": p["dropout"],
                  "output": p["output"]}
        if kind == "RNN":
            kwargs["nonlinearity"] = p["nonlinearity"]
        return Construct(cls, (d["input_size"], p["hidden_size"]), kwargs,
                         {"num_layers": 1, "bidirectional": False, "dropout": 0.0, "output": "last",
                          "nonlinearity": "tanh"})
    return construct


def _recurrent_params(kind: str) -> tuple[ParamSpec, ...]:
    params = [
        P("hidden_size", "int", 128, min=1),
        P("num_layers", "int", 1, min=1, help="stacked layers"),
        P("bidirectional", "bool", False),
        P("dropout", "float", 0.0, min=0.0, max=0.99, help="between stacked layers"),
        P("output", "choice", "last", choices=("last", "sequence"),
          help="last step (N, H) for classification, or every step (N, T, H)"),
    ]
    if kind == "RNN":
        params.append(P("nonlinearity", "choice", "tanh", choices=("tanh", "relu")))
    return tuple(params)


_RECURRENT_DOCS = {
    "RNN": "Elman recurrent layer over (N, T, F): h_t = tanh(W x_t + U h_(t-1) + b). Prone to vanishing "
           "gradients over long sequences (use LSTM/GRU, clip gradients).",
    "LSTM": "Long short-term memory over (N, T, F): gated cell state that carries information across many "
            "steps. The course reads a 28x28 image as 28 rows of 28 features with a 2-layer LSTM(128).",
    "GRU": "Gated recurrent unit over (N, T, F): an LSTM with fewer gates and no separate cell state.",
}

for _kind, _cls in (("RNN", layers.RNNBlock), ("LSTM", layers.LSTMBlock), ("GRU", layers.GRUBlock)):
    BLOCKS.append(BlockSpec(_kind, "Recurrent", _RECURRENT_DOCS[_kind], _recurrent_params(_kind), ("in",),
                             ("out",), _recurrent_rule(_kind), _recurrent_construct(_cls, _kind)))


# --- Attention --------------------------------------------------------------------------------

def _heads_fix(ctx: RuleContext, dim: int, param: str) -> Any:
    heads = ctx.p[param]
    best = max(h for h in range(1, min(heads, dim) + 1) if dim % h == 0)
    return set_param_fix(ctx.node_id, param, best, f"divides the width {dim}")


def _check_heads(ctx: RuleContext, dim: int, param: str) -> None:
    if dim % ctx.p[param]:
        raise ShapeError(f"{ctx.name}: {param} {ctx.p[param]} must divide the feature width {dim}",
                         _heads_fix(ctx, dim, param))


def _mha_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (2,), _SEQ)
    t, e = x.shape
    _check_heads(ctx, e, "num_heads")
    ctxt = ctx.inputs.get("context")
    s, kd = t, e
    if ctxt is not None and ctx.p["causal"]:
        raise ShapeError(f"{ctx.name}: causal masks self-attention, but a context sequence is connected "
                         f"(cross-attention sees the whole context)", set_param_fix(ctx.node_id, "causal", False))
    if ctxt is not None:
        ctx.expect_float("context")
        ctx.expect_rank("context", (2,), "a context sequence (N, S, D)")
        s, kd = ctxt.shape
    bias = ctx.p["bias"]
    params = e * e * 2 + 2 * e * kd + ((3 * e + e) if bias else 0)
    macs = t * e * e * 2 + 2 * s * kd * e + 2 * t * s * e
    return ShapeResult(TensorSpec((t, e)), params, 2 * macs, {"embed_dim": e, "kdim": kd if kd != e else None})


BLOCKS.append(BlockSpec(
    "MultiheadAttention", "Attention",
    "Scaled dot-product attention with several heads over (N, T, E): every step attends to every step "
    "(global context, quadratic in T). causal hides future steps: step t attends only to steps up to t "
    "(the square subsequent mask of language models). Connect a context sequence for cross-attention "
    "(Perceiver, multimodal fusion).",
    (P("num_heads", "int", 4, min=1), P("dropout", "float", 0.0, min=0.0, max=0.99), P("bias", "bool", True),
     P("causal", "bool", False, help="each step sees only earlier steps")),
    ("in", "context"), ("out",), _mha_rule,
    lambda p, d: Construct(layers.Attention, (d["embed_dim"], p["num_heads"]),
                           {"dropout": p["dropout"], "bias": p["bias"], "kdim": d["kdim"], "vdim": d["kdim"],
                            "causal": p["causal"]},
                           {"dropout": 0.0, "bias": True, "kdim": None, "vdim": None, "causal": False}),
    optional=("context",)))


def _encoder_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (2,), _SEQ)
    t, dm = x.shape
    _check_heads(ctx, dm, "nhead")
    ff = ctx.p["dim_feedforward"]
    params = (4 * dm * dm + 4 * dm) + (dm * ff + ff) + (ff * dm + dm) + 4 * dm
    macs = t * (4 * dm * dm + 2 * t * dm + 2 * dm * ff)
    return ShapeResult(x, params, 2 * macs, {"d_model": dm})


BLOCKS.append(BlockSpec(
    "TransformerEncoderLayer", "Attention",
    "One Transformer encoder layer over (N, T, D): multi-head self-attention and a feed-forward network, "
    "each with a residual connection and LayerNorm. causal hides future steps (GPT-style language "
    "models, the course's square subsequent mask).",
    (P("nhead", "int", 4, min=1), P("dim_feedforward", "int", 256, min=1),
     P("dropout", "float", 0.1, min=0.0, max=0.99), P("activation", "choice", "relu", choices=("relu", "gelu")),
     P("norm_first", "bool", False, help="pre-norm (more stable when deep)"),
     P("causal", "bool", False, help="each step sees only earlier steps")),
    ("in",), ("out",), _encoder_rule,
    lambda p, d: Construct(layers.EncoderLayer, (d["d_model"], p["nhead"]),
                           {"dim_feedforward": p["dim_feedforward"], "dropout": p["dropout"],
                            "activation": p["activation"], "norm_first": p["norm_first"], "causal": p["causal"]},
                           {"activation": "relu", "norm_first": False, "causal": False})))


def _posenc_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (2,), _SEQ)
    t, dm = x.shape
    if ctx.p["kind"] == "sinusoidal" and dm % 2:
        raise ShapeError(f"{ctx.name}: sinusoidal encoding needs an even width, not {dm}",
                         set_param_fix(ctx.node_id, "kind", "learned"))
    params = t * dm if ctx.p["kind"] == "learned" else 0
    return ShapeResult(x, params, 2 * x.numel(), {"d_model": dm, "max_len": t})


BLOCKS.append(BlockSpec(
    "PositionalEncoding", "Attention",
    "Adds position information to a sequence (attention alone ignores order): the fixed sinusoids of "
    "'Attention is all you need' or a learned table. scale multiplies inputs by sqrt(D) first, as the "
    "course's language model does after its Embedding.",
    (P("kind", "choice", "sinusoidal", choices=("sinusoidal", "learned")),
     P("dropout", "float", 0.0, min=0.0, max=0.99), P("scale", "bool", False)),
    ("in",), ("out",), _posenc_rule,
    lambda p, d: Construct(layers.PositionalEncoding, (d["d_model"], d["max_len"]),
                           {"kind": p["kind"], "dropout": p["dropout"], "scale": p["scale"]},
                           {"kind": "sinusoidal", "dropout": 0.0, "scale": False})))


def _patch_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (3,), "an image (N, C, H, W)")
    c, h, w = x.shape
    ps, dm = ctx.p["patch_size"], ctx.p["embed_dim"]
    if h % ps or w % ps:
        g = math.gcd(h, w)
        best = max(i for i in range(1, min(ps, g) + 1) if g % i == 0)
        raise ShapeError(f"{ctx.name}: patch_size {ps} must divide the image size {h}x{w}",
                         set_param_fix(ctx.node_id, "patch_size", best))
    patches = (h // ps) * (w // ps)
    tokens = patches + (1 if ctx.p["class_token"] else 0)
    params = c * dm * ps * ps + dm + (dm if ctx.p["class_token"] else 0) + (tokens * dm if ctx.p["position"] else 0)
    return ShapeResult(TensorSpec((tokens, dm)), params, 2 * patches * dm * c * ps * ps,
                       {"in_channels": c, "num_patches": patches})


BLOCKS.append(BlockSpec(
    "PatchEmbedding", "Attention",
    "ViT's tokeniser: cuts (N, C, H, W) into patch_size x patch_size patches, embeds each linearly, "
    "prepends a learned class token and adds learned positions: (N, 1 + HW/p^2, D).",
    (P("patch_size", "int", 4, min=1), P("embed_dim", "int", 64, min=1), P("class_token", "bool", True),
     P("position", "bool", True, help="learned position embeddings")),
    ("in",), ("out",), _patch_rule,
    lambda p, d: Construct(layers.PatchEmbedding, (d["in_channels"], p["embed_dim"], p["patch_size"], d["num_patches"]),
                           {"class_token": p["class_token"], "position": p["position"]},
                           {"class_token": True, "position": True})))


def _conformer_rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_float()
    ctx.expect_rank("in", (2,), _SEQ)
    t, dm = x.shape
    _check_heads(ctx, dm, "num_heads")
    k = ctx.p["kernel_size"]
    if k % 2 == 0:
        raise ShapeError(f"{ctx.name}: kernel_size {k} must be odd to keep the sequence length",
                         set_param_fix(ctx.node_id, "kernel_size", k + 1))
    hid = dm * ctx.p["ff_mult"]
    ffn = 2 * dm + dm * hid + hid + hid * dm + dm
    attn = 2 * dm + 4 * dm * dm + 4 * dm
    conv = 2 * dm + (dm * 2 * dm + 2 * dm) + (dm * k + dm) + 2 * dm + (dm * dm + dm)
    params = 2 * ffn + attn + conv + 2 * dm
    macs = t * (2 * 2 * dm * hid + 4 * dm * dm + 2 * t * dm + 2 * dm * dm + dm * k + dm * dm)
    return ShapeResult(x, params, 2 * macs, {"d_model": dm})


BLOCKS.append(BlockSpec(
    "ConformerBlock", "Attention",
    "The Conformer block of speech recognition over (N, T, D): x + FFN/2, + multi-head self-attention, + "
    "convolution module (pointwise conv + GLU, depthwise conv kernel 31, BatchNorm, Swish, pointwise "
    "conv), + FFN/2, then LayerNorm. Convolution captures local patterns, attention global ones.",
    (P("num_heads", "int", 4, min=1), P("ff_mult", "int", 4, min=1), P("kernel_size", "int", 31, min=1),
     P("dropout", "float", 0.1, min=0.0, max=0.99)),
    ("in",), ("out",), _conformer_rule,
    lambda p, d: Construct(layers.ConformerBlock, (d["d_model"],),
                           {"num_heads": p["num_heads"], "ff_mult": p["ff_mult"], "kernel_size": p["kernel_size"],
                            "dropout": p["dropout"]},
                           {"num_heads": 4, "ff_mult": 4, "kernel_size": 31, "dropout": 0.1})))
