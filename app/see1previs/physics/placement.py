"""Start-of-scene placement checks: every body inside the interior and touching nothing.

A body that starts outside the hull, buried in a wall or a fixture, or overlapping another
body would give a meaningless simulation (MuJoCo would fling the overlap apart), so these are
errors reported before baking, each naming the body and the problem.
"""

from __future__ import annotations

import numpy as np

from see1previs.physics.contact_forces import measure_wall_touches
from see1previs.physics.world import World

OVERLAP_TOLERANCE = 0.001  # m; touching is allowed, interpenetration is not


def placement_problems(world: World) -> list[tuple[str, str]]:
    """(JSON path, message) for every body that starts in an impossible place."""
    problems: list[tuple[str, str]] = []
    outside: set[str] = set()
    handles = world.bodies
    if handles:
        origins = np.array([world.scene.body(h.id).pose.position for h in handles])
        clearance = np.atleast_1d(world.station.clearance(origins))
        for handle, gap in zip(handles, clearance, strict=True):
            if gap <= 0:
                outside.add(handle.id)
                problems.append(
                    (
                        f"{handle.plan.json_path}.pose.position",
                        f"'{handle.id}' starts outside the interior "
                        f"({-gap:.2f} m beyond the wall of {world.station.name})",
                    )
                )
    world.reset()
    data = world.data
    deepest: dict[tuple[str, str], float] = {}  # pair -> most negative contact distance
    for i in range(data.ncon):
        contact = data.contact[i]
        if contact.dist >= -OVERLAP_TOLERANCE:
            continue
        a = world.geom_owner.get(int(contact.geom1), "station")
        b = world.geom_owner.get(int(contact.geom2), "station")
        if a.startswith("station"):
            a, b = b, a
        if a in outside or a == b:
            continue
        deepest[(a, b)] = min(deepest.get((a, b), 0.0), float(contact.dist))
    for touch in measure_wall_touches(world.model, data):  # the sphere wall has no geom
        a = world.geom_owner.get(touch.geom, "station")
        if touch.depth <= OVERLAP_TOLERANCE or a in outside or a.startswith("station"):
            continue
        deepest[(a, "station")] = min(deepest.get((a, "station"), 0.0), -touch.depth)
    for (a, b), dist in deepest.items():
        handle = world.by_id[a]
        if b.startswith("station:"):
            what = f"fixture {b.split(':', 1)[1]}"
        elif b == "station":
            what = "the wall"
        else:
            what = f"'{b}'"
        problems.append(
            (
                f"{handle.plan.json_path}.pose.position",
                f"'{a}' starts overlapping {what} by {-dist * 1000:.0f} mm; move it apart",
            )
        )
    return problems
