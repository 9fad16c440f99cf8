"""Rehearsing one performer's cues: which cue comes next, how long until it, and where to look.

A :class:`Rehearsal` is the headless half of the GUI's rehearsal mode. Given a scene, one
actor (or a camera operator, who is an actor too), the baked trajectory and the blocking
report, it answers for any playhead time:

- the cue to announce (the next one, or the one happening now) with a countdown
  ("in 2.4 s", then "NOW" from the cue time for :data:`NOW_HOLD_S`);
- the cue to step to with next / previous cue, in acting order (cues at the same time are
  stepped one by one);
- where playback must stop when it pauses at each cue;
- the first-person eye (in the head, looking where the face points) and the follow-cam eye
  (behind and above the actor, looking at them);
- the path ahead of the actor's hips, for the viewport's ghost line.

The words of each cue are the cue sheet's (:func:`see1previs.export.cue_sheet.cue_sheet_rows`),
so the printed sheet and the on-screen prompt say the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.scene import Scene
from see1previs.export.cue_sheet import CueSheetRow, check_actor, cue_sheet_rows

NOW_HOLD_S = 0.5  # a cue reads "NOW" from its time for this long, then the next is announced
TIME_EPS_S = 1e-6  # playhead and cue times closer than this are the same moment
LEAD_IN_S = 2.0  # choosing a cue from the list starts this long before it
PATH_AHEAD_S = 3.0  # how far ahead the ghost line shows the actor's path
CABIN_RADIUS_M = 2.85  # the follow-cam stays inside the SEE-1 sphere (inner radius about 3 m)
FOLLOW_BACK_M = 1.8  # follow-cam: this far behind the actor's hips ...
FOLLOW_ABOVE_M = 0.7  # ... and this far above them, toward the actor's head
EYE_FORWARD_FRACTION = 0.07  # first-person eye: this × height in front of the head's origin
EYE_UP_FRACTION = 0.06  # ... and this × height above it, toward the crown
PLACEHOLDER_EYE_UP_FRACTION = 0.42  # a placeholder body's eyes above its centre, × height


@dataclass(frozen=True)
class Prompt:
    """What the cue prompt shows at one playhead time."""

    cue: CueSheetRow | None  # None: no cues left for this performer
    seconds_until: float | None  # cue time − playhead (negative while it reads NOW)
    countdown: str  # "in 2.4 s", "NOW" or ""
    text: str  # the cue in words, or "No more cues"

    @property
    def now(self) -> bool:
        return self.countdown == "NOW"


def countdown_words(seconds_until: float) -> str:
    """ "in 2.4 s" (tenths, rounded up so it never reads 0.0 before the cue) or "NOW"."""
    if seconds_until <= TIME_EPS_S:
        return "NOW"
    tenths = math.ceil(seconds_until * 10.0 - 1e-6)
    return f"in {tenths / 10.0:.1f} s"


def performer_label(scene: Scene, actor_id: str) -> str:
    """How the chooser names a performer: "Ren (guest)", or "Ren — operator of camera B"."""
    actor = check_actor(scene, actor_id)
    name = actor.name or actor.id
    cameras = [
        camera.id
        for camera in scene.cameras
        if getattr(getattr(camera, "rig", None), "operator", None) == actor_id
    ]
    if not cameras:
        return name
    return f"{name} — operator of camera {', '.join(cameras)}"


class Rehearsal:
    """One performer's cues over a baked scene, for prompting and stepping."""

    def __init__(
        self,
        scene: Scene,
        actor_id: str,
        trajectory: Any,
        station: Any,
        report: Any | None = None,
    ) -> None:
        if report is None:
            from see1previs.physics.blocking_report import blocking_report

            report = blocking_report(scene, trajectory, station)
        self.scene = scene
        self.actor = check_actor(scene, actor_id)
        self.trajectory = trajectory
        self.station = station
        self.report = report
        self.cues = cue_sheet_rows(scene, self.actor.id, report, trajectory, station)
        self.warnings = report.for_actor(self.actor.id)[1]

    @property
    def actor_id(self) -> str:
        return self.actor.id

    @property
    def duration(self) -> float:
        end = float(self.scene.duration)
        if self.trajectory is not None and len(self.trajectory.times):
            end = min(end, float(self.trajectory.times[-1])) or end
        return end

    # ---- prompting ---------------------------------------------------------------------
    def announced(self, t: float, current: int | None = None) -> int | None:
        """Position in :attr:`cues` of the cue the prompt shows at time t (None: all done).

        A cue reads NOW for :data:`NOW_HOLD_S`, or until the next cue's time if that comes
        sooner; ``current``, the cue last stepped to, wins while the playhead is on its time
        (so cues written for the same moment are each shown when stepped to).
        """
        if current is not None and abs(self.cues[current].time - t) <= TIME_EPS_S:
            return current
        for position, cue in enumerate(self.cues):
            end = cue.time + NOW_HOLD_S
            if position + 1 < len(self.cues) and self.cues[position + 1].time > cue.time:
                end = min(end, self.cues[position + 1].time)
            if t < end - TIME_EPS_S:
                return position
        return None

    def prompt(self, t: float, current: int | None = None) -> Prompt:
        position = self.announced(t, current)
        if position is None:
            if not self.cues:
                name = self.actor.name or self.actor.id
                return Prompt(None, None, "", f"{name} has no cues in this scene")
            return Prompt(None, None, "", "No more cues — that's the end of your blocking")
        cue = self.cues[position]
        until = cue.time - t
        return Prompt(cue, until, countdown_words(until), cue.action)

    # ---- stepping ----------------------------------------------------------------------
    def next_cue(self, t: float, current: int | None = None) -> int | None:
        """The cue to step to from time t; ``current`` is the cue last stepped to, if any."""
        if current is not None and abs(self.cues[current].time - t) <= TIME_EPS_S:
            return current + 1 if current + 1 < len(self.cues) else None
        for position, cue in enumerate(self.cues):
            # Not stepped yet: a cue right at the playhead (one at 0 s after restart) is next.
            if cue.time > t + TIME_EPS_S or (current is None and cue.time >= t - TIME_EPS_S):
                return position
        return None

    def previous_cue(self, t: float, current: int | None = None) -> int | None:
        if current is not None and abs(self.cues[current].time - t) <= TIME_EPS_S:
            return current - 1 if current > 0 else None
        for position in range(len(self.cues) - 1, -1, -1):
            if self.cues[position].time < t - TIME_EPS_S:
                return position
        return None

    def lead_in(self, position: int) -> float:
        """Where playback starts to rehearse a cue chosen from the list."""
        return max(0.0, self.cues[position].time - LEAD_IN_S)

    def pause_between(self, t0: float, t1: float) -> float | None:
        """When playing from t0 to t1, the first cue time in (t0, t1] to stop at, if any."""
        for cue in self.cues:
            if t0 + TIME_EPS_S < cue.time <= t1 + TIME_EPS_S:
                return cue.time
        return None

    # ---- where to look -----------------------------------------------------------------
    def _link(self, segment: str) -> str:
        link = f"{self.actor.id}/{segment}"
        return link if link in getattr(self.trajectory, "links", ()) else self.actor.id

    @property
    def articulated(self) -> bool:
        return self._link("head") != self.actor.id

    def hips(self, t: float) -> np.ndarray:
        return np.asarray(self.trajectory.link_pose(self._link("lower_trunk"), t)[0], dtype=float)

    def first_person(self, t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(eye, forward, up) of the performer's eyes: the head's +X forward, +Z to the crown."""
        height = float(getattr(self.actor, "height", 1.75) or 1.75)
        position, orientation = self.trajectory.link_pose(self._link("head"), t)
        if self.articulated:
            offset = (EYE_FORWARD_FRACTION * height, 0.0, EYE_UP_FRACTION * height)
        else:
            offset = (0.12, 0.0, PLACEHOLDER_EYE_UP_FRACTION * height)
        eye = np.asarray(position, dtype=float) + quat.rotate(orientation, offset)
        forward = quat.rotate(orientation, (1.0, 0.0, 0.0))
        up = quat.rotate(orientation, (0.0, 0.0, 1.0))
        return eye, forward, up

    def follow_target(self, t: float) -> np.ndarray:
        """What the follow-cam looks at: the base of the actor's neck (a placeholder's centre).

        Centring the neck keeps the head in the picture's middle and the body below it, clear
        of the cue prompt across the top.
        """
        return np.asarray(self.trajectory.link_pose(self._link("head"), t)[0], dtype=float)

    def follow_cam(self, t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(eye, forward, up): behind and above the actor, looking at them."""
        link = self._link("upper_trunk") if self.articulated else self.actor.id
        _, orientation = self.trajectory.link_pose(link, t)
        target = self.follow_target(t)
        offset = quat.rotate(orientation, (-FOLLOW_BACK_M, 0.0, FOLLOW_ABOVE_M))
        eye = target + offset
        radius = float(np.linalg.norm(eye))
        if radius > CABIN_RADIUS_M:
            # Slide toward the actor until the eye is back inside the sphere.
            direction = -offset / np.linalg.norm(offset)
            b = float(eye @ direction)
            c = radius**2 - CABIN_RADIUS_M**2
            step = -b - math.sqrt(max(b * b - c, 0.0))
            eye = eye + max(step, 0.0) * direction
        forward = target - eye
        norm = float(np.linalg.norm(forward))
        forward = forward / norm if norm > 1e-9 else quat.rotate(orientation, (1.0, 0.0, 0.0))
        return eye, forward, quat.rotate(orientation, (0.0, 0.0, 1.0))

    def path_ahead(self, t: float, seconds: float = PATH_AHEAD_S) -> np.ndarray:
        """(N, 3) positions of the actor's hips from t to t + seconds, one per frame."""
        end = min(t + seconds, self.duration)
        step = 1.0 / float(self.scene.frame_rate)
        times = np.arange(t, end + step * 0.5, step) if end > t else np.array([t])
        return np.array([self.hips(float(s)) for s in times])
