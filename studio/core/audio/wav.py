"""WAV files: 16-bit PCM and 32-bit float, read and written with numpy alone.

The reader walks the RIFF chunks itself (rather than the stdlib `wave`, which cannot read float
files) so that every way a file can be wrong turns into a `UserError` naming the file and what is
wrong with it. Samples come back as float32 in [-1, 1), shape (frames, channels).
"""

from __future__ import annotations

import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.core.errors import UserError

FORMAT_PCM = 1
FORMAT_FLOAT = 3
FORMAT_EXTENSIBLE = 0xFFFE
SAVE_FORMATS = ("pcm16", "float32")


@dataclass(frozen=True)
class Wav:
    samples: np.ndarray
    """float32, (frames, channels), full scale [-1, 1)."""
    rate: int
    encoding: str
    """What the file held: "pcm8", "pcm16", "pcm24", "pcm32", "float32" or "float64"."""

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def seconds(self) -> float:
        return self.samples.shape[0] / self.rate

    def mono(self) -> np.ndarray:
        """Channels averaged: what the recognizers and views take."""
        return self.samples.mean(axis=1, dtype=np.float32) if self.channels > 1 else self.samples[:, 0].copy()


def _bad(path: Path, what: str) -> UserError:
    return UserError(f"{path}: not a readable WAV file ({what})",
                     "save it as WAV, 16-bit PCM or 32-bit float, e.g. `sox IN -b 16 OUT.wav`")


def load_wav(path: str | os.PathLike) -> Wav:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file", "check the path") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a WAV file", "give the path of a .wav file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise _bad(path, "no RIFF/WAVE header")
    fmt = None
    payload = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id = data[pos:pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        body = data[pos + 8: pos + 8 + size]
        if chunk_id == b"fmt ":
            if len(body) < 16:
                raise _bad(path, "fmt chunk too short")
            fmt = struct.unpack_from("<HHIIHH", body)
            if fmt[0] == FORMAT_EXTENSIBLE and len(body) >= 26:
                (sub,) = struct.unpack_from("<H", body, 24)
                fmt = (sub,) + fmt[1:]
        elif chunk_id == b"data":
            payload = body  # a truncated file keeps the whole frames it has
            break
        pos += 8 + size + (size & 1)
    if fmt is None:
        raise _bad(path, "no fmt chunk")
    if payload is None:
        raise _bad(path, "no data chunk")
    tag, channels, rate, _, _, bits = fmt
    if channels < 1 or rate < 1:
        raise _bad(path, f"{channels} channels at {rate} Hz")
    kinds = {(FORMAT_PCM, 8): "pcm8", (FORMAT_PCM, 16): "pcm16", (FORMAT_PCM, 24): "pcm24",
             (FORMAT_PCM, 32): "pcm32", (FORMAT_FLOAT, 32): "float32", (FORMAT_FLOAT, 64): "float64"}
    encoding = kinds.get((tag, bits))
    if encoding is None:
        name = {FORMAT_PCM: "PCM", FORMAT_FLOAT: "float"}.get(tag, f"format tag {tag:#x}")
        raise UserError(f"{path}: unsupported WAV encoding ({name}, {bits} bits)",
                        "convert it to 16-bit PCM or 32-bit float, e.g. `sox IN -b 16 OUT.wav`")
    width = bits // 8
    frames = len(payload) // (width * channels)
    raw = np.frombuffer(payload, dtype=np.uint8, count=frames * width * channels)
    samples = _decode(raw, encoding).reshape(frames, channels)
    return Wav(samples, int(rate), encoding)


def _decode(raw: np.ndarray, encoding: str) -> np.ndarray:
    if encoding == "pcm8":
        return (raw.astype(np.float32) - 128.0) / 128.0
    if encoding == "pcm16":
        return raw.view("<i2").astype(np.float32) / 32768.0
    if encoding == "pcm24":
        b = raw.reshape(-1, 3).astype(np.int32)
        value = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        return value.astype(np.float32) / float(1 << 23)
    if encoding == "pcm32":
        return (raw.view("<i4").astype(np.float64) / float(1 << 31)).astype(np.float32)
    if encoding == "float32":
        return raw.view("<f4").astype(np.float32)
    return raw.view("<f8").astype(np.float32)


def save_wav(path: str | os.PathLike, samples: np.ndarray, rate: int, encoding: str = "pcm16") -> Path:
    """Write `samples` ((frames,) or (frames, channels), full scale) atomically as a WAV file.

    pcm16 rounds to the nearest of 65,536 levels and clips outside [-1, 1); float32 keeps the
    values as they are (a quantization experiment saved as float stays bit-exact).
    """
    if encoding not in SAVE_FORMATS:
        raise UserError(f"cannot save WAV as {encoding!r}", f"choose {' or '.join(SAVE_FORMATS)}")
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValueError(f"samples must be (frames,) or (frames, channels), got {x.shape}")
    rate = int(rate)
    channels = x.shape[1]
    if encoding == "pcm16":
        body = np.clip(np.round(x.astype(np.float64) * 32768.0), -32768, 32767).astype("<i2").tobytes()
        tag, bits = FORMAT_PCM, 16
    else:
        body = x.astype("<f4").tobytes()
        tag, bits = FORMAT_FLOAT, 32
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    if tag == FORMAT_FLOAT:
        fmt += struct.pack("<H", 0)  # non-PCM fmt chunks carry an (empty) extension size
    chunks = [b"fmt ", struct.pack("<I", len(fmt)), fmt]
    if tag == FORMAT_FLOAT:  # float files carry a fact chunk with the frame count
        chunks += [b"fact", struct.pack("<II", 4, x.shape[0])]
    chunks += [b"data", struct.pack("<I", len(body)), body, b"\0" * (len(body) & 1)]
    riff_body = b"WAVE" + b"".join(chunks)
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UserError(f"{path}: cannot write here ({exc.strerror or exc})", "choose another folder") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(b"RIFF" + struct.pack("<I", len(riff_body)) + riff_body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
