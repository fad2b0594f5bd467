"""WAV files: 16-bit PCM and float32 round trips; every broken or odd file gives a clear UserError."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from studio.core.audio.signals import tone
from studio.core.audio.wav import load_wav, save_wav
from studio.core.errors import UserError


def test_pcm16_round_trip_within_half_a_code(tmp_path):
    x = np.random.default_rng(0).uniform(-1, 0.999, (4410, 2)).astype(np.float32)
    path = save_wav(tmp_path / "a.wav", x, 44100)
    w = load_wav(path)
    assert (w.rate, w.encoding, w.channels) == (44100, "pcm16", 2)
    assert w.samples.shape == x.shape
    assert np.max(np.abs(w.samples - x)) <= 0.5 / 32768 + 1e-7


def test_float32_round_trip_is_bit_exact(tmp_path):
    x = tone(440, 0.1, 48000, amplitude=0.3)
    w = load_wav(save_wav(tmp_path / "f.wav", x, 48000, "float32"))
    assert w.encoding == "float32"
    np.testing.assert_array_equal(w.mono(), x)


def test_pcm16_clips_out_of_range_values(tmp_path):
    w = load_wav(save_wav(tmp_path / "c.wav", np.array([2.0, -2.0, 0.0], np.float32), 8000))
    np.testing.assert_allclose(w.mono(), [32767 / 32768, -1.0, 0.0])


@pytest.mark.skipif(shutil.which("sox") is None, reason="needs sox to write other encodings")
def test_files_written_by_sox_are_read(tmp_path):
    src = save_wav(tmp_path / "src.wav", tone(1000, 0.05, 16000, 0.5), 16000)
    for bits, enc in ((24, "signed-integer"), (8, "unsigned-integer"), (32, "floating-point")):
        out = tmp_path / f"b{bits}{enc[0]}.wav"
        subprocess.run(["sox", "-D", str(src), "-b", str(bits), "-e", enc, str(out)], check=True)
        np.testing.assert_allclose(load_wav(out).mono(), load_wav(src).mono(), atol=0.51 / 128 if bits == 8 else 1e-4)  # -D: no dither


@pytest.mark.skipif(shutil.which("sox") is None, reason="needs sox to write a mu-law file")
def test_unsupported_encoding_names_it(tmp_path):
    src = save_wav(tmp_path / "src.wav", tone(1000, 0.05, 8000), 8000)
    out = tmp_path / "mulaw.wav"
    subprocess.run(["sox", str(src), "-e", "mu-law", str(out)], check=True)
    with pytest.raises(UserError, match=r"mulaw\.wav: unsupported WAV encoding") as err:
        load_wav(out)
    assert "16-bit PCM" in err.value.one_line()


@pytest.mark.parametrize(("content", "what"), [
    (b"", "no RIFF/WAVE header"),
    (b"ID3\x03 this is an mp3", "no RIFF/WAVE header"),
    (b"RIFF\x10\x00\x00\x00WAVEdata\x00\x00\x00\x00", "no fmt chunk"),
])
def test_not_a_wav_file(tmp_path, content, what):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(UserError, match="not a readable WAV file") as err:
        load_wav(path)
    assert what in err.value.message and str(path) in err.value.message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        load_wav(tmp_path / "nope.wav")
    with pytest.raises(UserError, match="is a folder"):
        load_wav(tmp_path)


def test_truncated_file_keeps_the_whole_frames_it_has(tmp_path):
    path = save_wav(tmp_path / "t.wav", tone(440, 0.1, 8000, 0.5), 8000)
    data = path.read_bytes()
    path.write_bytes(data[:-101])
    w = load_wav(path)
    assert w.samples.shape[0] == (len(data) - 44 - 101) // 2


def test_saving_in_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(UserError, match="cannot save WAV as 'mp3'"):
        save_wav(tmp_path / "x.wav", np.zeros(10), 8000, "mp3")
    assert not (tmp_path / "x.wav").exists()
