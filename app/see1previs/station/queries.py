"""Point and ray queries against a closed cabin boundary: inside tests, clearance, wall hits.

The inside test is the generalised winding number (the solid angle the surface subtends,
summed over faces). Unlike ray parity it has no special cases when a ray grazes an edge or
vertex, and it does not care which way the faces are wound, so it works unchanged for the
inward-facing boundary. The cost is one pass over all faces per point, which is why points
are processed in chunks.
"""

from __future__ import annotations

import threading

import numpy as np
import trimesh
from numpy.typing import ArrayLike

# trimesh answers nearest-point and ray queries with an R-tree that it builds lazily on the
# mesh, and the R-tree library crashes the process when two threads use one at once. Station
# meshes are shared (the loader caches them) and bakes, blocking checks and the viewport run in
# different threads, so every such query on a shared mesh holds this lock.
MESH_QUERY_LOCK = threading.RLock()

# Upper bound on (points x faces) evaluated at once: keeps the temporary arrays near 100 MB.
_PAIRS_PER_CHUNK = 400_000


def _as_points(points: ArrayLike) -> tuple[np.ndarray, bool]:
    pts = np.asarray(points, dtype=float)
    single = pts.ndim == 1
    pts = np.atleast_2d(pts)
    if pts.shape[-1] != 3:
        raise ValueError(f"points must have shape (3,) or (N, 3), got {np.shape(points)}")
    return pts, single


def winding_numbers(mesh: trimesh.Trimesh, points: ArrayLike) -> np.ndarray:
    """Generalised winding number of each point with respect to the mesh.

    For a closed mesh this is +1 inside when faces point outward, -1 inside when they point
    inward (the cabin boundary), and 0 outside.
    """
    pts, _ = _as_points(points)
    tri = np.asarray(mesh.triangles, dtype=float)
    out = np.empty(len(pts))
    chunk = max(1, _PAIRS_PER_CHUNK // max(1, len(tri)))
    for start in range(0, len(pts), chunk):
        p = pts[start : start + chunk, None, None, :]
        rel = tri[None, :, :, :] - p  # (P, F, 3 corners, 3)
        a, b, c = rel[..., 0, :], rel[..., 1, :], rel[..., 2, :]
        la, lb, lc = (np.linalg.norm(v, axis=-1) for v in (a, b, c))
        # Van Oosterom & Strackee: tan(solid angle / 2) for one triangle.
        det = np.einsum("pfi,pfi->pf", a, np.cross(b, c))
        den = (
            la * lb * lc
            + np.einsum("pfi,pfi->pf", a, b) * lc
            + np.einsum("pfi,pfi->pf", b, c) * la
            + np.einsum("pfi,pfi->pf", c, a) * lb
        )
        out[start : start + chunk] = np.arctan2(det, den).sum(axis=1) / (2.0 * np.pi)
    return out


def inside(mesh: trimesh.Trimesh, points: ArrayLike) -> np.ndarray:
    """True where a point is enclosed by the closed mesh (either winding)."""
    pts, single = _as_points(points)
    result = np.abs(winding_numbers(mesh, pts)) > 0.5
    return result[0] if single else result


def signed_clearance(mesh: trimesh.Trimesh, points: ArrayLike) -> np.ndarray:
    """Distance to the nearest point of the mesh, positive inside and negative outside."""
    pts, single = _as_points(points)
    with MESH_QUERY_LOCK:
        _, distance, _ = trimesh.proximity.closest_point(mesh, pts)
    sign = np.where(np.abs(winding_numbers(mesh, pts)) > 0.5, 1.0, -1.0)
    result = sign * distance
    return result[0] if single else result


def ray_distances(
    triangles: np.ndarray, origins: ArrayLike, direction: ArrayLike, eps: float = 1e-12
) -> np.ndarray:
    """Distance along ``direction`` (unit) from each origin to the first triangle it crosses.

    ``triangles`` is ``(F, 3, 3)``. Returns ``inf`` where a ray hits nothing. Used to seat
    fixture standoffs exactly on the faceted wall, so it favours exactness over speed.
    """
    origins = np.atleast_2d(np.asarray(origins, dtype=float))
    d = np.asarray(direction, dtype=float)
    v0, e1, e2 = (
        triangles[:, 0],
        triangles[:, 1] - triangles[:, 0],
        triangles[:, 2] - triangles[:, 0],
    )
    # Moller-Trumbore, vectorised over faces for each ray.
    pvec = np.cross(d, e2)
    det = np.einsum("fi,fi->f", e1, pvec)
    usable = np.abs(det) > eps
    inv = np.where(usable, 1.0 / np.where(usable, det, 1.0), 0.0)
    result = np.full(len(origins), np.inf)
    for k, origin in enumerate(origins):
        tvec = origin - v0
        u = np.einsum("fi,fi->f", tvec, pvec) * inv
        qvec = np.cross(tvec, e1)
        v = (qvec @ d) * inv
        t = np.einsum("fi,fi->f", e2, qvec) * inv
        hit = usable & (u >= -1e-9) & (v >= -1e-9) & (u + v <= 1 + 1e-9) & (t > 0.0)
        if hit.any():
            result[k] = t[hit].min()
    return result
