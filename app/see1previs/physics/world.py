"""The MuJoCo world of one scene: built with MjSpec, with an obvious lifecycle.

``World.build(scene, station)`` compiles the interior and every body into a MuJoCo model;
``reset()`` puts bodies at their scene start state; ``step()`` advances; ``state()`` /
``set_state()`` snapshot and restore. The interior is whatever ``Station`` it is given: its
closed boundary becomes a shell of convex tiles and its fixtures convex solids, so the
built-in SEE-1 module and a custom interior go through exactly the same code.

Physics choices (see docs/physics-validation.md for the checks):
- zero gravity; RK4 integration, because torque-free tumbling (the intermediate-axis flip)
  must conserve energy and angular momentum, which Euler-type integrators do not at 2 ms;
- contact forces in newtons (:mod:`see1previs.physics.contact_forces`): MuJoCo finds the
  contacts, a spring-damper per contact pushes back, with the material's restitution exact at
  the contact point and Coulomb friction; no bounce can add energy;
- cabin air as quadratic drag F = -½·Cd·A·ρ·|v−w|·(v−w) with the ventilation flow w, computed
  by MuJoCo's ellipsoid fluid model with blunt-drag coefficient Cd/2 (MuJoCo's formula has no
  ½) and no lift terms; A is the projected area of the geom's equivalent ellipsoid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import mujoco
import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.scene import Actor, Prop, Scene
from see1previs.physics import analytic_wall, contact_forces
from see1previs.physics.actors import ActorRig, add_actor, compile_rig
from see1previs.physics.bodies import (
    BodyPlan,
    BodySetupError,
    plan_actor,
    plan_humanoid,
    plan_prop,
)
from see1previs.physics.crowding import check_crowding
from see1previs.physics.piece_cache import interior_pieces
from see1previs.station.model import Station

# RK4: torque-free tumbling (the intermediate-axis flip) conserves energy and angular momentum.
INTEGRATOR = mujoco.mjtIntegrator.mjINT_RK4
TILE_THICKNESS = 0.25  # m; thick enough that a body squeezed into the wall is pushed back in
STATION_BODY_PREFIX = "station/"
ANGULAR_DRAG = 1.5  # MuJoCo's default angular drag coefficient for the ellipsoid model
DEFAULT_RESTITUTION_INTERIOR = 0.5
WALL_FRICTION = 0.5


def physics_signature() -> str:
    """Every modelling choice that changes a bake; part of the bake-cache key."""
    from see1previs.station import collision

    cf = contact_forces
    return (
        f"rk4 static-sleep tiles={TILE_THICKNESS}/{collision.DEFAULT_OVERLAP} "
        f"contacts=newton-1/{cf.implementation()} bounce={cf.CONTACT_DURATION_STEPS} "
        f"rates={cf.DAMPING_RATE}/{cf.FRICTION_RATE} zeta<={cf.MAX_DAMPING_RATIO} "
        f"angular_drag={ANGULAR_DRAG} added_mass=off interior_e={DEFAULT_RESTITUTION_INTERIOR} "
        f"actors=humanoid-2 contacts=links"
    )


@dataclass(frozen=True)
class BodyHandle:
    """Where one scene body lives in the compiled model."""

    id: str
    kind: str  # "prop" | "actor"
    body_id: int  # MuJoCo body index
    qpos_adr: int
    qvel_adr: int
    plan: BodyPlan
    rig: ActorRig | None = None  # articulated actors only


class World:
    """A compiled MuJoCo model of one scene, plus the map from scene ids to MuJoCo bodies."""

    def __init__(
        self,
        scene: Scene,
        station: Station,
        spec: mujoco.MjSpec,
        model: mujoco.MjModel,
        bodies: list[BodyHandle],
        geom_owner: dict[int, str],
        geom_link: dict[int, str] | None = None,
    ) -> None:
        self.scene = scene
        self.station = station
        self.spec = spec
        self.model = model
        self.data = mujoco.MjData(model)
        self.bodies = bodies
        self.by_id = {b.id: b for b in bodies}
        self.geom_owner = geom_owner  # geom index -> "mug", "station", "station:H3"
        self.geom_link = geom_link or {}  # geom index -> "mika/head" for actor segments
        self.rigs = {h.id: h.rig for h in bodies if h.rig is not None}
        self._initial_tendon_range = model.tendon_range.copy()
        self.reset()

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def build(cls, scene: Scene, station: Station, scene_dir: Path | None = None) -> World:
        timestep = scene.simulation.timestep
        spec = mujoco.MjSpec()
        spec.modelname = "see1_scene"
        opt = spec.option
        opt.gravity = [0.0, 0.0, 0.0]
        opt.timestep = timestep
        opt.integrator = INTEGRATOR
        opt.cone = mujoco.mjtCone.mjCONE_ELLIPTIC
        # MuJoCo's sleep machinery also marks the interior's geoms static, so it stops
        # re-positioning thousands of wall tiles at every RK4 stage (3-4x faster). Bodies
        # themselves never sleep: in zero g a slow drift is motion, not rest.
        opt.enableflags |= int(mujoco.mjtEnableBit.mjENBL_SLEEP)
        env = scene.environment
        if env.air_drag:
            opt.density = env.air_density
            opt.wind = list(env.ventilation)
        else:
            opt.density = 0.0
        spec.compiler.inertiafromgeom = mujoco.mjtInertiaFromGeom.mjINERTIAFROMGEOM_FALSE

        contact_forces.prepare_spec(spec)
        contact_forces.install()
        geom_owner_names: list[tuple[str, str]] = []  # (geom name, owner)
        _add_interior(spec, station, timestep, geom_owner_names)

        plans: list[tuple[str, BodyPlan, Prop | Actor]] = []
        for index, prop in enumerate(scene.props):
            plans.append(("prop", plan_prop(prop, index, scene_dir), prop))
        for index, actor in enumerate(scene.actors):
            if actor.body == "humanoid":
                plans.append(("actor", plan_humanoid(actor, index), actor))
            else:
                plans.append(("actor", plan_actor(actor, index), actor))
        check_crowding([plan for _, plan, _ in plans], [item.pose.position for _, _, item in plans])
        # Props come first: an actor's grip welds name prop bodies, which must exist by then.
        humans = {}
        for kind, plan, item in plans:
            if isinstance(item, Actor) and item.body == "humanoid":
                kwargs = {**_material_geom_kwargs(0.2, 0.8, timestep), **_fluid_kwargs(scene, None)}
                humans[item.id] = add_actor(spec, item, scene, station, kwargs)
            else:
                _add_body(spec, kind, plan, item, scene, geom_owner_names)

        try:
            with contact_forces.compiling():
                model = spec.compile()
        except ValueError as exc:
            raise compile_error(exc, [plan for _, plan, _ in plans]) from exc
        remove_added_mass(model)
        handles = []
        geom_link: dict[int, str] = {}
        for kind, plan, item in plans:
            rig = None
            if item.id in humans:
                rig = compile_rig(model, item, humans[item.id])
                body_id = rig.root
                for geom in range(model.ngeom):
                    body = int(model.geom_bodyid[geom])
                    if body in rig.bodies:
                        geom_owner_names.append((model.geom(geom).name, item.id))
                        geom_link[geom] = model.body(body).name
            else:
                body_id = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY, plan.id)
            joint = model.body_jntadr[body_id]
            handles.append(
                BodyHandle(
                    id=plan.id,
                    kind=kind,
                    body_id=int(body_id),
                    qpos_adr=int(model.jnt_qposadr[joint]),
                    qvel_adr=int(model.jnt_dofadr[joint]),
                    plan=plan,
                    rig=rig,
                )
            )
        geom_owner = {
            mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_GEOM, name): owner
            for name, owner in geom_owner_names
        }
        return cls(scene, station, spec, model, handles, geom_owner, geom_link)

    # ---- lifecycle ----------------------------------------------------------------------
    def reset(self) -> None:
        """Every body at its scene start pose and velocity, time 0."""
        mujoco.mj_resetData(self.model, self.data)
        self.model.tendon_range[:] = self._initial_tendon_range
        for handle in self.bodies:
            item = self.scene.body(handle.id)
            adr = handle.qpos_adr
            self.data.qpos[adr : adr + 3] = item.pose.position
            self.data.qpos[adr + 3 : adr + 7] = quat.normalize(item.pose.orientation)
            if handle.rig is not None:
                # Start in the actor's posture, servos holding it: no transient at t = 0.
                targets = handle.rig.posture_targets(item.posture, item.joints)
                self.data.qpos[handle.rig.joint_qpos] = targets
                self.data.ctrl[handle.rig.actuators] = targets
        mujoco.mj_kinematics(self.model, self.data)
        mujoco.mj_comPos(self.model, self.data)
        for handle in self.bodies:
            item = self.scene.body(handle.id)
            self.set_body_velocity(handle.id, item.velocity.linear, item.velocity.angular)
        mujoco.mj_forward(self.model, self.data)

    def step(self, count: int = 1) -> None:
        for _ in range(count):
            mujoco.mj_step(self.model, self.data)

    @property
    def time(self) -> float:
        return float(self.data.time)

    def state(self) -> np.ndarray:
        """Full physics state (time, positions, velocities, warm start) as a flat copy."""
        spec = mujoco.mjtState.mjSTATE_INTEGRATION
        size = mujoco.mj_stateSize(self.model, spec)
        out = np.empty(size)
        mujoco.mj_getState(self.model, self.data, out, spec)
        return out

    def set_state(self, state: np.ndarray) -> None:
        mujoco.mj_setState(self.model, self.data, state, mujoco.mjtState.mjSTATE_INTEGRATION)
        mujoco.mj_forward(self.model, self.data)

    # ---- body kinematics in scene terms -------------------------------------------------
    def body_velocity(self, body_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(linear velocity of the centre of mass, angular velocity), module frame.

        For an articulated actor: the whole body's centre of mass, and the pelvis's spin.
        Needs the kinematics of the current state (after ``mj_forward``).
        """
        handle = self.by_id[body_id]
        out = np.zeros(6)
        mujoco.mj_objectVelocity(
            self.model, self.data, mujoco.mjtObj.mjOBJ_BODY, handle.body_id, out, 0
        )
        if handle.rig is None:
            return out[3:].copy(), out[:3].copy()
        return self.momentum(body_id) / handle.rig.total_mass(self.model), out[:3].copy()

    def momentum(self, body_id: str) -> np.ndarray:
        """Linear momentum of a body, or of a whole actor (kg·m/s, module frame)."""
        handle = self.by_id[body_id]
        generalized = np.zeros(self.model.nv)
        mujoco.mj_mulM(self.model, self.data, generalized, self.data.qvel)
        # A free joint's translational coordinates carry everything that hangs from it.
        return generalized[handle.qvel_adr : handle.qvel_adr + 3].copy()

    def com(self, body_id: str) -> np.ndarray:
        """Centre of mass of a body or a whole actor, module frame (after kinematics)."""
        return self.data.subtree_com[self.by_id[body_id].body_id].copy()

    def set_body_velocity(self, body_id: str, linear, angular) -> None:
        """Set a free body's COM velocity and angular velocity, both in the module frame.

        An actor moves as one rigid piece (joint rates are left alone); ``linear`` is the
        velocity of the whole body's centre of mass.
        """
        handle = self.by_id[body_id]
        rotation = self.data.xmat[handle.body_id].reshape(3, 3)
        angular = np.asarray(angular, dtype=float)
        com_offset = self.data.subtree_com[handle.body_id] - self.data.xpos[handle.body_id]
        # A free joint's linear velocity is that of the body origin, not the COM.
        origin_velocity = np.asarray(linear, dtype=float) - np.cross(angular, com_offset)
        adr = handle.qvel_adr
        self.data.qvel[adr : adr + 3] = origin_velocity
        self.data.qvel[adr + 3 : adr + 6] = rotation.T @ angular

    def apply_impulse(self, body_id: str, impulse, point_body) -> None:
        """Instantaneous impulse (N·s, module frame) at a point given in the body frame."""
        handle = self.by_id[body_id]
        body = handle.body_id
        rotation = self.data.xmat[body].reshape(3, 3)
        point_world = self.data.xpos[body] + rotation @ np.asarray(point_body, dtype=float)
        generalized = np.zeros(self.model.nv)
        mujoco.mj_applyFT(
            self.model,
            self.data,
            np.asarray(impulse, dtype=float),
            np.zeros(3),
            point_world,
            body,
            generalized,
        )
        delta = np.zeros(self.model.nv)
        mujoco.mj_solveM(self.model, self.data, delta.reshape(1, -1), generalized.reshape(1, -1))
        self.data.qvel[:] += delta

    def set_angular_velocity(self, body_id: str, angular) -> None:
        linear, _ = self.body_velocity(body_id)
        self.set_body_velocity(body_id, linear, angular)


FLUID_ADDED_MASS = slice(6, 12)  # geom_fluid: virtual mass (3) and virtual inertia (3)


def remove_added_mass(model: mujoco.MjModel) -> None:
    """Switch off the added-mass part of MuJoCo's ellipsoid fluid model.

    Its (ρV/2)·(v × ω)-like terms make a spinning ball curve sideways — the opposite way to
    the Magnus effect (a 0.6 kg, 22 cm ball at 1 m/s spinning at 8 rad/s drifted 8 cm in 2 s)
    — and the drag coefficients do not switch them off. Cabin air here is drag only: see
    docs/physics-validation.md.
    """
    model.geom_fluid[:, FLUID_ADDED_MASS] = 0.0


def _fluid_kwargs(scene: Scene, drag_coefficient: float | None) -> dict:
    """MuJoCo's ellipsoid fluid model set up as pure quadratic drag (see module docstring)."""
    drag = drag_coefficient if drag_coefficient is not None else scene.environment.drag_coefficient
    return {
        "fluid_ellipsoid": 1,
        "fluid_coefs": [0.5 * drag, 0.0, ANGULAR_DRAG * drag / 1.05, 0.0, 0.0],
    }


_ELEMENT_NAME = re.compile(r"Element name '([^'/]+)")


def compile_error(exc: ValueError, plans: list[BodyPlan]) -> BodySetupError:
    """MuJoCo's refusal to compile, as a problem of the body it names (if it names one)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    reason = (lines[0] if lines else "").removeprefix("Error:").strip()
    named = _ELEMENT_NAME.search(str(exc))
    for plan in plans:
        if named is not None and named.group(1) == plan.id:
            return BodySetupError(plan.json_path, f"cannot be simulated: {reason}")
    return BodySetupError("", f"the scene cannot be simulated: {reason}")


def _material_geom_kwargs(restitution: float, friction: float, timestep: float):
    # Priority 1: a body's own material decides its contacts with the interior.
    return contact_forces.contact_geom_kwargs(
        round(restitution, 6), friction, priority=1, timestep=timestep
    )


def _add_interior(
    spec: mujoco.MjSpec,
    station: Station,
    timestep: float,
    owners: list[tuple[str, str]],
) -> None:
    """The interior as static geoms of the world body (MuJoCo never moves them).

    A SEE-1-like wall (a sphere with the hatch tunnel) is exact geometry (analytic_wall);
    any other wall is a shell of convex tiles (see ``boundary_tiles``); fixtures are convex
    pieces.

    Interior geoms have a lower contact priority than bodies, so a contact with the wall
    behaves as the body's own material says (MuJoCo uses the higher-priority geom's
    parameters).
    """
    interior_kwargs = {
        **contact_forces.contact_geom_kwargs(
            DEFAULT_RESTITUTION_INTERIOR, WALL_FRICTION, priority=0, timestep=timestep, group=1
        ),
        "rgba": [0.6, 0.6, 0.65, 1.0],
    }
    pieces = interior_pieces(station, TILE_THICKNESS)  # computed once per interior
    wall = analytic_wall.sphere_wall(station)
    if wall is not None:
        # The sphere's and the vestibule's contact is computed exactly (analytic_wall): no
        # tiles (the camera monitor draws them: add_wall_visuals).
        spec.add_numeric(name=analytic_wall.NUMERIC_NAME, data=wall.numeric(WALL_FRICTION))
    for index, tile in enumerate(pieces.tiles if wall is None else []):
        name = f"{STATION_BODY_PREFIX}tile{index}"
        spec.add_mesh(name=name, uservert=tile.ravel().tolist())
        spec.worldbody.add_geom(
            name=name, type=mujoco.mjtGeom.mjGEOM_MESH, meshname=name, **interior_kwargs
        )
        owners.append((name, "station"))
    _add_fixture_pieces(spec, station, pieces, timestep, owners)


def add_wall_visuals(spec: mujoco.MjSpec, station: Station) -> None:
    """The wall tiles the physics left out (the exact wall needs none), as geoms that only
    show: for a copy of a world's spec that renders the cabin (the camera monitor)."""
    if analytic_wall.sphere_wall(station) is None:
        return
    pieces = interior_pieces(station, TILE_THICKNESS)
    for index in range(len(pieces.tiles)):
        name = f"{STATION_BODY_PREFIX}tile{index}"
        spec.add_mesh(name=name, uservert=pieces.tiles[index].ravel().tolist())
        spec.worldbody.add_geom(
            name=name,
            type=mujoco.mjtGeom.mjGEOM_MESH,
            meshname=name,
            contype=0,
            conaffinity=0,
        )


def _add_fixture_pieces(spec, station: Station, pieces, timestep: float, owners) -> None:
    """The fixtures' convex pieces as static geoms of the world body, one surface each."""
    groups: dict[str, int] = {"station": 1}
    for part_index, (part, part_pieces) in enumerate(zip(station.parts, pieces.parts, strict=True)):
        owner = f"station:{part.fixture_id}" if part.fixture_id else "station"
        groups.setdefault(owner, len(groups) + 1)
        interior_kwargs = {
            **contact_forces.contact_geom_kwargs(
                DEFAULT_RESTITUTION_INTERIOR,
                WALL_FRICTION,
                priority=0,
                timestep=timestep,
                group=groups[owner],
            ),
            "rgba": [0.6, 0.6, 0.65, 1.0],
        }
        for piece_index, piece in enumerate(part_pieces):
            name = f"{STATION_BODY_PREFIX}part{part_index}_{piece_index}"
            spec.add_mesh(name=name, uservert=np.asarray(piece).ravel().tolist())
            spec.worldbody.add_geom(
                name=name, type=mujoco.mjtGeom.mjGEOM_MESH, meshname=name, **interior_kwargs
            )
            owners.append((name, owner))


_PRIMITIVE_TYPES = {
    "box": mujoco.mjtGeom.mjGEOM_BOX,
    "sphere": mujoco.mjtGeom.mjGEOM_SPHERE,
    "cylinder": mujoco.mjtGeom.mjGEOM_CYLINDER,
    "capsule": mujoco.mjtGeom.mjGEOM_CAPSULE,
}


def _add_body(
    spec: mujoco.MjSpec,
    kind: str,
    plan: BodyPlan,
    item: Prop | Actor,
    scene: Scene,
    owners: list[tuple[str, str]],
) -> None:
    timestep = scene.simulation.timestep
    body = spec.worldbody.add_body(name=plan.id, pos=list(item.pose.position))
    body.quat = list(quat.normalize(item.pose.orientation))
    body.add_freejoint(name=f"{plan.id}/free")
    body.sleep = mujoco.mjtSleepPolicy.mjSLEEP_NEVER
    body.explicitinertial = True
    body.mass = plan.mass
    body.ipos = list(plan.com)
    body.fullinertia = [
        plan.inertia[0, 0],
        plan.inertia[1, 1],
        plan.inertia[2, 2],
        plan.inertia[0, 1],
        plan.inertia[0, 2],
        plan.inertia[1, 2],
    ]
    if isinstance(item, Prop):
        material = _material_geom_kwargs(
            item.material.restitution, item.material.friction, timestep
        )
        fluid = _fluid_kwargs(scene, item.drag_coefficient)
    else:
        material = _material_geom_kwargs(0.2, 0.8, timestep)  # clothed person
        fluid = _fluid_kwargs(scene, None)
    for index, primitive in enumerate(plan.primitives):
        name = f"{plan.id}/geom{index}"
        body.add_geom(
            name=name,
            type=_PRIMITIVE_TYPES[primitive.kind],
            size=list(primitive.size),
            pos=list(primitive.pos),
            **material,
            **fluid,
        )
        owners.append((name, plan.id))
    for index, hull in enumerate(plan.hulls):
        name = f"{plan.id}/hull{index}"
        spec.add_mesh(name=name, uservert=np.asarray(hull).ravel().tolist())
        body.add_geom(
            name=name, type=mujoco.mjtGeom.mjGEOM_MESH, meshname=name, **material, **fluid
        )
        owners.append((name, plan.id))
