"""Export a graph as a standalone, readable PyTorch file.

The file defines one `nn.Module` class whose `__init__` creates one attribute per node (named by
node id, exactly as `compile_graph` registers them) and whose `forward` spells out the data flow
line by line. The few non-`torch.nn` classes a graph uses are copied in verbatim, so the file needs
only torch. Both paths build modules from the same `Construct`, so the generated class's
`state_dict` keys and shapes equal the compiled module's and a Studio checkpoint loads into it.
"""

from __future__ import annotations

import inspect
import keyword
import re
import textwrap
import unicodedata
from typing import Any

from torch import nn

from studio.core.errors import UserError
from studio.core.graph.compile import _compile_error
from studio.core.graph.infer import infer_graph
from studio.core.graph.model import Graph
from studio.core.graph.registry import Construct, get_block

_SHADOWED = {"self", "torch", "nn", "F", "math"}


def class_name(name: str) -> str:
    """`MNIST CNN` -> `MnistCnn`-like CamelCase identifier, `Net` when nothing usable is left.

    Only ASCII letters and digits of the name survive, so no user text reaches the code here; a
    result that is a keyword (`None`) or a name the file imports (`F`) gets `Net` appended."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    out = "".join(w if w.isupper() and len(w) <= 4 else w[:1].upper() + w[1:] for w in words)
    if not out or not out[0].isalpha():
        out = "Net" + out
    if keyword.iskeyword(out) or out in _SHADOWED:
        out += "Net"
    return out


def _text(value: object) -> str:
    """`value` as text that is safe inside the generated file's docstring or a comment.

    User text (project and file names) reaches the docstring; a `\"\"\"` or a line break in it
    must not end the string or the comment and turn the rest into code. Backslashes and double
    quotes are escaped, and every character Python could read as a line end or that is not
    printable is written as its escape sequence: the docstring's value is the original text and the
    file holds no line the generator did not write."""
    out = []
    for ch in str(value):
        if ch in ('\\', '"'):
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


def _check_node_id(nid: str) -> None:
    """Node ids become attribute and variable names in the code: refuse any that is not a plain
    identifier, and any that Python would read as another name (it applies NFKC to identifiers, so
    `ﬁ` becomes `fi` and the weights would no longer match)."""
    normal = unicodedata.normalize("NFKC", nid)
    if not nid.isidentifier() or keyword.iskeyword(nid) or nid in _SHADOWED or normal != nid:
        raise UserError(f"node id {nid!r} cannot be a name in Python code"
                        + (f" (Python reads it as {normal!r})" if normal != nid else ""),
                        f"rename the node to letters, digits and _ (e.g. {_ascii_id(nid)})")


def _ascii_id(nid: str) -> str:
    stem = "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in
                   unicodedata.normalize("NFKC", nid)).strip("_") or "node"
    return stem if stem[0].isalpha() else "n" + stem


def _var(node_id: str, port: str, multi: bool) -> str:
    name = f"{node_id}_{port}" if multi else node_id
    if keyword.iskeyword(name) or name in _SHADOWED:
        name += "_"
    return name


def _expr(c: Construct) -> str:
    cls = c.cls
    if cls.__module__.startswith("torch.nn") and getattr(nn, cls.__name__, None) is cls:
        head = f"nn.{cls.__name__}"
    else:
        head = cls.__name__
    parts = [repr(a) for a in c.args]
    for k, v in c.kwargs.items():
        if k in c.defaults and c.defaults[k] == v and type(c.defaults[k]) is type(v):
            continue
        parts.append(f"{k}={v!r}")
    return f"{head}({', '.join(parts)})"


def _collect(obj: Any, out: list[Any]) -> None:
    """Depth-first: dependencies before the things that use them, each once."""
    for dep in getattr(obj, "codegen_deps", ()):
        _collect(dep, out)
    if obj not in out:
        out.append(obj)


def _source(obj: Any) -> str:
    try:
        return textwrap.dedent(inspect.getsource(obj)).rstrip() + "\n"
    except (OSError, TypeError) as exc:
        raise UserError(f"cannot export {obj.__name__}: its source code is not available",
                        "define plugin blocks' modules in a .py file") from exc


def layer_lines(graph: Graph, report: Any, nodes: list[str], env: dict[tuple[str, str], str],
                helpers: list[Any]) -> tuple[list[str], list[str]]:
    """The `__init__` and `forward` lines of `nodes` (in order): one layer per node, named by its id.
    `env` maps (node, port) to the variable holding it (pre-fill it for wires from outside `nodes`,
    e.g. a GAN discriminator's image) and gains every node's outputs; classes that are not torch.nn's
    own are added to `helpers` so their source can be written out."""
    incoming: dict[str, list] = {}
    for e in graph.edges:
        incoming.setdefault(e.dst, []).append(e)
    init_lines: list[str] = []
    fwd_lines: list[str] = []
    for nid in nodes:
        spec = get_block(graph.node(nid).block)
        info = report.nodes[nid]
        c = spec.construct(info.config, info.derived)
        if not (c.cls.__module__.startswith("torch.nn") and getattr(nn, c.cls.__name__, None) is c.cls):
            _collect(c.cls, helpers)
        shape = _text(", ".join(map(str, info.output_shape)))
        init_lines.append(f"self.{nid} = {_expr(c)}  # -> ({shape})")
        outs = spec.outputs or ("out",)
        multi = len(outs) > 1
        if spec.name == "Input":
            args = [_var(nid, "in", False)]
        else:
            args = []
            for port in spec.inputs:
                port_edges = [e for e in incoming.get(nid, []) if e.dst_port == port]
                if not port_edges:
                    break
                if port not in spec.variadic:
                    port_edges = port_edges[:1]
                args.extend(env[(e.src, e.src_port)] for e in port_edges)
        targets = [_var(nid, p, multi) for p in outs]
        for p, t in zip(outs, targets, strict=False):
            env[(nid, p)] = t
        fwd_lines.append(f"{', '.join(targets)} = self.{nid}({', '.join(args)})")
    return init_lines, fwd_lines


def generate_code(graph: Graph, name: str = "Net", source: str | None = None) -> str:
    """The standalone Python source of `graph`; UserError naming the node when the graph is invalid."""
    report = infer_graph(graph)
    if not report.ok:
        raise _compile_error(report)
    cls_name = class_name(name)
    for nid in report.order:
        _check_node_id(nid)
    helpers: list[Any] = []
    env: dict[tuple[str, str], str] = {}
    inputs = [n.id for n in graph.nodes if n.block == "Input" and n.id in report.order]
    init_lines, fwd_lines = layer_lines(graph, report, report.order, env, helpers)
    heads = [(nid, spec.head) for nid in report.order if (spec := get_block(graph.node(nid).block)).head]
    ret = ", ".join(env[(h, "out")] for h, _ in heads)

    def shown(nid: str) -> str:
        return "(" + _text(", ".join(map(str, report.nodes[nid].output_shape))) + ")"

    doc_inputs = ", ".join(f"{i} {shown(i)}" for i in inputs)
    doc_heads = ", ".join(f"{h} {shown(h)} ({kind})" for h, kind in heads)
    lines = [
        '"""' + f"{_text(name)}: generated by Studio" + (f" from {_text(source)}" if source else "") + ".",
        "",
        f"Inputs: {doc_inputs}.",
        f"Outputs: {doc_heads}.",
        f"Parameters: {report.total_params:,}. The state_dict keys match Studio's compiled module, so the",
        "weights of a Studio checkpoint load into this class with model.load_state_dict(...).",
        '"""',
        "",
        "import math",
        "",
        "import torch",
        "import torch.nn.functional as F",
        "from torch import nn",
        "",
    ]
    clash = next((h for h in helpers if getattr(h, "__name__", None) == cls_name), None)
    if clash is not None:  # the generated class would replace the layer class it instantiates
        raise UserError(f"the project name {name!r} gives the class name {cls_name}, which is also the name "
                        f"of a layer class this graph uses", f"rename the project, e.g. to '{name} net'")
    for helper in helpers:
        lines += ["", _source(helper).rstrip(), ""]
    lines += ["", f"class {cls_name}(nn.Module):", "    def __init__(self):", "        super().__init__()"]
    lines += [f"        {line}" for line in init_lines]
    lines += ["", f"    def forward(self, {', '.join(_var(i, 'in', False) for i in inputs)}):"]
    lines += [f"        {line}" for line in fwd_lines]
    lines += [f"        return {ret}", "", ""]
    example = ", ".join(
        f"torch.zeros(2, {', '.join(map(str, report.nodes[i].output_shape[1:]))}, dtype=torch.int64)"
        if report.nodes[i].dtype == "int64" else f"torch.randn(2, {', '.join(map(str, report.nodes[i].output_shape[1:]))})"
        for i in inputs)
    lines += [
        'if __name__ == "__main__":',
        f"    model = {cls_name}().eval()",
        "    print(sum(p.numel() for p in model.parameters()), \"parameters\")",
        "    with torch.no_grad():",
        f"        out = model({example})",
        "    for t in out if isinstance(out, tuple) else (out,):",
        "        print(tuple(t.shape))",
        "",
    ]
    return "\n".join(lines)
