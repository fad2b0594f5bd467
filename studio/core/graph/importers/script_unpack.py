"""A TorchScript model as plain PyTorch modules, so that its layers can become Studio blocks.

torch.fx cannot trace a ScriptModule, so without this a TorchScript file imports as one opaque
Module block. But a model scripted from torch.nn layers keeps, for each submodule, the torch.nn
class it was made from (its type's qualified name) and that class's settings as attributes (a
Conv2d's stride, a BatchNorm's eps), and its `forward` is TorchScript IR made of calls of those
submodules and a few tensor functions. `unpack` rebuilds each torch.nn layer from its settings and
weights and replays the IR as a torch.fx graph: an ordinary nn.Module that `import_traced` maps to
blocks like any other model.

Nothing from the file runs as Python: the IR is read node by node against a fixed table, and the
classes are looked up in torch.nn only. Anything outside the table (control flow, an op it does not
know, a class of the model's own without a forward it can read) gives None and the caller keeps the
file as one Module block; the caller also compares the outputs before it trusts the result.
"""

from __future__ import annotations

import inspect
import operator
import re
from typing import Any

import torch
import torch.nn.functional as F
from torch import fx, nn

_CONTAINERS = {"Sequential"}
"""torch.nn classes whose forward is replayed from their IR rather than rebuilt from settings."""

_SKIPPED_ARGS = {"self", "device", "dtype", "args", "kwargs"}


class _Unsupported(Exception):
    """The IR holds something outside the table: keep the file as one Module block."""


def _torch_nn_class(script: torch.jit.ScriptModule) -> type[nn.Module] | None:
    """The torch.nn class a submodule was scripted from, or None for a class of the model's own."""
    name = script._c._type().qualified_name()  # e.g. __torch__.torch.nn.modules.conv.___torch_mangle_3.Conv2d
    name = re.sub(r"\.___torch_mangle_\d+", "", name.removeprefix("__torch__."))
    module, _, cls = name.rpartition(".")
    if not module.startswith("torch.nn.modules."):
        return None
    found = getattr(nn, cls, None)
    return found if isinstance(found, type) and issubclass(found, nn.Module) and found.__module__ == module else None


def _rebuild_layer(cls: type[nn.Module], script: torch.jit.ScriptModule) -> nn.Module:
    """`cls` constructed with the settings `script` kept, holding `script`'s weights."""
    kwargs: dict[str, Any] = {}
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name in _SKIPPED_ARGS or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if name == "bias":  # the constructor's flag; the module keeps the tensor (or None)
            kwargs[name] = getattr(script, "bias", None) is not None
            continue
        if hasattr(script, name):
            value = getattr(script, name)
            kwargs[name] = list(value) if isinstance(value, tuple) and name == "normalized_shape" else value
        elif param.default is param.empty:
            raise _Unsupported(f"{cls.__name__} without its setting {name}")
    try:
        layer = cls(**kwargs)
        layer.load_state_dict(script.state_dict(), strict=True)
    except Exception as exc:  # noqa: BLE001 - a setting or a weight that does not fit: keep it opaque
        raise _Unsupported(f"{cls.__name__}({kwargs}): {exc}") from exc
    return layer.train(script.training)


def _constant(node: torch._C.Node) -> Any:
    if node.output().type().kind() == "FunctionType":
        return ("function", node.s("name"))
    return node.output().toIValue()


_ATEN: dict[str, Any] = {
    "aten::relu": torch.relu, "aten::relu_": torch.relu, "aten::sigmoid": torch.sigmoid, "aten::tanh": torch.tanh,
    "aten::flatten": torch.flatten, "aten::cat": torch.cat, "aten::reshape": torch.reshape,
    "aten::view": torch.reshape, "aten::permute": torch.permute, "aten::transpose": torch.transpose,
    "aten::silu": F.silu, "aten::gelu": F.gelu, "aten::adaptive_avg_pool2d": F.adaptive_avg_pool2d,
}
"""IR ops replayed as the torch function of the same meaning (in-place forms as their pure ones)."""

_FUNCTIONS = {"relu": F.relu, "silu": F.silu}
"""torch.nn.functional functions that TorchScript calls as functions rather than as aten ops."""


class _Replay:
    """One scripted module's forward IR as a torch.fx graph whose submodules are rebuilt layers."""

    def __init__(self, script: torch.jit.ScriptModule):
        self.script = script
        self.graph = fx.Graph()
        self.modules: dict[str, nn.Module] = {}
        self.env: dict[Any, Any] = {}

    def run(self) -> fx.GraphModule:
        ir = self.script.graph
        inputs = list(ir.inputs())
        args = []
        for i, value in enumerate(inputs[1:]):
            if value.type().kind() != "TensorType":
                raise _Unsupported(f"input {i} is not a tensor")
            args.append(self.graph.placeholder(f"x{i}" if i else "x"))
        outs = self.replay(ir, "", args)
        self.graph.output(outs[0] if len(outs) == 1 else tuple(outs))
        return fx.GraphModule(self.modules, self.graph)

    def replay(self, ir: torch._C.Graph, owner: str, args: list[Any]) -> list[Any]:
        """The nodes of one method's IR, its `self` being the module at path `owner`."""
        inputs = list(ir.inputs())
        self.env[inputs[0]] = ("module", owner)
        for value, arg in zip(inputs[1:], args, strict=True):
            self.env[value] = arg
        for node in ir.nodes():
            self.step(node)
        return [self.value(v) for v in ir.outputs()]

    def value(self, v: Any) -> Any:
        if v not in self.env:
            raise _Unsupported(f"value {v.debugName()} computed by nothing the replay knows")
        found = self.env[v]
        if isinstance(found, tuple) and found and found[0] in ("module", "function"):
            raise _Unsupported("a module or function passed as a value")
        return found

    def submodule(self, path: str) -> torch.jit.ScriptModule:
        obj = self.script
        for part in path.split("."):
            obj = getattr(obj, part)
        if not isinstance(obj, torch.jit.ScriptModule):
            raise _Unsupported(f"attribute {path} is not a module")
        return obj

    def step(self, node: torch._C.Node) -> None:
        kind = node.kind()
        outs = list(node.outputs())
        if kind == "prim::Constant":
            self.env[outs[0]] = _constant(node)
        elif kind == "prim::GetAttr":
            owner = self.env.get(node.input())
            if not (isinstance(owner, tuple) and owner[0] == "module"):
                raise _Unsupported("an attribute of something that is not a module")
            path = f"{owner[1]}.{node.s('name')}".lstrip(".")
            if not isinstance(getattr(self.submodule(path.rpartition(".")[0]) if "." in path else self.script,
                                      node.s("name")), torch.jit.ScriptModule):
                raise _Unsupported(f"{path} is a tensor or a setting read in forward")
            self.env[outs[0]] = ("module", path)
        elif kind == "prim::CallMethod":
            target, *args = list(node.inputs())
            owner = self.env.get(target)
            if not (isinstance(owner, tuple) and owner[0] == "module"):
                raise _Unsupported(f"a call of {node.s('name')} on something that is not a module")
            path = owner[1]
            values = [self.value(a) for a in args]
            module = self.submodule(path) if path else self.script
            if node.s("name") != "forward" or (not path and _torch_nn_class(module) is None):
                # a helper method of the model's own class (ResNet's _forward_impl): replayed in place
                if _torch_nn_class(module) is not None:
                    raise _Unsupported(f"a call of {node.s('name')} on a torch.nn layer")
                results = self.replay(getattr(module, node.s("name")).graph, path, values)
                for out, result in zip(outs, results, strict=True):
                    self.env[out] = result
                return
            if path not in self.modules:
                self.modules[path] = unpack_module(module)
            self.env[outs[0]] = self.graph.call_module(path, tuple(values))
        elif kind == "prim::CallFunction":
            fn, *args = list(node.inputs())
            found = self.env.get(fn)
            if not (isinstance(found, tuple) and found[0] == "function" and found[1] in _FUNCTIONS):
                raise _Unsupported(f"a call of the function {found}")
            tensor = self.value(args[0])  # the in-place flag of F.relu changes nothing in a replay
            self.env[outs[0]] = self.graph.call_function(_FUNCTIONS[found[1]], (tensor,))
        elif kind == "prim::ListConstruct":
            self.env[outs[0]] = [self.value(v) for v in node.inputs()]
        elif kind == "prim::TupleConstruct":
            self.env[outs[0]] = tuple(self.value(v) for v in node.inputs())
        elif kind in ("aten::add", "aten::add_", "aten::mul", "aten::mul_"):
            a, b, *alpha = [self.value(v) for v in node.inputs()]
            if alpha and alpha[0] != 1:
                raise _Unsupported("an add with alpha")
            fn = operator.add if kind.startswith("aten::add") else operator.mul
            self.env[outs[0]] = self.graph.call_function(fn, (a, b))
        elif kind in _ATEN and len(outs) == 1:
            args = [self.value(v) for v in node.inputs()]
            if kind == "aten::gelu":
                self.env[outs[0]] = self.graph.call_function(F.gelu, (args[0],), {"approximate": args[1]})
            else:
                self.env[outs[0]] = self.graph.call_function(_ATEN[kind], tuple(args))
        else:
            raise _Unsupported(f"the op {kind}")


def unpack_module(script: torch.jit.ScriptModule) -> nn.Module:
    cls = _torch_nn_class(script)
    if cls is not None and cls.__name__ not in _CONTAINERS:
        return _rebuild_layer(cls, script)
    return _Replay(script).run().train(script.training)


def unpack(script: torch.jit.ScriptModule) -> tuple[nn.Module | None, str]:
    """`script` as an ordinary nn.Module (the same weights), or None and the reason it stays opaque."""
    try:
        return unpack_module(script), ""
    except _Unsupported as exc:
        return None, str(exc)
    except RuntimeError as exc:  # the IR API refused something: treat it as outside the table
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
