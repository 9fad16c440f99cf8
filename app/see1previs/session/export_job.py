"""The camera-plan export job: bake, evaluate cameras, analyse shots, render, write.

The one call the CLI and the GUI share: everything the cinematographer takes away, in one
folder, written atomically (see :mod:`see1previs.export.camera_plan`). It lives above the
export and render layers because it drives both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from see1previs.cinema.analysis import ShotAnalysis, analyse_shot
from see1previs.cinema.tracks import CameraTrack, evaluate_camera
from see1previs.core.scene import Scene
from see1previs.export.camera_plan import export_camera_plan
from see1previs.export.files import ExportError
from see1previs.export.formats import DEFAULT_FORMATS
from see1previs.export.shot_list_csv import shot_list_rows
from see1previs.export.shot_list_pdf import write_shot_list_pdf
from see1previs.physics.cache import BakeCache
from see1previs.physics.simulation import BakeResult, simulate
from see1previs.render.camera_view import CameraView
from see1previs.render.previs_frames import MOVIE_WIDTH, MovieFrames
from see1previs.render.storyboard import render_storyboard

Progress = Callable[[str, float], None]
STORYBOARD_WIDTH = 640  # pixels; the height follows the sensor's aspect ratio
MOVIE_SHARE = 0.75  # of the progress bar, when movies are made: every frame is rendered


@dataclass
class SceneExport:
    files: list[Path]
    tracks: dict[str, CameraTrack]
    analyses: dict[str, ShotAnalysis]
    bake: BakeResult


def export_scene(
    scene: Scene,
    scene_dir: Path | None,
    out_dir: Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    cache: BakeCache | None = None,
    progress: Progress | None = None,
    ramp_frames: int = 0,
) -> SceneExport:
    """Bake (or load the cached bake), evaluate every camera and write the chosen formats.

    ``progress`` hears (stage, fraction of the whole job); with movies, the last stage is
    "rendering movies: <done>/<total> frames". ``ramp_frames`` adds eased pre- and post-roll to
    each shot's motion-control move (format ``motion``).
    """
    movie_share = MOVIE_SHARE if "movies" in formats else 0.0

    def report(stage: str, fraction: float) -> None:
        if progress is not None:
            progress(stage, fraction if stage == "written" else fraction * (1.0 - movie_share))

    def report_movies(done: int, total: int) -> None:
        if progress is not None:
            progress(
                f"rendering movies: {done}/{total} frames",
                1.0 - movie_share + movie_share * done / max(total, 1),
            )

    if not scene.shots:
        raise ExportError("the scene has no shots to export; add a shot for a camera first")
    result = simulate(scene, scene_dir, cache=cache, progress=lambda f: report("baking", 0.6 * f))
    tracks = {
        camera.id: evaluate_camera(camera, scene, result.station, result.trajectory)
        for camera in scene.cameras
    }
    report("evaluating cameras", 0.65)
    # Props by their bounding sphere; actors keep the analysis's own capsule radius.
    radii = {h.id: h.plan.bounding_radius for h in result.world.bodies if h.kind == "prop"}
    analyses: dict[str, ShotAnalysis] = {}
    for index, shot in enumerate(scene.shots):
        analyses[shot.id] = analyse_shot(
            shot, scene, result.station, result.trajectory, tracks, body_radii=radii
        )
        report("analysing shots", 0.65 + 0.25 * (index + 1) / len(scene.shots))
    summary = {
        shot_id: {
            "framing": a.framing,
            "angle": a.angle,
            "movement": a.movement,
            "subjects": ", ".join(a.subjects),
            "warnings": "; ".join(w.message for w in a.warnings),
        }
        for shot_id, a in analyses.items()
    }
    rows = shot_list_rows(scene, tracks, summary)

    def storyboards_and_pdf(staging: Path) -> list[str]:
        if "storyboards" not in formats and "pdf" not in formats:
            return []
        view = CameraView(result.world, width=STORYBOARD_WIDTH)
        boards = {}
        try:
            for index, shot in enumerate(scene.shots):
                boards[shot.id] = render_storyboard(
                    view, scene, result.trajectory, tracks[shot.camera], shot
                )
                report("rendering storyboards", 0.9 + 0.08 * (index + 1) / len(scene.shots))
        finally:
            view.close()
        written = []
        if "storyboards" in formats:
            (staging / "storyboards").mkdir(exist_ok=True)
            for shot_id, frames in boards.items():
                for number, frame in enumerate(frames, start=1):
                    name = f"storyboards/{shot_id}_{number}_{frame.position}.png"
                    frame.image.save(staging / name)
                    written.append(name)
        if "pdf" in formats:
            write_shot_list_pdf(
                staging / "shot_list.pdf",
                scene,
                rows,
                {shot_id: [f.image for f in frames] for shot_id, frames in boards.items()},
            )
            written.append("shot_list.pdf")
        return written

    movie_view = CameraView(result.world, width=MOVIE_WIDTH) if "movies" in formats else None
    try:
        files = export_camera_plan(
            out_dir,
            scene,
            result.station,
            result.trajectory,
            tracks,
            shot_rows=rows,
            # Mesh props appear in USD with the geometry the physics already read.
            body_meshes={h.id: h.plan.mesh for h in result.world.bodies if h.plan.mesh is not None},
            formats=[f for f in formats if f not in ("storyboards", "pdf")],
            extra=storyboards_and_pdf,
            movie_frames=(
                MovieFrames(movie_view, scene, result.trajectory) if movie_view else None
            ),
            movie_progress=report_movies,
            ramp_frames=ramp_frames,
        )
    finally:
        if movie_view is not None:
            movie_view.close()
    report("written", 1.0)
    return SceneExport(files=files, tracks=tracks, analyses=analyses, bake=result)
