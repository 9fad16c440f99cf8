"""The cabin wall as exact geometry: a sphere and the hatch's square tunnel, not tiles.

A spherical interior's wall is, for contact, ``|p| = R``; the hatch opens it into the
vestibule, a square tunnel ending at the hatch door. Together they bound the union of a ball
and a box, whose signed distance is ``s(p) = min(|p| − R, s_box(p))`` (positive outside). A
body touches the wall where its deepest point has ``s > 0``, by that much, pushed along −∇s
(toward the centre on the sphere, straight off a tunnel wall or the door). Computed per body
from its geoms' exact shapes (a sphere's or capsule's centre line plus its radius, a box's
corners, a cylinder's rim, a mesh's vertices) it is one contact per body with a depth that
is a true function of the body's pose, so the spring on it (see
:mod:`see1previs.physics.contact_forces`) is the gradient of a potential and cannot pump
energy, as the thousands of overlapping wall tiles, each reporting its own touch, could. It
is also what made the wall the slowest part of a bake: MuJoCo no longer tests every body
against some 2,600 tiles at every RK4 stage.

:func:`sphere_wall` finds the sphere and the hatch openings from the station (faces whose
vertices all lie on one sphere; every other boundary vertex must lie in the square prism of
a ``hatch`` fixture, up to its door); an interior that is not such a sphere keeps all its
tiles. Where the union has a ridge (the rim where the tunnel meets the sphere) a polyhedral
body's depth is taken at its vertices, as everywhere else: exact for the sphere and the
tunnel alone, a slight underestimate for an edge lying across the rim.

The wall is stored in the compiled model as the custom numeric :data:`NUMERIC_NAME`:
``[R, friction, n_openings, then per opening: axis(3), u(3), v(3), half_width, door]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mujoco
import numpy as np

from see1previs.station.model import Station

NUMERIC_NAME = "see1_sphere_wall"
ROUND = (int(mujoco.mjtGeom.mjGEOM_SPHERE), int(mujoco.mjtGeom.mjGEOM_CAPSULE))
ON_SPHERE = 1e-6  # relative: vertices this close to R are on the sphere
OPENING_SLACK = 1e-6  # m: tolerance of the hatch-prism test for vestibule vertices


OPENING_VALUES = 11  # numbers per opening in the model's numeric


@dataclass(frozen=True)
class Opening:
    """A square hole in the sphere, points p with p·axis > 0, |p·u| < a and |p·v| < a, and
    the tunnel behind it up to the door plane p·axis = door."""

    axis: np.ndarray
    u: np.ndarray
    v: np.ndarray
    half_width: float
    door: float = np.inf

    def signed_distance(self, point: np.ndarray) -> tuple[float, np.ndarray]:
        """(s, ∇s) of the tunnel as a solid box from the centre to the door: s > 0 outside."""
        basis = np.array([self.axis, self.u, self.v])
        local = basis @ point
        centre = np.array([0.5 * self.door, 0.0, 0.0])
        half = np.array([0.5 * self.door, self.half_width, self.half_width])
        offset = local - centre
        q = np.abs(offset) - half
        sign = np.where(offset < 0.0, -1.0, 1.0)
        outside = np.maximum(q, 0.0)
        length = float(np.linalg.norm(outside))
        if length > 0.0:
            return length, basis.T @ (sign * outside / length)
        k = int(np.argmax(q))
        return float(q[k]), basis[k] * sign[k]

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

    def numeric(self, friction: float) -> list[float]:
        out = [self.radius, friction, float(len(self.openings))]
        for opening in self.openings:
            out += [*opening.axis, *opening.u, *opening.v, opening.half_width, opening.door]
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
        doors = []
        for opening in openings:
            grown = Opening(opening.axis, opening.u, opening.v, opening.half_width + OPENING_SLACK)
            inside = grown.contains(off)
            covered |= inside
            doors.append(float(np.max(off[inside] @ opening.axis)) if inside.any() else radius)
        if not covered.all():
            return None
        openings = tuple(
            Opening(o.axis, o.u, o.v, o.half_width, door)
            for o, door in zip(openings, doors, strict=True)
        )
    return SphereWall(radius, openings)


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
        block = data[3 + OPENING_VALUES * k : 3 + OPENING_VALUES * (k + 1)]
        openings.append(
            Opening(block[0:3], block[3:6], block[6:9], float(block[9]), float(block[10]))
        )
    return radius, friction, openings


RIM_SAMPLES = 16  # first look at a cylinder's rim against the tunnel
RIM_REFINE = 24  # golden-section steps after it (the angle to ~2e-5 rad)
GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0


def _candidate_points(
    model: mujoco.MjModel, data: mujoco.MjData, geom: int, radius: float, openings
) -> np.ndarray:
    """Points of the geom among which is its deepest into the wall, module frame (n, 3).

    The depth of a body is the largest signed distance over its surface, so the force acts
    at the surface point where that largest value is taken (then the push is the gradient
    of a potential). Over a box, a segment or a mesh that point is a vertex: the sphere's
    and the tunnel's distances are each convex. Over a cylinder's rim it is the point
    farthest from the centre for the sphere, and for the tunnel it is found by search
    (:func:`_rim_deepest`). Round geoms return their centre-line candidates;
    :func:`_geom_deepest` adds the radius.
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
            if length > 0.0:  # the rim's point farthest from the centre: the sphere's deepest
                points.append(end + radial / length * size[0])
            else:  # the end's centre is on the axis through the origin: any rim point
                points.append(end + rotation[:, 0] * size[0])
            if openings and _tunnel_may_reach(end, size[0], radius, openings):
                points.append(_rim_deepest(end, rotation, size[0], radius, openings))
        return np.array(points)
    if kind == mujoco.mjtGeom.mjGEOM_MESH:
        mesh = model.geom_dataid[geom]
        start, count = model.mesh_vertadr[mesh], model.mesh_vertnum[mesh]
        local = model.mesh_vert[start : start + count]
        return centre + local @ rotation.T
    raise ValueError(f"the sphere wall cannot touch geom type {kind}")


def _tunnel_may_reach(end: np.ndarray, rim: float, radius: float, openings) -> bool:
    """Whether a tunnel's distance can be the smaller one anywhere on a rim of radius ``rim``
    around ``end`` (both distances change by at most ``rim`` across it)."""
    sphere = float(np.linalg.norm(end)) - radius
    return any(o.signed_distance(end)[0] - rim <= sphere + rim for o in openings)


def _rim_deepest(end: np.ndarray, rotation: np.ndarray, rim: float, radius: float, openings):
    """The point of a cylinder's rim deepest into the wall: sampled, then refined."""
    u, v = rotation[:, 0], rotation[:, 1]

    def point(angle: float) -> np.ndarray:
        return end + rim * (math.cos(angle) * u + math.sin(angle) * v)

    def depth(angle: float) -> float:
        return signed_distance(point(angle), radius, openings)[0]

    step = 2.0 * math.pi / RIM_SAMPLES
    best = max(range(RIM_SAMPLES), key=lambda k: depth(k * step)) * step
    lo, hi = best - step, best + step
    a, b = hi - GOLDEN * (hi - lo), lo + GOLDEN * (hi - lo)
    depth_a, depth_b = depth(a), depth(b)
    for _ in range(RIM_REFINE):
        if depth_a >= depth_b:
            hi, b, depth_b = b, a, depth_a
            a = hi - GOLDEN * (hi - lo)
            depth_a = depth(a)
        else:
            lo, a, depth_a = a, b, depth_b
            b = lo + GOLDEN * (hi - lo)
            depth_b = depth(b)
    return point(0.5 * (lo + hi))


def _round_radius(model: mujoco.MjModel, geom: int) -> float:
    """The radius a sphere or capsule adds around its centre line; 0 for other shapes."""
    return float(model.geom_size[geom, 0]) if int(model.geom_type[geom]) in ROUND else 0.0


def signed_distance(point: np.ndarray, radius: float, openings) -> tuple[float, np.ndarray]:
    """(s, ∇s) of the cabin at a point: s < 0 inside, > 0 into the wall, ∇s pointing out.

    The cabin is the union of the sphere and each opening's tunnel, so s is the smallest of
    their signed distances (exact outside both; inside, the nearer of the two boundaries).
    """
    distance = float(np.linalg.norm(point))
    best = (distance - radius, point / distance if distance > 0.0 else np.array([1.0, 0, 0]))
    for opening in openings:
        tunnel = opening.signed_distance(point)
        if tunnel[0] < best[0]:
            best = tunnel
    return best


def _geom_deepest(model, data, geom: int, radius: float, openings):
    """(surface point, depth, outward normal) of one geom's point deepest into the wall;
    depth < 0 when the geom is clear of it by that much."""
    best = (None, -np.inf, None)
    round_radius = _round_radius(model, geom)
    for point in _candidate_points(model, data, geom, radius, openings):
        s, normal = signed_distance(point, radius, openings)
        if s + round_radius > best[1]:
            best = (point + round_radius * normal, s + round_radius, normal)
    return best


def deepest_point(
    model: mujoco.MjModel,
    data: mujoco.MjData,
    body: int,
    radius: float,
    openings,
    marker: float,
):
    """(geom, point, depth, outward normal) of the body's point deepest into the wall.

    Only the body's geoms whose first user number is ``marker`` count; geom −1 if none.
    Geoms whose bounding sphere is inside the sphere are skipped: they cannot touch the wall.
    """
    best = (-1, None, -np.inf, None)
    start = model.body_geomadr[body]
    for geom in range(start, start + model.body_geomnum[body]):
        if model.geom_user[geom, 0] != marker:
            continue
        if np.linalg.norm(data.geom_xpos[geom]) + model.geom_rbound[geom] < radius:
            continue
        surface, depth, normal = _geom_deepest(model, data, geom, radius, openings)
        if depth > best[2]:
            best = (geom, surface, depth, normal)
    return best


def wall_gap(model: mujoco.MjModel, data: mujoco.MjData, geoms, marker: float) -> float:
    """Smallest distance (m) from the given geoms to the wall (sphere, tunnel and door); inf
    without an exact wall. Negative when a geom is into the wall."""
    wall = read_wall(model)
    if wall is None:
        return np.inf
    radius, _, openings = wall
    deepest = max(
        (
            _geom_deepest(model, data, int(geom), radius, openings)[1]
            for geom in geoms
            if model.geom_user[geom, 0] == marker
        ),
        default=-np.inf,
    )
    return -deepest
