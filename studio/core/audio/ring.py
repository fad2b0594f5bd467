"""A preallocated ring of audio frames: one writer (the PortAudio callback), many readers.

The callback must never wait, allocate buffers or touch a lock a slow reader might hold, or the
sound card drops input. So the writer only copies into a fixed array and then bumps a frame counter;
each reader (scrolling waveform, level meter, recorder, recognizer) keeps its own cursor and copies
out what is new. A reader that falls more than a ring behind loses the oldest frames and is told how
many (`RingReader.lost`), instead of slowing the writer down. Writes and reads need no lock: the
counter is only ever advanced after the data is in place, and a reader re-checks it after copying to
discard anything the writer overwrote meanwhile (a sequence-lock pattern).
"""

from __future__ import annotations

import numpy as np


class RingBuffer:
    def __init__(self, capacity_frames: int, channels: int = 1, dtype: np.dtype | str = np.float32):
        if capacity_frames < 1 or channels < 1:
            raise ValueError("a ring needs at least one frame and one channel")
        self._buf = np.zeros((int(capacity_frames), int(channels)), dtype=dtype)
        self.capacity = int(capacity_frames)
        self.channels = int(channels)
        self._written = 0
        self._pending = 0
        self.overflows = 0
        """Input overflows the audio driver reported (frames the card dropped before we saw them)."""
        self.blocks = 0

    @property
    def written(self) -> int:
        """Frames written since the ring was created (a monotonic position, not an index)."""
        return self._written

    def write(self, block: np.ndarray, overflowed: bool = False) -> None:
        """Copy `block` (frames, channels) in. Real-time safe: no allocation beyond array views."""
        if overflowed:
            self.overflows += 1
        n = block.shape[0]
        cap = self.capacity
        if n > cap:  # only the newest ring-full survives; older frames count as written-and-lost
            self._pending = cap
            self._written += n - cap
            block = block[n - cap:]
            n = cap
        self._pending = n
        start = self._written % cap
        first = min(n, cap - start)
        if block.ndim == 1:
            self._buf[start:start + first, 0] = block[:first]
            if first < n:
                self._buf[: n - first, 0] = block[first:]
        else:
            self._buf[start:start + first] = block[:first]
            if first < n:
                self._buf[: n - first] = block[first:]
        self._written += n
        self._pending = 0
        self.blocks += 1

    def _copy(self, start: int, stop: int) -> np.ndarray:
        cap = self.capacity
        n = stop - start
        out = np.empty((n, self.channels), dtype=self._buf.dtype)
        a = start % cap
        first = min(n, cap - a)
        out[:first] = self._buf[a:a + first]
        if first < n:
            out[first:] = self._buf[: n - first]
        return out

    def latest(self, frames: int) -> np.ndarray:
        """A copy of the newest `frames` frames (fewer at the start): what a scrolling view draws."""
        stop = self._written
        start = max(0, stop - min(int(frames), self.capacity))
        out = self._copy(start, stop)
        torn = stop + self._pending - self.capacity - start
        if torn > 0:  # the writer reached into what we copied: hand back only intact frames
            out = out[torn:]
        return out

    def reader(self, from_start: bool = False) -> RingReader:
        """A new cursor: at the current end (only future audio) or at the oldest frame still held."""
        return RingReader(self, 0 if from_start else self._written)


class RingReader:
    """One consumer's cursor into a `RingBuffer`."""

    def __init__(self, ring: RingBuffer, position: int):
        self.ring = ring
        self.position = max(position, ring.written - ring.capacity)
        self.lost = 0
        """Frames that were overwritten before this reader got to them."""

    def available(self) -> int:
        return min(self.ring.written - self.position, self.ring.capacity)

    def read(self, max_frames: int | None = None) -> np.ndarray:
        """Copy out frames not read yet (at most `max_frames`), oldest first, shape (n, channels)."""
        ring = self.ring
        stop = ring.written
        start = self.position
        if stop - start > ring.capacity:
            self.lost += stop - start - ring.capacity
            start = stop - ring.capacity
        if max_frames is not None:
            stop = min(stop, start + int(max_frames))
        out = ring._copy(start, stop)
        torn = ring.written + ring._pending - ring.capacity - start
        if torn > 0:
            torn = min(torn, out.shape[0])
            self.lost += torn
            out = out[torn:]
        self.position = stop
        return out
