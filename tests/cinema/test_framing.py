"""Aiming and pan/tilt/roll against hand-built camera frames."""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.cinema.framing import aim, forward_of, pan_tilt_roll


def test_aim_builds_a_right_handed_frame_looking_along_minus_z():
    forward = np.array([1.0, 2.0, 0.5])
    r = aim(forward)
    assert np.allclose(r.T @ r, np.eye(3), atol=1e-12)
    assert np.isclose(np.linalg.det(r), 1.0)
    assert np.allclose(forward_of(r), forward / np.linalg.norm(forward))


def test_level_camera_has_a_horizontal_right_vector_and_up_toward_studio_up():
    r = aim([0.3, -1.0, 0.4])
    assert abs(r[2, 0]) < 1e-12  # right axis has no +Z component: the horizon is level
    assert r[2, 1] > 0  # image up leans toward the studio's reference up


@pytest.mark.parametrize(
    ("forward", "pan", "tilt"),
    [
        ((1, 0, 0), 0.0, 0.0),
        ((0, 1, 0), 90.0, 0.0),
        ((-1, 0, 0), 180.0, 0.0),
        ((1, 1, math.sqrt(2)), 45.0, 45.0),
        ((0, -2, -2), -90.0, -45.0),
    ],
)
def test_pan_and_tilt_are_azimuth_and_elevation(forward, pan, tilt):
    p, t, roll = pan_tilt_roll(aim(forward))
    assert p == pytest.approx(pan, abs=1e-9)
    assert t == pytest.approx(tilt, abs=1e-9)
    assert roll == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("roll", [-170.0, -30.0, 12.5, 90.0])
def test_roll_round_trips(roll):
    r = aim([0.2, 0.9, -0.3], roll_deg=roll)
    assert pan_tilt_roll(r)[2] == pytest.approx(roll, abs=1e-9)
    assert np.allclose(forward_of(r), forward_of(aim([0.2, 0.9, -0.3])))


def test_positive_roll_turns_the_camera_counter_clockwise_for_the_operator():
    # Looking along +X with +Z up, the camera's left is +Y. Positive roll is a right-handed
    # turn about the camera's back axis (local +Z, as in USD), which the operator behind the
    # camera sees as counter-clockwise: the camera's up leans to its left, and the picture
    # turns clockwise.
    r = aim([1, 0, 0], roll_deg=10.0)
    up = r[:, 1]
    assert up[1] == pytest.approx(math.sin(math.radians(10.0)))


def test_looking_straight_up_still_gives_a_valid_frame():
    r = aim([0, 0, 1])
    assert np.allclose(r.T @ r, np.eye(3), atol=1e-12)
    assert np.allclose(forward_of(r), [0, 0, 1])
