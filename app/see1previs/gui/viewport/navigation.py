"""Moving the viewer's eye: orbit, pan, dolly, fly-through, framing and the preset views.

The eye is pyqtgraph's orbit camera: a centre point, a distance, an azimuth (from +X toward
+Y) and an elevation, with +Z (the studio's reference up) kept upright on screen. Flying
moves the centre and the eye together; looking around keeps the eye still and swings the
centre round it. Preset views (all in the module frame, +X to the main hatch):

- ``hatch`` — what the crew sees floating in through the main hatch: inside, at +X, looking
  toward −X;
- ``front`` — from outside at −Y, +X to the right and +Z up, the near half cut away;
- ``top`` — from outside above (+Z), +X to the right;
- ``perspective`` — the overview from outside, above and to the side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pyqtgraph import Vector


@dataclass(frozen=True)
class ViewPreset:
    centre: tuple[float, float, float]
    distance: float | None  # None: as close as fits the whole cabin in the picture
    azimuth: float  # deg
    elevation: float  # deg
    fov: float  # deg, horizontal


PRESETS = {
    "hatch": ViewPreset((0.0, 0.0, 0.0), 2.55, 0.0, 6.0, 80.0),
    "front": ViewPreset((0.5, 0.0, 0.0), None, -90.0, 0.0, 50.0),
    "top": ViewPreset((0.5, 0.0, 0.0), None, -90.0, 90.0, 50.0),
    "perspective": ViewPreset((0.4, 0.0, 0.0), None, -55.0, 28.0, 50.0),
}
CABIN_RADIUS_M = 3.6  # a sphere round the SEE-1 cabin and its hatch tunnel, about (0.5, 0, 0)
FLY_STEP_M = 0.08  # per key press (auto-repeat makes it continuous); Shift ×4
LOOK_DISTANCE_M = 1.0  # flying keeps the orbit centre this far ahead of the eye
MIN_DISTANCE_M = 0.25  # zooming closer than this walks the centre forward instead
FRAME_MARGIN = 1.8  # a framed selection fills a little over half the picture
MIN_FRAME_DISTANCE_M = 0.5


def apply_preset(view, name: str) -> None:
    try:
        preset = PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown view '{name}'; the preset views are {', '.join(PRESETS)}"
        ) from None
    view.opts["fov"] = preset.fov
    distance = preset.distance or fit_distance(view, CABIN_RADIUS_M)
    view.setCameraPosition(
        pos=Vector(*preset.centre),
        distance=distance,
        azimuth=preset.azimuth,
        elevation=preset.elevation,
    )


def eye_position(view) -> np.ndarray:
    p = view.cameraPosition()
    return np.array([p.x(), p.y(), p.z()])


def view_direction(view) -> np.ndarray:
    """Unit vector the eye looks along."""
    c = view.opts["center"]
    d = np.array([c.x(), c.y(), c.z()]) - eye_position(view)
    return d / np.linalg.norm(d)


def view_matrix(view) -> np.ndarray:
    """pyqtgraph's orbit view matrix (eye at distance, elevation, azimuth round the centre).

    Built in NumPy, so picking, dragging and drawing share one definition that tests can
    compare with pyqtgraph's own.
    """
    c = view.opts["center"]
    el = math.radians(view.opts["elevation"] - 90.0)
    az = math.radians(view.opts["azimuth"] + 90.0)
    tilt = np.array(
        [
            [1.0, 0.0, 0.0, 0.0],
            [0.0, math.cos(el), -math.sin(el), 0.0],
            [0.0, math.sin(el), math.cos(el), 0.0],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )
    spin = np.array(  # rotation by azimuth about -Z
        [
            [math.cos(az), math.sin(az), 0.0, 0.0],
            [-math.sin(az), math.cos(az), 0.0, 0.0],
            [0.0, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )
    back = np.eye(4)
    back[2, 3] = -view.opts["distance"]
    to_centre = np.eye(4)
    to_centre[:3, 3] = (-c.x(), -c.y(), -c.z())
    return back @ tilt @ spin @ to_centre


def projection_matrix(view, region, viewport) -> np.ndarray:
    """pyqtgraph's perspective frustum for a region of the viewport, in NumPy."""
    x0, y0, w, h = viewport
    distance = view.opts["distance"]
    near, far = distance * 0.001, distance * 1000.0
    r = near * math.tan(0.5 * math.radians(view.opts["fov"]))
    t = r * h / w
    left = r * ((region[0] - x0) * (2.0 / w) - 1)
    right = r * ((region[0] + region[2] - x0) * (2.0 / w) - 1)
    bottom = t * ((region[1] - y0) * (2.0 / h) - 1)
    top = t * ((region[1] + region[3] - y0) * (2.0 / h) - 1)
    return np.array(
        [
            [2 * near / (right - left), 0.0, (right + left) / (right - left), 0.0],
            [0.0, 2 * near / (top - bottom), (top + bottom) / (top - bottom), 0.0],
            [0.0, 0.0, -(far + near) / (far - near), -2 * far * near / (far - near)],
            [0.0, 0.0, -1.0, 0.0],
        ]
    )


def screen_axes(view) -> tuple[np.ndarray, np.ndarray]:
    """(right, up) unit vectors of the screen in the module frame."""
    m = view_matrix(view)
    return m[0, :3].copy(), m[1, :3].copy()


def matrix(qmatrix) -> np.ndarray:
    """A QMatrix4x4 as a NumPy 4x4 (row-major, column vectors as OpenGL uses them)."""
    return np.array(qmatrix.copyDataTo(), dtype=float).reshape(4, 4)


def orbit(view, dx_px: float, dy_px: float) -> None:
    """Turn round the centre: sideways drags swing the azimuth, vertical the elevation."""
    view.opts["azimuth"] -= 0.3 * dx_px
    view.opts["elevation"] = float(np.clip(view.opts["elevation"] + 0.3 * dy_px, -90, 90))
    view.update()


def look_around(view, dx_px: float, dy_px: float) -> None:
    """Turn the eye where it is (fly-through mouse look)."""
    eye = eye_position(view)
    view.opts["azimuth"] -= 0.25 * dx_px
    view.opts["elevation"] = float(np.clip(view.opts["elevation"] + 0.25 * dy_px, -89, 89))
    _place_centre_ahead(view, eye, view.opts["distance"])


def pan(view, dx_px: float, dy_px: float) -> None:
    """Slide the eye and centre in the screen plane, following the mouse at the centre."""
    right, up = screen_axes(view)
    metres_per_px = (
        2.0 * view.opts["distance"] * math.tan(math.radians(view.opts["fov"]) / 2.0)
    ) / max(view.width(), 1)
    shift = (-dx_px * right + dy_px * up) * metres_per_px
    _move_centre(view, shift)


def dolly(view, wheel_steps: float) -> None:
    """Zoom by moving the eye toward the centre; close in, walk forward instead."""
    factor = 0.85**wheel_steps
    distance = view.opts["distance"] * factor
    if distance < MIN_DISTANCE_M:
        step = view.opts["distance"] * (1.0 - factor) if wheel_steps > 0 else 0.0
        _move_centre(view, view_direction(view) * max(step, 0.05))
        return
    view.opts["distance"] = distance
    view.update()


def fly(view, forward: float, right: float, up: float, fast: bool = False) -> None:
    """Move the eye through the cabin (W/S forward, A/D sideways, Q/E down/up)."""
    if abs(view.opts["distance"] - LOOK_DISTANCE_M) > 1e-6:
        eye = eye_position(view)
        _place_centre_ahead(view, eye, LOOK_DISTANCE_M)
    step = FLY_STEP_M * (4.0 if fast else 1.0)
    ahead = view_direction(view)
    side, lift = screen_axes(view)
    _move_centre(view, step * (forward * ahead + right * side + up * lift))


def fit_distance(view, radius: float) -> float:
    """How far from its centre a sphere of ``radius`` just fits in the picture."""
    half_h = math.radians(view.opts["fov"]) / 2.0  # pyqtgraph's field of view is horizontal
    aspect = max(view.height(), 1) / max(view.width(), 1)
    half_v = math.atan(math.tan(half_h) * aspect)
    return radius / math.sin(min(half_h, half_v))


def frame(view, centre: np.ndarray, radius: float, margin: float = FRAME_MARGIN) -> None:
    """Keep the view direction, and fit a sphere round what is selected in the picture."""
    distance = max(fit_distance(view, radius) * margin, MIN_FRAME_DISTANCE_M)
    view.setCameraPosition(pos=Vector(*centre), distance=distance)


def look_from(view, eye, forward, fov: float | None = None) -> None:
    """Put the eye at a point looking along a direction (+Z stays up on screen).

    For views attached to something that moves: an actor's eyes, a follow-cam.
    """
    forward = np.asarray(forward, dtype=float)
    forward = forward / np.linalg.norm(forward)
    back = -forward
    view.opts["azimuth"] = math.degrees(math.atan2(back[1], back[0]))
    view.opts["elevation"] = math.degrees(math.asin(float(np.clip(back[2], -1.0, 1.0))))
    if fov is not None:
        view.opts["fov"] = float(fov)
    _place_centre_ahead(view, np.asarray(eye, dtype=float), LOOK_DISTANCE_M)


def _place_centre_ahead(view, eye: np.ndarray, distance: float) -> None:
    az, el = math.radians(view.opts["azimuth"]), math.radians(view.opts["elevation"])
    back = np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])
    centre = eye - distance * back
    view.opts["distance"] = distance
    view.opts["center"] = Vector(*centre)
    view.update()


def _move_centre(view, shift: np.ndarray) -> None:
    c = view.opts["center"]
    view.opts["center"] = Vector(c.x() + shift[0], c.y() + shift[1], c.z() + shift[2])
    view.update()
