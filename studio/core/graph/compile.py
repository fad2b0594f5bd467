"""Compile a graph into a PyTorch module.

Every node becomes its own submodule registered under its node id, so parameter names are stable
and readable (`conv1.weight`), checkpoints survive re-ordering on the canvas, and hooks (CAM,
activation views) can attach to any single node: no module is ever shared between nodes.
Derived sizes (in_features, in_channels, input_size, ...) come from shape inference.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.graph.heads import HeadInfo, head_info
from studio.core.graph.infer import GraphReport, infer_graph
from studio.core.graph.model import Graph
from studio.core.graph.registry import get_block


class GraphModule(nn.Module):
    """The network a graph describes. `forward(*inputs)` takes one tensor per Input node (in
    `input_nodes` order) and returns the head outputs: one tensor, or a tuple in head order."""

    def __init__(self, graph: Graph, report: GraphReport | None = None):
        super().__init__()
        report = report or infer_graph(graph)
        if not report.ok:
            raise _compile_error(report)
        order = set(report.order)
        self.input_nodes: list[str] = [n.id for n in graph.nodes if n.block == "Input" and n.id in order]
        self.input_shapes: dict[str, tuple] = {nid: tuple(report.nodes[nid].output_shape[1:]) for nid in self.input_nodes}
        self.input_dtypes: dict[str, torch.dtype] = {
            nid: torch.int64 if report.nodes[nid].dtype == "int64" else torch.float32 for nid in self.input_nodes}
        self.input_sources: dict[str, str] = {nid: report.nodes[nid].config.get("source", "input")
                                              for nid in self.input_nodes}
        self.node_shapes: dict[str, tuple] = {nid: tuple(report.nodes[nid].output_shape[1:]) for nid in order
                                              if report.nodes[nid].output_shape is not None}
        """Each node's output shape without the batch dimension (what the canvas shows)."""
        self.heads: list[HeadInfo] = []
        self._plan: list[tuple[str, list[Any], tuple[str, ...]]] = []
        incoming: dict[str, list] = {}
        for e in graph.edges:
            incoming.setdefault(e.dst, []).append(e)
        for nid in report.order:
            node = graph.node(nid)
            spec = get_block(node.block)
            info = report.nodes[nid]
            try:
                module = spec.construct(info.config, info.derived).build()
            except Exception as exc:
                raise UserError(f"{spec.name} {nid} could not be built ({type(exc).__name__}: {exc})",
                                "check its parameters") from exc
            self.add_module(nid, module)
            refs: list[Any] = []
            edges = incoming.get(nid, [])
            for port in spec.inputs:
                port_edges = [(e.src, e.src_port) for e in edges if e.dst_port == port]
                if port in spec.variadic:
                    refs.append(port_edges)
                elif port_edges:
                    refs.append(port_edges[0])
                else:
                    break  # optional trailing ports left unconnected
            self._plan.append((nid, refs, spec.outputs or ("out",)))
        for node in graph.nodes:
            spec = get_block(node.block)
            if spec.head and node.id in order:
                info = report.nodes[node.id]
                self.heads.append(head_info(node.id, spec.head, info.config, info.output_shape))
        self._head_ids = [h.node_id for h in self.heads]
        self._input_set = set(self.input_nodes)

    def forward(self, *inputs: torch.Tensor):
        if len(inputs) != len(self.input_nodes):
            raise TypeError(f"this graph takes {len(self.input_nodes)} input(s) ({', '.join(self.input_nodes)}), "
                            f"got {len(inputs)}")
        env = self._execute(self._plan, dict(zip(self.input_nodes, inputs, strict=False)), {})
        results = tuple(env[(hid, "out")] for hid in self._head_ids)
        return results[0] if len(results) == 1 else results

    def output_shape_of(self, node_id: str) -> tuple:
        return self.node_shapes[node_id]

    def run_part(self, nodes: frozenset[str], inputs: dict[str, torch.Tensor],
                 given: dict[tuple[str, str], torch.Tensor], outputs: list[tuple[str, str]]) -> list[torch.Tensor]:
        """Run only `nodes` (one network of a multi-network graph) and return the `outputs` ports.

        Input nodes among them take `inputs[node_id]`; a wire into them from outside the part
        carries `given[(src, port)]` instead of what its source computes. A GAN's discriminator
        is run this way on real images and on generated ones (train/gan.py). The modules are this
        graph's own, so the part shares its weights and the checkpoint stays one state dict."""
        env = self._execute([step for step in self._plan if step[0] in nodes], inputs, dict(given))
        return [env[ref] for ref in outputs]

    def _execute(self, plan: list, inputs: dict[str, torch.Tensor],
                 env: dict[tuple[str, str], torch.Tensor]) -> dict[tuple[str, str], torch.Tensor]:
        """Run `plan`'s nodes in order: Input nodes take `inputs[node_id]`, the others the ports in
        `env` their wires name; every output lands in `env`, which is returned."""
        modules = self._modules
        for nid, refs, outs in plan:
            module = modules[nid]
            if nid in self._input_set:
                result = module(inputs[nid])
            else:
                args = []
                for ref in refs:
                    if isinstance(ref, list):
                        args.extend(env[r] for r in ref)
                    else:
                        args.append(env[ref])
                result = module(*args)
            if len(outs) == 1:
                env[(nid, outs[0])] = result
            else:
                for port, value in zip(outs, result, strict=False):
                    env[(nid, port)] = value
        return env

    def example_inputs(self, batch: int = 2, device: str | torch.device = "cpu") -> tuple[torch.Tensor, ...]:
        """Random inputs of the right shapes and dtypes (for tracing, export and smoke tests)."""
        out = []
        for nid in self.input_nodes:
            shape = (batch, *self.input_shapes[nid])
            if self.input_dtypes[nid] == torch.int64:
                out.append(torch.zeros(shape, dtype=torch.int64, device=device))
            else:
                out.append(torch.randn(shape, device=device))
        return tuple(out)


def _compile_error(report: GraphReport) -> UserError:
    first = report.errors[0]
    more = f" (and {len(report.errors) - 1} more problem(s); run `studio check`)" if len(report.errors) > 1 else ""
    return UserError(first.message + more, first.fix.description if first.fix else None)


def compile_graph(graph: Graph) -> GraphModule:
    """Build the graph's nn.Module; UserError naming the node when the graph is invalid. An imported
    graph's weights file (`graph.weights`) is loaded into it."""
    module = GraphModule(graph)
    if graph.weights:
        from studio.core.graph.importers.weights import apply_weights

        apply_weights(module, graph.weights)
    return module
