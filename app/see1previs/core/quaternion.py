"""Quaternion math on NumPy arrays, (w, x, y, z) order as in MuJoCo and the scene format.

Every function accepts a single quaternion of shape (4,) or a stack of shape (..., 4) and
broadcasts; rotations are active (they rotate vectors, body frame to module frame).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def normalize(q: ArrayLike) -> Array:
    q = np.asarray(q, dtype=float)
    return q / np.linalg.norm(q, axis=-1, keepdims=True)


def multiply(a: ArrayLike, b: ArrayLike) -> Array:
    """Hamilton product a ⊗ b (apply b, then a)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    aw, ax, ay, az = np.moveaxis(a, -1, 0)
    bw, bx, by, bz = np.moveaxis(b, -1, 0)
    return np.stack(
        [
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        ],
        axis=-1,
    )


def conjugate(q: ArrayLike) -> Array:
    q = np.asarray(q, dtype=float)
    return q * np.array([1.0, -1.0, -1.0, -1.0])


def to_matrix(q: ArrayLike) -> Array:
    """Rotation matrices (..., 3, 3) of unit quaternions."""
    w, x, y, z = np.moveaxis(normalize(q), -1, 0)
    return np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
            np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
            np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
        ],
        axis=-2,
    )


def rotate(q: ArrayLike, v: ArrayLike) -> Array:
    """Rotate vectors v (..., 3) by quaternions q (..., 4)."""
    return np.einsum("...ij,...j->...i", to_matrix(q), np.asarray(v, dtype=float))


def from_axis_angle(axis: ArrayLike, angle: float) -> Array:
    axis = np.asarray(axis, dtype=float)
    axis = axis / np.linalg.norm(axis)
    half = 0.5 * angle
    return np.concatenate([[np.cos(half)], np.sin(half) * axis])


def from_matrix(m: ArrayLike) -> Array:
    """Unit quaternion (w >= 0) of a 3x3 rotation matrix."""
    m = np.asarray(m, dtype=float)
    trace = m[0, 0] + m[1, 1] + m[2, 2]
    if trace > 0:
        s = 2.0 * np.sqrt(trace + 1.0)
        q = [0.25 * s, (m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s]
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[0, 0] - m[1, 1] - m[2, 2])
        q = [(m[2, 1] - m[1, 2]) / s, 0.25 * s, (m[0, 1] + m[1, 0]) / s, (m[0, 2] + m[2, 0]) / s]
    elif m[1, 1] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[1, 1] - m[0, 0] - m[2, 2])
        q = [(m[0, 2] - m[2, 0]) / s, (m[0, 1] + m[1, 0]) / s, 0.25 * s, (m[1, 2] + m[2, 1]) / s]
    else:
        s = 2.0 * np.sqrt(1.0 + m[2, 2] - m[0, 0] - m[1, 1])
        q = [(m[1, 0] - m[0, 1]) / s, (m[0, 2] + m[2, 0]) / s, (m[1, 2] + m[2, 1]) / s, 0.25 * s]
    q = normalize(q)
    return q if q[0] >= 0 else -q


def slerp(a: ArrayLike, b: ArrayLike, u: ArrayLike) -> Array:
    """Spherical interpolation from a (u=0) to b (u=1) along the shorter arc.

    Broadcasts over leading dimensions; ``u`` has the leading shape (or is a scalar).
    """
    a = normalize(a)
    b = normalize(b)
    u = np.asarray(u, dtype=float)[..., None]
    dot = np.sum(a * b, axis=-1, keepdims=True)
    b = np.where(dot < 0, -b, b)
    dot = np.abs(dot)
    # Nearly parallel: lerp is exact to rounding and avoids dividing by sin(0).
    close = dot > 0.9995
    theta = np.arccos(np.clip(dot, -1.0, 1.0))
    sin_theta = np.where(close, 1.0, np.sin(theta))
    wa = np.where(close, 1.0 - u, np.sin((1.0 - u) * theta) / sin_theta)
    wb = np.where(close, u, np.sin(u * theta) / sin_theta)
    return normalize(wa * a + wb * b)


def angle_between(a: ArrayLike, b: ArrayLike) -> Array:
    """Rotation angle (radians) taking orientation a to orientation b."""
    dot = np.abs(np.sum(normalize(a) * normalize(b), axis=-1))
    return 2.0 * np.arccos(np.clip(dot, 0.0, 1.0))
