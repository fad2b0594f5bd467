"""The weights side file of an imported project: `PROJECT.weights.pt` next to `PROJECT.studio.json`.

A project is JSON, so the weights of an import live in a file of their own, named by the graph's
`weights` key (relative to the project's folder). It is `torch.save` of one plain dict: names of
the compiled graph's state_dict (`conv1.weight`, `module.body.class_token`, ...) to tensors, and
it is only ever read back with `torch.load(..., weights_only=True)`. A Module block made from a
TorchScript file keeps its archive there as a uint8 tensor (`NODE.archive`).

`apply_weights` is what `compile_graph` calls: each entry whose node and shape still fit the graph
is loaded; entries of nodes the user deleted or resized (a new classifier) are left out, so an
edited import still compiles with the weights that fit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from studio.core.errors import UserError

SUFFIX = ".weights.pt"


def weights_name(project_path: str | os.PathLike[str]) -> str:
    """`models/resnet18.studio.json` -> `resnet18.weights.pt` (a name in the project's folder)."""
    name = Path(project_path).name
    for ext in (".studio.json", ".json"):
        if name.endswith(ext):
            name = name[: -len(ext)]
            break
    return name + SUFFIX


def save_weights(weights: dict[str, torch.Tensor], path: str | os.PathLike[str]) -> Path:
    """Write the side file atomically (temporary file + rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        torch.save({k: v.detach().cpu().contiguous() for k, v in weights.items()}, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror}", "choose a folder you can write to") from exc
    return path


def load_weights(path: str | os.PathLike[str]) -> dict[str, torch.Tensor]:
    """The side file's dict, read with weights_only=True, or a UserError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"the project's weights file {path} is missing",
                        f"put {path.name} next to the project, or remove \"weights\" from its graph section")
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise UserError(f"the weights file {path} cannot be read safely ({type(exc).__name__})",
                        "import the model again") from exc
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in data.items()):
        raise UserError(f"the weights file {path} is not a mapping of names to tensors", "import the model again")
    return data


@dataclass
class Applied:
    loaded: int = 0
    skipped: list[str] = field(default_factory=list)
    """Entries left out: their node is gone or their shape no longer fits."""


def apply_weights(model: nn.Module, path: str | os.PathLike[str]) -> Applied:
    """Load the side file into a compiled graph (entries that fit; see the module doc)."""
    data = load_weights(path)
    # Module blocks built from TorchScript take their archive first: their body comes from it.
    archives = {k: v for k, v in data.items() if k.endswith(".archive")}
    if archives:
        model.load_state_dict(archives, strict=False)
    own = model.state_dict()
    fitting = {k: v for k, v in data.items() if k in own and tuple(own[k].shape) == tuple(v.shape)}
    model.load_state_dict(fitting, strict=False)
    return Applied(len(fitting), sorted(set(data) - set(fitting)))


def resolve(weights: str | None, base_dir: str | os.PathLike[str]) -> str | None:
    """The side file's path for a project in `base_dir` (a relative name is taken from there)."""
    if not weights:
        return weights
    return weights if os.path.isabs(weights) else os.path.abspath(os.path.join(base_dir, weights))


def relative(weights: str | None, base_dir: str | os.PathLike[str]) -> str | None:
    """What a project saved in `base_dir` writes: the bare name when the file lies in that folder."""
    if not weights or not os.path.isabs(weights):
        return weights
    here = Path(weights)
    return here.name if str(here.parent) == os.path.abspath(base_dir) else weights
