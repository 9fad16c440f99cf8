"""Baking: simulate a scene and record a Trajectory at the scene frame rate.

The physics runs at its own regular time step; frames rarely fall on a step boundary, so each
frame is interpolated between the two steps around it (lerp positions and velocities, slerp
orientations). Cues act at their exact times. The loop is deterministic: the same scene and
app version give bit-identical arrays.

Actor cues (push-offs, holds, catches, throws, tethers, pose changes) are carried out by
:class:`see1previs.physics.blocking_runtime.ActorCues`, which the loop consults before every
step only while one of them is in progress. Their outcomes go into the trajectory's
``metadata["cue_outcomes"]``; articulated actors' segments are recorded as links.

:class:`see1previs.physics.bake_guard.BakeGuard` watches every step and frame: a blow-up, a
body through the wall or props gaining energy with nothing acting on them stop the bake with
a :class:`BakeUnstableError` naming the body and the time, never a silent result.
"""

from __future__ import annotations

import copy
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import mujoco
import numpy as np

from see1previs import __version__
from see1previs.core import quaternion as quat
from see1previs.core.asset_paths import scene_asset_path
from see1previs.core.scene import ImpulseCue, Scene, SpinCue
from see1previs.core.scene_cues import ACTOR_CUE_TYPES
from see1previs.physics.bake_guard import BakeGuard
from see1previs.physics.bake_guard import BakeUnstableError as BakeUnstableError  # callers
from see1previs.physics.blocking_runtime import ActorCues
from see1previs.physics.contacts import ContactRecorder
from see1previs.physics.stepper import Stepper
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.world import World
from see1previs.station.loader import load_station
from see1previs.station.model import Station

ProgressCallback = Callable[[float], None]
CancelCheck = Callable[[], bool]
FramesCallback = Callable[["Trajectory"], None]  # the frames baked so far (a streamed bake)
STREAM_INTERVAL_S = 0.1  # wall-clock time between two hand-overs of a streamed bake


class BakeCancelled(Exception):
    """The bake was stopped by its caller before it finished."""


CHECKPOINT_EVERY = 24  # frames between the resume points a bake keeps


@dataclass
class Checkpoint:
    """The whole bake loop at the top of one frame: enough to carry on from there."""

    frame: int
    time: float
    state: np.ndarray  # World.state(): time, positions, velocities, controls, constraints
    cue_index: int
    eq_data: np.ndarray  # runtime constraint data the actor cues write into the model
    tendon_range: np.ndarray
    actor_cues: dict | None
    contacts: tuple


@dataclass
class BakeMemory:
    """A finished bake's raw frames and checkpoints, kept so an edit can resume it."""

    scene: Scene
    model_hash: str
    raw_before: np.ndarray
    raw_after: np.ndarray
    blend: np.ndarray
    checkpoints: list[Checkpoint] = field(default_factory=list)


def model_hash(model: mujoco.MjModel) -> str:
    """Digest of a compiled model: equal digests mean the same physics, bit for bit."""
    buffer = np.zeros(mujoco.mj_sizeModel(model), dtype=np.uint8)
    mujoco.mj_saveModel(model, None, buffer)
    return hashlib.sha256(buffer.tobytes()).hexdigest()


def resume_point(memory: BakeMemory, world: World, scene: Scene) -> Checkpoint | None:
    """The latest checkpoint of ``memory`` that is still true for ``scene``, if any.

    True means: the same compiled model, the same settings, and every cue that acted before
    the checkpoint (and for two steps after it) unchanged. Anything less and the bake starts
    over; the test for this is that a resumed bake equals a full one bit for bit.
    """
    old = memory.scene
    if memory.model_hash != model_hash(world.model) or old.frame_rate != scene.frame_rate:
        return None
    ignored = {"title", "cues", "cameras", "shots", "duration"}
    if old.model_dump(exclude=ignored) != scene.model_dump(exclude=ignored):
        return None
    camera_ids = {camera.id for camera in [*old.cameras, *scene.cameras]}
    aims_at_camera = any(
        getattr(cue, "toward", None) in camera_ids for cue in [*old.cues, *scene.cues]
    )
    if aims_at_camera and old.cameras != scene.cameras:
        return None

    def acting(cues) -> set[tuple[float, str]]:
        return {(_start_time(cue), repr(sorted(cue.model_dump().items()))) for cue in cues}

    changed = acting(old.cues) ^ acting(scene.cues)
    first_change = min((start for start, _ in changed), default=math.inf)
    margin = 2.0 * world.model.opt.timestep
    frames = scene.frame_rate.frame_count(scene.duration)
    usable = [
        point
        for point in memory.checkpoints
        if point.time + margin < first_change and point.frame < frames
    ]
    return usable[-1] if usable else None


def _start_time(cue) -> float:
    """When the bake hands a cue over (a catch opens its window early)."""
    return ActorCues.start_time(cue) if isinstance(cue, ACTOR_CUE_TYPES) else cue.time


def station_for(scene: Scene, scene_dir: Path | None) -> Station:
    """The interior a scene plays in, resolving a custom mesh relative to the scene file."""
    interior = scene.station.interior
    if interior == "see1":
        return load_station(interior)
    return load_station(scene_asset_path(interior, scene_dir))


def bake(
    scene: Scene,
    *,
    station: Station | None = None,
    scene_dir: Path | None = None,
    world: World | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
    memory: list[BakeMemory] | None = None,
    resume: tuple[BakeMemory, Checkpoint] | None = None,
    on_frames: FramesCallback | None = None,
) -> Trajectory:
    """Simulate ``scene`` from its start to its end and record every frame.

    ``memory``, if given, receives the bake's :class:`BakeMemory`; ``resume`` carries on
    from a checkpoint of an earlier bake (see :func:`resume_point`) instead of time 0.
    ``on_frames``, if given, streams the bake: it receives a :class:`Trajectory` of the
    frames baked so far as soon as the first new frame is baked, then every
    :data:`STREAM_INTERVAL_S` (called in the baking thread; the arrays are never written
    again, so another thread may read them).
    """
    if world is None:
        if station is None:
            station = station_for(scene, scene_dir)
        world = World.build(scene, station, scene_dir)
    else:
        world.reset()
    trajectory, kept = _run(world, scene, progress, should_cancel, resume, on_frames)
    if memory is not None:
        memory.append(kept)
    return trajectory


def _run(
    world: World,
    scene: Scene,
    progress: ProgressCallback | None,
    should_cancel: CancelCheck | None,
    resume: tuple[BakeMemory, Checkpoint] | None = None,
    on_frames: FramesCallback | None = None,
) -> tuple[Trajectory, BakeMemory]:
    """The bake loop: per frame, keep a resume point, start the cues that are due, step to
    the frame, record the state around it, check the physics; then assemble the frames."""
    model, data = world.model, world.data
    rate = scene.frame_rate
    frame_count = rate.frame_count(scene.duration)
    frame_times = [rate.frame_time(k) for k in range(frame_count)]
    compiled = model_hash(model)  # before actor cues write their constraints into it
    actor_cues = ActorCues(world) if world.rigs else None
    # (start time, file index, cue): simultaneous cues act in file order.
    cues = sorted(
        ((_start_time(cue), i, cue) for i, cue in enumerate(scene.cues)),
        key=lambda item: (item[0], item[1]),
    )
    handles = world.bodies
    recorder = ContactRecorder(
        model=model,
        geom_owner=world.geom_owner,
        body_of_owner={h.id: h.body_id for h in handles},
        dof_of_owner={h.id: h.qvel_adr for h in handles},
        geom_link=world.geom_link,
    )
    guard = BakeGuard(world, drag=scene.environment.air_drag)
    stepper = Stepper(model, data, guard, recorder, actor_cues)
    dt, tolerance = stepper.dt, stepper.tolerance
    raw = _RawFrames(world, frame_count)

    cue_index = 0
    report_every = max(1, frame_count // 200)
    checkpoints: list[Checkpoint] = []
    # Besides every second, a resume point just before each cue: an edit of that cue then
    # re-bakes from there, not from up to a second earlier.
    cue_frames = {
        int(np.searchsorted(frame_times, start - 3.0 * dt, side="right")) - 1
        for start, _, _ in cues
    }
    first_frame = 0
    if resume is not None:
        earlier, point = resume
        first_frame, cue_index = point.frame, point.cue_index
        raw.keep_first(earlier, first_frame)
        world.set_state(point.state)
        model.eq_data[:] = point.eq_data
        model.tendon_range[:] = point.tendon_range
        if actor_cues is not None:
            actor_cues.restore(point.actor_cues)
        recorder.active, recorder.finished = copy.deepcopy(point.contacts)
        checkpoints = [c for c in earlier.checkpoints if c.frame <= first_frame]
    stream = _Stream(world, scene, raw, frame_times, on_frames) if on_frames else None
    for frame in range(first_frame, frame_count):
        t = frame_times[frame]
        if (frame % CHECKPOINT_EVERY == 0 or frame in cue_frames) and frame > first_frame:
            checkpoints.append(_checkpoint(world, frame, cue_index, actor_cues, recorder))
        # Cues act at their exact time, the clock landing on it with one shorter step.
        while cue_index < len(cues) and cues[cue_index][0] <= t:
            start, index, cue = cues[cue_index]
            if start > data.time:
                stepper.advance_to(start)
            if isinstance(cue, ACTOR_CUE_TYPES):
                mujoco.mj_forward(model, data)
                actor_cues.start(index, cue, start)
            else:
                _apply_cue(world, cue)
            guard.cue_acted()
            cue_index += 1
        stepper.whole_steps_to(t)
        # A frame is the state interpolated between the two steps around it, or the state
        # itself when the clock is on it (or is put there because a cue falls in the step).
        next_cue = cues[cue_index][0] if cue_index < len(cues) else math.inf
        if t - data.time <= tolerance:
            raw.exact(frame)
        elif data.time + dt > next_cue:
            stepper.advance_to(t)
            raw.exact(frame)
        else:
            start_time = data.time
            raw.before(frame)
            stepper.step(dt)
            raw.after(frame, (t - start_time) / (data.time - start_time))
        guard.check(data)
        if actor_cues is not None:
            actor_cues.after_frame(float(data.time))
        if stream is not None:
            stream.frame_baked(frame)
        if should_cancel is not None and should_cancel():
            raise BakeCancelled(f"bake of '{scene.title}' cancelled at {t:.2f} s")
        if progress is not None and (frame % report_every == 0 or frame == frame_count - 1):
            progress((frame + 1) / frame_count)

    kept = BakeMemory(scene, compiled, raw.raw_before, raw.raw_after, raw.blend, checkpoints)
    return _assemble(world, scene, raw, frame_times, recorder, actor_cues), kept


class _RawFrames:
    """The raw joint state on both sides of every frame, and where the frame lies between.

    The loop only copies raw state (cheap); poses and COM velocities are derived for all
    frames at once afterwards. Scenes with articulated actors keep the whole state: their
    segments are posed from it.
    """

    def __init__(self, world: World, frame_count: int) -> None:
        model, handles = world.model, world.bodies
        self.data = world.data
        self.nq = model.nq
        qvel_index = np.array([h.qvel_adr for h in handles], dtype=int)
        self.qpos_index = np.array([h.qpos_adr for h in handles], dtype=int)[:, None] + np.arange(7)
        self.qvel_index6 = qvel_index[:, None] + np.arange(6)
        self.state_index = np.concatenate([self.qpos_index, model.nq + self.qvel_index6], axis=1)
        if world.rigs:
            self.state_index = np.arange(model.nq + model.nv)[None, :]
        self.raw_before = np.zeros((frame_count, *self.state_index.shape))
        self.raw_after = np.zeros((frame_count, *self.state_index.shape))
        self.blend = np.zeros(frame_count)
        self._qstate = np.zeros(model.nq + model.nv)

    def keep_first(self, earlier: BakeMemory, frames: int) -> None:
        """The frames before a resume point, from the bake that made it."""
        self.raw_before[:frames] = earlier.raw_before[:frames]
        self.raw_after[:frames] = earlier.raw_after[:frames]
        self.blend[:frames] = earlier.blend[:frames]

    def _capture(self, out: np.ndarray) -> None:
        self._qstate[: self.nq] = self.data.qpos
        self._qstate[self.nq :] = self.data.qvel
        out[:] = self._qstate[self.state_index]

    def exact(self, frame: int) -> None:
        """The clock is on the frame: before and after are the same state."""
        self._capture(self.raw_before[frame])
        self.raw_after[frame] = self.raw_before[frame]

    def before(self, frame: int) -> None:
        self._capture(self.raw_before[frame])

    def after(self, frame: int, blend: float) -> None:
        self._capture(self.raw_after[frame])
        self.blend[frame] = blend


def _checkpoint(
    world: World,
    frame: int,
    cue_index: int,
    actor_cues: ActorCues | None,
    recorder: ContactRecorder,
) -> Checkpoint:
    """Everything a bake needs to carry on from this moment exactly."""
    model = world.model
    return Checkpoint(
        frame=frame,
        time=float(world.data.time),
        state=world.state(),
        cue_index=cue_index,
        eq_data=model.eq_data.copy(),
        tendon_range=model.tendon_range.copy(),
        actor_cues=actor_cues.snapshot() if actor_cues is not None else None,
        contacts=copy.deepcopy((recorder.active, recorder.finished)),
    )


@dataclass
class _Poses:
    """Body and segment poses and velocities of a run of frames."""

    positions: np.ndarray
    orientations: np.ndarray
    linear: np.ndarray
    angular: np.ndarray
    links: list[str]
    link_positions: np.ndarray | None
    link_orientations: np.ndarray | None


def _poses(world: World, raw: _RawFrames, frames: slice) -> _Poses:
    """What the frames ``frames`` show, derived from their raw states."""
    model, handles = world.model, world.bodies
    com_local = model.body_ipos[np.array([h.body_id for h in handles], dtype=int)]
    before, after, blend = raw.raw_before[frames], raw.raw_after[frames], raw.blend[frames]
    if not world.rigs:
        return _Poses(*_frames_from_raw(before, after, blend, com_local), [], None, None)
    columns = np.concatenate([raw.qpos_index, model.nq + raw.qvel_index6], axis=1)
    positions, orientations, linear, angular = _frames_from_raw(
        before[:, 0, :][:, columns], after[:, 0, :][:, columns], blend, com_local
    )
    links, link_positions, link_orientations, com_velocities = _articulated_frames(
        world, before[:, 0, :], after[:, 0, :], blend
    )
    for b, handle in enumerate(handles):
        if handle.rig is not None:
            linear[:, b] = com_velocities[handle.id]
    return _Poses(
        positions, orientations, linear, angular, links, link_positions, link_orientations
    )


def _assemble(
    world: World,
    scene: Scene,
    raw: _RawFrames,
    frame_times: list[float],
    recorder: ContactRecorder,
    actor_cues: ActorCues | None,
) -> Trajectory:
    """The trajectory from the raw frames: poses, velocities, contacts and cue outcomes."""
    model, data = world.model, world.data
    metadata = {
        "title": scene.title,
        "app_version": __version__,
        "mujoco_version": mujoco.__version__,
        "timestep": model.opt.timestep,
    }
    if actor_cues is not None:
        metadata["cue_outcomes"] = actor_cues.finish(data.time)
        metadata["poses_not_held"] = actor_cues.poses_not_held()
    poses = _poses(world, raw, slice(0, len(frame_times)))
    return Trajectory(
        body_ids=[h.id for h in world.bodies],
        frame_rate=Fraction(scene.frame_rate.fps),
        times=np.array(frame_times),
        positions=poses.positions,
        orientations=poses.orientations,
        linear_velocities=poses.linear,
        angular_velocities=poses.angular,
        contacts=recorder.finish(),
        metadata=metadata,
        links=poses.links,
        link_positions=poses.link_positions,
        link_orientations=poses.link_orientations,
    )


class _Stream:
    """Hands the frames baked so far to ``on_frames`` while the bake goes on.

    Each hand-over derives only the frames baked since the last one, into arrays for the
    whole bake; the trajectory handed over is a view of the frames done, which the bake never
    writes again. Contacts and cue outcomes come with the finished bake.
    """

    def __init__(
        self,
        world: World,
        scene: Scene,
        raw: _RawFrames,
        frame_times: list[float],
        on_frames: FramesCallback,
    ) -> None:
        self.world, self.raw, self.on_frames = world, raw, on_frames
        self.times = np.array(frame_times)
        self.frame_rate = Fraction(scene.frame_rate.fps)
        self.metadata = {"title": scene.title, "streamed": True}
        self.done = 0  # frames derived so far
        self.arrays: _Poses | None = None
        self.last_handed = -math.inf

    def frame_baked(self, frame: int) -> None:
        """Frame ``frame`` is baked: hand the frames over if it is time to."""
        ready = frame + 1
        now = time.monotonic()
        first = self.arrays is None
        if not first and now - self.last_handed < STREAM_INTERVAL_S and ready < len(self.times):
            return
        self.last_handed = now
        poses = _poses(self.world, self.raw, slice(self.done, ready))
        if first:
            self.arrays = _Poses(
                *(
                    np.zeros((len(self.times), *getattr(poses, name).shape[1:]))
                    for name in ("positions", "orientations", "linear", "angular")
                ),
                poses.links,
                *(
                    None if value is None else np.zeros((len(self.times), *value.shape[1:]))
                    for value in (poses.link_positions, poses.link_orientations)
                ),
            )
        arrays, rows = self.arrays, slice(self.done, ready)
        for name in ("positions", "orientations", "linear", "angular"):
            getattr(arrays, name)[rows] = getattr(poses, name)
        if arrays.link_positions is not None:
            arrays.link_positions[rows] = poses.link_positions
            arrays.link_orientations[rows] = poses.link_orientations
        self.done = ready
        self.on_frames(
            Trajectory(
                body_ids=[h.id for h in self.world.bodies],
                frame_rate=self.frame_rate,
                times=self.times[:ready],
                positions=arrays.positions[:ready],
                orientations=arrays.orientations[:ready],
                linear_velocities=arrays.linear[:ready],
                angular_velocities=arrays.angular[:ready],
                metadata=dict(self.metadata),
                links=list(arrays.links),
                link_positions=None
                if arrays.link_positions is None
                else arrays.link_positions[:ready],
                link_orientations=None
                if arrays.link_orientations is None
                else arrays.link_orientations[:ready],
            )
        )


def _articulated_frames(
    world: World, before: np.ndarray, after: np.ndarray, blend: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Segment poses and whole-body COM velocities of every actor, per frame.

    Each frame's state is blended between the steps around it (joint angles and velocities
    linearly, free-joint quaternions normalised) and run through MuJoCo's kinematics on a
    scratch copy of the data, so the recorded segments are exactly what the model says.
    """
    model = world.model
    scratch = mujoco.MjData(model)
    nq = model.nq
    links = [name for rig in world.rigs.values() for name in rig.links]
    link_bodies = np.array([body for rig in world.rigs.values() for body in rig.bodies])
    frames = len(blend)
    link_positions = np.zeros((frames, len(links), 3))
    link_orientations = np.zeros((frames, len(links), 4))
    velocities = {actor: np.zeros((frames, 3)) for actor in world.rigs}
    free_quats = [
        model.jnt_qposadr[j] + 3 for j in range(model.njnt) if model.jnt_type[j] == 0
    ]  # mjJNT_FREE
    for frame in range(frames):
        state = before[frame] + blend[frame] * (after[frame] - before[frame])
        for adr in free_quats:
            state[adr : adr + 4] /= np.linalg.norm(state[adr : adr + 4])
        scratch.qpos[:] = state[:nq]
        scratch.qvel[:] = state[nq:]
        mujoco.mj_kinematics(model, scratch)
        mujoco.mj_comPos(model, scratch)
        mujoco.mj_comVel(model, scratch)
        mujoco.mj_subtreeVel(model, scratch)
        link_positions[frame] = scratch.xpos[link_bodies]
        link_orientations[frame] = scratch.xquat[link_bodies]
        for actor, rig in world.rigs.items():
            velocities[actor][frame] = scratch.subtree_linvel[rig.root]
    return links, link_positions, link_orientations, velocities


def _frames_from_raw(
    before: np.ndarray, after: np.ndarray, blend: np.ndarray, com_local: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Positions, orientations and COM velocities from raw free-joint states (F, B, 13).

    Each frame is ``before`` blended toward ``after`` by ``blend``: positions and velocities
    linearly, orientations by slerp.
    """
    frames, count = before.shape[:2]
    if count == 0:
        empty = np.zeros((frames, 0, 3))
        return empty, np.zeros((frames, 0, 4)), empty, empty.copy()
    u = blend[:, None]

    def velocities(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rotation = quat.to_matrix(raw[..., 3:7])
        omega = np.einsum("fbij,fbj->fbi", rotation, raw[..., 10:13])
        offset = np.einsum("fbij,bj->fbi", rotation, com_local)
        return raw[..., 7:10] + np.cross(omega, offset), omega

    linear_a, angular_a = velocities(before)
    linear_b, angular_b = velocities(after)
    weight = u[..., None]
    positions = (1.0 - weight) * before[..., :3] + weight * after[..., :3]
    orientations = quat.slerp(
        before[..., 3:7], after[..., 3:7], np.broadcast_to(u, (frames, count))
    )
    linear = (1.0 - weight) * linear_a + weight * linear_b
    angular = (1.0 - weight) * angular_a + weight * angular_b
    return positions, orientations, linear, angular


def _apply_cue(world: World, cue: ImpulseCue | SpinCue) -> None:
    mujoco.mj_forward(world.model, world.data)
    if isinstance(cue, ImpulseCue):
        world.apply_impulse(cue.target, cue.impulse, cue.point)
    else:
        world.set_angular_velocity(cue.target, cue.angular_velocity)
    mujoco.mj_forward(world.model, world.data)
