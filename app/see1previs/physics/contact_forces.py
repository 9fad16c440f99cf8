"""Contact forces in newtons: MuJoCo finds the contacts, this module pushes back.

Why not MuJoCo's own contact forces: MuJoCo's soft contact is a spring-damper on the contact
point's *acceleration*, so its force is the effective mass 1/K times that acceleration. While a
spinning flat body turns during a bounce, K changes, and a spring whose stiffness changes
during the bounce pumps energy in (7 of 24 spinning plates gained energy at e = 0.9, up to
×2.1; bodies left the module). A spring in newtons per metre does not: here every contact is

    f_n = max(0, k·δ − c·v_n)        (δ penetration, v_n separating speed at the point)
    k   = m_r·ω₀²                   (m_r: reduced mass of the two touching bodies, constant)
    c   = 2·ζ·√(k·m_eff)             (m_eff = 1/K along the normal, at this instant)

with ω₀ = π / (CONTACT_DURATION_STEPS·timestep). The spring part is the gradient of
½·k·δ(q)², a potential, so it returns exactly the work it took; the damper and the clipping
(a contact never pulls) only take energy out; friction is Coulomb's law, regularised near zero
slip as a viscous damper no stiffer than the step can integrate, so it only dissipates. No
bounce can add energy, whatever the shape, spin or material.

ζ comes from the material's restitution through the closed-form bounce of a clipped linear
damped oscillator (:func:`damping_ratio_for_restitution`): the restitution at the contact
point is then the one asked for, for any mass ratio and lever arm, because m_eff is used.

MuJoCo still does all the geometry: contacts are created "inactive" (margin −GAP, gap GAP:
detected at distance < 0, no constraint force) and :func:`apply_contact_forces` — installed as
MuJoCo's passive-force callback, so it runs at every RK4 stage — turns each into forces. The
native implementation (:mod:`see1previs.physics.native_contacts`) computes exactly this; this
Python one is the reference it is tested against and the fallback where the native library
cannot load.

Geoms take part when their user data starts with :data:`MARKER`; the second number is the
geom's damping ratio ζ. A pair uses the higher-priority geom's ζ (a body's own material
decides its bounce off the interior), equal priorities the mean of both. ``data.userdata[i]``
receives contact i's normal force (N) for the contact report.
"""

from __future__ import annotations

import ctypes
import logging
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import mujoco
import numpy as np

from see1previs.physics import analytic_wall

CONTACT_DURATION_STEPS = 8  # a head-on bounce of equal masses spans this many steps
GAP = 10.0  # m; contacts closer than 0 are found, and none ever reaches MuJoCo's solver
MARKER = 7301.0  # first user number of a geom whose contacts this module handles
USER_SIZE = 4  # (marker, damping ratio, natural frequency ω₀ in rad/s, surface group)
# data.userdata reports what pushed, for the contact report: [0] the number of wall touches,
# then WALL_RECORD numbers per touch (geom, normal force, point xyz, depth), then from
# FORCES_AT the normal force of each of MuJoCo's contacts (index as in data.contact).
WALL_SLOTS = 128
WALL_RECORD = 6
FORCES_AT = 1 + WALL_SLOTS * WALL_RECORD
FORCE_SLOTS = 256
USERDATA_SIZE = FORCES_AT + FORCE_SLOTS
# One more slot, never cleared by the callback: set to 1 whenever a force evaluation sees any
# contact or wall touch, or a tether (a limited tendon) within TAUT_MARGIN of its length. The
# bake clears it before running steps in one call, and redoes them one by one (to record each
# touch and each taut tether) if it was set.
TOUCHED_SLOT = USERDATA_SIZE
TAUT_MARGIN = 0.005  # m; the blocking runtime's TAUT_TOLERANCE, which imports it
FRICTION_RATE = 1.0  # cap of the regularised friction damper: c_t ≤ m_eff·FRICTION_RATE/dt
DAMPING_RATE = 2.2  # cap of the normal damper, c ≤ m_eff·DAMPING_RATE/dt: RK4 stays stable
MAX_DAMPING_RATIO = 2.8  # restitution ≈ 0.04; anything asked lower bounces like this


def contact_geom_kwargs(
    restitution: float, friction: float, priority: int, timestep: float, group: int = 0
) -> dict:
    """MjSpec geom attributes that hand a geom's contacts to this module.

    ω₀ is fixed from the scene's time step here, not read from the model's time step when
    the force is computed, so a shortened last step before a frame does not stiffen a bounce.
    ``group`` names the surface a static geom belongs to (1 the wall's tiles, 2 + k fixture
    k); a moving body's geoms are 0 and their surface is their body (see :func:`_acts`).
    """
    return {
        "priority": priority,
        "margin": -GAP,
        "gap": GAP,
        "friction": [friction, 0.0, 0.0],
        "userdata": [
            MARKER,
            damping_ratio_for_restitution(restitution),
            natural_frequency(timestep),
            float(group),
        ],
    }


def prepare_spec(spec: mujoco.MjSpec) -> None:
    """Room for the per-geom numbers and the reported normal forces."""
    spec.nuser_geom = USER_SIZE
    spec.nuserdata = USERDATA_SIZE + 1


# ---- restitution ---------------------------------------------------------------------------


PHASES = 16  # where the first step of a bounce starts, relative to the touch, averaged over


def _mean_bounce(zeta: float) -> float:
    """Restitution of the unit contact integrated as the bake integrates it, averaged over
    PHASES positions of the step grid.

    Unit mass and stiffness (ω = 1), RK4 at the step the contact is built for (the half
    period spans CONTACT_DURATION_STEPS steps), the damper ramped in as
    :func:`_damper_speed` does; each bounce starts a fraction of a step before the touch,
    moving in at speed 1; the result is the mean outgoing speed.
    """
    h = math.pi / CONTACT_DURATION_STEPS

    def accel(x: np.ndarray, v: np.ndarray) -> np.ndarray:
        damper = np.sign(v) * np.minimum(np.abs(v), np.maximum(x, 0.0) / h)
        return np.where(x > 0.0, -np.maximum(0.0, x + 2.0 * zeta * damper), 0.0)

    x = -(np.arange(PHASES) + 0.5) / PHASES * h
    v = np.ones(PHASES)
    touched = np.zeros(PHASES, dtype=bool)
    out = np.full(PHASES, np.nan)
    for _ in range(100 * CONTACT_DURATION_STEPS):
        k1x, k1v = v, accel(x, v)
        k2x, k2v = v + 0.5 * h * k1v, accel(x + 0.5 * h * k1x, v + 0.5 * h * k1v)
        k3x, k3v = v + 0.5 * h * k2v, accel(x + 0.5 * h * k2x, v + 0.5 * h * k2v)
        k4x, k4v = v + h * k3v, accel(x + h * k3x, v + h * k3v)
        x = x + h / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x)
        v = v + h / 6.0 * (k1v + 2 * k2v + 2 * k3v + k4v)
        touched |= x > 0.0
        left = touched & (x <= 0.0) & (v < 0.0) & np.isnan(out)
        out[left] = -v[left]
        if not np.isnan(out).any():
            break
    return float(np.mean(np.nan_to_num(out)))


def _damper_speed(depth: float, v_n: float, dt: float) -> float:
    """The speed the damper acts on: v_n, ramped in over the first step's worth of depth.

    A damper that switched on at full strength the instant a touch begins would be a force
    jump, and where the step grid falls would change the bounce by ±10 % at e = 0.3; ramped
    in as min(|v_n|, depth/dt) the force is continuous, the spread is ±2 %, and since depth
    and speed scale together the restitution still does not depend on the impact speed.
    """
    return math.copysign(min(abs(v_n), depth / dt), v_n)


@lru_cache(maxsize=256)
def damping_ratio_for_restitution(restitution: float) -> float:
    """ζ whose bounce has restitution ``restitution``, averaged over where the step grid
    falls (bisection on :func:`_mean_bounce`)."""
    if not 0.0 <= restitution <= 1.0:
        raise ValueError(f"restitution must be between 0 and 1, got {restitution}")
    if restitution >= 1.0:
        return 0.0
    if restitution <= _mean_bounce(MAX_DAMPING_RATIO):
        return MAX_DAMPING_RATIO
    low, high = 0.0, MAX_DAMPING_RATIO  # restitution falls monotonically as ζ grows
    for _ in range(30):
        mid = 0.5 * (low + high)
        if _mean_bounce(mid) > restitution:
            low = mid
        else:
            high = mid
    return round(0.5 * (low + high), 12)


# ---- the reference force computation --------------------------------------------------------


def natural_frequency(timestep: float) -> float:
    """ω₀ (rad/s): a head-on bounce lasts CONTACT_DURATION_STEPS steps of ``timestep``."""
    return math.pi / (CONTACT_DURATION_STEPS * timestep)


def _tether_taut(model: mujoco.MjModel, data: mujoco.MjData) -> bool:
    """Whether any limited tendon (a tether) is within TAUT_MARGIN of its longest."""
    if not model.ntendon:
        return False
    limited = model.tendon_limited.astype(bool)
    return bool(np.any(data.ten_length[limited] >= model.tendon_range[limited, 1] - TAUT_MARGIN))


def apply_contact_forces(model: mujoco.MjModel, data: mujoco.MjData) -> None:
    """MuJoCo passive-force callback: add every marked contact's force to ``qfrc_passive``."""
    if model.nuser_geom < USER_SIZE:
        return
    push = _Pusher(model, data)
    data.userdata[: min(model.nuserdata, USERDATA_SIZE)] = 0.0
    if model.nuserdata > TOUCHED_SLOT and (data.ncon or _tether_taut(model, data)):
        data.userdata[TOUCHED_SLOT] = 1.0
    wall = analytic_wall.read_wall(model)
    if wall is not None:
        radius, wall_friction, openings = wall
        touches = 0
        for body in range(1, model.nbody):
            geom, point, depth, normal = analytic_wall.deepest_point(
                model, data, body, radius, openings, MARKER
            )
            if geom < 0 or depth <= 0.0:
                continue
            mu = max(float(model.geom_friction[geom, 0]), wall_friction)
            zeta, omega = float(model.geom_user[geom, 1]), float(model.geom_user[geom, 2])
            f_n = push(0, body, point, -normal, depth, zeta, omega, mu)
            if model.nuserdata >= USERDATA_SIZE:
                touches = _record_touch(data, touches, geom, f_n, point, depth)
            if model.nuserdata > TOUCHED_SLOT:
                data.userdata[TOUCHED_SLOT] = 1.0
    for i in range(data.ncon):
        if not _acts(model, data, i):
            continue
        contact = data.contact[i]
        g1, g2 = int(contact.geom[0]), int(contact.geom[1])
        b1, b2 = int(model.geom_bodyid[g1]), int(model.geom_bodyid[g2])
        mu = max(float(model.geom_friction[g1, 0]), float(model.geom_friction[g2, 0]))
        f_n = push(
            b1,
            b2,
            np.array(contact.pos),
            np.array(contact.frame[:3]),  # from geom 1 to geom 2
            -float(contact.dist),
            _pair_zeta(model, g1, g2),
            max(float(model.geom_user[g1, 2]), float(model.geom_user[g2, 2])),
            mu,
        )
        if i < FORCE_SLOTS and model.nuserdata >= USERDATA_SIZE:
            data.userdata[FORCES_AT + i] = f_n


def _record_touch(data, touches: int, geom: int, f_n: float, point, depth: float) -> int:
    if touches < WALL_SLOTS:
        start = 1 + WALL_RECORD * touches
        data.userdata[start : start + WALL_RECORD] = [geom, f_n, *point, depth]
        touches += 1
        data.userdata[0] = touches
    return touches


class _Pusher:
    """The force law of the module docstring, applied to one touch at a time."""

    def __init__(self, model: mujoco.MjModel, data: mujoco.MjData) -> None:
        self.model, self.data = model, data
        self.jac1 = np.zeros((3, model.nv))
        self.jac2 = np.zeros((3, model.nv))

    def __call__(self, b1, b2, point, normal, depth, zeta, omega, mu) -> float:
        """Push body 2 along ``normal`` (and body 1 back) at ``point``; returns f_n (N)."""
        model, data = self.model, self.data
        m1, m2 = float(model.body_mass[b1]), float(model.body_mass[b2])
        if b1 == 0 or m1 <= 0.0:
            reduced = m2
        elif b2 == 0 or m2 <= 0.0:
            reduced = m1
        else:
            reduced = m1 * m2 / (m1 + m2)
        mujoco.mj_jac(model, data, self.jac1, None, point, b1)
        mujoco.mj_jac(model, data, self.jac2, None, point, b2)
        jac = self.jac2 - self.jac1  # velocity of body 2's point relative to body 1's
        relative = jac @ data.qvel
        v_n = float(relative @ normal)
        jn = normal @ jac
        minv_jn = np.zeros(model.nv)
        mujoco.mj_solveM(model, data, minv_jn.reshape(1, -1), jn.reshape(1, -1))
        inverse_mass = float(jn @ minv_jn)
        if inverse_mass <= 0.0:
            return 0.0
        effective_mass = 1.0 / inverse_mass
        dt = math.pi / (CONTACT_DURATION_STEPS * omega)  # the scene's step, never a shortened one
        stiffness = reduced * omega * omega
        damping = min(
            2.0 * zeta * math.sqrt(stiffness * effective_mass),
            effective_mass * DAMPING_RATE / dt,
        )
        f_n = stiffness * depth - damping * _damper_speed(depth, v_n, dt)
        if not f_n > 0.0:
            return 0.0
        force = f_n * np.asarray(normal)
        slip = relative - v_n * np.asarray(normal)
        speed = float(np.linalg.norm(slip))
        if mu > 0.0 and speed > 0.0:
            rate = min(mu * f_n / speed, effective_mass * FRICTION_RATE / dt)
            force = force - rate * slip
        data.qfrc_passive[:] += jac.T @ force
        return f_n


def _marked_touch(model: mujoco.MjModel, data: mujoco.MjData, i: int) -> bool:
    contact = data.contact[i]
    g1, g2 = int(contact.geom[0]), int(contact.geom[1])
    return (
        contact.efc_address < 0
        and g1 >= 0
        and g2 >= 0
        and model.geom_user[g1, 0] == MARKER
        and model.geom_user[g2, 0] == MARKER
        and contact.dist < 0.0
    )


def _surface(model: mujoco.MjModel, geom: int) -> int:
    """Which surface a geom is part of: its body, or for static geoms its group (negative)."""
    body = int(model.geom_bodyid[geom])
    return body if body != 0 else -int(model.geom_user[geom, 3])


def _touch_key(model: mujoco.MjModel, contact) -> tuple[int, int]:
    a, b = _surface(model, int(contact.geom[0])), _surface(model, int(contact.geom[1]))
    return (a, b) if a < b else (b, a)


def _acts(model: mujoco.MjModel, data: mujoco.MjData, i: int) -> bool:
    """Contact i pushes if it is the deepest touch between its two surfaces.

    MuJoCo may report one touch of two surfaces as several contacts, and how many depends on
    the pose: a box corner where six wall tiles meet is found once per tile, a capsule lying
    along a handrail gets a second contact that appears already 6 mm deep. Counted each, they
    are springs that switch on mid-bounce and pump energy in (×1.13 measured). The deepest
    contact's depth changes continuously, so one spring per pair of surfaces on it has a
    potential. A surface is a moving body, the wall, or one fixture.
    """
    if not _marked_touch(model, data, i):
        return False
    contact = data.contact[i]
    key = _touch_key(model, contact)
    for j in range(data.ncon):
        if j == i or not _marked_touch(model, data, j):
            continue
        other = data.contact[j]
        if _touch_key(model, other) != key:
            continue
        if other.dist < contact.dist or (other.dist == contact.dist and j < i):
            return False
    return True


def _pair_zeta(model: mujoco.MjModel, g1: int, g2: int) -> float:
    p1, p2 = int(model.geom_priority[g1]), int(model.geom_priority[g2])
    z1, z2 = float(model.geom_user[g1, 1]), float(model.geom_user[g2, 1])
    if p1 > p2:
        return z1
    if p2 > p1:
        return z2
    return 0.5 * (z1 + z2)


# ---- which implementation runs -----------------------------------------------------------

IMPLEMENTATION_ENV = "SEE1_PREVIS_CONTACTS"  # "python" forces the reference implementation
_log = logging.getLogger(__name__)
_native_callback = None  # the ctypes function pointer MuJoCo holds; kept alive here


def _mujoco_library() -> ctypes.CDLL:
    """The MuJoCo shared library the mujoco package has loaded (dlopen returns the same one)."""
    folder = Path(mujoco.__file__).resolve().parent
    patterns = ("libmujoco.so*", "libmujoco*.dylib", "mujoco.dll")
    for pattern in patterns:
        for path in sorted(folder.glob(pattern)):
            return ctypes.CDLL(str(path))
    raise OSError(f"no MuJoCo library in the mujoco package ({', '.join(patterns)})")


def _load_native():
    """The native callback as a ctypes function pointer, or None (and why) if unusable."""
    try:
        from see1previs.physics import _contact_forces as native
    except ImportError as exc:
        return None, f"the native library was not built ({exc})"
    version = int(mujoco.mj_version())
    if native.header_version() != version:
        return None, (
            f"it was built for MuJoCo {native.header_version()}, this is MuJoCo {version}; "
            "reinstall the app"
        )
    library = _mujoco_library()
    address = ctypes.cast
    native.configure(
        address(library.mj_jac, ctypes.c_void_p).value,
        address(library.mj_solveM, ctypes.c_void_p).value,
        MARKER,
        TAUT_MARGIN,
        float(CONTACT_DURATION_STEPS),
        FRICTION_RATE,
        DAMPING_RATE,
        WALL_SLOTS,
        WALL_RECORD,
        FORCES_AT,
        FORCE_SLOTS,
    )
    prototype = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
    return prototype(native.callback_address()), ""


def implementation() -> str:
    """ "native" or "python": what :func:`install` chose (installing if needed)."""
    install()
    return "python" if mujoco.get_mjcb_passive() is apply_contact_forces else "native"


def install() -> None:
    """Make the contact-force computation MuJoCo's passive-force callback (process-wide).

    The native library when it loads and matches this MuJoCo, else the Python reference (with
    a warning: bakes are then several times slower). Either acts only on models whose geoms
    carry :data:`MARKER`, so other models stepped in the same process are untouched.
    """
    global _native_callback
    current = mujoco.get_mjcb_passive()
    if current is not None and (current is apply_contact_forces or current is _native_callback):
        return
    if os.environ.get(IMPLEMENTATION_ENV) != "python":
        callback, reason = _load_native()
        if callback is not None:
            _native_callback = callback
            mujoco.set_mjcb_passive(callback)
            return
        _log.warning("contact forces: using the slower Python implementation: %s", reason)
    mujoco.set_mjcb_passive(apply_contact_forces)


@contextmanager
def compiling():
    """Around ``MjSpec.compile``: MuJoCo's compiler runs the passive callback on a model the
    Python bindings cannot hand to Python, so the Python implementation steps aside meanwhile
    (the native one needs no such care)."""
    current = mujoco.get_mjcb_passive()
    if current is apply_contact_forces:
        mujoco.set_mjcb_passive(None)
    try:
        yield
    finally:
        if current is apply_contact_forces:
            mujoco.set_mjcb_passive(current)


def touch_count(model: mujoco.MjModel, data: mujoco.MjData) -> int:
    """How many touches the last force evaluation saw: wall touches and MuJoCo's contacts."""
    if model.nuserdata < USERDATA_SIZE:
        return int(data.ncon)
    return int(data.userdata[0]) + int(data.ncon)


@dataclass(frozen=True)
class WallTouch:
    """A body touching the sphere wall: its deepest point, how deep, and the normal force."""

    geom: int
    force: float  # N; 0 when measured without forces
    point: np.ndarray
    depth: float


def reported_wall_touches(model: mujoco.MjModel, data: mujoco.MjData) -> list[WallTouch]:
    """The wall touches the last force evaluation (or :func:`measure_wall_touches`) saw."""
    if model.nuserdata < USERDATA_SIZE:
        return []
    out = []
    for k in range(int(data.userdata[0])):
        record = data.userdata[1 + WALL_RECORD * k : 1 + WALL_RECORD * (k + 1)]
        out.append(
            WallTouch(int(record[0]), float(record[1]), record[2:5].copy(), float(record[5]))
        )
    return out


def measure_wall_touches(model: mujoco.MjModel, data: mujoco.MjData) -> list[WallTouch]:
    """The wall touches of the current kinematics (after ``mj_kinematics``), without forces."""
    if model.nuserdata < USERDATA_SIZE:
        return []
    if implementation() == "native":
        from see1previs.physics import _contact_forces as native

        native.measure_wall(model._address, data._address)
        return reported_wall_touches(model, data)
    data.userdata[0] = 0.0
    wall = analytic_wall.read_wall(model)
    if wall is None:
        return []
    radius, _, openings = wall
    touches = 0
    for body in range(1, model.nbody):
        geom, point, depth, _ = analytic_wall.deepest_point(
            model, data, body, radius, openings, MARKER
        )
        if geom >= 0 and depth > 0.0:
            touches = _record_touch(data, touches, geom, 0.0, point, depth)
    return reported_wall_touches(model, data)


def contact_force(model: mujoco.MjModel, data: mujoco.MjData, i: int) -> float:
    """Normal force (N) of MuJoCo's contact i at the last force evaluation."""
    if data.contact[i].efc_address >= 0:
        out = np.zeros(6)
        mujoco.mj_contactForce(model, data, i, out)
        return float(abs(out[0]))
    if model.nuserdata >= USERDATA_SIZE and i < FORCE_SLOTS:
        return float(data.userdata[FORCES_AT + i])
    return 0.0
