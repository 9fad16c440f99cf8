"""Contact events: turns MuJoCo's per-step contacts into episodes a director can read.

A contact *episode* is one continuous touch between two bodies (or a body and the interior):
when it began and ended, the total impulse exchanged, the peak normal force, where it
happened and how fast the bodies were closing when it began.

Articulated actors touch with one segment at a time, so episodes are kept per *link* (the
segment, "mika/head"; a rigid body's link is its id) and carry both the owner and the link:
the blocking report needs to know that it was the head that hit the wall.

Impulses come from momentum balance, not from sampling contact forces: a contact lasts only a
few physics steps and RK4 blends four force evaluations per step, so summing one force sample
per step misses ~10 %. Instead each step's change of a body's linear momentum, less the air
drag impulse, is shared among that body's contacts in proportion to their normal forces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mujoco
import numpy as np

from see1previs.physics import analytic_wall
from see1previs.physics.contact_forces import contact_force, reported_wall_touches
from see1previs.physics.trajectory import CONTACT_DTYPE


@dataclass(frozen=True)
class _Touch:
    """One touch of a step: a MuJoCo contact (``index`` ≥ 0) or a wall touch (geom −1 is the
    exact wall of analytic_wall, ``force`` its normal force)."""

    geom1: int
    geom2: int
    pos: np.ndarray
    normal: np.ndarray  # from geom 1 to geom 2
    index: int
    force: float = 0.0


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
    geom_link: dict[int, str] = field(default_factory=dict)  # geom -> link, when not the owner
    active: dict[tuple[str, str, str, str], _Episode] = field(default_factory=dict)
    finished: list[tuple[tuple[str, str, str, str], _Episode]] = field(default_factory=list)
    _qvel_before: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _jacp: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _wall: tuple | None = None

    def __post_init__(self) -> None:
        self._qvel_before = np.zeros(self.model.nv)
        self._jacp = np.zeros((3, self.model.nv))
        self._wall = analytic_wall.read_wall(self.model)

    def observe(
        self,
        model: mujoco.MjModel,
        data: mujoco.MjData,
        t: float,
        dt: float,
        qvel_before: np.ndarray,
    ) -> None:
        """Record the contacts of the step that just ended at time ``t`` (length ``dt``)."""
        self._qvel_before[:] = qvel_before
        touches: list[tuple[tuple[str, str], tuple[str, str], float, object]] = []
        load: dict[str, float] = {}
        touch_count: dict[str, int] = {}
        ncon = data.ncon
        contacts = data.contact
        geoms, points, frames = contacts.geom[:ncon], contacts.pos[:ncon], contacts.frame[:ncon]
        candidates = [
            _Touch(int(geoms[i, 0]), int(geoms[i, 1]), points[i].copy(), frames[i, :3].copy(), i)
            for i in range(ncon)
        ]
        for touch in reported_wall_touches(model, data):
            # The exact wall (no MuJoCo geom): the normal points from the wall into the cabin.
            radius, _, openings = self._wall
            _, outward = analytic_wall.signed_distance(touch.point, radius, openings)
            candidates.append(_Touch(-1, touch.geom, touch.point, -outward, -1, touch.force))
        for contact in candidates:
            geom1, geom2 = contact.geom1, contact.geom2
            owner1 = self.geom_owner.get(geom1, "station")
            owner2 = self.geom_owner.get(geom2, "station")
            if owner1 == owner2:
                continue
            if contact.index >= 0:
                normal_force = contact_force(model, data, contact.index)
            else:
                normal_force = contact.force
            owners = _pair_key(owner1, owner2)
            link1, link2 = self.geom_link.get(geom1, owner1), self.geom_link.get(geom2, owner2)
            links = (link1, link2) if owners == (owner1, owner2) else (link2, link1)
            touches.append((owners, links, normal_force, contact))
            for owner in owners:
                load[owner] = load.get(owner, 0.0) + normal_force
                touch_count[owner] = touch_count.get(owner, 0) + 1
        momentum = self._momentum_changes(data, [o for o in load if o in self.dof_of_owner], dt)
        seen: set[tuple[str, str, str, str]] = set()
        for owners, links, normal_force, contact in touches:
            a, b = owners
            share_a = self._share(momentum, load, touch_count, a, normal_force)
            share_b = self._share(momentum, load, touch_count, b, normal_force)
            if share_a is not None and share_b is not None:
                impulse = 0.5 * (share_a - share_b)  # action = -reaction; average both views
            elif share_a is not None or share_b is not None:
                impulse = share_a if share_a is not None else -share_b
            else:
                impulse = np.zeros(3)
            key = (*owners, *links)
            episode = self.active.get(key)
            if episode is None:
                episode = _Episode(
                    start=t - dt,
                    end=t,
                    impulse=np.zeros(3),
                    peak_force=0.0,
                    position=contact.pos.copy(),
                    approach_speed=self._approach_speed(model, data, contact, qvel_before),
                )
                self.active[key] = episode
            episode.end = t
            seen.add(key)
            episode.impulse += impulse
            episode.peak_force = max(episode.peak_force, normal_force)
        for key in [k for k in self.active if k not in seen]:
            self.finished.append((key, self.active.pop(key)))

    def _momentum_changes(
        self, data: mujoco.MjData, owners: list[str], dt: float
    ) -> dict[str, np.ndarray]:
        """Change of each body's (or whole actor's) linear momentum in the step, less drag.

        The generalized momentum M·q̇ of a free joint's translational coordinates is the
        linear momentum of everything hanging from it, so one rule covers a rigid prop and a
        16-segment actor.
        """
        if not owners:
            return {}
        before = np.zeros(self.model.nv)
        after = np.zeros(self.model.nv)
        mujoco.mj_mulM(self.model, data, before, self._qvel_before)
        mujoco.mj_mulM(self.model, data, after, data.qvel)
        out = {}
        for owner in owners:
            adr = self.dof_of_owner[owner]
            drag = self._drag_impulse(data, owner, dt)
            out[owner] = after[adr : adr + 3] - before[adr : adr + 3] - drag
        return out

    def _drag_impulse(self, data: mujoco.MjData, owner: str, dt: float) -> np.ndarray:
        adr = self.dof_of_owner[owner]
        return data.qfrc_fluid[adr : adr + 3] * dt

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
        self, model: mujoco.MjModel, data: mujoco.MjData, contact, qvel_before: np.ndarray
    ) -> float:
        """Closing speed at the contact point before the step in which the touch began."""
        normal = contact.normal
        relative = self._point_velocity(
            model, data, int(contact.geom1), contact.pos, qvel_before
        ) - self._point_velocity(model, data, int(contact.geom2), contact.pos, qvel_before)
        return float(abs(np.dot(relative, normal)))

    def _point_velocity(
        self,
        model: mujoco.MjModel,
        data: mujoco.MjData,
        geom: int,
        point: np.ndarray,
        qvel: np.ndarray,
    ) -> np.ndarray:
        """Velocity of the material point of the geom's body at ``point``, from ``qvel``."""
        body = int(model.geom_bodyid[geom]) if geom >= 0 else 0
        if body == 0:
            return np.zeros(3)
        mujoco.mj_jac(model, data, self._jacp, None, point, body)
        return self._jacp @ qvel

    def finish(self) -> np.ndarray:
        """All episodes (closing any still active), sorted by start time, as a record array."""
        for key in list(self.active):
            self.finished.append((key, self.active.pop(key)))
        self.finished.sort(key=lambda item: (item[1].start, item[0]))
        out = np.zeros(len(self.finished), CONTACT_DTYPE)
        for row, ((a, b, link_a, link_b), episode) in enumerate(self.finished):
            out[row] = (
                episode.start,
                episode.end,
                a,
                b,
                link_a,
                link_b,
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
