"""Writes scenes/zero-g-breakfast.see1.json: the articulated-actor demo scene.

Mika, tethered to the stage foot restraint, takes a coffee bulb and throws it to Ren; Ren
holds handrail H6, pushes off it toward Mika, reaches forward and catches the bulb. The
blocking is worked out the way a director would with the app: Ren's start is found so his
right hand is at the handrail, and the throw is aimed with the app's Aim (solve_aim) at Ren's
right hand at the throw speed, the catch set to when the bulb gets there. Deterministic:
``python benchmarks/make_breakfast_scene.py``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.scene import FORMAT_VERSION, Scene
from see1previs.core.scenefile import save_scene
from see1previs.physics.aim import solve_aim
from see1previs.physics.blocking_runtime import ActorCues
from see1previs.physics.simulation import SceneSetupError, prepare_world
from see1previs.station.loader import load_station

OUT = Path(__file__).resolve().parent.parent / "scenes" / "zero-g-breakfast.see1.json"
THROW_TIME, THROW_SPEED = 3.6, 1.2
PROBE = np.array([0.4, 1.4, 0.6])  # somewhere clear of everything else
MIKA_START = (-0.9, -0.7, 0.0)
# Mika faces Ren's handrail (H6), so she throws forward, clear of her own body.
MIKA_FACING = quat.from_axis_angle([0.0, 0.0, 1.0], math.atan2(2.511 + 0.7, -1.45 + 0.9))


def scene(ren_pose: dict, mug_start, throw_direction, catch_time: float) -> Scene:
    return Scene.model_validate(
        {
            "format": FORMAT_VERSION,
            "title": "Zero-g breakfast",
            "frame_rate": 24,
            "duration": 8.0,
            "actors": [
                {
                    "id": "mika",
                    "name": "Mika (host)",
                    "height": 1.68,
                    "mass": 62.0,
                    "color": "#4a90d9",
                    "pose": {
                        "position": list(MIKA_START),
                        "orientation": [round(float(c), 6) for c in MIKA_FACING],
                    },
                },
                {
                    "id": "ren",
                    "name": "Ren (guest)",
                    "height": 1.82,
                    "mass": 80.0,
                    "color": "#d98a4a",
                    "posture": "reach-forward",
                    "pose": ren_pose,
                },
            ],
            "props": [
                {
                    "id": "bulb",
                    "name": "Coffee bulb",
                    "shape": {"type": "cylinder", "radius": 0.04, "length": 0.1},
                    "mass": 0.3,
                    "color": "#f2f2f2",
                    "pose": {"position": [float(c) for c in mug_start]},
                }
            ],
            "cameras": [
                {"id": "A", "name": "A camera (wide)", "lens": "arri-signature-zoom-24-75",
                 "focal_length": 24.0, "f_stop": 4.0, "look_at": "bulb",
                 "rig": {"type": "fixed", "mount": "CAM-E"}},
                {"id": "B", "name": "B camera (Ren)", "body": "sony-venice-2-8k",
                 "lens": "arri-signature-prime-47", "focal_length": 47.0,
                 "focus_target": "ren", "look_at": "ren",
                 "rig": {"type": "fixed", "mount": "CAM-A"}},
            ],
            "shots": [
                {"id": "1A", "name": "1A breakfast wide", "camera": "A", "start": 0.0,
                 "end": 8.0, "order": 1, "description": "Ren pushes off to Mika; the bulb "
                 "crosses the cabin", "notes": "Lock off; follow the bulb"},
                {"id": "1B", "name": "1B the catch", "camera": "B", "start": 3.0, "end": 6.5,
                 "order": 2, "description": "Ren reaches and catches the coffee bulb",
                 "notes": "Hold focus on Ren"},
            ],
            "cues": [
                {"type": "tether", "id": "mika-tether", "time": 0.0, "actor": "mika",
                 "fixture": "FR1", "length": 3.0},
                {"type": "hold", "id": "ren-holds-h6", "time": 0.1, "actor": "ren",
                 "fixture": "H6", "limb": "right_hand"},
                {"type": "grab", "id": "mika-takes-bulb", "time": 0.4, "actor": "mika",
                 "target": "bulb"},
                {"type": "push_off", "id": "ren-push", "time": 1.0, "actor": "ren",
                 "surface": "H6", "toward": "mika", "speed": 0.25, "duration": 0.4},
                {"type": "pose", "id": "ren-relax", "time": 1.6, "actor": "ren",
                 "pose": "neutral", "duration": 1.0},
                {"type": "pose", "id": "ren-reach", "time": 3.0, "actor": "ren",
                 "pose": "reach-forward", "duration": 0.8},
                {"type": "throw", "id": "mika-throw", "time": THROW_TIME, "actor": "mika",
                 "prop": "bulb", "speed": THROW_SPEED,
                 "direction": [float(c) for c in throw_direction]},
                {"type": "catch", "id": "ren-catch", "time": round(float(catch_time), 2),
                 "actor": "ren", "target": "bulb", "hand": "right", "window": 0.5},
                {"type": "pose", "id": "mika-arms", "time": 5.5, "actor": "mika",
                 "pose": "arms-crossed", "duration": 1.2},
            ],
        }
    )  # fmt: skip


def ren_at_handrail() -> dict:
    """Ren facing H6, head up, arms forward, his right hand a few centimetres off the rail."""
    rail = load_station("see1").fixture("H6")
    inward = np.asarray(rail.normal, dtype=float)  # a fixture's normal points into the cabin
    facing = -inward
    orientation = quat.from_axis_angle([0.0, 0.0, 1.0], math.atan2(facing[1], facing[0]))
    # The hand sits at a fixed offset from the pelvis in a given posture: one probe gives it,
    # then the pelvis goes where that puts the hand just off the rail.
    probe_pose = {"position": list(PROBE), "orientation": list(orientation)}
    probe = prepare_world(scene(probe_pose, (0.0, -1.5, 0.0), (1, 0, 0), 5.0))
    offset = probe.rigs["ren"].grip_point(probe.data, "right_hand") - PROBE
    for gap in (0.06, 0.09, 0.12):
        position = np.asarray(rail.position) + (0.04 + gap) * inward - offset
        pose = {
            "position": [round(float(c), 3) for c in position],
            "orientation": [round(float(c), 6) for c in orientation],
        }
        try:
            world = prepare_world(scene(pose, (0.0, -1.5, 0.0), (1, 0, 0), 5.0))
        except SceneSetupError as exc:
            print(f"gap {gap} m: {exc}")
            continue
        cues = ActorCues(world)
        hand = world.rigs["ren"].limb_geoms["right_hand"]
        distance = cues._distance(hand, cues.fixture_geoms["H6"])
        print(f"gap {gap} m: right hand {distance:.3f} m from H6")
        if distance < 0.13:
            return pose
    raise SystemExit("no start for Ren with his hand at H6")


def mika_bulb_start(ren_pose: dict) -> np.ndarray:
    """The bulb floating just beyond Mika's right hand."""
    world = prepare_world(scene(ren_pose, (0.0, -1.5, 0.0), (1, 0, 0), 5.0))
    grip = world.rigs["mika"].grip_point(world.data, "right_hand")
    out = grip - world.com("mika")
    return np.round(grip + 0.16 * out / np.linalg.norm(out), 3)


def main() -> None:
    ren_pose = ren_at_handrail()
    bulb = mika_bulb_start(ren_pose)
    # Thrown at THROW_SPEED, aimed so the bulb passes through Ren's right hand; the catch is
    # cued for the moment it gets there.
    trial = scene(ren_pose, bulb, (0.0, 1.0, 0.0), THROW_TIME + 1.5)
    aim = solve_aim(trial, "mika-throw", "ren:right_hand", speed=THROW_SPEED)
    print(aim.summary())
    final = scene(ren_pose, bulb, aim.direction, aim.arrival_time)
    save_scene(final, OUT)
    print(f"wrote {OUT.name}: catch near {aim.arrival_time:.2f} s")


if __name__ == "__main__":
    main()
