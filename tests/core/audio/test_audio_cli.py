"""`studio transcribe`: the JSON contract, one-line errors, and the microphone path."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest
from speech_check import TEST_SENTENCES as SENTENCES
from speech_check import word_error_rate as wer


def studio(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "studio", "transcribe", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def test_transcribe_wav_json_contract(whisper, speech_dir):
    out = studio(speech_dir / "s1.wav", "--json", "--language", "en")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["engine"] == "whisper"
    assert wer(SENTENCES[1], doc["text"]) <= 0.2
    assert doc["segments"] and set(doc["segments"][0]) == {"start", "end", "text"}
    assert 0 < doc["rtf"] < 5


def test_pocketsphinx_engine_human_output(speech_dir):
    out = studio(speech_dir / "s0.wav", "--engine", "pocketsphinx")
    assert out.returncode == 0, out.stderr
    assert "->" in out.stdout and "real-time factor" in out.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["missing.wav"], "missing.wav: no such file"),
    ([], "nothing to transcribe"),
    (["--mic"], "--mic needs --seconds S"),
    (["x.wav", "--seconds", "2"], "--seconds only applies to --mic"),
])
def test_user_mistakes_are_one_line_errors(args, message, tmp_path):
    out = subprocess.run([sys.executable, "-m", "studio", "transcribe", *args], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert out.returncode == 1
    assert message in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_text_file_named_wav_is_refused_clearly(tmp_path):
    fake = tmp_path / "notes.wav"
    fake.write_text("these are my notes")
    out = studio(fake)
    assert out.returncode == 1 and "notes.wav: not a readable WAV file" in out.stderr


@pytest.mark.mic
@pytest.mark.slow
def test_transcribe_from_the_microphone(virtual_mic, whisper, speech_dir, tmp_path):
    saved = tmp_path / "mic.wav"

    def speak_when_listening():
        virtual_mic.wait_for_listener()
        time.sleep(2.5)  # PortAudio through PulseAudio takes a moment to deliver its first block
        virtual_mic.play(speech_dir / "s0.wav")

    speaker = threading.Thread(target=speak_when_listening)
    speaker.start()
    out = studio("--mic", "--seconds", "6", "--language", "en", "--json", "--save", saved)
    speaker.join()
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert wer(SENTENCES[0], doc["text"]) <= 0.2, doc["text"]
    assert doc["audio_seconds"] == pytest.approx(6.0, abs=0.01)
    assert saved.stat().st_size > 6 * 16000
