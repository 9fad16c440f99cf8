"""Viewport meshes: closed outward surfaces with the volumes geometry says, posed and aimed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.core import quaternion as quat
from see1previs.core.scenefile import load_scene
from see1previs.physics.simulation import prepare_world
from see1previs.physics.visuals import visual_parts
from see1previs.render.viewport_shapes import (
    box_mesh,
    camera_body_mesh,
    capsule_mesh,
    compose,
    cylinder_mesh,
    frustum_segments,
    pose_matrix,
    scene_start_parts,
    sphere_mesh,
)
from tests.conftest import SCENES


def signed_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    """Divergence theorem: positive for a closed surface whose triangles face outward."""
    a, b, c = (vertices[faces[:, i]] for i in range(3))
    return float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0)


@pytest.mark.parametrize(
    ("mesh", "volume", "tolerance"),
    [
        (sphere_mesh(0.5), 4 / 3 * math.pi * 0.5**3, 0.06),
        (capsule_mesh(0.1, 0.3), math.pi * 0.01 * 0.6 + 4 / 3 * math.pi * 0.001, 0.06),
        (cylinder_mesh(0.2, 0.5), math.pi * 0.04 * 1.0, 0.03),
        (box_mesh((0.1, 0.2, 0.3)), 0.2 * 0.4 * 0.6, 1e-9),
    ],
    ids=["sphere", "capsule", "cylinder", "box"],
)
def test_shapes_are_closed_outward_and_the_right_size(mesh, volume, tolerance):
    vertices, faces = mesh
    assert signed_volume(vertices, faces) == pytest.approx(volume, rel=tolerance)


def test_capsule_runs_along_local_z_with_round_ends():
    vertices, _ = capsule_mesh(0.1, 0.3)
    assert vertices[:, 2].max() == pytest.approx(0.4)
    assert vertices[:, 2].min() == pytest.approx(-0.4)
    assert np.hypot(vertices[:, 0], vertices[:, 1]).max() == pytest.approx(0.1)


def test_camera_body_sits_behind_the_lens_which_points_along_minus_z():
    vertices, faces = camera_body_mesh()
    assert signed_volume(vertices, faces) > 0
    assert vertices[:, 2].min() == pytest.approx(-0.08)  # the lens front
    assert vertices[:, 2].max() > 0.1  # the body behind it


def test_frustum_edges_open_at_the_field_of_view():
    segments = frustum_segments(60.0, 40.0, 1.0)
    assert segments.shape == (20, 3)
    corner = segments[3]  # the second edge from the lens: (+x, -y) far corner
    assert corner[2] == pytest.approx(-1.0)
    assert math.degrees(2 * math.atan2(corner[0], -corner[2])) == pytest.approx(60.0)
    assert math.degrees(2 * math.atan2(-corner[1], -corner[2])) == pytest.approx(40.0)
    assert segments[:, 1].max() > corner[1] * -1  # the image-up mark is above the frame


def test_pose_matrix_and_compose_agree_with_quaternion_rotation():
    q = quat.from_axis_angle([0, 0, 1], math.pi / 2)
    m = pose_matrix([1.0, 2.0, 3.0], q)
    assert m @ np.array([1.0, 0.0, 0.0, 1.0]) == pytest.approx([1.0, 3.0, 3.0, 1.0])
    position, orientation = compose([1.0, 2.0, 3.0], q, [1.0, 0.0, 0.0], q)
    assert position == pytest.approx([1.0, 3.0, 3.0])
    assert quat.angle_between(orientation, quat.from_axis_angle([0, 0, 1], math.pi)) < 1e-9


def test_start_parts_match_what_the_physics_builds():
    """Before a bake the viewport draws the shapes the physics world will collide with."""
    path = SCENES / "first-light.see1.json"
    scene = load_scene(path)
    from_scene = scene_start_parts(scene, path.parent)
    from_world = visual_parts(prepare_world(scene, path.parent))
    assert [(p.owner, p.kind) for p in from_scene] == [(p.owner, p.kind) for p in from_world]
    for ours, theirs in zip(from_scene, from_world, strict=True):
        assert ours.link == ours.owner
        if ours.kind == "mesh":
            assert len(ours.faces) == len(theirs.faces)
        else:
            assert ours.size == pytest.approx(theirs.size)
