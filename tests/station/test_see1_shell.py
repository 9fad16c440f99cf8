"""The SEE-1 cabin shell measured against the design dimensions (6 m sphere, 1.27 m hatch)."""

from __future__ import annotations

import manifold3d
import numpy as np
import pytest
from scipy import integrate

RADIUS = 3.0
HATCH = 1.27
DOOR_X = 4.0


def _random_directions(n: int, seed: int) -> np.ndarray:
    d = np.random.default_rng(seed).normal(size=(n, 3))
    return d / np.linalg.norm(d, axis=1)[:, None]


def _away_from_hatch(d: np.ndarray, cone_deg: float = 25.0) -> np.ndarray:
    return d[d[:, 0] < np.cos(np.radians(cone_deg))]


def test_boundary_is_one_closed_surface(see1):
    b = see1.boundary
    assert b.is_watertight
    assert b.is_winding_consistent
    assert len(b.split(only_watertight=False)) == 1
    # manifold3d is strict about manifoldness; it must accept the shell as a solid.
    solid = manifold3d.Manifold(
        manifold3d.Mesh(
            vert_properties=np.asarray(b.vertices, dtype=np.float32),
            tri_verts=np.asarray(b.faces[:, ::-1], dtype=np.uint32),
        )
    )
    assert solid.status() == manifold3d.Error.NoError
    assert solid.volume() == pytest.approx(-b.volume, rel=1e-4)


def test_face_count_is_in_budget(see1):
    assert 1000 <= len(see1.boundary.faces) <= 3000


def test_normals_point_into_the_cabin(see1):
    b = see1.boundary
    assert b.volume < 0.0  # trimesh's signed volume is negative for inward-facing shells
    centroids = b.triangles_center
    on_sphere = np.abs(np.linalg.norm(b.triangles, axis=2) - RADIUS).max(axis=1) < 1e-5
    assert np.all(np.einsum("fi,fi->f", b.face_normals[on_sphere], centroids[on_sphere]) < 0.0)


def test_volume_matches_sphere_plus_vestibule(see1):
    half = HATCH / 2.0
    vestibule, _ = integrate.dblquad(
        lambda z, y: DOOR_X - np.sqrt(RADIUS**2 - y * y - z * z), -half, half, -half, half
    )
    expected = 4.0 / 3.0 * np.pi * RADIUS**3 + vestibule
    assert -see1.boundary.volume == pytest.approx(expected, rel=0.01)


def test_sphere_facets_stay_within_a_centimetre_of_the_wall(see1):
    b = see1.boundary
    on_sphere = np.abs(np.linalg.norm(b.triangles, axis=2) - RADIUS).max(axis=1) < 1e-5
    plane_distance = np.abs(np.einsum("fi,fi->f", b.face_normals, b.triangles[:, 0]))
    assert on_sphere.sum() > 0.9 * len(b.faces)
    assert RADIUS - plane_distance[on_sphere].min() < 0.01


def test_no_sliver_triangles(see1):
    assert np.degrees(see1.boundary.face_angles.min()) > 20.0


def test_points_inside_and_outside_the_sphere(see1):
    d = _away_from_hatch(_random_directions(400, seed=1))
    assert see1.contains(2.9 * d).all()
    assert not see1.contains(3.1 * d).any()
    assert see1.clearance(2.9 * d) == pytest.approx(0.1, abs=0.012)
    assert see1.clearance(3.1 * d) == pytest.approx(-0.1, abs=0.012)


def test_centre_clearance_is_the_radius(see1):
    assert float(see1.clearance([0.0, 0.0, 0.0])) == pytest.approx(RADIUS, abs=0.01)


def test_vestibule_reaches_the_door(see1):
    inside = [(3.5, 0.0, 0.0), (3.5, 0.6, 0.6), (3.99, -0.6, 0.0)]
    outside = [(3.5, 0.66, 0.0), (3.5, 0.0, -0.66), (4.01, 0.0, 0.0)]
    assert see1.contains(inside).all()
    assert not see1.contains(outside).any()
    assert see1.boundary.bounds[1][0] == pytest.approx(DOOR_X, abs=1e-6)


@pytest.mark.parametrize("x", [3.2, 3.5, 3.9])
def test_hatch_opening_is_1_27_m_square(see1, x):
    section = see1.boundary.section(plane_origin=(x, 0.0, 0.0), plane_normal=(1.0, 0.0, 0.0))
    lo, hi = section.bounds
    assert hi[0] - lo[0] == pytest.approx(0.0, abs=1e-6)
    assert hi[1] - lo[1] == pytest.approx(HATCH, abs=0.02)
    assert hi[2] - lo[2] == pytest.approx(HATCH, abs=0.02)
    # every point of the cut lies on the square's outline
    yz = np.abs(section.vertices[:, 1:])
    assert yz.max(axis=1) == pytest.approx(HATCH / 2.0, abs=1e-6)
