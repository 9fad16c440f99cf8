"""Quiet runs and long steps: how the bake steps through stretches where nothing touches.

Truth for quiet runs is MuJoCo stepping one step at a time: several steps in one call must
give the same states bit for bit, the same contact episodes and the same tether episodes
(a tether going taut mid-run sends the run back to single steps). Truth for long steps is the
same bake at the scene's 2 ms step, with RK4's error bound in free flight.
"""

from __future__ import annotations

import mujoco
import numpy as np
import pytest

from see1previs.core.scenefile import load_scene
from see1previs.physics import stepper
from see1previs.physics.simulation import simulate
from tests.conftest import SCENES
from tests.physics.test_actor_attachments import scene as ren_scene
from tests.physics.test_actor_attachments import shove


@pytest.fixture
def short_steps_only(monkeypatch):
    """Quiet runs in one MuJoCo call, but every step at the scene's step."""
    monkeypatch.setattr(stepper, "LONGEST_STEP_S", 0.0)
    monkeypatch.setattr(stepper, "ACTOR_LONGEST_STEP_S", 0.0)


def one_step_at_a_time(monkeypatch) -> None:
    def steps(self, count: int) -> None:
        for _ in range(count):
            self.step(self.dt)

    monkeypatch.setattr(stepper.Stepper, "steps", steps)


def tether_outcome(result) -> dict:
    return next(o for o in result.trajectory.metadata["cue_outcomes"] if o["type"] == "tether")


def test_a_tethered_actor_bakes_in_quiet_runs_exactly_as_step_by_step(
    short_steps_only, monkeypatch
):
    # Ren, tethered by a 1 m line, is shoved away and drifts until the line snaps taut.
    tethered = ren_scene(
        [
            {"type": "tether", "id": "line", "time": 0.0, "actor": "ren", "fixture": "H6",
             "length": 1.0},
            shove(0.3, [-60.0, -60.0, 0.0]),
        ],
        duration=4.0,
    )  # fmt: skip
    runs = simulate(tethered)
    one_step_at_a_time(monkeypatch)
    single = simulate(tethered)
    # The line went taut mid-flight: the run it happened in was redone step by step.
    assert tether_outcome(single)["details"]["taut"]
    assert tether_outcome(runs) == tether_outcome(single)
    assert runs.trajectory.metadata["cue_outcomes"] == single.trajectory.metadata["cue_outcomes"]
    assert runs.trajectory.content_hash() == single.trajectory.content_hash()


def test_the_breakfast_demo_bakes_in_quiet_runs_exactly_as_step_by_step(
    short_steps_only, monkeypatch
):
    path = SCENES / "zero-g-breakfast.see1.json"
    scene = load_scene(path)
    runs = simulate(scene, path.parent)
    one_step_at_a_time(monkeypatch)
    single = simulate(scene, path.parent)
    assert runs.trajectory.metadata["cue_outcomes"] == single.trajectory.metadata["cue_outcomes"]
    assert runs.trajectory.content_hash() == single.trajectory.content_hash()


def test_long_steps_in_free_flight_keep_the_2ms_path(monkeypatch):
    path = SCENES / "t-handle.see1.json"  # a tumbling T-handle in air: no contact
    scene = load_scene(path)
    long = simulate(scene, path.parent).trajectory
    monkeypatch.setattr(stepper, "LONGEST_STEP_S", 0.0)
    short = simulate(scene, path.parent).trajectory
    assert long.content_hash() != short.content_hash()  # the long steps were taken
    # RK4's local error is O(h⁵): four times the step moves a tumbling body's path by far
    # less than a millimetre and its spin by far less than 1e-4 of itself over the shot.
    assert np.abs(long.positions - short.positions).max() < 1e-4
    spin = np.linalg.norm(short.angular_velocities, axis=2).max()
    assert np.abs(long.angular_velocities - short.angular_velocities).max() < 1e-4 * spin


def test_long_steps_mujoco_finds_unstable_are_redone_at_the_scene_step(monkeypatch):
    path = SCENES / "t-handle.see1.json"
    scene = load_scene(path)
    real_step = mujoco.mj_step
    dt = scene.simulation.timestep

    def flaky_long_steps(model, data, nstep=1):
        real_step(model, data, nstep)
        if model.opt.timestep > dt * (1 + 1e-9):  # MuJoCo calls a long step's state bad
            data.warning[mujoco.mjtWarning.mjWARN_BADQACC].number += 1

    expected = simulate(scene, path.parent)
    monkeypatch.setattr(stepper, "LONGEST_STEP_S", 0.0)
    short = simulate(scene, path.parent)
    monkeypatch.undo()
    monkeypatch.setattr(stepper.mujoco, "mj_step", flaky_long_steps)
    redone = simulate(scene, path.parent)  # no blow-up reported: every run was redone
    assert redone.trajectory.content_hash() == short.trajectory.content_hash()
    assert expected.trajectory.content_hash() != short.trajectory.content_hash()
