"""Convex solids for fixture parts: bars, boxes and plates as closed convex meshes.

Every built-in fixture part is convex on purpose: the physics can use it directly as a
MuJoCo mesh geom without a convex decomposition. Vertices are snapped to their stored
precision (1 nm grid, float32) before the hull is taken, so what is written to glTF is exactly
what was built, on any machine.
"""

from __future__ import annotations

import numpy as np
import trimesh
from numpy.typing import ArrayLike

from see1previs.station.precision import stored_coordinates


def convex_solid(points: ArrayLike) -> trimesh.Trimesh:
    """The convex hull of ``points`` as a closed mesh with outward normals."""
    pts = stored_coordinates(points)
    hull = trimesh.convex.convex_hull(pts)
    # A fresh mesh drops trimesh's creation metadata, which would otherwise leak into glTF.
    return trimesh.Trimesh(hull.vertices.copy(), hull.faces.copy(), process=False)


def _cross_section(u: np.ndarray, v: np.ndarray, half_u: float, half_v: float, sides: int):
    """Corner offsets of a cross-section: a rectangle (sides=4) or a regular polygon."""
    if sides == 4:
        signs = [(1, 1), (-1, 1), (-1, -1), (1, -1)]
        return [su * half_u * u + sv * half_v * v for su, sv in signs]
    angles = (np.arange(sides) + 0.5) * (2.0 * np.pi / sides)
    return [np.cos(t) * half_u * u + np.sin(t) * half_v * v for t in angles]


def bar(
    start: ArrayLike,
    end: ArrayLike,
    up: ArrayLike,
    width: float,
    height: float | None = None,
    sides: int = 4,
) -> trimesh.Trimesh:
    """A straight prism from ``start`` to ``end``.

    The cross-section is ``width`` across and ``height`` along ``up`` (made perpendicular to
    the bar); ``sides=4`` gives a box, more sides an elliptical (round) bar.
    """
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    axis = end - start
    length = np.linalg.norm(axis)
    if length <= 0.0:
        raise ValueError("a bar needs two distinct end points")
    axis /= length
    up = np.asarray(up, dtype=float)
    v = up - np.dot(up, axis) * axis
    v /= np.linalg.norm(v)
    u = np.cross(v, axis)
    height = width if height is None else height
    section = _cross_section(u, v, width / 2.0, height / 2.0, sides)
    return convex_solid([p + c for p in (start, end) for c in section])
