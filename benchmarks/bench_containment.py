"""Containment and bounce energy: many fast launches of every shape class inside SEE-1.

Each launch is one body thrown from a random point near the centre at 1-10 m/s in a random
direction with a random spin (up to 20 rad/s per axis) and a random restitution in [0, 1],
air drag off, for ``--seconds`` of scene time. One compiled model per shape class is reused:
its state is reset and the body's restitution written into the model between launches.

Printed: launches, bodies that escaped (centre ever more than the bake guard's tolerance
behind the wall), the deepest surface penetration into the wall, the deepest centre
excursion behind it (checked at every step, mid-bounce included), and every bounce that
came away with more kinetic energy than it brought (relative gain > 1e-6), with the worst
ratio, and for each such bounce what it touched (the wall or a fixture) and where. Run:

    .venv/bin/python benchmarks/bench_containment.py --launches 10000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import mujoco
import numpy as np

from see1previs.core.scene import FORMAT_VERSION, Scene
from see1previs.physics.bake_guard import ESCAPE_TOLERANCE
from see1previs.physics.contact_forces import (
    WALL_RECORD,
    damping_ratio_for_restitution,
    touch_count,
)
from see1previs.physics.simulation import prepare_world

ASSETS = Path(__file__).resolve().parents[1] / "assets"
GAIN_THRESHOLD = 1e-6

SHAPES = {
    "sphere": {"type": "sphere", "radius": 0.06},
    "box": {"type": "box", "size": [0.12, 0.08, 0.05]},
    "plate": {"type": "box", "size": [0.32, 0.23, 0.01]},  # a clipboard
    "capsule": {"type": "capsule", "radius": 0.03, "length": 0.14},
    "cylinder": {"type": "cylinder", "radius": 0.05, "length": 0.10},
    "mesh": {"type": "mesh", "file": str(ASSETS / "props" / "t-handle.obj")},
}


def build(shape: dict, timestep: float):
    scene = Scene.model_validate(
        {
            "format": FORMAT_VERSION,
            "title": "containment",
            "duration": 1.0,
            "simulation": {"timestep": timestep},
            "environment": {"air_drag": False},
            "props": [{"id": "body", "shape": shape, "mass": 0.5}],
        }
    )
    return prepare_world(scene)


def kinetic_energy(model, data, qvel: np.ndarray) -> float:
    product = np.zeros(model.nv)
    mujoco.mj_mulM(model, data, product, qvel)
    return 0.5 * float(qvel @ product)


def deepest_touch(model, data) -> float:
    """Deepest penetration of the last force evaluation: wall touches and contacts (m)."""
    depths = [0.0]
    if data.ncon:
        depths.append(-float(np.min(data.contact.dist[: data.ncon])))
    for k in range(int(data.userdata[0])):
        depths.append(float(data.userdata[1 + WALL_RECORD * k + 5]))
    return max(depths)


def touched_surfaces(model, data) -> set[str]:
    """What the body touches at the last force evaluation: "wall" or fixture geom names."""
    found = {"wall"} if data.userdata[0] else set()
    for contact in data.contact[: data.ncon]:
        for geom in contact.geom:
            if model.geom_bodyid[geom] == 0:
                found.add(mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_GEOM, geom) or str(geom))
    return found


def launch(world, rng, seconds: float, stats: dict) -> None:
    model, data = world.model, world.data
    handle = world.by_id["body"]
    restitution = float(rng.uniform(0.0, 1.0))
    geoms = np.nonzero(model.geom_bodyid == handle.body_id)[0]
    model.geom_user[geoms, 1] = damping_ratio_for_restitution(round(restitution, 6))
    while True:
        mujoco.mj_resetData(model, data)
        direction = rng.normal(size=3)
        start = direction / np.linalg.norm(direction) * rng.uniform(0.0, 1.5)
        orientation = rng.normal(size=4)
        data.qpos[handle.qpos_adr : handle.qpos_adr + 3] = start
        data.qpos[handle.qpos_adr + 3 : handle.qpos_adr + 7] = orientation / np.linalg.norm(
            orientation
        )
        mujoco.mj_forward(model, data)
        if touch_count(model, data) == 0:
            break
    aim = rng.normal(size=3)
    world.set_body_velocity(
        "body",
        aim / np.linalg.norm(aim) * rng.uniform(1.0, 10.0),
        rng.uniform(-20.0, 20.0, size=3),
    )
    mujoco.mj_forward(model, data)
    energy_before = kinetic_energy(model, data, data.qvel)
    in_contact = False
    surfaces: set[str] = set()
    deepest_centre = -np.inf
    for _ in range(round(seconds / model.opt.timestep)):
        mujoco.mj_step(model, data)
        centre = data.xipos[handle.body_id]
        if np.linalg.norm(centre) > stats["safe_radius"]:
            behind = -float(world.station.clearance(centre))
            deepest_centre = max(deepest_centre, behind)
        if touch_count(model, data):
            stats["penetration"] = max(stats["penetration"], deepest_touch(model, data))
            surfaces |= touched_surfaces(model, data)
            in_contact = True
            continue
        if in_contact:  # a bounce has just ended: compare with the energy it started with
            in_contact = False
            energy_after = kinetic_energy(model, data, data.qvel)
            stats["bounces"] += 1
            ratio = energy_after / energy_before if energy_before > 0 else 1.0
            if ratio > 1.0 + GAIN_THRESHOLD:
                stats["gains"] += 1
                where = ", ".join(sorted(surfaces))
                stats["gained"].append(f"x{ratio:.4f} touching {where} at {np.round(centre, 2)}")
            surfaces = set()
            stats["worst_ratio"] = max(stats["worst_ratio"], ratio)
            energy_before = energy_after
    stats["centre_behind"] = max(stats["centre_behind"], deepest_centre)
    # Escaped as the bake guard judges it: the centre ever more than ESCAPE_TOLERANCE behind
    # the (faceted) wall. A thin body ending mid-bounce may have its centre a little behind
    # the facets; one that left for good is metres out.
    if deepest_centre > ESCAPE_TOLERANCE:
        stats["escaped"] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--launches", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--timestep", type=float, default=0.002)
    parser.add_argument("--seed", type=int, default=20260311)
    args = parser.parse_args()
    from see1previs.physics.bake_guard import _safe_radius

    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    total = {"launches": 0, "escaped": 0, "gains": 0, "bounces": 0}
    worst = {"penetration": 0.0, "centre_behind": -np.inf, "worst_ratio": 0.0}
    per_class = args.launches // len(SHAPES)
    for name, shape in SHAPES.items():
        world = build(shape, args.timestep)
        stats = {
            "escaped": 0,
            "gains": 0,
            "bounces": 0,
            "penetration": 0.0,
            "centre_behind": -np.inf,
            "worst_ratio": 0.0,
            "safe_radius": _safe_radius(world.station),
            "gained": [],
        }
        for _ in range(per_class):
            launch(world, rng, args.seconds, stats)
        print(
            f"{name:9s} launches {per_class:6d}  escaped {stats['escaped']:4d}  "
            f"bounces {stats['bounces']:7d}  energy gains {stats['gains']:6d}  "
            f"worst ratio {stats['worst_ratio']:8.3f}  "
            f"max penetration {stats['penetration'] * 100:6.2f} cm  "
            f"deepest centre behind wall {max(0.0, stats['centre_behind']) * 100:7.2f} cm",
            flush=True,
        )
        for line in stats["gained"]:
            print(f"    gained {line}")
        total["launches"] += per_class
        for key in ("escaped", "gains", "bounces"):
            total[key] += stats[key]
        for key in worst:
            worst[key] = max(worst[key], stats[key])
    elapsed = time.perf_counter() - started
    print(
        f"\nlaunches {total['launches']}, escaped {total['escaped']}, "
        f"max penetration past the wall {worst['penetration'] * 100:.2f} cm "
        f"(deepest centre behind it {max(0.0, worst['centre_behind']) * 100:.2f} cm), "
        f"bounces {total['bounces']}, energy gains > {GAIN_THRESHOLD:g} relative "
        f"{total['gains']}, worst ratio {worst['worst_ratio']:.3f}; "
        f"timestep {args.timestep * 1e3:g} ms, {elapsed:.0f} s"
    )


if __name__ == "__main__":
    main()
