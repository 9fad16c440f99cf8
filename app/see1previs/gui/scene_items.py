"""New scene items as the Add menu makes them: sensible defaults a director then adjusts.

Qt-free helpers used by the window's Add actions: a prop or actor at a free spot near the
centre of the sphere, a camera on a free mount aimed at the selection, a shot for a camera
from the playhead. Cues come from the cue palette (:mod:`see1previs.physics.cue_defaults`).
"""

from __future__ import annotations

import itertools
import math

from see1previs.core import commands as cmd
from see1previs.core.scene import Scene

CAMERA_MOUNTS = ("CAM-A", "CAM-B", "CAM-C", "CAM-D", "CAM-E", "CAM-F")
CLEARANCE_M = 0.7
SHOT_LENGTH_S = 4.0


def free_spot(scene: Scene) -> list[float]:
    """A start position at least 0.7 m from every body's start, as close to the centre as can be."""
    taken = [body.pose.position for body in scene.bodies()]
    candidates = [(0.0, 0.0, 0.0)]
    for radius in (0.8, 1.4, 1.9):
        for k in range(12):
            angle = 2 * math.pi * k / 12
            for z in (0.0, 0.6, -0.6):
                candidates.append((radius * math.cos(angle), radius * math.sin(angle), z))
    for spot in candidates:
        if all(math.dist(spot, other) >= CLEARANCE_M for other in taken):
            return [round(c, 3) for c in spot]
    return [0.0, 0.0, 0.0]


def new_prop(scene: Scene) -> dict:
    return {
        "id": cmd.unique_id(scene, "prop-1"),
        "name": "New prop",
        "shape": {"type": "box", "size": [0.2, 0.15, 0.1]},
        "mass": 0.5,
        "color": "#e0a040",
        "pose": {"position": free_spot(scene)},
    }


def new_actor(scene: Scene) -> dict:
    return {
        "id": cmd.unique_id(scene, "actor-1"),
        "name": "New actor",
        "height": 1.75,
        "mass": 75.0,
        "pose": {"position": free_spot(scene)},
    }


def new_camera(scene: Scene, look_at: str | None = None) -> dict:
    used = {getattr(c.rig, "mount", None) for c in scene.cameras}
    mount = next((m for m in CAMERA_MOUNTS if m not in used), None)
    rig: dict = (
        {"type": "fixed", "mount": mount}
        if mount
        else {
            "type": "fixed",
            "position": [0.0, -2.2, 0.0],
        }
    )
    letters = (chr(c) for c in range(ord("A"), ord("Z") + 1))
    ids = {c.id for c in scene.cameras}
    camera_id = next((f"{a}" for a in letters if a not in ids), None)
    if camera_id is None or camera_id in {b.id for b in scene.bodies()}:
        camera_id = cmd.unique_id(scene, "cam-1")
    return {
        "id": camera_id,
        "name": f"{camera_id} camera",
        "focal_length": 35.0,
        "look_at": look_at if look_at else {"point": [0.0, 0.0, 0.0]},
        "rig": rig,
    }


def new_shot(scene: Scene, camera_id: str, start: float) -> dict:
    start = max(0.0, min(start, scene.duration - 0.5))
    end = min(scene.duration, start + SHOT_LENGTH_S)
    names = {s.id for s in scene.shots}
    number = next(
        n for n in itertools.count(len(scene.shots) + 1) if f"{n}{camera_id}" not in names
    )
    return {
        "id": cmd.unique_id(scene, f"{number}{camera_id}"),
        "name": f"{number}{camera_id}",
        "camera": camera_id,
        "start": round(start, 6),
        "end": round(end, 6),
    }
