"""An articulated actor as a skeleton with a rigidly skinned body mesh, for USD and glTF.

The skeleton has one joint per humanoid segment (16, see :mod:`see1previs.physics.humanoid`),
named after the segment and ordered parents first, rooted at the lower trunk (the pelvis,
whose frame origin is the actor's pose origin). A joint's frame *is* its segment's frame, so
the joint world transforms of an exported performance equal the baked segment poses
(``Trajectory.link_pose``) exactly.

Rest (bind) pose: the anatomical pose with every joint angle zero and the root at the
origin, built by the physics' own humanoid builder so the proportions are the simulated ones.
The body mesh is one closed capsule per segment, the very capsule the physics collides with
(the pelvis across the hips, the foot along its length), each vertex bound to its segment's
joint with weight 1.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import mujoco
import numpy as np
import trimesh

from see1previs.core import quaternion as quat
from see1previs.physics.humanoid import add_humanoid
from see1previs.physics.trajectory import Trajectory

CAPSULE_SEGMENTS = (16, 10)  # around and along each capsule: smooth enough on screen, small
_PROBE = "probe"


@dataclass(frozen=True)
class ActorSkeleton:
    """Joints, rest pose and skinned mesh of one humanoid (metres, module-frame axes)."""

    segments: tuple[str, ...]  # segment names, parents first ("lower_trunk", ...)
    parents: tuple[int, ...]  # index of each joint's parent, -1 for the root
    bind_world: np.ndarray  # (J, 4, 4) joint to skeleton space at rest (column vectors)
    points: np.ndarray  # (V, 3) body mesh in skeleton space at rest
    normals: np.ndarray  # (V, 3) unit vertex normals at rest
    faces: np.ndarray  # (T, 3) triangles, counter-clockwise seen from outside
    joint_of_vertex: np.ndarray  # (V,) the joint each vertex is bound to

    def joint_paths(self) -> list[str]:
        """UsdSkel joint paths: each segment's chain from the root ("lower_trunk/...")."""
        paths: list[str] = []
        for index, name in enumerate(self.segments):
            parent = self.parents[index]
            paths.append(name if parent < 0 else f"{paths[parent]}/{name}")
        return paths

    def rest_local(self) -> np.ndarray:
        """(J, 4, 4) each joint relative to its parent at rest (the root: to skeleton space)."""
        local = self.bind_world.copy()
        for index, parent in enumerate(self.parents):
            if parent >= 0:
                local[index] = np.linalg.inv(self.bind_world[parent]) @ self.bind_world[index]
        return local


@functools.lru_cache(maxsize=16)
def actor_skeleton(height: float, mass: float) -> ActorSkeleton:
    """The skeleton and body mesh of a humanoid ``height`` m tall and ``mass`` kg."""
    spec = mujoco.MjSpec()
    add_humanoid(spec, _PROBE, height, mass)
    model = spec.compile()
    data = mujoco.MjData(model)
    mujoco.mj_kinematics(model, data)  # qpos0: root at the origin, every joint angle zero
    bodies = [b for b in range(model.nbody) if model.body(b).name.startswith(f"{_PROBE}/")]
    index_of = {body: i for i, body in enumerate(bodies)}
    segments = tuple(model.body(b).name.split("/", 1)[1] for b in bodies)
    parents = tuple(index_of.get(int(model.body_parentid[b]), -1) for b in bodies)
    bind = np.array([_matrix(data.xquat[b], data.xpos[b]) for b in bodies])

    pieces, joint_of_vertex = [], []
    for geom in range(model.ngeom):
        body = int(model.geom_bodyid[geom])
        if body not in index_of or model.geom_type[geom] != mujoco.mjtGeom.mjGEOM_CAPSULE:
            continue
        radius, half = float(model.geom_size[geom, 0]), float(model.geom_size[geom, 1])
        capsule = trimesh.creation.capsule(
            height=2.0 * half, radius=radius, count=list(CAPSULE_SEGMENTS)
        )
        local = _matrix(model.geom_quat[geom], model.geom_pos[geom])
        capsule.apply_transform(bind[index_of[body]] @ local)
        pieces.append(capsule)
        joint_of_vertex.append(np.full(len(capsule.vertices), index_of[body], dtype=np.int32))
    offsets = np.cumsum([0] + [len(p.vertices) for p in pieces])
    return ActorSkeleton(
        segments=segments,
        parents=parents,
        bind_world=bind,
        points=np.concatenate([p.vertices for p in pieces]),
        normals=np.concatenate([p.vertex_normals for p in pieces]),
        faces=np.concatenate([p.faces + offsets[i] for i, p in enumerate(pieces)]),
        joint_of_vertex=np.concatenate(joint_of_vertex),
    )


@dataclass(frozen=True)
class JointMotion:
    """Per-frame joint transforms of one actor, from the baked segment poses."""

    world_positions: np.ndarray  # (F, J, 3) m, module frame
    world_orientations: np.ndarray  # (F, J, 4) wxyz, joint to module frame
    local_translations: np.ndarray  # (F, J, 3) m, in the parent joint's frame
    local_rotations: np.ndarray  # (F, J, 4) wxyz, joint to parent joint


def joint_motion(trajectory: Trajectory, actor_id: str, skeleton: ActorSkeleton) -> JointMotion:
    """The actor's joints at every frame: world poses and parent-relative transforms.

    Raises ``KeyError`` if the trajectory has no segment of the actor's skeleton.
    """
    positions, orientations = trajectory.link_arrays()
    columns = [trajectory.links.index(f"{actor_id}/{name}") for name in skeleton.segments]
    world_p = np.asarray(positions[:, columns], dtype=float)
    world_q = quat.normalize(np.asarray(orientations[:, columns], dtype=float))
    local_t = world_p.copy()
    local_q = world_q.copy()
    for index, parent in enumerate(skeleton.parents):
        if parent < 0:
            continue
        inverse = quat.conjugate(world_q[:, parent])
        local_t[:, index] = quat.rotate(inverse, world_p[:, index] - world_p[:, parent])
        local_q[:, index] = quat.normalize(quat.multiply(inverse, world_q[:, index]))
    # One hemisphere per joint from frame to frame, so interpolating readers never spin.
    for frame in range(1, len(local_q)):
        flip = np.einsum("ij,ij->i", local_q[frame], local_q[frame - 1]) < 0.0
        local_q[frame, flip] *= -1.0
    return JointMotion(world_p, world_q, local_t, local_q)


def has_skeleton(trajectory: Trajectory, actor_id: str) -> bool:
    """Whether the trajectory recorded the actor's segments (an articulated humanoid)."""
    return f"{actor_id}/lower_trunk" in trajectory.links


def _matrix(orientation: np.ndarray, position: np.ndarray) -> np.ndarray:
    m = np.eye(4)
    m[:3, :3] = quat.to_matrix(np.asarray(orientation, dtype=float))
    m[:3, 3] = position
    return m
