"""A real microphone on a machine without a sound card: PulseAudio null sink + virtual source.

The tests and the audio benchmark use this to record real speech through real PortAudio capture:
espeak-ng speaks into the null sink "studio_spk", whose monitor feeds the virtual source
"studio_mic", which becomes the default input.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

SINK = "studio_spk"
SOURCE = "studio_mic"
TOOLS = ("pulseaudio", "pactl", "paplay", "espeak-ng")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def _pactl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, check=check, timeout=20)


def server_running() -> bool:
    try:
        return _pactl("info", check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def start() -> bool:
    """Start PulseAudio if needed and create the virtual microphone; True if we started the daemon."""
    started = False
    if not server_running():
        subprocess.run(["pulseaudio", "--start", "--exit-idle-time=-1", "--disallow-exit"],
                       capture_output=True, timeout=30)
        started = True
        for _ in range(100):
            if server_running():
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("PulseAudio did not start (pulseaudio --start)")
    if SINK not in _pactl("list", "short", "sinks").stdout:
        _pactl("load-module", "module-null-sink", f"sink_name={SINK}")
    if SOURCE not in _pactl("list", "short", "sources").stdout:
        _pactl("load-module", "module-virtual-source", f"source_name={SOURCE}", f"master={SINK}.monitor")
    _pactl("set-default-source", SOURCE)
    _pactl("set-default-sink", SINK)
    return started


def stop() -> None:
    subprocess.run(["pulseaudio", "--kill"], capture_output=True, timeout=30)


def speech_wav(text: str, path: str | os.PathLike, words_per_minute: int = 150, voice: str | None = None) -> Path:
    """espeak-ng's rendering of `text` as a WAV file (22,050 Hz, 16-bit)."""
    cmd = ["espeak-ng", "-s", str(words_per_minute), "-w", str(path)]
    if voice:
        cmd += ["-v", voice]
    subprocess.run(cmd + [text], check=True, capture_output=True, timeout=60)
    return Path(path)


def play(path: str | os.PathLike) -> None:
    """Play a WAV file into the virtual microphone; returns when it has been played."""
    subprocess.run(["paplay", f"--device={SINK}", str(path)], check=True, capture_output=True, timeout=120)


def say(text: str, words_per_minute: int = 150) -> float:
    """Speak `text` into the microphone (blocks while speaking); returns its duration in seconds."""
    from studio.core.audio.wav import load_wav

    with tempfile.TemporaryDirectory() as tmp:
        wav = speech_wav(text, Path(tmp) / "say.wav", words_per_minute)
        seconds = load_wav(wav).seconds
        play(wav)
    return seconds


def wait_for_listener(timeout: float = 30.0) -> bool:
    """Block until a program (not the virtual source's own module) records from the sound server."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = [line.split("\t") for line in _pactl("list", "short", "source-outputs", check=False).stdout.splitlines()]
        if any(len(r) > 2 and r[2] != "-" for r in rows):  # module-owned outputs have no client
            return True
        time.sleep(0.05)
    return False
