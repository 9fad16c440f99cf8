"""The cabin wall as an exact sphere: its contact computed from geometry, not from tiles.

A spherical interior's wall is, for contact, ``|p| = R``: a body touches it where its point
farthest from the centre is beyond R, by ``depth = |p| − R``, with the normal pointing at the
centre. Computed per body from its geoms' exact shapes (a sphere's or capsule's far point, a
box's corners, a cylinder's rim, a mesh's vertices) it is one contact per body with a depth
that is a true function of the body's pose, so the spring on it (see
:mod:`see1previs.physics.contact_forces`) is the gradient of a potential and cannot pump
energy, as the thousands of overlapping wall tiles, each reporting its own touch, could.
It is also what made the wall the slowest part of a bake: MuJoCo no longer tests every body
against some 2,600 tiles at every RK4 stage.

Where the wall is open — the hatch leading into the vestibule — points are masked out: the
vestibule's own faces stay MuJoCo tiles. :func:`sphere_wall` finds the sphere and the hatch
openings from the station (faces whose vertices all lie on one sphere; every other boundary
vertex must lie in the square prism of a ``hatch`` fixture); an interior that is not such a
sphere keeps all its tiles.

The wall is stored in the compiled model as the custom numeric :data:`NUMERIC_NAME`:
``[R, friction, n_openings, then per opening: axis(3), u(3), v(3), half_width]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import mujoco
import numpy as np

from see1previs.station.collision import MIN_TILE_AREA
from see1previs.station.model import Station

NUMERIC_NAME = "see1_sphere_wall"
ROUND = (int(mujoco.mjtGeom.mjGEOM_SPHERE), int(mujoco.mjtGeom.mjGEOM_CAPSULE))
ON_SPHERE = 1e-6  # relative: vertices this close to R are on the sphere
OPENING_SLACK = 1e-6  # m: tolerance of the hatch-prism test for vestibule vertices


@dataclass(frozen=True)
class Opening:
    """A square hole in the sphere: points p with p·axis > 0, |p·u| < a and |p·v| < a."""

    axis: np.ndarray
    u: np.ndarray
    v: np.ndarray
    half_width: float

    def lateral_distance(self, point: np.ndarray) -> float:
        """How far a point is from the opening's prism, sideways (inf behind the centre)."""
        if point @ self.axis <= 0.0:
            return np.inf
        du = max(0.0, abs(point @ self.u) - self.half_width)
        dv = max(0.0, abs(point @ self.v) - self.half_width)
        return float(np.hypot(du, dv))

    def contains(self, points: np.ndarray) -> np.ndarray:
        points = np.atleast_2d(points)
        return (
            (points @ self.axis > 0.0)
            & (np.abs(points @ self.u) < self.half_width)
            & (np.abs(points @ self.v) < self.half_width)
        )


@dataclass(frozen=True)
class SphereWall:
    radius: float
    openings: tuple[Opening, ...]
    sphere_faces: np.ndarray  # bool per boundary face: on the sphere (no tile needed)

    def numeric(self, friction: float) -> list[float]:
        out = [self.radius, friction, float(len(self.openings))]
        for opening in self.openings:
            out += [*opening.axis, *opening.u, *opening.v, opening.half_width]
        return out


def sphere_wall(station: Station) -> SphereWall | None:
    """The interior's wall as a sphere with square openings, or None if it is not one."""
    boundary = station.boundary
    vertices = np.asarray(boundary.vertices, dtype=float)
    faces = np.asarray(boundary.faces)
    if len(vertices) == 0:
        return None
    distances = np.linalg.norm(vertices, axis=1)
    radius = float(np.median(distances))
    on_sphere = np.abs(distances - radius) <= ON_SPHERE * radius
    sphere_faces = on_sphere[faces].all(axis=1)
    if sphere_faces.mean() < 0.8:
        return None
    openings = tuple(
        Opening(
            axis=-fixture.normal,  # the fixture's normal points into the cabin
            u=fixture.axis,
            v=np.cross(fixture.normal, fixture.axis),
            half_width=0.5 * fixture.length,
        )
        for fixture in station.fixtures
        if fixture.kind == "hatch" and fixture.length > 0.0
    )
    off = vertices[~on_sphere]
    if len(off):
        if not openings:
            return None
        covered = np.zeros(len(off), dtype=bool)
        for opening in openings:
            grown = Opening(opening.axis, opening.u, opening.v, opening.half_width + OPENING_SLACK)
            covered |= grown.contains(off)
        if not covered.all():
            return None
    return SphereWall(radius, openings, sphere_faces)


def tile_faces(station: Station) -> np.ndarray:
    """Indices of the boundary faces that get a tile (as :func:`boundary_tiles` makes them)."""
    return np.nonzero(np.asarray(station.boundary.area_faces) > MIN_TILE_AREA)[0]


# ---- the reference computation of the wall's touch ------------------------------------------


def read_wall(model: mujoco.MjModel) -> tuple[float, float, list[Opening]] | None:
    """(R, friction, openings) stored in a compiled model, or None if it has no sphere wall."""
    try:
        data = model.numeric(NUMERIC_NAME).data
    except KeyError:
        return None
    radius, friction, count = float(data[0]), float(data[1]), int(data[2])
    openings = []
    for k in range(count):
        block = data[3 + 10 * k : 13 + 10 * k]
        openings.append(Opening(block[0:3], block[3:6], block[6:9], float(block[9])))
    return radius, friction, openings


def _candidate_points(model: mujoco.MjModel, data: mujoco.MjData, geom: int) -> np.ndarray:
    """Points of the geom that can be its farthest from the centre, module frame (n, 3).

    Round geoms return their centre-line candidates; :func:`farthest_point` adds the radius.
    """
    kind = int(model.geom_type[geom])
    centre = data.geom_xpos[geom]
    rotation = data.geom_xmat[geom].reshape(3, 3)
    size = model.geom_size[geom]
    if kind == mujoco.mjtGeom.mjGEOM_SPHERE:
        return centre[None, :]
    if kind == mujoco.mjtGeom.mjGEOM_CAPSULE:
        axis = rotation[:, 2] * size[1]
        return np.array([centre + axis, centre - axis])
    if kind == mujoco.mjtGeom.mjGEOM_BOX:
        signs = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)])
        return centre + (signs * size[:3]) @ rotation.T
    if kind == mujoco.mjtGeom.mjGEOM_CYLINDER:
        axis = rotation[:, 2]
        points = []
        for end in (centre + axis * size[1], centre - axis * size[1]):
            radial = end - (end @ axis) * axis
            length = np.linalg.norm(radial)
            if length > 0.0:
                points.append(end + radial / length * size[0])
            else:  # the end's centre is on the axis through the origin: any rim point
                points.append(end + rotation[:, 0] * size[0])
        return np.array(points)
    if kind == mujoco.mjtGeom.mjGEOM_MESH:
        mesh = model.geom_dataid[geom]
        start, count = model.mesh_vertadr[mesh], model.mesh_vertnum[mesh]
        local = model.mesh_vert[start : start + count]
        return centre + local @ rotation.T
    raise ValueError(f"the sphere wall cannot touch geom type {kind}")


def _round_radius(model: mujoco.MjModel, geom: int) -> float:
    """The radius a sphere or capsule adds around its centre line; 0 for other shapes."""
    return float(model.geom_size[geom, 0]) if int(model.geom_type[geom]) in ROUND else 0.0


def _sphere_is_nearest(point: np.ndarray, radius: float, openings) -> bool:
    """Whether the sphere is the free surface nearest to a point beyond it.

    In an opening the point is in the vestibule (its tiles decide). Beside one, the point is
    in the wall material between the sphere and the vestibule's side; it belongs to whichever
    surface is nearer, so a body poking through the vestibule's side is not flung at the centre.
    """
    depth = float(np.linalg.norm(point)) - radius
    for opening in openings:
        if opening.contains(point)[0] or opening.lateral_distance(point) < depth:
            return False
    return True


def _geom_farthest(model, data, geom: int, radius: float, openings):
    """(surface point, distance from the centre) of one geom's farthest point on the sphere,
    counting only points for which the sphere is the nearest free surface; (None, -inf) if
    none is."""
    best = (None, -np.inf)
    round_radius = _round_radius(model, geom)
    for point in _candidate_points(model, data, geom):
        distance = float(np.linalg.norm(point))
        if distance <= 0.0:
            continue
        surface = point * (1.0 + round_radius / distance)
        if distance + round_radius > best[1] and _sphere_is_nearest(surface, radius, openings):
            best = (surface, distance + round_radius)
    return best


def farthest_point(
    model: mujoco.MjModel,
    data: mujoco.MjData,
    body: int,
    radius: float,
    openings,
    marker: float,
):
    """(geom, point, distance from the centre) of the body's farthest point on the sphere.

    Only points for which the sphere is the nearest free surface count (see
    :func:`_sphere_is_nearest`), and only the body's geoms whose first user number is
    ``marker``; geom −1 if none. Geoms whose bounding sphere is inside the wall are skipped:
    they cannot touch it.
    """
    best = (-1, None, -np.inf)
    start = model.body_geomadr[body]
    for geom in range(start, start + model.body_geomnum[body]):
        if model.geom_user[geom, 0] != marker:
            continue
        if np.linalg.norm(data.geom_xpos[geom]) + model.geom_rbound[geom] < radius:
            continue
        surface, distance = _geom_farthest(model, data, geom, radius, openings)
        if distance > best[2]:
            best = (geom, surface, distance)
    return best


def wall_gap(model: mujoco.MjModel, data: mujoco.MjData, geoms, marker: float) -> float:
    """Smallest distance (m) from the given geoms to the sphere wall; inf without one.

    Negative when a geom is into the wall. Points facing an opening do not count (there is
    no sphere there: the vestibule's tiles are measured as geoms).
    """
    wall = read_wall(model)
    if wall is None:
        return np.inf
    radius, _, openings = wall
    farthest = max(
        (
            _geom_farthest(model, data, int(geom), radius, openings)[1]
            for geom in geoms
            if model.geom_user[geom, 0] == marker
        ),
        default=-np.inf,
    )
    return radius - farthest
