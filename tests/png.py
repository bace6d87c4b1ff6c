"""A small PNG reader (standard library only) for the browser tests' screenshots.

It reads what a browser writes: 8-bit RGB or RGBA, not interlaced, with the five PNG filters.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

__all__ = ["Image", "read_png"]

SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Image:
    """Pixels as rows of (r, g, b) tuples."""

    def __init__(self, width: int, height: int, rows: list[list[tuple[int, int, int]]]) -> None:
        self.width = width
        self.height = height
        self.rows = rows

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        return self.rows[y][x]

    def count(self, near: tuple[int, int, int], box: tuple[int, int, int, int] | None = None, within: int = 24) -> int:
        """How many pixels (inside ``box`` = left, top, right, bottom) are within ``within`` of ``near``."""
        left, top, right, bottom = box or (0, 0, self.width, self.height)
        found = 0
        for y in range(max(0, top), min(bottom, self.height)):
            row = self.rows[y]
            for x in range(max(0, left), min(right, self.width)):
                r, g, b = row[x]
                if abs(r - near[0]) <= within and abs(g - near[1]) <= within and abs(b - near[2]) <= within:
                    found += 1
        return found

    def not_white(self, box: tuple[int, int, int, int] | None = None) -> int:
        """How many pixels (inside ``box``) are not close to white."""
        left, top, right, bottom = box or (0, 0, self.width, self.height)
        return sum(
            1
            for y in range(max(0, top), min(bottom, self.height))
            for r, g, b in self.rows[y][max(0, left) : min(right, self.width)]
            if min(r, g, b) < 235
        )


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path: Path) -> Image:
    """Decode an 8-bit RGB or RGBA PNG file."""
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    at = len(SIGNATURE)
    chunks = []
    width = height = depth = colour = interlace = 0
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        at += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * step
    previous = bytearray(stride)
    rows = []
    pos = 0
    for _ in range(height):
        kind = raw[pos]
        line = bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        rows.append([(line[i], line[i + 1], line[i + 2]) for i in range(0, stride, step)])
        previous = line
    return Image(width, height, rows)
