"""The breakfast demo's performers in USD, read back with pxr: UsdSkel joints equal the bake.

Truth is the baked trajectory's segment poses (``Trajectory.link_pose``): pxr's own skeleton
evaluation (``UsdSkel.Cache`` → ``SkeletonQuery.ComputeJointWorldTransforms``) must put every
joint there within 1 mm and 0.1°. The stage also passes OpenUSD's validators, names its
geometry after the bodies, binds a material to everything drawn and lights the cabin.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pxr import Gf, Usd, UsdGeom, UsdLux, UsdShade, UsdSkel, UsdValidation, Vt
from scipy.spatial.transform import Rotation

from see1previs.export.usd_looks import linear_rgb
from see1previs.export.usd_stage import write_usd_stage
from tests.export.breakfast import breakfast

POSITION_TOLERANCE_M = 1e-3
ANGLE_TOLERANCE_DEG = 0.1
ACTORS = ("mika", "ren")


@pytest.fixture(scope="module")
def baked():
    return breakfast()


@pytest.fixture(scope="module")
def stage(baked, tmp_path_factory):
    path = tmp_path_factory.mktemp("performers") / "stage.usda"
    write_usd_stage(path, baked.scene, baked.station, baked.trajectory, baked.tracks)
    return Usd.Stage.Open(str(path))


def _skeleton_query(stage, actor_id):
    root = UsdSkel.Root(stage.GetPrimAtPath(f"/World/Bodies/{actor_id}"))
    assert root, actor_id
    cache = UsdSkel.Cache()
    cache.Populate(root, Usd.PrimDefaultPredicate)
    skeleton = UsdSkel.Skeleton(
        stage.GetPrimAtPath(f"/World/Bodies/{actor_id}/{actor_id}_skeleton")
    )
    return cache, cache.GetSkelQuery(skeleton)


def _rotation(matrix: Gf.Matrix4d) -> Rotation:
    return Rotation.from_matrix(np.array(matrix, dtype=float)[:3, :3].T)


@pytest.mark.parametrize("actor_id", ACTORS)
def test_joint_world_transforms_equal_the_baked_segment_poses(baked, stage, actor_id):
    _, query = _skeleton_query(stage, actor_id)
    joints = [str(path).rsplit("/", 1)[-1] for path in query.GetJointOrder()]
    assert len(joints) == 16 and joints[0] == "lower_trunk"
    assert {"head", "left_hand", "right_foot"} <= set(joints)
    worst_position = worst_angle = 0.0
    for frame in baked.sample_frames():
        world = query.ComputeJointWorldTransforms(UsdGeom.XformCache(Usd.TimeCode(frame)))
        t = float(baked.trajectory.times[frame])
        for joint, matrix in zip(joints, world, strict=True):
            position, orientation = baked.trajectory.link_pose(f"{actor_id}/{joint}", t)
            usd_position = np.array(matrix.ExtractTranslation())
            w, x, y, z = orientation
            angle = (_rotation(matrix) * Rotation.from_quat([x, y, z, w]).inv()).magnitude()
            worst_position = max(worst_position, float(np.linalg.norm(usd_position - position)))
            worst_angle = max(worst_angle, math.degrees(angle))
    assert worst_position <= POSITION_TOLERANCE_M
    assert worst_angle <= ANGLE_TOLERANCE_DEG


def test_the_skinned_hand_moves_with_the_baked_hand(baked, stage):
    """pxr skins the body mesh: the right hand's vertices ride on the baked hand segment."""
    cache, query = _skeleton_query(stage, "ren")
    mesh_prim = stage.GetPrimAtPath("/World/Bodies/ren/ren_body")
    root = UsdSkel.Root(stage.GetPrimAtPath("/World/Bodies/ren"))
    binding = next(b for b in cache.ComputeSkelBindings(root, Usd.PrimDefaultPredicate))
    skinning = next(
        q for q in binding.GetSkinningTargets() if q.GetPrim().GetPath() == mesh_prim.GetPath()
    )
    joints = [str(path).rsplit("/", 1)[-1] for path in query.GetJointOrder()]
    hand = joints.index("right_hand")
    indices = np.array(mesh_prim.GetAttribute("primvars:skel:jointIndices").Get())
    rest = np.array(UsdGeom.Mesh(mesh_prim).GetPointsAttr().Get(), dtype=float)
    on_hand = np.flatnonzero(indices == hand)
    assert len(on_hand) > 0
    bind = np.array(query.GetSkeleton().GetBindTransformsAttr().Get()[hand], dtype=float).T
    local = (np.linalg.inv(bind) @ np.c_[rest[on_hand], np.ones(len(on_hand))].T)[:3].T
    for frame in baked.sample_frames():
        xforms = query.ComputeSkinningTransforms(Usd.TimeCode(frame))
        skinned = Vt.Vec3fArray.FromNumpy(rest.astype(np.float32))
        assert skinning.ComputeSkinnedPoints(xforms, skinned, Usd.TimeCode(frame))
        skinned = np.array(skinned, dtype=float)[on_hand]
        position, orientation = baked.trajectory.link_pose(
            "ren/right_hand", float(baked.trajectory.times[frame])
        )
        w, x, y, z = orientation
        expected = position + Rotation.from_quat([x, y, z, w]).apply(local)
        assert np.abs(skinned - expected).max() <= POSITION_TOLERANCE_M


def test_openusd_validators_find_no_errors(stage):
    registry = UsdValidation.ValidationRegistry()
    names = [
        m.name
        for m in registry.GetAllValidatorMetadata()
        if "UsdzValidators" not in m.GetKeywords()  # packaging rules for .usdz files only
    ]
    context = UsdValidation.ValidationContext(registry.GetOrLoadValidatorsByName(names))
    errors = [
        f"{e.GetName()}: {e.GetMessage()}"
        for e in context.Validate(stage)
        if e.GetType() == UsdValidation.ValidationErrorType.Error
    ]
    assert errors == []


def test_geometry_is_named_after_its_body(stage):
    names = [prim.GetName() for prim in stage.Traverse() if prim.IsA(UsdGeom.Gprim)]
    assert "Geom" not in names
    assert len(names) == len(set(names))  # one object name each in a DCC's outliner
    assert stage.GetPrimAtPath("/World/Bodies/bulb/bulb").IsA(UsdGeom.Cylinder)
    for actor in ACTORS:
        assert stage.GetPrimAtPath(f"/World/Bodies/{actor}").IsA(UsdSkel.Root)
        assert stage.GetPrimAtPath(f"/World/Bodies/{actor}/{actor}_body").IsA(UsdGeom.Mesh)
        assert stage.GetPrimAtPath(f"/World/Bodies/{actor}/{actor}_skeleton").IsA(UsdSkel.Skeleton)


def test_everything_drawn_has_a_preview_surface_in_its_scene_colour(baked, stage):
    gprims = [p for p in stage.Traverse() if p.IsA(UsdGeom.Gprim)]
    for prim in gprims:
        material, _ = UsdShade.MaterialBindingAPI(prim).ComputeBoundMaterial()
        assert material, prim.GetPath()
        shader = material.ComputeSurfaceSource()[0]
        assert shader.GetIdAttr().Get() == "UsdPreviewSurface"
    for body in baked.scene.bodies():
        prim = next(
            p for p in gprims if p.GetPath().pathString.startswith(f"/World/Bodies/{body.id}/")
        )
        material, _ = UsdShade.MaterialBindingAPI(prim).ComputeBoundMaterial()
        colour = material.ComputeSurfaceSource()[0].GetInput("diffuseColor").Get()
        assert tuple(colour) == pytest.approx(linear_rgb(body.color), abs=1e-6)


def test_the_light_rings_light_the_cabin(stage):
    lights = [p for p in stage.Traverse() if p.HasAPI(UsdLux.LightAPI)]
    rects = [p for p in lights if p.IsA(UsdLux.RectLight)]
    assert len(rects) == 48  # two rings of 24 bars
    assert {p.GetAttribute("see1:fixture").Get() for p in rects} == {"L1", "L2"}
    for prim in rects:
        matrix = UsdGeom.Xformable(prim).ComputeLocalToWorldTransform(0)
        centre = np.array(matrix.ExtractTranslation())
        shines = np.array(matrix.TransformDir(Gf.Vec3d(0, 0, -1)))
        assert 2.5 < np.linalg.norm(centre) < 3.0  # on the ring, inside the 3 m wall
        assert shines @ -centre > 0  # into the cabin
        assert UsdLux.LightAPI(prim).GetIntensityAttr().Get() > 0
