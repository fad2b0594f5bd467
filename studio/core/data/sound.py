"""Sound as training data: the features a sound model sees, and folders of WAV files per class.

`features_for(wave, sample_rate, options)` is the one way Studio turns a waveform into a sound
model's input. The `spoken_digits` and `sound_folder` datasets compute their examples with it, and
so must anything that feeds a trained sound model a new sound (a "Try" view, `studio predict`), so
the model always hears what it was trained on:

1. mono, resampled to 16 kHz (`studio.core.audio.sampling.resample`);
2. a window of `seconds` (default 1 s) centred on the loudest stretch (where the word is), padded
   with silence when the sound is shorter;
3. the Audio lab's log-mel spectrogram (`studio.core.audio.spectrum.log_mel_spectrogram`: 25 ms
   Hann frames every 10 ms, 80 Slaney mel bands up to 8 kHz, log10, floored 80 dB under the peak),
   minus its maximum, so the loudest cell is 0 whatever the recording level;
4. with option `features: mfcc`, the first 20 coefficients of its DCT (MFCCs) instead.

The result is (bands, frames) = (80, 101) for 1 s: channels × time for a 1-D CNN over time (a
Permute block makes it frames × bands for a Conformer). Datasets then normalise it with the training
split's mean and std (one scalar each, stored in run.json as `mean`/`std`); pass them as `mean` and
`std` to get exactly the tensor the model was trained on.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.audio.sampling import resample
from studio.core.audio.spectrum import WHISPER_HOP, WHISPER_N_MELS, WHISPER_RATE, log_mel_spectrogram
from studio.core.data.bundle import RawDataset, TargetInfo
from studio.core.errors import UserError

SOUND_RATE = WHISPER_RATE
"""Every sound is resampled to this rate (16 kHz) before its features are computed."""
FEATURE_KINDS = ("logmel", "mfcc")
N_MFCC = 20
DEFAULT_SECONDS = 1.0
SECONDS_RANGE = (0.25, 10.0)
FEATURES_VERSION = 2
"""Bump when the feature computation changes: cached features of older versions are then ignored."""
_SPAN_FRAME = 160
_SPAN_DB = 40.0
"""The speech span is where 10 ms frames come within this many dB of the loudest frame ..."""
_FLOOR_DB = 15.0
"""... and this many dB above the noise floor (the 10th percentile of the frames' energy)."""


@dataclass(frozen=True)
class FeatureSettings:
    kind: str = "logmel"
    seconds: float = DEFAULT_SECONDS

    @property
    def samples(self) -> int:
        return int(round(self.seconds * SOUND_RATE))

    @property
    def shape(self) -> tuple[int, int]:
        bands = WHISPER_N_MELS if self.kind == "logmel" else N_MFCC
        return bands, 1 + self.samples // WHISPER_HOP

    def key(self) -> dict[str, Any]:
        return {"kind": self.kind, "seconds": self.seconds, "version": FEATURES_VERSION}


def feature_settings(options: dict[str, Any] | None, dataset: str = "sound") -> FeatureSettings:
    """The feature options of a sound dataset (`features`, `seconds`), checked, with the defaults."""
    options = options or {}
    kind = str(options.get("features", "logmel")).strip().lower().replace("-", "")
    if kind not in FEATURE_KINDS:
        raise UserError(f"dataset '{dataset}': option features={options.get('features')!r} is not a feature kind",
                        "set data.options.features to logmel or mfcc")
    raw = options.get("seconds", DEFAULT_SECONDS)
    try:
        seconds = float(raw)
    except (TypeError, ValueError):
        raise UserError(f"dataset '{dataset}': option seconds={raw!r} is not a number",
                        "set data.options.seconds to the clip length, e.g. 1.0") from None
    lo, hi = SECONDS_RANGE
    if isinstance(raw, bool) or not lo <= seconds <= hi:
        raise UserError(f"dataset '{dataset}': option seconds={raw!r} is out of range", f"use {lo} to {hi} seconds")
    return FeatureSettings(kind, seconds)


def speech_span(x: np.ndarray) -> tuple[int, int]:
    """(start, end) samples of the loud part of mono `x`: from the first to the last 10 ms frame within
    40 dB of the loudest one and 15 dB above the noise floor (so a room's hiss in a long recording
    is not taken for the word). All of `x` when it is silent."""
    n = x.shape[0] // _SPAN_FRAME
    if n == 0:
        return 0, x.shape[0]
    energy = np.square(x[: n * _SPAN_FRAME].astype(np.float64)).reshape(n, _SPAN_FRAME).mean(axis=1)
    top = float(energy.max())
    if top <= 1e-12:
        return 0, x.shape[0]
    floor = float(np.percentile(energy, 10))
    threshold = max(top * 10.0 ** (-_SPAN_DB / 10.0), min(top, floor * 10.0 ** (_FLOOR_DB / 10.0)))
    loud = np.flatnonzero(energy >= threshold)
    return int(loud[0]) * _SPAN_FRAME, min(x.shape[0], (int(loud[-1]) + 1) * _SPAN_FRAME)


def fit_window(x: np.ndarray, length: int, shift: int = 0) -> np.ndarray:
    """`length` samples of `x` centred on its speech span (moved by `shift`), zeros where `x` has none."""
    start, end = speech_span(x)
    begin = (start + end) // 2 - length // 2 + int(shift)
    out = np.zeros(length, dtype=np.float32)
    lo, hi = max(0, begin), min(x.shape[0], begin + length)
    if hi > lo:
        out[lo - begin: hi - begin] = x[lo:hi]
    return out


def _mono_16k(wave: np.ndarray, sample_rate: float) -> np.ndarray:
    x = np.asarray(wave, dtype=np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1, dtype=np.float32) if x.shape[1] > 1 else x[:, 0]
    elif x.ndim != 1:
        raise ValueError(f"a waveform is (samples,) or (samples, channels), not {x.shape}")
    if int(round(sample_rate)) != SOUND_RATE:
        x = resample(x, sample_rate, SOUND_RATE)
    return x


def _dct_matrix(n_out: int, n_in: int) -> np.ndarray:
    k = np.arange(n_out)[:, None]
    n = np.arange(n_in)[None, :]
    m = np.cos(np.pi / n_in * (n + 0.5) * k) * np.sqrt(2.0 / n_in)
    m[0] /= np.sqrt(2.0)
    return m.astype(np.float32)


_DCT = _dct_matrix(N_MFCC, WHISPER_N_MELS)


def window_features(window: np.ndarray, settings: FeatureSettings) -> np.ndarray:
    """Features of a window already at 16 kHz and of the settings' length (steps 3 and 4 above)."""
    log_mel = log_mel_spectrogram(window)
    log_mel -= log_mel.max()
    if settings.kind == "mfcc":
        return (_DCT @ log_mel).astype(np.float32)
    return log_mel


def features_for(wave: np.ndarray, sample_rate: float, options: dict[str, Any] | None = None,
                 mean: Any = None, std: Any = None) -> np.ndarray:
    """A sound model's input for `wave` (samples or (samples, channels), any rate): float32
    (bands, frames), see the module's docstring. `options` are the dataset's options (the project's
    `data.options`: `features`, `seconds`); `mean`/`std` (the run's normalisation) normalise it."""
    settings = feature_settings(options)
    feats = window_features(fit_window(_mono_16k(wave, sample_rate), settings.samples), settings)
    if mean is not None and std is not None:
        m = float(np.ravel(mean)[0]) if np.size(mean) else 0.0
        s = float(np.ravel(std)[0]) if np.size(std) else 1.0
        feats = (feats - m) / s
    return feats.astype(np.float32)


def cache_root() -> Path:
    """Where Studio keeps derived files ($STUDIO_CACHE_DIR, else $XDG_CACHE_HOME/studio, ...)."""
    from studio.core.audio.recognizers.whisper_model import cache_root as studio_cache_root

    return studio_cache_root()


def save_features(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Atomically write a feature cache (a crash never leaves half a file that looks complete)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **arrays)
    os.replace(tmp, path)


def load_features(path: Path, keys: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """A feature cache written by `save_features`, or None when it is missing or unreadable."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in keys}
    except (OSError, KeyError, ValueError, EOFError):
        return None


def digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:20]


def sound_dataset(name: str, x: np.ndarray, labels: np.ndarray, class_names: list[str],
                  x_val: np.ndarray | None = None, labels_val: np.ndarray | None = None,
                  notes: str = "") -> RawDataset:
    """A RawDataset of (N, bands, frames) features: a "sequence" input of channels × time."""
    targets = {"label": TargetInfo("class", len(class_names))}
    return RawDataset(
        name=name, task="classification", input_kind="sequence",
        x=torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)),
        y={"label": torch.from_numpy(np.asarray(labels, dtype=np.int64))},
        targets=targets, class_names=list(class_names),
        x_val=None if x_val is None else torch.from_numpy(np.ascontiguousarray(x_val, dtype=np.float32)),
        y_val=None if labels_val is None else {"label": torch.from_numpy(np.asarray(labels_val, dtype=np.int64))},
        notes=notes,
    )


# ---- a folder of WAV files, one sub-folder per class ------------------------------------------------

WAV_SUFFIXES = {".wav", ".wave"}


def _folder_files(root: Path) -> tuple[list[str], list[tuple[Path, int]]]:
    if not root.is_dir():
        raise UserError(f"dataset 'sound_folder': {root} is not a folder",
                        "set data.options.root to a folder holding one sub-folder of .wav files per class")
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(classes) < 2:
        found = f" ({classes[0]})" if classes else ""
        raise UserError(f"dataset 'sound_folder': {root} has {len(classes)} class sub-folder(s){found}",
                        "make one sub-folder per class (at least 2), each holding its .wav recordings")
    files: list[tuple[Path, int]] = []
    for index, cls in enumerate(classes):
        found = [p for p in sorted((root / cls).rglob("*")) if p.suffix.lower() in WAV_SUFFIXES and p.is_file()]
        if not found:
            raise UserError(f"dataset 'sound_folder': class folder {root / cls} holds no .wav files",
                            f"record or copy WAV files into {cls}/, or remove the folder")
        files.extend((p, index) for p in found)
    return classes, files


def load_sound_folder(options: dict[str, Any]) -> RawDataset:
    """ROOT/<class>/*.wav, read with Studio's WAV reader, resampled to 16 kHz, turned into features
    once (cached under the cache folder, keyed by the files' names, sizes and times and the feature
    options) and split at random by the loader."""
    from studio.core.audio.wav import load_wav

    value = options.get("root")
    if not value or not str(value).strip():
        raise UserError("dataset 'sound_folder' needs option root",
                        "set data.options.root to a folder holding one sub-folder of .wav files per class")
    root = Path(str(value)).expanduser()
    settings = feature_settings(options, "sound_folder")
    classes, files = _folder_files(root)
    stamp = []
    for path, _ in files:
        st = path.stat()
        stamp.append([str(path.relative_to(root)), st.st_size, st.st_mtime_ns])
    cache = cache_root() / "sound_features" / f"{digest([str(root.resolve()), stamp, settings.key()])}.npz"
    cached = load_features(cache, ("x", "y"))
    if cached is not None and cached["x"].shape[0] == len(files):
        return sound_dataset("sound_folder", cached["x"], cached["y"], classes)
    x = np.empty((len(files), *settings.shape), dtype=np.float32)
    for i, (path, _) in enumerate(files):
        try:
            wav = load_wav(path)
        except UserError as exc:
            raise UserError(f"dataset 'sound_folder': {exc.message}",
                            (exc.fix + ", or remove it from the folder") if exc.fix else "remove it from the folder") from None
        if wav.samples.shape[0] == 0:
            raise UserError(f"dataset 'sound_folder': {path} holds no sound (0 samples)",
                            "record it again, or remove it from the folder")
        x[i] = window_features(fit_window(_mono_16k(wav.samples, wav.rate), settings.samples), settings)
    labels = np.array([c for _, c in files], dtype=np.int64)
    try:
        save_features(cache, {"x": x, "y": labels})
    except OSError:
        pass  # a read-only cache only costs the recomputation next time
    return sound_dataset("sound_folder", x, labels, classes)
