"""Short scenes for the envelope tests: one push-off across the sphere, one throw to a hand."""

from __future__ import annotations

import numpy as np

from see1previs.core.scene import Scene

REN_START = np.array([-1.318, 1.684, -0.479])  # right hand on handrail H6, as in the demo
REN_TURN = [0.5000001748438417, 0.0, 0.0, 0.8660253028382761]
PUSH_TIME, PUSH_DURATION, PUSH_SPEED = 0.5, 0.4, 2.0


def quiet_envelope(**spreads) -> dict:
    """An envelope with every spread off, then ``spreads`` switched on."""
    envelope = {
        "timing": 0.0,
        "push_off": {"speed": 0.0, "direction": 0.0},
        "throw": {"speed": 0.0, "direction": 0.0},
        "catch": {"timing": 0.0, "reach": 0.0},
        "ventilation": {"on_probability": 0.0},
        "cast": {},
    }
    for key, value in spreads.items():
        if isinstance(value, dict):
            envelope[key] = {**envelope.get(key, {}), **value}
        else:
            envelope[key] = value
    return envelope


def push_across(duration: float = 5.0, envelope: dict | None = None, air: bool = False) -> Scene:
    """Ren holds H6, then pushes off it through the centre toward the far wall (no air)."""
    across = -REN_START / np.linalg.norm(REN_START)
    if envelope is None:
        envelope = quiet_envelope(push_off={"speed": 0.15})
        envelope["cast"] = {"ren": {"height": [1.82, 1.82], "mass": [80.0, 80.0]}}
    return Scene.model_validate(
        {
            "format": 3,
            "title": "Push across",
            "duration": duration,
            "frame_rate": 24,
            "environment": {"air_drag": air},
            "actors": [
                {
                    "id": "ren",
                    "height": 1.82,
                    "mass": 80.0,
                    "posture": "reach-forward",
                    "pose": {"position": REN_START.tolist(), "orientation": REN_TURN},
                }
            ],
            "cues": [
                {
                    "id": "hold",
                    "time": 0.1,
                    "actor": "ren",
                    "type": "hold",
                    "fixture": "H6",
                    "limb": "right_hand",
                },
                {
                    "id": "push",
                    "time": PUSH_TIME,
                    "actor": "ren",
                    "type": "push_off",
                    "surface": "H6",
                    "speed": PUSH_SPEED,
                    "duration": PUSH_DURATION,
                    "direction": across.tolist(),
                },
            ],
            "envelope": envelope,
        }
    )


MIKA_START = [0.2, -1.7, 0.0]
MIKA_TURN = [0.6446597110313492, 0.0, 0.0, 0.7644696573265528]
BALL_START = [0.585, -1.192, 0.624]  # in Mika's right hand, as in the demo
BALL_RADIUS = 0.03
THROW_TIME, THROW_SPEED, CATCH_REACH = 0.4, 2.0, 0.3
CATCHER_START = np.array([0.2, 1.5, 0.3])  # in open air, facing Mika: nothing of Ren's
_FACING = np.array(MIKA_START) - CATCHER_START  # body lies between the ball and the hand
_YAW = np.arctan2(_FACING[1], _FACING[0])
CATCHER_TURN = [float(np.cos(_YAW / 2)), 0.0, 0.0, float(np.sin(_YAW / 2))]


def throw_to_hand(direction, spread_deg: float = 0.0, duration: float = 2.0) -> Scene:
    """Mika takes a ball and throws it along ``direction``; Ren, floating still, catches it."""
    envelope = quiet_envelope(throw={"direction": spread_deg})
    envelope["cast"] = {
        "mika": {"height": [1.68, 1.68], "mass": [62.0, 62.0]},
        "ren": {"height": [1.82, 1.82], "mass": [80.0, 80.0]},
    }
    return Scene.model_validate(
        {
            "format": 3,
            "title": "Throw to a hand",
            "duration": duration,
            "frame_rate": 24,
            "environment": {"air_drag": False},
            "blocking": {"reach": CATCH_REACH},
            "props": [
                {
                    "id": "ball",
                    "shape": {"type": "sphere", "radius": BALL_RADIUS},
                    "mass": 0.2,
                    "pose": {"position": BALL_START},
                },
            ],
            "actors": [
                {
                    "id": "mika",
                    "height": 1.68,
                    "mass": 62.0,
                    "pose": {"position": MIKA_START, "orientation": MIKA_TURN},
                },
                {
                    "id": "ren",
                    "height": 1.82,
                    "mass": 80.0,
                    "posture": "reach-forward",
                    "pose": {"position": CATCHER_START.tolist(), "orientation": CATCHER_TURN},
                },
            ],
            "cues": [
                {"id": "take", "time": 0.1, "actor": "mika", "type": "grab", "target": "ball"},
                {
                    "id": "toss",
                    "time": THROW_TIME,
                    "actor": "mika",
                    "type": "throw",
                    "prop": "ball",
                    "speed": THROW_SPEED,
                    "direction": list(direction),
                },
                {
                    "id": "catch",
                    "time": 1.1,
                    "actor": "ren",
                    "type": "catch",
                    "target": "ball",
                    "window": 0.7,
                },
            ],
            "envelope": envelope,
        }
    )


def aim_at_catching_hand() -> tuple[list[float], float, float]:
    """(unit direction from the ball at release to Ren's right hand, distance, hand radius)."""
    import mujoco

    from see1previs.envelope.samples import nominal_bake

    trajectory, world = nominal_bake(throw_to_hand([0.0, 1.0, 0.0]), None)
    ball = trajectory.pose("ball", THROW_TIME)[0]
    (geom,) = world.rigs["ren"].limb_geoms["right_hand"]
    world.reset()
    mujoco.mj_forward(world.model, world.data)
    offset = world.data.geom_xpos[geom] - ball
    distance = float(np.linalg.norm(offset))
    return (offset / distance).tolist(), distance, float(world.model.geom_size[geom][0])
