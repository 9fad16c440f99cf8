"""Physical description of scene bodies: collision pieces, mass properties, drag area.

Turns a scene ``Prop`` or placeholder ``Actor`` into a :class:`BodyPlan`: what the MuJoCo
world builder needs (primitive geoms or convex mesh pieces, mass, centre of mass, inertia)
plus what the placement checks and reports need (a bounding radius). Mesh props are read with
trimesh and checked here, so a broken file is reported with the prop that uses it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import trimesh
from scipy.spatial import QhullError

from see1previs.core.asset_paths import scene_asset_path
from see1previs.core.physical_limits import MAX_LENGTH, MIN_LENGTH
from see1previs.core.scene import (
    Actor,
    BoxShape,
    CapsuleShape,
    CylinderShape,
    MeshShape,
    Prop,
    SphereShape,
)
from see1previs.physics.piece_cache import mesh_inner_radius, mesh_pieces
from see1previs.station.mesh_files import read_mesh_nodes
from see1previs.station.mesh_size import size_problem
from see1previs.station.repair import clean

MAX_MESH_FACES = 200_000
MIN_MOMENT = 1e-12  # kg·m²; MuJoCo refuses moments below about 1e-15
HUMAN_DENSITY = 985.0  # kg/m³, whole-body average (lungs included)


class BodySetupError(Exception):
    """A body that cannot be simulated; ``path`` is the scene-file JSON path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Primitive:
    """A MuJoCo primitive geom in the body frame."""

    kind: str  # "box" | "sphere" | "cylinder" | "capsule"
    size: tuple[float, float, float]  # MuJoCo half-sizes
    pos: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass
class BodyPlan:
    """Everything the world builder needs to create one free-floating body."""

    id: str
    json_path: str
    primitives: list[Primitive] = field(default_factory=list)
    hulls: list[np.ndarray] = field(default_factory=list)  # convex piece vertices, body frame
    mass: float = 1.0
    com: np.ndarray = field(default_factory=lambda: np.zeros(3))  # body frame
    inertia: np.ndarray = field(default_factory=lambda: np.eye(3))  # about the COM, body axes
    bounding_radius: float = 0.0  # from the body origin
    inner_radius: float = 0.0  # a ball this big around the origin lies inside the body
    volume: float = 0.0
    mesh: trimesh.Trimesh | None = None  # a mesh prop's surface in metres, body frame


def plan_prop(prop: Prop, index: int, scene_dir: Path | None) -> BodyPlan:
    path = f"props[{index}]"
    plan = BodyPlan(id=prop.id, json_path=path, mass=prop.mass)
    shape = prop.shape
    if isinstance(shape, BoxShape):
        half = tuple(0.5 * s for s in shape.size)
        plan.primitives.append(Primitive("box", half))
        a, b, c = shape.size
        inertia = prop.mass / 12.0 * np.array([b * b + c * c, a * a + c * c, a * a + b * b])
        plan.bounding_radius = float(np.linalg.norm(half))
        plan.inner_radius = min(half)
        plan.volume = a * b * c
    elif isinstance(shape, SphereShape):
        r = shape.radius
        plan.primitives.append(Primitive("sphere", (r, 0.0, 0.0)))
        inertia = np.full(3, 0.4 * prop.mass * r * r)
        plan.bounding_radius = plan.inner_radius = r
        plan.volume = 4.0 / 3.0 * math.pi * r**3
    elif isinstance(shape, CylinderShape):
        r, h = shape.radius, shape.length
        plan.primitives.append(Primitive("cylinder", (r, 0.5 * h, 0.0)))
        side = prop.mass * (3 * r * r + h * h) / 12.0
        inertia = np.array([side, side, 0.5 * prop.mass * r * r])
        plan.bounding_radius = math.hypot(r, 0.5 * h)
        plan.inner_radius = min(r, 0.5 * h)
        plan.volume = math.pi * r * r * h
    elif isinstance(shape, CapsuleShape):
        r, h = shape.radius, shape.length
        plan.primitives.append(Primitive("capsule", (r, 0.5 * h, 0.0)))
        inertia = capsule_inertia(prop.mass, r, h)
        plan.bounding_radius = 0.5 * h + r
        plan.inner_radius = r
        plan.volume = math.pi * r * r * h + 4.0 / 3.0 * math.pi * r**3
    else:
        inertia = _plan_mesh(plan, shape, path, scene_dir)
    if prop.inertia is not None:
        inertia = np.array(prop.inertia, dtype=float)
    plan.inertia = np.diag(inertia) if np.ndim(inertia) == 1 else np.asarray(inertia)
    _check_mass_properties(plan)
    return plan


def _check_mass_properties(plan: BodyPlan) -> None:
    """Refuse mass properties MuJoCo would reject while compiling, naming the prop.

    The scene's physical ranges keep props well inside; this catches what they cannot see,
    such as a mesh whose volume is concentrated in a sliver.
    """
    moments = np.linalg.eigvalsh(plan.inertia) if np.all(np.isfinite(plan.inertia)) else None
    if moments is None or not np.all(np.isfinite(plan.com)) or moments.min() < MIN_MOMENT:
        shown = "not finite" if moments is None else ", ".join(f"{m:.3g}" for m in moments)
        raise BodySetupError(
            plan.json_path,
            f"its principal moments of inertia ({shown} kg·m²) are too small for the physics "
            f"to simulate (at least {MIN_MOMENT:g}); give it more mass or a larger shape, or "
            "set its 'inertia'",
        )


def plan_actor(actor: Actor, index: int) -> BodyPlan:
    """A placeholder actor: a rigid capsule along the body's z axis, head at +z."""
    radius = placeholder_radius(actor.height, actor.mass)
    straight = actor.height - 2.0 * radius
    plan = BodyPlan(id=actor.id, json_path=f"actors[{index}]", mass=actor.mass)
    plan.primitives.append(Primitive("capsule", (radius, 0.5 * straight, 0.0)))
    plan.inner_radius = radius
    plan.inertia = np.diag(capsule_inertia(actor.mass, radius, straight))
    plan.bounding_radius = 0.5 * actor.height
    plan.volume = actor.mass / HUMAN_DENSITY
    return plan


def plan_humanoid(actor: Actor, index: int) -> BodyPlan:
    """An articulated actor: the segments are built by :mod:`see1previs.physics.actors`.

    The plan carries what placement checks and reports need; mass properties live on the
    segments.
    """
    plan = BodyPlan(id=actor.id, json_path=f"actors[{index}]", mass=actor.mass)
    plan.bounding_radius = 0.6 * actor.height  # hips to fingertips of a raised arm
    plan.volume = actor.mass / HUMAN_DENSITY
    return plan


def placeholder_radius(height: float, mass: float) -> float:
    """Radius of a capsule of total length ``height`` holding ``mass`` at human density."""
    volume = mass / HUMAN_DENSITY
    low, high = 0.01, 0.5 * height
    for _ in range(60):  # capsule volume grows monotonically with radius
        r = 0.5 * (low + high)
        v = math.pi * r * r * (height - 2 * r) + 4.0 / 3.0 * math.pi * r**3
        low, high = (r, high) if v < volume else (low, r)
    return 0.5 * (low + high)


def capsule_inertia(mass: float, radius: float, length: float) -> np.ndarray:
    """Principal moments of a solid capsule (cylinder ``length`` plus two hemispheres)."""
    r, h = radius, length
    v_cyl = math.pi * r * r * h
    v_hemis = 4.0 / 3.0 * math.pi * r**3
    m_cyl = mass * v_cyl / (v_cyl + v_hemis)
    m_hemis = mass - m_cyl
    axial = 0.5 * m_cyl * r * r + 0.4 * m_hemis * r * r
    # Two hemispheres: own inertia (83/320 m r²) + parallel-axis offset of their centroid.
    side = m_cyl * (3 * r * r + h * h) / 12.0 + m_hemis * (
        0.4 * r * r + 0.25 * h * h + 3.0 / 8.0 * h * r
    )
    return np.array([side, side, axial])


def _plan_mesh(plan: BodyPlan, shape: MeshShape, path: str, scene_dir: Path | None) -> np.ndarray:
    mesh = load_prop_mesh(scene_asset_path(shape.file, scene_dir), f"{path}.shape.file")
    _check_mesh_size(mesh, shape, f"{path}.shape")
    mesh.apply_scale(shape.scale)
    plan.mesh = mesh
    if not mesh.is_volume:
        # Open or self-intersecting meshes have no well-defined volume: use the hull's.
        try:
            mesh = mesh.convex_hull
        except QhullError as exc:  # points too close to a plane for any solid around them
            raise BodySetupError(
                f"{path}.shape.file",
                f"mesh file '{shape.file}' encloses no volume; a prop needs a solid shape",
            ) from exc
    plan.volume = float(mesh.volume)
    plan.com = np.array(mesh.center_mass, dtype=float)
    unit_density = mesh.moment_inertia / mesh.mass  # per kg, about the COM, mesh axes
    plan.hulls = mesh_pieces(mesh)
    plan.inner_radius = mesh_inner_radius(mesh)
    plan.bounding_radius = float(np.max(np.linalg.norm(mesh.vertices, axis=1)))
    return unit_density * plan.mass


def _check_mesh_size(mesh: trimesh.Trimesh, shape: MeshShape, path: str) -> None:
    """Refuse a mesh whose size at ``shape.scale`` is outside a prop's range (1 mm to 6 m).

    Measured before scaling, so an absurd scale is refused without computing with it, and
    along the mesh's principal axes, so a single triangle or a sheet with no thickness is
    called flat however it is turned.
    """
    vertices = np.asarray(mesh.vertices, dtype=float)
    centred = vertices - vertices.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    with np.errstate(over="ignore"):
        extents = np.ptp(centred @ axes.T, axis=0) * shape.scale
    largest, thinnest = float(np.max(extents)), float(np.min(extents))
    what = f"mesh file '{shape.file}' at scale {shape.scale:g}"
    if not largest <= MAX_LENGTH:
        across = f"{largest:.4g} m" if math.isfinite(largest) else "beyond any size"
        raise BodySetupError(
            f"{path}.scale",
            f"{what} is {across} across; a prop must fit the module ({MAX_LENGTH:g} m "
            "across): check the scale (0.001 for a file in millimetres)",
        )
    if largest < MIN_LENGTH:
        raise BodySetupError(
            f"{path}.scale",
            f"{what} is {largest:.3g} m across; props must be at least {MIN_LENGTH:g} m "
            "(1 mm): check the scale (1 for a file in metres)",
        )
    if thinnest < MIN_LENGTH:
        raise BodySetupError(
            f"{path}.file",
            f"{what} is flat ({thinnest:.3g} m thick); a prop needs a solid shape at least "
            f"{MIN_LENGTH:g} m (1 mm) thick in every direction",
        )


def load_prop_mesh(file_path: Path, json_path: str) -> trimesh.Trimesh:
    """Read and repair a prop mesh, with an error naming the file for anything wrong."""
    if not file_path.exists():
        raise BodySetupError(json_path, f"mesh file '{file_path}' does not exist")
    if file_path.stat().st_size == 0:
        raise BodySetupError(json_path, f"mesh file '{file_path}' is empty")
    too_big = size_problem(file_path, MAX_MESH_FACES)
    if too_big:
        raise BodySetupError(json_path, f"mesh file '{file_path}': {too_big}")
    try:
        nodes = read_mesh_nodes(file_path)
    except Exception as exc:  # trimesh raises many types for corrupt files
        raise BodySetupError(
            json_path, f"mesh file '{file_path}' could not be read ({exc})"
        ) from exc
    faces = sum(len(mesh.faces) for _, mesh in nodes)
    if faces == 0:
        raise BodySetupError(json_path, f"mesh file '{file_path}' holds no triangles")
    if faces > MAX_MESH_FACES:
        raise BodySetupError(
            json_path,
            f"mesh file '{file_path}' has {faces:,} triangles; props are limited "
            f"to {MAX_MESH_FACES:,} (decimate it first)",
        )
    # The same reading and repair as custom interiors: node transforms, welding, winding.
    loaded = clean(trimesh.util.concatenate([mesh for _, mesh in nodes]))
    extent = float(np.max(loaded.extents))
    if not np.isfinite(extent) or extent <= 0:
        raise BodySetupError(json_path, f"mesh file '{file_path}' has no size")
    return loaded


def support_distance(plan: BodyPlan, rotations: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """How far the body's surface reaches from its origin along each direction.

    ``rotations`` (N, 3, 3) are body-to-module rotations, ``directions`` (N, 3) unit vectors in
    the module frame. For a convex body near a locally flat wall, the gap between them is the
    origin's distance to the wall minus this reach.
    """
    local = np.einsum("nji,nj->ni", rotations, directions)  # directions in body axes
    reach = np.full(len(directions), -np.inf)
    for primitive in plan.primitives:
        offset = local @ np.asarray(primitive.pos)
        a, b, _ = primitive.size
        axial = np.abs(local[:, 2])
        if primitive.kind == "sphere":
            extent = np.full(len(local), a)
        elif primitive.kind == "box":
            extent = np.abs(local) @ np.asarray(primitive.size)
        elif primitive.kind == "capsule":
            extent = a + b * axial
        else:  # cylinder: radius a, half-length b along z
            extent = a * np.sqrt(np.clip(1.0 - axial**2, 0.0, 1.0)) + b * axial
        reach = np.maximum(reach, offset + extent)
    for hull in plan.hulls:
        reach = np.maximum(reach, np.max(local @ np.asarray(hull).T, axis=1))
    return reach
