"""Previs movie frames: every frame of a shot through its camera, marked up like a storyboard.

The same offscreen renderer and mark-up as the storyboards (:mod:`camera_view`,
:mod:`storyboard`): the camera's exact position, orientation and vertical field of view at
the sensor's aspect ratio, frame lines, a 90 % action-safe box, a centre cross and a burn-in
bar with the shot, camera, lens, stop and timecode of the frame.

H.264 in yuv420p needs even pixel dimensions: a frame whose sensor aspect gives an odd
height (1280 × 891 for an Alexa Mini LF open gate) loses its bottom row, so every pixel
that remains is exactly where the camera projects it. :class:`MovieFrames` is the frame
source :func:`see1previs.export.previs_movies.write_previs_movies` encodes.
"""

from __future__ import annotations

import numpy as np

from see1previs.cinema.tracks import CameraTrack
from see1previs.core.scene import Scene, Shot
from see1previs.physics.trajectory import Trajectory
from see1previs.render.camera_view import CameraView
from see1previs.render.storyboard import mark_up

MOVIE_WIDTH = 1280  # pixels; the height follows the sensor's aspect ratio


class MovieFrames:
    """Renders marked-up movie frames of one baked scene through any shot's camera."""

    def __init__(self, view: CameraView, scene: Scene, trajectory: Trajectory) -> None:
        if view.width % 2:
            raise ValueError(f"movie frames need an even width, got {view.width} pixels")
        self.view = view
        self.scene = scene
        self.trajectory = trajectory
        self._camera_names = {c.id: c.name or c.id for c in scene.cameras}

    def frame_size(self, track: CameraTrack) -> tuple[int, int]:
        """(width, height), both even, at the sensor's aspect ratio."""
        width, height = self.view.size_for(track)
        return width, height - height % 2

    def render(self, track: CameraTrack, shot: Shot, frame: int) -> np.ndarray:
        """RGB image (height, width, 3) uint8 of scene ``frame`` of ``shot``, marked up."""
        width, height = self.frame_size(track)
        pixels = self.view.render(self.trajectory, track, frame)[:height, :width]
        return np.asarray(mark_up(pixels, self.burn_in(track, shot, frame)))

    def burn_in(self, track: CameraTrack, shot: Shot, frame: int) -> str:
        """'SH010 10A  |  CAM-A  |  35 mm f/2.8  |  00:00:00:12  #12'."""
        # A name that already starts with the shot id ("1B the catch") is shown as it is.
        name = shot.name or ""
        shot_label = name if name.split(" ", 1)[0] == shot.id else f"{shot.id} {name}".strip()
        camera = self._camera_names.get(shot.camera, shot.camera)
        timecode = self.scene.frame_rate.timecode(frame)
        return (
            f"{shot_label}  |  {camera}  |  {track.focal_mm[frame]:.0f} mm f/{track.f_stop:g}"
            f"  |  {timecode}  #{frame}"
        )
