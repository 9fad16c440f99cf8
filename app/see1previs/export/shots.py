"""Which frames a shot covers and the order shots are shot in, shared by every exporter.

A shot covers every scene frame whose time lies between its in and out points, both included,
so a shot over the whole scene has ``duration · fps + 1`` frames. Frame numbers are the
scene's (frame 0 at t = 0), counted exactly on the rational frame rate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from see1previs.core.scene_cameras import Shot
from see1previs.core.timebase import FrameRate

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


def shooting_order(shots: Iterable[Shot]) -> list[Shot]:
    """Shots sorted by their ``order``, ties kept in file order."""
    return sorted(shots, key=lambda shot: shot.order)  # sorted() is stable
