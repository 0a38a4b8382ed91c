"""One-off: draws the app icons as PNGs with the standard library only (zlib), no Pillow.

Run from the repository root: `python static/icons/make_icons.py`. The PNGs are committed.
A white house with a tick (a household helped) on the app's blue; the maskable one keeps the
drawing inside the central safe circle (radius 40 %) and fills the whole square.
"""

import struct
import zlib
from pathlib import Path

BLUE = (11, 92, 173)
WHITE = (255, 255, 255)
GREEN = (46, 125, 50)
HERE = Path(__file__).resolve().parent


def _inside_house(x: float, y: float) -> str | None:
    """x, y in 0..1 of the drawing box: which part of the house the point is on."""
    # Tick mark first (drawn over the body): two thick strokes.
    if _near_segment(x, y, (0.36, 0.66), (0.46, 0.76), 0.045) or _near_segment(
        x, y, (0.46, 0.76), (0.66, 0.54), 0.045
    ):
        return "tick"
    if 0.22 <= x <= 0.78 and 0.45 <= y <= 0.88:
        return "body"
    # Roof: a triangle from (0.1, 0.5) to (0.9, 0.5) with its apex at (0.5, 0.12).
    if 0.12 <= y <= 0.5:
        half = (y - 0.12) / 0.38 * 0.4
        if abs(x - 0.5) <= half:
            return "body"
    return None


def _near_segment(x, y, a, b, width) -> bool:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= width * width


def draw(size: int, maskable: bool) -> bytes:
    rows = []
    box = 0.56 if maskable else 0.78  # share of the icon the house drawing takes
    offset = (1 - box) / 2
    radius = 0.18 * size
    for j in range(size):
        row = bytearray([0])  # filter type none
        for i in range(size):
            if not maskable and not _in_rounded_square(i + 0.5, j + 0.5, size, radius):
                row += bytes((0, 0, 0, 0))
                continue
            x = ((i + 0.5) / size - offset) / box
            y = ((j + 0.5) / size - offset) / box
            part = _inside_house(x, y) if 0 <= x <= 1 and 0 <= y <= 1 else None
            colour = {"tick": GREEN, "body": WHITE}.get(part, BLUE)
            row += bytes((*colour, 255))
        rows.append(bytes(row))
    return _png(size, size, b"".join(rows))


def _in_rounded_square(x, y, size, radius) -> bool:
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ]:
        (HERE / name).write_bytes(draw(size, maskable))
        print(name, size)
