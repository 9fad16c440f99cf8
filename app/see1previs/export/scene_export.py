"""Export a scene's camera plan from its file: bake, evaluate cameras, analyse shots, write.

The one call the CLI and the GUI share: everything the cinematographer takes away, in one
folder, written atomically (see :mod:`see1previs.export.camera_plan`).
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
from see1previs.export.formats import FORMATS
from see1previs.export.shot_list_csv import shot_list_rows
from see1previs.physics.cache import BakeCache
from see1previs.physics.simulation import simulate

Progress = Callable[[str, float], None]


@dataclass
class SceneExport:
    files: list[Path]
    tracks: dict[str, CameraTrack]
    analyses: dict[str, ShotAnalysis]


def export_scene(
    scene: Scene,
    scene_dir: Path | None,
    out_dir: Path,
    *,
    formats: Sequence[str] = FORMATS,
    cache: BakeCache | None = None,
    progress: Progress | None = None,
) -> SceneExport:
    """Bake (or load the cached bake), evaluate every camera and write the chosen formats."""

    def report(stage: str, fraction: float) -> None:
        if progress is not None:
            progress(stage, fraction)

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
            "movement": a.movement,
            "subjects": ", ".join(a.subjects),
            "warnings": "; ".join(w.message for w in a.warnings),
        }
        for shot_id, a in analyses.items()
    }
    rows = shot_list_rows(scene, tracks, summary)
    files = export_camera_plan(
        out_dir, scene, result.station, result.trajectory, tracks, shot_rows=rows, formats=formats
    )
    report("written", 1.0)
    return SceneExport(files=files, tracks=tracks, analyses=analyses)
