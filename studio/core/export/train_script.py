"""A standalone PyTorch training script of a project, for machines where only PyTorch is allowed.

`studio export-script PROJECT_OR_RUN -o train.py` writes two files:

* `train.py`: the model class from the graph core's codegen (`generate_code`, the same class
  `studio codegen` writes, so its state_dict keys are Studio's), then a training loop that needs
  only torch: the project's optimizer, learning-rate schedule (Studio's own `LRSchedule` class,
  its source copied in by `inspect`, so the two cannot drift apart), epochs, global batch size,
  seed, gradient clipping and label smoothing. Launched by `torchrun --nproc-per-node N train.py`
  (RANK / WORLD_SIZE in the environment) it trains with DistributedDataParallel and a
  `DistributedSampler`, gloo on the CPU and nccl on CUDA; started as `python train.py` it is one
  plain process that draws its batches exactly as Studio's trainer does (the same seeded
  permutation), so its first epoch matches a Studio run of the same seed. Rank 0 prints the losses
  of each epoch and saves the final state_dict. Frozen blocks (`frozen: true` on a node) stay frozen
  as in Studio (requires_grad off, their BatchNorm layers held in eval), and under torchrun the
  other BatchNorm layers are synchronised across the processes when `sync_batchnorm` is on (the
  source of studio/core/train/sync_batchnorm.py, copied in). The header lists the project's
  settings the script does not write.
* `train_data.pt`: the project's dataset as Studio's loader prepares it (split, resized,
  normalised), a dict of plain tensors that the script reads with `torch.load(weights_only=True)`,
  so reading it runs no pickled code. File-based datasets (image folders, CSV files) are written
  the same way, already decoded: the cluster needs neither the original files nor Studio's readers.
* `train_init.pt`, from a run folder that has weights: the run's trained state_dict (best.pt unless
  `--checkpoint last`), plain tensors the script loads with `weights_only=True` before training, so
  it goes on from what the run learned (`--from-scratch`: the seeded initialisation instead).

User text (the project name, node ids as the codegen checks them, target names, file names) enters
the code only as `repr` literals or through codegen's escaped docstring. Supervised heads only
(classification, segmentation, regression); other paradigms are refused with the reason.
"""

from __future__ import annotations

import inspect
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import UserError
from studio.core.project import Project

SUPPORTED_KINDS = ("classification", "segmentation", "regression")
DATA_FORMAT = "studio-train-data"
DATA_VERSION = 1
SCHEDULE_KEYS = ("lr", "schedule", "epochs", "warmup_steps", "warmup_epochs", "step_size", "gamma",
                 "min_lr_fraction")
"""The training settings `LRSchedule` reads: the script's stand-in config holds exactly these."""
_MAIN_MARK = '\nif __name__ == "__main__":\n'


@dataclass
class TrainScript:
    """What `build_train_script` makes: the script's source, the data it reads and what it leaves out."""

    code: str
    data: dict[str, Any]
    class_name: str
    notes: list[str] = field(default_factory=list)
    """Settings of the project the script does not carry (augmentation, EMA, AMP, ...), as sentences."""
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class StartWeights:
    """The weights a script starts from instead of the seeded initialisation: a run's trained ones."""

    state_dict: dict[str, torch.Tensor]
    described: str
    """Where they come from, for the header and the report: "run r1, best.pt (epoch 3, step 69)"."""


def data_path(script: str | os.PathLike[str]) -> Path:
    """The data file written beside `script`: `train.py` -> `train_data.pt`."""
    script = Path(script)
    return script.with_name(f"{script.stem}_data.pt")


def init_path(script: str | os.PathLike[str]) -> Path:
    """The start weights written beside `script`: `train.py` -> `train_init.pt`."""
    script = Path(script)
    return script.with_name(f"{script.stem}_init.pt")


def start_weights(run_dir: str | os.PathLike[str], which: str = "best") -> StartWeights:
    """A run's `which` weights (best falls back to last) as plain tensors, vetted like every
    checkpoint Studio reads (weights_only=True)."""
    from studio.core.train.run_folder import checkpoint_file, load_checkpoint

    state = load_checkpoint(run_dir, which)
    weights = {k: v.detach().cpu().clone() for k, v in state["model"].items() if isinstance(v, torch.Tensor)}
    at = ", ".join(f"{k} {state[k]}" for k in ("epoch", "global_step") if state.get(k) is not None)
    return StartWeights(weights, f"run {Path(run_dir).name}, {checkpoint_file(run_dir, which).name}"
                        + (f" ({at.replace('global_step', 'step')})" if at else ""))


def weights_name(script: str | os.PathLike[str]) -> str:
    """The file the script saves its final state_dict to by default: `train.py` -> `train_weights.pt`."""
    return f"{Path(script).stem}_weights.pt"


_NOT_COVERED = {"gan": "two networks trained against each other", "diffusion": "noise drawn at random time steps",
                "embedding": "pairs or triplets mined from each batch",
                "language_model": "its own initialisation and token sampling"}
"""Why a head kind's training is not what the script's loop does (a kind not named: its own loop)."""


def _refuse_heads(heads: list[Any]) -> None:
    if not heads:
        raise UserError("the graph has no output head, so there is nothing to train",
                        "end the graph with a head block (ClassificationHead, RegressionHead)")
    for head in heads:
        if head.kind not in SUPPORTED_KINDS:
            reason = _NOT_COVERED.get(head.kind, "a training loop of its own")
            raise UserError(f"head {head.node_id!r} ({head.kind}) trains with {reason}, which the training "
                            f"script does not write (it covers {', '.join(SUPPORTED_KINDS)} heads)",
                            "train this project with `studio train`")


def _notes(cfg: Any, data_config: dict[str, Any], frozen: list[str], start: StartWeights | None,
           heads: list[Any] = ()) -> list[str]:
    from studio.core.data.augment import is_active

    notes = []
    if is_active(data_config.get("augment") or {}):
        notes.append("data augmentation is not in the script: it trains on the prepared images as they are")
    if cfg.ema:
        notes.append(f"the EMA of the weights (ema {cfg.ema}) is not in the script: it saves the trained weights")
    if cfg.amp != "off":
        notes.append(f"mixed precision (amp {cfg.amp}) is not in the script: it trains in float32")
    if cfg.compile:
        notes.append("torch.compile is not in the script")
    if cfg.channels_last:
        notes.append("channels_last is not in the script")
    if cfg.early_stopping:
        notes.append(f"early stopping (patience {cfg.early_stopping}) is not in the script: it runs every epoch")
    for head in heads:
        if head.kind != "segmentation":
            continue
        weighted = [name for name, on in (
            ("class_weights", str(head.params.get("class_weights", "none") or "none") != "none"),
            ("border_weight", float(head.params.get("border_weight", 0.0) or 0.0) > 0)) if on]
        if weighted:
            notes.append(f"the {' and '.join(weighted)} of segmentation head {head.node_id!r} "
                         f"{'are' if len(weighted) > 1 else 'is'} not in the script: it trains with plain "
                         "per-pixel cross-entropy")
    if cfg.unfreeze_at_epoch and frozen:
        notes.append(f"unfreeze_at_epoch {cfg.unfreeze_at_epoch} is not in the script: the frozen blocks "
                     f"({', '.join(frozen)}) stay frozen in every epoch")
    if start is not None:
        notes.append("the optimizer's state and the learning-rate schedule are not carried over from the run: "
                     "the script starts them afresh from its weights")
    return notes


def _optimizer_line(cfg: Any) -> str:
    """The optimizer as `make_optimizer` builds it (studio/core/train/optim.py), with literal settings."""
    decay = float(cfg.weight_decay)
    if cfg.optimizer == "sgd":
        nesterov = bool(cfg.nesterov) and float(cfg.momentum) > 0
        return (f"torch.optim.SGD(params, lr={float(cfg.lr)!r}, momentum={float(cfg.momentum)!r}, "
                f"nesterov={nesterov!r}, weight_decay={decay!r})")
    if cfg.optimizer == "rmsprop":
        return f"torch.optim.RMSprop(params, lr={float(cfg.lr)!r}, weight_decay={decay!r})"
    cls = "AdamW" if cfg.optimizer == "adamw" else "Adam"
    betas = tuple(float(b) for b in cfg.betas)
    return (f"torch.optim.{cls}(params, lr={float(cfg.lr)!r}, betas={betas!r}, weight_decay={decay!r}, "
            f"**({{'fused': True}} if device.type == 'cuda' else {{}}))")


def _model_code(project: Project, source: str | None) -> str:
    """The codegen's module (docstring, imports, layer classes, the model class) without its demo."""
    from studio.core.graph.codegen import generate_code

    code = generate_code(project.graph, project.name, source)
    head, mark, _demo = code.rpartition(_MAIN_MARK)
    if not mark:  # codegen changed its layout: say so rather than write a script that runs its demo
        raise RuntimeError("codegen output has no __main__ block to leave out")
    return head.rstrip() + "\n"


def _schedule_code(cfg: Any) -> str:
    from studio.core.train.optim import LRSchedule

    lines = ["class TrainConfig:",
             '    """The training settings Studio\'s LRSchedule (below, copied from Studio) reads."""',
             *(f"    {key} = {getattr(cfg, key)!r}" for key in SCHEDULE_KEYS)]
    return "\n".join(lines) + "\n\n\n" + inspect.getsource(LRSchedule).rstrip() + "\n"


def _check_start_weights(model: torch.nn.Module, start: StartWeights) -> None:
    """The start weights must load into the model strictly, or the script would fail on the cluster."""
    try:
        model.load_state_dict(start.state_dict, strict=True)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()
        raise UserError(f"the weights of {start.described} do not fit its project's graph "
                        f"({first[1].strip() if len(first) > 1 else first[0]})",
                        "export the script with --from-scratch, or from the run's own project.json") from exc


def _frozen_blocks(model: torch.nn.Module, project: Project, cfg: Any) -> list[str]:
    """The frozen blocks the script keeps frozen, as Studio's trainer does; a graph whose every
    weight is frozen is refused with the trainer's message."""
    from studio.core.train.freeze import Freeze

    freeze = Freeze(model, project.graph, cfg)
    if not freeze.params:
        return []
    freeze.apply()
    freeze.param_groups(model)  # UserError: nothing would train
    return list(freeze.node_ids)


def _header_notes(start: StartWeights | None, frozen: list[str], sync: bool | None, notes: list[str]) -> str:
    """The header's account of what the script starts from, keeps frozen and leaves out (`sync`:
    the sync_batchnorm setting, None for a model without trainable BatchNorm layers)."""
    lines = ["#", f"# Starts from: {start.described}, the weights in INIT_FILE beside this script "
                  "(--from-scratch: the seeded initialisation)" if start is not None
             else "# Starts from: the seeded initialisation (SEED), as a new Studio run does."]
    if frozen:
        lines.append(f"# Frozen blocks (FROZEN, trained as in Studio: no gradient, BatchNorm in eval): {', '.join(frozen)}")
    if sync is not None:
        lines.append("# BatchNorm under torchrun: " + (
            "synchronised across the processes (SYNC_BATCHNORM), the statistics of the whole global batch"
            if sync else "each process's own shard's statistics (sync_batchnorm is off in the project)"))
    if notes:
        lines.append("# The project's settings this script does not write:")
        lines += [f"#   - {note}" for note in notes]
    else:
        lines.append("# Every training setting of the project is in this script.")
    wrapped = []
    for line in lines:
        text = "".join(c if c.isprintable() else "?" for c in line)
        indent = "#     " if text.startswith("#   - ") else "#   "
        wrapped += textwrap.wrap(text, 100, subsequent_indent=indent, break_long_words=False,
                                 break_on_hyphens=False) or ["#"]
    return "\n".join(wrapped)


def _trainable_batchnorm(model: torch.nn.Module, frozen: list[str]) -> int:
    from studio.core.train.sync_batchnorm import count_batchnorm

    children = dict(model.named_children())
    return count_batchnorm(model) - sum(count_batchnorm(children[n]) for n in frozen if n in children)


def _sync_batchnorm_code() -> str:
    """Studio's synchronised BatchNorm (studio/core/train/sync_batchnorm.py), its source copied in."""
    from studio.core.train import sync_batchnorm

    parts = [inspect.getsource(obj).rstrip() for obj in (sync_batchnorm._SumOverRanks, sync_batchnorm.GlooSyncBatchNorm,
                                                          sync_batchnorm.convert_batchnorm)]
    return "\n\n\n".join(parts)


def build_train_script(project: Project, *, data_file: str = "train_data.pt",
                       weights_file: str = "train_weights.pt", source: str | None = None,
                       overrides: dict[str, Any] | None = None, start: StartWeights | None = None,
                       init_file: str = "train_init.pt") -> TrainScript:
    """The training script of `project` and the tensors of its data file; UserError when the project
    cannot be written as one (a paradigm it does not cover, a graph that does not fit its data).

    `overrides` change training settings like `studio train`'s options (epochs, batch_size, lr, seed)
    and `dataset` the data set. With `start` the script loads those weights (its `init_file`,
    which the caller writes) before training."""
    from studio.core.data import load_dataset
    from studio.core.data.compat import check_model_fits_data
    from studio.core.graph.codegen import class_name
    from studio.core.graph.compile import compile_graph
    from studio.core.train.config import TrainConfig
    from studio.core.train.loss import training_heads

    project = project.copy()
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    if overrides.get("dataset"):
        project.data["dataset"] = overrides.pop("dataset")
    overrides.pop("dataset", None)
    project.training.update(overrides)
    cfg = TrainConfig.from_dict(project.training)
    model = compile_graph(project.graph)
    heads = training_heads(model.heads, cfg)
    _refuse_heads(heads)
    if start is not None:
        _check_start_weights(model, start)
    frozen = _frozen_blocks(model, project, cfg)
    model_code = _model_code(project, source)  # refuses node ids that are no Python names
    bundle = load_dataset(project.data)
    check_model_fits_data(project.graph, model, bundle)
    if bundle.x_train.is_floating_point() and not bool(torch.isfinite(bundle.x_train).all()):
        raise UserError(f"dataset '{bundle.name}' has NaN or infinite input values",
                        "clean the data (drop or fill the missing values)")
    targets = sorted({h.target for h in heads})
    for t in targets:
        if t not in bundle.y_train:
            raise UserError(f"a head learns target {t!r}, which dataset '{bundle.name}' does not have",
                            f"choose one of: {', '.join(sorted(bundle.y_train))}")
    data = {
        "format": DATA_FORMAT, "version": DATA_VERSION,
        "x_train": bundle.x_train.contiguous(), "x_val": bundle.x_val.contiguous(),
        "y_train": {t: bundle.y_train[t].contiguous() for t in targets},
        "y_val": {t: bundle.y_val[t].contiguous() for t in targets},
    }
    head_rows = [{"node": h.node_id, "kind": h.kind, "target": h.target, "loss": h.loss, "weight": float(h.weight),
                  "label_smoothing": float(h.params.get("label_smoothing", 0.0) or 0.0)} for h in heads]
    primary = next((i for i, h in enumerate(heads) if h.kind == "classification"), None)
    cls = class_name(project.name)
    device = cfg.device if cfg.device in ("auto", "cpu", "mps") or cfg.device.startswith("cuda") else "auto"
    notes = _notes(cfg, project.data, frozen, start, heads)
    settings = [
        ("PROJECT", project.name), ("DATA_FILE", data_file), ("WEIGHTS_FILE", weights_file),
        ("DATA_FORMAT", DATA_FORMAT), ("HEADS", head_rows), ("PRIMARY", primary),
        ("N_INPUTS", len(model.input_nodes)), ("SEED", int(cfg.seed)), ("EPOCHS", int(cfg.epochs)),
        ("BATCH_SIZE", int(cfg.batch_size)), ("GRAD_CLIP", float(cfg.grad_clip)), ("DEVICE", device),
        ("INIT_FILE", init_file if start is not None else None), ("FROZEN", frozen),
        ("SYNC_BATCHNORM", bool(cfg.sync_batchnorm)), ("NOT_IN_SCRIPT", notes),
    ]
    code = "\n".join([
        _HEADER.strip(),
        _header_notes(start, frozen, bool(cfg.sync_batchnorm) if _trainable_batchnorm(model, frozen) else None,
                      notes),
        model_code.rstrip(), "", "",
        "# --- training: the project's settings -------------------------------------------------------",
        "",
        _IMPORTS.strip(),
        "",
        *(f"{name} = {value!r}" for name, value in settings),
        "",
        "",
        _schedule_code(cfg).rstrip(),
        "",
        "",
        "def make_optimizer(params, device):",
        f"    return {_optimizer_line(cfg)}",
        "",
        "",
        _sync_batchnorm_code(),
        "",
        "",
        _LOOP.strip().replace("@MODEL@", cls),
        "",
    ])
    compile(code, "train.py", "exec")  # a generator bug shows here, not on the cluster
    summary = {"class": cls, "dataset": bundle.name, "n_train": bundle.n_train, "n_val": bundle.n_val,
               "heads": [h.node_id for h in heads], "optimizer": cfg.optimizer, "lr": float(cfg.lr),
               "schedule": cfg.schedule, "epochs": int(cfg.epochs), "batch_size": int(cfg.batch_size),
               "seed": int(cfg.seed), "total_params": sum(p.numel() for p in model.parameters()),
               "frozen": frozen, "sync_batchnorm": bool(cfg.sync_batchnorm),
               "starts_from": start.described if start is not None else "the seeded initialisation"}
    return TrainScript(code, data, cls, notes, summary)


def write_train_script(project: Project, out: str | os.PathLike[str], *, force: bool = False,
                       source: str | None = None, overrides: dict[str, Any] | None = None,
                       start: StartWeights | None = None) -> dict[str, Any]:
    """Write the script to `out` (.py), its data file beside it and, with `start`, the start weights
    (`init_path`); none replaces an existing file unless `force`. Returns what was written (the
    JSON report of `studio export-script`)."""
    from studio.core.atomic import atomic_write_text
    from studio.core.safe_paths import NewOutputs, check_new_output

    out = Path(out)
    if out.suffix != ".py":
        raise UserError(f"{out} is not a .py file", f"name the script FILE.py, e.g. {out.with_suffix('.py').name}")
    data_file, init_file = data_path(out), init_path(out)
    written = [out, data_file] + ([init_file] if start is not None else [])
    for path in written:  # before the data set is loaded: a refusal costs nothing
        check_new_output(path, force=force, option="-o")
    script = build_train_script(project, data_file=data_file.name, weights_file=weights_name(out),
                                source=source, overrides=overrides, start=start, init_file=init_file.name)
    with NewOutputs(written, force=force, option="-o"):
        torch.save(script.data, data_file)
        if start is not None:
            torch.save(start.state_dict, init_file)  # a plain state_dict: torch.load(weights_only=True) reads it
        atomic_write_text(out, script.code)
    return {"out": str(out), "data": str(data_file), "bytes": len(script.code.encode()),
            "data_bytes": data_file.stat().st_size, "weights": weights_name(out),
            "init": str(init_file) if start is not None else None, **script.summary, "notes": script.notes}


def lr_table(cfg: Any, steps_per_epoch: int) -> list[float]:
    """Studio's learning rate at every step of a run (for checking the script's schedule)."""
    from studio.core.train.optim import LRSchedule

    schedule = LRSchedule(cfg, steps_per_epoch)
    return [schedule.lr(s) for s in range(schedule.total)]


_HEADER = '''
# Standalone training script written by Studio's `studio export-script`; it needs only PyTorch.
#
#   python SCRIPT.py                                one process (CPU or one GPU)
#   torchrun --nproc-per-node N SCRIPT.py           N processes with DistributedDataParallel
#                                                   (gloo on CPU, nccl on CUDA, one GPU per process)
#   torchrun --nnodes M --node-rank R --nproc-per-node N \\
#            --rdzv-backend c10d --rdzv-endpoint HOST:29400 SCRIPT.py       several machines
#
# Options: --data FILE (default: DATA_FILE beside this script), --out FILE (default: WEIGHTS_FILE
# in the working folder), --epochs N, --device auto|cpu|cuda, --init FILE (start weights; default:
# INIT_FILE beside this script when it is set), --from-scratch (the seeded initialisation instead).
# BATCH_SIZE is the global batch: each of N processes takes BATCH_SIZE // N samples a step, so the
# settings mean the same on any N. The data and start-weights files hold plain tensors and are read
# with torch.load(weights_only=True). The final state_dict loads into the model class below (and
# into Studio: its keys are the graph's node ids).
'''

_IMPORTS = '''
import argparse
import datetime
import gc
import os
import time

import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler
'''

_LOOP = '''
def head_loss(head, out, target):
    """One head's loss, as Studio computes it for classification, segmentation and regression heads."""
    if head["kind"] in ("classification", "segmentation"):
        return F.cross_entropy(out, target.long(), label_smoothing=head["label_smoothing"])
    target = target.to(out.dtype)
    if target.dim() == out.dim() - 1 and out.shape[-1] == 1:
        target = target.unsqueeze(-1)
    fn = {"mse": F.mse_loss, "l1": F.l1_loss, "smooth_l1": F.smooth_l1_loss}[head["loss"]]
    return fn(out, target)


def total_loss(outputs, ys):
    """The weighted sum of the heads' losses (several heads: multi-task learning)."""
    outputs = tuple(outputs) if isinstance(outputs, (tuple, list)) else (outputs,)
    return sum(head_loss(h, out, ys[h["target"]]) * h["weight"] for h, out in zip(HEADS, outputs))


def load_weights(path):
    if not os.path.isfile(path):
        raise SystemExit(f"no start weights {path}: put {INIT_FILE} beside this script, pass --init FILE, "
                         "or train from the seeded initialisation with --from-scratch")
    weights = torch.load(path, map_location="cpu", weights_only=True)  # plain tensors: no pickled code runs
    if not isinstance(weights, dict) or not all(isinstance(v, torch.Tensor) for v in weights.values()):
        raise SystemExit(f"{path} is not a state_dict of this model (a dict of tensors)")
    return weights


def _keep_eval(module, args):
    module.training = False  # whatever model.train() says: a frozen norm layer normalises as trained


def freeze(model):
    """The FROZEN blocks keep their weights, as in Studio (studio/core/train/freeze.py): no gradient,
    and their BatchNorm layers held in eval mode, normalising with the statistics they were trained with."""
    children = dict(model.named_children())
    blocks = [children[name] for name in FROZEN if name in children]
    for block in blocks:
        for p in block.parameters():
            p.requires_grad_(False)
        for sub in block.modules():
            if isinstance(sub, torch.nn.modules.batchnorm._NormBase) and sub.track_running_stats:
                sub.eval()
                sub.register_forward_pre_hook(_keep_eval)
    return blocks


def load_data(path):
    if not os.path.isfile(path):
        raise SystemExit(f"no data file {path}: put {DATA_FILE} beside this script or pass --data FILE")
    data = torch.load(path, map_location="cpu", weights_only=True)  # plain tensors: no pickled code runs
    if not isinstance(data, dict) or data.get("format") != DATA_FORMAT:
        raise SystemExit(f"{path} is not the data file written with this script")
    return data


def pick_device(name, local_rank, distributed):
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise SystemExit("--device cuda: this machine has no CUDA device (use --device cpu)")
        if distributed:  # one GPU per process, by its rank on this machine
            count = torch.cuda.device_count()
            if local_rank >= count:
                raise SystemExit(f"process {local_rank} on this machine has no GPU of its own ({count} GPU(s)): "
                                 f"use torchrun --nproc-per-node {count}, or --device cpu")
            return torch.device("cuda", local_rank)
        return torch.device(name)
    if name == "mps" and distributed:
        return torch.device("cpu")  # DDP has no MPS backend
    return torch.device(name)


def storage_device(device, tensors):
    """Where the data lives: on the GPU when it takes under half of its free memory (batches are
    then gathered there), else in the CPU's memory, each batch copied over."""
    if device.type != "cuda":
        return device
    need = sum(t.element_size() * t.nelement() for t in tensors)
    return device if need < torch.cuda.mem_get_info(device)[0] // 2 else torch.device("cpu")


@torch.no_grad()
def evaluate(model, x, ys, batch, device):
    was_training = model.training
    model.eval()
    total, correct = 0.0, 0
    for start in range(0, x.shape[0], batch):
        xb = x[start:start + batch].to(device)
        yb = {k: v[start:start + batch].to(device) for k, v in ys.items()}
        outputs = model(*([xb] * N_INPUTS))
        total += float(total_loss(outputs, yb)) * xb.shape[0]
        if PRIMARY is not None:
            out = (tuple(outputs) if isinstance(outputs, (tuple, list)) else (outputs,))[PRIMARY]
            correct += int((out.argmax(1) == yb[HEADS[PRIMARY]["target"]]).sum())
    model.train(was_training)
    n = max(1, x.shape[0])
    return total / n, (correct / n if PRIMARY is not None else None)


def main(argv=None):
    parser = argparse.ArgumentParser(description=f"Train {PROJECT!r} (written by Studio); needs only PyTorch.")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), DATA_FILE))
    parser.add_argument("--out", default=WEIGHTS_FILE, help="where rank 0 saves the final state_dict")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--device", default=DEVICE, help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--init", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), INIT_FILE)
                        if INIT_FILE else None, help="start from this state_dict (default: INIT_FILE, when set)")
    parser.add_argument("--from-scratch", action="store_true", help="start from the seeded initialisation")
    args = parser.parse_args(argv)

    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    distributed = world_size > 1 or "RANK" in os.environ  # launched by torchrun
    device = pick_device(args.device, local_rank, distributed)
    if distributed:
        backend = "nccl" if device.type == "cuda" else "gloo"
        if device.type == "cuda":
            torch.cuda.set_device(device)
        dist.init_process_group(backend, timeout=datetime.timedelta(minutes=10))
    main_rank = rank == 0

    torch.manual_seed(SEED)
    data = load_data(args.data)
    store = storage_device(device, [data["x_train"], data["x_val"], *data["y_train"].values(),
                                    *data["y_val"].values()])
    x_train, x_val = data["x_train"].to(store), data["x_val"].to(store)
    y_train = {k: v.to(store) for k, v in data["y_train"].items()}
    y_val = {k: v.to(store) for k, v in data["y_val"].items()}
    n = x_train.shape[0]

    model = @MODEL@()  # the same initial weights on every rank (seeded; DDP also broadcasts)
    start = None if args.from_scratch or not args.init else args.init
    if start:
        model.load_state_dict(load_weights(start))  # strict: every key, every shape
    model.to(device)
    frozen = freeze(model)
    synced = []
    if distributed and SYNC_BATCHNORM:  # the whole global batch's statistics, as one process has them
        synced = convert_batchnorm(model, device, skip=[sub for block in frozen for sub in block.modules()])
    net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None) \\
        if distributed else model
    if distributed:
        torch.manual_seed(SEED + rank)  # each rank its own dropout masks
    optimizer = make_optimizer([p for p in model.parameters() if p.requires_grad], device)
    batch = max(1, min(BATCH_SIZE, n) // world_size)  # per process; the global batch is batch * world_size
    if distributed:
        sampler = DistributedSampler(range(n), num_replicas=world_size, rank=rank, shuffle=True, seed=SEED)
        steps_per_epoch = -(-len(sampler) // batch)
    else:  # Studio's own order: one seeded permutation per epoch
        generator = torch.Generator().manual_seed(SEED)
        steps_per_epoch = -(-n // batch)
    TrainConfig.epochs = args.epochs
    schedule = LRSchedule(TrainConfig, steps_per_epoch)
    if main_rank:
        print(f"training {PROJECT!r}: {n} samples, {world_size} process(es) on {device.type}, "
              f"batch {batch} x {world_size}, {steps_per_epoch} steps per epoch, {args.epochs} epoch(s)", flush=True)
        print(f"starting from {start if start else 'the seeded initialisation'}"
              + (f"; frozen: {', '.join(FROZEN)}" if frozen else "")
              + (f"; BatchNorm synchronised across the processes ({len(synced)} layer(s))" if synced else ""),
              flush=True)
        for note in NOT_IN_SCRIPT:
            print(f"not in this script: {note}", flush=True)

    step = 0
    net.train()
    for epoch in range(args.epochs):
        t0 = time.perf_counter()
        if distributed:
            sampler.set_epoch(epoch)
            order = torch.tensor(list(sampler), dtype=torch.long)
        else:
            order = torch.randperm(n, generator=generator)
        order = order.to(store)
        loss_sum = torch.zeros((), dtype=torch.float64, device=device)
        seen = torch.zeros((), dtype=torch.float64, device=device)
        for b in range(steps_per_epoch):
            idx = order[b * batch:(b + 1) * batch]
            xb = x_train.index_select(0, idx).to(device, non_blocking=True)
            yb = {k: v.index_select(0, idx).to(device, non_blocking=True) for k, v in y_train.items()}
            for group in optimizer.param_groups:
                group["lr"] = schedule.lr(step)
            loss = total_loss(net(*([xb] * N_INPUTS)), yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if GRAD_CLIP:
                torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
            optimizer.step()
            step += 1
            loss_sum += loss.detach().double() * idx.shape[0]
            seen += idx.shape[0]
        if distributed:
            totals = torch.stack([loss_sum, seen])
            dist.all_reduce(totals)  # the whole epoch of every rank
            loss_sum, seen = totals[0], totals[1]
        if main_rank:
            train_loss = float(loss_sum / seen)
            val_loss, val_acc = evaluate(model, x_val, y_val, max(batch, 256), device)
            acc = f" val_accuracy={val_acc:.4f}" if val_acc is not None else ""
            print(f"epoch {epoch + 1}/{args.epochs} train_loss={train_loss:.9g} val_loss={val_loss:.9g}{acc} "
                  f"lr={schedule.lr(max(0, step - 1)):.6g} time_s={time.perf_counter() - t0:.2f}", flush=True)
    if main_rank:
        torch.save(model.state_dict(), args.out)
        print(f"saved the final weights to {args.out}", flush=True)
    if distributed:
        # DDP's reducer holds the process group: let it go while every rank is still connected, so
        # gloo's threads are not torn down under a peer that has already left
        del net, optimizer
        gc.collect()
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''
