"""The SEE-1 cabin shell: one closed mesh for the sphere plus the hatch vestibule.

The surface is built directly rather than by a boolean union, because the physics extrudes
every boundary face into a collision tile and a boolean leaves thin sliver triangles along the
sphere/tunnel seam. Construction:

* sphere: vertices of a geodesic sphere, minus those near the hatch opening, plus points
  sampled exactly on the opening's rim (where the square tunnel meets the sphere). The convex
  hull of points on a sphere is their spherical Delaunay triangulation, so the triangles are
  well shaped and the rim edges appear in it; the triangles spanning the opening are dropped.
* vestibule: the four flat tunnel walls run from the rim samples to the door edge, and the
  door is a flat grid, all sharing vertices with the rim, so the result is watertight.

Faces are wound so their normals point into the cabin. Vertices are snapped to their stored
precision (1 nm grid, float32) so the mesh survives a glTF round trip bit for bit and rebuilds
identically on another machine.
"""

from __future__ import annotations

import numpy as np
import trimesh
from scipy.spatial import ConvexHull

from see1previs.station.precision import stored_coordinates
from see1previs.station.see1_parameters import See1Parameters


def geodesic_directions(frequency: int) -> np.ndarray:
    """Unit vectors of a class-I geodesic sphere (icosahedron faces split ``frequency`` times)."""
    ico = trimesh.creation.icosahedron()
    points = []
    for a, b, c in ico.faces:
        pa, pb, pc = ico.vertices[a], ico.vertices[b], ico.vertices[c]
        for i in range(frequency + 1):
            for j in range(frequency + 1 - i):
                points.append(pa + (pb - pa) * (i / frequency) + (pc - pa) * (j / frequency))
    pts = np.asarray(points)
    pts /= np.linalg.norm(pts, axis=1)[:, None]
    # Points on shared icosahedron edges appear twice; keep the first of each.
    _, first = np.unique(np.round(pts, 9), axis=0, return_index=True)
    return pts[np.sort(first)]


def _square_loop(half: float, cells: int) -> np.ndarray:
    """(y, z) samples around the square |y|, |z| <= half, counter-clockwise seen from +X."""
    s = np.linspace(-half, half, cells + 1)
    loop = (
        [(t, -half) for t in s[:-1]]
        + [(half, t) for t in s[:-1]]
        + [(t, half) for t in s[::-1][:-1]]
        + [(-half, t) for t in s[::-1][:-1]]
    )
    return np.asarray(loop)


def build_shell(params: See1Parameters) -> trimesh.Trimesh:
    """The cabin boundary of the SEE-1 module, normals pointing into the cabin."""
    radius, half = params.radius, params.hatch_width / 2.0
    if not 0.0 < half < radius / 2.0:
        raise ValueError("hatch_width must be positive and well under the sphere radius")

    rim_yz = _square_loop(half, params.hatch_cells)
    rim = np.column_stack(
        [np.sqrt(radius**2 - rim_yz[:, 0] ** 2 - rim_yz[:, 1] ** 2), rim_yz[:, 0], rim_yz[:, 1]]
    )

    # Sphere points: geodesic vertices clear of the opening. The margin is about half a cell
    # so no geodesic vertex crowds a rim sample (that is what would make thin triangles).
    sphere = geodesic_directions(params.geodesic_frequency) * radius
    margin = 0.5 * params.hatch_width / params.hatch_cells
    near_hatch = (sphere[:, 0] > 0.0) & (
        np.maximum(np.abs(sphere[:, 1]), np.abs(sphere[:, 2])) < half + margin
    )
    sphere = sphere[~near_hatch]
    sphere_points = np.vstack([sphere, rim])
    faces = ConvexHull(sphere_points).simplices
    centroids = sphere_points[faces].mean(axis=1)
    in_opening = (
        (centroids[:, 0] > 0.0)
        & (np.abs(centroids[:, 1]) < half)
        & (np.abs(centroids[:, 2]) < half)
    )
    faces = faces[~in_opening]
    rim_index = np.arange(len(sphere), len(sphere_points))
    _check_rim_edges(faces, rim_index)

    # Vestibule walls: rows from each rim sample straight back (+X) to the door plane.
    rows = params.vestibule_rows
    door_x = params.door_x
    n_rim = len(rim)
    wall_points = [sphere_points]
    ring_index = [rim_index]  # ring_index[r][k]: vertex of rim sample k at row r
    next_index = len(sphere_points)
    for r in range(1, rows + 1):
        ring = rim.copy()
        ring[:, 0] = rim[:, 0] + (door_x - rim[:, 0]) * (r / rows)
        wall_points.append(ring)
        ring_index.append(np.arange(next_index, next_index + n_rim))
        next_index += n_rim
    wall_faces = []
    for r in range(rows):
        for k in range(n_rim):
            a, b = ring_index[r][k], ring_index[r][(k + 1) % n_rim]
            c, d = ring_index[r + 1][(k + 1) % n_rim], ring_index[r + 1][k]
            wall_faces += [(a, b, c), (a, c, d)]

    # Door: the interior of a square grid at door_x; its outer ring is the last tunnel row.
    cells = params.hatch_cells
    s = np.linspace(-half, half, cells + 1)
    grid = np.full((cells + 1, cells + 1), -1)
    door_ring = ring_index[rows]
    for k, (y, z) in enumerate(rim_yz):
        grid[np.searchsorted(s, y), np.searchsorted(s, z)] = door_ring[k]
    interior = []
    for i in range(1, cells):
        for j in range(1, cells):
            grid[i, j] = next_index
            interior.append((door_x, s[i], s[j]))
            next_index += 1
    if interior:
        wall_points.append(np.asarray(interior))
    for i in range(cells):
        for j in range(cells):
            a, b, c, d = grid[i, j], grid[i + 1, j], grid[i + 1, j + 1], grid[i, j + 1]
            wall_faces += [(a, b, c), (a, c, d)]

    vertices = np.vstack(wall_points)
    faces = np.vstack([faces, np.asarray(wall_faces)])
    faces = _orient_inward(vertices, faces, params)
    vertices = stored_coordinates(vertices)
    mesh = trimesh.Trimesh(vertices, faces, process=False)
    if not mesh.is_watertight or not mesh.is_winding_consistent:
        raise RuntimeError("SEE-1 shell construction produced an open mesh; check the parameters")
    return mesh


def _check_rim_edges(faces: np.ndarray, rim_index: np.ndarray) -> None:
    """The Delaunay trick only works if every rim segment is a mesh edge; verify it."""
    edges = np.sort(np.vstack([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    present = {tuple(e) for e in edges.tolist()}
    n = len(rim_index)
    for k in range(n):
        edge = tuple(sorted((int(rim_index[k]), int(rim_index[(k + 1) % n]))))
        if edge not in present:
            raise RuntimeError(
                "SEE-1 shell: the hatch rim is not resolved by the sphere tessellation; "
                "change geodesic_frequency or hatch_cells"
            )


def _orient_inward(vertices: np.ndarray, faces: np.ndarray, params: See1Parameters) -> np.ndarray:
    """Wind every face so its normal points into the cabin.

    Inside the vestibule "into the cabin" means toward the tunnel axis (walls) or toward -X
    (door); on the sphere it means toward the centre.
    """
    tri = vertices[faces]
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    centroid = tri.mean(axis=1)
    half = params.hatch_width / 2.0
    on_door = np.isclose(centroid[:, 0], params.door_x)
    in_tunnel = (
        (centroid[:, 0] > 0.0)
        & (np.isclose(np.abs(centroid[:, 1]), half) | np.isclose(np.abs(centroid[:, 2]), half))
        & ~on_door
    )
    inward = -centroid  # sphere: toward the centre
    inward[in_tunnel] = -np.column_stack(
        [np.zeros(in_tunnel.sum()), centroid[in_tunnel, 1], centroid[in_tunnel, 2]]
    )
    inward[on_door] = (-1.0, 0.0, 0.0)
    flip = np.einsum("fi,fi->f", normal, inward) < 0.0
    faces = faces.copy()
    faces[flip] = faces[flip][:, ::-1]
    return faces
