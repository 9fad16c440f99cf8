"""OpenTrackIO samples of a shot's camera track: one sample per frame, the schema's names.

OpenTrackIO (SMPTE RIS-OSVP, protocol version 1.0) describes a tracked camera per frame as a
JSON *sample*. The file this module writes is one UTF-8 JSON object whose ``samples`` list
holds one OpenTrackIO sample per frame of the shot; around it, ``units``, ``axes``,
``camera`` and ``shot`` say what the numbers mean, as every SEE-1 export does. Each sample
uses only fields of the OpenTrackIO 1.0 schema:

=================================================  =========================================
sample field                                       from
=================================================  =========================================
``protocol`` {name, version}                       ``"OpenTrackIO"``, ``[1, 0, 0]``
``sampleId``, ``sourceId``                         ``urn:uuid:`` name-based UUIDs (shot,
                                                   camera, frame), so a re-export is identical
``sourceNumber``                                   1
``timing.sampleRate`` {num, denom}                 the scene frame rate, exact (24000/1001)
``timing.sequenceNumber``                          the scene frame number
``timing.timecode`` {hours…frames, frameRate}      the frame's SMPTE non-drop timecode
``tracker`` {notes, recording, slate, status}      previs notes, ``false``, the shot id,
                                                   ``"Previs"``
``lens.pinholeFocalLength``                        focal length, mm (1.0's name for the
                                                   draft's ``focalLength``)
``lens.fStop``, ``lens.focusDistance``             f-number; focus distance, m (left out
                                                   where unknown)
``transforms[0]`` {id, translation, rotation}      ``"Camera"``; lens position, m; pan, tilt,
                                                   roll, degrees
``static`` (first sample, then every 2 s)          ``duration``; ``camera`` {label,
                                                   model, activeSensorPhysicalDimensions
                                                   {width, height} mm, captureFrameRate};
                                                   ``lens.model``
=================================================  =========================================

Axes. OpenTrackIO's stage frame is right-handed with **+Z up**; a camera with pan, tilt and
roll all zero looks along **+Y**, with +X to camera right and +Z image up. Rotations are
intrinsic **Z, X', Y''** — pan about Z, then tilt about the new X, then roll about the new Y
(the forward axis) — each positive by the right-hand rule, i.e.
``R = Rz(pan)·Rx(tilt)·Ry(roll)`` turning camera axes into stage axes. The stage here is the SEE-1
module frame itself (origin at the sphere's centre, +X toward the hatch, +Z the studio's
reference up), so translations are the module coordinates unchanged. Consequences, against
the track CSV's angles: pan is the CSV's pan minus 90° (pan 0 looks along +Y, not +X), tilt
is the same, and roll has the opposite sign (the CSV's roll turns about the camera's back
axis, OpenTrackIO's about its forward axis). Pan and roll are continuous from frame to frame
(unwrapped).
"""

from __future__ import annotations

import json
import math
import uuid
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.scene_cameras import Shot
from see1previs.core.timebase import FrameRate
from see1previs.export import conventions
from see1previs.export.files import write_text

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack

FORMAT = "see1-opentrackio-samples"
FORMAT_VERSION = 1
PROTOCOL = {"name": "OpenTrackIO", "version": [1, 0, 0]}
STATIC_EVERY_S = 2.0  # OpenTrackIO recommends static data about every 2 seconds

OTIO_CAMERA_FROM_SEE1_CAMERA = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])
"""Columns: OpenTrackIO's camera axes (right, forward, up) in our camera's axes (+X right,
-Z forward, +Y up). ``R_opentrackio = R_see1 · OTIO_CAMERA_FROM_SEE1_CAMERA``."""

AXES = (
    "OpenTrackIO stage = SEE-1 module frame (right-handed, +Z up, +X toward the hatch, origin "
    "at the sphere's centre, metres); camera at zero rotation looks along +Y with +X to its "
    "right and +Z image up; rotation intrinsic Z-X'-Y'' = pan, tilt, roll in degrees, right-hand "
    "positive: R = Rz(pan) Rx(tilt) Ry(roll)"
)
UNITS = {
    "translation": "m",
    "rotation": "degrees",
    "lens.pinholeFocalLength": "mm",
    "lens.focusDistance": "m",
    "lens.fStop": "f-number",
    "static.camera.activeSensorPhysicalDimensions": "mm",
}
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "see1previs:opentrackio")


def pan_tilt_roll_zxy(rotation: np.ndarray) -> tuple[float, float, float]:
    """(pan, tilt, roll) in degrees with ``rotation = Rz(pan) · Rx(tilt) · Ry(roll)``."""
    r = np.asarray(rotation, dtype=float)
    tilt = math.asin(max(-1.0, min(1.0, float(r[2, 1]))))
    if abs(math.cos(tilt)) > 1e-9:
        pan = math.atan2(float(-r[0, 1]), float(r[1, 1]))
        roll = math.atan2(float(-r[2, 0]), float(r[2, 2]))
    else:  # looking straight up or down: only pan ± roll is defined
        pan = math.atan2(float(r[1, 0]), float(r[0, 0]))
        roll = 0.0
    return math.degrees(pan), math.degrees(tilt), math.degrees(roll)


def opentrackio_rotations(orientations: np.ndarray) -> np.ndarray:
    """(F, 3) pan, tilt, roll in OpenTrackIO's convention, pan and roll unwrapped."""
    rotations = quat.to_matrix(quat.normalize(np.asarray(orientations, dtype=float)))
    rotations = rotations.reshape(-1, 3, 3)
    angles = np.array(
        [pan_tilt_roll_zxy(r @ OTIO_CAMERA_FROM_SEE1_CAMERA) for r in rotations]
    ).reshape(-1, 3)
    if len(angles) > 1:
        angles[:, 0] = np.unwrap(angles[:, 0], period=360.0)
        angles[:, 2] = np.unwrap(angles[:, 2], period=360.0)
    return angles


def opentrackio_samples(
    track: CameraTrack, shot: Shot, frame_rate: FrameRate
) -> list[dict[str, Any]]:
    """One OpenTrackIO sample per frame of the shot."""
    from see1previs.export.camera_tracks import checked_span

    span = checked_span(track, shot, frame_rate)
    frames = np.arange(span.first, span.last + 1)
    angles = opentrackio_rotations(track.orientations[frames])
    rate = _rational(frame_rate.fps)
    source = uuid.uuid5(_NAMESPACE, f"camera/{track.camera_id}")
    every = max(1, round(STATIC_EVERY_S * float(frame_rate.fps)))
    samples = []
    for i, frame in enumerate(frames.tolist()):
        x, y, z = (float(v) for v in track.positions[frame])
        pan, tilt, roll = (float(a) for a in angles[i])
        lens: dict[str, Any] = {
            "pinholeFocalLength": float(track.focal_mm[frame]),
            "fStop": float(track.f_stop),
        }
        focus = float(track.focus_m[frame])
        if math.isfinite(focus) and focus > 0.0:
            lens["focusDistance"] = focus
        sample: dict[str, Any] = {
            "protocol": dict(PROTOCOL, version=list(PROTOCOL["version"])),
            "sampleId": _urn(f"sample/{shot.id}/{track.camera_id}/{frame}"),
            "sourceId": f"urn:uuid:{source}",
            "sourceNumber": 1,
            "timing": {
                "sampleRate": rate,
                "sequenceNumber": frame,
                "timecode": _timecode(frame_rate, frame),
            },
            "tracker": {
                "notes": f"SEE-1 Previs camera plan: shot {shot.id}, camera {track.camera_id}",
                "recording": False,
                "slate": shot.id,
                "status": "Previs",
            },
            "lens": lens,
            "transforms": [
                {
                    "id": "Camera",
                    "translation": {"x": x, "y": y, "z": z},
                    "rotation": {"pan": pan, "tilt": tilt, "roll": roll},
                }
            ],
        }
        if i % every == 0:
            sample["static"] = _static(track, frame_rate, len(frames))
        samples.append(sample)
    return samples


def write_track_opentrackio(
    track: CameraTrack, shot: Shot, frame_rate: FrameRate, path: Path | str
) -> None:
    """Write the shot's OpenTrackIO samples with the conventions around them (UTF-8 JSON)."""
    samples = opentrackio_samples(track, shot, frame_rate)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "generator": conventions.GENERATOR,
        "protocol": PROTOCOL,
        "axes": AXES,
        "units": UNITS,
        "camera": track.camera_id,
        "shot": {"id": shot.id, "name": shot.name},
        "samples": samples,
    }
    write_text(path, json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n")


def _static(track: CameraTrack, frame_rate: FrameRate, frames: int) -> dict[str, Any]:
    optics = track.optics
    camera: dict[str, Any] = {
        "label": track.camera_id,
        "activeSensorPhysicalDimensions": {
            "width": float(optics.sensor_width_mm),
            "height": float(optics.sensor_height_mm),
        },
        "captureFrameRate": _rational(frame_rate.fps),
    }
    model = f"{optics.body_name}, {optics.mode_name}".strip(", ")
    if model:
        camera["model"] = model
    static: dict[str, Any] = {
        "duration": _rational(Fraction(frames) / frame_rate.fps),
        "camera": camera,
    }
    if optics.lens_name:
        static["lens"] = {"model": optics.lens_name}
    return static


def _timecode(frame_rate: FrameRate, frame: int) -> dict[str, Any]:
    hours, minutes, seconds, frames = (int(p) for p in frame_rate.timecode(frame).split(":"))
    return {
        "hours": hours % 24,
        "minutes": minutes,
        "seconds": seconds,
        "frames": frames,
        "frameRate": _rational(frame_rate.fps),
        "dropFrame": False,
    }


def _rational(value: Fraction) -> dict[str, int]:
    value = Fraction(value)
    return {"num": value.numerator, "denom": value.denominator}


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"
