"""Live transcription: utterances cut by the VAD, partial then final text, from the real mic."""

from __future__ import annotations

import time

import numpy as np
import pytest
from speech_check import TEST_SENTENCES as SENTENCES
from speech_check import word_error_rate as wer

from studio.core.audio.capture import Capture
from studio.core.audio.streaming import StreamingTranscriber
from studio.core.audio.wav import load_wav


def test_two_utterances_separated_by_silence_give_two_finals(whisper, speech_dir):
    """Fed a file-made stream (speech, 1 s silence, speech), the endpointer emits one final each."""
    parts = [load_wav(speech_dir / f"s{i}.wav") for i in range(2)]
    rate = parts[0].rate
    gap = np.zeros(rate, np.float32)
    stream = np.concatenate([gap, parts[0].mono(), gap, parts[1].mono(), gap])
    st = StreamingTranscriber(whisper, rate, language="en", partials=False)
    for start in range(0, stream.shape[0], rate // 20):  # 50 ms blocks, as a capture would deliver
        st.process(stream[start:start + rate // 20])
    finals = [e for e in st.poll() if e.kind == "final"]
    assert len(finals) == 2
    for event, sentence in zip(finals, SENTENCES, strict=True):
        assert wer(sentence, event.text) <= 0.2, event.text
    first_len = parts[0].seconds
    assert finals[0].start == pytest.approx(1.0, abs=0.4)
    assert finals[0].end == pytest.approx(1.0 + first_len, abs=0.5)
    assert finals[1].start > finals[0].end


@pytest.mark.mic
def test_live_microphone_gives_partial_then_final_text(virtual_mic, whisper, speech_dir):
    cap = Capture(rate=16000).start()
    st = None
    try:
        deadline = time.monotonic() + 10
        while cap.ring.written == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        st = StreamingTranscriber(whisper, cap.rate, language="en", partial_interval_s=0.4).start(cap.ring)
        virtual_mic.play(speech_dir / "s1.wav")
        spoken_at = time.monotonic()
        events = []
        while not any(e.kind == "final" for e in events) and time.monotonic() - spoken_at < 15:
            events += st.poll()
            time.sleep(0.03)
        final_wait = time.monotonic() - spoken_at
    finally:
        if st is not None:
            st.stop()
        cap.stop()
    kinds = [e.kind for e in events]
    assert "error" not in kinds
    assert "final" in kinds, kinds
    final = next(e for e in events if e.kind == "final")
    assert wer(SENTENCES[1], final.text) <= 0.2, final.text
    assert final.latency_s is not None and 0.4 < final.latency_s < 6.0
    assert final_wait < 8.0
    assert cap.overflows == 0 and st.lost_frames == 0
