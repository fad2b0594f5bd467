"""Image files for tests of what users hand Studio: pictures of any size, written fast and small."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def write_bilevel_png(path: Path, width: int, height: int) -> Path:
    """A valid 1-bit greyscale PNG of any size, compressed row by row.

    20000x20000 takes ~0.15 s and ~50 kB on disk (decoded it would be 400 MB as grey, 1.2 GB as
    RGB), so a test can hand Studio a real oversized picture without making one in memory.
    """
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits, all black
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path
