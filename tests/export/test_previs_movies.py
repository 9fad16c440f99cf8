"""Previs movies, decoded back with PyAV: exact frame count and rate, the sensor's aspect,
the subject's pixels where the camera projection puts them, the burn-in, the cut, and OTIO
clips whose media are these movies."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import opentimelineio as otio
import pytest

from see1previs.cinema.analysis import project
from see1previs.core.scene import Scene
from see1previs.core.timebase import FrameRate
from see1previs.export.camera_plan import export_camera_plan
from see1previs.export.files import ExportError
from see1previs.export.formats import DEFAULT_FORMATS, FORMATS
from see1previs.export.manifest import check_export
from see1previs.export.previs_movies import CUT_FILE, MovieEncoder, movie_file
from see1previs.export.shots import cut_frames
from see1previs.session.export_job import export_scene
from tests.export.builders import make_scene, make_tracks, make_trajectory

RATE = Fraction(24000, 1001)
SENSORS = {"A": (36.70, 25.54), "B": (40.96, 21.60)}  # Alexa Mini LF OG, V-Raptor 8K VV
BALL = "ball"


def two_camera_scene() -> Scene:
    """A green ball drifting in front of two fixed cameras; shot 1B is shot first."""
    return Scene.model_validate(
        {
            "format": 2,
            "title": "Movie test",
            "duration": 0.5005,  # 12 frames of 1001/24000 s
            "frame_rate": "24000/1001",
            "environment": {"air_drag": False},
            "props": [
                {"id": BALL, "shape": {"type": "sphere", "radius": 0.08}, "mass": 0.5,
                 "color": "#00ff00", "pose": {"position": [0.5, 0.25, 0.15]},
                 "velocity": {"linear": [0.0, -0.3, 0.1]}}
            ],
            "cameras": [
                {"id": "A", "body": "arri-alexa-mini-lf", "focal_length": 35,
                 "look_at": {"point": [0.5, 0.0, 0.0]},
                 "rig": {"type": "fixed", "position": [-2.0, 0.0, 0.0]}},
                {"id": "B", "body": "red-v-raptor-8k-vv", "focal_length": 50,
                 "look_at": {"point": [0.45, 0.1, 0.1]},
                 "rig": {"type": "fixed", "position": [-1.5, -0.8, 0.4]}},
            ],
            "shots": [
                {"id": "s1", "name": "1A", "camera": "A", "start": 0.0, "end": 0.5005,
                 "order": 2},
                {"id": "s2", "name": "1B", "camera": "B", "start": 0.1, "end": 0.4, "order": 1},
            ],
        }
    )  # fmt: skip


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    scene = two_camera_scene()
    out = tmp_path_factory.mktemp("movies") / "plan"
    reports: list[tuple[str, float]] = []
    result = export_scene(
        scene,
        None,
        out,
        formats=["otio", "movies"],
        progress=lambda stage, fraction: reports.append((stage, fraction)),
    )
    return scene, out, result, reports


def decode(path: Path) -> tuple[av.video.stream.VideoStream, list[np.ndarray], list]:
    """The video stream (its container still open for metadata), RGB frames and raw frames."""
    container = av.open(str(path))
    stream = container.streams.video[0]
    frames = list(container.decode(stream))
    return stream, [f.to_ndarray(format="rgb24") for f in frames], frames


def green_centroid(pixels: np.ndarray) -> tuple[float, float] | None:
    r, g, b = (pixels[..., i].astype(int) for i in range(3))
    mask = (g > 120) & (g > r + 60) & (g > b + 60)
    if mask.sum() < 10:
        return None
    rows, cols = np.nonzero(mask)
    return float(cols.mean()), float(rows.mean())


def test_each_shot_movie_is_h264_at_the_exact_rate_and_the_sensor_aspect(exported):
    scene, out, _, _ = exported
    # A shot 0.5005 s long is 12 frames (the out point is where the next shot would cut in).
    assert cut_frames(scene.shots[0], scene.frame_rate).count == 12
    for shot in scene.shots:
        span = cut_frames(shot, scene.frame_rate)
        stream, images, frames = decode(out / movie_file(shot.id, shot.camera))
        assert stream.codec_context.name == "h264"
        assert stream.average_rate == RATE  # exact: 24000/1001, not 23.976
        assert isinstance(stream.average_rate, Fraction)
        assert stream.frames == span.count == len(frames)
        # Frame k starts exactly k · 1001/24000 s after the first.
        assert [f.pts * stream.time_base for f in frames] == [
            Fraction(k * 1001, 24000) for k in range(span.count)
        ]
        assert frames[0].format.name == "yuv420p"
        width, height = stream.width, stream.height
        assert width == 1280 and width % 2 == 0 and height % 2 == 0
        sensor_w, sensor_h = SENSORS[shot.camera]
        assert abs(height - width * sensor_h / sensor_w) <= 1.0  # sensor aspect, even rows
        assert images[0].shape == (height, width, 3)
        # The movie's own timecode is the scene timecode of the shot's in point.
        assert stream.metadata["timecode"] == FrameRate(RATE).timecode(span.first)


def test_subject_pixels_land_where_the_projection_says(exported):
    scene, out, result, _ = exported
    trajectory = result.bake.trajectory
    ball = trajectory.index(BALL)
    for shot in scene.shots:
        track = result.tracks[shot.camera]
        span = cut_frames(shot, scene.frame_rate)
        _, images, _ = decode(out / movie_file(shot.id, shot.camera))
        sensor = SENSORS[shot.camera]
        for k in (0, span.count // 2, span.count - 1):
            frame = span.first + k
            pixels = images[k]
            width = pixels.shape[1]
            uv, depth = project(
                trajectory.positions[frame, ball][None],
                track.positions[frame],
                track.rotations[frame],
                track.focal_mm[frame],
                sensor,
            )
            assert depth[0] > 0 and np.all(np.abs(uv) < 0.8), "the ball must be well in frame"
            # Square pixels at the sensor's aspect: the image is width · h/w pixels tall
            # (the encoder's even height drops at most the bottom row, below the ball).
            full_height = width * sensor[1] / sensor[0]
            expected = ((uv[0, 0] + 1) / 2 * width, (1 - uv[0, 1]) / 2 * full_height)
            found = green_centroid(pixels)
            assert found is not None, f"the green ball must be visible in {shot.id} frame {frame}"
            assert np.hypot(found[0] - expected[0], found[1] - expected[1]) < 3.0


def test_frames_carry_frame_lines_and_a_burn_in_that_follows_the_timecode(exported):
    scene, out, _, _ = exported
    shot = scene.shots[0]
    _, images, _ = decode(out / movie_file(shot.id, shot.camera))
    first, last = images[0].astype(int), images[-1].astype(int)
    height, width = first.shape[:2]
    # Frame lines: the left edge is the frame-line yellow (255, 214, 0) after compression.
    edge = first[height // 4 : 3 * height // 4, 0]
    assert edge[:, 0].mean() > 200 and edge[:, 1].mean() > 170 and edge[:, 2].mean() < 80
    # Burn-in: a dark bar along the bottom with white text in it.
    bar = height // 16
    band = first[height - bar + 4 : height - 4, 8 : width - 8]
    assert np.median(band) < 90 and (band.min(axis=2) > 200).sum() > 200
    # The text changes frame to frame (the timecode and frame number) on the still wall.
    changed = np.abs(first[height - bar :] - last[height - bar :]).max(axis=2) > 100
    assert changed.sum() > 20
    above = np.abs(first[: height // 3] - last[: height // 3]).max(axis=2) > 100
    assert above.sum() < changed.sum()


def test_the_previs_cut_is_every_shot_in_shooting_order(exported):
    scene, out, _, _ = exported
    stream, cut, _ = decode(out / CUT_FILE)
    order = sorted(scene.shots, key=lambda s: s.order)
    assert [s.id for s in order] == ["s2", "s1"]
    shots = [decode(out / movie_file(s.id, s.camera))[1] for s in order]
    assert len(cut) == stream.frames == sum(len(frames) for frames in shots)
    assert stream.average_rate == RATE
    assert stream.metadata["timecode"] == "01:00:00:00"
    sizes = [(frames[0].shape[1], frames[0].shape[0]) for frames in shots]
    assert (stream.width, stream.height) == (max(w for w, _ in sizes), max(h for _, h in sizes))
    # The wide V-Raptor shot comes first, letterboxed: black above and below, the shot between.
    wide = shots[0]
    top = (stream.height - wide[0].shape[0]) // 2
    assert top > 50
    k = 0
    for frames in shots:
        for frame in frames:
            h = frame.shape[0]
            offset = (stream.height - h) // 2
            inside = cut[k][offset : offset + h].astype(int)
            assert np.abs(inside - frame.astype(int)).mean() < 3.0, f"cut frame {k}"
            if offset:
                assert cut[k][: offset - 2].max() < 30 and cut[k][offset + h + 2 :].max() < 30
            k += 1


def test_otio_clips_play_the_movies_with_nothing_to_relink(exported):
    scene, out, _, _ = exported
    timeline = otio.adapters.read_from_file(str(out / "timeline.otio"))
    clips = list(timeline.find_clips())
    assert [c.metadata["see1"]["shot_id"] for c in clips] == ["s2", "s1"]
    for clip in clips:
        shot = next(s for s in scene.shots if s.id == clip.metadata["see1"]["shot_id"])
        reference = clip.media_reference
        assert isinstance(reference, otio.schema.ExternalReference)
        assert not Path(reference.target_url).is_absolute()
        movie = (out / "timeline.otio").parent / reference.target_url
        assert movie.is_file()
        stream, _, frames = decode(movie)
        available = reference.available_range
        span = cut_frames(shot, scene.frame_rate)
        assert available.start_time.to_frames() == span.first
        assert available.duration.to_frames() == len(frames) == stream.frames
        assert available.start_time.rate == pytest.approx(float(RATE), rel=1e-12)
        # The clip plays frames the movie has (OTIO's contains() is strict at the ends).
        source = clip.source_range
        assert available.start_time <= source.start_time
        assert source.end_time_exclusive() <= available.end_time_exclusive()
    assert check_export(out) == []  # the manifest lists the movies with their checksums


def test_progress_counts_the_movie_frames_and_ends_at_one(exported):
    scene, _, _, reports = exported
    fractions = [fraction for _, fraction in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    total = sum(cut_frames(s, scene.frame_rate).count for s in scene.shots)
    movie_stages = [stage for stage, _ in reports if stage.startswith("rendering movies")]
    assert len(movie_stages) == total
    assert movie_stages[-1] == f"rendering movies: {total}/{total} frames"


def test_movies_are_asked_for_and_need_a_renderer(tmp_path):
    assert "movies" in FORMATS and "movies" not in DEFAULT_FORMATS
    scene = make_scene()
    with pytest.raises(ExportError, match="movies format needs a renderer"):
        export_camera_plan(
            tmp_path / "plan", scene, None, make_trajectory(scene), make_tracks(scene),
            formats=["movies"],
        )  # fmt: skip
    assert not (tmp_path / "plan").exists()


@pytest.mark.parametrize("rate", ["24", "25", "24000/1001", "30000/1001", "60"])
def test_the_encoder_keeps_any_scene_rate_exact(rate, tmp_path):
    frame_rate = FrameRate.parse(rate)
    path = tmp_path / "clip.mp4"
    with MovieEncoder(path, frame_rate, (64, 48)) as movie:
        for k in range(7):
            movie.write(np.full((48, 64, 3), 30 * k, dtype=np.uint8))
    stream, images, _ = decode(path)
    assert stream.average_rate == frame_rate.fps
    assert len(images) == stream.frames == 7
    assert [float(image.mean()) for image in images] == pytest.approx(
        [30 * k for k in range(7)], abs=3
    )


def test_the_encoder_refuses_odd_frames(tmp_path):
    with pytest.raises(ValueError, match="even"):
        MovieEncoder(tmp_path / "odd.mp4", FrameRate.parse(24), (65, 48))


class StripeSource:
    """Frames with the scene frame number in their brightness, at a per-camera size."""

    def __init__(self, sizes, fail_at=None):
        self.sizes, self.fail_at = sizes, fail_at

    def frame_size(self, track):
        return self.sizes[track.camera_id]

    def render(self, track, shot, frame):
        if frame == self.fail_at:
            raise RuntimeError("renderer lost its GL context")
        width, height = self.sizes[track.camera_id]
        return np.full((height, width, 3), 4 * frame + 20, dtype=np.uint8)


TWO_SHOTS = [
    {"id": "SH010", "camera": "CAM-A", "start": 0.0, "end": 0.5, "order": 2},
    {"id": "SH020", "camera": "CAM-B", "start": 0.25, "end": 1.0, "order": 1},
]


def test_the_cut_centres_each_shot_and_keeps_its_frames_in_order(tmp_path):
    scene = make_scene(duration=1.0, shots=TWO_SHOTS, cameras=("CAM-A", "CAM-B"))
    source = StripeSource({"CAM-A": (96, 64), "CAM-B": (64, 48)})
    out = tmp_path / "plan"
    export_camera_plan(
        out, scene, None, make_trajectory(scene), make_tracks(scene), formats=["movies"],
        movie_frames=source,
    )  # fmt: skip
    stream, cut, _ = decode(out / CUT_FILE)
    assert (stream.width, stream.height) == (96, 64)
    expected = [*range(6, 24), *range(0, 12)]  # SH020 (frames 6-23) first, then SH010 (0-11)
    assert len(cut) == len(expected)
    for image, frame in zip(cut, expected, strict=True):
        assert abs(float(image[24:40, 40:56].mean()) - (4 * frame + 20)) <= 3
    small = cut[0]
    assert small[:, :14].max() < 10 and small[:6].max() < 10  # pillarboxed and letterboxed
    assert check_export(out) == []


def test_a_renderer_failing_mid_movie_leaves_the_folder_as_it_was(tmp_path):
    scene = make_scene(duration=1.0, shots=TWO_SHOTS, cameras=("CAM-A", "CAM-B"))
    out = tmp_path / "plan"
    tracks, trajectory = make_tracks(scene), make_trajectory(scene)
    export_camera_plan(out, scene, None, trajectory, tracks, formats=["shotlist"])
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    source = StripeSource({"CAM-A": (64, 48), "CAM-B": (64, 48)}, fail_at=5)
    with pytest.raises(RuntimeError, match="GL context"):
        export_camera_plan(
            out, scene, None, trajectory, tracks, formats=["otio", "movies"], movie_frames=source
        )
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
