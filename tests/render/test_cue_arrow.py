"""The cue arrow's drag geometry, against hand-worked vectors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.render.cue_arrow import (
    METRES_PER_M_S,
    SNAP_DEG,
    Aim,
    arrow_lines,
    dragged,
    label,
    tip,
)


def test_the_tip_is_speed_times_scale_along_the_direction():
    aim = Aim(np.array([0.0, 1.0, 0.0]), 0.4)
    assert tip([1.0, 0.0, 0.0], aim) == pytest.approx([1.0, 0.4 * METRES_PER_M_S, 0.0])


def test_a_dragged_tip_sets_direction_and_speed_and_clamps_the_speed():
    aim = dragged([0, 0, 0], [0.0, 0.0, 0.6], {}, max_speed=4.0)
    assert aim.direction == pytest.approx([0, 0, 1]) and aim.toward is None
    assert aim.speed == pytest.approx(0.6 / METRES_PER_M_S)
    assert dragged([0, 0, 0], [30.0, 0, 0], {}, max_speed=4.0).speed == 4.0


def test_near_a_target_the_arrow_snaps_toward_it_and_says_so():
    mika = np.array([2.0, 1.0, 0.0])
    off = math.radians(SNAP_DEG * 0.8)
    direction = np.array([math.cos(math.atan2(1, 2) + off), math.sin(math.atan2(1, 2) + off), 0])
    aim = dragged([0, 0, 0], 0.5 * direction, {"mika": mika, "bulb": [0, -1, 0]}, 4.0)
    assert aim.toward == "mika"
    assert aim.direction == pytest.approx(mika / np.linalg.norm(mika))
    assert label(aim, {"mika": "Mika (host)"}) == f"{aim.speed:.2f} m/s toward Mika (host)"
    wide = math.radians(SNAP_DEG * 1.5)
    direction = np.array([math.cos(math.atan2(1, 2) + wide), math.sin(math.atan2(1, 2) + wide), 0])
    assert dragged([0, 0, 0], direction, {"mika": mika}, 4.0).toward is None


def test_the_arrow_is_a_shaft_and_a_head_ending_at_the_tip():
    lines = arrow_lines([0, 0, 0], [1, 0, 0])
    assert lines[0] == pytest.approx([0, 0, 0]) and lines[1] == pytest.approx([1, 0, 0])
    heads = lines[3::2]
    assert all(point[0] < 1 for point in heads)
