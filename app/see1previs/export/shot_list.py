"""The shot list as a 1st AD hands it out: one row per shot in shooting order.

The crew's columns come first, in this order (CSV name → what it holds):

``shot``         scene/setup number, e.g. ``1A`` (:mod:`see1previs.export.shot_numbers`)
``size``         shot size from what is in frame (ECU…EWS, INSERT; the shot analysis)
``angle``        eye level, high/low angle, overhead, worm's eye; ", dutch" when rolled
``movement``     static, pan, tilt, roll, push in, pull out, truck, pedestal, orbit, float
``camera_lens``  camera, body, lens, focal length (``a->b`` when it zooms) and stop
``support``      the rig: fixed mount, fixed at a point, handheld by whom, motion path
``cast``         the actors in frame, by name
``props``        the props in frame, by name
``description``  what the shot shows, as typed in the scene
``duration_s``   the out point minus the in point, seconds
``notes``        the shot's notes for the crew

then the technical detail: ``shot_id``, ``name``, ``camera``, ``body``, ``sensor_mm``,
``lens_mm``, ``f_stop``, ``focus_m``, ``tc_in``, ``tc_out``, ``frames`` (frames in the cut,
out point excluded: duration × fps), ``warnings``.

The header — production, version, date — is :class:`ShotListHeader`: by default the scene's
title, a version that names the plan's content (``scene-`` and the first 8 hex digits of the
SHA-256 of the scene as saved: the same scene gives the same version, any edit a new one) and
today's date (ISO 8601).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from see1previs.core.scene import Scene
from see1previs.core.scene_cameras import Camera, FixedRig, HandheldRig, PathRig
from see1previs.export.shot_numbers import setup_numbers
from see1previs.export.shots import cut_frames, shooting_order, shot_frames, shot_track

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack


@dataclass(frozen=True)
class ShotListHeader:
    """What the top of the shot list says."""

    production: str
    version: str
    date: str  # ISO 8601, e.g. "2026-12-06"


@dataclass(frozen=True)
class ShotListRow:
    """One line of the shot list, as people read it (see the module docstring)."""

    shot: str
    size: str
    angle: str
    movement: str
    camera_lens: str
    support: str
    cast: str
    props: str
    description: str
    duration_s: float
    notes: str
    shot_id: str
    name: str
    camera: str
    body: str
    sensor_mm: str  # "36.70 x 25.54"
    lens_mm: str  # "35", or "24->50" for a zoom during the shot
    f_stop: float
    focus_m: str  # "2.4", or "2.4->1.15" for a focus pull
    tc_in: str
    tc_out: str
    frames: int  # frames in the cut: out point excluded
    warnings: str


COLUMNS = tuple(field.name for field in dataclasses.fields(ShotListRow))
CREW_COLUMNS = COLUMNS[: COLUMNS.index("notes") + 1]
"""The 1st AD's columns, the ones the PDF prints."""
ANALYSIS_FIELDS = ("framing", "angle", "movement", "subjects", "warnings")
"""What the shot analysis may give per shot (``subjects``: body ids joined by ", ")."""


def shot_list_header(
    scene: Scene, *, version: str | None = None, date: datetime.date | None = None
) -> ShotListHeader:
    """The header for ``scene``: its title, a content version and today's date by default."""
    if version is None:
        digest = hashlib.sha256(scene.model_dump_json().encode("utf-8")).hexdigest()
        version = f"scene-{digest[:8]}"
    return ShotListHeader(
        production=scene.title,
        version=version,
        date=(date or datetime.date.today()).isoformat(),
    )


def shot_list_rows(
    scene: Scene,
    tracks: Mapping[str, CameraTrack],
    analysis: Mapping[str, Mapping[str, str]] | None = None,
) -> list[ShotListRow]:
    """Rows for every shot of the scene in shooting order, lens and focus from the tracks.

    ``analysis`` maps a shot id to any of :data:`ANALYSIS_FIELDS`; what it does not give
    stays empty (``framing`` fills the ``size`` column; ``subjects`` fills cast and props).
    """
    ordered = shooting_order(scene.shots)
    numbers = setup_numbers(ordered)
    cameras = {camera.id: camera for camera in scene.cameras}
    actor_names = {actor.id: actor.name or actor.id for actor in scene.actors}
    prop_names = {prop.id: prop.name or prop.id for prop in scene.props}
    rows = []
    rate = scene.frame_rate
    for shot in ordered:
        track = shot_track(shot, tracks, rate)
        span = shot_frames(shot, rate)
        extra = dict((analysis or {}).get(shot.id, {}))
        unknown = sorted(set(extra) - set(ANALYSIS_FIELDS))
        if unknown:
            raise ValueError(f"unknown shot analysis fields for '{shot.id}': {unknown}")
        subjects = [s for s in extra.get("subjects", "").split(", ") if s]
        frames = slice(span.first, span.last + 1)
        optics = track.optics
        lens_mm = _range_text(track.focal_mm[frames], 1)
        camera = cameras[shot.camera]
        rows.append(
            ShotListRow(
                shot=numbers[shot.id],
                size=extra.get("framing", ""),
                angle=extra.get("angle", ""),
                movement=extra.get("movement", ""),
                camera_lens=_camera_lens(camera, track, lens_mm),
                support=_support(camera, actor_names),
                cast=", ".join(actor_names[s] for s in subjects if s in actor_names),
                props=", ".join(prop_names[s] for s in subjects if s in prop_names),
                description=shot.description,
                duration_s=shot.end - shot.start,
                notes=shot.notes,
                shot_id=shot.id,
                name=shot.name,
                camera=shot.camera,
                body=f"{optics.body_name}, {optics.mode_name}",
                sensor_mm=f"{optics.sensor_width_mm:.2f} x {optics.sensor_height_mm:.2f}",
                lens_mm=lens_mm,
                f_stop=float(track.f_stop),
                focus_m=_range_text(track.focus_m[frames], 2),
                tc_in=rate.timecode(span.first),
                tc_out=rate.timecode(span.last),
                frames=cut_frames(shot, rate).count,
                warnings=extra.get("warnings", ""),
            )
        )
    return rows


def _camera_lens(camera: Camera, track: CameraTrack, lens_mm: str) -> str:
    """'A camera: ARRI ALEXA 35, Signature Zoom 24-75, 24 mm f/2.8'."""
    optics = track.optics
    parts = [optics.body_name]
    if optics.lens_name and optics.lens_name != f"{camera.focal_length:g} mm":
        parts.append(optics.lens_name)
    parts.append(f"{lens_mm} mm f/{float(track.f_stop):g}")
    return f"{camera.name or camera.id}: {', '.join(parts)}"


def _support(camera: Camera, actor_names: Mapping[str, str]) -> str:
    rig = camera.rig
    if isinstance(rig, FixedRig):
        return f"fixed, mount {rig.mount}" if rig.mount else "fixed, free-standing point"
    if isinstance(rig, HandheldRig):
        return f"handheld by {actor_names.get(rig.operator, rig.operator)}"
    assert isinstance(rig, PathRig)
    return f"motion path, {len(rig.keyframes)} keyframes"


def _range_text(values: np.ndarray, decimals: int) -> str:
    """One value, or 'first->last' when it changes (compared as shown, so noise is no pull)."""
    first, last = (f"{round(float(v), decimals):g}" for v in (values[0], values[-1]))
    return first if first == last else f"{first}->{last}"
