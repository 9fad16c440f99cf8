"""Where the SEE-1 fixtures go and the convex solids each one is made of.

Every fixture is placed against the true sphere (radius ``inner_diameter / 2``) and its
standoffs are then seated on the faceted shell by casting rays, so each solid ends a couple
of millimetres short of the wall it is mounted on and stays inside the cabin boundary.

Fixture ids are the crew's names: H1.. handrails, FR1.. foot restraints, ST1.. seat tracks,
L1/L2 light rings, CAM-A.. camera mounts and HATCH.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import trimesh

from see1previs.station import frames, queries
from see1previs.station.model import Fixture, StationPart
from see1previs.station.see1_parameters import See1Parameters
from see1previs.station.solids import bar

_WALL_GAP = 0.002  # solids stop this far short of the wall they are mounted on
_STANDOFF_WIDTH = 0.03
_ROUND_BAR_SIDES = 12
_X, _Y, _Z = np.eye(3)


def _direction(azimuth_deg: float, elevation_deg: float) -> np.ndarray:
    """Unit vector from the sphere centre at the given azimuth (from +X toward +Y)/elevation."""
    az, el = math.radians(azimuth_deg), math.radians(elevation_deg)
    return np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])


def _east(direction: np.ndarray) -> np.ndarray:
    """Tangent along the circle of latitude (increasing azimuth); +Y at the poles."""
    east = np.cross(_Z, direction)
    return frames.unit(east) if np.linalg.norm(east) > 1e-9 else _Y.copy()


def _north(direction: np.ndarray) -> np.ndarray:
    """Tangent along the meridian toward +Z."""
    return np.cross(direction, _east(direction))


def _describe(azimuth_deg: float, elevation_deg: float) -> str:
    """Crew words for a place on the sphere: 'above the hatch', '+Y side', 'top'..."""
    if elevation_deg >= 89.9:
        return "top"
    if elevation_deg <= -89.9:
        return "bottom"
    level = "upper" if elevation_deg > 20 else "lower" if elevation_deg < -20 else ""
    walls = {0.0: "hatch", 180.0: "stage"}
    sides = {90.0: "+Y side", 270.0: "-Y side"}
    azimuth = azimuth_deg % 360.0
    if azimuth in walls:
        where = {"upper": "above the ", "lower": "below the ", "": ""}[level]
        return where + walls[azimuth]
    side = sides.get(azimuth, f"azimuth {azimuth_deg:g}°")
    return f"{side}, {level}" if level else side


@dataclass
class _Builder:
    """Collects fixtures and their solids, seating solids on the shell as it goes."""

    params: See1Parameters
    shell: trimesh.Trimesh
    fixtures: list[Fixture] = field(default_factory=list)
    parts: list[StationPart] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._triangles = np.asarray(self.shell.triangles, dtype=float)

    # -- bookkeeping ----------------------------------------------------------------------

    def add_fixture(
        self,
        fixture_id: str,
        kind: str,
        name: str,
        position: np.ndarray,
        rotation: np.ndarray,
        length: float = 0.0,
    ) -> None:
        # Rounded so the fixtures table is readable and reloads to exactly the same values.
        # Adding 0.0 turns -0.0 into 0.0, which keeps the JSON free of "-0.0".
        quat = tuple(round(v, 9) + 0.0 for v in frames.quat_from_matrix(rotation))
        self.fixtures.append(
            Fixture(
                id=fixture_id,
                kind=kind,
                name=name,
                position=tuple(round(float(v), 6) + 0.0 for v in position),
                orientation=quat,
                length=round(float(length), 6),
            )
        )

    def add_part(self, fixture_id: str, part: str, mesh: trimesh.Trimesh) -> None:
        self.parts.append(StationPart(f"fixture/{fixture_id}/{part}", mesh, fixture_id))

    # -- geometry -------------------------------------------------------------------------

    def depth_to_wall(self, points: np.ndarray, outward: np.ndarray) -> float:
        """How far the solid can extend along ``outward`` from ``points`` before the wall."""
        depth = queries.ray_distances(self._triangles, points, outward).min()
        if not np.isfinite(depth):
            raise RuntimeError("SEE-1 layout: a fixture is not in front of any wall")
        return float(depth) - _WALL_GAP

    def standoff(self, fixture_id: str, part: str, top: np.ndarray, rotation: np.ndarray) -> None:
        """A square post from ``top`` (on a bar's centreline) back to the wall."""
        x, y, z = rotation.T
        half = _STANDOFF_WIDTH / 2.0
        corners = np.array(
            [top + sx * half * x + sy * half * y for sx in (1, -1) for sy in (1, -1)]
        )
        depth = self.depth_to_wall(corners, -z)
        self.add_part(fixture_id, part, bar(top, top - depth * z, x, _STANDOFF_WIDTH))

    def grip(
        self,
        fixture_id: str,
        centre: np.ndarray,
        rotation: np.ndarray,
        length: float,
        section: tuple[float, float],
        sides: int,
        part: str,
        posts: tuple[float, ...],
    ) -> None:
        """A straight bar along local +X with standoffs at the given offsets along it."""
        x, _, z = rotation.T
        width, height = section
        ends = (centre - x * length / 2.0, centre + x * length / 2.0)
        self.add_part(fixture_id, part, bar(*ends, z, width, height, sides))
        for k, offset in enumerate(posts, start=1):
            self.standoff(fixture_id, f"standoff-{k}", centre + offset * x, rotation)

    def plate(self, fixture_id: str, face_centre: np.ndarray, rotation: np.ndarray) -> None:
        """A square mounting plate whose face is at ``face_centre``, backed onto the wall."""
        x, y, z = rotation.T
        half = self.params.camera_plate_size / 2.0
        corners = np.array(
            [face_centre + sx * half * x + sy * half * y for sx in (1, -1) for sy in (1, -1)]
        )
        depth = self.depth_to_wall(corners, -z)
        back = face_centre - depth * z
        self.add_part(
            fixture_id,
            "plate",
            bar(back, face_centre, y, self.params.camera_plate_size, self.params.camera_plate_size),
        )


def _handrails(b: _Builder) -> None:
    p = b.params
    radius, standoff, length = p.radius, p.handrail_standoff, p.handrail_length
    posts = (-(length / 2.0 - 0.04), length / 2.0 - 0.04)
    section = (p.handrail_diameter, p.handrail_diameter)
    rails: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]] = []  # name, centre, z, x

    alpha = math.radians(p.hatch_handrail_angle_deg)
    hatch_ring = [
        ("hatch, top", _Z, _Y),
        ("hatch, bottom", -_Z, _Y),
        ("hatch, +Y side", _Y, _Z),
        ("hatch, -Y side", -_Y, _Z),
    ]
    for label, toward, along in hatch_ring:
        d = math.cos(alpha) * _X + math.sin(alpha) * toward
        rails.append((label, (radius - standoff) * d, -d, along))
    for az in p.equator_handrail_azimuths_deg:
        d = _direction(az, 0.0)
        rails.append((f"equator, azimuth {az:g}°", (radius - standoff) * d, -d, _east(d)))
    pole_elevation = 90.0 - p.pole_handrail_angle_deg
    for pole, sign in (("top", 1.0), ("bottom", -1.0)):
        for az, side in ((0.0, "hatch side"), (180.0, "stage side")):
            d = _direction(az, sign * pole_elevation)
            rails.append((f"{pole}, {side}", (radius - standoff) * d, -d, _Y))
    if p.vestibule_handrails:
        half = p.hatch_width / 2.0
        x_mid = (math.sqrt(radius**2 - half**2) + p.door_x) / 2.0
        for label, sign in (("vestibule, +Y wall", 1.0), ("vestibule, -Y wall", -1.0)):
            centre = np.array([x_mid, sign * (half - standoff), 0.0])
            rails.append((label, centre, -sign * _Y, _X))

    for k, (label, centre, inward, along) in enumerate(rails, start=1):
        fid = f"H{k}"
        rotation = frames.frame_from_axes(inward, along)
        b.add_fixture(fid, "handrail", f"Handrail {fid} ({label})", centre, rotation, length)
        b.grip(fid, centre, rotation, length, section, _ROUND_BAR_SIDES, "bar", posts)


def _foot_restraints(b: _Builder) -> None:
    p = b.params
    spots = [(az, 0.0) for az in p.stage_foot_restraint_azimuths_deg]
    spots.append((0.0, p.hatch_foot_restraint_elevation_deg))
    width = p.foot_restraint_width
    posts = (-(width / 2.0 - 0.02), width / 2.0 - 0.02)
    for k, (az, el) in enumerate(spots, start=1):
        fid = f"FR{k}"
        d = _direction(az, el)
        centre = (p.radius - p.foot_restraint_standoff) * d
        rotation = frames.frame_from_axes(-d, _east(d))
        if el != 0.0:
            label = _describe(az, el)
        elif az % 360.0 == 180.0:
            label = "stage centre"
        else:
            label = "stage, +Y side" if d[1] > 0.0 else "stage, -Y side"
        b.add_fixture(
            fid, "foot_restraint", f"Foot restraint {fid} ({label})", centre, rotation, width
        )
        b.grip(fid, centre, rotation, width, (0.04, 0.02), 4, "loop", posts)


def _seat_tracks(b: _Builder) -> None:
    p = b.params
    length = p.seat_track_length
    posts = (-(length / 2.0 - 0.05), 0.0, length / 2.0 - 0.05)
    k = 0
    for el in p.seat_track_elevations_deg:
        for az in p.seat_track_azimuths_deg:
            k += 1
            fid = f"ST{k}"
            d = _direction(az, el)
            centre = (p.radius - p.seat_track_standoff) * d
            rotation = frames.frame_from_axes(-d, _north(d))
            name = f"Seat track {fid} ({_describe(az, el)})"
            b.add_fixture(fid, "seat_track", name, centre, rotation, length)
            b.grip(fid, centre, rotation, length, (0.06, 0.03), 4, "rail", posts)


def _light_rings(b: _Builder) -> None:
    p = b.params
    theta = math.radians(p.light_ring_polar_angle_deg)
    ring_distance = p.radius - p.light_ring_offset  # centre of the sphere to the ring line
    ring_radius = ring_distance * math.sin(theta)
    n = p.light_ring_segments
    width, height = 0.06, 0.03
    # Lengthen each straight segment so neighbours meet at the polygon's outer corners.
    overlap = (width / 2.0) * math.tan(math.pi / n)
    for k, (label, sign) in enumerate((("top", 1.0), ("bottom", -1.0)), start=1):
        fid = f"L{k}"
        centre = np.array([0.0, 0.0, sign * ring_distance * math.cos(theta)])
        rotation = frames.frame_from_axes(-sign * _Z, _X)
        name = f"Light ring {fid} ({label})"
        b.add_fixture(fid, "light_ring", name, centre, rotation, 2.0 * ring_radius)
        corners = [
            centre + ring_radius * np.array([math.cos(a), math.sin(a), 0.0])
            for a in np.arange(n) * (2.0 * math.pi / n)
        ]
        for i in range(n):
            start, end = corners[i], corners[(i + 1) % n]
            along = frames.unit(end - start)
            b.add_part(
                fid,
                f"segment-{i + 1:02d}",
                bar(start - overlap * along, end + overlap * along, _Z, width, height),
            )
        step = max(1, n // max(1, p.light_ring_struts))
        for j, i in enumerate(range(0, n, step)[: p.light_ring_struts], start=1):
            outward = frames.unit(corners[i])
            b.standoff(fid, f"strut-{j}", corners[i], frames.frame_from_axes(-outward, _Z))


def _camera_mounts(b: _Builder) -> None:
    p = b.params
    for k, (az, el) in enumerate(p.camera_mounts_deg):
        fid = f"CAM-{chr(ord('A') + k)}"
        d = _direction(az, el)
        face = (p.radius - p.camera_plate_standoff) * d
        inward = -d
        # Plate +Y is studio up where that is defined, so a camera on it shoots level.
        up = _Z if abs(d[2]) < 0.99 else _X
        rotation = frames.frame_from_axes(inward, np.cross(up, inward))
        b.add_fixture(
            fid, "camera_mount", f"Camera mount {fid} ({_describe(az, el)})", face, rotation
        )
        b.plate(fid, face, rotation)


def _hatch(b: _Builder) -> None:
    p = b.params
    door_centre = np.array([p.door_x, 0.0, 0.0])
    # Local +X along -Y so that local +Y is studio up for someone facing the door.
    rotation = frames.frame_from_axes(-_X, -_Y)
    b.add_fixture(
        "HATCH", "hatch", "Main hatch (station side)", door_centre, rotation, p.hatch_width
    )
    handle_length = 0.30
    handle_centre = door_centre - 0.08 * _X
    posts = (-(handle_length / 2.0 - 0.03), handle_length / 2.0 - 0.03)
    section = (p.handrail_diameter, p.handrail_diameter)
    b.grip(
        "HATCH", handle_centre, rotation, handle_length, section, _ROUND_BAR_SIDES, "handle", posts
    )


def build_fixtures(
    params: See1Parameters, shell: trimesh.Trimesh
) -> tuple[list[Fixture], list[StationPart]]:
    """All SEE-1 fixtures and their convex solids, seated on ``shell``."""
    builder = _Builder(params, shell)
    for place in (_handrails, _foot_restraints, _seat_tracks, _light_rings, _camera_mounts, _hatch):
        place(builder)
    return builder.fixtures, builder.parts
