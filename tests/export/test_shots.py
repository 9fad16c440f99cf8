"""Which frames a shot covers and the shooting order, against frame times counted by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from see1previs.core import commands as cmd
from see1previs.core.scene_cameras import Shot
from see1previs.core.timebase import FrameRate
from see1previs.export.shots import cut_frames, shooting_order, shot_frames
from tests.export import builders


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


@pytest.mark.parametrize(
    ("rate", "start", "end", "first", "count"),
    [
        (24, 0.0, 8.0, 0, 192),  # an 8 s shot is 8 s: 192 frames, the out point excluded
        (24, 0.5, 1.25, 12, 18),  # frames 12..29; frame 30 starts at the out point
        (30, 0.1, 0.2, 3, 3),
        (23.976, 1.0, 2.0, 24, 24),  # frames 24 (1.001 s) .. 47 (1.9603 s)
        (24, 1.2, 1.9, 29, 17),  # neither point on a frame start: frames 29..45
        (25, 0.01, 0.02, 0, 1),  # in and out between two frame starts: the frame showing
    ],
)
def test_the_cut_excludes_the_out_point(rate, start, end, first, count):
    fps = FrameRate.parse(rate)
    span = cut_frames(Shot(id="S", camera="C", start=start, end=end), fps)
    assert (span.first, span.count) == (first, count)
    # Brute force: frames starting in [start, end), compared exactly on the rational rate.
    lo, hi = Fraction(start) - Fraction(1, 10**6), Fraction(end) - Fraction(1, 10**6)
    brute = [k for k in range(1000) if lo <= k / fps.fps < hi] or [first]
    assert list(span) == brute


def test_shooting_order_sorts_by_order_and_keeps_file_order_for_ties():
    shots = [
        Shot(id=name, camera="C", start=0, end=1, order=order)
        for name, order in [("a", 2), ("b", 1), ("c", 0), ("d", 1)]
    ]
    # Numbered shots first; an unnumbered one (order 0) after them, as on screen.
    assert [s.id for s in shooting_order(shots)] == ["b", "d", "a", "c"]


def test_export_order_is_the_order_the_shot_list_on_screen_uses():
    shots = [
        {"id": "S1", "camera": "CAM-A", "start": 0.0, "end": 1.0, "order": 1},
        {"id": "S2", "camera": "CAM-A", "start": 0.0, "end": 1.0, "order": 2},
        {"id": "NEW", "camera": "CAM-A", "start": 0.0, "end": 1.0, "order": 0},  # just added
    ]
    scene = builders.make_scene(shots=shots)
    # The GUI's shot list ranks rows with core.commands.shooting_order.
    assert [s.id for s in shooting_order(scene.shots)] == cmd.shooting_order(scene)
    assert cmd.shooting_order(scene) == ["S1", "S2", "NEW"]
