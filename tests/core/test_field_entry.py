"""Typed times and yaw/pitch/roll angles, checked against hand-worked values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.core import quaternion as quat
from see1previs.core.field_entry import (
    parse_time,
    quaternion_from_ypr,
    time_text,
    ypr_from_quaternion,
)
from see1previs.core.timebase import FrameRate


def test_times_read_as_timecode_or_seconds():
    rate = FrameRate.parse(24)
    assert parse_time("00:00:01:12", rate) == 1.5
    assert parse_time("01:00:00:00", rate) == 3600.0
    assert parse_time("1.5", rate) == parse_time("1.5 s", rate) == parse_time(" 1.5s ", rate)
    assert time_text(1.5, rate) == "00:00:01:12"
    assert time_text(0.1, rate) == "0.1 s"  # not on a frame: kept exact, in seconds
    ntsc = FrameRate.parse(23.976)
    assert parse_time("00:00:01:00", ntsc) == pytest.approx(1001 / 1000)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("00:00:01:24", "frames go up to 23"), ("00:61:00:00", "up to 59"), ("soon", "not a time")],
)
def test_bad_times_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_time(text, FrameRate.parse(24))


def test_yaw_pitch_roll_turn_the_way_a_camera_pans_tilts_and_rolls():
    # Yaw 90°: +X (forward) turns to +Y.
    q = quaternion_from_ypr(90, 0, 0)
    assert q == pytest.approx([math.cos(math.pi / 4), 0, 0, math.sin(math.pi / 4)])
    assert quat.rotate(q, [1, 0, 0]) == pytest.approx([0, 1, 0], abs=1e-9)
    # Pitch 30° after yaw 90°: forward tilts up toward +Z.
    forward = quat.rotate(quaternion_from_ypr(90, 30, 0), [1, 0, 0])
    assert forward == pytest.approx([0, math.cos(math.radians(30)), 0.5], abs=1e-9)
    # Roll turns the up vector about forward.
    up = quat.rotate(quaternion_from_ypr(0, 0, 90), [0, 0, 1])
    assert up == pytest.approx([0, -1, 0], abs=1e-9)


def test_yaw_pitch_roll_round_trip():
    rng = np.random.default_rng(1)
    for _ in range(200):
        angles = (rng.uniform(-180, 180), rng.uniform(-89, 89), rng.uniform(-180, 180))
        back = ypr_from_quaternion(quaternion_from_ypr(*angles))
        assert back == pytest.approx(angles, abs=1e-5)
