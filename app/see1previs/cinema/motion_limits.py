"""Motion-control sanity: how fast a shot's camera moves, and whether a real rig could follow.

A camera move planned in zero g is often repeated on the ground by a motion-control rig (a
plate or element pass, a VFX reshoot). :func:`motion_figures` measures a camera track's
peak lens speed, acceleration and jerk and its peak angular speed and acceleration;
:func:`check_limits` compares them with a rig's :class:`RigLimits`; :func:`ramped_move`
adds pre-roll and post-roll frames in which the rig eases from rest into the shot and back
to rest after it.

Derivatives. The track is sampled once per frame. Each derivative is a Savitzky–Golay
estimate: a degree-5 polynomial least-squares fit over a window of about 0.3 s (at least 7
frames, always an odd count) around each frame, differentiated analytically. The fit is
exact for motion that is a polynomial of degree ≤ 5 over the window and, for smooth motion,
converges with the window's length to the fifth power; it also keeps a frame-to-frame
jitter from showing as an enormous jerk. Angular rates come the same way from the rotation
vectors between neighbouring frames.

Rig limits are documented assumptions, not a manufacturer's data sheet (see
:data:`MILO_CLASS`): confirm the figures for the actual rig and payload before a shoot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.signal import savgol_filter

from see1previs.core import quaternion as quat

WINDOW_S = 0.3  # seconds of track each derivative is fitted over
POLY_ORDER = 5
MIN_WINDOW = 7  # frames; a degree-5 fit needs more than 6 points to smooth anything


@dataclass(frozen=True)
class RigLimits:
    """What a motion-control rig can do at the lens (SI units, angles in degrees)."""

    name: str
    speed_m_s: float
    acceleration_m_s2: float
    jerk_m_s3: float
    angular_speed_deg_s: float
    angular_acceleration_deg_s2: float
    note: str = ""


MILO_CLASS = RigLimits(
    name="Milo/Technodolly class motion-control arm",
    speed_m_s=2.0,
    acceleration_m_s2=2.0,
    jerk_m_s3=10.0,
    angular_speed_deg_s=120.0,
    angular_acceleration_deg_s2=360.0,
    note=(
        "assumed limits for a track-mounted motion-control crane arm carrying a cinema "
        "camera: lens speed about 2 m/s (published track speeds of this class are of the "
        "order of 2-3 m/s, arm tip speeds similar; high-speed robot arms of the Bolt class "
        "reach about 4 m/s), acceleration 2 m/s², jerk 10 m/s³ (beyond it a long arm "
        "vibrates visibly), head pan/tilt rate 120°/s and angular acceleration 360°/s²"
    ),
)
"""Planning limits for a Milo / Technodolly class rig: documented assumptions, see the note."""


@dataclass(frozen=True)
class MotionFigures:
    """Peak rates of a camera move and when they happen (seconds, scene time)."""

    speed_m_s: float
    speed_at_s: float
    acceleration_m_s2: float
    acceleration_at_s: float
    jerk_m_s3: float
    jerk_at_s: float
    angular_speed_deg_s: float
    angular_speed_at_s: float
    angular_acceleration_deg_s2: float
    angular_acceleration_at_s: float


@dataclass
class Move:
    """A camera move sampled per frame: a shot, perhaps with eased pre- and post-roll."""

    frames: np.ndarray  # (F,) scene frame numbers; pre-roll frames precede the in point
    positions: np.ndarray  # (F, 3) m, module frame
    orientations: np.ndarray  # (F, 4) wxyz
    focal_mm: np.ndarray  # (F,)
    focus_m: np.ndarray  # (F,)
    phases: list[str]  # "pre-roll", "shot" or "post-roll" per frame


def window_frames(fps: float, count: int | None = None) -> int:
    """The odd number of frames each derivative is fitted over (about :data:`WINDOW_S`)."""
    window = max(MIN_WINDOW, round(WINDOW_S * fps))
    window += 1 - window % 2
    if count is not None:
        window = min(window, count if count % 2 else count - 1)
    return window


def derivatives(values: np.ndarray, fps: float, order: int) -> np.ndarray:
    """The ``order``-th time derivative of per-frame ``values`` (F, ...) along frames."""
    values = np.asarray(values, dtype=float)
    count = len(values)
    window = window_frames(fps, count)
    if window <= POLY_ORDER:  # too few frames for the fit: plain finite differences
        out = values
        for _ in range(order):
            out = np.gradient(out, 1.0 / fps, axis=0) if len(out) > 1 else np.zeros_like(out)
        return out
    return savgol_filter(
        values, window, POLY_ORDER, deriv=order, delta=1.0 / fps, axis=0, mode="interp"
    )


def angular_velocity(orientations: np.ndarray, fps: float) -> np.ndarray:
    """(F, 3) angular velocity in rad/s (module frame), smoothed like the other rates."""
    q = quat.normalize(np.asarray(orientations, dtype=float))
    count = len(q)
    if count < 2:
        return np.zeros((count, 3))
    steps = np.array(
        [_rotation_vector(quat.multiply(q[k + 1], quat.conjugate(q[k]))) for k in range(count - 1)]
    )  # world-frame rotation from k to k+1
    # Angle turned since the first frame, as a sum of small steps: its derivative is ω.
    turned = np.vstack([np.zeros(3), np.cumsum(steps, axis=0)])
    return derivatives(turned, fps, 1)


def motion_figures(
    positions: np.ndarray, orientations: np.ndarray, fps: float, start_s: float = 0.0
) -> MotionFigures:
    """Peak speed, acceleration and jerk of the lens and peak angular rates of the camera.

    The first sample is at ``start_s`` seconds; each peak's time counts from there.
    """
    positions = np.asarray(positions, dtype=float)
    speed = np.linalg.norm(derivatives(positions, fps, 1), axis=-1)
    accel = np.linalg.norm(derivatives(positions, fps, 2), axis=-1)
    jerk = np.linalg.norm(derivatives(positions, fps, 3), axis=-1)
    omega = angular_velocity(orientations, fps)
    angular_speed = np.degrees(np.linalg.norm(omega, axis=-1))
    angular_accel = np.degrees(np.linalg.norm(derivatives(omega, fps, 1), axis=-1))

    def peak(values: np.ndarray) -> tuple[float, float]:
        if len(values) == 0:
            return 0.0, 0.0
        k = int(np.argmax(values))
        return float(values[k]), start_s + k / fps

    return MotionFigures(
        *peak(speed), *peak(accel), *peak(jerk), *peak(angular_speed), *peak(angular_accel)
    )


def check_limits(figures: MotionFigures, limits: RigLimits = MILO_CLASS) -> list[str]:
    """One sentence per rate the rig cannot follow; empty when the move is within limits."""
    checks = [
        ("lens speed", figures.speed_m_s, figures.speed_at_s, limits.speed_m_s, "m/s"),
        (
            "acceleration",
            figures.acceleration_m_s2,
            figures.acceleration_at_s,
            limits.acceleration_m_s2,
            "m/s²",
        ),
        ("jerk", figures.jerk_m_s3, figures.jerk_at_s, limits.jerk_m_s3, "m/s³"),
        (
            "angular speed",
            figures.angular_speed_deg_s,
            figures.angular_speed_at_s,
            limits.angular_speed_deg_s,
            "°/s",
        ),
        (
            "angular acceleration",
            figures.angular_acceleration_deg_s2,
            figures.angular_acceleration_at_s,
            limits.angular_acceleration_deg_s2,
            "°/s²",
        ),
    ]
    return [
        f"{what} {value:.3g} {unit} at {at:.2f} s exceeds the {limit:g} {unit} a "
        f"{limits.name} can follow"
        for what, value, at, limit, unit in checks
        if value > limit
    ]


def ramped_move(
    positions: np.ndarray,
    orientations: np.ndarray,
    focal_mm: np.ndarray,
    focus_m: np.ndarray,
    first: int,
    last: int,
    fps: float,
    ramp_frames: int = 0,
) -> Move:
    """Frames ``first``..``last`` of a whole-scene track, with ``ramp_frames`` of pre-roll
    easing from rest into the in point and as many of post-roll easing back to rest.

    Each ramp is a quintic in time whose position, velocity and acceleration equal the
    shot's at the join (rates estimated as :func:`derivatives` does, over the shot's own
    frames: the rig runs only the move, so what the camera does outside the shot does not
    count) and whose velocity and acceleration are zero at the far end: the rig starts and ends at
    rest, and velocity and acceleration are continuous through the joins. Orientation ramps
    the rotation vector from the in (out) orientation the same way, and the lens's focal
    length and focus ease the same way too.
    """
    if ramp_frames < 0:
        raise ValueError(f"ramp frames must be 0 or more, got {ramp_frames}")
    shot = np.arange(first, last + 1)
    parts = {
        "positions": [np.asarray(positions, dtype=float)[shot]],
        "orientations": [quat.normalize(np.asarray(orientations, dtype=float)[shot])],
        "focal_mm": [np.asarray(focal_mm, dtype=float)[shot]],
        "focus_m": [np.asarray(focus_m, dtype=float)[shot]],
    }
    frames = [shot]
    phases = ["shot"] * len(shot)
    if ramp_frames:
        span = ramp_frames / fps
        before = -np.arange(ramp_frames, 0, -1) / fps  # seconds relative to the in point
        after = np.arange(1, ramp_frames + 1) / fps  # relative to the out point
        own = [
            np.asarray(a)[first : last + 1] for a in (positions, orientations, focal_mm, focus_m)
        ]
        pre = _ramps(*own, 0, fps, before, -span)
        post = _ramps(*own, len(shot) - 1, fps, after, span)
        for key in parts:
            parts[key] = [pre[key], *parts[key], post[key]]
        frames = [
            np.arange(first - ramp_frames, first),
            shot,
            np.arange(last + 1, last + ramp_frames + 1),
        ]
        phases = ["pre-roll"] * ramp_frames + phases + ["post-roll"] * ramp_frames
    return Move(
        frames=np.concatenate(frames),
        positions=np.concatenate(parts["positions"]),
        orientations=np.concatenate(parts["orientations"]),
        focal_mm=np.concatenate(parts["focal_mm"]),
        focus_m=np.concatenate(parts["focus_m"]),
        phases=phases,
    )


def ease_from_rest(
    value: np.ndarray,
    velocity: np.ndarray,
    acceleration: np.ndarray,
    span: float,
    times: np.ndarray,
) -> np.ndarray:
    """A quintic ramp through (value, velocity, acceleration) at t = 0 that is at rest
    (velocity and acceleration zero) at t = ``span`` (negative for a pre-roll).

    The resting end is where a cubic velocity ease would put it:
    ``value + velocity·span/2 + acceleration·span²/12``, for which the quintic's velocity is
    the cubic Hermite ease from the shot's velocity and acceleration to rest.
    Returns (len(times), ...) values at ``times`` seconds from the join.
    """
    value, velocity, acceleration = (
        np.asarray(a, dtype=float) for a in (value, velocity, acceleration)
    )
    rest = value + velocity * span / 2.0 + acceleration * span**2 / 12.0
    u = np.asarray(times, dtype=float) / span  # 0 at the join, 1 at rest
    u = u.reshape(-1, *([1] * value.ndim))
    # Quintic Hermite basis on [0, 1]: values, first and second derivatives at both ends.
    h0 = 1 - 10 * u**3 + 15 * u**4 - 6 * u**5
    h1 = u - 6 * u**3 + 8 * u**4 - 3 * u**5
    h2 = 0.5 * u**2 - 1.5 * u**3 + 1.5 * u**4 - 0.5 * u**5
    h5 = 10 * u**3 - 15 * u**4 + 6 * u**5
    return h0 * value + h1 * span * velocity + h2 * span**2 * acceleration + h5 * rest


def _ramps(
    positions: np.ndarray,
    orientations: np.ndarray,
    focal_mm: np.ndarray,
    focus_m: np.ndarray,
    join: int,
    fps: float,
    times: np.ndarray,
    span: float,
) -> dict[str, np.ndarray]:
    """Pre- or post-roll samples at ``times`` seconds from frame ``join``."""

    def rates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        values = np.asarray(values, dtype=float)
        return values[join], derivatives(values, fps, 1)[join], derivatives(values, fps, 2)[join]

    q = quat.normalize(np.asarray(orientations, dtype=float))
    q_join = q[join]
    # Rotation vectors of every frame relative to the join (module frame, left-multiplied):
    # zero at the join, so their derivatives there are the angular velocity and acceleration.
    relative = np.array(
        [
            _rotation_vector(quat.multiply(qk, quat.conjugate(q_join)))
            for qk in _same_hemisphere(q, q_join)
        ]
    )
    angles = ease_from_rest(*rates(relative), span, times)
    turned = np.array([quat.multiply(_from_rotation_vector(a), q_join) for a in angles])
    return {
        "positions": ease_from_rest(*rates(positions), span, times),
        "orientations": quat.normalize(turned),
        "focal_mm": ease_from_rest(*rates(focal_mm), span, times),
        "focus_m": ease_from_rest(*rates(focus_m), span, times),
    }


def _same_hemisphere(q: np.ndarray, reference: np.ndarray) -> np.ndarray:
    signs = np.where(q @ reference < 0.0, -1.0, 1.0)
    return q * signs[:, None]


def _rotation_vector(q: np.ndarray) -> np.ndarray:
    """Axis · angle (rad) of a unit quaternion, the shorter way round."""
    q = np.asarray(q, dtype=float)
    if q[0] < 0.0:
        q = -q
    s = float(np.linalg.norm(q[1:]))
    if s < 1e-12:
        return 2.0 * q[1:]
    return q[1:] / s * 2.0 * math.atan2(s, float(q[0]))


def _from_rotation_vector(v: np.ndarray) -> np.ndarray:
    angle = float(np.linalg.norm(v))
    if angle < 1e-12:
        return quat.normalize(np.array([1.0, *(0.5 * np.asarray(v))]))
    return quat.from_axis_angle(np.asarray(v) / angle, angle)
