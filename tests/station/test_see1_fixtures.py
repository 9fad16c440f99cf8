"""SEE-1 fixtures: the crew's names, where they sit on the wall, and their collision solids."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from see1previs.station import FIXTURE_KINDS
from see1previs.station.queries import ray_distances

ID_PATTERNS = {
    "handrail": r"H\d+",
    "foot_restraint": r"FR\d+",
    "seat_track": r"ST\d+",
    "light_ring": r"L\d+",
    "camera_mount": r"CAM-[A-Z]",
    "hatch": r"HATCH",
}


def _nearest_face_normal(station, point):
    _, _, face = station.boundary.nearest.on_surface([point])
    return station.boundary.face_normals[face[0]]


def _wall_fixtures(station):
    # A light ring's reference point is its centre, out in the cabin; the others sit on a wall.
    return [f for f in station.fixtures if f.kind != "light_ring"]


def test_fixture_counts(see1):
    kinds = Counter(f.kind for f in see1.fixtures)
    assert set(kinds) == set(FIXTURE_KINDS)
    assert kinds["handrail"] >= 12
    assert kinds["camera_mount"] >= 4
    assert kinds["foot_restraint"] >= 3
    assert kinds["seat_track"] >= 2
    assert kinds["light_ring"] == 2
    assert kinds["hatch"] == 1


def test_ids_are_unique_and_follow_the_naming_scheme(see1):
    ids = [f.id for f in see1.fixtures]
    assert len(ids) == len(set(ids))
    for f in see1.fixtures:
        assert re.fullmatch(ID_PATTERNS[f.kind], f.id), f.id
        if f.kind != "hatch":
            assert f.id in f.name


def test_orientations_are_unit_quaternions(see1):
    for f in see1.fixtures:
        assert np.linalg.norm(f.orientation) == pytest.approx(1.0, abs=1e-6)
        r = f.rotation()
        assert r.T @ r == pytest.approx(np.eye(3), abs=1e-6)
        assert np.linalg.det(r) == pytest.approx(1.0, abs=1e-6)  # right-handed


def test_wall_fixtures_sit_inside_within_0_3_m_of_the_wall(see1):
    fixtures = _wall_fixtures(see1)
    clearance = see1.clearance([f.position for f in fixtures])
    for f, c in zip(fixtures, clearance, strict=True):
        assert -1e-6 <= c <= 0.3, (f.id, c)


def test_wall_fixtures_face_into_the_cabin(see1):
    for f in _wall_fixtures(see1):
        wall_normal = _nearest_face_normal(see1, f.position)
        assert np.dot(f.normal, wall_normal) > np.cos(np.radians(10.0)), f.id
        if f.length > 0.0:
            assert abs(np.dot(f.axis, wall_normal)) < 0.2, f.id  # runs along the wall
        p = np.asarray(f.position)
        assert see1.clearance(p + 0.05 * f.normal) > see1.clearance(p), f.id


def test_light_rings_circle_the_z_axis_near_the_wall(see1):
    rings = [f for f in see1.fixtures if f.kind == "light_ring"]
    assert sorted(np.sign(f.position[2]) for f in rings) == [-1.0, 1.0]
    for ring in rings:
        x, y, z = ring.position
        assert (x, y) == pytest.approx((0.0, 0.0), abs=1e-9)
        assert ring.normal == pytest.approx((0.0, 0.0, -np.sign(z)), abs=1e-9)  # toward centre
        segments = [p for p in see1.fixture_parts(ring.id) if "segment" in p.name]
        assert len(segments) >= 12
        for part in segments:
            c = see1.clearance(part.mesh.vertices)
            assert c.max() < 0.3
            radial = np.linalg.norm(part.mesh.vertices[:, :2], axis=1)
            assert radial.mean() == pytest.approx(ring.length / 2.0, abs=0.05)


def test_handrails_are_a_bar_on_two_standoffs(see1):
    for f in (f for f in see1.fixtures if f.kind == "handrail"):
        parts = see1.fixture_parts(f.id)
        assert sorted(p.name.split("/")[-1] for p in parts) == ["bar", "standoff-1", "standoff-2"]
        assert 0.5 <= f.length <= 0.6
        bar = next(p for p in parts if p.name.endswith("/bar"))
        extent_along = np.ptp(bar.mesh.vertices @ f.axis)
        assert extent_along == pytest.approx(f.length, abs=1e-3)
        assert 0.08 <= float(see1.clearance(f.position)) <= 0.12


def test_camera_mounts_look_across_the_cabin(see1):
    triangles = np.asarray(see1.boundary.triangles)
    for f in (f for f in see1.fixtures if f.kind == "camera_mount"):
        view = ray_distances(triangles, [f.position], f.normal)[0]
        assert view > 4.0, f.id
        # +Y of the plate is studio up wherever up is defined (not at the poles).
        if abs(f.normal[2]) < 0.99:
            assert f.rotation()[:, 1][2] > 0.0


def test_every_fixture_has_solids_and_every_solid_a_fixture(see1):
    ids = {f.id for f in see1.fixtures}
    for f in see1.fixtures:
        assert see1.fixture_parts(f.id), f.id
    for part in see1.parts:
        kind, fixture_id, name = part.name.split("/")
        assert kind == "fixture" and fixture_id == part.fixture_id and name
        assert part.fixture_id in ids


def test_every_part_is_a_closed_convex_solid(see1):
    for part in see1.parts:
        mesh = part.mesh
        assert mesh.is_watertight and mesh.volume > 0.0, part.name
        assert mesh.volume == pytest.approx(mesh.convex_hull.volume, rel=1e-6), part.name


def test_parts_are_inside_the_cabin_and_mounted_on_the_wall(see1):
    for f in see1.fixtures:
        clearances = [see1.clearance(p.mesh.vertices) for p in see1.fixture_parts(f.id)]
        assert min(c.min() for c in clearances) > 0.0, f.id
        assert min(c.min() for c in clearances) < 0.01, f.id  # touches (almost) the wall


def test_fixture_lookup(see1):
    assert see1.fixture("CAM-A").kind == "camera_mount"
    assert see1.fixture("HATCH").position == pytest.approx((4.0, 0.0, 0.0))
