"""Lens optics a cinematographer reasons with: field of view, depth of field, shot size.

Pure functions on plain numbers. Quantities are named with their units, the way people say
them: focal lengths and sensor sizes in millimetres, distances in metres, angles in degrees,
apertures as f-numbers. Distances come out in metres.

Conventions (docs/cameras.md explains them for users):

- **Rectilinear, spherical lenses.** Field of view is ``2·atan(size / 2f)``, exact for a
  distortion-free lens focused at infinity. Cine lenses are designed to breathe little, so by
  default the field of view does not change with focus; pass a focus distance to get the
  thin-lens value instead (the image forms at ``v = f·s / (s − f)`` behind the lens, which
  narrows the view at close focus).
- **Thin lens, distances from the lens.** Depth of field uses the exact thin-lens forms with
  the hyperfocal distance ``H = f² / (N·c) + f``:
  near = ``s(H − f) / (H + s − 2f)``, far = ``s(H − f) / (H − s)`` for ``s < H``, else
  infinity. Cine focus marks are measured from the image plane; the difference (about one
  focal length plus the lens's length) is small next to the uncertainty of the CoC rule.
- **f-number, not T-stop.** Depth of field depends on the geometric aperture (f-number N).
  Catalog lenses list their T-stop, which is the f-number corrected for light lost in the
  glass and so slightly larger (T2.0 is typically about f/1.9). An aperture the user gives is
  taken as the f-number.
- **Circle of confusion from the format.** ``c = sensor diagonal / 1500`` unless given:
  full frame 36 × 24 mm (43.3 mm diagonal) gives 0.029 mm; an ALEXA 35 open gate (34.0 mm)
  0.023 mm, near the traditional 35 mm motion-picture value of 0.025 mm (1/1000 inch).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Literal

COC_DIVISOR = 1500.0
"""Sensor diagonal over circle of confusion: the common "d/1500" rule (the 0.029-0.030 mm
full-frame value is 43.3 mm / 1500, the basis of most published depth-of-field tables)."""

NOMINAL_SUBJECT_HEIGHT_M = 1.75
"""Height of the person a shot size is judged against when no actor height is known."""

ShotSize = Literal["ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS"]

# How much of a person the frame height shows, as a multiple of the person's full height,
# for each shot size, tightest first: a frame up to this tall is that shot. Anatomical
# landmarks below the top of the head, as fractions of standing height (Drillis & Contini
# 1966, as tabulated in Winter, "Biomechanics and Motor Control of Human Movement"): chin
# 0.13, shoulders 0.18, chest 0.28, elbow/waist 0.37, hip 0.47, knee 0.72. Each limit is the
# landmark the shot cuts at plus headroom, following the usual definitions:
SHOT_SIZE_LIMITS: tuple[tuple[ShotSize, float], ...] = (
    ("ECU", 0.12),  # extreme close-up: less than the face (chin to crown is 0.13) - eyes, mouth
    ("CU", 0.25),  # close-up: the head, down to the top of the shoulders
    ("MCU", 0.38),  # medium close-up: head to mid-chest
    ("MS", 0.55),  # medium shot: head to the waist
    ("MWS", 0.85),  # medium wide ("cowboy"): head to the knees
    ("WS", 3.0),  # wide: the whole body with room around it, at least a third of the frame
)
WIDEST_SHOT: ShotSize = "EWS"  # extreme wide: the person is small in the frame


@dataclass(frozen=True)
class FieldOfView:
    """Angles of view in degrees: horizontal, vertical and diagonal."""

    h: float
    v: float
    d: float


@dataclass(frozen=True)
class DepthOfField:
    """Limits of acceptable sharpness for one focus setting, in metres from the lens.

    ``far_m`` and ``total_m`` are ``math.inf`` when focus is at or beyond the hyperfocal
    distance (everything from ``near_m`` to infinity is sharp).
    """

    near_m: float
    far_m: float
    total_m: float
    hyperfocal_m: float


def sensor_diagonal_mm(sensor_w_mm: float, sensor_h_mm: float) -> float:
    _positive("sensor width", sensor_w_mm, "mm")
    _positive("sensor height", sensor_h_mm, "mm")
    return math.hypot(sensor_w_mm, sensor_h_mm)


def fov_deg(
    sensor_w_mm: float,
    sensor_h_mm: float,
    focal_mm: float,
    focus_distance_m: float | None = None,
) -> FieldOfView:
    """Horizontal, vertical and diagonal angles of view of a sensor behind a focal length.

    With ``focus_distance_m`` None (the default) the lens is treated as breathing-free, i.e.
    as focused at infinity whatever its focus; otherwise the thin-lens image distance at that
    focus is used.
    """
    diagonal = sensor_diagonal_mm(sensor_w_mm, sensor_h_mm)
    image_distance = _image_distance_mm(focal_mm, focus_distance_m)
    return FieldOfView(
        h=_angle_deg(sensor_w_mm, image_distance),
        v=_angle_deg(sensor_h_mm, image_distance),
        d=_angle_deg(diagonal, image_distance),
    )


def focal_length_for_hfov(sensor_w_mm: float, hfov_deg: float) -> float:
    """The focal length in mm that gives ``hfov_deg`` across a sensor ``sensor_w_mm`` wide
    (focused at infinity): the inverse of :func:`fov_deg`'s horizontal angle."""
    _positive("sensor width", sensor_w_mm, "mm")
    if not (_is_number(hfov_deg) and 0 < hfov_deg < 180):
        raise ValueError(
            f"horizontal field of view must be between 0° and 180° (exclusive), got {hfov_deg!r}"
        )
    return sensor_w_mm / (2.0 * math.tan(math.radians(hfov_deg) / 2.0))


def circle_of_confusion_mm(
    sensor_w_mm: float, sensor_h_mm: float, divisor: float = COC_DIVISOR
) -> float:
    """Largest blur spot still accepted as sharp, in mm: the sensor diagonal / ``divisor``."""
    _positive("circle-of-confusion divisor", divisor, "")
    return sensor_diagonal_mm(sensor_w_mm, sensor_h_mm) / divisor


def hyperfocal_m(focal_mm: float, f_number: float, coc_mm: float) -> float:
    """Hyperfocal distance in metres: ``H = f² / (N·c) + f`` (the exact thin-lens form).

    Focused there, everything from H/2 to infinity is acceptably sharp.
    """
    _positive("focal length", focal_mm, "mm")
    _positive("f-number", f_number, "")
    _positive("circle of confusion", coc_mm, "mm")
    return (focal_mm * focal_mm / (f_number * coc_mm) + focal_mm) / 1000.0


def depth_of_field(
    focal_mm: float, f_number: float, focus_distance_m: float, coc_mm: float
) -> DepthOfField:
    """Near and far limits of sharpness when focused at ``focus_distance_m``.

    ``f_number`` is the geometric f-number (not the T-stop); ``coc_mm`` the circle of
    confusion, usually :func:`circle_of_confusion_mm` of the sensor.
    """
    hyperfocal = hyperfocal_m(focal_mm, f_number, coc_mm) * 1000.0
    s = _focus_distance_mm(focal_mm, focus_distance_m)
    f = focal_mm
    near = s * (hyperfocal - f) / (hyperfocal + s - 2.0 * f)
    far = s * (hyperfocal - f) / (hyperfocal - s) if s < hyperfocal else math.inf
    return DepthOfField(
        near_m=near / 1000.0,
        far_m=far / 1000.0,
        total_m=(far - near) / 1000.0,
        hyperfocal_m=hyperfocal / 1000.0,
    )


def image_height_fraction(
    subject_height_m: float, distance_m: float, focal_mm: float, sensor_h_mm: float
) -> float:
    """How many frame heights a subject ``subject_height_m`` tall fills at ``distance_m``.

    The image of the subject is ``subject height · f / distance`` tall on the sensor (the
    far-field form of the magnification ``f / (distance − f)``; the two differ by f/distance,
    under 2 % for a 50 mm lens beyond 2.5 m). 1.0 means head to toe exactly fills the frame
    height; above 1 the frame shows only part of the subject.
    """
    _positive("subject height", subject_height_m, "m")
    _positive("subject distance", distance_m, "m")
    _positive("focal length", focal_mm, "mm")
    _positive("sensor height", sensor_h_mm, "mm")
    return subject_height_m * focal_mm / distance_m / sensor_h_mm


def shot_size(fraction: float) -> ShotSize:
    """The shot size of a person filling ``fraction`` of the frame height (see
    :func:`image_height_fraction`), from :data:`SHOT_SIZE_LIMITS`.

    Assumes the frame is composed on the person's head and upper body and the person is
    upright in the frame (in zero g, "upright" relative to the camera's roll, not to a floor).
    """
    if not _is_number(fraction) or math.isnan(fraction) or fraction < 0:
        raise ValueError(
            f"the subject's share of the frame height must be 0 or more, got {fraction!r}"
        )
    # The frame shows 1 / fraction of the person's height; compare without dividing by zero.
    for size, limit in SHOT_SIZE_LIMITS:
        if fraction * limit >= 1.0:
            return size
    return WIDEST_SHOT


def _angle_deg(size_mm: float, image_distance_mm: float) -> float:
    return math.degrees(2.0 * math.atan(size_mm / (2.0 * image_distance_mm)))


def _image_distance_mm(focal_mm: float, focus_distance_m: float | None) -> float:
    _positive("focal length", focal_mm, "mm")
    if focus_distance_m is None:
        return float(focal_mm)
    s = _focus_distance_mm(focal_mm, focus_distance_m)
    return focal_mm * s / (s - focal_mm)


def _focus_distance_mm(focal_mm: float, focus_distance_m: float) -> float:
    _positive("focus distance", focus_distance_m, "m")
    s = focus_distance_m * 1000.0
    if s <= focal_mm:
        raise ValueError(
            f"focus distance must be longer than the focal length ({focal_mm:g} mm), "
            f"got {focus_distance_m!r} m"
        )
    return s


def _is_number(value: object) -> bool:
    # numbers.Real admits NumPy scalars; bool is a Real too but never a measurement.
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _positive(quantity: str, value: float, unit: str) -> None:
    suffix = f" {unit}" if unit else ""
    if not _is_number(value) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{quantity} must be a number greater than 0{suffix}, got {value!r}")
