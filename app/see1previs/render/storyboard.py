"""Storyboard frames: the first, middle and last frame of a shot through its camera.

Each frame is rendered at the sensor's aspect ratio (see :mod:`camera_view`), then marked up
the way a camera department expects: frame lines at the edge of the recorded image, a 90 %
action-safe box, a centre cross, and a burn-in bar with the shot, camera, lens, stop and
timecode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from see1previs.cinema.tracks import CameraTrack
from see1previs.core.scene import Scene, Shot
from see1previs.physics.trajectory import Trajectory
from see1previs.render.camera_view import CameraView

FRAME_LINE = (255, 214, 0)
SAFE_LINE = (255, 214, 0, 110)
BURN_IN_BAR = (0, 0, 0, 170)
BURN_IN_TEXT = (255, 255, 255)
POSITIONS = ("first", "middle", "last")


@dataclass(frozen=True)
class StoryboardFrame:
    shot_id: str
    position: str  # "first" | "middle" | "last"
    frame: int
    timecode: str
    image: Image.Image


def storyboard_frame_indices(track: CameraTrack, shot: Shot) -> list[int]:
    """The shot's first, middle and last frame indices (fewer for very short shots)."""
    frames = track.frames_between(shot.start, shot.end)
    if len(frames) == 0:
        raise ValueError(f"shot '{shot.id}' covers no frame of the scene")
    picks = [int(frames[0]), int(frames[len(frames) // 2]), int(frames[-1])]
    return picks


def render_storyboard(
    view: CameraView,
    scene: Scene,
    trajectory: Trajectory,
    track: CameraTrack,
    shot: Shot,
) -> list[StoryboardFrame]:
    """First, middle and last frame of ``shot``, marked up."""
    out = []
    for position, frame in zip(POSITIONS, storyboard_frame_indices(track, shot), strict=True):
        pixels = view.render(trajectory, track, frame)
        timecode = scene.frame_rate.timecode(frame)
        image = mark_up(pixels, _burn_in(scene, shot, track, frame, timecode))
        out.append(StoryboardFrame(shot.id, position, frame, timecode, image))
    return out


def _burn_in(scene: Scene, shot: Shot, track: CameraTrack, frame: int, timecode: str) -> str:
    camera = next(c for c in scene.cameras if c.id == shot.camera)
    name = shot.name or shot.id
    lens = f"{track.focal_mm[frame]:.0f} mm"
    return (
        f"{name}  |  {camera.name or camera.id}  |  {lens} f/{track.f_stop:g}  |  "
        f"focus {track.focus_m[frame]:.2f} m  |  {timecode}"
    )


def mark_up(pixels: np.ndarray, burn_in: str) -> Image.Image:
    """Frame lines, action-safe box, centre cross and a burn-in bar on a rendered frame."""
    image = Image.fromarray(pixels).convert("RGBA")
    width, height = image.size
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle([0, 0, width - 1, height - 1], outline=FRAME_LINE, width=2)
    inset_x, inset_y = round(0.05 * width), round(0.05 * height)
    draw.rectangle(
        [inset_x, inset_y, width - 1 - inset_x, height - 1 - inset_y], outline=SAFE_LINE, width=1
    )
    cx, cy, arm = width // 2, height // 2, max(6, width // 60)
    draw.line([cx - arm, cy, cx + arm, cy], fill=FRAME_LINE, width=1)
    draw.line([cx, cy - arm, cx, cy + arm], fill=FRAME_LINE, width=1)
    font = ImageFont.load_default(size=max(10, height // 28))
    bar = max(16, height // 16)
    draw.rectangle([0, height - bar, width, height], fill=BURN_IN_BAR)
    draw.text(
        (inset_x // 2 + 2, height - bar + (bar - font.size) // 2),
        burn_in,
        font=font,
        fill=BURN_IN_TEXT,
    )
    return Image.alpha_composite(image, overlay).convert("RGB")
