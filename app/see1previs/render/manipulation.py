"""Moving and turning a body with the mouse: drag geometry, axis constraints, fixture snapping.

A move drag follows the mouse in the plane through the grabbed point that faces the viewer
(:func:`move_in_view_plane`), or slides along one module axis when X, Y or Z constrains it
(:func:`move_along_axis`: the point on the axis closest to the mouse ray). A turn drag rotates
about the view axis or a module axis by the angle the mouse sweeps around the object's
centre on screen (:func:`turn_angle`). With snapping on, a moved body lands on the nearest
fixture within reach, standing off the wall along the fixture's normal
(:func:`snap_to_fixture`).

Edits change a body's *start* pose: dragging at any time in the scene applies the same
move or turn to where the body starts (:func:`moved_start_pose`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from see1previs.core import quaternion as quat

AXES = {
    "x": np.array([1.0, 0.0, 0.0]),
    "y": np.array([0.0, 1.0, 0.0]),
    "z": np.array([0.0, 0.0, 1.0]),
}
SNAP_RADIUS = 0.3  # m: how close to a fixture a dragged body must come to snap onto it


@dataclass(frozen=True)
class SnapPoint:
    """Where a body may snap: a fixture's reference point and its wall normal."""

    fixture_id: str
    position: np.ndarray  # (3,) m
    normal: np.ndarray  # (3,) unit, into the cabin
    exact: bool = False  # cameras land exactly on a mount; bodies stand off the wall


def ray_plane(origin, direction, point, normal) -> np.ndarray | None:
    """Where a ray meets a plane, or None when it runs parallel or points away."""
    denom = float(np.dot(direction, normal))
    if abs(denom) < 1e-9:
        return None
    t = float(np.dot(np.asarray(point) - origin, normal)) / denom
    if t <= 0:
        return None
    return np.asarray(origin) + t * np.asarray(direction)


def move_in_view_plane(ray_start, ray_now, anchor, view_direction) -> np.ndarray:
    """Translation taking the grabbed point with the mouse, in the plane facing the viewer.

    ``ray_start`` and ``ray_now`` are (origin, direction) pick rays at the press and now.
    """
    normal = np.asarray(view_direction, dtype=float)
    a = ray_plane(*ray_start, anchor, normal)
    b = ray_plane(*ray_now, anchor, normal)
    if a is None or b is None:
        return np.zeros(3)
    return b - a


def closest_on_axis(origin, direction, anchor, axis) -> float | None:
    """Parameter s of the point anchor + s·axis closest to the ray (None if parallel)."""
    axis = np.asarray(axis, dtype=float)
    d = np.asarray(direction, dtype=float)
    w = np.asarray(anchor, dtype=float) - np.asarray(origin, dtype=float)
    b = float(axis @ d)
    denom = 1.0 - b * b
    if denom < 1e-9:
        return None
    return float((b * (w @ d) - (w @ axis)) / denom)


def move_along_axis(ray_start, ray_now, anchor, axis) -> np.ndarray:
    """Translation along one module axis that follows the mouse ray."""
    axis = np.asarray(axis, dtype=float)
    s0 = closest_on_axis(*ray_start, anchor, axis)
    s1 = closest_on_axis(*ray_now, anchor, axis)
    if s0 is None or s1 is None:
        return np.zeros(3)
    return (s1 - s0) * axis


def turn_angle(centre_px, start_px, now_px) -> float:
    """Signed angle in radians the mouse swept around the centre on screen.

    Pixels are (x right, y down); a counter-clockwise sweep as the viewer sees it is positive.
    """
    a = np.asarray(start_px, dtype=float) - centre_px
    b = np.asarray(now_px, dtype=float) - centre_px
    if np.linalg.norm(a) < 1e-6 or np.linalg.norm(b) < 1e-6:
        return 0.0
    # y grows downward on screen, so flip it to measure counter-clockwise angles.
    return math.atan2(-b[1], b[0]) - math.atan2(-a[1], a[0])


def turn(axis, angle: float) -> np.ndarray:
    """Quaternion (wxyz) of a turn by ``angle`` about ``axis`` (module frame)."""
    return quat.from_axis_angle(np.asarray(axis, dtype=float), angle)


def snap_to_fixture(
    position,
    points: Iterable[SnapPoint],
    standoff: float,
    radius: float = SNAP_RADIUS,
    ray: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, str | None]:
    """The position after snapping: onto the nearest snap point within ``radius``.

    A body stands off the fixture by ``standoff`` (its bounding radius) along the fixture's
    normal so it does not start inside the wall; an exact point (a camera mount) is taken
    as it is. With the mouse ray given, pointing at a fixture is as good as dragging the body
    next to it (the drag plane may pass the wall at another depth). Returns the original
    position and None when nothing is in reach.
    """
    position = np.asarray(position, dtype=float)
    best, best_id, best_distance = position, None, radius
    for point in points:
        spot = point.position if point.exact else point.position + standoff * point.normal
        distance = float(np.linalg.norm(spot - position))
        if ray is not None:
            distance = min(distance, distance_to_ray(spot, *ray))
        if distance <= best_distance:
            best, best_id, best_distance = spot.astype(float), point.fixture_id, distance
    return best, best_id


def distance_to_ray(point, origin, direction) -> float:
    """Distance from a point to a ray (to its origin when the point is behind it)."""
    offset = np.asarray(point, dtype=float) - np.asarray(origin, dtype=float)
    along = max(float(offset @ np.asarray(direction, dtype=float)), 0.0)
    return float(np.linalg.norm(offset - along * np.asarray(direction, dtype=float)))


def moved_start_pose(
    start_position,
    start_orientation,
    translation=(0.0, 0.0, 0.0),
    rotation=(1.0, 0.0, 0.0, 0.0),
) -> tuple[tuple[float, float, float], tuple[float, float, float, float]]:
    """The start pose after a drag: translated, and turned about its own origin.

    Returns plain tuples, ready for a scene edit.
    """
    position = np.asarray(start_position, dtype=float) + np.asarray(translation, dtype=float)
    orientation = quat.normalize(quat.multiply(rotation, start_orientation))
    if orientation[0] < 0:
        orientation = -orientation
    return tuple(float(v) for v in position), tuple(float(v) for v in orientation)
