"""How people type times and orientations, and what the scene stores.

- Times: shown as SMPTE timecode ``HH:MM:SS:FF`` when they fall on a frame, as seconds
  otherwise; typed either way (``00:00:01:12``, ``1.5``, ``1.5 s``).
- Orientations: shown and typed as yaw, pitch, roll in degrees, stored as unit quaternions
  ``(w, x, y, z)``. Yaw turns about the module's +Z (+X toward +Y), pitch then raises the
  body's forward (+X) axis toward +Z, roll then turns about that forward axis (right-handed):
  a camera's pan, tilt up and roll.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.timebase import FrameRate

_TIMECODE = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2})[:;](\d+)$")
_SECONDS = re.compile(r"^([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*s?$")


def time_text(seconds: float, rate: FrameRate) -> str:
    """Timecode when ``seconds`` is a frame's time, else seconds ("0.1 s")."""
    frame = rate.frame_at(seconds)
    if abs(rate.frame_time(frame) - seconds) < 1e-9 and seconds >= 0:
        return rate.timecode(frame)
    return f"{seconds:.6g} s"


def parse_time(text: str, rate: FrameRate) -> float:
    """Seconds from typed timecode or seconds; ValueError with the reason otherwise."""
    text = text.strip()
    match = _TIMECODE.match(text)
    if match:
        hh, mm, ss, ff = (int(g) for g in match.groups())
        if mm >= 60 or ss >= 60:
            raise ValueError(f"'{text}': minutes and seconds go up to 59")
        if ff >= rate.nominal:
            raise ValueError(f"'{text}': frames go up to {rate.nominal - 1} at {rate}")
        frame = (hh * 3600 + mm * 60 + ss) * rate.nominal + ff
        return float(Fraction(frame) / rate.fps)
    match = _SECONDS.match(text)
    if match:
        value = float(match.group(1))
        if not math.isfinite(value):
            raise ValueError(f"'{text}' is not a time")
        return value
    raise ValueError(f"'{text}' is not a time: type timecode HH:MM:SS:FF or seconds")


def quaternion_from_ypr(yaw_deg: float, pitch_deg: float, roll_deg: float) -> list[float]:
    """Unit quaternion (w, x, y, z) of yaw about Z, then pitch up, then roll about forward."""
    yaw, pitch, roll = (math.radians(a) for a in (yaw_deg, pitch_deg, roll_deg))
    q = quat.multiply(
        quat.multiply(
            quat.from_axis_angle([0, 0, 1], yaw), quat.from_axis_angle([0, 1, 0], -pitch)
        ),
        quat.from_axis_angle([1, 0, 0], roll),
    )
    if q[0] < 0:
        q = -q
    return [round(float(c), 9) for c in q]


def ypr_from_quaternion(q) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees of a unit quaternion (w, x, y, z)."""
    m = quat.to_matrix(np.asarray(q, dtype=float))
    pitch = math.asin(max(-1.0, min(1.0, float(m[2, 0]))))
    if abs(m[2, 0]) < 1 - 1e-9:
        yaw = math.atan2(m[1, 0], m[0, 0])
        roll = math.atan2(m[2, 1], m[2, 2])
    else:  # looking straight up or down: yaw and roll turn about the same axis
        yaw = math.atan2(-m[0, 1], m[1, 1])
        roll = 0.0
    return tuple(round(math.degrees(a), 6) + 0.0 for a in (yaw, pitch, roll))
