"""Small rotation helpers for placing fixtures: frames from axes and (w, x, y, z) quaternions.

Quaternion conversions delegate to :mod:`see1previs.core.quaternion`, the one place that
defines the (w, x, y, z) convention.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from see1previs.core import quaternion


def unit(v: ArrayLike) -> np.ndarray:
    """``v`` scaled to length 1."""
    v = np.asarray(v, dtype=float)
    n = np.linalg.norm(v)
    if n == 0.0:
        raise ValueError("cannot normalise a zero vector")
    return v / n


def frame_from_axes(z_axis: ArrayLike, x_hint: ArrayLike) -> np.ndarray:
    """Rotation whose local +Z is ``z_axis`` and whose local +X is ``x_hint`` made orthogonal.

    Columns of the result are the local X, Y, Z axes in the parent frame.
    """
    z = unit(z_axis)
    x = np.asarray(x_hint, dtype=float) - np.dot(x_hint, z) * z
    x = unit(x)
    y = np.cross(z, x)
    return np.column_stack([x, y, z])


def quat_from_matrix(m: ArrayLike) -> tuple[float, float, float, float]:
    """Unit quaternion (w, x, y, z) of a rotation matrix, with w >= 0 so it is unique."""
    q = quaternion.from_matrix(m)
    return (float(q[0]), float(q[1]), float(q[2]), float(q[3]))


def matrix_from_quat(q: ArrayLike) -> np.ndarray:
    """Rotation matrix of a quaternion (w, x, y, z); the quaternion is normalised first."""
    return quaternion.to_matrix(unit(q))
