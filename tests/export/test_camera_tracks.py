"""Per-shot camera tracks read back with the csv and json modules."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from see1previs.export.camera_tracks import COLUMNS, write_track_csv, write_track_json
from see1previs.export.files import ExportError
from tests.export import builders


def read_track_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The documented convention: lines starting with '#' are comments, then a header row."""
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    return comments, rows


@pytest.mark.parametrize(("rate", "duration"), [(24, 2.0), (25, 1.0), (23.976, 1.5)])
def test_full_scene_shot_has_a_row_for_every_frame_with_its_timecode(rate, duration, tmp_path):
    scene = builders.make_scene(frame_rate=rate, duration=duration)
    shot = scene.shots[0]
    path = tmp_path / "track.csv"
    write_track_csv(builders.make_track("CAM-A", scene), shot, scene.frame_rate, path)
    comments, rows = read_track_csv(path)
    frame_rate = scene.frame_rate
    expected_frames = math.floor(duration * frame_rate.fps) + 1
    if frame_rate.is_integer:
        assert len(rows) == duration * rate + 1
    assert len(rows) == expected_frames
    assert [int(r["frame"]) for r in rows] == list(range(expected_frames))
    assert [r["timecode"] for r in rows] == [frame_rate.timecode(k) for k in range(len(rows))]
    assert list(rows[0]) == list(COLUMNS)
    keys = [c.split(":")[0] for c in comments]
    for key in ("# units", "# frame", "# camera", "# body", "# sensor", "# lens"):
        assert key in keys
    assert "# sensor: 36.70 x 25.54 mm" in comments


def test_rows_hold_the_shot_frames_and_the_camera_state(tmp_path):
    scene = builders.make_scene(
        shots=[{"id": "SH020", "camera": "CAM-A", "start": 0.5, "end": 1.25}]
    )
    path = tmp_path / "track.csv"
    write_track_csv(builders.make_track("CAM-A", scene), scene.shots[0], scene.frame_rate, path)
    _, rows = read_track_csv(path)
    assert [int(r["frame"]) for r in rows] == list(range(12, 31))  # 0.5 s .. 1.25 s, inclusive
    assert rows[0]["timecode"] == "00:00:00:12"
    assert rows[-1]["timecode"] == "00:00:01:06"
    for row in rows:
        t = int(row["frame"]) / 24
        assert float(row["time_s"]) == pytest.approx(t, abs=1e-6)
        xyz = [float(row[k]) for k in ("x_m", "y_m", "z_m")]
        assert np.allclose(xyz, builders.camera_position(t), atol=1e-6)
        q = np.array([float(row[k]) for k in ("qw", "qx", "qy", "qz")])
        assert np.linalg.norm(q) == pytest.approx(1.0, abs=1e-8)
        w, x, y, z = q  # the view direction (-Z of the camera) from the written quaternion
        forward = -np.array([2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)])
        assert np.allclose(forward, -builders.camera_axes(t)[:, 2], atol=1e-7)
        pan = math.degrees(math.atan2(forward[1], forward[0]))
        assert float(row["pan_deg"]) == pytest.approx(10.0 + 20.0 * t, abs=1e-3)
        assert float(row["pan_deg"]) == pytest.approx(pan, abs=1e-3)
        assert float(row["tilt_deg"]) == pytest.approx(-5.0 + 4.0 * t, abs=1e-3)
        assert float(row["roll_deg"]) == pytest.approx(3.0 * t, abs=1e-3)
        focal = builders.focal_mm(t, scene.duration)
        assert float(row["focal_mm"]) == pytest.approx(focal, abs=1e-3)
        assert float(row["focus_m"]) == pytest.approx(builders.focus_m(t), abs=1e-4)
        assert float(row["f_stop"]) == pytest.approx(2.8)
        assert float(row["hfov_deg"]) == pytest.approx(builders.expected_hfov_deg(focal), abs=1e-4)


def test_json_round_trips_with_the_same_frames_as_the_csv(tmp_path):
    scene = builders.make_scene(frame_rate=23.976, duration=1.0)
    track = builders.make_track("CAM-A", scene)
    shot = scene.shots[0]
    write_track_csv(track, shot, scene.frame_rate, tmp_path / "t.csv")
    write_track_json(track, shot, scene.frame_rate, tmp_path / "t.json")
    document = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    _, rows = read_track_csv(tmp_path / "t.csv")
    assert document["format"] == "see1-camera-track"
    assert "+X toward the main hatch" in document["frame"]
    assert document["units"]["x_m"] == "m"
    assert document["camera"]["id"] == "CAM-A"
    assert document["camera"]["sensor_mm"] == list(builders.SENSOR_MM)
    assert document["frame_rate"]["exact"] == "24000/1001"
    assert document["shot"]["in"]["timecode"] == "00:00:00:00"
    assert document["shot"]["frames"] == len(rows) == 24
    assert len(document["frames"]) == len(rows)
    for entry, row in zip(document["frames"], rows, strict=True):
        assert list(entry) == list(COLUMNS)
        assert entry["timecode"] == row["timecode"]
        for key in ("x_m", "qw", "pan_deg", "focal_mm", "hfov_deg"):
            assert entry[key] == pytest.approx(float(row[key]), abs=1e-3)


def test_a_shot_past_the_end_of_the_track_is_refused(tmp_path):
    scene = builders.make_scene(duration=2.0)
    short = builders.make_scene(duration=1.0)
    track = builders.make_track("CAM-A", short)
    with pytest.raises(ExportError, match=r"SH010.*frame 48.*CAM-A"):
        write_track_csv(track, scene.shots[0], scene.frame_rate, tmp_path / "t.csv")
    assert list(tmp_path.iterdir()) == []


def test_the_track_must_be_the_shot_camera(tmp_path):
    scene = builders.make_scene(cameras=("CAM-A", "CAM-B"))
    with pytest.raises(ExportError, match="camera 'CAM-B'"):
        write_track_json(
            builders.make_track("CAM-B", scene), scene.shots[0], scene.frame_rate, tmp_path / "j"
        )
