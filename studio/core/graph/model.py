"""The graph as the user drew it: nodes (block instances) and edges between named ports.

This is pure data with a stable JSON form (see docs/project-format.md). It knows nothing about
shapes or PyTorch; `studio.core.graph` builds those on top of it. Node ids are what the user sees
and what parameter names of the compiled module are built from, so they must stay stable.

A graph may hold more than one network (a GAN's generator and discriminator): it declares them in
`networks` and each node names the one it belongs to. It is still one graph, wired end to end (the
generator's output feeds the discriminator), so shapes are inferred across the networks and one
compiled module holds every weight; a paradigm such as GAN training runs the networks' parts on
their own (`GraphModule.run_part`). A graph that declares no networks is one network, as before.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

DEFAULT_OUTPUT_PORT = "out"
DEFAULT_INPUT_PORT = "in"


@dataclass
class Node:
    """One block instance on the canvas."""

    id: str
    block: str
    params: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] = (0.0, 0.0)
    network: str | None = None
    """The id of the network of `Graph.networks` this node belongs to (None: the graph has one network)."""
    frozen: bool = False
    """Transfer learning: its weights are not trained (studio/core/train/freeze.py); written only when true."""

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "block": self.block,
            "params": copy.deepcopy(self.params),
            "pos": [float(self.pos[0]), float(self.pos[1])],
        }
        if self.network is not None:
            out["network"] = self.network
        if self.frozen:
            out["frozen"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        pos = data.get("pos") or [0.0, 0.0]
        network = data.get("network")
        return cls(
            id=str(data["id"]),
            block=str(data["block"]),
            params=copy.deepcopy(dict(data.get("params") or {})),
            pos=(float(pos[0]), float(pos[1])),
            network=None if network is None else str(network),
            frozen=data.get("frozen") is True,
        )


NETWORK_ROLES = ("generator", "discriminator")
"""What a declared network does in training; a GAN has one of each."""


@dataclass(frozen=True)
class Network:
    """One network of a multi-network graph: an id the nodes name, its role and the name shown."""

    id: str
    role: str = ""
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "role": self.role, "label": self.label or self.id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Network:
        return cls(id=str(data["id"]), role=str(data.get("role") or ""), label=str(data.get("label") or ""))

    @property
    def title(self) -> str:
        return self.label or self.id


@dataclass
class Group:
    """Some nodes of the graph the canvas may show as one box (`collapsed`): a view, never a
    change of the network; what it does is in studio/core/graph/groups.py."""

    id: str
    nodes: list[str] = field(default_factory=list)
    label: str = ""
    collapsed: bool = False

    @property
    def title(self) -> str:
        return self.label or self.id

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.title, "nodes": list(self.nodes)}
        if self.collapsed:
            out["collapsed"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Group:
        return cls(id=str(data["id"]), nodes=[str(n) for n in data.get("nodes") or []],
                   label=str(data.get("label") or ""), collapsed=data.get("collapsed") is True)


@dataclass(frozen=True)
class Edge:
    """A wire from an output port of one node to an input port of another."""

    src: str
    dst: str
    src_port: str = DEFAULT_OUTPUT_PORT
    dst_port: str = DEFAULT_INPUT_PORT

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.src, "from_port": self.src_port, "to": self.dst, "to_port": self.dst_port}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edge:
        return cls(
            src=str(data["from"]),
            dst=str(data["to"]),
            src_port=str(data.get("from_port", DEFAULT_OUTPUT_PORT)),
            dst_port=str(data.get("to_port", DEFAULT_INPUT_PORT)),
        )

    def label(self) -> str:
        return f"{self.src}.{self.src_port} -> {self.dst}.{self.dst_port}"


@dataclass
class Graph:
    """Nodes in insertion order plus edges. Order matters only for display and input order."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    """The networks of a multi-network graph (empty: one network, every node's `network` None)."""
    weights: str | None = None
    """The weights side file of an imported model (graph/importers/weights.py): a name relative to the
    project's folder in the file, its full path once the project is loaded."""
    groups: list[Group] = field(default_factory=list)
    """Blocks the canvas may fold into one box (studio/core/graph/groups.py): a view, which training,
    shapes, codegen and export never read; written only when there are some."""

    # --- queries -------------------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def has_node(self, node_id: str) -> bool:
        return any(n.id == node_id for n in self.nodes)

    def incoming(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.dst == node_id]

    def outgoing(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.src == node_id]

    def network(self, network_id: str) -> Network:
        for net in self.networks:
            if net.id == network_id:
                return net
        raise KeyError(network_id)

    def network_with_role(self, role: str) -> Network | None:
        return next((net for net in self.networks if net.role == role), None)

    def nodes_of(self, network_id: str) -> list[Node]:
        """The nodes of one network, in graph order."""
        return [n for n in self.nodes if n.network == network_id]

    def unique_id(self, stem: str) -> str:
        """A node id not used yet, e.g. `conv3` for stem `conv`."""
        taken = {n.id for n in self.nodes}
        i = 1
        while f"{stem}{i}" in taken:
            i += 1
        return f"{stem}{i}"

    @classmethod
    def chain(cls, layers, spacing: float = 90.0) -> Graph:
        """A graph where each layer feeds the next, laid out top to bottom `spacing` apart.

        `layers` are Nodes or (id, block, params) triples. Most course models read this way (input,
        conv, relu, ..., head), so plugins, scripts and tests build them without wiring by hand.
        """
        graph = cls()
        previous = None
        for k, layer in enumerate(layers):
            node = layer if isinstance(layer, Node) else Node(layer[0], layer[1], dict(layer[2]))
            if node.pos == (0.0, 0.0):
                node.pos = (0.0, spacing * k)
            graph.add_node(node)
            if previous is not None:
                graph.connect(previous.id, node.id)
            previous = node
        return graph

    # --- edits ---------------------------------------------------------------------------
    def add_node(self, node: Node) -> Node:
        if self.has_node(node.id):
            raise ValueError(f"a node with id {node.id!r} already exists")
        self.nodes.append(node)
        return node

    def remove_node(self, node_id: str) -> None:
        self.nodes = [n for n in self.nodes if n.id != node_id]
        self.edges = [e for e in self.edges if e.src != node_id and e.dst != node_id]

    def connect(self, src: str, dst: str, src_port: str = DEFAULT_OUTPUT_PORT,
                dst_port: str = DEFAULT_INPUT_PORT) -> Edge:
        edge = Edge(src, dst, src_port, dst_port)
        if edge not in self.edges:
            self.edges.append(edge)
        return edge

    def disconnect(self, edge: Edge) -> None:
        self.edges = [e for e in self.edges if e != edge]

    # --- serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"nodes": [n.to_dict() for n in self.nodes], "edges": [e.to_dict() for e in self.edges]}
        if self.networks:
            out["networks"] = [net.to_dict() for net in self.networks]
        if self.weights:
            out["weights"] = self.weights
        if self.groups:
            out["groups"] = [g.to_dict() for g in self.groups]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Graph:
        return cls(
            nodes=[Node.from_dict(n) for n in data.get("nodes", [])],
            edges=[Edge.from_dict(e) for e in data.get("edges", [])],
            networks=[Network.from_dict(n) for n in data.get("networks", [])],
            weights=str(data["weights"]) if data.get("weights") else None,
            groups=[Group.from_dict(g) for g in data.get("groups", [])],
        )

    def copy(self) -> Graph:
        return Graph.from_dict(self.to_dict())
