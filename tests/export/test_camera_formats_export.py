"""The camera formats inside a whole camera-plan export and from the command line."""

from __future__ import annotations

import csv
import json

import numpy as np

from see1previs.cli import main
from see1previs.export.camera_plan import export_camera_plan
from see1previs.station.loader import load_station
from tests.conftest import SCENES
from tests.export import builders


def test_plan_writes_chan_opentrackio_and_motion_control_with_preroll(tmp_path):
    scene = builders.make_scene(
        duration=3.0, shots=[{"id": "SH010", "camera": "CAM-A", "start": 1.0, "end": 2.0}]
    )
    out = tmp_path / "plan"
    written = export_camera_plan(
        out,
        scene,
        load_station("see1"),
        builders.make_trajectory(scene),
        builders.make_tracks(scene),
        formats=["chan", "opentrackio", "motion", "otio"],
        ramp_frames=6,
    )
    names = sorted(str(p.relative_to(out)) for p in written)
    assert names == [
        "manifest.json",
        "motion_control.csv",
        "motion_control/SH010_CAM-A.chan",
        "motion_control/SH010_CAM-A.csv",
        "timeline.otio",
        "tracks/SH010_CAM-A.chan",
        "tracks/SH010_CAM-A.opentrackio.json",
    ]
    chan = (out / "tracks/SH010_CAM-A.chan").read_text().splitlines()
    assert [int(line.split()[0]) for line in chan] == list(range(24, 49))
    move = (out / "motion_control/SH010_CAM-A.chan").read_text().splitlines()
    assert [int(line.split()[0]) for line in move] == list(range(18, 55))
    samples = json.loads((out / "tracks/SH010_CAM-A.opentrackio.json").read_text())["samples"]
    assert len(samples) == 25
    with open(out / "motion_control.csv", encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert (row["shot"], row["ramp_frames"], row["move_frames"]) == ("SH010", "6", "37")
    timeline = json.loads((out / "timeline.otio").read_text())
    clip = timeline["tracks"]["children"][0]["children"][0]
    assert clip["metadata"]["see1"]["track_chan"] == "tracks/SH010_CAM-A.chan"


def test_cli_export_prints_motion_control_figures(tmp_path, capsys):
    scene = SCENES / "first-light.see1.json"
    out = tmp_path / "plan"
    code = main(
        ["export", str(scene), "--out", str(out), "--formats", "chan,motion", "--preroll", "12"]
    )
    assert code == 0
    printed = capsys.readouterr().out
    lines = [line for line in printed.splitlines() if line.startswith("motion control:")]
    assert [line.split("'")[1] for line in lines] == ["1A", "1C", "1B"]  # shooting order
    assert "with 12 frames of pre- and post-roll" in lines[0]
    with open(out / "motion_control.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["shot"] for r in rows] == ["1A", "1C", "1B"]
    speeds = np.array([float(r["peak_speed_m_s"]) for r in rows])
    assert np.all(speeds >= 0.0) and speeds[0] < 1e-6  # 1A is a locked-off camera
    assert (out / "motion_control" / "1B_C.chan").is_file()
