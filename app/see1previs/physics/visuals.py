"""What each simulated body looks like, as shapes posed in the frame of a trajectory link.

Viewports and renderers draw bodies without knowing how physics modelled them: a prop is one
rigid link, an articulated actor is one link per segment. :func:`visual_parts` lists every
shape with the link it rides on; ``Trajectory.link_pose(link, t)`` says where that link is.
A shape's world pose is the link pose composed with the shape's local pose.
"""

from __future__ import annotations

from dataclasses import dataclass

import mujoco
import numpy as np

from see1previs.physics.world import World

_KINDS = {
    int(mujoco.mjtGeom.mjGEOM_SPHERE): "sphere",
    int(mujoco.mjtGeom.mjGEOM_CAPSULE): "capsule",
    int(mujoco.mjtGeom.mjGEOM_BOX): "box",
    int(mujoco.mjtGeom.mjGEOM_CYLINDER): "cylinder",
    int(mujoco.mjtGeom.mjGEOM_MESH): "mesh",
}


@dataclass(frozen=True)
class VisualPart:
    """One drawable shape of a scene body."""

    owner: str  # scene id of the prop or actor
    link: str  # trajectory link it rides on: the body id, or "actor/segment"
    kind: str  # "sphere" | "capsule" | "box" | "cylinder" | "mesh"
    size: tuple[float, float, float]  # MuJoCo half-sizes (radius, half-length, ...) [m]
    position: np.ndarray  # (3,) in the link frame [m]
    orientation: np.ndarray  # (4,) wxyz, link frame
    vertices: np.ndarray | None = None  # mesh only: (V, 3) in the part frame [m]
    faces: np.ndarray | None = None  # mesh only: (T, 3) vertex indices


def mesh_part(body_id: str, mesh) -> VisualPart:
    """A mesh prop's whole loaded surface as one part, in the prop's own frame."""
    return VisualPart(
        owner=body_id,
        link=body_id,
        kind="mesh",
        size=(0.0, 0.0, 0.0),
        position=np.zeros(3),
        orientation=np.array([1.0, 0.0, 0.0, 0.0]),
        vertices=np.asarray(mesh.vertices, dtype=float).copy(),
        faces=np.asarray(mesh.faces, dtype=np.int64).copy(),
    )


def visual_parts(world: World) -> list[VisualPart]:
    """Every shape of every prop and actor, grouped by owner in scene order.

    Mesh props are drawn with their full loaded surface (the physics only needs convex
    pieces of it); everything else is drawn exactly as it collides.
    """
    model = world.model
    by_owner: dict[str, list[int]] = {}
    for geom, owner in world.geom_owner.items():
        if owner in world.by_id:
            by_owner.setdefault(owner, []).append(geom)
    parts: list[VisualPart] = []
    for handle in world.bodies:
        if handle.plan.mesh is not None:
            parts.append(mesh_part(handle.id, handle.plan.mesh))
            continue
        for geom in sorted(by_owner.get(handle.id, [])):
            kind = _KINDS.get(int(model.geom_type[geom]))
            if kind is None:
                continue
            vertices = faces = None
            if kind == "mesh":
                mesh_id = model.geom_dataid[geom]
                start, count = model.mesh_vertadr[mesh_id], model.mesh_vertnum[mesh_id]
                face_start, face_count = model.mesh_faceadr[mesh_id], model.mesh_facenum[mesh_id]
                vertices = model.mesh_vert[start : start + count].astype(float)
                faces = model.mesh_face[face_start : face_start + face_count].astype(np.int64)
            parts.append(
                VisualPart(
                    owner=handle.id,
                    link=model.body(model.geom_bodyid[geom]).name,
                    kind=kind,
                    size=tuple(float(s) for s in model.geom_size[geom]),
                    position=model.geom_pos[geom].copy(),
                    orientation=model.geom_quat[geom].copy(),
                    vertices=vertices,
                    faces=faces,
                )
            )
    return parts
