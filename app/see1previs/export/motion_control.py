"""Motion-control figures per shot, and the eased move a rig would run.

``motion_control.csv`` has one row per shot in shooting order: the peak lens speed,
acceleration and jerk and the peak angular speed and acceleration of the camera (see
:mod:`see1previs.cinema.motion_limits` for how they are measured), with the time of each
peak (scene time in seconds; pre-roll comes before the shot's in point), the rig whose
limits they were checked against and one warning per rate that rig could not follow. With
pre- and post-roll (``ramp_frames`` > 0)
the figures are those of the whole move the rig runs, ramps included, and each shot's
move is written as ``motion_control/<shot>_<camera>.csv`` (frame, time, phase, pose, lens)
and ``.chan`` (Nuke's convention, see :mod:`see1previs.export.nuke_chan`); pre-roll frames
are numbered before the shot's in frame and may be negative.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from see1previs.cinema.motion_limits import (
    MILO_CLASS,
    MotionFigures,
    Move,
    RigLimits,
    check_limits,
    motion_figures,
    ramped_move,
)
from see1previs.core import quaternion as quat
from see1previs.core.scene_cameras import Shot
from see1previs.core.timebase import FrameRate
from see1previs.export.camera_tracks import checked_span, continuous_pan_tilt_roll
from see1previs.export.files import write_text
from see1previs.export.nuke_chan import write_chan

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack

MOTION_CONTROL_FILE = "motion_control.csv"
MOVES_FOLDER = "motion_control"

COLUMNS = (
    "shot",
    "camera",
    "frames",
    "ramp_frames",
    "move_frames",
    "peak_speed_m_s",
    "speed_at_s",
    "peak_acceleration_m_s2",
    "acceleration_at_s",
    "peak_jerk_m_s3",
    "jerk_at_s",
    "peak_angular_speed_deg_s",
    "angular_speed_at_s",
    "peak_angular_acceleration_deg_s2",
    "angular_acceleration_at_s",
    "rig",
    "within_limits",
    "warnings",
)
MOVE_COLUMNS = (
    "frame",
    "time_s",
    "phase",
    "x_m",
    "y_m",
    "z_m",
    "qw",
    "qx",
    "qy",
    "qz",
    "pan_deg",
    "tilt_deg",
    "roll_deg",
    "focal_mm",
    "focus_m",
)


@dataclass
class ShotMotion:
    """A shot's move (with any ramps), its peak rates and what the rig could not follow."""

    shot_id: str
    camera_id: str
    shot_frames: int
    ramp_frames: int
    move: Move
    figures: MotionFigures
    limits: RigLimits
    warnings: list[str]


def shot_motion(
    track: CameraTrack,
    shot: Shot,
    frame_rate: FrameRate,
    *,
    ramp_frames: int = 0,
    limits: RigLimits = MILO_CLASS,
) -> ShotMotion:
    """Measure the shot's camera move (with ``ramp_frames`` of pre- and post-roll)."""
    span = checked_span(track, shot, frame_rate)
    fps = float(frame_rate.fps)
    move = ramped_move(
        track.positions,
        track.orientations,
        track.focal_mm,
        track.focus_m,
        span.first,
        span.last,
        fps,
        ramp_frames,
    )
    figures = motion_figures(move.positions, move.orientations, fps, float(move.frames[0]) / fps)
    return ShotMotion(
        shot_id=shot.id,
        camera_id=track.camera_id,
        shot_frames=span.count,
        ramp_frames=ramp_frames,
        move=move,
        figures=figures,
        limits=limits,
        warnings=check_limits(figures, limits),
    )


def write_motion_control_csv(motions: Sequence[ShotMotion], path: Path | str) -> None:
    """One row per shot (no comment lines: it opens directly in a spreadsheet)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for m in motions:
        f = m.figures
        writer.writerow(
            [
                m.shot_id,
                m.camera_id,
                m.shot_frames,
                m.ramp_frames,
                len(m.move.frames),
                f"{f.speed_m_s:.4f}",
                f"{f.speed_at_s:.3f}",
                f"{f.acceleration_m_s2:.4f}",
                f"{f.acceleration_at_s:.3f}",
                f"{f.jerk_m_s3:.4f}",
                f"{f.jerk_at_s:.3f}",
                f"{f.angular_speed_deg_s:.3f}",
                f"{f.angular_speed_at_s:.3f}",
                f"{f.angular_acceleration_deg_s2:.3f}",
                f"{f.angular_acceleration_at_s:.3f}",
                m.limits.name,
                "yes" if not m.warnings else "no",
                "; ".join(m.warnings),
            ]
        )
    write_text(path, buffer.getvalue())


def write_move_files(
    motion: ShotMotion, track: CameraTrack, frame_rate: FrameRate, stem: Path | str
) -> list[Path]:
    """Write the shot's move as ``<stem>.csv`` and ``<stem>.chan``; returns both paths."""
    move = motion.move
    stem = Path(stem)
    angles = continuous_pan_tilt_roll(quat.to_matrix(quat.normalize(move.orientations)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MOVE_COLUMNS)
    fps = frame_rate.fps
    for i, frame in enumerate(move.frames.tolist()):
        q = quat.normalize(move.orientations[i])
        writer.writerow(
            [
                frame,
                f"{float(frame / fps):.6f}",
                move.phases[i],
                *(f"{float(v):.6f}" for v in move.positions[i]),
                *(f"{float(v):.9f}" for v in q),
                *(f"{float(v):.4f}" for v in angles[i]),
                f"{float(move.focal_mm[i]):.3f}",
                "" if not np.isfinite(move.focus_m[i]) else f"{float(move.focus_m[i]):.4f}",
            ]
        )
    csv_path, chan_path = stem.with_suffix(".csv"), stem.with_suffix(".chan")
    write_text(csv_path, buffer.getvalue())
    write_chan(
        chan_path,
        move.frames.tolist(),
        move.positions,
        move.orientations,
        move.focal_mm,
        track.optics.sensor_height_mm,
    )
    return [csv_path, chan_path]


def motion_summary(motion: ShotMotion) -> str:
    """One line for people: the move's peak rates and whether the rig can follow them."""
    f = motion.figures
    ramps = (
        f", with {motion.ramp_frames} frames of pre- and post-roll" if motion.ramp_frames else ""
    )
    verdict = "within" if not motion.warnings else "beyond"
    return (
        f"camera {motion.camera_id}{ramps}: peak {f.speed_m_s:.2f} m/s, "
        f"{f.acceleration_m_s2:.2f} m/s², {f.jerk_m_s3:.2f} m/s³, "
        f"{f.angular_speed_deg_s:.1f}°/s, {f.angular_acceleration_deg_s2:.1f}°/s² "
        f"({verdict} the limits of a {motion.limits.name})"
    )
