"""Contact events: turns MuJoCo's per-step contacts into episodes a director can read.

A contact *episode* is one continuous touch between two bodies (or a body and the interior):
when it began and ended, the total impulse exchanged, the peak normal force, where it
happened and how fast the bodies were closing when it began.

Impulses come from momentum balance, not from sampling contact forces: a contact lasts only a
few physics steps and RK4 blends four force evaluations per step, so summing one force sample
per step misses ~10 %. Instead each step's change of a body's linear momentum, less the air
drag impulse, is shared among that body's contacts in proportion to their normal forces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mujoco
import numpy as np

from see1previs.physics.trajectory import CONTACT_DTYPE


@dataclass
class _Episode:
    start: float
    end: float
    impulse: np.ndarray
    peak_force: float
    position: np.ndarray
    approach_speed: float


@dataclass
class ContactRecorder:
    """Accumulates contact episodes step by step; call :meth:`observe` after each step."""

    model: mujoco.MjModel
    geom_owner: dict[int, str]
    body_of_owner: dict[str, int]  # scene id -> MuJoCo body (interior owners absent)
    dof_of_owner: dict[str, int]  # scene id -> first velocity index of its free joint
    active: dict[tuple[str, str], _Episode] = field(default_factory=dict)
    finished: list[tuple[tuple[str, str], _Episode]] = field(default_factory=list)
    _force: np.ndarray = field(default_factory=lambda: np.zeros(6))

    def observe(
        self,
        model: mujoco.MjModel,
        data: mujoco.MjData,
        t: float,
        dt: float,
        qvel_before: np.ndarray,
    ) -> None:
        """Record the contacts of the step that just ended at time ``t`` (length ``dt``)."""
        touches: list[tuple[tuple[str, str], float, object]] = []
        load: dict[str, float] = {}
        touch_count: dict[str, int] = {}
        for i in range(data.ncon):
            contact = data.contact[i]
            owner1 = self.geom_owner.get(int(contact.geom1), "station")
            owner2 = self.geom_owner.get(int(contact.geom2), "station")
            if owner1 == owner2:
                continue
            mujoco.mj_contactForce(model, data, i, self._force)
            normal_force = float(abs(self._force[0]))
            key = _pair_key(owner1, owner2)
            touches.append((key, normal_force, contact))
            for owner in key:
                load[owner] = load.get(owner, 0.0) + normal_force
                touch_count[owner] = touch_count.get(owner, 0) + 1
        momentum = {
            owner: self._momentum_change(data, owner, dt, qvel_before)
            for owner in load
            if owner in self.dof_of_owner
        }
        seen: set[tuple[str, str]] = set()
        for key, normal_force, contact in touches:
            a, b = key
            share_a = self._share(momentum, load, touch_count, a, normal_force)
            share_b = self._share(momentum, load, touch_count, b, normal_force)
            if share_a is not None and share_b is not None:
                impulse = 0.5 * (share_a - share_b)  # action = -reaction; average both views
            else:
                impulse = share_a if share_a is not None else -share_b
            episode = self.active.get(key)
            if episode is None:
                episode = _Episode(
                    start=t - dt,
                    end=t,
                    impulse=np.zeros(3),
                    peak_force=0.0,
                    position=contact.pos.copy(),
                    approach_speed=self._approach_speed(data, a, b, contact, qvel_before),
                )
                self.active[key] = episode
            episode.end = t
            seen.add(key)
            episode.impulse += impulse
            episode.peak_force = max(episode.peak_force, normal_force)
        for key in [k for k in self.active if k not in seen]:
            self.finished.append((key, self.active.pop(key)))

    def _momentum_change(
        self, data: mujoco.MjData, owner: str, dt: float, qvel_before: np.ndarray
    ) -> np.ndarray:
        """Change of a free body's linear momentum in the step, less the air drag impulse."""
        body = self.body_of_owner[owner]
        adr = self.dof_of_owner[owner]
        rotation = data.xmat[body].reshape(3, 3)
        offset = data.xipos[body] - data.xpos[body]
        before = qvel_before[adr : adr + 3] + np.cross(
            rotation @ qvel_before[adr + 3 : adr + 6], offset
        )
        after = data.qvel[adr : adr + 3] + np.cross(rotation @ data.qvel[adr + 3 : adr + 6], offset)
        mass = self.model.body_mass[body]
        return mass * (after - before) - data.qfrc_fluid[adr : adr + 3] * dt

    @staticmethod
    def _share(
        momentum: dict[str, np.ndarray],
        load: dict[str, float],
        touch_count: dict[str, int],
        owner: str,
        force: float,
    ) -> np.ndarray | None:
        """This contact's part of the owner's momentum change (by normal force, else evenly)."""
        if owner not in momentum:
            return None
        total = load[owner]
        # At the last step of a touch the force can read zero although momentum changed.
        weight = force / total if total > 0 else 1.0 / touch_count[owner]
        return momentum[owner] * weight

    def _approach_speed(
        self, data: mujoco.MjData, a: str, b: str, contact, qvel_before: np.ndarray
    ) -> float:
        """Closing speed at the contact point before the step in which the touch began."""
        normal = contact.frame[:3]
        relative = self._point_velocity(data, a, contact.pos, qvel_before) - self._point_velocity(
            data, b, contact.pos, qvel_before
        )
        return float(abs(np.dot(relative, normal)))

    def _point_velocity(
        self, data: mujoco.MjData, owner: str, point: np.ndarray, qvel: np.ndarray
    ) -> np.ndarray:
        """Velocity of a free body's material point, from free-joint velocities ``qvel``."""
        body = self.body_of_owner.get(owner)
        if body is None:
            return np.zeros(3)
        adr = self.dof_of_owner[owner]
        rotation = data.xmat[body].reshape(3, 3)
        angular = rotation @ qvel[adr + 3 : adr + 6]
        return qvel[adr : adr + 3] + np.cross(angular, point - data.xpos[body])

    def finish(self) -> np.ndarray:
        """All episodes (closing any still active), sorted by start time, as a record array."""
        for key in list(self.active):
            self.finished.append((key, self.active.pop(key)))
        self.finished.sort(key=lambda item: (item[1].start, item[0]))
        out = np.zeros(len(self.finished), CONTACT_DTYPE)
        for row, ((a, b), episode) in enumerate(self.finished):
            out[row] = (
                episode.start,
                episode.end,
                a,
                b,
                episode.impulse,
                float(np.linalg.norm(episode.impulse)),
                episode.peak_force,
                episode.position,
                episode.approach_speed,
            )
        return out


def _pair_key(owner1: str, owner2: str) -> tuple[str, str]:
    """Pair order: a body before the interior; two bodies in id order."""
    if owner1.startswith("station"):
        return owner2, owner1
    if owner2.startswith("station"):
        return owner1, owner2
    return (owner1, owner2) if owner1 < owner2 else (owner2, owner1)
