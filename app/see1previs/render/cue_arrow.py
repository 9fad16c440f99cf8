"""The direction arrow of a push-off, a throw or an impulse: geometry and what a drag means.

The arrow starts at the body (an actor's centre, the thrown prop) at the cue's time and
points where the cue sends it; its length is the speed times :data:`METRES_PER_M_S`, so
dragging the tip sets direction and speed together. When the dragged direction comes within
:data:`SNAP_DEG` of the direction to a target (another actor, a prop, a fixture), it snaps
to "toward <target>" — stored as ``toward``, so the aim follows the target if the blocking
changes. Qt-free; :mod:`see1previs.gui.viewport.cue_gizmo` draws and drives it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

METRES_PER_M_S = 2.0  # arrow length per m/s of speed
SNAP_DEG = 6.0  # a drag this close to a target's direction aims at the target
MIN_SPEED = 0.05  # m/s: shorter drags are clamped to this


@dataclass(frozen=True)
class Aim:
    """Where a cue sends its body: a target id (or None) and/or a unit direction, a speed."""

    direction: np.ndarray  # (3,) unit, module frame
    speed: float  # m/s
    toward: str | None = None


def tip(origin, aim: Aim) -> np.ndarray:
    """Where the arrow's tip is drawn."""
    return np.asarray(origin, dtype=float) + aim.direction * aim.speed * METRES_PER_M_S


def dragged(origin, tip_point, targets: dict[str, np.ndarray], max_speed: float) -> Aim:
    """The aim a tip dragged to ``tip_point`` gives: direction and speed from the arrow,
    snapped to the target whose direction is nearest (within :data:`SNAP_DEG`)."""
    origin = np.asarray(origin, dtype=float)
    arrow = np.asarray(tip_point, dtype=float) - origin
    length = float(np.linalg.norm(arrow))
    if length < 1e-9:
        arrow, length = np.array([1.0, 0.0, 0.0]), 1.0
    direction = arrow / length
    speed = float(np.clip(length / METRES_PER_M_S, MIN_SPEED, max_speed))
    best, best_angle = None, math.radians(SNAP_DEG)
    for target_id, where in targets.items():
        to = np.asarray(where, dtype=float) - origin
        n = float(np.linalg.norm(to))
        if n < 1e-9:
            continue
        angle = math.acos(float(np.clip(np.dot(to / n, direction), -1.0, 1.0)))
        if angle <= best_angle:
            best, best_angle = target_id, angle
    if best is not None:
        to = np.asarray(targets[best], dtype=float) - origin
        return Aim(to / np.linalg.norm(to), speed, best)
    return Aim(direction, speed, None)


def label(aim: Aim, names: dict[str, str] | None = None) -> str:
    """The words on the arrow: "0.25 m/s toward Mika (host)" or "0.25 m/s"."""
    text = f"{aim.speed:.2f} m/s"
    if aim.toward is not None:
        text += f" toward {(names or {}).get(aim.toward, aim.toward)}"
    return text


def arrow_lines(origin, tip_point, head: float = 0.12) -> np.ndarray:
    """Line segments (pairs of points) of an arrow: the shaft and four head strokes."""
    origin = np.asarray(origin, dtype=float)
    tip_point = np.asarray(tip_point, dtype=float)
    d = tip_point - origin
    n = float(np.linalg.norm(d))
    if n < 1e-9:
        return np.array([origin, tip_point])
    d = d / n
    side = np.cross(d, [0.0, 0.0, 1.0])
    if np.linalg.norm(side) < 1e-6:
        side = np.cross(d, [1.0, 0.0, 0.0])
    side = side / np.linalg.norm(side)
    up = np.cross(side, d)
    size = min(head, 0.4 * n)
    back = tip_point - size * d
    points = [origin, tip_point]
    for offset in (side, -side, up, -up):
        points += [tip_point, back + 0.45 * size * offset]
    return np.array(points)
