"""How many triangles a mesh file holds, read from its header before the file is parsed.

Parsing a mesh costs time and memory in proportion to its size (a 200 MB binary STL takes
seconds and about a gigabyte before its triangle count can be checked). Most formats say
how big they are up front: binary STL has a triangle count after its 80-byte header, PLY
declares ``element face N``, and glTF states every accessor's element count in its JSON.
Those are read here, so a file over the limit is refused at once. Text formats that declare
nothing (OBJ, ASCII STL) are bounded by their byte size instead.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

TEXT_BYTES_PER_TRIANGLE = 400
"""Generous upper bound of one triangle's text in OBJ or ASCII STL (typical: 60-250 bytes)."""

_GLB_MAGIC = b"glTF"
_GLTF_TRIANGLES = 4  # primitive mode; the default when a primitive gives none
_MAX_GLTF_JSON_BYTES = 64 * 1024 * 1024


def declared_triangles(path: Path) -> int | None:
    """The triangle count the file declares without being parsed, or None if it declares none.

    Returns None for anything unexpected too: the full reader then reports the problem.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".stl":
            return _binary_stl_triangles(path)
        if suffix == ".ply":
            return _ply_faces(path)
        if suffix == ".glb":
            return _gltf_triangles(_glb_json(path))
        if suffix == ".gltf":
            if path.stat().st_size > _MAX_GLTF_JSON_BYTES:
                return None
            return _gltf_triangles(json.loads(path.read_bytes()))
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None
    return None


def size_problem(path: Path, max_triangles: int) -> str | None:
    """Why the file is too big to read for a limit of ``max_triangles``, or None if it is not."""
    declared = declared_triangles(path)
    if declared is not None:
        if declared > max_triangles:
            return (
                f"it has {declared:,} triangles, more than the limit of {max_triangles:,}; "
                "decimate it in your modelling tool (in Blender: Decimate modifier) and export "
                "again"
            )
        return None
    if path.suffix.lower() in (".obj", ".stl", ".ply"):
        limit = max_triangles * TEXT_BYTES_PER_TRIANGLE
        size = path.stat().st_size
        if size > limit:
            return (
                f"the file is {size / 1e6:,.0f} MB, more than a mesh of {max_triangles:,} "
                f"triangles can be ({limit / 1e6:,.0f} MB); decimate it in your modelling tool "
                "and export again"
            )
    return None


def _binary_stl_triangles(path: Path) -> int | None:
    with path.open("rb") as file:
        header = file.read(84)
    if len(header) < 84 or (header[:5].lower() == b"solid" and _looks_like_text(path)):
        return None
    (count,) = struct.unpack("<I", header[80:84])
    # A binary STL is exactly 84 + 50 bytes per triangle; anything else is not one.
    return count if path.stat().st_size == 84 + 50 * count else None


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as file:
        sample = file.read(1024)
    return b"facet" in sample or b"endsolid" in sample


def _ply_faces(path: Path) -> int | None:
    with path.open("rb") as file:
        head = file.read(64 * 1024)
    end = head.find(b"end_header")
    if not head.startswith(b"ply") or end < 0:
        return None
    for line in head[:end].decode("ascii", "replace").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "element" and fields[1] == "face":
            return int(fields[2])
    return 0


def _glb_json(path: Path) -> dict:
    with path.open("rb") as file:
        header = file.read(20)
        if len(header) < 20 or header[:4] != _GLB_MAGIC:
            raise ValueError("not a glb file")
        length, kind = struct.unpack("<I4s", header[12:20])
        if kind != b"JSON" or length > _MAX_GLTF_JSON_BYTES:
            raise ValueError("no JSON chunk")
        return json.loads(file.read(length))


def _gltf_triangles(document: dict) -> int:
    """Triangles over every mesh instance in the default scene (or every node)."""
    accessors = document.get("accessors", [])
    meshes = document.get("meshes", [])

    def mesh_triangles(mesh: dict) -> int:
        total = 0
        for primitive in mesh.get("primitives", []):
            if primitive.get("mode", _GLTF_TRIANGLES) != _GLTF_TRIANGLES:
                continue
            if "indices" in primitive:
                total += int(accessors[primitive["indices"]]["count"]) // 3
            else:
                total += int(accessors[primitive["attributes"]["POSITION"]]["count"]) // 3
        return total

    per_mesh = [mesh_triangles(mesh) for mesh in meshes]
    instances = [node["mesh"] for node in document.get("nodes", []) if "mesh" in node]
    return sum(per_mesh[index] for index in instances) if instances else sum(per_mesh)
