"""The networks of a multi-network graph, and what makes one a GAN.

A GAN is drawn as one graph in two declared networks (docs/project-format.md, "Networks"): the
generator, from a noise Input (source `noise`) to the block whose output is the fake image, and the
discriminator, from that image to a `GANHead`. Exactly one wire, the bridge, runs from the
generator into the discriminator; over it shapes are inferred as anywhere else, so a generator
whose output does not fit the discriminator is an ordinary shape error on the first discriminator
block, which then also says that it takes the generator's output. During training the trainer feeds
the bridge with real images as well as with the generator's (studio/core/train/gan.py).

These checks are pure graph data (no shapes, no torch); infer.py turns their findings into issues.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.graph.model import Edge, Graph


@dataclass(frozen=True)
class GanStructure:
    """Where the two networks of a GAN graph meet and which nodes each one runs."""

    generator: str
    discriminator: str
    generator_nodes: frozenset[str]
    discriminator_nodes: frozenset[str]
    bridge: Edge
    """The one wire from the generator's output block into the discriminator."""

    @property
    def output_node(self) -> str:
        """The generator block whose output is the fake image."""
        return self.bridge.src


@dataclass(frozen=True)
class NetworkProblem:
    node: str | None
    message: str
    advice: str


def is_gan(graph: Graph) -> bool:
    """Whether the graph declares a generator and a discriminator network."""
    return graph.network_with_role("generator") is not None and graph.network_with_role("discriminator") is not None


def network_problems(graph: Graph) -> list[NetworkProblem]:
    """Nodes that name no declared network (or none where networks are declared), and a GAN whose
    networks are not joined by exactly one generator -> discriminator wire."""
    if not graph.networks:
        return [NetworkProblem(n.id, f"{n.block} {n.id} names network {n.network!r} but the graph declares none",
                               "remove its network, or declare the network in graph.networks")
                for n in graph.nodes if n.network is not None]
    declared = {net.id for net in graph.networks}
    problems = []
    for n in graph.nodes:
        if n.network is None:
            problems.append(NetworkProblem(n.id, f"{n.block} {n.id} belongs to no network of this graph",
                                           f"move it into one of: {', '.join(sorted(declared))}"))
        elif n.network not in declared:
            problems.append(NetworkProblem(n.id, f"{n.block} {n.id} names network {n.network!r}, which the graph "
                                                 f"does not declare", f"use one of: {', '.join(sorted(declared))}"))
    if problems or not is_gan(graph):
        return problems
    gen = graph.network_with_role("generator")
    dis = graph.network_with_role("discriminator")
    assert gen is not None and dis is not None
    network_of = {n.id: n.network for n in graph.nodes}
    bridges = [e for e in graph.edges if network_of.get(e.src) == gen.id and network_of.get(e.dst) == dis.id]
    backwards = [e for e in graph.edges if network_of.get(e.src) == dis.id and network_of.get(e.dst) == gen.id]
    for e in backwards:
        problems.append(NetworkProblem(e.src, f"{dis.title} block {e.src} feeds {gen.title} block {e.dst}: the "
                                              f"generator must not see the discriminator",
                                       f"delete the wire {e.src} -> {e.dst}"))
    if not bridges:
        last = [n.id for n in graph.nodes_of(gen.id) if not graph.outgoing(n.id)]
        problems.append(NetworkProblem(last[-1] if last else None,
                                       f"the {gen.title} does not feed the {dis.title}: nothing carries the fake "
                                       f"image from one to the other",
                                       "wire the generator's last block to the discriminator's first"))
    elif len({(e.src, e.src_port) for e in bridges}) > 1:
        srcs = ", ".join(sorted({e.src for e in bridges}))
        problems.append(NetworkProblem(bridges[1].src, f"the {gen.title} feeds the {dis.title} from several blocks "
                                                       f"({srcs}); one block's output must be the fake image",
                                       "keep one wire from the generator's last block into the discriminator"))
    heads = [n for n in graph.nodes_of(dis.id) if n.block == "GANHead"]
    if not heads:
        problems.append(NetworkProblem(None, f"the {dis.title} has no GANHead: nothing says real or fake",
                                       "end the discriminator with a Sigmoid and a GANHead"))
    if not any(n.block == "Input" and n.params.get("source") == "noise" for n in graph.nodes_of(gen.id)):
        problems.append(NetworkProblem(None, f"the {gen.title} has no noise Input (an Input with source noise, "
                                             f"e.g. shape [100])", "add an Input with source noise to the generator"))
    return problems


def gan_structure(graph: Graph) -> GanStructure | None:
    """The GAN's parts, or None when the graph is not a GAN or its networks are not joined right
    (network_problems says why)."""
    if not is_gan(graph) or network_problems(graph):
        return None
    gen = graph.network_with_role("generator")
    dis = graph.network_with_role("discriminator")
    assert gen is not None and dis is not None
    g_nodes = frozenset(n.id for n in graph.nodes_of(gen.id))
    d_nodes = frozenset(n.id for n in graph.nodes_of(dis.id))
    bridge = next(e for e in graph.edges if e.src in g_nodes and e.dst in d_nodes)
    return GanStructure(gen.id, dis.id, g_nodes, d_nodes, bridge)
