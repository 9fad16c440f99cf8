"""Checks that stop a bake whose physics has gone wrong, instead of returning a silent result.

A bake must never hand the director a trajectory in which a prop has left the module or has
been pumped up by the contact solver. :class:`BakeGuard` watches three things and raises a
:class:`BakeUnstableError` naming the body and the scene time:

* MuJoCo's own blow-up warnings (bad acceleration, bad velocity, bad position). Each of them
  makes MuJoCo reset the state to time 0, so carrying on would silently re-simulate the scene
  from its start.
* Containment: a body's centre of mass more than :data:`ESCAPE_TOLERANCE` behind the wall of
  the interior has gone through the wall's collision shell.
* Energy: the kinetic energy (translation + rotation) of the rigid props, summed over all of
  them, may only fall between two frames unless something outside the props acted on them.
  Air drag only ever removes energy; the ventilation flow can add a little, bounded by
  :func:`ventilation_allowance`. Cues and contacts with actors (whose servos do work) make the
  check start again from the next frame.
"""

from __future__ import annotations

import math

import mujoco
import numpy as np
import trimesh

from see1previs.core import quaternion as quat
from see1previs.physics.contact_forces import measure_wall_touches
from see1previs.station.model import Station
from see1previs.station.queries import MESH_QUERY_LOCK

# A centre of mass this far behind the wall (m) is not a soft bounce any more: a bounce at
# 10 m/s sinks a prop's surface about 5 cm in, so its centre stays inside the cabin.
ESCAPE_TOLERANCE = 0.10
# How far the props' total kinetic energy may rise above the lowest it has been since the last
# cue. RK4's own error is below 1e-9 relative per frame, but MuJoCo's contact adds a little
# energy at some bounces of spinning non-spherical props (docs/physics-validation.md, "Bounce
# energy"): +0.4 % once in the 100-prop stress scene. 5 % is the restitution calibration's own
# tolerance, so a smaller rise is within the contact model's stated accuracy; a larger one, or
# the runaway pumping that once drove props through the wall, stops the bake. The reference
# only ever falls between cues, so many small gains cannot add up unseen.
ENERGY_RELATIVE_TOLERANCE = 0.05
ENERGY_ABSOLUTE_TOLERANCE = 1e-9  # J, for scenes where everything is nearly at rest

BLOW_UP_WARNINGS = {  # MuJoCo warnings that mean the state blew up (and was reset)
    int(mujoco.mjtWarning.mjWARN_BADQACC): "acceleration",
    int(mujoco.mjtWarning.mjWARN_BADQVEL): "velocity",
    int(mujoco.mjtWarning.mjWARN_BADQPOS): "position",
}


class BakeUnstableError(Exception):
    """The physics went wrong (blew up, lost a body, gained energy); the message says where."""


class BodyLeftModuleError(BakeUnstableError):
    """A body went through the wall of the interior."""


class EnergyGainError(BakeUnstableError):
    """Props gained kinetic energy with nothing acting on them."""


def ventilation_allowance(
    flow_speed: float,
    air_density: float,
    drag_coefficients: np.ndarray,
    areas: np.ndarray,
    volumes: np.ndarray,
    speeds: np.ndarray,
    spins: np.ndarray,
    interval: float,
) -> float:
    """An upper bound (J) on the work a uniform ventilation flow can do on the props.

    Drag F = c·|u|·u with u = w − v the air's velocity relative to the body does positive
    work on it only while (w − v)·v > 0, i.e. while the body is slower than the flow, and then
    F·v ≤ c·|u|·|w|·|v| ≤ c·(|w| + |v|)²·|w|. MuJoCo's ellipsoid model adds a term of size
    ρ·V·|u|·|ω| across the flow; its work is bounded by ρ·V·(|w| + |v|)·|ω|·|w|. Without a
    flow, air only removes energy and the allowance is 0.
    """
    if flow_speed <= 0.0:
        return 0.0
    c = 0.5 * air_density * drag_coefficients * areas
    relative = flow_speed + speeds
    power = c * relative**2 * flow_speed + air_density * volumes * relative * spins * flow_speed
    return float(np.sum(power) * interval)


class BakeGuard:
    """Watches one bake; call :meth:`after_step` every physics step and :meth:`check` per frame."""

    def __init__(self, world, drag: bool) -> None:
        self.world = world
        model = world.model
        props = [h for h in world.bodies if h.kind == "prop"]
        self.prop_ids = [h.id for h in props]
        self.qpos = np.array([h.qpos_adr for h in props], dtype=int)[:, None] + np.arange(7)
        self.qvel = np.array([h.qvel_adr for h in props], dtype=int)[:, None] + np.arange(6)
        self.mass = np.array([h.plan.mass for h in props])
        self.inertia = np.array([h.plan.inertia for h in props]).reshape(-1, 3, 3)
        self.com = np.array([h.plan.com for h in props]).reshape(-1, 3)
        self.volume = np.array([h.plan.volume for h in props])
        self.area = np.array([math.pi * h.plan.bounding_radius**2 for h in props])
        env = world.scene.environment
        items = [world.scene.body(h.id) for h in props]
        self.drag = np.array(
            [p.drag_coefficient or env.drag_coefficient for p in items], dtype=float
        )
        self.flow_speed = float(np.linalg.norm(env.ventilation)) if drag else 0.0
        self.air_density = env.air_density
        # Geoms that belong to an actor: a prop touching one may gain energy from its servos.
        self.actor_geom = np.zeros(model.ngeom, dtype=bool)
        actors = {h.id for h in world.bodies if h.kind == "actor"}
        for geom, owner in world.geom_owner.items():
            if owner in actors:
                self.actor_geom[geom] = True
        self.prop_geom = np.zeros(model.ngeom, dtype=bool)
        prop_ids = set(self.prop_ids)
        for geom, owner in world.geom_owner.items():
            if owner in prop_ids:
                self.prop_geom[geom] = True
        # Rigid bodies (props, placeholder actors); centres of mass from MuJoCo's xipos.
        self.tracked = [h for h in world.bodies if h.rig is None]
        self.tracked_body = np.array([h.body_id for h in self.tracked], dtype=int)
        self.safe_radius = _safe_radius(world.station)
        self.baseline: float | None = None
        self.disturbed = False
        self.last_time = float(world.data.time)
        self.allowance = 0.0  # J the ventilation may have added since the baseline

    # ---- per physics step ---------------------------------------------------------------
    def after_step(self, data: mujoco.MjData, started: float) -> None:
        """MuJoCo's blow-up warnings, and contacts that let an actor push a prop."""
        for warning, what in BLOW_UP_WARNINGS.items():
            if data.warning[warning].number:
                self._raise_blow_up(started, what, warning, int(data.warning[warning].lastinfo))
        if data.ncon and self.actor_geom.any():
            geoms = data.contact.geom[: data.ncon]
            if self.actor_geom[geoms].any():
                self.disturbed = True

    def cue_acted(self) -> None:
        """A cue changed a body's motion: the energy check starts again from the next frame."""
        self.disturbed = True

    # ---- per frame ----------------------------------------------------------------------
    def check(self, data: mujoco.MjData) -> None:
        """Containment of every body and the props' energy balance since the previous frame.

        Energy is compared between frames where no prop touches anything: mid-contact part of
        a prop's energy sits in the contact spring and comes back as it leaves, so only the
        states before and after a bounce say whether the bounce added energy.
        """
        model = self.world.model
        # The contacts of this very state (after a step MuJoCo holds those of its last stage).
        mujoco.mj_kinematics(model, data)
        mujoco.mj_collision(model, data)
        self._check_containment(data)
        if not self.prop_ids:
            return
        energies, speeds, spins = self._prop_energies(data)
        interval = float(data.time) - self.last_time
        self.last_time = float(data.time)
        self.allowance += ventilation_allowance(
            self.flow_speed,
            self.air_density,
            self.drag,
            self.area,
            self.volume,
            speeds,
            spins,
            interval,
        )
        if data.eq_active.any():
            self.disturbed = True  # a prop held by an actor moves with the actor
        geoms = data.contact.geom[: data.ncon]
        if data.ncon and self.prop_geom[geoms].any():
            return  # wait for the contact to end
        if any(self.prop_geom[t.geom] for t in measure_wall_touches(model, data)):
            return  # a prop against the sphere wall: wait too
        total = float(np.sum(energies))
        if self.baseline is not None and not self.disturbed:
            slack = ENERGY_RELATIVE_TOLERANCE * self.baseline + ENERGY_ABSOLUTE_TOLERANCE
            if total > self.baseline + self.allowance + slack:
                self._raise_energy_gain(data, energies, total)
            if total > self.baseline:
                self._previous = energies
                return  # keep the lower reference (and the ventilation allowance since then)
        self.baseline = total
        self._energies = energies
        self._previous = energies
        self.allowance = 0.0
        self.disturbed = False

    def _prop_energies(self, data) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Kinetic energy, COM speed and spin of every prop (free joints: ω in body axes)."""
        qpos = data.qpos[self.qpos]
        qvel = data.qvel[self.qvel]
        omega = qvel[:, 3:]
        rotation = quat.to_matrix(qpos[:, 3:7])
        com_velocity = qvel[:, :3] + np.einsum("bij,bj->bi", rotation, np.cross(omega, self.com))
        rotational = 0.5 * np.einsum("bi,bij,bj->b", omega, self.inertia, omega)
        translational = 0.5 * self.mass * np.einsum("bi,bi->b", com_velocity, com_velocity)
        speeds = np.linalg.norm(com_velocity, axis=1)
        return translational + rotational, speeds, np.linalg.norm(omega, axis=1)

    def _check_containment(self, data) -> None:
        if not self.tracked:
            return
        centres = data.xipos[self.tracked_body]
        far = np.linalg.norm(centres, axis=1) >= self.safe_radius
        if not far.any():
            return
        indices = np.nonzero(far)[0]
        clearance = np.atleast_1d(self.world.station.clearance(centres[indices]))
        out = clearance < -ESCAPE_TOLERANCE
        if out.any():
            k = int(indices[np.argmax(out)])
            depth = -float(clearance[np.argmax(out)])
            raise BodyLeftModuleError(
                f"'{self.tracked[k].id}' left the module at {data.time:.2f} s: its centre is "
                f"{depth:.2f} m behind the wall (a bounce never takes it more than "
                f"{ESCAPE_TOLERANCE:.2f} m). The contact with the wall failed; try a smaller "
                "simulation.timestep or a lower restitution"
            )

    def _raise_energy_gain(self, data, energies: np.ndarray, total: float) -> None:
        gains = energies - self._previous  # who gained since the last contact-free frame
        k = int(np.argmax(gains))
        raise EnergyGainError(
            f"'{self.prop_ids[k]}' gained kinetic energy at {data.time:.2f} s with no cue "
            f"acting on it ({self._previous[k]:.4g} J -> {energies[k]:.4g} J; all props "
            f"{self.baseline:.4g} J -> {total:.4g} J, more than "
            f"{ENERGY_RELATIVE_TOLERANCE:.0%} above their lowest since the last cue). The contact "
            "solver added energy; try a smaller simulation.timestep or a lower restitution"
        )

    def _raise_blow_up(self, time: float, what: str, warning: int, index: int) -> None:
        """MuJoCo met a non-finite or huge value and reset the state: stop with a reason.

        Carrying on would re-simulate from the reset state, so the bake would never end (or,
        worse, end with a trajectory that jumps back to the start).
        """
        model = self.world.model
        owner = "the scene"
        if warning == int(mujoco.mjtWarning.mjWARN_BADQPOS):
            joints = [j for j in range(model.njnt) if model.jnt_qposadr[j] <= index]
            body = (
                int(model.jnt_bodyid[max(joints, key=lambda j: model.jnt_qposadr[j])])
                if (joints and 0 <= index < model.nq)
                else -1
            )
        else:
            body = int(model.jnt_bodyid[model.dof_jntid[index]]) if 0 <= index < model.nv else -1
        if body >= 0:
            name = model.body(body).name
            owner = f"'{name.split('/', 1)[0]}'" + (
                f" ({name.split('/', 1)[1].replace('_', ' ')})" if "/" in name else ""
            )
        raise BakeUnstableError(
            f"the physics became unstable at {time:.2f} s around {owner} (bad {what}): "
            "forces grew too large for the time step. Try a smaller simulation.timestep, or "
            "check for bodies squeezed together or a pose pushing a joint to its limit"
        )


def _safe_radius(station: Station) -> float:
    """Radius of a ball around the module centre that lies wholly inside the cabin (or 0)."""
    boundary = station.boundary
    origin = np.zeros((1, 3))
    if not bool(np.atleast_1d(station.contains(origin))[0]):
        return 0.0
    with MESH_QUERY_LOCK:  # the station's mesh is shared across threads
        _, distance, _ = trimesh.proximity.closest_point(boundary, origin)
    return float(distance[0])
