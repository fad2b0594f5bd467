"""Microphone capture through PortAudio (sounddevice): devices, a recording stream, its health.

This is the one core module that touches sounddevice, and only inside functions, so the rest of
Studio (and a headless GPU box without PortAudio) imports fine. The stream's callback only copies
into the preallocated ring and counts driver overflows; a keeper thread drains the ring into the
recording and watches the stream. If the device disappears mid-recording (the stream finishes on
its own, or stops calling back), recording stops, everything captured so far is kept, and `error`
says what happened, so the app carries on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from studio.core.audio.levels import LevelMeter, Levels
from studio.core.audio.ring import RingBuffer
from studio.core.errors import UserError

NO_DEVICE_FIX = ("plug in a microphone; on Linux check that PulseAudio or PipeWire is running "
                 "(`pactl info`) and that this user may use it")


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_rate: float
    hostapi: str
    is_default: bool

    def label(self) -> str:
        mark = " (default)" if self.is_default else ""
        return f"{self.index}: {self.name}{mark}, {self.channels} ch, {self.default_rate:g} Hz"


def _sounddevice():
    try:
        import sounddevice
    except OSError as exc:  # the PortAudio shared library itself is missing
        raise UserError(f"audio input is unavailable: PortAudio could not be loaded ({exc})",
                        "install the PortAudio library (Debian/Ubuntu: apt-get install libportaudio2)") from None
    except ImportError:
        raise UserError("audio input is unavailable: the sounddevice package is not installed",
                        "pip install sounddevice") from None
    return sounddevice


def list_input_devices(rescan: bool = False) -> list[InputDevice]:
    """Every device that can record, the system default marked as such.

    PortAudio reads the list of devices once, when it starts, so a microphone plugged in later is
    missing until it starts again: `rescan` restarts it first. sounddevice has no public call for
    that, so this uses its private `_terminate` / `_initialize` (here, in the module that owns
    sounddevice, and nowhere else). A restart closes every open stream: never rescan while recording.
    """
    sd = _sounddevice()
    try:
        if rescan:
            sd._terminate()
            sd._initialize()
        devices = sd.query_devices()
        default_in = sd.default.device[0]
        hostapis = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise UserError(f"cannot list audio devices ({exc})", NO_DEVICE_FIX) from None
    if default_in is None or default_in < 0:
        default_in = next((d["index"] for d in devices if d["max_input_channels"] > 0), -1)
    return [
        InputDevice(int(d["index"]), str(d["name"]), int(d["max_input_channels"]), float(d["default_samplerate"]),
                    str(hostapis[d["hostapi"]]["name"]), int(d["index"]) == int(default_in))
        for d in devices
        if d["max_input_channels"] > 0
    ]


def find_input_device(spec: int | str | None = None) -> InputDevice:
    """The device to record from: the default (None), an index, or a case-insensitive name fragment."""
    devices = list_input_devices()
    if not devices:
        raise UserError("no audio input device found", NO_DEVICE_FIX)
    if spec is None or spec == "":
        return next((d for d in devices if d.is_default), devices[0])
    text = str(spec).strip()
    if text.lstrip("-").isdigit():
        match = [d for d in devices if d.index == int(text)]
    else:
        match = [d for d in devices if text.lower() in d.name.lower()]
    if not match:
        names = "; ".join(d.label() for d in devices)
        raise UserError(f"no input device matches {text!r}", f"choose one of: {names}")
    return match[0]


StreamFactory = Callable[..., object]


class Capture:
    """One recording session on one input device.

    States: "idle" -> "recording" -> "stopped" (by `stop`) or "lost" (the device went away).
    A panel polls `levels()`, `ring.latest(...)`, `state`, `overflows` and `error` at its own rate.
    """

    def __init__(self, device: int | str | None = None, rate: float | None = None, channels: int = 1,
                 ring_seconds: float = 30.0, keep: bool = True, latency: str | float = "high",
                 stall_timeout_s: float = 2.0, start_timeout_s: float = 8.0, stream_factory: StreamFactory | None = None):
        self._device_spec = device
        self._requested_rate = rate
        self.channels = int(channels)
        self._ring_seconds = ring_seconds
        self._keep = keep
        self._latency = latency
        self._stall_timeout_s = stall_timeout_s
        self._start_timeout_s = start_timeout_s
        self._stream_factory = stream_factory
        self.device: InputDevice | None = None
        self.rate: int = 0
        self.ring: RingBuffer | None = None
        self.state = "idle"
        self.error: str | None = None
        self._stream = None
        self._chunks: list[np.ndarray] = []
        self._kept_frames = 0
        self._keeper: threading.Thread | None = None
        self._stop_requested = threading.Event()
        self._stopping = False
        self._finished = threading.Event()
        self._last_callback: float | None = None
        self._started_at = 0.0
        self._meter: LevelMeter | None = None
        self._lock = threading.Lock()

    # -- opening -----------------------------------------------------------------------------------
    def start(self) -> Capture:
        if self.state == "recording":
            return self
        factory = self._stream_factory
        if factory is None:
            sd = _sounddevice()
            self.device = find_input_device(self._device_spec)
            factory = sd.InputStream
            rate = float(self._requested_rate or self.device.default_rate)
            try:
                sd.check_input_settings(device=self.device.index, samplerate=rate, channels=self.channels,
                                        dtype="float32")
            except Exception as exc:  # PortAudioError or ValueError, both mean "this device can't do that"
                raise UserError(f"input device {self.device.name!r} cannot record {self.channels} channel(s) "
                                f"at {rate:g} Hz ({exc})",
                                f"use its default rate {self.device.default_rate:g} Hz or another device") from None
        else:
            self.device = InputDevice(-1, str(self._device_spec or "test device"), self.channels,
                                      float(self._requested_rate or 16000), "test", True)
            rate = float(self._requested_rate or 16000)
        self.rate = int(round(rate))
        self.ring = RingBuffer(int(self._ring_seconds * self.rate), self.channels)
        self._meter = LevelMeter(self.ring)
        self._recorder = self.ring.reader()
        self._chunks, self._kept_frames = [], 0
        self._stop_requested.clear()
        self._stopping = False
        self._finished.clear()
        self.error = None
        try:
            self._stream = factory(device=self.device.index if self.device.index >= 0 else None,
                                   samplerate=self.rate, channels=self.channels, dtype="float32",
                                   latency=self._latency, callback=self._callback,
                                   finished_callback=self._finished.set)
            self._last_callback = None
            self._started_at = time.monotonic()
            self._stream.start()
        except UserError:
            raise
        except Exception as exc:
            self._stream = None
            raise UserError(f"cannot open input device {self.device.name!r} ({exc})", NO_DEVICE_FIX) from None
        self.state = "recording"
        # Not a daemon, so the interpreter never ends under it: `stop()` joins it, and it ends by itself
        # when the device is lost.
        self._keeper = threading.Thread(target=self._keep_loop, name="studio-audio-keeper")
        self._keeper.start()
        return self

    # -- real-time path: copy and count, nothing else ------------------------------------------------
    def _callback(self, indata, frames, time_info, status) -> None:
        self.ring.write(indata, bool(status.input_overflow) if status else False)
        self._last_callback = time.monotonic()

    # -- keeper thread ---------------------------------------------------------------------------------
    def _drain(self) -> None:
        block = self._recorder.read()
        if self._keep and block.shape[0]:
            with self._lock:
                self._chunks.append(block)
                self._kept_frames += block.shape[0]

    def _keep_loop(self) -> None:
        while not self._stop_requested.wait(0.05):
            self._drain()
            if self._stopping:
                continue
            stream = self._stream
            ended = self._finished.is_set() or (stream is not None and not getattr(stream, "active", True))
            # PortAudio through PulseAudio can take a second or two to deliver the first block
            if self._last_callback is None:
                stalled = time.monotonic() - self._started_at > self._start_timeout_s
            else:
                stalled = time.monotonic() - self._last_callback > self._stall_timeout_s
            if ended or stalled:
                self._drain()
                self._close_stream()
                kept = self._kept_frames / self.rate if self.rate else 0.0
                how = "stopped delivering audio" if stalled and not ended else "went away"
                self.error = (f"input device {self.device.name!r} {how} (unplugged?); "
                              f"recording stopped, {kept:.1f} s kept")
                self.state = "lost"
                return
        self._drain()

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        for action in ("abort", "close"):
            try:
                getattr(stream, action)()
            except Exception:  # a vanished device may refuse even to close; nothing left to save
                pass

    # -- stopping and results ------------------------------------------------------------------------
    def stop(self) -> np.ndarray:
        """Stop recording (if still going) and return everything kept, (frames, channels) float32."""
        if self.state == "recording":
            self._stopping = True  # the keeper must not mistake our own stop for a lost device
            stream = self._stream
            if stream is not None:
                try:
                    stream.stop()  # returns once the last callback has run
                except Exception:
                    pass
            self._stop_requested.set()
            if self._keeper is not None:
                self._keeper.join()
            self._drain()
            self.state = "stopped"
            self._close_stream()
        elif self._keeper is not None:
            self._keeper.join()
        return self.recording()

    def recording(self) -> np.ndarray:
        with self._lock:
            if not self._chunks:
                return np.zeros((0, self.channels), dtype=np.float32)
            if len(self._chunks) > 1:
                self._chunks = [np.concatenate(self._chunks)]
            return self._chunks[0].copy()

    @property
    def seconds_kept(self) -> float:
        return self._kept_frames / self.rate if self.rate else 0.0

    @property
    def overflows(self) -> int:
        return self.ring.overflows if self.ring is not None else 0

    def levels(self) -> Levels:
        if self._meter is None:
            return Levels(0.0, 0.0, -120.0, -120.0, False, 0, 0)
        return self._meter.poll()

    def __enter__(self) -> Capture:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def record(seconds: float, device: int | str | None = None, rate: float | None = None,
           channels: int = 1) -> tuple[np.ndarray, int]:
    """Record `seconds` from `device` (blocking); returns (mono-or-multichannel frames, rate).

    Raises UserError if the device is lost before the time is up, naming how much was kept.
    """
    cap = Capture(device=device, rate=rate, channels=channels, ring_seconds=max(5.0, seconds + 2.0))
    cap.start()
    want = int(round(seconds * cap.rate))
    try:
        while cap.ring.written < want and cap.state == "recording":  # count frames, not wall time
            time.sleep(0.02)
    finally:  # Ctrl-C too: the keeper thread must end for the process to
        samples = cap.stop()
    if cap.state == "lost":
        raise UserError(cap.error or "the input device was lost", "check the microphone and try again")
    return samples[:want], cap.rate
