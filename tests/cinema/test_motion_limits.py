"""Motion-control figures against closed-form motion, and eased pre- and post-roll."""

from __future__ import annotations

import math

import numpy as np
import pytest

from see1previs.cinema.motion_limits import (
    MILO_CLASS,
    RigLimits,
    check_limits,
    ease_from_rest,
    motion_figures,
    ramped_move,
)
from see1previs.core import quaternion as quat

FPS = 24.0


def times(duration: float, fps: float = FPS) -> np.ndarray:
    return np.arange(round(duration * fps) + 1) / fps


def still(count: int) -> np.ndarray:
    return np.tile([1.0, 0.0, 0.0, 0.0], (count, 1))


def test_sine_dolly_has_the_closed_form_peaks():
    # x = A sin(ωt): peak speed Aω, acceleration Aω², jerk Aω³.
    a, w = 0.5, 2.0
    t = times(10.0)
    positions = np.column_stack([a * np.sin(w * t), np.zeros_like(t), np.zeros_like(t)])
    figures = motion_figures(positions, still(len(t)), FPS)
    assert figures.speed_m_s == pytest.approx(a * w, rel=1e-4)
    assert figures.acceleration_m_s2 == pytest.approx(a * w**2, rel=1e-3)
    assert figures.jerk_m_s3 == pytest.approx(a * w**3, rel=1e-2)
    assert figures.angular_speed_deg_s == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("fps", [24.0, 25.0, 60.0])
def test_circle_has_constant_speed_acceleration_and_jerk(fps):
    # Uniform circular motion: |v| = Rω, |a| = Rω², |j| = Rω³ at every instant.
    r, w = 1.2, 1.5
    t = times(6.0, fps)
    positions = np.column_stack([r * np.cos(w * t), r * np.sin(w * t), 0.3 * np.ones_like(t)])
    figures = motion_figures(positions, still(len(t)), fps)
    assert figures.speed_m_s == pytest.approx(r * w, rel=1e-4)
    assert figures.acceleration_m_s2 == pytest.approx(r * w**2, rel=1e-3)
    assert figures.jerk_m_s3 == pytest.approx(r * w**3, rel=1e-2)


def test_angular_rates_of_a_pan_speeding_up():
    # Pan angle θ = ½ α t² about the studio up: ω = α t, angular acceleration α.
    alpha = math.radians(30.0)  # 30°/s²
    t = times(4.0)
    orientations = np.array([quat.from_axis_angle([0.0, 0.0, 1.0], 0.5 * alpha * s**2) for s in t])
    figures = motion_figures(np.zeros((len(t), 3)), orientations, FPS)
    assert figures.angular_speed_deg_s == pytest.approx(30.0 * 4.0, rel=1e-4)
    assert figures.angular_speed_at_s == pytest.approx(4.0)
    assert figures.angular_acceleration_deg_s2 == pytest.approx(30.0, rel=1e-3)
    assert figures.speed_m_s == pytest.approx(0.0, abs=1e-12)


def test_limits_name_each_rate_a_rig_cannot_follow():
    a, w = 1.0, 3.0  # 3 m/s, 9 m/s², 27 m/s³: over every limit of the Milo class
    t = times(5.0)
    positions = np.column_stack([a * np.sin(w * t), np.zeros_like(t), np.zeros_like(t)])
    warnings = check_limits(motion_figures(positions, still(len(t)), FPS), MILO_CLASS)
    assert [w.split(" ")[0] for w in warnings] == ["lens", "acceleration", "jerk"]
    assert "exceeds the 2 m/s" in warnings[0]
    slow = np.column_stack([0.1 * np.sin(0.5 * t), np.zeros_like(t), np.zeros_like(t)])
    assert check_limits(motion_figures(slow, still(len(t)), FPS)) == []
    tight = RigLimits("test rig", 0.01, 1.0, 1.0, 1.0, 1.0)
    assert len(check_limits(motion_figures(slow, still(len(t)), FPS), tight)) == 1


def test_ease_is_at_rest_at_its_far_end_and_matches_the_shot_at_the_join():
    value, velocity, accel = np.array([1.0, -2.0]), np.array([0.8, 0.3]), np.array([-0.5, 2.0])
    span = -1.5  # a pre-roll of 1.5 s
    h = 1e-5

    def f(s: float) -> np.ndarray:
        return ease_from_rest(value, velocity, accel, span, np.array([s]))[0]

    assert np.allclose(f(0.0), value)
    assert np.allclose((f(h) - f(-h)) / (2 * h), velocity, atol=1e-6)
    assert np.allclose((f(h) - 2 * f(0.0) + f(-h)) / h**2, accel, atol=1e-3)
    assert np.allclose((f(span + h) - f(span - h)) / (2 * h), 0.0, atol=1e-6)
    assert np.allclose((f(span + h) - 2 * f(span) + f(span - h)) / h**2, 0.0, atol=1e-3)


def test_ramped_move_starts_and_ends_at_rest_and_joins_smoothly():
    # A dolly moving and panning through the shot; 24 frames of ramp each side.
    t = times(10.0)
    positions = np.column_stack([0.3 * t + 0.02 * t**2, np.sin(0.4 * t), 0.1 * t])
    orientations = np.array(
        [quat.from_axis_angle([0.0, 0.0, 1.0], 0.2 * s + 0.01 * s**2) for s in t]
    )
    focal = 30.0 + 2.0 * t
    focus = 2.0 + 0.1 * t
    first, last, ramp = 72, 168, 24
    move = ramped_move(positions, orientations, focal, focus, first, last, FPS, ramp)
    assert list(move.frames) == list(range(first - ramp, last + ramp + 1))
    assert move.phases[:ramp] == ["pre-roll"] * ramp
    assert move.phases[-ramp:] == ["post-roll"] * ramp
    assert set(move.phases[ramp:-ramp]) == {"shot"}
    assert np.array_equal(move.positions[ramp:-ramp], positions[first : last + 1])

    velocity = np.gradient(move.positions, 1.0 / FPS, axis=0)
    # At rest at both ends: the first and last frame steps are tiny against the shot's.
    shot_speed = np.linalg.norm(velocity[ramp:-ramp], axis=1).min()
    for end in (0, -1):
        assert np.linalg.norm(velocity[end]) < 0.02 * shot_speed
    # Continuous at the joins: the velocity across each join is the track's own there.
    true_velocity = np.gradient(positions, 1.0 / FPS, axis=0)
    for join, frame in ((ramp, first), (len(move.frames) - ramp - 1, last)):
        assert np.allclose(velocity[join], true_velocity[frame], atol=2e-3)
    # No kink at a join: the frame-to-frame velocity change there is no larger than anywhere
    # else in the move (a ramp that only matched position would jump by the shot's speed).
    change = np.linalg.norm(np.diff(velocity, axis=0), axis=1)
    joins = [ramp - 1, ramp, len(move.frames) - ramp - 2, len(move.frames) - ramp - 1]
    elsewhere = np.delete(change, joins)
    assert change[joins].max() <= elsewhere.max()
    # The head is at rest at both ends too.
    first_turn = quat.angle_between(move.orientations[0], move.orientations[1])
    join_turn = quat.angle_between(move.orientations[ramp], move.orientations[ramp + 1])
    assert first_turn < 0.02 * join_turn
    figures = motion_figures(move.positions, move.orientations, FPS)
    assert figures.speed_m_s < 2.0
