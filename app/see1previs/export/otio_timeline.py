"""The shots as an OpenTimelineIO timeline, for editorial: one clip per shot in shooting order.

One video track holds one clip per shot, sorted by shooting order (``order``, ties in file
order). Each clip's ``source_range`` is the shot's cut in scene frames at the scene rate:
it starts at the in-point frame and ends before the out point (``export.shots.cut_frames``),
so a shot 8 s long is 8 s on the timeline. Rates are the float frame rate (23.976 is
24000/1001 as a float), the form OTIO and the NLE adapters expect. The timeline's
``global_start_time`` is 01:00:00:00, the editorial convention for record timecode.
Each clip also carries its EDL-safe reel name and the shot's description and notes for the
EDL and FCP XML adapters (:mod:`see1previs.export.editorial_marks`).

The clip's media is the shot's previs movie when the caller names it (``media``: an
``ExternalReference`` with the movie's path relative to the timeline file, and the movie's
range: the shot's cut, starting at its in-point timecode, so the clip's ``source_range``
is the whole movie and an editor relinks nothing); otherwise a ``MissingReference`` whose
available range is the whole scene, as a CSV is not media an NLE could relink to. The
camera and lens travel in ``clip.metadata["see1"]``; when the caller gives them, the
per-shot track files are named there too (``track_csv``, ``track_json``), relative to the
timeline file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import opentimelineio as otio

from see1previs.core.scene import Scene
from see1previs.core.scene_cameras import Shot
from see1previs.export import conventions
from see1previs.export.editorial_marks import annotate_clip, record_start, reel_names
from see1previs.export.files import write_text
from see1previs.export.shots import cut_frames, shooting_order, shot_frames, shot_track

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack

METADATA_KEY = "see1"


def build_timeline(
    scene: Scene,
    shots: Iterable[Shot],
    tracks: Mapping[str, CameraTrack],
    track_files: Mapping[str, Mapping[str, str]] | None = None,
    media: Mapping[str, str] | None = None,
) -> otio.schema.Timeline:
    """The timeline in memory. ``track_files`` maps a shot id to extra metadata entries;
    ``media`` maps a shot id to its movie, relative to the timeline file."""
    rate = float(scene.frame_rate.fps)
    timeline = otio.schema.Timeline(name=scene.title)
    timeline.global_start_time = record_start(scene.frame_rate)
    timeline.metadata[METADATA_KEY] = {
        "scene_title": scene.title,
        "frame_rate": conventions.frame_rate_text(scene.frame_rate),
        "frame": conventions.MODULE_FRAME,
        "generator": conventions.GENERATOR,
    }
    video = otio.schema.Track(name="Shots", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(video)
    scene_frames = scene.frame_rate.frame_count(scene.duration)
    ordered = shooting_order(shots)
    reels = reel_names(shot.id for shot in ordered)
    for shot in ordered:
        clip = _clip(scene, shot, tracks, rate, scene_frames, track_files or {})
        if media and shot.id in media:
            span = cut_frames(shot, scene.frame_rate)  # exactly the frames the movie holds
            clip.media_reference = otio.schema.ExternalReference(
                target_url=media[shot.id],
                available_range=otio.opentime.TimeRange(
                    otio.opentime.RationalTime(span.first, rate),
                    otio.opentime.RationalTime(span.count, rate),
                ),
            )
        annotate_clip(clip, shot, reels[shot.id])
        video.append(clip)
    return timeline


def write_otio_timeline(
    path: Path | str,
    scene: Scene,
    shots: Iterable[Shot],
    tracks: Mapping[str, CameraTrack],
    track_files: Mapping[str, Mapping[str, str]] | None = None,
    media: Mapping[str, str] | None = None,
) -> None:
    """Write the timeline as an ``.otio`` (OTIO JSON) file."""
    timeline = build_timeline(scene, shots, tracks, track_files, media)
    write_text(path, otio.adapters.write_to_string(timeline, "otio_json"))


def _clip(
    scene: Scene,
    shot: Shot,
    tracks: Mapping[str, CameraTrack],
    rate: float,
    scene_frames: int,
    track_files: Mapping[str, Mapping[str, str]],
) -> otio.schema.Clip:
    track = shot_track(shot, tracks, scene.frame_rate)
    span = shot_frames(shot, scene.frame_rate)
    cut = cut_frames(shot, scene.frame_rate)
    source = otio.opentime.TimeRange(
        start_time=otio.opentime.RationalTime(cut.first, rate),
        duration=otio.opentime.RationalTime(cut.count, rate),
    )
    media = otio.schema.MissingReference(
        name=shot.id,
        available_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(0, rate),
            otio.opentime.RationalTime(max(scene_frames, span.last + 1), rate),
        ),
    )
    clip = otio.schema.Clip(name=shot.name or shot.id, media_reference=media, source_range=source)
    clip.metadata[METADATA_KEY] = _shot_metadata(scene, shot, track, span.first, span.last)
    clip.metadata[METADATA_KEY].update(track_files.get(shot.id, {}))
    return clip


def _shot_metadata(
    scene: Scene, shot: Shot, track: CameraTrack, first: int, last: int
) -> dict[str, Any]:
    optics = track.optics
    rate = scene.frame_rate
    return {
        "shot_id": shot.id,
        "shot_name": shot.name,
        "shooting_order": shot.order,
        "camera_id": shot.camera,
        "body": optics.body_name,
        "mode": optics.mode_name,
        "sensor_mm": [float(optics.sensor_width_mm), float(optics.sensor_height_mm)],
        "lens": optics.lens_name,
        "focal_mm": float(track.focal_mm[first]),
        "focal_mm_out": float(track.focal_mm[last]),
        "f_stop": float(track.f_stop),
        "focus_m": float(track.focus_m[first]),
        "focus_m_out": float(track.focus_m[last]),
        "scene_title": scene.title,
        "in_s": float(shot.start),
        "out_s": float(shot.end),
        "in_frame": first,
        "out_frame": last,
        "tc_in": rate.timecode(first),
        "tc_out": rate.timecode(last),
        "description": shot.description,
        "notes": shot.notes,
    }
