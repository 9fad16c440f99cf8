"""Small, exact statistics for the safety page: proportions, quantiles, ellipsoids, ranks.

Everything here is deterministic for a given input order; the reduction always passes
samples sorted by index, so the same samples give bit-identical figures.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

Z95 = 1.959963984540054  # two-sided 95 % normal quantile


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (95 % by default).

    Unlike the plain ±z·√(p(1-p)/n) interval it stays within [0, 1] and is not empty when
    nothing (or everything) happened: 0 of 100 samples gives [0, 3.7 %], not [0, 0].
    """
    if trials == 0:
        return (0.0, 1.0)
    p = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)  # exact ends, not rounded
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return (low, high)


def probability(successes: int, trials: int) -> dict:
    low, high = wilson_interval(successes, trials)
    return {
        "count": successes,
        "samples": trials,
        "probability": successes / trials if trials else 0.0,
        "interval95": [low, high],
    }


def distribution(values: list[float]) -> dict | None:
    """Count, mean, min, max and the 5/50/90/95/99 % quantiles of ``values``."""
    if not values:
        return None
    v = np.asarray(values, dtype=float)
    q = np.quantile(v, [0.05, 0.5, 0.9, 0.95, 0.99])
    return {
        "count": len(v),
        "mean": float(v.mean()),
        "min": float(v.min()),
        "max": float(v.max()),
        "p05": float(q[0]),
        "p50": float(q[1]),
        "p90": float(q[2]),
        "p95": float(q[3]),
        "p99": float(q[4]),
    }


def scatter_ellipsoid(points: list[list[float]], mass: float = 0.9) -> dict | None:
    """The ellipsoid holding ``mass`` of a 3D normal fitted to ``points`` (mean, covariance).

    Semi-axes are √(λ·χ²₃(mass)) along the covariance's eigenvectors.
    """
    if len(points) < 4:
        return None
    p = np.asarray(points, dtype=float)
    mean = p.mean(axis=0)
    covariance = np.cov(p, rowvar=False)
    values, vectors = np.linalg.eigh(covariance)
    scale = stats.chi2.ppf(mass, df=3)
    return {
        "mean": [float(c) for c in mean],
        "covariance": [[float(c) for c in row] for row in covariance],
        "semi_axes": [float(math.sqrt(max(value, 0.0) * scale)) for value in values],
        "axes": [[float(c) for c in vectors[:, k]] for k in range(3)],
        "mass": mass,
    }


def rank_correlation(x: list[float], y: list[float]) -> float | None:
    """Spearman's rank correlation, or None when either side does not vary."""
    if len(x) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return None
    value = stats.spearmanr(x, y).statistic
    return None if not np.isfinite(value) else float(value)
