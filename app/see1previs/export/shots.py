"""Which frames a shot covers and the order shots are shot in, shared by every exporter.

Two spans, for two uses:

- :func:`shot_frames`, the **samples**: every scene frame whose time lies between the in and
  out points, both included, so a shot over the whole scene has ``duration · fps + 1``
  frames. Camera tracks, USD and storyboards sample these (the out point's pose included).
- :func:`cut_frames`, the **cut**: the frames whose start lies in ``[in, out)``, the out
  point excluded as editorial counts it, so an 8 s shot at 24 fps is 192 frames, 8 s long.
  The timeline, EDL, FCP XML and the shot list's frame count use these.

Frame numbers are the scene's (frame 0 at t = 0), counted exactly on the rational frame
rate. Shooting order is :func:`see1previs.core.scene_cameras.in_shooting_order`, the order
the shot list on screen shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from see1previs.core.scene_cameras import Shot, in_shooting_order
from see1previs.core.timebase import FrameRate
from see1previs.export.errors import ExportError

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack
    from see1previs.core.scene import Scene
    from see1previs.physics.trajectory import Trajectory

# Shot times are typed in seconds; a time within a millionth of a frame of a frame's start
# counts as that frame, so 0.5 s at 24 fps is frame 12 whatever the float rounding.
_TOLERANCE = Fraction(1, 10**6)


@dataclass(frozen=True)
class FrameSpan:
    """Scene frames ``first`` to ``last``, both included."""

    first: int
    last: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    def __iter__(self):
        return iter(range(self.first, self.last + 1))


def shot_frames(shot: Shot, frame_rate: FrameRate) -> FrameSpan:
    """The scene frames a shot covers (in and out points included)."""
    first = math.ceil(Fraction(shot.start) * frame_rate.fps - _TOLERANCE)
    last = math.floor(Fraction(shot.end) * frame_rate.fps + _TOLERANCE)
    if last < first:
        # In and out fall between two frame starts: the shot is the one frame showing then.
        first = last
    return FrameSpan(first, last)


def cut_frames(shot: Shot, frame_rate: FrameRate) -> FrameSpan:
    """The frames of the shot's cut: those starting at or after the in point and before the
    out point (``count`` = duration · fps when both points fall on frame starts).

    A shot shorter than a frame, between two frame starts, is the one frame showing then.
    """
    first = math.ceil(Fraction(shot.start) * frame_rate.fps - _TOLERANCE)
    end = math.ceil(Fraction(shot.end) * frame_rate.fps - _TOLERANCE)  # excluded
    if end <= first:
        first = math.floor(Fraction(shot.start) * frame_rate.fps + _TOLERANCE)
        end = first + 1
    return FrameSpan(first, end - 1)


def shooting_order(shots: Iterable[Shot]) -> list[Shot]:
    """Shots in shooting order, as the shot list on screen shows them: numbered shots
    ascending, then those with ``order`` 0 in file order (see
    :func:`~see1previs.core.scene_cameras.in_shooting_order`)."""
    return in_shooting_order(shots)


def shot_track(shot: Shot, tracks: Mapping[str, CameraTrack], frame_rate: FrameRate) -> CameraTrack:
    """The evaluated track of the shot's camera, checked to cover the shot's samples.

    Raises ExportError naming the shot when its camera has no track or the track ends early.
    """
    track = tracks.get(shot.camera)
    if track is None:
        raise ExportError(
            f"shot '{shot.id}' uses camera '{shot.camera}', which has no evaluated track"
        )
    if shot_frames(shot, frame_rate).last >= len(track.times):
        raise ExportError(
            f"shot '{shot.id}' runs past the end of camera '{shot.camera}''s track; bake and "
            "evaluate the whole scene before exporting"
        )
    return track


def check_bake_rate(scene: Scene, trajectory: Trajectory) -> None:
    """Refuse a trajectory baked at another frame rate than the scene's (a stale bake)."""
    if trajectory.frame_rate != scene.frame_rate.fps:
        raise ExportError(
            f"the baked trajectory is at {float(trajectory.frame_rate):g} fps but the scene is "
            f"at {scene.frame_rate}; bake the scene again before exporting"
        )
