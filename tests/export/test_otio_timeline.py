"""The OTIO timeline read back with opentimelineio: clips, order, frame-exact ranges, metadata."""

from __future__ import annotations

from fractions import Fraction

import opentimelineio as otio
import pytest

from see1previs.export.otio_timeline import write_otio_timeline
from tests.export import builders

# File order differs from shooting order on purpose; two shots tie on order 1.
SHOTS = [
    {
        "id": "SH030",
        "name": "30",
        "camera": "CAM-B",
        "start": 1.2,
        "end": 1.9,
        "order": 2,
        "description": "Mia catches the ball",
        "notes": "watch the hatch",
    },
    {"id": "SH010", "name": "", "camera": "CAM-A", "start": 0.0, "end": 2.0, "order": 1},
    {"id": "SH020", "name": "20A", "camera": "CAM-A", "start": 0.5, "end": 1.5, "order": 1},
]


def frames_in(start: float, end: float, fps: Fraction) -> list[int]:
    """Brute force: every frame whose exact start time lies in [start, end), the out point
    excluded as editorial counts it."""
    lo, hi = Fraction(start) - Fraction(1, 10**6), Fraction(end) - Fraction(1, 10**6)
    return [k for k in range(10_000) if lo <= k / fps < hi]


@pytest.mark.parametrize("rate", [24, 23.976])
def test_one_clip_per_shot_in_shooting_order_with_exact_frame_ranges(rate, tmp_path):
    scene = builders.make_scene(frame_rate=rate, shots=SHOTS, cameras=("CAM-A", "CAM-B"))
    path = tmp_path / "cut.otio"
    write_otio_timeline(path, scene, scene.shots, builders.make_tracks(scene))

    timeline = otio.adapters.read_from_file(str(path))
    assert timeline.name == "Export test"
    (track,) = timeline.video_tracks()
    clips = list(track.find_clips())
    assert [c.metadata["see1"]["shot_id"] for c in clips] == ["SH010", "SH020", "SH030"]
    assert [c.name for c in clips] == ["SH010", "20A", "30"]  # the id when a shot has no name
    fps = scene.frame_rate.fps
    for clip in clips:
        shot = next(s for s in SHOTS if s["id"] == clip.metadata["see1"]["shot_id"])
        expected = frames_in(shot["start"], shot["end"], fps)
        source = clip.source_range
        assert source.start_time.rate == pytest.approx(float(fps), abs=1e-12)
        assert source.start_time.value == expected[0]
        assert source.duration.value == len(expected)
        assert clip.duration().to_frames() == len(expected)
    # A shot 2 s long is 2 s long: duration x fps frames, not one more.
    if rate == 24:
        assert clips[0].source_range.duration.value == 2 * 24
    # Record timecode starts at 01:00:00:00.
    start = timeline.global_start_time
    assert otio.opentime.to_timecode(start, start.rate) == "01:00:00:00"
    total = sum(len(frames_in(s["start"], s["end"], fps)) for s in SHOTS)
    assert track.duration().to_frames() == total


def test_camera_and_lens_travel_in_namespaced_metadata(tmp_path):
    scene = builders.make_scene(shots=SHOTS, cameras=("CAM-A", "CAM-B"))
    path = tmp_path / "cut.otio"
    write_otio_timeline(path, scene, scene.shots, builders.make_tracks(scene))
    clips = list(otio.adapters.read_from_file(str(path)).find_clips())
    see1 = clips[2].metadata["see1"]
    assert see1["camera_id"] == "CAM-B"
    assert see1["body"] == "ARRI Alexa Mini LF"
    assert see1["mode"] == "Open Gate"
    assert list(see1["sensor_mm"]) == pytest.approx(builders.SENSOR_MM)
    assert see1["lens"] == "Zoom 24-50 mm"
    # 1.2 s is frame 29 at 24 fps (t = 1.2083 s): focal and focus are those of that frame.
    assert see1["in_frame"] == 29
    assert see1["focal_mm"] == pytest.approx(builders.focal_mm(29 / 24, scene.duration))
    assert see1["focus_m"] == pytest.approx(builders.focus_m(29 / 24))
    assert see1["f_stop"] == pytest.approx(2.8)
    assert (see1["in_s"], see1["out_s"]) == (1.2, 1.9)
    assert see1["scene_title"] == "Export test"
    assert see1["description"] == "Mia catches the ball"
    assert see1["notes"] == "watch the hatch"
    assert isinstance(clips[2].media_reference, otio.schema.MissingReference)
