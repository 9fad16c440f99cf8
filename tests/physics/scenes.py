"""Small scene builders for physics tests: one call makes a valid scene dict."""

from __future__ import annotations

import math
from typing import Any

from see1previs.core.scene import FORMAT_VERSION, Scene


def sphere_prop(
    prop_id: str,
    position=(0.0, 0.0, 0.0),
    velocity=(0.0, 0.0, 0.0),
    angular=(0.0, 0.0, 0.0),
    radius: float = 0.1,
    mass: float = 1.0,
    restitution: float = 0.5,
    friction: float = 0.5,
) -> dict[str, Any]:
    return {
        "id": prop_id,
        "shape": {"type": "sphere", "radius": radius},
        "mass": mass,
        "material": {"restitution": restitution, "friction": friction},
        "pose": {"position": list(position)},
        "velocity": {"linear": list(velocity), "angular": list(angular)},
    }


def make_scene(
    props: list[dict[str, Any]] | None = None,
    *,
    duration: float = 5.0,
    frame_rate: Any = 24,
    air_drag: bool = False,
    actors: list[dict[str, Any]] | None = None,
    cues: list[dict[str, Any]] | None = None,
    **environment: Any,
) -> Scene:
    return Scene.model_validate(
        {
            "format": FORMAT_VERSION,
            "title": "physics test",
            "frame_rate": frame_rate,
            "duration": duration,
            "environment": {"air_drag": air_drag, **environment},
            "props": props or [],
            # Actors in these tests are rigid capsules unless they ask for a humanoid.
            "actors": [{"body": "placeholder", **actor} for actor in actors or []],
            "cues": cues or [],
        }
    )


# A line from the module centre to the SEE-1 wall that passes no fixture: 220° azimuth, 30°
# below the equator (between the stage-side foot restraints and the bottom light ring).
_AZIMUTH, _ELEVATION = math.radians(220.0), math.radians(-30.0)
CLEAR_WALL_DIRECTION = (
    math.cos(_ELEVATION) * math.cos(_AZIMUTH),
    math.cos(_ELEVATION) * math.sin(_AZIMUTH),
    math.sin(_ELEVATION),
)


def box_prop(
    prop_id: str,
    size=(0.3, 0.2, 0.1),
    mass: float = 1.2,
    position=(0.0, 0.0, 0.0),
    velocity=(0.0, 0.0, 0.0),
    angular=(0.0, 0.0, 0.0),
) -> dict[str, Any]:
    return {
        "id": prop_id,
        "shape": {"type": "box", "size": list(size)},
        "mass": mass,
        "pose": {"position": list(position)},
        "velocity": {"linear": list(velocity), "angular": list(angular)},
    }
