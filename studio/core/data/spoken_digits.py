"""`spoken_digits`: "zero" ... "nine" spoken by espeak-ng voices, generated once, offline.

A speech-commands-style data set that needs no download: 30 voices (an English accent with a
voice variant each; no two voices share a variant), each saying every word `per_voice` times at its
own speaking rate and pitch. espeak-ng's caricature variants (extreme formant or tone settings,
e.g. travis, shelby, steph, m8) are left out: they sound like no person. The clips are rendered once into
`<cache>/spoken_digits/v1/<word>/<voice>-<k>.wav` (16 kHz, 16-bit; `<cache>` is $STUDIO_CACHE_DIR,
else ~/.cache/studio), so later loads, and a larger `per_voice`, reuse what is there; the features of
a given set of options are cached next to them.

Validation holds out whole voices (the last `held_out_voices` of the list), not random clips, so
its accuracy says how well a model recognises voices it never heard. Each clip gets its own random
gain, a shift of up to ±0.1 s in its 1 s window and a little white noise (`noise`, relative to
its peak), drawn from `seed`.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.data.bundle import RawDataset
from studio.core.data.sound import (
    SOUND_RATE,
    FeatureSettings,
    cache_root,
    digest,
    fit_window,
    load_features,
    save_features,
    sound_dataset,
    window_features,
)
from studio.core.errors import UserError

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
VOICES = (
    "en-us+m1", "en+f1", "en-gb-scotland+m2", "en-us+f2", "en-029+m3", "en-gb-x-rp+f3", "en-us-nyc+m4",
    "en+klatt", "en-gb-x-gbclan+m5", "en-us+klatt2", "en+m6", "en-gb-x-gbcwmd+klatt3", "en-us+f5", "en+adam",
    "en-gb-scotland+Alex", "en-us+Andy", "en-029+benjamin", "en-us+david", "en+ed", "en-gb-x-rp+linda",
    "en-us+Mike", "en-us-nyc+paul", "en+victor", "en-gb-x-gbclan+klatt5", "en-us+Andrea", "en+belinda",
    # the last ones are held out first: a male, a Klatt, a female and a deep male voice
    "en-us+m7", "en+klatt4", "en-gb-scotland+f4", "en-us-nyc+robert",
)
"""espeak-ng voices (`LANGUAGE+VARIANT`; `espeak-ng --voices` lists languages, `--voices=variant`
the variants). Their order is part of the data set: held-out voices are taken from the end."""
GENERATION = "v1"
RATES = (120, 210)
PITCHES = (25, 75)
SHIFT_SECONDS = 0.1
GAIN_DB = (-20.0, 0.0)
_BREAK_MS = 700
_GAP_SECONDS = 0.2
DEFAULTS = {"per_voice": 4, "held_out_voices": 4, "features": "logmel", "noise": 0.02, "seed": 0}


def _espeak() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise UserError("dataset 'spoken_digits' is generated with espeak-ng, which is not installed",
                        "install it (Debian/Ubuntu: apt-get install espeak-ng), or use dataset sound_folder "
                        "with your own recordings")
    return exe


def rendition(voice: str, k: int) -> tuple[int, int]:
    """(words per minute, pitch 0-99) of the k-th rendition of `voice`: fixed, whatever the options."""
    rng = random.Random(f"{GENERATION}/{voice}/{k}")
    return rng.randint(*RATES), rng.randint(*PITCHES)


def _run_espeak(exe: str, voice: str, rate: int, pitch: int, text: str, ssml: bool) -> np.ndarray:
    """espeak-ng's rendering of `text`, mono, at 16 kHz."""
    from studio.core.audio.wav import load_wav

    with tempfile.TemporaryDirectory(prefix="studio-espeak-") as tmp:
        out = Path(tmp) / "say.wav"
        cmd = [exe, "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(out)] + (["-m"] if ssml else [])
        try:
            subprocess.run(cmd + [text], check=True, capture_output=True, timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise UserError(f"espeak-ng could not speak voice {voice} ({detail.decode(errors='replace').strip() or exc})",
                            "check `espeak-ng -v " + voice + " hello` works") from None
        wav = load_wav(out)
    return _to_16k(wav.mono(), wav.rate)


def _to_16k(x: np.ndarray, rate: int) -> np.ndarray:
    """espeak's 22,050 Hz at 16 kHz: SciPy's polyphase filter where SciPy is installed (several
    times faster on a hundred renderings), else Studio's own band-limited resampler."""
    if rate == SOUND_RATE:
        return x
    try:
        from scipy.signal import resample_poly
    except ImportError:
        from studio.core.audio.sampling import resample

        return resample(x, rate, SOUND_RATE)
    g = int(np.gcd(int(rate), SOUND_RATE))
    return resample_poly(x, SOUND_RATE // g, int(rate) // g).astype(np.float32)


def _split_words(x: np.ndarray, expected: int) -> list[np.ndarray] | None:
    """The words of one espeak call, cut at its silent breaks; None if the count is not `expected`."""
    loud = np.flatnonzero(np.abs(x) > 1e-3)
    if loud.size == 0:
        return None
    cuts = np.flatnonzero(np.diff(loud) > _GAP_SECONDS * SOUND_RATE)
    starts = np.concatenate([[loud[0]], loud[cuts + 1]])
    ends = np.concatenate([loud[cuts], [loud[-1]]]) + 1
    if len(starts) != expected:
        return None
    pad = int(0.02 * SOUND_RATE)
    return [x[max(0, a - pad): b + pad].copy() for a, b in zip(starts, ends, strict=True)]


def _render(exe: str, voice: str, k: int) -> list[np.ndarray]:
    """The ten words in `voice`'s k-th rendition: one espeak call with breaks between the words, or
    (if the breaks do not cut it into ten) one call per word."""
    rate, pitch = rendition(voice, k)
    text = "<speak>" + f'<break time="{_BREAK_MS}ms"/>'.join(WORDS) + "</speak>"
    words = _split_words(_run_espeak(exe, voice, rate, pitch, text, ssml=True), len(WORDS))
    if words is None:
        words = []
        for word in WORDS:
            x = _run_espeak(exe, voice, rate, pitch, word, ssml=False)
            loud = np.flatnonzero(np.abs(x) > 1e-3)
            words.append(x[loud[0]: loud[-1] + 1].copy() if loud.size else x)
    return words


def clips_folder() -> Path:
    return cache_root() / "spoken_digits" / GENERATION


def _clip_path(folder: Path, word: str, voice: str, k: int) -> Path:
    return folder / word / f"{voice}-{k}.wav"


def ensure_clips(per_voice: int, folder: Path | None = None) -> Path:
    """Render whatever clips of the first `per_voice` renditions are not on disk yet; the folder."""
    from studio.core.audio.wav import save_wav

    folder = folder or clips_folder()
    todo = [(v, k) for v in VOICES for k in range(per_voice)
            if not all(_clip_path(folder, w, v, k).is_file() for w in WORDS)]
    if not todo:
        return folder
    exe = _espeak()
    try:
        for word in WORDS:
            (folder / word).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"dataset 'spoken_digits': cannot write its clips into {folder} ({exc.strerror or exc})",
                        "set STUDIO_CACHE_DIR to a writable folder") from None

    def job(item: tuple[str, int]) -> None:
        voice, k = item
        for word, x in zip(WORDS, _render(exe, voice, k), strict=True):
            save_wav(_clip_path(folder, word, voice, k), x, SOUND_RATE, "pcm16")

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(job, todo))
    return folder


def _int_option(options: dict[str, Any], key: str, lo: int, hi: int) -> int:
    value = options.get(key, DEFAULTS[key])
    if isinstance(value, bool):
        value = "bool"
    try:
        number = int(value)
        if number != float(value):
            raise ValueError
    except (TypeError, ValueError):
        raise UserError(f"dataset 'spoken_digits': option {key}={options.get(key)!r} is not a whole number",
                        f"set data.options.{key} to a whole number from {lo} to {hi}") from None
    if not lo <= number <= hi:
        raise UserError(f"dataset 'spoken_digits': option {key}={number} is out of range",
                        f"use a value from {lo} to {hi}")
    return number


def parse_options(options: dict[str, Any]) -> dict[str, Any]:
    from studio.core.data.sound import feature_settings

    per_voice = _int_option(options, "per_voice", 1, 40)
    held_out = _int_option(options, "held_out_voices", 1, len(VOICES) - 1)
    seed = _int_option(options, "seed", 0, 2**31 - 1)
    raw_noise = options.get("noise", DEFAULTS["noise"])
    try:
        noise = float(raw_noise)
    except (TypeError, ValueError):
        noise = -1.0
    if isinstance(raw_noise, bool) or not 0.0 <= noise <= 1.0:
        raise UserError(f"dataset 'spoken_digits': option noise={raw_noise!r} must be a number from 0 to 1",
                        "set data.options.noise to e.g. 0.02 (noise std as a fraction of each clip's peak)")
    settings = feature_settings({"features": options.get("features", DEFAULTS["features"])}, "spoken_digits")
    return {"per_voice": per_voice, "held_out_voices": held_out, "seed": seed, "noise": noise, "settings": settings}


def _features(folder: Path, per_voice: int, noise: float, seed: int, settings: FeatureSettings):
    from studio.core.audio.wav import load_wav

    rng = np.random.default_rng(seed)
    length = settings.samples
    n = len(VOICES) * per_voice * len(WORDS)
    x = np.empty((n, *settings.shape), dtype=np.float32)
    labels = np.empty(n, dtype=np.int64)
    voices = np.empty(n, dtype=np.int64)
    i = 0
    for v, voice in enumerate(VOICES):
        for k in range(per_voice):
            for label, word in enumerate(WORDS):
                clip = load_wav(_clip_path(folder, word, voice, k)).mono()
                shift = int(rng.integers(-SHIFT_SECONDS * SOUND_RATE, SHIFT_SECONDS * SOUND_RATE + 1))
                window = fit_window(clip, length, shift)
                peak = float(np.abs(window).max()) or 1.0
                window *= 10.0 ** (rng.uniform(*GAIN_DB) / 20.0) / peak * 0.9
                if noise > 0:
                    window += rng.standard_normal(length).astype(np.float32) * (noise * rng.uniform() * 0.9)
                x[i] = window_features(window, settings)
                labels[i], voices[i] = label, v
                i += 1
    return x, labels, voices


def load_spoken_digits(options: dict[str, Any]) -> RawDataset:
    opts = parse_options(options)
    settings: FeatureSettings = opts["settings"]
    folder = ensure_clips(opts["per_voice"])
    key = digest({"generation": GENERATION, "voices": VOICES, "per_voice": opts["per_voice"], "noise": opts["noise"],
                  "seed": opts["seed"], "features": settings.key()})
    cache = folder / f"features-{key}.npz"
    arrays = load_features(cache, ("x", "y", "voice"))
    if arrays is None:
        x, y, voice = _features(folder, opts["per_voice"], opts["noise"], opts["seed"], settings)
        try:
            save_features(cache, {"x": x, "y": y, "voice": voice})
        except OSError:
            pass
    else:
        x, y, voice = arrays["x"], arrays["y"], arrays["voice"]
    val = voice >= len(VOICES) - opts["held_out_voices"]
    held = ", ".join(VOICES[len(VOICES) - opts["held_out_voices"]:])
    return sound_dataset("spoken_digits", x[~val], y[~val], list(WORDS), x[val], y[val],
                         notes=f"validation: voices {held} (held out of training)")
