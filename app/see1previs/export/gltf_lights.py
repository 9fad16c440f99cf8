"""The cabin's light rings in glTF, as ``KHR_lights_punctual`` spot lights.

glTF core has no lights; the ``KHR_lights_punctual`` extension (read by Blender, three.js,
Babylon.js and most engines) has point, spot and directional lights, no area lights. Each
light-ring bar of :mod:`see1previs.export.light_rings` becomes one spot light at the bar's
face, shining along the same direction as the USD ``RectLight`` (the light's local -Z) with
a cone as wide as a hemisphere, and an intensity in candela equal to the strip's luminance
times its area (what a small flat emitter sends straight ahead).
"""

from __future__ import annotations

import math

from see1previs.core import quaternion as quat
from see1previs.export.gltf_buffers import GltfBuilder
from see1previs.export.light_rings import STRIP_COLOR_LINEAR, STRIP_LUMINANCE_NITS, light_strips
from see1previs.station.model import Station

EXTENSION = "KHR_lights_punctual"


def add_light_rings(gltf: GltfBuilder, station: Station, parent: int) -> list[int]:
    """Add a spot light node per light-ring bar under node ``parent``; returns the nodes."""
    strips = light_strips(station)
    if not strips:
        return []
    lights: list[dict] = []
    nodes: list[int] = []
    for strip in strips:
        area = math.pi * (0.5 * strip.length) ** 2 if strip.disc else strip.length * strip.width
        lights.append(
            {
                "name": strip.name,
                "type": "spot",
                "color": list(STRIP_COLOR_LINEAR),
                "intensity": STRIP_LUMINANCE_NITS * area,  # cd
                "spot": {"innerConeAngle": 0.0, "outerConeAngle": 0.5 * math.pi},
            }
        )
        w, x, y, z = quat.from_matrix(strip.rotation())
        node = gltf.add(
            "nodes",
            {
                "name": strip.name,
                "translation": [float(v) for v in strip.centre],
                "rotation": [float(x), float(y), float(z), float(w)],
                "extensions": {EXTENSION: {"light": len(lights) - 1}},
                "extras": {"see1:fixture": strip.fixture_id},
            },
        )
        gltf.document["nodes"][parent].setdefault("children", []).append(node)
        nodes.append(node)
    gltf.document.setdefault("extensions", {})[EXTENSION] = {"lights": lights}
    used = gltf.document.setdefault("extensionsUsed", [])
    if EXTENSION not in used:
        used.append(EXTENSION)
    return nodes
