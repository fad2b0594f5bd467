"""Training on several processes with PyTorch's own engine: torch.distributed + DistributedDataParallel,
started by torchrun (`torch.distributed.run`). docs/training.md, "Several processes (torchrun, DDP)".

What lives here (the trainer only calls in at a few hooks, all of them skipped in a one-process run):

* the rank/world of this process, read from torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK,
  MASTER_ADDR, MASTER_PORT), and `init_process_group` with a timeout, so a rendezvous that never
  completes ends in a one-line error instead of a hang (`init_from_env`);
* the sharding: every rank draws the same seeded permutation of the epoch and the configured
  `batch_size` stays the GLOBAL batch: step b's batch perm[b*B:(b+1)*B] is dealt out round-robin,
  rank r taking idx[r::N]. The ranks' shards are disjoint and together are exactly the batch a
  one-process run takes at that step, so N processes follow the same curve as one (up to float
  rounding). Gradients are averaged weighted by each rank's share of the batch (a DDP comm hook),
  so an uneven last batch still gives the gradient of the whole batch's mean loss;
* the reductions at the trainer's existing metric flush: ONE all_reduce per flush carries every
  rank's step losses (weighted by shard size), correct counts and sample counts, plus the control
  flags every rank must agree on (stop, max_seconds reached, the number of steps until the next
  flush), so no rank ever leaves the loop at another step than the others;
* BatchNorm: with `sync_batchnorm` (default on) `wrap` swaps the model's BatchNorm layers for
  synchronised ones, the whole global batch's statistics (sync_batchnorm.py);
* the writer: rank 0 alone writes the run folder; the other ranks get a `QuietFolder`;
* the launcher behind `studio train PROJECT --nproc N`, which runs `python -m torch.distributed.run`
  and turns its outcome (a killed rank, a taken port, too few GPUs) into one line.
"""

from __future__ import annotations

import datetime
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import UserError
from studio.core.train.run_folder import RunFolder
from studio.core.train.run_layout import RunLayout

DEFAULT_TIMEOUT_S = 300.0
"""How long a rank waits for the others at the rendezvous and at any collective (a rank that stays
away longer ends the run). STUDIO_DIST_TIMEOUT (seconds) changes it."""
MAX_CPU_PROCESSES = 256
MAX_FLUSH_STEPS = 1000
ENV_KEYS = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")
SUPPORTED = "supervised"
"""Only the supervised paradigm (heads with a loss per batch) trains on several processes so far."""


def env_world() -> tuple[int, int, int] | None:
    """(rank, world size, local rank) from torchrun's environment, or None outside torchrun."""
    if "RANK" not in os.environ or "WORLD_SIZE" not in os.environ:
        return None
    try:
        rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
        local = int(os.environ.get("LOCAL_RANK", rank))
    except ValueError as exc:
        raise UserError(f"RANK/WORLD_SIZE/LOCAL_RANK are not whole numbers ({exc})",
                        "start the processes with torchrun, which sets them") from exc
    if world < 1 or not 0 <= rank < world:
        raise UserError(f"RANK {rank} is outside WORLD_SIZE {world}", "start the processes with torchrun")
    return rank, world, local


def is_writer() -> bool:
    """Whether this process writes the run folder: rank 0, or a process outside torchrun."""
    ctx = current()
    if ctx is not None:
        return ctx.rank == 0
    env = env_world()
    return env is None or env[0] == 0


def timeout_s() -> float:
    text = os.environ.get("STUDIO_DIST_TIMEOUT", "")
    try:
        value = float(text) if text else DEFAULT_TIMEOUT_S
    except ValueError:
        value = DEFAULT_TIMEOUT_S
    return value if value > 0 else DEFAULT_TIMEOUT_S


def _wants_cuda(device_hint: str | None) -> bool:
    name = (device_hint or "auto").lower()
    return name.startswith("cuda") or (name == "auto" and torch.cuda.is_available())


def backend_for(device_hint: str | None) -> str:
    """"nccl" for CUDA training, "gloo" for CPU training; NCCL missing is a UserError."""
    name = (device_hint or "auto").lower()
    if name == "mps":
        raise UserError("Apple MPS has no multi-process backend in PyTorch",
                        "train on several processes with --device cpu (gloo), or on one process on mps")
    if not _wants_cuda(name):
        return "gloo"
    if not torch.distributed.is_nccl_available():
        raise UserError("this PyTorch build has no NCCL, which training on several GPUs needs",
                        "install a CUDA build of PyTorch with NCCL, or train CPU processes with --device cpu (gloo)")
    return "nccl"


@dataclass
class DistContext:
    """This process's place in a process group, and what the trainer needs from it."""

    rank: int
    world_size: int
    local_rank: int
    backend: str
    created: bool = True
    """Whether `init_from_env` started the group (then `shutdown` ends it)."""
    share: float = 0.0
    """This rank's share of the current step's global batch (weights its gradient in the hook)."""
    flush_every: int = 1
    steps_since_flush: int = 0
    agreed_stop: bool = False
    agreed_time_up: bool = False
    parent_pid: int = field(default_factory=os.getppid)
    ranks: list[dict[str, Any]] = field(default_factory=list)
    batchnorm: dict[str, Any] = field(default_factory=dict)
    """What `wrap` did with the model's BatchNorm layers (the start event's `distributed.batchnorm`)."""

    @property
    def is_writer(self) -> bool:
        return self.rank == 0

    def describe(self) -> dict[str, Any]:
        out = {"world_size": self.world_size, "backend": self.backend, "ranks": self.ranks}
        if self.batchnorm:
            out["batchnorm"] = self.batchnorm
        return out

    # --- devices and the model ------------------------------------------------------------
    def device(self, resolved: torch.device) -> torch.device:
        """Each rank on its own GPU (cuda:LOCAL_RANK); CPU ranks share the CPU."""
        if resolved.type != "cuda":
            return resolved
        count = torch.cuda.device_count()
        if self.local_rank >= count:
            raise UserError(f"rank {self.rank} wants GPU cuda:{self.local_rank}, but this machine has "
                            f"{count} CUDA device{'s' if count != 1 else ''}",
                            f"start at most {count} processes per machine (--nproc-per-node {count})")
        torch.cuda.set_device(self.local_rank)
        return torch.device("cuda", self.local_rank)

    def wrap(self, model: torch.nn.Module, device: torch.device, *, sync_batchnorm: bool = True,
             frozen: list[torch.nn.Module] | tuple = ()) -> torch.nn.Module:
        """DistributedDataParallel around the model (the unwrapped one keeps being checkpointed),
        averaging gradients weighted by each rank's share of the batch. With `sync_batchnorm` its
        BatchNorm layers outside the `frozen` blocks become synchronised ones first, in place
        (sync_batchnorm.py: same parameters, buffers and state_dict keys)."""
        from torch.nn.parallel import DistributedDataParallel

        from studio.core.train.sync_batchnorm import convert_batchnorm, count_batchnorm

        held = [sub for block in frozen for sub in block.modules()]  # frozen: normalise as trained
        layers = count_batchnorm(model) - sum(count_batchnorm(block) for block in frozen)
        if layers:
            synced: list[str] = []
            if sync_batchnorm:
                synced = convert_batchnorm(model, device, skip=held, share_of=lambda: self.share)
            self.batchnorm = {"layers": layers, "synchronised": len(synced),
                              "kind": ("torch.nn.SyncBatchNorm" if device.type == "cuda" else "GlooSyncBatchNorm")
                              if synced else "per-rank statistics"}
        ids = [device.index] if device.type == "cuda" else None
        ddp = DistributedDataParallel(model, device_ids=ids, output_device=ids[0] if ids else None)
        ddp.register_comm_hook(self, _weighted_allreduce)
        return ddp

    def shard(self, idx: torch.Tensor) -> torch.Tensor:
        """This rank's part of a global batch of indices (round-robin), noting its share."""
        mine = idx[self.rank::self.world_size]
        self.share = mine.shape[0] / max(1, idx.shape[0])
        return mine

    # --- the flush ------------------------------------------------------------------------
    def flush_due(self) -> bool:
        self.steps_since_flush += 1
        return self.steps_since_flush >= self.flush_every

    def reduce_flush(self, buf: dict[str, Any], comm_device: torch.device, elapsed: float, interval: float,
                     stop: bool, time_up: bool) -> None:
        """One all_reduce: the global step losses, correct counts and batch sizes replace this rank's
        in `buf`; the stop / time-up flags of any rank and rank 0's flush cadence are agreed."""
        k = len(buf["loss"])
        sizes = torch.tensor(buf["size"], dtype=torch.float64, device=comm_device)
        losses = torch.stack(buf["loss"]).to(comm_device, torch.float64) * sizes
        if buf["correct"]:
            correct = torch.stack(buf["correct"]).to(comm_device, torch.float64)
        else:
            correct = torch.zeros(0, dtype=torch.float64, device=comm_device)
        cadence = 0.0
        if self.rank == 0:  # rank 0's clock sets how many steps make the next ~interval
            cadence = float(max(1, min(MAX_FLUSH_STEPS, round(interval * k / max(elapsed, 1e-9)))))
        stop = stop or os.getppid() != self.parent_pid  # the launcher went away: stop as if asked
        flags = torch.tensor([float(stop), float(time_up and self.rank == 0), cadence],
                             dtype=torch.float64, device=comm_device)
        packed = torch.cat([losses, correct, sizes, flags])
        torch.distributed.all_reduce(packed)
        n_correct = correct.shape[0]
        g_sizes = packed[k + n_correct:2 * k + n_correct]
        buf["loss"] = list((packed[:k] / g_sizes.clamp_min(1)).float().unbind(0))
        if n_correct:
            buf["correct"] = list(packed[k:k + n_correct].round().long().unbind(0))
        buf["size"] = [int(s) for s in g_sizes.round().long().tolist()]
        flag = packed[-3:].tolist()
        self.agreed_stop = self.agreed_stop or flag[0] > 0
        self.agreed_time_up = flag[1] > 0
        self.flush_every = int(flag[2]) if interval > 0 else 1
        self.steps_since_flush = 0


def _weighted_allreduce(state, bucket):  # no annotations: DDP checks them against dist.GradBucket
    """DDP comm hook: sum of share_r * grad_r, i.e. the gradient of the whole batch's mean loss (with
    equal shards, DDP's own mean)."""
    buffer = bucket.buffer()
    buffer.mul_(state.share)
    fut = torch.distributed.all_reduce(buffer, async_op=True).get_future()
    return fut.then(lambda f: f.value()[0])


_CONTEXT: DistContext | None = None


def current() -> DistContext | None:
    return _CONTEXT


def init_from_env(device_hint: str | None) -> DistContext | None:
    """Join the process group torchrun's environment describes (once per process); None outside
    torchrun or for a world of one process, which then trains exactly as a plain run."""
    global _CONTEXT
    if _CONTEXT is not None:
        return _CONTEXT
    env = env_world()
    if env is None or env[1] == 1:
        return None
    rank, world, local = env
    if not torch.distributed.is_available():
        raise UserError("this PyTorch build has no torch.distributed", "install the standard PyTorch build")
    backend = backend_for(device_hint)
    if torch.distributed.is_initialized():
        ctx = DistContext(rank, world, local, torch.distributed.get_backend(), created=False)
    else:
        if backend == "nccl":
            count = torch.cuda.device_count()
            if local >= count:
                raise UserError(f"rank {rank} wants GPU cuda:{local}, but this machine has {count} CUDA devices",
                                f"start at most {count} processes per machine")
            torch.cuda.set_device(local)
        limit = timeout_s()
        where = f"{os.environ.get('MASTER_ADDR', '?')}:{os.environ.get('MASTER_PORT', '?')}"
        try:
            torch.distributed.init_process_group(backend, timeout=datetime.timedelta(seconds=limit))
        except Exception as exc:  # noqa: BLE001 - every way a rendezvous fails becomes one line
            raise _rendezvous_error(exc, rank, world, where, limit) from exc
        ctx = DistContext(rank, world, local, backend)
    device = f"cuda:{local}" if backend == "nccl" else "cpu"
    gathered: list[Any] = [None] * world
    torch.distributed.all_gather_object(gathered, {"rank": rank, "local_rank": local, "pid": os.getpid(),
                                                   "host": socket.gethostname(), "device": device})
    ctx.ranks = gathered
    _CONTEXT = ctx
    return ctx


def _rendezvous_error(exc: Exception, rank: int, world: int, where: str, limit: float) -> UserError:
    text = str(exc)
    low = text.lower()
    if "address already in use" in low or "eaddrinuse" in low:
        return UserError(f"port {where} is already in use (MASTER_PORT), so rank {rank} cannot host the rendezvous",
                         "pick a free port (--master-port with studio train --nproc, or leave it out to get one)")
    if "timed out" in low or "timeout" in low or "clients joined" in low:
        return UserError(f"the rendezvous at {where} did not complete within {limit:g} s: rank {rank} of {world} "
                         "waited for processes that never joined",
                         "start all WORLD_SIZE processes (torchrun does), check MASTER_ADDR/MASTER_PORT and the "
                         "firewall, or raise STUDIO_DIST_TIMEOUT")
    return UserError(f"rank {rank} could not join the process group at {where}: {text.splitlines()[0] if text else exc}",
                     "check MASTER_ADDR/MASTER_PORT and that every node can reach the rendezvous host")


def shutdown() -> None:
    """Leave the process group this module started (at the end of `studio train`)."""
    global _CONTEXT
    ctx, _CONTEXT = _CONTEXT, None
    if ctx is not None and ctx.created and torch.distributed.is_initialized():
        try:
            torch.distributed.destroy_process_group()
        except Exception:  # noqa: BLE001 - a group whose peers are gone may not close cleanly
            pass


def agree(ctx: DistContext | None, decide: Callable[[], Any]) -> Any:
    """Run `decide` on rank 0 only and hand its result (or its UserError) to every rank."""
    if ctx is None:
        return decide()
    box: list[Any] = [None]
    if ctx.rank == 0:
        try:
            box[0] = ("ok", decide())
        except UserError as exc:
            box[0] = ("error", exc.message, exc.fix)
    torch.distributed.broadcast_object_list(box, src=0)
    result = box[0]
    if result[0] == "error":
        raise UserError(result[1], result[2])
    return result[1]


def refuse_paradigm(name: str) -> UserError:
    why = {"gan": "its two networks take turns on one batch, which needs both optimizers synchronised",
           "diffusion": "its noise and time steps are drawn per batch on one device",
           "language_model": "its text sampling and perplexity are measured on one process"}.get(name, "")
    label = {"gan": "GAN", "language_model": "language model"}.get(name, name)
    return UserError(f"{label} training runs on one process only so far ({why})",
                     "train it without --nproc (one process, one device)")


def peer_lost(exc: BaseException, ctx: DistContext, step: int, epoch: int, run_dir: Path) -> UserError | None:
    """A failed collective (another rank killed, crashed or unreachable) as a UserError, else None."""
    if not isinstance(exc, (RuntimeError, torch.distributed.DistError, ConnectionError, OSError)):
        return None
    low = str(exc).lower()
    keys = ("gloo", "nccl", "connection", "peer", "timed out", "timeout", "socket", "store", "broken pipe",
            "collective", "closed")
    if not isinstance(exc, torch.distributed.DistError) and not any(k in low for k in keys):
        return None
    return UserError(f"rank {ctx.rank} lost the other training processes at step {step} (epoch {epoch}): one of "
                     "them ended (killed, crashed or out of memory) or stopped answering",
                     f"the last checkpoint.pt is whole; resume with studio train --resume {run_dir} (any --nproc)")


class QuietFolder(RunFolder):
    """The run folder as ranks other than 0 see it: they know its path and write nothing."""

    def __init__(self, path: str | os.PathLike[str]):  # noqa: D107 - no mkdir: rank 0 makes it
        self.path = Path(path)
        self.layout = RunLayout(self.path)
        self._metrics = None

    def write_project(self, project: Any) -> None:
        pass

    def append(self, event: dict[str, Any]) -> None:
        pass

    def close(self) -> None:
        pass

    def save_checkpoint(self, which: str, payload: dict[str, Any]) -> Path:
        return self.layout.best if which == "best" else self.layout.last

    def write_summary(self, summary: dict[str, Any]) -> None:
        pass


def install_stop_on_sigterm(stop: Callable[[], None]) -> None:
    """torchrun ends the ranks with SIGTERM (after Ctrl-C, or when one rank failed): stop at the next
    flush with a checkpoint instead of dying mid-step."""
    signal.signal(signal.SIGTERM, lambda signum, frame: stop())


# --- the launcher ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        raise UserError(f"--master-port {port} is not a port", "use a number in 1..65535, or leave it out")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            raise UserError(f"port {port} is already in use ({exc.strerror or exc})",
                            "pick another --master-port, or leave it out to get a free one") from exc


def check_nproc(nproc: int, device_hint: str | None) -> str:
    """The backend N local processes would use, or the UserError saying why N cannot be."""
    backend = backend_for(device_hint)
    if backend == "nccl":
        count = torch.cuda.device_count()
        if nproc > count:
            raise UserError(f"--nproc {nproc} asks for one GPU per process, but this machine has {count} "
                            f"CUDA device{'s' if count != 1 else ''}",
                            f"use --nproc {count} or fewer, or --device cpu for CPU processes")
    elif nproc > MAX_CPU_PROCESSES:
        raise UserError(f"--nproc {nproc} is more CPU processes than Studio starts ({MAX_CPU_PROCESSES})",
                        "use fewer processes (one per core is the most that helps)")
    return backend


_ROOT_RANK = re.compile(r"^\s*rank\s*:\s*(\d+)")
_EXIT = re.compile(r"^\s*exitcode\s*:\s*(-?\d+)(?:\s*\(pid:\s*(\d+)\))?")
_TORCHRUN_LOG = re.compile(r"^(\[?[WEIDC]\d{4} \d\d:\d\d:\d\d|\[(W|E|I)\d{4})")
_REPORT_START = ("Traceback (most recent call last):", "=" * 20)


@dataclass
class LaunchOutcome:
    returncode: int
    failed_rank: int | None = None
    exitcode: int | None = None
    pid: int | None = None
    stopped: bool = False
    log: list[str] = field(default_factory=list)


class _StderrFilter(threading.Thread):
    """Passes the ranks' lines (prefixed by torchrun's --tee as "[default0]:") to our stderr and keeps
    torchrun's own logging and failure report back, reading from the latter which rank failed."""

    def __init__(self, stream, outcome: LaunchOutcome):
        super().__init__(daemon=True)
        self.stream, self.outcome = stream, outcome
        self.root_cause = False

    def run(self) -> None:
        prefix = re.compile(r"^\[(?:[A-Za-z_]+)?(\d+)\]:(.*)$")
        for raw in iter(self.stream.readline, ""):
            line = raw.rstrip("\n")
            m = prefix.match(line)
            if m:
                rank, text = int(m.group(1)), m.group(2)
                if text.strip():
                    sys.stderr.write((text if rank == 0 else f"rank {rank}: {text}") + "\n")
                    sys.stderr.flush()
                continue
            self.outcome.log.append(line)
            if os.environ.get("STUDIO_DIST_DEBUG"):  # torchrun's own logging, for finding out what went wrong
                sys.stderr.write(f"torchrun: {line}\n")
            if "Root Cause" in line:
                self.root_cause = True
            if self.root_cause:
                r = _ROOT_RANK.match(line)
                if r and self.outcome.failed_rank is None:
                    self.outcome.failed_rank = int(r.group(1))
                e = _EXIT.match(line)
                if e and self.outcome.exitcode is None:
                    self.outcome.exitcode = int(e.group(1))
                    self.outcome.pid = int(e.group(2)) if e.group(2) else None


def torchrun_command(nproc: int, port: int, log_dir: str, child_args: list[str]) -> list[str]:
    """`python -m torch.distributed.run ... -m studio train ...` for N processes on this machine."""
    return [sys.executable, "-m", "torch.distributed.run", "--nnodes", "1", "--nproc-per-node", str(nproc),
            "--master-addr", "127.0.0.1", "--master-port", str(port), "--max-restarts", "0",
            "--log-dir", log_dir, "--redirects", "2", "--tee", "2",
            "-m", "studio", "train", *child_args]


def launch(nproc: int, child_args: list[str], port: int | None = None,
           env: dict[str, str] | None = None) -> LaunchOutcome:
    """Run the training on `nproc` local processes through torchrun; Ctrl-C stops them all with a
    checkpoint (twice: kills them). Returns how it ended, the failed rank read from torchrun's report."""
    port = port or free_port()
    child_env = dict(os.environ if env is None else env)
    for key in (*ENV_KEYS, "TORCHELASTIC_RUN_ID", "GROUP_RANK", "LOCAL_WORLD_SIZE"):
        child_env.pop(key, None)
    child_env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // nproc)))
    child_env.setdefault("LOGLEVEL", "ERROR")
    child_env["PYTHONUNBUFFERED"] = "1"
    outcome = LaunchOutcome(returncode=0)
    with tempfile.TemporaryDirectory(prefix="studio-torchrun-") as log_dir:
        cmd = torchrun_command(nproc, port, log_dir, child_args)
        proc = subprocess.Popen(cmd, env=child_env, stderr=subprocess.PIPE, text=True, start_new_session=True)
        reader = _StderrFilter(proc.stderr, outcome)
        reader.start()
        interrupts = {"n": 0}

        def on_sigint(signum, frame):
            interrupts["n"] += 1
            if interrupts["n"] == 1:
                outcome.stopped = True
                print("stopping all processes at the next flush (Ctrl-C again to abort)...", file=sys.stderr,
                      flush=True)
                proc.send_signal(signal.SIGINT)  # torchrun passes it on to every rank once
            else:
                proc.kill()  # the ranks see their parent gone and stop at their next flush

        previous = signal.signal(signal.SIGINT, on_sigint) if threading.current_thread() is threading.main_thread() else None
        try:
            while True:
                try:
                    outcome.returncode = proc.wait()
                    break
                except KeyboardInterrupt:  # pragma: no cover - the handler above takes Ctrl-C
                    continue
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
            reader.join(timeout=5)
    return outcome


def explain_failure(outcome: LaunchOutcome, run_dir: Path | None) -> UserError:
    """One line for a torchrun that ended badly: which rank, how, and where the last checkpoint is."""
    who = f"rank {outcome.failed_rank}" if outcome.failed_rank is not None else "a training process"
    how = ""
    if outcome.exitcode is not None:
        if outcome.exitcode < 0:
            try:
                how = f" (killed by {signal.Signals(-outcome.exitcode).name})"
            except ValueError:
                how = f" (killed by signal {-outcome.exitcode})"
        else:
            how = f" (exit status {outcome.exitcode})"
    pid = f", pid {outcome.pid}" if outcome.pid else ""
    where = ""
    fix = "fix what the line above says and start again"
    if run_dir is not None and RunLayout(run_dir).last.is_file():
        saved = _checkpoint_note(run_dir)
        where = f"; the last checkpoint is intact ({RunLayout(run_dir).last}{saved})"
        fix = f"resume with studio train --resume {run_dir} (any --nproc)"
    elif run_dir is not None:
        where = "; no checkpoint was saved yet"
    if any("address already in use" in line.lower() or "eaddrinuse" in line.lower() for line in outcome.log):
        return UserError("the rendezvous port was taken before torchrun could use it",
                         "start again (a free port is picked), or pass a free --master-port")
    return UserError(f"{who}{pid} ended{how}, so torchrun stopped the other processes{where}", fix)


def _checkpoint_note(run_dir: Path) -> str:
    try:
        state = torch.load(RunLayout(run_dir).last, weights_only=True, map_location="cpu")
    except Exception:  # noqa: BLE001 - the note is a courtesy
        return ""
    return f", epoch {state.get('epoch')}, step {state.get('global_step')}"
