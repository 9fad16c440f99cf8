"""Baking: simulate a scene and record a Trajectory at the scene frame rate.

The physics runs at its own regular time step; frames rarely fall on a step boundary, so each
frame is interpolated between the two steps around it (lerp positions and velocities, slerp
orientations). Cues act at their exact times. The loop is deterministic: the same scene and
app version give bit-identical arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import mujoco
import numpy as np

from see1previs import __version__
from see1previs.core import quaternion as quat
from see1previs.core.scene import ImpulseCue, Scene, SpinCue
from see1previs.physics.contacts import ContactRecorder
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.world import World
from see1previs.station.loader import load_station
from see1previs.station.model import Station

ProgressCallback = Callable[[float], None]
CancelCheck = Callable[[], bool]


class BakeCancelled(Exception):
    """The bake was stopped by its caller before it finished."""


def station_for(scene: Scene, scene_dir: Path | None) -> Station:
    """The interior a scene plays in, resolving a custom mesh relative to the scene file."""
    interior = scene.station.interior
    if interior == "see1":
        return load_station(interior)
    path = Path(interior)
    if not path.is_absolute() and scene_dir is not None:
        path = scene_dir / path
    return load_station(path)


def bake(
    scene: Scene,
    *,
    station: Station | None = None,
    scene_dir: Path | None = None,
    world: World | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> Trajectory:
    """Simulate ``scene`` from its start to its end and record every frame."""
    if world is None:
        if station is None:
            station = station_for(scene, scene_dir)
        world = World.build(scene, station, scene_dir)
    else:
        world.reset()
    return _run(world, scene, progress, should_cancel)


def _run(
    world: World,
    scene: Scene,
    progress: ProgressCallback | None,
    should_cancel: CancelCheck | None,
) -> Trajectory:
    model, data = world.model, world.data
    rate = scene.frame_rate
    frame_count = rate.frame_count(scene.duration)
    frame_times = [rate.frame_time(k) for k in range(frame_count)]
    cues = sorted(scene.cues, key=lambda cue: (cue.time, cue.id))
    dt = model.opt.timestep

    handles = world.bodies
    body_index = np.array([h.body_id for h in handles], dtype=int)
    qvel_index = np.array([h.qvel_adr for h in handles], dtype=int)
    count = len(handles)
    positions = np.zeros((frame_count, count, 3))
    orientations = np.zeros((frame_count, count, 4))
    linear = np.zeros((frame_count, count, 3))
    angular = np.zeros((frame_count, count, 3))

    recorder = ContactRecorder(
        model=model,
        geom_owner=world.geom_owner,
        body_of_owner={h.id: h.body_id for h in handles},
        dof_of_owner={h.id: h.qvel_adr for h in handles},
    )
    qvel_before = np.zeros(model.nv)

    qpos_index = np.array([h.qpos_adr for h in handles], dtype=int)[:, None] + np.arange(7)
    qvel_index6 = qvel_index[:, None] + np.arange(6)
    com_local = model.body_ipos[body_index].copy()

    def snapshot() -> tuple[np.ndarray, ...]:
        """Pose and COM velocities of every free body straight from qpos/qvel."""
        qpos = data.qpos[qpos_index]
        qvel = data.qvel[qvel_index6]
        orientation = quat.normalize(qpos[:, 3:]) if count else qpos[:, 3:]
        rotation = quat.to_matrix(orientation) if count else np.zeros((0, 3, 3))
        omega = np.einsum("bij,bj->bi", rotation, qvel[:, 3:])
        offset = np.einsum("bij,bj->bi", rotation, com_local)
        return qpos[:, :3], orientation, qvel[:, :3] + np.cross(omega, offset), omega

    def store(frame: int, state: tuple[np.ndarray, ...]) -> None:
        positions[frame], orientations[frame], linear[frame], angular[frame] = state

    def step(length: float) -> None:
        qvel_before[:] = data.qvel
        if length != dt:
            model.opt.timestep = length
            mujoco.mj_step(model, data)
            model.opt.timestep = dt
        else:
            mujoco.mj_step(model, data)
        if data.ncon or recorder.active:
            recorder.observe(model, data, data.time, length, qvel_before)

    def advance_to(target: float) -> None:
        """Step until data.time == target exactly (the last step may be shorter)."""
        whole = math.floor((target - data.time) / dt + 1e-9)
        for _ in range(whole):
            step(dt)
        rest = target - data.time
        if rest > 1e-9 * dt:
            step(rest)
        data.time = target

    # Frames are recorded by interpolating between the physics steps around them, so the
    # physics keeps a regular step (contact response depends on the step length). Cues are
    # applied at their exact time, with one shorter step to land on it.
    cue_index = 0
    report_every = max(1, frame_count // 200)
    tolerance = 1e-9 * dt
    for frame, t in enumerate(frame_times):
        while cue_index < len(cues) and cues[cue_index].time <= t:
            cue = cues[cue_index]
            if cue.time > data.time:
                advance_to(cue.time)
            _apply_cue(world, cue)
            cue_index += 1
        while data.time + dt <= t + tolerance:
            step(dt)
        next_cue = cues[cue_index].time if cue_index < len(cues) else math.inf
        if t - data.time <= tolerance:
            store(frame, snapshot())
        elif data.time + dt > next_cue:
            advance_to(t)  # a cue falls inside the next step: land on the frame exactly
            store(frame, snapshot())
        else:
            start_time, before = data.time, snapshot()
            step(dt)
            after = snapshot()
            u = (t - start_time) / (data.time - start_time)
            store(
                frame,
                (
                    (1 - u) * before[0] + u * after[0],
                    quat.slerp(before[1], after[1], u) if count else before[1],
                    (1 - u) * before[2] + u * after[2],
                    (1 - u) * before[3] + u * after[3],
                ),
            )
        if should_cancel is not None and should_cancel():
            raise BakeCancelled(f"bake of '{scene.title}' cancelled at {t:.2f} s")
        if progress is not None and (frame % report_every == 0 or frame == frame_count - 1):
            progress((frame + 1) / frame_count)

    return Trajectory(
        body_ids=[h.id for h in handles],
        frame_rate=Fraction(rate.fps),
        times=np.array(frame_times),
        positions=positions,
        orientations=orientations,
        linear_velocities=linear,
        angular_velocities=angular,
        contacts=recorder.finish(),
        metadata={
            "title": scene.title,
            "app_version": __version__,
            "mujoco_version": mujoco.__version__,
            "timestep": dt,
        },
    )


def _apply_cue(world: World, cue: ImpulseCue | SpinCue) -> None:
    mujoco.mj_forward(world.model, world.data)
    if isinstance(cue, ImpulseCue):
        world.apply_impulse(cue.target, cue.impulse, cue.point)
    else:
        world.set_angular_velocity(cue.target, cue.angular_velocity)
    mujoco.mj_forward(world.model, world.data)
