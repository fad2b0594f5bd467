"""A training run on several processes, for the Train panel: `studio train --nproc N --json` in a child.

The GUI builds no launcher of its own: it runs the command line's `studio train PROJECT --nproc N
--json --out RUN_DIR`, which hands the run to the core's launcher (studio.core.train.distributed.launch,
i.e. `python -m torch.distributed.run`). Rank 0 alone prints events, one JSON line each on stdout
(the other ranks print none), so the events reach the panel as they do from the one-process worker:
`drain()` hands out the dicts a reader thread parsed, and a run that ends without a `done` or `error`
event gets an `error` event made from the command's last error line.

The object has the methods RunController uses of `studio.core.train.worker.TrainingJob` (start,
pid, drain, final, finished, stop, close, kill, wait) and no pause: pausing is not coordinated across
ranks (`can_pause` is False). Stop is: the child gets SIGINT, as from Ctrl-C, the launcher passes it
to every rank once, and the ranks agree at their next metric flush to stop there, rank 0 saving one
checkpoint.pt (status "stopped"). A Stop pressed before the ranks are training (no `start` event yet)
is held until they are, so it never lands in a rank's start-up. If the app dies, the child sees its
stdin close and stops the run the same way; the ranks write into relay pipes the child keeps reading
(and, once the app is gone, discarding), so no rank ever writes into a closed pipe; `close()` asks politely, then a second SIGINT (the
launcher then kills torchrun, and ranks whose parent is gone stop at their next flush), then kills.

POSIX only (SIGINT to a child process); the one-process worker runs everywhere.
"""

from __future__ import annotations

import collections
import json
import os
import queue as queue_mod
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from studio.core.project import Project, save_project

TERMINAL = ("done", "error")
PENDING_STOP_S = 20.0
"""A Stop held for a run whose ranks have not started yet is sent anyway after this long."""

_BOOT = """\
import os, signal, sys, threading


def _relay(src, dst):
    # copy what the ranks write to the app; once the app is gone, keep reading and drop it, so that no
    # rank ever writes into a closed pipe (that would end it mid-step instead of at a checkpoint)
    alive = True
    while True:
        try:
            data = os.read(src, 65536)
        except OSError:
            return
        if not data:
            return
        while alive and data:
            try:
                data = data[os.write(dst, data):]
            except OSError:
                alive = False


relays = []
for fd in (1, 2):  # the launcher, torchrun and the ranks inherit the relay pipes, not the app's
    app_fd = os.dup(fd)
    r, w = os.pipe()
    os.dup2(w, fd)
    os.close(w)
    t = threading.Thread(target=_relay, args=(r, app_fd), daemon=True)
    t.start()
    relays.append(t)


def _watch():
    try:  # the raw descriptor, no buffered reader: a daemon thread must hold no lock at shutdown
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGINT)  # the app that started us is gone: stop all ranks, keep a checkpoint


threading.Thread(target=_watch, daemon=True).start()
from studio.__main__ import main

try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
sys.stdout.flush()
sys.stderr.flush()
null = os.open(os.devnull, os.O_WRONLY)
os.dup2(null, 1)  # our own ends of the relay pipes: the relays end once everything is passed on
os.dup2(null, 2)
for t in relays:
    t.join(10)
os._exit(code or 0)
"""


def _source_root() -> str:
    import studio

    return str(Path(studio.__file__).resolve().parent.parent)


class DistributedJob:
    """`studio train --nproc N` in a child process, drained like a TrainingJob."""

    can_pause = False

    def __init__(self, project: Project, run_dir: str | Path, overrides: dict[str, Any] | None = None,
                 resume: bool = False, nproc: int = 2, project_path: Path | None = None):
        self.run_dir = Path(run_dir)
        self.nproc = int(nproc)
        self.resume = bool(resume)
        self.final: dict[str, Any] | None = None
        self.started = False
        """Whether rank 0's `start` event came (the ranks are in their training loop)."""
        self.ranks: list[dict[str, Any]] = []
        """rank 0's word on every rank (its `start` event's `distributed.ranks`: pid, host, device)."""
        self.process: subprocess.Popen | None = None
        self._events: queue_mod.Queue = queue_mod.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=40)
        self._stop_asked_at: float | None = None
        self._sigints = 0
        self._readers: list[threading.Thread] = []
        self._exited = False
        self._tidy = threading.Lock()
        # the project as the ranks will read it: a snapshot file with the panel's overrides in it
        # (metrics_interval_ms, max_steps ... are read from the training section like the config)
        self._tmp = Path(tempfile.mkdtemp(prefix="studio-nproc-"))
        snapshot = project.copy()
        if snapshot.graph.weights and project_path is not None and not Path(snapshot.graph.weights).is_absolute():
            snapshot.graph.weights = str(Path(project_path).parent / snapshot.graph.weights)
        snapshot.training.update({k: v for k, v in (overrides or {}).items() if v is not None})
        self.project_file = save_project(snapshot, self._tmp / "project.studio.json")

    def command(self) -> list[str]:
        args = ["train", str(self.project_file), "--nproc", str(self.nproc), "--json"]
        args += ["--resume", str(self.run_dir)] if self.resume else ["--out", str(self.run_dir)]
        return [sys.executable, "-c", _BOOT, *args]

    def start(self) -> DistributedJob:
        env = dict(os.environ)
        env["PYTHONSAFEPATH"] = "1"  # as for the worker: nothing from the app's working folder is imported
        root = _source_root()
        env["PYTHONPATH"] = os.pathsep.join([root, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
        env["PYTHONUNBUFFERED"] = "1"
        self.process = subprocess.Popen(self.command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env, text=True, encoding="utf-8",
                                        errors="replace")
        for name, stream, sink in (("stdout", self.process.stdout, self._read_events),
                                   ("stderr", self.process.stderr, self._read_errors)):
            t = threading.Thread(target=sink, args=(stream,), name=f"studio-nproc-{name}", daemon=True)
            t.start()
            self._readers.append(t)
        threading.Thread(target=self._reap, name="studio-nproc-wait", daemon=True).start()
        return self

    def _reap(self) -> None:
        """Wait for the child (no zombie is left when nobody drains any more), then tidy up."""
        self.process.wait()
        for t in self._readers:
            t.join(timeout=5)
        self._exited = True
        self._cleanup()

    # --- the child's output ---------------------------------------------------------------------
    def _read_events(self, stream) -> None:
        for line in iter(stream.readline, ""):
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and "event" in event:
                self._events.put(event)

    def _read_errors(self, stream) -> None:
        for line in iter(stream.readline, ""):
            if line.strip():
                self._stderr.append(line.rstrip("\n"))

    # --- what RunController calls ---------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    @property
    def finished(self) -> bool:
        return self.final is not None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pause(self) -> None:
        """Not coordinated across ranks: nothing happens (the panel disables Pause)."""

    def resume(self) -> None:
        pass

    def stop(self) -> None:
        """All ranks stop at their next metric flush; rank 0 saves checkpoint.pt and sends `done`."""
        if self._stop_asked_at is None:
            self._stop_asked_at = time.monotonic()
        if self.started:
            self._interrupt()

    def _interrupt(self) -> None:
        if self.alive() and self._sigints == 0:
            self._sigints = 1
            self.process.send_signal(signal.SIGINT)

    def drain(self, max_events: int = 10_000) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while len(out) < max_events:
            try:
                event = self._events.get_nowait()
            except queue_mod.Empty:
                break
            out.append(event)
            kind = event.get("event")
            if kind == "start":
                self.started = True
                self.ranks = list((event.get("distributed") or {}).get("ranks") or [])
            if kind in TERMINAL:
                self.final = event
        if self._stop_asked_at is not None and self._sigints == 0 and (
                self.started or time.monotonic() - self._stop_asked_at > PENDING_STOP_S):
            self._interrupt()
        if self.final is None and self._exited and self._events.empty():
            self.final = self._ended_without_word()
            out.append(self.final)
        return out

    def _ended_without_word(self) -> dict[str, Any]:
        code = self.process.returncode if self.process is not None else None
        lines = list(self._stderr)
        said = next((line.split(": error: ", 1)[1] for line in reversed(lines) if ": error: " in line), None)
        if said is None:
            said = next((line for line in reversed(lines) if line.strip()), None)
        message = said or f"the training processes ended without a result (exit code {code})"
        return {"event": "error", "kind": "distributed", "run_dir": str(self.run_dir), "exit_code": code,
                "message": message, "fix": "" if ": " in message else
                "the run folder keeps the metrics and the last checkpoint; resume it to go on",
                "log": lines[-10:]}

    def wait(self, timeout: float | None = None, poll: float = 0.05) -> list[dict[str, Any]]:
        deadline = None if timeout is None else time.monotonic() + timeout
        events: list[dict[str, Any]] = []
        while not self.finished:
            events.extend(self.drain())
            if self.finished or (deadline is not None and time.monotonic() > deadline):
                break
            time.sleep(poll)
        if self.finished and self.process is not None:
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                pass
        return events

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
            self.process.wait(5)
            for rank in self.ranks:  # a rank left behind by the launcher we just killed (still ours?)
                pid = rank.get("pid")
                if isinstance(pid, int) and _is_our_rank(pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
        self._cleanup()

    def close(self) -> None:
        """Stop politely (one SIGINT: a checkpoint), then firmly (a second: torchrun is killed and the
        ranks stop at their next flush), then kill; safe to call more than once."""
        if self.alive():
            self.started = True  # closing: no more waiting for the ranks to start
            self.stop()
            self._interrupt()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGINT)
                self._sigints = 2
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    pass
        self.kill()

    def _cleanup(self) -> None:
        with self._tidy:
            self._cleanup_locked()

    def _cleanup_locked(self) -> None:
        if self.process is not None and self.process.stdin is not None and not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        if self._tmp.exists():
            for p in self._tmp.iterdir():
                try:
                    p.unlink()
                except OSError:
                    pass
            try:
                self._tmp.rmdir()
            except OSError:
                pass


def _is_our_rank(pid: int) -> bool:
    """Whether `pid` is still a `studio train` rank (not a process that got its number since)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"studio" in cmdline and b"train" in cmdline
