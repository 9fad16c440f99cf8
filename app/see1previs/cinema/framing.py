"""Camera orientation maths: aiming, roll against the studio's reference up, pan/tilt/roll.

Cameras look along their local −Z with +Y as image up and +X to the right (the USD and
OpenGL convention). A rotation matrix's columns are the camera's right, up and back axes in
the module frame. There is no gravity in SEE-1, so "level" means level with the studio's
reference up, +Z; roll is measured from that level horizon.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

STUDIO_UP = np.array([0.0, 0.0, 1.0])
_FALLBACK_UP = np.array([1.0, 0.0, 0.0])  # toward the hatch, when looking straight up/down


def aim(forward: ArrayLike, up_hint: ArrayLike = STUDIO_UP, roll_deg: float = 0.0) -> np.ndarray:
    """Rotation of a camera looking along ``forward``, image up toward ``up_hint``, rolled.

    Positive roll is a right-handed turn about the camera's back axis (local +Z, as in USD):
    the operator sees the camera turn counter-clockwise, so the picture turns clockwise.
    """
    f = np.asarray(forward, dtype=float)
    norm = np.linalg.norm(f)
    if norm < 1e-12:
        raise ValueError("cannot aim a camera along a zero vector")
    f = f / norm
    up = np.asarray(up_hint, dtype=float)
    right = np.cross(f, up)
    if np.linalg.norm(right) < 1e-6:  # looking straight along the up hint
        right = np.cross(f, _FALLBACK_UP if abs(f @ _FALLBACK_UP) < 0.9 else STUDIO_UP)
    right /= np.linalg.norm(right)
    true_up = np.cross(right, f)
    if roll_deg:
        angle = math.radians(roll_deg)
        c, s = math.cos(angle), math.sin(angle)
        right, true_up = c * right + s * true_up, -s * right + c * true_up
    return np.column_stack([right, true_up, -f])


def forward_of(rotation: np.ndarray) -> np.ndarray:
    """Viewing direction (local −Z) of camera rotations (..., 3, 3)."""
    return -np.asarray(rotation)[..., :, 2]


def pan_tilt_roll(rotation: np.ndarray) -> tuple[float, float, float]:
    """Pan, tilt and roll in degrees of one camera rotation, relative to the studio frame.

    Pan is the azimuth of the viewing direction from +X toward +Y; tilt its elevation above
    the XY plane; roll the angle from the level horizon (see :func:`aim`) to the camera's.
    """
    rotation = np.asarray(rotation, dtype=float)
    f = forward_of(rotation)
    pan = math.degrees(math.atan2(f[1], f[0]))
    tilt = math.degrees(math.asin(max(-1.0, min(1.0, float(f[2])))))
    level = aim(f)
    up = rotation[:, 1]
    roll = math.degrees(math.atan2(float(-(up @ level[:, 0])), float(up @ level[:, 1])))
    return pan, tilt, roll
