"""`import_model`: what `studio import MODEL` reads, as a graph plus its weights.

MODEL is a torchvision architecture name (random initialisation; nothing is downloaded), a
TorchScript file (`.pt`/`.pth` written by torch.jit.save), a state_dict file with `arch`, or an
`.onnx` file. A `.pt` file is only ever opened with `torch.jit.load` (TorchScript, whose archive
holds no pickled Python code) or `torch.load(weights_only=True)`; a file that needs full unpickling
(a whole nn.Module saved with torch.save) is refused with the reason, never executed.
"""

from __future__ import annotations

import os
import pickle
import zipfile
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.graph.importers.result import ImportResult

DEFAULT_INPUT = (3, 224, 224)
PICKLE_REFUSED = ("it holds a pickled Python object (a whole nn.Module saved with torch.save?), and unpickling "
                  "can run any code, so Studio opens .pt files only as TorchScript or with weights_only=True")
UNPACK_TOLERANCE = 1e-5
"""How far the blocks read back from a TorchScript file may differ from the file's own output."""
PICKLE_FIX = "save it with torch.jit.save(torch.jit.script(model), ...), or save model.state_dict() and pass --arch NAME"


def torchvision_architectures() -> list[str]:
    """The classification architectures torchvision builds (resnet18, vit_b_16, ...)."""
    try:
        from torchvision import models
    except ImportError:
        return []
    return sorted(models.list_models(module=models))


def _need_torchvision():
    try:
        import torchvision  # noqa: F401
    except ImportError as exc:
        raise UserError("importing a torchvision architecture needs torchvision", "pip install torchvision") from exc


def build_torchvision(arch: str, options: dict[str, Any], meta: bool = False) -> nn.Module:
    """torchvision's ARCH(**options), randomly initialised, or with `meta` on the meta device (no
    memory and no initialisation: for weights loaded with assign=True)."""
    _need_torchvision()
    from torchvision import models

    names = torchvision_architectures()
    if arch not in names:
        import difflib

        close = difflib.get_close_matches(arch, names, n=1)
        raise UserError(f"{arch!r} is not a torchvision classification architecture",
                        f"did you mean {close[0]}?" if close else "e.g. resnet18, mobilenet_v3_small, vit_b_16")
    try:
        if meta:
            with torch.device("meta"):
                return models.get_model(arch, weights=None, **options).eval()
        return models.get_model(arch, weights=None, **options).eval()
    except (TypeError, ValueError) as exc:
        raise UserError(f"torchvision's {arch} cannot be built with {options} ({exc})") from exc


def _example(input_shape: tuple[int, ...]) -> torch.Tensor:
    from studio.core.graph.importers.fx_import import BATCH

    gen = torch.Generator().manual_seed(0)
    return torch.randn((BATCH, *input_shape), generator=gen)


def import_torchvision(arch: str, input_shape: tuple[int, ...] | None = None, num_classes: int | None = None,
                       state_dict: dict[str, torch.Tensor] | None = None, what: str | None = None,
                       options: dict[str, Any] | None = None) -> ImportResult:
    """torchvision's ARCH as a graph: randomly initialised, or with `state_dict`'s weights. `options`
    are more keyword arguments of the constructor (e.g. {"image_size": 32} for a ViT)."""
    import json

    from studio.core.graph.blocks_opaque import traced_torchvision
    from studio.core.graph.importers.fx_import import import_traced

    options = dict(options or {})
    if num_classes is not None:
        options["num_classes"] = int(num_classes)
    model = build_torchvision(arch, options, meta=state_dict is not None)
    if state_dict is not None and num_classes is None:
        classes = _classes_of(model, state_dict)
        if classes is not None:  # a fine-tuned classifier: the architecture with that many classes
            options["num_classes"] = classes
            model = build_torchvision(arch, options, meta=True)
    if state_dict is not None:
        try:
            model.load_state_dict(state_dict, strict=True, assign=True)
            if any(t.is_meta for t in [*model.parameters(), *model.buffers()]):
                raise RuntimeError("\nsome of its tensors are not in the file")
        except RuntimeError as exc:
            first = str(exc).split("\n")[1].strip() if "\n" in str(exc) else str(exc)
            raise UserError(f"{what}: its weights do not fit torchvision's {arch} ({first})",
                            "pass the architecture it was saved from with --arch (and --num-classes N if its "
                            "classifier has N classes)") from exc
    shape = tuple(input_shape or DEFAULT_INPUT)
    try:
        # Shapes come from the same architecture traced on the meta device: no arithmetic at all.
        shapes = traced_torchvision(arch, json.dumps(options, sort_keys=True))
        return import_traced(model, _example(shape), f"torchvision:{arch}", options, shapes_from=shapes)
    except RuntimeError as exc:
        raise UserError(f"torchvision's {arch} does not run on an input of shape {list(shape)} ({exc})",
                        "pass another --input-shape (ViT models need 3,224,224)") from exc


def _classes_of(model: nn.Module, state_dict: dict[str, torch.Tensor]) -> int | None:
    """K when the file's weights differ from the model's only in the classifier's first size (a
    model fine-tuned for K classes), else None."""
    own = model.state_dict()
    differ = [k for k, v in state_dict.items() if k in own and tuple(own[k].shape) != tuple(v.shape)]
    if not differ:
        return None
    sizes = set()
    for k in differ:
        a, b = tuple(own[k].shape), tuple(state_dict[k].shape)
        if len(a) != len(b) or a[1:] != b[1:] or not b:
            return None
        sizes.add(b[0])
    return sizes.pop() if len(sizes) == 1 and len(differ) <= 2 else None


def _is_torchscript(path: Path) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    return any(n.endswith("constants.pkl") for n in names) and any("/code/" in n for n in names)


def load_state_dict_file(path: Path) -> dict[str, torch.Tensor]:
    """A state_dict file read with weights_only=True (nested under "state_dict" or "model" is fine)."""
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if "Unsupported global" in str(exc):  # a pickle naming Python classes or functions to call
            name = str(exc).split("GLOBAL ", 1)[1].split()[0] if "GLOBAL " in str(exc) else "a Python class"
            raise UserError(f"{path.name} was refused: {PICKLE_REFUSED} (it names {name})", PICKLE_FIX) from exc
        raise UserError(f"{path.name} is not a PyTorch model or weights file (it is no pickle torch can read)",
                        "pass a torchvision name, a TorchScript or state_dict .pt file, or an .onnx file") from exc
    except Exception as exc:  # torch's readers raise many types on a file that is something else
        raise UserError(f"{path.name} is not a PyTorch model or weights file ({type(exc).__name__})",
                        "pass a torchvision name, a TorchScript or state_dict .pt file, or an .onnx file") from exc
    for key in ("state_dict", "model", "model_state_dict"):
        if isinstance(data, dict) and isinstance(data.get(key), dict):
            data = data[key]
    if not isinstance(data, dict) or not data or not all(isinstance(k, str) and isinstance(v, torch.Tensor)
                                                         for k, v in data.items()):
        raise UserError(f"{path.name} holds no state_dict (a mapping of names to tensors)",
                        "save model.state_dict() and pass --arch NAME")
    return data


def import_torchscript(path: Path, input_shape: tuple[int, ...] | None) -> ImportResult:
    """A TorchScript file as native blocks where its layers can be read back (script_unpack), else
    as one Module block that carries the archive itself."""
    from studio.core.graph.blocks_opaque import shapes_text
    from studio.core.graph.importers.result import count_native, layout
    from studio.core.graph.model import Graph, Node

    try:
        script = torch.jit.load(str(path), map_location="cpu").eval()
    except RuntimeError as exc:
        raise UserError(f"{path.name} is not a readable TorchScript file ({str(exc).splitlines()[0]})") from exc
    shape = tuple(input_shape or DEFAULT_INPUT)
    try:
        with torch.no_grad():
            out = script(_example(shape))
    except Exception as exc:
        raise UserError(f"{path.name} does not run on an input of shape {list(shape)} ({type(exc).__name__})",
                        "pass the shape of one sample with --input-shape, e.g. 1,28,28") from exc
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    if not outs or not all(isinstance(o, torch.Tensor) and o.dtype == torch.float32 and o.dim() >= 1 for o in outs):
        raise UserError(f"{path.name} does not return float tensors; import handles models that do")
    unpacked = _unpacked_torchscript(script, path.name, shape, outs)
    if unpacked is not None:
        return unpacked
    graph = Graph()
    graph.add_node(Node("input", "Input", {"shape": list(shape)}))
    params = {"source": "torchscript", "input_shapes": shapes_text([shape]),
              "output_shapes": shapes_text([tuple(o.shape[1:]) for o in outs]),
              "num_params": sum(p.numel() for p in script.parameters())}
    graph.add_node(Node("module", "Module", params))
    graph.connect("input", "module")
    for i, o in enumerate(outs):
        hid = "head" if len(outs) == 1 else f"head{i + 1}"
        graph.add_node(Node(hid, "ClassificationHead" if o.dim() == 2 and o.shape[1] >= 2 else "RegressionHead", {}))
        graph.connect("module", hid, "out" if i == 0 else f"out{i}")
    layout(graph)
    archive = torch.frombuffer(bytearray(path.read_bytes()), dtype=torch.uint8)
    weights = {"module.archive": archive}
    weights.update({f"module.body.{k}": v.detach().clone() for k, v in script.state_dict().items()})
    opaque = [{"id": "module", "params": params["num_params"], "layers": 1, "holds": ["TorchScript"]}]
    return ImportResult(graph, weights, path.name, shape, count_native(graph), opaque, params["num_params"])


def _unpacked_torchscript(script: torch.jit.ScriptModule, name: str, shape: tuple[int, ...],
                          expected: list[torch.Tensor]) -> ImportResult | None:
    """The TorchScript model as native blocks when its layers and forward can be read back
    (script_unpack) and the blocks compute what the file computes; else None (one Module block)."""
    from studio.core.graph.compile import compile_graph
    from studio.core.graph.importers.fx_import import import_traced
    from studio.core.graph.importers.script_unpack import unpack

    model, _why = unpack(script)
    if model is None:
        return None
    try:
        result = import_traced(model.eval(), _example(shape), name)
        compiled = compile_graph(result.graph).eval()
        compiled.load_state_dict(result.weights, strict=True)
        with torch.no_grad():
            got = compiled(_example(shape))
    except (UserError, RuntimeError, KeyError, TypeError, ValueError):
        return None  # a part without a Studio block: the whole file stays one Module block
    got = list(got) if isinstance(got, (tuple, list)) else [got]
    if len(got) != len(expected) or any(g.shape != e.shape or (g - e).abs().max().item() > UNPACK_TOLERANCE
                                        for g, e in zip(got, expected, strict=False)):
        return None
    result.source = name
    result.reference_params = sum(p.numel() for p in script.parameters())
    return result


def import_model(model: str, arch: str | None = None, input_shape: tuple[int, ...] | None = None,
                 num_classes: int | None = None) -> ImportResult:
    """Read MODEL (see the module doc) as a graph and its weights."""
    path = Path(model)
    looks_like_file = path.suffix.lower() in (".pt", ".pth", ".onnx", ".bin", ".ckpt") or os.sep in model
    if not path.exists():
        if looks_like_file:
            raise UserError(f"model file {model} does not exist")
        return import_torchvision(model, input_shape, num_classes)
    if path.is_dir():
        raise UserError(f"{model} is a folder, not a model file")
    if path.suffix.lower() == ".onnx":
        from studio.core.graph.importers.onnx_import import import_onnx

        return import_onnx(path)
    if _is_torchscript(path):
        if arch:
            raise UserError(f"{path.name} is a TorchScript file: it carries its own architecture",
                            "leave out --arch")
        return import_torchscript(path, input_shape)
    state = load_state_dict_file(path)
    if not arch:
        raise UserError(f"{path.name} holds weights only (a state_dict): Studio needs the architecture they "
                        "belong to", "pass --arch NAME, e.g. --arch resnet18")
    return import_torchvision(arch, input_shape, num_classes, state, path.name)
