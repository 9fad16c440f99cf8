"""Aiming: solve a push-off or a throw so the body arrives at a mark, by running the real bake.

In zero g nobody walks to a mark: where an actor arrives is decided by the push. Given a
push-off cue and a mark (:mod:`see1previs.physics.aim_targets`), :func:`solve_aim` finds the
push's direction and speed so the actor's position (the pelvis, as the trajectory records
it) is at the mark *at time T*, or passes through it *at a given speed*. For a throw it
finds the release velocity so the prop meets a hand (by default the catcher's hand of the
catch that follows, at the catch time).

How: shooting. The scene is baked once up to the cue (or an earlier bake's checkpoint is
used); then each trial is a short partial bake resumed from that checkpoint that stops at
T, with the cue's speed and direction replaced. A ballistic guess starts it; Broyden's
method (a Jacobian from the ballistic model, updated from each trial) drives the miss to
zero. Everything the real bake does acts on every trial: air drag, ventilation, the push's
force profile, posture changes, the thrower's recoil, contacts. A trial is bit-identical
to the full bake up to T, so the miss it reports is the miss of the real bake.

Aims that no push can do are refused with the reason (:class:`AimError`): faster than the
safe speed (``scene.blocking.safe_speed`` for a push-off — the actor would hit whatever
stops them harder than that; the format's limit for a throw), out of reach of the surface
(the bake's own reach check), a mark behind the wall of the hold, a mark outside the
module, or a best trial that still misses (with what was in the way).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from see1previs.core.commands import scene_data, scene_from
from see1previs.core.scene import CatchCue, GrabCue, PushOffCue, Scene, ThrowCue
from see1previs.core.scene_cues import WALL, ImpulseCue
from see1previs.physics.aim_targets import Mark, parse_target
from see1previs.physics.bake import BakeMemory, bake, resume_point
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.world import World
from see1previs.station.queries import MESH_QUERY_LOCK

TOLERANCE = 0.005  # m: stop when the trial misses by less than this
ARRIVAL_LIMIT = 0.02  # m: a best trial missing by more is refused (it is the real bake's miss)
MAX_ITERATIONS = 12
BEHIND_WALL = -0.5  # cosine: a push more than 120° from straight out of its surface goes
# into the wall it pushes off (along it, a hand can still pull and guide)
SPEED_DIGITS, DIRECTION_DIGITS = 4, 5  # what is written into the cue


class AimError(Exception):
    """No push or throw from this cue can do what was asked; the message says why."""


@dataclass
class AimResult:
    """A solved aim: the cue's new speed and direction, and how well the real bake hits."""

    cue_id: str
    cue_type: str
    mover: str  # the actor pushed or the prop thrown
    mark: Mark
    speed: float  # m/s, as written into the cue
    direction: tuple[float, float, float]
    arrival_time: float  # s: T, or when the mover passes the mark (at-speed aims)
    miss: float  # m: mover to mark at arrival, in the real bake
    iterations: int  # trials (partial bakes) run
    seconds: float  # wall-clock time of the solve
    baked_seconds: float = 0.0  # scene time simulated by the trials together
    trial_misses: list[float] = field(default_factory=list)
    path: np.ndarray | None = None  # (N, 3) m: the mover from the cue to arrival, per frame
    mark_position: tuple[float, float, float] | None = None  # where the mark is at arrival

    def apply(self, scene: Scene) -> Scene:
        """``scene`` with the cue's speed and direction set (any ``toward`` replaced)."""
        data = scene_data(scene)
        cue = next(c for c in data["cues"] if c["id"] == self.cue_id)
        cue["speed"] = self.speed
        cue["direction"] = list(self.direction)
        cue["toward"] = None
        return scene_from(data)

    @property
    def trials_text(self) -> str:
        return f"{self.iterations} trial bake" + ("" if self.iterations == 1 else "s")

    def summary(self) -> str:
        what = "push off" if self.cue_type == "push_off" else "throw"
        heading = ", ".join(f"{c:+.3f}" for c in self.direction)
        return (
            f"{self.cue_id}: {what} at {self.speed:.3f} m/s toward ({heading}); arrives at "
            f"{self.mark.label} at {self.arrival_time:.2f} s, missing by "
            f"{self.miss * 100:.1f} cm; {self.trials_text} in {self.seconds:.1f} s"
        )


def solve_aim(
    scene: Scene,
    cue_id: str,
    target: str | Mark | None = None,
    *,
    at: float | None = None,
    speed: float | None = None,
    scene_dir: Path | None = None,
    world: World | None = None,
    previous: BakeMemory | None = None,
    progress: Callable[[float], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    tolerance: float = TOLERANCE,
) -> AimResult:
    """Solve cue ``cue_id`` of ``scene`` to arrive at ``target`` at time ``at`` or speed ``speed``.

    ``target`` defaults, for a throw, to the hand of the next catch of the prop (and ``at`` to
    the catch time). ``world`` (prepared for this scene, not used elsewhere meanwhile) and
    ``previous`` (an earlier bake's memory) save building and baking up to the cue.
    Raises :class:`AimError` with the reason when it cannot be done.
    """
    started = time.perf_counter()
    index, cue = _cue(scene, cue_id)
    if world is None:
        from see1previs.physics.simulation import prepare_world

        world = prepare_world(scene, scene_dir)
    mark, at = _target_and_time(scene, index, cue, target, at, speed, world)
    if at is not None and speed is not None:
        raise AimError(f"cue '{cue_id}': give a time to arrive at or a speed, not both")
    if at is None and speed is None:
        raise AimError(f"cue '{cue_id}': say when to arrive (a time) or how fast to go (a speed)")
    if mark.point is not None and not bool(world.station.contains([mark.point])[0]):
        raise AimError(f"cue '{cue_id}': {mark.label} is outside the module")
    limit, limit_words = _speed_limit(scene, cue)
    if speed is not None and speed > limit:
        raise AimError(f"cue '{cue_id}': {speed:g} m/s is above {limit_words}")
    if speed is not None and speed <= 0:
        raise AimError(f"cue '{cue_id}': the speed must be more than 0 m/s")
    shooter = _Shooter(scene, index, world, previous, should_cancel)
    shooter.catcher = mark.actor if not shooter.is_push else None
    shooter.tolerance = tolerance
    solve = _solve_at_time if at is not None else _solve_at_speed
    result = solve(shooter, mark, at if at is not None else speed, limit, limit_words, progress)
    u, arrival, miss, trajectory = result
    if miss > max(ARRIVAL_LIMIT, tolerance):
        raise AimError(f"cue '{cue_id}': {_why_missed(shooter, trajectory, mark, miss, arrival)}")
    relative = u - shooter.carried  # a throw's speed is relative to the hand
    speed_out = round(float(np.linalg.norm(relative)), SPEED_DIGITS)
    direction = tuple(
        round(float(c), DIRECTION_DIGITS) for c in relative / np.linalg.norm(relative)
    )
    if speed_out > limit + 1e-9:
        raise AimError(f"cue '{cue_id}': needs {speed_out:.2f} m/s, above {limit_words}")
    if not shooter.is_push:
        shooter.check_catches(u, arrival)
    if progress is not None:
        progress(1.0)
    return AimResult(
        cue_id=cue.id,
        cue_type=cue.type,
        mover=shooter.mover,
        mark=mark,
        speed=speed_out,
        direction=direction,
        arrival_time=float(arrival),
        miss=float(miss),
        iterations=shooter.trials,
        seconds=time.perf_counter() - started,
        baked_seconds=shooter.baked_seconds,
        trial_misses=shooter.misses,
        path=_path(shooter, trajectory, arrival),
        mark_position=tuple(
            float(c) for c in mark.position(trajectory, arrival, shooter.start_position)
        ),
    )


GHOST_SECONDS = 2.5  # s: how far ahead a ghost path runs past the end of the push


class GhostPath:
    """The path one push-off, throw or impulse would give with a trial direction and speed.

    While the director drags a cue's arrow, each request is a short partial bake resumed
    from the cue's checkpoint (the same trials the solver runs) that stops
    :data:`GHOST_SECONDS` after the push ends. Build it once per drag; it keeps its world
    and checkpoint between requests, so use it from one thread at a time. A throw flies
    free (the catches after it are left out, as in the solver's trials).
    """

    def __init__(
        self,
        scene: Scene,
        cue_id: str,
        *,
        scene_dir: Path | None = None,
        world: World | None = None,
        previous: BakeMemory | None = None,
        seconds: float = GHOST_SECONDS,
        should_cancel: Callable[[], bool] | None = None,
    ) -> None:
        index = next((i for i, c in enumerate(scene.cues) if c.id == cue_id), None)
        if index is None or not isinstance(scene.cues[index], PushOffCue | ThrowCue | ImpulseCue):
            raise AimError(f"cue '{cue_id}': no push-off, throw or impulse with that id")
        if world is None:
            from see1previs.physics.simulation import prepare_world

            world = prepare_world(scene, scene_dir)
        self.shooter = _Shooter(scene, index, world, previous, should_cancel)
        self.seconds = float(seconds)

    @property
    def start(self) -> np.ndarray:
        """Where the mover is at the cue's time."""
        return np.asarray(self.shooter.start_position, dtype=float)

    def path(
        self, direction, speed: float, should_cancel: Callable[[], bool] | None = None
    ) -> np.ndarray:
        """(N, 3) m: the mover at each frame from the cue's time on, pushed or thrown at
        ``speed`` (m/s, a throw's relative to the hand, an impulse's the change it makes)
        along ``direction``."""
        shooter = self.shooter
        shooter.should_cancel = should_cancel
        d = np.asarray(direction, dtype=float)
        d = d / max(float(np.linalg.norm(d)), 1e-12)
        end = min(float(shooter.scene.duration), shooter.start + shooter.lead + self.seconds)
        trajectory = shooter.trial(shooter.carried + float(speed) * d, end)
        return _path(shooter, trajectory, end)


# ---- the two kinds of aim ------------------------------------------------------------------


def _solve_at_time(shooter, mark, at, limit, limit_words, progress):
    """Unknown: the velocity vector (3); residual: mover minus mark at T (3)."""
    t0, lead = shooter.start, shooter.lead
    if at <= t0 + lead + 1e-6:
        what = "push ends" if shooter.is_push else "throw happens"
        raise AimError(
            f"cue '{shooter.cue.id}': arrive at {at:.2f} s is not after the {what} "
            f"({t0 + lead:.2f} s)"
        )
    if at > shooter.scene.duration:
        raise AimError(
            f"cue '{shooter.cue.id}': {at:.2f} s is after the scene ends "
            f"({shooter.scene.duration:g} s)"
        )
    flight = at - t0 - lead / 2.0
    start = shooter.start_position
    target = mark.position(shooter.before, t0, start) if mark.moves else np.array(mark.point)
    guess = (target - start) / flight + shooter.carried
    ballistic = float(np.linalg.norm(guess - shooter.carried))
    if ballistic > 1.5 * limit:  # drag only adds to it: no need to bake to know
        raise AimError(
            f"cue '{shooter.cue.id}': needs at least {ballistic:.2f} m/s to be at "
            f"{mark.label} at {at:.2f} s, above {limit_words}"
        )
    shooter.check_direction(guess, mark)

    def residual(u):
        trajectory = shooter.trial(u, at)
        mover = shooter.position(trajectory, at)
        return mover - mark.position(trajectory, at, start), trajectory

    u, r, trajectory = _broyden(residual, guess, flight * np.eye(3), shooter, progress)
    shooter.check_direction(u, mark)
    return u, at, float(np.linalg.norm(r)), trajectory


def _solve_at_speed(shooter, mark, speed, limit, limit_words, progress):
    """Unknown: the direction (2 angles); residual: the miss across the line of flight at the
    closest approach (2). The arrival time is when the mover passes closest to the mark."""
    t0, lead = shooter.start, shooter.lead
    start = shooter.start_position
    target = mark.position(shooter.before, t0, start) if mark.moves else np.array(mark.point)
    line = target - start
    distance = float(np.linalg.norm(line))
    heading = line / max(distance, 1e-9)
    shooter.check_direction(heading, mark)
    e1 = np.cross(heading, [0.0, 0.0, 1.0])
    if np.linalg.norm(e1) < 1e-6:
        e1 = np.cross(heading, [1.0, 0.0, 0.0])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(heading, e1)
    horizon = min(shooter.scene.duration, t0 + lead + 1.6 * distance / speed + 0.5)
    arrival = [horizon]

    def velocity(angles):
        d = heading + angles[0] * e1 + angles[1] * e2
        return shooter.carried + speed * d / np.linalg.norm(d)

    def residual(angles):
        trajectory = shooter.trial(velocity(angles), horizon)
        when = _closest_time(shooter, trajectory, mark, start, t0 + lead, horizon)
        arrival[0] = when
        miss = shooter.position(trajectory, when) - mark.position(trajectory, when, start)
        return np.array([miss @ e1, miss @ e2, miss @ heading]), trajectory

    def across(angles):
        r, trajectory = residual(angles)
        return r[:2], trajectory

    angles, _r, trajectory = _broyden(across, np.zeros(2), distance * np.eye(2), shooter, progress)
    u = velocity(angles)
    shooter.check_direction(u, mark)
    when = arrival[0]
    miss = float(
        np.linalg.norm(shooter.position(trajectory, when) - mark.position(trajectory, when, start))
    )
    if when >= horizon - 1e-6:
        raise AimError(
            f"cue '{shooter.cue.id}': at {speed:g} m/s {shooter.mover} does not reach "
            f"{mark.label} before {horizon:.2f} s (closest {miss:.2f} m)"
            + (" when the scene ends" if horizon >= shooter.scene.duration else "")
        )
    return u, when, miss, trajectory


def _broyden(residual, u, jacobian, shooter, progress):
    """Broyden's method from ``u``, kept to steps that help: the best (u, residual,
    trajectory) it reached.

    Every trial updates the Jacobian (a secant from the best point so far); a trial that
    misses by more than the best is not moved to, and the next step is shortened. Contacts
    make the physics non-smooth (a hand brushing the rail it pushes off), where plain
    Broyden steps can cycle.
    """
    r, trajectory = residual(u)
    miss = float(np.linalg.norm(r))
    shooter.misses.append(miss)
    scale = 1.0
    for iteration in range(MAX_ITERATIONS):
        if progress is not None:
            progress(min(0.95, (iteration + 1) / 6.0))
        if miss < shooter.tolerance:
            break
        step = -scale * np.linalg.solve(jacobian, r)
        r_next, trajectory_next = residual(u + step)
        jacobian = jacobian + np.outer(r_next - r - jacobian @ step, step) / float(step @ step)
        miss_next = float(np.linalg.norm(r_next))
        shooter.misses.append(miss_next)
        if miss_next < miss:
            u, r, miss, trajectory = u + step, r_next, miss_next, trajectory_next
            scale = min(1.0, 2.0 * scale)
        else:
            scale *= 0.5
    return u, r, trajectory


def _closest_time(shooter, trajectory, mark, start, first, last) -> float:
    """When the mover passes closest to the mark between ``first`` and ``last``."""
    rate = float(trajectory.frame_rate)
    times = np.arange(math.ceil(first * rate), math.floor(last * rate) + 1) / rate
    if len(times) == 0:
        return last

    def gap(t):
        return float(
            np.linalg.norm(shooter.position(trajectory, t) - mark.position(trajectory, t, start))
        )

    k = int(np.argmin([gap(t) for t in times]))
    lo, hi = times[max(k - 1, 0)], times[min(k + 1, len(times) - 1)]
    for _ in range(30):  # golden-section search between the frames around the minimum
        a, b = lo + 0.382 * (hi - lo), lo + 0.618 * (hi - lo)
        if gap(a) < gap(b):
            hi = b
        else:
            lo = a
    return float(0.5 * (lo + hi))


# ---- partial bakes from the cue's checkpoint -------------------------------------------------


class _Shooter:
    """Runs trial bakes of the scene with the cue's velocity replaced, from a checkpoint."""

    def __init__(self, scene, index, world, previous, should_cancel) -> None:
        self.scene = scene
        self.index = index
        self.cue = scene.cues[index]
        self.world = world
        self.should_cancel = should_cancel
        self.tolerance = TOLERANCE
        self.is_push = isinstance(self.cue, PushOffCue)
        self.is_impulse = isinstance(self.cue, ImpulseCue)  # only for ghost paths
        if self.is_impulse:
            self.mover = self.cue.target
        else:
            self.mover = self.cue.actor if self.is_push else self.cue.prop
        self.start = float(self.cue.time)
        self.lead = float(self.cue.duration) if self.is_push else 0.0
        self.frame = 1.0 / float(scene.frame_rate.fps)
        self.trials = 0
        self.baked_seconds = 0.0
        self.misses: list[float] = []
        self.catcher: str | None = None  # a throw's mark's actor, set by solve_aim
        # A throw's prop must fly free: the catches and grabs of it after the throw go.
        self.base = scene
        if not self.is_push:
            data = scene_data(scene)
            data["cues"] = [
                c
                for i, c in enumerate(data["cues"])
                if not (
                    i != index
                    and c["type"] in ("catch", "grab")
                    and c["target"] == self.mover
                    and c["time"] >= self.cue.time
                )
            ]
            self.base = scene_from(data)
        # Actor cues write their constraints into the model; put them back before each
        # trial so the compiled model (and so the checkpoint) stays the same.
        self.eq_data = world.model.eq_data.copy()
        self.memory = previous
        if self.memory is None or resume_point(self.memory, world, self.base) is None:
            self.memory = self._bake_to_cue()
        # The scene just before the cue: the mover's start and what it carries.
        self.before = self._run(self.base, self.start + self.frame)
        self.start_position = self.position(self.before, self.start)
        self.carried = np.zeros(3)
        if not self.is_push:  # the prop leaves with the hand's velocity plus the throw
            self.carried = self.before.velocity(self.mover, self.start)[0]
        outcomes = {(o["id"], o["type"]): o for o in self.before.metadata.get("cue_outcomes", [])}
        self._refuse_if_impossible(outcomes.get((self.cue.id, self.cue.type)))

    def _bake_to_cue(self) -> BakeMemory:
        until = self.scene.model_copy(
            update={"duration": min(self.scene.duration, self.start + 2 * self.frame)}
        )
        memory: list[BakeMemory] = []
        self.world.model.eq_data[:] = self.eq_data
        bake(until, world=self.world, memory=memory, should_cancel=self.should_cancel)
        return memory[0]

    def _run(self, scene: Scene, until: float) -> Trajectory:
        """Bake ``scene`` up to ``until`` (plus two frames), resumed from the checkpoint."""
        end = min(self.scene.duration, until + 2 * self.frame)
        short = scene.model_copy(update={"duration": end})
        self.world.model.eq_data[:] = self.eq_data
        self.world.reset()  # the tether lengths a trial set go back too
        point = resume_point(self.memory, self.world, short)
        resume = (self.memory, point) if point is not None else None
        self.baked_seconds += end - (point.time if point is not None else 0.0)
        return bake(short, world=self.world, resume=resume, should_cancel=self.should_cancel)

    def trial(self, velocity: np.ndarray, until: float) -> Trajectory:
        """A partial bake with the cue pushing or throwing at ``velocity`` (m/s)."""
        relative = np.asarray(velocity, dtype=float) - self.carried
        speed = float(np.linalg.norm(relative))
        if speed < 1e-6:
            relative, speed = np.array([1.0, 0.0, 0.0]), 1e-6
        data = scene_data(self.base)
        cue = next(c for c in data["cues"] if c["id"] == self.cue.id)  # the base may have
        # fewer cues (a throw's catches go), so not by index
        if self.is_impulse:  # the change of velocity times the body's mass
            mass = self.scene.body(self.mover).mass
            cue["impulse"] = [float(c) * mass for c in relative]
        else:
            # Clamped into the format's range: the solver may overshoot on its way.
            top = type(self.cue).model_fields["speed"].metadata
            highest = min((m.le for m in top if getattr(m, "le", None) is not None), default=15.0)
            cue["speed"] = min(speed, highest)
            cue["direction"] = [float(c) for c in relative / speed]
            cue["toward"] = None
        self.trials += 1
        trajectory = self._run(scene_from(data), until)
        outcome = next(
            (
                o
                for o in trajectory.metadata.get("cue_outcomes", [])
                if o["id"] == self.cue.id and o["type"] == self.cue.type
            ),
            None,
        )
        self._refuse_if_impossible(outcome)
        return trajectory

    def position(self, trajectory: Trajectory, t: float) -> np.ndarray:
        """Where the mover is at ``t``. A thrown prop that touches the catcher is carried on
        in a straight line from a frame before the touch: in the real bake the catch takes it
        as soon as it is in reach (:meth:`check_catches` makes sure it does)."""
        if self.is_push or self.catcher is None:
            return trajectory.pose(self.mover, t)[0]
        touches = [
            float(c["start"])
            for c in trajectory.contacts
            if {str(c["body_a"]), str(c["body_b"])} == {self.mover, self.catcher}
        ]
        touches = [start for start in touches if start > self.start]
        touched = min(touches, default=math.inf) - self.frame
        if t <= touched:
            return trajectory.pose(self.mover, t)[0]
        velocity = trajectory.velocity(self.mover, touched)[0]
        return trajectory.pose(self.mover, touched)[0] + velocity * (t - touched)

    def check_catches(self, velocity: np.ndarray, arrival: float) -> None:
        """Bake the solved throw with the catches of the prop back in: refuse if one fails
        (the prop glanced off another part of the catcher, or never came within reach)."""
        catches = [
            (i, c)
            for i, c in enumerate(self.scene.cues)
            if isinstance(c, CatchCue) and c.target == self.mover and c.time > self.start
        ]
        if not catches:
            return
        index, catch = catches[0]
        base, self.base = self.base, self.scene
        try:
            trajectory = self.trial(velocity, max(arrival, catch.time + catch.window))
        finally:
            self.base = base
        outcome = next(
            (o for o in trajectory.metadata.get("cue_outcomes", []) if o["index"] == index), None
        )
        if outcome is not None and outcome["outcome"] != "ok":
            raise AimError(f"cue '{self.cue.id}': thrown there, {catch.id} {outcome['reason']}")

    def _refuse_if_impossible(self, outcome: dict | None) -> None:
        if outcome is not None and outcome["outcome"] == "impossible":
            raise AimError(f"cue '{self.cue.id}': {outcome['reason']}")

    def check_direction(self, velocity: np.ndarray, mark: Mark) -> None:
        """Refuse a push into the surface it pushes off: the mark is behind the wall."""
        if not self.is_push:
            return
        direction = np.asarray(velocity, dtype=float)
        direction = direction / max(float(np.linalg.norm(direction)), 1e-12)
        station = self.world.station
        if self.cue.surface == WALL:
            centre = self.start_position
            with MESH_QUERY_LOCK:  # the station's mesh is shared across threads
                nearest = station.boundary.nearest.on_surface([centre])[0][0]
            normal = centre - nearest
            what = "the wall"
        else:
            normal = station.fixture(self.cue.surface).normal
            what = f"the wall of {self.cue.surface}"
        normal = normal / max(float(np.linalg.norm(normal)), 1e-12)
        if float(direction @ normal) < BEHIND_WALL:
            raise AimError(
                f"cue '{self.cue.id}': {mark.label} is behind the wall from this hold (the "
                f"push would go {math.degrees(math.acos(float(direction @ normal))):.0f}° "
                f"from straight out of {what})"
            )


def _path(shooter, trajectory: Trajectory, arrival: float) -> np.ndarray:
    """The mover's positions at each frame from the cue to arrival (both ends included)."""
    rate = float(trajectory.frame_rate)
    inside = np.arange(math.ceil(shooter.start * rate), math.floor(arrival * rate) + 1) / rate
    times = [shooter.start, *(t for t in inside if shooter.start < t < arrival), arrival]
    return np.array([shooter.position(trajectory, t) for t in times])


def _why_missed(shooter, trajectory, mark, miss, arrival) -> str:
    """Why the best trial still misses: what the mover touched on the way, if anything."""
    what = "push" if shooter.is_push else "throw"
    text = f"the best {what} misses {mark.label} by {miss:.2f} m at {arrival:.2f} s"
    mover = shooter.mover
    contacts = [
        c
        for c in trajectory.contacts
        if mover in (str(c["body_a"]), str(c["body_b"]))
        and shooter.catcher not in (str(c["body_a"]), str(c["body_b"]))
        and shooter.start + shooter.lead + 0.05 < float(c["start"]) < arrival
    ]
    if not contacts:
        return text + " (the motion on the way is too sensitive to the push to aim closer)"
    first = min(contacts, key=lambda c: float(c["start"]))
    ours, theirs = ("a", "b") if str(first["body_a"]) == mover else ("b", "a")
    link = str(first[f"link_{ours}"])
    part = f"{mover}'s {link.split('/', 1)[1].replace('_', ' ')}" if "/" in link else mover
    other = str(first[f"body_{theirs}"])
    other = "the wall" if other == "station" else other.replace("station:", "")
    return text + f": {part} touches {other} at {float(first['start']):.2f} s on the way"


# ---- the cue and what it aims at ------------------------------------------------------------


def _cue(scene: Scene, cue_id: str):
    for index, cue in enumerate(scene.cues):
        if cue.id == cue_id:
            if not isinstance(cue, PushOffCue | ThrowCue):
                raise AimError(
                    f"cue '{cue_id}' is a {cue.type} cue; only push-off and throw cues can be aimed"
                )
            return index, cue
    raise AimError(f"there is no cue '{cue_id}' in the scene")


def _target_and_time(scene, index, cue, target, at, speed, world):
    """The mark, and for a throw with no target the next catch's hand and time."""

    def grip_local(actor: str, hand: str):
        return world.rigs[actor].grip_local[hand]

    if target is None:
        if isinstance(cue, PushOffCue):
            raise AimError(f"cue '{cue.id}': say where to arrive (a point, fixture or actor)")
        catch = next(
            (
                c
                for c in scene.cues[index + 1 :]
                if isinstance(c, CatchCue | GrabCue) and c.target == cue.prop and c.time > cue.time
            ),
            None,
        )
        if catch is None:
            raise AimError(
                f"cue '{cue.id}': no catch of '{cue.prop}' follows the throw; say whose hand "
                "to throw to"
            )
        target = f"{catch.actor}:{catch.hand}_hand"
        if at is None and speed is None:
            at = float(catch.time)
    if isinstance(target, Mark):
        return target, at
    from see1previs.physics.aim_targets import AimTargetError

    try:
        return parse_target(target, scene, world.station, grip_local), at
    except AimTargetError as exc:
        raise AimError(f"cue '{cue.id}': {exc}") from exc


def _speed_limit(scene: Scene, cue) -> tuple[float, str]:
    """The fastest push or throw allowed, and how to say it."""
    fields = type(cue).model_fields["speed"].metadata
    format_limit = min((m.le for m in fields if getattr(m, "le", None) is not None), default=15.0)
    if isinstance(cue, PushOffCue):
        safe = float(scene.blocking.safe_speed)
        if safe < format_limit:
            return safe, f"the {safe:g} m/s safe speed (blocking.safe_speed)"
    return float(format_limit), f"the {format_limit:g} m/s a {cue.type.replace('_', '-')} may have"


__all__ = ["AimError", "AimResult", "GhostPath", "solve_aim"]
