"""Previs movies: one H.264 MP4 per shot through its camera, and the whole cut in one movie.

Each shot's movie holds the shot's cut: the frames from its in point up to, not including,
its out point, as editorial counts them (:func:`see1previs.export.shots.cut_frames`), so an
8 s shot is an 8 s movie and its OTIO clip plays the whole movie. The rate is the scene's,
exactly: 23.976 is written as 24000/1001, one frame every 1001/24000 s, so the movie's frame
count and rate are the scene's, not a rounding of them. The picture is whatever the frame
source draws: in the app, the camera's point of view at the sensor's aspect ratio with frame
lines and a burn-in (see :mod:`see1previs.render.previs_frames`). This module only encodes,
so the export layer never depends on the renderer.

The previs cut (``movies/previs_cut.mp4``) is every shot in shooting order, back to back,
each frame rendered once and encoded into both its shot's movie and the cut. The cut is as
large as the largest shot frame; a shot with another aspect ratio is centred on black
(letterbox or pillarbox), never stretched.

Timecode: a shot's movie carries the scene timecode of its in point (an MP4 ``tmcd`` track),
so its frames line up with the OTIO clip's ``source_range`` and the burn-in; the cut starts
at the editorial record timecode 01:00:00:00. Encoding is PyAV's libx264 (FFmpeg), yuv420p,
constant quality (CRF), which every editing system and player reads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import av
import numpy as np

from see1previs.core.scene import Scene
from see1previs.core.scene_cameras import Shot
from see1previs.core.timebase import FrameRate
from see1previs.export import conventions
from see1previs.export.errors import ExportError
from see1previs.export.files import atomic_file
from see1previs.export.shots import cut_frames, shooting_order, shot_track

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack

MOVIES_FOLDER = "movies"
CUT_FILE = f"{MOVIES_FOLDER}/previs_cut.mp4"
CUT_START_TIMECODE = "01:00:00:00"  # editorial convention for a programme's first frame
CODEC = "libx264"
PIXEL_FORMAT = "yuv420p"  # what every player and editing system decodes
CRF = 20  # constant quality: visually clean previs at a few Mbit/s
PRESET = "veryfast"  # x264 speed/size trade-off; previs favours speed

MovieProgress = Callable[[int, int], None]
"""Called with (frames done, frames in total) as frames are encoded."""


class FrameSource(Protocol):
    """Draws the frames of a shot: what the movies show."""

    def frame_size(self, track: CameraTrack) -> tuple[int, int]:
        """(width, height) in pixels, both even, of every frame through this camera."""
        ...

    def render(self, track: CameraTrack, shot: Shot, frame: int) -> np.ndarray:
        """RGB image (height, width, 3) uint8 of scene ``frame`` of ``shot``."""
        ...


def movie_file(shot_id: str, camera_id: str) -> str:
    """'movies/SH010_CAM-A.mp4': where a shot's movie goes, relative to the output folder."""
    return f"{MOVIES_FOLDER}/{shot_id}_{camera_id}.mp4"


def movie_files(scene: Scene) -> dict[str, str]:
    """Each shot's movie, relative to the output folder, by shot id."""
    return {shot.id: movie_file(shot.id, shot.camera) for shot in scene.shots}


class MovieEncoder:
    """One H.264 MP4 being written: frames go in one by one at an exact frame rate.

    Use as a context manager; the file is complete (encoder flushed, container closed) when
    the block ends. Frames are RGB ``uint8`` arrays of exactly ``size`` (width, height).
    """

    def __init__(
        self,
        path: Path | str,
        frame_rate: FrameRate,
        size: tuple[int, int],
        *,
        start_timecode: str | None = None,
        metadata: Mapping[str, str] | None = None,
        crf: int = CRF,
        preset: str = PRESET,
    ) -> None:
        width, height = size
        if width % 2 or height % 2 or width < 16 or height < 16:
            raise ValueError(f"movie frames must be even and at least 16 pixels, got {size}")
        self.path = Path(path)
        self.size = (width, height)
        self.frames = 0
        rate = Fraction(frame_rate.fps)
        self._container = av.open(str(self.path), mode="w", format="mp4")
        try:
            for key, value in (metadata or {}).items():
                self._container.metadata[key] = value
            stream = self._container.add_stream(CODEC, rate=rate)
            stream.width, stream.height = width, height
            stream.pix_fmt = PIXEL_FORMAT
            stream.time_base = 1 / rate  # one tick per frame: pts = frame number
            stream.options = {"crf": str(crf), "preset": preset}
            if start_timecode is not None:
                stream.metadata["timecode"] = start_timecode
        except BaseException:
            self._container.close()
            raise
        self._stream = stream

    def write(self, rgb: np.ndarray) -> None:
        """Append one frame."""
        if rgb.shape != (self.size[1], self.size[0], 3) or rgb.dtype != np.uint8:
            raise ValueError(
                f"frame {self.frames} of '{self.path.name}' is {rgb.shape} {rgb.dtype}; "
                f"expected ({self.size[1]}, {self.size[0]}, 3) uint8"
            )
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        frame.pts = self.frames
        self._container.mux(self._stream.encode(frame))
        self.frames += 1

    def close(self) -> None:
        """Flush the encoder and finish the file."""
        try:
            self._container.mux(self._stream.encode(None))
        finally:
            self._container.close()

    def __enter__(self) -> MovieEncoder:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self._container.close()


def fit_on_canvas(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``rgb`` centred on a black frame of ``size`` (width, height); unchanged if it fits."""
    width, height = size
    if rgb.shape[:2] == (height, width):
        return rgb
    canvas = np.zeros((height, width, 3), dtype=np.uint8)
    top, left = (height - rgb.shape[0]) // 2, (width - rgb.shape[1]) // 2
    canvas[top : top + rgb.shape[0], left : left + rgb.shape[1]] = rgb
    return canvas


def write_previs_movies(
    folder: Path | str,
    scene: Scene,
    tracks: Mapping[str, CameraTrack],
    source: FrameSource,
    *,
    progress: MovieProgress | None = None,
    cut: bool = True,
) -> list[str]:
    """Write every shot's movie and the previs cut into ``folder``; returns the names written.

    Names are relative to ``folder`` (``movies/<shot>_<camera>.mp4``, ``movies/previs_cut.mp4``).
    """
    folder = Path(folder)
    shots = shooting_order(scene.shots)
    if not shots:
        raise ExportError("the scene has no shots to make movies of; add a shot for a camera")
    spans = {}
    for shot in shots:
        shot_track(shot, tracks, scene.frame_rate)  # the cut lies within the shot's samples
        spans[shot.id] = cut_frames(shot, scene.frame_rate)
    total = sum(span.count for span in spans.values())
    sizes = {shot.id: source.frame_size(tracks[shot.camera]) for shot in shots}
    cut_size = (max(w for w, _ in sizes.values()), max(h for _, h in sizes.values()))
    written: list[str] = []
    done = 0
    with contextlib.ExitStack() as stack:
        cut_movie = None
        if cut:
            cut_movie = stack.enter_context(
                _encoder(
                    folder / CUT_FILE,
                    scene.frame_rate,
                    cut_size,
                    start_timecode=CUT_START_TIMECODE,
                    metadata=_cut_metadata(scene, shots),
                )
            )
        for shot in shots:
            track = tracks[shot.camera]
            name = movie_file(shot.id, shot.camera)
            span = spans[shot.id]
            with _encoder(
                folder / name,
                scene.frame_rate,
                sizes[shot.id],
                start_timecode=scene.frame_rate.timecode(span.first),
                metadata=_shot_metadata(scene, shot, track),
            ) as movie:
                for frame in span:
                    rgb = source.render(track, shot, frame)
                    movie.write(rgb)
                    if cut_movie is not None:
                        cut_movie.write(fit_on_canvas(rgb, cut_size))
                    done += 1
                    if progress is not None:
                        progress(done, total)
            written.append(name)
    if cut:
        written.append(CUT_FILE)
    return written


@contextlib.contextmanager
def _encoder(
    path: Path, frame_rate: FrameRate, size: tuple[int, int], **options
) -> Iterator[MovieEncoder]:
    """A movie written to a hidden file that takes ``path``'s place when complete."""
    with atomic_file(path) as temp:
        try:
            with MovieEncoder(temp, frame_rate, size, **options) as movie:
                yield movie
        except (av.FFmpegError, OSError) as exc:
            raise ExportError(f"cannot write the movie '{path}': {exc}") from exc


def _shot_metadata(scene: Scene, shot: Shot, track: CameraTrack) -> dict[str, str]:
    optics = track.optics
    return {
        "title": f"{shot.id} {shot.name}".strip(),
        "comment": (
            f"{conventions.GENERATOR} previs of shot {shot.id} through camera {shot.camera} "
            f"({optics.body_name}, {optics.mode_name}, sensor {optics.sensor_width_mm:.2f} x "
            f"{optics.sensor_height_mm:.2f} mm, {optics.lens_name}); scene '{scene.title}'; "
            f"{conventions.frame_rate_text(scene.frame_rate)}; timecode = scene timecode"
        ),
    }


def _cut_metadata(scene: Scene, shots: list[Shot]) -> dict[str, str]:
    return {
        "title": f"{scene.title} previs cut",
        "comment": (
            f"{conventions.GENERATOR} previs cut of '{scene.title}': shots "
            f"{', '.join(shot.id for shot in shots)} in shooting order; "
            f"{conventions.frame_rate_text(scene.frame_rate)}; starts at {CUT_START_TIMECODE}"
        ),
    }
