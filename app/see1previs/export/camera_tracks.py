"""Per-shot camera tracks as CSV and JSON: one row per frame, module frame, units stated.

Both formats hold the same rows, one per scene frame of the shot from its in point to its
out point (both included). Columns, with the unit in each name:

``frame, timecode, time_s, x_m, y_m, z_m, qw, qx, qy, qz, pan_deg, tilt_deg, roll_deg,
focal_mm, focus_m, f_stop, hfov_deg``

The CSV starts with comment lines beginning with ``#`` (units, frame, camera, shot, body,
sensor, lens), then one header row; readers skip lines starting with ``#``. The JSON is one
object with ``format``, ``units``, ``frame``, camera and shot metadata and a ``frames`` list
of objects keyed by the same column names. Pan is the azimuth of the view from +X toward +Y,
tilt its elevation above the XY plane, roll the angle from the level horizon (studio +Z up);
pan and roll are continuous from frame to frame (unwrapped), so they may pass ±180.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from see1previs.cinema import framing
from see1previs.cinema.optics import fov_deg
from see1previs.core import quaternion as quat
from see1previs.core.scene_cameras import Shot
from see1previs.core.timebase import FrameRate
from see1previs.export import conventions
from see1previs.export.files import ExportError, write_text
from see1previs.export.shots import FrameSpan, shot_frames

if TYPE_CHECKING:  # only the attributes are used; keeps this module importable on its own
    from see1previs.cinema.tracks import CameraTrack

FORMAT = "see1-camera-track"
FORMAT_VERSION = 1

COLUMNS = (
    "frame",
    "timecode",
    "time_s",
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
    "f_stop",
    "hfov_deg",
)

UNITS = {
    "frame": "scene frame number (frame 0 at t = 0)",
    "timecode": "SMPTE HH:MM:SS:FF, non-drop",
    "time_s": "s",
    "x_m": "m",
    "y_m": "m",
    "z_m": "m",
    "qw": conventions.QUATERNION,
    "qx": conventions.QUATERNION,
    "qy": conventions.QUATERNION,
    "qz": conventions.QUATERNION,
    "pan_deg": "degrees, azimuth of the view from +X toward +Y, continuous (unwrapped)",
    "tilt_deg": "degrees, elevation of the view above the XY plane",
    "roll_deg": "degrees, from the level horizon (studio +Z up), continuous (unwrapped)",
    "focal_mm": "mm",
    "focus_m": "m, from the lens along the view",
    "f_stop": "f-number",
    "hfov_deg": "degrees, horizontal angle of view, 2·atan(sensor width / 2·focal)",
}

UNITS_LINE = (
    "time_s s; x_m y_m z_m m; qw qx qy qz unit quaternion (w, x, y, z) camera to module "
    "frame; pan_deg tilt_deg roll_deg degrees; focal_mm mm; focus_m m; f_stop f-number; "
    "hfov_deg degrees"
)

# Decimals written to CSV: micrometres, nanoradian-scale quaternions, 1e-4 degree.
_DECIMALS = {
    "time_s": 6,
    "x_m": 6,
    "y_m": 6,
    "z_m": 6,
    "qw": 9,
    "qx": 9,
    "qy": 9,
    "qz": 9,
    "pan_deg": 4,
    "tilt_deg": 4,
    "roll_deg": 4,
    "focal_mm": 3,
    "focus_m": 4,
    "f_stop": 2,
    "hfov_deg": 4,
}

Row = dict[str, Any]


def track_rows(track: CameraTrack, shot: Shot, frame_rate: FrameRate) -> list[Row]:
    """The shot's frames of a camera track, keyed by :data:`COLUMNS` (floats at full precision)."""
    span = _checked_span(track, shot, frame_rate)
    frames = np.arange(span.first, span.last + 1)
    orientations = quat.normalize(track.orientations[frames])
    rotations = quat.to_matrix(orientations)
    width, height = track.optics.sensor_width_mm, track.optics.sensor_height_mm
    angles = continuous_pan_tilt_roll(rotations)
    rows = []
    for i, frame in enumerate(frames.tolist()):
        pan, tilt, roll = (float(a) for a in angles[i])
        x, y, z = (float(v) for v in track.positions[frame])
        qw, qx, qy, qz = (float(v) for v in orientations[i])
        focal = float(track.focal_mm[frame])
        rows.append(
            {
                "frame": frame,
                "timecode": frame_rate.timecode(frame),
                "time_s": frame_rate.frame_time(frame),
                "x_m": x,
                "y_m": y,
                "z_m": z,
                "qw": qw,
                "qx": qx,
                "qy": qy,
                "qz": qz,
                "pan_deg": pan,
                "tilt_deg": tilt,
                "roll_deg": roll,
                "focal_mm": focal,
                "focus_m": float(track.focus_m[frame]),
                "f_stop": float(track.f_stop),
                # Breathing-free (focused at infinity): the angle USD derives from its apertures.
                "hfov_deg": fov_deg(width, height, focal).h,
            }
        )
    return rows


def continuous_pan_tilt_roll(rotations: np.ndarray) -> np.ndarray:
    """(F, 3) pan, tilt, roll in degrees, unwrapped from frame to frame.

    Each angle alone is the principal value of :func:`framing.pan_tilt_roll` (pan and roll in
    (-180, 180]); a camera looking along -X then flips between -180 and +180 from one frame to
    the next, which spins a keyed channel through 360 degrees. Pan and roll are unwrapped:
    each frame's value is the one within 180 degrees of the frame before, the first frame
    keeps its principal value, and every value still equals the principal one modulo 360.
    """
    angles = np.array([framing.pan_tilt_roll(r) for r in np.asarray(rotations)], dtype=float)
    if len(angles) > 1:
        angles[:, 0] = np.unwrap(angles[:, 0], period=360.0)
        angles[:, 2] = np.unwrap(angles[:, 2], period=360.0)
    return angles.reshape(-1, 3)


def write_track_csv(
    track: CameraTrack, shot: Shot, frame_rate: FrameRate, path: Path | str
) -> None:
    """Write the shot's camera track as CSV (``#`` comment lines, then a header row)."""
    rows = track_rows(track, shot, frame_rate)
    header = _header(track, shot, frame_rate, rows)
    buffer = io.StringIO()
    for key, text in header:
        buffer.write(f"# {key}: {text}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_value(name, row[name]) for name in COLUMNS])
    write_text(path, buffer.getvalue())


JSON_STYLES = ("see1", "opentrackio")


def write_track_json(
    track: CameraTrack,
    shot: Shot,
    frame_rate: FrameRate,
    path: Path | str,
    *,
    style: str = "see1",
) -> None:
    """Write the shot's camera track as one JSON object with a ``frames`` list.

    ``style="opentrackio"`` writes OpenTrackIO samples instead, one per frame (see
    :mod:`see1previs.export.opentrackio`).
    """
    if style not in JSON_STYLES:
        raise ExportError(
            f"unknown track JSON style '{style}'; choose from {', '.join(JSON_STYLES)}"
        )
    if style == "opentrackio":
        from see1previs.export.opentrackio import write_track_opentrackio

        write_track_opentrackio(track, shot, frame_rate, path)
        return
    rows = track_rows(track, shot, frame_rate)
    optics = track.optics
    span = shot_frames(shot, frame_rate)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "generator": conventions.GENERATOR,
        "frame": conventions.MODULE_FRAME,
        "camera_axes": conventions.CAMERA_AXES,
        "units": UNITS,
        "frame_rate": {
            "fps": float(frame_rate.fps),
            "exact": f"{frame_rate.fps.numerator}/{frame_rate.fps.denominator}",
            "timecode_base": frame_rate.nominal,
        },
        "camera": {
            "id": track.camera_id,
            "body": optics.body_name,
            "mode": optics.mode_name,
            "sensor_mm": [optics.sensor_width_mm, optics.sensor_height_mm],
            "lens": optics.lens_name,
            "f_stop": float(track.f_stop),
        },
        "shot": {
            "id": shot.id,
            "name": shot.name,
            "in": _cue_point(span.first, frame_rate),
            "out": _cue_point(span.last, frame_rate),
            "frames": span.count,
            "description": shot.description,
            "notes": shot.notes,
        },
        "columns": list(COLUMNS),
        "frames": [{name: _json_value(row[name]) for name in COLUMNS} for row in rows],
    }
    write_text(path, json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n")


def _checked_span(track: CameraTrack, shot: Shot, frame_rate: FrameRate) -> FrameSpan:
    """The shot's frames, after checking the track covers them at the scene frame rate."""
    if track.camera_id != shot.camera:
        raise ExportError(
            f"shot '{shot.id}' is filmed by camera '{shot.camera}', but the track given is "
            f"camera '{track.camera_id}'"
        )
    span = shot_frames(shot, frame_rate)
    count = len(track.times)
    if span.last >= count:
        raise ExportError(
            f"shot '{shot.id}' runs to frame {span.last} ({frame_rate.timecode(span.last)}) but "
            f"camera '{track.camera_id}' has only {count} frames; bake and evaluate the whole "
            "scene before exporting"
        )
    expected = frame_rate.frame_time(span.first)
    if not math.isclose(float(track.times[span.first]), expected, abs_tol=1e-6):
        raise ExportError(
            f"camera '{track.camera_id}' was evaluated at another frame rate than the scene's "
            f"{frame_rate}; evaluate it again"
        )
    return span


checked_span = _checked_span  # for the other per-shot camera writers (.chan, OpenTrackIO)


def _header(
    track: CameraTrack, shot: Shot, frame_rate: FrameRate, rows: list[Row]
) -> list[tuple[str, str]]:
    optics = track.optics
    first, last = rows[0], rows[-1]
    shot_name = f" '{shot.name}'" if shot.name else ""
    return [
        (
            "format",
            f"{FORMAT} {FORMAT_VERSION}, written by {conventions.GENERATOR}; lines "
            "starting with # are comments, the first other line is the header",
        ),
        ("units", UNITS_LINE),
        ("frame", f"{conventions.MODULE_FRAME}; {conventions.CAMERA_AXES}"),
        ("frame rate", conventions.frame_rate_text(frame_rate)),
        ("camera", track.camera_id),
        (
            "shot",
            f"{shot.id}{shot_name}, frames {first['frame']}-{last['frame']} "
            f"({first['timecode']}-{last['timecode']}), {len(rows)} frames",
        ),
        ("body", f"{optics.body_name}, {optics.mode_name}"),
        ("sensor", f"{optics.sensor_width_mm:.2f} x {optics.sensor_height_mm:.2f} mm"),
        ("lens", f"{optics.lens_name}, f/{track.f_stop:g}"),
    ]


def _cue_point(frame: int, frame_rate: FrameRate) -> dict[str, Any]:
    return {
        "frame": frame,
        "timecode": frame_rate.timecode(frame),
        "time_s": frame_rate.frame_time(frame),
    }


def _csv_value(name: str, value: Any) -> str:
    if name not in _DECIMALS:
        return str(value)
    if not math.isfinite(value):
        return ""  # an empty cell: no value, rather than a word a spreadsheet mistakes for text
    text = f"{value:.{_DECIMALS[name]}f}"
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text  # no "-0.000"


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
