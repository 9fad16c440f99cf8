"""Inside Blender's Python (the ``bpy`` module): import the exports and measure what Blender sees.

Run by ``tools/blender_check.py`` in its own virtual environment, where ``bpy`` is installed
and the app is not, so this file imports nothing from the app and checks nothing: it imports
``stage.usda`` (``bpy.ops.wm.usd_import``) and, in a fresh empty scene, ``scene.glb``
(``bpy.ops.import_scene.gltf``), each with the importer's default options, and writes, for
each file, what Blender evaluates at the requested scene frames:

- every requested camera object: world matrix, focal length, sensor size and fit, angles of
  view, and the custom properties the importer made (glTF node extras);
- one actor's joint: the pose bone's head and matrix in the world, and the world positions of
  the body-mesh vertices in the joint's vertex group after the armature deforms the mesh.

Usage: ``python blender_check_bpy.py REQUEST.json RESULT.json``. The request names the files,
the frame rate, the frames, the camera object names and the actor's mesh object and joint
for each importer (see ``blender_request`` in ``blender_check.py``). Frames are scene
frames; a glTF key at *t* seconds lands on Blender frame *t* · (scene fps), so the scene's
rate is set before the glTF import and every frame is evaluated at its time, a subframe where
the rate is not a whole number.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import bpy

IMPORTERS = ("usd", "gltf")


def main(argv: list[str]) -> int:
    """Read the request, import each file and write the measurements as JSON."""
    request = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = {
        "blender": bpy.app.version_string,
        "importers": {kind: measure(kind, request) for kind in IMPORTERS if kind in request},
    }
    Path(argv[1]).write_text(json.dumps(result), encoding="utf-8")
    return 0


def measure(kind: str, request: dict) -> dict:
    """Import one file into an empty scene and measure its cameras and the actor's joint."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    spec = request[kind]
    scene = bpy.context.scene
    fps = float(request["fps"])
    if kind == "gltf":
        scene.render.fps = round(fps)
        scene.render.fps_base = 1.0
        outcome = bpy.ops.import_scene.gltf(filepath=spec["path"])
    else:
        outcome = bpy.ops.wm.usd_import(filepath=spec["path"])
    report = {"outcome": sorted(outcome), "cameras": {}, "actor": None, "notes": []}
    report["scene_fps"] = scene.render.fps / scene.render.fps_base
    # Scene time t (s) -> Blender frame, at the rate the importer used (glTF) or the
    # stage's time codes (USD: time code = scene frame number).
    frame_of = {
        frame: (frame if kind == "usd" else frame / fps * scene.render.fps * scene.render.fps_base)
        for frame in request["frames"]
    }
    cameras = {name: bpy.data.objects.get(name) for name in spec["cameras"]}
    report["camera_objects"] = sorted(o.name for o in bpy.data.objects if o.type == "CAMERA")
    actor = _actor_objects(spec["actor_mesh"], spec["joint"], report["notes"])
    samples: dict[str, list] = {name: [] for name, obj in cameras.items() if obj is not None}
    joint_samples: list[dict] = []
    for frame in request["frames"]:
        _set_frame(scene, frame_of[frame])
        depsgraph = bpy.context.evaluated_depsgraph_get()
        for name, obj in cameras.items():
            if obj is None:
                continue
            evaluated = obj.evaluated_get(depsgraph)
            data = evaluated.data
            samples[name].append(
                {
                    "frame": frame,
                    "matrix_world": _rows(evaluated.matrix_world),
                    "lens_mm": data.lens,
                    "sensor_width_mm": data.sensor_width,
                    "sensor_height_mm": data.sensor_height,
                    "sensor_fit": data.sensor_fit,
                    "angle_x_rad": data.angle_x,
                    "angle_y_rad": data.angle_y,
                }
            )
        if actor is not None:
            joint_samples.append(_joint_sample(frame, actor, spec["joint"], depsgraph))
    for name, obj in cameras.items():
        if obj is None:
            continue
        report["cameras"][name] = {
            "properties": {key: _plain(value) for key, value in obj.items()},
            "samples": samples[name],
        }
    if actor is not None:
        mesh, armature = actor
        report["actor"] = {
            "mesh": mesh.name,
            "armature": armature.name,
            "bones": [bone.name for bone in armature.data.bones],
            "samples": joint_samples,
        }
    return report


def _actor_objects(mesh_name: str, joint: str, notes: list[str]):
    """The actor's body mesh and the armature that deforms it, or None (with a note)."""
    mesh = bpy.data.objects.get(mesh_name)
    if mesh is None or mesh.type != "MESH":
        notes.append(f"no mesh object named {mesh_name!r}")
        return None
    armatures = [m.object for m in mesh.modifiers if m.type == "ARMATURE" and m.object]
    if not armatures:
        notes.append(f"mesh {mesh_name!r} has no armature modifier")
        return None
    armature = armatures[0]
    if joint not in armature.pose.bones:
        similar = [b.name for b in armature.data.bones if b.name.startswith(joint)]
        notes.append(f"armature {armature.name!r} has no bone {joint!r} (similar: {similar})")
        return None
    if joint not in mesh.vertex_groups:
        notes.append(f"mesh {mesh_name!r} has no vertex group {joint!r}")
        return None
    return mesh, armature


def _joint_sample(frame: int, actor, joint: str, depsgraph) -> dict:
    """The joint's pose bone in the world and its skinned vertices, at the current frame."""
    mesh, armature = actor
    arm = armature.evaluated_get(depsgraph)
    bone = arm.pose.bones[joint]
    world = arm.matrix_world @ bone.matrix
    group = mesh.vertex_groups[joint].index
    bound = [
        v.index
        for v in mesh.data.vertices
        if any(g.group == group and g.weight > 0.5 for g in v.groups)
    ]
    evaluated = mesh.evaluated_get(depsgraph)
    deformed = evaluated.to_mesh()
    try:
        to_world = evaluated.matrix_world
        points = [list(to_world @ deformed.vertices[i].co) for i in bound]
    finally:
        evaluated.to_mesh_clear()
    return {
        "frame": frame,
        "head": list(arm.matrix_world @ bone.head),
        "matrix_world": _rows(world),
        "points": points,
    }


def _set_frame(scene, frame: float) -> None:
    whole = math.floor(frame + 1e-9)
    scene.frame_set(whole, subframe=max(0.0, frame - whole))


def _rows(matrix) -> list[list[float]]:
    return [list(row) for row in matrix]


def _plain(value):
    """A custom property as JSON (ID property arrays and groups become lists and dicts)."""
    if hasattr(value, "to_list"):
        return value.to_list()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


if __name__ == "__main__":
    sys.exit(main(sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]))
