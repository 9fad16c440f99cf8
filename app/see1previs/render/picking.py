"""Picking in the 3D viewport: the ray under a pixel and the first thing it hits.

A click becomes a ray from the viewer's eye through the pixel (:func:`pick_ray`, from the
view and projection matrices the viewport draws with). :func:`first_hit` intersects that ray
with the posed triangles of every pickable object (props, actor segments, camera bodies)
and returns the nearest. Small props far away cover only a few pixels, so a miss by a few
pixels still selects the object whose bounding sphere the ray passes closest to.

Pure NumPy; the same matrices as OpenGL (column vectors, clip = P · V · world).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PickTarget:
    """One pickable surface, already posed in the module frame."""

    owner: str  # scene id a click on it selects
    triangles: np.ndarray  # (T, 3, 3) m
    centre: np.ndarray  # (3,) bounding-sphere centre
    radius: float  # bounding-sphere radius


def target(owner: str, vertices: np.ndarray, faces: np.ndarray, pose: np.ndarray) -> PickTarget:
    """A pick target from a mesh in its own frame and its 4x4 pose."""
    world = vertices @ pose[:3, :3].T + pose[:3, 3]
    lo, hi = world.min(axis=0), world.max(axis=0)
    centre = 0.5 * (lo + hi)
    radius = float(np.max(np.linalg.norm(world - centre, axis=1))) if len(world) else 0.0
    return PickTarget(owner, world[faces], centre, radius)


def perspective(fov_y_deg: float, aspect: float, near: float, far: float) -> np.ndarray:
    """OpenGL perspective projection matrix (like gluPerspective)."""
    f = 1.0 / math.tan(math.radians(fov_y_deg) / 2.0)
    return np.array(
        [
            [f / aspect, 0.0, 0.0, 0.0],
            [0.0, f, 0.0, 0.0],
            [0.0, 0.0, (far + near) / (near - far), 2.0 * far * near / (near - far)],
            [0.0, 0.0, -1.0, 0.0],
        ]
    )


def look_at(eye, target_point, up=(0.0, 0.0, 1.0)) -> np.ndarray:
    """View matrix of an eye looking at a point (like gluLookAt)."""
    eye = np.asarray(eye, dtype=float)
    forward = np.asarray(target_point, dtype=float) - eye
    forward /= np.linalg.norm(forward)
    right = np.cross(forward, up)
    if np.linalg.norm(right) < 1e-9:
        right = np.cross(forward, (1.0, 0.0, 0.0))
    right /= np.linalg.norm(right)
    true_up = np.cross(right, forward)
    m = np.eye(4)
    m[0, :3], m[1, :3], m[2, :3] = right, true_up, -forward
    m[:3, 3] = -m[:3, :3] @ eye
    return m


def project(view: np.ndarray, projection: np.ndarray, point, width: int, height: int):
    """Pixel (x right, y down, from the widget's top-left) of a module-frame point, and depth.

    Returns None behind the eye.
    """
    clip = projection @ view @ np.append(np.asarray(point, dtype=float), 1.0)
    if clip[3] <= 0:
        return None
    ndc = clip[:3] / clip[3]
    x = (ndc[0] + 1.0) * 0.5 * width
    y = (1.0 - ndc[1]) * 0.5 * height
    return float(x), float(y), float(ndc[2])


def pick_ray(
    view: np.ndarray, projection: np.ndarray, x: float, y: float, width: int, height: int
) -> tuple[np.ndarray, np.ndarray]:
    """(origin, unit direction) of the ray through pixel (x, y), y measured down from the top."""
    inverse = np.linalg.inv(projection @ view)
    ndc_x = 2.0 * x / width - 1.0
    ndc_y = 1.0 - 2.0 * y / height
    near = inverse @ np.array([ndc_x, ndc_y, -1.0, 1.0])
    far = inverse @ np.array([ndc_x, ndc_y, 1.0, 1.0])
    near, far = near[:3] / near[3], far[:3] / far[3]
    direction = far - near
    return near, direction / np.linalg.norm(direction)


def ray_triangle_distances(origin, direction, triangles: np.ndarray) -> np.ndarray:
    """Distance along the ray to each triangle (Möller–Trumbore), inf where it misses."""
    if len(triangles) == 0:
        return np.zeros(0)
    v0, v1, v2 = triangles[:, 0], triangles[:, 1], triangles[:, 2]
    e1, e2 = v1 - v0, v2 - v0
    p = np.cross(direction, e2)
    det = np.einsum("ij,ij->i", e1, p)
    ok = np.abs(det) > 1e-12
    inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
    s = origin - v0
    u = np.einsum("ij,ij->i", s, p) * inv
    q = np.cross(s, e1)
    v = (q @ direction) * inv
    t = np.einsum("ij,ij->i", e2, q) * inv
    hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t > 0)
    return np.where(hit, t, np.inf)


def first_hit(
    origin,
    direction,
    targets: list[PickTarget],
    slack_radians: float = 0.0,
) -> tuple[str, float] | None:
    """(owner, distance) of the nearest surface the ray hits, or None.

    When no surface is hit, a target whose bounding sphere passes within ``slack_radians``
    (seen from the ray's origin) of the ray still counts, nearest to the ray first — so a
    tiny prop across the cabin can be clicked.
    """
    origin = np.asarray(origin, dtype=float)
    direction = np.asarray(direction, dtype=float)
    best: tuple[str, float] | None = None
    for t in targets:
        along = float((t.centre - origin) @ direction)
        if along + t.radius <= 0:
            continue
        miss = float(np.linalg.norm(t.centre - origin - along * direction))
        if miss > t.radius:
            continue  # the bounding sphere is missed: no triangle can be hit
        distances = ray_triangle_distances(origin, direction, t.triangles)
        d = float(distances.min()) if len(distances) else math.inf
        if math.isfinite(d) and (best is None or d < best[1]):
            best = (t.owner, d)
    if best is not None or slack_radians <= 0:
        return best
    near_miss: tuple[str, float, float] | None = None
    for t in targets:
        along = float((t.centre - origin) @ direction)
        if along <= 0:
            continue
        miss = float(np.linalg.norm(t.centre - origin - along * direction)) - t.radius
        angle = math.atan2(max(miss, 0.0), along)
        if angle <= slack_radians and (near_miss is None or angle < near_miss[2]):
            near_miss = (t.owner, along, angle)
    return None if near_miss is None else (near_miss[0], near_miss[1])
