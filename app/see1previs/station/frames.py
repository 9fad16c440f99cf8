"""Small rotation helpers for placing fixtures: frames from axes and (w, x, y, z) quaternions.

Kept inside the station layer so the interior can be built and loaded on its own; the
conventions match the rest of the application (right-handed, quaternions scalar first).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


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
    m = np.asarray(m, dtype=float)
    trace = m[0, 0] + m[1, 1] + m[2, 2]
    # Shepperd's method: divide by the largest of the four candidates for accuracy.
    if trace > 0.0:
        s = 2.0 * np.sqrt(1.0 + trace)
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
    q = np.asarray(q) / np.linalg.norm(q)
    if q[0] < 0.0:
        q = -q
    return (float(q[0]), float(q[1]), float(q[2]), float(q[3]))


def matrix_from_quat(q: ArrayLike) -> np.ndarray:
    """Rotation matrix of a quaternion (w, x, y, z); the quaternion is normalised first."""
    w, x, y, z = unit(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )
