"""The "PretrainedBackbone" block: a torchvision network with its ImageNet weights, for transfer learning.

The block is the convolutional part of a torchvision classifier (resnet18, resnet34, resnet50,
mobilenet_v3_small, mobilenet_v3_large, efficientnet_b0), without its classifier; it gives the pooled
feature vector (`output: pooled`, e.g. 512 values for resnet18) or the last feature map
(`output: features`, e.g. 512 x H/32 x W/32). A head after it (Linear, ClassificationHead) learns the
new task; freeze the block (docs/training.md, Transfer learning) to train the head only.

Where the weights come from, never from the network at build time unless asked:

1. `weights_file`, a path given on the block: loaded as it is (it may be a fine-tuned state_dict of
   the same architecture);
2. else the file torchvision publishes, under its own name (e.g. resnet18-f37072fd.pth), in
   $STUDIO_PRETRAINED_DIR (default <cache>/pretrained, <cache> being $STUDIO_CACHE_DIR or
   ~/.cache/studio), or in torch's own hub cache (<torch hub dir>/checkpoints, where torchvision
   keeps what it downloaded). torchvision names each file after the first 8 hex digits of its sha256,
   and a file found this way is checked against them;
3. else, with `download` ticked and STUDIO_OFFLINE unset, the file is fetched from torchvision's URL
   into $STUDIO_PRETRAINED_DIR with Studio's downloader (`studio.core.downloads`: progress, size
   check, the sha256 prefix checked before the file is renamed into place); the Train panel offers
   the same download, with a progress bar, when a run stops because the file is missing
   (`missing_weights` says which);
4. else the build stops with a message that names the file, where to put it and its sha256 prefix,
   unless `random_init` is ticked: then the backbone starts from a random initialisation.

Every file is read with torch.load(weights_only=True): a pickle that needs code to load is refused,
never run. The weights then live in the model's state_dict like any block's, so checkpoints and
exports carry them.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import torch
from torch import nn

from studio.core.errors import UserError
from studio.core.graph.block_spec import BlockSpec, Construct, ParamSpec, RuleContext, ShapeResult, TensorSpec

P = ParamSpec

ARCHS = ("resnet18", "resnet34", "resnet50", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0")
DIR_ENV = "STUDIO_PRETRAINED_DIR"
OFFLINE_ENV = "STUDIO_OFFLINE"
URL_ENV = "STUDIO_PRETRAINED_URL"


def weights_dir() -> Path:
    """Where Studio looks for (and downloads) torchvision weight files."""
    if os.environ.get(DIR_ENV):
        return Path(os.environ[DIR_ENV])
    from studio.core.audio.recognizers.whisper_model import cache_root

    return cache_root() / "pretrained"


def weights_url(arch: str) -> str:
    """torchvision's URL for ARCH's default ImageNet weights (on the mirror $STUDIO_PRETRAINED_URL names,
    under the same file name, when that is set: how the tests serve them from 127.0.0.1)."""
    from torchvision import models

    url = models.get_model_weights(arch).DEFAULT.url
    mirror = os.environ.get(URL_ENV)
    return f"{mirror.rstrip('/')}/{url.rsplit('/', 1)[-1]}" if mirror else url


def weights_name(arch: str) -> str:
    """The file name torchvision publishes, e.g. resnet18-f37072fd.pth."""
    return weights_url(arch).rsplit("/", 1)[-1]


def sha256_prefix(arch: str) -> str:
    """The first hex digits of the file's sha256, which torchvision writes into its name."""
    stem = weights_name(arch).rsplit(".", 1)[0]
    return stem.rsplit("-", 1)[-1]


def _candidates(arch: str) -> list[Path]:
    name = weights_name(arch)
    places = [weights_dir() / name]
    try:
        places.append(Path(torch.hub.get_dir()) / "checkpoints" / name)
    except Exception:  # noqa: BLE001 - no hub dir: just one place less to look
        pass
    return places


def by_hand(arch: str) -> str:
    """Where to put ARCH's file by hand (from a machine that is online)."""
    return (f"put {weights_name(arch)} (sha256 begins with {sha256_prefix(arch)}; from {weights_url(arch)}) "
            f"into {weights_dir()}")


def missing_message(arch: str) -> tuple[str, str]:
    """(message, fix) when no weights file for ARCH is found."""
    return (f"the ImageNet weights of {arch} are not on this machine: {by_hand(arch)}",
            f"or set {DIR_ENV} to the folder holding it, give the file in the block's weights_file, tick "
            "download (needs a network), or tick random_init to train from scratch")


def _check_hash(path: Path, arch: str) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    if not digest.hexdigest().startswith(sha256_prefix(arch)):
        raise UserError(f"{path} does not match torchvision's {weights_name(arch)} (its sha256 does not begin with "
                        f"{sha256_prefix(arch)})", "download it again, or give your own file in weights_file")


def download_weights(arch: str, progress=None, cancel: threading.Event | None = None) -> Path:
    """Fetch ARCH's weights into `weights_dir()` (whole or not at all), check them, return the path."""
    from studio.core import downloads

    message, fix = missing_message(arch)
    if os.environ.get(OFFLINE_ENV):
        raise UserError(f"{OFFLINE_ENV} is set, so nothing is downloaded; {message}", fix)
    url, target = weights_url(arch), weights_dir() / weights_name(arch)
    try:
        with downloads.download_errors(f"ImageNet weights of {arch}", url, target.parent,
                                       offline_fix=f"{by_hand(arch)}, {fix}"):
            downloads.fetch_file(url, target, downloads.Checksum("sha256", sha256_prefix(arch)), progress=progress,
                                 cancel=cancel, what=f"{arch} weights")
    except downloads.ChecksumMismatch:
        raise UserError(f"the downloaded {target.name} does not match torchvision's {weights_name(arch)} (its sha256 "
                        f"does not begin with {sha256_prefix(arch)}); nothing was put in {target.parent}",
                        "try the download again, or give your own file in weights_file") from None
    return target


def missing_weights(graph) -> list[str]:
    """The archs of `graph`'s PretrainedBackbone blocks whose torchvision file is not on this machine
    (no weights_file given, random_init off): what a Download offer should fetch. Looks, never fetches."""
    missing = []
    for node in graph.nodes:
        if node.block != "PretrainedBackbone":
            continue
        arch = str(node.params.get("arch", "resnet18"))
        if arch not in ARCHS or node.params.get("weights_file") or node.params.get("random_init"):
            continue
        if not any(path.is_file() for path in _candidates(arch)) and arch not in missing:
            missing.append(arch)
    return missing


def find_weights(arch: str, weights_file: str = "", download: bool = False) -> Path | None:
    """The weights file to load (see the module doc), hash-checked when it is torchvision's; None when
    there is none and `download` is off."""
    if weights_file:
        path = Path(weights_file).expanduser()
        if not path.is_file():
            raise UserError(f"weights_file {path} does not exist", "check the path, or clear it to use "
                            f"torchvision's {weights_name(arch)} from {weights_dir()}")
        return path
    for path in _candidates(arch):
        if path.is_file():
            _check_hash(path, arch)
            return path
    return download_weights(arch) if download else None


def load_state(path: Path) -> dict[str, torch.Tensor]:
    """A state_dict read with weights_only=True; anything else is refused with the reason."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - every way a file fails to load is the same refusal
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise UserError(f"{path} was refused: it is not a plain PyTorch state_dict that loads with "
                        f"weights_only=True ({first})",
                        "save it with torch.save(model.state_dict(), path); a pickle that needs code to "
                        "load is never unpickled") from None
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise UserError(f"{path} was refused: it holds no state_dict (a dict of tensors)",
                        "save it with torch.save(model.state_dict(), path)")
    return state


def _split(model: nn.Module, arch: str) -> tuple[nn.Module, nn.Module]:
    """(the convolutional features, the global pooling) of a torchvision classifier."""
    if arch.startswith("resnet"):
        body = nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool,
                             model.layer1, model.layer2, model.layer3, model.layer4)
        return body, model.avgpool
    return model.features, model.avgpool


def pretrained_state(arch: str, weights_file: str = "", random_init: bool = False,
                     download: bool = False) -> dict[str, torch.Tensor] | None:
    """The state_dict the block starts from (see the module doc), or None for a random start
    (`random_init` and no file); a UserError naming the file and where to put it otherwise."""
    if arch not in ARCHS:
        raise UserError(f"unknown backbone {arch!r}", f"use one of {', '.join(ARCHS)}")
    path = find_weights(arch, weights_file, download)
    if path is None:
        if random_init:
            return None
        raise UserError(*missing_message(arch))
    state = load_state(path)
    from torchvision import models

    with torch.device("meta"):
        keys = set(models.get_model(arch, weights=None).state_dict())
    head = ("fc.", "classifier.")
    missing = sorted(k for k in keys - set(state) if not k.startswith(head))
    unexpected = sorted(set(state) - keys)
    if missing or unexpected:
        raise UserError(f"{path} is not a {arch} state_dict (missing {missing[:3]}, unexpected {unexpected[:3]})",
                        f"give a file saved from torchvision's {arch}")
    state = {k: v for k, v in state.items() if not k.startswith(head)}
    state["_source"] = str(path)  # type: ignore[assignment] - read back by the block, not loaded
    return state


class PretrainedBackbone(nn.Module):
    """The feature part of torchvision's ARCH with the weights `pretrained_state` gives.

    Written out by `studio codegen` as it is: without Studio installed the generated code builds the
    same network with random weights, which the run's checkpoint then replaces."""

    def __init__(self, arch: str, weights_file: str = "", output: str = "pooled", random_init: bool = False,
                 download: bool = False):
        super().__init__()
        from torchvision import models

        # In Studio this module's loader; in code `studio codegen` wrote, where this class stands alone,
        # there is none and the run's checkpoint brings the weights.
        pretrained_state = globals().get("pretrained_state")
        model = models.get_model(arch, weights=None)
        state = pretrained_state(arch, weights_file, random_init, download) if pretrained_state else None
        self.weights_source = "random" if state is None else state.pop("_source")
        if state is not None:
            model.load_state_dict(state, strict=False)  # the classifier is left out: the block drops it
        self.body, self.pool = _split(model, arch)
        self.pooled = output == "pooled"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.body(x)
        return torch.flatten(self.pool(x), 1) if self.pooled else x


PretrainedBackbone.codegen_deps = (_split,)
"""Generated code (codegen.py) copies `_split` with the class."""


def _meta_parts(arch: str):
    cache = _meta_parts.__dict__.setdefault("cache", {})
    if arch not in cache:
        from torchvision import models

        with torch.device("meta"):
            model = models.get_model(arch, weights=None)
        body, pool = _split(model, arch)
        cache[arch] = (body.eval(), pool, sum(p.numel() for p in body.parameters()))
    return cache[arch]


def _rule(ctx: RuleContext) -> ShapeResult:
    x = ctx.expect_rank("in", (3,), "(N, 3, H, W) images")
    c, h, w = x.shape
    if c != 3:
        raise ctx.fail(f"{ctx.name} expects 3-channel (RGB) images, as ImageNet's, but gets {x.shown()}")
    if h < 32 or w < 32:
        raise ctx.fail(f"{ctx.name} needs images of at least 32x32 pixels (it shrinks them 32 times), "
                       f"gets {x.shown()}")
    fmap, flops, params = _traced_shape(ctx.p["arch"], h, w)
    shape = fmap if ctx.p["output"] == "features" else (fmap[0],)
    return ShapeResult(TensorSpec(shape), params, flops)


def _traced_shape(arch: str, h: int, w: int) -> tuple[tuple[int, ...], int, int]:
    """(the feature map's shape, the FLOPs of the features part, its parameter count) for an image of
    h x w, from a run on the meta device (no memory, no arithmetic); cached."""
    from torch.utils.flop_counter import FlopCounterMode

    cache = _traced_shape.__dict__.setdefault("cache", {})
    if (arch, h, w) not in cache:
        body, _, params = _meta_parts(arch)
        with torch.no_grad(), FlopCounterMode(display=False) as counter:
            fmap = body(torch.empty(1, 3, h, w, device="meta"))
        cache[(arch, h, w)] = (tuple(int(v) for v in fmap.shape[1:]), int(counter.get_total_flops()), params)
    return cache[(arch, h, w)]


def _construct(p: dict[str, Any], d: dict[str, Any]) -> Construct:
    return Construct(PretrainedBackbone, (p["arch"],),
                     {"weights_file": p["weights_file"], "output": p["output"], "random_init": p["random_init"],
                      "download": p["download"]},
                     defaults={"weights_file": "", "output": "pooled", "random_init": False, "download": False})


BLOCKS: list[BlockSpec] = [BlockSpec(
    "PretrainedBackbone", "Convolution",
    "A torchvision network (resnet18, mobilenet_v3_small, ...) with its ImageNet weights and without its "
    "classifier: the pooled feature vector, or the last feature map, for a new head to learn from "
    "(transfer learning; freeze it to train the head only). Takes RGB images of at least 32x32. The "
    "weights are read from a local file; when it is missing, the message names the file and where to "
    "put it, and the Train panel offers to download it (sha256-checked).",
    (P("arch", "choice", "resnet18", choices=ARCHS),
     P("output", "choice", "pooled", choices=("pooled", "features"),
       help="pooled: one feature vector per image; features: the last feature map"),
     P("weights_file", "str", "", help=f"a state_dict file (empty: torchvision's file in ${DIR_ENV})"),
     P("download", "bool", False, help="download torchvision's file when it is missing (needs a network)"),
     P("random_init", "bool", False, help="start from random weights when no file is found")),
    ("in",), ("out",), _rule, _construct)]
