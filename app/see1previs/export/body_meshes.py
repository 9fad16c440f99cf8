"""A scene body's simulated shape as a triangle mesh in the body's own frame (metres).

For exporters that only write meshes (glTF). Shapes follow the scene's conventions: a
cylinder or capsule lies along the body's z axis, a capsule's length is its straight part, a
placeholder actor is a capsule as tall as the person with the head at +z. A mesh prop whose
file was not read is a sphere of water of the prop's mass, as in the USD stage.
"""

from __future__ import annotations

import math

import trimesh

from see1previs.core.scene import Actor, BoxShape, CapsuleShape, CylinderShape, Prop, SphereShape
from see1previs.physics.bodies import placeholder_radius

STAND_IN_DENSITY = 1000.0  # kg/m³, sizes the sphere that stands in for an unreadable mesh prop


def body_trimesh(body: Prop | Actor, mesh: trimesh.Trimesh | None) -> tuple[trimesh.Trimesh, bool]:
    """The body's simulated shape as a triangle mesh in its frame, and whether it is smooth."""
    if isinstance(body, Actor):  # a placeholder actor: capsule along z, head at +z
        radius = placeholder_radius(body.height, body.mass)
        return trimesh.creation.capsule(height=body.height - 2.0 * radius, radius=radius), True
    shape = body.shape
    if isinstance(shape, SphereShape):
        return trimesh.creation.icosphere(subdivisions=3, radius=shape.radius), True
    if isinstance(shape, BoxShape):
        return trimesh.creation.box(extents=shape.size), False
    if isinstance(shape, CylinderShape):
        return trimesh.creation.cylinder(radius=shape.radius, height=shape.length), False
    if isinstance(shape, CapsuleShape):
        return trimesh.creation.capsule(height=shape.length, radius=shape.radius), True
    if mesh is not None:
        return mesh, False
    radius = (3.0 * body.mass / (4.0 * math.pi * STAND_IN_DENSITY)) ** (1 / 3)
    return trimesh.creation.icosphere(subdivisions=2, radius=radius), True
