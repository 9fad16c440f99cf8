"""Convex collision shapes for the physics: boundary tiles and convex pieces of solids.

MuJoCo collides convex meshes only, and the cabin is the inside of a concave surface. Two
shapes solve that:

* :func:`boundary_tiles` turns every boundary triangle into a convex prism behind the wall
  (outside the cabin). Where the wall is flat or curves toward the cabin the prisms are
  widened to overlap their neighbours; elsewhere neighbouring tiles share their side faces.
  Either way the tiles form a closed, gap-free wall, far thicker than the 2 cm a prop at
  10 m/s moves in one 2 ms physics step, so nothing tunnels through between two steps.
* :func:`convex_pieces` gives the convex pieces of a solid inside the cabin: the solid's own
  hull when it is (nearly) convex, otherwise a CoACD decomposition with a fixed seed so the
  result, and therefore the baked trajectories, are deterministic.

Pure geometry: vertex arrays in, vertex arrays out; MuJoCo takes the hull of each.
"""

from __future__ import annotations

import numpy as np
import trimesh
from scipy.spatial import cKDTree

from see1previs.station import queries

# Faces smaller than this (m²) carry no collision surface worth a tile; their neighbours
# share the same vertices, so skipping them leaves no gap wider than the face itself.
MIN_TILE_AREA = 1e-8
# How far a tile reaches under its neighbours where the wall allows it (see boundary_tiles).
DEFAULT_OVERLAP = 0.1
_ON_WALL = 1e-6  # m; points closer than this to a face's plane are on the wall
# A tile is at least `thickness` thick measured square to each face around a vertex; at a
# sharp corner that needs a longer offset, capped so spikes stay bounded.
_MAX_OFFSET_FACTOR = 3.0
NEARLY_CONVEX = 0.02  # volume within 2 % of the hull: collide as the hull
MAX_PIECES = 16
COACD_SEED = 0


def _vertex_offsets(boundary: trimesh.Trimesh, thickness: float) -> np.ndarray:
    """Per-vertex offset vectors pointing out of the cabin (away from free space)."""
    face_normals = np.asarray(boundary.face_normals)  # into the cabin
    # Angle-weighted vertex normals do not depend on how a flat region happens to be split.
    corner_angles = np.asarray(boundary.face_angles)
    normals = np.zeros((len(boundary.vertices), 3))
    for corner in range(3):
        np.add.at(normals, boundary.faces[:, corner], face_normals * corner_angles[:, corner, None])
    length = np.linalg.norm(normals, axis=1)
    length[length == 0.0] = 1.0
    normals /= length[:, None]
    # The thinnest point of a tile is where the offset is most oblique to an adjacent face.
    cos_min = np.ones(len(boundary.vertices))
    for corner in range(3):
        idx = boundary.faces[:, corner]
        cosines = np.einsum("fi,fi->f", normals[idx], face_normals)
        np.minimum.at(cos_min, idx, cosines)
    scale = thickness / np.clip(cos_min, 1.0 / _MAX_OFFSET_FACTOR, 1.0)
    return -normals * scale[:, None]


def boundary_tiles(
    boundary: trimesh.Trimesh, thickness: float = 0.15, overlap: float = DEFAULT_OVERLAP
) -> list[np.ndarray]:
    """One convex prism per boundary face, extending ``thickness`` metres out of the cabin.

    ``boundary`` must face into the cabin (as ``Station.boundary`` does). Each tile is a
    ``(6, 3)`` array: three vertices on the wall, then three pushed out of the cabin.

    Where the wall around a face is flat or curves toward the cabin (everywhere on a sphere),
    the tile is widened by ``overlap`` metres beyond the face's edges, square to the face, so
    it overlaps its neighbours. A body pressed into such a wall is then always nearest to the
    wall's own surface, never to a side face between two tiles, so contact pushes it straight
    back into the cabin even when it is squeezed deep (between a fixture and the wall, say).
    Near edges that stick out into the cabin (the hatch rim) a widened tile would cover free
    space, so those faces keep a tile exactly under the face, with side faces shared with
    their neighbours (offset along the vertex normals, no gaps). Degenerate faces (area below
    ``MIN_TILE_AREA``) get no tile.
    """
    if thickness <= 0.0:
        raise ValueError("tile thickness must be positive")
    vertices = np.asarray(boundary.vertices, dtype=float)
    faces = np.asarray(boundary.faces)
    offsets = _vertex_offsets(boundary, thickness)
    normals = np.asarray(boundary.face_normals, dtype=float)  # into the cabin
    keep = np.asarray(boundary.area_faces) > MIN_TILE_AREA
    edges = np.asarray(boundary.edges_unique)
    probes = np.vstack(
        [
            vertices,
            np.asarray(boundary.triangles_center),
            0.5 * (vertices[edges[:, 0]] + vertices[edges[:, 1]]),
        ]
    )
    tree = cKDTree(probes)
    tiles = []
    for face_index in np.nonzero(keep)[0]:
        face = faces[face_index]
        inner = vertices[face]
        widened = _widened_tile(
            inner, normals[face_index], thickness, overlap, probes, tree, boundary
        )
        tiles.append(widened if widened is not None else np.vstack([inner, inner + offsets[face]]))
    return tiles


def _widened_tile(
    triangle: np.ndarray,
    normal: np.ndarray,
    thickness: float,
    overlap: float,
    probes: np.ndarray,
    tree: cKDTree,
    boundary: trimesh.Trimesh,
) -> np.ndarray | None:
    """The face's triangle grown by ``overlap`` and extruded square to it, if that is safe.

    Safe means no point of the wall (vertex, edge midpoint or face centre) lies inside the
    widened prism:
    otherwise the wall bends away from the cabin nearby and the tile would cover free space.
    """
    if overlap <= 0.0:
        return None
    a, b, c = triangle
    ab, bc, ca = np.linalg.norm(b - a), np.linalg.norm(c - b), np.linalg.norm(a - c)
    perimeter = ab + bc + ca
    incenter = (bc * a + ca * b + ab * c) / perimeter
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a))
    inradius = 2.0 * area / perimeter
    grown = incenter + (triangle - incenter) * (1.0 + overlap / inradius)
    outer = grown - normal * thickness
    reach = float(np.max(np.linalg.norm(grown - incenter, axis=1))) + thickness
    nearby = probes[tree.query_ball_point(incenter, reach)]
    depth = (incenter - nearby) @ normal  # > 0 behind the wall, out of the cabin
    candidates = nearby[(depth > _ON_WALL) & (depth < thickness)]
    if len(candidates) and np.any(_inside_triangle_prism(candidates, grown, normal)):
        return None
    # The wall bends away somewhere near: check the grown corners themselves stay out of
    # the cabin (exact but slower, so only here, never on a plain sphere).
    if np.any(depth > _ON_WALL) and np.any(queries.inside(boundary, grown)):
        return None
    return np.vstack([grown, outer])


def _inside_triangle_prism(points: np.ndarray, triangle: np.ndarray, normal: np.ndarray):
    """Whether each point projects (along ``normal``) inside ``triangle``."""
    inside = np.ones(len(points), dtype=bool)
    for i in range(3):
        start, end = triangle[i], triangle[(i + 1) % 3]
        edge_normal = np.cross(normal, end - start)  # points into the triangle (CCW seen from n)
        third = triangle[(i + 2) % 3]
        if np.dot(third - start, edge_normal) < 0:
            edge_normal = -edge_normal
        inside &= (points - start) @ edge_normal > 0
    return inside


def convex_pieces(mesh: trimesh.Trimesh, max_pieces: int = MAX_PIECES) -> list[np.ndarray]:
    """Vertex arrays of convex pieces that together cover the solid ``mesh``.

    Nearly convex solids (volume within 2 % of the hull's) give their hull, one piece; others
    are decomposed with CoACD (fixed seed, at most ``max_pieces`` pieces). Open or
    non-manifold meshes are decomposed too, since their volume cannot be trusted.
    """
    vertices = np.asarray(mesh.vertices, dtype=float)
    if len(vertices) < 4:
        return []
    hull = trimesh.convex.convex_hull(vertices)
    if hull.volume <= 0.0:
        return []  # flat: nothing for a body to collide with
    trustworthy = mesh.is_watertight and mesh.is_volume
    if trustworthy and abs(mesh.volume) >= (1.0 - NEARLY_CONVEX) * hull.volume:
        return [np.asarray(hull.vertices, dtype=float)]
    return _decompose(mesh, max_pieces)


def _decompose(mesh: trimesh.Trimesh, max_pieces: int) -> list[np.ndarray]:
    import coacd  # imported here: loading the native library is slow and rarely needed

    coacd.set_log_level("error")
    result = coacd.run_coacd(
        coacd.Mesh(np.asarray(mesh.vertices, dtype=float), np.asarray(mesh.faces, dtype=int)),
        threshold=0.05,
        max_convex_hull=max_pieces,
        seed=COACD_SEED,
    )
    pieces = []
    for piece_vertices, _ in result:
        piece = np.asarray(piece_vertices, dtype=float)
        if len(piece) >= 4 and trimesh.convex.convex_hull(piece).volume > 0.0:
            pieces.append(piece)
    return pieces
