"""Reading interior mesh files into named meshes, and writing a station to glTF binary.

Node names carry meaning: ``boundary`` is the cabin shell and ``fixture/<id>/<part>`` is a
solid belonging to fixture ``<id>``. Both survive a trimesh glTF round trip unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import trimesh

from see1previs.station.model import StationPart, part_sort_key

SUPPORTED_SUFFIXES = (".glb", ".gltf", ".obj", ".stl", ".ply")
BOUNDARY_NODE = "boundary"
FIXTURE_NODE_PREFIX = "fixture/"


def read_mesh_nodes(path: Path) -> list[tuple[str, trimesh.Trimesh]]:
    """Every triangle mesh instance in the file, node transform applied, by node name.

    Meshes are returned unprocessed (no vertex merging) in natural node-name order, so the
    result does not depend on how the file happened to list them. Point clouds and curves
    are skipped. Raises whatever the format reader raises on a corrupt file.
    """
    scene = trimesh.load_scene(str(path), process=False)
    nodes = []
    for node in sorted(scene.graph.nodes_geometry, key=part_sort_key):
        transform, geometry_name = scene.graph[node]
        geometry = scene.geometry[geometry_name]
        if not isinstance(geometry, trimesh.Trimesh) or len(geometry.faces) == 0:
            continue
        vertices = trimesh.transform_points(np.asarray(geometry.vertices), transform)
        faces = np.asarray(geometry.faces)
        if np.linalg.det(np.asarray(transform)[:3, :3]) < 0.0:
            faces = faces[:, ::-1]  # a mirroring node transform turns the faces inside out
        nodes.append((str(node), trimesh.Trimesh(vertices, faces, process=False)))
    return nodes


def fixture_id_of(node_name: str) -> str | None:
    """The fixture id in a ``fixture/<id>/<part>`` node name, else None."""
    if not node_name.startswith(FIXTURE_NODE_PREFIX):
        return None
    fields = node_name.split("/")
    return fields[1] if len(fields) >= 3 and fields[1] else None


def station_glb(boundary: trimesh.Trimesh, parts: Sequence[StationPart]) -> bytes:
    """glTF binary of the boundary and parts: one node per mesh, identity transforms.

    The output is a pure function of the geometry (trimesh writes no dates or ids), which
    is what makes the committed asset reproducible byte for byte.
    """
    scene = trimesh.Scene()
    scene.add_geometry(_plain(boundary), node_name=BOUNDARY_NODE, geom_name=BOUNDARY_NODE)
    for part in parts:
        scene.add_geometry(_plain(part.mesh), node_name=part.name, geom_name=part.name)
    return scene.export(file_type="glb")


def _plain(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """Geometry only: no cached normals, visuals or metadata that could vary between runs."""
    return trimesh.Trimesh(
        np.asarray(mesh.vertices, dtype=np.float64), np.asarray(mesh.faces), process=False
    )
