"""What an exported model takes and gives: input names, shapes and dtypes, output names, classes.

Every exporter needs the same facts to build example inputs and to write metadata a consumer can
use without Studio (how to normalise an image, what class index 3 means). They are gathered once
here, from a compiled graph, a dataset description or by hand, so ONNX, TorchScript and the
inference helper never disagree about them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import torch
from torch import nn

from studio import __version__

_DTYPES = {"float32": torch.float32, "int64": torch.int64}


@dataclass
class ModelIO:
    """The interface of a model as an exported file presents it (shapes without the batch dim)."""

    input_names: list[str]
    input_shapes: list[tuple[int, ...]]
    input_dtypes: list[str] = field(default_factory=list)
    output_names: list[str] = field(default_factory=lambda: ["output"])
    class_names: list[str] = field(default_factory=list)
    mean: list[float] | None = None
    std: list[float] | None = None
    input_kind: str = "image"
    task: str = "classification"
    model_name: str = "model"

    def __post_init__(self) -> None:
        self.input_shapes = [tuple(int(d) for d in s) for s in self.input_shapes]
        if not self.input_dtypes:
            self.input_dtypes = ["float32"] * len(self.input_names)
        if not (len(self.input_names) == len(self.input_shapes) == len(self.input_dtypes)):
            raise ValueError("input names, shapes and dtypes must have the same length")

    def example_inputs(self, batch: int = 2, seed: int = 0, vocab_size: int = 2) -> tuple[torch.Tensor, ...]:
        """Random inputs of the right shape and dtype, for tracing when no real samples are at hand."""
        gen = torch.Generator().manual_seed(seed)
        out = []
        for shape, dtype in zip(self.input_shapes, self.input_dtypes, strict=True):
            if dtype == "int64":
                out.append(torch.randint(0, max(1, vocab_size), (batch, *shape), generator=gen))
            else:
                out.append(torch.randn((batch, *shape), generator=gen))
        return tuple(out)

    def metadata(self, extra: dict[str, Any] | None = None) -> dict[str, str]:
        """String key/value pairs for a file's metadata (ONNX metadata_props, TorchScript extra files)."""
        props = {
            "studio_version": __version__,
            "model_name": self.model_name,
            "task": self.task,
            "input_kind": self.input_kind,
            "class_names": json.dumps(self.class_names),
            "input_names": json.dumps(self.input_names),
            "input_shapes": json.dumps([list(s) for s in self.input_shapes]),
            "input_dtypes": json.dumps(self.input_dtypes),
            "output_names": json.dumps(self.output_names),
            "normalization": json.dumps({
                "mean": self.mean, "std": self.std,
                "formula": "x = (v - mean) / std per channel, v = pixel scaled to [0, 1]"
                if self.input_kind == "image" else "x = (v - mean) / std",
            }),
        }
        for key, value in (extra or {}).items():
            props[key] = value if isinstance(value, str) else json.dumps(value)
        return props

    @classmethod
    def from_metadata(cls, props: dict[str, str]) -> ModelIO:
        """The interface read back from metadata written by `metadata()`."""
        norm = json.loads(props.get("normalization") or "{}")
        return cls(
            input_names=json.loads(props["input_names"]),
            input_shapes=[tuple(s) for s in json.loads(props["input_shapes"])],
            input_dtypes=json.loads(props.get("input_dtypes") or "[]"),
            output_names=json.loads(props.get("output_names") or '["output"]'),
            class_names=json.loads(props.get("class_names") or "[]"),
            mean=norm.get("mean"), std=norm.get("std"),
            input_kind=props.get("input_kind", "image"), task=props.get("task", "classification"),
            model_name=props.get("model_name", "model"),
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["input_shapes"] = [list(s) for s in self.input_shapes]
        return data


def torch_dtype(name: str) -> torch.dtype:
    return _DTYPES.get(name, torch.float32)


def io_from_graph_module(module: nn.Module, dataset: dict[str, Any] | None = None, name: str = "model") -> ModelIO:
    """The interface of a compiled Studio graph (`input_nodes`, `input_shapes`, `input_dtypes`, `heads`).

    Class names and normalisation come from the dataset description a run stored
    (`DatasetBundle.describe()` in run.json), so a consumer of the file can prepare inputs.
    """
    input_names = [str(n) for n in module.input_nodes]
    shapes, dtypes = module.input_shapes, getattr(module, "input_dtypes", {})
    dtype_names = ["int64" if dtypes.get(n) == torch.int64 else "float32" for n in input_names]
    heads = [str(getattr(h, "node_id", h)) for h in module.heads] or ["output"]
    dataset = dataset or {}
    return ModelIO(
        input_names=input_names, input_shapes=[tuple(shapes[n]) for n in input_names], input_dtypes=dtype_names,
        output_names=heads, class_names=[str(c) for c in dataset.get("class_names") or []],
        mean=dataset.get("mean"), std=dataset.get("std"),
        input_kind=str(dataset.get("input_kind") or "image"), task=str(dataset.get("task") or "classification"),
        model_name=name,
    )
