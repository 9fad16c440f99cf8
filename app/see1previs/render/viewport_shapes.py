"""Triangle meshes and poses of everything the 3D viewport draws, as plain NumPy arrays.

The viewport (in the GUI layer) only uploads what this module builds: a closed surface for
each body shape in its own frame (sphere, capsule, box, cylinder, loaded mesh), the
parts of the scene bodies before anything is baked, 4x4 pose matrices and camera frustum
line segments. Nothing here needs OpenGL or Qt, so tests check the geometry directly.

Conventions are the module frame's: metres, quaternions (w, x, y, z), a capsule or cylinder
runs along its local z, a camera looks along its local −Z with +Y up.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.scene import Scene
from see1previs.physics.bodies import plan_actor, plan_prop
from see1previs.physics.visuals import VisualPart, mesh_part

Mesh = tuple[np.ndarray, np.ndarray]  # (V, 3) float vertices, (T, 3) int faces

PLACEHOLDER_HALF_SIZE = 0.05  # m: a mesh prop whose file cannot be read draws as a 10 cm box


def sphere_mesh(radius: float, rings: int = 12, segments: int = 18) -> Mesh:
    """UV sphere centred on the origin, outward-facing counter-clockwise triangles."""
    return _lathe(_arc(radius, 0.0, rings, -math.pi / 2, math.pi / 2), segments)


def capsule_mesh(radius: float, half_length: float, rings: int = 6, segments: int = 16) -> Mesh:
    """Capsule along local z: a cylinder of ``2 * half_length`` closed by two hemispheres."""
    bottom = _arc(radius, -half_length, rings, -math.pi / 2, 0.0)
    top = _arc(radius, half_length, rings, 0.0, math.pi / 2)
    return _lathe(np.vstack([bottom, top]), segments)


def cylinder_mesh(radius: float, half_length: float, segments: int = 18) -> Mesh:
    """Closed cylinder along local z with flat caps."""
    profile = np.array(
        [
            [0.0, -half_length],
            [radius, -half_length],
            [radius, -half_length],
            [radius, half_length],
            [radius, half_length],
            [0.0, half_length],
        ]
    )
    return _lathe(profile, segments)


def box_mesh(half_sizes) -> Mesh:
    """Box with the given half-sizes, 12 triangles with their own corners per face (flat)."""
    hx, hy, hz = (float(v) for v in half_sizes)
    vertices, faces = [], []
    for axis in range(3):
        for sign in (-1.0, 1.0):
            u, v = (axis + 1) % 3, (axis + 2) % 3
            corners = []
            for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
                p = np.zeros(3)
                p[axis], p[u], p[v] = sign, a, b
                corners.append(p * (hx, hy, hz))
            base = len(vertices)
            vertices.extend(corners)
            if sign > 0:
                faces += [[base, base + 1, base + 2], [base, base + 2, base + 3]]
            else:
                faces += [[base, base + 2, base + 1], [base, base + 3, base + 2]]
    return np.array(vertices), np.array(faces, dtype=np.int64)


def part_mesh(part: VisualPart) -> Mesh:
    """The surface of one visual part in the part's own frame."""
    size = part.size
    if part.kind == "sphere":
        return sphere_mesh(size[0])
    if part.kind == "capsule":
        return capsule_mesh(size[0], size[1])
    if part.kind == "cylinder":
        return cylinder_mesh(size[0], size[1])
    if part.kind == "box":
        return box_mesh(size)
    if part.vertices is not None and part.faces is not None and len(part.faces):
        return np.asarray(part.vertices, dtype=float), np.asarray(part.faces, dtype=np.int64)
    return box_mesh((PLACEHOLDER_HALF_SIZE,) * 3)


def scene_start_parts(scene: Scene, scene_dir: Path | None = None) -> list[VisualPart]:
    """Visual parts of every body straight from the scene file, for drawing before a bake.

    Each body is one rigid link named by its id, posed at the scene's start pose. A mesh prop
    whose file cannot be read here draws as a small box so the director still sees it.
    """
    parts: list[VisualPart] = []
    identity = np.array([1.0, 0.0, 0.0, 0.0])
    for index, prop in enumerate(scene.props):
        try:
            plan = plan_prop(prop, index, scene_dir)
        except Exception:
            plan = None
        if plan is not None and plan.mesh is not None:
            parts.append(mesh_part(prop.id, plan.mesh))
            continue
        primitives = plan.primitives if plan is not None else []
        if not primitives:
            parts.append(
                VisualPart(
                    prop.id,
                    prop.id,
                    "box",
                    (PLACEHOLDER_HALF_SIZE,) * 3,
                    np.zeros(3),
                    identity.copy(),
                )
            )
        for primitive in primitives:
            parts.append(
                VisualPart(
                    prop.id,
                    prop.id,
                    primitive.kind,
                    tuple(primitive.size),
                    np.asarray(primitive.pos, dtype=float),
                    identity.copy(),
                )
            )
    for index, actor in enumerate(scene.actors):
        for primitive in plan_actor(actor, index).primitives:
            parts.append(
                VisualPart(
                    actor.id,
                    actor.id,
                    primitive.kind,
                    tuple(primitive.size),
                    np.asarray(primitive.pos, dtype=float),
                    identity.copy(),
                )
            )
    return parts


def pose_matrix(position, orientation) -> np.ndarray:
    """4x4 homogeneous matrix of a pose (position m, orientation wxyz)."""
    m = np.eye(4)
    m[:3, :3] = quat.to_matrix(orientation)
    m[:3, 3] = np.asarray(position, dtype=float)
    return m


def compose(position_a, orientation_a, position_b, orientation_b) -> tuple[np.ndarray, np.ndarray]:
    """Pose b expressed in frame a, brought to the frame a lives in: a ∘ b."""
    position = np.asarray(position_a, dtype=float) + quat.rotate(orientation_a, position_b)
    return position, quat.normalize(quat.multiply(orientation_a, orientation_b))


def frustum_segments(
    horizontal_fov_deg: float, vertical_fov_deg: float, length: float
) -> np.ndarray:
    """Line segments (16, 3) of a camera's view pyramid in its own frame (looks along −Z).

    Four edges from the lens to the far rectangle, the far rectangle, and a small triangle
    above the top edge that marks image up.
    """
    x = length * math.tan(math.radians(horizontal_fov_deg) / 2.0)
    y = length * math.tan(math.radians(vertical_fov_deg) / 2.0)
    z = -length
    corners = np.array([[-x, -y, z], [x, -y, z], [x, y, z], [-x, y, z]])
    origin = np.zeros(3)
    segments = []
    for c in corners:
        segments += [origin, c]
    for i in range(4):
        segments += [corners[i], corners[(i + 1) % 4]]
    tip = np.array([0.0, y * 1.35, z])
    segments += [corners[3] * (0.4, 1, 1), tip, tip, corners[2] * (0.4, 1, 1)]
    return np.array(segments)


def camera_body_mesh(scale: float = 1.0) -> Mesh:
    """A camera body and lens: a box behind the lens point with a short lens barrel (−Z)."""
    body_v, body_f = box_mesh((0.06 * scale, 0.07 * scale, 0.09 * scale))
    body_v = body_v + np.array([0.0, 0.0, 0.09 * scale])
    lens_v, lens_f = cylinder_mesh(0.04 * scale, 0.04 * scale, segments=12)
    lens_v = lens_v + np.array([0.0, 0.0, -0.04 * scale])
    return np.vstack([body_v, lens_v]), np.vstack([body_f, lens_f + len(body_v)])


def _arc(radius: float, z_offset: float, steps: int, start: float, stop: float) -> np.ndarray:
    """Profile points (r, z) of a circular arc for lathing."""
    angles = np.linspace(start, stop, steps + 1)
    return np.column_stack([radius * np.cos(angles), z_offset + radius * np.sin(angles)])


def _lathe(profile: np.ndarray, segments: int) -> Mesh:
    """Sweep a (r, z) profile from bottom to top once around z into a closed surface."""
    angles = np.linspace(0.0, 2.0 * math.pi, segments, endpoint=False)
    rows = len(profile)
    r = profile[:, 0][:, None]
    vertices = np.stack(
        [
            r * np.cos(angles)[None, :],
            r * np.sin(angles)[None, :],
            np.repeat(profile[:, 1:2], segments, 1),
        ],
        axis=-1,
    ).reshape(-1, 3)
    faces = []
    for i in range(rows - 1):
        for j in range(segments):
            a = i * segments + j
            b = i * segments + (j + 1) % segments
            c = (i + 1) * segments + (j + 1) % segments
            d = (i + 1) * segments + j
            faces += [[a, b, c], [a, c, d]]
    faces = np.array(faces, dtype=np.int64)
    # Rings of zero radius (the poles) give degenerate triangles: drop them.
    tri = vertices[faces]
    area = np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    return vertices, faces[area > 1e-14]
