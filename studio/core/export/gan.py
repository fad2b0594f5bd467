"""Exporting a GAN run: the generator (or the discriminator) on its own, not the training graph.

A GAN project is one graph holding both networks (studio/core/graph/networks.py), and its compiled
module's `forward` is z -> D(G(z)), the verdict on a fake: nothing anyone wants to ship. What a
student expects from "export" is the generator: noise (and, for a conditional GAN, the class) in,
an image (N, C, H, W) in [-1, 1] out. `GanPart` is that model, a small module over the run's own
compiled graph that runs one network with `GraphModule.run_part`; it registers the network's node
modules under their node ids, so its weights are the run's (no copy) and its state_dict keys are
the graph's. The discriminator can be exported the same way (an image, and the class for a cGAN,
in; D's verdict out).

Parity needs inputs the network really sees: seeded noise and class labels for the generator, and
real images in [-1, 1] (as the GAN trainer feeds them) with their labels for the discriminator.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.export.source import ExportSource
from studio.core.export.spec import ModelIO
from studio.core.graph.networks import GanStructure, gan_structure

NETWORKS = ("generator", "discriminator")
NOISE_SEED = 0
"""The seed of the noise and labels an export is checked on (the same every time)."""

REFUSED = {
    "int8": "INT8 is not offered for GAN runs: its route is chosen by the accuracy a classifier keeps, and a "
            "generator's images have no accuracy to measure; export the GAN in fp32",
    "prune": "pruning is not offered for GAN runs: it is judged (and fine-tuned) on a classifier's labels, which "
             "neither network of a GAN has; export the GAN without --prune",
    "distill": "distillation is not offered for GAN runs: a student learns a classifier's answers, and a "
               "generator has none to learn",
}
"""Why the reductions of the export page do not apply to a GAN, one sentence each."""


class GanPart(nn.Module):
    """One network of a GAN graph as a model of its own: `forward(*inputs)` takes this network's
    Input nodes (in `input_nodes` order; the discriminator's image first) and returns the
    generator's image or the discriminator's verdict."""

    def __init__(self, graph_module: nn.Module, structure: GanStructure, network: str = "generator"):
        super().__init__()
        if network not in NETWORKS:
            raise UserError(f"unknown network {network!r}", f"use one of {', '.join(NETWORKS)}")
        self._network = network
        self.__dict__["graph_module"] = graph_module  # not a submodule: only this network's weights belong here
        nodes = structure.generator_nodes if network == "generator" else structure.discriminator_nodes
        self._nodes = frozenset(nodes)
        for nid in graph_module._modules:
            if nid in self._nodes:
                self.add_module(nid, graph_module._modules[nid])
        self._bridge = (structure.bridge.src, structure.bridge.src_port)
        sources = graph_module.input_sources
        own = [n for n in graph_module.input_nodes if n in self._nodes]
        self._image_shape = tuple(graph_module.output_shape_of(structure.output_node))
        if network == "generator":
            self.input_nodes = own
            self.input_shapes = {n: tuple(graph_module.input_shapes[n]) for n in own}
            self.input_dtypes = {n: graph_module.input_dtypes[n] for n in own}
            self.input_sources = {n: sources[n] for n in own}
            self._output = self._bridge
            self._output_name = "image"
            self.heads: list[Any] = []
        else:
            self.input_nodes = ["image", *own]
            self.input_shapes = {"image": self._image_shape,
                                 **{n: tuple(graph_module.input_shapes[n]) for n in own}}
            self.input_dtypes = {"image": torch.float32, **{n: graph_module.input_dtypes[n] for n in own}}
            self.input_sources = {"image": "image", **{n: sources[n] for n in own}}
            head = next(h for h in graph_module.heads if h.kind == "gan")
            self._output = (head.node_id, "out")
            self._output_name = "verdict"
            self.heads = [head]
        self._own_inputs = own
        self._out_shape = self._image_shape if network == "generator" else tuple(
            graph_module.node_shapes.get(self._output[0], (1,)))

    @property
    def network(self) -> str:
        return self._network

    @property
    def image_shape(self) -> tuple[int, ...]:
        return self._image_shape

    @property
    def output_name(self) -> str:
        return self._output_name

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        given: dict[tuple[str, str], torch.Tensor] = {}
        if self._network == "discriminator":
            given[self._bridge] = inputs[0]
            inputs = inputs[1:]
        feeds = dict(zip(self._own_inputs, inputs, strict=True))
        return self.graph_module.run_part(self._nodes, feeds, given, [self._output])[0]

    def describe(self) -> str:
        """`Generator: z [100] -> image [1, 28, 28]` (or the discriminator's)."""
        ins = ", ".join(f"{n} {list(self.input_shapes[n])}" for n in self.input_nodes)
        out = list(self._out_shape)
        return f"{self._network.capitalize()}: {ins} -> {self._output_name} {out}"


def part_io(part: GanPart, dataset: dict[str, Any] | None, name: str) -> ModelIO:
    """The exporters' view of one network: its inputs, one output, the data set's class names."""
    dataset = dataset or {}
    names = list(part.input_nodes)
    return ModelIO(
        input_names=names, input_shapes=[part.input_shapes[n] for n in names],
        input_dtypes=["int64" if part.input_dtypes[n] == torch.int64 else "float32" for n in names],
        output_names=[part.output_name], class_names=[str(c) for c in dataset.get("class_names") or []],
        mean=None, std=None, input_kind="noise" if part.network == "generator" else "image",
        task="gan_" + part.network, model_name=f"{name} ({part.network})",
    )


class GanExportSource(ExportSource):
    """An ExportSource whose model is one network of a GAN; `full_model` is the whole graph (what a
    state_dict export writes, since Studio re-opens it as a run)."""

    part: GanPart
    full_model: nn.Module

    def num_classes(self) -> int:
        classes = len(self.summary.get("dataset", {}).get("class_names") or [])
        return classes or self._label_classes()

    def _labels(self, n: int, gen: torch.Generator) -> torch.Tensor:
        return torch.randint(0, max(1, self.num_classes()), (n, 1), generator=gen)

    def _noise_inputs(self, n: int, names: list[str], shapes: dict, sources: dict) -> list[torch.Tensor]:
        gen = torch.Generator().manual_seed(NOISE_SEED)
        out = []
        for name in names:
            if sources[name] == "label":
                out.append(self._labels(n, gen).view(n, *shapes[name]))
            else:
                out.append(torch.randn((n, *shapes[name]), generator=gen))
        return out

    def _real(self, n: int, split: str) -> tuple[torch.Tensor, torch.Tensor | None] | None:
        bundle = self.bundle()
        if bundle is None:
            return None
        from studio.core.train.diffusion import images_in_signed_range

        signed = images_in_signed_range(bundle)  # the range the GAN trainer feeds D
        x, y = (signed.x_val, signed.y_val) if split == "val" else (signed.x_train, signed.y_train)
        return x[:n].contiguous().float(), (y.get("label")[:n] if "label" in y else None)

    def inputs_for(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """A batch of the exported network's inputs as large as `x` (the data is only the
        discriminator's image; the generator's inputs are seeded noise and labels)."""
        n = int(x.shape[0])
        part = self.part
        if part.network == "generator":
            return tuple(self._noise_inputs(n, part.input_nodes, part.input_shapes, part.input_sources))
        gen = torch.Generator().manual_seed(NOISE_SEED)
        rest = [self._labels(n, gen).view(n, *part.input_shapes[name]) for name in part.input_nodes[1:]]
        return (x, *rest)

    def samples(self, n: int = 256, split: str = "val") -> tuple[torch.Tensor, ...]:
        """Seeded noise (and labels) for the generator; real images in [-1, 1] with their own labels
        for the discriminator (random images, said in data_note, without the data set)."""
        part = self.part
        if part.network == "generator":
            return tuple(self._noise_inputs(n, part.input_nodes, part.input_shapes, part.input_sources))
        real = self._real(n, split)
        if real is None:
            gen = torch.Generator().manual_seed(NOISE_SEED)
            x = torch.rand((min(n, 64), *part.image_shape), generator=gen) * 2 - 1
            return self.inputs_for(x)
        x, labels = real
        rest = []
        for name in part.input_nodes[1:]:
            if labels is not None:
                rest.append(labels.long().view(x.shape[0], *part.input_shapes[name]))
            else:
                rest.append(self._labels(x.shape[0], torch.Generator().manual_seed(NOISE_SEED)).view(
                    x.shape[0], *part.input_shapes[name]))
        return (x, *rest)

    def full_samples(self, n: int = 64) -> tuple[torch.Tensor, ...]:
        """Inputs of the whole graph (every Input is noise or a label), for a state_dict export's check."""
        model = self.full_model
        return tuple(self._noise_inputs(n, list(model.input_nodes), model.input_shapes, model.input_sources))

    def labels(self, split: str = "val") -> None:
        return None  # no accuracy: neither network of a GAN is a classifier

    def data_note(self) -> str | None:
        if self.part.network == "generator":
            return "checked on seeded noise" + (" and class labels" if any(
                s == "label" for s in self.part.input_sources.values()) else "") + " (a generator's inputs)"
        return super().data_note()


def gan_source(source: ExportSource, network: str | None = None) -> ExportSource:
    """`source` itself for a graph that is not a GAN (where `network` must be None), else the source
    of the chosen network (default the generator)."""
    structure = gan_structure(source.project.graph)
    if structure is None:
        if network is not None:
            raise UserError(f"--network {network} applies to GAN runs, and this run's graph is not a GAN",
                            "leave out --network")
        return source
    network = network or "generator"
    part = GanPart(source.model, structure, network).eval()
    out = GanExportSource(source.project, part, part_io(part, source.summary.get("dataset"), source.project.name),
                          source.run_dir, source.checkpoint, source.summary)
    out.part = part
    out.full_model = source.model
    return out


def refusal(source: ExportSource, int8: str | None = None, prune: float | None = None) -> str | None:
    """The sentence that refuses INT8 or pruning for a GAN run, or None."""
    if not isinstance(source, GanExportSource):
        return None
    if int8:
        return REFUSED["int8"]
    if prune:
        return REFUSED["prune"]
    return None


def run_interface(run_dir: Any) -> dict[str, Any] | None:
    """What exporting a GAN run writes, read from its project without building the model:
    {"inputs": [(name, shape), ...], "image": shape, "conditional": bool}; None for a run that is
    not a GAN (or whose project cannot be read)."""
    from studio.core.graph.infer import infer_graph
    from studio.core.train.run_folder import load_run_project

    try:
        project = load_run_project(run_dir)
    except (UserError, OSError, ValueError):
        return None
    structure = gan_structure(project.graph)
    if structure is None:
        return None
    report = infer_graph(project.graph)
    if not report.ok:
        return None
    inputs = [(n.id, list(report.nodes[n.id].output_shape[1:])) for n in project.graph.nodes
              if n.block == "Input" and n.id in structure.generator_nodes]
    sources = {n.id: n.params.get("source") for n in project.graph.nodes if n.block == "Input"}
    image = list(report.nodes[structure.output_node].output_shape[1:])
    return {"inputs": inputs, "image": image, "conditional": any(sources[n] == "label" for n, _ in inputs)}
