"""Draw the app icons: a white dumbbell on the brand teal. Standard library only.

Run from anywhere; writes next to this file:

    python static/icons/make_icons.py

- ``icon-192.png``, ``icon-512.png``: purpose "any", a rounded square (transparent corners).
- ``icon-maskable-512.png``: full-bleed background, the glyph inside the central 80% safe zone.
- ``apple-touch-icon.png``: 180x180, opaque and full-bleed (iOS rounds the corners itself).
- ``favicon.svg``: the same drawing as vector.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
BRAND = (0x0F, 0x76, 0x6E)
WHITE = (0xFF, 0xFF, 0xFF)

# The dumbbell in units of the icon's side, centred on (0, 0), mirrored left/right:
# (centre x, centre y, half width, half height, corner radius).
GLYPH = [
    (0.0, 0.0, 0.345, 0.042, 0.02),  # the bar, through both collars
    (0.20, 0.0, 0.045, 0.22, 0.035),  # inner (big) plates
    (-0.20, 0.0, 0.045, 0.22, 0.035),
    (0.29, 0.0, 0.035, 0.15, 0.03),  # outer (small) plates
    (-0.29, 0.0, 0.035, 0.15, 0.03),
]
ANY_SCALE = 1.0  # glyph spans 69% of the side on the rounded-square icons
MASKABLE_SCALE = 0.8  # furthest corner at ~0.30 of the side from the centre: inside the 0.40 safe circle
BACKGROUND_RADIUS = 0.2  # corner radius of the "any" icons' rounded square


def rounded_box_distance(px: float, py: float, box: tuple[float, float, float, float, float]) -> float:
    """Signed distance from a point to a rounded rectangle (negative inside)."""
    cx, cy, hw, hh, r = box
    qx = abs(px - cx) - (hw - r)
    qy = abs(py - cy) - (hh - r)
    outside = (max(qx, 0.0) ** 2 + max(qy, 0.0) ** 2) ** 0.5
    return outside + min(max(qx, qy), 0.0) - r


def coverage(distance: float, size: int) -> float:
    """Anti-aliased coverage of a pixel whose centre lies ``distance`` (icon units) from an edge."""
    return min(max(0.5 - distance * size, 0.0), 1.0)


def draw(size: int, *, glyph_scale: float, full_bleed: bool) -> list[bytearray]:
    shapes = [tuple(v * glyph_scale for v in box) for box in GLYPH]
    background = (0.0, 0.0, 0.5, 0.5, BACKGROUND_RADIUS)
    rows = []
    for j in range(size):
        y = (j + 0.5) / size - 0.5
        row = bytearray()
        for i in range(size):
            x = (i + 0.5) / size - 0.5
            ink = max(coverage(rounded_box_distance(x, y, s), size) for s in shapes)
            alpha = 1.0 if full_bleed else coverage(rounded_box_distance(x, y, background), size)
            rgb = [round(b + (w - b) * ink) for b, w in zip(BRAND, WHITE)]
            if full_bleed:
                row += bytes(rgb)
            else:
                row += bytes([*rgb, round(alpha * 255)])
        rows.append(row)
    return rows


def png(rows: list[bytearray], size: int, *, alpha: bool) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    colour_type = 6 if alpha else 2  # RGBA or RGB, 8 bits per channel
    header = struct.pack(">IIBBBBB", size, size, 8, colour_type, 0, 0, 0)
    raw = b"".join(b"\x00" + bytes(row) for row in rows)  # filter type 0 on every scanline
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def svg() -> str:
    def rect(box: tuple[float, float, float, float, float]) -> str:
        cx, cy, hw, hh, r = (v * 64 for v in box)
        return f'<rect x="{cx - hw + 32:g}" y="{cy - hh + 32:g}" width="{2 * hw:g}" height="{2 * hh:g}" rx="{r:g}"/>'

    hex_brand = "#" + bytes(BRAND).hex()
    body = "".join(rect(box) for box in GLYPH)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="{BACKGROUND_RADIUS * 64:g}" fill="{hex_brand}"/>'
        f'<g fill="#fff">{body}</g></svg>\n'
    )


def main() -> None:
    targets = [
        ("icon-192.png", 192, ANY_SCALE, False),
        ("icon-512.png", 512, ANY_SCALE, False),
        ("icon-maskable-512.png", 512, MASKABLE_SCALE, True),
        ("apple-touch-icon.png", 180, MASKABLE_SCALE, True),
    ]
    for name, size, scale, full_bleed in targets:
        data = png(draw(size, glyph_scale=scale, full_bleed=full_bleed), size, alpha=not full_bleed)
        (HERE / name).write_bytes(data)
        print(f"{name}: {size}x{size}, {len(data)} bytes")
    (HERE / "favicon.svg").write_text(svg())
    print("favicon.svg")


if __name__ == "__main__":
    main()
