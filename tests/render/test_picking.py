"""Picking: the ray under a pixel passes through what is drawn there, and hits the nearest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.render import picking
from see1previs.render.viewport_shapes import box_mesh, pose_matrix, sphere_mesh

WIDTH, HEIGHT = 640, 360
VIEW = picking.look_at([6.0, -4.0, 2.0], [0.0, 0.0, 0.0])
PROJECTION = picking.perspective(45.0, WIDTH / HEIGHT, 0.01, 100.0)


def place(owner, mesh, position):
    vertices, faces = mesh
    return picking.target(owner, vertices, faces, pose_matrix(position, [1, 0, 0, 0]))


@pytest.mark.parametrize("point", [[0, 0, 0], [1.0, 0.5, -0.3], [-2.0, 1.0, 1.0]])
def test_the_ray_through_a_projected_point_passes_through_it(point):
    x, y, _ = picking.project(VIEW, PROJECTION, point, WIDTH, HEIGHT)
    origin, direction = picking.pick_ray(VIEW, PROJECTION, x, y, WIDTH, HEIGHT)
    along = (np.asarray(point) - origin) @ direction
    closest = origin + along * direction
    assert np.linalg.norm(closest - point) < 1e-9
    assert np.linalg.norm(direction) == pytest.approx(1.0)


def test_the_centre_pixel_looks_at_the_target():
    x, y, _ = picking.project(VIEW, PROJECTION, [0, 0, 0], WIDTH, HEIGHT)
    assert (x, y) == pytest.approx((WIDTH / 2, HEIGHT / 2))


def test_a_point_behind_the_eye_does_not_project():
    assert picking.project(VIEW, PROJECTION, [12.0, -8.0, 4.0], WIDTH, HEIGHT) is None


def test_distance_to_a_sphere_matches_the_analytic_intersection():
    origin = np.array([5.0, 0.0, 0.0])
    direction = np.array([-1.0, 0.0, 0.0])
    ball = place("ball", sphere_mesh(0.5, rings=40, segments=60), [0.0, 0.0, 0.0])
    owner, distance = picking.first_hit(origin, direction, [ball])
    assert owner == "ball"
    assert distance == pytest.approx(4.5, abs=0.005)


def test_the_nearest_of_two_bodies_in_line_wins():
    near = place("near", box_mesh((0.2, 0.2, 0.2)), [1.0, 0.0, 0.0])
    far = place("far", box_mesh((0.5, 0.5, 0.5)), [-1.0, 0.0, 0.0])
    origin, direction = np.array([5.0, 0.0, 0.0]), np.array([-1.0, 0.0, 0.0])
    assert picking.first_hit(origin, direction, [far, near])[0] == "near"
    # Aimed past the small box's edge, the ray reaches the big one behind it.
    assert picking.first_hit(origin + np.array([0.0, 0.3, 0.0]), direction, [far, near])[0] == "far"


def test_a_clear_miss_picks_nothing_and_a_near_miss_needs_slack():
    ball = place("ball", sphere_mesh(0.035), [0.0, 0.0, 0.0])
    origin, direction = np.array([5.0, 0.05, 0.0]), np.array([-1.0, 0.0, 0.0])
    assert picking.first_hit(origin, direction, [ball]) is None
    # 1.5 cm outside the ball seen from 5 m is 3 mrad: picked with 5 mrad of slack.
    assert picking.first_hit(origin, direction, [ball], slack_radians=0.005)[0] == "ball"
    assert picking.first_hit(origin, direction, [ball], slack_radians=0.002) is None


def test_nothing_behind_the_ray_is_picked():
    ball = place("ball", sphere_mesh(0.3), [6.0, 0.0, 0.0])
    origin, direction = np.array([5.0, 0.0, 0.0]), np.array([-1.0, 0.0, 0.0])
    assert picking.first_hit(origin, direction, [ball], slack_radians=math.radians(5)) is None
