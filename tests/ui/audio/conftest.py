"""Audio panel fixtures: one espeak sentence, one shared Whisper model (`virtual_mic` is in tests/conftest.py).

Downloads are off for the session (nothing may touch the network). The Whisper model is loaded
once: the panel's own recognizer reuses the same loaded model (it is cached per folder, device,
compute type and threads), so a test that transcribes pays only for the decode.
"""

from __future__ import annotations

import os

import pytest

os.environ["STUDIO_OFFLINE"] = "1"

SENTENCE_INDEX = 0
"""Which of speech_check.TEST_SENTENCES (tests/support) the tests speak."""


@pytest.fixture(scope="session")
def sentence_wav(tmp_path_factory):
    """(path, text) of one espeak-ng sentence, rendered once per session."""
    import virtual_mic as vm
    from speech_check import TEST_SENTENCES

    if "espeak-ng" in vm.missing_tools():
        pytest.skip("needs espeak-ng (apt-get install espeak-ng)")
    text = TEST_SENTENCES[SENTENCE_INDEX]
    path = vm.speech_wav(text, tmp_path_factory.mktemp("speech") / "sentence.wav")
    return path, text


@pytest.fixture(scope="session")
def whisper_loaded():
    """Load Whisper-base once (the panel's recognizer then finds it already in memory)."""
    from studio.core.audio.recognizers import get_engine_class
    from studio.core.audio.recognizers.whisper import default_cpu_threads

    cls = get_engine_class("whisper")
    reason = cls.unavailable_reason(offline_only=True)
    if reason:
        pytest.skip(f"Whisper unavailable: {reason}")
    return cls(cpu_threads=default_cpu_threads())


@pytest.fixture
def panel(qtbot):
    from studio.ui.panels.audio import AudioPanel
    from studio.ui.state import AppState

    widget = AudioPanel(AppState())
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    yield widget
    widget.shutdown()
