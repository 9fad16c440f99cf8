"""The precision generated interior geometry is stored at, so assets rebuild identically.

Generated vertices come out of trigonometry and linear algebra whose last bits depend on the
machine's numpy/BLAS kernels (a coordinate that should be 0 comes out as 8.7e-19 on one
machine and 0 on another). Snapping every coordinate to a 1 nm grid before the float32
rounding that glTF imposes removes that noise: two machines that agree to far better than a
nanometre write the same bytes. ``-0.0`` is normalised to ``0.0`` for the same reason.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

GRID_M = 1e-9
"""Generated coordinates are multiples of this many metres (before float32 rounding)."""


def stored_coordinates(points: ArrayLike) -> np.ndarray:
    """``points`` snapped to the 1 nm grid and rounded to float32, returned as float64."""
    snapped = np.round(np.asarray(points, dtype=np.float64) / GRID_M) * GRID_M + 0.0
    return snapped.astype(np.float32).astype(np.float64) + 0.0
