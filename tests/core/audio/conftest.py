"""Audio test fixtures: espeak-ng speech and one shared Whisper model (the virtual microphone,
`virtual_mic`, is the suite's, in tests/conftest.py).

Downloads are switched off for the whole session: nothing here may touch the network.
"""

from __future__ import annotations

import os

import pytest

os.environ["STUDIO_OFFLINE"] = "1"


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory):
    """espeak-ng renderings of TEST_SENTENCES as WAV files (made once per session)."""
    import virtual_mic as vm
    from speech_check import TEST_SENTENCES

    if "espeak-ng" in vm.missing_tools():
        pytest.skip("needs espeak-ng (apt-get install espeak-ng)")
    folder = tmp_path_factory.mktemp("speech")
    for i, sentence in enumerate(TEST_SENTENCES):
        vm.speech_wav(sentence, folder / f"s{i}.wav")
    return folder


@pytest.fixture(scope="session")
def whisper():
    """One Whisper-base recognizer for the session (loading it costs ~0.5 s and 150 MB)."""
    from studio.core.audio.recognizers import get_engine_class

    cls = get_engine_class("whisper")
    reason = cls.unavailable_reason(offline_only=True)
    if reason:
        pytest.skip(f"Whisper unavailable: {reason}")
    return cls(cpu_threads=2)
