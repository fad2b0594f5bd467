"""Every block: the inferred shape and parameter count equal what the real PyTorch module does.

For each block, hypothesis draws parameters and input sizes; the block is wired behind Input nodes,
inferred symbolically, then its module is built and run on real tensors. Inferred output shape
must equal the real output shape and the inferred parameter count must equal sum(p.numel()).
For convolutions and pooling, invalid combinations are drawn too: inference must refuse exactly
those that PyTorch refuses.
"""

from __future__ import annotations

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.graph.infer import infer_graph
from studio.core.graph.model import Graph, Node
from studio.core.graph.registry import all_blocks, get_block

ints = st.integers
ROLE_MESSAGES = ("has no output head", "has no Input")


def _conv(dims):
    def case(d):
        c = d.draw(ints(1, 4))
        sizes = tuple(d.draw(ints(1, 12)) for _ in range(dims))
        g = d.draw(st.sampled_from([1, c]))
        params = {"out_channels": g * d.draw(ints(1, 3)), "kernel_size": d.draw(ints(1, 5)),
                  "stride": d.draw(ints(1, 3)), "padding": d.draw(ints(0, 2)), "dilation": d.draw(ints(1, 2)),
                  "groups": g, "bias": d.draw(st.booleans())}
        return params, [("in", (c, *sizes), "float32")]
    return case


def _pool(dims):
    def case(d):
        sizes = tuple(d.draw(ints(1, 10)) for _ in range(dims))
        params = {"kernel_size": d.draw(ints(1, 4)), "stride": d.draw(st.none() | ints(1, 3)),
                  "padding": d.draw(ints(0, 2))}
        return params, [("in", (d.draw(ints(1, 3)), *sizes), "float32")]
    return case


def _adaptive(dims):
    def case(d):
        sizes = tuple(d.draw(ints(1, 9)) for _ in range(dims))
        return {"output_size": d.draw(ints(1, 4))}, [("in", (d.draw(ints(1, 3)), *sizes), "float32")]
    return case


def _any_shape(d, min_rank=1, max_rank=3):
    return tuple(d.draw(ints(1, 6)) for _ in range(d.draw(ints(min_rank, max_rank))))


def _elementwise(d):
    return {}, [("in", _any_shape(d), "float32")]


def _convt(d):
    params = {"out_channels": d.draw(ints(1, 4)), "kernel_size": d.draw(ints(1, 4)), "stride": d.draw(ints(1, 3)),
              "padding": d.draw(ints(0, 2)), "output_padding": d.draw(ints(0, 2)), "bias": d.draw(st.booleans())}
    return params, [("in", (d.draw(ints(1, 3)), d.draw(ints(1, 6)), d.draw(ints(1, 6))), "float32")]


def _recurrent(kind):
    def case(d):
        params = {"hidden_size": d.draw(ints(1, 8)), "num_layers": d.draw(ints(1, 3)),
                  "bidirectional": d.draw(st.booleans()), "output": d.draw(st.sampled_from(["last", "sequence"]))}
        if kind == "RNN":
            params["nonlinearity"] = d.draw(st.sampled_from(["tanh", "relu"]))
        if params["num_layers"] > 1:
            params["dropout"] = 0.1
        return params, [("in", (d.draw(ints(1, 6)), d.draw(ints(1, 6))), "float32")]
    return case


def _mha(d):
    h = d.draw(ints(1, 4))
    e = h * d.draw(ints(1, 4))
    inputs = [("in", (d.draw(ints(1, 6)), e), "float32")]
    causal = d.draw(st.booleans())
    if not causal and d.draw(st.booleans()):
        inputs.append(("context", (d.draw(ints(1, 6)), d.draw(st.sampled_from([e, d.draw(ints(1, 9))]))), "float32"))
    return {"num_heads": h, "bias": d.draw(st.booleans()), "causal": causal}, inputs


def _encoder(d):
    h = d.draw(ints(1, 4))
    params = {"nhead": h, "dim_feedforward": d.draw(ints(1, 32)), "activation": d.draw(st.sampled_from(["relu", "gelu"])),
              "norm_first": d.draw(st.booleans()), "causal": d.draw(st.booleans())}
    return params, [("in", (d.draw(ints(1, 7)), h * d.draw(ints(1, 4))), "float32")]


def _posenc(d):
    kind = d.draw(st.sampled_from(["sinusoidal", "learned"]))
    width = 2 * d.draw(ints(1, 8)) if kind == "sinusoidal" else d.draw(ints(1, 9))
    return {"kind": kind, "scale": d.draw(st.booleans())}, [("in", (d.draw(ints(1, 9)), width), "float32")]


def _patch(d):
    p = d.draw(ints(1, 4))
    shape = (d.draw(ints(1, 3)), p * d.draw(ints(1, 4)), p * d.draw(ints(1, 4)))
    params = {"patch_size": p, "embed_dim": d.draw(ints(1, 16)), "class_token": d.draw(st.booleans()),
              "position": d.draw(st.booleans())}
    return params, [("in", shape, "float32")]


def _conformer(d):
    h = d.draw(ints(1, 3))
    params = {"num_heads": h, "ff_mult": d.draw(ints(1, 4)), "kernel_size": 2 * d.draw(ints(0, 4)) + 1}
    return params, [("in", (d.draw(ints(1, 8)), h * d.draw(ints(1, 4))), "float32")]


def _merge(d):
    shape = _any_shape(d)
    return {}, [("in", shape, "float32")] * d.draw(ints(2, 3))


def _concat(d):
    rank = d.draw(ints(1, 3))
    axis = d.draw(ints(0, rank - 1))
    base = [d.draw(ints(1, 5)) for _ in range(rank)]
    inputs = []
    for _ in range(d.draw(ints(2, 3))):
        shape = list(base)
        shape[axis] = d.draw(ints(1, 5))
        inputs.append(("in", tuple(shape), "float32"))
    dim = d.draw(st.sampled_from([axis + 1, axis - rank]))
    return {"dim": dim}, inputs


def _permute(d):
    shape = _any_shape(d, 1, 3)
    perm = d.draw(st.permutations(list(range(1, len(shape) + 1))))
    return {"dims": [0, *perm]}, [("in", shape, "float32")]


def _reshape(d):
    a, b, c = d.draw(ints(1, 4)), d.draw(ints(1, 4)), d.draw(ints(1, 4))
    target = d.draw(st.sampled_from([[a * b * c], [c, a * b], [a, b, c], [-1, c], [a, -1], [c, b, a]]))
    return {"shape": target}, [("in", (a, b, c), "float32")]


def _upsample(d):
    rank = d.draw(ints(2, 3))
    mode = d.draw(st.sampled_from(["nearest", "linear" if rank == 2 else "bilinear"]))
    shape = tuple(d.draw(ints(1, 5)) for _ in range(rank))
    return {"scale_factor": d.draw(ints(1, 3)), "mode": mode}, [("in", shape, "float32")]


def _softmax(d):
    shape = _any_shape(d)
    dim = d.draw(st.sampled_from([i for i in range(-len(shape), len(shape) + 1) if i != 0]))
    return {"dim": dim}, [("in", shape, "float32")]


def _linear(d):
    shape = _any_shape(d, 1, 2)
    return {"out_features": d.draw(ints(1, 12)), "bias": d.draw(st.booleans())}, [("in", shape, "float32")]


def _embedding(d):
    shape = _any_shape(d, 1, 2)
    return {"num_embeddings": d.draw(ints(1, 50)), "embedding_dim": d.draw(ints(1, 12))}, [("in", shape, "int64")]


def _index(d):
    """One integer per sample: a time step or a class index (N, 1)."""
    return [("in", (1,), "int64")]


def _timestep(d):
    return {"embedding_dim": 2 * d.draw(ints(1, 8)), "hidden_dim": d.draw(ints(1, 12)),
            "max_period": d.draw(ints(2, 10000))}, _index(d)


def _label(d):
    return {"num_classes": d.draw(ints(1, 20)), "embedding_dim": d.draw(ints(1, 12))}, _index(d)


def _flatten(d):
    shape = _any_shape(d, 1, 3)
    return {"start_dim": d.draw(ints(1, len(shape)))}, [("in", shape, "float32")]


def _norm(ranks):
    def case(d):
        return {}, [("in", _any_shape(d, min(ranks), max(ranks)), "float32")]
    return case


def _groupnorm(d):
    g = d.draw(ints(1, 4))
    shape = (g * d.draw(ints(1, 3)), *(d.draw(ints(1, 5)) for _ in range(d.draw(ints(1, 2)))))
    return {"num_groups": g}, [("in", shape, "float32")]


def _seqpool(d):
    return {"mode": d.draw(st.sampled_from(["mean", "max", "first", "last"]))}, [("in", _any_shape(d, 2, 2), "float32")]


def _fixed(params, shape_fn):
    def case(d):
        return params(d), [("in", shape_fn(d), "float32")]
    return case


CASES = {
    "Input": lambda d: ({"shape": list(_any_shape(d))}, []),
    "Conv1d": _conv(1), "Conv2d": _conv(2), "ConvTranspose2d": _convt,
    "MaxPool1d": _pool(1), "MaxPool2d": _pool(2), "AvgPool1d": _pool(1), "AvgPool2d": _pool(2),
    "AdaptiveAvgPool1d": _adaptive(1), "AdaptiveAvgPool2d": _adaptive(2),
    "BatchNorm1d": _norm((1, 2)), "BatchNorm2d": _norm((3,)), "LayerNorm": _norm((1, 3)), "GroupNorm": _groupnorm,
    "Dropout": _elementwise, "Linear": _linear, "Embedding": _embedding, "TimestepEmbedding": _timestep,
    "LabelEmbedding": _label,
    "Flatten": _flatten, "Reshape": _reshape, "Permute": _permute, "Upsample": _upsample, "Identity": _elementwise,
    "SequencePool": _seqpool,
    "ReLU": _elementwise, "LeakyReLU": _elementwise, "GELU": _elementwise, "SiLU": _elementwise,
    "Sigmoid": _elementwise, "Tanh": _elementwise, "Softmax": _softmax,
    "RNN": _recurrent("RNN"), "LSTM": _recurrent("LSTM"), "GRU": _recurrent("GRU"),
    "MultiheadAttention": _mha, "TransformerEncoderLayer": _encoder, "PositionalEncoding": _posenc,
    "PatchEmbedding": _patch, "ConformerBlock": _conformer,
    "Add": _merge, "Multiply": _merge, "Concat": _concat,
    "ClassificationHead": _fixed(lambda d: {}, lambda d: (d.draw(ints(2, 12)),)),
    "RegressionHead": _fixed(lambda d: {"loss": d.draw(st.sampled_from(["mse", "l1", "smooth_l1"]))},
                             lambda d: (d.draw(ints(1, 6)),)),
    "SegmentationHead": _fixed(lambda d: {}, lambda d: (d.draw(ints(2, 4)), d.draw(ints(1, 6)), d.draw(ints(1, 6)))),
    "KeypointHead": _fixed(lambda d: {"loss": d.draw(st.sampled_from(["mse", "smooth_l1"]))},
                           lambda d: (2 * d.draw(ints(1, 6)),)),
    "EmbeddingHead": _fixed(lambda d: {"normalize": d.draw(st.booleans())}, lambda d: (d.draw(ints(1, 8)),)),
    "LanguageModelHead": _fixed(lambda d: {}, lambda d: (d.draw(ints(1, 6)), d.draw(ints(2, 12)))),
    "DiffusionHead": _fixed(lambda d: {"schedule": d.draw(st.sampled_from(["linear", "quadratic", "cosine"]))},
                            lambda d: (d.draw(ints(1, 3)), d.draw(ints(1, 6)), d.draw(ints(1, 6)))),
    "GANHead": _fixed(lambda d: {"loss": d.draw(st.sampled_from(["bce", "bce_logits"]))}, lambda d: (1,)),
    "PretrainedBackbone": lambda d: ({"arch": d.draw(st.sampled_from(["resnet18", "mobilenet_v3_small"])),
                                      "output": d.draw(st.sampled_from(["pooled", "features"])), "random_init": True},
                                     [("in", (3, d.draw(ints(32, 48)), d.draw(ints(32, 48))), "float32")]),
    "DetectionHead": lambda d: ({"num_anchors": (b := d.draw(ints(1, 4)))},
                                [("in", (b * (5 + d.draw(ints(1, 4))), d.draw(ints(1, 6)), d.draw(ints(1, 6))),
                                  "float32")]),
}
# Blocks where drawn parameters may be invalid; inference must reject exactly what torch rejects.
MAY_FAIL = {"Conv1d", "Conv2d", "ConvTranspose2d", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d"}


def _graph(block, params, inputs):
    g = Graph()
    if block == "Input":
        g.add_node(Node("b", "Input", params))
        return g
    for i, (_port, shape, dtype) in enumerate(inputs):
        g.add_node(Node(f"in{i}", "Input", {"shape": list(shape), "dtype": dtype}))
    g.add_node(Node("b", block, params))
    for i, (port, _, _) in enumerate(inputs):
        g.connect(f"in{i}", "b", "out", port)
    return g


def _tensor(shape, dtype, params, batch=3):
    if dtype == "int64":
        return torch.randint(0, params.get("num_embeddings", params.get("num_classes", 10)), (batch, *shape))
    return torch.randn(batch, *shape)


def test_every_builtin_block_has_a_property_case():
    builtin = {b.name for b in all_blocks() if b.source == "builtin"}
    assert len(builtin) >= 35
    assert builtin == set(CASES)


@pytest.mark.parametrize("block", sorted(CASES))
@settings(max_examples=6, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_inferred_shape_and_params_equal_real_module(block, data):
    params, inputs = CASES[block](data)
    report = infer_graph(_graph(block, params, inputs))
    issues = [e for e in report.errors if e.node == "b" and not any(m in e.message for m in ROLE_MESSAGES)]
    spec = get_block(block)
    info = report.nodes["b"]
    if issues:
        assert block in MAY_FAIL, f"{block} {params} {inputs}: {issues[0].message}"
        # A refusal must be one torch agrees with: it raises, or produces an empty tensor.
        module = spec.construct(info.config, {"in_channels": inputs[0][1][0]}).build().eval()
        try:
            out = module(_tensor(inputs[0][1], "float32", params))
        except RuntimeError:
            return
        assert out.numel() == 0, f"{block} {params} {inputs}: refused ({issues[0].message}) but torch gives {out.shape}"
        return
    module = spec.construct(info.config, info.derived).build().eval()
    if block == "Input":
        xs = [_tensor(params["shape"], "float32", params)]
    else:
        xs = [_tensor(shape, dtype, params) for _, shape, dtype in inputs]
    with torch.no_grad():
        out = module(*xs)
    assert tuple(out.shape) == (3, *info.outputs["out"].shape), (params, inputs)
    assert info.output_shape == ("N", *out.shape[1:])
    assert info.params == sum(p.numel() for p in module.parameters()), (params, inputs)
    assert info.activation_bytes == out[0].numel() * out.element_size()
    if block not in ("Embedding", "LabelEmbedding") and any(p.numel() for p in module.parameters()):  # lookups: no arithmetic
        assert info.flops > 0
