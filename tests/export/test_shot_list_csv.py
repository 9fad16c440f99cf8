"""The shot list CSV read back with the csv module."""

from __future__ import annotations

import csv

from see1previs.export.shot_list_csv import (
    COLUMNS,
    ShotListRow,
    shot_list_rows,
    write_shot_list_csv,
)
from tests.export import builders

SHOTS = [
    {
        "id": "SH020",
        "name": "20A",
        "camera": "CAM-A",
        "start": 0.5,
        "end": 1.5,
        "order": 2,
        "notes": "slow push, zoom in",
    },
    {"id": "SH010", "name": "10", "camera": "CAM-A", "start": 1.0, "end": 1.03, "order": 1},
]


def read(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_rows_from_the_scene_in_shooting_order_with_lens_and_timing(tmp_path):
    scene = builders.make_scene(shots=SHOTS)
    rows = shot_list_rows(
        scene,
        builders.make_tracks(scene),
        analysis={
            "SH020": {"framing": "MS", "subjects": "mia, ball", "warnings": "CAM-B in frame"}
        },
    )
    write_shot_list_csv(rows, tmp_path / "shots.csv")
    read_back = read(tmp_path / "shots.csv")
    assert list(read_back[0]) == list(COLUMNS)
    first, second = read_back
    assert (first["shot"], second["shot"]) == ("SH010", "SH020")
    assert first["lens_mm"] == "37"  # one frame (frame 24 at 1.0 s): 24 + 26 / 2 mm
    assert first["frames"] == "1"
    assert second["sensor_mm"] == "36.70 x 25.54"
    assert second["body"] == "ARRI Alexa Mini LF, Open Gate"
    assert second["lens_mm"] == "30.5->43.5"  # zooming through the shot
    assert second["focus_m"] == "1.45->1.95"
    assert second["f_stop"] == "2.8"
    assert (second["tc_in"], second["tc_out"]) == ("00:00:00:12", "00:00:01:12")
    assert second["frames"] == "25"
    assert second["duration_s"] == "1.000"
    assert second["framing"] == "MS"
    assert second["movement"] == ""
    assert second["subjects"] == "mia, ball"
    assert second["warnings"] == "CAM-B in frame"
    assert second["notes"] == "slow push, zoom in"


def test_rows_are_written_as_given(tmp_path):
    row = ShotListRow(
        shot="S1",
        name="1",
        camera="CAM-A",
        body="Custom",
        sensor_mm="24.00 x 13.50",
        lens_mm="85",
        f_stop=1.4,
        focus_m="2.00",
        framing="CU",
        movement="static",
        subjects="mia",
        tc_in="00:00:00:00",
        tc_out="00:00:02:00",
        duration_s=2.0,
        frames=49,
        notes='says "go", then pushes off',
        warnings="",
    )
    write_shot_list_csv([row], tmp_path / "one.csv")
    (back,) = read(tmp_path / "one.csv")
    assert back["notes"] == 'says "go", then pushes off'
    assert back["f_stop"] == "1.4"
    assert back["movement"] == "static"
