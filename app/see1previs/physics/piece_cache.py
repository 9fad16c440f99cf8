"""Convex collision pieces, computed once per interior and once per prop mesh.

Every world built for a scene (each validate, each bake, each edit in the desktop app) needs
the same wall tiles, fixture pieces and prop-mesh pieces, and computing them is most of the
time of building a world: over a second for the SEE-1 module's wall, about as much for the
convex decomposition of one non-convex prop. The results depend only on the meshes, so they
are kept here:

- interiors by the identity of their meshes: :func:`see1previs.station.loader.load_station`
  hands out stations that share them, and a loaded interior is never changed;
- prop meshes by a digest of their vertices and faces, since each world reads the file anew
  (with the radius of the ball around their origin that lies inside them, which the crowding
  check uses).

What is returned is exactly what :func:`boundary_tiles` and :func:`convex_pieces` return, so
bakes stay bit-identical.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import trimesh

from see1previs.station.collision import boundary_tiles, convex_pieces
from see1previs.station.model import Station

_INTERIORS_KEPT = 4
_MESHES_KEPT = 64


@dataclass(frozen=True)
class InteriorPieces:
    """Convex collision geometry of one interior."""

    tiles: list[np.ndarray]
    """One convex prism per wall face (see :func:`boundary_tiles`)."""
    parts: list[list[np.ndarray]]
    """Convex pieces of each of the station's parts, in the order of ``station.parts``."""
    meshes: tuple[object, ...]
    """The meshes they were computed from, held so their ids stay theirs while cached."""


class _Kept:
    """A small thread-safe store that forgets the least recently used entry."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_interiors = _Kept(_INTERIORS_KEPT)
_meshes = _Kept(_MESHES_KEPT)


def interior_pieces(station: Station, thickness: float) -> InteriorPieces:
    """The wall tiles (``thickness`` metres thick) and fixture pieces of ``station``."""
    meshes = (station.boundary, *(part.mesh for part in station.parts))
    key = (thickness, *(id(mesh) for mesh in meshes))
    found = _interiors.get(key)
    if found is None:
        found = InteriorPieces(
            tiles=boundary_tiles(station.boundary, thickness=thickness),
            parts=[convex_pieces(part.mesh) for part in station.parts],
            meshes=meshes,
        )
        _interiors.put(key, found)
    return found


def mesh_pieces(mesh: trimesh.Trimesh) -> list[np.ndarray]:
    """Convex pieces covering a prop's ``mesh`` (see :func:`convex_pieces`)."""
    key = ("pieces", _digest(mesh))
    found = _meshes.get(key)
    if found is None:
        found = convex_pieces(mesh)
        _meshes.put(key, found)
    return list(found)


def mesh_inner_radius(mesh: trimesh.Trimesh) -> float:
    """The radius of a ball around the origin inside a closed ``mesh``; 0 if the origin is
    outside or the mesh is open (then no ball is certainly inside)."""
    key = ("inner", _digest(mesh))
    found = _meshes.get(key)
    if found is None:
        found = 0.0
        if mesh.is_watertight:
            depth = trimesh.proximity.signed_distance(mesh, np.zeros((1, 3)))[0]
            found = max(0.0, float(depth))  # positive inside
        _meshes.put(key, found)
    return found


def _digest(mesh: trimesh.Trimesh) -> str:
    vertices = np.ascontiguousarray(mesh.vertices, dtype=float)
    faces = np.ascontiguousarray(mesh.faces, dtype=np.int64)
    digest = hashlib.blake2b(digest_size=20)
    for array in (vertices, faces):
        digest.update(repr(array.shape).encode())
        digest.update(array.tobytes())
    return digest.hexdigest()
