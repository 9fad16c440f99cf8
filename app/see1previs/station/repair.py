"""Cleaning imported interior meshes: weld, drop bad faces, close small holes, split, orient.

Meshes exported from modelling tools are usually triangle soups (STL) or split along UV and
normal seams (OBJ, glTF). Everything downstream (the inside test, the collision tiles)
needs welded, consistently wound, closed surfaces, so every imported mesh passes through
:func:`clean` and then :func:`components`.
"""

from __future__ import annotations

import numpy as np
import trimesh


def clean(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """A repaired copy: welded vertices, no degenerate or duplicate faces, small holes filled.

    Winding is made consistent per connected piece; closed pieces end up facing outward
    (trimesh's convention). The input is not modified.
    """
    mesh = trimesh.Trimesh(np.asarray(mesh.vertices), np.asarray(mesh.faces), process=False)
    # Ignore UV and normal seams when welding: they split a closed surface into open patches.
    mesh.merge_vertices(merge_tex=True, merge_norm=True)
    mesh.update_faces(mesh.nondegenerate_faces())
    mesh.update_faces(mesh.unique_faces())
    mesh.remove_unreferenced_vertices()
    # trimesh only fills holes bounded by three or four edges: small gaps, not missing walls.
    trimesh.repair.fill_holes(mesh)
    trimesh.repair.fix_normals(mesh, multibody=True)
    return mesh


def components(mesh: trimesh.Trimesh) -> list[trimesh.Trimesh]:
    """The connected pieces of a cleaned mesh, each with consistent, outward winding."""
    if len(mesh.faces) == 0:
        return []
    pieces = mesh.split(only_watertight=False)
    for piece in pieces:
        trimesh.repair.fix_normals(piece)
    return list(pieces)


def bounding_box_volume(mesh: trimesh.Trimesh) -> float:
    """Volume of the axis-aligned bounding box; picks the cabin shell among the pieces."""
    extents = mesh.extents if len(mesh.vertices) else np.zeros(3)
    return float(np.prod(extents))


def inward(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """The closed mesh with faces wound so normals point into the enclosed volume."""
    if mesh.volume > 0.0:
        faces = np.ascontiguousarray(np.asarray(mesh.faces)[:, ::-1])
        mesh = trimesh.Trimesh(np.asarray(mesh.vertices), faces, process=False)
    return mesh
