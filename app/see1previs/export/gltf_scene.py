"""The whole scene as binary glTF 2.0 (``.glb``): cameras, skinned actors, props, interior.

glTF is metres and **+Y up**; the module frame is +Z up. Everything hangs under one root node,
``SEE1_module``, whose rotation (-90° about X) turns module +Z into glTF +Y and module +Y into
glTF -Z; below it every transform is in the module frame, exactly as the app computes it.
Module +X stays +X (toward the main hatch).

Nodes under ``SEE1_module``:

- one per camera, named by its id, holding a perspective camera: ``yfov`` from the sensor
  height and the focal length at the first frame, ``aspectRatio`` the sensor's, clip range
  0.01-20 m. Cameras look along local -Z with +Y up, the app's convention, so no axis change.
  glTF cannot animate lens properties, so a zoom keeps the first frame's field of view; the
  per-frame focal lengths are in the USD stage and the track files.
- one per prop (and placeholder actor) with its simulated shape as a mesh;
- per articulated actor, a node ``<actor>_skeleton`` (identity transform) holding one joint
  node per segment (the skeleton, rooted at the lower trunk), with a skin and a body mesh
  whose every vertex follows one joint (see :mod:`see1previs.export.actor_skeleton`); the
  skinned mesh node sits at the scene root, as glTF recommends, and its own transform is
  unused. The ``<actor>_skeleton`` node keeps each actor's joints apart: importers make the
  joints' common parent an armature (Blender does), and without it both actors' bones would
  land in one armature, the second actor's renamed ``right_hand.001`` and so on;
- ``Interior_wall`` (faces toward the cabin, single-sided) and ``Interior_fixtures``;
- one ``KHR_lights_punctual`` spot light per light-ring bar (see
  :mod:`see1previs.export.gltf_lights`).

One animation, ``performance``, samples every moving node once per frame (input: seconds
from the scene start, frame *k* at *k*/fps) with LINEAR interpolation (rotations slerp):
translation and rotation of cameras, props and joints. Joint transforms are relative to the
parent joint. Node rest transforms are the first frame's, so a viewer without animation
shows the scene's start. Materials are metallic-roughness with the scene colour (linear) as
base colour.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import trimesh

from see1previs.core import quaternion as quat
from see1previs.core.scene import Actor, Scene
from see1previs.export import conventions
from see1previs.export.actor_skeleton import (
    ActorSkeleton,
    actor_skeleton,
    has_skeleton,
    joint_motion,
)
from see1previs.export.body_meshes import body_trimesh
from see1previs.export.files import ExportError, atomic_file
from see1previs.export.gltf_buffers import ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER, GltfBuilder
from see1previs.export.gltf_lights import add_light_rings
from see1previs.export.shots import check_bake_rate
from see1previs.export.usd_looks import ROUGHNESS, linear_rgb
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack

ROOT_NODE = "SEE1_module"
# (x, y, z, w): -90° about X, module +Z -> glTF +Y, module +Y -> glTF -Z.
Z_UP_TO_Y_UP = (-math.sqrt(0.5), 0.0, 0.0, math.sqrt(0.5))
CLIPPING_RANGE_M = (0.01, 20.0)
_PROP_COLOR, _ACTOR_COLOR = "#b0b0b0", "#d08c60"
_INTERIOR_COLOR, _FIXTURE_COLOR = "#e6e6e6", "#6f7780"


def write_gltf_scene(
    path: Path | str,
    scene: Scene,
    station: Station,
    trajectory: Trajectory,
    tracks: Mapping[str, CameraTrack],
    body_meshes: Mapping[str, trimesh.Trimesh] | None = None,
) -> None:
    """Write the scene as one binary glTF file (see the module docstring for its layout).

    ``body_meshes`` maps a mesh prop's id to its mesh in the body frame, in metres; a mesh
    prop without one is drawn as a sphere of water of its mass.
    """
    check_bake_rate(scene, trajectory)
    data = build_gltf(scene, station, trajectory, tracks, body_meshes)
    with atomic_file(path) as temp:
        Path(temp).write_bytes(data)


def build_gltf(
    scene: Scene,
    station: Station,
    trajectory: Trajectory,
    tracks: Mapping[str, CameraTrack],
    body_meshes: Mapping[str, trimesh.Trimesh] | None = None,
) -> bytes:
    """The ``.glb`` file's bytes."""
    fps = scene.frame_rate.fps
    writer = _SceneWriter(
        GltfBuilder(
            conventions.GENERATOR,
            extras={
                "title": scene.title,
                "frame": conventions.MODULE_FRAME,
                "up": f"glTF +Y is the module's +Z: the root node {ROOT_NODE} turns Z-up into Y-up",
                "camera_axes": conventions.CAMERA_AXES,
                "frame_rate": f"{fps.numerator}/{fps.denominator}",
                "time": "animation time in seconds from the scene start; frame k at k/fps",
            },
        ),
        float(fps),
    )
    writer.cameras(scene, tracks)
    writer.bodies(scene, trajectory, body_meshes or {})
    writer.interior(station)
    add_light_rings(writer.gltf, station, writer.root)
    return writer.finish(scene.title)


class _SceneWriter:
    """Builds the document node by node; ``finish`` adds the animation and the scene."""

    def __init__(self, builder: GltfBuilder, fps: float) -> None:
        self.gltf = builder
        self.fps = fps
        self.root = builder.add(
            "nodes", {"name": ROOT_NODE, "rotation": list(Z_UP_TO_Y_UP), "children": []}
        )
        self.scene_nodes = [self.root]
        self.channels: list[dict[str, Any]] = []
        self.samplers: list[dict[str, Any]] = []
        self._inputs: dict[int, int] = {}
        self._materials: dict[tuple[str, str], int] = {}

    # ---- cameras ------------------------------------------------------------------------
    def cameras(self, scene: Scene, tracks: Mapping[str, CameraTrack]) -> None:
        ordered = [c.id for c in scene.cameras if c.id in tracks]
        ordered += [cid for cid in tracks if cid not in ordered]
        for camera_id in ordered:
            track = tracks[camera_id]
            optics = track.optics
            focal = float(track.focal_mm[0])
            camera = self.gltf.add(
                "cameras",
                {
                    "name": camera_id,
                    "type": "perspective",
                    "perspective": {
                        "yfov": 2.0 * math.atan(optics.sensor_height_mm / (2.0 * focal)),
                        "aspectRatio": optics.sensor_width_mm / optics.sensor_height_mm,
                        "znear": CLIPPING_RANGE_M[0],
                        "zfar": CLIPPING_RANGE_M[1],
                    },
                },
            )
            extras = {
                "see1:id": camera_id,
                "body": optics.body_name,
                "mode": optics.mode_name,
                "lens": optics.lens_name,
                "sensor_mm": [optics.sensor_width_mm, optics.sensor_height_mm],
                "focal_mm": focal,
                "f_stop": float(track.f_stop),
            }
            node = self._node(camera_id, track.positions, track.orientations, extras)
            self.gltf.document["nodes"][node]["camera"] = camera
            self._animate(node, track.positions, track.orientations)

    # ---- bodies -------------------------------------------------------------------------
    def bodies(
        self, scene: Scene, trajectory: Trajectory, meshes: Mapping[str, trimesh.Trimesh]
    ) -> None:
        for index, body_id in enumerate(trajectory.body_ids):
            try:
                body = scene.body(body_id)
            except KeyError:
                raise ExportError(
                    f"the baked trajectory has a body '{body_id}' that is not in the scene; "
                    "bake the scene again before exporting"
                ) from None
            default = _ACTOR_COLOR if isinstance(body, Actor) else _PROP_COLOR
            material = self._material(f"{body_id}_material", body.color or default)
            if isinstance(body, Actor) and has_skeleton(trajectory, body_id):
                self._skinned_actor(body, trajectory, material)
                continue
            positions = trajectory.positions[:, index]
            orientations = trajectory.orientations[:, index]
            node = self._node(body_id, positions, orientations, {"see1:id": body_id})
            shape, smooth = body_trimesh(body, meshes.get(body_id))
            self.gltf.document["nodes"][node]["mesh"] = self._mesh(
                body_id, shape, material, smooth=smooth
            )
            self._animate(node, positions, orientations)

    def _skinned_actor(self, actor: Actor, trajectory: Trajectory, material: int) -> None:
        skeleton = actor_skeleton(actor.height, actor.mass)
        motion = joint_motion(trajectory, actor.id, skeleton)
        nodes = self.gltf.document["nodes"]
        holder = self.gltf.add(
            "nodes",
            {"name": f"{actor.id}_skeleton", "extras": {"see1:id": actor.id}, "children": []},
        )
        nodes[self.root]["children"].append(holder)
        joints: list[int] = []
        for index, segment in enumerate(skeleton.segments):
            node = self.gltf.add(
                "nodes",
                {
                    "name": segment,
                    "translation": _floats(motion.local_translations[0, index]),
                    "rotation": _floats(_xyzw(motion.local_rotations[0, index])),
                },
            )
            joints.append(node)
            parent = skeleton.parents[index]
            owner = nodes[holder] if parent < 0 else nodes[joints[parent]]
            owner.setdefault("children", []).append(node)
            self._animate(
                node,
                motion.local_translations[:, index],
                motion.local_rotations[:, index],
                local=True,
            )
        nodes[joints[0]]["extras"] = {"see1:id": actor.id, "see1:role": "skeleton root"}
        inverse_bind = np.linalg.inv(skeleton.bind_world).astype(np.float32)
        skin = self.gltf.add(
            "skins",
            {
                "name": f"{actor.id}_skeleton",
                "joints": joints,
                "skeleton": joints[0],
                "inverseBindMatrices": self.gltf.accessor(inverse_bind),
            },
        )
        mesh = self._skinned_mesh(f"{actor.id}_body", skeleton, material)
        self.scene_nodes.append(
            self.gltf.add(
                "nodes",
                {
                    "name": f"{actor.id}_body",
                    "mesh": mesh,
                    "skin": skin,
                    "extras": {"see1:id": actor.id},
                },
            )
        )

    def _skinned_mesh(self, name: str, skeleton: ActorSkeleton, material: int) -> int:
        count = len(skeleton.points)
        joint_ids = np.zeros((count, 4), np.uint8)
        joint_ids[:, 0] = skeleton.joint_of_vertex
        weights = np.zeros((count, 4), np.float32)
        weights[:, 0] = 1.0
        attributes = self._attributes(skeleton.points, skeleton.normals)
        attributes["JOINTS_0"] = self.gltf.accessor(joint_ids, target=ARRAY_BUFFER)
        attributes["WEIGHTS_0"] = self.gltf.accessor(weights, target=ARRAY_BUFFER)
        return self._primitive_mesh(name, attributes, skeleton.faces, material)

    # ---- interior -----------------------------------------------------------------------
    def interior(self, station: Station) -> None:
        wall = self._material("Interior_wall", _INTERIOR_COLOR)
        node = self.gltf.add(
            "nodes",
            {
                "name": "Interior_wall",
                "mesh": self._mesh("Interior_wall", station.boundary, wall, smooth=True),
                "extras": {"see1:id": station.name},
            },
        )
        self.gltf.document["nodes"][self.root]["children"].append(node)
        if station.parts:
            solids = trimesh.util.concatenate([part.mesh for part in station.parts])
            fixtures = self._material("Interior_fixtures", _FIXTURE_COLOR)
            node = self.gltf.add(
                "nodes",
                {
                    "name": "Interior_fixtures",
                    "mesh": self._mesh("Interior_fixtures", solids, fixtures, smooth=False),
                },
            )
            self.gltf.document["nodes"][self.root]["children"].append(node)

    # ---- the document -------------------------------------------------------------------
    def finish(self, title: str) -> bytes:
        if self.channels:
            self.gltf.add(
                "animations",
                {"name": "performance", "channels": self.channels, "samplers": self.samplers},
            )
        self.gltf.document["scene"] = self.gltf.add(
            "scenes", {"name": title, "nodes": self.scene_nodes}
        )
        return self.gltf.glb()

    def _node(
        self, name: str, positions: np.ndarray, orientations: np.ndarray, extras: dict
    ) -> int:
        """A node under the root at the first frame's pose."""
        node = self.gltf.add(
            "nodes",
            {
                "name": name,
                "translation": _floats(positions[0]),
                "rotation": _floats(_xyzw(quat.normalize(orientations[0]))),
                "extras": extras,
            },
        )
        self.gltf.document["nodes"][self.root]["children"].append(node)
        return node

    def _animate(
        self, node: int, positions: np.ndarray, orientations: np.ndarray, local: bool = False
    ) -> None:
        """Per-frame translation and rotation samplers for ``node`` (LINEAR)."""
        frames = len(positions)
        rotations = quat.normalize(np.asarray(orientations, dtype=float))
        if not local:
            rotations = _continuous(rotations)
        for path, values in (
            ("translation", np.asarray(positions, np.float32)),
            ("rotation", _xyzw(rotations).astype(np.float32)),
        ):
            sampler = len(self.samplers)
            self.samplers.append(
                {
                    "input": self._times(frames),
                    "output": self.gltf.accessor(values),
                    "interpolation": "LINEAR",
                }
            )
            self.channels.append({"sampler": sampler, "target": {"node": node, "path": path}})

    def _times(self, frames: int) -> int:
        if frames not in self._inputs:
            times = (np.arange(frames, dtype=float) / self.fps).astype(np.float32)
            self._inputs[frames] = self.gltf.accessor(times, bounds=True)
        return self._inputs[frames]

    def _material(self, name: str, color: str) -> int:
        key = (name, color)
        if key not in self._materials:
            self._materials[key] = self.gltf.add(
                "materials",
                {
                    "name": name,
                    "pbrMetallicRoughness": {
                        "baseColorFactor": [*linear_rgb(color), 1.0],
                        "metallicFactor": 0.0,
                        "roughnessFactor": ROUGHNESS,
                    },
                },
            )
        return self._materials[key]

    def _mesh(self, name: str, mesh: trimesh.Trimesh, material: int, smooth: bool) -> int:
        if not smooth:  # one normal per face: split the vertices the faces share
            mesh = mesh.copy()
            mesh.unmerge_vertices()
        attributes = self._attributes(mesh.vertices, mesh.vertex_normals)
        return self._primitive_mesh(name, attributes, mesh.faces, material)

    def _attributes(self, points: np.ndarray, normals: np.ndarray) -> dict[str, int]:
        return {
            "POSITION": self.gltf.accessor(
                np.asarray(points, np.float32), target=ARRAY_BUFFER, bounds=True
            ),
            "NORMAL": self.gltf.accessor(np.asarray(normals, np.float32), target=ARRAY_BUFFER),
        }

    def _primitive_mesh(
        self, name: str, attributes: dict[str, int], faces: np.ndarray, material: int
    ) -> int:
        indices = self.gltf.accessor(
            np.asarray(faces, np.uint32).ravel(), target=ELEMENT_ARRAY_BUFFER
        )
        primitive = {"attributes": attributes, "indices": indices, "material": material}
        return self.gltf.add("meshes", {"name": name, "primitives": [primitive]})


def _continuous(wxyz: np.ndarray) -> np.ndarray:
    """Quaternions flipped into one hemisphere frame to frame, so slerp takes the short way."""
    out = wxyz.copy()
    for frame in range(1, len(out)):
        if out[frame] @ out[frame - 1] < 0.0:
            out[frame] = -out[frame]
    return out


def _xyzw(wxyz: np.ndarray) -> np.ndarray:
    """The app's (w, x, y, z) as glTF's (x, y, z, w)."""
    return np.roll(np.asarray(wxyz, dtype=float), -1, axis=-1)


def _floats(values: np.ndarray) -> list[float]:
    return [float(v) for v in values]
