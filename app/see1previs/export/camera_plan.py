"""The whole camera plan in one folder, written atomically: all files, or none.

Layout of the output folder::

    stage.usda                      cameras, bodies and interior (USD)
    scene.glb                       cameras, skinned actors, props and interior (glTF 2.0)
    timeline.otio                   one clip per shot in shooting order (OpenTimelineIO)
    timeline.edl                    the same cut as a CMX 3600 EDL (export.editorial)
    timeline.xml                    the same cut as Final Cut Pro 7 XML (export.editorial)
    shot_list.csv                   one row per shot in shooting order
    tracks/<shot>_<camera>.csv      per-shot camera track, one row per frame
    tracks/<shot>_<camera>.json     the same track as JSON
    tracks/<shot>_<camera>.chan     the same camera as a Nuke .chan file (export.nuke_chan)
    tracks/<shot>_<camera>.opentrackio.json  OpenTrackIO samples (export.opentrackio)
    motion_control.csv              per-shot peak rates against a rig (export.motion_control)
    motion_control/<shot>_<camera>.csv/.chan the eased move with pre- and post-roll
    storyboards/<shot>_<n>_<pos>.png first, middle and last frame (see session.export_job)
    shot_list.pdf                   the shot list with storyboards (see session.export_job)
    movies/<shot>_<camera>.mp4      per-shot previs movie, H.264 (export.previs_movies)
    movies/previs_cut.mp4           every shot in shooting order in one movie
    manifest.json                   every file above with its size and SHA-256, written last

The new folder replaces an earlier export's as a whole (see :mod:`see1previs.export.files`):
its files are all from this export. Files someone else put in the folder are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import trimesh

from see1previs.core.scene import Scene
from see1previs.export.camera_tracks import write_track_csv, write_track_json
from see1previs.export.editorial import write_edl, write_fcp_xml
from see1previs.export.files import MANIFEST_FILE, ExportError, staged_output
from see1previs.export.formats import DEFAULT_FORMATS, FORMATS
from see1previs.export.gltf_scene import write_gltf_scene
from see1previs.export.motion_control import (
    MOTION_CONTROL_FILE,
    MOVES_FOLDER,
    shot_motion,
    write_motion_control_csv,
    write_move_files,
)
from see1previs.export.nuke_chan import write_track_chan
from see1previs.export.opentrackio import write_track_opentrackio
from see1previs.export.otio_timeline import write_otio_timeline
from see1previs.export.previs_movies import (
    MOVIES_FOLDER,
    FrameSource,
    MovieProgress,
    movie_files,
    write_previs_movies,
)
from see1previs.export.shot_list_csv import (
    ShotListRow,
    shot_list_header,
    shot_list_rows,
    write_shot_list_csv,
)
from see1previs.export.shots import shooting_order
from see1previs.export.usd_stage import write_usd_stage
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack

STAGE_FILE = "stage.usda"
TIMELINE_FILE = "timeline.otio"
EDL_FILE = "timeline.edl"
FCP_XML_FILE = "timeline.xml"
SHOT_LIST_FILE = "shot_list.csv"
GLTF_FILE = "scene.glb"
TRACKS_FOLDER = "tracks"
# What an export puts at the top of its folder: a folder holding one of them (and no manifest,
# as before manifests were written) is an earlier export that a new one may replace.
EXPORT_NAMES = (
    STAGE_FILE,
    GLTF_FILE,
    TIMELINE_FILE,
    EDL_FILE,
    FCP_XML_FILE,
    SHOT_LIST_FILE,
    TRACKS_FOLDER,
    "shot_list.pdf",
    "storyboards",
    MOVIES_FOLDER,
    MOTION_CONTROL_FILE,
    MOVES_FOLDER,
    MANIFEST_FILE,
)


def track_file_stem(shot_id: str, camera_id: str) -> str:
    """'tracks/SH010_CAM-A': where a shot's track files go, relative to the output folder."""
    return f"{TRACKS_FOLDER}/{shot_id}_{camera_id}"


def export_camera_plan(
    out_dir: Path | str,
    scene: Scene,
    station: Station,
    trajectory: Trajectory,
    tracks: Mapping[str, CameraTrack],
    *,
    shot_rows: Sequence[ShotListRow] | None = None,
    body_meshes: Mapping[str, trimesh.Trimesh] | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    extra: Callable[[Path], list[str]] | None = None,
    movie_frames: FrameSource | None = None,
    movie_progress: MovieProgress | None = None,
    ramp_frames: int = 0,
) -> list[Path]:
    """Write every camera-plan file into ``out_dir``; returns the paths written.

    ``shot_rows`` are the analysed shot-list rows; without them the shot list has the lens,
    focus and timing of each shot and empty framing, movement, subjects and warnings.
    The ``movies`` format needs ``movie_frames``, the renderer that draws each frame (see
    :mod:`see1previs.export.previs_movies`); ``movie_progress`` hears (frames done, total).
    ``ramp_frames`` adds that many frames of eased pre- and post-roll to each shot's
    motion-control move (format ``motion``; see :mod:`see1previs.export.motion_control`).
    """
    out_dir = Path(out_dir)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ExportError(
            f"unknown export format {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    if "movies" in formats and movie_frames is None:
        raise ExportError(
            "the movies format needs a renderer for the frames; export with "
            "see1previs.session.export_job.export_scene, which provides one"
        )
    if ramp_frames < 0:
        raise ExportError(f"pre-roll must be 0 frames or more, got {ramp_frames}")
    for shot in scene.shots:
        if shot.camera not in tracks:
            raise ExportError(
                f"shot '{shot.id}' uses camera '{shot.camera}', which has no evaluated track"
            )
    rows = list(shot_rows) if shot_rows is not None else shot_list_rows(scene, tracks)
    written: list[str] = []
    with staged_output(out_dir, export_names=EXPORT_NAMES) as staging:
        track_files: dict[str, dict[str, str]] = {}
        for shot in shooting_order(scene.shots):
            stem = track_file_stem(shot.id, shot.camera)
            track = tracks[shot.camera]
            track_files[shot.id] = {}
            if "csv" in formats:
                write_track_csv(track, shot, scene.frame_rate, staging / f"{stem}.csv")
                track_files[shot.id]["track_csv"] = f"{stem}.csv"
                written.append(f"{stem}.csv")
            if "json" in formats:
                write_track_json(track, shot, scene.frame_rate, staging / f"{stem}.json")
                track_files[shot.id]["track_json"] = f"{stem}.json"
                written.append(f"{stem}.json")
            if "chan" in formats:
                write_track_chan(track, shot, scene.frame_rate, staging / f"{stem}.chan")
                track_files[shot.id]["track_chan"] = f"{stem}.chan"
                written.append(f"{stem}.chan")
            if "opentrackio" in formats:
                name = f"{stem}.opentrackio.json"
                write_track_opentrackio(track, shot, scene.frame_rate, staging / name)
                track_files[shot.id]["track_opentrackio"] = name
                written.append(name)
        if "motion" in formats:
            motions = []
            for shot in shooting_order(scene.shots):
                track = tracks[shot.camera]
                motion = shot_motion(track, shot, scene.frame_rate, ramp_frames=ramp_frames)
                motions.append(motion)
                if ramp_frames:
                    move = f"{MOVES_FOLDER}/{shot.id}_{shot.camera}"
                    write_move_files(motion, track, scene.frame_rate, staging / move)
                    written += [f"{move}.csv", f"{move}.chan"]
            write_motion_control_csv(motions, staging / MOTION_CONTROL_FILE)
            written.append(MOTION_CONTROL_FILE)
        if "shotlist" in formats:
            write_shot_list_csv(rows, staging / SHOT_LIST_FILE, shot_list_header(scene))
            written.append(SHOT_LIST_FILE)
        if "otio" in formats:
            write_otio_timeline(
                staging / TIMELINE_FILE,
                scene,
                scene.shots,
                tracks,
                track_files,
                media=movie_files(scene) if "movies" in formats else None,
            )
            written.append(TIMELINE_FILE)
        cut_media = movie_files(scene) if "movies" in formats else None
        if "edl" in formats:
            write_edl(staging / EDL_FILE, scene, scene.shots, tracks, media=cut_media)
            written.append(EDL_FILE)
        if "fcpxml" in formats:
            write_fcp_xml(staging / FCP_XML_FILE, scene, scene.shots, tracks, media=cut_media)
            written.append(FCP_XML_FILE)
        if "usd" in formats:
            write_usd_stage(staging / STAGE_FILE, scene, station, trajectory, tracks, body_meshes)
            written.append(STAGE_FILE)
        if "gltf" in formats:
            write_gltf_scene(staging / GLTF_FILE, scene, station, trajectory, tracks, body_meshes)
            written.append(GLTF_FILE)
        if extra is not None:
            written += extra(staging)  # more files (storyboards, PDF) under the same guarantee
        if "movies" in formats and movie_frames is not None:
            written += write_previs_movies(
                staging, scene, tracks, movie_frames, progress=movie_progress
            )
    return [out_dir / name for name in [*written, MANIFEST_FILE]]
