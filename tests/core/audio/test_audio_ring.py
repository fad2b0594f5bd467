"""The ring buffer: independent cursors, exact overflow accounting, no torn reads under a live writer."""

from __future__ import annotations

import threading
import time

import numpy as np

from studio.core.audio.levels import LevelMeter
from studio.core.audio.ring import RingBuffer


def ramp(start, n, channels=1):
    return np.arange(start, start + n, dtype=np.float32)[:, None].repeat(channels, axis=1)


def test_readers_have_their_own_cursors():
    ring = RingBuffer(100)
    a = ring.reader()
    ring.write(ramp(0, 30))
    b = ring.reader()
    ring.write(ramp(30, 20))
    np.testing.assert_array_equal(a.read()[:, 0], np.arange(50))
    np.testing.assert_array_equal(b.read()[:, 0], np.arange(30, 50))
    assert a.read().shape == (0, 1)
    assert a.lost == b.lost == 0


def test_a_reader_that_falls_a_ring_behind_loses_exactly_the_overwritten_frames():
    ring = RingBuffer(64)
    slow = ring.reader()
    for start in range(0, 200, 10):
        ring.write(ramp(start, 10))
    got = slow.read()[:, 0]
    assert slow.lost == 200 - 64
    np.testing.assert_array_equal(got, np.arange(200 - 64, 200))


def test_block_larger_than_the_ring_keeps_its_newest_part():
    ring = RingBuffer(16)
    r = ring.reader()
    ring.write(ramp(0, 40))
    assert ring.written == 40
    np.testing.assert_array_equal(r.read()[:, 0], np.arange(24, 40))
    assert r.lost == 24


def test_latest_gives_the_newest_frames_for_a_scrolling_view():
    ring = RingBuffer(50, channels=2)
    ring.write(ramp(0, 30, 2))
    ring.write(ramp(30, 40, 2))  # wraps around
    np.testing.assert_array_equal(ring.latest(10)[:, 1], np.arange(60, 70))
    assert ring.latest(500).shape == (50, 2)


def test_driver_overflows_are_counted():
    ring = RingBuffer(10)
    ring.write(ramp(0, 4), overflowed=True)
    ring.write(ramp(4, 4))
    ring.write(ramp(8, 4), overflowed=True)
    assert ring.overflows == 2 and ring.blocks == 3


def test_concurrent_writer_and_reader_see_every_frame_once_or_count_it_lost():
    ring = RingBuffer(4096)
    reader = ring.reader()
    total = 256 * 1500
    received = []
    done = threading.Event()

    def write():
        for start in range(0, total, 256):
            ring.write(ramp(start, 256))
            if start % 4096 == 0:
                time.sleep(0)  # let the reader in now and then, as a sound card's pace would
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    while not done.is_set() or reader.available():
        block = reader.read(1000)
        if block.shape[0]:
            received.append(block[:, 0])
    writer.join()
    got = np.concatenate(received)
    # every frame delivered is intact and in order; anything missing was reported as lost
    assert np.all(np.diff(got) > 0)
    assert got.shape[0] + reader.lost == total
    assert got[-1] == total - 1
    assert np.array_equal(got, np.round(got))  # no half-written (torn) values


def test_level_meter_sees_peaks_between_polls_and_holds_the_clip_light():
    now = [0.0]
    ring = RingBuffer(48000)
    meter = LevelMeter(ring, hold_s=1.0, clock=lambda: now[0])
    quiet = np.full((4800, 1), 0.1, np.float32)
    ring.write(quiet)
    block = quiet.copy()
    block[100] = 1.0  # one clipped sample among many quiet ones
    ring.write(block)
    ring.write(quiet)
    levels = meter.poll()
    assert levels.peak == 1.0 and levels.clipping and levels.clipped_samples == 1
    assert levels.rms_db < -19  # mostly 0.1 = -20 dB
    now[0] = 0.5
    ring.write(quiet)
    assert meter.poll().clipping  # still lit within the hold time
    now[0] = 1.6
    ring.write(quiet)
    later = meter.poll()
    assert not later.clipping
    assert later.peak == np.float32(0.1) and later.clipped_samples == 1
