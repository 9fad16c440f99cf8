"""The station data model: the cabin boundary, the collidable solids and the named fixtures.

A :class:`Station` is what every other layer sees of an interior, whether it is the built-in
SEE-1 module or a custom mesh a production brought. Everything is in the module frame
(metres; origin at the sphere centre, +X to the main hatch, +Z studio up, right-handed) and
orientations are unit quaternions ``(w, x, y, z)``.

Treat a loaded station as read-only: the loader caches stations and hands the same meshes
to every scene that asks for them.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import trimesh
from numpy.typing import ArrayLike

from see1previs.station import frames, queries

FIXTURE_KINDS = ("handrail", "foot_restraint", "seat_track", "light_ring", "camera_mount", "hatch")

# Quaternions are stored rounded (see the SEE-1 generator), so "unit" allows a little slack.
_UNIT_QUATERNION_TOLERANCE = 1e-6


class StationError(Exception):
    """A station interior cannot be used; the message names the file or fixture and the fix."""


class UnknownFixtureError(StationError, KeyError):
    """No fixture has the requested id. Also a KeyError, so mapping-style code can catch it."""

    def __str__(self) -> str:
        # KeyError would show the message in quotes; a director should see plain text.
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Fixture:
    """Something on the cabin wall the crew and the blocking refer to by name.

    ``position`` is the fixture's reference point (the centre of a handrail's grip bar, the
    centre of a camera mount plate's face, the centre of a light ring, the centre of the hatch
    door). In the fixture's local frame ``+Z`` is the mounting surface normal pointing into the
    cabin and ``+X`` runs along the fixture's long axis; ``length`` is its extent along ``+X``
    (0 for point-like fixtures).
    """

    id: str
    kind: str
    name: str
    position: tuple[float, float, float]
    orientation: tuple[float, float, float, float]
    length: float = 0.0

    def __post_init__(self) -> None:
        if not self.id or any(c.isspace() or c == "/" for c in self.id):
            raise StationError(
                f"fixture id {self.id!r} is not usable: ids are short codes such as 'H3' or "
                "'CAM-A' without spaces or '/'"
            )
        if self.kind not in FIXTURE_KINDS:
            raise StationError(
                f"fixture {self.id}: unknown kind {self.kind!r}; expected one of "
                f"{', '.join(FIXTURE_KINDS)}"
            )
        position = tuple(float(v) for v in self.position)
        orientation = tuple(float(v) for v in self.orientation)
        if len(position) != 3 or not all(math.isfinite(v) for v in position):
            raise StationError(f"fixture {self.id}: position must be three finite numbers")
        if len(orientation) != 4 or not all(math.isfinite(v) for v in orientation):
            raise StationError(f"fixture {self.id}: orientation must be four numbers (w, x, y, z)")
        norm = math.sqrt(sum(v * v for v in orientation))
        if abs(norm - 1.0) > _UNIT_QUATERNION_TOLERANCE:
            raise StationError(
                f"fixture {self.id}: orientation {orientation} is not a unit quaternion "
                f"(its length is {norm:.6f})"
            )
        if not math.isfinite(self.length) or self.length < 0.0:
            raise StationError(f"fixture {self.id}: length must be zero or positive metres")
        # Frozen dataclass: coercion to plain float tuples has to bypass __setattr__.
        object.__setattr__(self, "position", position)
        object.__setattr__(self, "orientation", orientation)
        object.__setattr__(self, "length", float(self.length))

    def rotation(self) -> np.ndarray:
        """3x3 rotation whose columns are the fixture's local X, Y, Z axes in the module frame."""
        return frames.matrix_from_quat(self.orientation)

    @property
    def normal(self) -> np.ndarray:
        """Local +Z: the mounting surface normal, pointing into the cabin."""
        return self.rotation()[:, 2]

    @property
    def axis(self) -> np.ndarray:
        """Local +X: along the fixture's long axis."""
        return self.rotation()[:, 0]


@dataclass(frozen=True)
class StationPart:
    """A closed solid inside the cabin that actors and props collide with.

    ``name`` is the glTF node name (``fixture/<id>/<part>`` for fixture parts) and
    ``fixture_id`` links the solid to its :class:`Fixture`, if any.
    """

    name: str
    mesh: trimesh.Trimesh
    fixture_id: str | None = None


def part_sort_key(name: str) -> tuple:
    """Natural order for part names, so 'H2' sorts before 'H10' and file order never matters."""
    return tuple(int(tok) if tok.isdigit() else tok for tok in re.split(r"(\d+)", name))


@dataclass
class Station:
    """A cabin interior: the boundary of free space, the solids in it and the named fixtures.

    ``boundary`` is one closed, watertight mesh whose face normals point INTO the cabin (toward
    free space). ``parts`` are the other solids that collide (fixtures and props built into the
    set). ``warnings`` are problems found on load that did not stop it (units, for example).
    """

    name: str
    source: Path | None
    boundary: trimesh.Trimesh
    parts: list[StationPart]
    fixtures: list[Fixture]
    warnings: list[str] = field(default_factory=list)

    def fixture(self, fixture_id: str) -> Fixture:
        """The fixture with this id; UnknownFixtureError lists the closest ids if there is none."""
        for fixture in self.fixtures:
            if fixture.id == fixture_id:
                return fixture
        ids = [f.id for f in self.fixtures]
        close = difflib.get_close_matches(fixture_id, ids, n=3, cutoff=0.5)
        if not close:
            close = [i for i in ids if i.lower().startswith(fixture_id[:1].lower())][:3]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownFixtureError(f"{self.name} has no fixture {fixture_id!r}{hint}")

    def fixture_parts(self, fixture_id: str) -> list[StationPart]:
        """The collidable solids that belong to one fixture."""
        return [p for p in self.parts if p.fixture_id == fixture_id]

    def clearance(self, points: ArrayLike) -> np.ndarray:
        """Signed distance in metres from each point to the boundary: > 0 inside the cabin.

        Accepts one point ``(3,)`` or many ``(N, 3)``; returns a scalar array or ``(N,)``.
        """
        return queries.signed_clearance(self.boundary, points)

    def contains(self, points: ArrayLike) -> np.ndarray:
        """True for each point inside the cabin (in free space, ignoring the parts)."""
        return queries.inside(self.boundary, points)

    def content_hash(self) -> str:
        """SHA-256 hex digest of the geometry and fixtures; the physics bake-cache key.

        Stable across runs and platforms with the same float representation; independent of
        the order of ``parts`` (the loader sorts them, a builder may not).
        """
        digest = hashlib.sha256()

        def add_mesh(mesh: trimesh.Trimesh) -> None:
            digest.update(np.ascontiguousarray(mesh.vertices, dtype="<f8").tobytes())
            digest.update(np.ascontiguousarray(mesh.faces, dtype="<i8").tobytes())

        digest.update(b"boundary")
        add_mesh(self.boundary)
        for part in sorted(self.parts, key=lambda p: part_sort_key(p.name)):
            digest.update(f"part {part.name} {part.fixture_id}".encode())
            add_mesh(part.mesh)
        fixtures = [
            [f.id, f.kind, f.name, list(f.position), list(f.orientation), f.length]
            for f in self.fixtures
        ]
        digest.update(json.dumps(fixtures, separators=(",", ":")).encode())
        return digest.hexdigest()
