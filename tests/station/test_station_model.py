"""Station, Fixture and the frame helpers, checked against hand-computed and scipy answers."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
import trimesh
from scipy.spatial.transform import Rotation

from see1previs.station import Fixture, Station, StationError, StationPart, UnknownFixtureError
from see1previs.station.frames import frame_from_axes, matrix_from_quat, quat_from_matrix

IDENTITY = (1.0, 0.0, 0.0, 0.0)


def _cube_station(side: float = 2.0) -> Station:
    box = trimesh.creation.box((side, side, side))
    inward = trimesh.Trimesh(box.vertices, box.faces[:, ::-1], process=False)
    fixtures = [
        Fixture("H1", "handrail", "Handrail H1", (0.0, 0.0, -0.9), IDENTITY, 0.5),
        Fixture("H2", "handrail", "Handrail H2", (0.0, 0.9, 0.0), IDENTITY, 0.5),
        Fixture("CAM-A", "camera_mount", "Camera mount CAM-A", (0.9, 0.0, 0.0), IDENTITY),
    ]
    return Station("cube", None, inward, [], fixtures, [])


def test_fixture_rejects_unknown_kind():
    with pytest.raises(StationError, match=r"H1.*unknown kind 'ladder'"):
        Fixture("H1", "ladder", "x", (0, 0, 0), IDENTITY)


def test_fixture_rejects_non_unit_quaternion():
    with pytest.raises(StationError, match="not a unit quaternion"):
        Fixture("H1", "handrail", "x", (0, 0, 0), (1.0, 1.0, 0.0, 0.0))


@pytest.mark.parametrize("bad_id", ["", "H 1", "H/1"])
def test_fixture_rejects_unusable_ids(bad_id):
    with pytest.raises(StationError):
        Fixture(bad_id, "handrail", "x", (0, 0, 0), IDENTITY)


def test_fixture_axes_follow_the_quaternion():
    # 90 degrees about +Z: local +X -> module +Y, local +Z stays +Z.
    s = np.sqrt(0.5)
    f = Fixture("H1", "handrail", "x", (0, 0, 0), (s, 0.0, 0.0, s), 0.5)
    assert f.axis == pytest.approx((0.0, 1.0, 0.0))
    assert f.normal == pytest.approx((0.0, 0.0, 1.0))
    assert isinstance(f.position, tuple) and all(isinstance(v, float) for v in f.position)


def test_quaternions_agree_with_scipy():
    rotations = Rotation.random(50, random_state=3)
    for r in rotations:
        x, y, z, w = r.as_quat()  # scipy stores the scalar last
        expected = np.array([w, x, y, z]) * (1.0 if w >= 0 else -1.0)
        assert quat_from_matrix(r.as_matrix()) == pytest.approx(expected, abs=1e-12)
        assert matrix_from_quat(expected) == pytest.approx(r.as_matrix(), abs=1e-12)


def test_frame_from_axes_is_right_handed_with_the_requested_axes():
    m = frame_from_axes((0.0, 0.0, -2.0), (1.0, 0.0, 0.3))
    assert m[:, 2] == pytest.approx((0.0, 0.0, -1.0))
    assert m[:, 0] == pytest.approx((1.0, 0.0, 0.0))
    assert np.linalg.det(m) == pytest.approx(1.0)


def test_fixture_lookup_suggests_close_ids():
    station = _cube_station()
    assert station.fixture("H2").name == "Handrail H2"
    with pytest.raises(StationError, match=r"no fixture 'H3'.*H1, H2|no fixture 'H3'.*H2, H1"):
        station.fixture("H3")
    with pytest.raises(StationError, match="CAM-A"):
        station.fixture("CAM-Q")
    with pytest.raises(KeyError) as caught:
        station.fixture("FR1")
    assert isinstance(caught.value, UnknownFixtureError)
    assert str(caught.value) == "cube has no fixture 'FR1'"


def test_clearance_and_contains_in_a_cube():
    station = _cube_station(side=2.0)
    points = [(0.0, 0.0, 0.0), (0.5, 0.0, 0.0), (0.9, 0.9, 0.0), (1.5, 0.0, 0.0), (2.0, 2.0, 1.0)]
    expected = [1.0, 0.5, 0.1, -0.5, -np.sqrt(2.0)]
    assert station.clearance(points) == pytest.approx(expected, abs=1e-9)
    assert station.contains(points).tolist() == [True, True, True, False, False]
    assert station.clearance((0.0, 0.0, 0.25)).shape == ()
    assert bool(station.contains((0.0, 0.0, 0.25)))


def test_content_hash_is_stable_and_sensitive():
    a, b = _cube_station(), _cube_station()
    assert a.content_hash() == b.content_hash()
    assert len(a.content_hash()) == 64
    moved = dataclasses.replace(a.fixtures[0], position=(0.0, 0.0, -0.8))
    c = dataclasses.replace(a, fixtures=[moved, *a.fixtures[1:]])
    assert c.content_hash() != a.content_hash()
    bigger = _cube_station(side=2.01)
    assert bigger.content_hash() != a.content_hash()


def test_content_hash_ignores_part_order():
    base = _cube_station()
    parts = [
        StationPart("solid/1", trimesh.creation.box((0.1, 0.1, 0.1))),
        StationPart("solid/2", trimesh.creation.icosphere(1, radius=0.1)),
    ]
    one = dataclasses.replace(base, parts=parts)
    two = dataclasses.replace(base, parts=parts[::-1])
    assert one.content_hash() == two.content_hash() != base.content_hash()


def test_station_layer_imports_without_qt():
    code = (
        "import sys\n"
        "sys.modules['PySide6'] = None  # any Qt import now fails\n"
        "import see1previs.station as st\n"
        "st.load_station('see1')\n"
        "assert not any(m.startswith('PySide6.') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
