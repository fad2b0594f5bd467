"""No speech in, no text out: silence, low noise and a pure tone report "no speech", fast.

Whisper alone turns 20 minutes of silence into pages of invented text and a 2 s tone into "I'm
sorry..."; the voice-activity gate in front of every engine must stop that, without costing the
real speech anything (the espeak-ng sentences keep their word error rate).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pytest
from speech_check import TEST_SENTENCES as SENTENCES
from speech_check import word_error_rate as wer

from studio.core.audio.recognizers import create_recognizer
from studio.core.audio.sampling import resample
from studio.core.audio.streaming import StreamingTranscriber
from studio.core.audio.vad import speech_regions
from studio.core.audio.wav import load_wav, save_wav

RATE = 16000


def studio(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "studio", "transcribe", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def tone(seconds=2.0, hz=440.0, amplitude=0.5, rate=RATE):
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def low_noise(seconds, level=0.003, seed=0):
    """White noise at about -50 dBFS: a quiet room through a cheap microphone."""
    return (level * np.random.default_rng(seed).standard_normal(int(seconds * RATE))).astype(np.float32)


def speech_16k(path):
    w = load_wav(path)
    return resample(w.mono(), w.rate, RATE)


def test_a_pure_tone_is_no_speech_through_the_cli(whisper, tmp_path):
    wav = save_wav(tmp_path / "tone.wav", tone(), RATE)
    out = studio(wav, "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["no_speech"] is True
    assert doc["text"] == "" and doc["segments"] == []
    human = studio(wav)
    assert human.returncode == 0, human.stderr
    assert "no speech found" in human.stdout and "sorry" not in human.stdout.lower()


def test_minutes_of_digital_silence_are_no_speech_in_seconds(whisper, tmp_path):
    minutes = 3
    wav = save_wav(tmp_path / "silence.wav", np.zeros(minutes * 60 * RATE, np.float32), RATE)
    started = time.perf_counter()
    out = studio(wav, "--json")
    wall = time.perf_counter() - started
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["no_speech"] is True and doc["text"] == "" and doc["segments"] == []
    assert doc["audio_seconds"] == pytest.approx(minutes * 60)
    # decoding nothing: the gate itself takes a fraction of a second for minutes of audio
    assert doc["compute_seconds"] < 2.0, doc
    # the whole command (Python, model load, reading 3 minutes of WAV) stays far under real time
    assert wall < 0.2 * minutes * 60, wall


def test_minutes_of_low_noise_are_no_speech_well_under_real_time(whisper, tmp_path):
    seconds = 120
    wav = save_wav(tmp_path / "noise.wav", low_noise(seconds), RATE)
    out = studio(wav, "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["no_speech"] is True and doc["text"] == "", doc["text"][:200]
    assert doc["speech_seconds"] == 0
    assert doc["compute_seconds"] < 0.1 * seconds, doc


def test_speech_between_long_silences_keeps_its_words_and_its_times(whisper, speech_dir):
    """Only the speech is decoded, and its segments are placed back on the file's own timeline."""
    speech = speech_16k(speech_dir / "s0.wav")
    gap = np.zeros(20 * RATE, np.float32)
    clip = np.concatenate([gap, speech, gap, low_noise(10, seed=1)])
    result = whisper.transcribe(clip, "en")
    assert not result.no_speech
    assert wer(SENTENCES[0], result.text) <= 0.2, result.text
    assert result.segments[0].start == pytest.approx(20.0, abs=0.8)
    assert result.segments[-1].end == pytest.approx(20.0 + speech.shape[0] / RATE, abs=1.0)
    assert result.speech_seconds < speech.shape[0] / RATE + 2.0
    assert result.audio_seconds == pytest.approx(clip.shape[0] / RATE)
    alone = whisper.transcribe(speech, "en")
    assert result.text == alone.text
    # 50 s of audio, of which only the sentence was decoded: far under real time even on a busy machine
    assert result.compute_seconds < 0.25 * result.audio_seconds


def test_the_gate_finds_speech_and_nothing_else(speech_dir):
    speech = speech_16k(speech_dir / "s1.wav")
    assert speech_regions(np.zeros(10 * RATE, np.float32)) == []
    assert speech_regions(tone(hz=440.0)) == []
    assert speech_regions(tone(hz=1000.0, amplitude=0.9)) == []
    assert speech_regions(low_noise(30)) == []
    regions = speech_regions(np.concatenate([np.zeros(5 * RATE, np.float32), speech]))
    assert len(regions) == 1
    start, end = regions[0]
    assert 4.0 * RATE < start <= 5.0 * RATE and end >= 5 * RATE + 0.9 * speech.shape[0]


def test_pocketsphinx_goes_through_the_same_gate(speech_dir):
    sphinx = create_recognizer("pocketsphinx")
    for quiet in (tone(), np.zeros(30 * RATE, np.float32), low_noise(30)):
        started = time.perf_counter()
        result = sphinx.transcribe(quiet, "en")
        assert result.no_speech and result.text == "" and result.segments == []
        assert time.perf_counter() - started < 3.0
    spoken = sphinx.transcribe(speech_16k(speech_dir / "s0.wav"), "en")
    assert not spoken.no_speech and spoken.text.strip()


def test_live_transcription_gives_no_final_for_a_tone_or_noise(whisper, speech_dir):
    """The energy endpointer takes a loud tone for an utterance; the gate keeps it out of the text."""
    speech = speech_16k(speech_dir / "s1.wav")
    gap = np.zeros(RATE, np.float32)
    stream = np.concatenate([gap, tone(1.5), gap, 0.05 * low_noise(1.5, level=1.0), gap, speech, gap])
    st = StreamingTranscriber(whisper, RATE, language="en", partials=False)
    for start in range(0, stream.shape[0], RATE // 20):
        st.process(stream[start:start + RATE // 20])
    events = st.poll()
    assert not [e for e in events if e.kind == "error"], events
    finals = [e for e in events if e.kind == "final"]
    assert len(finals) == 1, [e.text for e in finals]
    assert wer(SENTENCES[1], finals[0].text) <= 0.2, finals[0].text
    assert finals[0].start > 5.0  # the sentence, not the tone or the noise burst before it
