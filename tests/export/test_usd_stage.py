"""The USD stage read back with pxr: stage metadata, camera lens and pose, bodies, interior."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import trimesh
from pxr import Gf, Usd, UsdGeom
from scipy.spatial.transform import Rotation

from see1previs.export.files import ExportError
from see1previs.export.usd_stage import usd_name, write_usd_stage
from see1previs.station.loader import load_station
from tests.export import builders


@pytest.fixture(scope="module")
def station():
    return load_station("see1")


@pytest.fixture(scope="module")
def stage_24(station, tmp_path_factory):
    scene = builders.make_scene(cameras=("CAM-A", "CAM_A"))
    wrench = trimesh.creation.box(extents=(0.25, 0.04, 0.02))
    path = tmp_path_factory.mktemp("usd") / "scene.usda"
    write_usd_stage(
        path,
        scene,
        station,
        builders.make_trajectory(scene),
        builders.make_tracks(scene),
        body_meshes={"wrench": wrench},
    )
    return scene, Usd.Stage.Open(str(path))


def test_stage_is_a_z_up_metre_stage_timed_in_frames(stage_24):
    _, stage = stage_24
    assert UsdGeom.GetStageMetersPerUnit(stage) == 1.0
    assert UsdGeom.GetStageUpAxis(stage) == UsdGeom.Tokens.z
    assert stage.GetTimeCodesPerSecond() == 24.0
    assert stage.GetFramesPerSecond() == 24.0
    assert stage.GetStartTimeCode() == 0
    assert stage.GetEndTimeCode() == 48  # 2 s at 24 fps: frames 0..48
    assert stage.GetDefaultPrim().GetPath() == "/World"
    doc = stage.GetRootLayer().documentation
    assert "metersPerUnit 1" in doc and "+X toward the main hatch" in doc


def test_a_23_976_stage_runs_at_24000_over_1001(station, tmp_path):
    scene = builders.make_scene(frame_rate=23.976, duration=1.0)
    path = tmp_path / "ntsc.usda"
    write_usd_stage(
        path, scene, station, builders.make_trajectory(scene), builders.make_tracks(scene)
    )
    stage = Usd.Stage.Open(str(path))
    assert stage.GetTimeCodesPerSecond() == pytest.approx(24000 / 1001, abs=1e-12)
    assert stage.GetEndTimeCode() == 23  # 1 s holds frames 0..23 at 23.976


def test_camera_fov_matches_the_pinhole_lens_as_it_zooms(stage_24):
    scene, stage = stage_24
    prim = stage.GetPrimAtPath("/World/Cameras/CAM_A")
    camera = UsdGeom.Camera(prim)
    assert camera.GetHorizontalApertureAttr().Get() == pytest.approx(0.367, abs=1e-7)
    assert camera.GetVerticalApertureAttr().Get() == pytest.approx(0.2554, abs=1e-7)
    assert camera.GetFocalLengthAttr().Get(0) == pytest.approx(0.24, abs=1e-7)  # 24 mm
    for frame in (0, 7, 24, 48):
        t = frame / 24
        focal = builders.focal_mm(t, scene.duration)
        fov = camera.GetCamera(frame).GetFieldOfView(Gf.Camera.FOVHorizontal)
        assert fov == pytest.approx(builders.expected_hfov_deg(focal), abs=0.01)
        assert camera.GetFocusDistanceAttr().Get(frame) == pytest.approx(builders.focus_m(t))
    assert camera.GetFStopAttr().Get() == pytest.approx(builders.F_STOP)
    assert tuple(camera.GetClippingRangeAttr().Get()) == pytest.approx((0.01, 20.0))


def test_camera_transform_puts_the_lens_where_we_say_looking_where_we_say(stage_24):
    _, stage = stage_24
    prim = stage.GetPrimAtPath("/World/Cameras/CAM_A")
    xformable = UsdGeom.Xformable(prim)
    for frame in (0, 5, 31, 48):
        t = frame / 24
        matrix = xformable.ComputeLocalToWorldTransform(frame)
        origin = np.array(matrix.Transform(Gf.Vec3d(0, 0, 0)))
        assert np.allclose(origin, builders.camera_position(t), atol=1e-6)
        axes = builders.camera_axes(t)
        forward = np.array(matrix.TransformDir(Gf.Vec3d(0, 0, -1)))
        up = np.array(matrix.TransformDir(Gf.Vec3d(0, 1, 0)))
        assert np.allclose(forward, -axes[:, 2], atol=1e-9)
        assert np.allclose(up, axes[:, 1], atol=1e-9)
        # Gf.Camera sees the same frame, so a renderer looks where the track does.
        frustum = UsdGeom.Camera(prim).GetCamera(frame).frustum
        assert np.allclose(frustum.GetPosition(), builders.camera_position(t), atol=1e-6)


def test_ids_become_valid_prim_names_and_stay_recorded(stage_24):
    _, stage = stage_24
    first = stage.GetPrimAtPath("/World/Cameras/CAM_A")
    second = stage.GetPrimAtPath("/World/Cameras/CAM_A_2")  # 'CAM_A' after 'CAM-A'
    assert first.GetAttribute("see1:id").Get() == "CAM-A"
    assert second.GetAttribute("see1:id").Get() == "CAM_A"
    assert first.GetDisplayName() == "CAM-A camera"
    crate = stage.GetPrimAtPath("/World/Bodies/crate_1")
    assert crate.GetAttribute("see1:id").Get() == "crate-1"
    assert usd_name("7up", set()) == "_7up"
    assert usd_name("a.b-c", set()) == "a_b_c"


def test_bodies_follow_the_trajectory(stage_24):
    scene, stage = stage_24
    for index, body in enumerate(scene.bodies()):
        prim = stage.GetPrimAtPath(f"/World/Bodies/{usd_name(body.id, set())}")
        assert prim.IsValid(), body.id
        for frame in (0, 13, 48):
            t = frame / 24
            matrix = UsdGeom.Xformable(prim).ComputeLocalToWorldTransform(frame)
            position = builders.body_position(index, t)
            assert np.allclose(matrix.Transform(Gf.Vec3d(0, 0, 0)), position, atol=1e-6)
            axis = np.array([1.0, 0.5 * index, 2.0])
            rotvec = axis / np.linalg.norm(axis) * (0.8 + 0.1 * index) * t
            point = np.array([0.1, -0.2, 0.3])
            expected = position + Rotation.from_rotvec(rotvec).apply(point)
            assert np.allclose(matrix.Transform(Gf.Vec3d(*point)), expected, atol=1e-6)


def test_bodies_are_drawn_with_their_simulated_shapes(stage_24):
    _, stage = stage_24
    ball = UsdGeom.Sphere(stage.GetPrimAtPath("/World/Bodies/ball/ball"))
    assert ball.GetRadiusAttr().Get() == pytest.approx(0.11)
    colour = ball.GetDisplayColorAttr().Get()[0]
    assert colour[0] == pytest.approx(1.0) and 0.2 < colour[1] < 0.25  # #ff8000 in linear RGB
    crate = UsdGeom.Cube(stage.GetPrimAtPath("/World/Bodies/crate_1/crate_1"))
    bound = crate.ComputeLocalBound(0, UsdGeom.Tokens.default_).ComputeAlignedRange()
    assert np.allclose(bound.GetSize(), (0.3, 0.2, 0.1))
    bottle = UsdGeom.Capsule(stage.GetPrimAtPath("/World/Bodies/bottle/bottle"))
    assert bottle.GetHeightAttr().Get() == pytest.approx(0.2)
    assert bottle.GetAxisAttr().Get() == "Z"
    tube = UsdGeom.Cylinder(stage.GetPrimAtPath("/World/Bodies/tube/tube"))
    assert tube.GetHeightAttr().Get() == pytest.approx(0.4)
    actor = UsdGeom.Capsule(stage.GetPrimAtPath("/World/Bodies/mia/mia"))
    radius, straight = actor.GetRadiusAttr().Get(), actor.GetHeightAttr().Get()
    assert straight + 2 * radius == pytest.approx(1.7)  # head to toe
    wrench = UsdGeom.Mesh(stage.GetPrimAtPath("/World/Bodies/wrench/wrench"))
    assert len(wrench.GetPointsAttr().Get()) == 8


def test_a_mesh_prop_without_its_mesh_gets_a_marked_stand_in(station, tmp_path):
    scene = builders.make_scene()
    path = tmp_path / "stand_in.usda"
    write_usd_stage(
        path, scene, station, builders.make_trajectory(scene), builders.make_tracks(scene)
    )
    stage = Usd.Stage.Open(str(path))
    prim = stage.GetPrimAtPath("/World/Bodies/wrench/wrench")
    assert prim.IsA(UsdGeom.Sphere)
    assert prim.GetAttribute("see1:standIn").Get() is True


def test_interior_faces_the_cabin_and_is_not_subdivided(stage_24, station):
    _, stage = stage_24
    boundary = UsdGeom.Mesh(stage.GetPrimAtPath("/World/Interior/Boundary"))
    points = np.array(boundary.GetPointsAttr().Get(), dtype=float)
    faces = np.array(boundary.GetFaceVertexIndicesAttr().Get()).reshape(-1, 3)
    assert set(boundary.GetFaceVertexCountsAttr().Get()) == {3}
    assert boundary.GetOrientationAttr().Get() == UsdGeom.Tokens.rightHanded
    assert boundary.GetSubdivisionSchemeAttr().Get() == UsdGeom.Tokens.none
    a, b, c = points[faces[:, 0]], points[faces[:, 1]], points[faces[:, 2]]
    winding = np.cross(b - a, c - a)  # right-handed front-face normal
    centres = (a + b + c) / 3
    toward_centre = np.einsum("ij,ij->i", winding, -centres)
    assert (toward_centre > 0).mean() > 0.99  # front faces are seen from inside the sphere
    normals = np.array(boundary.GetNormalsAttr().Get(), dtype=float)
    assert boundary.GetNormalsInterpolation() == UsdGeom.Tokens.vertex
    assert (np.einsum("ij,ij->i", normals, -points) > 0).mean() > 0.99
    fixtures = UsdGeom.Mesh(stage.GetPrimAtPath("/World/Interior/Fixtures"))
    total = sum(len(part.mesh.faces) for part in station.parts)
    assert len(fixtures.GetFaceVertexCountsAttr().Get()) == total


def test_a_trajectory_at_another_rate_is_refused(station, tmp_path):
    scene = builders.make_scene()
    trajectory = builders.make_trajectory(scene)
    trajectory.frame_rate = Fraction(25)
    with pytest.raises(ExportError, match="bake the scene again"):
        write_usd_stage(tmp_path / "x.usda", scene, station, trajectory, {})
    assert not (tmp_path / "x.usda").exists()


def test_binary_usd_by_suffix(station, tmp_path):
    scene = builders.make_scene(duration=0.5)
    path = tmp_path / "scene.usdc"
    write_usd_stage(
        path, scene, station, builders.make_trajectory(scene), builders.make_tracks(scene)
    )
    assert path.read_bytes()[:8] == b"PXR-USDC"
    stage = Usd.Stage.Open(str(path))
    assert stage.GetPrimAtPath("/World/Cameras/CAM_A").IsA(UsdGeom.Camera)
    assert math.isclose(UsdGeom.GetStageMetersPerUnit(stage), 1.0)
    assert [p.name for p in tmp_path.iterdir()] == ["scene.usdc"]  # no temporary left behind
