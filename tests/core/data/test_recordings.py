"""Recordings become a sound_folder data set: ROOT/LABEL/NNN.wav, numbered, never overwritten."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from studio.core.audio.wav import load_wav, save_wav
from studio.core.data import recordings
from studio.core.errors import UserError

RATE = 16000


def clip(seconds: float = 0.3, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_clips_are_numbered_in_their_class_folder(tmp_path):
    paths = [recordings.save_recording(tmp_path, "sim", clip(), RATE) for _ in range(3)]
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["sim/001.wav", "sim/002.wav", "sim/003.wav"]
    wav = load_wav(paths[0])
    assert wav.encoding == "pcm16" and wav.rate == RATE and wav.samples.shape == (clip().shape[0], 1)
    assert np.abs(wav.samples[:, 0] - clip()).max() < 1e-4
    assert recordings.class_counts(tmp_path) == {"sim": 3}


def test_an_existing_file_is_never_overwritten(tmp_path):
    folder = tmp_path / "sim"
    folder.mkdir()
    save_wav(folder / "001.wav", clip(freq=100.0), RATE)
    save_wav(folder / "007.wav", clip(freq=200.0), RATE)
    (folder / "take.wav").write_bytes((folder / "001.wav").read_bytes())
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    path = recordings.save_recording(tmp_path, "sim", clip(), RATE)
    assert path.name == "008.wav", "after the highest number, not in a gap"
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "008.wav"} == before
    assert recordings.class_counts(tmp_path) == {"sim": 4}


def test_a_number_taken_meanwhile_is_skipped(tmp_path, monkeypatch):
    folder = tmp_path / "sim"
    folder.mkdir()
    (folder / "001.wav").write_bytes(b"someone else's")
    monkeypatch.setattr(recordings, "next_number", lambda _folder: 1)  # as if it appeared after the look
    path = recordings.save_recording(tmp_path, "sim", clip(), RATE)
    assert path.name == "002.wav" and (folder / "001.wav").read_bytes() == b"someone else's"


def test_accented_labels_work_on_disk(tmp_path):
    decomposed = unicodedata.normalize("NFD", "não")
    assert decomposed != "não"
    a = recordings.save_recording(tmp_path, "não", clip(), RATE)
    b = recordings.save_recording(tmp_path, f"  {decomposed} ", clip(), RATE)
    assert a.parent == b.parent and a.parent.name == "não" and b.name == "002.wav"
    recordings.save_recording(tmp_path, "sim", clip(), RATE)
    assert recordings.class_counts(tmp_path) == {"não": 2, "sim": 1}
    assert load_wav(tmp_path / "não" / "001.wav").rate == RATE


@pytest.mark.parametrize("label", ["../x", "..", ".", ".hidden", "a/b", "a\\b", "", "   ", "x\0y", "tab\there",
                                   "what?", "con", "trailing.", "x" * 65])
def test_bad_labels_are_refused(tmp_path, label):
    with pytest.raises(UserError) as info:
        recordings.save_recording(tmp_path / "root", label, clip(), RATE)
    assert info.value.fix
    assert not (tmp_path / "x").exists() and not (tmp_path / "root").exists(), "nothing written anywhere"


def test_empty_clip_and_bad_root(tmp_path):
    with pytest.raises(UserError, match="empty"):
        recordings.save_recording(tmp_path, "sim", np.zeros(0, np.float32), RATE)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserError, match="not a folder"):
        recordings.save_recording(tmp_path / "file", "sim", clip(), RATE)


def test_dataset_problem_and_section(tmp_path):
    assert "at least 2" in recordings.dataset_problem(tmp_path)
    recordings.save_recording(tmp_path, "sim", clip(), RATE)
    assert "at least 2" in recordings.dataset_problem(tmp_path)
    (tmp_path / "não").mkdir()
    assert "não" in recordings.dataset_problem(tmp_path)
    recordings.save_recording(tmp_path, "não", clip(), RATE)
    assert recordings.dataset_problem(tmp_path) is None
    current = {"dataset": "sound_folder", "options": {"root": "/old", "seconds": 0.5}, "val_fraction": 0.3}
    assert recordings.dataset_section(tmp_path, current) == {
        "dataset": "sound_folder", "options": {"root": str(tmp_path), "seconds": 0.5}, "val_fraction": 0.3}
    assert recordings.dataset_section(tmp_path, {"dataset": "digits", "options": {"x": 1}})["options"] == {
        "root": str(tmp_path)}


def test_saved_recordings_load_as_a_sound_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_CACHE_DIR", str(tmp_path / "cache"))
    from studio.core.data.sound import load_sound_folder

    root = tmp_path / "rec"
    for i in range(3):
        recordings.save_recording(root, "sim", clip(freq=300.0 + 10 * i), RATE)
        recordings.save_recording(root, "não", clip(freq=2000.0 + 10 * i), RATE)
    raw = load_sound_folder(recordings.dataset_section(root)["options"])
    assert raw.class_names == ["não", "sim"] and raw.x.shape[0] == 6
