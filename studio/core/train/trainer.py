"""The trainer: a compiled graph, a dataset bundle and a training config in; events and a run folder out.

Speed rules, so that a GPU is never left waiting on Python: the data set lives on the device and batches
are gathered there; step metrics stay on the device as tensors in a list and are fetched in bulk
about every `metrics_interval_ms` (one sync per flush, never a per-step `.item()`); control requests
(pause, stop) are looked at only at those flushes, which is also when NaNs are noticed.

Events are plain dicts handed to `emit` and appended to metrics.jsonl:
start, step, layers, embeddings (embedding heads), diffusion (diffusion heads), gan (GAN graphs),
detection (detection heads: boxes of 8 validation images, studio/core/detection/preview.py), epoch, paused,
resumed, info, done (and error, from `run_training`). A paradigm's own per-step figures (a GAN's D(x),
D(G(z)) and two losses) ride in the step event's `series`, fetched in the same one sync.
"""

from __future__ import annotations

import contextlib
import copy
import math
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio import __version__
from studio.core.data import load_dataset
from studio.core.data.augment import augment_batch, is_active
from studio.core.data.bundle import DatasetBundle
from studio.core.data.compat import check_model_fits_data
from studio.core.detection.metrics import detection_summary
from studio.core.detection.preview import emit_detection_preview
from studio.core.errors import UserError
from studio.core.project import Project
from studio.core.safe_paths import DISK_FULL, WriteError, write_error
from studio.core.train import distributed, outcome
from studio.core.train.config import RUN_OPTIONS, RunOptions, TrainConfig
from studio.core.train.control import Control
from studio.core.train.device import device_label, fits_on_device, memory_mb, resolve_device
from studio.core.train.diffusion import DiffusionRun
from studio.core.train.freeze import Freeze, check_freeze_fits
from studio.core.train.gan import GanRun
from studio.core.train.loss import total_loss, training_heads
from studio.core.train.metrics import HeadAccumulator, layer_rows, layer_stats
from studio.core.train.optim import LRSchedule, make_optimizer, set_lr
from studio.core.train.run_folder import RunFolder, load_checkpoint, process_identity, read_summary
from studio.core.train.sampling import epoch_sample_event

Emit = Callable[[dict[str, Any]], None]


class TrainingDiverged(UserError):
    """The loss became NaN or infinite; `diagnosis` says what the numbers looked like just before."""

    def __init__(self, message: str, fix: str, diagnosis: dict[str, Any]):
        super().__init__(message, fix)
        self.diagnosis = diagnosis


def _as_tuple(out: Any) -> tuple[torch.Tensor, ...]:
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def _grad_norm(params: list[torch.Tensor]) -> torch.Tensor:
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.zeros(())
    return torch.nn.utils.get_total_norm(grads, foreach=True)


class Trainer:
    def __init__(self, project: Project, run_dir: str | Path, overrides: dict[str, Any] | None = None,
                 emit: Emit | None = None, control: Control | None = None, resume: bool = False):
        self.project = project.copy()
        for key, value in (overrides or {}).items():
            if value is not None and key != "dataset" and key not in RUN_OPTIONS:
                self.project.training[key] = value
        if overrides and overrides.get("dataset"):
            self.project.data["dataset"] = overrides["dataset"]
        self.cfg = TrainConfig.from_dict(self.project.training)
        # This invocation's options steer the run but stay out of the trained project (its project.json).
        self.options = RunOptions.from_dict(self.project.training, overrides)
        # several processes (torchrun): None in a one-process run, which none of the hooks below change
        self.dist = distributed.init_from_env(self.cfg.device)
        self.folder = RunFolder(run_dir) if self.dist is None or self.dist.is_writer else distributed.QuietFolder(run_dir)
        self._emit_fn = emit if emit and (self.dist is None or self.dist.is_writer) else (lambda e: None)
        self.control = control or Control()
        self.resume = resume
        self.loss_watch = outcome.LossWatch()  # first and last step losses: did the run diverge?
        self.started = False
        self.previous_summary: dict[str, Any] = _previous_summary(self.folder.path) if resume else {}

    # --- events -----------------------------------------------------------------------------
    def emit(self, event: dict[str, Any]) -> None:
        self.folder.append(event)
        self.loss_watch.see(event)
        self._emit_fn(event)

    # --- set-up -----------------------------------------------------------------------------
    def _seed(self) -> None:
        seed = int(self.cfg.seed)
        random.seed(seed)
        np.random.seed(seed % 2**32)
        torch.manual_seed(seed)

    def _setup(self) -> None:
        from studio.core.graph.compile import compile_graph
        from studio.core.graph.heads import head_loss, init_language_model

        cfg = self.cfg
        self.device = resolve_device(cfg.device)
        if self.dist is not None:
            self.device = self.dist.device(self.device)  # cuda:LOCAL_RANK, one GPU per rank
        self._seed()
        bundle: DatasetBundle = load_dataset(self.project.data)
        self.model = compile_graph(self.project.graph)
        self.freeze = Freeze(self.model, self.project.graph, cfg)  # transfer learning: see freeze.py
        self.freeze.apply()
        self.diffusion = DiffusionRun.for_model(self.model, bundle, int(cfg.seed))  # a denoiser: see diffusion.py
        # a generator + discriminator graph: see gan.py
        self.gan = GanRun.for_model(self.model, self.project.graph, bundle, int(cfg.seed), float(cfg.d_input_noise))
        if self.diffusion is not None:
            bundle = self.diffusion.prepare(bundle)  # images in [-1, 1]
        elif self.gan is not None:
            bundle = self.gan.prepare(bundle)  # images in [-1, 1], the generator's Tanh
        else:
            check_model_fits_data(self.project.graph, self.model, bundle)
        if self.dist is not None and (self.diffusion is not None or self.gan is not None):
            raise distributed.refuse_paradigm("diffusion" if self.diffusion is not None else "gan")
        if bundle.x_train.is_floating_point() and not bool(torch.isfinite(bundle.x_train).all()):
            raise UserError(f"dataset '{bundle.name}' has NaN or infinite input values",
                            "clean the data (drop or fill the missing values)")
        self.bundle = bundle
        self.data_device = self.device if fits_on_device(bundle.nbytes(), self.device) else torch.device("cpu")
        self.data = bundle.to(self.data_device)
        if self.data_device.type == "cpu" and self.device.type == "cuda":
            self.data = DatasetBundle(**{**self.data.__dict__, "x_train": self.data.x_train.pin_memory()})
        self.heads = training_heads(self.model.heads, cfg, bundle.y_train)  # detection: "auto" anchors from the boxes
        self.head_loss = head_loss
        self.primary = next((i for i, h in enumerate(self.heads) if h.kind == "classification"), None)
        # metric learning: the first embedding head's recall@1 and 2-D projection go out each epoch
        self.embedding_head = next((i for i, h in enumerate(self.heads) if h.kind == "embedding"), None)
        self._projection: dict[str, Any] | None = None
        # language models: perplexity in the epoch event, a sample of text at each epoch end (sampling.py)
        self.lm_head = next((i for i, h in enumerate(self.heads) if h.kind == "language_model"), None)
        if self.lm_head is not None and self.dist is not None:
            raise distributed.refuse_paradigm("language_model")
        if self.lm_head is not None:  # the course's uniform init (a resumed run loads its weights below)
            init_language_model(self.model, self.project.graph, self.heads[self.lm_head])
        self.model.to(self.device)
        if self.diffusion is not None:
            self.diffusion.to(self.device)
        self.channels_last = bool(cfg.channels_last) and bundle.input_kind == "image"
        if self.channels_last:
            self.model.to(memory_format=torch.channels_last)
        self.params = [p for p in self.model.parameters() if p.requires_grad]
        if self.gan is not None:  # one optimizer, a group per network (the D group may have its own lr)
            scale = float(cfg.d_lr) / float(cfg.lr) if cfg.d_lr else 1.0
            self.optimizer = make_optimizer(self.gan.param_groups(scale), cfg, self.device)
        else:
            self.optimizer = make_optimizer(self.freeze.param_groups(self.model) if self.freeze.params
                                            else self.params, cfg, self.device)
        check_freeze_fits(self.freeze, gan=self.gan is not None, distributed=self.dist is not None)
        self.batch_size = min(int(cfg.batch_size), bundle.n_train)
        self.drop_last = bool(cfg.compile) and bundle.n_train >= 2 * self.batch_size
        n = bundle.n_train
        self.steps_per_epoch = n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
        if self.dist is not None:  # batch_size is the global batch, dealt out over the ranks
            if self.batch_size < self.dist.world_size:
                raise UserError(f"batch size {self.batch_size} cannot be split over {self.dist.world_size} processes",
                                f"use a batch size of at least {self.dist.world_size} (it is the global batch)")
            if 0 < n % self.batch_size < self.dist.world_size and not self.drop_last:
                self.steps_per_epoch -= 1  # a last batch smaller than the ranks: some rank would get nothing
        self.schedule = LRSchedule(cfg, self.steps_per_epoch, self.options.max_steps)
        self.ema_model = None
        if cfg.ema:
            self.ema_model = copy.deepcopy(self.model).eval()
            for p in self.ema_model.parameters():
                p.requires_grad_(False)
        self.amp_dtype = self._amp_dtype()
        self.scaler = torch.amp.GradScaler("cuda") if self.amp_dtype == torch.float16 else None
        if self.gan is not None and self.scaler is not None:
            raise UserError("GAN training does not take float16 mixed precision (its two losses would need "
                            "two loss scalers)", "use amp bf16, or turn mixed precision off")
        self.forward = self.model if self.dist is None else self.dist.wrap(
            self.model, self.device, sync_batchnorm=cfg.sync_batchnorm, frozen=self.freeze.modules)
        if cfg.compile:
            mode = cfg.compile_mode
            if mode == "auto":
                mode = "reduce-overhead" if self.device.type == "cuda" else "default"
            self.forward = torch.compile(self.forward, mode=mode)
        gen_device = self.data_device if self.data_device.type == "cuda" else torch.device("cpu")
        self.generator = torch.Generator(device=gen_device).manual_seed(int(cfg.seed))
        # The epoch's permutation must be the same on every rank: there augmentation, whose draws depend
        # on the shard's size, gets a generator of its own (one process: the same generator for both).
        self.aug_generator = self.generator
        if self.dist is not None:
            self.aug_generator = torch.Generator(device=gen_device).manual_seed(int(cfg.seed) + self.dist.rank)
        self.epoch = 0
        self.global_step = 0
        self.best_metric: float | None = None
        self.best_epoch = 0
        self.bad_epochs = 0
        self.best_val_accuracy: float | None = None
        self.best_val_recall_at_1: float | None = None
        self.history: list[dict[str, Any]] = []
        self.monitor = "val_accuracy" if self.primary is not None else "val_loss"
        if self.primary is None and any(h.kind == "detection" for h in self.heads):
            self.monitor = "val_map50"  # detection: best.pt is the epoch of the best mAP@0.5
        if self.gan is not None:
            self.gan.fit_feature_net(self.data, self.device)
            if self.gan.feature_net is not None:
                self.monitor = "val_fid_like"  # the best generator draws closest to the data
        self.resumed_from: int | None = None
        if self.resume:
            self._load_resume_state()
        if self.dist is not None and self.dist.rank > 0:  # dropout: each rank its own masks, seeded
            torch.manual_seed(int(self.cfg.seed) + 7919 * self.dist.rank + self.global_step)

    def _amp_dtype(self) -> torch.dtype | None:
        mode = self.cfg.amp
        if mode == "off":
            return None
        if self.device.type != "cuda":
            self._pending_info = f"mixed precision ({mode}) needs CUDA; training in float32 on {self.device.type}"
            return None
        if mode == "fp16":
            return torch.float16
        if mode == "bf16" or torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float16

    def _load_resume_state(self) -> None:
        state = load_checkpoint(self.folder.path, "last")
        self.model.load_state_dict(state["model"])
        if "optimizer" in state:
            self.params += self.freeze.resume(self.optimizer, state["optimizer"], self.cfg.lr)
            self.optimizer.load_state_dict(state["optimizer"])
        if self.ema_model is not None and "ema" in state:
            self.ema_model.load_state_dict(state["ema"])
        self.epoch = int(state.get("epoch", 0))
        self.global_step = int(state.get("global_step", 0))
        self.best_metric = state.get("best_metric")
        self.best_epoch = int(state.get("best_epoch", 0))
        self.bad_epochs = int(state.get("bad_epochs", 0))
        self.best_val_accuracy = state.get("best_val_accuracy")
        self.best_val_recall_at_1 = state.get("best_val_recall_at_1")
        if "generator" in state:
            self.generator.set_state(state["generator"])
        if "rng" in state:
            torch.set_rng_state(state["rng"])
        self.resumed_from = self.global_step

    # --- checkpoints ------------------------------------------------------------------------
    def _eval_model(self) -> torch.nn.Module:
        return self.ema_model if self.ema_model is not None else self.model

    def _save_last(self) -> None:
        payload: dict[str, Any] = {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "epoch": self.epoch,
            "global_step": self.global_step,
            "best_metric": self.best_metric,
            "best_epoch": self.best_epoch,
            "bad_epochs": self.bad_epochs,
            "best_val_accuracy": self.best_val_accuracy,
            "best_val_recall_at_1": self.best_val_recall_at_1,
            "monitor": self.monitor,
            "generator": self.generator.get_state(),
            "rng": torch.get_rng_state(),
        }
        if self.ema_model is not None:
            payload["ema"] = self.ema_model.state_dict()
        self.folder.save_checkpoint("last", payload)

    def _save_best(self, metrics: dict[str, Any]) -> None:
        self.folder.save_checkpoint("best", {
            "model": self._eval_model().state_dict(), "epoch": self.epoch, "global_step": self.global_step,
            "best_metric": self.best_metric, "monitor": self.monitor,
            "val_loss": float(metrics["val_loss"]), "val_accuracy": metrics.get("val_accuracy"),
        })

    def _settings(self) -> dict[str, Any]:
        """What this run used, for its record (start event, run.json): the config and the run options."""
        return {**self.cfg.to_dict(), **self.options.to_dict()}

    def _summary(self, status: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        summary = {
            "status": status,
            "run_dir": str(self.folder.path),
            "project": self.project.name,
            "studio_version": __version__,
            "torch_version": torch.__version__,
            "device": device_label(self.device),
            "dataset": self.bundle.describe(),
            "training": self._settings(),
            "total_params": sum(p.numel() for p in self.model.parameters()),
            "heads": [h.to_dict() for h in self.heads],
            "epochs_done": self.epoch,
            "global_step": self.global_step,
            "monitor": self.monitor,
            "best_metric": self.best_metric,
            "best_epoch": self.best_epoch,
            "best_val_accuracy": self.best_val_accuracy,
            "best_val_recall_at_1": self.best_val_recall_at_1,
            "resumed_from_step": self.resumed_from,
            "last_epoch": self.history[-1] if self.history else self.previous_summary.get("last_epoch"),
            **process_identity(),  # lets a reader tell "running" from "killed while running"
        }
        if self.dist is not None:
            summary["distributed"] = self.dist.describe()
        summary.update(extra or {})
        return summary

    # --- one step ---------------------------------------------------------------------------
    def _batch(self, idx: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        data = self.data
        x = data.x_train.index_select(0, idx)
        y = {k: v.index_select(0, idx) for k, v in data.y_train.items()}
        if self.data_device != self.device:
            x = x.to(self.device, non_blocking=True)
            y = {k: v.to(self.device, non_blocking=True) for k, v in y.items()}
        if self.augment:
            gen = self.aug_generator if self.aug_generator.device == x.device else None
            x, y = augment_batch(x, y, self.bundle.augment, gen)
        if self.channels_last and x.dim() == 4:
            x = x.contiguous(memory_format=torch.channels_last)
        if self.diffusion is not None:  # x becomes the denoiser's inputs (x_t, t), y the noise to predict
            return self.diffusion.training_batch(x)
        return x, y

    def _inputs(self, x: torch.Tensor | tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        return x if isinstance(x, tuple) else (x,) * len(self.model.input_nodes)

    def _losses(self, outputs: tuple[torch.Tensor, ...], y: dict[str, torch.Tensor]) -> torch.Tensor:
        return total_loss(self.heads, outputs, y, self._buf["series"])  # detection: loss parts per step

    def _autocast(self):
        return torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp_dtype is not None)

    def _gan_step(self, idx: torch.Tensor, lr: float) -> tuple[torch.Tensor, torch.Tensor, None]:
        x, y = self._batch(idx)
        assert self.gan is not None
        loss, gnorm, figures = self.gan.step(self.model, x, y, self.optimizer, self._autocast, float(self.cfg.grad_clip))
        if self._stats_due():  # after the G step: the generator's gradients, the discriminator's weights
            self._pending_layers = (self.global_step + 1, *layer_stats(self.model, lr))
        self._update_ema()
        series = self._buf["series"]
        for name, value in figures.items():
            series.setdefault(name, []).append(value)
        return loss, gnorm, None

    def _update_ema(self) -> None:
        if self.ema_model is not None:
            decay = min(float(self.cfg.ema), (1 + self.global_step) / (10 + self.global_step))
            ema_p = list(self.ema_model.parameters())
            torch._foreach_lerp_(ema_p, [p.detach() for p in self.model.parameters()], 1.0 - decay)

    def _step(self, idx: torch.Tensor, lr: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        if self.gan is not None:
            return self._gan_step(idx, lr)
        x, y = self._batch(idx)
        with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp_dtype is not None):
            outputs = _as_tuple(self.forward(*self._inputs(x)))
            loss = self._losses(outputs, y)
        self.optimizer.zero_grad(set_to_none=True)
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            self.scaler.unscale_(self.optimizer)
        else:
            loss.backward()
        if self.cfg.grad_clip:
            gnorm = torch.nn.utils.clip_grad_norm_(self.params, float(self.cfg.grad_clip), foreach=True)
        else:
            gnorm = _grad_norm(self.params)
        if self._stats_due():
            self._pending_layers = (self.global_step + 1, *layer_stats(self.model, lr))
        if self.scaler is not None:
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()
        self._update_ema()
        correct = None
        if self.primary is not None:
            head = self.heads[self.primary]
            correct = (outputs[self.primary].detach().argmax(1) == y[head.target]).sum()
        return loss.detach(), gnorm.detach(), correct

    def _stats_due(self) -> bool:
        every = int(self.cfg.layer_stats_every)
        return every > 0 and (self.global_step + 1) % every == 0

    # --- flushing ---------------------------------------------------------------------------
    def _flush(self, epoch_acc: dict[str, Any]) -> None:
        """Fetch the buffered step metrics in one sync, check them, emit one step event."""
        buf = self._buf
        if not buf["loss"]:
            return
        if self.dist is not None:  # the whole global batch's figures, and the agreed stop/time flags
            time_up = bool(self.options.max_seconds) and time.perf_counter() - self._t_start >= self.options.max_seconds
            comm = self.device if self.dist.backend == "nccl" else torch.device("cpu")
            self.dist.reduce_flush(buf, comm, time.perf_counter() - self._flush_t0,
                                   float(self.options.metrics_interval_ms) / 1000.0,
                                   self.control.stop_requested(), time_up)
        losses = torch.stack(buf["loss"]).float().cpu().tolist()
        gnorms = torch.stack(buf["gnorm"]).float().cpu().tolist()
        corrects = torch.stack(buf["correct"]).cpu().tolist() if buf["correct"] else []
        series = {name: torch.stack(values).float().cpu().tolist() for name, values in buf["series"].items()}
        now = time.perf_counter()
        elapsed = max(1e-9, now - self._flush_t0)
        samples = sum(buf["size"])
        first = self.global_step - len(losses) + 1
        bad = next((i for i, v in enumerate(losses) if not math.isfinite(v)), None)
        if bad is not None:
            self._diverged(first + bad, losses[:bad], gnorms[: bad + 1], buf["lr"][bad])
        epoch_acc["loss_sum"] += sum(v * s for v, s in zip(losses, buf["size"], strict=True))
        epoch_acc["n"] += samples
        epoch_acc["correct"] += sum(corrects)
        self._train_time += elapsed
        self._train_samples += samples
        event = {
            "event": "step", "step": self.global_step, "first_step": first, "epoch": self.epoch + 1,
            "progress": self.global_step / max(1, self._total_steps),
            "loss": losses[-1], "lr": buf["lr"][-1], "grad_norm": gnorms[-1],
            "samples_per_s": samples / elapsed, "step_time_ms": 1000.0 * elapsed / len(losses),
            "gpu_memory_mb": memory_mb(self.device),
            "losses": losses, "grad_norms": gnorms, "lrs": buf["lr"],
        }
        if series:
            event["series"] = series
            event.update({name: values[-1] for name, values in series.items()})
        self.emit(event)
        if self._pending_layers is not None:
            step, names, table = self._pending_layers
            self.emit({"event": "layers", "step": step, "epoch": self.epoch + 1, "layers": layer_rows(names, table)})
            self._pending_layers = None
        self._buf = {"loss": [], "gnorm": [], "correct": [], "lr": [], "size": [], "series": {}}
        self._handle_control()
        self._flush_t0 = time.perf_counter()

    def _diverged(self, step: int, finite_losses: list[float], gnorms: list[float], lr: float) -> None:
        last_loss = finite_losses[-1] if finite_losses else None
        finite_g = [g for g in gnorms if math.isfinite(g)]
        growing = len(finite_g) >= 2 and finite_g[-1] > 10 * max(1e-12, finite_g[0])
        high_lr = lr > (0.1 if self.cfg.optimizer == "sgd" else 0.01)
        if growing or high_lr or (last_loss is not None and last_loss > 1e3):
            cause = f"the loss exploded: the learning rate {lr:g} is too high for {self.cfg.optimizer}"
            fix = f"lower lr (try {lr / 10:g}) or set grad_clip to 1.0"
        elif self.amp_dtype == torch.float16:
            cause = "float16 overflowed"
            fix = "use amp bf16 or turn mixed precision off"
        else:
            cause = "gradients were moderate, so a log(0), a division by zero or a bad input is likely"
            fix = "check the data and the loss; lower lr or set grad_clip to 1.0 to rule out a blow-up"
        diagnosis = {"step": step, "epoch": self.epoch + 1, "lr": lr, "last_finite_loss": last_loss,
                     "grad_norms": gnorms[-5:], "cause": cause}
        raise TrainingDiverged(f"training stopped: the loss became NaN/Inf at step {step} (epoch {self.epoch + 1}); "
                               f"{cause}", fix, diagnosis)

    def _handle_control(self) -> None:
        if self.control.paused() and not self.control.stop_requested():
            self.emit({"event": "paused", "step": self.global_step, "epoch": self.epoch + 1})
            self._save_last()
            while self.control.paused() and not self.control.stop_requested():
                time.sleep(0.05)
            self.emit({"event": "resumed", "step": self.global_step, "epoch": self.epoch + 1})

    # --- evaluation -------------------------------------------------------------------------
    @torch.no_grad()
    def evaluate(self) -> dict[str, Any]:
        model = self._eval_model()
        if self.ema_model is not None:
            for b_ema, b in zip(self.ema_model.buffers(), self.model.buffers(), strict=False):
                b_ema.copy_(b)
        if self.diffusion is not None:
            return self.diffusion.evaluate(model, self.data.x_val, self.device, max(self.batch_size, 256), self.head_loss)
        if self.gan is not None:
            return self.gan.evaluate(model, self.data.x_val, self.data.y_val, self.device, self.epoch,
                                     self.global_step)
        was_training = model.training
        model.eval()
        accs = [HeadAccumulator(h, self.bundle.targets[h.target].num_classes, self.device) for h in self.heads]
        total = torch.zeros((), device=self.device, dtype=torch.float64)
        n_val = self.bundle.n_val
        bs = max(self.batch_size, 256)
        for start in range(0, n_val, bs):
            x = self.data.x_val[start:start + bs].to(self.device, non_blocking=True)
            y = {k: v[start:start + bs].to(self.device, non_blocking=True) for k, v in self.data.y_val.items()}
            if self.channels_last and x.dim() == 4:
                x = x.contiguous(memory_format=torch.channels_last)
            with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp_dtype is not None):
                outputs = _as_tuple(model(*self._inputs(x)))
            batch_total = None
            for head, acc, out in zip(self.heads, accs, outputs, strict=False):
                loss = self.head_loss(head, out.float(), y[head.target])
                acc.add(out, y[head.target], loss)
                part = loss * float(head.weight)
                batch_total = part if batch_total is None else batch_total + part
            total += batch_total.double() * x.shape[0]
        model.train(was_training)
        heads = {h.node_id: a.result() for h, a in zip(self.heads, accs, strict=False)}
        result: dict[str, Any] = {"val_loss": float(total) / max(1, n_val), "heads": heads}
        if self.primary is not None:
            main = heads[self.heads[self.primary].node_id]
            result.update(val_accuracy=main["accuracy"], val_top5=main["top5"],
                          per_class_accuracy=main["per_class_accuracy"], confusion=main["confusion"])
        if self.embedding_head is not None:
            result["val_recall_at_1"] = heads[self.heads[self.embedding_head].node_id].get("recall_at_1")
            names = self.bundle.class_names if self.heads[self.embedding_head].target == "label" else None
            self._projection = accs[self.embedding_head].embedding_projection(names)
        if self.lm_head is not None:
            lm = heads[self.heads[self.lm_head].node_id]
            result.update(val_perplexity=lm["perplexity"], val_token_accuracy=lm["token_accuracy"])
        result.update(detection_summary(self.heads, heads))  # detection: val_map50 and the loss parts
        return result

    # --- the loop ---------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        t_start = self._t_start = time.perf_counter()
        self._pending_info = None
        self._setup()
        cfg = self.cfg
        self.started = True  # from here on the run folder is this run's record (see run_training's fail)
        if self.dist is not None:
            self.dist.agreed_stop = False
        self.folder.write_project(self.project)
        self.augment = is_active(self.bundle.augment)
        self._total_steps = self.schedule.total
        self.emit({
            "event": "start", "run_dir": str(self.folder.path), "device": device_label(self.device),
            "dataset": self.bundle.describe(), "total_params": sum(p.numel() for p in self.model.parameters()),
            "epochs": cfg.epochs, "batch_size": self.batch_size, "steps_per_epoch": self.steps_per_epoch,
            "data_on_device": self.data_device == self.device, "amp": str(self.amp_dtype).replace("torch.", "")
            if self.amp_dtype else "off", "compile": bool(cfg.compile), "resumed_from_step": self.resumed_from,
            "training": self._settings(), **({"distributed": self.dist.describe()} if self.dist else {}),
        })
        if self._pending_info:
            self.emit({"event": "info", "message": self._pending_info})
        self.folder.write_summary(self._summary("running"))
        self._train_time = 0.0
        self._train_samples = 0
        self._pending_layers = None
        reason = "finished"
        interval = float(self.options.metrics_interval_ms) / 1000.0
        self.model.train()
        n = self.bundle.n_train
        while self.epoch < cfg.epochs and reason == "finished":
            if self.freeze.due(self.epoch):  # "train the head only, then unfreeze"
                self.params += self.freeze.unfreeze(self.optimizer, self.schedule.lr(self.global_step))
                self.emit(self.freeze.event())
            perm = torch.randperm(n, generator=self.generator, device=self.generator.device)
            if perm.device != self.data_device:
                perm = perm.to(self.data_device)
            epoch_acc = {"loss_sum": 0.0, "n": 0, "correct": 0}
            self._buf = {"loss": [], "gnorm": [], "correct": [], "lr": [], "size": [], "series": {}}
            self._flush_t0 = time.perf_counter()
            t_epoch = time.perf_counter()
            for b in range(self.steps_per_epoch):
                idx = perm[b * self.batch_size:(b + 1) * self.batch_size]
                if self.dist is not None:
                    idx = self.dist.shard(idx)  # this rank's disjoint part of the global batch
                lr = self.schedule.lr(self.global_step)
                set_lr(self.optimizer, lr)
                loss, gnorm, correct = self._step(idx, lr)
                self.global_step += 1
                buf = self._buf
                buf["loss"].append(loss)
                buf["gnorm"].append(gnorm)
                buf["lr"].append(lr)
                buf["size"].append(int(idx.shape[0]))
                if correct is not None:
                    buf["correct"].append(correct)
                if self.options.max_steps and self.global_step >= self.options.max_steps:
                    reason = "max_steps"
                    break
                if self._flush_due(interval):
                    self._flush(epoch_acc)
                    if self._stopping():
                        reason = "stopped"
                        break
                    if self.options.max_seconds and self._time_up(t_start):
                        reason = "max_seconds"
                        break
            self._flush(epoch_acc)
            if reason == "stopped":
                break  # stopped mid-epoch: save where we are, without pretending the epoch finished
            self.epoch += 1
            if self._epoch_end(epoch_acc, time.perf_counter() - t_epoch):
                reason = "early_stopping"
            if self._stopping() and reason == "finished":
                reason = "stopped"
        self._save_last()
        samples_per_s = self._train_samples / self._train_time if self._train_time else 0.0
        done = {
            "event": "done", "run_dir": str(self.folder.path), "reason": reason, "stopped": reason == "stopped",
            "epochs": self.epoch, "global_step": self.global_step, "samples_per_s": samples_per_s,
            "best_val_accuracy": self.best_val_accuracy, "best_metric": self.best_metric, "monitor": self.monitor,
            "best_epoch": self.best_epoch, "duration_s": time.perf_counter() - t_start,
            "final": self.history[-1] if self.history else None,
        }
        done.update(outcome.judge_run(self))  # "diverged", and a warning with the fix when it did
        self.folder.write_summary(self._summary("stopped" if reason == "stopped" else "finished",
                                             {"reason": reason, "samples_per_s": samples_per_s,
                                              "duration_s": done["duration_s"],
                                              **{k: done[k] for k in ("diverged", "warning") if k in done}}))
        self.emit(done)
        self.folder.close()
        return done

    # Every rank must leave the loop at the same step: with several processes these read what the
    # last flush's all_reduce agreed, never a rank's own clock or signal.
    def _flush_due(self, interval: float) -> bool:
        if self.dist is None:
            return time.perf_counter() - self._flush_t0 >= interval
        return self.dist.flush_due()

    def _stopping(self) -> bool:
        return self.control.stop_requested() if self.dist is None else self.dist.agreed_stop

    def _time_up(self, t_start: float) -> bool:
        if self.dist is None:
            return time.perf_counter() - t_start >= self.options.max_seconds
        return self.dist.agreed_time_up

    def _epoch_end(self, acc: dict[str, Any], seconds: float) -> bool:
        """Validate, emit the epoch event, keep best.pt and checkpoint.pt; True when early stopping fires."""
        cfg = self.cfg
        metrics = self.evaluate()
        train_loss = acc["loss_sum"] / max(1, acc["n"])
        event = {"event": "epoch", "epoch": self.epoch, "step": self.global_step, "train_loss": train_loss,
                 "val_loss": metrics["val_loss"], "lr": self.schedule.lr(max(0, self.global_step - 1)),
                 "time_s": seconds}
        if self.primary is not None:
            event["train_accuracy"] = acc["correct"] / max(1, acc["n"])
        event.update({k: v for k, v in metrics.items() if k != "val_loss"})
        value = metrics.get(self.monitor, metrics["val_loss"])
        sign = 1.0 if self.monitor in ("val_accuracy", "val_map50") else -1.0  # losses, distances: lower is better
        improved = self.best_metric is None or sign * (value - self.best_metric) > float(cfg.min_delta)
        if improved:
            self.best_metric = value
            self.best_epoch = self.epoch
            self.bad_epochs = 0
            if self.primary is not None:
                self.best_val_accuracy = metrics["val_accuracy"]
            self._save_best(metrics)
        else:
            self.bad_epochs += 1
        event["best"] = improved
        recall = metrics.get("val_recall_at_1")
        if recall is not None and math.isfinite(recall) and (self.best_val_recall_at_1 is None
                                                             or recall > self.best_val_recall_at_1):
            self.best_val_recall_at_1 = recall
        if self._projection is not None:
            self.emit({"event": "embeddings", "epoch": self.epoch, "step": self.global_step, **self._projection})
            self._projection = None
        if self.diffusion is not None:
            self.emit(self.diffusion.event(self._eval_model(), self.data.x_val, self.epoch, self.global_step))
        if self.gan is not None:
            gan_event = self.gan.event(self._eval_model(), self.device, self.epoch, self.global_step)
            event["collapse"] = gan_event["collapse"]
            self.emit(gan_event)
        emit_detection_preview(self.emit, self._eval_model(), self.heads, self.data, self.epoch, self.global_step)
        if self.lm_head is not None:
            event["train_perplexity"] = math.exp(min(train_loss, 700.0))
            sample = epoch_sample_event(self._eval_model(), self.heads[self.lm_head], self.bundle.class_names,
                                        self.project.data, self.epoch, self.global_step, int(self.cfg.seed),
                                        self.device)
            if sample is not None:
                self.emit(sample)
        self.history.append({k: v for k, v in event.items() if k not in ("confusion", "heads")})
        self.emit(event)
        self._save_last()
        self.folder.write_summary(self._summary("running"))
        return bool(cfg.early_stopping) and self.bad_epochs >= int(cfg.early_stopping)


def _previous_summary(run_dir: Path) -> dict[str, Any]:
    try:
        summary = read_summary(run_dir)
    except UserError:
        return {}
    return summary if isinstance(summary, dict) else {}


def run_training(project: Project, run_dir: str | Path, overrides: dict[str, Any] | None = None,
                 emit: Emit | None = None, control: Control | None = None, resume: bool = False) -> dict[str, Any]:
    """Train and always finish with a `done` or an `error` event (returned), never an exception for
    user mistakes, NaNs, a full disk or CUDA out-of-memory. Bugs still raise, after an `error` event
    of kind crash.

    A failure before the run got going (a bad setting, a data set that does not load, a checkpoint
    that does not resume) leaves the run folder as it was: an earlier run's run.json only gains a
    `last_error`, and a fresh folder is not left behind. A failure during the run ends its record
    with status "error" and the state reached.
    """
    from studio.core.train.device import suggest_batch_size

    emit = emit or (lambda e: None)
    run_dir = Path(run_dir)
    existed = run_dir.exists()
    trainer: Trainer | None = None

    def fail(event: dict[str, Any]) -> dict[str, Any]:
        """Record the error where that is safe, then tell the caller, whatever the record did."""
        event = {"event": "error", "run_dir": str(run_dir), **event}
        folder = trainer.folder if trainer is not None else None
        started = trainer is not None and trainer.started
        if folder is not None:
            try:
                if started or folder.layout.metrics.is_file():
                    folder.append(event)
                if started and hasattr(trainer, "epoch"):
                    folder.write_summary(trainer._summary("error", {"error": event}))
                elif folder.layout.summary.is_file():
                    previous = _previous_summary(run_dir)
                    if previous:  # an earlier run's record: keep it, note what went wrong
                        previous["last_error"] = {k: v for k, v in event.items() if k not in ("traceback", "event")}
                        folder.write_summary(previous)
            except Exception:  # noqa: BLE001 - a record that cannot be written must not hide the error
                pass
            finally:
                folder.close()
        if not started and not existed and distributed.is_writer():
            with contextlib.suppress(OSError):
                run_dir.rmdir()  # only if empty: nothing of this failed start is left behind
        emit(event)
        return event

    try:
        trainer = Trainer(project, run_dir, overrides, emit, control, resume)
        return trainer.run()
    except TrainingDiverged as exc:
        return fail({"kind": "nan", "message": exc.message, "fix": exc.fix, "diagnosis": exc.diagnosis})
    except WriteError as exc:
        return fail({"kind": "disk", "message": exc.message, "fix": exc.fix, "path": str(exc.path)})
    except UserError as exc:
        return fail({"kind": "user", "message": exc.message, "fix": exc.fix})
    except torch.cuda.OutOfMemoryError:
        device = getattr(trainer, "device", torch.device("cuda"))
        bs = int(getattr(trainer, "batch_size", 0) or getattr(getattr(trainer, "cfg", None), "batch_size", 0) or 0)
        torch.cuda.empty_cache()
        better = suggest_batch_size(bs, device)
        return fail({"kind": "oom", "message": f"CUDA ran out of memory at batch size {bs} on {device_label(device)}",
                     "fix": f"use batch size {better} (or amp bf16, or a smaller model)", "suggested_batch_size": better})
    except Exception as exc:
        import traceback

        if isinstance(exc, OSError) and exc.errno in DISK_FULL:  # e.g. a library's cache on the same full disk
            problem = write_error(exc, run_dir)
            return fail({"kind": "disk", "message": problem.message, "fix": problem.fix, "path": str(problem.path)})
        dist = getattr(trainer, "dist", None)
        lost = dist and distributed.peer_lost(exc, dist, trainer.global_step if hasattr(trainer, "global_step") else 0,
                                              getattr(trainer, "epoch", 0) + 1, run_dir)
        if lost:  # another rank ended: not a bug of this one
            return fail({"kind": "distributed", "message": lost.message, "fix": lost.fix})
        fail({"kind": "crash", "message": f"training crashed: {type(exc).__name__}: {exc}",
              "fix": "this is a bug in Studio; the traceback is in the event", "traceback": traceback.format_exc()})
        exc.studio_reported = True
        raise
