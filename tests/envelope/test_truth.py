"""The envelope's statistics against closed forms, run on a real two-worker Dask cluster.

1. A push-off with only speed noise (lognormal, σ = 0.15), no air: after a push that ramps
   the speed up evenly over ``d`` seconds from ``t0``, the body covers ``L`` at speed ``v``,
   so it arrives at ``T = t0 + d/2 + L/v``. ``L`` is read once from the nominal bake; the
   arrival times must then follow the distribution of ``L/v`` (KS test, α = 0.01), and each
   sample's arrival must match its own drawn speed.
2. A throw with only aim noise (2D normal across the aim, per-axis σ as a tangent) at a hand
   ``D`` away: the ball is caught when its line passes within ``r`` of the hand (reach + ball
   radius + the hand's capsule radius), so it misses when ``tan(error) > r/√(D² − r²)``, with
   probability ``exp(−t²/2σ²)`` for ``t = r/√(D² − r²)`` (binomial test, α = 0.01).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from see1previs.envelope.cluster import run_envelope
from see1previs.envelope.samples import nominal_bake
from tests.envelope.scenes import (
    BALL_RADIUS,
    CATCH_REACH,
    PUSH_DURATION,
    PUSH_SPEED,
    PUSH_TIME,
    aim_at_catching_hand,
    push_across,
    throw_to_hand,
)

ALPHA = 0.01


def test_arrival_times_follow_the_speed_distribution(two_workers) -> None:
    scene = push_across()
    trajectory, _ = nominal_bake(scene, None)
    touches = [
        float(row["start"])
        for row in trajectory.contacts
        if str(row["body_b"]) == "station" and float(row["start"]) > PUSH_TIME + PUSH_DURATION
    ]
    ramp = PUSH_TIME + PUSH_DURATION / 2
    distance = (min(touches) - ramp) * PUSH_SPEED  # L, from the nominal bake alone
    run = run_envelope(scene, None, 30, seed=11, scheduler=two_workers.address)
    assert run.complete and not run.summary["failed"]
    arrivals = np.array([s["outcomes"]["arrivals"]["push"] for s in run.samples])
    factors = np.array([s["parameters"]["push.speed_factor"] for s in run.samples])
    assert np.all(np.isfinite(arrivals))
    # Each sample: arrival = ramp + L / v within a physics step's travel.
    predicted = ramp + distance / (PUSH_SPEED * factors)
    assert np.max(np.abs(arrivals - predicted)) < 0.01
    # The whole distribution: P(T <= t) = P(v >= L / (t - ramp)), ln v ~ N(ln v0, 0.15²).
    sigma = scene.envelope.push_off.speed

    def cdf(t):
        speed = distance / (np.asarray(t) - ramp)
        return stats.norm.sf((np.log(speed) - math.log(PUSH_SPEED)) / sigma)

    assert stats.kstest(arrivals, cdf).pvalue > ALPHA


def test_miss_probability_of_a_throw_matches_the_cone(two_workers) -> None:
    direction, D, capsule_radius = aim_at_catching_hand()
    spread = 8.5  # degrees: about an even chance of a miss at this distance
    scene = throw_to_hand(direction, spread_deg=spread)

    r = CATCH_REACH + BALL_RADIUS + capsule_radius
    threshold = r / math.sqrt(D * D - r * r)
    sigma = math.tan(math.radians(spread))
    expected = math.exp(-(threshold**2) / (2 * sigma**2))

    run = run_envelope(scene, None, 40, seed=5, scheduler=two_workers.address)
    assert run.complete and not run.summary["failed"]
    missed = [s["outcomes"]["cues"]["catch"]["failure"] == "catch_missed" for s in run.samples]
    errors = [math.tan(math.radians(s["parameters"]["toss.aim_error_deg"])) for s in run.samples]
    # Sample by sample, away from the edge of the cone (the hand is not quite a sphere):
    for error, miss in zip(errors, missed, strict=True):
        if abs(error - threshold) > 0.1 * threshold:
            assert miss == (error > threshold), (error, threshold)
    result = run.summary["cues"]["catch"]
    assert result["count"] == sum(missed)
    assert stats.binomtest(sum(missed), len(missed), expected).pvalue > ALPHA
    low, high = result["interval95"]
    assert low <= result["probability"] <= high
