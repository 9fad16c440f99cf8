"""Which frames a shot covers and the shooting order, against frame times counted by hand."""

from __future__ import annotations

import pytest

from see1previs.core.scene_cameras import Shot
from see1previs.core.timebase import FrameRate
from see1previs.export.shots import shooting_order, shot_frames


@pytest.mark.parametrize(
    ("rate", "start", "end", "first", "last"),
    [
        (24, 0.0, 10.0, 0, 240),  # the whole 10 s scene: 241 frames
        (24, 0.5, 1.25, 12, 30),
        (30, 0.1, 0.2, 3, 6),  # 0.1 * 30 is 3.0000000000000004 in floats: still frame 3
        (23.976, 1.0, 2.0, 24, 47),  # frame 24 starts at 1.001 s, frame 47 at 1.9603 s
        (25, 0.01, 0.02, 0, 0),  # in and out between two frame starts: the frame showing
    ],
)
def test_a_shot_covers_the_frames_starting_inside_it(rate, start, end, first, last):
    span = shot_frames(Shot(id="S", camera="C", start=start, end=end), FrameRate.parse(rate))
    assert (span.first, span.last, span.count) == (first, last, last - first + 1)
    assert list(span) == list(range(first, last + 1))


def test_shooting_order_sorts_by_order_and_keeps_file_order_for_ties():
    shots = [
        Shot(id=name, camera="C", start=0, end=1, order=order)
        for name, order in [("a", 2), ("b", 1), ("c", 0), ("d", 1)]
    ]
    assert [s.id for s in shooting_order(shots)] == ["c", "b", "d", "a"]
