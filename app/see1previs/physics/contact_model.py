"""How materials become MuJoCo contact parameters.

MuJoCo contacts are soft constraints: a spring-damper in constraint space set by
``solref = (timeconst, dampratio)`` and an impedance ``solimp``. With a constant impedance the
contact is a linear damped oscillator, so the coefficient of restitution depends only on the
damping ratio, but unilateral clipping (a contact cannot pull) makes the closed-form relation
inexact. We therefore calibrate: :func:`dampratio_for_restitution` bisects on a tiny MuJoCo
model (a ball hitting a plate) built with the same integrator, time step and time constant,
so the restitution a scene asks for is the restitution MuJoCo produces.
"""

from __future__ import annotations

import math
from functools import lru_cache

import mujoco
import numpy as np

# Constant impedance (dmin = dmax): the contact behaves the same at every penetration depth,
# which makes restitution independent of impact speed.
CONTACT_SOLIMP = (0.995, 0.995, 0.001, 0.5, 2.0)
INTEGRATOR = mujoco.mjtIntegrator.mjINT_RK4


CONTACT_DURATION_STEPS = 8  # a bounce spans this many physics steps, whatever the material


def contact_solref(dampratio: float, timestep: float) -> list[float]:
    """MuJoCo's direct ``solref = (-stiffness, -damping)`` for a bounce of fixed duration.

    MuJoCo's default (timeconst, dampratio) form makes lightly damped contacts stiffer, so a
    bouncy ball's contact would last one or two steps and its restitution would depend on
    where the step grid falls. Fixing the natural frequency keeps every bounce resolved.
    """
    omega = math.pi / (CONTACT_DURATION_STEPS * timestep)
    return [-(omega**2), -2.0 * dampratio * omega]


PHASES = 8  # balls meeting the plate at evenly spread points of the step grid


def _measure_restitution(dampratio: float, timestep: float) -> float:
    """Mean rebound ratio of balls dropped on a plate at different step-grid phases."""
    spec = mujoco.MjSpec()
    spec.option.gravity = [0.0, 0.0, 0.0]
    spec.option.timestep = timestep
    spec.option.integrator = INTEGRATOR
    spec.option.cone = mujoco.mjtCone.mjCONE_ELLIPTIC
    solref = contact_solref(dampratio, timestep)
    contact = {"solref": solref, "solimp": list(CONTACT_SOLIMP), "friction": [0.0, 0.0, 0.0]}
    # The plate is a convex mesh tile, like the interior's, so the calibration sees the same
    # mesh-contact geometry as a bounce off the hull.
    half = PHASES * 0.5
    corners = np.array([[x, y, z] for x in (-half, half) for y in (-1, 1) for z in (-0.15, 0.0)])
    spec.add_mesh(name="plate", uservert=corners.ravel().tolist())
    spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_MESH, meshname="plate", **contact)
    speed = 1.0
    for k in range(PHASES):
        gap = 0.02 + speed * timestep * k / PHASES
        ball = spec.worldbody.add_body(name=f"ball{k}", pos=[k - half + 0.5, 0.0, 0.1 + gap])
        ball.add_freejoint()
        ball.add_geom(type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[0.1, 0.0, 0.0], mass=1.0, **contact)
    model = spec.compile()
    data = mujoco.MjData(model)
    data.qvel[2::6] = -speed
    for _ in range(int(0.5 / timestep)):
        mujoco.mj_step(model, data)
    return float(np.mean(data.qvel[2::6]) / speed)


GRID = 20  # restitution is calibrated at multiples of 1/GRID and interpolated between


@lru_cache(maxsize=512)
def _calibrated(node: int, timestep: float) -> float:
    """Damping ratio whose bounce has restitution node/GRID (bisection, monotone)."""
    restitution = node / GRID
    low, high = 1e-3, 2.0  # restitution falls monotonically as damping grows
    if restitution >= _measure_restitution(low, timestep):
        return low
    if restitution <= _measure_restitution(high, timestep):
        return high
    for _ in range(24):
        mid = 0.5 * (low + high)
        if _measure_restitution(mid, timestep) > restitution:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def dampratio_for_restitution(restitution: float, timestep: float) -> float:
    """The damping ratio whose bounce has the requested coefficient of restitution.

    Calibrated on a grid of restitution values (only the nodes a scene needs are computed,
    once per process) and interpolated linearly between them.
    """
    if not 0.0 <= restitution <= 1.0:
        raise ValueError(f"restitution must be between 0 and 1, got {restitution}")
    position = restitution * GRID
    below = min(math.floor(position), GRID - 1)
    u = position - below
    low = _calibrated(below, timestep)
    if u <= 1e-12:
        return round(low, 9)
    high = _calibrated(below + 1, timestep)
    return round((1.0 - u) * low + u * high, 9)
