"""Drag geometry: moves follow the mouse ray, axes constrain, turns and snaps land exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.core import quaternion as quat
from see1previs.render import manipulation as m

EYE = np.array([0.0, -5.0, 0.0])  # looking along +Y at the origin


def ray_to(point):
    d = np.asarray(point, dtype=float) - EYE
    return EYE, d / np.linalg.norm(d)


def test_a_view_plane_move_takes_the_grabbed_point_to_the_mouse():
    anchor = np.array([0.0, 0.0, 0.0])
    move = m.move_in_view_plane(ray_to(anchor), ray_to([0.4, 0.0, -0.2]), anchor, [0, 1, 0])
    assert move == pytest.approx([0.4, 0.0, -0.2])


def test_an_axis_move_slides_only_along_that_axis():
    anchor = np.array([0.0, 0.0, 0.0])
    move = m.move_along_axis(ray_to(anchor), ray_to([0.4, 0.0, 0.0]), anchor, m.AXES["x"])
    assert move == pytest.approx([0.4, 0.0, 0.0])
    # The mouse off the axis: the body stays on it, at the point nearest the mouse ray.
    move = m.move_along_axis(ray_to(anchor), ray_to([0.4, 0.0, -0.2]), anchor, m.AXES["x"])
    assert move[1:] == pytest.approx([0.0, 0.0])
    assert move[0] == pytest.approx(0.4, abs=0.002)
    # Along the view direction the mouse cannot say where: no move rather than a jump.
    assert m.move_along_axis(ray_to(anchor), ray_to([0.4, 0, 0]), anchor, [0, 1, 0]) == (
        pytest.approx([0.0, 0.0, 0.0])
    )


def test_a_quarter_sweep_counter_clockwise_on_screen_is_plus_ninety_degrees():
    centre = np.array([100.0, 100.0])
    # Right of the centre, then above it (screen y grows downward).
    assert m.turn_angle(centre, (150.0, 100.0), (100.0, 50.0)) == pytest.approx(math.pi / 2)
    assert m.turn_angle(centre, (150.0, 100.0), (100.0, 150.0)) == pytest.approx(-math.pi / 2)


def test_turn_is_a_right_handed_rotation_about_the_axis():
    q = m.turn([0, 0, 1], math.pi / 2)
    assert quat.rotate(q, [1.0, 0.0, 0.0]) == pytest.approx([0.0, 1.0, 0.0])


def test_snapping_stands_the_body_off_the_nearest_fixture_in_reach():
    rail = m.SnapPoint("H1", np.array([2.9, 0.0, 0.0]), np.array([-1.0, 0.0, 0.0]))
    other = m.SnapPoint("H2", np.array([0.0, 2.9, 0.0]), np.array([0.0, -1.0, 0.0]))
    landed, fixture = m.snap_to_fixture([2.5, 0.1, 0.0], [other, rail], standoff=0.3)
    assert fixture == "H1"
    assert landed == pytest.approx([2.6, 0.0, 0.0])
    unchanged, none = m.snap_to_fixture([1.0, 0.0, 0.0], [other, rail], standoff=0.3)
    assert none is None
    assert unchanged == pytest.approx([1.0, 0.0, 0.0])


def test_pointing_at_a_fixture_snaps_even_when_the_drag_plane_passes_it_by():
    rail = m.SnapPoint("H1", np.array([2.9, 0.0, 0.0]), np.array([-1.0, 0.0, 0.0]))
    ray = (np.array([2.7, 0.0, 5.0]), np.array([0.0, 0.0, -1.0]))  # from above, at the spot
    dragged_to = np.array([2.7, 0.0, 1.0])  # a metre above it in the drag plane
    assert m.snap_to_fixture(dragged_to, [rail], standoff=0.2)[1] is None
    landed, fixture = m.snap_to_fixture(dragged_to, [rail], standoff=0.2, ray=ray)
    assert fixture == "H1"
    assert landed == pytest.approx([2.7, 0.0, 0.0])
    assert m.distance_to_ray([1.0, 1.0, 0.0], *ray) == pytest.approx(math.hypot(1.7, 1.0))


def test_a_camera_snaps_exactly_onto_a_mount():
    mount = m.SnapPoint("CAM-A", np.array([0.0, 0.0, 2.96]), np.array([0, 0, -1.0]), exact=True)
    landed, fixture = m.snap_to_fixture([0.1, 0.0, 2.8], [mount], standoff=0.3)
    assert fixture == "CAM-A"
    assert landed == pytest.approx([0.0, 0.0, 2.96])


def test_a_moved_start_pose_is_translated_and_turned_about_its_origin():
    start_q = quat.from_axis_angle([1, 0, 0], 0.3)
    position, orientation = m.moved_start_pose(
        [1.0, 2.0, 3.0], start_q, [0.5, 0.0, -1.0], m.turn([0, 0, 1], math.pi)
    )
    assert position == pytest.approx((1.5, 2.0, 2.0))
    expected = quat.multiply(quat.from_axis_angle([0, 0, 1], math.pi), start_q)
    assert quat.angle_between(orientation, expected) < 1e-9
    assert isinstance(position, tuple) and isinstance(orientation, tuple)
    assert orientation[0] >= 0
