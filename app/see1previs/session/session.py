"""The editing session: one scene being blocked, its undo stack, its bake, playhead and selection.

A :class:`Session` is what the desktop app shows and what its tests drive headless. It owns

- the scene and the file it came from (or none for a new scene), with the modified mark read
  from the :class:`~see1previs.core.commands.CommandStack`'s clean state;
- every edit as an undoable :class:`~see1previs.core.commands.SceneEdit` (:meth:`Session.edit`);
- the latest bake (:class:`~see1previs.physics.simulation.BakeResult`), and which part of it
  is out of date after an edit (``stale_from``: the earliest affected scene time);
- while a re-bake runs, the frames it has baked so far (``streamed``), so views show the new
  motion as it is simulated instead of after the whole bake;
- the playhead time and the selection (scene ids).

Baking itself is split so any thread can run it: :meth:`Session.bake_job` snapshots what to
bake, :func:`run_bake` bakes it (no session state touched), and :meth:`Session.finish_bake`
installs the result unless a newer edit made it obsolete. The GUI runs the middle step in a
worker, which hands each batch of streamed frames to :meth:`Session.stream_bake`;
:meth:`Session.bake_now` does all three in the calling thread.

Views listen to the session's :class:`~see1previs.core.events.Event` attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from see1previs.core.atomic_write import remove_leftover_temp_files
from see1previs.core.commands import CommandStack, SceneEdit, find
from see1previs.core.events import Event
from see1previs.core.scene import Scene
from see1previs.core.scenefile import load_scene, save_scene
from see1previs.physics.cache import BakeCache
from see1previs.physics.simulation import BakeResult, SceneSetupError, simulate
from see1previs.physics.trajectory import Trajectory

SCENE_SUFFIX = ".see1.json"


def new_scene() -> Scene:
    """An empty scene in the SEE-1 interior: 10 s at 24 fps, cabin air on."""
    return Scene(title="Untitled scene")


@dataclass(frozen=True)
class BakeJob:
    """Everything a worker needs to bake one version of the scene."""

    generation: int
    scene: Scene
    scene_dir: Path | None
    affects_from: float  # earliest scene time that changed since the previous bake
    previous: BakeResult | None
    cache: BakeCache | None


def run_bake(
    job: BakeJob,
    progress: Callable[[float], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    on_frames: Callable[[Trajectory], None] | None = None,
) -> BakeResult:
    """Bake ``job`` (any thread). Raises SceneSetupError, BakeCancelled, StationError.

    With a previous bake the physics carries on from the earliest time the edits affected
    (when the compiled model is unchanged), so a late edit re-bakes only the end.
    ``on_frames`` receives the frames baked so far while the bake runs.
    """
    return simulate(
        job.scene,
        job.scene_dir,
        cache=job.cache,
        progress=progress,
        should_cancel=should_cancel,
        previous=job.previous,
        affected_from=job.affects_from,
        on_frames=on_frames,
    )


class Session:
    """One scene being edited, with undo, bake state, playhead and selection."""

    def __init__(self, cache: BakeCache | None = None) -> None:
        self.cache = cache
        self.scene: Scene = new_scene()
        self.path: Path | None = None
        self.stack = CommandStack()
        self.bake: BakeResult | None = None
        self.streamed: Trajectory | None = None  # frames of the running re-bake, so far
        self.bake_problems: list[tuple[str, str]] = []
        self.stale_from: float | None = 0.0  # None: the bake matches the scene
        self.generation = 0
        self.time = 0.0
        self.selection: tuple[str, ...] = ()
        # Events. Arguments in brackets.
        self.scene_changed = Event("scene_changed")  # (scene)
        self.scene_replaced = Event("scene_replaced")  # () a different file or a new scene
        self.path_changed = Event("path_changed")  # (path or None)
        self.modified_changed = Event("modified_changed")  # (bool)
        self.bake_needed = Event("bake_needed")  # (earliest affected time)
        self.baked = Event("baked")  # (BakeResult)
        self.bake_streamed = Event("bake_streamed")  # (Trajectory of the frames baked so far)
        self.bake_failed = Event("bake_failed")  # ([(json path, message)])
        self.time_changed = Event("time_changed")  # (seconds)
        self.selection_changed = Event("selection_changed")  # (ids)
        self._was_modified = False
        self.stack.changed.connect(self._stack_changed)

    # -- files -----------------------------------------------------------------------------
    @property
    def scene_dir(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    @property
    def is_modified(self) -> bool:
        return not self.stack.is_clean

    @property
    def display_name(self) -> str:
        return self.path.name if self.path is not None else "Untitled"

    def new(self) -> None:
        """Start an empty scene in the SEE-1 interior."""
        self._replace(new_scene(), None)

    def open(self, path: str | Path) -> None:
        """Load a scene file; raises SceneFileError and leaves the session as it was."""
        path = Path(path)
        scene = load_scene(path)
        self._replace(scene, path.resolve())
        # Temporary files of saves killed mid-way (never a running save's) go now.
        remove_leftover_temp_files(self.path.parent, self.path.name)

    def save(self, path: str | Path | None = None) -> Path:
        """Save to ``path`` (or the current file) atomically; raises SceneFileError."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("the scene has no file yet; choose where to save it")
        save_scene(self.scene, target)
        if target.resolve() != self.path:
            self.path = target.resolve()
            self.path_changed.emit(self.path)
        self.stack.set_clean()
        return self.path

    def _replace(self, scene: Scene, path: Path | None) -> None:
        self.scene = scene
        self.path = path
        self.bake = None
        self.bake_problems = []
        self.time = 0.0
        self.selection = ()
        self.stack.clear()
        self.scene_replaced.emit()
        self.path_changed.emit(path)
        self.scene_changed.emit(scene)
        self.selection_changed.emit(self.selection)
        self.time_changed.emit(self.time)
        self._invalidate(0.0)

    # -- editing ---------------------------------------------------------------------------
    def edit(self, label: str, after: Scene) -> SceneEdit | None:
        """Make ``after`` the scene as one undoable step labelled ``label``.

        Returns the command, or None when ``after`` equals the current scene (no empty undo
        steps).
        """
        if after == self.scene:
            return None
        command = SceneEdit(label, self.scene, after, self._apply_scene)
        self.stack.push(command)
        return command

    def undo(self) -> bool:
        return self.stack.undo()

    def redo(self) -> bool:
        return self.stack.redo()

    def _apply_scene(self, scene: Scene, affects_from: float | None) -> None:
        self.scene = scene
        existing = [i for i in self.selection if _exists(scene, i)]
        if len(existing) != len(self.selection):
            self.selection = tuple(existing)
            self.selection_changed.emit(self.selection)
        if self.time > scene.duration:
            self.set_time(scene.duration)
        # Invalidate first: listeners of scene_changed must not take the old bake for the
        # new scene's (a check of it against a scene with one more body fails).
        if affects_from is not None:
            self._invalidate(affects_from)
        self.scene_changed.emit(scene)

    def _stack_changed(self) -> None:
        modified = self.is_modified
        if modified != self._was_modified:
            self._was_modified = modified
            self.modified_changed.emit(modified)

    # -- playhead and selection -----------------------------------------------------------
    def set_time(self, seconds: float) -> None:
        seconds = min(max(float(seconds), 0.0), float(self.scene.duration))
        if seconds != self.time:
            self.time = seconds
            self.time_changed.emit(seconds)

    @property
    def frame(self) -> int:
        return self.scene.frame_rate.frame_at(self.time)

    def set_frame(self, frame: int) -> None:
        last = self.scene.frame_rate.frame_count(self.scene.duration) - 1
        self.set_time(self.scene.frame_rate.frame_time(min(max(frame, 0), last)))

    def select(self, ids: Iterable[str]) -> None:
        chosen = tuple(dict.fromkeys(i for i in ids if i and _exists(self.scene, i)))
        if chosen != self.selection:
            self.selection = chosen
            self.selection_changed.emit(chosen)

    # -- baking ----------------------------------------------------------------------------
    def _invalidate(self, affects_from: float) -> None:
        self.generation += 1
        self.streamed = None
        self.stale_from = (
            affects_from if self.stale_from is None else min(self.stale_from, affects_from)
        )
        self.bake_needed.emit(self.stale_from)

    @property
    def bake_is_current(self) -> bool:
        return self.stale_from is None

    def bake_job(self) -> BakeJob:
        """A snapshot of what to bake now (the current scene and generation)."""
        return BakeJob(
            generation=self.generation,
            scene=self.scene,
            scene_dir=self.scene_dir,
            affects_from=self.stale_from if self.stale_from is not None else 0.0,
            previous=self.bake,
            cache=self.cache,
        )

    def stream_bake(self, job: BakeJob, frames: Trajectory) -> bool:
        """Show the frames a running bake has baked so far; False if the scene changed."""
        if job.generation != self.generation:
            return False
        self.streamed = frames
        self.bake_streamed.emit(frames)
        return True

    @property
    def shown_trajectory(self) -> Trajectory | None:
        """The motion to draw: the running re-bake's frames so far, else the latest bake."""
        if self.streamed is not None:
            return self.streamed
        return self.bake.trajectory if self.bake is not None else None

    def finish_bake(self, job: BakeJob, result: BakeResult) -> bool:
        """Install a finished bake; False (and ignored) if the scene changed meanwhile."""
        if job.generation != self.generation:
            return False
        self.streamed = None
        self.bake = result
        self.bake_problems = []
        self.stale_from = None
        self.baked.emit(result)
        return True

    def fail_bake(self, job: BakeJob, problems: Sequence[tuple[str, str]]) -> bool:
        """Record why the scene cannot be baked (the previous bake stays for display)."""
        if job.generation != self.generation:
            return False
        self.bake_problems = list(problems)
        self.streamed = None
        self.stale_from = None
        self.bake_failed.emit(self.bake_problems)
        return True

    def bake_now(self, progress: Callable[[float], None] | None = None) -> BakeResult | None:
        """Bake in this thread (headless use and tests); None if the scene cannot be baked."""
        job = self.bake_job()
        try:
            result = run_bake(job, progress)
        except SceneSetupError as exc:
            self.fail_bake(job, exc.problems)
            return None
        self.finish_bake(job, result)
        return result


HARD_CONTACT_M_S = 1.0
"""Approach speed above which a contact is worth a director's look (a hard knock)."""


@dataclass(frozen=True)
class BlockingWarning:
    """Something in the blocking to look at: when, who, what."""

    time: float  # s, where to put the playhead
    end: float  # s
    subject: str  # scene id to select ("" for the scene as a whole)
    kind: str
    message: str


def blocking_warnings(
    scene: Scene,
    bake: BakeResult | None,
    problems: Sequence[tuple[str, str]] = (),
) -> list[BlockingWarning]:
    """Setup problems, the physics blocking report (cues that could not be performed, hard
    or head contacts, taut tethers...), props knocking hard, and each shot's warnings, in
    time order (any thread)."""
    from see1previs.cinema.analysis import analyse_shot
    from see1previs.cinema.tracks import CameraSetupError, evaluate_camera
    from see1previs.physics.blocking_report import blocking_report

    found = [
        BlockingWarning(0.0, 0.0, subject_of_path(scene, path), "setup", f"{path}: {message}")
        for path, message in problems
    ]
    if bake is None:
        return found
    trajectory = bake.trajectory
    try:
        report = blocking_report(scene, trajectory, bake.station)
    except (KeyError, ValueError) as exc:  # the bake predates the scene's bodies or cues
        report = None
        found.append(BlockingWarning(0.0, 0.0, "", "report", f"blocking report: {exc}"))
    for warning in report.warnings if report is not None else []:
        found.append(
            BlockingWarning(
                warning.time, warning.time, warning.actor, warning.kind, warning.message
            )
        )
    # Actors' contacts are in the blocking report; props hitting hard are listed here.
    props = {prop.id for prop in scene.props}
    for contact in trajectory.contacts:
        speed = float(contact["approach_speed"])
        if speed < HARD_CONTACT_M_S:
            continue
        a, b = str(contact["body_a"]), str(contact["body_b"])
        if a not in props:
            continue
        other = "the wall" if b.startswith("station") else b
        found.append(
            BlockingWarning(
                float(contact["start"]),
                float(contact["end"]),
                a,
                "hard_contact",
                f"{a} hits {other} at {speed:.1f} m/s",
            )
        )
    tracks = {}
    for index, camera in enumerate(scene.cameras):
        try:
            tracks[camera.id] = evaluate_camera(camera, scene, bake.station, trajectory)
        except CameraSetupError as exc:
            found += [
                BlockingWarning(0.0, 0.0, camera.id, "camera_setup", f"{path}: {message}")
                for path, message in exc.problems
            ]
        except KeyError as exc:  # the bake predates a body the camera follows
            found.append(
                BlockingWarning(0.0, 0.0, camera.id, "camera_setup", f"cameras[{index}]: {exc}")
            )
    radii = {h.id: h.plan.bounding_radius for h in bake.world.bodies if h.kind == "prop"}
    for shot in scene.shots:
        if shot.camera not in tracks:
            continue
        try:
            analysis = analyse_shot(shot, scene, bake.station, trajectory, tracks, body_radii=radii)
        except KeyError:
            continue  # bodies changed since the bake; the next bake brings fresh warnings
        for warning in analysis.warnings:
            found.append(
                BlockingWarning(
                    warning.start,
                    warning.end,
                    shot.camera,
                    warning.kind,
                    f"shot {shot.id}: {warning.message}",
                )
            )
    return sorted(found, key=lambda w: (w.time, w.subject))


def subject_of_path(scene: Scene, path: str) -> str:
    """The id of the item a JSON path like ``props[2].pose`` points into ("" if none)."""
    head = path.split(".", 1)[0]
    if "[" not in head:
        return ""
    group, _, rest = head.partition("[")
    try:
        index = int(rest.rstrip("]"))
        return getattr(scene, group)[index].id
    except (AttributeError, ValueError, IndexError):
        return ""


def _exists(scene: Scene, item_id: str) -> bool:
    try:
        find(scene, item_id)
    except KeyError:
        return False
    return True


def problems_of(exc: BaseException) -> list[tuple[str, str]]:
    """(JSON path, message) pairs for an error a bake can end with."""
    problems = getattr(exc, "problems", None)
    if problems:
        return list(problems)
    return [("", str(exc) or type(exc).__name__)]
