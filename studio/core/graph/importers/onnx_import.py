"""An ONNX file as a Studio graph, read with the onnx package (optional: `pip install onnx`).

Each ONNX node maps by its op type and attributes to a Studio block (Conv -> Conv2d, Gemm ->
Linear, BatchNormalization -> BatchNorm2d, ...); its initializers become the block's weights.
Shapes come from ONNX shape inference. An op Studio has no block for cannot become a Module block
here (an ONNX op has no PyTorch module to rebuild it from), so it stops the import with a message
naming the node, its op and the ops that do map.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.errors import UserError
from studio.core.graph.importers.result import ImportResult, count_native, layout
from studio.core.graph.model import Graph, Node

MAPPED_OPS = ("Conv", "BatchNormalization", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Softmax", "MaxPool",
              "AveragePool", "GlobalAveragePool", "Flatten", "Gemm", "MatMul", "Add", "Mul", "Concat", "Reshape",
              "Transpose", "Dropout", "Identity")


def _onnx():
    try:
        import onnx
    except ImportError as exc:
        raise UserError("importing an .onnx file needs the onnx package", "pip install onnx") from exc
    return onnx


@dataclass
class _Value:
    node: str
    port: str = "out"


class _Reader:
    def __init__(self, model, name: str):
        onnx = _onnx()
        from onnx import numpy_helper, shape_inference

        self.name = name
        try:
            model = shape_inference.infer_shapes(model)
        except Exception:  # shapes stay unknown where inference fails; ops needing them say so
            pass
        self.onnx = onnx
        self.g = model.graph
        self.init = {t.name: numpy_helper.to_array(t) for t in self.g.initializer}
        for node in self.g.node:
            if node.op_type == "Constant":
                attr = {a.name: a for a in node.attribute}
                if "value" in attr:
                    self.init[node.output[0]] = numpy_helper.to_array(attr["value"].t)
        self.shapes: dict[str, tuple | None] = {}
        for vi in [*self.g.input, *self.g.value_info, *self.g.output]:
            dims = vi.type.tensor_type.shape.dim
            self.shapes[vi.name] = tuple(d.dim_value if d.HasField("dim_value") else None for d in dims)
        self.graph = Graph()
        self.weights: dict[str, torch.Tensor] = {}
        self.where: dict[str, _Value] = {}
        self.taken: set[str] = set()

    # --- helpers ---------------------------------------------------------------------------
    def attrs(self, node) -> dict[str, Any]:
        return {a.name: self.onnx.helper.get_attribute_value(a) for a in node.attribute}

    def fail(self, node, why: str) -> UserError:
        return UserError(f"{self.name}: node {node.name or node.output[0]} (ONNX op {node.op_type}) {why}",
                         "Studio maps " + ", ".join(MAPPED_OPS) + "; other ops cannot be imported from ONNX yet "
                         "(import the PyTorch model instead, where they become Module blocks)")

    def shape(self, value: str) -> tuple | None:
        return self.shapes.get(value)

    def node_id(self, node) -> str:
        from studio.core.graph.importers.fx_import import _node_id

        return _node_id((node.name or node.op_type).replace("/", "_").replace(".", "_").lower(), self.taken)

    def add(self, node, block: str, params: dict[str, Any], inputs: list[str], weights: dict[str, Any] | None = None):
        nid = self.node_id(node)
        self.graph.add_node(Node(nid, block, params))
        for value in inputs:
            if value not in self.where:
                raise self.fail(node, f"takes {value}, which no mapped node computes")
            src = self.where[value]
            self.graph.connect(src.node, nid, src.port, "in")
        for k, v in (weights or {}).items():
            self.weights[f"{nid}.{k}"] = torch.from_numpy(np.array(v, dtype=np.float32))
        self.where[node.output[0]] = _Value(nid)

    def dynamic(self, node) -> list[str]:
        return [v for v in node.input if v and v not in self.init]

    # --- ops -------------------------------------------------------------------------------
    def read(self) -> None:
        inputs = [vi for vi in self.g.input if vi.name not in self.init]
        if len(inputs) != 1:
            raise UserError(f"{self.name} has {len(inputs)} inputs; import handles models of one input")
        x = inputs[0]
        if x.type.tensor_type.elem_type != self.onnx.TensorProto.FLOAT:
            raise UserError(f"{self.name}: its input {x.name} is not float32; import handles float32 inputs")
        shape = self.shape(x.name) or ()
        if len(shape) < 2 or any(d is None or d < 1 for d in shape[1:]):
            raise UserError(f"{self.name}: its input {x.name} has no fixed per-sample shape ({shape})")
        self.graph.add_node(Node("input", "Input", {"shape": list(shape[1:])}))
        self.taken.add("input")
        self.where[x.name] = _Value("input")
        for node in self.g.node:
            if node.op_type == "Constant":
                continue
            handler = getattr(self, "op_" + node.op_type, None)
            if handler is None:
                raise self.fail(node, "has no Studio block")
            handler(node, self.attrs(node))
        for i, out in enumerate(self.g.output):
            shape = self.shape(out.name) or ()
            hid = "head" if len(self.g.output) == 1 else f"head{i + 1}"
            self.taken.add(hid)
            block = "ClassificationHead" if len(shape) == 2 and (shape[1] or 0) >= 2 else "RegressionHead"
            self.graph.add_node(Node(hid, block, {}))
            src = self.where[out.name]
            self.graph.connect(src.node, hid, src.port, "in")

    def _square(self, node, values, what: str) -> int:
        values = list(values)
        if not values or any(v != values[0] for v in values):
            raise self.fail(node, f"has a non-square {what} {values}; Studio's blocks take one size")
        return int(values[0])

    def _pads(self, node, a: dict[str, Any]) -> int:
        if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
            raise self.fail(node, "uses auto_pad; only explicit pads map")
        return self._square(node, a.get("pads", [0]), "padding")

    def op_Conv(self, node, a):
        w = self.init.get(node.input[1])
        if w is None:
            raise self.fail(node, "has weights computed at run time")
        dims = w.ndim - 2
        if dims not in (1, 2):
            raise self.fail(node, f"is a {dims}-D convolution")
        b = self.init.get(node.input[2]) if len(node.input) > 2 and node.input[2] else None
        params = {"out_channels": int(w.shape[0]), "kernel_size": self._square(node, w.shape[2:], "kernel"),
                  "stride": self._square(node, a.get("strides", [1]), "stride"), "padding": self._pads(node, a),
                  "dilation": self._square(node, a.get("dilations", [1]), "dilation"), "groups": int(a.get("group", 1)),
                  "bias": b is not None}
        weights = {"weight": w, **({"bias": b} if b is not None else {})}
        self.add(node, "Conv2d" if dims == 2 else "Conv1d", params, [node.input[0]], weights)

    def op_BatchNormalization(self, node, a):
        scale, bias, mean, var = (self.init.get(v) for v in node.input[1:5])
        if any(t is None for t in (scale, bias, mean, var)):
            raise self.fail(node, "has statistics computed at run time")
        rank = len(self.shape(node.input[0]) or (0, 0, 0, 0))
        block = "BatchNorm2d" if rank == 4 else "BatchNorm1d"
        self.add(node, block, {"eps": float(a.get("epsilon", 1e-5)), "momentum": round(1.0 - float(a.get("momentum", 0.9)), 6)},
                 [node.input[0]], {"weight": scale, "bias": bias, "running_mean": mean, "running_var": var})

    def _unary(self, block: str, params: dict[str, Any] | None = None):
        def handler(node, a):
            self.add(node, block, params(a) if callable(params) else (params or {}), [node.input[0]])
        return handler

    def op_Relu(self, node, a):
        self._unary("ReLU")(node, a)

    def op_Sigmoid(self, node, a):
        self._unary("Sigmoid")(node, a)

    def op_Tanh(self, node, a):
        self._unary("Tanh")(node, a)

    def op_LeakyRelu(self, node, a):
        self._unary("LeakyReLU", {"negative_slope": float(a.get("alpha", 0.01))})(node, a)

    def op_Softmax(self, node, a):
        self._unary("Softmax", {"dim": int(a.get("axis", -1))})(node, a)

    def op_Identity(self, node, a):
        if node.input[0] in self.init:  # a copy of a constant (shared weights)
            self.init[node.output[0]] = self.init[node.input[0]]
        elif node.input[0] in self.where:
            self.where[node.output[0]] = self.where[node.input[0]]
        else:
            raise self.fail(node, f"takes {node.input[0]}, which no mapped node computes")

    op_Dropout = op_Identity

    def _pool(self, node, a, block: str):
        if a.get("ceil_mode", 0) or any(d != 1 for d in a.get("dilations", [1])):
            raise self.fail(node, "uses ceil_mode or dilation")
        if block.startswith("Avg") and not a.get("count_include_pad", 0) and any(a.get("pads", [0])):
            raise self.fail(node, "leaves padding out of its averages")
        k = self._square(node, a["kernel_shape"], "kernel")
        rank = len(a["kernel_shape"])
        self.add(node, f"{block}{rank}d", {"kernel_size": k, "stride": self._square(node, a.get("strides", [1]), "stride"),
                                           "padding": self._pads(node, a)}, [node.input[0]])

    def op_MaxPool(self, node, a):
        if len(node.output) > 1 and node.output[1]:
            raise self.fail(node, "returns indices")
        self._pool(node, a, "MaxPool")

    def op_AveragePool(self, node, a):
        self._pool(node, a, "AvgPool")

    def op_GlobalAveragePool(self, node, a):
        rank = len(self.shape(node.input[0]) or (0, 0, 0, 0))
        self.add(node, "AdaptiveAvgPool2d" if rank == 4 else "AdaptiveAvgPool1d", {"output_size": 1}, [node.input[0]])

    def op_Flatten(self, node, a):
        if int(a.get("axis", 1)) != 1:
            raise self.fail(node, "flattens from another axis than 1")
        self.add(node, "Flatten", {"start_dim": 1}, [node.input[0]])

    def op_Gemm(self, node, a):
        w, b = self.init.get(node.input[1]), self.init.get(node.input[2]) if len(node.input) > 2 else None
        if w is None or a.get("transA", 0) or float(a.get("alpha", 1.0)) != 1.0 or float(a.get("beta", 1.0)) != 1.0:
            raise self.fail(node, "is not x W^T + b with fixed weights")
        w = w if a.get("transB", 0) else w.T
        self.add(node, "Linear", {"out_features": int(w.shape[0]), "bias": b is not None}, [node.input[0]],
                 {"weight": w, **({"bias": b} if b is not None else {})})

    def op_MatMul(self, node, a):
        w = self.init.get(node.input[1])
        if w is None or w.ndim != 2:
            raise self.fail(node, "multiplies two computed tensors")
        self.add(node, "Linear", {"out_features": int(w.shape[1]), "bias": False}, [node.input[0]], {"weight": w.T})

    def _merge(self, node, block: str):
        dyn = self.dynamic(node)
        if len(dyn) == 1 and block == "Add" and len(node.input) == 2:
            # x W + b: the bias of a MatMul that became a bias-free Linear
            src = self.where.get(dyn[0])
            b = self.init[next(v for v in node.input if v != dyn[0])]
            prev = self.graph.node(src.node) if src else None
            if prev is not None and prev.block == "Linear" and not prev.params["bias"] and b.shape == (prev.params["out_features"],):
                prev.params["bias"] = True
                self.weights[f"{prev.id}.bias"] = torch.from_numpy(np.array(b, dtype=np.float32))
                self.where[node.output[0]] = src
                return
        if len(dyn) != len(node.input) or len({self.shape(v) for v in dyn}) != 1:
            raise self.fail(node, "combines a tensor with a constant or with another shape (broadcasting)")
        self._merge_like(node, block, {}, dyn)

    def op_Add(self, node, a):
        self._merge(node, "Add")

    def op_Mul(self, node, a):
        self._merge(node, "Multiply")

    def op_Concat(self, node, a):
        axis = int(a.get("axis", 1))
        if axis == 0 or self.dynamic(node) != list(node.input):
            raise self.fail(node, "joins along the batch or with constants")
        self._merge_like(node, "Concat", {"dim": axis}, list(node.input))

    def _merge_like(self, node, block: str, params: dict[str, Any], inputs: list[str]) -> None:
        """A merge block: one edge per input, in order (the same source may feed it twice)."""
        from studio.core.graph.model import Edge

        nid = self.node_id(node)
        self.graph.add_node(Node(nid, block, params))
        for v in inputs:
            if v not in self.where:
                raise self.fail(node, f"takes {v}, which no mapped node computes")
            src = self.where[v]
            self.graph.edges.append(Edge(src.node, nid, src.port, "in"))
        self.where[node.output[0]] = _Value(nid)

    def op_Reshape(self, node, a):
        out = self.shape(node.output[0])
        if not out or any(d is None for d in out[1:]):
            raise self.fail(node, "reshapes to a shape ONNX shape inference could not fix")
        self.add(node, "Reshape", {"shape": [int(d) for d in out[1:]]}, [node.input[0]])

    def op_Transpose(self, node, a):
        perm = list(a.get("perm", []))
        if not perm or perm[0] != 0:
            raise self.fail(node, "moves the batch dimension")
        self.add(node, "Permute", {"dims": perm}, [node.input[0]])


def import_onnx(path: str | Path) -> ImportResult:
    """The .onnx file at `path` as a graph plus weights (see the module doc)."""
    onnx = _onnx()
    path = Path(path)
    try:
        model = onnx.load(str(path))
    except Exception as exc:
        raise UserError(f"{path.name} is not a readable ONNX file ({type(exc).__name__})",
                        "pass a file written by torch.onnx.export or `studio export --format onnx`") from exc
    reader = _Reader(model, path.name)
    reader.read()
    layout(reader.graph)
    shape = tuple(reader.graph.node("input").params["shape"])
    return ImportResult(reader.graph, reader.weights, path.name, shape, count_native(reader.graph), [], None)
