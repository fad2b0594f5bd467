"""Does this dataset fit this model? Checked before training, with messages that name the mismatch.

Shape inference proves the graph is consistent with itself; only here do we learn whether the data
the user picked matches it: 3-channel images into a 1-channel Input, 10 classes into a 2-unit head,
token sequences into a Conv2d, a head asking for boxes from a dataset without any.
"""

from __future__ import annotations

import math
from typing import Any

from studio.core.data.bundle import DatasetBundle
from studio.core.errors import UserError

_KIND_WORDS = {"image": "images", "tokens": "token sequences", "sequence": "sequences", "table": "table rows"}
_IMAGE_BLOCKS = {"Conv2d", "MaxPool2d", "AvgPool2d", "BatchNorm2d", "ConvTranspose2d", "AdaptiveAvgPool2d",
                 "Upsample", "PatchEmbedding"}


def _consumers(graph: Any, node_id: str) -> list[tuple[str, str]]:
    """(node id, block) of the nodes an Input feeds directly."""
    out = []
    for edge in graph.outgoing(node_id):
        try:
            out.append((edge.dst, graph.node(edge.dst).block))
        except KeyError:
            continue
    return out


def _feeder(graph: Any, node_id: str) -> str | None:
    edges = graph.incoming(node_id)
    return edges[0].src if edges else None


def _per_sample(shape: Any) -> tuple[int, ...]:
    """A head's output shape without the batch dimension (shape inference writes it as "N")."""
    shape = tuple(shape)
    if shape and not isinstance(shape[0], int):
        shape = shape[1:]
    return tuple(int(s) for s in shape)


def _shape_text(shape: tuple[int, ...] | list[int]) -> str:
    return "[" + ", ".join(str(int(s)) for s in shape) + "]"


def check_inputs(graph: Any, input_nodes: list[str], input_shapes: list[tuple[int, ...]],
                 bundle: DatasetBundle) -> None:
    data_shape = tuple(bundle.input_shape)
    words = _KIND_WORDS.get(bundle.input_kind, "inputs")
    for node_id, shape in zip(input_nodes, input_shapes, strict=False):
        shape = tuple(int(s) for s in shape)
        node = graph.node(node_id)
        source = str((node.params or {}).get("source", "input"))
        if source != "input":
            raise UserError(f"Input '{node_id}' reads dataset input {source!r}, but dataset '{bundle.name}' "
                            "has one input named 'input'", f"set the source of Input '{node_id}' to input")
        consumers = _consumers(graph, node_id)
        image_consumer = next(((c, b) for c, b in consumers if b in _IMAGE_BLOCKS), None)
        if bundle.input_kind != "image" and (image_consumer or len(shape) == 3):
            into = (f"Input '{node_id}' feeds {image_consumer[1]} '{image_consumer[0]}', which needs images "
                    "(channels, height, width)" if image_consumer else
                    f"Input '{node_id}' takes images {_shape_text(shape)}")
            raise UserError(
                f"dataset '{bundle.name}' gives {words} of shape {_shape_text(data_shape)}, but {into}",
                "use an image dataset, or a sequence model (Embedding, LSTM, Transformer) for this data")
        if bundle.input_kind == "image" and len(shape) == 3 and len(data_shape) == 3:
            if shape[0] != data_shape[0]:
                fix = (f"set Input '{node_id}' shape to {_shape_text((data_shape[0], *shape[1:]))}"
                       + (" or the dataset option channels to " + str(shape[0]) if bundle.name in ("shapes", "folder")
                          else ""))
                raise UserError(
                    f"dataset '{bundle.name}' gives {data_shape[0]}-channel images, but Input '{node_id}' takes "
                    f"{shape[0]}-channel images", fix)
            if shape[1:] != data_shape[1:]:
                size_opt = {"digits": "image_size", "folder": "image_size", "shapes": "size"}.get(bundle.name)
                fix = f"set Input '{node_id}' shape to {_shape_text(data_shape)}"
                if size_opt:
                    fix += f" or the dataset option {size_opt} to {shape[1]}"
                raise UserError(
                    f"dataset '{bundle.name}' gives {data_shape[1]}x{data_shape[2]} images, but Input '{node_id}' "
                    f"takes {shape[1]}x{shape[2]}", fix)
        if shape != data_shape:
            raise UserError(
                f"dataset '{bundle.name}' gives {words} of shape {_shape_text(data_shape)}, but Input '{node_id}' "
                f"takes {_shape_text(shape)}", f"set Input '{node_id}' shape to {_shape_text(data_shape)}")
        dtype = str((node.params or {}).get("dtype", "float32"))
        if bundle.input_kind == "tokens" and dtype != "int64":
            raise UserError(f"dataset '{bundle.name}' gives token ids (int64), but Input '{node_id}' is {dtype}",
                            f"set Input '{node_id}' dtype to int64 and feed an Embedding, or the dataset option "
                            "encoding to onehot")
        if bundle.input_kind == "tokens" and bundle.vocab_size:
            for consumer, block in consumers:
                size = int((graph.node(consumer).params or {}).get("num_embeddings", 0) or 0)
                if block == "Embedding" and size < bundle.vocab_size:
                    raise UserError(f"dataset '{bundle.name}' has a vocabulary of {bundle.vocab_size} tokens, but "
                                    f"Embedding '{consumer}' has num_embeddings {size}",
                                    f"set num_embeddings of '{consumer}' to {bundle.vocab_size}")
        if bundle.input_kind != "tokens" and dtype == "int64":
            raise UserError(f"Input '{node_id}' takes int64 token ids, but dataset '{bundle.name}' gives {words}",
                            f"set Input '{node_id}' dtype to float32")


def check_heads(graph: Any, heads: list[Any], bundle: DatasetBundle) -> None:
    available = ", ".join(bundle.targets) or "none"
    for head in heads:
        info = bundle.targets.get(head.target)
        if info is None:
            raise UserError(
                f"head '{head.node_id}' learns target '{head.target}', but dataset '{bundle.name}' has only {available}",
                f"set the head's target to one of {available}, or pick a dataset with '{head.target}' targets")
        out = _per_sample(head.output_shape)
        feeder = _feeder(graph, head.node_id)
        if head.kind in ("classification", "embedding") and info.kind != "class":
            raise UserError(f"head '{head.node_id}' ({head.kind}) needs class labels, but target '{head.target}' of "
                            f"dataset '{bundle.name}' is a {info.kind}",
                            "use a RegressionHead for boxes and values, a SegmentationHead for masks")
        if head.kind == "classification":
            units = out[-1] if out else 0
            if units != info.num_classes:
                where = f"set out_features of '{feeder}'" if feeder else "set the units of the layer before it"
                raise UserError(
                    f"dataset '{bundle.name}' has {info.num_classes} classes, but head '{head.node_id}' gets "
                    f"{units} units" + (f" from '{feeder}'" if feeder else ""), f"{where} to {info.num_classes}")
        elif head.kind == "segmentation":
            if info.kind != "mask":
                raise UserError(f"head '{head.node_id}' (segmentation) needs a mask target, but '{head.target}' of "
                                f"dataset '{bundle.name}' is a {info.kind}", "set its target to mask (dataset shapes)")
            if out and out[0] != info.num_classes:
                raise UserError(
                    f"dataset '{bundle.name}' masks have {info.num_classes} classes, but head '{head.node_id}' gets "
                    f"{out[0]} score maps" + (f" from '{feeder}'" if feeder else ""),
                    f"set out_channels of '{feeder}' to {info.num_classes}" if feeder else None)
            if tuple(out[1:]) != tuple(info.shape):
                raise UserError(
                    f"dataset '{bundle.name}' masks are {_shape_text(info.shape)}, but head '{head.node_id}' predicts "
                    f"{_shape_text(out[1:])}", "make the decoder upsample back to the input size")
        elif head.kind == "language_model":
            if info.kind != "token":
                raise UserError(f"head '{head.node_id}' (language model) needs next-token targets, but "
                                f"'{head.target}' of dataset '{bundle.name}' is a {info.kind}",
                                "use the text dataset, or a ClassificationHead for labels")
            vocab = out[-1] if out else 0
            if vocab != info.num_classes:
                where = f"set out_features of '{feeder}'" if feeder else "set the units of the layer before it"
                raise UserError(
                    f"dataset '{bundle.name}' has a vocabulary of {info.num_classes} tokens, but head "
                    f"'{head.node_id}' gets {vocab} scores per token" + (f" from '{feeder}'" if feeder else ""),
                    f"{where} to {info.num_classes} (the vocabulary size V)")
            if tuple(out[:-1]) != tuple(info.shape):
                raise UserError(
                    f"dataset '{bundle.name}' predicts {info.shape[0]} next tokens per window, but head "
                    f"'{head.node_id}' gets {out[0] if out else 0} steps",
                    f"set the Input's shape to [{info.shape[0]}] (the dataset's context)")
        elif head.kind == "detection":  # grid channels, a boxes target, labels that make sense
            from studio.core.detection.labels import check_detection_head

            check_detection_head(graph, head, bundle, feeder)
        elif head.kind == "keypoints":  # (N, 2K) predictions of (N, K, 2) points
            if info.kind != "points":
                raise UserError(f"head '{head.node_id}' (keypoints) needs (x, y) points, but '{head.target}' of "
                                f"dataset '{bundle.name}' is a {info.kind}", "set its target to corners (dataset shapes)")
            want = math.prod(info.shape)
            got = math.prod(out) if out else 1
            if got != want:
                raise UserError(
                    f"dataset '{bundle.name}' target '{head.target}' has {want // 2} points ({want} values) per "
                    f"sample, but head '{head.node_id}' gets {got} values" + (f" from '{feeder}'" if feeder else ""),
                    f"set out_features of '{feeder}' to {want}" if feeder else None)
        elif head.kind == "regression":
            if info.kind in ("class", "mask"):
                raise UserError(f"head '{head.node_id}' (regression) needs real-valued targets, but '{head.target}' "
                                f"of dataset '{bundle.name}' is a {info.kind}", "use a ClassificationHead for labels")
            want = math.prod(info.shape) if info.shape else 1
            got = math.prod(out) if out else 1
            if got != want:
                raise UserError(
                    f"dataset '{bundle.name}' target '{head.target}' has {want} value(s) per sample, but head "
                    f"'{head.node_id}' gets {got}" + (f" from '{feeder}'" if feeder else ""),
                    f"set out_features of '{feeder}' to {want}" if feeder else None)


def check_model_fits_data(graph: Any, model: Any, bundle: DatasetBundle) -> None:
    """Raise a UserError naming the first mismatch between `bundle` and the compiled `model`."""
    input_nodes = list(getattr(model, "input_nodes", []))
    shapes = getattr(model, "input_shapes", {})
    input_shapes = [tuple(shapes[n]) for n in input_nodes] if isinstance(shapes, dict) else [tuple(s) for s in shapes]
    if not input_nodes:
        raise UserError("the graph has no Input node", "add an Input block and connect it")
    check_inputs(graph, input_nodes, input_shapes, bundle)
    heads = list(getattr(model, "heads", []))
    if not heads:
        raise UserError("the graph has no head, so there is nothing to learn",
                        "end the graph with a ClassificationHead, RegressionHead, SegmentationHead, EmbeddingHead or "
                        "LanguageModelHead")
    check_heads(graph, heads, bundle)
