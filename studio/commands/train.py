"""`studio train PROJECT [...]`: train a project headless, streaming metrics.

With --json every event is one JSON line on stdout (start, step, layers, epoch, ..., done); without
it, a line per epoch and a progress line every few seconds. Ctrl-C stops the run at the next metrics
flush and saves checkpoint.pt (press it twice to abort at once). `--resume RUN_DIR` goes on from a
run's last checkpoint, appending to the same curve.

`--out` must be a new or empty folder: an existing run is never written over by accident. With
`--overwrite` the old folder is moved aside (OUT.replaced-<timestamp>) and the user is told where.

`--nproc N` trains on N processes started by torchrun's launcher (DDP; one per GPU on CUDA, CPU
processes with gloo otherwise); under torchrun (`torchrun ... -m studio train PROJECT`) each rank
runs this same command and rank 0 alone prints and writes (studio.core.train.distributed).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

from studio.core.errors import UserError
from studio.core.train.config import OPTIMIZERS, RunOptions, TrainConfig


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", help="the project file (*.studio.json); optional with --resume")
    parser.add_argument("--dataset", help="train on this dataset instead of the project's (e.g. digits, shapes, mnist)")
    from studio.core.data.options import options_help

    parser.add_argument("--data-option", action="append", default=[], metavar="KEY=VALUE",
                        help="set a dataset option (e.g. image_size=28, root=/data); repeatable. "
                             + options_help().replace("%", "%%"))
    parser.add_argument("--epochs", type=int, help="number of epochs")
    parser.add_argument("--batch-size", type=int, help="samples per step")
    parser.add_argument("--lr", type=float, help="learning rate")
    parser.add_argument("--optimizer", choices=OPTIMIZERS)
    parser.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), help="where to train (default: project's)")
    parser.add_argument("--amp", nargs="?", const="auto", choices=("auto", "bf16", "fp16", "off"),
                        help="mixed precision on CUDA (bf16 where supported)")
    parser.add_argument("--compile", action="store_true", help="torch.compile the model (CUDA graphs on CUDA)")
    parser.add_argument("--channels-last", action="store_true", help="channels-last memory format for images")
    parser.add_argument("--seed", type=int, help="random seed (a CPU run with the same seed repeats exactly)")
    parser.add_argument("--max-steps", type=int, help="stop after this many steps")
    parser.add_argument("--max-seconds", type=float, help="stop after this many seconds")
    parser.add_argument("--out", help="run folder (default: runs/<project>-<timestamp>); must be new or empty")
    parser.add_argument("--overwrite", action="store_true",
                        help="with --out: if the folder already holds a run (or other files), move it aside to "
                             "OUT.replaced-<timestamp> and start a fresh run there; nothing is deleted")
    parser.add_argument("--resume", metavar="RUN_DIR", help="continue a run from its last checkpoint")
    parser.add_argument("--nproc", metavar="N",
                        help="train on N processes through torchrun (DistributedDataParallel): one per GPU with "
                             "NCCL on CUDA, else N CPU processes with gloo; --batch-size stays the global batch")
    parser.add_argument("--sync-batchnorm", choices=("on", "off"),
                        help="with --nproc: BatchNorm normalises with the whole global batch's statistics (on, the "
                             "default: the same as one process) or with each process's own shard (off)")
    parser.add_argument("--master-port", metavar="PORT",
                        help="with --nproc: the rendezvous port on this machine (default: a free one)")
    parser.add_argument("--json", action="store_true", help="print events as JSON lines")


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _data_options(pairs: list[str]) -> dict[str, Any]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(f"--data-option {pair!r} is not KEY=VALUE", "write e.g. --data-option image_size=28")
        out[key.strip()] = _parse_value(value.strip())
    return out


def _default_run_dir(project_path: Path) -> Path:
    from studio.core.train.run_layout import RUNS, new_run_dir, project_stem

    return new_run_dir(RUNS, project_stem(project_path))


class _Printer:
    """Human-readable progress: every epoch, and a step line at most every few seconds."""

    def __init__(self) -> None:
        self._last = 0.0

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "start":
            ds = event["dataset"]
            print(f"training on {event['device']}: {ds['name']} ({ds['n_train']} train / {ds['n_val']} val), "
                  f"{event['total_params']:,} parameters, {event['epochs']} epochs of {event['steps_per_epoch']} steps"
                  + (f", resumed at step {event['resumed_from_step']}" if event.get("resumed_from_step") else ""),
                  flush=True)
            bn = (event.get("distributed") or {}).get("batchnorm")
            if bn and bn["synchronised"]:
                print(f"BatchNorm: {bn['synchronised']} of {bn['layers']} layer(s) synchronised across the "
                      f"processes ({bn['kind']}), as one process on the whole batch", flush=True)
            elif bn:
                print(f"note: sync_batchnorm is off: {bn['layers']} BatchNorm layer(s) normalise with each "
                      "process's own shard, so the run differs from one process", flush=True)
        elif kind == "step" and time.monotonic() - self._last > 3.0:
            self._last = time.monotonic()
            loss = f"loss {event['loss']:.4f}"
            if event.get("loss_d") is not None:  # a GAN: both networks' losses and D's verdicts
                loss = (f"loss D {event['loss_d']:.4f}, G {event['loss_g']:.4f}, D(x) {event['d_real']:.2f}, "
                        f"D(G(z)) {event['d_fake']:.2f}")
            if event.get("loss_box") is not None:  # a detector: the YOLO loss's parts
                loss += f" (box {event['loss_box']:.3f}, obj {event['loss_obj']:.3f}, cls {event['loss_cls']:.3f})"
            print(f"  epoch {event['epoch']} step {event['step']}: {loss}, "
                  f"{event['samples_per_s']:.0f} samples/s", flush=True)
        elif kind == "epoch":
            acc = f", val accuracy {event['val_accuracy']:.2%}" if event.get("val_accuracy") is not None else ""
            if event.get("val_recall_at_1") is not None:  # an embedding head: nearest neighbours' classes
                acc += f", val recall@1 {event['val_recall_at_1']:.2%}"
            if event.get("val_perplexity") is not None:  # a language model
                acc += f", val perplexity {event['val_perplexity']:.2f}"
            if event.get("val_map50") is not None:  # a detector (docs/training.md, "Detection")
                acc += f", val mAP@0.5 {event['val_map50']:.3f}"
            if event.get("val_d_real") is not None:  # a GAN (gan.py says what the figures are)
                acc += f", D(x) {event['val_d_real']:.2f}, D(G(z)) {event['val_d_fake']:.2f}"
                if event.get("val_fid_like") is not None:
                    acc += (f", FID-like {event['val_fid_like']:.1f}, recognised {event['val_recognised']:.0%} "
                            f"({event['val_classes']} classes)")
            best = " (best)" if event.get("best") else ""
            print(f"epoch {event['epoch']}: train loss {event['train_loss']:.4f}, val loss {event['val_loss']:.4f}"
                  f"{acc}{best} [{event['time_s']:.1f} s]", flush=True)
            if event.get("collapse"):
                print(f"warning: {event['collapse']}", flush=True)
        elif kind == "info":
            print(f"note: {event['message']}", flush=True)
        elif kind == "warning":
            print(f"warning: {event['message']}: {event['fix']}", flush=True)
        elif kind == "done":
            acc = (f", best val accuracy {event['best_val_accuracy']:.2%}"
                   if event.get("best_val_accuracy") is not None else "")
            if event.get("best_val_recall_at_1") is not None:
                acc += f", best val recall@1 {event['best_val_recall_at_1']:.2%}"
            if event.get("monitor") == "val_map50" and event.get("best_metric") is not None:
                acc += f", best val mAP@0.5 {event['best_metric']:.3f}"
            print(f"done ({event['reason']}) after {event['epochs']} epochs, {event['global_step']} steps, "
                  f"{event['samples_per_s']:.0f} samples/s{acc}; run folder {event['run_dir']}", flush=True)
            if event.get("diverged"):
                print(f"warning: {event['warning']}: {event['fix']}", flush=True)


def _whole(option: str, text: str | None, low: int, example: str) -> int | None:
    if text is None:
        return None
    try:
        value = int(str(text).strip())
    except ValueError:
        value = None
    if value is None or value < low:
        raise UserError(f"{option} {text!r} is not a whole number >= {low}", f"write e.g. {option} {example}")
    return value


def _child_args(args: argparse.Namespace, run_dir: Path) -> list[str]:
    """This command's options for each rank under torchrun (without --nproc: they are the processes)."""
    out = [args.project] if args.project else []
    for flag, value in (("--dataset", args.dataset), ("--epochs", args.epochs), ("--batch-size", args.batch_size),
                        ("--lr", args.lr), ("--optimizer", args.optimizer), ("--device", args.device),
                        ("--amp", args.amp), ("--seed", args.seed), ("--max-steps", args.max_steps),
                        ("--max-seconds", args.max_seconds), ("--sync-batchnorm", args.sync_batchnorm)):
        if value is not None:
            out += [flag, repr(value) if isinstance(value, float) else str(value)]
    for pair in args.data_option:
        out += ["--data-option", pair]
    out += ["--compile"] if args.compile else []
    out += ["--channels-last"] if args.channels_last else []
    out += ["--resume", args.resume] if args.resume else ["--out", str(run_dir)]
    return out + (["--json"] if args.json else [])


def _launch(args: argparse.Namespace, nproc: int, port: int | None, run_dir: Path) -> int:
    """`--nproc N`: torchrun starts N ranks of this command; one line says how it ended if badly."""
    from studio.core.train import distributed
    from studio.core.train.run_folder import read_summary

    outcome = distributed.launch(nproc, _child_args(args, run_dir), port)
    if outcome.returncode == 0:
        return 0
    if outcome.stopped:
        try:
            status = read_summary(run_dir).get("status")
        except UserError:
            status = None
        if status == "stopped":
            return 0
    if outcome.exitcode is not None and outcome.exitcode > 0 and not outcome.stopped:
        return 1  # a rank ended with its own one-line error, already printed
    raise distributed.explain_failure(outcome, run_dir)


def run(args: argparse.Namespace) -> int:
    from studio.core.train import distributed

    nproc = _whole("--nproc", args.nproc, 1, "2")
    port = _whole("--master-port", args.master_port, 1, "29500")
    if port is not None and not nproc:
        raise UserError("--master-port goes with --nproc", "add --nproc N, or drop --master-port")
    if nproc is not None and distributed.env_world() is not None:
        raise UserError("--nproc starts the processes itself, but this already runs under torchrun",
                        "leave --nproc out under torchrun (its --nproc-per-node sets the processes)")
    try:
        return _run(args, nproc or 1, port)
    finally:
        distributed.shutdown()


def _run(args: argparse.Namespace, nproc: int, port: int | None) -> int:
    from studio.core.project import load_project
    from studio.core.safe_paths import prepare_run_dir
    from studio.core.train import distributed
    from studio.core.train.control import Control
    from studio.core.train.run_layout import RunLayout
    from studio.core.train.trainer import run_training

    if args.resume:
        if args.overwrite or args.out:
            raise UserError("--resume goes on in the run's own folder; it takes no --out or --overwrite",
                            "drop --out/--overwrite, or start a new run without --resume")
        run_dir = Path(args.resume)
        if not run_dir.is_dir():
            raise UserError(f"--resume {run_dir}: no such run folder", "pass a folder written by `studio train`")
        project = load_project(args.project or RunLayout(run_dir).project)
    elif args.project:
        project = load_project(args.project)
        run_dir = Path(args.out) if args.out else _default_run_dir(Path(args.project))
    else:
        raise UserError("no project given", "pass a *.studio.json file, or --resume RUN_DIR")
    if args.dataset:
        if args.dataset != project.data.get("dataset"):
            project.data["options"] = {}
        project.data["dataset"] = args.dataset
    if args.data_option:
        project.data.setdefault("options", {}).update(_data_options(args.data_option))
    overrides = {  # None: not given, the project's value stands
        "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr, "optimizer": args.optimizer,
        "device": args.device, "amp": args.amp, "compile": True if args.compile else None,
        "channels_last": True if args.channels_last else None, "seed": args.seed,
        "sync_batchnorm": None if args.sync_batchnorm is None else args.sync_batchnorm == "on",
    }
    options = {"max_steps": args.max_steps, "max_seconds": args.max_seconds}  # this run's, not the project's
    # A bad value (--lr nan) is refused before the run folder is touched: --overwrite would have
    # moved the old run aside for a run that never starts.
    config = TrainConfig.from_dict(project.training).replace(**{k: v for k, v in overrides.items() if v is not None})
    RunOptions.from_dict(project.training, options)
    if nproc > 1:
        distributed.check_nproc(nproc, config.device)
        if port is not None:
            distributed.check_port(port)
    # Under torchrun rank 0 alone names and prepares the run folder and tells the others.
    ctx = distributed.init_from_env(config.device)
    if ctx is not None and not args.resume and not args.out:
        run_dir = Path(distributed.agree(ctx, lambda: str(run_dir)))
    moved_aside = None if args.resume else distributed.agree(
        ctx, lambda: prepare_run_dir(run_dir, overwrite=args.overwrite))
    if nproc > 1:
        if moved_aside is not None:
            print(f"note: --overwrite: the old contents of {run_dir} were moved to {moved_aside}", file=sys.stderr)
        return _launch(args, nproc, port, run_dir)
    if args.json:
        def emit(event: dict[str, Any]) -> None:
            from studio.core.train.run_folder import json_line

            sys.stdout.write(json_line(event) + "\n")
            sys.stdout.flush()
    else:
        emit = _Printer()
    if moved_aside is not None and (ctx is None or ctx.is_writer):
        emit({"event": "info", "message": f"--overwrite: the old contents of {run_dir} were moved to {moved_aside}",
              "moved_to": str(moved_aside)})
    if ctx is None or ctx.is_writer:
        from studio.core.data.loader import data_warnings

        for warning in data_warnings(project.data):  # it trains, but maybe not as the user meant
            emit({"event": "warning", **warning.to_dict()})

    control = Control()
    interrupts = {"n": 0}

    def on_sigint(signum, frame):  # first Ctrl-C: stop cleanly with a checkpoint; second: abort
        interrupts["n"] += 1
        if interrupts["n"] > 1:
            raise KeyboardInterrupt
        control.stop()
        if ctx is None or ctx.is_writer:
            print("stopping at the next flush (Ctrl-C again to abort)...", file=sys.stderr, flush=True)

    previous = signal.signal(signal.SIGINT, on_sigint)
    if ctx is not None:
        distributed.install_stop_on_sigterm(control.stop)
    try:
        final = run_training(project, run_dir, {**overrides, **options}, emit, control, resume=bool(args.resume))
    finally:
        signal.signal(signal.SIGINT, previous)
    if final.get("event") == "error":
        if ctx is not None and ctx.rank > 0:
            if final.get("kind") in ("user", "nan", "disk"):
                return 1  # rank 0 says the same
            message = final["message"]
            raise UserError(message if message.startswith("rank ") else f"rank {ctx.rank}: {message}", final.get("fix"))
        raise UserError(final["message"], final.get("fix"))
    return 0
