"""`sound_folder`: WAV files per class become cached features; bad folders are named with a fix.
Also `features_for`, the one waveform -> model input path the datasets and a "Try" view share."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.core.audio.spectrum import log_mel_spectrogram
from studio.core.audio.wav import save_wav
from studio.core.data import load_dataset, sound
from studio.core.errors import UserError


def burst(freq: float, rate: int, seconds: float = 1.5, at: float = 0.4, length: float = 0.3) -> np.ndarray:
    """A tone of `length` s starting `at` s into `seconds` of quiet."""
    t = np.arange(int(seconds * rate)) / rate
    x = 0.5 * np.sin(2 * np.pi * freq * t) * ((t >= at) & (t < at + length))
    return (x + 1e-4 * np.random.default_rng(int(freq)).standard_normal(t.size)).astype(np.float32)


@pytest.fixture
def cache(monkeypatch, tmp_path) -> Path:
    monkeypatch.setenv("STUDIO_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def make_folder(root: Path, per_class: int = 3) -> Path:
    for cls, freq in (("high", 3000.0), ("low", 300.0)):
        (root / cls).mkdir(parents=True)
        for i in range(per_class):
            rate = (16000, 22050, 48000)[i % 3]
            x = burst(freq * (1 + 0.05 * i), rate)
            save_wav(root / cls / f"{cls}{i}.wav", np.stack([x, x], 1) if i == 2 else x, rate)
    return root


def test_a_folder_of_wav_files_loads_as_features_of_the_audio_lab(tmp_path, cache):
    root = make_folder(tmp_path / "sounds")
    bundle = load_dataset({"dataset": "sound_folder", "options": {"root": str(root)}, "val_fraction": 0.34})
    assert bundle.class_names == ["high", "low"]
    assert bundle.input_shape == (80, 101) and bundle.input_kind == "sequence"
    assert bundle.n_train + bundle.n_val == 6 and bundle.num_classes == 2
    raw = sound.load_sound_folder({"root": str(root)})
    # each example is features_for of its file: 16 kHz, mono, the log-mel the Audio lab draws
    from studio.core.audio.wav import load_wav

    wav = load_wav(root / "low" / "low2.wav")  # 48 kHz stereo
    assert np.allclose(raw.x[5].numpy(), sound.features_for(wav.samples, wav.rate))
    assert raw.y["label"].tolist() == [0, 0, 0, 1, 1, 1]
    # a low tone puts its energy in low mel bands, a high one in high bands
    assert raw.x[3].numpy().mean(axis=1).argmax() < 20 < raw.x[0].numpy().mean(axis=1).argmax()
    assert len(list((cache / "sound_features").glob("*.npz"))) == 1


def test_features_are_computed_once_and_recomputed_when_a_file_changes(tmp_path, cache, monkeypatch):
    root = make_folder(tmp_path / "sounds")
    first = sound.load_sound_folder({"root": str(root)})
    calls = []
    real = sound.window_features
    monkeypatch.setattr(sound, "window_features", lambda w, s: calls.append(1) or real(w, s))
    again = sound.load_sound_folder({"root": str(root)})
    assert calls == [] and np.array_equal(first.x.numpy(), again.x.numpy())
    save_wav(root / "low" / "low0.wav", burst(500.0, 16000), 16000)
    changed = sound.load_sound_folder({"root": str(root)})
    assert len(calls) == 6
    assert not np.array_equal(changed.x[3].numpy(), first.x[3].numpy())


def test_feature_options_mfcc_and_window_length(tmp_path, cache):
    root = make_folder(tmp_path / "sounds")
    mfcc = sound.load_sound_folder({"root": str(root), "features": "mfcc"})
    assert tuple(mfcc.x.shape) == (6, 20, 101)
    half = sound.load_sound_folder({"root": str(root), "seconds": 0.5})
    assert tuple(half.x.shape) == (6, 80, 51)
    with pytest.raises(UserError, match="features='wav' is not a feature kind") as info:
        sound.load_sound_folder({"root": str(root), "features": "wav"})
    assert "logmel or mfcc" in info.value.fix


def test_features_for_uses_the_audio_lab_log_mel_centred_on_the_sound():
    x = burst(1000.0, 16000, seconds=1.0, at=0.35)
    window = sound.fit_window(x, 16000)
    expected = log_mel_spectrogram(window)
    assert np.allclose(sound.features_for(x, 16000), expected - expected.max())
    # wherever the sound lies in a longer recording, and whatever its rate and level, the model sees
    # the same picture: the sound in the middle, its loudest cell at 0
    early = sound.features_for(burst(1000.0, 48000, 3.0, at=0.2), 48000)
    late = sound.features_for(0.1 * burst(1000.0, 48000, 3.0, at=2.5), 48000)
    assert early.shape == late.shape == (80, 101) and early.max() == 0.0
    loud = np.flatnonzero(early.max(axis=0) > -3)
    assert np.abs(early - late).mean() < 0.05 and 28 <= loud.size <= 34  # 0.3 s of tone: 30 frames
    assert abs(loud.mean() - 50) <= 2
    # normalised with a run's mean and std, exactly as the dataset's tensors are
    assert np.allclose(sound.features_for(x, 16000, None, [-3.0], [2.0]), (expected - expected.max() + 3.0) / 2.0)


def test_a_word_in_room_noise_is_found_not_the_middle_of_the_recording():
    """Hiss 37 dB under the sound is within 40 dB of the loudest frame: the noise floor keeps it out."""
    rng = np.random.default_rng(0)
    x = burst(1000.0, 16000, 3.0, at=0.2) + 0.005 * rng.standard_normal(48000).astype(np.float32)
    start, end = sound.speech_span(x)
    assert abs(start / 16000 - 0.2) < 0.02 and abs(end / 16000 - 0.5) < 0.02
    feats = sound.features_for(x, 16000)
    loud = np.flatnonzero(feats.max(axis=0) > -2)
    assert abs(loud.mean() - 50) <= 2 and loud.size <= 34


def test_one_class_is_refused_by_name(tmp_path, cache):
    (tmp_path / "s" / "yes").mkdir(parents=True)
    save_wav(tmp_path / "s" / "yes" / "a.wav", burst(440.0, 16000), 16000)
    with pytest.raises(UserError, match=r"has 1 class sub-folder\(s\) \(yes\)") as info:
        load_dataset({"dataset": "sound_folder", "options": {"root": str(tmp_path / "s")}})
    assert "one sub-folder per class (at least 2)" in info.value.fix


def test_an_empty_class_is_named_with_its_folder(tmp_path, cache):
    root = make_folder(tmp_path / "s")
    (root / "maybe").mkdir()
    (root / "maybe" / "notes.txt").write_text("no sound here")
    with pytest.raises(UserError, match="class folder .*maybe holds no .wav files") as info:
        load_dataset({"dataset": "sound_folder", "options": {"root": str(root)}})
    assert "maybe/" in info.value.fix and "remove the folder" in info.value.fix


def test_an_unreadable_file_is_named_with_the_fix(tmp_path, cache):
    root = make_folder(tmp_path / "s")
    bad = root / "low" / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    with pytest.raises(UserError) as info:
        load_dataset({"dataset": "sound_folder", "options": {"root": str(root)}})
    assert str(bad) in info.value.message and "not a readable WAV file" in info.value.message
    assert "save it as WAV" in info.value.fix and "remove it from the folder" in info.value.fix


def test_a_missing_root_is_named(tmp_path, cache):
    with pytest.raises(UserError, match="needs option root"):
        load_dataset({"dataset": "sound_folder", "options": {}})
    with pytest.raises(UserError, match="is not a folder"):
        load_dataset({"dataset": "sound_folder", "options": {"root": str(tmp_path / "nowhere")}})
