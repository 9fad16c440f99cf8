"""The scene as a USD stage: animated cameras, bodies and the SEE-1 interior, for VFX and DCCs.

Stage conventions: ``upAxis = Z`` and ``metersPerUnit = 1`` (the module frame, in metres),
``timeCodesPerSecond = framesPerSecond = fps`` (23.976 is written 24000/1001 as a float) and
one time sample per scene frame at time code = frame number, from 0 to the last frame.

Layout::

    /World                       default prim
      /Cameras/<id>              UsdGeomCamera, xformOp:transform per frame
      /Bodies/<id>               UsdGeomXform, translate + orient per frame
        /<id>                    Sphere, Cube, Cylinder, Capsule or Mesh in the body frame
      /Bodies/<actor>            SkelRoot of an articulated actor (see export.usd_skel)
      /Interior/Boundary         UsdGeomMesh, the cabin shell, faces toward the cabin
      /Interior/Fixtures         UsdGeomMesh, every fixture solid in one mesh
      /Looks/<name>              UsdPreviewSurface materials from the scene colours
      /Lights/<ring>_segment_NN  UsdLux RectLight per light-ring bar (see export.usd_looks)

Cameras follow USD's own convention (look along local -Z, +Y up), which is the app's too, so
no axis change is needed. Lens attributes are in tenths of a scene unit: on this metre stage
a 35 mm lens is written ``focalLength = 0.35`` and a 36.70 mm sensor width
``horizontalAperture = 0.367``. ``focusDistance`` and ``clippingRange`` are in metres.

Prim names must be USD identifiers, so ids are sanitised ("CAM-A" becomes ``CAM_A``); the
original id is kept in the string attribute ``see1:id`` and as the prim's display name.
A body's geometry is named after the body too, so importers that fold a transform into its
only child keep the body's name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import trimesh
from pxr import Gf, Sdf, Usd, UsdGeom, Vt

from see1previs.core import quaternion as quat
from see1previs.core.scene import (
    Actor,
    BoxShape,
    CapsuleShape,
    CylinderShape,
    MeshShape,
    Prop,
    Scene,
    SphereShape,
)
from see1previs.export import conventions
from see1previs.export.actor_skeleton import has_skeleton
from see1previs.export.files import ExportError, atomic_file
from see1previs.export.shots import check_bake_rate
from see1previs.export.usd_looks import add_light_rings, add_material, bind_material, linear_rgb
from see1previs.export.usd_skel import add_skinned_actor
from see1previs.physics.bodies import placeholder_radius
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack

MM_PER_SCENE_TENTH = 100.0  # USD lens attributes are tenths of a scene unit: 1 m / 10 = 100 mm
CLIPPING_RANGE_M = (0.01, 20.0)  # 1 cm to well past the 6 m sphere
STAND_IN_DENSITY = 1000.0  # kg/m³, sizes the sphere that stands in for an unreadable mesh prop

_PROP_COLOR = "#b0b0b0"
_ACTOR_COLOR = "#d08c60"
_INTERIOR_COLOR = "#e6e6e6"
_FIXTURE_COLOR = "#6f7780"


def write_usd_stage(
    path: Path | str,
    scene: Scene,
    station: Station,
    trajectory: Trajectory,
    tracks: Mapping[str, CameraTrack],
    body_meshes: Mapping[str, trimesh.Trimesh] | None = None,
) -> None:
    """Write the stage (``.usda`` text, or ``.usdc``/``.usd`` binary by the file's suffix).

    ``body_meshes`` maps a mesh prop's id to its mesh in the body frame, in metres (the file
    already scaled); a mesh prop without one is drawn as a stand-in sphere.
    """
    check_bake_rate(scene, trajectory)
    stage = build_stage(scene, station, trajectory, tracks, body_meshes)
    with atomic_file(path) as temp:
        if not stage.GetRootLayer().Export(str(temp)):
            raise ExportError(f"USD could not write '{path}'")


def build_stage(
    scene: Scene,
    station: Station,
    trajectory: Trajectory,
    tracks: Mapping[str, CameraTrack],
    body_meshes: Mapping[str, trimesh.Trimesh] | None = None,
) -> Usd.Stage:
    """The stage in memory (see the module docstring for its layout and units)."""
    stage = Usd.Stage.CreateInMemory()
    fps = float(scene.frame_rate.fps)
    frame_count = max([trajectory.frame_count, *(len(t.times) for t in tracks.values())])
    UsdGeom.SetStageUpAxis(stage, UsdGeom.Tokens.z)
    UsdGeom.SetStageMetersPerUnit(stage, UsdGeom.LinearUnits.meters)
    stage.SetTimeCodesPerSecond(fps)
    stage.SetFramesPerSecond(fps)
    stage.SetStartTimeCode(0)
    stage.SetEndTimeCode(max(frame_count - 1, 0))
    layer = stage.GetRootLayer()
    layer.documentation = (
        f"{scene.title} — written by {conventions.GENERATOR}. {conventions.MODULE_FRAME}. "
        f"upAxis Z, metersPerUnit 1. Time code = scene frame at "
        f"{conventions.frame_rate_text(scene.frame_rate)}. Cameras: "
        f"{conventions.CAMERA_AXES}; focalLength and apertures in tenths of a metre "
        "(35 mm = 0.35), focusDistance in metres."
    )
    fps_exact = scene.frame_rate.fps
    layer.customLayerData = {
        "see1:title": scene.title,
        "see1:frameRate": f"{fps_exact.numerator}/{fps_exact.denominator}",
    }
    world = UsdGeom.Xform.Define(stage, "/World")
    stage.SetDefaultPrim(world.GetPrim())

    _add_cameras(stage, scene, tracks)
    _add_bodies(stage, scene, trajectory, body_meshes or {})
    _add_interior(stage, station)
    add_light_rings(stage, station)
    return stage


# ---- names ----------------------------------------------------------------------------------
def usd_name(identifier: str, taken: set[str]) -> str:
    """A valid, unused prim name for a scene id ('CAM-A' -> 'CAM_A'); adds it to ``taken``."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", identifier) or "_"
    if name[0].isdigit():
        name = f"_{name}"
    candidate, n = name, 2
    while candidate in taken:  # 'CAM-A' and 'CAM_A' would otherwise collide
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _tag(prim: Usd.Prim, identifier: str, label: str = "") -> None:
    prim.CreateAttribute("see1:id", Sdf.ValueTypeNames.String, custom=True).Set(identifier)
    prim.SetDisplayName(label or identifier)


# ---- cameras --------------------------------------------------------------------------------
def _add_cameras(stage: Usd.Stage, scene: Scene, tracks: Mapping[str, CameraTrack]) -> None:
    UsdGeom.Scope.Define(stage, "/World/Cameras")
    names: dict[str, str] = {c.id: c.name for c in scene.cameras}
    ordered = [c.id for c in scene.cameras if c.id in tracks]
    ordered += [cid for cid in tracks if cid not in names]
    taken: set[str] = set()
    for camera_id in ordered:
        track = tracks[camera_id]
        path = f"/World/Cameras/{usd_name(camera_id, taken)}"
        camera = UsdGeom.Camera.Define(stage, path)
        prim = camera.GetPrim()
        _tag(prim, camera_id, names.get(camera_id, ""))
        optics = track.optics
        for key, value in (
            ("see1:body", optics.body_name),
            ("see1:mode", optics.mode_name),
            ("see1:lens", optics.lens_name),
        ):
            prim.CreateAttribute(key, Sdf.ValueTypeNames.String, custom=True).Set(value)
        camera.CreateProjectionAttr(UsdGeom.Tokens.perspective)
        camera.CreateHorizontalApertureAttr(optics.sensor_width_mm / MM_PER_SCENE_TENTH)
        camera.CreateVerticalApertureAttr(optics.sensor_height_mm / MM_PER_SCENE_TENTH)
        camera.CreateClippingRangeAttr(Gf.Vec2f(*CLIPPING_RANGE_M))
        camera.CreateFStopAttr(float(track.f_stop))
        focal = camera.CreateFocalLengthAttr()
        focus = camera.CreateFocusDistanceAttr()
        transform = camera.AddTransformOp()
        rotations = quat.to_matrix(track.orientations)
        for frame in range(len(track.times)):
            time = Usd.TimeCode(frame)
            transform.Set(_matrix(rotations[frame], track.positions[frame]), time)
            focal.Set(float(track.focal_mm[frame]) / MM_PER_SCENE_TENTH, time)
            distance = float(track.focus_m[frame])
            if math.isfinite(distance):
                focus.Set(distance, time)


def _matrix(rotation: np.ndarray, position: np.ndarray) -> Gf.Matrix4d:
    """USD matrices act on row vectors: rotation transposed, translation in the last row."""
    m = np.eye(4)
    m[:3, :3] = rotation.T
    m[3, :3] = position
    return Gf.Matrix4d(m.tolist())


# ---- bodies ---------------------------------------------------------------------------------
def _add_bodies(
    stage: Usd.Stage,
    scene: Scene,
    trajectory: Trajectory,
    body_meshes: Mapping[str, trimesh.Trimesh],
) -> None:
    UsdGeom.Scope.Define(stage, "/World/Bodies")
    taken: set[str] = set()
    for index, body_id in enumerate(trajectory.body_ids):
        try:
            body = scene.body(body_id)
        except KeyError:
            raise ExportError(
                f"the baked trajectory has a body '{body_id}' that is not in the scene; bake "
                "the scene again before exporting"
            ) from None
        name = usd_name(body_id, taken)
        path = f"/World/Bodies/{name}"
        default = _ACTOR_COLOR if isinstance(body, Actor) else _PROP_COLOR
        material = add_material(stage, f"{name}_material", body.color or default)
        if isinstance(body, Actor) and has_skeleton(trajectory, body_id):
            root, mesh = add_skinned_actor(stage, path, name, body, trajectory)
            _tag(root.GetPrim(), body_id, body.name)
            mesh.CreateDisplayColorAttr([_linear_rgb(body.color or default)])
            bind_material(mesh.GetPrim(), material)
            continue
        xform = UsdGeom.Xform.Define(stage, path)
        _tag(xform.GetPrim(), body_id, body.name)
        # Translate + orient rather than a matrix: USD slerps orient between samples, so a
        # tumbling prop stays rigid at motion-blur sub-frames.
        translate = xform.AddTranslateOp(UsdGeom.XformOp.PrecisionDouble)
        orient = xform.AddOrientOp(UsdGeom.XformOp.PrecisionDouble)
        positions = trajectory.positions[:, index]
        orientations = quat.normalize(trajectory.orientations[:, index])
        for frame in range(trajectory.frame_count):
            time = Usd.TimeCode(frame)
            translate.Set(Gf.Vec3d(*positions[frame].tolist()), time)
            w, x, y, z = orientations[frame].tolist()
            orient.Set(Gf.Quatd(w, Gf.Vec3d(x, y, z)), time)
        geom = _body_geometry(stage, f"{path}/{name}", body, body_meshes.get(body_id))
        geom.CreateDisplayColorAttr([_linear_rgb(body.color or default)])
        bind_material(geom.GetPrim(), material)


def _body_geometry(
    stage: Usd.Stage, path: str, body: Prop | Actor, mesh: trimesh.Trimesh | None
) -> UsdGeom.Gprim:
    """A gprim in the body frame matching what the physics simulates."""
    if isinstance(body, Actor):
        # The placeholder actor: a capsule along body z, centred on the origin, head at +z.
        radius = placeholder_radius(body.height, body.mass)
        return _capsule(stage, path, radius, body.height - 2.0 * radius)
    shape = body.shape
    if isinstance(shape, SphereShape):
        sphere = UsdGeom.Sphere.Define(stage, path)
        sphere.CreateRadiusAttr(shape.radius)
        return _with_extent(sphere)
    if isinstance(shape, BoxShape):
        cube = UsdGeom.Cube.Define(stage, path)
        cube.CreateSizeAttr(1.0)
        cube.AddScaleOp().Set(Gf.Vec3f(*shape.size))
        return _with_extent(cube)
    if isinstance(shape, CylinderShape):
        cylinder = UsdGeom.Cylinder.Define(stage, path)
        cylinder.CreateRadiusAttr(shape.radius)
        cylinder.CreateHeightAttr(shape.length)
        cylinder.CreateAxisAttr(UsdGeom.Tokens.z)
        return _with_extent(cylinder)
    if isinstance(shape, CapsuleShape):
        return _capsule(stage, path, shape.radius, shape.length)
    assert isinstance(shape, MeshShape)
    if mesh is not None:
        return _mesh(stage, path, mesh, smooth=False)
    # No mesh to draw: a sphere of water of the prop's mass marks where it is.
    sphere = UsdGeom.Sphere.Define(stage, path)
    sphere.CreateRadiusAttr((3.0 * body.mass / (4.0 * math.pi * STAND_IN_DENSITY)) ** (1 / 3))
    sphere.GetPrim().CreateAttribute("see1:standIn", Sdf.ValueTypeNames.Bool, custom=True).Set(True)
    return _with_extent(sphere)


def _capsule(stage: Usd.Stage, path: str, radius: float, straight: float) -> UsdGeom.Capsule:
    capsule = UsdGeom.Capsule.Define(stage, path)
    capsule.CreateRadiusAttr(radius)
    capsule.CreateHeightAttr(straight)  # USD's height excludes the two caps, like the scene's
    capsule.CreateAxisAttr(UsdGeom.Tokens.z)
    return _with_extent(capsule)


def _with_extent(gprim: UsdGeom.Gprim) -> UsdGeom.Gprim:
    extent = UsdGeom.Boundable.ComputeExtentFromPlugins(gprim, Usd.TimeCode.Default())
    gprim.CreateExtentAttr(extent)
    return gprim


# ---- interior -------------------------------------------------------------------------------
def _add_interior(stage: Usd.Stage, station: Station) -> None:
    interior = UsdGeom.Xform.Define(stage, "/World/Interior")
    _tag(interior.GetPrim(), station.name)
    # The boundary's faces already wind toward the cabin (right-handed), so its front faces
    # are seen from inside; single-sided, so a view from outside looks straight in.
    boundary = _mesh(stage, "/World/Interior/Boundary", station.boundary, smooth=True)
    boundary.CreateDisplayColorAttr([_linear_rgb(_INTERIOR_COLOR)])
    bind_material(boundary.GetPrim(), add_material(stage, "Interior_wall", _INTERIOR_COLOR))
    if station.parts:
        solids = trimesh.util.concatenate([part.mesh for part in station.parts])
        fixtures = _mesh(stage, "/World/Interior/Fixtures", solids, smooth=False)
        fixtures.CreateDisplayColorAttr([_linear_rgb(_FIXTURE_COLOR)])
        material = add_material(stage, "Interior_fixtures", _FIXTURE_COLOR)
        bind_material(fixtures.GetPrim(), material)


def _mesh(stage: Usd.Stage, path: str, mesh: trimesh.Trimesh, smooth: bool) -> UsdGeom.Mesh:
    """A triangle mesh as written, polygons as-is (no subdivision), with its normals."""
    usd_mesh = UsdGeom.Mesh.Define(stage, path)
    points = np.asarray(mesh.vertices, dtype=float)
    faces = np.asarray(mesh.faces, dtype=int)
    usd_mesh.CreatePointsAttr(Vt.Vec3fArray.FromNumpy(points.astype(np.float32)))
    usd_mesh.CreateFaceVertexCountsAttr(Vt.IntArray.FromNumpy(np.full(len(faces), 3, np.int32)))
    usd_mesh.CreateFaceVertexIndicesAttr(Vt.IntArray.FromNumpy(faces.ravel().astype(np.int32)))
    usd_mesh.CreateOrientationAttr(UsdGeom.Tokens.rightHanded)
    # Without this USD would treat the triangles as a Catmull-Clark cage and round them off.
    usd_mesh.CreateSubdivisionSchemeAttr(UsdGeom.Tokens.none)
    usd_mesh.CreateDoubleSidedAttr(False)
    if smooth:
        normals, interpolation = mesh.vertex_normals, UsdGeom.Tokens.vertex
    else:
        normals, interpolation = mesh.face_normals, UsdGeom.Tokens.uniform
    usd_mesh.CreateNormalsAttr(Vt.Vec3fArray.FromNumpy(np.asarray(normals, np.float32)))
    usd_mesh.SetNormalsInterpolation(interpolation)
    low, high = points.min(axis=0), points.max(axis=0)
    usd_mesh.CreateExtentAttr([Gf.Vec3f(*low.tolist()), Gf.Vec3f(*high.tolist())])
    return usd_mesh


def _linear_rgb(color: str) -> Gf.Vec3f:
    """A '#rrggbb' display colour (sRGB) as the linear RGB USD expects in displayColor."""
    return Gf.Vec3f(*linear_rgb(color))
