"""Draws the SEE-1 Previs application icon: the studio sphere seen through a camera frame.

Writes ``assets/icons/see1-previs.svg`` (desktop entries, scalable), ``.png`` (512 px, the
Linux package and window icon), ``.ico`` (Windows installer and executable) and ``.icns``
(macOS app bundle). The drawing is one list of shapes rendered twice, as SVG text and with
Pillow, so the formats agree.

    python packaging/make_icon.py [--out assets/icons]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
NAME = "see1-previs"
SIZE = 512  # the drawing's own units: a 512 × 512 canvas

BACKGROUND = "#14202e"
SPHERE = "#2f6f9f"
SPHERE_LIGHT = "#5fa8d8"
GRID = "#a9d4f0"
FRAME = "#f2f4f7"
ACTOR = "#f0a030"

CENTRE = SIZE / 2
RADIUS = 168
CORNER = 92  # rounded background square
GRID_WIDTH = 9
FRAME_WIDTH = 22


def meridian_ellipses() -> list[tuple[float, float]]:
    """(rx, ry) of the sphere's drawn latitude and longitude lines."""
    inner = RADIUS - GRID_WIDTH / 2  # the stroke stays on the sphere
    return [(inner, inner * 0.36), (inner * 0.45, inner)]


def frame_corners() -> list[list[tuple[float, float]]]:
    """The camera frame's four corner marks, as polylines."""
    inset, arm = 46, 96
    low, high = inset, SIZE - inset
    return [
        [(low, low + arm), (low, low), (low + arm, low)],
        [(high - arm, low), (high, low), (high, low + arm)],
        [(high, high - arm), (high, high), (high - arm, high)],
        [(low + arm, high), (low, high), (low, high - arm)],
    ]


ACTOR_AT = (CENTRE + RADIUS * 0.38 * math.cos(0.6), CENTRE - RADIUS * 0.38 * math.sin(0.6))
ACTOR_RADIUS = 30


def svg() -> str:
    ellipses = "\n".join(
        f'  <ellipse cx="{CENTRE}" cy="{CENTRE}" rx="{rx:.1f}" ry="{ry:.1f}" fill="none" '
        f'stroke="{GRID}" stroke-width="{GRID_WIDTH}" stroke-opacity="0.8"/>'
        for rx, ry in meridian_ellipses()
    )
    corners = "\n".join(
        '  <polyline points="'
        + " ".join(f"{x:.0f},{y:.0f}" for x, y in line)
        + f'" fill="none" stroke="{FRAME}" stroke-width="{FRAME_WIDTH}" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
        for line in frame_corners()
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}">
  <title>SEE-1 Previs</title>
  <defs>
    <radialGradient id="sphere" cx="0.38" cy="0.34" r="0.75">
      <stop offset="0" stop-color="{SPHERE_LIGHT}"/>
      <stop offset="1" stop-color="{SPHERE}"/>
    </radialGradient>
  </defs>
  <rect width="{SIZE}" height="{SIZE}" rx="{CORNER}" fill="{BACKGROUND}"/>
  <circle cx="{CENTRE}" cy="{CENTRE}" r="{RADIUS}" fill="url(#sphere)"/>
{ellipses}
  <circle cx="{ACTOR_AT[0]:.1f}" cy="{ACTOR_AT[1]:.1f}" r="{ACTOR_RADIUS}" fill="{ACTOR}"/>
{corners}
</svg>
"""


def _hex(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha)


def png(pixels: int = 512) -> Image.Image:
    """The icon as an RGBA image, drawn at 4× and filtered down for smooth edges."""
    scale = pixels * 4 / SIZE
    big = Image.new("RGBA", (pixels * 4, pixels * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)

    def box(cx: float, cy: float, rx: float, ry: float) -> list[float]:
        return [(cx - rx) * scale, (cy - ry) * scale, (cx + rx) * scale, (cy + ry) * scale]

    draw.rounded_rectangle(
        [0, 0, SIZE * scale - 1, SIZE * scale - 1], CORNER * scale, fill=_hex(BACKGROUND)
    )
    # The sphere's shading: concentric discs from the rim colour to the highlight.
    light, dark = _hex(SPHERE_LIGHT), _hex(SPHERE)
    steps = 48
    for step in range(steps):
        t = step / (steps - 1)
        colour = tuple(round(dark[i] + (light[i] - dark[i]) * t) for i in range(4))
        shrink = 1.0 - 0.75 * t
        cx = CENTRE + (0.38 - 0.5) * 2 * RADIUS * t * 0.9
        cy = CENTRE + (0.34 - 0.5) * 2 * RADIUS * t * 0.9
        draw.ellipse(box(cx, cy, RADIUS * shrink, RADIUS * shrink), fill=colour)
    for rx, ry in meridian_ellipses():
        half = GRID_WIDTH / 2  # Pillow strokes inside the box, SVG centres on the path
        draw.ellipse(
            box(CENTRE, CENTRE, rx + half, ry + half),
            outline=_hex(GRID, 204),
            width=round(GRID_WIDTH * scale),
        )
    draw.ellipse(box(*ACTOR_AT, ACTOR_RADIUS, ACTOR_RADIUS), fill=_hex(ACTOR))
    width = round(FRAME_WIDTH * scale)
    for line in frame_corners():
        points = [(x * scale, y * scale) for x, y in line]
        draw.line(points, fill=_hex(FRAME), width=width, joint="curve")
        for x, y in (points[0], points[-1]):
            half = width / 2
            draw.ellipse([x - half, y - half, x + half, y + half], fill=_hex(FRAME))
    return big.resize((pixels, pixels), Image.Resampling.LANCZOS)


def write_icons(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    image = png(512)
    written = [folder / f"{NAME}.svg", folder / f"{NAME}.png"]
    written[0].write_text(svg(), encoding="utf-8")
    image.save(written[1])
    ico = folder / f"{NAME}.ico"
    image.save(
        ico, sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    )
    icns = folder / f"{NAME}.icns"
    image.save(icns)
    return [*written, ico, icns]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "assets" / "icons")
    args = parser.parse_args()
    for path in write_icons(args.out):
        print(path)


if __name__ == "__main__":
    main()
