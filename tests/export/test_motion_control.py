"""motion_control.csv and the eased move files, read back with csv against closed forms."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from see1previs.export.motion_control import (
    COLUMNS,
    MOVE_COLUMNS,
    shot_motion,
    write_motion_control_csv,
    write_move_files,
)
from tests.export import builders


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_figures_of_the_dolly_match_its_closed_form(tmp_path):
    # Lens at (-1.5 + 0.4t, 0.3 sin t, 0.1t): v = (0.4, 0.3 cos t, 0.1), a = (0, -0.3 sin t, 0),
    # j = (0, -0.3 cos t, 0); over 0..2 s the peaks are |v(0)|, |a(π/2)| and |j(0)|.
    scene = builders.make_scene()
    track = builders.make_track("CAM-A", scene)
    motion = shot_motion(track, scene.shots[0], scene.frame_rate)
    path = tmp_path / "motion_control.csv"
    write_motion_control_csv([motion], path)
    (row,) = read_csv(path)
    assert list(row) == list(COLUMNS)
    assert float(row["peak_speed_m_s"]) == pytest.approx(math.sqrt(0.26), abs=2e-4)
    assert float(row["speed_at_s"]) == pytest.approx(0.0, abs=1e-3)
    assert float(row["peak_acceleration_m_s2"]) == pytest.approx(0.3, abs=1e-4)
    assert float(row["acceleration_at_s"]) == pytest.approx(math.pi / 2, abs=1 / 48)
    assert float(row["peak_jerk_m_s3"]) == pytest.approx(0.3, abs=1e-2)
    assert row["within_limits"] == "yes" and row["warnings"] == ""
    assert int(row["frames"]) == 49 and int(row["move_frames"]) == 49


def test_ramped_move_files_start_and_end_at_rest(tmp_path):
    scene = builders.make_scene(
        duration=4.0, shots=[{"id": "SH010", "camera": "CAM-A", "start": 1.0, "end": 3.0}]
    )
    track = builders.make_track("CAM-A", scene)
    motion = shot_motion(track, scene.shots[0], scene.frame_rate, ramp_frames=12)
    csv_path, chan_path = write_move_files(motion, track, scene.frame_rate, tmp_path / "SH010")
    rows = read_csv(csv_path)
    assert list(rows[0]) == list(MOVE_COLUMNS)
    assert [int(r["frame"]) for r in rows] == list(range(12, 85))
    assert [r["phase"] for r in rows][:13] == ["pre-roll"] * 12 + ["shot"]
    assert rows[-1]["phase"] == "post-roll"
    xyz = np.array([[float(r[k]) for k in ("x_m", "y_m", "z_m")] for r in rows])
    velocity = np.gradient(xyz, 1 / 24, axis=0)
    assert np.linalg.norm(velocity[0]) < 0.02 and np.linalg.norm(velocity[-1]) < 0.02
    for r in rows[12:61]:  # the shot's own frames are the track's, unchanged
        t = int(r["frame"]) / 24
        assert np.allclose(
            [float(r[k]) for k in ("x_m", "y_m", "z_m")], builders.camera_position(t), atol=1e-6
        )
    chan = [line.split() for line in chan_path.read_text().splitlines()]
    assert [int(c[0]) for c in chan] == list(range(12, 85))
    assert motion.figures.speed_m_s == pytest.approx(
        np.linalg.norm(velocity, axis=1).max(), rel=0.05
    )


def test_a_one_frame_shot_is_at_rest_and_ramps_hold_still(tmp_path):
    scene = builders.make_scene(
        shots=[{"id": "SH010", "camera": "CAM-A", "start": 1.0, "end": 1.02}]
    )
    track = builders.make_track("CAM-A", scene)
    motion = shot_motion(track, scene.shots[0], scene.frame_rate, ramp_frames=3)
    assert list(motion.move.frames) == [21, 22, 23, 24, 25, 26, 27]
    assert motion.figures.speed_m_s < 1e-9 and motion.warnings == []
    assert np.allclose(motion.move.positions, builders.camera_position(1.0))


def test_negative_preroll_is_refused(tmp_path):
    from see1previs.export.camera_plan import export_camera_plan
    from see1previs.export.files import ExportError
    from see1previs.station.loader import load_station

    scene = builders.make_scene()
    with pytest.raises(ExportError, match="pre-roll"):
        export_camera_plan(
            tmp_path / "plan",
            scene,
            load_station("see1"),
            builders.make_trajectory(scene),
            builders.make_tracks(scene),
            formats=["motion"],
            ramp_frames=-1,
        )
    assert not (tmp_path / "plan").exists()
