"""The Try view's ear picks its microphone: the list shows the input devices PortAudio has (the
default chosen), Listen records from the one chosen, and a device that is gone when Listen is
pressed is said by name, the list filled afresh, the window carrying on.

Uses the spoken-digits run the sound tests share (tests/support/spoken_digits_run.py) and the
virtual microphone (PulseAudio), so the devices are real ones."""

from __future__ import annotations

import pytest
from spoken_digits_run import trained_spoken_digits

pytestmark = pytest.mark.xdist_group(name="sound")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return trained_spoken_digits(tmp_path_factory)["run_dir"]


@pytest.fixture
def view(qtbot, run_dir, virtual_mic):
    from studio.ui.try_view.view import TryView

    widget = TryView()
    qtbot.addWidget(widget)
    widget.resize(1100, 520)
    widget.show()
    qtbot.waitExposed(widget)
    widget.open_run(run_dir)
    qtbot.waitUntil(lambda: widget.predictor is not None and widget.listen.isVisible(), timeout=60_000)
    yield widget
    widget.listen.stop()
    widget.loader.wait(30)


def test_the_list_shows_the_devices_and_listen_records_from_the_one_chosen(qtbot, view):
    from studio.core.audio.capture import list_input_devices

    ear = view.listen
    devices = list_input_devices()
    if len(devices) < 2:
        pytest.skip("needs two input devices to choose between")
    assert ear.device.isVisible() and ear.device.isEnabled()
    assert ear.device.count() == len(devices)
    assert [ear.device.itemData(i) for i in range(ear.device.count())] == [(d.index, d.name) for d in devices]
    default = next(d for d in devices if d.is_default)
    assert ear.chosen_device() == (default.index, default.name)
    other = next(d for d in devices if not d.is_default)
    ear.device.setCurrentIndex([d.index for d in devices].index(other.index))

    ear.listen_button.click()
    assert ear.listening, view.error.detail.text()
    assert ear.recorder.capture.device.index == other.index and ear.recorder.capture.device.name == other.name
    assert not ear.device.isEnabled()  # not changed under a running recording
    ear.listen_button.click()
    assert not ear.listening and ear.device.isEnabled()

    ear.device.setCurrentIndex([d.index for d in devices].index(default.index))
    ear.listen_button.click()
    assert ear.listening and ear.recorder.capture.device.index == default.index
    ear.listen_button.click()


def test_a_device_gone_when_listen_is_pressed_is_said_by_name(qtbot, view, monkeypatch):
    from studio.core.audio import capture

    ear = view.listen
    devices = capture.list_input_devices()
    chosen = ear.chosen_device()
    assert chosen is not None
    left = [d for d in devices if (d.index, d.name) != chosen]
    if not left:
        pytest.skip("needs a second input device to remain")
    monkeypatch.setattr(capture, "list_input_devices", lambda rescan=False: left)  # the chosen one unplugged
    ear.listen_button.click()
    assert not ear.listening and not ear.listen_button.isChecked() and ear.listen_button.text() == "Listen"
    assert view.error.isVisible() and view.error.headline.text() == "The microphone cannot record"
    assert f"the input device “{chosen[1]}” is gone" in view.error.detail.text()
    assert [ear.device.itemData(i) for i in range(ear.device.count())] == [(d.index, d.name) for d in left]
    assert view.isVisible()
    ear.listen_button.click()  # another device is chosen now: Listen records from it
    assert ear.listening and ear.recorder.capture.device.index == ear.chosen_device()[0]
    ear.listen_button.click()
