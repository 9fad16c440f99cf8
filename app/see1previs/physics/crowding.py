"""A fast first look for bodies piled on top of each other, before the physics is compiled.

Pasting a prop 500 times without moving the copies puts 500 bodies in one place: 124,750
overlapping pairs. The physics would spend minutes computing that start (and run out of
memory for its contacts), then report every pair. This check needs no physics: every body
contains a ball around its origin (:attr:`BodyPlan.inner_radius`: half a box's shortest edge,
a capsule's radius, the depth of a mesh's origin inside it), and two bodies whose balls
overlap certainly overlap. When there are more such pairs than anyone would fix one by one,
they are reported per body, nearest first, and the world is not compiled. Fewer are left to
the exact placement check, which measures each overlap.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from see1previs.physics.bodies import BodyPlan

CROWD_PAIRS = 50
"""More certain overlaps than this are reported here, one message per body."""


class CrowdedError(Exception):
    """Bodies piled on each other at the start; ``problems`` are (JSON path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems


def check_crowding(plans: Sequence[BodyPlan], positions: Sequence[Sequence[float]]) -> None:
    """Raise :class:`CrowdedError` when many bodies certainly overlap where they start."""
    if len(plans) < 2:
        return
    radii = np.array([plan.inner_radius for plan in plans])
    centres = np.asarray(positions, dtype=float)
    gaps = np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=-1)
    solid = radii > 0
    certain = (gaps < radii[:, None] + radii[None, :]) & solid[:, None] & solid[None, :]
    np.fill_diagonal(certain, False)
    if np.count_nonzero(certain) // 2 <= CROWD_PAIRS:
        return
    problems = []
    for index in np.nonzero(certain.any(axis=1))[0]:
        others = np.nonzero(certain[index])[0]
        nearest = others[np.argmin(gaps[index, others])]
        also = len(others) - 1
        more = f" and {also} other bod{'y' if also == 1 else 'ies'}" if also else ""
        problems.append(
            (
                f"{plans[index].json_path}.pose.position",
                f"'{plans[index].id}' starts inside '{plans[nearest].id}'{more} (their origins "
                f"are {gaps[index, nearest] * 1000:.0f} mm apart); move it apart",
            )
        )
    raise CrowdedError(problems)
